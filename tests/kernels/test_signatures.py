"""calc_signature, validate_user_signature / validate_friend_signature (the time
window) and the dynamic session signatures, over both implementations."""

from __future__ import annotations

import time
from types import ModuleType
from typing import Union

import pytest

from ._reference import OTHER_SECRET, SECRET, b64_hmac_sha1, friend_signature, uid_signature

TS = 1700000000
UID = "_gid_Q2xpZW50"
FRIEND = "_gid_RnJpZW5k"
USER_SIG = uid_signature(SECRET, str(TS), UID)
FRIEND_SIG = friend_signature(SECRET, str(TS), FRIEND, UID)


# --- calc_signature -------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "a", "POST&x&y", "日本\U0001f600", "x" * 10000])
def test_calc_signature(kernels: ModuleType, text: str) -> None:
    assert kernels.calc_signature(text, SECRET) == b64_hmac_sha1(SECRET, text.encode("utf-8"))


def test_calc_signature_depends_on_secret(kernels: ModuleType) -> None:
    a = kernels.calc_signature("base", SECRET)
    b = kernels.calc_signature("base", OTHER_SECRET)
    assert a != b
    assert b == b64_hmac_sha1(OTHER_SECRET, b"base")


def test_calc_signature_many_secrets(kernels: ModuleType) -> None:
    # More distinct secrets than any internal cache holds: each still signs with its own key.
    import base64

    for i in range(200):
        secret = base64.b64encode(b"k%d" % i).decode()
        assert kernels.calc_signature("m", secret) == b64_hmac_sha1(secret, b"m")


# --- validate_user_signature: the window ---------------------------------------------


Stamp = Union[str, int]


@pytest.mark.parametrize("timestamp", [str(TS), TS])
@pytest.mark.parametrize("delta", [-300, -299, -1, 0, 1, 299, 300])
def test_user_window_inclusive(kernels: ModuleType, timestamp: Stamp, delta: int) -> None:
    assert kernels.validate_user_signature(UID, timestamp, SECRET, USER_SIG, now=TS + delta) is True


@pytest.mark.parametrize("timestamp", [str(TS), TS])
@pytest.mark.parametrize("delta", [-100000, -302, -301, 301, 302, 10**9])
def test_user_window_exceeded(kernels: ModuleType, timestamp: Stamp, delta: int) -> None:
    assert kernels.validate_user_signature(UID, timestamp, SECRET, USER_SIG, now=TS + delta) is False


@pytest.mark.parametrize(
    ("now", "expiration", "ok"),
    [
        (TS + 300.0, 300, True),
        (TS - 300.0, 300, True),
        (TS + 300.25, 300, False),
        (TS - 300.25, 300, False),
        (TS + 299.999, 300, True),
        (TS + 300.25, 300.5, True),
        (TS + 300.75, 300.5, False),
        (TS + 10, 10, True),
        (TS + 11, 10, False),
        (TS, 0, True),
        (TS + 1, 0, False),
        (TS + 0.5, 0, False),
        (TS + 10**6, 10**6, True),
        (float(TS), 0.0, True),
    ],
)
def test_user_window_float_and_custom(
    kernels: ModuleType, now: Union[int, float], expiration: Union[int, float], ok: bool
) -> None:
    assert kernels.validate_user_signature(UID, TS, SECRET, USER_SIG, expiration, now=now) is ok
    assert kernels.Signer(SECRET).validate_user(UID, str(TS), USER_SIG, expiration=expiration, now=now) is ok


def test_user_default_window_is_300(kernels: ModuleType) -> None:
    assert kernels.validate_user_signature(UID, TS, SECRET, USER_SIG, now=TS + 300) is True
    assert kernels.validate_user_signature(UID, TS, SECRET, USER_SIG, now=TS + 301) is False


def test_user_expiration_none_disables_window(kernels: ModuleType) -> None:
    assert kernels.validate_user_signature(UID, TS, SECRET, USER_SIG, None, now=TS + 10**9) is True
    assert kernels.validate_user_signature(UID, TS, SECRET, USER_SIG, None) is True
    assert kernels.Signer(SECRET).validate_user(UID, TS, USER_SIG, expiration=None) is True


