"""The targets of benchmarks/bench_kernels.py (a source checkout only): their verdicts, and
a quick run of the script with them. Times are never asserted, only structure."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import gigya_fast
from gigya_fast._bench.report import Report, Row

targets = pytest.importorskip("benchmarks.targets", reason="benchmarks/ is not here (not a source checkout)")

SCRIPT = Path(targets.__file__).with_name("bench_kernels.py")


def test_target_bounds() -> None:
    assert targets.Target(at_least=12).met(12.0) and not targets.Target(at_least=12).met(11.9)
    assert targets.Target(at_most=1.4).met(1.4) and not targets.Target(at_most=1.4).met(1.41)
    assert str(targets.Target(at_least=1.6)) == ">=1.6x" and str(targets.Target(at_most=1.4)) == "<=1.4x"


def test_verdicts() -> None:
    assert targets.verdict(Row("validate_user_signature", targets.ORIGINAL, 12e-6, 5e-6, 1e-6)) == "PASS"
    assert targets.verdict(Row("validate_user_signature", targets.ORIGINAL, 10e-6, 5e-6, 1e-6)) == "FAIL"
    assert targets.verdict(Row("validate_user_signature", targets.ORIGINAL, 12e-6, 5e-6, None)) == "n/a"
    assert targets.verdict(Row("validate_user_signature", "pure twin", 5e-6, 5e-6, 1e-6)) == "info"
    single = Row("validate_users 100k, per signature", "single calls", 1.3e-7, None, 1e-7)
    assert targets.verdict(single) == "PASS"
    assert targets.verdict(Row(single.case, single.reference, 1.5e-7, None, 1e-7)) == "FAIL"
    missing = Report(machine={}, rows=[Row("validate_users 2k, threads=2", "compiled threads=1", None, None, None)])
    assert targets.failed(missing)
    ok = Report(machine={}, rows=[Row("verify_hmacs 2KB, threads=1", "stdlib verify loop", 3e-6, 4e-6, 1e-6)])
    assert not targets.failed(ok)


@pytest.mark.c_extension
def test_every_target_has_its_row() -> None:
    """A quick run with the original SDK's references has a row, with a verdict, for every target."""
    from gigya_fast._bench import run_benchmarks

    report = run_benchmarks(quick=True, baselines=targets.original_baselines())
    for prefix, reference, target in targets.TARGETS:
        rows = [row for row in report.rows if row.case.startswith(prefix) and row.reference == reference]
        assert rows, (prefix, reference)
        assert all(targets.target_for(row) == target and targets.verdict(row) in {"PASS", "FAIL"} for row in rows)


def test_runner_script() -> None:
    env = dict(os.environ, PYTHONPATH=str(Path(gigya_fast.__file__).resolve().parents[1]))
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick", "--only", "validate_user", "--json"],
        cwd=str(SCRIPT.parent),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    rows = json.loads(result.stdout)["rows"]
    references = {row["reference"] for row in rows}
    assert {"pure twin", targets.ORIGINAL, "original, expiration=300"} <= references
    assert all(row["result"] in {"PASS", "FAIL", "n/a", "info"} for row in rows)
    assert {row["target"] for row in rows if row["reference"] == targets.ORIGINAL} == {">=12x"}


def test_runner_check_fails_without_compiled_kernels() -> None:
    env = dict(os.environ, PYTHONPATH=str(Path(gigya_fast.__file__).resolve().parents[1]), GIGYA_FAST_NO_EXTENSIONS="1")
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick", "--only", "validate_user", "--check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert "n/a" in result.stdout and "compiled kernels are missing" in result.stdout
