#!/usr/bin/env python3
"""Differential fuzzing of the compiled signing kernels against the pure-Python twin (atheris).

Every input runs through ``gigya_fast._signing_c`` and ``gigya_fast._signing_py``;
the outcomes must be identical: the same result (type and value), or the same
exception class with the same message. A crash (segfault, sanitizer report)
stops the run and libFuzzer saves the input; a *mismatch* is recorded in
``--out`` (one JSON line per distinct kind) and the run goes on, so one bounded
run reports every kind of disagreement it found.

Usage::

    python scripts/fuzz.py --seconds 240              # every target, the time split between them
    python scripts/fuzz.py --target percent_encode --seconds 60
    python scripts/fuzz.py --target batch crash-1234   # replay one saved input

Each target runs in its own process (``--target``), with libFuzzer's
``-max_total_time``; the pure module is instrumented for coverage feedback.
"""

from __future__ import annotations

import argparse
import collections
import collections.abc
import importlib
import importlib.util
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Sequence, Tuple

import atheris

from gigya_fast.errors import SignatureError

# The source tree, for a checkout without an installed gigya_fast (an installed one wins).
sys.path.append(str(Path(__file__).resolve().parent.parent))

from tests.hardening._hostile import (  # noqa: E402 - needs the source tree on sys.path
    DictSub,
    FloatSub,
    HostileIterable,
    HostileMapping,
    IntSub,
    Level,
    ListSub,
    LyingByteArray,
    LyingBytes,
    LyingStr,
    Opaque,
    StrSub,
    UnhashableStr,
    colliding,
    mutating_params,
    outcome,
)

with atheris.instrument_imports(
    include=["gigya_fast._signing_py", "gigya_fast.webhooks._batch_py", "gigya_fast._envelope_py"]
):
    PURE_KERNELS = importlib.import_module("gigya_fast._signing_py")
    PURE_WEBHOOK_BATCH = importlib.import_module("gigya_fast.webhooks._batch_py")
    PURE_ENVELOPE = importlib.import_module("gigya_fast._envelope_py")

Kernels = Any  # the two kernel modules (same names, no common static type)
COMPILED: Kernels = None  # the compiled kernels, loaded by main()
COMPILED_WEBHOOK_BATCH: Any = None  # the compiled webhook batch kernel, loaded by main()
COMPILED_ENVELOPE: Any = None  # the compiled envelope scan, loaded by main()


def load_compiled(self_check: bool) -> None:
    """Import the compiled kernels (or, with *self_check*, a second copy of the pure ones)."""
    global COMPILED, COMPILED_WEBHOOK_BATCH, COMPILED_ENVELOPE
    if self_check:
        spec = importlib.util.find_spec("gigya_fast._signing_py")
        assert spec is not None and spec.loader is not None
        COMPILED = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(COMPILED)
        COMPILED_WEBHOOK_BATCH = PURE_WEBHOOK_BATCH.verify_webhook_batch
        COMPILED_ENVELOPE = PURE_ENVELOPE.scan_envelope
        return
    try:
        COMPILED = importlib.import_module("gigya_fast._signing_c")
        COMPILED_WEBHOOK_BATCH = importlib.import_module("gigya_fast.webhooks._batch_c").verify_webhook_batch
        COMPILED_ENVELOPE = importlib.import_module("gigya_fast._envelope_c").scan_envelope
    except ImportError as exc:  # pragma: no cover - depends on the build
        sys.exit(f"the compiled kernels are not importable ({exc}); build them first: pip install -e .")


SECRETS = [
    "c2VjcmV0",
    "dGVzdC1jb25zdW1lci1zZWNyZXQmdGVzdC10b2tlbi1zZWNyZXQ=",
    "+/+/AAAA",
    "AA==",
]
UNRESERVED = "ABCXYZabcxyz0189-._~"
NASTY_CHARS = "&=%+?#/:@[]!*'() \t\r\n\x00\x7f\u00e9\u00ff\u0100\u4e2d\U0001f600\ufeff\u200b\\\"<>"


# --- inputs -----------------------------------------------------------------------


