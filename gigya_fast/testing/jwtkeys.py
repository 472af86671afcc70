"""The server's RSA signing key: id_tokens, JWKS and webhook JWTs.

Needs ``cryptography`` (the ``jwt`` extra); the key is generated the first
time it is needed, so a server that never issues JWTs works without it.
"""

from __future__ import annotations

import secrets
import threading
from typing import Any, Dict, List, Mapping, Tuple

from .. import _jose

__all__ = ["JWTIssuer", "issuer_for"]


def issuer_for(api_key: str) -> str:
    """The ``iss`` claim CDC puts in its JWTs for *api_key*."""
    return f"https://fidm.gigya.com/jwt/{api_key}/"


def _generate_key() -> Any:
    _jose._crypto()  # MissingDependencyError with a clear message when cryptography is absent
    from cryptography.hazmat.primitives.asymmetric import rsa

    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class JWTIssuer:
    """Signs RS256 tokens with the current key; publishes every kept key."""

    def __init__(self, api_key: str, data_center: str) -> None:
        self.api_key = api_key
        self.data_center = data_center
        self._lock = threading.Lock()
        self._keys: List[Tuple[str, Any]] = []  # newest first

    def __repr__(self) -> str:
        return f"<JWTIssuer keys={len(self._keys)}>"

    def _current(self) -> Tuple[str, Any]:
        with self._lock:
            if not self._keys:
                self._keys.append((secrets.token_hex(8).upper(), _generate_key()))
            return self._keys[0]

    @property
    def kid(self) -> str:
        """The ``kid`` of the current signing key."""
        return self._current()[0]

    def rotate(self, keep_old: bool = True) -> str:
        """Switch to a new key (the old one stays published when *keep_old*); returns the new kid."""
        key = (secrets.token_hex(8).upper(), _generate_key())
        with self._lock:
            self._keys = [key] + (self._keys if keep_old else [])
        return key[0]

    def drop_old_keys(self) -> None:
        """Stop publishing every key but the current one."""
        with self._lock:
            del self._keys[1:]

    def jwks(self) -> Dict[str, Any]:
        """``{"keys": [jwk, ...]}``: the V2 answer of ``accounts.getJWTPublicKey``."""
        self._current()
        with self._lock:
            keys = list(self._keys)
        return {"keys": [_jose.public_jwk(private.public_key(), kid) for kid, private in keys]}

    def legacy_public_key(self) -> Dict[str, Any]:
        """The current key's JWK fields at top level (``accounts.getJWTPublicKey`` without V2)."""
        kid, private = self._current()
        return dict(_jose.public_jwk(private.public_key(), kid))

    def sign(self, claims: Mapping[str, Any], headers: Mapping[str, Any] | None = None) -> str:
        """An RS256 JWT over *claims* with the current key (``kid`` in the header)."""
        kid, private = self._current()
        header: Dict[str, Any] = {"kid": kid}
        header.update(headers or {})
        return _jose.encode_rs256(claims, private, header)

    def id_token(
        self, uid: str, now: float, expiration: int = 300, extra_claims: Mapping[str, Any] | None = None
    ) -> str:
        """An id_token for *uid* as ``accounts.getJWT`` issues it."""
        iat = int(now)
        claims: Dict[str, Any] = dict(extra_claims or {})
        claims.update({"iss": issuer_for(self.api_key), "apiKey": self.api_key, "iat": iat, "exp": iat + expiration})
        claims["sub"] = uid
        return self.sign(claims)
