"""Differential tests: the compiled kernels must give byte-identical results to
the pure-Python twin (the specification), and raise the same exception class
with the same message, for arbitrary input.

Skipped as a whole under GIGYA_FAST_NO_EXTENSIONS=1 (the ``c_kernels`` fixture
does that); failing, not skipped, when the compiled module should be there.
"""

from __future__ import annotations

import base64
import hmac
import math
from types import ModuleType
from typing import Any, Callable, Dict, List, Tuple, Union

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.c_extension

DIFF = settings(max_examples=100, deadline=None)
FEW = settings(max_examples=60, deadline=None)

Outcome = Tuple[Any, ...]

# --- strategies ---------------------------------------------------------------------

# Any code point but surrogates, with astral characters well represented.
CHARS = st.one_of(
    st.characters(exclude_categories=["Cs"]),
    st.characters(min_codepoint=0x10000, exclude_categories=["Cs"]),
    st.sampled_from("aZ09-._~ !*'()%&=+/?#[]@:;,$\x00\x7f\u00e9\u20ac"),
)
TEXT = st.text(CHARS, max_size=40)
SURROGATE = st.characters(categories=["Cs"])
KEY = st.text(CHARS.filter(lambda c: c not in "&=%+"), min_size=1, max_size=12) | st.just("sig")
FLOATS = st.floats(allow_nan=False, allow_infinity=False)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | FLOATS | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=8,
)
VALUE = st.one_of(
    TEXT,
    st.integers(),
    st.booleans(),
    FLOATS,
    st.none(),
    st.lists(JSON, max_size=4),
    st.dictionaries(TEXT, JSON, max_size=4),
    st.tuples(JSON, JSON),
)
PARAMS = st.dictionaries(KEY, VALUE, max_size=8)
SECRET = st.binary(min_size=1, max_size=80).map(lambda b: base64.b64encode(b).decode("ascii"))
HOST = st.one_of(
    st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9.-]{0,20}\Z"),
    st.sampled_from(["[::1]", "[2001:DB8::a]", "127.0.0.1", "Accounts.EU1.Gigya.COM", "xn--bcher-kva.example"]),
)
URL = st.builds(
    lambda scheme, host, port, path, tail: scheme + "://" + host + port + path + tail,
    st.sampled_from(["http", "https", "HTTP", "Https"]),
    HOST,
    st.one_of(st.just(""), st.integers(0, 70000).map(lambda p: f":{p}"), st.sampled_from([":80", ":443", ":"])),
    st.one_of(st.just(""), st.text(CHARS.filter(lambda c: c not in "?#"), max_size=20).map(lambda p: "/" + p)),
    st.sampled_from(["", "?a=1", "#frag", "?x#y"]),
)
ANY_URL = URL | TEXT
METHOD = st.sampled_from(["POST", "post", "GET", "Put", ""]) | TEXT
STAMP_TEXT = st.one_of(st.from_regex(r"\A[0-9]{0,17}\Z"), TEXT, st.sampled_from(["", "-1", "+5", " 7", "1e3", "٣"]))
STAMP = st.one_of(st.integers(-(10**17), 10**17), STAMP_TEXT)
NUMBER = st.one_of(st.integers(-(10**12), 10**12), st.floats(-1e12, 1e12))
WIDE_NUMBER = st.one_of(st.integers(), st.floats())
JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.binary(max_size=8),
    st.binary(max_size=8).map(bytearray),
    TEXT,
    st.lists(st.integers(), max_size=2),
    st.tuples(st.integers()),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    st.complex_numbers(allow_nan=False),
    st.builds(object),
    st.sets(st.integers(), max_size=2),
)
HASHABLE_JUNK = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.binary(max_size=8), TEXT, st.tuples(st.integers())
)


# --- helpers ---------------------------------------------------------------------------


def outcome(call: Callable[[], Any]) -> Outcome:
    """What a call did: its result, or its exception class and message."""
    try:
        result = call()
    except UnicodeError as exc:  # the same class is required, not the codec's wording
        return ("raise", type(exc).__name__)
    except Exception as exc:  # noqa: BLE001 - the exception is what is compared
        return ("raise", type(exc).__name__, str(exc))
    if type(result).__name__ == "Signer":  # compare what it does, not its identity
        return ("return", "Signer", repr(result), result.sign("probe"))
    return ("return", type(result).__name__, result)


