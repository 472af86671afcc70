"""Eight threads mixing GIL-free batch validation, single validations and Client calls.

Every result must equal the single-threaded answer for the same input; no
crash, no deadlock, and the whole run is bounded in time. The client talks
only to ``gigya_fast.testing.LocalCDC`` on 127.0.0.1.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from types import ModuleType
from typing import Callable, Dict, Iterator, List, Tuple

import pytest

from gigya_fast.rest import Client
from gigya_fast.testing import LocalCDC

from ._workloads import NOW, SECRET, batch_inputs

THREADS = 8
ROUNDS = 12  # rounds of every task per thread
BATCH = 3_000
TIME_LIMIT = 20.0

Task = Callable[[], object]


@pytest.fixture(scope="module")
def cdc() -> Iterator[LocalCDC]:
    """A plain-HTTP local CDC server with a few accounts."""
    with LocalCDC(tls=False) as server:
        for i in range(8):
            server.create_account(uid=f"stress-{i}", profile={"email": f"user{i}@example.com", "n": i})
        yield server


def _tasks(kernels: ModuleType, cdc: LocalCDC, client: Client) -> Dict[str, Task]:
    """Named zero-argument tasks whose results are deterministic."""
    signer = kernels.Signer(SECRET)  # one instance shared by every thread
    uids, stamps, sigs = batch_inputs(kernels, BATCH)
    messages = [f"body-{i}".encode() * (1 + i % 5) for i in range(BATCH)]
    macs = [signer.sign_bytes(m) if i % 4 else signer.sign_bytes(m + b"x") for i, m in enumerate(messages)]
    singles = list(zip(uids[:200], stamps[:200], sigs[:200]))

    def batch_threads() -> object:
        return kernels.validate_user_signatures(uids, stamps, sigs, SECRET, now=NOW, threads=4)

    def batch_signer() -> object:
        return (signer.validate_users(uids, stamps, sigs, now=NOW), signer.verify_hmacs(messages, macs, threads=2))

    def single() -> object:
        return [kernels.validate_user_signature(u, t, SECRET, s, now=NOW) for u, t, s in singles] + [
            signer.sign_request("POST", "https://accounts.us1.gigya.com/accounts.x", {"UID": u, "n": i})
            for i, u in enumerate(uids[:50])
        ]

    def client_calls() -> object:
        results: List[Tuple[object, ...]] = []
        for i in range(8):
            uid = f"stress-{i}"
            r = client.call("accounts.getAccountInfo", UID=uid)
            valid = kernels.validate_user_signature(
                uid, r["signatureTimestamp"], cdc.user_secret, r["UIDSignature"], expiration=None
            )
            results.append((uid, r["profile"]["email"], r["profile"]["n"], valid))
        return results

    return {"batch_threads": batch_threads, "batch_signer": batch_signer, "single": single, "client": client_calls}


def test_threads_match_single_threaded(kernels: ModuleType, cdc: LocalCDC) -> None:
    """Results under 8 concurrent threads are identical to the single-threaded ones."""
    started = time.monotonic()
    with Client(
        cdc.api_key, user_key=cdc.user_key, secret=cdc.user_secret, base_url=cdc.url, pool_maxsize=THREADS
    ) as client:
        tasks = _tasks(kernels, cdc, client)
        expected = {name: task() for name, task in tasks.items()}
        assert all(v[3] for v in expected["client"])  # type: ignore[attr-defined]
        barrier = threading.Barrier(THREADS)
        names = sorted(tasks)

        def worker(index: int) -> List[Tuple[str, object]]:
            barrier.wait(timeout=10)
            out: List[Tuple[str, object]] = []
            for round_ in range(ROUNDS):
                name = names[(index + round_) % len(names)]  # threads run different tasks at once
                out.append((name, tasks[name]()))
                if time.monotonic() - started > TIME_LIMIT:
                    break
            return out

        with ThreadPoolExecutor(max_workers=THREADS) as pool:
            results = [r for f in [pool.submit(worker, i) for i in range(THREADS)] for r in f.result(timeout=60)]
    elapsed = time.monotonic() - started
    assert len(results) == THREADS * ROUNDS, "time limit reached before every round ran"
    mismatched = [name for name, value in results if value != expected[name]]
    assert mismatched == []
    assert elapsed < TIME_LIMIT


def test_batch_threads_param_does_not_change_results(kernels: ModuleType) -> None:
    """threads=1..8 give the same batch answer (the split must not reorder or drop items)."""
    uids, stamps, sigs = batch_inputs(kernels, 1_537)  # not a multiple of any thread count
    reference = kernels.validate_user_signatures(uids, stamps, sigs, SECRET, now=NOW, threads=1)
    for threads in range(2, 9):
        assert kernels.validate_user_signatures(uids, stamps, sigs, SECRET, now=NOW, threads=threads) == reference