@pytest.mark.parametrize("timestamp", ["", " 1700000000", "1700000000 ", "+1700000000", "-5", "17e8", "0x1F", "١٧٠٠"])
def test_non_decimal_timestamp_text(kernels: ModuleType, timestamp: str) -> None:
    sig = uid_signature(SECRET, timestamp, UID)
    # Never within a window...
    assert kernels.validate_user_signature(UID, timestamp, SECRET, sig, 10**12, now=TS) is False
    # ...but the signature over the text as given still checks when the window is off.
    assert kernels.validate_user_signature(UID, timestamp, SECRET, sig, None) is True


def test_negative_int_timestamp(kernels: ModuleType) -> None:
    sig = uid_signature(SECRET, "-5", UID)
    assert kernels.validate_user_signature(UID, -5, SECRET, sig, 10**12, now=0) is False
    assert kernels.validate_user_signature(UID, -5, SECRET, sig, None) is True


def test_leading_zero_timestamp_signed_as_text(kernels: ModuleType) -> None:
    text = "0" + str(TS)
    sig = uid_signature(SECRET, text, UID)
    assert kernels.validate_user_signature(UID, text, SECRET, sig, now=TS) is True
    assert kernels.validate_user_signature(UID, TS, SECRET, sig, now=TS) is False


def test_timestamp_digit_limit(kernels: ModuleType) -> None:
    fifteen, sixteen = "9" * 15, "1" + "0" * 15
    big = 10.0**16
    sig15, sig16 = uid_signature(SECRET, fifteen, UID), uid_signature(SECRET, sixteen, UID)
    assert kernels.validate_user_signature(UID, fifteen, SECRET, sig15, big, now=0) is True
    assert kernels.validate_user_signature(UID, sixteen, SECRET, sig16, big, now=0) is False
    assert kernels.validate_user_signature(UID, int(sixteen), SECRET, sig16, None) is True


def test_int_subclass_timestamp_uses_the_number(kernels: ModuleType) -> None:
    class Stamp(int):
        def __repr__(self) -> str:
            return "nope"

        __str__ = __repr__

    assert kernels.validate_user_signature(UID, Stamp(TS), SECRET, USER_SIG, now=TS) is True


def test_default_now_is_the_clock(kernels: ModuleType) -> None:
    fresh = int(time.time())
    sig = uid_signature(SECRET, str(fresh), UID)
    assert kernels.validate_user_signature(UID, fresh, SECRET, sig) is True
    stale = fresh - 1000
    assert kernels.validate_user_signature(UID, stale, SECRET, uid_signature(SECRET, str(stale), UID)) is False


def test_wrong_uid_or_secret(kernels: ModuleType) -> None:
    assert kernels.validate_user_signature(UID + "x", TS, SECRET, USER_SIG, now=TS) is False
    assert kernels.validate_user_signature(UID, TS, OTHER_SECRET, USER_SIG, now=TS) is False
    assert kernels.validate_user_signature(UID, TS + 1, SECRET, USER_SIG, now=TS) is False


# --- validate_friend_signature ---------------------------------------------------------


@pytest.mark.parametrize("timestamp", [str(TS), TS])
@pytest.mark.parametrize(("delta", "ok"), [(-301, False), (-300, True), (0, True), (300, True), (301, False)])
def test_friend_window(kernels: ModuleType, timestamp: Stamp, delta: int, ok: bool) -> None:
    assert kernels.validate_friend_signature(UID, timestamp, FRIEND, SECRET, FRIEND_SIG, now=TS + delta) is ok
    signer = kernels.Signer(SECRET)
    assert signer.validate_friend(UID, timestamp, FRIEND, FRIEND_SIG, now=TS + delta) is ok


