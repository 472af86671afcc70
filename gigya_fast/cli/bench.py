"""``gigya-fast bench``: the compiled kernels against their pure-Python twin, on this machine."""

from __future__ import annotations

import argparse
import sys
from typing import Any

__all__ = ["register", "add_arguments", "run", "DESCRIPTION"]

DESCRIPTION = (
    "Time the compiled kernels against their pure-Python twin (and webhook-body HMACs against a "
    "plain stdlib loop), side by side on this machine, and print the ratios (x = times faster than "
    "the reference). Only ratios are results: absolute times depend on the machine and its load. "
    "The project's performance targets, and its comparison with the original GSSDK.py algorithm, "
    "are in benchmarks/bench_kernels.py of a source checkout."
)


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


def register(subparsers: Any) -> None:
    """Add the ``bench`` subcommand."""
    parser = subparsers.add_parser(
        "bench", help="time the compiled kernels against their pure-Python twin", description=DESCRIPTION
    )
    add_arguments(parser)
    parser.set_defaults(func=run)


def check_repeat(args: argparse.Namespace, prog: str) -> bool:
    """False (after a usage message) when --repeat is below 1."""
    if args.repeat is not None and args.repeat < 1:
        print(f"{prog}: --repeat must be at least 1", file=sys.stderr)
        return False
    return True


def run(args: argparse.Namespace) -> int:
    """Run the benchmarks and print the table (or JSON)."""
    from .._bench import format_table, run_benchmarks, to_json

    if not check_repeat(args, "gigya-fast bench"):
        return 2
    report = run_benchmarks(quick=args.quick, only=args.only, repeats=args.repeat)
    print(to_json(report) if args.json else format_table(report))
    sys.stdout.flush()
    return 0
