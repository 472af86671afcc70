"""The C core under the compiled kernels: SHA-1 backends, HMAC midstates, base64, the
percent-encoder, the portable switch, and the C-only fast paths of the Cython module
(each checked against the standard library or the pure-Python specification).

Not collected under GIGYA_FAST_NO_EXTENSIONS=1 (marked ``c_extension``); failing when the
compiled modules should be there but are not. The SHA-1/HMAC/base64 checks go through the
test hooks (``gigya_fast._testhooks_c``, the ``c_hooks`` fixture), skipped when a build
left them out.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
import os
import pickle
import re
import shutil
import subprocess
import sys
from collections import OrderedDict
from pathlib import Path
from types import MappingProxyType, ModuleType
from typing import Any, Callable, Dict, List, Tuple
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.c_extension

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "gigya_fast" / "_core"
SECRET = base64.b64encode(b"0123456789abcdef0123456789abcdef").decode()
KEY = base64.b64decode(SECRET)
HYP = settings(max_examples=200, deadline=None)


def _backends(c: ModuleType) -> List[str]:
    return ["portable", "shani"] if c._shani_supported() else ["portable"]


def _outcome(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Tuple[Any, ...]:
    try:
        return ("ok", fn(*args, **kwargs))
    except Exception as exc:  # noqa: BLE001 - the class and message are what we compare
        return ("raise", type(exc).__name__, str(exc))


def _same(c: ModuleType, p: ModuleType, name: str, *args: Any, **kwargs: Any) -> Tuple[Any, ...]:
    got = _outcome(getattr(c, name), *args, **kwargs)
    want = _outcome(getattr(p, name), *args, **kwargs)
    assert got == want, (name, args, kwargs)
    return got


# --- SHA-1 --------------------------------------------------------------------------------


def test_sha1_every_length_0_to_300(c_hooks: ModuleType) -> None:
    data = os.urandom(300)
    for backend in _backends(c_hooks):
        for n in range(301):
            assert c_hooks._sha1(data[:n], backend) == hashlib.sha1(data[:n]).digest(), (backend, n)


@pytest.mark.parametrize("chunk", [1, 3, 55, 63, 64, 65, 127])
def test_sha1_split_updates(c_hooks: ModuleType, chunk: int) -> None:
    data = os.urandom(1000)
    for backend in _backends(c_hooks):
        for n in (0, 1, 63, 64, 65, 200, 1000):
            assert c_hooks._sha1(data[:n], backend, chunk) == hashlib.sha1(data[:n]).digest()


def test_sha1_large_messages(c_hooks: ModuleType) -> None:
    messages = [
        os.urandom(1 << 20),
        b"\x00" * (1 << 20),
        b"\xff" * ((1 << 20) + 17),
        bytes(range(256)) * 4099,
    ]
    for backend in _backends(c_hooks):
        for data in messages:
            want = hashlib.sha1(data).digest()
            assert c_hooks._sha1(data, backend) == want
            assert c_hooks._sha1(data, backend, 4097) == want


def test_sha1_known_answers(c_hooks: ModuleType) -> None:
    vectors = {
        b"": "da39a3ee5e6b4b0d3255bfef95601890afd80709",
        b"abc": "a9993e364706816aba3e25717850c26c9cd0d89d",
        b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq": "84983e441c3bd26ebaae4aa1f95129e5e54670f1",
        b"a" * 1000000: "34aa973cd4c4daa4f61eeb2bdbad27316534016f",
    }
    for backend in _backends(c_hooks):
        for data, hexdigest in vectors.items():
            assert c_hooks._sha1(data, backend).hex() == hexdigest


def test_sha1_backend_names(c_hooks: ModuleType) -> None:
    assert c_hooks._sha1_backend() in ("sha-ni", "portable")
    with pytest.raises(ValueError, match="unknown SHA-1 backend"):
        c_hooks._sha1(b"x", "bogus")
    if not c_hooks._shani_supported():
        with pytest.raises(RuntimeError, match="SHA-NI"):
            c_hooks._sha1(b"x", "shani")


# --- HMAC ---------------------------------------------------------------------------------


def test_hmac_every_key_length_0_to_100(c_hooks: ModuleType) -> None:
    # keys longer than the 64-byte block are hashed first (RFC 2104)
    lengths = (0, 1, 19, 20, 31, 55, 56, 63, 64, 65, 119, 120, 1000)
    for backend in _backends(c_hooks):
        for k in range(101):
            key = os.urandom(k)
            for n in lengths:
                msg = os.urandom(n)
                assert c_hooks._hmac_sha1(key, msg, backend) == hmac.digest(key, msg, "sha1"), (backend, k, n)


def test_hmac_long_keys(c_hooks: ModuleType) -> None:
    for backend in _backends(c_hooks):
        for k in (128, 129, 4096):
            key = os.urandom(k)
            assert c_hooks._hmac_sha1(key, b"message", backend) == hmac.digest(key, b"message", "sha1")


def test_signer_matches_hmac_for_message_lengths(c_kernels: ModuleType) -> None:
    # exercises the one-block fast path (<= 55 bytes) and the streaming path
    signer = c_kernels.Signer(SECRET)
    for n in range(0, 200):
        msg = os.urandom(n)
        want = base64.b64encode(hmac.digest(KEY, msg, "sha1")).decode()
        assert signer.sign_bytes(msg) == want
        assert signer.verify_hmacs([msg], [want]) == [True]
        text = "x" * n
        want = base64.b64encode(hmac.digest(KEY, text.encode(), "sha1")).decode()
        assert signer.sign(text) == want


def test_verify_hmacs_pairs_of_any_lengths(c_kernels: ModuleType) -> None:
    # messages are hashed two at a time (common full blocks interleaved): mix every length
    signer = c_kernels.Signer(SECRET)
    lengths = list(range(0, 300)) + [1000, 4096, 4097, 65536, 7, 100_000, 0]
    bodies = [os.urandom(n) for n in lengths]
    bodies += bodies[::-1]
    sigs = [base64.b64encode(hmac.digest(KEY, b, "sha1")).decode() for b in bodies]
    for i in range(0, len(sigs), 9):
        sigs[i] = sigs[i][::-1]
    want = [base64.b64encode(hmac.digest(KEY, b, "sha1")).decode() == s for b, s in zip(bodies, sigs)]
    for threads in (1, 2, 3):
        assert signer.verify_hmacs(bodies, sigs, threads=threads) == want


@pytest.mark.parametrize("uid_len", [0, 1, 30, 43, 44, 45, 60, 200])
def test_validate_user_message_lengths(c_kernels: ModuleType, pure_kernels: ModuleType, uid_len: int) -> None:
    # ts (10) + "_" + uid crosses the 55-byte single-block limit around uid_len 44
    uid = "u" * uid_len
    sig = pure_kernels.Signer(SECRET).sign("1700000000_" + uid)
    assert c_kernels.validate_user_signature(uid, 1700000000, SECRET, sig, now=1700000000)
    assert c_kernels.Signer(SECRET).validate_users([uid], [1700000000], [sig], now=1700000000) == [True]
    fsig = pure_kernels.Signer(SECRET).sign("1700000000_" + uid + "_" + uid)
    assert c_kernels.validate_friend_signature(uid, "1700000000", uid, SECRET, fsig, now=1700000000)


# --- base64 -------------------------------------------------------------------------------

_STRICT = re.compile(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?\Z")


def _reference_decode(text: str) -> Any:
    if len(text) % 4 or not _STRICT.match(text):
        return None
    return base64.b64decode(text, validate=True)


B64ISH = st.text(st.sampled_from("ABCDabcd0189+/=-_ \n\u00e9"), max_size=16)


@HYP
@given(text=B64ISH)
def test_b64_decode_strict_matches_the_spec(c_hooks: ModuleType, text: str) -> None:
    assert c_hooks._b64_decode_strict(text) == _reference_decode(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "QQ==",
        "QUI=",
        "QUJD",
        "QR==",
        "QUJ=",
        "Q===",
        "=QQQ",
        "QQ=Q",
        "QQ==QUJD",
        "QUJD\n",
        "QUJD ",
        "QU-D",
        "QU_D",
        "QUJDé===",
        "QQ",
        "QUJDQ",
        "////",
        "++++",
        "AAAA" * 100,
    ],
)
def test_b64_decode_strict_cases(c_hooks: ModuleType, text: str) -> None:
    assert c_hooks._b64_decode_strict(text) == _reference_decode(text)


def test_b64_encode(c_hooks: ModuleType) -> None:
    for n in range(70):
        data = os.urandom(n)
        assert c_hooks._b64_encode(data) == base64.b64encode(data).decode()


@pytest.mark.parametrize(
    "secret",
    [
        "",
        "a",
        "abc",
        "abcde",
        "ab=c",
        "a===",
        "====",
        "QQ==QQ==",
        "QUJD\u00e9===",
        "\u00e9\u00e9\u00e9\u00e9",
        "QU JD",
        "QUJD\n",
        "QU-D",
        "QQ=\ud800",
        None,
        5,
        b"QUJD",
        "QR==",
        "QUJD" * 40,
        "A" * 400 + "QQ==",
    ],
)
def test_secret_errors_match_the_spec(c_kernels: ModuleType, pure_kernels: ModuleType, secret: Any) -> None:
    got = _outcome(c_kernels.Signer, secret)
    want = _outcome(pure_kernels.Signer, secret)
    assert got[0] == want[0]
    if got[0] == "raise":
        assert got == want
        if isinstance(secret, str) and len(secret) >= 4:
            assert secret not in got[2]
    else:
        assert c_kernels.Signer(secret).sign("abc") == pure_kernels.Signer(secret).sign("abc")


# --- percent-encoding ---------------------------------------------------------------------


def test_percent_encode_every_byte_and_some_code_points(c_kernels: ModuleType) -> None:
    for cp in list(range(0x800)) + [0xFFFD, 0xFFFF, 0x10000, 0x1F600, 0x10FFFF]:
        ch = chr(cp)
        assert c_kernels.percent_encode(ch) == quote(ch, safe=""), hex(cp)
        assert c_kernels.percent_encode("a" + ch + "~") == quote("a" + ch + "~", safe="")


def test_percent_encode_surrogates_raise_like_quote(c_kernels: ModuleType, pure_kernels: ModuleType) -> None:
    for text in ("\ud800", "ab\udfff", "a\ud800\udc00b", "\ud83d", "x" * 50 + "\udc80\udc81"):
        got = _same(c_kernels, pure_kernels, "percent_encode", text)
        assert got[:2] == ("raise", "UnicodeEncodeError")


def test_percent_encode_empty_and_subclasses(c_kernels: ModuleType, pure_kernels: ModuleType) -> None:
    class S(str):
        def encode(self, *args: Any, **kwargs: Any) -> bytes:  # ignored: the exact text is used
            return b"nope"

    empty = ""
    assert c_kernels.percent_encode(empty) is empty  # quote() returns its input when empty
    for value in (S(""), S("a b"), S("\u00e9")):
        got = c_kernels.percent_encode(value)
        want = pure_kernels.percent_encode(value)
        assert (type(got), got) == (type(want), want)


# --- the portable switch ------------------------------------------------------------------


def _kernel_info_in_subprocess(env_extra: Dict[str, str]) -> Dict[str, str]:
    env = dict(os.environ)
    env.pop("GIGYA_FAST_PORTABLE_SHA1", None)
    env.update(env_extra)
    code = (
        "import json, base64, hmac\n"
        "from gigya_fast import _signing_c as c\n"
        "key = b'k' * 20\n"
        "signer = c.Signer(base64.b64encode(key).decode())\n"
        "ok = signer.sign_bytes(b'm' * 100) == base64.b64encode(hmac.digest(key, b'm' * 100, 'sha1')).decode()\n"
        "uids = ['u%d' % i + 'x' * (i % 70) for i in range(999)]\n"
        "sigs = [base64.b64encode(hmac.digest(key, ('1700000000_' + u).encode(), 'sha1')).decode() for u in uids]\n"
        "sigs[::7] = ['A' * 28] * len(sigs[::7])\n"
        "want = [i % 7 != 0 for i in range(999)]\n"
        "ok = ok and signer.validate_users(uids, [1700000000] * 999, sigs, now=1700000000) == want\n"
        "ok = ok and signer.validate_users(uids, [1700000000] * 999, sigs, now=1700000000, threads=3) == want\n"
        "bodies = [bytes(range(256)) * (i % 9) + b'x' * i for i in range(301)]\n"
        "bsigs = [base64.b64encode(hmac.digest(key, b, 'sha1')).decode() for b in bodies]\n"
        "ok = ok and signer.verify_hmacs(bodies, bsigs, threads=2) == [True] * 301\n"
        "info = c.kernel_info(); info['ok'] = str(ok)\n"
        "print(json.dumps(info))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=str(ROOT), capture_output=True, text=True, timeout=60, check=True
    )
    result: Dict[str, str] = json.loads(out.stdout)
    return result


def test_portable_switch(c_kernels: ModuleType) -> None:
    forced = _kernel_info_in_subprocess({"GIGYA_FAST_PORTABLE_SHA1": "1"})
    assert forced["implementation"] == "cython"
    assert forced["sha1"] == "portable"
    assert forced["ok"] == "True"
    default = _kernel_info_in_subprocess({})
    assert default["sha1"] == ("sha-ni" if c_kernels.kernel_info()["sha1_cpu"] == "sha-ni" else "portable")
    assert default["ok"] == "True"
    off = _kernel_info_in_subprocess({"GIGYA_FAST_PORTABLE_SHA1": "0"})
    assert off["sha1"] == default["sha1"]


def test_kernel_info(c_kernels: ModuleType) -> None:
    info = c_kernels.kernel_info()
    assert info["implementation"] == "cython" == c_kernels.IMPLEMENTATION
    portable = os.environ.get("GIGYA_FAST_PORTABLE_SHA1", "").strip().lower() in ("1", "true", "yes", "on")
    assert info["sha1"] == ("sha-ni" if info["sha1_cpu"] == "sha-ni" and not portable else "portable")
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in info.items())


# --- the Signer object --------------------------------------------------------------------


def test_signer_hides_the_key_and_is_immutable(c_kernels: ModuleType) -> None:
    signer = c_kernels.Signer(SECRET)
    assert repr(signer) == str(signer) == "<Signer secret=***>"
    assert not any("key" in name.lower() for name in dir(signer) if not name.startswith("__"))
    actions: List[Callable[[], None]] = [
        lambda: setattr(signer, "x", 1),
        lambda: setattr(signer, "_key", b""),
        lambda: delattr(signer, "sign"),
    ]
    for action in actions:
        with pytest.raises(AttributeError, match="Signer is immutable"):
            action()
    with pytest.raises(AttributeError, match="Signer is immutable"):
        signer.__init__(base64.b64encode(b"other").decode())
    assert signer.sign("x") == c_kernels.Signer(SECRET).sign("x")
    for dump in (pickle.dumps, copy.copy, copy.deepcopy):
        with pytest.raises(TypeError, match=r"Signer cannot be pickled \(it holds a secret\)"):
            dump(signer)


def test_signer_cannot_be_re_keyed_in_either_twin(kernels: ModuleType) -> None:
    signer = kernels.Signer(SECRET)
    before = signer.sign("x")
    with pytest.raises(AttributeError, match="Signer is immutable"):
        signer.__init__(base64.b64encode(b"another key").decode())
    assert signer.sign("x") == before


def test_uninitialised_signer_refuses_to_sign(c_kernels: ModuleType) -> None:
    signer = c_kernels.Signer.__new__(c_kernels.Signer)
    with pytest.raises(AttributeError):
        signer.sign("x")
    with pytest.raises(AttributeError):
        signer.validate_users([], [], [])


def test_signer_cache_is_bounded_and_consistent(c_kernels: ModuleType, pure_kernels: ModuleType) -> None:
    secrets = [base64.b64encode(os.urandom(16)).decode() for _ in range(150)]
    for secret in secrets * 2:
        assert c_kernels.calc_signature("abc", secret) == pure_kernels.calc_signature("abc", secret)


# --- C fast paths versus the spec ---------------------------------------------------------


class IntSub(int):
    pass


class StrSub(str):
    pass


class FloatSub(float):
    pass


PARAM_CASES: List[Any] = [
    {},
    {"a": "1"},
    {"b": 2, "a": True, "c": None, "d": False, "sig": object()},
    {"k%d" % i: i for i in range(40)},  # heap entries and qsort
    {"k%02d" % i: "v" * i for i in range(20)},
    {"x": "y" * 5000, "z": "\u00e9" * 3000},  # larger than the stack buffers
    {"f": 1.5, "g": -0.0, "h": 1e300, "i": 5e-324, "j": 2.0**60, "k": -1.7976931348623157e308},
    {"big": 10**40, "neg": -(10**30), "min": -(2**63), "max": 2**63 - 1, "edge": 2**63},
    {"json": {"a": [1, 2.5, None, True, "\u00e9"], "b": {"c": []}}, "list": [1, "x"], "tuple": (1, 2)},
    {"sub": IntSub(7), "s": StrSub("a b"), "fl": FloatSub(2.5)},
    {"\u00e9": "1", "a": "\u00fc", "\U0001f600": "x"},
    {"a\ud800": "1"},
    {"a": "\ud800"},
    {"b": "\ud800", "a": "\udc00"},
    {"a": float("nan")},
    {"a": float("inf")},
    {"a": [float("nan")]},
    {"a": object()},
    {"": "x"},
    {"a&b": "x"},
    {"a=b": 1},
    {"a+": 1},
    {"%": 1},
    {1: "x"},
    {StrSub("k"): "v"},
    {"a": "1", "b": object(), "c=": 2},
    {"a": "1", "b=": 2, "c": object()},
    {"ok": "1", "v": "\ud800", "bad=": 1},
    OrderedDict([("b", "2"), ("a", "1")]),
    MappingProxyType({"b": 2, "a": "1"}),
    [("a", "1")],
    None,
    "a=1",
]


@pytest.mark.parametrize(
    "params", PARAM_CASES, ids=lambda p: type(p).__name__ + str(len(p)) if hasattr(p, "__len__") else repr(p)
)
def test_query_and_base_strings_match_the_spec(c_kernels: ModuleType, pure_kernels: ModuleType, params: Any) -> None:
    _same(c_kernels, pure_kernels, "build_query_string", params)
    for method in ("POST", "post", "Get", "", "\u00df", "P\ud800", StrSub("post")):
        for url in (
            "https://Accounts.EU1.gigya.com/accounts.getAccountInfo",
            "http://h:8080",
            "ftp://x/",
            "nope",
            "http://h/p\ud800",
            "https://h:99999/",
            StrSub("https://x.gigya.com/a"),
        ):
            _same(c_kernels, pure_kernels, "build_base_string", method, url, params)
            got = _outcome(c_kernels.Signer(SECRET).sign_request, method, url, params)
            want = _outcome(pure_kernels.Signer(SECRET).sign_request, method, url, params)
            assert got == want, (method, url, params)


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "x",
        StrSub("s"),
        True,
        False,
        0,
        -1,
        2**63,
        IntSub(3),
        1.0,
        -0.0,
        0.1,
        1e16,
        FloatSub(1.5),
        float("nan"),
        float("-inf"),
        {"a": 1},
        [1],
        (1,),
        {"a": float("nan")},
        object(),
        b"x",
        {1, 2},
    ],
    ids=repr,
)
def test_serialize_value_matches_the_spec(c_kernels: ModuleType, pure_kernels: ModuleType, value: Any) -> None:
    _same(c_kernels, pure_kernels, "serialize_value", value)


@HYP
@given(value=st.floats() | st.integers())
def test_serialized_numbers_match_the_spec(c_kernels: ModuleType, pure_kernels: ModuleType, value: Any) -> None:
    _same(c_kernels, pure_kernels, "serialize_value", value)
    _same(c_kernels, pure_kernels, "build_query_string", {"n": value, "m": [value]})


NUMBER = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20),
    st.integers(min_value=1_600_000_000, max_value=1_800_000_000),
    st.floats(),
    st.floats(min_value=1.6e9, max_value=1.8e9),
    st.sampled_from(
        [
            2**62,
            2**62 + 1,
            -(2**62) - 1,
            2**63,
            2**63 - 1,
            -(2**63),
            2**64,
            10**30,
            0,
            -0.0,
            0.5,
            -0.5,
            float("inf"),
            float("-inf"),
            float("nan"),
            9.3e18,
            -9.3e18,
            2.0**63,
            -(2.0**63),
        ]
    ),
)
TIMESTAMP = st.one_of(
    st.integers(min_value=-5, max_value=10**16),
    st.integers(min_value=1_699_999_000, max_value=1_700_001_000),
    st.text(st.sampled_from("0123456789"), max_size=17),
    st.sampled_from(
        ["1700000000", "01700000000", "", "-1", "+1", " 1", "1.0", "\u0661", "\u00b2", "0" * 15, "9" * 15, "9" * 16]
    ),
)


@settings(max_examples=1500, deadline=None)
@given(timestamp=TIMESTAMP, now=NUMBER | st.none(), expiration=NUMBER | st.none())
def test_window_arithmetic_matches_the_spec(
    c_kernels: ModuleType, pure_kernels: ModuleType, timestamp: Any, now: Any, expiration: Any
) -> None:
    if now is None and expiration is not None:
        now = 1_700_000_000  # the clock is not comparable between two calls
    text = str(timestamp)
    sig = pure_kernels.Signer(SECRET).sign(text + "_uid")
    for s in (sig, "bad"):
        _same(c_kernels, pure_kernels, "validate_user_signature", "uid", timestamp, SECRET, s, expiration, now=now)
    batch = (["uid"] * 3, [timestamp] * 3, [sig, None, "x"])
    window = {"expiration": expiration, "now": now}
    got = _outcome(c_kernels.Signer(SECRET).validate_users, *batch, **window)
    want = _outcome(pure_kernels.Signer(SECRET).validate_users, *batch, **window)
    assert got == want


@pytest.mark.parametrize("now", [IntSub(1_700_000_000), FloatSub(1.7e9), 10**30, 1_700_000_000])
@pytest.mark.parametrize("expiration", [IntSub(300), FloatSub(300.5), 10**30, 300, -(10**30)])
def test_window_with_number_subclasses_and_huge_ints(
    c_kernels: ModuleType, pure_kernels: ModuleType, now: Any, expiration: Any
) -> None:
    sig = pure_kernels.Signer(SECRET).sign("1700000100_uid")
    for ts in (1_700_000_100, "1700000100", IntSub(1_700_000_100), StrSub("1700000100"), 10**20):
        _same(c_kernels, pure_kernels, "validate_user_signature", "uid", ts, SECRET, sig, expiration, now=now)
        window = {"expiration": expiration, "now": now}
        got = _outcome(c_kernels.Signer(SECRET).validate_users, ["uid"], [ts], [sig], **window)
        want = _outcome(pure_kernels.Signer(SECRET).validate_users, ["uid"], [ts], [sig], **window)
        assert got == want


def test_default_clock_accepts_a_fresh_timestamp(c_kernels: ModuleType) -> None:
    import time

    ts = int(time.time())
    sig = c_kernels.Signer(SECRET).sign("%d_u" % ts)
    assert c_kernels.validate_user_signature("u", ts, SECRET, sig)
    assert c_kernels.validate_user_signature("u", ts - 10_000, SECRET, sig) is False
    assert c_kernels.Signer(SECRET).validate_users(["u"], [ts], [sig]) == [True]


def _batch_outcomes(c: ModuleType, p: ModuleType, *args: Any, **kwargs: Any) -> None:
    got = _outcome(c.Signer(SECRET).validate_users, *args, **kwargs)
    want = _outcome(p.Signer(SECRET).validate_users, *args, **kwargs)
    assert got == want, (args, kwargs)


def test_batch_error_order_matches_the_spec(c_kernels: ModuleType, pure_kernels: ModuleType) -> None:
    now = 1_700_000_000
    good = pure_kernels.Signer(SECRET).sign("%d_u" % now)
    cases: List[Tuple[List[Any], List[Any], List[Any]]] = [
        (["u", "\ud800", "u", 5], [now] * 4, [good] * 4),  # TypeError wins over the earlier encoding error
        (["u", "\ud800", "u"], [now] * 3, [good] * 3),  # encoding error, position counted in ts_uid
        (["u", "\ud800", "u"], [now - 10_000, now, now], [None] * 3),  # in window: raises even without a signature
        (["\ud800", "u"], [now - 10_000, now], [good] * 2),  # out of window: never encoded
        (["u", "u"], [now, True], [good] * 2),
        (["u", "u"], [now, 1.5], [good] * 2),
        (["u", "u", "u"], [now, "\ud800", now], [good] * 3),
        (["u", "\u00e9", StrSub("u")], [StrSub(str(now)), IntSub(now), 10**40], [good, good, StrSub(good)]),
        (["u"] * 2, [now] * 2, [good]),
        ([], [], []),
    ]
    for uids, tss, sigs in cases:
        for expiration in (300, None, IntSub(300)):
            _batch_outcomes(c_kernels, pure_kernels, uids, tss, sigs, expiration=expiration, now=now)
            _batch_outcomes(c_kernels, pure_kernels, uids, tss, sigs, expiration=expiration, now=IntSub(now))
            got = _outcome(
                c_kernels.Signer(SECRET).validate_users,
                iter(uids),
                tuple(tss),
                sigs,
                expiration=expiration,
                now=now,
                threads=2,
            )
            want = _outcome(
                pure_kernels.Signer(SECRET).validate_users,
                iter(uids),
                tuple(tss),
                sigs,
                expiration=expiration,
                now=now,
                threads=2,
            )
            assert got == want


def test_batch_argument_errors_match_the_spec(c_kernels: ModuleType, pure_kernels: ModuleType) -> None:
    for threads in (0, -1, True, 1.0, "2", None):
        _batch_outcomes(c_kernels, pure_kernels, [], [], [], threads=threads)
        got = _outcome(c_kernels.Signer(SECRET).verify_hmacs, [], [], threads=threads)
        want = _outcome(pure_kernels.Signer(SECRET).verify_hmacs, [], [], threads=threads)
        assert got == want
    for expiration, now in ((True, None), ("300", None), (None, "1"), (300, False)):
        _batch_outcomes(c_kernels, pure_kernels, [], [], [], expiration=expiration, now=now)
    _batch_outcomes(c_kernels, pure_kernels, None, [], [])
    _batch_outcomes(c_kernels, pure_kernels, [], [], [], threads=10**30)


def test_verify_hmacs_inputs_match_the_spec(c_kernels: ModuleType, pure_kernels: ModuleType) -> None:
    body = b"{}" * 600
    sig = pure_kernels.Signer(SECRET).sign_bytes(body)
    cases: List[Tuple[Any, Any]] = [
        ([body, bytearray(body), body, body, body], [sig, sig, None, sig + "x", StrSub(sig)]),
        ([body, memoryview(body)], [sig, sig]),
        ([body, "text"], [sig, sig]),
        ([body], [sig, sig]),
        ([body] * 3, iter([sig, "\u00e9" * 28, 5])),
        ((b for b in [body, b""]), [sig, pure_kernels.Signer(SECRET).sign_bytes(b"")]),
    ]
    for messages, sigs in cases:
        messages, sigs = list(messages), list(sigs)
        for threads in (1, 3):
            got = _outcome(c_kernels.Signer(SECRET).verify_hmacs, messages, sigs, threads=threads)
            want = _outcome(pure_kernels.Signer(SECRET).verify_hmacs, messages, sigs, threads=threads)
            assert got == want


def test_large_batches_use_threads(c_hooks: ModuleType) -> None:
    assert c_hooks._effective_threads(3000, 4) > 1
    assert c_hooks._effective_threads(10, 4) == 1


def test_large_batches_use_threads_and_agree(c_kernels: ModuleType, pure_kernels: ModuleType) -> None:
    signer = c_kernels.Signer(SECRET)
    n = 3000
    # short messages go through the two-lane HMAC, long ones (> 55 bytes) one at a time
    uids = ["uid-%d-\u00e9" % i + ("L" * 60 if i % 5 == 0 else "") for i in range(n)]
    now = 1_700_000_000
    tss: List[Any] = [now - (i % 700) for i in range(n)]
    sigs = [signer.sign("%d_%s" % (t, u)) if i % 3 else "wrong" for i, (t, u) in enumerate(zip(tss, uids))]
    want = pure_kernels.Signer(SECRET).validate_users(uids, tss, sigs, now=now)
    for threads in (1, 2, 4, 64, 1000):
        assert signer.validate_users(uids, tss, sigs, now=now, threads=threads) == want


# --- build hygiene -------------------------------------------------------------------------


def _compilers() -> List[str]:
    return [cc for cc in ("gcc", "clang") if shutil.which(cc)]


@pytest.mark.parametrize("cc", _compilers() or ["none"])
def test_core_compiles_warning_free(cc: str, tmp_path: Path) -> None:
    if cc == "none":
        pytest.skip("no C compiler on PATH")
    sources = sorted(CORE.glob("*.c"))
    assert sources
    for source in sources:
        out = subprocess.run(
            [
                cc,
                "-std=c99",
                "-O2",
                "-Wall",
                "-Wextra",
                "-Wpedantic",
                "-Wshadow",
                "-Wvla",
                "-Werror",
                "-c",
                str(source),
                "-o",
                str(tmp_path / (source.stem + ".o")),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert out.returncode == 0, out.stderr


def test_no_march_native_anywhere() -> None:
    for path in [ROOT / "setup.py", *CORE.glob("*.[ch]")]:
        assert "march=native" not in path.read_text(), path
    sha = (CORE / "gf_sha1.c").read_text()
    # the SHA-NI target attribute is defined once and applied only to the SHA-NI kernels
    assert sha.count('__attribute__((target("sha,sse4.1,ssse3")))') == 1
    lines = sha.splitlines()
    targeted = [lines[i + 1] for i, line in enumerate(lines) if line == "GF_SHANI_TARGET"]
    assert targeted and all(line.startswith("static void gf_sha1_shani") for line in targeted), targeted
    for other in CORE.glob("*.[ch]"):
        if other.name != "gf_sha1.c":
            assert "GF_SHANI_TARGET" not in other.read_text() and "__attribute__((target" not in other.read_text()


def test_secret_never_in_error_messages(c_kernels: ModuleType) -> None:
    bad = "c2VjcmV0c2VjcmV0!==="
    with pytest.raises(ValueError) as info:
        c_kernels.Signer(bad)
    assert bad not in str(info.value)
    with pytest.raises(ValueError) as info:
        c_kernels.calc_signature("x", "c2VjcmV0@===")
    assert "c2VjcmV0" not in str(info.value)


# --- the C JSON encoder (dict/list/tuple parameter values) --------------------------------

JSON_TEXT = st.text(
    st.one_of(st.characters(), st.sampled_from('"\\/\b\f\n\r\t\x00\x1f\x7f\u2028\u00e9\U0001f600')), max_size=12
)
JSON_LEAF = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    JSON_TEXT,
    st.sampled_from([2**63, -(2**63) - 1, IntSub(5), FloatSub(1.5), StrSub("s"), b"x", 1 + 2j]),
)
JSON_VALUE = st.recursive(
    JSON_LEAF,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(st.one_of(JSON_TEXT, st.integers(), st.booleans(), st.none(), st.floats()), inner, max_size=4),
    ),
    max_leaves=12,
)


@settings(max_examples=600, deadline=None)
@given(value=JSON_VALUE)
def test_json_values_match_the_spec(c_kernels: ModuleType, pure_kernels: ModuleType, value: Any) -> None:
    _same(c_kernels, pure_kernels, "serialize_value", value)
    _same(c_kernels, pure_kernels, "build_query_string", {"data": value, "a": "1"})
    got = _outcome(c_kernels.Signer(SECRET).sign_request, "POST", "https://x.gigya.com/a.b", {"data": value})
    want = _outcome(pure_kernels.Signer(SECRET).sign_request, "POST", "https://x.gigya.com/a.b", {"data": value})
    assert got == want


def test_json_deep_and_circular_values_match_the_spec(c_kernels: ModuleType, pure_kernels: ModuleType) -> None:
    deep: Any = "x"
    for _ in range(200):
        deep = [deep]
    loop: List[Any] = [1]
    loop.append(loop)
    cyclic: Dict[str, Any] = {}
    cyclic["self"] = cyclic
    for value in (deep, loop, cyclic, {"a": {"b": [float("nan")]}}, {"k": "\ud800"}, ["\udfff"], {"\ud800": 1}):
        _same(c_kernels, pure_kernels, "serialize_value", value)
        _same(c_kernels, pure_kernels, "build_query_string", {"v": value})


@pytest.mark.parametrize("threads", [1, 2, 4])
def test_streaming_batch_errors_midway(c_kernels: ModuleType, pure_kernels: ModuleType, threads: int) -> None:
    """Errors found after helper threads already started hashing: same exception as the
    spec, no crash, and the signer still works afterwards."""
    now = 1_700_000_000
    n = 6000
    signer = c_kernels.Signer(SECRET)
    uids: List[Any] = ["u%d" % i for i in range(n)]
    sigs = [signer.sign("%d_%s" % (now, u)) for u in uids]
    variants: List[Tuple[int, Any]] = [(4500, 7), (n - 1, None), (2000, "\ud800"), (5999, b"x")]
    for index, bad in variants:
        broken = list(uids)
        broken[index] = bad
        for extra in ([], [(5000, 3.5)]):
            tss: List[Any] = [now] * n
            for j, value in extra:
                tss[j] = value
            got = _outcome(signer.validate_users, broken, tss, sigs, now=now, threads=threads)
            want = _outcome(pure_kernels.Signer(SECRET).validate_users, broken, tss, sigs, now=now)
            assert got == want, (index, bad, extra)
    assert signer.validate_users(uids, [now] * n, sigs, now=now, threads=threads) == [True] * n


def test_a_replaced_time_time_is_honoured(
    c_kernels: ModuleType, pure_kernels: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    """freezegun and tests replace time.time(): the compiled twin must see the same clock
    as the spec (it reads the C clock only while time.time is the real one)."""
    import time

    frozen = 1_500_000_000
    sig = pure_kernels.Signer(SECRET).sign("%d_u" % frozen)
    for clock in (lambda: float(frozen), lambda: frozen + 300, lambda: frozen - 301.5, lambda: IntSub(frozen)):
        monkeypatch.setattr(time, "time", clock)
        for expiration in (300, 300.0, IntSub(300)):
            _same(c_kernels, pure_kernels, "validate_user_signature", "u", frozen, SECRET, sig, expiration)
            got = c_kernels.Signer(SECRET).validate_users(
                ["u"] * 300, [frozen] * 300, [sig] * 300, expiration=expiration
            )
            want = pure_kernels.Signer(SECRET).validate_users(
                ["u"] * 300, [frozen] * 300, [sig] * 300, expiration=expiration
            )
            assert got == want
        _same(c_kernels, pure_kernels, "get_dynamic_session_signature", "tok|x", 60, SECRET)
    monkeypatch.undo()
    assert c_kernels.validate_user_signature("u", frozen, SECRET, sig) is False  # the real clock again
