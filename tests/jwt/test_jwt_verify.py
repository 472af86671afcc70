"""verify_id_token: RS256 only, signature first, then iss/exp/nbf/iat/aud, each failure its own error."""

from __future__ import annotations

import json
from typing import Any, Dict

import pytest

from gigya_fast import SignatureError, _jose
from gigya_fast.errors import (
    ExpiredToken,
    ImmatureToken,
    InvalidAlgorithm,
    InvalidAudience,
    InvalidIssuer,
    InvalidTokenError,
    InvalidTokenSignature,
    MalformedToken,
    UnknownKeyId,
)
from gigya_fast.jwt import issuer_for, keys_from_jwks, verify_id_token

from ._jwt_support import (
    API_KEY,
    ISSUER,
    KID,
    NOW,
    b64url,
    claims,
    hs256_with_public_key,
    jwks,
    private_key,
    public_pem,
    token,
    unsigned,
)

JWKS = jwks()


def verify(tok: str, **kwargs: Any) -> Dict[str, Any]:
    kwargs.setdefault("api_key", API_KEY)
    kwargs.setdefault("jwks", JWKS)
    kwargs.setdefault("now", NOW + 10)
    return verify_id_token(tok, **kwargs)


def test_valid_token_returns_claims() -> None:
    assert verify(token()) == claims()


def test_issuer_for() -> None:
    assert issuer_for(API_KEY) == ISSUER
    with pytest.raises(ValueError):
        issuer_for("")


def test_expired() -> None:
    with pytest.raises(ExpiredToken):
        verify(token(claims(exp=NOW - 100)), leeway=30)


def test_exp_leeway_boundary() -> None:
    tok = token(claims(exp=NOW))
    assert verify(tok, now=NOW + 30, leeway=30)["exp"] == NOW
    with pytest.raises(ExpiredToken):
        verify(tok, now=NOW + 31, leeway=30)


def test_not_yet_valid_nbf() -> None:
    with pytest.raises(ImmatureToken):
        verify(token(claims(nbf=NOW + 1000)))


def test_issued_in_the_future() -> None:
    with pytest.raises(ImmatureToken):
        verify(token(claims(iat=NOW + 1000, exp=NOW + 2000)))


def test_iat_within_leeway_is_fine() -> None:
    verify(token(claims(iat=NOW + 20)), now=NOW, leeway=30)


@pytest.mark.parametrize(
    "iss", ["https://fidm.gigya.com/jwt/3_other/", "https://evil.example/jwt/" + API_KEY + "/", ""]
)
def test_wrong_issuer(iss: str) -> None:
    with pytest.raises(InvalidIssuer):
        verify(token(claims(iss=iss)))


def test_missing_issuer() -> None:
    with pytest.raises(InvalidIssuer):
        verify(token(claims(iss=None)))


def test_explicit_issuer_override() -> None:
    tok = token(claims(iss="https://fidm.sapcdm.cn/jwt/k/"))
    assert verify(tok, issuer="https://fidm.sapcdm.cn/jwt/k/")["sub"] == "uid-1"


def test_audience() -> None:
    tok = token(claims(aud="my-app"))
    assert verify(tok, audience="my-app")["aud"] == "my-app"
    assert verify(tok, audience=["other", "my-app"])["aud"] == "my-app"
    assert verify(token(claims(aud=["x", "my-app"])), audience="my-app")
    with pytest.raises(InvalidAudience):
        verify(tok, audience="other-app")
    with pytest.raises(InvalidAudience):
        verify(token(), audience="my-app")  # no aud at all
    with pytest.raises(ValueError):
        verify(tok, audience=[])


def test_alg_none_rejected() -> None:
    tok = unsigned({"alg": "none", "typ": "JWT", "kid": KID}, claims())
    with pytest.raises(InvalidAlgorithm):
        verify(tok)


def test_alg_none_with_valid_signature_of_other_alg_rejected() -> None:
    real = token()
    header = b64url(json.dumps({"alg": "none", "kid": KID}).encode())
    forged = header + real[real.index(".") :]
    with pytest.raises(InvalidAlgorithm):
        verify(forged)


def test_hs256_with_public_key_as_secret_rejected() -> None:
    tok = hs256_with_public_key(claims())
    with pytest.raises(InvalidAlgorithm):
        verify(tok)
    # Also when the caller hands the PEM itself as the key.
    with pytest.raises(InvalidAlgorithm):
        verify(tok, jwks={KID: public_pem().decode()})


@pytest.mark.parametrize("alg", ["RS512", "PS256", "ES256", "rs256", None])
def test_other_algorithms_rejected(alg: object) -> None:
    real = token()
    header = b64url(json.dumps({"alg": alg, "kid": KID}).encode())
    with pytest.raises(InvalidAlgorithm):
        verify(header + real[real.index(".") :])


