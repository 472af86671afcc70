"""SigUtils' ``expiration`` argument is checked on every route, as the kernels check it.

The original compared ``abs(now - ts) > expiration``: NaN or ``inf`` made every
timestamp fresh, ``-inf`` or a negative window every timestamp expired, and a
``bool`` counted as 0 or 1. The drop-in refuses them with the kernels' errors
(``ValueError`` for NaN, infinities and negatives, ``TypeError`` for other
types), whether its helpers run on the kernels or through replaced hooks, so
that no such value reaches a time check. Text such as ``"300"`` was a
``TypeError`` in the original too (``int > str``); it still is.

The fast path is run over both kernel implementations (``kernels`` fixture);
the hooks route and ``signatureTimestampExpired`` do their own arithmetic.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
import time
from types import ModuleType
from typing import Any, Callable, Iterator, List
from unittest import mock

import pytest

from gigya_fast._gssdk import sigutils
from gigya_fast.GSSDK import SigUtils

KEY = bytes(range(20))
SECRET = base64.b64encode(KEY).decode()
UID = "_guid_abc123=="
FRIEND = "_guid_friend"

NAN, INF = float("nan"), float("inf")

#: (expiration, error type): the values refused on every route.
BAD_EXPIRATIONS = [
    pytest.param(NAN, ValueError, id="nan"),
    pytest.param(INF, ValueError, id="inf"),
    pytest.param(-INF, ValueError, id="-inf"),
    pytest.param(-1, ValueError, id="negative-int"),
    pytest.param(-0.5, ValueError, id="negative-float"),
    pytest.param(-(10**30), ValueError, id="huge-negative-int"),
    pytest.param(True, TypeError, id="True"),
    pytest.param(False, TypeError, id="False"),
    pytest.param("300", TypeError, id="numeric-text"),
    pytest.param(b"300", TypeError, id="bytes"),
]


class Seconds(int):
    """An int subclass (say, from a units library): accepted, as the kernels accept it."""


def sig(text: str) -> str:
    return base64.b64encode(hmac.new(KEY, text.encode("utf-8"), hashlib.sha1).digest()).decode()


def fresh() -> str:
    return str(int(time.time()))


@pytest.fixture
def fast_path(kernels: ModuleType, monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    """SigUtils on its kernel fast path, over the pure and then the compiled kernels."""
    monkeypatch.setattr(sigutils, "validate_user_signature", kernels.validate_user_signature)
    monkeypatch.setattr(sigutils, "validate_friend_signature", kernels.validate_friend_signature)
    assert sigutils.hooks_intact()
    yield kernels


# --- refused values, on every entry point -------------------------------------------


@pytest.mark.parametrize("expiration, error", BAD_EXPIRATIONS)
def test_fast_path_refuses(fast_path: ModuleType, expiration: Any, error: type) -> None:
    ts = fresh()
    with pytest.raises(error, match="expiration"):
        SigUtils.validateUserSignature(UID, ts, SECRET, sig(f"{ts}_{UID}"), expiration)
    with pytest.raises(error, match="expiration"):
        SigUtils.validateUserSignatureWithExpiration(UID, ts, SECRET, sig(f"{ts}_{UID}"), expiration)
    friend_sig = sig(f"{ts}_{FRIEND}_{UID}")
    with pytest.raises(error, match="expiration"):
        SigUtils.validateFriendSignature(UID, ts, FRIEND, SECRET, friend_sig, expiration)
    with pytest.raises(error, match="expiration"):
        SigUtils.validateFriendSignatureWithExpiration(UID, ts, FRIEND, SECRET, friend_sig, expiration)


@pytest.mark.parametrize("expiration, error", BAD_EXPIRATIONS)
def test_signature_timestamp_expired_refuses(expiration: Any, error: type) -> None:
    with pytest.raises(error, match="expiration"):
        SigUtils.signatureTimestampExpired(fresh(), expiration)
    with pytest.raises(error, match="expiration"):  # even when the timestamp alone would say "expired"
        SigUtils.signatureTimestampExpired("not digits", expiration)


@pytest.mark.parametrize("expiration, error", BAD_EXPIRATIONS)
def test_mocked_calc_signature_route_refuses(expiration: Any, error: type) -> None:
    """The reported hole: with calcSignature replaced, ``expiration=nan`` validated any timestamp."""
    ts = "1586977937"  # from 2020: never within a real window
    with mock.patch.object(SigUtils, "calcSignature", return_value="s") as calc:
        with pytest.raises(error, match="expiration"):
            SigUtils.validateUserSignature(UID, ts, SECRET, "s", expiration)
        with pytest.raises(error, match="expiration"):
            SigUtils.validateFriendSignature(UID, ts, FRIEND, SECRET, "s", expiration)
        with pytest.raises(error, match="expiration"):
            SigUtils.validateUserSignatureWithExpiration(UID, ts, SECRET, "s", expiration)
        with pytest.raises(error, match="expiration"):
            SigUtils.validateFriendSignatureWithExpiration(UID, ts, FRIEND, SECRET, "s", expiration)
    calc.assert_not_called()


@pytest.mark.parametrize("expiration, error", BAD_EXPIRATIONS)
def test_a_replaced_expiry_check_never_sees_them(expiration: Any, error: type) -> None:
    with mock.patch.object(SigUtils, "calcSignature", return_value="s"):
        with mock.patch.object(SigUtils, "signatureTimestampExpired", return_value=False) as expired:
            with pytest.raises(error, match="expiration"):
                SigUtils.validateUserSignature(UID, fresh(), SECRET, "s", expiration)
            with pytest.raises(error, match="expiration"):
                SigUtils.validateFriendSignature(UID, fresh(), FRIEND, SECRET, "s", expiration)
    expired.assert_not_called()


@pytest.mark.parametrize("expiration, error", BAD_EXPIRATIONS)
def test_mocked_validators_under_with_expiration_refuse(expiration: Any, error: type) -> None:
    with mock.patch.object(SigUtils, "validateUserSignature", return_value=True) as user:
        with mock.patch.object(SigUtils, "validateFriendSignature", return_value=True) as friend:
            with pytest.raises(error, match="expiration"):
                SigUtils.validateUserSignatureWithExpiration(UID, fresh(), SECRET, "s", expiration)
            with pytest.raises(error, match="expiration"):
                SigUtils.validateFriendSignatureWithExpiration(UID, fresh(), FRIEND, SECRET, "s", expiration)
    user.assert_not_called()
    friend.assert_not_called()


def test_every_route_gives_the_kernels_message(fast_path: ModuleType) -> None:
    ts = fresh()
    good = sig(f"{ts}_{UID}")

    def on_kernels(expiration: Any) -> object:
        return SigUtils.validateUserSignature(UID, ts, SECRET, good, expiration)

    def through_hooks(expiration: Any) -> object:
        with mock.patch.object(SigUtils, "calcSignature", return_value="s"):
            return SigUtils.validateUserSignature(UID, ts, SECRET, "s", expiration)

    def expired(expiration: Any) -> object:
        return SigUtils.signatureTimestampExpired(ts, expiration)

    routes: List[Callable[[Any], object]] = [on_kernels, through_hooks, expired]
    for expiration, message in (
        (NAN, "expiration must be a finite number, not nan"),
        (-1, "expiration must not be negative, not -1"),
        (True, "expiration must be int, float or None, not bool"),
    ):
        for route in routes:
            with pytest.raises((ValueError, TypeError)) as caught:
                route(expiration)
            assert str(caught.value) == message, route.__name__


def test_missing_fields_still_answer_false_first(fast_path: ModuleType) -> None:
    """A response without UIDSignature is not valid, whatever the window: as on the kernel path."""
    assert SigUtils.validateUserSignature(UID, fresh(), SECRET, None, NAN) is False
    with mock.patch.object(SigUtils, "calcSignature", return_value="s"):
        assert SigUtils.validateUserSignature(UID, fresh(), SECRET, None, NAN) is False


# --- accepted values: the original's behaviour, on every route ------------------------


@pytest.mark.parametrize(
    "expiration",
    [300, 300.5, 120.25, Seconds(120), 10**30, None],
    ids=["int", "float", "small-float", "int-subclass", "huge-int", "None"],
)
@pytest.mark.parametrize("offset, within", [(-100, True), (100, True), (-400, False), (400, False)])
def test_valid_windows_agree_on_every_route(fast_path: ModuleType, expiration: Any, offset: int, within: bool) -> None:
    limit = math.inf if expiration is None else float(expiration)
    expected = within or limit > 400
    ts = str(int(time.time()) + offset)
    good = sig(f"{ts}_{UID}")
    assert SigUtils.validateUserSignature(UID, ts, SECRET, good, expiration) is expected
    assert SigUtils.signatureTimestampExpired(ts, expiration) is not expected
    friend_good = sig(f"{ts}_{FRIEND}_{UID}")
    assert SigUtils.validateFriendSignature(UID, ts, FRIEND, SECRET, friend_good, expiration) is expected
    with mock.patch.object(SigUtils, "calcSignature", return_value="s"):
        assert SigUtils.validateUserSignature(UID, ts, SECRET, "s", expiration) is expected
        assert SigUtils.validateUserSignatureWithExpiration(UID, ts, SECRET, "s", expiration) is expected
