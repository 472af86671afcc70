"""Smoke test of benchmarks/bench_client.py: a small run reports every row and ratio as
well-formed JSON. Times and ratios are never asserted, only structure."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

ROWS = [
    "(a) original SDK pattern",
    "(b) urllib3.PoolManager.request",
    "Client.call (signed, answer checked), sequential",
    "(c) Client.call_many, 8 workers",
    "(d) AsyncClient.call_many",
    "(d+) the same, every answer's data read",
    "(e) raw aiohttp",
    "Client.call, sequential, 5 ms server latency",
    "(c') Client.call_many, 8 workers, 5 ms server latency",
    "(d') AsyncClient.call_many",
]


def test_small_run_reports_every_row_and_ratio() -> None:
    script = REPO / "benchmarks" / "bench_client.py"
    if not script.exists():  # the wheel matrix runs a copy of tests/ only
        pytest.skip("not a source checkout")
    pytest.importorskip("aiohttp")
    proc = subprocess.run(
        [sys.executable, str(script), "--requests", "40", "--rounds", "2", "--gssdk-requests", "2",
         "--slow-requests", "16", "--slow-rounds", "1", "--concurrency", "8", "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    names = [row["name"] for row in report["rows"]]
    assert len(names) == len(ROWS)
    for name, prefix in zip(names, ROWS):
        assert name.startswith(prefix), (name, prefix)
    for row in report["rows"]:
        assert row["requests"] > 0 and row["seconds"] > 0 and row["rps"] > 0, row
    assert set(report["ratios"]) == {
        "client_vs_original_sdk",
        "client_vs_raw_urllib3",
        "call_many8_vs_sequential",
        "call_many8_vs_sequential_with_latency",
        "async_call_many_vs_raw_aiohttp",
        "async_call_many_read_vs_raw_aiohttp",
        "async_call_many_vs_call_many8_with_latency",
    }
    assert all(value > 0 for value in report["ratios"].values())
