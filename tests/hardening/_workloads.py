"""Workloads shared by the leak, reference-count and stress checks.

Each workload makes one round of kernel calls against a kernels module
(``gigya_fast._signing_c`` or ``gigya_fast._signing_py``) with fixed inputs, so
that any cache (secret -> Signer, URL normalisation) is full after the first
round and memory should not grow after that. ``scripts/leak_check.py`` runs
the same workloads for a million iterations.
"""

from __future__ import annotations

import base64
import gc
import os
import time
import tracemalloc
from dataclasses import dataclass
from types import ModuleType
from typing import Callable, Dict, List, Optional, Sequence, Tuple, Type, Union

from gigya_fast.errors import InvalidSecretError

__all__ = [
    "SECRET",
    "NOW",
    "Workload",
    "WORKLOADS",
    "ERROR_CASES",
    "ErrorCase",
    "LeakResult",
    "rss_bytes",
    "measure",
    "batch_inputs",
]

SECRET = base64.b64encode(b"hardening secret \x00\xff\xfe+/ 0123456789").decode("ascii")
NOW = 1_700_000_000
_UID = "uid-\u00e9\u4e2d-0123456789abcdef"
_FRIEND = "friend-\U0001f600"
_PARAMS: Dict[str, object] = {
    "apiKey": "3_abcdefABCDEF0123456789",
    "timestamp": NOW,
    "nonce": "n-0001",
    "format": "json",
    "httpStatusCodes": False,
    "ratio": 0.1,
    "profile": {"firstName": "J\u00fcrgen", "tags": ["a", "b", 1, 2.5, None, True]},
    "skip": None,
    "sig": "ignored",
    "text": "!*'();:@&=+$,/?%#[] \u00e9",
}
_URL = "HTTPS://Accounts.EU1.Gigya.com:443/accounts.getAccountInfo?x=1#frag"
_BODY = b'{"events":[{"type":"accountCreated","id":"1"}],"nonce":"abc"}' * 4


Stamp = Union[str, int]
Batch = Tuple[List[str], List[Stamp], List[Optional[str]]]


def batch_inputs(kernels: ModuleType, n: int = 64) -> Batch:
    """*n* (uid, timestamp, signature) triples: valid, tampered, expired, missing and non-ASCII signatures."""
    signer = kernels.Signer(SECRET)
    uids: List[str] = []
    stamps: List[Stamp] = []
    sigs: List[str | None] = []
    for i in range(n):
        uid = f"user-{i}-" + "\u00e9" * (i % 3)
        ts = NOW + (0, 10, -299, 301, -5000)[i % 5]
        good = str(signer.sign(f"{ts}_{uid}"))
        sig: str | None = (good, good[:-3] + "AA=", None, "", "\u00e9" + good[1:], good)[i % 6]
        uids.append(uid)
        stamps.append(ts if i % 2 else str(ts))
        sigs.append(sig)
    return uids, stamps, sigs


@dataclass(frozen=True)
class Workload:
    """A named round of kernel calls: ``make(kernels)`` returns the zero-argument callable."""

    name: str
    make: Callable[[ModuleType], Callable[[], object]]


def _encoding(k: ModuleType) -> Callable[[], object]:
    def run() -> object:
        return (
            k.percent_encode("a b/c?d=\u00e9\U0001f600~-._"),
            k.serialize_value(_PARAMS["profile"]),
            k.serialize_value(12345678901234567890),
            k.serialize_value(0.1),
            k.build_query_string(_PARAMS),
            k.normalize_url(_URL),
            k.build_base_string("post", _URL, _PARAMS),
        )

    return run


def _signing(k: ModuleType) -> Callable[[], object]:
    signer = k.Signer(SECRET)

    def run() -> object:
        return (
            k.calc_signature("POST&a&b", SECRET),
            signer.sign("base string \u00e9"),
            signer.sign_bytes(_BODY),
            signer.sign_request("POST", _URL, _PARAMS),
            k.get_dynamic_session_signature("LT1|abc", 3600, SECRET, now=NOW),
            k.get_dynamic_session_signature_user_signed("LT1|abc", 3600, "userKey1", SECRET, now=NOW),
            k.kernel_info(),
            repr(signer),
        )

    return run


