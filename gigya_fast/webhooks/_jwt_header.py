"""The ``X-Gigya-Sig-JWT`` header's claims against the body they sign (webhooks v2.0).

The token itself (signature, ``iss``, times) is checked by
:func:`gigya_fast.jwt.decode_verified`; what is left is webhook-specific:
``sub`` is the SHA-256 of the raw body (checked on the bytes, before any
parsing) and ``jti`` the body's ``nonce`` (read once the body is vouched for).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any, Dict, Mapping

from ..errors import InvalidTokenError
from ._body import parse_body
from ._common import _E_JTI, _E_SUB

__all__ = ["body_for_claims", "sub_matches"]


def sub_matches(sub: object, body: bytes) -> bool:
    """True when *sub* is the SHA-256 of *body*: base64url (padded or not) or hex, compared in constant time."""
    if not isinstance(sub, str) or not sub.isascii():
        return False
    digest = hashlib.sha256(body).digest()
    b64 = base64.urlsafe_b64encode(digest).rstrip(b"=")
    candidate = sub.encode("ascii")
    if len(candidate) == 64:
        return hmac.compare_digest(candidate.lower(), digest.hex().encode("ascii"))
    return hmac.compare_digest(candidate.rstrip(b"="), b64)


def _same_text(a: str, b: str) -> bool:
    # surrogatepass: a JSON body may spell a lone surrogate ("\ud800"); it compares, it does not raise
    return hmac.compare_digest(a.encode("utf-8", "surrogatepass"), b.encode("utf-8", "surrogatepass"))


def body_for_claims(claims: Mapping[str, Any], body: bytes) -> Dict[str, Any]:
    """The parsed *body* once the verified *claims* vouch for it; ``InvalidTokenError`` otherwise.

    ``sub`` first, on the raw bytes: a body the token does not cover is never
    parsed. Then ``jti == nonce``.
    """
    if not sub_matches(claims.get("sub"), body):
        raise InvalidTokenError(_E_SUB)
    data = parse_body(body)
    nonce, jti = data.get("nonce"), claims.get("jti")
    if not isinstance(nonce, str) or not isinstance(jti, str) or not _same_text(jti, nonce):
        raise InvalidTokenError(_E_JTI)
    return data
