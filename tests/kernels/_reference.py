"""Independent reference computations (standard library only).

Nothing here imports gigya_fast: the expected values in the kernel tests are
computed from the protocol description, not from the code under test.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import List, Tuple

__all__ = [
    "SECRET",
    "OTHER_SECRET",
    "key_of",
    "b64_hmac_sha1",
    "rfc3986",
    "query_string",
    "base_string",
    "uid_signature",
    "friend_signature",
]

_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

# Two valid secrets (standard base64 of arbitrary bytes, including '+' and '/').
SECRET = base64.b64encode(b"gigya_fast test secret \xfb\xff\xfe 0123456789").decode("ascii")
OTHER_SECRET = base64.b64encode(bytes(range(200, 232))).decode("ascii")


def key_of(secret: str) -> bytes:
    """The HMAC key: the base64-decoded secret."""
    return base64.b64decode(secret, validate=True)


def b64_hmac_sha1(secret: str, message: bytes) -> str:
    """base64(HMAC-SHA1(b64decode(secret), message))."""
    return base64.b64encode(hmac.new(key_of(secret), message, hashlib.sha1).digest()).decode("ascii")


def rfc3986(text: str) -> str:
    """Percent-encode the UTF-8 bytes of *text*, byte by byte (unreserved kept, upper-case hex)."""
    return "".join(chr(b) if b in _UNRESERVED else f"%{b:02X}" for b in text.encode("utf-8"))


def query_string(pairs: List[Tuple[str, str]]) -> str:
    """``k=enc(v)`` joined by ``&``, keys sorted by code point."""
    return "&".join(k + "=" + rfc3986(v) for k, v in sorted(pairs))


def base_string(method: str, normalized_url: str, pairs: List[Tuple[str, str]]) -> str:
    """The OAuth1 base string from an already normalised URL and serialised pairs."""
    return method + "&" + rfc3986(normalized_url) + "&" + rfc3986(query_string(pairs))


def uid_signature(secret: str, timestamp: str, uid: str) -> str:
    """UIDSignature over ``<timestamp>_<uid>``."""
    return b64_hmac_sha1(secret, (f"{timestamp}_{uid}").encode())


def friend_signature(secret: str, timestamp: str, friend_uid: str, uid: str) -> str:
    """friendshipSignature over ``<timestamp>_<friend_uid>_<uid>``."""
    return b64_hmac_sha1(secret, (f"{timestamp}_{friend_uid}_{uid}").encode())
