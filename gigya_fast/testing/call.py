"""One authenticated API call as the method handlers see it, and the helpers
they share (UIDSignature, account lookup and the ``include`` view)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Tuple, TypeVar

from .._signing import Signer
from .auth import AuthResult
from .envelope import CDCError
from .state import ServerState

__all__ = ["Call", "user_signature", "account_or_404", "account_view"]

T = TypeVar("T")


@dataclass
class Call:
    """One authenticated API call.

    ``cookies`` are the request's cookies; a handler adds response headers
    (``Set-Cookie``) to ``response_headers``.
    """

    state: ServerState
    method: str
    params: Dict[str, str]
    auth: AuthResult
    call_id: str
    cookies: Dict[str, str] = field(default_factory=dict)
    response_headers: List[Tuple[str, str]] = field(default_factory=list)

    def require(self, name: str) -> str:
        """A parameter that must be present and non-empty (400002 otherwise)."""
        value = self.params.get(name)
        if not value:
            raise CDCError(400002, f"Missing required parameter: {name}")
        return value

    def flag(self, name: str) -> bool:
        """A boolean parameter (``true``/``1``)."""
        return self.params.get(name, "").lower() in ("true", "1")

    def json_object(self, name: str) -> Dict[str, Any] | None:
        """A parameter holding a JSON object, or ``None`` when absent (400006 when not an object)."""
        text = self.params.get(name)
        if text is None or text == "":
            return None
        try:
            value = json.loads(text)
        except ValueError:
            raise CDCError(400006, f"Invalid parameter value: {name} is not valid JSON") from None
        if not isinstance(value, dict):
            raise CDCError(400006, f"Invalid parameter value: {name} must be a JSON object")
        return value

    def integer(self, name: str, default: int, low: int, high: int) -> int:
        """An integer parameter within [low, high]."""
        text = self.params.get(name)
        if text is None or text == "":
            return default
        try:
            value = int(text)
        except ValueError:
            raise CDCError(400006, f"Invalid parameter value: {name} must be an integer") from None
        if not low <= value <= high:
            raise CDCError(400006, f"Invalid parameter value: {name} must be between {low} and {high}")
        return value

    def live(self, name: str, lookup: Callable[[str, float], T | None]) -> Tuple[str, T]:
        """The token in parameter *name* and what *lookup* finds for it now; 400006 when nothing."""
        token = self.require(name)
        found = lookup(token, self.state.now())
        if found is None:
            raise CDCError(400006, f"Invalid parameter value: {name} is unknown or expired")
        return token, found

    def subject(self, name: str) -> str:
        """The UID the call is about: parameter *name* for server credentials; with a
        ``login_token`` the session's user (the parameter, if sent, must name the same user)."""
        owner = self.auth.uid
        if owner is None:
            return self.require(name)
        given = self.params.get(name)
        if given and given != owner:
            raise CDCError(403007, f"Permission denied: a login_token acts only on its own account ({name})")
        return owner


def user_signature(call: Call, uid: str) -> Dict[str, str]:
    """``UIDSignature``/``signatureTimestamp`` signed with the caller's user key secret or the partner secret."""
    timestamp = str(int(call.state.now()))
    secret = call.state.keys.secret_for(call.auth.user_key)
    return {"UIDSignature": Signer(secret).sign(f"{timestamp}_{uid}"), "signatureTimestamp": timestamp}


def account_or_404(call: Call, uid: str) -> Dict[str, Any]:
    """A copy of the account *uid*; ``CDCError(403047)`` when there is none."""
    account = call.state.store.get(uid)
    if account is None:
        raise CDCError(403047, "Not found: no account with this UID")
    return account


def account_view(account: Dict[str, Any], include: str | None) -> Dict[str, Any]:
    """The account's top-level scalars plus the objects named in *include* (every object when ``None``)."""
    if include is None:
        return account
    wanted = {part.strip() for part in include.split(",") if part.strip()}
    return {k: v for k, v in account.items() if k in wanted or not isinstance(v, dict)}
