"""Benchmarks of the kernels, shipped in the package so that ``gigya-fast bench`` works on
an installed wheel as well as from a checkout.

The pure-Python twin and the compiled twin (and, for webhook bodies, a stdlib loop) are
measured side by side in one process; only ratios are reported. A source checkout's
``benchmarks/bench_kernels.py`` runs the same cases with the original SDK's algorithm as a
further reference, and checks the project's targets.
"""

from __future__ import annotations

from .kernels import CASES, Baselines, run_benchmarks
from .report import Report, Row, format_table, to_json

__all__ = ["CASES", "Baselines", "run_benchmarks", "Report", "Row", "format_table", "to_json"]