class Gen:
    """Structured values drawn from libFuzzer's bytes."""

    def __init__(self, data: bytes) -> None:
        self.fdp = atheris.FuzzedDataProvider(data)

    def pick(self, options: Sequence[Any]) -> Any:
        return self.fdp.PickValueInList(list(options))

    def n(self, low: int, high: int) -> int:
        return int(self.fdp.ConsumeIntInRange(low, high))

    def flag(self) -> bool:
        return bool(self.fdp.ConsumeBool())

    def text(self, max_len: int = 24) -> str:
        kind = self.n(0, 5)
        length = self.n(0, max_len)
        if kind == 0:
            return str(self.fdp.ConsumeUnicode(length))  # may contain lone surrogates
        if kind == 1:
            return "".join(self.pick(UNRESERVED) for _ in range(length))
        if kind == 2:
            return "".join(self.pick(UNRESERVED + NASTY_CHARS) for _ in range(length))
        if kind == 3:
            return str(self.fdp.ConsumeBytes(length).decode("latin-1"))
        return str(self.fdp.ConsumeUnicodeNoSurrogates(length))

    def string_like(self, max_len: int = 24) -> Any:
        kind = self.n(0, 18)
        if kind == 0:
            return StrSub(self.text(max_len))
        if kind == 1:
            return self.pick([None, b"bytes", 7, 1.5, Opaque(), True, ["x"]])
        if kind == 2:
            return LyingStr(self.text(max_len))
        if kind == 3:
            return colliding(self.text(max_len), self.pick(SECRETS))
        if kind == 4:
            return UnhashableStr(self.text(max_len))
        return self.text(max_len)

    def message(self) -> Any:
        """A message to HMAC: bytes mostly, sometimes a subclass whose __bytes__ lies."""
        data = bytes(self.fdp.ConsumeBytes(self.n(0, 64)))
        kind = self.n(0, 11)
        if kind == 0:
            return LyingBytes(data)
        if kind == 1:
            return LyingByteArray(data)
        if kind == 2:
            return bytearray(data)
        return data

    def integer(self) -> int:
        kind = self.n(0, 6)
        if kind == 0:
            return self.n(-(2**63), 2**63 - 1)
        if kind == 1:
            return int(self.pick([0, 1, -1, 2**31 - 1, 2**31, 2**32, 2**53 + 1, 2**63 - 1, 2**63, 2**64, -(2**63) - 1]))
        if kind == 2:
            return int(self.fdp.ConsumeInt(self.n(9, 40)))  # beyond 64 bits
        return self.n(-(10**12), 10**12)

    def floating(self) -> float:
        kind = self.n(0, 4)
        if kind == 0:
            return float(self.pick([math.nan, math.inf, -math.inf, -0.0, 1e308, 5e-324, 1e16, 0.1]))
        return float(self.fdp.ConsumeFloat())

    def number(self) -> Any:
        kind = self.n(0, 9)
        if kind == 0:
            return self.flag()
        if kind == 1:
            return IntSub(self.integer())
        if kind == 2:
            return FloatSub(self.floating())
        if kind == 3:
            return self.pick([None, "300", Opaque()])
        if kind <= 5:
            return self.floating()
        return self.integer()

    def timestamp(self) -> Any:
        kind = self.n(0, 9)
        if kind == 0:
            return self.pick([True, None, 1.0, b"1", Opaque()])
        if kind == 1:
            return StrSub(str(self.n(0, 2**40)))
        if kind == 2:
            return IntSub(self.integer())
        if kind == 3:
            return self.text(20)
        if kind == 4:
            # unicode digits, padding, signs
            return self.pick(["", "0", "-1", "+1", " 1", "1 ", "\u0661\u0662", "00001700000000", "9" * 15, "9" * 16])
        if kind <= 6:
            return str(self.integer())
        return self.integer()

    def value(self, depth: int = 0) -> Any:
        kind = self.n(0, 14)
        if kind == 0:
            return None
        if kind == 1:
            return self.flag()
        if kind == 2:
            return self.integer()
        if kind == 3:
            return self.floating()
        if kind == 4 and depth < 3:
            return [self.value(depth + 1) for _ in range(self.n(0, 3))]
        if kind == 5 and depth < 3:
            return tuple(self.value(depth + 1) for _ in range(self.n(0, 3)))
        if kind == 6 and depth < 3:
            return {self.json_key(): self.value(depth + 1) for _ in range(self.n(0, 3))}
        if kind == 7:
            return self.pick([StrSub("s"), IntSub(5), FloatSub(0.5), b"b", Opaque(), {1: "x"}, {None: 1}, [math.nan]])
        if kind == 8 and depth < 3:
            return self.odd_container(depth)
        return self.text()

    def json_key(self) -> Any:
        """A dict key for JSON values: str mostly, sometimes the other types json accepts (or not)."""
        if self.n(0, 5):
            return self.text(6)
        return self.pick([True, False, None, 0, -7, 2**70, 1.5, math.nan, math.inf, IntSub(3), StrSub("k"), (1, 2)])

    def odd_container(self, depth: int) -> Any:
        """Containers the C JSON encoder must treat as json.dumps does."""
        kind = self.n(0, 6)
        items = [self.value(depth + 1) for _ in range(self.n(0, 3))]
        if kind == 0:
            return collections.OrderedDict((f"k{i}", v) for i, v in enumerate(items))
        if kind == 1:
            return DictSub({f"k{i}": v for i, v in enumerate(items)})
        if kind == 2:
            loop: List[Any] = list(items)
            loop.append(loop)  # circular
            return loop
        if kind == 3:
            nested: List[Any] = items
            for _ in range(self.pick([10, 500, 5000])):
                nested = [nested]
            return nested
        if kind == 4:
            return [Level.HIGH, {Level.HIGH: items}]
        if kind == 5:
            return ListSub(items)
        return {"ctl": "".join(chr(self.n(0, 0x3F)) for _ in range(self.n(0, 8))), "v": items}

    def key(self) -> Any:
        kind = self.n(0, 12)
        if kind == 0:
            return self.pick(["", "sig", "a&b", "a=b", "a%b", "a+b", 1, None, StrSub("k")])
        if kind == 1:
            return self.text(6)
        return "".join(self.pick("abcdefghXYZ_.-0123\u00e9") for _ in range(self.n(1, 6)))

    def params(self) -> Callable[[], Any]:
        """A maker of the params: called once per implementation (some kinds change them)."""
        items = {self.key(): self.value() for _ in range(self.n(0, 6))}
        kind = self.n(0, 9)
        if kind == 0:
            made: Any = HostileMapping(items, self.n(0, 6))
        elif kind == 1:
            made = self.pick([list(items.items()), None, "a=b", Opaque()])
        elif kind == 2:
            # a value whose items() (json.dumps calls it) changes the params mid-signing
            return lambda: mutating_params(items)
        else:
            made = items
        return lambda: made

    def url(self) -> Any:
        if self.n(0, 9) == 0:
            return self.string_like(40)
        scheme = self.pick(["http", "https", "HTTP", "HtTpS", "ftp", "", "http:", "https "])
        host = self.pick(["h", "Example.COM", "127.0.0.1", "[::1]", "[2001:DB8::1]", "", "a.b-c.d", "\u00e9x.com"])
        if self.flag():
            host = self.text(8) or host
        port = self.pick(["", ":80", ":443", ":8080", ":0", ":65535", ":65536", ":-1", ":x", ":", ":0080"])
        userinfo = self.pick(["", "", "", "user:pw@", "@"])
        path = self.pick(["", "/", "/accounts.getAccountInfo", "/a b", "/%41", "/\u00e9", "//x"])
        if self.flag():
            path = "/" + self.text(10)
        tail = self.pick(["", "?x=1", "#frag", "?a=b#c", "?"])
        return f"{scheme}://{userinfo}{host}{port}{path}{tail}"

    def secret(self) -> Any:
        kind = self.n(0, 9)
        if kind <= 3:
            return self.pick(SECRETS)
        if kind == 4:
            import base64

            return base64.b64encode(self.fdp.ConsumeBytes(self.n(0, 40))).decode("ascii")
        if kind == 5:
            base = self.pick(SECRETS)
            i = self.n(0, len(base))
            return base[:i] + self.pick(["=", "-", "_", " ", "\n", "\u00e9", "", "A", "==", "*"]) + base[i + 1 :]
        if kind == 6:
            return self.pick(["", "=", "====", "AAA", "AAAAA", "AA=A", "A===", "AB==", "AB=", "QQ==QQ==", 5, None])
        if kind == 7:
            return self.pick([StrSub, LyingStr, UnhashableStr])(self.pick(SECRETS))
        if kind == 8:
            # looks like (hashes like, equals) another secret: a cache must not confuse them
            return colliding(self.pick(SECRETS), self.pick(SECRETS))
        return self.text(12)

    def signature(self, good: str) -> Any:
        kind = self.n(0, 9)
        if kind <= 3:
            return good
        if kind == 4:
            i = self.n(0, max(0, len(good) - 1))
            return good[:i] + self.pick(["A", "a", "+", "/", "=", "\u00e9", "", "\x00"]) + good[i + 1 :]
        if kind == 5:
            return self.pick([None, "", b"x", 5, Opaque(), good.encode("ascii"), good + "=", good[:-1], " " + good])
        if kind == 6:
            return StrSub(good)
        return self.text(30)

    def threads(self) -> Any:
        kind = self.n(0, 9)
        if kind == 0:
            return self.pick([0, -1, True, 1.0, None, "2", 2**63, 2**64 + 1, IntSub(2)])
        return self.n(1, 8)


