"""Request preparation: SDK parameters, each auth mode's wire form, signatures
over the URL actually called (no I/O)."""

from __future__ import annotations

import itertools
import json
from typing import Any, Dict, Tuple

import pytest

from gigya_fast import _jose
from gigya_fast.errors import ConfigurationError, InvalidSecretError
from gigya_fast.rest.auth import (
    ClearSecretAuth,
    JWTBearerAuth,
    NoAuth,
    SignedAuth,
    TokenParamAuth,
    make_bearer_jwt,
)
from gigya_fast.rest.clock import Clock
from gigya_fast.rest.prepare import SDK_NAME, RequestBuilder, merge_params
from gigya_fast.rest.routing import Router

from .helpers import expected_sig, form, new_secret

NOW = 1_700_000_000.75


def _builder(auth: Any, router: Router | None = None, api_key: str | None = "3_key") -> RequestBuilder:
    counter = itertools.count(1)
    return RequestBuilder(
        api_key,
        auth,
        router or Router("eu1.gigya.com"),
        clock=Clock(lambda: NOW),
        nonces=lambda: "nonce%d" % next(counter),
    )


def test_signed_user_key_request() -> None:
    secret = new_secret()
    builder = _builder(SignedAuth(secret, "AKEY"))
    request = builder.prepare("accounts.getAccountInfo", {"UID": "u 1", "include": "profile,data", "skip": None})
    assert request.url == "https://accounts.eu1.gigya.com/accounts.getAccountInfo"
    params = form(request.body)
    assert params == {
        "UID": "u 1",
        "include": "profile,data",
        "apiKey": "3_key",
        "format": "json",
        "httpStatusCodes": "false",
        "sdk": SDK_NAME,
        "timestamp": "1700000000",
        "nonce": "nonce1",
        "userKey": "AKEY",
        "sig": params["sig"],
    }
    assert params["sig"] == expected_sig(request.url, params, secret)
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert "Authorization" not in request.headers
    assert request.nonce == "nonce1" and request.timestamp == 1700000000
    # body keys are sorted and sig is last, percent-encoded
    assert request.body.startswith(b"UID=u%201&apiKey=")
    assert b"&sig=" in request.body and request.body.rsplit(b"&", 1)[1].startswith(b"sig=")


def test_partner_secret_has_no_user_key() -> None:
    secret = new_secret()
    request = _builder(SignedAuth(secret)).prepare("accounts.search", {"query": "SELECT * FROM accounts"})
    params = form(request.body)
    assert "userKey" not in params
    assert params["sig"] == expected_sig(request.url, params, secret)


@pytest.mark.parametrize(
    ("base_url", "called"),
    [
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080/accounts.search"),
        ("https://127.0.0.1:4433", "https://127.0.0.1:4433/accounts.search"),
        ("https://GW.example.com:443", "https://gw.example.com:443/accounts.search"),
        ("http://gw.example.com:80/cdc", "http://gw.example.com:80/cdc/accounts.search"),
    ],
)
def test_signature_is_over_the_url_called(base_url: str, called: str) -> None:
    secret = new_secret()
    request = _builder(SignedAuth(secret, "K"), Router(base_url=base_url)).prepare("accounts.search", {"query": "x"})
    assert request.url == called
    params = form(request.body)
    assert params["sig"] == expected_sig(called, params, secret)
    # a different port is a different signature
    other = called.replace(":8080", ":8081").replace(":4433", ":4434").replace(":443", ":4443").replace(":80", ":81")
    assert params["sig"] != expected_sig(other, params, secret)


def test_values_are_serialised_as_signed() -> None:
    secret = new_secret()
    request = _builder(SignedAuth(secret)).prepare(
        "accounts.setAccountInfo",
        {"data": {"b": 1, "a": "é"}, "flag": True, "off": False, "n": 5, "f": 0.1, "list": [1, "x"], "gone": None},
    )
    params = form(request.body)
    assert params["data"] == '{"b":1,"a":"é"}'
    assert [params[k] for k in ("flag", "off", "n", "f", "list")] == ["true", "false", "5", "0.1", '[1,"x"]']
    assert "gone" not in params
    assert params["sig"] == expected_sig(request.url, params, secret)


def test_sdk_owned_params_are_replaced_and_api_key_may_be_overridden() -> None:
    request = _builder(NoAuth()).prepare("x.y", {"format": "xml", "httpStatusCodes": True, "apiKey": "3_other"})
    params = form(request.body)
    assert params["format"] == "json" and params["httpStatusCodes"] == "false" and params["apiKey"] == "3_other"


def test_no_api_key() -> None:
    assert "apiKey" not in form(_builder(NoAuth(), api_key=None).prepare("admin.x", {}).body)


