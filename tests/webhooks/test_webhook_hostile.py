"""Hostile notifications and arguments: nothing unsigned is parsed, no NaN window, keys checked up front."""

from __future__ import annotations

import hashlib
import math
import re
from typing import Any, Dict, List

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from gigya_fast.errors import ConfigurationError, ExpiredToken, InvalidTokenError, SignatureError
from gigya_fast.webhooks import Notification, WebhookVerifier
from gigya_fast.webhooks.asgi import make_asgi_app
from gigya_fast.webhooks.wsgi import make_wsgi_app

from ._webhook_support import (
    API_KEY,
    HMAC_HEADER,
    JWT_HEADER,
    NOW,
    SECRET,
    body,
    headers,
    post_status,
    serving_wsgi,
    sign,
)

pytest.importorskip("cryptography", reason="the jwt extra (cryptography) is not installed")

from gigya_fast import _jose  # noqa: E402

from .test_webhook_glue import call_wsgi, environ, run_asgi  # noqa: E402
from .test_webhook_jwt import KID, b64url, jwks, key, sig_jwt  # noqa: E402

#: 10 KB of nested arrays: deeper than the interpreter's recursion limit.
NESTED = b"[" * 5_000 + b"]" * 5_000


def nested_token(raw: bytes, **claims: Any) -> str:
    """A genuine webhook JWT for *raw* (sub = its SHA-256), which is not a JSON object."""
    base: Dict[str, Any] = {
        "iss": f"https://fidm.gigya.com/jwt/{API_KEY}/",
        "iat": NOW,
        "exp": NOW + 60,
        "jti": "n",
        "sub": b64url(hashlib.sha256(raw).digest()),
    }
    base.update(claims)
    return _jose.encode_rs256(base, key(), {"kid": KID, "dc": "us1"})


def jwt_verifier(**kwargs: Any) -> WebhookVerifier:
    kwargs.setdefault("jwks", jwks())
    return WebhookVerifier(kwargs.pop("secret", None), api_key=API_KEY, **kwargs)


FORGED_HEADERS = [
    {JWT_HEADER: "garbage"},
    {JWT_HEADER: sig_jwt(body())},  # a real token, for another body
    {JWT_HEADER: "a.b.c", HMAC_HEADER: sign(b"other")},
]


@pytest.mark.parametrize("require", ["jwt", "any"])
@pytest.mark.parametrize("hdrs", FORGED_HEADERS)
def test_nested_unsigned_body_is_a_signature_error(require: str, hdrs: Dict[str, str]) -> None:
    v = jwt_verifier(secret=SECRET, require=require)
    with pytest.raises(SignatureError):
        v.verify(NESTED, hdrs, now=NOW)


def test_nested_body_signed_by_the_jwt_is_malformed_not_recursion_error() -> None:
    v = jwt_verifier()
    with pytest.raises(SignatureError, match="nested too deeply"):
        v.verify(NESTED, {JWT_HEADER: nested_token(NESTED)}, now=NOW)


def test_nested_body_signed_by_the_hmac_is_malformed_not_recursion_error() -> None:
    v = WebhookVerifier(SECRET)  # replay window on: no tail timestamp, so the body is parsed
    with pytest.raises(SignatureError, match="nested too deeply"):
        v.verify(NESTED, headers(NESTED), now=NOW)
    notification = WebhookVerifier(SECRET, tolerance=None).verify(NESTED, headers(NESTED), now=NOW)
    with pytest.raises(SignatureError, match="nested too deeply"):
        notification.events  # noqa: B018 - parsed lazily, same error


def test_nested_body_fails_alone_in_a_batch() -> None:
    v = jwt_verifier(secret=SECRET, require="any")
    good = body(nonce="good")
    items = [
        (good, {HMAC_HEADER: sign(good)}),
        (NESTED, {JWT_HEADER: "garbage"}),
        (NESTED, {JWT_HEADER: nested_token(NESTED)}),
        (NESTED, {JWT_HEADER: sig_jwt(good)}),
        (good, {JWT_HEADER: sig_jwt(good)}),
    ]
    results = v.verify_many(items, now=NOW)
    assert [type(r).__name__ for r in results] == [
        "Notification",
        "MalformedToken",
        "SignatureError",
        "InvalidTokenError",
        "Notification",
    ]
    assert "nested too deeply" in str(results[2]) and "sub" in str(results[3])