def test_friend_float_now_and_none(kernels: ModuleType) -> None:
    assert kernels.validate_friend_signature(UID, TS, FRIEND, SECRET, FRIEND_SIG, 300, now=TS + 300.5) is False
    assert kernels.validate_friend_signature(UID, TS, FRIEND, SECRET, FRIEND_SIG, 300.5, now=TS + 300.5) is True
    assert kernels.validate_friend_signature(UID, TS, FRIEND, SECRET, FRIEND_SIG, None, now=0) is True


def test_friend_not_a_user_signature(kernels: ModuleType) -> None:
    assert kernels.validate_friend_signature(UID, TS, FRIEND, SECRET, USER_SIG, now=TS) is False
    assert kernels.validate_user_signature(UID, TS, SECRET, FRIEND_SIG, now=TS) is False


# --- dynamic session signatures -----------------------------------------------------------


def _session(token: str, exp: int, user_key: str | None = None) -> str:
    if user_key is None:
        return f"{exp}_{b64_hmac_sha1(SECRET, f'{token}_{exp}'.encode())}"
    sig = b64_hmac_sha1(SECRET, f"{token}_{exp}_{user_key}".encode())
    return f"{exp}_{user_key}_{sig}"


@pytest.mark.parametrize("now", [TS + 0.999, float(TS), TS + 0.0001])
def test_dynamic_session_float_now_truncated(kernels: ModuleType, now: float) -> None:
    assert kernels.get_dynamic_session_signature("tok|x", 60, SECRET, now=now) == _session("tok", TS + 60)
    user = kernels.get_dynamic_session_signature_user_signed("tok|x", 60, "UK", SECRET, now=now)
    assert user == _session("tok", TS + 60, "UK")


def test_dynamic_session_default_now(kernels: ModuleType) -> None:
    before = int(time.time())
    value = kernels.get_dynamic_session_signature("tok", 120, SECRET)
    after = int(time.time())
    exp = int(value.split("_", 1)[0])
    assert before + 120 <= exp <= after + 120
    assert value == _session("tok", exp)


def test_dynamic_session_user_signed_default_now(kernels: ModuleType) -> None:
    before = int(time.time())
    value = kernels.get_dynamic_session_signature_user_signed("tok|z", 5, "key", SECRET)
    after = int(time.time())
    exp = int(value.split("_", 1)[0])
    assert before + 5 <= exp <= after + 5
    assert value == _session("tok", exp, "key")


def test_dynamic_session_negative_timeout(kernels: ModuleType) -> None:
    assert kernels.get_dynamic_session_signature("t", -60, SECRET, now=TS) == _session("t", TS - 60)


@pytest.mark.parametrize("timeout", [1.5, "60", None, True])
def test_dynamic_session_timeout_must_be_int(kernels: ModuleType, timeout: object) -> None:
    with pytest.raises(TypeError, match=f"^timeout_seconds must be int, not {type(timeout).__name__}$"):
        kernels.get_dynamic_session_signature("t", timeout, SECRET, now=TS)
    with pytest.raises(TypeError, match=f"^timeout_seconds must be int, not {type(timeout).__name__}$"):
        kernels.get_dynamic_session_signature_user_signed("t", timeout, "k", SECRET, now=TS)


@pytest.mark.parametrize("cookie", [None, b"tok", 5])
def test_dynamic_session_cookie_must_be_str(kernels: ModuleType, cookie: object) -> None:
    with pytest.raises(TypeError, match=f"^glt_cookie must be str, not {type(cookie).__name__}$"):
        kernels.get_dynamic_session_signature(cookie, 60, SECRET, now=TS)


def test_dynamic_session_user_key_must_be_str(kernels: ModuleType) -> None:
    with pytest.raises(TypeError, match="^user_key must be str, not NoneType$"):
        kernels.get_dynamic_session_signature_user_signed("t", 60, None, SECRET, now=TS)


@pytest.mark.parametrize("now", ["1700000000", True])
def test_dynamic_session_now_must_be_number(kernels: ModuleType, now: object) -> None:
    with pytest.raises(TypeError, match=f"^now must be int, float or None, not {type(now).__name__}$"):
        kernels.get_dynamic_session_signature("t", 60, SECRET, now=now)