@pytest.mark.parametrize(
    "tok",
    [
        "",
        "abc",
        "a.b",
        "a.b.c.d",
        "!!!.e30.",
        b64url(b"not json") + "." + b64url(b"{}") + ".",
        b64url(b"[1]") + "." + b64url(b"{}") + ".",
        b64url(b'{"alg":"RS256"}') + "." + b64url(b"[]") + ".",
        "\u00e9.\u00e9.\u00e9",
    ],
)
def test_malformed_segments(tok: str) -> None:
    with pytest.raises(MalformedToken):
        verify(tok)


def test_claims_are_read_only_after_the_signature() -> None:
    # Undecodable claims under a header naming a known key: the (empty) signature fails first.
    tok = b64url(b'{"alg":"RS256","kid":"kid-1"}') + "." + b64url(b"\xff\xfe") + "."
    with pytest.raises(InvalidTokenSignature):
        verify(tok)


def test_non_str_token() -> None:
    with pytest.raises(MalformedToken):
        verify(b"a.b.c")  # type: ignore[arg-type]


def test_oversized_token() -> None:
    with pytest.raises(MalformedToken):
        verify("a" * 20000 + ".b.c")


def test_missing_kid() -> None:
    with pytest.raises(MalformedToken):
        verify(token(kid=None))


def test_crit_header_rejected() -> None:
    with pytest.raises(MalformedToken):
        verify(token(headers={"crit": ["exp"]}))


def test_missing_or_bad_exp() -> None:
    with pytest.raises(MalformedToken):
        verify(token(claims(exp=None)))
    with pytest.raises(MalformedToken):
        verify(token(claims(exp="soon")))
    with pytest.raises(MalformedToken):
        verify(token(claims(exp=True)))


def test_unknown_kid() -> None:
    with pytest.raises(UnknownKeyId):
        verify(token(kid="other"))


def test_tampered_claims_fail_signature() -> None:
    head, _, sig = token().split(".")
    forged = head + "." + b64url(json.dumps(claims(sub="admin")).encode()) + "." + sig
    with pytest.raises(InvalidTokenSignature):
        verify(forged)


def test_signed_by_another_key() -> None:
    with pytest.raises(InvalidTokenSignature):
        verify(token(key="b"))


def test_empty_signature() -> None:
    head, body, _ = token().split(".")
    with pytest.raises(InvalidTokenSignature):
        verify(head + "." + body + ".")


def test_signature_checked_before_claims() -> None:
    # An expired token with a bad signature reports the signature, not the expiry.
    head, body, _ = token(claims(exp=NOW - 1000)).split(".")
    _, _, other_sig = token(key="b").split(".")
    with pytest.raises(InvalidTokenSignature):
        verify(head + "." + body + "." + other_sig)


@pytest.mark.parametrize(
    "source",
    [
        lambda: JWKS,
        lambda: keys_from_jwks(JWKS),
        lambda: {KID: JWKS["keys"][0]},
        lambda: {KID: public_pem()},
        lambda: {KID: public_pem().decode()},
        lambda: {KID: private_key().public_key()},
        lambda: lambda kid: private_key().public_key() if kid == KID else None,
        lambda: lambda kid: JWKS["keys"][0] if kid == KID else None,
    ],
)
def test_key_sources(source: Any) -> None:
    assert verify(token(), jwks=source())["sub"] == "uid-1"


def test_key_source_without_the_kid() -> None:
    with pytest.raises(UnknownKeyId):
        verify(token(), jwks={"other": JWKS["keys"][0]})
    with pytest.raises(UnknownKeyId):
        verify(token(), jwks=lambda kid: None)
    with pytest.raises(TypeError):
        verify(token(), jwks=42)


def test_every_error_is_a_signature_error_and_leaks_nothing() -> None:
    tok = token(claims(exp=NOW - 1000))
    with pytest.raises(SignatureError) as info:
        verify(tok)
    assert isinstance(info.value, InvalidTokenError)
    assert isinstance(info.value, ValueError)
    text = str(info.value) + repr(info.value)
    for segment in tok.split("."):
        assert segment not in text


def test_jwk_with_wrong_alg_or_use_is_not_usable() -> None:
    jwk = dict(JWKS["keys"][0])
    with pytest.raises(UnknownKeyId):
        verify(token(), jwks={"keys": [dict(jwk, alg="RS512")]})
    with pytest.raises(UnknownKeyId):
        verify(token(), jwks={"keys": [dict(jwk, use="enc")]})


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        verify(token(), leeway=-1)
    with pytest.raises(TypeError):
        verify(token(), now="now")


def test_rs256_public_jwk_round_trip() -> None:
    jwk = _jose.public_jwk(private_key().public_key(), "k")
    key = _jose.public_key_from_jwk(jwk)
    assert key.public_numbers() == private_key().public_key().public_numbers()
