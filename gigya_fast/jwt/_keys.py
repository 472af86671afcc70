"""Turning what callers hand us as "the keys" into one RSA public key.

``jwks`` may be a :class:`~gigya_fast.jwt.JWKSCache`, a JWKS document
(``{"keys": [...]}``, as ``accounts.getJWTPublicKey`` with ``V2=true``
answers), a mapping ``kid -> key`` (a JWK mapping, a PEM string or an RSA
public key object), or a callable ``kid -> key | None``.
"""

from __future__ import annotations

import logging
from typing import Any, Callable, Dict, Mapping, Protocol, Union

from .. import _jose
from ..errors import ConfigurationError, UnknownKeyId

__all__ = [
    "KeySource",
    "KeyProvider",
    "jwk_to_key",
    "keys_from_jwks",
    "key_source",
    "resolve_key",
    "resolve_key_async",
    "is_rsa_public_key",
]

logger = logging.getLogger(__name__)

#: Anything :func:`resolve_key` accepts as the source of public keys.
KeySource = Union["KeyProvider", Mapping[str, Any], Callable[[str], Any]]


class KeyProvider(Protocol):
    """Anything with ``get_key(kid, data_center)``, like :class:`~gigya_fast.jwt.JWKSCache`."""

    def get_key(self, kid: str, data_center: str | None = None) -> Any:
        """The RSA public key for *kid*; raises ``UnknownKeyId`` when there is none."""


def is_rsa_public_key(value: object) -> bool:
    """True when *value* is a ``cryptography`` RSA public key object."""
    try:
        from cryptography.hazmat.primitives.asymmetric import rsa
    except ImportError:  # pragma: no cover - depends on the environment
        return False
    return isinstance(value, rsa.RSAPublicKey)


def jwk_to_key(jwk: Mapping[str, Any]) -> Any:
    """The RSA public key of one JWK; ``ValueError`` when it is not an RS256 signing key."""
    alg = jwk.get("alg")
    if alg is not None and alg != "RS256":
        raise ValueError("JWK is not an RS256 key")
    use = jwk.get("use")
    if use is not None and use != "sig":
        raise ValueError("JWK is not a signing key")
    return _jose.public_key_from_jwk(jwk)


def keys_from_jwks(document: object) -> Dict[str, Any]:
    """``kid -> RSA public key`` for every usable key of a JWKS document.

    Accepts ``{"keys": [...]}``, a bare list of JWKs, or a single JWK with a
    ``kid`` (the pre-V2 answer). Keys that are not RS256 signing keys or have
    no ``kid`` are skipped; a document with no usable key at all is an error.
    """
    if isinstance(document, Mapping):
        if "keys" in document:
            entries = document["keys"]
        elif "n" in document and "e" in document:
            entries = [document]
        else:
            raise ValueError("JWKS document has no 'keys' member")
    else:
        entries = document
    if not isinstance(entries, (list, tuple)):
        raise ValueError("JWKS 'keys' must be a list")
    keys: Dict[str, Any] = {}
    for entry in entries:
        if not isinstance(entry, Mapping) or not isinstance(entry.get("kid"), str):
            logger.debug("skipping a JWKS entry without a kid")
            continue
        try:
            keys[entry["kid"]] = jwk_to_key(entry)
        except ValueError as exc:
            logger.debug("skipping JWKS entry %s: %s", entry["kid"], exc)
    if not keys:
        raise ValueError("JWKS document holds no usable RS256 key")
    return keys


def _coerce_key(value: object) -> Any:
    if value is None:
        return None
    if isinstance(value, Mapping):
        try:
            return jwk_to_key(value)
        except ValueError:
            return None
    if isinstance(value, (str, bytes)):
        try:
            return _jose.load_public_key(value)
        except ValueError:
            return None
    if is_rsa_public_key(value):
        return value
    return None


def _is_provider(jwks: object) -> bool:
    return callable(getattr(jwks, "get_key", None)) and not isinstance(jwks, Mapping)


def key_source(jwks: object) -> Any:
    """*jwks* checked once and made ready for :func:`resolve_key` (for long-lived verifiers).

    A key provider (``get_key``) or a callable is returned as is. A JWKS
    document (``{"keys": [...]}`` or one JWK) becomes a ``kid -> key`` dict
    of its usable keys; a ``kid -> key`` mapping becomes a dict in which every
    value is a key. ``ConfigurationError`` when a document has no usable key
    or a mapping value is not a key, ``TypeError`` for anything else.
    """
    if _is_provider(jwks):
        return jwks
    if isinstance(jwks, Mapping):
        if "keys" in jwks or ("n" in jwks and "e" in jwks):
            try:
                return keys_from_jwks(jwks)
            except ValueError as exc:
                raise ConfigurationError(f"jwks: {exc}") from None
        keys: Dict[str, Any] = {}
        for kid, value in list(jwks.items()):
            key = _coerce_key(value)
            if not isinstance(kid, str) or key is None:
                raise ConfigurationError(
                    "jwks: a kid -> key mapping needs str kids and RSA public keys (JWK, PEM or key object)"
                )
            keys[kid] = key
        if not keys:
            raise ConfigurationError("jwks: the mapping holds no key")
        return keys
    if callable(jwks):
        return jwks
    raise TypeError(f"jwks must be a JWKSCache, a mapping or a callable, not {type(jwks).__name__}")


def resolve_key(jwks: object, kid: str, data_center: str | None = None) -> Any:
    """The RSA public key for *kid* from any supported key source.

    Raises :class:`~gigya_fast.errors.UnknownKeyId` when the source has no
    usable key with that id. Errors of the source itself (a failing fetch)
    propagate unchanged.
    """
    if _is_provider(jwks):
        return jwks.get_key(kid, data_center)  # type: ignore[attr-defined]
    if isinstance(jwks, Mapping):
        if isinstance(jwks.get("keys"), (list, tuple)):
            try:
                key = keys_from_jwks(jwks).get(kid)
            except ValueError:
                key = None
        else:
            key = _coerce_key(jwks.get(kid))
    elif callable(jwks):
        key = _coerce_key(jwks(kid))
    else:
        raise TypeError(f"jwks must be a JWKSCache, a mapping or a callable, not {type(jwks).__name__}")
    if key is None:
        raise UnknownKeyId("no public key with the token's kid")
    return key


async def resolve_key_async(jwks: object, kid: str, data_center: str | None = None) -> Any:
    """:func:`resolve_key` for asyncio code, never blocking the running loop.

    A source with ``get_key_async`` (a :class:`~gigya_fast.jwt.JWKSCache`) is
    awaited; a mapping is read in place (no I/O); any other provider or
    callable may block, so it runs in the loop's default executor.
    """
    import asyncio  # here: sync users do not pay for it

    get_key_async = getattr(jwks, "get_key_async", None)
    if callable(get_key_async) and not isinstance(jwks, Mapping):
        return await get_key_async(kid, data_center)
    if isinstance(jwks, Mapping):
        return resolve_key(jwks, kid, data_center)
    return await asyncio.get_running_loop().run_in_executor(None, resolve_key, jwks, kid, data_center)
