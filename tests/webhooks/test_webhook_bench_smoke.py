"""Smoke test of benchmarks/bench_webhooks.py: a small run prints every case and a
well-formed JSON report. Times are never asserted, only structure."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def test_small_run_reports_every_case() -> None:
    script = REPO / "benchmarks" / "bench_webhooks.py"
    if not script.exists():  # the wheel matrix runs a copy of tests/ only
        pytest.skip("not a source checkout")
    proc = subprocess.run(
        [sys.executable, str(script), "--count", "600", "--repeat", "1", "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["count"] == 600 and 1024 <= report["mean_body_bytes"] <= 4096
    cases = [
        "baseline",
        "kernel threads=1",
        "kernel threads=2",
        "verify_many tolerance=300 threads=1",
        "verify_many tolerance=300 threads=2",
        "verify_many tolerance=None threads=1",
        "verify_many tolerance=None threads=2",
        "verify_many tolerance=300 threads=1, chunks of 4096",
        "verify_many tolerance=300 threads=2, chunks of 4096",
    ]
    for case in cases:
        assert report[f"{case} us"] > 0, case
        assert report[f"{case} ratio"] > 0, case
        assert case in proc.stdout
