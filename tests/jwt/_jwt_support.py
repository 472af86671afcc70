"""Token builders for the JWT tests (built with gigya_fast._jose, checked with stdlib where possible)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any, Dict, Mapping

from gigya_fast import _jose

API_KEY = "3_test-api-key"
ISSUER = f"https://fidm.gigya.com/jwt/{API_KEY}/"
NOW = 1_700_000_000
KID = "kid-1"


_KEYS: Dict[str, Any] = {}


def private_key(name: str = "a") -> Any:
    """A throwaway 2048-bit RSA key per *name* (generated once per session)."""
    from cryptography.hazmat.primitives.asymmetric import rsa

    if name not in _KEYS:
        _KEYS[name] = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return _KEYS[name]


def public_pem(name: str = "a") -> bytes:
    from cryptography.hazmat.primitives import serialization

    key: bytes = (
        private_key(name)
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    return key


def jwks(*pairs: tuple[str, str]) -> Dict[str, Any]:
    """A JWKS document with (kid, key name) pairs; default one key ``KID`` -> "a"."""
    pairs = pairs or ((KID, "a"),)
    return {"keys": [_jose.public_jwk(private_key(name).public_key(), kid) for kid, name in pairs]}


def claims(**overrides: Any) -> Dict[str, Any]:
    base: Dict[str, Any] = {"iss": ISSUER, "sub": "uid-1", "iat": NOW, "exp": NOW + 300, "apiKey": API_KEY}
    for key, value in overrides.items():
        if value is None:
            base.pop(key, None)
        else:
            base[key] = value
    return base


def token(
    payload: Mapping[str, Any] | None = None,
    *,
    kid: str | None = KID,
    key: str = "a",
    headers: Mapping[str, Any] | None = None,
) -> str:
    extra: Dict[str, Any] = {} if kid is None else {"kid": kid}
    extra.update(headers or {})
    return _jose.encode_rs256(claims() if payload is None else payload, private_key(key), extra)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unsigned(header: Mapping[str, Any], payload: Mapping[str, Any], signature: bytes = b"") -> str:
    """A token with any header (alg=none and friends)."""
    return b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(payload).encode()) + "." + b64url(signature)


def signed_segments(header: bytes, payload: bytes, key: str = "a") -> str:
    """A token over exactly these header and claims bytes (JSON ``json.dumps`` cannot write), RS256-signed."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    signing_input = b64url(header) + "." + b64url(payload)
    signature = private_key(key).sign(signing_input.encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
    return signing_input + "." + b64url(signature)


def hs256_with_public_key(payload: Mapping[str, Any], kid: str = KID) -> str:
    """The classic confusion attack: HS256 keyed with the RSA public key PEM."""
    header = {"alg": "HS256", "typ": "JWT", "kid": kid}
    signing_input = b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(dict(payload)).encode())
    mac = hmac.new(public_pem(), signing_input.encode("ascii"), hashlib.sha256).digest()
    return signing_input + "." + b64url(mac)