def same(pure: Callable[[], Any], compiled: Callable[[], Any]) -> Outcome:
    """Run the spec and the compiled twin; assert identical outcomes; return the outcome."""
    expected = outcome(pure)
    assert outcome(compiled) == expected
    return expected


def uid_sig(secret: str, text: str) -> str:
    """base64 HMAC-SHA1 of *text* (stdlib), to build correct signatures."""
    return base64.b64encode(hmac.digest(base64.b64decode(secret), text.encode("utf-8"), "sha1")).decode("ascii")


def signature_for(data: st.DataObject, secret: str, message: str) -> str | None:
    """A correct signature, a near miss, or junk."""
    good = uid_sig(secret, message)
    choice = data.draw(st.integers(0, 4), label="signature kind")
    if choice <= 1:
        return good
    if choice == 2:
        return good[:-2] + data.draw(st.text("ABCxyz019+/=", min_size=2, max_size=2))
    if choice == 3:
        return data.draw(st.none() | TEXT)
    return good + data.draw(st.text(max_size=2))


# --- encoding ----------------------------------------------------------------------------


@DIFF
@given(text=st.text(CHARS, max_size=200))
def test_percent_encode(pure_kernels: ModuleType, c_kernels: ModuleType, text: str) -> None:
    result = same(lambda: pure_kernels.percent_encode(text), lambda: c_kernels.percent_encode(text))
    assert result[0] == "return"


@DIFF
@given(before=TEXT, surrogate=SURROGATE, after=TEXT)
def test_percent_encode_surrogates(
    pure_kernels: ModuleType, c_kernels: ModuleType, before: str, surrogate: str, after: str
) -> None:
    text = before + surrogate + after
    result = same(lambda: pure_kernels.percent_encode(text), lambda: c_kernels.percent_encode(text))
    assert result == ("raise", "UnicodeEncodeError")


@DIFF
@given(value=st.one_of(VALUE, JSON, st.floats(), st.lists(st.floats(), max_size=3), JUNK))
def test_serialize_value(pure_kernels: ModuleType, c_kernels: ModuleType, value: Any) -> None:
    same(lambda: pure_kernels.serialize_value(value), lambda: c_kernels.serialize_value(value))


@FEW
@given(params=PARAMS)
def test_build_query_string(pure_kernels: ModuleType, c_kernels: ModuleType, params: Dict[str, Any]) -> None:
    result = same(lambda: pure_kernels.build_query_string(params), lambda: c_kernels.build_query_string(params))
    assert result[0] == "return"


@DIFF
@given(params=st.dictionaries(KEY | HASHABLE_JUNK, VALUE | JUNK, max_size=5))
def test_build_query_string_bad_items(pure_kernels: ModuleType, c_kernels: ModuleType, params: Dict[Any, Any]) -> None:
    same(lambda: pure_kernels.build_query_string(params), lambda: c_kernels.build_query_string(params))


@FEW
@given(method=METHOD, url=URL, params=PARAMS)
def test_build_base_string(
    pure_kernels: ModuleType, c_kernels: ModuleType, method: str, url: str, params: Dict[str, Any]
) -> None:
    same(
        lambda: pure_kernels.build_base_string(method, url, params),
        lambda: c_kernels.build_base_string(method, url, params),
    )


@DIFF
@given(url=ANY_URL)
def test_normalize_url(pure_kernels: ModuleType, c_kernels: ModuleType, url: str) -> None:
    same(lambda: pure_kernels.normalize_url(url), lambda: c_kernels.normalize_url(url))


# --- signing -----------------------------------------------------------------------------


@DIFF
@given(base=st.text(CHARS, max_size=300), secret=SECRET)
def test_calc_signature(pure_kernels: ModuleType, c_kernels: ModuleType, base: str, secret: str) -> None:
    result = same(lambda: pure_kernels.calc_signature(base, secret), lambda: c_kernels.calc_signature(base, secret))
    assert result[0] == "return"


@DIFF
@given(secret=st.one_of(SECRET, TEXT, st.text("ABCabc0123+/=-_ \n", max_size=12)))
def test_secret_decoding(pure_kernels: ModuleType, c_kernels: ModuleType, secret: str) -> None:
    same(lambda: pure_kernels.calc_signature("x", secret), lambda: c_kernels.calc_signature("x", secret))
    same(lambda: pure_kernels.Signer(secret).sign("x"), lambda: c_kernels.Signer(secret).sign("x"))


