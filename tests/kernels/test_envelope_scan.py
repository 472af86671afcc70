"""The envelope scan (``_envelope_py`` and its compiled twin): known answers, its bounds,
caller objects, and two properties over generated bodies: it never vouches for a body
``json.loads`` would refuse or read differently (soundness), and it does vouch for the
CDC answers the client meets (otherwise the client's fast path silently dies)."""

from __future__ import annotations

import importlib
import json
import string
from types import ModuleType
from typing import Any, Optional

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gigya_fast.rest.jsonbody import parse_json_body

from ..conftest import IMPLEMENTATIONS
from ..hardening._hostile import LyingByteArray, LyingBytes


@pytest.fixture(scope="module", params=IMPLEMENTATIONS)
def scan(request: pytest.FixtureRequest) -> Any:
    """``scan_envelope``: pure Python, then compiled."""
    suffix = "py" if request.param == "python" else "c"
    return importlib.import_module(f"gigya_fast._envelope_{suffix}").scan_envelope


def _pure() -> ModuleType:
    return importlib.import_module("gigya_fast._envelope_py")


def _compiled() -> Optional[ModuleType]:
    if "cython" not in IMPLEMENTATIONS:
        return None
    return importlib.import_module("gigya_fast._envelope_c")


KNOWN = [
    (b'{"errorCode":0}', 0),
    (b'{"errorCode":403005,"callId":"c"}', 403005),
    (b'{ "errorCode" : -7 }\r\n\t ', -7),
    (b'{"errorCode":-0}', 0),
    (b'{"a":[],"b":{},"c":[1,-2.5e3,true,false,null,"x\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9"],"errorCode":1}', 1),
    (b'{"errorCode":1,"errorCode":2}', 2),  # json.loads keeps the last
    ('{"name":"Jos\u00e9 \u20ac \U0001f600","errorCode":5}'.encode(), 5),
    (b'{"nested":{"errorCode":"x"},"errorCode":3}', 3),  # only the top level counts
    (b'{"errorCode":999999999999999999}', 999999999999999999),
    # not vouched for: the full parser decides (and gives the exact error)
    (b'{"errorCode":"0"}', None),
    (b'{"errorCode":0.0}', None),
    (b'{"errorCode":1e2}', None),
    (b'{"errorCode":true}', None),
    (b'{"errorCode":null}', None),
    (b'{"errorCode":1,"errorCode":"2"}', None),
    (b'{"errorCode":1000000000000000000}', None),  # 19 digits
    (b'{"errorCode":[0]}', None),
    (b"{}", None),
    (b'{"errorcode":0}', None),
    (b'{"err\\u006frCode":0}', None),  # a top-level key with an escape
    (b'{"errorCode\\u0000":0}', None),
    (b' {"errorCode":0}', None),
    (b'[{"errorCode":0}]', None),
    (b"", None),
    (b'{"errorCode":0', None),
    (b'{"errorCode":0}}', None),
    (b'{"errorCode":0},', None),
    (b'{"errorCode":0}x', None),
    (b'{"errorCode":0}\x0c', None),  # form feed is not JSON whitespace
    (b'{"errorCode":0,}', None),
    (b'{,"errorCode":0}', None),
    (b'{"errorCode" 0}', None),
    (b'{"errorCode":01}', None),
    (b'{"errorCode":-}', None),
    (b'{"errorCode":0,"x":1.}', None),
    (b'{"errorCode":0,"x":.5}', None),
    (b'{"errorCode":0,"x":1e}', None),
    (b'{"errorCode":0,"x":+1}', None),
    (b'{"errorCode":0,"x":NaN}', None),
    (b'{"errorCode":0,"x":-Infinity}', None),
    (b'{"errorCode":0,"x":tru}', None),
    (b'{"errorCode":0,"x":[1,]}', None),
    (b'{"errorCode":0,"x":[,1]}', None),
    (b'{"errorCode":0,"x":"\x01"}', None),
    (b'{"errorCode":0,"x":"\\x"}', None),
    (b'{"errorCode":0,"x":"\\u12g4"}', None),
    (b'{"errorCode":0,"x":"\xff"}', None),
    (b'{"errorCode":0,"x":"\xc0\xaf"}', None),  # overlong
    (b'{"errorCode":0,"x":"\xed\xa0\x80"}', None),  # an encoded surrogate
    (b'{"errorCode":0,"x":"\xf4\x90\x80\x80"}', None),  # above U+10FFFF
    (b'{"errorCode":0,"x":"\xe2\x82"}', None),  # cut short
    (b'{"errorCode":0,"x":"abc}', None),
    (b'{"errorCode":0,"x":1 2}', None),
    (b'{"errorCode":0,\x00"x":1}', None),
    (b'{\x00"errorCode":0}', None),
]


@pytest.mark.parametrize("body, code", KNOWN)
def test_known_answers(scan: Any, body: bytes, code: Optional[int]) -> None:
    assert scan(body) == code
    if code is not None:
        assert json.loads(body)["errorCode"] == code


def test_depth_bound(scan: Any) -> None:
    depth = _pure().MAX_DEPTH
    assert scan(b'{"errorCode":0,"x":' + b"[" * (depth - 1) + b"]" * (depth - 1) + b"}") == 0
    assert scan(b'{"errorCode":0,"x":' + b"[" * depth + b"]" * depth + b"}") is None
    assert scan(b'{"errorCode":0,"x":' + b'{"a":' * (depth - 1) + b"1" + b"}" * (depth - 1) + b"}") == 0
    assert scan(b'{"errorCode":0,"x":' + b'{"a":' * depth + b"1" + b"}" * depth + b"}") is None
    assert scan(b'{"errorCode":0,"x":' + b"[" * 100000 + b"}") is None  # no recursion to run out of


