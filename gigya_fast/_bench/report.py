"""Result rows and the table / JSON renderings (ratios only: no targets, no verdicts)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Dict, List, Sequence

__all__ = ["Row", "Report", "format_table", "to_json", "HEADERS", "PURE"]

HEADERS = ("case", "reference", "ref us/op", "pure us/op", "compiled us/op", "pure x", "compiled x")

#: The reference of the rows that compare the compiled kernels with their pure twin.
PURE = "pure twin"


@dataclass
class Row:
    """One measured case: seconds per operation for a reference and each twin.

    The ratios are ``reference / twin`` (how many times faster than the reference).
    """

    case: str
    reference: str
    reference_s: float | None
    pure: float | None
    compiled: float | None
    note: str = ""

    def speedup(self, seconds: float | None) -> float | None:
        """How many times faster than the reference (None when not measured)."""
        if seconds is None or seconds <= 0 or self.reference_s is None:
            return None
        return self.reference_s / seconds


@dataclass
class Report:
    """Everything one benchmark run produced."""

    machine: Dict[str, str]
    rows: List[Row] = field(default_factory=list)
    compiled_available: bool = False
    quick: bool = False
    repeats: int = 0


def _us(seconds: float | None) -> str:
    return "-" if seconds is None else "%.3f" % (seconds * 1e6)


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}x"


def _cells(row: Row, compiled_available: bool) -> List[str]:
    compiled = _us(row.compiled) if row.compiled is not None else ("missing" if not compiled_available else "-")
    return [
        row.case,
        row.reference,
        _us(row.reference_s),
        _us(row.pure),
        compiled,
        "-" if row.reference == PURE else _ratio(row.speedup(row.pure)),
        _ratio(row.speedup(row.compiled)),
    ]


def table_lines(headers: List[str], cells: List[List[str]]) -> List[str]:
    """Aligned columns, a rule under the header."""
    table = [headers] + cells
    widths = [max(len(r[i]) for r in table) for i in range(len(headers))]
    lines = []
    for index, row in enumerate(table):
        lines.append(" | ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
        if index == 0:
            lines.append("-+-".join("-" * width for width in widths))
    return lines


def format_table(
    report: Report,
    title: str = "gigya_fast kernel benchmark",
    extra_headers: Sequence[str] = (),
    extra_cells: Sequence[Sequence[str]] = (),
) -> str:
    """The human-readable report: machine details, the table, notes. *extra_headers* and
    *extra_cells* (one sequence per row) add columns after the ratios."""
    lines = [title + (" (quick)" if report.quick else "")]
    for key, value in report.machine.items():
        lines.append(f"  {key + ':':<15} {value}")
    lines.append(
        f"  {'method:':<15} best of {report.repeats} interleaved repeats, CPU time unless noted;"
        " read the ratios (x = times faster than the reference)"
    )
    lines.append("")
    cells = [_cells(row, report.compiled_available) for row in report.rows]
    if extra_headers:
        cells = [c + list(more) for c, more in zip(cells, extra_cells)]
    lines += table_lines(list(HEADERS) + list(extra_headers), cells)
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


def row_dict(row: Row) -> Dict[str, Any]:
    """One row as JSON-ready values (seconds per operation and the ratios)."""
    return {
        "case": row.case,
        "reference": row.reference,
        "reference_s": row.reference_s,
        "pure_s": row.pure,
        "compiled_s": row.compiled,
        "pure_speedup": row.speedup(row.pure),
        "compiled_speedup": row.speedup(row.compiled),
        "note": row.note,
    }


def report_dict(report: Report) -> Dict[str, Any]:
    """The whole report as JSON-ready values."""
    return {
        "machine": report.machine,
        "compiled_available": report.compiled_available,
        "quick": report.quick,
        "repeats": report.repeats,
        "rows": [row_dict(row) for row in report.rows],
    }


def to_json(report: Report) -> str:
    """The report as JSON (seconds per operation, ratios)."""
    return json.dumps(report_dict(report), indent=2, sort_keys=True)