@FEW
@given(secret=SECRET, base=TEXT, body=st.binary(max_size=2100), method=METHOD, url=URL, params=PARAMS)
def test_signer_methods(
    pure_kernels: ModuleType,
    c_kernels: ModuleType,
    secret: str,
    base: str,
    body: bytes,
    method: str,
    url: str,
    params: Dict[str, Any],
) -> None:
    p, c = pure_kernels.Signer(secret), c_kernels.Signer(secret)
    same(lambda: p.sign(base), lambda: c.sign(base))
    same(lambda: p.sign_bytes(body), lambda: c.sign_bytes(body))
    same(lambda: p.sign_bytes(bytearray(body)), lambda: c.sign_bytes(bytearray(body)))
    same(lambda: p.sign_request(method, url, params), lambda: c.sign_request(method, url, params))


@DIFF
@given(
    cookie=TEXT,
    timeout=st.integers(-(10**9), 10**9),
    user_key=TEXT,
    secret=SECRET,
    now=st.one_of(st.none(), NUMBER),
)
def test_dynamic_session(
    pure_kernels: ModuleType,
    c_kernels: ModuleType,
    cookie: str,
    timeout: int,
    user_key: str,
    secret: str,
    now: float | None,
) -> None:
    # With now=None both read the clock; skip the rare case of a second boundary between them.
    expected = outcome(lambda: pure_kernels.get_dynamic_session_signature(cookie, timeout, secret, now=now))
    got = outcome(lambda: c_kernels.get_dynamic_session_signature(cookie, timeout, secret, now=now))
    if now is None and got != expected:
        assume(False)
    assert got == expected
    fixed = 1700000000 if now is None else now
    same(
        lambda: pure_kernels.get_dynamic_session_signature_user_signed(cookie, timeout, user_key, secret, now=fixed),
        lambda: c_kernels.get_dynamic_session_signature_user_signed(cookie, timeout, user_key, secret, now=fixed),
    )


# --- validation --------------------------------------------------------------------------


@DIFF
@given(data=st.data(), uid=TEXT, secret=SECRET, stamp=STAMP)
def test_validate_user(
    pure_kernels: ModuleType, c_kernels: ModuleType, data: st.DataObject, uid: str, secret: str, stamp: Union[str, int]
) -> None:
    text = stamp if isinstance(stamp, str) else str(stamp)
    signature = signature_for(data, secret, text + "_" + uid)
    expiration = data.draw(st.one_of(st.none(), st.integers(-5, 10**6), st.floats(-5, 1e6)), label="expiration")
    around = int(text) if text.isascii() and text.isdigit() and len(text) < 18 else 1700000000
    now = data.draw(
        st.one_of(
            st.integers(-400, 400).map(lambda d: around + d),
            st.floats(-400, 400).map(lambda d: around + d),
            NUMBER,
        ),
        label="now",
    )
    same(
        lambda: pure_kernels.validate_user_signature(uid, stamp, secret, signature, expiration, now=now),
        lambda: c_kernels.validate_user_signature(uid, stamp, secret, signature, expiration, now=now),
    )
    p, c = pure_kernels.Signer(secret), c_kernels.Signer(secret)
    same(
        lambda: p.validate_user(uid, stamp, signature, expiration=expiration, now=now),
        lambda: c.validate_user(uid, stamp, signature, expiration=expiration, now=now),
    )


@DIFF
@given(data=st.data(), uid=TEXT, friend=TEXT, secret=SECRET, stamp=STAMP)
def test_validate_friend(
    pure_kernels: ModuleType,
    c_kernels: ModuleType,
    data: st.DataObject,
    uid: str,
    friend: str,
    secret: str,
    stamp: Union[str, int],
) -> None:
    text = stamp if isinstance(stamp, str) else str(stamp)
    signature = signature_for(data, secret, text + "_" + friend + "_" + uid)
    expiration = data.draw(st.one_of(st.none(), NUMBER), label="expiration")
    now = data.draw(NUMBER | st.integers(-400, 400).map(lambda d: 1700000000 + d), label="now")
    same(
        lambda: pure_kernels.validate_friend_signature(uid, stamp, friend, secret, signature, expiration, now=now),
        lambda: c_kernels.validate_friend_signature(uid, stamp, friend, secret, signature, expiration, now=now),
    )