def test_integer_literal_bound(scan: Any) -> None:
    most = _pure().MAX_INT_DIGITS
    assert scan(b'{"errorCode":0,"x":' + b"9" * most + b"}") == 0
    assert scan(b'{"errorCode":0,"x":-' + b"9" * most + b"}") == 0
    assert scan(b'{"errorCode":0,"x":' + b"9" * (most + 1) + b"}") is None
    assert scan(b'{"errorCode":0,"x":' + b"9" * (most + 1) + b".5}") == 0  # a float: no int() limit
    assert scan(b'{"errorCode":' + b"9" * (most + 1) + b"}") is None


@pytest.mark.c_extension
def test_bounds_are_the_same_in_both_twins() -> None:
    compiled = _compiled()
    assert compiled is not None
    pure = _pure()
    assert (compiled.MAX_DEPTH, compiled.MAX_INT_DIGITS, compiled.MAX_CODE_DIGITS) == (
        pure.MAX_DEPTH, pure.MAX_INT_DIGITS, pure.MAX_CODE_DIGITS,
    )
    assert compiled.__all__ == pure.__all__


def test_caller_objects(scan: Any) -> None:
    body = b'{"errorCode":4}'
    assert scan(bytearray(body)) == 4
    assert scan(LyingBytes(body)) == 4  # the real contents, not __bytes__
    assert scan(LyingByteArray(body)) == 4
    for bad in ('{"errorCode":4}', memoryview(body), 4, None):
        with pytest.raises(TypeError, match="body must be bytes"):
            scan(bad)


# --- properties over generated bodies ---------------------------------------------------------

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
)
_JSON = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=16,
)
_PLAIN_KEYS = st.text(alphabet=string.ascii_letters + string.digits + "_.-", min_size=1, max_size=10)
_CODES = st.integers(min_value=-(10**18) + 1, max_value=10**18 - 1)
_FORMATS = st.sampled_from(
    [
        {"separators": (",", ":")},
        {"separators": (", ", ": ")},
        {"indent": 2},
        {"indent": "\t", "ensure_ascii": False},
        {"separators": (",", ":"), "ensure_ascii": False},
    ]
)


@st.composite
def _answers(draw: Any) -> bytes:
    """A CDC-like answer: an object with an integer errorCode among other members."""
    members = draw(st.dictionaries(_PLAIN_KEYS, _JSON, max_size=6))
    members["errorCode"] = draw(_CODES)
    keys = list(members)
    order = draw(st.permutations(keys))
    text = json.dumps({key: members[key] for key in order}, **draw(_FORMATS))
    tail: str = draw(st.sampled_from(["", " ", "\n", "\r\n\t "]))
    return (text + tail).encode("utf-8")


_NOISE = st.sampled_from(
    [b"{", b"}", b"[", b"]", b",", b":", b'"', b"\\", b"-", b"0", b"1", b".", b"e", b"+", b" ", b"\x0c", b"\x00",
     b"\x1f", b"n", b"t", b"N", b"I", b"\xc3", b"\xa9", b"\xed\xa0\x80", b"\xff", b"u", b"\\u", b"errorCode"]
)


@st.composite
def _mutated(draw: Any) -> bytes:
    body = bytearray(draw(_answers()))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        at = draw(st.integers(min_value=0, max_value=len(body)))
        kind = draw(st.sampled_from(["insert", "delete", "replace"]))
        noise = draw(_NOISE)
        if kind == "insert":
            body[at:at] = noise
        elif kind == "delete":
            del body[at:at + draw(st.integers(min_value=1, max_value=4))]
        else:
            body[at:at + len(noise)] = noise
    return bytes(body)


def _check_sound(scan: Any, body: bytes) -> None:
    """A code from the scan means both parsers read the body as an object with that errorCode."""
    code = scan(body)
    if code is None:
        return
    for parse in (json.loads, parse_json_body):
        data = parse(body)
        assert type(data) is dict, body
        assert type(data["errorCode"]) is int and data["errorCode"] == code, body


@settings(max_examples=300, deadline=None)
@given(_answers())
def test_cdc_answers_are_vouched_for(scan: Any, body: bytes) -> None:
    assert scan(body) == json.loads(body)["errorCode"]


@settings(max_examples=1500, deadline=None)
@given(_mutated())
def test_never_vouches_for_what_json_refuses(scan: Any, body: bytes) -> None:
    _check_sound(scan, body)


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=64))
def test_never_vouches_for_arbitrary_bytes(scan: Any, tail: bytes) -> None:
    _check_sound(scan, b"{" + tail)
    _check_sound(scan, b'{"errorCode":0' + tail)


@pytest.mark.c_extension
@settings(max_examples=1500, deadline=None)
@given(st.one_of(_answers(), _mutated(), st.binary(max_size=64).map(lambda tail: b'{"errorCode":1' + tail)))
def test_twins_agree(body: bytes) -> None:
    compiled = _compiled()
    assert compiled is not None
    assert compiled.scan_envelope(body) == _pure().scan_envelope(body), body
