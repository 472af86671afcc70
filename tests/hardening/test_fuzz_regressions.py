"""Inputs found by (or written for) ``scripts/fuzz.py``: the compiled kernels must behave like the pure twin.

Each case is a call on a kernels module; the outcome (result with its type,
or exception class with its message) of ``_signing_c`` must equal that of
``_signing_py``. New fuzzer findings are added to ``CASES`` with a comment
saying what went wrong.
"""

from __future__ import annotations

import collections
import collections.abc
import functools
import math
from types import ModuleType
from typing import Any, Callable, Dict, List, Sequence, Tuple

import pytest

from ._hostile import (
    DictSub,
    FloatSub,
    HostileIterable,
    HostileMapping,
    IntSub,
    Level,
    Outcome,
    StrSub,
    outcome,
)

SECRET = "c2VjcmV0"
NOW = 1_700_000_000

def each(kernels: ModuleType, call: Callable[[Any, Any], Any], inputs: Sequence[Any]) -> List[Outcome]:
    """The outcome of ``call(kernels, x)`` for every x in *inputs*."""
    return [outcome(functools.partial(_swap, call, x), kernels) for x in inputs]


def _swap(call: Callable[[Any, Any], Any], x: Any, kernels: Any) -> Any:
    return call(kernels, x)


def _deep(depth: int) -> List[Any]:
    """Lists nested *depth* levels deep (beyond the recursion limit)."""
    root: List[Any] = []
    current = root
    for _ in range(depth):
        child: List[Any] = []
        current.append(child)
        current = child
    return root


def _circular() -> List[Any]:
    loop: List[Any] = []
    loop.append(loop)
    return loop


def _sig(kernels: ModuleType, message: str) -> str:
    return str(kernels.Signer(SECRET).sign(message))


def _user(m: Any, x: Tuple[Any, Any]) -> Any:
    """validate_user_signature of a valid signature with window args ``x = (expiration, now)``."""
    return m.validate_user_signature("u", NOW, SECRET, _sig(m, f"{NOW}_u"), x[0], now=x[1])


def _user_bad_sig(m: Any, x: Tuple[Any, Any]) -> Any:
    return m.validate_user_signature("u", NOW, SECRET, "x", x[0], now=x[1])


def _batch_types(m: Any, x: Tuple[Any, Any]) -> Any:
    return m.validate_user_signatures(x[0], x[1], ["x"] * 2, SECRET, now=NOW)


URLS = (
    "HTTP://H:80",
    "https://h:443/p?q#f",
    "https://[::1]:8443/x",
    "https://h:0/",
    "https://h:65536/",
    "https://h:x/",
    "ftp://h/",
    "https:///p",
    "http://user:pw@Host/",
    "http://\u00c9x.com/",
    "//h/p",
    "",
    "https://h:/",
)
BAD_SECRETS = ("", "=", "AAA", "AA=A", "A===", "AB==", "QQ==QQ==", "c2Vj cmV0", "c2VjcmV0\n", "-_-_", "\u00e9AAA")
ODD_STAMPS = ("", "-1", "+1", " 1", "\u0661\u0662", "9" * 15, "9" * 16, True, 1.0, None, IntSub(NOW), StrSub("1"))
HUGE_WINDOWS = ((300, 2**70), (2**70, NOW), (-(2**70), NOW), (300, -(2**70)), (2**63, 0), (300, 10**20))
NON_FINITE = ((math.nan, NOW), (math.inf, NOW), (300, math.nan), (300, math.inf), (-math.inf, NOW), (-0.0, NOW))
ODD_WINDOW_TYPES = ((True, NOW), (300, False), (IntSub(300), NOW), (300, FloatSub(NOW)), ("300", NOW))
BAD_BATCH_TYPES = (
    (["a", 5], [NOW, NOW]),
    (["a", "b"], [NOW, 1.5]),
    (["a", "b"], [NOW, True]),
    ([b"a", "b"], [NOW, NOW]),
)
ODD_THREADS = (0, -1, True, 1.0, None, "2", 2**63, 2**64 + 1, IntSub(2), 1000)

