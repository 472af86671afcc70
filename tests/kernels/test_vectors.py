"""Known-answer vectors: the published OAuth1 and encoding examples (``_vectors.py``, see
docs/protocol.md) and our own UIDSignature, friendship and dynamic-session vectors computed
with the stdlib."""

from __future__ import annotations

from types import ModuleType

import pytest

from ._reference import SECRET, b64_hmac_sha1, friend_signature, rfc3986, uid_signature
from ._vectors import ENCODING_INPUT, ENCODING_OUTPUT, OAUTH_BASE, OAUTH_PARAMS, OAUTH_SECRET, OAUTH_VECTORS


def test_oauth_base_string(kernels: ModuleType) -> None:
    assert kernels.build_base_string("POST", OAUTH_VECTORS[0][0], OAUTH_PARAMS) == OAUTH_BASE


def test_oauth_base_string_method_is_upper_cased(kernels: ModuleType) -> None:
    assert kernels.build_base_string("post", OAUTH_VECTORS[0][0], OAUTH_PARAMS) == OAUTH_BASE


@pytest.mark.parametrize(("url", "sig"), OAUTH_VECTORS)
def test_oauth_signature(kernels: ModuleType, url: str, sig: str) -> None:
    base = kernels.build_base_string("POST", url, OAUTH_PARAMS)
    assert kernels.calc_signature(base, OAUTH_SECRET) == sig
    assert kernels.Signer(OAUTH_SECRET).sign(base) == sig


@pytest.mark.parametrize(("url", "sig"), OAUTH_VECTORS)
def test_oauth_sign_request(kernels: ModuleType, url: str, sig: str) -> None:
    query, signature = kernels.Signer(OAUTH_SECRET).sign_request("POST", url, OAUTH_PARAMS)
    assert signature == sig
    assert query == kernels.build_query_string(OAUTH_PARAMS)


def test_oauth_vector_matches_stdlib(kernels: ModuleType) -> None:
    # The published vector is itself consistent with a plain stdlib HMAC.
    assert b64_hmac_sha1(OAUTH_SECRET, OAUTH_BASE.encode()) == OAUTH_VECTORS[0][1]


def test_encoding_vector(kernels: ModuleType) -> None:
    assert kernels.percent_encode(ENCODING_INPUT) == ENCODING_OUTPUT
    assert rfc3986(ENCODING_INPUT) == ENCODING_OUTPUT


UID_CASES = [
    ("_gid_Abc123XyZ", "1700000000"),
    ("c2a6d8e6f1b44cde9f0e4f8b7b6e1a22", "1191242096"),
    ("üser-日本-\U0001f600", "1700000123"),
    ("", "1700000000"),
]


@pytest.mark.parametrize(("uid", "timestamp"), UID_CASES)
def test_uid_signature_vectors(kernels: ModuleType, uid: str, timestamp: str) -> None:
    sig = uid_signature(SECRET, timestamp, uid)
    now = int(timestamp)
    assert kernels.validate_user_signature(uid, timestamp, SECRET, sig, now=now) is True
    assert kernels.validate_user_signature(uid, int(timestamp), SECRET, sig, now=now) is True
    assert kernels.Signer(SECRET).validate_user(uid, timestamp, sig, now=now) is True
    assert kernels.calc_signature(timestamp + "_" + uid, SECRET) == sig


@pytest.mark.parametrize(("uid", "timestamp"), UID_CASES)
def test_friend_signature_vectors(kernels: ModuleType, uid: str, timestamp: str) -> None:
    friend = "friend-" + uid[::-1] + "-Ω"
    sig = friend_signature(SECRET, timestamp, friend, uid)
    now = int(timestamp)
    assert kernels.validate_friend_signature(uid, timestamp, friend, SECRET, sig, now=now) is True
    assert kernels.validate_friend_signature(uid, int(timestamp), friend, SECRET, sig, now=now) is True
    assert kernels.Signer(SECRET).validate_friend(uid, timestamp, friend, sig, now=now) is True
    # Order matters: <timestamp>_<friendUID>_<UID>.
    assert kernels.validate_friend_signature(friend, timestamp, uid, SECRET, sig, now=now) is False


@pytest.mark.parametrize("cookie", ["LT3_abcdef.1234|UUID=xyz", "plain-token", "tök€n|a|b", "|empty-token"])
@pytest.mark.parametrize("timeout", [0, 1, 600, 86400])
def test_dynamic_session_signature_vector(kernels: ModuleType, cookie: str, timeout: int) -> None:
    now = 1700000000
    token = cookie.split("|")[0]
    exp = now + timeout
    expected = f"{exp}_{b64_hmac_sha1(SECRET, f'{token}_{exp}'.encode())}"
    assert kernels.get_dynamic_session_signature(cookie, timeout, SECRET, now=now) == expected


@pytest.mark.parametrize("cookie", ["LT3_abcdef.1234|UUID=xyz", "tök€n"])
@pytest.mark.parametrize("user_key", ["AJ1s2Kp6ZyQh", "ключ"])
def test_dynamic_session_signature_user_signed_vector(kernels: ModuleType, cookie: str, user_key: str) -> None:
    now, timeout = 1700000000, 3600
    token = cookie.split("|")[0]
    exp = now + timeout
    sig = b64_hmac_sha1(SECRET, f"{token}_{exp}_{user_key}".encode())
    expected = f"{exp}_{user_key}_{sig}"
    assert kernels.get_dynamic_session_signature_user_signed(cookie, timeout, user_key, SECRET, now=now) == expected
