"""The compiled batch kernels release the GIL while they hash, and their threaded
results equal the single-threaded ones.

How the GIL check works: the interpreter's switch interval is raised to a minute, so a
thread holding the GIL keeps it until it blocks or releases it explicitly. A helper thread
counts in a loop (yielding the GIL with ``time.sleep(0)`` so the main thread is never
starved). While the main thread runs a long batch, the counter can advance only if the
batch released the GIL. Nothing is timed absolutely: the batch is repeated (bigger each
time) until the counter moved, which on a loaded machine just takes a few more rounds.
"""

from __future__ import annotations

import base64
import os
import sys
import threading
import time
from types import ModuleType
from typing import Any, Callable, Iterator, List

import pytest

pytestmark = pytest.mark.c_extension

SECRET = base64.b64encode(b"gil-test-secret-0123456789").decode()
NOW = 1_700_000_000


class Counter:
    def __init__(self) -> None:
        self.value = 0
        self.stop = False
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self.stop:
            self.value += 1
            time.sleep(0)  # release the GIL: the main thread gets it back at once

    def __enter__(self) -> Counter:
        self.thread.start()
        deadline = time.monotonic() + 30
        while self.value == 0 and time.monotonic() < deadline:
            time.sleep(0.001)
        assert self.value > 0, "the counter thread never ran"
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop = True
        self.thread.join(30)


@pytest.fixture
def long_switch_interval() -> Iterator[None]:
    previous = sys.getswitchinterval()
    sys.setswitchinterval(60.0)
    try:
        yield
    finally:
        sys.setswitchinterval(previous)


def _counter_moves_during(batch: Callable[[int], object], sizes: List[int]) -> bool:
    with Counter() as counter:
        for size in sizes:
            before = counter.value
            batch(size)  # holds the GIL except inside its nogil section
            if counter.value > before:
                return True
    return False


def _uid_inputs(c: ModuleType, n: int) -> Any:
    signer = c.Signer(SECRET)
    uids = ["uid-%07d" % i for i in range(n)]
    sigs = [signer.sign("%d_%s" % (NOW, u)) for u in uids]
    return signer, uids, [NOW] * n, sigs


@pytest.mark.parametrize("threads", [1, 2])
def test_validate_users_releases_the_gil(c_kernels: ModuleType, long_switch_interval: None, threads: int) -> None:
    signer, uids, tss, sigs = _uid_inputs(c_kernels, 200_000)

    def batch(size: int) -> object:
        # the same inputs repeated: most of the time goes to hashing, without the GIL
        results = signer.validate_users(uids[:size] * 4, tss[:size] * 4, sigs[:size] * 4, now=NOW, threads=threads)
        assert all(results)
        return results

    assert _counter_moves_during(batch, [20_000, 50_000, 100_000, 200_000, 200_000, 200_000])


@pytest.mark.parametrize("threads", [1, 2])
def test_verify_hmacs_releases_the_gil(c_kernels: ModuleType, long_switch_interval: None, threads: int) -> None:
    signer = c_kernels.Signer(SECRET)
    body = os.urandom(64 * 1024)
    sig = signer.sign_bytes(body)

    def batch(size: int) -> object:
        results = signer.verify_hmacs([body] * size, [sig] * size, threads=threads)
        assert all(results)
        return results

    assert _counter_moves_during(batch, [200, 500, 1000, 2000, 4000, 4000])


def test_big_single_messages_release_the_gil(c_kernels: ModuleType, long_switch_interval: None) -> None:
    signer = c_kernels.Signer(SECRET)
    body = os.urandom(8 << 20)
    text = "x" * (8 << 20)
    want_body, want_text = signer.sign_bytes(body), signer.sign(text)

    def batch(size: int) -> object:
        for _ in range(size):
            assert signer.sign_bytes(body) == want_body
            assert signer.sign(text) == want_text
        return None

    assert _counter_moves_during(batch, [1, 2, 4, 8, 8])


def test_pure_batch_control_keeps_the_gil(pure_kernels: ModuleType, long_switch_interval: None) -> None:
    """The method is sensitive: a batch that never releases the GIL leaves the counter still."""

    def batch(size: int) -> object:
        total = 0
        for i in range(size * 20):  # pure Python work: the GIL is never given up
            total += i
        return total

    with Counter() as counter:
        before = counter.value
        batch(50_000)
        assert counter.value == before


def test_threaded_results_equal_single_threaded(c_kernels: ModuleType, pure_kernels: ModuleType) -> None:
    signer = c_kernels.Signer(SECRET)
    n = 20_000
    uids = ["u%d-\u00e9" % i if i % 7 else "u%d" % i for i in range(n)]
    tss: List[Any] = [NOW - (i % 900) if i % 5 else str(NOW - (i % 900)) for i in range(n)]
    sigs: List[Any] = [signer.sign("%s_%s" % (t, u)) for t, u in zip(tss, uids)]
    for i in range(0, n, 11):
        sigs[i] = "A" + sigs[i][1:] if sigs[i][0] != "A" else "B" + sigs[i][1:]
    for i in range(3, n, 97):
        sigs[i] = None
    single = signer.validate_users(uids, tss, sigs, now=NOW, threads=1)
    assert single == pure_kernels.Signer(SECRET).validate_users(uids, tss, sigs, now=NOW)
    assert 0 < sum(single) < n
    for threads in (2, 3, 4, 8, 64):
        assert signer.validate_users(uids, tss, sigs, now=NOW, threads=threads) == single

    bodies = [os.urandom(i % 3000) for i in range(3000)]
    bsigs: List[Any] = [signer.sign_bytes(b) if i % 4 else "nope" for i, b in enumerate(bodies)]
    single = signer.verify_hmacs(bodies, bsigs, threads=1)
    assert single == pure_kernels.Signer(SECRET).verify_hmacs(bodies, bsigs)
    for threads in (2, 5, 64):
        assert signer.verify_hmacs(bodies, bsigs, threads=threads) == single


def test_batches_from_many_python_threads(c_kernels: ModuleType) -> None:
    """One shared Signer used by several Python threads at once, each with native threads."""
    signer, uids, tss, sigs = _uid_inputs(c_kernels, 5_000)
    expected = signer.validate_users(uids, tss, sigs, now=NOW)
    errors: List[BaseException] = []

    def work(threads: int) -> None:
        try:
            for _ in range(5):
                assert signer.validate_users(uids, tss, sigs, now=NOW, threads=threads) == expected
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)

    workers = [threading.Thread(target=work, args=(1 + i % 3,)) for i in range(6)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(120)
    assert not errors