def test_every_attempt_gets_a_new_nonce_and_signature() -> None:
    builder = _builder(SignedAuth(new_secret(), "K"))
    first = builder.prepare("accounts.setAccountInfo", {"UID": "u"})
    second = builder.prepare("accounts.setAccountInfo", {"UID": "u"})
    assert first.nonce != second.nonce
    assert form(first.body)["sig"] != form(second.body)["sig"]


def test_clear_secret_mode() -> None:
    secret = new_secret()
    params = form(_builder(ClearSecretAuth(secret, "K")).prepare("accounts.search", {"query": "q"}).body)
    assert params["secret"] == secret and params["userKey"] == "K"
    assert "sig" not in params and "nonce" not in params
    assert "userKey" not in form(_builder(ClearSecretAuth(secret)).prepare("a.b", {}).body)


def test_token_param_mode() -> None:
    params = form(_builder(TokenParamAuth("tok123")).prepare("accounts.getAccountInfo", {}).body)
    assert params["oauth_token"] == "tok123" and "sig" not in params
    with pytest.raises(ConfigurationError):
        TokenParamAuth("")


@pytest.mark.parametrize("which", [0, 1])
def test_jwt_bearer_mode(rsa_pems: Tuple[bytes, bytes, bytes], which: int) -> None:
    pem = rsa_pems[which]
    request = _builder(JWTBearerAuth("AKEY", pem)).prepare("accounts.getAccountInfo", {"UID": "u"})
    params = form(request.body)
    assert "userKey" not in params and "sig" not in params and params["apiKey"] == "3_key"
    scheme, token = request.headers["Authorization"].split(" ")
    assert scheme == "Bearer"
    header, claims, signing_input, signature = _jose.split_token(token)
    assert header == {"alg": "RS256", "typ": "JWT", "kid": "AKEY"}
    assert claims == {"iat": 1700000000, "jti": "nonce1"}
    assert _jose.verify_rs256(signing_input, signature, _jose.load_public_key(rsa_pems[2]))
    assert "Bearer" not in repr(request)


def test_make_bearer_jwt(rsa_pems: Tuple[bytes, bytes, bytes]) -> None:
    token = make_bearer_jwt("K", rsa_pems[0].decode("ascii"))
    header, claims, _, _ = _jose.split_token(token)
    assert header["kid"] == "K" and isinstance(claims["iat"], int) and len(claims["jti"]) == 32
    assert make_bearer_jwt("K", rsa_pems[1]) != make_bearer_jwt("K", rsa_pems[1])  # fresh jti
    loaded = _jose.load_private_key(rsa_pems[0])
    assert _jose.split_token(make_bearer_jwt("K", loaded, now=5, jti="j"))[1] == {"iat": 5, "jti": "j"}
    with pytest.raises(ConfigurationError):
        make_bearer_jwt("K", b"-----BEGIN RSA PRIVATE KEY-----\nnope\n-----END RSA PRIVATE KEY-----\n")
    with pytest.raises(ConfigurationError):
        make_bearer_jwt("K", 42)
    with pytest.raises(ValueError):
        make_bearer_jwt("", rsa_pems[0])


def test_invalid_secret_is_refused_when_built() -> None:
    for factory in (SignedAuth, ClearSecretAuth):
        with pytest.raises(InvalidSecretError):
            factory("not base64!")


def test_merge_params() -> None:
    assert merge_params({"a": 1}, {"b": 2}) == {"a": 1, "b": 2}
    assert merge_params(None, {"b": 2}) == {"b": 2}
    assert merge_params({"a": 1}, {"a": 3}) == {"a": 3}
    for reserved in ("sig", "nonce", "timestamp", "secret", "userKey"):
        with pytest.raises(ValueError, match=reserved):
            merge_params({reserved: "x"}, {})
    with pytest.raises(TypeError):
        merge_params([("a", 1)], {})  # type: ignore[arg-type]


def test_prepared_request_repr_hides_body() -> None:
    request = _builder(SignedAuth(new_secret(), "K")).prepare("accounts.search", {"query": "q"})
    text = repr(request)
    assert "sig" not in text and "nonce" not in text and "accounts.search" in text
    assert request.host == "accounts.eu1.gigya.com"


def test_bad_params_raise_before_io() -> None:
    builder = _builder(SignedAuth(new_secret()))
    with pytest.raises(ValueError):
        builder.prepare("a.b", {"x": float("nan")})
    with pytest.raises(TypeError):
        builder.prepare("a.b", {"x": object()})
    with pytest.raises(ValueError):
        builder.prepare("a.b", {"a&b": "1"})


def test_json_param_roundtrip() -> None:
    value: Dict[str, Any] = {"nested": {"list": [1, 2, {"k": None}]}, "unicode": "ü€"}
    params = form(_builder(NoAuth()).prepare("a.b", {"data": value}).body)
    assert json.loads(params["data"]) == value


