"""The request trace behind ``GSResponse.getLog()``, with secrets redacted.

The original GSSDK.py logged the secret and the signature. Here every value
whose key is in :data:`REDACTED_KEYS` (compared case-insensitively) is
replaced by ``***``, at any depth of nested objects: request signatures,
secrets, passwords, tokens, session secrets and the UID/friendship signatures
of responses. The secret and the request signature are never even handed to
the trace (the client signs after the trace is written).
"""

from __future__ import annotations

import json
from typing import Any, List, Mapping

__all__ = ["REDACTED_KEYS", "REDACTED", "redact", "TraceLog"]

REDACTED = "***"

#: Parameter / field names whose values never appear in a log.
REDACTED_KEYS = frozenset(
    {
        "sig",
        "signature",
        "uidsignature",
        "friendshipsignature",
        "secret",
        "secretkey",
        "client_secret",
        "oauth_token",
        "access_token",
        "refresh_token",
        "id_token",
        "authorization",
        "password",
        "newpassword",
        "oldpassword",
        "securityanswer",
        "privatekey",
        "private_key",
        "regtoken",
        "login_token",
        "sessionsecret",
        "sessiontoken",
        "cookie",
        "cookievalue",
    }
)


def redact(value: Any) -> Any:
    """A copy of *value* with the values of sensitive keys replaced by ``***`` (recursively)."""
    if isinstance(value, Mapping):
        return {
            key: (REDACTED if str(key).lower() in REDACTED_KEYS and item is not None else redact(item))
            for key, item in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [redact(item) for item in value]
    return value


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=str)
    except ValueError:
        return repr(value)


class TraceLog:
    """An append-only list of ``name=value`` lines for one request."""

    __slots__ = ("_lines",)

    def __init__(self) -> None:
        self._lines: List[str] = []

    def add(self, name: str, value: Any) -> None:
        """Append ``name=value``; mappings are redacted and shown as JSON."""
        if name.lower() in REDACTED_KEYS:
            value = REDACTED
        self._lines.append(f"{name}={_text(redact(value))}")

    def lines(self) -> List[str]:
        """A copy of the lines so far."""
        return list(self._lines)

    def __str__(self) -> str:
        return "\n".join(self._lines)
