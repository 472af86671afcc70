"""The webhook batch kernel keeps reference counts and memory flat on every path:
results, stepping aside, a raising header lookup, a raising finish step, threads."""

from __future__ import annotations

import gc
import sys
import tracemalloc
from types import SimpleNamespace
from typing import Any, Callable, Dict, List

import pytest

from gigya_fast.errors import SignatureError
from tests.webhooks._webhook_support import HMAC_HEADER, NOW, OTHER_SECRET, SECRET, RaisingKey, body, event, headers

CTX = (frozenset({"hmac"}), None)
WINDOW = (NOW - 300, NOW + 300)


def _finish(raw: bytes, hdrs: Dict[str, Any]) -> Any:
    if b"reject" in raw:
        raise SignatureError("rejected")
    if b"explode" in raw:
        raise KeyError("explode")
    return raw


def _items() -> List[Any]:
    items: List[Any] = []
    for i in range(600):
        raw = body([event(f"e{i}")], nonce=f"n{i}", timestamp=NOW - 400 if i % 4 == 1 else NOW)
        items.append((raw, headers(raw, OTHER_SECRET if i % 5 == 2 else SECRET)))
    pretty = body(nonce="reject", compact=False)
    items.append((pretty, {HMAC_HEADER: " " + headers(pretty)[HMAC_HEADER] + "\u3000"}))
    return items


def _cases(k: SimpleNamespace) -> Dict[str, Callable[[], Any]]:
    signer = k.Signer(SECRET)
    good = _items()
    aside = good[:300] + [(b"x", {})] + good[300:]
    raising = good[:500] + [(b"x", {RaisingKey("k"): "v"})] + good[500:]
    explode = body(nonce="explode", compact=False)
    finish_raises = good + [(explode, headers(explode))]

    def call(items: List[Any], threads: int) -> Callable[[], Any]:
        return lambda: k.verify_webhook_batch(signer, items, 1 << 20, WINDOW, threads, CTX, _finish)

    return {
        "results t1": call(good, 1),
        "results t2": call(good, 2),
        "steps aside t2": call(aside, 2),
        "lookup raises t2": call(raising, 2),
        "finish raises": call(finish_raises, 1),
    }


def _run(func: Callable[[], Any]) -> None:
    try:
        func()
    except (RuntimeError, KeyError):
        pass


@pytest.mark.parametrize("case", ["results t1", "results t2", "steps aside t2", "lookup raises t2", "finish raises"])
def test_reference_counts_and_memory_stay_flat(webhook_kernels: SimpleNamespace, case: str) -> None:
    func = _cases(webhook_kernels)[case]
    closure = func.__closure__ or ()
    items = next(c.cell_contents for c in closure if isinstance(c.cell_contents, list))
    watched: List[object] = [CTX]
    for item in items:
        watched.append(item)
        watched.extend(item)
        watched.extend(item[1].keys())
        watched.extend(item[1].values())
    for _ in range(20):
        _run(func)
    gc.collect()
    before = [sys.getrefcount(obj) for obj in watched]
    tracemalloc.start()
    try:
        for _ in range(30):
            _run(func)
        gc.collect()
        first, _ = tracemalloc.get_traced_memory()
        for _ in range(200):
            _run(func)
        gc.collect()
        last, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    after = [sys.getrefcount(obj) for obj in watched]
    changed = [(type(obj).__name__, b, a) for obj, b, a in zip(watched, before, after) if a != b]
    assert not changed, changed[:5]
    assert last - first < 64 * 1024, (first, last)
