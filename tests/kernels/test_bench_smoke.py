"""Smoke test of the installed kernel benchmark (``gigya-fast bench``): it runs in --quick
mode and prints a well-formed table / JSON document of ratios, with no targets and no
verdicts (those are benchmarks/bench_kernels.py's, see test_bench_targets.py). Times are
never asserted, only structure."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List

import pytest

import gigya_fast
from gigya_fast._bench.kernels import CASES
from gigya_fast.cli import main

REPO = Path(__file__).resolve().parents[2]
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
    assert header[0] == "case" and header[-1] == "compiled x"
    assert "target" not in header and "result" not in header
    assert len(body) >= len(CASES)
    for row in body:
        assert len(row) == len(header), row
        assert row[-1] == "-" or row[-1].endswith("x"), row
    assert "PASS" not in quick_table and "FAIL" not in quick_table and "original" not in quick_table
    cases = " ".join(row[0] for row in body)
    for name in CASES:
        assert name in cases


def test_references(quick_table: str) -> None:
    references = {row[1] for row in _table_rows(quick_table)[1:]}
    assert {"pure twin", "stdlib verify loop", "compiled threads=1", "single calls"} <= references


def test_help_says_what_is_compared(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["bench", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "pure-Python twin" in text and "ratios" in text and "benchmarks/bench_kernels.py" in text


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
        assert "result" not in row and "target" not in row
        if row["reference_s"] is not None:
            assert row["reference_s"] > 0
        if row["compiled_speedup"] is not None:
            assert row["compiled_speedup"] == pytest.approx(row["reference_s"] / row["compiled_s"])


def test_missing_compiled_reported(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("GIGYA_FAST_NO_EXTENSIONS", "1")
    assert main(["bench", "--quick", "--only", "validate_user"]) == 0
    out = capsys.readouterr().out
    assert "compiled kernels are missing" in out
    body = _table_rows(out)[1:]
    assert body and all(row[-1] == "-" for row in body)
    assert any("missing" in row for row in body)


@pytest.mark.c_extension
def test_compiled_measured(capsys: pytest.CaptureFixture[str]) -> None:
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
