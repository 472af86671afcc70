"""percent_encode, serialize_value and build_query_string over both implementations."""

from __future__ import annotations

import enum
import json
from collections import OrderedDict
from types import MappingProxyType, ModuleType
from typing import Any, Dict

import pytest

from ._reference import rfc3986

UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"


class Color(enum.IntEnum):
    RED = 7


class Loud(str):
    def __str__(self) -> str:
        return "LOUD"


class Twelve(int):
    def __repr__(self) -> str:
        return "twelve"

    __str__ = __repr__


# --- percent_encode -----------------------------------------------------------


def test_unreserved_kept(kernels: ModuleType) -> None:
    assert kernels.percent_encode(UNRESERVED) == UNRESERVED


def test_every_other_ascii_byte_encoded_upper_hex(kernels: ModuleType) -> None:
    for code in range(128):
        char = chr(code)
        expected = char if char in UNRESERVED else f"%{code:02X}"
        assert kernels.percent_encode(char) == expected


@pytest.mark.parametrize(
    "text",
    ["", " ", "a b", "*", "é", "日本語", "\U0001f600", "\x00", "\x7f", "\u00ff\u0100", "a+b=c&d%e", "~-._"]
    + ["\U0010ffff"],
)
def test_utf8_bytes_encoded(kernels: ModuleType, text: str) -> None:
    assert kernels.percent_encode(text) == rfc3986(text)


def test_space_and_star(kernels: ModuleType) -> None:
    assert kernels.percent_encode(" ") == "%20"
    assert kernels.percent_encode("*") == "%2A"
    assert kernels.percent_encode("+") == "%2B"


def test_long_text(kernels: ModuleType) -> None:
    text = "ab c/é\U0001f600" * 5000
    assert kernels.percent_encode(text) == rfc3986(text)


@pytest.mark.parametrize("value", [None, 1, b"abc", bytearray(b"x"), 1.5, ["a"]])
def test_percent_encode_rejects_non_str(kernels: ModuleType, value: object) -> None:
    with pytest.raises(TypeError, match=f"^value must be str, not {type(value).__name__}$"):
        kernels.percent_encode(value)


def test_percent_encode_str_subclass(kernels: ModuleType) -> None:
    assert kernels.percent_encode(Loud("a b")) == "a%20b"


# --- serialize_value -----------------------------------------------------------


@pytest.mark.parametrize("text", ["", "plain", "a b&c=d", "日本", "\U0001f600", "true", "None"])
def test_serialize_str_as_is(kernels: ModuleType, text: str) -> None:
    assert kernels.serialize_value(text) == text


def test_serialize_str_subclass_uses_the_text_not_str(kernels: ModuleType) -> None:
    result = kernels.serialize_value(Loud("quiet"))
    assert result == "quiet"
    assert type(result) is str


@pytest.mark.parametrize("number", [0, 1, -1, 42, 2**31, 2**63, -(2**64) - 1, 10**40])
def test_serialize_int(kernels: ModuleType, number: int) -> None:
    assert kernels.serialize_value(number) == str(int(number))


def test_serialize_int_subclasses_use_the_number(kernels: ModuleType) -> None:
    assert kernels.serialize_value(Color.RED) == "7"
    assert kernels.serialize_value(Twelve(12)) == "12"


def test_serialize_bool(kernels: ModuleType) -> None:
    assert kernels.serialize_value(True) == "true"
    assert kernels.serialize_value(False) == "false"


def test_serialize_none_is_omitted(kernels: ModuleType) -> None:
    assert kernels.serialize_value(None) is None


@pytest.mark.parametrize(
    "number", [0.0, -0.0, 1.0, 0.1, 1.5, -2.25, 1e16, 1e-7, 123456789.125, 5e-324, 1.7976931348623157e308, 1 / 3]
)
def test_serialize_float_shortest_round_trip(kernels: ModuleType, number: float) -> None:
    text = kernels.serialize_value(number)
    assert float(text) == number
    assert str(float(text)) == text  # shortest repr: nothing shorter round-trips
    assert text == f"{number!r}"


@pytest.mark.parametrize("number", [float("nan"), float("inf"), float("-inf")])
def test_serialize_non_finite_float_rejected(kernels: ModuleType, number: float) -> None:
    with pytest.raises(ValueError, match="finite"):
        kernels.serialize_value(number)


