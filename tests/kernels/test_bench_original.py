"""The benchmarks' re-implementation of the ORIGINAL GSSDK.py algorithm
(``benchmarks/original.py``, a source checkout only) is faithful: it signs the
docs/protocol.md vectors and agrees with our kernels where the two specifications
agree, and keeps the original's quirks where they differ."""

from __future__ import annotations

import time
from types import ModuleType

import pytest

from ._reference import SECRET, b64_hmac_sha1, uid_signature
from ._vectors import ENCODING_INPUT, ENCODING_OUTPUT, OAUTH_BASE, OAUTH_PARAMS, OAUTH_SECRET, OAUTH_VECTORS

original = pytest.importorskip("benchmarks.original", reason="benchmarks/ is not here (not a source checkout)")
GSRequestSigning, SigUtils = original.GSRequestSigning, original.SigUtils


def test_oauth_vector() -> None:
    request = GSRequestSigning()
    url, sig = OAUTH_VECTORS[0]
    assert request.calcOAuth1BaseString("POST", url, False, OAUTH_PARAMS) == OAUTH_BASE
    assert request.getOAuth1Signature(OAUTH_SECRET, "POST", url, False, OAUTH_PARAMS) == sig


def test_encoding_vector() -> None:
    assert GSRequestSigning().UrlEncode(ENCODING_INPUT) == ENCODING_OUTPUT


def test_non_default_port_raises_as_in_the_original() -> None:
    with pytest.raises(TypeError):
        GSRequestSigning().calcOAuth1BaseString("POST", OAUTH_VECTORS[1][0], False, OAUTH_PARAMS)


def test_secure_flag_forces_https() -> None:
    base = GSRequestSigning().calcOAuth1BaseString("POST", "http://h.example/m", True, {"a": "1"})
    assert base.startswith("POST&https%3A%2F%2Fh.example%2Fm&")


def test_original_value_quirks() -> None:
    request = GSRequestSigning()
    assert request.UrlEncode(True) == "True"
    assert request.UrlEncode(5) == "5"
    assert request.UrlEncode(None) is None
    assert request.UrlEncode({"a": [1, "é"]}) == "%7B%22a%22%3A%20%5B1%2C%20%22%5Cu00e9%22%5D%7D"
    with pytest.raises(AttributeError):
        request.UrlEncode(1.5)


def test_query_string_sorted_and_none_left_out() -> None:
    assert GSRequestSigning().buildQS({"b": "x y", "a": 1, "c": None}) == "a=1&b=x%20y"


def test_calc_signature() -> None:
    assert SigUtils.calcSignature("abc é", SECRET) == b64_hmac_sha1(SECRET, "abc é".encode())


@pytest.mark.parametrize("uid", ["_gid_abc", "üser"])
def test_validate_user_agrees_with_ours(kernels: ModuleType, uid: str) -> None:
    stamp = str(int(time.time()))
    sig = uid_signature(SECRET, stamp, uid)
    for candidate, ok in ((sig, True), (sig[:-2] + "AA", sig.endswith("AA=")), (None, False)):
        assert SigUtils.validateUserSignature(uid, stamp, SECRET, candidate) is ok
        assert kernels.validate_user_signature(uid, stamp, SECRET, candidate) is ok


def test_validate_user_default_skips_expiry() -> None:
    stamp = "1000000000"
    sig = uid_signature(SECRET, stamp, "u")
    assert SigUtils.validateUserSignature("u", stamp, SECRET, sig) is True
    assert SigUtils.validateUserSignature("u", stamp, SECRET, sig, 300) is False


def test_validate_friend() -> None:
    stamp = str(int(time.time()))
    sig = b64_hmac_sha1(SECRET, (stamp + "_f_u").encode())
    assert SigUtils.validateFriendSignature("u", stamp, "f", SECRET, sig, 300) is True
    assert SigUtils.validateFriendSignature("f", stamp, "u", SECRET, sig) is False


def test_dynamic_session_signs_whole_cookie() -> None:
    value = SigUtils.getDynamicSessionSignature("tok|x", 60, SECRET)
    exp, sig = value.split("_", 1)
    assert sig == b64_hmac_sha1(SECRET, ("tok|x_" + exp).encode())
