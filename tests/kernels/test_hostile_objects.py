"""Caller objects whose methods lie are normalised at the boundary: both twins use
a str/bytes subclass's real contents and never run its overridden methods, so
they give the same, correct answers (known values from the reference module)."""

from __future__ import annotations

from types import ModuleType

import pytest

from ..hardening._hostile import (
    LyingByteArray,
    LyingBytes,
    LyingStr,
    UnhashableStr,
    colliding,
    mutating_params,
)
from ._reference import OTHER_SECRET, SECRET, b64_hmac_sha1, base_string, query_string, uid_signature

TS = 1_700_000_000


def test_colliding_secret_gets_its_own_key(kernels: ModuleType) -> None:
    """A str subclass equal to every other must not pick up a cached secret's key."""
    assert kernels.calc_signature("x", SECRET) == b64_hmac_sha1(SECRET, b"x")  # cached now
    assert kernels.calc_signature("x", colliding(OTHER_SECRET, SECRET)) == b64_hmac_sha1(OTHER_SECRET, b"x")
    forged = uid_signature(SECRET, str(TS), "u")
    assert kernels.validate_user_signature("u", TS, SECRET, forged, now=TS) is True
    assert kernels.validate_user_signature("u", TS, colliding(OTHER_SECRET, SECRET), forged, now=TS) is False
    assert kernels.validate_user_signatures(["u"], [TS], [forged], colliding(OTHER_SECRET, SECRET), now=TS) == [False]
    # and the other way round: a colliding secret first, then the real one
    assert kernels.calc_signature("y", colliding(OTHER_SECRET, SECRET)) == b64_hmac_sha1(OTHER_SECRET, b"y")
    assert kernels.calc_signature("y", SECRET) == b64_hmac_sha1(SECRET, b"y")


def test_unhashable_secret_works(kernels: ModuleType) -> None:
    assert kernels.calc_signature("x", UnhashableStr(SECRET)) == b64_hmac_sha1(SECRET, b"x")
    assert kernels.Signer(UnhashableStr(SECRET)).sign("x") == b64_hmac_sha1(SECRET, b"x")


@pytest.mark.parametrize("kind", [LyingBytes, LyingByteArray])
def test_bytes_subclasses_are_hashed_by_their_contents(kernels: ModuleType, kind: type) -> None:
    message = kind(b"the real body")
    good = b64_hmac_sha1(SECRET, b"the real body")
    signer = kernels.Signer(SECRET)
    assert signer.sign_bytes(message) == good
    assert signer.verify_hmacs([message, kind(b"lie")], [good, b64_hmac_sha1(SECRET, b"lie")]) == [True, True]
    assert signer.verify_hmacs([message], [b64_hmac_sha1(SECRET, b"lie")]) == [False]


def test_lying_str_methods_never_run(kernels: ModuleType) -> None:
    pairs = [("a", "1")]
    base = base_string("POST", "https://h/p", pairs)
    method, url = LyingStr("post"), LyingStr("https://H/p")
    assert kernels.build_base_string(method, url, {"a": 1}) == base
    assert kernels.Signer(SECRET).sign_request(method, url, {"a": 1}) == (
        query_string(pairs),
        b64_hmac_sha1(SECRET, base.encode()),
    )
    assert kernels.normalize_url(url) == "https://h/p"
    # the login token is the part before the first "|", whatever split() says
    cookie = kernels.get_dynamic_session_signature(LyingStr("LT1|rest"), 60, SECRET, now=TS)
    expiry = TS + 60
    assert cookie == f"{expiry}_{b64_hmac_sha1(SECRET, f'LT1_{expiry}'.encode())}"
    signed = kernels.get_dynamic_session_signature_user_signed("LT1|x", 60, LyingStr("key"), SECRET, now=TS)
    assert signed == f"{expiry}_key_{b64_hmac_sha1(SECRET, f'LT1_{expiry}_key'.encode())}"


@pytest.mark.parametrize("uid", ["u", "\u00e9u", "u\ud800"])
def test_lying_uid_operators_never_run(kernels: ModuleType, uid: str) -> None:
    lying = LyingStr(uid)
    if "\ud800" in uid:  # the message cannot be encoded: the spec's UnicodeEncodeError, from the real text
        with pytest.raises(UnicodeEncodeError):
            kernels.validate_user_signature(lying, TS, SECRET, "x" * 28, now=TS)
        with pytest.raises(UnicodeEncodeError):
            kernels.Signer(SECRET).validate_users([lying], [TS], ["x" * 28], now=TS)
        return
    good = uid_signature(SECRET, str(TS), uid)
    assert kernels.validate_user_signature(lying, TS, SECRET, good, now=TS) is True
    assert kernels.validate_friend_signature(lying, TS, LyingStr("f"), SECRET, good, now=TS) is False
    assert kernels.Signer(SECRET).validate_users([lying, uid], [TS, TS], [good, good], now=TS) == [True, True]


def test_params_changed_while_serialising(kernels: ModuleType) -> None:
    """A value's items() changes the params dict: what is signed is the params as passed."""
    items = {f"k{i:02d}": i for i in range(20)}
    pairs = [(key, str(value)) for key, value in items.items()] + [("mutator", '{"x":[1,"y"]}')]
    assert kernels.build_query_string(mutating_params(items)) == query_string(pairs)
    base = base_string("POST", "https://h/p", pairs)
    assert kernels.build_base_string("POST", "https://h/p", mutating_params(items)) == base
    query, sig = kernels.Signer(SECRET).sign_request("POST", "https://h/p", mutating_params(items))
    assert (query, sig) == (query_string(pairs), b64_hmac_sha1(SECRET, base.encode()))


def test_colliding_and_lying_parameter_names(kernels: ModuleType) -> None:
    params = {colliding("b", "q"): "2", LyingStr("a"): "1", colliding("sig", "r"): "dropped"}
    assert len(params) == 3
    assert kernels.build_query_string(params) == "a=1&b=2"
