#!/usr/bin/env python3
"""Long leak check: every kernel workload a million times, RSS and tracemalloc growth reported.

Usage: ``python scripts/leak_check.py [--iterations N] [--implementation cython|python]``.
Exits non-zero when any workload grows resident memory by more than
``--rss-bound`` bytes (default 4 MiB) or leaks references on an error path.
The scaled-down version runs in the test suite (tests/hardening/test_leaks.py).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import sys
from pathlib import Path
from types import ModuleType
from typing import List, Tuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hardening._workloads import ERROR_CASES, WORKLOADS, ErrorCase, LeakResult, measure  # noqa: E402


def _kernels(implementation: str) -> ModuleType:
    name = "gigya_fast._signing_c" if implementation == "cython" else "gigya_fast._signing_py"
    return importlib.import_module(name)


def _fail(kernels: ModuleType, case: ErrorCase, args: Tuple[object, ...]) -> None:
    try:
        case.call(kernels, args)
    except case.expected:
        return
    raise AssertionError(f"{case.name}: no {case.expected.__name__} raised")


def _refcount_leaks(kernels: ModuleType, times: int) -> List[str]:
    """Names of error cases whose arguments' reference counts changed over *times* failing calls."""
    leaking: List[str] = []
    for case in ERROR_CASES:
        args = case.make_args()
        watched: List[object] = list(args)
        for arg in args:
            if isinstance(arg, (list, tuple)):
                watched.extend(arg)
            elif isinstance(arg, dict):
                watched.extend(list(arg.keys()) + list(arg.values()))

        for _ in range(100):
            _fail(kernels, case, args)
        gc.collect()
        before = [sys.getrefcount(obj) for obj in watched]
        for _ in range(times):
            _fail(kernels, case, args)
        gc.collect()
        after = [sys.getrefcount(obj) for obj in watched]
        print(f"  refcounts  {case.name:<26} {'ok' if before == after else f'LEAK {before} -> {after}'}")
        if before != after:
            leaking.append(case.name)
    return leaking


def _row(result: LeakResult) -> str:
    traced = "-" if result.traced_growth is None else f"{result.traced_growth:+,d}"
    return (
        f"| {result.name:<10} | {result.iterations:>9,d} | {result.seconds:>7.1f} "
        f"| {result.rss_growth / 1024:>+14,.0f} | {traced:>12} |"
    )


def main(argv: List[str] | None = None) -> int:
    """Run the long leak check; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--iterations", type=int, default=1_000_000, help="rounds per workload")
    parser.add_argument("--traced-iterations", type=int, default=50_000, help="rounds under tracemalloc")
    parser.add_argument("--implementation", choices=("cython", "python"), default="cython")
    parser.add_argument("--rss-bound", type=int, default=4 * 1024 * 1024, help="allowed RSS growth, bytes")
    parser.add_argument("--traced-bound", type=int, default=64 * 1024, help="allowed traced growth, bytes")
    args = parser.parse_args(argv)

    kernels = _kernels(args.implementation)
    print(f"kernels: {kernels.__name__} ({kernels.IMPLEMENTATION}), python {sys.version.split()[0]}")
    print("| workload   | rounds    | seconds | RSS growth KiB | traced bytes |")
    print("|------------|-----------|---------|----------------|--------------|")
    failed = False
    for workload in WORKLOADS:
        result = measure(workload.name, workload.make(kernels), args.iterations)
        traced = measure(workload.name, workload.make(kernels), args.traced_iterations, traced=True)
        merged = LeakResult(result.name, result.iterations, result.seconds, result.rss_growth, traced.traced_growth)
        print(_row(merged), flush=True)
        if result.rss_growth > args.rss_bound or (traced.traced_growth or 0) > args.traced_bound:
            failed = True
    leaking = _refcount_leaks(kernels, max(1_000, args.iterations // 100))
    if failed or leaking:
        print("FAILED: memory grew" + (f"; reference leaks in {', '.join(leaking)}" if leaking else ""))
        return 1
    print("OK: no growth beyond the bounds, no reference leaks")
    return 0


if __name__ == "__main__":
    sys.exit(main())
