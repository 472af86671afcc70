"""``gigya-fast serve``: bad options are usage errors (exit 2, no traceback), in a real subprocess."""

from __future__ import annotations

import subprocess
import sys

import pytest


def _serve(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gigya_fast", "serve", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        (["--port", "70000"], "must be 0-65535"),
        (["--port", "99999"], "must be 0-65535"),
        (["--port", "-1"], "must be 0-65535"),
        (["--port", "http"], "not a port number"),
        (["--seed-accounts", "-1"], "must be 0 or more"),
        (["--seed-accounts", "-5"], "must be 0 or more"),
        (["--clock-offset", "nan"], "finite"),
        (["--clock-offset", "inf"], "finite"),
        (["--clock-offset=-inf"], "finite"),
    ],
)
def test_bad_options_are_usage_errors(args: list[str], complaint: str) -> None:
    proc = _serve(*args)
    assert proc.returncode == 2, proc.stderr
    assert "usage: gigya-fast serve" in proc.stderr and complaint in proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""
