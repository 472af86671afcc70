"""``gigya-fast info`` says what the import warning says when the compiled kernels are missing."""

from __future__ import annotations

from types import ModuleType

from gigya_fast._install_check import REINSTALL_COMMAND
from tests._without_extensions import clean_env, run_python

INFO = "from gigya_fast.cli import main\nsys.exit(main(['info']))\n"


def test_info_warns_without_the_extension() -> None:
    """Missing extension: ``implementation: python`` and a WARNING line with the reinstall command."""
    result = run_python("import sys\n" + INFO, options=["-W", "ignore"])
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "implementation: python" in lines
    [warning] = [line for line in lines if line.startswith("WARNING: ")]
    assert REINSTALL_COMMAND in warning
    assert "GIGYA_FAST_NO_EXTENSIONS=1" in warning


def test_info_notes_the_switch_instead() -> None:
    """Pure kernels chosen with ``GIGYA_FAST_NO_EXTENSIONS=1``: a note, no warning."""
    result = run_python("import sys\n" + INFO, env=clean_env(GIGYA_FAST_NO_EXTENSIONS="1"))
    assert result.returncode == 0, result.stderr
    assert "implementation: python" in result.stdout.splitlines()
    assert "WARNING" not in result.stdout
    assert "note: GIGYA_FAST_NO_EXTENSIONS is set" in result.stdout


def test_info_is_quiet_with_the_extension(c_kernels: ModuleType) -> None:
    """Compiled kernels: neither a warning nor a note."""
    result = run_python("import sys\n" + INFO, blocked=False)
    assert result.returncode == 0, result.stderr
    assert "implementation: cython" in result.stdout.splitlines()
    assert "WARNING" not in result.stdout and "note:" not in result.stdout
