"""Minimal RS256 JOSE building blocks shared by the client (JWT bearer auth),
the JWT/webhook verifiers and the local test server.

Needs the ``jwt`` extra (``cryptography``); importing this module without it
works, calling the RSA functions raises ``MissingDependencyError``.
"""

from __future__ import annotations

import base64
import json
from typing import Any, Dict, Mapping, Tuple, Union

from ._jsondepth import too_deep
from .errors import MalformedToken, MissingDependencyError

__all__ = [
    "b64url_encode",
    "b64url_decode",
    "load_private_key",
    "load_public_key",
    "encode_rs256",
    "segment_bytes",
    "json_segment",
    "split_segments",
    "split_token",
    "verify_rs256",
    "public_jwk",
    "public_key_from_jwk",
]

KeyData = Union[str, bytes]

_NOT_JSON = "token header or claims are not JSON"


def _crypto() -> Any:
    try:
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import padding, rsa
    except ImportError:  # pragma: no cover - depends on the environment
        raise MissingDependencyError(
            "RSA/JWT support needs the 'jwt' extra: pip install 'gigya_fast[jwt]'"
        ) from None
    return hashes, serialization, padding, rsa


def b64url_encode(data: bytes) -> str:
    """base64url without padding."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Decode base64url with or without padding; ``MalformedToken`` on bad input.

    Lenient (as JWK members from a key server may be padded); token segments
    go through :func:`segment_bytes`, which accepts only the canonical form.
    """
    if not isinstance(text, str) or not text.isascii():
        raise MalformedToken("segment is not base64url text")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError):
        raise MalformedToken("segment is not valid base64url") from None


def segment_bytes(text: str) -> bytes:
    """Decode one compact-JWS segment, accepting only its canonical base64url form.

    No padding, no character outside the base64url alphabet, and zero unused
    bits in the last character: any other spelling of the same bytes (``sig==``,
    a last character differing only in its unused bits) is ``MalformedToken``,
    so that one signed token has exactly one accepted encoding.
    """
    data = b64url_decode(text)
    if b64url_encode(data) != text:
        raise MalformedToken("segment is not canonical base64url")
    return data


def json_segment(text: str) -> Dict[str, Any]:
    """The JSON object encoded in one token segment; ``MalformedToken`` otherwise.

    The segment must be UTF-8 (RFC 7519 section 7.2; ``json.loads`` would also
    read UTF-16 and UTF-32, and a byte order mark). Arrays and objects nested
    deeper than :data:`~gigya_fast._jsondepth.MAX_JSON_DEPTH` are refused before
    the segment is parsed, like any other malformed segment (the header is read
    before the signature has vouched for anything), and alike on every Python:
    the decoder's own limit differs between versions.
    """
    data = segment_bytes(text)
    try:
        document = data.decode("utf-8")  # strict: no encoded surrogates either
    except UnicodeDecodeError:
        raise MalformedToken(_NOT_JSON) from None
    if too_deep(data):  # in UTF-8 no byte of a multi-byte character is a bracket, quote or backslash
        raise MalformedToken(_NOT_JSON)
    try:
        value = json.loads(document)
    except (ValueError, RecursionError):
        raise MalformedToken(_NOT_JSON) from None
    if not isinstance(value, dict):
        raise MalformedToken("token header and claims must be JSON objects")
    return value


def load_private_key(pem: KeyData, password: Union[bytes, None] = None) -> Any:
    """Load an RSA private key from PEM (PKCS#1 ``RSA PRIVATE KEY`` or PKCS#8)."""
    _, serialization, _, rsa = _crypto()
    data = pem.encode("ascii") if isinstance(pem, str) else bytes(pem)
    try:
        key = serialization.load_pem_private_key(data, password=password)
    except (ValueError, TypeError):
        raise ValueError("private key is not a valid PEM RSA key (PKCS#1 or PKCS#8)") from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("private key is not an RSA key")
    return key


