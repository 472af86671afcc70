"""Running many calls at once: normalising the call specs and fanning them out
over a thread pool, results in input order. The call itself is injected, so
this module does no I/O of its own."""

from __future__ import annotations

import queue
import threading
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Tuple, TypeVar, Union

from ..errors import GigyaError
from .prepare import merge_params
from .routing import check_method

__all__ = ["CallSpec", "normalize_call", "check_worker_count", "run_many"]

#: One entry of :meth:`Client.call_many`: ``(method, params)``, ``(method,)``, or
#: ``{"method": ..., "params": {...}}`` (other keys are parameters too).
CallSpec = Union[Tuple[str, Optional[Mapping[str, object]]], Tuple[str], Mapping[str, Any]]
T = TypeVar("T")


def normalize_call(spec: CallSpec) -> Tuple[str, Dict[str, object]]:
    """``(method, params)`` from one call spec; the method name and parameter names are checked."""
    if isinstance(spec, tuple):
        if len(spec) not in (1, 2):
            raise ValueError("a call must be (method, params), not a %d-tuple" % len(spec))
        method, params = spec[0], merge_params(spec[1] if len(spec) == 2 else None, {})
    elif isinstance(spec, Mapping):
        if "method" not in spec:
            raise ValueError("a call given as a dict needs a 'method' key")
        extra = {k: v for k, v in spec.items() if k not in ("method", "params")}
        method, params = spec["method"], merge_params(spec.get("params"), extra)
    else:
        raise TypeError("a call must be a (method, params) tuple or a dict, not %s" % type(spec).__name__)
    check_method(method)
    return method, params


def check_worker_count(value: object, name: str) -> None:
    """``ValueError`` unless *value* (the *name* option: ``max_workers``, ``concurrency``) is an int >= 1."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError("%s must be an int >= 1" % name)


def run_many(
    call: Callable[[str, Dict[str, object]], T],
    calls: Iterable[CallSpec],
    *,
    max_workers: int = 8,
    raise_on_error: bool = False,
    on_progress: Optional[Callable[[int, int], None]] = None,
) -> List[Union[T, GigyaError]]:
    """Run ``call(method, params)`` for every spec on up to *max_workers* threads.

    Results are in input order; a ``GigyaError`` takes the place of its call's
    result unless *raise_on_error*, where the first one is raised and calls not
    yet started are cancelled. Other exceptions always propagate.
    ``on_progress(done, total)`` runs in the calling thread.
    """
    check_worker_count(max_workers, "max_workers")
    specs = [normalize_call(spec) for spec in calls]  # every spec checked before any I/O
    total = len(specs)
    results: List[Any] = [None] * total

    def run(index: int) -> Union[T, GigyaError]:
        method, params = specs[index]
        try:
            return call(method, params)
        except GigyaError as exc:
            if raise_on_error:
                raise
            return exc

    if max_workers == 1 or total <= 1:
        for index in range(total):
            results[index] = run(index)
            if on_progress is not None:
                on_progress(index + 1, total)
        return results
    # A few long-lived workers pull indexes and push outcomes to one queue: no Future per
    # call, no O(n) wait() per completion, and the caller's thread does the bookkeeping.
    indexes = iter(range(total))
    take = threading.Lock()
    finished: queue.SimpleQueue[Tuple[int, Any, Optional[BaseException]]] = queue.SimpleQueue()
    stop = threading.Event()

    def worker() -> None:
        while not stop.is_set():
            with take:
                index = next(indexes, None)
            if index is None:
                return
            try:
                finished.put((index, run(index), None))
            except BaseException as exc:  # handed to the calling thread, raised there
                finished.put((index, None, exc))

    threads = [
        threading.Thread(target=worker, name="gigya_fast-call_many-%d" % n, daemon=True)
        for n in range(min(max_workers, total))
    ]
    for thread in threads:
        thread.start()
    try:
        for done_count in range(1, total + 1):
            index, value, error = finished.get()
            if error is not None:
                raise error
            results[index] = value
            if on_progress is not None:
                on_progress(done_count, total)
    finally:
        stop.set()  # calls not started yet are skipped; running ones finish
        for thread in threads:
            thread.join()
    return results