def test_nested_body_gets_401_from_wsgi_and_asgi() -> None:
    v = jwt_verifier(secret=SECRET, require="any")
    got: List[Notification] = []
    for hdrs in FORGED_HEADERS:
        assert call_wsgi(make_wsgi_app(v, got.append), environ(NESTED, hdrs)) == (401, b"unauthorized")
        assert run_asgi(make_asgi_app(v, got.append), NESTED, hdrs)[:2] == (401, b"unauthorized")
    assert not got


def test_nested_body_over_the_wire_is_401() -> None:
    with serving_wsgi(make_wsgi_app(jwt_verifier(), lambda n: None)) as url:
        assert [post_status(url, NESTED, {JWT_HEADER: "x.y.z"}) for _ in range(3)] == [401] * 3


def test_lone_surrogate_nonce_is_compared_not_raised() -> None:
    raw = b'{"events":[],"nonce":"\\ud800","timestamp":%d}' % NOW
    v = jwt_verifier()
    with pytest.raises(InvalidTokenError, match="jti"):
        v.verify(raw, {JWT_HEADER: nested_token(raw)}, now=NOW)
    assert v.verify(raw, {JWT_HEADER: nested_token(raw, jti="\ud800")}, now=NOW).nonce == "\ud800"


# --- non-finite times ------------------------------------------------------------------------

NON_FINITE = [math.nan, math.inf, -math.inf, 10**400]


@pytest.mark.parametrize("value", NON_FINITE)
def test_non_finite_tolerance_and_leeway_are_refused(value: Any) -> None:
    with pytest.raises(ValueError, match="tolerance"):
        WebhookVerifier(SECRET, tolerance=value)
    with pytest.raises(ValueError, match="leeway"):
        jwt_verifier(leeway=value)


@pytest.mark.parametrize("value", [*NON_FINITE, -1])
def test_non_finite_now_is_refused_by_verify_and_verify_many_alike(value: Any) -> None:
    raw = body()
    v = WebhookVerifier(SECRET)
    with pytest.raises(ValueError, match="now"):
        v.verify(raw, headers(raw), now=value)
    with pytest.raises(ValueError, match="now"):
        v.verify_many([(raw, headers(raw))], now=value)
    expired = sig_jwt(raw)
    with pytest.raises(ValueError, match="now"):
        jwt_verifier(tolerance=None).verify(raw, {JWT_HEADER: expired}, now=value)


def test_expired_webhook_jwt_stays_expired() -> None:
    raw = body()
    with pytest.raises(ExpiredToken):
        jwt_verifier(tolerance=None, leeway=0).verify(raw, {JWT_HEADER: sig_jwt(raw)}, now=NOW + 61)


def test_wrong_types_for_times_are_type_errors() -> None:
    with pytest.raises(TypeError):
        WebhookVerifier(SECRET, tolerance="300")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        WebhookVerifier(SECRET).verify(body(), {}, now="now")  # type: ignore[arg-type]


# --- key sources checked at construction ------------------------------------------------------


@pytest.mark.parametrize(
    "keys",
    [
        {"keys": []},
        {"keys": "x"},
        {"keys": [{"kid": KID, "kty": "RSA", "n": "AQAB", "e": "AQAB", "alg": "HS256"}]},
        {KID: "not a PEM"},
        {KID: {"kty": "oct", "k": "c2VjcmV0"}},
        {1: jwks()["keys"][0]},
        {},
    ],
)
def test_malformed_key_mapping_is_refused_at_construction(keys: Any) -> None:
    with pytest.raises(ConfigurationError, match="jwks"):
        jwt_verifier(jwks=keys)


@pytest.mark.parametrize("keys", [[1, 2], "keys", 42, b"{}"])
def test_key_source_of_the_wrong_type_is_refused_at_construction(keys: Any) -> None:
    with pytest.raises(TypeError, match="jwks"):
        jwt_verifier(jwks=keys)