@DIFF
@given(
    data=st.data(),
    digits=st.from_regex(r"\A[0-9]{13,17}\Z") | st.integers(-(2**70), 2**70) | st.integers(10**14, 10**16),
    expiration=st.one_of(st.none(), WIDE_NUMBER, st.integers(0, 10**6)),
)
def test_validate_extreme_window(
    pure_kernels: ModuleType,
    c_kernels: ModuleType,
    data: st.DataObject,
    digits: Union[str, int],
    expiration: float | None,
) -> None:
    secret = "c2VjcmV0"
    text = digits if isinstance(digits, str) else str(digits)
    near = st.integers(-(10**6), 10**6).map(lambda d: int(digits) + d)
    now = data.draw(WIDE_NUMBER | near | near.map(float), label="now")
    signature = uid_sig(secret, text + "_u")
    same(
        lambda: pure_kernels.validate_user_signature("u", digits, secret, signature, expiration, now=now),
        lambda: c_kernels.validate_user_signature("u", digits, secret, signature, expiration, now=now),
    )


def _batch(data: st.DataObject, secret: str) -> Tuple[List[str], List[Union[str, int]], List[str | None]]:
    n = data.draw(st.integers(0, 16), label="n")
    uids, stamps, sigs = [], [], []
    for _ in range(n):
        uid = data.draw(TEXT)
        stamp = data.draw(st.one_of(st.integers(1699999000, 1700001000), STAMP))
        text = stamp if isinstance(stamp, str) else str(stamp)
        uids.append(uid)
        stamps.append(stamp)
        sigs.append(signature_for(data, secret, text + "_" + uid))
    return uids, stamps, sigs


@FEW
@given(data=st.data(), secret=SECRET, threads=st.integers(1, 5))
def test_validate_users(
    pure_kernels: ModuleType, c_kernels: ModuleType, data: st.DataObject, secret: str, threads: int
) -> None:
    uids, stamps, sigs = _batch(data, secret)
    expiration = data.draw(st.one_of(st.none(), NUMBER, st.just(300)), label="expiration")
    now = data.draw(NUMBER | st.floats(1699999000, 1700001000), label="now")
    p, c = pure_kernels.Signer(secret), c_kernels.Signer(secret)
    result = same(
        lambda: p.validate_users(uids, stamps, sigs, expiration=expiration, now=now, threads=threads),
        lambda: c.validate_users(uids, stamps, sigs, expiration=expiration, now=now, threads=threads),
    )
    # The module-level batch, threads only on the compiled side: the result must not depend on them.
    same(
        lambda: pure_kernels.validate_user_signatures(uids, stamps, sigs, secret, expiration=expiration, now=now),
        lambda: c_kernels.validate_user_signatures(
            uids, stamps, sigs, secret, expiration=expiration, now=now, threads=threads
        ),
    )
    if result[0] == "return":
        singles = [c.validate_user(u, t, s, expiration, now=now) for u, t, s in zip(uids, stamps, sigs)]
        assert result[2] == singles


@DIFF
@given(data=st.data(), secret=SECRET, threads=st.integers(1, 5))
def test_verify_hmacs(
    pure_kernels: ModuleType, c_kernels: ModuleType, data: st.DataObject, secret: str, threads: int
) -> None:
    bodies = data.draw(st.lists(st.binary(max_size=2500), max_size=30), label="bodies")
    key = base64.b64decode(secret)
    sigs: List[str | None] = []
    for body in bodies:
        good = base64.b64encode(hmac.digest(key, body, "sha1")).decode("ascii")
        sigs.append(data.draw(st.sampled_from([good, good, good[:-1], good.lower(), ""]) | st.none() | TEXT))
    p, c = pure_kernels.Signer(secret), c_kernels.Signer(secret)
    same(lambda: p.verify_hmacs(bodies, sigs, threads=threads), lambda: c.verify_hmacs(bodies, sigs, threads=threads))


# --- wrong types: same class, same message --------------------------------------------------

