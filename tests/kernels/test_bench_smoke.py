"""Smoke test of the kernel benchmark: it runs in --quick mode and prints a
well-formed table / JSON document. Times are never asserted, only structure."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List

import pytest

import gigya_fast
from gigya_fast._bench.kernels import CASES
from gigya_fast._env import no_extensions
from gigya_fast.cli import main

REPO = Path(__file__).resolve().parents[2]
RESULTS = {"PASS", "FAIL", "n/a", "info"}
MACHINE_KEYS = {"cpu", "cores", "python", "implementation", "sha1", "compiled"}


def _table_rows(text: str) -> List[List[str]]:
    lines = text.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("case "))
    rows = []
    for line in lines[header + 2 :]:
        if not line.strip():
            break
        rows.append([cell.strip() for cell in line.split(" | ")])
    return [[c.strip() for c in lines[header].split(" | ")]] + rows


@pytest.fixture(scope="module")
def quick_table() -> str:
    """One quick run of every case, shared by the table checks."""
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(["bench", "--quick"])
    assert status == 0
    return out.getvalue()


def test_table_structure(quick_table: str) -> None:
    rows = _table_rows(quick_table)
    header, body = rows[0], rows[1:]
    assert header[0] == "case" and header[-1] == "result"
    assert "compiled x" in header and "target" in header
    assert len(body) >= len(CASES)
    for row in body:
        assert len(row) == len(header), row
        assert row[-1] in RESULTS, row
    cases = " ".join(row[0] for row in body)
    for name in CASES:
        assert name in cases


def test_targets_present(quick_table: str) -> None:
    body = _table_rows(quick_table)[1:]
    targets = {row[-2] for row in body}
    assert {">=12x", ">=15x", ">=1.6x", ">=20x", ">=2x"} <= targets


def test_machine_details(quick_table: str) -> None:
    for key in MACHINE_KEYS:
        assert ("  " + key + ":") in quick_table, key
    assert "implementation: " + gigya_fast.IMPLEMENTATION in quick_table


def test_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "--quick", "--only", "validate_user", "--only", "verify_hmacs", "--json"]) == 0
    document: Dict[str, Any] = json.loads(capsys.readouterr().out)
    assert MACHINE_KEYS <= set(document["machine"])
    assert document["quick"] is True
    cases = {row["case"] for row in document["rows"]}
    assert any(c.startswith("validate_user_signature") for c in cases)
    assert any(c.startswith("verify_hmacs") for c in cases)
    assert not any(c.startswith("sign_request") for c in cases)
    for row in document["rows"]:
        assert row["result"] in RESULTS
        if row["baseline_s"] is not None:
            assert row["baseline_s"] > 0
        if row["compiled_speedup"] is not None and row["target"] is not None:
            assert row["result"] == ("PASS" if row["compiled_speedup"] >= row["target"] else "FAIL")


def test_missing_compiled_reported(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("GIGYA_FAST_NO_EXTENSIONS", "1")
    assert main(["bench", "--quick", "--only", "validate_user"]) == 0
    out = capsys.readouterr().out
    assert "compiled kernels are missing" in out
    body = _table_rows(out)[1:]
    assert body and all(row[-1] in {"n/a", "info"} for row in body)
    assert any("missing" in row for row in body)
    assert main(["bench", "--quick", "--only", "validate_user", "--check"]) == 1


@pytest.mark.c_extension
def test_compiled_measured(capsys: pytest.CaptureFixture[str]) -> None:
    if no_extensions():
        pytest.skip("GIGYA_FAST_NO_EXTENSIONS is set: compiled kernels deliberately not tested")
    assert main(["bench", "--quick", "--only", "validate_user", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["compiled_available"] is True
    assert all(row["compiled_s"] is not None for row in document["rows"])


def test_unknown_case_rejected(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["bench", "--only", "nope"])
    assert info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_bad_repeat_rejected() -> None:
    assert main(["bench", "--quick", "--repeat", "0"]) == 2


def test_runner_script() -> None:
    script = REPO / "benchmarks" / "bench_kernels.py"
    if not script.exists():
        pytest.skip("not a source checkout")
    env = dict(os.environ, PYTHONPATH=str(Path(gigya_fast.__file__).resolve().parents[1]))
    result = subprocess.run(
        [sys.executable, str(script), "--quick", "--only", "validate_user", "--json"],
        cwd=str(script.parent),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert json.loads(result.stdout)["rows"]
