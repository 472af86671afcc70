"""The answer parser's JSON fast path reads every body exactly as ``json.loads`` does:
the same value for the same bytes, and an error for the same bytes."""

from __future__ import annotations

import json
from typing import Any, Tuple

from hypothesis import given, settings
from hypothesis import strategies as st

from gigya_fast.rest.jsonbody import parse_json_body as _parse_json

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


def _outcome(parse: Any, body: bytes) -> Tuple[str, str]:
    try:
        return "value", repr(parse(body))
    except (ValueError, UnicodeDecodeError):
        return "error", ""
    except RecursionError:
        return "too deep", ""


def _same(body: bytes) -> None:
    assert _outcome(_parse_json, body) == _outcome(json.loads, body), body


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.text(max_size=8), _JSON, max_size=5), st.sampled_from(["", " ", "\r\n", "\t ", "\x0c", "x"]),
       st.sampled_from(["utf-8", "utf-16-le", "utf-32-le"]))
def test_documents_with_what_may_follow_them(data: Any, tail: str, encoding: str) -> None:
    _same((json.dumps(data) + tail).encode(encoding, "surrogatepass"))


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=40))
def test_arbitrary_bytes_after_a_brace(rest: bytes) -> None:
    _same(b"{" + rest)
    _same(rest)


def test_edge_cases() -> None:
    for body in (b"{", b"{}", b'{"a":1}\xc2\xa0', b'{"a":"\xed\xa0\x80"}', b'{"a":"\xff"}', b"{\x00\x00\x00",
                 b'{"a":1}\x00', b'{"a":NaN, "b":-Infinity}', b'{"a":' * 5000 + b"1" + b"}" * 5000, b"\xef\xbb\xbf{}"):
        _same(body)
