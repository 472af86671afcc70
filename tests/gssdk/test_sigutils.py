"""SigUtils: every method against known-answer vectors computed here with stdlib
hmac/base64, and against gigya_fast's snake_case API."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from types import ModuleType
from typing import Any, List
from unittest import mock

import pytest

import gigya_fast
from gigya_fast._gssdk import sigutils
from gigya_fast.errors import InvalidSecretError
from gigya_fast.GSSDK import DEFAULT_SIGNATURE_EXPIRATION, SigUtils
from tests.kernels._vectors import OAUTH_BASE, OAUTH_SECRET, OAUTH_VECTORS

KEY = bytes(range(20))
SECRET = base64.b64encode(KEY).decode()
USER_KEY = "AUSERKEY1"
UID = "_guid_abc123=="
FRIEND = "_guid_friend"


def ref_sig(text: str, key: bytes = KEY) -> str:
    """Independent reference: base64(HMAC-SHA1(key, UTF-8 text))."""
    return base64.b64encode(hmac.new(key, text.encode("utf-8"), hashlib.sha1).digest()).decode()


def now_s() -> int:
    return int(time.time())


# --- calcSignature -------------------------------------------------------------


def test_calc_signature_protocol_vector() -> None:
    assert SigUtils.calcSignature(OAUTH_BASE, OAUTH_SECRET) == OAUTH_VECTORS[0][1]


@pytest.mark.parametrize("text", ["", "hello", "1700000000_" + UID, "ünïcødé ✓", "a" * 5000])
def test_calc_signature_matches_reference_and_snake_case(text: str) -> None:
    assert SigUtils.calcSignature(text, SECRET) == ref_sig(text)
    assert SigUtils.calcSignature(text, SECRET) == gigya_fast.calc_signature(text, SECRET)


def test_calc_signature_bad_secret_is_a_clear_error() -> None:
    with pytest.raises(InvalidSecretError):
        SigUtils.calcSignature("x", "not base64!")
    with pytest.raises(ValueError):  # InvalidSecretError is also a ValueError
        SigUtils.calcSignature("x", "")


# --- validateUserSignature -------------------------------------------------------


def test_default_window_is_five_minutes() -> None:
    assert DEFAULT_SIGNATURE_EXPIRATION == 300


@pytest.mark.parametrize("ts_type", [str, int])
def test_validate_user_signature_fresh(ts_type: type) -> None:
    ts = now_s()
    sig = ref_sig(f"{ts}_{UID}")
    assert SigUtils.validateUserSignature(UID, ts_type(ts), SECRET, sig) is True
    assert gigya_fast.validate_user_signature(UID, ts_type(ts), SECRET, sig) is True


def test_validate_user_signature_rejects_tampering() -> None:
    ts = str(now_s())
    sig = ref_sig(f"{ts}_{UID}")
    assert not SigUtils.validateUserSignature(UID + "x", ts, SECRET, sig)
    assert not SigUtils.validateUserSignature(UID, str(int(ts) + 1), SECRET, sig)
    tampered = sig[:-2] + ("E=" if sig.endswith("A=") else "A=")
    assert tampered != sig
    assert not SigUtils.validateUserSignature(UID, ts, SECRET, tampered)
    assert not SigUtils.validateUserSignature(UID, ts, base64.b64encode(b"other").decode(), sig)
    assert not SigUtils.validateUserSignature(UID, ts, SECRET, "")
    assert not SigUtils.validateUserSignature(UID, ts, SECRET, "ünïcode")


def test_validate_user_signature_missing_fields_are_false() -> None:
    ts = str(now_s())
    sig = ref_sig(f"{ts}_{UID}")
    assert SigUtils.validateUserSignature(None, ts, SECRET, sig) is False
    assert SigUtils.validateUserSignature(UID, None, SECRET, sig) is False
    assert SigUtils.validateUserSignature(UID, ts, SECRET, None) is False


def test_validate_user_signature_window_default_and_edges() -> None:
    # Margins of 2 s keep the test independent of sub-second timing.
    inside = str(now_s() - 298)
    outside = str(now_s() - 302)
    future_outside = str(now_s() + 302)
    assert SigUtils.validateUserSignature(UID, inside, SECRET, ref_sig(f"{inside}_{UID}"))
    assert not SigUtils.validateUserSignature(UID, outside, SECRET, ref_sig(f"{outside}_{UID}"))
    assert not SigUtils.validateUserSignature(UID, future_outside, SECRET, ref_sig(f"{future_outside}_{UID}"))


def test_validate_user_signature_explicit_none_turns_the_check_off() -> None:
    old = "1191242096"
    sig = ref_sig(f"{old}_{UID}")
    assert not SigUtils.validateUserSignature(UID, old, SECRET, sig)
    assert SigUtils.validateUserSignature(UID, old, SECRET, sig, None)
    assert SigUtils.validateUserSignature(UID, old, SECRET, sig, expiration=None)
    assert SigUtils.validateUserSignatureWithExpiration(UID, old, SECRET, sig, None)
    assert gigya_fast.validate_user_signature(UID, old, SECRET, sig, None)


def test_validate_user_signature_with_expiration() -> None:
    ts = str(now_s() - 100)
    sig = ref_sig(f"{ts}_{UID}")
    assert SigUtils.validateUserSignatureWithExpiration(UID, ts, SECRET, sig, 120)
    assert not SigUtils.validateUserSignatureWithExpiration(UID, ts, SECRET, sig, 60)
    for window in (120, 60):
        ours = SigUtils.validateUserSignatureWithExpiration(UID, ts, SECRET, sig, window)
        assert ours == gigya_fast.validate_user_signature(UID, ts, SECRET, sig, window)


@pytest.mark.parametrize("ts", ["", "12ab", "-5", "1e9", "١٢٣", "9" * 16])
def test_validate_user_signature_malformed_timestamp_is_false(ts: str) -> None:
    assert not SigUtils.validateUserSignature(UID, ts, SECRET, ref_sig(f"{ts}_{UID}"))


def test_validate_user_signature_uses_constant_time_kernel(monkeypatch: pytest.MonkeyPatch) -> None:
    """SigUtils delegates to the kernels (whose comparison is hmac.compare_digest / a C equivalent)."""
    import gigya_fast._gssdk.sigutils as mod

    calls: List[Any] = []
    original = gigya_fast.validate_user_signature

    def spy(*args: object, **kwargs: object) -> bool:
        calls.append(args)
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(mod, "validate_user_signature", spy)
    ts = str(now_s())
    assert SigUtils.validateUserSignature(UID, ts, SECRET, ref_sig(f"{ts}_{UID}"))
    assert calls and calls[0][4] == DEFAULT_SIGNATURE_EXPIRATION


@pytest.mark.parametrize("hooked", [False, True], ids=["kernel", "hooks"])
@pytest.mark.parametrize(
    "now, ts, within",
    [
        (1000.0, "700", True),
        (1000.4, "700", False),  # the original rounded now to 1000 first and accepted it
        (999.6, "1300", False),  # rounded to 1000: accepted by the original
        (1000.4, "1300", True),
        (1000.6, "700", False),
    ],
)
def test_window_edge_uses_the_exact_time(
    kernels: ModuleType, monkeypatch: pytest.MonkeyPatch, hooked: bool, now: float, ts: str, within: bool
) -> None:
    for name in ("validate_user_signature", "validate_friend_signature"):
        monkeypatch.setattr(sigutils, name, getattr(kernels, name))
    user_sig, friend_sig = ref_sig(f"{ts}_{UID}"), ref_sig(f"{ts}_{FRIEND}_{UID}")
    if hooked:
        monkeypatch.setattr(SigUtils, "calcSignature", mock.Mock(return_value="S"))
        user_sig = friend_sig = "S"
    monkeypatch.setattr(time, "time", lambda: now)
    assert SigUtils.validateUserSignature(UID, ts, SECRET, user_sig, 300) is within
    assert SigUtils.validateUserSignatureWithExpiration(UID, ts, SECRET, user_sig, 300) is within
    assert SigUtils.validateFriendSignature(UID, ts, FRIEND, SECRET, friend_sig, 300) is within
    assert SigUtils.signatureTimestampExpired(ts, 300) is not within


# --- validateFriendSignature ----------------------------------------------------


def test_validate_friend_signature_fresh_and_tampered() -> None:
    ts = str(now_s())
    sig = ref_sig(f"{ts}_{FRIEND}_{UID}")
    assert SigUtils.validateFriendSignature(UID, ts, FRIEND, SECRET, sig)
    assert gigya_fast.validate_friend_signature(UID, ts, FRIEND, SECRET, sig)
    # Order matters: <timestamp>_<friendUID>_<UID>
    assert not SigUtils.validateFriendSignature(FRIEND, ts, UID, SECRET, sig)
    assert not SigUtils.validateFriendSignature(UID, ts, FRIEND, SECRET, ref_sig(f"{ts}_{UID}_{FRIEND}"))
    assert not SigUtils.validateFriendSignature(UID, ts, None, SECRET, sig)


def test_validate_friend_signature_window() -> None:
    old = str(now_s() - 302)
    sig = ref_sig(f"{old}_{FRIEND}_{UID}")
    assert not SigUtils.validateFriendSignature(UID, old, FRIEND, SECRET, sig)
    assert SigUtils.validateFriendSignature(UID, old, FRIEND, SECRET, sig, None)
    assert SigUtils.validateFriendSignatureWithExpiration(UID, old, FRIEND, SECRET, sig, 400)
    assert not SigUtils.validateFriendSignatureWithExpiration(UID, old, FRIEND, SECRET, sig, 300)
    assert gigya_fast.validate_friend_signature(UID, old, FRIEND, SECRET, sig, 400)


# --- dynamic session cookies -------------------------------------------------------


def test_get_dynamic_session_signature() -> None:
    glt = "LOGINTOKEN123|UUID=abc"
    before = now_s()
    value = SigUtils.getDynamicSessionSignature(glt, 600, SECRET)
    after = now_s()
    exp_text, sig = value.split("_", 1)
    exp = int(exp_text)
    assert before + 600 <= exp <= after + 600
    assert sig == ref_sig(f"LOGINTOKEN123_{exp}")
    assert value == gigya_fast.get_dynamic_session_signature(glt, 600, SECRET, now=exp - 600)


def test_get_dynamic_session_signature_user_signed() -> None:
    glt = "LOGINTOKEN123"
    before = now_s()
    value = SigUtils.getDynamicSessionSignatureUserSigned(glt, 60, USER_KEY, SECRET)
    after = now_s()
    exp_text, user_key, sig = value.split("_", 2)
    exp = int(exp_text)
    assert before + 60 <= exp <= after + 60
    assert user_key == USER_KEY
    assert sig == ref_sig(f"LOGINTOKEN123_{exp}_{USER_KEY}")
    assert value == gigya_fast.get_dynamic_session_signature_user_signed(glt, 60, USER_KEY, SECRET, now=exp - 60)


@pytest.mark.parametrize("hooked", [False, True], ids=["kernel", "hooks"])
@pytest.mark.parametrize(
    "glt, timeout, user_key, message",
    [
        ("glt", 1.5, USER_KEY, "timeoutInSeconds must be int, not float"),
        ("glt", True, USER_KEY, "timeoutInSeconds must be int, not bool"),
        ("glt", "60", USER_KEY, "timeoutInSeconds must be int, not str"),
        (None, 60, USER_KEY, "gltCookie must be str, not NoneType"),
        (b"glt", 60, USER_KEY, "gltCookie must be str, not bytes"),
    ],
)
def test_session_cookie_argument_errors_name_the_originals_parameters(
    kernels: ModuleType,
    monkeypatch: pytest.MonkeyPatch,
    hooked: bool,
    glt: Any,
    timeout: Any,
    user_key: str,
    message: str,
) -> None:
    """The kernels call them glt_cookie / timeout_seconds; the drop-in's callers know gltCookie /
    timeoutInSeconds, on the kernel route (pure and compiled) as when calcSignature is replaced."""
    for name in ("get_dynamic_session_signature", "get_dynamic_session_signature_user_signed"):
        monkeypatch.setattr(sigutils, name, getattr(kernels, name))
    if hooked:
        monkeypatch.setattr(SigUtils, "calcSignature", mock.Mock(return_value="SIG"))
    with pytest.raises(TypeError, match="^%s$" % message):
        SigUtils.getDynamicSessionSignature(glt, timeout, SECRET)
    with pytest.raises(TypeError, match="^%s$" % message):
        SigUtils.getDynamicSessionSignatureUserSigned(glt, timeout, user_key, SECRET)


@pytest.mark.parametrize("hooked", [False, True], ids=["kernel", "hooks"])
@pytest.mark.parametrize("user_key", [None, 1, b"UK"])
def test_session_cookie_user_key_must_be_text(monkeypatch: pytest.MonkeyPatch, hooked: bool, user_key: Any) -> None:
    """As in the original (``... + "_" + userKey``); the hooks route no longer signs ``..._None``."""
    if hooked:
        monkeypatch.setattr(SigUtils, "calcSignature", mock.Mock(return_value="SIG"))
    with pytest.raises(TypeError, match="^userKey must be str, not %s$" % type(user_key).__name__):
        SigUtils.getDynamicSessionSignatureUserSigned("glt", 60, user_key, SECRET)


# --- time helpers ------------------------------------------------------------------


def test_current_time_millis() -> None:
    before = int(time.time() * 1000)
    value = SigUtils.currentTimeMillis()
    after = int(time.time() * 1000)
    assert isinstance(value, int)
    assert before <= value <= after + 1  # rounded, as in the original


def test_signature_timestamp_expired() -> None:
    assert not SigUtils.signatureTimestampExpired(str(now_s()), 300)
    assert not SigUtils.signatureTimestampExpired(now_s() - 298, 300)
    assert SigUtils.signatureTimestampExpired(str(now_s() - 302), 300)
    assert SigUtils.signatureTimestampExpired(str(now_s() + 302), 300)
    assert not SigUtils.signatureTimestampExpired("1000", None)
    assert SigUtils.signatureTimestampExpired("garbage", 300)
    assert SigUtils.signatureTimestampExpired(None, 300)


def test_expired_agrees_with_validation() -> None:
    for offset in (-400, -302, -100, 0, 100, 302, 400):
        ts = str(now_s() + offset)
        sig = ref_sig(f"{ts}_{UID}")
        assert SigUtils.validateUserSignature(UID, ts, SECRET, sig) is not SigUtils.signatureTimestampExpired(ts, 300)