# --- running and comparing ---------------------------------------------------------


class Recorder:
    """Keeps mismatches, one entry per distinct (target, call, outcome kinds)."""

    def __init__(self, path: Path | None, stop: bool) -> None:
        self.path = path
        self.stop = stop
        self.seen: Dict[str, int] = {}

    def check(self, target: str, label: str, call: Callable[[Kernels], Any], inputs: Callable[[], str]) -> None:
        compiled = outcome(call, COMPILED)
        pure = outcome(call, PURE_KERNELS)
        if compiled == pure:
            return
        kind = f"{target}|{label}|{compiled[0]}:{compiled[1]}|{pure[0]}:{pure[1]}"
        if compiled[0] == pure[0] == "raise" and compiled[1] == pure[1]:
            kind += "|message"
        count = self.seen.get(kind, 0)
        self.seen[kind] = count + 1
        record = {"kind": kind, "inputs": inputs(), "compiled": list(compiled), "pure": list(pure)}
        if self.stop:
            raise AssertionError("kernels disagree: " + json.dumps(record, ensure_ascii=True))
        if count < 3 and self.path is not None:
            with self.path.open("a", encoding="utf-8") as out:
                out.write(json.dumps(record, ensure_ascii=True) + "\n")
            print("MISMATCH " + json.dumps(record, ensure_ascii=True)[:600], file=sys.stderr, flush=True)


