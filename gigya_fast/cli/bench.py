"""``gigya-fast bench``: original GSSDK algorithm vs our pure and compiled kernels."""

from __future__ import annotations

import argparse
import sys
from typing import Any

__all__ = ["register", "add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The bench options (shared with ``benchmarks/bench_kernels.py``)."""
    from .._bench.kernels import CASES

    parser.add_argument(
        "--quick", action="store_true", help="small batches and 2 repeats: a smoke run, not a measurement"
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=sorted(CASES),
        metavar="NAME",
        help="run only this case (repeatable): {}".format(", ".join(CASES)),
    )
    parser.add_argument("--repeat", type=int, default=None, metavar="N", help="best of N repeats (default 7, quick 2)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON instead of a table")
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit with status 1 when a target is missed or the compiled kernels are missing",
    )


def register(subparsers: Any) -> None:
    """Add the ``bench`` subcommand."""
    parser = subparsers.add_parser("bench", help="benchmark the signing kernels against the original algorithm")
    add_arguments(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run the benchmarks and print the table (or JSON)."""
    from .._bench import format_table, run_benchmarks, to_json

    if args.repeat is not None and args.repeat < 1:
        print("gigya-fast bench: --repeat must be at least 1", file=sys.stderr)
        return 2
    report = run_benchmarks(quick=args.quick, only=args.only, repeats=args.repeat)
    print(to_json(report) if args.json else format_table(report))
    sys.stdout.flush()
    return 1 if args.check and report.failed else 0
