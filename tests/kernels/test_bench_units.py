"""Units of the benchmark machinery: timing helpers, rows and renderings."""

from __future__ import annotations

from typing import List

from gigya_fast._bench.report import Report, Row, format_table, to_json
from gigya_fast._bench.timing import Op, measure


def test_op_timer_calls_with_args_and_kwargs() -> None:
    calls: List[tuple] = []  # type: ignore[type-arg]

    def record(*args: object, **kwargs: object) -> None:
        calls.append((args, kwargs))

    op = Op(record, (1, "a"), {"threads": 2})
    op.timer().timeit(3)
    assert calls == [((1, "a"), {"threads": 2})] * 3
    assert op.call() is None


def test_measure_returns_per_operation_seconds() -> None:
    ops = {"one": Op(sum, ([1, 2, 3],)), "batch": Op(sum, (list(range(1000)),), ops=1000)}
    best = measure(ops, repeats=2, min_time=0.001)
    assert set(best) == {"one", "batch"}
    assert all(0 < value < 0.01 for value in best.values())
    wall = measure(ops, repeats=1, min_time=0.001, clock="wall")
    assert all(value > 0 for value in wall.values())


def test_row_ratios() -> None:
    row = Row("c", "pure twin", 10.0, 10.0, 2.0)
    assert row.speedup(row.compiled) == 5.0 and row.speedup(None) is None
    assert Row("c", "threads=1", None, None, 1.0).speedup(1.0) is None


def test_report_renderings() -> None:
    machine = {"cpu": "x", "compiled": "not built"}
    report = Report(machine=machine, rows=[Row("case-a", "pure twin", 2e-6, 2e-6, None)], repeats=3)
    table = format_table(report)
    assert "case-a" in table and "missing" in table and "compiled kernels are missing (not built)" in table
    assert "PASS" not in table and "target" not in table
    assert '"case": "case-a"' in to_json(report)
    extra = format_table(report, "t", ("target", "result"), [(">=2x", "n/a")])
    assert extra.splitlines()[0] == "t" and ">=2x" in extra and "result" in extra
