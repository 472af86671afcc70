"""Registering: ``accounts.initRegistration``, ``accounts.register`` and
``accounts.finalizeRegistration``, as CDC documents the three steps.

``initRegistration`` gives a regToken (valid one hour); ``register`` creates
the account with its email as login ID and the password as a salted hash,
leaving the registration pending unless ``finalizeRegistration=true``;
``finalizeRegistration`` completes it and opens a session, through the same
gate as ``accounts.login`` (206002 while the email is unverified when the site
requires verification, 403101 for two-factor accounts).
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Mapping

from .accounts_login import check_gate, device_id, open_session, pending_of
from .call import Call
from .envelope import CDCError
from .logins import login_fields
from .sessions import PendingLogin

__all__ = ["HANDLERS", "finalize"]


def _validation_error(code: int, field: str, message: str) -> CDCError:
    failure = {"errorCode": code, "message": message, "fieldName": field}
    if code == 400003:
        return CDCError(code, f"Unique identifier exists: {message}", extra={"validationErrors": [failure]})
    return CDCError(400009, f"Validation error: {message}", extra={"validationErrors": [failure]})


def init_registration(call: Call) -> Dict[str, Any]:
    """accounts.initRegistration: a regToken for one registration."""
    return {"regToken": call.state.reg_tokens.issue(None, call.state.now(), device_id(call))}


def register(call: Call) -> Dict[str, Any]:
    """accounts.register: ``regToken``, ``email``, ``password``, optional ``profile``/``data``;
    ``finalizeRegistration=true`` also finalises (a session answer)."""
    state = call.state
    token, pending = pending_of(call)
    if pending.uid is not None:
        raise CDCError(400006, "Invalid parameter value: regToken was already used by accounts.register")
    email, password = call.require("email").strip(), call.require("password")
    if "@" not in email.strip("@") or len(email) > 254:
        raise _validation_error(400006, "email", "email is not a valid address")
    if state.logins.taken(email):
        raise _validation_error(400003, "email", "email already exists")
    profile = call.json_object("profile") or {}
    profile.setdefault("email", email)
    fields = login_fields(email, not state.settings.require_email_verification)
    account = state.store.create(profile, call.json_object("data"), None, fields, registered=False)
    uid = str(account["UID"])
    try:
        state.logins.add(uid, email, password)
    except KeyError:  # the same email registered concurrently
        state.store.delete(uid)
        raise _validation_error(400003, "email", "email already exists") from None
    if not state.reg_tokens.bind(token, uid, state.now()):  # the same regToken used concurrently
        state.delete_account(uid)
        raise CDCError(400006, "Invalid parameter value: regToken was already used by accounts.register")
    state.emit("accountCreated", uid, call.call_id)
    if call.flag("finalizeRegistration"):
        return finalize(call, token, pending)
    return {"UID": uid}


def finalize(call: Call, token: str, pending: PendingLogin) -> Dict[str, Any]:
    """Complete the registration *token* stands for and open a session (or raise the pending state)."""
    uid = pending.uid
    if uid is None:
        raise CDCError(400006, "Invalid parameter value: regToken has no account: call accounts.register first")
    try:
        if call.state.store.finalize_registration(uid):
            call.state.emit("accountRegistered", uid, call.call_id)
    except KeyError:
        raise CDCError(403047, "Not found: the account of this regToken was deleted") from None
    check_gate(call, uid, pending, token)
    answer = open_session(call, uid)
    call.state.reg_tokens.pop(token)
    return answer


def finalize_registration(call: Call) -> Dict[str, Any]:
    """accounts.finalizeRegistration: ``regToken`` -> a session (or the pending state still in the way)."""
    token, pending = pending_of(call)
    return finalize(call, token, pending)


HANDLERS: Dict[str, Callable[[Call], Mapping[str, Any]]] = {
    "accounts.initRegistration": init_registration,
    "accounts.register": register,
    "accounts.finalizeRegistration": finalize_registration,
}
