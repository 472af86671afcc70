"""Kernel benchmarks from a checkout, with the project's targets:
``python benchmarks/bench_kernels.py [--quick] [--only NAME] [--json] [--check]``.

Runs the cases of ``gigya-fast bench`` (``gigya_fast._bench``: compiled vs pure twin, a
stdlib loop for webhook bodies) with the original SDK's algorithm (``original.py``) as a
further reference, and gives each row with a target (``targets.py``) a PASS/FAIL verdict.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import List

# the checkout's root, for ``benchmarks.*`` (and gigya_fast itself when it is not installed)
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks.targets import failed, original_baselines, target_for, verdict  # noqa: E402
from gigya_fast._bench import format_table, run_benchmarks  # noqa: E402
from gigya_fast._bench.report import Report, report_dict  # noqa: E402
from gigya_fast.cli import bench  # noqa: E402


def to_json(report: Report) -> str:
    """The report as JSON, each row with its target and verdict."""
    document = report_dict(report)
    for row, data in zip(report.rows, document["rows"]):
        target = target_for(row)
        data["target"] = None if target is None else str(target)
        data["result"] = verdict(row)
    return json.dumps(document, indent=2, sort_keys=True)


def to_table(report: Report) -> str:
    """The table with target and result columns."""
    cells = [["-" if target_for(row) is None else str(target_for(row)), verdict(row)] for row in report.rows]
    text = format_table(report, "gigya_fast kernel benchmark, with targets", ("target", "result"), cells)
    return (
        text + "\n\nreferences: the original GSSDK.py algorithm (benchmarks/original.py), our pure twin, a stdlib loop"
    )


def main(argv: List[str] | None = None) -> int:
    """Parse the bench options and run it."""
    parser = argparse.ArgumentParser(prog="bench_kernels.py", description=__doc__.splitlines()[0])
    bench.add_arguments(parser)
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit with status 1 when a target is missed or the compiled kernels are missing",
    )
    args = parser.parse_args(argv)
    if not bench.check_repeat(args, "bench_kernels.py"):
        return 2
    report = run_benchmarks(quick=args.quick, only=args.only, repeats=args.repeat, baselines=original_baselines())
    print(to_json(report) if args.json else to_table(report))
    sys.stdout.flush()
    return 1 if args.check and failed(report) else 0


if __name__ == "__main__":
    raise SystemExit(main())