RECORDER = Recorder(None, stop=False)


def _good_sig(secret: Any, message: str) -> str:
    try:
        return str(PURE_KERNELS.Signer(secret).sign(message))
    except Exception:  # noqa: BLE001 - invalid secret: any string will do
        return "AAAAAAAAAAAAAAAAAAAAAAAAAAA="


def target_percent_encode(data: bytes) -> None:
    """percent_encode and serialize_value over arbitrary text and values."""
    g = Gen(data)
    value = g.string_like(64)
    RECORDER.check("percent_encode", "percent_encode", lambda k: k.percent_encode(value), lambda: repr(value))
    item = g.value()
    RECORDER.check("percent_encode", "serialize_value", lambda k: k.serialize_value(item), lambda: repr(item))


def target_base_string(data: bytes) -> None:
    """build_query_string, normalize_url, build_base_string, sign_request over hostile params and URLs."""
    g = Gen(data)
    params = g.params()
    url = g.url()
    method = g.pick(["POST", "post", "GET", "", "p\u00f6st", None, StrSub("POST"), LyingStr("post")])
    secret = g.secret()
    show = lambda: repr((method, url, params(), secret))  # noqa: E731
    RECORDER.check("base_string", "build_query_string", lambda k: k.build_query_string(params()), show)
    RECORDER.check("base_string", "normalize_url", lambda k: k.normalize_url(url), show)
    RECORDER.check("base_string", "build_base_string", lambda k: k.build_base_string(method, url, params()), show)
    RECORDER.check(
        "base_string", "sign_request", lambda k: k.Signer(secret).sign_request(method, url, params()), show
    )