def test_key_mapping_is_read_once() -> None:
    document = jwks()
    v = jwt_verifier(jwks=document)
    document["keys"].clear()  # the caller's document changes: the verifier kept its own keys
    raw = body()
    assert v.verify(raw, {JWT_HEADER: sig_jwt(raw)}, now=NOW).verified_by == frozenset({"jwt"})


@pytest.mark.parametrize(
    "source",
    [
        lambda: jwks(),
        lambda: jwks()["keys"][0],
        lambda: {KID: jwks()["keys"][0]},
        lambda: {KID: key().public_key()},
        lambda: {KID: _pem()},
        lambda: (lambda kid: key().public_key() if kid == KID else None),
    ],
)
def test_every_documented_key_source_still_verifies(source: Any) -> None:
    raw = body()
    assert jwt_verifier(jwks=source()).verify(raw, {JWT_HEADER: sig_jwt(raw)}, now=NOW)


def _pem() -> bytes:
    from cryptography.hazmat.primitives import serialization

    pem: bytes = key().public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return pem


@pytest.mark.parametrize("opener, closer", [(b"[", b"]"), (b'{"a":', b"}")])
def test_body_depth_is_bounded_alike_on_every_python(opener: bytes, closer: bytes) -> None:
    # The bound is ours (MAX_BODY_DEPTH), not the JSON decoder's recursion limit, which
    # differs between Python versions (3.13 parses 5,000 levels that 3.12 refuses).
    from gigya_fast.webhooks._body import MAX_BODY_DEPTH

    def nested(depth: int) -> bytes:
        inner = opener * (depth - 1) + b"1" + closer * (depth - 1)
        return b'{"x":' + inner + b',"events":[],"nonce":"n","timestamp":%d}' % NOW

    v = WebhookVerifier(SECRET)
    deepest = nested(MAX_BODY_DEPTH)
    assert v.verify(deepest, headers(deepest), now=NOW).events == ()
    too_deep = nested(MAX_BODY_DEPTH + 1)
    notification = v.verify(too_deep, headers(too_deep), now=NOW)  # the tail timestamp: not parsed yet
    with pytest.raises(SignatureError, match="nested too deeply"):
        notification.events  # noqa: B018 - parsed lazily
    # Brackets inside strings (escaped quotes included) are text, not nesting.
    texty = b'{"x":"\\"' + b"[" * 500 + b'","events":[],"nonce":"n","timestamp":%d}' % NOW
    assert v.verify(texty, headers(texty), now=NOW).data["x"] == '"' + "[" * 500


def _too_deep_by_definition(body: bytes, limit: int) -> bool:
    # Every complete JSON string removed (a quote that never closes is text), then the brackets counted.
    structure = re.sub(rb'"(?:[^"\\]|\\.)*"', b"", body, flags=re.DOTALL)
    depth = 0
    for byte in structure:
        depth += 1 if byte in b"[{" else -1 if byte in b"]}" else 0
        if depth > limit:
            return True
    return False


@example(b'"\\\n"[')  # an escaped newline inside a string
@example(b'["\\"[[')  # a string that never closes: what follows is text
@given(st.lists(st.sampled_from([b'"', b"\\", b"[", b"]", b"{", b"}", b"a", b"\n"]), max_size=60).map(b"".join))
def test_too_deep_agrees_with_its_definition(body: bytes) -> None:
    from gigya_fast.webhooks._body import too_deep

    for limit in range(5):
        assert too_deep(body, limit) is _too_deep_by_definition(body, limit)


def test_an_unterminated_string_leaves_the_rest_as_text() -> None:
    from gigya_fast.webhooks._body import MAX_BODY_DEPTH, too_deep

    # The brackets after a string that never closes count, however many escaped quotes
    # (each a place a string could start) come first: one pass, not one per quote.
    opened = b'{"x":"' + b'\\"' * 100_000
    assert too_deep(opened + b"[" * MAX_BODY_DEPTH)  # with the object's brace: one level too deep
    assert not too_deep(opened + b"[" * (MAX_BODY_DEPTH - 1))
