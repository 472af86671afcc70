"""RS256 JWT verification for CDC id_tokens (and the webhook ``X-Gigya-Sig-JWT``).

The algorithm is fixed to RS256 whatever the token's header says, the
signature is checked before any claim is looked at, and every failure raises
its own subclass of :class:`~gigya_fast.errors.InvalidTokenError`.
"""

from __future__ import annotations

import logging
import math
import time
from typing import Any, Dict, FrozenSet, Iterable, NamedTuple, Tuple, Union

from .. import _jose
from ..errors import (
    ExpiredToken,
    ImmatureToken,
    InvalidAlgorithm,
    InvalidAudience,
    InvalidIssuer,
    InvalidTokenSignature,
    MalformedToken,
)
from ._keys import resolve_key, resolve_key_async
from ._times import Number, seconds

__all__ = [
    "DEFAULT_LEEWAY",
    "issuer_for",
    "decode_verified",
    "decode_verified_async",
    "verify_id_token",
    "verify_id_token_async",
]

logger = logging.getLogger(__name__)

#: Default allowance, in seconds, for clock differences on exp/iat/nbf.
DEFAULT_LEEWAY = 30.0

#: Longest token accepted before any parsing (CDC id_tokens are ~1-2 KB).
MAX_TOKEN_LENGTH = 16384


def issuer_for(api_key: str) -> str:
    """The ``iss`` CDC puts in tokens of *api_key*: ``https://fidm.gigya.com/jwt/<apiKey>/``."""
    if not isinstance(api_key, str) or not api_key:
        raise ValueError("api_key must be a non-empty str")
    return f"https://fidm.gigya.com/jwt/{api_key}/"


def _number_claim(claims: Dict[str, Any], name: str, required: bool) -> float | None:
    value = claims.get(name)
    if value is None:
        if required:
            raise MalformedToken(f"token has no {name} claim")
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise MalformedToken(f"token {name} claim is not a number")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):  # json reads NaN and Infinity: never let one open a window
        raise MalformedToken(f"token {name} claim is not a finite number")
    return number


class _Unverified(NamedTuple):
    """A token read as far as it may be before its key is known: nothing in it is trusted yet."""

    header: Dict[str, Any]
    claims_segment: str
    signing_input: bytes
    signature: bytes
    kid: str
    data_center: str | None


def _read(token: object) -> _Unverified:
    """Structure, algorithm and key id: all that is checked before the key is looked up."""
    if isinstance(token, str) and len(token) > MAX_TOKEN_LENGTH:
        raise MalformedToken("token is too long")
    header, claims_segment, signing_input, signature = _jose.split_segments(token)
    if header.get("alg") != "RS256":
        raise InvalidAlgorithm("token algorithm must be RS256")
    if "crit" in header:
        raise MalformedToken("token header has unsupported critical extensions")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise MalformedToken("token header has no kid")
    dc = header.get("dc")
    return _Unverified(header, claims_segment, signing_input, signature, kid, dc if isinstance(dc, str) else None)


def _verified_claims(
    token: _Unverified, key: Any, issuer: str, grace: float, current: float, require_exp: bool
) -> Dict[str, Any]:
    """The signature with *key*, then the claims: ``iss``, ``exp``, ``nbf``/``iat``."""
    if not token.signature or not _jose.verify_rs256(token.signing_input, token.signature, key):
        raise InvalidTokenSignature("token signature does not verify")
    claims = _jose.json_segment(token.claims_segment)
    if claims.get("iss") != issuer:
        raise InvalidIssuer("token issuer is not the expected one")
    exp = _number_claim(claims, "exp", require_exp)
    if exp is not None and current > exp + grace:
        raise ExpiredToken("token has expired")
    nbf = _number_claim(claims, "nbf", False)
    if nbf is not None and current < nbf - grace:
        raise ImmatureToken("token is not valid yet (nbf)")
    iat = _number_claim(claims, "iat", False)
    if iat is not None and current < iat - grace:
        raise ImmatureToken("token was issued in the future (iat)")
    return claims


def _clock(leeway: object, now: object) -> Tuple[float, float]:
    """(leeway, current time), both checked finite and non-negative."""
    grace = float(seconds("leeway", leeway))
    return grace, time.time() if now is None else float(seconds("now", now))


def decode_verified(
    token: object,
    *,
    jwks: object,
    issuer: str,
    leeway: Number = DEFAULT_LEEWAY,
    now: Number | None = None,
    require_exp: bool = True,
) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    """Verify an RS256 compact JWS and its registered time/issuer claims.

    Order: structure, algorithm, key id, key, signature, then ``iss``, ``exp``,
    ``nbf``/``iat``. Only the header is parsed before the signature check;
    the claims once it passed. Returns ``(header, claims)``. *leeway* and
    *now* must be finite and non-negative (``ValueError``): a NaN would make
    every time check pass.
    """
    grace, current = _clock(leeway, now)
    unverified = _read(token)
    key = resolve_key(jwks, unverified.kid, unverified.data_center)
    return unverified.header, _verified_claims(unverified, key, issuer, grace, current, require_exp)


