"""str / int subclasses are used for the text / number they hold: methods a
subclass overrides (``encode``, ``isascii``, ``__str__``...) never change what
is encoded, signed or compared."""

from __future__ import annotations

import enum
from types import ModuleType
from typing import Any

import pytest

from ._reference import SECRET, b64_hmac_sha1, rfc3986, uid_signature

TS = 1700000000


class Sneaky(str):
    """Overrides what a careless implementation might call."""

    def encode(self, *args: Any, **kwargs: Any) -> bytes:
        return b"sneaky"

    def isascii(self) -> bool:
        return False

    def __str__(self) -> str:
        return "sneaky"

    def __repr__(self) -> str:
        return "sneaky"


class Stamp(int):
    def __str__(self) -> str:
        return "1"

    __repr__ = __str__


class Level(enum.IntEnum):
    HIGH = 3


def test_percent_encode_uses_the_text(kernels: ModuleType) -> None:
    assert kernels.percent_encode(Sneaky("a b/é")) == rfc3986("a b/é")


def test_sign_uses_the_text(kernels: ModuleType) -> None:
    expected = b64_hmac_sha1(SECRET, "POST&x é".encode())
    assert kernels.Signer(SECRET).sign(Sneaky("POST&x é")) == expected
    assert kernels.calc_signature(Sneaky("POST&x é"), SECRET) == expected


def test_signature_subclass_compared_by_text(kernels: ModuleType) -> None:
    good = Sneaky(uid_signature(SECRET, str(TS), "u"))
    assert kernels.validate_user_signature("u", TS, SECRET, good, now=TS) is True
    assert kernels.Signer(SECRET).validate_users(["u"], [TS], [good], now=TS) == [True]


def test_values_use_the_text_and_number(kernels: ModuleType) -> None:
    query = kernels.build_query_string({"s": Sneaky("x y"), "n": Stamp(42), "e": Level.HIGH})
    assert query == "e=3&n=42&s=x%20y"


def test_int_subclass_timestamp(kernels: ModuleType) -> None:
    sig = uid_signature(SECRET, str(TS), "u")
    assert kernels.validate_user_signature("u", Stamp(TS), SECRET, sig, now=TS) is True


@pytest.mark.c_extension
def test_twins_agree_on_subclasses(pure_kernels: ModuleType, c_kernels: ModuleType) -> None:
    sig = Sneaky(uid_signature(SECRET, str(TS), "u"))
    for name, args, kwargs in [
        ("percent_encode", (Sneaky("a b"),), {}),
        ("calc_signature", (Sneaky("b"), SECRET), {}),
        ("validate_user_signature", ("u", Stamp(TS), SECRET, sig), {"now": TS}),
        ("validate_user_signatures", (["u"], [Stamp(TS)], [sig], SECRET), {"now": TS}),
        ("build_query_string", ({"a": Sneaky("v"), "b": Stamp(7)},), {}),
        ("serialize_value", (Sneaky("v"),), {}),
    ]:
        assert getattr(c_kernels, name)(*args, **kwargs) == getattr(pure_kernels, name)(*args, **kwargs), name
