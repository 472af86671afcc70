"""Running many calls at once on one event loop: a few worker tasks pull call
specs in turn (bounded concurrency, no task per call), results in input order."""

from __future__ import annotations

import asyncio
from typing import Any, Awaitable, Callable, Dict, Iterable, List, Optional, Tuple, TypeVar, Union

from ..errors import GigyaError
from ..rest.batch import CallSpec, check_worker_count, normalize_call

__all__ = ["run_many"]

T = TypeVar("T")


async def run_many(
    call: Callable[[str, Dict[str, object]], Awaitable[T]],
    calls: Iterable[CallSpec],
    *,
    concurrency: int = 32,
    raise_on_error: bool = False,
    on_progress: Optional[Callable[[int, int], None]] = None,
) -> List[Union[T, GigyaError]]:
    """Await ``call(method, params)`` for every spec, at most *concurrency* at a time.

    Results are in input order; a ``GigyaError`` takes the place of its call's
    result unless *raise_on_error*, where the first one is raised and the
    other calls are cancelled. Other exceptions always propagate (and cancel
    the rest). ``on_progress(done, total)`` runs after each call. When the
    caller is cancelled, every worker is cancelled and awaited: no task is
    left behind.
    """
    check_worker_count(concurrency, "concurrency")
    # Every spec checked before any I/O; each is dropped once its call has taken it, so that a finished
    # call's parameters are freed at once rather than when the whole batch ends.
    specs: List[Optional[Tuple[str, Dict[str, object]]]] = [normalize_call(spec) for spec in calls]
    total = len(specs)
    results: List[Any] = [None] * total
    indexes = iter(range(total))
    done = 0

    async def worker() -> None:
        nonlocal done
        for index in indexes:
            spec = specs[index]
            specs[index] = None
            assert spec is not None
            method, params = spec
            try:
                results[index] = await call(method, params)
            except GigyaError as exc:
                if raise_on_error:
                    raise
                results[index] = exc
            done += 1
            if on_progress is not None:
                on_progress(done, total)

    if total == 0:
        return results
    if concurrency == 1 or total == 1:
        await worker()
        return results
    workers = [asyncio.ensure_future(worker()) for _ in range(min(concurrency, total))]
    try:
        await asyncio.gather(*workers)
    finally:
        pending = [task for task in workers if not task.done()]
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.wait(pending)
    return results