def target_signatures(data: bytes) -> None:
    """Secret decoding, signing and single validations (UID, friend, dynamic session)."""
    g = Gen(data)
    secret = g.secret()
    uid = g.string_like()
    friend = g.string_like()
    stamp = g.timestamp()
    now = g.number() if g.n(0, 7) else None
    expiration = g.number()
    if now is None:
        expiration = None  # without "now" the window depends on the clock
    base = g.string_like(40)
    sig = g.signature(_good_sig(secret, f"{stamp}_{uid}"))
    fsig = g.signature(_good_sig(secret, f"{stamp}_{friend}_{uid}"))
    message = (
        g.pick([b"", b"body", bytearray(b"body"), memoryview(b"m"), "str", None, LyingBytes(b"b")])
        if g.n(0, 3)
        else g.message()
    )
    glt = g.string_like()
    timeout = g.pick([0, 1, 3600, -5, 2**31, 2**63, 2**70, True, 1.5, None]) if g.flag() else g.integer()
    user_key = g.string_like(10)
    dyn_now = g.number()
    show = lambda: repr((secret, uid, friend, stamp, now, expiration, base, sig, fsig, message, glt, timeout))  # noqa: E731
    RECORDER.check("signatures", "Signer", lambda k: repr(k.Signer(secret)), show)
    RECORDER.check("signatures", "calc_signature", lambda k: k.calc_signature(base, secret), show)
    RECORDER.check("signatures", "sign_bytes", lambda k: k.Signer(secret).sign_bytes(message), show)
    RECORDER.check(
        "signatures",
        "validate_user_signature",
        lambda k: k.validate_user_signature(uid, stamp, secret, sig, expiration, now=now),
        show,
    )
    RECORDER.check(
        "signatures",
        "validate_friend_signature",
        lambda k: k.validate_friend_signature(uid, stamp, friend, secret, fsig, expiration, now=now),
        show,
    )
    RECORDER.check(
        "signatures",
        "Signer.validate_user",
        lambda k: k.Signer(secret).validate_user(uid, stamp, sig, expiration, now=now),
        show,
    )
    RECORDER.check(
        "signatures",
        "get_dynamic_session_signature",
        lambda k: k.get_dynamic_session_signature(glt, timeout, secret, now=dyn_now),
        show,
    )
    RECORDER.check(
        "signatures",
        "get_dynamic_session_signature_user_signed",
        lambda k: k.get_dynamic_session_signature_user_signed(glt, timeout, user_key, secret, now=dyn_now),
        show,
    )