GOOD_SECRET = "c2VjcmV0"
DEFAULTS: Dict[str, List[Any]] = {
    "percent_encode": ["text"],
    "serialize_value": ["text"],
    "build_query_string": [{"a": "b"}],
    "normalize_url": ["https://h.example/p"],
    "build_base_string": ["POST", "https://h.example/p", {"a": "b"}],
    "calc_signature": ["base", GOOD_SECRET],
    "validate_user_signature": ["uid", 1700000000, GOOD_SECRET, "sig", 300],
    "validate_friend_signature": ["uid", 1700000000, "friend", GOOD_SECRET, "sig", 300],
    "validate_user_signatures": [["uid"], [1700000000], ["sig"], GOOD_SECRET],
    "get_dynamic_session_signature": ["token|x", 60, GOOD_SECRET],
    "get_dynamic_session_signature_user_signed": ["token|x", 60, "userKey", GOOD_SECRET],
    "Signer": [GOOD_SECRET],
}
KEYWORDS: Dict[str, Dict[str, Any]] = {
    "validate_user_signature": {"now": 1700000000},
    "validate_friend_signature": {"now": 1700000000},
    "validate_user_signatures": {"expiration": 300, "now": 1700000000, "threads": 1},
    "get_dynamic_session_signature": {"now": 1700000000},
    "get_dynamic_session_signature_user_signed": {"now": 1700000000},
}
METHODS: Dict[str, List[Any]] = {
    "sign": ["base"],
    "sign_bytes": [b"body"],
    "sign_request": ["POST", "https://h.example/p", {"a": "b"}],
    "validate_user": ["uid", 1700000000, "sig", 300],
    "validate_friend": ["uid", 1700000000, "friend", "sig", 300],
    "validate_users": [["uid"], [1700000000], ["sig"]],
    "verify_hmacs": [[b"body"], ["sig"]],
}
METHOD_KEYWORDS: Dict[str, Dict[str, Any]] = {
    "validate_user": {"now": 1700000000},
    "validate_friend": {"now": 1700000000},
    "validate_users": {"expiration": 300, "now": 1700000000, "threads": 1},
    "verify_hmacs": {"threads": 1},
}
SMALL_JUNK = JUNK.filter(lambda v: not (isinstance(v, int) and not isinstance(v, bool) and abs(v) > 64))


def _mutate(data: st.DataObject, args: List[Any], kwargs: Dict[str, Any]) -> Tuple[List[Any], Dict[str, Any]]:
    new_args = [data.draw(SMALL_JUNK) if data.draw(st.booleans()) else a for a in args]
    new_kwargs = {k: (data.draw(SMALL_JUNK) if data.draw(st.booleans()) else v) for k, v in kwargs.items()}
    return new_args, new_kwargs


@DIFF
@given(data=st.data(), name=st.sampled_from(sorted(DEFAULTS)))
def test_wrong_types_functions(pure_kernels: ModuleType, c_kernels: ModuleType, data: st.DataObject, name: str) -> None:
    args, kwargs = _mutate(data, DEFAULTS[name], KEYWORDS.get(name, {}))
    result = same(
        lambda: getattr(pure_kernels, name)(*args, **kwargs), lambda: getattr(c_kernels, name)(*args, **kwargs)
    )
    if name == "Signer" and result[0] == "return":
        assert result[2] == "<Signer secret=***>"


@DIFF
@given(data=st.data(), name=st.sampled_from(sorted(METHODS)))
def test_wrong_types_methods(pure_kernels: ModuleType, c_kernels: ModuleType, data: st.DataObject, name: str) -> None:
    args, kwargs = _mutate(data, METHODS[name], METHOD_KEYWORDS.get(name, {}))
    p, c = pure_kernels.Signer(GOOD_SECRET), c_kernels.Signer(GOOD_SECRET)
    same(lambda: getattr(p, name)(*args, **kwargs), lambda: getattr(c, name)(*args, **kwargs))


@FEW
@given(data=st.data(), name=st.sampled_from(sorted(DEFAULTS)))
def test_surrogates_anywhere(pure_kernels: ModuleType, c_kernels: ModuleType, data: st.DataObject, name: str) -> None:
    bad = data.draw(st.builds(lambda a, s: a + s, TEXT, SURROGATE))
    args = [bad if isinstance(a, str) and data.draw(st.booleans()) else a for a in DEFAULTS[name]]
    kwargs = KEYWORDS.get(name, {})
    same(lambda: getattr(pure_kernels, name)(*args, **kwargs), lambda: getattr(c_kernels, name)(*args, **kwargs))


def test_outcome_helper_distinguishes() -> None:
    # Guard for the helper itself: results and errors must not compare equal.
    assert outcome(lambda: 1) != outcome(lambda: "1")
    assert outcome(lambda: math.sqrt(-1)) == ("raise", "ValueError", "math domain error")