def _validation(k: ModuleType) -> Callable[[], object]:
    signer = k.Signer(SECRET)
    good = signer.sign(f"{NOW}_{_UID}")
    friend = signer.sign(f"{NOW}_{_FRIEND}_{_UID}")

    def run() -> object:
        return (
            k.validate_user_signature(_UID, NOW, SECRET, good, now=NOW),
            k.validate_user_signature(_UID, str(NOW), SECRET, good[:-2] + "A=", now=NOW),
            k.validate_user_signature(_UID, NOW + 1000, SECRET, good, now=NOW),
            k.validate_user_signature(_UID, "12x", SECRET, good, now=NOW),
            k.validate_user_signature(_UID, NOW, SECRET, None, expiration=None),
            k.validate_friend_signature(_UID, NOW, _FRIEND, SECRET, friend, now=NOW),
            signer.validate_user(_UID, NOW, "\u00e9", now=NOW),
            signer.validate_friend(_UID, NOW, _FRIEND, friend, 10.5, now=NOW),
        )

    return run


def _batches(k: ModuleType) -> Callable[[], object]:
    signer = k.Signer(SECRET)
    uids, stamps, sigs = batch_inputs(k)
    messages = [_BODY[: i * 7] for i in range(len(uids))]
    macs: List[str | None] = [signer.sign_bytes(m) if i % 3 else "bad" for i, m in enumerate(messages)]

    def run() -> object:
        return (
            k.validate_user_signatures(uids, stamps, sigs, SECRET, now=NOW),
            signer.validate_users(uids, stamps, sigs, now=NOW, threads=2),
            signer.verify_hmacs(messages, macs),
            signer.verify_hmacs(messages, macs, threads=2),
        )

    return run


WORKLOADS: Sequence[Workload] = (
    Workload("encoding", _encoding),
    Workload("signing", _signing),
    Workload("validation", _validation),
    Workload("batches", _batches),
)


@dataclass(frozen=True)
class ErrorCase:
    """A failing call: ``call(kernels, args)`` must raise ``expected`` every time.

    ``args`` are the objects whose reference counts must not change.
    """

    name: str
    expected: Type[BaseException]
    make_args: Callable[[], Tuple[object, ...]]
    call: Callable[[ModuleType, Tuple[object, ...]], object]


class _Opaque:
    """An object of a type no kernel accepts."""


def _bad_secret_args() -> Tuple[object, ...]:
    return ("uid-" + "x" * 20, NOW, "not*base64" + "=" * 2, "c2ln")


def _invalid_secret(k: ModuleType, a: Tuple[object, ...]) -> object:
    return k.validate_user_signature(a[0], a[1], a[2], a[3])


def _wrong_type_args() -> Tuple[object, ...]:
    return (_Opaque(), NOW, SECRET, "c2ln")


def _wrong_type(k: ModuleType, a: Tuple[object, ...]) -> object:
    return k.validate_user_signature(a[0], a[1], a[2], a[3])


def _signer_wrong_type_args() -> Tuple[object, ...]:
    opaque = _Opaque()
    return (opaque, [opaque])


def _signer_wrong_type(k: ModuleType, a: Tuple[object, ...]) -> object:
    return k.Signer(SECRET).verify_hmacs(a[1], ["x"])


def _bad_value_args() -> Tuple[object, ...]:
    return ({"apiKey": "k", "ratio": float("nan"), "name": "v" * 10},)


def _bad_value(k: ModuleType, a: Tuple[object, ...]) -> object:
    return k.build_query_string(a[0])


def _bad_key_args() -> Tuple[object, ...]:
    return ({"a&b": "v", "c": "d" * 10},)


def _bad_key(k: ModuleType, a: Tuple[object, ...]) -> object:
    return k.build_base_string("POST", "https://h/p", a[0])