def target_batch(data: bytes) -> None:
    """Batch validation and HMAC verification with mismatched lengths and hostile items."""
    g = Gen(data)
    secret = g.pick(SECRETS) if g.n(0, 5) else g.secret()
    size = g.n(0, 12)
    now = g.number() if g.n(0, 5) else 1_700_000_000
    expiration = g.number()
    uids = [g.string_like(12) if g.n(0, 9) == 0 else f"u{i}" for i in range(size)]
    stamps = [g.timestamp() if g.n(0, 3) == 0 else 1_700_000_000 + g.n(-400, 400) for _ in range(size)]
    sigs = [g.signature(_good_sig(secret, f"{s}_{u}")) for u, s in zip(uids, stamps)]
    # mismatched lengths
    if g.n(0, 7) == 0:
        sigs = sigs[: g.n(0, len(sigs))]
    if g.n(0, 7) == 0:
        stamps = stamps + [1]
    threads = g.threads()
    messages: List[Any] = [g.message() for _ in range(size)]
    if size and g.n(0, 7) == 0:
        messages[g.n(0, size - 1)] = g.pick(["str", None, bytearray(b"ba"), memoryview(b"mv"), 5])
    macs = [g.signature(_good_sig(secret, "x")) if g.flag() else _mac(secret, _real_bytes(m)) for m in messages]
    if g.n(0, 7) == 0:
        macs = macs[: g.n(0, len(macs))]
    # Sequences are rebuilt for each implementation: iterators are consumed.
    shapes = (g.n(0, 9), g.n(0, 9), g.n(0, 9), g.n(0, 9))

    def seq(items: List[Any], shape: int) -> Any:
        if shape == 0:
            return tuple(items)
        if shape == 1:
            return iter(list(items))
        if shape == 2:
            return HostileIterable(items, len(items) // 2)
        return list(items)

    show = lambda: repr((secret, uids, stamps, sigs, now, expiration, threads, messages, macs, shapes))  # noqa: E731
    RECORDER.check(
        "batch",
        "validate_user_signatures",
        lambda k: k.validate_user_signatures(
            seq(uids, shapes[0]),
            seq(stamps, shapes[1]),
            seq(sigs, shapes[2]),
            secret,
            expiration=expiration,
            now=now,
            threads=threads,
        ),
        show,
    )
    RECORDER.check(
        "batch",
        "verify_hmacs",
        lambda k: k.Signer(secret).verify_hmacs(seq(messages, shapes[3]), list(macs), threads=threads),
        show,
    )


_TAILS = [b',"timestamp":%d}', b'{"timestamp":%d}', b',"timestamp": %d}', b',"timestamp":%d }', b'"timestamp":%d}']
_SPACES = ["", " ", "\t", "\r\n", "\x1c", "\x1f", "\x0b", "\xa0", "\u3000", "\u2028", "\x85", "\u200b"]


def _webhook_item(g: Gen, secret: Any, now: int) -> Any:
    """A (body, headers) pair as the webhook batch kernel sees it, sometimes hostile."""
    ts = now + g.n(-400, 400) if g.n(0, 3) else g.integer()
    body = bytes(g.fdp.ConsumeBytes(g.n(0, 48))) + g.pick(_TAILS) % (ts if isinstance(ts, int) else 0)
    if g.n(0, 9) == 0:
        body = bytes(g.fdp.ConsumeBytes(g.n(0, 80)))
    sig = _mac(secret, body) or "AAAAAAAAAAAAAAAAAAAAAAAAAAA="
    sig = g.signature(sig)
    if isinstance(sig, str) and g.n(0, 4):
        sig = g.pick(_SPACES) + sig + g.pick(_SPACES)
    name = g.pick(
        ["X-Gigya-Sig-Hmac-Sha1", "x-gigya-sig-hmac-sha1", "X-GIGYA-SIG-HMAC-SHA1", StrSub("X-Gigya-Sig-Hmac-Sha1")]
    )
    headers: Any = {"Content-Type": "application/json", name: sig}
    if g.n(0, 11) == 0:
        headers = g.pick([DictSub(headers), HostileMapping(headers, 1), [(name, sig)], {"X-Gigya-Sig-Hmac-Sha1": None}])
    if g.n(0, 11) == 0:
        return g.pick(
            [
                (body,),
                (body, headers, 1),
                [body, headers],
                (bytearray(body), headers),
                (body.decode("latin-1"), headers),
            ]
        )
    return (body, headers)


def _webhook_outcome(results: Any) -> Any:
    if results is None:
        return None
    return [
        ("error", type(r).__name__, str(r))
        if isinstance(r, Exception)
        else ("finished", r[1])
        if isinstance(r, tuple)
        else ("notification", r.body, id(r.headers), sorted(r.verified_by))
        for r in results
    ]


def _finish(body: bytes, headers: Any) -> Any:
    if b"reject" in body:
        raise SignatureError("rejected")
    return ("finished", body)


def target_webhooks(data: bytes) -> None:
    """The webhook batch kernel (verify_webhook_batch) over hostile items, windows and threads."""
    g = Gen(data)
    secret = g.pick(SECRETS)
    now = 1_700_000_000
    items = [_webhook_item(g, secret, now) for _ in range(g.n(0, 10))] * g.pick([1, 1, 1, 60])
    window = g.pick([None, (now - 300, now + 300), (now, now), (g.integer(), g.integer()), (-1, 5), (999, 10**10)])
    max_body = g.pick([1 << 20, 64, 1])
    threads = g.n(1, 4)
    ctx = (frozenset({"hmac"}), None)
    show = lambda: repr((secret, items[:10], len(items), window, max_body, threads))  # noqa: E731

    def run(k: Kernels) -> Any:
        batch = PURE_WEBHOOK_BATCH.verify_webhook_batch if k is PURE_KERNELS else COMPILED_WEBHOOK_BATCH
        return _webhook_outcome(batch(k.Signer(secret), items, max_body, window, threads, ctx, _finish))

    RECORDER.check("webhooks", "verify_webhook_batch", run, show)


def _real_bytes(message: Any) -> Any:
    """The contents of a bytes/bytearray (subclass), or *message* itself."""
    if isinstance(message, (bytes, bytearray)):
        return bytes(memoryview(message))
    return message


def _mac(secret: Any, message: Any) -> Any:
    try:
        return PURE_KERNELS.Signer(secret).sign_bytes(message)
    except Exception:  # noqa: BLE001 - the kernels' own errors are compared later
        return None


def _check_scan(body: bytes) -> None:
    def scan(kernels: Kernels) -> Any:
        return (COMPILED_ENVELOPE if kernels is COMPILED else PURE_ENVELOPE.scan_envelope)(body)

    RECORDER.check("envelope", "scan_envelope", scan, lambda: repr(body))


def target_envelope(data: bytes) -> None:
    """scan_envelope over raw bytes, alone and after an answer's first member: the twins agree, and
    a code means json.loads reads the body as an object with that errorCode (else it raises here)."""
    for body in (data, b'{"errorCode":0,' + data, b'{"a":[' + data):
        _check_scan(body)
        code = PURE_ENVELOPE.scan_envelope(body)
        if code is not None:
            parsed = json.loads(body)
            if type(parsed) is not dict or type(parsed.get("errorCode")) is not int or parsed["errorCode"] != code:
                raise AssertionError("scan_envelope vouched for %r as %r" % (body, code))


TARGETS: Dict[str, Callable[[bytes], None]] = {
    "percent_encode": target_percent_encode,
    "base_string": target_base_string,
    "signatures": target_signatures,
    "batch": target_batch,
    "webhooks": target_webhooks,
    "envelope": target_envelope,
}


# --- driver ----------------------------------------------------------------------------


def run_target(name: str, seconds: int, out: Path, stop: bool, extra: List[str]) -> None:
    """Fuzz one target in this process until libFuzzer's time limit (never returns)."""
    global RECORDER
    RECORDER = Recorder(out, stop)
    artifacts = out.parent / "artifacts"
    artifacts.mkdir(parents=True, exist_ok=True)
    argv = [sys.argv[0], f"-max_total_time={seconds}", f"-artifact_prefix={artifacts}/{name}-", "-rss_limit_mb=4096"]
    argv += ["-print_final_stats=1", *extra]
    atheris.Setup(argv, TARGETS[name])
    atheris.Fuzz()


_DONE = re.compile(r"Done (\d+) runs in (\d+) second")


def orchestrate(targets: List[str], seconds: int, out_dir: Path, stop: bool, self_check: bool) -> int:
    """Run each target in a subprocess for its share of the time; print a table; 0 when all agree."""
    out_dir.mkdir(parents=True, exist_ok=True)
    share = max(5, seconds // len(targets))
    rows: List[Tuple[str, str, str, str, str]] = []
    status = 0
    print(
        f"compiled: {COMPILED.__file__}\nfuzzing {len(targets)} target(s), {share} s each; output in {out_dir}",
        flush=True,
    )
    for name in targets:
        log_path = out_dir / f"{name}.log"
        mismatches = out_dir / f"{name}.mismatches.jsonl"
        if mismatches.exists():
            mismatches.unlink()
        cmd = [sys.executable, __file__, "--target", name, "--seconds", str(share), "--out", str(out_dir)]
        if stop:
            cmd.append("--stop-on-mismatch")
        if self_check:
            cmd.append("--self-check")
        start = time.monotonic()
        with log_path.open("w", encoding="utf-8") as log:
            proc = subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT, check=False)  # noqa: S603
        elapsed = time.monotonic() - start
        text = log_path.read_text(encoding="utf-8", errors="replace")
        done = _DONE.search(text)
        runs = done.group(1) if done else "?"
        kinds = 0
        if mismatches.exists():
            kinds = len({json.loads(line)["kind"] for line in mismatches.read_text(encoding="utf-8").splitlines()})
        crashed = proc.returncode != 0 and not done
        verdict = "CRASH (see log)" if crashed else ("mismatch" if kinds else "ok")
        if crashed or kinds or proc.returncode != 0:
            status = 1
        rows.append((name, runs, f"{elapsed:.0f}", str(kinds), verdict))
    print("\n| target | executions | seconds | mismatch kinds | result |\n|---|---:|---:|---:|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return status


def main() -> None:
    """Parse the command line and run one target (in process) or all (in subprocesses)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--target", choices=sorted(TARGETS), help="fuzz only this target, in this process")
    parser.add_argument("--seconds", type=int, default=240, help="total time budget (default 240)")
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "gigya_fast_fuzz")
    parser.add_argument("--stop-on-mismatch", action="store_true", help="treat a mismatch as a crash")
    parser.add_argument("--self-check", action="store_true", help="compare the pure kernels with themselves")
    args, extra = parser.parse_known_args()
    load_compiled(args.self_check)
    if args.target:
        args.out.mkdir(parents=True, exist_ok=True)
        run_target(
            args.target, args.seconds, args.out / f"{args.target}.mismatches.jsonl", args.stop_on_mismatch, extra
        )
    sys.exit(orchestrate(sorted(TARGETS), args.seconds, args.out, args.stop_on_mismatch, args.self_check))


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