@pytest.mark.parametrize(
    "value",
    [
        {},
        [],
        {"a": 1, "b": [True, False, None], "c": {"d": "é\U0001f600"}},
        [1, 2.5, "x y", {"k": "v"}],
        {"quote": 'he said "hi"\n', "slash": "a/b\\c"},
        {"nested": [[[]]], "num": -0.5, "big": 10**20},
    ],
)
def test_serialize_json_compact_unicode_kept(kernels: ModuleType, value: Any) -> None:
    text = kernels.serialize_value(value)
    assert json.loads(text) == value
    assert text == json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def test_serialize_json_keeps_non_ascii(kernels: ModuleType) -> None:
    assert kernels.serialize_value({"name": "Zoë"}) == '{"name":"Zoë"}'
    assert kernels.serialize_value(["日本"]) == '["日本"]'


def test_serialize_tuple_as_json_array(kernels: ModuleType) -> None:
    assert kernels.serialize_value((1, "a")) == '[1,"a"]'


@pytest.mark.parametrize("value", [{"x": float("nan")}, [float("inf")], [{"y": [float("-inf")]}]])
def test_serialize_json_non_finite_rejected(kernels: ModuleType, value: Any) -> None:
    with pytest.raises(ValueError, match="not JSON compliant"):
        kernels.serialize_value(value)


@pytest.mark.parametrize("value", [b"bytes", bytearray(b"x"), object(), {1, 2}, 1j])
def test_serialize_unsupported_type(kernels: ModuleType, value: object) -> None:
    with pytest.raises(TypeError, match=f"not {type(value).__name__}$"):
        kernels.serialize_value(value)


# --- build_query_string ----------------------------------------------------------


def test_query_sorted_by_code_point(kernels: ModuleType) -> None:
    params = {"b": "2", "a": "1", "B": "3", "é": "4", "_": "5", "aa": "6", "Z": "7", "\U0001f600": "8", "\uffff": "9"}
    expected = "&".join(f"{k}={params[k]}" for k in sorted(params))
    assert kernels.build_query_string(params) == expected


def test_query_keys_unencoded_values_encoded(kernels: ModuleType) -> None:
    params = {"k y/é": "v a/l&u=e+é"}
    assert kernels.build_query_string(params) == "k y/é=" + rfc3986("v a/l&u=e+é")


def test_query_serialises_each_type(kernels: ModuleType) -> None:
    params: Dict[str, object] = {
        "s": "x y",
        "i": 5,
        "t": True,
        "f": False,
        "n": None,
        "fl": 0.5,
        "j": {"a": [1, "é"]},
        "l": ["x"],
    }
    expected = "&".join(
        [
            "f=false",
            "fl=0.5",
            "i=5",
            "j=" + rfc3986('{"a":[1,"é"]}'),
            "l=" + rfc3986('["x"]'),
            "s=x%20y",
            "t=true",
        ]
    )
    assert kernels.build_query_string(params) == expected


def test_query_leaves_out_sig_and_none(kernels: ModuleType) -> None:
    assert kernels.build_query_string({"sig": "abc", "a": "1", "b": None}) == "a=1"
    assert kernels.build_query_string({"sig": None}) == ""


def test_query_empty(kernels: ModuleType) -> None:
    assert kernels.build_query_string({}) == ""


def test_query_accepts_any_mapping(kernels: ModuleType) -> None:
    params = {"b": "2", "a": "1"}
    for mapping in (OrderedDict(params), MappingProxyType(params)):
        assert kernels.build_query_string(mapping) == "a=1&b=2"


def test_query_independent_of_insertion_order(kernels: ModuleType) -> None:
    keys = [f"k{i:02d}" for i in range(30)]
    forward = {k: k * 2 for k in keys}
    backward = {k: k * 2 for k in reversed(keys)}
    assert kernels.build_query_string(forward) == kernels.build_query_string(backward)


@pytest.mark.parametrize("key", ["", "a&b", "a=b", "a%b", "a+b", "&", "="])
def test_query_rejects_bad_keys(kernels: ModuleType, key: str) -> None:
    with pytest.raises(ValueError, match="parameter names must be non-empty"):
        kernels.build_query_string({key: "v"})


@pytest.mark.parametrize("key", [1, None, b"a", ("a",)])
def test_query_rejects_non_str_keys(kernels: ModuleType, key: object) -> None:
    with pytest.raises(TypeError, match=f"^parameter names must be str, not {type(key).__name__}$"):
        kernels.build_query_string({key: "v"})


@pytest.mark.parametrize("params", [[("a", "1")], "a=1", None, 5])
def test_query_rejects_non_mapping(kernels: ModuleType, params: object) -> None:
    with pytest.raises(TypeError, match=f"^params must be a mapping, not {type(params).__name__}$"):
        kernels.build_query_string(params)


def test_query_rejects_bad_values(kernels: ModuleType) -> None:
    with pytest.raises(TypeError):
        kernels.build_query_string({"a": object()})
    with pytest.raises(ValueError):
        kernels.build_query_string({"a": float("nan")})
