"""Result rows, the PASS/FAIL verdicts, and the table / JSON renderings."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Dict, List

__all__ = ["Row", "Report", "format_table", "to_json", "HEADERS"]

HEADERS = ("case", "baseline", "base us/op", "pure us/op", "compiled us/op", "pure x", "compiled x", "target", "result")


@dataclass
class Row:
    """One measured case: seconds per operation for the baseline and each twin.

    Speedups are ``baseline / twin``; the target applies to the compiled twin.
    """

    case: str
    baseline_label: str
    baseline: float | None
    pure: float | None
    compiled: float | None
    target: float | None = None
    note: str = ""

    def speedup(self, seconds: float | None) -> float | None:
        """How many times faster than the baseline (None when not measured)."""
        if seconds is None or seconds <= 0 or self.baseline is None:
            return None
        return self.baseline / seconds

    @property
    def result(self) -> str:
        """PASS / FAIL against the target, ``n/a`` without compiled kernels, ``info`` without a target."""
        if self.target is None:
            return "info"
        ratio = self.speedup(self.compiled)
        if ratio is None:
            return "n/a"
        return "PASS" if ratio >= self.target else "FAIL"


@dataclass
class Report:
    """Everything one benchmark run produced."""

    machine: Dict[str, str]
    rows: List[Row] = field(default_factory=list)
    compiled_available: bool = False
    quick: bool = False
    repeats: int = 0

    @property
    def failed(self) -> bool:
        """True when a target was missed or could not be checked (no compiled kernels)."""
        return any(row.result in ("FAIL", "n/a") for row in self.rows)


def _us(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    return "%.3f" % (seconds * 1e6)


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}x"


def _cells(row: Row, compiled_available: bool) -> List[str]:
    compiled = _us(row.compiled) if row.compiled is not None else ("missing" if not compiled_available else "-")
    return [
        row.case,
        row.baseline_label,
        _us(row.baseline),
        _us(row.pure),
        compiled,
        _ratio(row.speedup(row.pure)),
        _ratio(row.speedup(row.compiled)),
        "-" if row.target is None else f">={row.target:g}x",
        row.result,
    ]


def format_table(report: Report) -> str:
    """The human-readable report: machine details, the table, notes."""
    lines = ["gigya_fast kernel benchmark%s" % (" (quick)" if report.quick else "")]
    for key, value in report.machine.items():
        lines.append(f"  {key + ':':<15} {value}")
    lines.append(
        f"  {'method:':<15} best of {report.repeats} interleaved repeats, CPU time unless noted;"
        " read the ratios (x = times faster than the baseline)"
    )
    lines.append("")
    table = [list(HEADERS)] + [_cells(row, report.compiled_available) for row in report.rows]
    widths = [max(len(r[i]) for r in table) for i in range(len(HEADERS))]
    for index, cells in enumerate(table):
        lines.append(" | ".join(cell.ljust(width) for cell, width in zip(cells, widths)).rstrip())
        if index == 0:
            lines.append("-+-".join("-" * width for width in widths))
    notes = [(row.case, row.note) for row in report.rows if row.note]
    if notes:
        lines.append("")
        lines.extend("  {}: {}".format(*note) for note in notes)
    if not report.compiled_available:
        lines.append("")
        lines.append(
            "compiled kernels are missing ({}): only the pure columns were measured.".format(report.machine["compiled"])
        )
    return "\n".join(lines)


def to_json(report: Report) -> str:
    """The report as JSON (seconds per operation, speedups, verdicts)."""
    rows: List[Dict[str, Any]] = []
    for row in report.rows:
        rows.append(
            {
                "case": row.case,
                "baseline": row.baseline_label,
                "baseline_s": row.baseline,
                "pure_s": row.pure,
                "compiled_s": row.compiled,
                "pure_speedup": row.speedup(row.pure),
                "compiled_speedup": row.speedup(row.compiled),
                "target": row.target,
                "result": row.result,
                "note": row.note,
            }
        )
    document = {
        "machine": report.machine,
        "compiled_available": report.compiled_available,
        "quick": report.quick,
        "repeats": report.repeats,
        "rows": rows,
    }
    return json.dumps(document, indent=2, sort_keys=True)
