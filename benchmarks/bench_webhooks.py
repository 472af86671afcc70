"""Webhook batch verification: ``WebhookVerifier.verify_many`` vs a plain stdlib loop.

Baseline, per notification: ``hmac.new(key, body, hashlib.sha1).digest()``,
base64 of it, ``hmac.compare_digest`` with the header value - the least any
Python verifier has to do. ``verify_many`` does that plus the header lookup,
the size checks, the replay window (default tolerance) and one
``Notification`` per item, all in the compiled webhook batch kernel
(``verify_webhook_batch``: items read in C, HMACs and the window without the
GIL, results that the cyclic GC does not track). Results are dropped inside
the timed call, so freeing them is counted too.

Run: ``python benchmarks/bench_webhooks.py [--count 100000] [--repeat 7] [--gc default|freeze|off]``.
Prints per-notification times and the ratios baseline / case for the kernel
alone (``Signer.verify_hmacs`` over prebuilt lists), ``verify_many`` over the
whole input in one call, and ``verify_many`` over chunks of 4096 whose results
are dropped before the next (a streaming consumer). Targets with the compiled
kernel: >= 2x (threads=1) and >= 3.5x (threads=2), one call over 100k.

What separates ``verify_many`` from the kernel alone is reading the items
(tuples, dicts and header strings scattered over a batch much larger than the
CPU caches: one memory access each) and building the results; with threads > 1
the helpers hash while the caller is still reading items. ``--gc off`` is a
diagnostic: with the compiled kernel it should change little, since the
results (and the kernel's private copy of the item list) are kept out of the
GC's lists.
"""

from __future__ import annotations

import argparse
import base64
import functools
import gc
import hashlib
import hmac
import json
import os
import random
import sys
import time
from typing import Callable, Dict, List, Tuple

try:
    import gigya_fast  # noqa: F401
except ImportError:  # running from a checkout without installing
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from gigya_fast import IMPLEMENTATION, Signer, kernel_info  # noqa: E402
from gigya_fast.webhooks import WebhookVerifier  # noqa: E402

Item = Tuple[bytes, Dict[str, str]]


def make_items(count: int, secret: str, now: int, seed: int = 7) -> List[Item]:
    """*count* CDC-shaped notifications of 1-4 KB, signed, with typical headers."""
    rng = random.Random(seed)
    key = base64.b64decode(secret)
    items: List[Item] = []
    for i in range(count):
        target = rng.randint(1024, 4096)
        events = []
        size = 80
        j = 0
        while size < target - 60:
            filler = "x" * rng.randint(20, 200)
            ev = {
                "type": "accountUpdated",
                "id": f"{i:08x}-{j:04x}-4d2a-9c1b-{rng.getrandbits(48):012x}",
                "timestamp": now - rng.randint(0, 5),
                "callId": f"{rng.getrandbits(64):016x}",
                "version": "2.0",
                "apiKey": "3_benchmark",
                "data": {"uid": f"{rng.getrandbits(64):016x}", "note": filler},
            }
            size += len(json.dumps(ev, separators=(",", ":"))) + 1
            events.append(ev)
            j += 1
        raw = json.dumps(
            {"events": events, "nonce": f"{rng.getrandbits(64):016x}", "timestamp": now},
            separators=(",", ":"),
        ).encode()
        sig = base64.b64encode(hmac.new(key, raw, hashlib.sha1).digest()).decode()
        headers = {
            "Host": "hooks.example.com",
            "User-Agent": "Gigya-Webhooks",
            "Content-Type": "application/json",
            "Content-Length": str(len(raw)),
            "X-Gigya-Sig-Hmac-Sha1": sig,
        }
        items.append((raw, headers))
    return items


def baseline(items: List[Item], key: bytes) -> int:
    """The stdlib loop: one HMAC and one constant-time compare per body."""
    ok = 0
    new, sha1, b64, compare = hmac.new, hashlib.sha1, base64.b64encode, hmac.compare_digest
    for raw, headers in items:
        if compare(b64(new(key, raw, sha1).digest()), headers["X-Gigya-Sig-Hmac-Sha1"].encode()):
            ok += 1
    return ok


