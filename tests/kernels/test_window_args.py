"""Times and windows taken by the kernels: NaN and infinities (and a negative
expiration, which would reject every signature) are a clear ValueError in both
twins, never a silent verdict; number subclasses count by their real value."""

from __future__ import annotations

import math
import re
from types import ModuleType
from typing import Any, Callable, Dict

import pytest

from ._reference import SECRET, friend_signature, uid_signature

TS = 1_700_000_000
UID = "u"
SIG = uid_signature(SECRET, str(TS), UID)
FSIG = friend_signature(SECRET, str(TS), "f", UID)
NON_FINITE = [math.nan, math.inf, -math.inf]

# Every kernel entry point that takes a time or a window, called with (expiration, now).
CALLS: Dict[str, Callable[[ModuleType, Any, Any], Any]] = {
    "validate_user_signature": lambda k, e, n: k.validate_user_signature(UID, TS, SECRET, SIG, e, now=n),
    "validate_friend_signature": lambda k, e, n: k.validate_friend_signature(UID, TS, "f", SECRET, FSIG, e, now=n),
    "Signer.validate_user": lambda k, e, n: k.Signer(SECRET).validate_user(UID, TS, SIG, e, now=n),
    "Signer.validate_friend": lambda k, e, n: k.Signer(SECRET).validate_friend(UID, TS, "f", FSIG, e, now=n),
    "Signer.validate_users": lambda k, e, n: k.Signer(SECRET).validate_users([UID], [TS], [SIG], expiration=e, now=n),
    "validate_user_signatures": lambda k, e, n: k.validate_user_signatures(
        [UID], [TS], [SIG], SECRET, expiration=e, now=n
    ),
}
NOW_ONLY: Dict[str, Callable[[ModuleType, Any], Any]] = {
    "get_dynamic_session_signature": lambda k, n: k.get_dynamic_session_signature("LT|x", 60, SECRET, now=n),
    "get_dynamic_session_signature_user_signed": lambda k, n: k.get_dynamic_session_signature_user_signed(
        "LT|x", 60, "key", SECRET, now=n
    ),
}


class FloatSub(float):
    """A float subclass whose comparisons lie: the kernels must use its real value."""

    def __lt__(self, other: object) -> bool:
        return False

    def __sub__(self, other: object) -> float:
        return 0.0

    __rsub__ = __sub__


@pytest.mark.parametrize("name", sorted(CALLS))
@pytest.mark.parametrize("value", NON_FINITE, ids=repr)
def test_non_finite_expiration_is_rejected(kernels: ModuleType, name: str, value: float) -> None:
    with pytest.raises(ValueError, match=r"^expiration must be a finite number, not %s$" % re.escape(repr(value))):
        CALLS[name](kernels, value, TS)


@pytest.mark.parametrize("name", sorted(CALLS))
@pytest.mark.parametrize("value", NON_FINITE, ids=repr)
def test_non_finite_now_is_rejected(kernels: ModuleType, name: str, value: float) -> None:
    with pytest.raises(ValueError, match=r"^now must be a finite number, not %s$" % re.escape(repr(value))):
        CALLS[name](kernels, 300, value)
    # also when the window is off: a NaN clock is a caller's bug either way
    with pytest.raises(ValueError, match="^now must be a finite number"):
        CALLS[name](kernels, None, value)


@pytest.mark.parametrize("name", sorted(NOW_ONLY))
@pytest.mark.parametrize("value", NON_FINITE, ids=repr)
def test_non_finite_now_in_dynamic_session(kernels: ModuleType, name: str, value: float) -> None:
    with pytest.raises(ValueError, match=r"^now must be a finite number, not %s$" % re.escape(repr(value))):
        NOW_ONLY[name](kernels, value)


@pytest.mark.parametrize("name", sorted(CALLS))
@pytest.mark.parametrize("value", [-1, -0.5, -(2**70)])
def test_negative_expiration_is_rejected(kernels: ModuleType, name: str, value: float) -> None:
    with pytest.raises(ValueError, match=r"^expiration must not be negative, not %s$" % re.escape(repr(value))):
        CALLS[name](kernels, value, TS)


@pytest.mark.parametrize("name", sorted(CALLS))
def test_zero_and_huge_windows_still_work(kernels: ModuleType, name: str) -> None:
    assert CALLS[name](kernels, 0, TS) in (True, [True])
    assert CALLS[name](kernels, -0.0, TS) in (True, [True])
    assert CALLS[name](kernels, 2**70, -(2**69)) in (True, [True])
    assert CALLS[name](kernels, 300, TS + 301) in (False, [False])


def test_type_errors_come_before_value_errors(kernels: ModuleType) -> None:
    with pytest.raises(TypeError, match="^now must be int, float or None, not str$"):
        kernels.validate_user_signature(UID, TS, SECRET, SIG, 300, now="x")
    with pytest.raises(ValueError, match="^expiration must be a finite number"):
        kernels.validate_user_signature(UID, TS, SECRET, SIG, math.nan, now="x")


@pytest.mark.parametrize("name", sorted(CALLS))
def test_number_subclasses_count_by_their_real_value(kernels: ModuleType, name: str) -> None:
    # FloatSub's lying operators would put any timestamp in the window
    assert CALLS[name](kernels, FloatSub(300.0), FloatSub(TS + 1000.0)) in (False, [False])
    assert CALLS[name](kernels, FloatSub(300.0), FloatSub(TS + 10.0)) in (True, [True])
    with pytest.raises(ValueError, match="^expiration must not be negative"):
        CALLS[name](kernels, FloatSub(-1.0), TS)
    with pytest.raises(ValueError, match="^now must be a finite number, not nan$"):
        CALLS[name](kernels, 300, FloatSub(math.nan))