def _surrogate_args() -> Tuple[object, ...]:
    return ("bad \ud800 surrogate" + "x" * 8,)


def _surrogate(k: ModuleType, a: Tuple[object, ...]) -> object:
    return k.percent_encode(a[0])


def _mismatch_args() -> Tuple[object, ...]:
    uids = [f"u{i}" + "x" * 8 for i in range(5)]
    return (uids, [NOW] * 4, ["sig"] * 5)


def _mismatch(k: ModuleType, a: Tuple[object, ...]) -> object:
    return k.validate_user_signatures(a[0], a[1], a[2], SECRET, now=NOW)


def _batch_type_args() -> Tuple[object, ...]:
    return (["ok", _Opaque(), "ok"], [NOW, NOW, NOW], ["s", "s", "s"])


def _batch_type(k: ModuleType, a: Tuple[object, ...]) -> object:
    return k.validate_user_signatures(a[0], a[1], a[2], SECRET, now=NOW)


def _hmac_mismatch_args() -> Tuple[object, ...]:
    return ([b"m" * 10, b"n" * 10], ["s"])


def _hmac_mismatch(k: ModuleType, a: Tuple[object, ...]) -> object:
    return k.Signer(SECRET).verify_hmacs(a[0], a[1])


def _threads_args() -> Tuple[object, ...]:
    return (["u"], [NOW], ["s"])


def _threads(k: ModuleType, a: Tuple[object, ...]) -> object:
    return k.validate_user_signatures(a[0], a[1], a[2], SECRET, threads=0)


ERROR_CASES: Sequence[ErrorCase] = (
    ErrorCase("invalid secret", InvalidSecretError, _bad_secret_args, _invalid_secret),
    ErrorCase("uid of wrong type", TypeError, _wrong_type_args, _wrong_type),
    ErrorCase("message of wrong type", TypeError, _signer_wrong_type_args, _signer_wrong_type),
    ErrorCase("NaN parameter", ValueError, _bad_value_args, _bad_value),
    ErrorCase("bad parameter name", ValueError, _bad_key_args, _bad_key),
    ErrorCase("lone surrogate", UnicodeEncodeError, _surrogate_args, _surrogate),
    ErrorCase("batch length mismatch", ValueError, _mismatch_args, _mismatch),
    ErrorCase("batch item of wrong type", TypeError, _batch_type_args, _batch_type),
    ErrorCase("hmac length mismatch", ValueError, _hmac_mismatch_args, _hmac_mismatch),
    ErrorCase("threads < 1", ValueError, _threads_args, _threads),
)


def rss_bytes() -> int:
    """The current resident set size, from ``/proc/self/statm`` (peak RSS where that is missing)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):  # pragma: no cover - not Linux
        import resource
        import sys

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return int(peak) if sys.platform == "darwin" else int(peak) * 1024


@dataclass(frozen=True)
class LeakResult:
    """Memory before and after *iterations* rounds of one workload (after a warm-up)."""

    name: str
    iterations: int
    seconds: float
    rss_growth: int
    traced_growth: int | None


def measure(name: str, run: Callable[[], object], iterations: int, *, traced: bool = False) -> LeakResult:
    """Run *run* ``iterations`` times after a warm-up and report RSS (and, with *traced*, tracemalloc) growth.

    The warm-up is a tenth of the iterations (at least 100) so caches, free
    lists and allocator arenas are populated before the first measurement.
    """
    for _ in range(max(100, iterations // 10)):
        run()
    gc.collect()
    if traced:
        tracemalloc.start()
        for _ in range(100):
            run()
        gc.collect()
        traced_before = tracemalloc.get_traced_memory()[0]
    rss_before = rss_bytes()
    start = time.perf_counter()
    for _ in range(iterations):
        run()
    seconds = time.perf_counter() - start
    gc.collect()
    traced_growth: int | None = None
    if traced:
        traced_growth = tracemalloc.get_traced_memory()[0] - traced_before
        tracemalloc.stop()
    return LeakResult(name, iterations, seconds, rss_bytes() - rss_before, traced_growth)