def load_public_key(pem: KeyData) -> Any:
    """Load an RSA public key from PEM (``PUBLIC KEY`` or ``RSA PUBLIC KEY``)."""
    _, serialization, _, rsa = _crypto()
    data = pem.encode("ascii") if isinstance(pem, str) else bytes(pem)
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError):
        raise ValueError("public key is not a valid PEM RSA key") from None
    if not isinstance(key, rsa.RSAPublicKey):
        raise ValueError("public key is not an RSA key")
    return key


def encode_rs256(claims: Mapping[str, Any], private_key: Any, headers: Mapping[str, Any]) -> str:
    """Sign *claims* as a compact RS256 JWT; *headers* adds to ``alg``/``typ``."""
    hashes, _, padding, _ = _crypto()
    header = {"alg": "RS256", "typ": "JWT"}
    header.update(headers)
    signing_input = (
        b64url_encode(json.dumps(header, separators=(",", ":")).encode("utf-8"))
        + "."
        + b64url_encode(json.dumps(dict(claims), separators=(",", ":")).encode("utf-8"))
    )
    signature = private_key.sign(signing_input.encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
    return signing_input + "." + b64url_encode(signature)


def split_segments(token: object) -> Tuple[Dict[str, Any], str, bytes, bytes]:
    """Split a compact JWS into (header, claims segment, signing_input, signature).

    The claims stay undecoded (:func:`json_segment`) so that a verifier parses
    them only once the signature has vouched for them.
    """
    if not isinstance(token, str):
        raise MalformedToken("token must be str, not %s" % type(token).__name__)
    if not token.isascii():  # every segment is base64url: checked here, as the claims are decoded later
        raise MalformedToken("token is not ASCII")
    parts = token.split(".")
    if len(parts) != 3:
        raise MalformedToken("token must have three dot-separated segments")
    header = json_segment(parts[0])
    return header, parts[1], (parts[0] + "." + parts[1]).encode("ascii"), segment_bytes(parts[2])


def split_token(token: object) -> Tuple[Dict[str, Any], Dict[str, Any], bytes, bytes]:
    """Parse a compact JWS into (header, claims, signing_input, signature) (nothing verified)."""
    header, claims, signing_input, signature = split_segments(token)
    return header, json_segment(claims), signing_input, signature


def verify_rs256(signing_input: bytes, signature: bytes, public_key: Any) -> bool:
    """True when *signature* is a valid RSASSA-PKCS1-v1_5 SHA-256 signature."""
    hashes, _, padding, _ = _crypto()
    from cryptography.exceptions import InvalidSignature

    try:
        public_key.verify(signature, signing_input, padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def _int_to_b64url(value: int) -> str:
    return b64url_encode(value.to_bytes((value.bit_length() + 7) // 8 or 1, "big"))


def public_jwk(public_key: Any, kid: str) -> Dict[str, str]:
    """The JWK (as in ``accounts.getJWTPublicKey`` V2) of an RSA public key."""
    numbers = public_key.public_numbers()
    return {
        "kty": "RSA",
        "alg": "RS256",
        "use": "sig",
        "kid": kid,
        "n": _int_to_b64url(numbers.n),
        "e": _int_to_b64url(numbers.e),
    }


def public_key_from_jwk(jwk: Mapping[str, Any]) -> Any:
    """Build an RSA public key from a JWK mapping; ``ValueError`` when it is not one."""
    _, _, _, rsa = _crypto()
    if jwk.get("kty") != "RSA" or not isinstance(jwk.get("n"), str) or not isinstance(jwk.get("e"), str):
        raise ValueError("JWK is not an RSA public key")
    n = int.from_bytes(b64url_decode(jwk["n"]), "big")
    e = int.from_bytes(b64url_decode(jwk["e"]), "big")
    try:
        return rsa.RSAPublicNumbers(e, n).public_key()
    except ValueError:
        raise ValueError("JWK is not a valid RSA public key") from None