CASES: Dict[str, Callable[[Any], Any]] = {
    # --- encoding ---
    "percent_encode lone surrogate": lambda k: k.percent_encode("ab\ud800cd"),
    "percent_encode NUL and astral": lambda k: k.percent_encode("\x00\U0001f600~"),
    "percent_encode str subclass": lambda k: k.percent_encode(StrSub("a b")),
    # fuzz.py, percent_encode target: the compiled kernel returned the StrSub itself for "",
    # the pure twin a plain str.
    "percent_encode empty str subclass": lambda k: k.percent_encode(StrSub("")),
    "percent_encode str subclasses": lambda k: [k.percent_encode(StrSub(v)) for v in ("", "abc", "~", "a b")],
    "percent_encode bytes": lambda k: k.percent_encode(b"ab"),
    "serialize huge int": lambda k: k.serialize_value(2**200),
    "serialize int subclass": lambda k: k.serialize_value(IntSub(5)),
    "serialize float subclass": lambda k: k.serialize_value(FloatSub(0.5)),
    "serialize -0.0 and tiny": lambda k: [k.serialize_value(-0.0), k.serialize_value(5e-324)],
    "serialize NaN": lambda k: k.serialize_value(math.nan),
    "serialize nested NaN": lambda k: k.serialize_value({"a": [1, math.inf]}),
    "serialize non-str dict key": lambda k: k.serialize_value({1: "x", None: 2}),
    "serialize bytes": lambda k: k.serialize_value(b"x"),
    "serialize str subclass": lambda k: k.serialize_value(StrSub("real")),
    # --- the C JSON encoder (dict/list/tuple values) ---
    "json deep nesting": lambda k: k.serialize_value(_deep(100_000)),
    "json circular": lambda k: k.serialize_value(_circular()),
    "json key types": lambda k: k.serialize_value({True: 1, 1.5: 2, None: 3, 7: 4, False: 0, IntSub(8): 5}),
    "json tuple key": lambda k: k.serialize_value({(1, 2): 3}),
    "json int enum": lambda k: k.serialize_value([Level.HIGH, {Level.HIGH: Level.HIGH}]),
    "json ordered and subclassed dicts": lambda k: [
        k.serialize_value(collections.OrderedDict(b=1, a=2)),
        k.serialize_value(DictSub(z=[1], a=(2, 3))),
    ],
    "json control chars and surrogate": lambda k: k.serialize_value(['\x00\x1f"\\\x7f\u2028\ud800']),
    "json unserialisable items": lambda k: each(
        k, lambda m, item: m.serialize_value([item]), (object(), b"x", {1, 2}, 1j, bytearray(b"x"))
    ),
    "json floats": lambda k: k.serialize_value([1e16, 1.0, -0.0, 1e-7, 123456789.123456789, 2**0.5, FloatSub(0.1)]),
    "json big ints": lambda k: k.serialize_value([2**100, -(2**64), IntSub(3)]),
    "json strings with lying subclasses": lambda k: k.serialize_value({StrSub("k"): [StrSub("v")]}),
    "json surrogate reaches encoding": lambda k: k.build_query_string({"a": ["\ud800"]}),
    # --- query and base strings ---
    "query non-dict Mapping": lambda k: k.build_query_string(HostileMapping({"a": 1, "b": 2}, 5)),
    "query Mapping raising": lambda k: k.build_query_string(HostileMapping({"a": 1, "b": 2}, 1)),
    "query list of pairs": lambda k: k.build_query_string([("a", "b")]),
    "query bad key chars": lambda k: each(
        k, lambda m, key: m.build_query_string({key: "v"}), ("", "a&b", "a=b", "a%b", "a+b", 5, None)
    ),
    "query sig and None dropped": lambda k: k.build_query_string({"sig": "x", "a": None, "b": False}),
    "query surrogate value": lambda k: k.build_query_string({"a": "\udfff"}),
    "query surrogate key": lambda k: k.build_query_string({"\udfff": "a"}),
    "query code point order": lambda k: k.build_query_string({"\u00e9": 1, "Z": 2, "a": 3, "\U0001f600": 4, "_": 5}),
    "normalize odd URLs": lambda k: each(k, lambda m, url: m.normalize_url(url), URLS),
    "base string method cases": lambda k: each(
        k, lambda m, method: m.build_base_string(method, "https://h/p", {"a": 1}), ("post", "", "p\u00f6st", None)
    ),
    # --- secrets ---
    "secrets malformed": lambda k: each(k, lambda m, secret: m.Signer(secret), BAD_SECRETS),
    "secret of wrong type": lambda k: each(k, lambda m, secret: m.Signer(secret), (None, b"c2VjcmV0", 5)),
    "secret str subclass": lambda k: k.calc_signature("a", StrSub(SECRET)),
    # --- single validation ---
    "timestamps odd": lambda k: each(
        k, lambda m, ts: m.validate_user_signature("u", ts, SECRET, "x", 300, now=NOW), ODD_STAMPS
    ),
    "huge now and expiration": lambda k: each(k, _user, HUGE_WINDOWS),
    "non-finite now and expiration": lambda k: each(k, _user, NON_FINITE),
    "bool and subclass window args": lambda k: each(k, _user_bad_sig, ODD_WINDOW_TYPES),
    "signatures odd": lambda k: each(
        k,
        lambda m, sig: m.validate_user_signature("u", NOW, SECRET, sig, 300, now=NOW),
        (
            None,
            "",
            b"x",
            5,
            "\u00e9",
            " " + _sig(k, f"{NOW}_u"),
            _sig(k, f"{NOW}_u") + "=",
            StrSub(_sig(k, f"{NOW}_u")),
        ),
    ),
    "uid surrogate": lambda k: k.validate_user_signature("\ud800", NOW, SECRET, "x", 300, now=NOW),
    "friend surrogate": lambda k: k.validate_friend_signature("u", NOW, "\ud800", SECRET, "x", 300, now=NOW),
    "friend valid": lambda k: k.validate_friend_signature("u", NOW, "f", SECRET, _sig(k, f"{NOW}_f_u"), now=NOW),
    "sign_bytes types": lambda k: each(
        k, lambda m, msg: m.Signer(SECRET).sign_bytes(msg), (b"", bytearray(b"x"), memoryview(b"x"), "x", None)
    ),
    # --- dynamic session ---
    "dynamic session odd timeouts": lambda k: each(
        k,
        lambda m, t: m.get_dynamic_session_signature("LT|x", t, SECRET, now=NOW),
        (0, -5, 2**31, 2**63, 2**70, True, 1.5, None, IntSub(5)),
    ),
    "dynamic session odd now": lambda k: each(
        k,
        lambda m, now: m.get_dynamic_session_signature("LT|x", 60, SECRET, now=now),
        (math.nan, math.inf, 1e300, -1.5, 2**70, FloatSub(1.5), True),
    ),
    "dynamic session user signed": lambda k: k.get_dynamic_session_signature_user_signed(
        "a|b|c", 60, "\u00e9key", SECRET, now=NOW
    ),
    # --- batches ---
    "batch length mismatch": lambda k: k.validate_user_signatures(["a", "b"], [NOW], ["x", "y"], SECRET, now=NOW),
    "batch tuples and iterators": lambda k: k.validate_user_signatures(
        ("a", "b"), iter([NOW, str(NOW)]), (_sig(k, f"{NOW}_a"), None), SECRET, now=NOW
    ),
    "batch failing iterable": lambda k: k.validate_user_signatures(
        HostileIterable(["a", "b", "c"], 1), [NOW] * 3, ["x"] * 3, SECRET, now=NOW
    ),
    "batch not iterable": lambda k: k.validate_user_signatures(5, [NOW], ["x"], SECRET, now=NOW),
    "batch bad item types": lambda k: each(k, _batch_types, BAD_BATCH_TYPES),
    "batch odd threads": lambda k: each(
        k, lambda m, t: m.validate_user_signatures(["a"], [NOW], ["x"], SECRET, now=NOW, threads=t), ODD_THREADS
    ),
    "batch huge window": lambda k: k.validate_user_signatures(
        ["a", "b"], [NOW, "0"], [_sig(k, f"{NOW}_a"), _sig(k, "0_b")], SECRET, expiration=2**80, now=-(2**80)
    ),
    "batch bad secret and mismatch": lambda k: k.validate_user_signatures(["a"], [], [], "bad*", now=NOW),
    "hmacs mismatch": lambda k: k.Signer(SECRET).verify_hmacs([b"a", b"b"], ["x"]),
    "hmacs item types": lambda k: each(
        k,
        lambda m, msgs: m.Signer(SECRET).verify_hmacs(msgs, ["x"] * len(msgs)),
        ([b"a", "b"], [bytearray(b"a")], [memoryview(b"a")], [None]),
    ),
    "hmacs signature types": lambda k: k.Signer(SECRET).verify_hmacs(
        [b"a"] * 5, [None, 5, b"x", "\u00e9", k.Signer(SECRET).sign_bytes(b"a")]
    ),
    "hmacs failing iterable": lambda k: k.Signer(SECRET).verify_hmacs(HostileIterable([b"a", b"b"], 1), ["x", "y"]),
}


@pytest.mark.c_extension
@pytest.mark.parametrize("name", sorted(CASES))
def test_compiled_matches_pure(name: str, c_kernels: ModuleType, pure_kernels: ModuleType) -> None:
    """Same result or same exception (class and message) in both implementations."""
    call = CASES[name]
    assert outcome(call, c_kernels) == outcome(call, pure_kernels)
