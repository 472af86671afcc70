"""Pure-Python signing kernels (standard library only).

This module is the specification: ``_signing_c.pyx`` exposes the same names
with the same signatures and must give byte-identical results and raise the
same exception classes with the same messages. Two helper modules hold parts of
it, and the names are re-exported here: ``_checks_py`` (argument checks, the
timestamp window) and ``_serialize_py`` (parameter values, the query string, the
signed URL and the base string).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import time
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple
from urllib.parse import quote

from ._checks_py import MAX_TIMESTAMP_DIGITS as MAX_TIMESTAMP_DIGITS
from ._checks_py import (
    Number,
    Timestamp,
    _check_threads,
    _check_window_args,
    _exact_bytes,
    _require_str,
    _signature_bytes,
    _timestamp_in_window,
    _timestamp_text,
    _type_name,
)
from ._serialize_py import (
    _normalize_url,
    build_base_string,
    build_query_string,
    normalize_url,
    percent_encode,
    serialize_value,
)
from .errors import InvalidSecretError

__all__ = [
    "IMPLEMENTATION",
    "Signer",
    "percent_encode",
    "serialize_value",
    "build_query_string",
    "build_base_string",
    "normalize_url",
    "calc_signature",
    "validate_user_signature",
    "validate_friend_signature",
    "validate_user_signatures",
    "get_dynamic_session_signature",
    "get_dynamic_session_signature_user_signed",
    "kernel_info",
]

IMPLEMENTATION = "python"

_SIGNER_CACHE_SIZE = 64
_STRICT_B64 = re.compile(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?\Z")


def _decode_secret(secret: object) -> bytes:
    secret = _require_str("secret", secret)
    if not secret:
        raise InvalidSecretError("secret is empty")
    if len(secret) % 4:
        raise InvalidSecretError("secret is not valid base64: its length is not a multiple of 4")
    if not _STRICT_B64.match(secret):
        raise InvalidSecretError("secret is not valid base64: it has characters outside the standard alphabet")
    try:
        return base64.b64decode(secret, validate=True)
    except binascii.Error:  # pragma: no cover - the regex already guarantees validity
        raise InvalidSecretError("secret is not valid base64") from None


class Signer:
    """HMAC-SHA1 signer/validator for one base64 secret.

    Immutable and safe to share between threads. The secret is decoded once;
    it never appears in ``repr()`` or in error messages.
    """

    __slots__ = ("_key",)

    _key: bytes

    def __init__(self, secret: str) -> None:
        if hasattr(self, "_key"):  # calling __init__ again must not re-key a shared Signer
            raise AttributeError("Signer is immutable")
        object.__setattr__(self, "_key", _decode_secret(secret))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Signer is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("Signer is immutable")

    def __repr__(self) -> str:
        return "<Signer secret=***>"

    def __reduce__(self) -> Any:
        raise TypeError("Signer cannot be pickled (it holds a secret)")

    def _digest_b64(self, message: bytes) -> bytes:
        return base64.b64encode(hmac.digest(self._key, message, "sha1"))

    def sign(self, base_string: str) -> str:
        """base64(HMAC-SHA1(secret, UTF-8 of *base_string*))."""
        base_string = _require_str("base_string", base_string)
        return self._digest_b64(base_string.encode("utf-8")).decode("ascii")

    def sign_bytes(self, message: bytes) -> str:
        """base64(HMAC-SHA1(secret, *message*)), e.g. a webhook body."""
        return self._digest_b64(_exact_bytes("message", message)).decode("ascii")

    def sign_request(self, http_method: str, url: str, params: Mapping[str, object]) -> Tuple[str, str]:
        """Return ``(query_string, sig)`` for a request: the body is ``query_string + "&sig=" + enc(sig)``."""
        http_method = _require_str("http_method", http_method)
        url = _require_str("url", url)
        query = build_query_string(params)
        base = http_method.upper() + "&" + quote(_normalize_url(url), safe="") + "&" + quote(query, safe="")
        return query, self._digest_b64(base.encode("utf-8")).decode("ascii")

    def _matches(self, message: bytes, signature: object) -> bool:
        candidate = _signature_bytes(signature)
        if candidate is None:
            return False
        return hmac.compare_digest(self._digest_b64(message), candidate)

    def validate_user(
        self,
        uid: str,
        timestamp: Timestamp,
        signature: Optional[str],
        expiration: Optional[Number] = 300,
        *,
        now: Optional[Number] = None,
    ) -> bool:
        """Check a UIDSignature over ``<timestamp>_<uid>`` and the timestamp window."""
        uid = _require_str("uid", uid)
        text = _timestamp_text(timestamp)
        expiration, now = _check_window_args(expiration, now)
        if not _timestamp_in_window(text, expiration, now):
            return False
        return self._matches((text + "_" + uid).encode("utf-8"), signature)

    def validate_friend(
        self,
        uid: str,
        timestamp: Timestamp,
        friend_uid: str,
        signature: Optional[str],
        expiration: Optional[Number] = 300,
        *,
        now: Optional[Number] = None,
    ) -> bool:
        """Check a friendshipSignature over ``<timestamp>_<friend_uid>_<uid>`` and the window."""
        uid = _require_str("uid", uid)
        text = _timestamp_text(timestamp)
        friend_uid = _require_str("friend_uid", friend_uid)
        expiration, now = _check_window_args(expiration, now)
        if not _timestamp_in_window(text, expiration, now):
            return False
        return self._matches((text + "_" + friend_uid + "_" + uid).encode("utf-8"), signature)

    def validate_users(
        self,
        uids: Sequence[str],
        timestamps: Sequence[Timestamp],
        signatures: Sequence[Optional[str]],
        *,
        expiration: Optional[Number] = 300,
        now: Optional[Number] = None,
        threads: int = 1,
    ) -> List[bool]:
        """Validate many UIDSignatures at once; results in input order.

        The compiled kernels run the HMACs without the GIL on *threads* native threads.
        """
        _check_threads(threads)
        expiration, now = _check_window_args(expiration, now)
        # the batch reads its own copies: a finalizer or another thread may change the caller's
        uids, timestamps, signatures = list(uids), list(timestamps), list(signatures)
        if not len(uids) == len(timestamps) == len(signatures):
            raise ValueError("uids, timestamps and signatures must have the same length")
        texts = []
        for i, (uid, timestamp) in enumerate(zip(uids, timestamps)):
            uids[i] = _require_str("uid", uid)
            texts.append(_timestamp_text(timestamp))
        current = time.time() if now is None else now
        return [
            _timestamp_in_window(text, expiration, current)
            and self._matches((text + "_" + uid).encode("utf-8"), signature)
            for uid, text, signature in zip(uids, texts, signatures)
        ]

    def verify_hmacs(
        self,
        messages: Sequence[bytes],
        signatures: Sequence[Optional[str]],
        *,
        threads: int = 1,
    ) -> List[bool]:
        """Check base64 HMAC-SHA1 *signatures* over raw *messages* (webhook bodies).

        The compiled kernels run the HMACs without the GIL on *threads* native threads.
        """
        _check_threads(threads)
        messages, signatures = list(messages), list(signatures)
        if len(messages) != len(signatures):
            raise ValueError("messages and signatures must have the same length")
        bodies = [_exact_bytes("messages", message) for message in messages]
        return [self._matches(m, s) for m, s in zip(bodies, signatures)]


_signers: Dict[str, Signer] = {}


def _signer_for(secret: object) -> Signer:
    """A cached Signer per secret; a str subclass is looked up by its real characters
    (its own __hash__/__eq__ never decide which key is used)."""
    secret = _require_str("secret", secret)
    signer = _signers.get(secret)
    if signer is not None:
        return signer
    signer = Signer(secret)
    if len(_signers) >= _SIGNER_CACHE_SIZE:
        _signers.clear()
    _signers[secret] = signer
    return signer


def calc_signature(base_string: str, secret: str) -> str:
    """base64(HMAC-SHA1(base64decode(secret), UTF-8 of *base_string*))."""
    base_string = _require_str("base_string", base_string)
    return _signer_for(secret).sign(base_string)


def validate_user_signature(
    uid: str,
    timestamp: Timestamp,
    secret: str,
    signature: Optional[str],
    expiration: Optional[Number] = 300,
    *,
    now: Optional[Number] = None,
) -> bool:
    """True when *signature* is the UIDSignature of (*uid*, *timestamp*) and the
    timestamp is within *expiration* s of now."""
    _require_str("uid", uid)
    _timestamp_text(timestamp)
    return _signer_for(secret).validate_user(uid, timestamp, signature, expiration, now=now)


def validate_friend_signature(
    uid: str,
    timestamp: Timestamp,
    friend_uid: str,
    secret: str,
    signature: Optional[str],
    expiration: Optional[Number] = 300,
    *,
    now: Optional[Number] = None,
) -> bool:
    """True when *signature* is the friendshipSignature of (*uid*, *friend_uid*, *timestamp*) within the window."""
    _require_str("uid", uid)
    _timestamp_text(timestamp)
    _require_str("friend_uid", friend_uid)
    return _signer_for(secret).validate_friend(uid, timestamp, friend_uid, signature, expiration, now=now)


def validate_user_signatures(
    uids: Sequence[str],
    timestamps: Sequence[Timestamp],
    signatures: Sequence[Optional[str]],
    secret: str,
    *,
    expiration: Optional[Number] = 300,
    now: Optional[Number] = None,
    threads: int = 1,
) -> List[bool]:
    """Batch form of :func:`validate_user_signature` (see ``Signer.validate_users``)."""
    return _signer_for(secret).validate_users(
        uids, timestamps, signatures, expiration=expiration, now=now, threads=threads
    )


def _expiry(timeout_seconds: object, now: object) -> int:
    if isinstance(timeout_seconds, bool) or not isinstance(timeout_seconds, int):
        raise TypeError("timeout_seconds must be int, not %s" % _type_name(timeout_seconds))
    _, now = _check_window_args(None, now)
    current = time.time() if now is None else now
    return int(current) + int.__int__(timeout_seconds)


def _login_token(glt_cookie: object) -> str:
    return _require_str("glt_cookie", glt_cookie).split("|", 1)[0]


def get_dynamic_session_signature(
    glt_cookie: str, timeout_seconds: int, secret: str, *, now: Optional[Number] = None
) -> str:
    """Value of the ``gltexp_<apiKey>`` cookie, signed with the partner secret: ``<exp>_<sig>``."""
    token = _login_token(glt_cookie)
    expiry = _expiry(timeout_seconds, now)
    signer = _signer_for(secret)
    return "%d_%s" % (expiry, signer.sign("%s_%d" % (token, expiry)))


def get_dynamic_session_signature_user_signed(
    glt_cookie: str, timeout_seconds: int, user_key: str, secret: str, *, now: Optional[Number] = None
) -> str:
    """``gltexp_<apiKey>`` cookie value signed with a user key's secret: ``<exp>_<userKey>_<sig>``."""
    token = _login_token(glt_cookie)
    expiry = _expiry(timeout_seconds, now)
    user_key = _require_str("user_key", user_key)
    signer = _signer_for(secret)
    return "%d_%s_%s" % (expiry, user_key, signer.sign("%s_%d_%s" % (token, expiry, user_key)))


def kernel_info() -> Dict[str, str]:
    """Which implementation and SHA-1 backend are in use."""
    # SHA-1 is what CDC's signature protocol mandates (HMAC-SHA1); this only names the backend.
    sha1 = hashlib.sha1().name  # noqa: S324
    return {"implementation": IMPLEMENTATION, "sha1": "hashlib (%s)" % sha1}
