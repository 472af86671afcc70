"""Benchmarks of the signing kernels, shipped in the package so that
``gigya-fast bench`` works on an installed wheel as well as from a checkout
(``benchmarks/bench_kernels.py``).

Three implementations are measured side by side in one process: a faithful
re-implementation of the original GSSDK.py algorithm (:mod:`.original`), our
pure-Python twin and our compiled twin. Only ratios are reported as results.
"""

from __future__ import annotations

from .kernels import CASES, run_benchmarks
from .report import Report, Row, format_table, to_json

__all__ = ["CASES", "run_benchmarks", "Report", "Row", "format_table", "to_json"]