CHUNK = 4096


def in_chunks(verifier: WebhookVerifier, items: List[Item], threads: int) -> int:
    """verify_many over consecutive chunks, each result list dropped before the next (a streaming consumer)."""
    ok = 0
    for start in range(0, len(items), CHUNK):
        ok += sum(
            1
            for r in verifier.verify_many(items[start : start + CHUNK], threads=threads)
            if not isinstance(r, Exception)
        )
    return ok


def interleaved(repeat: int, cases: Dict[str, Callable[[], object]]) -> Dict[str, float]:
    """Best wall time of each case over *repeat* rounds that run every case once."""
    best = {name: float("inf") for name in cases}
    for _ in range(repeat):
        for name, func in cases.items():
            if gc.isenabled():
                gc.collect()
            start = time.perf_counter()
            func()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print the results as one JSON object")
    parser.add_argument(
        "--gc",
        choices=("default", "freeze", "off"),
        default="default",
        help="cyclic GC during the runs: as is; gc.freeze() after building the input "
        "(what preforking servers do); or disabled (diagnostic: the cost of the GC alone)",
    )
    args = parser.parse_args(argv)

    secret = base64.b64encode(os.urandom(32)).decode()
    key = base64.b64decode(secret)
    now = int(time.time())
    items = make_items(args.count, secret, now)
    mean_size = sum(len(raw) for raw, _ in items) / len(items)

    verifiers = {
        "tolerance=300": WebhookVerifier(secret, dedupe=False),
        "tolerance=None": WebhookVerifier(secret, dedupe=False, tolerance=None),
    }
    for v in verifiers.values():  # sanity: everything verifies
        results = v.verify_many(items[:1000], now=now)
        assert all(not isinstance(r, Exception) for r in results), results[0]
    assert baseline(items, key) == len(items)

    n = len(items)
    bodies = [raw for raw, _ in items]
    sigs = [headers["X-Gigya-Sig-Hmac-Sha1"] for _, headers in items]
    signer = Signer(secret)
    cases: Dict[str, Callable[[], object]] = {"baseline": functools.partial(baseline, items, key)}
    for threads in (1, 2):
        cases[f"kernel threads={threads}"] = functools.partial(signer.verify_hmacs, bodies, sigs, threads=threads)
    for label, v in verifiers.items():
        for threads in (1, 2):
            cases[f"verify_many {label} threads={threads}"] = functools.partial(v.verify_many, items, threads=threads)
    chunked = verifiers["tolerance=300"]
    for threads in (1, 2):
        cases[f"verify_many tolerance=300 threads={threads}, chunks of {CHUNK}"] = functools.partial(
            in_chunks, chunked, items, threads
        )
    if args.gc == "freeze":
        gc.collect()
        gc.freeze()
    elif args.gc == "off":
        gc.disable()
    # Interleaved rounds, best of each: a busy machine slows every case alike
    # within a round, and the quiet moments are kept for all of them.
    best = interleaved(args.repeat, cases)
    base_time = best["baseline"]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    report: Dict[str, object] = {
        "implementation": IMPLEMENTATION,
        "kernel": kernel_info(),
        "count": n,
        "mean_body_bytes": round(mean_size),
        "cpus": os.cpu_count(),
        "loadavg_1min": round(load, 2),
        "gc": args.gc,
    }
    python = sys.version.split()[0]
    print(f"gigya_fast {IMPLEMENTATION} kernels {kernel_info()}; python {python}; cpus {os.cpu_count()}")
    print(
        f"{n} notifications, mean body {mean_size:.0f} bytes, best of {args.repeat}; "
        f"gc {args.gc}; load average {load:.2f}"
    )
    for name, t in best.items():
        per = t / n * 1e6
        ratio = base_time / t
        report[f"{name} us"] = round(per, 3)
        report[f"{name} ratio"] = round(ratio, 2)
        note = "" if name == "baseline" else f"  ratio {ratio:5.2f}x"
        print(f"  {name:<40} {per:7.3f} us/notification{note}")
    if args.json:
        print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
