"""X-Gigya-Sig-JWT (webhooks v2.0): RS256, iss, iat/exp, jti == nonce, sub == SHA-256(body); header policies."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any, Dict, List, Tuple

import pytest

from gigya_fast.errors import (
    ConfigurationError,
    ExpiredToken,
    ImmatureToken,
    InvalidAlgorithm,
    InvalidIssuer,
    InvalidTokenError,
    InvalidTokenSignature,
    MalformedToken,
    SignatureError,
    UnknownKeyId,
)

from ._webhook_support import API_KEY, HMAC_HEADER, JWT_HEADER, NOW, SECRET, body, sign

cryptography = pytest.importorskip("cryptography", reason="the jwt extra (cryptography) is not installed")

from gigya_fast import _jose  # noqa: E402
from gigya_fast.jwt import JWKSCache  # noqa: E402
from gigya_fast.webhooks import WebhookVerifier  # noqa: E402

KID = "wh-kid"
_KEYS: Dict[str, Any] = {}


def key(name: str = "a") -> Any:
    from cryptography.hazmat.primitives.asymmetric import rsa

    if name not in _KEYS:
        _KEYS[name] = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return _KEYS[name]


def jwks(name: str = "a", kid: str = KID) -> Dict[str, Any]:
    return {"keys": [_jose.public_jwk(key(name).public_key(), kid)]}


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def sig_jwt(raw: bytes, *, key_name: str = "a", kid: str = KID, hex_sub: bool = False, **overrides: Any) -> str:
    digest = hashlib.sha256(raw).digest()
    payload = json.loads(raw)
    claims: Dict[str, Any] = {
        "iss": f"https://fidm.gigya.com/jwt/{API_KEY}/",
        "iat": payload["timestamp"],
        "exp": payload["timestamp"] + 60,
        "jti": payload["nonce"],
        "sub": digest.hex() if hex_sub else b64url(digest),
    }
    for name, value in overrides.items():
        if value is None:
            claims.pop(name, None)
        else:
            claims[name] = value
    return _jose.encode_rs256(claims, key(key_name), {"kid": kid, "dc": "us1"})


def verifier(secret: str | None = None, **kwargs: Any) -> WebhookVerifier:
    kwargs.setdefault("jwks", jwks())
    return WebhookVerifier(secret, api_key=API_KEY, **kwargs)


def test_valid_jwt_only() -> None:
    raw = body(nonce="n-jwt")
    n = verifier().verify(raw, {JWT_HEADER: sig_jwt(raw)}, now=NOW)
    assert n.verified_by == frozenset({"jwt"}) and n.nonce == "n-jwt"
    assert verifier().require == "jwt"


def test_hex_sub_accepted() -> None:
    raw = body()
    assert verifier().verify(raw, {JWT_HEADER: sig_jwt(raw, hex_sub=True)}, now=NOW)
    upper = sig_jwt(raw, sub=hashlib.sha256(raw).hexdigest().upper())
    assert verifier().verify(raw, {JWT_HEADER: upper}, now=NOW)


def test_both_headers() -> None:
    raw = body()
    v = verifier(SECRET)
    assert v.require == "both"
    n = v.verify(raw, {HMAC_HEADER: sign(raw), "x-gigya-sig-jwt": sig_jwt(raw)}, now=NOW)
    assert n.verified_by == frozenset({"hmac", "jwt"})


def test_both_required_by_default_when_both_configured() -> None:
    raw = body()
    v = verifier(SECRET)
    with pytest.raises(SignatureError, match="missing X-Gigya-Sig-JWT"):
        v.verify(raw, {HMAC_HEADER: sign(raw)}, now=NOW)
    with pytest.raises(SignatureError, match="missing X-Gigya-Sig-Hmac-Sha1"):
        v.verify(raw, {JWT_HEADER: sig_jwt(raw)}, now=NOW)


def test_any_policy() -> None:
    raw = body()
    v = verifier(SECRET, require="any")
    assert v.verify(raw, {HMAC_HEADER: sign(raw)}, now=NOW).verified_by == frozenset({"hmac"})
    assert v.verify(raw, {JWT_HEADER: sig_jwt(raw)}, now=NOW).verified_by == frozenset({"jwt"})
    with pytest.raises(SignatureError, match="no signature header"):
        v.verify(raw, {}, now=NOW)
    # A present header must verify even when the other one would do.
    with pytest.raises(SignatureError, match="does not match"):
        v.verify(raw, {HMAC_HEADER: sign(b"other"), JWT_HEADER: sig_jwt(raw)}, now=NOW)
    with pytest.raises(InvalidTokenError):
        v.verify(raw, {HMAC_HEADER: sign(raw), JWT_HEADER: sig_jwt(raw, jti="other")}, now=NOW)


def test_hmac_policy_still_checks_a_present_jwt() -> None:
    raw = body()
    v = verifier(SECRET, require="hmac")
    assert v.verify(raw, {HMAC_HEADER: sign(raw)}, now=NOW).verified_by == frozenset({"hmac"})
    with pytest.raises(InvalidTokenSignature):
        v.verify(raw, {HMAC_HEADER: sign(raw), JWT_HEADER: sig_jwt(raw, key_name="b")}, now=NOW)


def test_jwt_header_ignored_when_jwt_not_configured() -> None:
    raw = body()
    v = WebhookVerifier(SECRET)
    assert v.verify(raw, {HMAC_HEADER: sign(raw), JWT_HEADER: "garbage"}, now=NOW).verified_by == frozenset({"hmac"})


def test_jti_must_match_nonce() -> None:
    raw = body(nonce="real")
    with pytest.raises(InvalidTokenError, match="jti"):
        verifier().verify(raw, {JWT_HEADER: sig_jwt(raw, jti="replayed")}, now=NOW)
    with pytest.raises(InvalidTokenError, match="jti"):
        verifier().verify(raw, {JWT_HEADER: sig_jwt(raw, jti=None)}, now=NOW)


def test_sub_must_be_the_body_digest() -> None:
    raw = body()
    other = body(nonce="other")
    # A valid token for another body, presented with this body (same nonce claim forced).
    with pytest.raises(InvalidTokenError, match="sub"):
        verifier().verify(raw, {JWT_HEADER: sig_jwt(raw, sub=b64url(hashlib.sha256(other).digest()))}, now=NOW)
    for bad in (None, 42, "", "zz" * 32, "é"):
        with pytest.raises(InvalidTokenError, match="sub"):
            verifier().verify(raw, {JWT_HEADER: sig_jwt(raw, sub=bad)}, now=NOW)


def test_tampered_body_fails_sub() -> None:
    raw = body()
    token = sig_jwt(raw)
    tampered = raw.replace(b"uid-1", b"uid-2")
    with pytest.raises(InvalidTokenError, match="sub"):
        verifier().verify(tampered, {JWT_HEADER: token}, now=NOW)


def test_expired_and_future_tokens() -> None:
    raw = body()
    with pytest.raises(ExpiredToken):
        verifier(tolerance=None).verify(raw, {JWT_HEADER: sig_jwt(raw)}, now=NOW + 60 + 31)
    assert verifier(tolerance=None).verify(raw, {JWT_HEADER: sig_jwt(raw)}, now=NOW + 60 + 30)
    with pytest.raises(ImmatureToken):
        verifier().verify(raw, {JWT_HEADER: sig_jwt(raw, iat=NOW + 100, exp=NOW + 200)}, now=NOW)
    with pytest.raises(ExpiredToken):
        verifier(leeway=0).verify(raw, {JWT_HEADER: sig_jwt(raw)}, now=NOW + 61)


def test_wrong_issuer() -> None:
    raw = body()
    with pytest.raises(InvalidIssuer):
        verifier().verify(raw, {JWT_HEADER: sig_jwt(raw, iss="https://fidm.gigya.com/jwt/3_other/")}, now=NOW)


def test_alg_none_and_hs256() -> None:
    raw = body()
    real = sig_jwt(raw)
    _, payload, _ = real.split(".")
    none = b64url(json.dumps({"alg": "none", "kid": KID}).encode()) + "." + payload + "."
    with pytest.raises(InvalidAlgorithm):
        verifier().verify(raw, {JWT_HEADER: none}, now=NOW)
    hs = b64url(json.dumps({"alg": "HS256", "kid": KID}).encode()) + "." + payload + ".c2ln"
    with pytest.raises(InvalidAlgorithm):
        verifier().verify(raw, {JWT_HEADER: hs}, now=NOW)


def test_unknown_kid_and_malformed() -> None:
    raw = body()
    with pytest.raises(UnknownKeyId):
        verifier().verify(raw, {JWT_HEADER: sig_jwt(raw, kid="nope")}, now=NOW)
    with pytest.raises(MalformedToken):
        verifier().verify(raw, {JWT_HEADER: "a.b"}, now=NOW)


def test_jwt_with_jwks_cache_rotation() -> None:
    documents = [jwks("a", "old"), jwks("b", "new")]
    calls = []

    def fetch() -> Any:
        calls.append(1)
        return documents[min(len(calls) - 1, 1)]

    cache = JWKSCache(fetch, min_refetch_interval=0)
    v = WebhookVerifier(api_key=API_KEY, jwks=cache)
    raw = body()
    assert v.verify(raw, {JWT_HEADER: sig_jwt(raw, kid="old")}, now=NOW)
    assert v.verify(raw, {JWT_HEADER: sig_jwt(raw, key_name="b", kid="new")}, now=NOW)
    assert len(calls) == 2


def test_jwt_needs_api_key() -> None:
    with pytest.raises(ConfigurationError):
        WebhookVerifier(jwks=jwks())


def test_non_json_body_with_jwt() -> None:
    raw = b"not json"
    claims = {"iss": f"https://fidm.gigya.com/jwt/{API_KEY}/", "exp": NOW + 60}
    # sub is checked first (on the raw bytes): the body is parsed only once the token covers it
    token = _jose.encode_rs256(claims, key(), {"kid": KID})
    with pytest.raises(InvalidTokenError, match="sub"):
        verifier().verify(raw, {JWT_HEADER: token}, now=NOW)
    token = _jose.encode_rs256(dict(claims, sub=b64url(hashlib.sha256(raw).digest())), key(), {"kid": KID})
    with pytest.raises(SignatureError, match="malformed"):
        verifier().verify(raw, {JWT_HEADER: token}, now=NOW)


def mixed_items() -> List[Tuple[bytes, Dict[str, str]]]:
    """Notifications for a require="any" verifier with both checks: each header combination, good and bad."""
    raws = [body(nonce=f"n{i}") for i in range(6)]
    return [
        (raws[0], {HMAC_HEADER: sign(raws[0]), JWT_HEADER: sig_jwt(raws[0])}),
        (raws[1], {JWT_HEADER: sig_jwt(raws[1])}),
        (raws[2], {HMAC_HEADER: sign(raws[2])}),
        (raws[3], {JWT_HEADER: sig_jwt(raws[3], jti="x")}),
        (raws[4], {}),
        (raws[5], {HMAC_HEADER: sign(b"x"), JWT_HEADER: sig_jwt(raws[5])}),
    ]


def test_batch_with_jwt_matches_single() -> None:
    v = verifier(SECRET, require="any")
    items = mixed_items()
    batch = v.verify_many(items, now=NOW)
    for (raw, hdrs), result in zip(items, batch):
        try:
            single: Any = v.verify(raw, hdrs, now=NOW)
        except SignatureError as exc:
            single = exc
        assert type(single) is type(result)
        if isinstance(result, SignatureError):
            assert str(result) == str(single)
        else:
            assert result == single
    assert [type(r).__name__ for r in batch][:3] == ["Notification"] * 3


def test_missing_cryptography_is_reported_at_construction(monkeypatch: pytest.MonkeyPatch) -> None:
    from gigya_fast.errors import MissingDependencyError

    def missing() -> Any:
        raise MissingDependencyError("RSA/JWT support needs the 'jwt' extra")

    monkeypatch.setattr(_jose, "_crypto", missing)
    with pytest.raises(MissingDependencyError):
        WebhookVerifier(api_key=API_KEY, jwks=jwks())
    assert WebhookVerifier(SECRET).checks == frozenset({"hmac"})  # HMAC alone needs nothing