async def decode_verified_async(
    token: object,
    *,
    jwks: object,
    issuer: str,
    leeway: Number = DEFAULT_LEEWAY,
    now: Number | None = None,
    require_exp: bool = True,
) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    """:func:`decode_verified` for asyncio code: the key is looked up without blocking the loop
    (see :func:`~gigya_fast.jwt.resolve_key_async`)."""
    grace, current = _clock(leeway, now)
    unverified = _read(token)
    key = await resolve_key_async(jwks, unverified.kid, unverified.data_center)
    return unverified.header, _verified_claims(unverified, key, issuer, grace, current, require_exp)


def _audiences(audience: Union[str, Iterable[str], None]) -> FrozenSet[str] | None:
    if audience is None:
        return None
    accepted = frozenset([audience] if isinstance(audience, str) else audience)
    if not accepted or not all(isinstance(a, str) for a in accepted):
        raise ValueError("audience must be a str or a non-empty iterable of str")
    return accepted


def _check_audience(claims: Dict[str, Any], accepted: FrozenSet[str] | None) -> Dict[str, Any]:
    if accepted is not None:
        aud = claims.get("aud")
        values = [aud] if isinstance(aud, str) else aud if isinstance(aud, list) else None
        if not values or not any(isinstance(v, str) and v in accepted for v in values):
            raise InvalidAudience("token audience is not the expected one")
    logger.debug("id_token verified (kid ok, iss ok)")
    return claims


def verify_id_token(
    token: str,
    *,
    api_key: str,
    jwks: object,
    audience: Union[str, Iterable[str], None] = None,
    leeway: Number = DEFAULT_LEEWAY,
    now: Number | None = None,
    issuer: str | None = None,
) -> Dict[str, Any]:
    """Verify a CDC id_token (from ``accounts.getJWT``) and return its claims.

    :param token: the compact JWT.
    :param api_key: the site's API key; ``iss`` must be
        ``https://fidm.gigya.com/jwt/<api_key>/`` (or *issuer* when given).
    :param jwks: a :class:`JWKSCache`, a JWKS document, a ``kid -> key`` mapping
        or a ``kid -> key`` callable.
    :param audience: when given, ``aud`` must be (or contain) one of these.
    :param leeway: seconds of clock difference allowed on ``exp``/``iat``/``nbf``
        (finite, non-negative: ``ValueError`` otherwise).
    :param now: the current Unix time (tests); defaults to ``time.time()``
        (finite, non-negative: ``ValueError`` otherwise).

    RS256 only: the header's ``alg`` is checked, never used to pick an
    algorithm. Raises :class:`~gigya_fast.errors.MalformedToken`,
    :class:`~gigya_fast.errors.InvalidAlgorithm`, :class:`~gigya_fast.errors.UnknownKeyId`,
    :class:`~gigya_fast.errors.InvalidTokenSignature`, :class:`~gigya_fast.errors.InvalidIssuer`,
    :class:`~gigya_fast.errors.ExpiredToken`, :class:`~gigya_fast.errors.ImmatureToken` or
    :class:`~gigya_fast.errors.InvalidAudience` (all :class:`~gigya_fast.errors.SignatureError`).
    """
    expected_issuer = issuer if issuer is not None else issuer_for(api_key)
    accepted = _audiences(audience)
    _, claims = decode_verified(token, jwks=jwks, issuer=expected_issuer, leeway=leeway, now=now)
    return _check_audience(claims, accepted)


async def verify_id_token_async(
    token: str,
    *,
    api_key: str,
    jwks: object,
    audience: Union[str, Iterable[str], None] = None,
    leeway: Number = DEFAULT_LEEWAY,
    now: Number | None = None,
    issuer: str | None = None,
) -> Dict[str, Any]:
    """:func:`verify_id_token` for asyncio code (async login endpoints).

    The same checks and errors; the key is looked up without blocking the
    running loop: awaited from a cache built with
    :meth:`JWKSCache.from_async_client`, in the default executor for a
    blocking key source.
    """
    expected_issuer = issuer if issuer is not None else issuer_for(api_key)
    accepted = _audiences(audience)
    _, claims = await decode_verified_async(token, jwks=jwks, issuer=expected_issuer, leeway=leeway, now=now)
    return _check_audience(claims, accepted)
