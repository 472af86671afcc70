"""No memory growth and no reference leaks in the kernels, success and error paths.

A scaled-down run of ``scripts/leak_check.py`` (which does a million
iterations): each workload runs many times after a warm-up and the resident
set size and the memory traced by ``tracemalloc`` must stay flat. A leak of a
single small object per call shows up as megabytes here.
"""

from __future__ import annotations

import gc
import sys
from types import ModuleType

import pytest

from ._workloads import ERROR_CASES, WORKLOADS, ErrorCase, Workload, measure

# Iterations per workload. The compiled kernels are fast enough for a long
# run; the pure twin (which has no C code of ours) only proves the harness.
ITERATIONS = {"cython": 20_000, "python": 2_000}
TRACED_ITERATIONS = {"cython": 3_000, "python": 300}
# Growth bounds for the whole run: generous against allocator noise, far below
# what one leaked object per call (>= 16 bytes * 20k * calls per round) gives.
RSS_BOUND = 2 * 1024 * 1024
TRACED_BOUND = 32 * 1024


def _implementation(kernels: ModuleType) -> str:
    return str(kernels.IMPLEMENTATION)


@pytest.mark.parametrize("workload", WORKLOADS, ids=[w.name for w in WORKLOADS])
def test_rss_stays_flat(kernels: ModuleType, workload: Workload) -> None:
    """Resident memory does not grow over many rounds of each workload."""
    result = measure(workload.name, workload.make(kernels), ITERATIONS[_implementation(kernels)])
    assert result.rss_growth < RSS_BOUND, result


@pytest.mark.parametrize("workload", WORKLOADS, ids=[w.name for w in WORKLOADS])
def test_traced_memory_stays_flat(kernels: ModuleType, workload: Workload) -> None:
    """Python-level allocations (objects the kernels create) are all freed."""
    result = measure(workload.name, workload.make(kernels), TRACED_ITERATIONS[_implementation(kernels)], traced=True)
    assert result.traced_growth is not None
    assert result.traced_growth < TRACED_BOUND, result


def _failing_calls(kernels: ModuleType, case: ErrorCase, args: tuple[object, ...], times: int) -> None:
    for _ in range(times):
        with pytest.raises(case.expected):
            case.call(kernels, args)


@pytest.mark.parametrize("case", ERROR_CASES, ids=[c.name for c in ERROR_CASES])
def test_error_paths_keep_reference_counts(kernels: ModuleType, case: ErrorCase) -> None:
    """Failing calls neither leak nor steal references to their arguments (or their items)."""
    args = case.make_args()
    watched: list[object] = list(args)
    for arg in args:
        if isinstance(arg, (list, tuple)):
            watched.extend(arg)
        elif isinstance(arg, dict):
            watched.extend(arg.keys())
            watched.extend(arg.values())
    _failing_calls(kernels, case, args, 50)  # warm caches and free lists
    gc.collect()
    before = [sys.getrefcount(obj) for obj in watched]
    _failing_calls(kernels, case, args, 2_000)
    gc.collect()
    after = [sys.getrefcount(obj) for obj in watched]
    assert after == before
