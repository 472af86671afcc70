"""Names shared by the single and batch verification paths: header names,
defaults, fixed error messages and input helpers."""

from __future__ import annotations

from typing import Any, Callable, FrozenSet, List, Sequence, Tuple, TypeVar, Union

__all__ = [
    "HMAC_HEADER",
    "JWT_HEADER",
    "DEFAULT_TOLERANCE",
    "DEFAULT_MAX_BODY_BYTES",
    "REQUIRE_POLICIES",
    "get_header",
]

HMAC_HEADER = "X-Gigya-Sig-Hmac-Sha1"
JWT_HEADER = "X-Gigya-Sig-JWT"
_HMAC_LOWER = HMAC_HEADER.lower()

#: Seconds a notification's body timestamp may differ from now.
DEFAULT_TOLERANCE = 300.0
#: Largest body accepted (CDC sends at most 100 events per notification).
DEFAULT_MAX_BODY_BYTES = 1 << 20
REQUIRE_POLICIES = ("hmac", "jwt", "both", "any")

_VIA_HMAC: FrozenSet[str] = frozenset({"hmac"})
_VIA_JWT: FrozenSet[str] = frozenset({"jwt"})
_VIA_BOTH: FrozenSet[str] = frozenset({"hmac", "jwt"})

R = TypeVar("R")
Item = Union[Tuple[Any, Any], Any]

# Fixed messages: callers group failures by them and they never carry input.
_E_HMAC = "X-Gigya-Sig-Hmac-Sha1 does not match the body"
_E_NO_HMAC = "missing X-Gigya-Sig-Hmac-Sha1 header"
_E_NO_JWT = "missing X-Gigya-Sig-JWT header"
_E_NO_SIG = "no signature header"
_E_TOO_BIG = "body is larger than max_body_bytes"
_E_EMPTY = "body is empty"
_E_STALE = "notification timestamp is outside the tolerance window"
_E_JTI = "webhook JWT jti does not match the body nonce"
_E_SUB = "webhook JWT sub does not match the SHA-256 of the body"


def get_header(headers: Any, name: str) -> str | None:
    """Value of header *name* (any case) in *headers*, or None.

    Tries the exact spelling and the lower-case form first (dicts built by
    frameworks; case-insensitive header objects answer here), then scans the
    keys. ``bytes`` values are decoded as Latin-1. Besides mappings, any object
    with ``get`` and iteration works (e.g. Werkzeug's ``Headers``).
    """
    value = headers.get(name)
    if value is None:
        lower = name.lower()
        value = headers.get(lower)
        if value is None:
            for key in headers:
                if isinstance(key, str) and key.lower() == lower:
                    value = headers[key]
                    break
            else:
                return None
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("latin-1")
    return None


def _body_bytes(body: object) -> bytes:
    if type(body) is bytes:
        return body
    if isinstance(body, (bytes, bytearray, memoryview)):
        return bytes(body)
    raise TypeError(f"body must be bytes, not {type(body).__name__}")


def _unpack(item: object) -> Tuple[object, object]:
    if isinstance(item, tuple) and len(item) == 2:
        return item[0], item[1]
    try:
        return item.body, item.headers  # type: ignore[attr-defined]
    except AttributeError:
        raise TypeError("items must be (body, headers) pairs or have .body and .headers") from None


def with_next_secrets(
    signers: Sequence[Any],
    results: List[R] | None,
    failed: Callable[[R], bool],
    recheck: Callable[[Any, List[int]], List[R] | None],
) -> List[R] | None:
    """Key rotation: *results* came from the first secret; each next signer rechecks
    (``recheck(signer, indices)``) only the results that still *failed*. None when
    *results* or a recheck is None (the caller's general path takes over)."""
    for signer in signers[1:]:
        if results is None:
            return None
        retry = [i for i, result in enumerate(results) if failed(result)]
        if not retry:
            break
        again = recheck(signer, retry)
        if again is None:
            return None
        for i, result in zip(retry, again):
            results[i] = result
    return results
