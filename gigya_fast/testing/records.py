"""The request log: one :class:`RecordedRequest` per request the server answered."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from typing import Dict, List, Mapping

from .._secret_names import SECRET_NAMES

__all__ = ["RecordedRequest", "RequestLog", "redact_params", "redact_headers", "signature_fingerprint"]

REDACTED = "***"


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server saw it.

    ``method`` is the CDC method (``accounts.getAccountInfo``, ``oauth2.token``,
    ``""`` when the request line itself was malformed); ``params`` and
    ``headers`` have secrets, passwords and the session, registration and
    two-factor tokens and codes replaced by ``***``, and the signature ``sig``
    by its :func:`signature_fingerprint` (enough to tell attempts apart or to
    compare with an expected signature, never the signature); ``auth_mode`` is
    one of ``partner_sig``, ``user_sig``, ``partner_secret``, ``user_secret``,
    ``jwt``, ``oauth2``, ``oauth_token``, ``mtls``, ``login_token``,
    ``anonymous`` (API key only), ``client_credentials`` or ``""``
    (authentication failed or not reached);
    ``error_code`` is the answered ``errorCode`` (0 on success, -1 when the
    connection was dropped by an injected fault).
    """

    method: str
    host: str
    path: str
    params: Dict[str, str]
    headers: Dict[str, str]
    auth_mode: str
    error_code: int
    call_id: str = ""
    http_method: str = "POST"
    connection_id: int = 0
    time: float = 0.0
    fault: bool = False


def signature_fingerprint(signature: str) -> str:
    """What a request record keeps of a ``sig``: ``sha256:`` and the first 16 hex digits of its SHA-256."""
    return "sha256:" + hashlib.sha256(signature.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def redact_params(params: Mapping[str, str]) -> Dict[str, str]:
    """A copy of *params* with secret values replaced (``sig`` by its fingerprint)."""
    redacted = {}
    for name, value in params.items():
        lower = name.lower()
        if lower == "sig":
            value = signature_fingerprint(value)
        elif lower in SECRET_NAMES:
            value = REDACTED
        redacted[name] = value
    return redacted


def redact_headers(headers: Mapping[str, str]) -> Dict[str, str]:
    """A copy of *headers* with credentials replaced."""
    return {k: (REDACTED if k.lower() in SECRET_NAMES else v) for k, v in headers.items()}


class RequestLog:
    """Thread-safe list of recorded requests."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: List[RecordedRequest] = []

    def append(self, item: RecordedRequest) -> None:
        """Add one record."""
        with self._lock:
            self._items.append(item)

    def snapshot(self) -> List[RecordedRequest]:
        """A copy of the records so far, oldest first."""
        with self._lock:
            return list(self._items)

    def clear(self) -> None:
        """Forget every record."""
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)
