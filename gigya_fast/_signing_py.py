"""Pure-Python signing kernels (standard library only).

This module is the specification: ``_signing_c.pyx`` exposes the same names
with the same signatures and must give byte-identical results and raise the
same exception classes with the same messages.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import math
import re
import time
from functools import lru_cache
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union
from urllib.parse import quote, urlsplit

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

Timestamp = Union[str, int]
Number = Union[int, float]

# Largest number of decimal digits accepted in a signature timestamp; longer
# values can never be within any window and would overflow the C core.
MAX_TIMESTAMP_DIGITS = 15
_SIGNER_CACHE_SIZE = 64
_STRICT_B64 = re.compile(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?\Z")
_BAD_KEY_CHARS = frozenset("&=%+")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _type_name(value: object) -> str:
    return type(value).__name__


def _require_str(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("%s must be str, not %s" % (name, _type_name(value)))
    return value


def percent_encode(value: str) -> str:
    """RFC 3986 percent-encoding of the UTF-8 bytes of *value* (``A-Za-z0-9-._~`` kept)."""
    _require_str("value", value)
    return quote(str.__str__(value), safe="")


def serialize_value(value: object) -> Optional[str]:
    """The wire form of one parameter value, or ``None`` when it is left out.

    str as is; bool as ``true``/``false``; int in decimal; float as its shortest
    round-trip repr (NaN and infinities rejected); dict/list/tuple as compact
    JSON with non-ASCII kept; ``None`` means "do not send".
    """
    if value is None:
        return None
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("float parameter values must be finite, not %r" % value)
        return float.__repr__(value)
    if isinstance(value, (dict, list, tuple)):
        try:
            return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
        except ValueError:
            raise ValueError("JSON parameter values must not contain NaN or infinities") from None
    raise TypeError("parameter values must be str, int, float, bool, None, dict or list, not %s" % _type_name(value))


def _check_key(key: object) -> str:
    if not isinstance(key, str):
        raise TypeError("parameter names must be str, not %s" % _type_name(key))
    if not key or not _BAD_KEY_CHARS.isdisjoint(key):
        raise ValueError("parameter names must be non-empty and contain none of & = %% +: %r" % key)
    return key


def build_query_string(params: Mapping[str, object]) -> str:
    """``k1=enc(v1)&k2=enc(v2)...``: keys sorted by code point, ``sig`` and ``None`` values left out.

    This is both the signed parameter string and the request body (before ``sig``).
    """
    if not isinstance(params, Mapping):
        raise TypeError("params must be a mapping, not %s" % _type_name(params))
    pairs = []
    for key in params:
        _check_key(key)
        if key == "sig":
            continue
        text = serialize_value(params[key])
        if text is not None:
            pairs.append((key, text))
    pairs.sort()
    return "&".join([k + "=" + quote(v, safe="") for k, v in pairs])


def normalize_url(url: str) -> str:
    """Lower-case scheme and host, default port dropped, path kept (``/`` when empty).

    Query string and fragment are not part of the signed URL.
    """
    return _normalize_url(_require_str("url", url))


@lru_cache(maxsize=256)
def _normalize_url(url: str) -> str:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise ValueError("invalid URL: %s" % exc) from None
    scheme = parts.scheme.lower()
    host = parts.hostname
    if scheme not in _DEFAULT_PORTS or not host:
        raise ValueError("URL must be absolute http:// or https:// with a host: %r" % url)
    if ":" in host:
        host = "[" + host + "]"
    netloc = host if port is None or port == _DEFAULT_PORTS[scheme] else "%s:%d" % (host, port)
    return "%s://%s%s" % (scheme, netloc, parts.path or "/")


def build_base_string(http_method: str, url: str, params: Mapping[str, object]) -> str:
    """The OAuth1-style base string CDC signs: ``METHOD&enc(url)&enc(query string)``."""
    _require_str("http_method", http_method)
    _require_str("url", url)
    query = build_query_string(params)
    return http_method.upper() + "&" + quote(_normalize_url(url), safe="") + "&" + quote(query, safe="")


def _decode_secret(secret: object) -> bytes:
    _require_str("secret", secret)
    assert isinstance(secret, str)
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


def _timestamp_text(timestamp: object) -> str:
    if isinstance(timestamp, bool) or not isinstance(timestamp, (str, int)):
        raise TypeError("timestamp must be str or int, not %s" % _type_name(timestamp))
    if isinstance(timestamp, int):
        return int.__repr__(timestamp)
    return str.__str__(timestamp)


def _timestamp_in_window(text: str, expiration: Optional[Number], now: Optional[Number]) -> bool:
    if expiration is None:
        return True
    if not (0 < len(text) <= MAX_TIMESTAMP_DIGITS and text.isascii() and text.isdigit()):
        return False
    current = time.time() if now is None else now
    return abs(current - int(text)) <= expiration


def _check_window_args(expiration: object, now: object) -> None:
    if expiration is not None and (isinstance(expiration, bool) or not isinstance(expiration, (int, float))):
        raise TypeError("expiration must be int, float or None, not %s" % _type_name(expiration))
    if now is not None and (isinstance(now, bool) or not isinstance(now, (int, float))):
        raise TypeError("now must be int, float or None, not %s" % _type_name(now))


def _signature_bytes(signature: object) -> Optional[bytes]:
    """The ASCII bytes of a candidate signature, or None when it cannot match."""
    if not isinstance(signature, str) or not str.isascii(signature):
        return None
    return str.encode(signature, "ascii")


def _check_threads(threads: object) -> None:
    if isinstance(threads, bool) or not isinstance(threads, int):
        raise TypeError("threads must be int, not %s" % _type_name(threads))
    if threads < 1:
        raise ValueError("threads must be at least 1")


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
        _require_str("base_string", base_string)
        return self._digest_b64(str.encode(base_string, "utf-8")).decode("ascii")

    def sign_bytes(self, message: bytes) -> str:
        """base64(HMAC-SHA1(secret, *message*)), e.g. a webhook body."""
        if not isinstance(message, (bytes, bytearray)):
            raise TypeError("message must be bytes, not %s" % _type_name(message))
        return self._digest_b64(bytes(message)).decode("ascii")

    def sign_request(self, http_method: str, url: str, params: Mapping[str, object]) -> Tuple[str, str]:
        """Return ``(query_string, sig)`` for a request: the body is ``query_string + "&sig=" + enc(sig)``."""
        _require_str("http_method", http_method)
        _require_str("url", url)
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
        _require_str("uid", uid)
        text = _timestamp_text(timestamp)
        _check_window_args(expiration, now)
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
        _require_str("uid", uid)
        text = _timestamp_text(timestamp)
        _require_str("friend_uid", friend_uid)
        _check_window_args(expiration, now)
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
        """Validate many UIDSignatures at once; results in input order."""
        _check_threads(threads)
        _check_window_args(expiration, now)
        uids, timestamps, signatures = list(uids), list(timestamps), list(signatures)
        if not len(uids) == len(timestamps) == len(signatures):
            raise ValueError("uids, timestamps and signatures must have the same length")
        texts = []
        for uid, timestamp in zip(uids, timestamps):
            _require_str("uid", uid)
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
        """Check base64 HMAC-SHA1 *signatures* over raw *messages* (webhook bodies)."""
        _check_threads(threads)
        messages, signatures = list(messages), list(signatures)
        if len(messages) != len(signatures):
            raise ValueError("messages and signatures must have the same length")
        for message in messages:
            if not isinstance(message, (bytes, bytearray)):
                raise TypeError("messages must be bytes, not %s" % _type_name(message))
        return [self._matches(bytes(m), s) for m, s in zip(messages, signatures)]


_signers: Dict[str, Signer] = {}


def _signer_for(secret: object) -> Signer:
    if isinstance(secret, str):
        signer = _signers.get(secret)
        if signer is not None:
            return signer
    signer = Signer(secret)  # type: ignore[arg-type]
    if len(_signers) >= _SIGNER_CACHE_SIZE:
        _signers.clear()
    _signers[secret] = signer  # type: ignore[index]
    return signer


def calc_signature(base_string: str, secret: str) -> str:
    """base64(HMAC-SHA1(base64decode(secret), UTF-8 of *base_string*))."""
    _require_str("base_string", base_string)
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
    """True when *signature* is the UIDSignature of (*uid*, *timestamp*) and the timestamp is within *expiration* s of now."""
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
    _check_window_args(None, now)
    current = time.time() if now is None else now
    return int(current) + timeout_seconds  # type: ignore[call-overload,no-any-return]


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
    _require_str("user_key", user_key)
    signer = _signer_for(secret)
    return "%d_%s_%s" % (expiry, user_key, signer.sign("%s_%d_%s" % (token, expiry, user_key)))


def kernel_info() -> Dict[str, str]:
    """Which implementation and SHA-1 backend are in use."""
    return {"implementation": IMPLEMENTATION, "sha1": "hashlib (%s)" % hashlib.sha1().name}
