"""run_many with an injected call (no I/O): order, errors, cancellation, progress."""

from __future__ import annotations

import threading
import time
from typing import Dict, List, Tuple

import pytest

from gigya_fast.errors import ConnectionFailedError, GigyaError, ServerError
from gigya_fast.rest.batch import normalize_call, run_many


def test_normalize_call() -> None:
    assert normalize_call(("accounts.search",)) == ("accounts.search", {})
    assert normalize_call(("accounts.search", None)) == ("accounts.search", {})
    assert normalize_call(("a.b", {"x": 1})) == ("a.b", {"x": 1})
    assert normalize_call({"method": "a.b", "params": {"x": 1}, "y": 2}) == ("a.b", {"x": 1, "y": 2})
    for bad in [("a.b", {}, 3), {"params": {}}, ("bad/m", {}), ("a.b", {"sig": "x"})]:
        with pytest.raises(ValueError):
            normalize_call(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        normalize_call("a.b")  # type: ignore[arg-type]


def _slow_echo(method: str, params: Dict[str, object]) -> Tuple[str, object]:
    time.sleep(0.001 * (7 - int(str(params["i"])) % 7))  # later inputs finish first
    if params.get("fail"):
        raise ServerError("boom", error_code=500001)
    return method, params["i"]


@pytest.mark.parametrize("workers", [1, 3, 8])
def test_order_and_errors_in_place(workers: int) -> None:
    calls = [("m.x", {"i": i, "fail": i == 4}) for i in range(20)]
    results = run_many(_slow_echo, calls, max_workers=workers)
    assert [r if isinstance(r, tuple) else "error" for r in results] == [
        ("m.x", i) if i != 4 else "error" for i in range(20)
    ]
    assert isinstance(results[4], ServerError)


def test_progress_runs_in_the_calling_thread() -> None:
    seen: List[Tuple[int, int, int]] = []
    run_many(_slow_echo, [("m.x", {"i": i}) for i in range(10)], max_workers=4,
             on_progress=lambda done, total: seen.append((done, total, threading.get_ident())))
    assert [(d, t) for d, t, _ in seen] == [(i, 10) for i in range(1, 11)]
    assert {ident for _, _, ident in seen} == {threading.get_ident()}


def test_raise_on_error_cancels_the_rest() -> None:
    started: List[int] = []
    lock = threading.Lock()

    def call(method: str, params: Dict[str, object]) -> int:
        index = int(str(params["i"]))
        with lock:
            started.append(index)
        if index == 0:
            raise ConnectionFailedError("down")
        time.sleep(0.02)
        return index

    with pytest.raises(ConnectionFailedError):
        run_many(call, [("m.x", {"i": i}) for i in range(100)], max_workers=2, raise_on_error=True)
    assert len(started) < 100


def test_other_exceptions_propagate_and_validation_is_upfront() -> None:
    def call(method: str, params: Dict[str, object]) -> int:
        raise KeyError("bug")

    with pytest.raises(KeyError):
        run_many(call, [("m.x", {})] * 3, max_workers=2)
    calls_made: List[str] = []
    with pytest.raises(ValueError):
        run_many(lambda m, p: calls_made.append(m), [("m.x", {}), ("bad/name", {})])
    assert calls_made == []
    with pytest.raises(ValueError):
        run_many(lambda m, p: None, [], max_workers=0)
    assert run_many(lambda m, p: None, []) == []


def test_gigya_errors_are_values() -> None:
    def call(method: str, params: Dict[str, object]) -> int:
        raise GigyaError("x")

    assert all(isinstance(r, GigyaError) for r in run_many(call, [("a.b", {})] * 4, max_workers=4))
