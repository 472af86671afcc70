"""The async transport's whole-attempt deadlines: one loop timer for every
attempt in flight, a timed-out attempt becomes a timeout (not a cancellation
of the caller), a caller's own cancellation still goes through, and the
deadline covers the wait for a pooled connection as well."""

from __future__ import annotations

import asyncio
import sys
import time
from typing import Any, Callable, List, Tuple

import pytest
import urllib3

from gigya_fast.aio import AsyncClient
from gigya_fast.aio.deadline import Deadlines
from gigya_fast.errors import RequestTimeoutError
from gigya_fast.rest import Response

from .loops import CountingLoop

COUNTS_CANCELS = sys.version_info >= (3, 11)


def _run(make: Callable[[CountingLoop], Any]) -> Tuple[Any, CountingLoop]:
    loop = CountingLoop()
    try:
        return loop.run_until_complete(make(loop)), loop
    finally:
        loop.close()


async def _attempt(deadlines: Deadlines, seconds: float, wait: float) -> str:
    """Wait *wait* seconds under a deadline of *seconds*: ``"done"``, ``"timed out"`` or ``"cancelled"``."""
    task = deadlines.start(seconds)
    try:
        await asyncio.sleep(wait)
        return "done"
    except asyncio.CancelledError:
        if deadlines.timed_out(task):
            return "timed out"
        raise
    finally:
        deadlines.end(task)


def _fires(loop: CountingLoop, deadlines: Deadlines) -> int:
    return len(loop.armed_by(lambda owner: owner is deadlines))


def test_many_attempts_share_one_timer() -> None:
    async def main(loop: CountingLoop) -> Tuple[List[str], Deadlines]:
        deadlines = Deadlines(loop)
        outcomes = await asyncio.gather(*(_attempt(deadlines, 5.0, 0.01) for _ in range(50)))
        return list(outcomes), deadlines

    (outcomes, deadlines), loop = _run(main)
    assert outcomes == ["done"] * 50
    assert _fires(loop, deadlines) == 1


def test_a_passed_deadline_times_out_only_its_attempt() -> None:
    async def main(loop: CountingLoop) -> List[str]:
        deadlines = Deadlines(loop)
        outcomes = await asyncio.gather(
            _attempt(deadlines, 0.1, 2.0), _attempt(deadlines, 2.0, 0.3), _attempt(deadlines, 0.2, 0.01)
        )
        if COUNTS_CANCELS:
            assert asyncio.current_task().cancelling() == 0  # type: ignore[union-attr]
        return list(outcomes)

    started = time.monotonic()
    outcomes, _ = _run(main)
    assert outcomes == ["timed out", "done", "done"]
    assert time.monotonic() - started < 1.5


def test_a_shorter_deadline_after_a_longer_one_fires_first() -> None:
    async def main(loop: CountingLoop) -> List[str]:
        deadlines = Deadlines(loop)
        slow = asyncio.ensure_future(_attempt(deadlines, 30.0, 0.5))
        await asyncio.sleep(0)
        quick = asyncio.ensure_future(_attempt(deadlines, 0.1, 30.0))
        return list(await asyncio.gather(slow, quick))

    started = time.monotonic()
    outcomes, _ = _run(main)
    assert outcomes == ["done", "timed out"]
    assert time.monotonic() - started < 2.0


def test_the_task_goes_on_after_its_attempt_timed_out() -> None:
    async def main(loop: CountingLoop) -> List[str]:
        deadlines = Deadlines(loop)
        first = await _attempt(deadlines, 0.05, 5.0)
        if COUNTS_CANCELS:
            assert asyncio.current_task().cancelling() == 0  # type: ignore[union-attr]
        await asyncio.sleep(0.1)  # no cancellation left pending on the task
        second = await _attempt(deadlines, 5.0, 0.01)
        return [first, second]

    outcomes, _ = _run(main)
    assert outcomes == ["timed out", "done"]


@pytest.mark.skipif(not COUNTS_CANCELS, reason="telling two cancellations apart needs Task.uncancel (3.11+)")
def test_a_callers_cancellation_wins_over_the_deadline() -> None:
    async def main(loop: CountingLoop) -> str:
        deadlines = Deadlines(loop)
        task = asyncio.ensure_future(_attempt(deadlines, 0.1, 5.0))
        await asyncio.sleep(0)  # the attempt starts and waits
        time.sleep(0.15)  # the loop is held past the deadline: its timer is due on the next turn
        await asyncio.sleep(0)
        task.cancel()  # the caller cancels too, before the attempt runs again
        try:
            return "not cancelled: " + await task
        except asyncio.CancelledError:
            return "cancelled"

    outcome, _ = _run(main)
    assert outcome == "cancelled"


def test_closing_stops_the_timer() -> None:
    async def main(loop: CountingLoop) -> str:
        deadlines = Deadlines(loop)
        task = asyncio.ensure_future(_attempt(deadlines, 0.05, 0.3))
        await asyncio.sleep(0)
        deadlines.close()
        return str(await task)

    outcome, _ = _run(main)
    assert outcome == "done"


def _uid(cdc: Any) -> str:
    return str(cdc.accounts[0]["UID"])


@pytest.mark.asyncio
async def test_timeouts_in_call_many_leave_the_other_calls_alone(cdc: Any) -> None:
    cdc.faults.add("accounts.getAccountInfo", delay=1.0, times=2)
    async with AsyncClient(cdc.api_key, secret=cdc.partner_secret, base_url=cdc.url, timeout=(1.0, 0.3),
                           retries=0) as client:
        calls = [("accounts.getAccountInfo", {"UID": _uid(cdc)})] * 12
        results = await client.call_many(calls, concurrency=2)
        if COUNTS_CANCELS:
            assert asyncio.current_task().cancelling() == 0  # type: ignore[union-attr]
    timed_out = [r for r in results if isinstance(r, RequestTimeoutError)]
    assert len(timed_out) == 2 and all(r.error_code == 504002 for r in timed_out)
    assert sum(1 for r in results if isinstance(r, Response) and r.ok) == 10


@pytest.mark.asyncio
async def test_the_deadline_covers_the_wait_for_a_pooled_connection(cdc: Any) -> None:
    cdc.faults.add("accounts.getAccountInfo", delay=1.5)
    async with AsyncClient(cdc.api_key, secret=cdc.partner_secret, base_url=cdc.url, pool_maxsize=1,
                           retries=0) as client:
        holder = asyncio.ensure_future(client.call("accounts.getAccountInfo", UID=_uid(cdc)))
        await asyncio.sleep(0.2)  # the only connection is busy for another 1.3 s
        started = time.monotonic()
        with pytest.raises(RequestTimeoutError):
            await client.call("accounts.getAccountInfo", UID=_uid(cdc),
                              timeout=urllib3.Timeout(connect=5.0, read=5.0, total=0.4))
        assert time.monotonic() - started < 1.0
        assert (await holder).ok
