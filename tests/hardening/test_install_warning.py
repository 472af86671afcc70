"""Issue 15: an install that silently got the pure-Python kernels says so, once, at import.

Each case runs a fresh interpreter in which gigya_fast's compiled modules
cannot be imported (``tests/_without_extensions.py``), as after an install
without a C compiler.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace

import pytest

from gigya_fast import _install_check
from gigya_fast._install_check import REINSTALL_COMMAND, missing_kernels_message
from tests._without_extensions import clean_env, run_python

IMPORT = "import gigya_fast\nprint(gigya_fast.IMPLEMENTATION)\n"
# Everything a program might import, the warning included only once.
IMPORT_ALL = (
    "import gigya_fast, gigya_fast.rest, gigya_fast.webhooks, gigya_fast.errors, gigya_fast.GSSDK\n"
    "import gigya_fast.testing, gigya_fast.cli\n"
    "print(gigya_fast.IMPLEMENTATION)\n"
)


def _warnings_in(stderr: str) -> int:
    return stderr.count("RuntimeWarning: gigya_fast is using its pure-Python kernels")


def test_missing_extension_warns_once_with_the_reinstall_command() -> None:
    """Plain CPython, no switch set: exactly one RuntimeWarning, naming the command that fixes it."""
    result = run_python(IMPORT_ALL, options=["-W", "always::RuntimeWarning"])
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "python"
    assert _warnings_in(result.stderr) == 1, result.stderr
    assert REINSTALL_COMMAND in result.stderr
    assert "--no-cache-dir --force-reinstall" in result.stderr
    assert "GIGYA_FAST_NO_EXTENSIONS=1" in result.stderr


def test_warning_points_at_the_importing_line() -> None:
    """The warning is attributed to the program's ``import gigya_fast``, not to gigya_fast itself."""
    result = run_python("\n" + IMPORT)
    assert result.returncode == 0, result.stderr
    [line] = [text for text in result.stderr.splitlines() if "RuntimeWarning" in text]
    assert line.startswith("<string>:"), line
    lineno = int(line.split(":")[1])
    code_lines = result.args[-1].splitlines()
    assert code_lines[lineno - 1] == "import gigya_fast"


def test_no_warning_when_pure_kernels_are_chosen() -> None:
    """``GIGYA_FAST_NO_EXTENSIONS=1`` (the project's own pure test run) asks for them: silence."""
    result = run_python(IMPORT_ALL, env=clean_env(GIGYA_FAST_NO_EXTENSIONS="1"), options=["-W", "always"])
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "python"
    assert "RuntimeWarning" not in result.stderr, result.stderr


def test_no_warning_with_the_compiled_kernels(c_kernels: ModuleType) -> None:
    """With the extension importable there is nothing to say."""
    result = run_python(IMPORT, blocked=False, options=["-W", "always"])
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "cython"
    assert "RuntimeWarning" not in result.stderr, result.stderr


@pytest.mark.parametrize("option", ["error", "error::RuntimeWarning"])
def test_warnings_as_errors_do_not_break_the_import(option: str) -> None:
    """``-W error``: the import still succeeds, and the text still reaches stderr."""
    result = run_python(IMPORT, options=["-W", option])
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "python"
    assert _warnings_in(result.stderr) == 1, result.stderr


def test_pytest_with_warnings_as_errors_still_runs_the_users_tests(tmp_path: Path) -> None:
    """A user's pytest run with ``-W error`` (or ``filterwarnings = error``) is not turned into a failure."""
    test_file = tmp_path / "test_user.py"
    test_file.write_text(
        "import gigya_fast\n\n"
        "def test_signs():\n"
        "    assert gigya_fast.IMPLEMENTATION == 'python'\n"
        "    assert gigya_fast.calc_signature('POST&a&b', 'c2VjcmV0').endswith('=')\n",
        encoding="utf-8",
    )
    code = (
        "import pytest\n"
        # pytest-asyncio (our test extra) warns about its own unset option under -W error: not ours to judge.
        "sys.exit(pytest.main(['-q', '-p', 'no:cacheprovider', '-p', 'no:asyncio', '-W', 'error',"
        " '--rootdir', %r, %r]))\n"
        % (str(tmp_path), str(test_file))
    )
    result = run_python(code)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout


def test_message_is_none_off_cpython(monkeypatch: pytest.MonkeyPatch) -> None:
    """PyPy and others run the pure kernels by design: no warning there."""
    fake_sys = SimpleNamespace(implementation=SimpleNamespace(name="pypy"), stderr=sys.stderr)
    monkeypatch.delenv("GIGYA_FAST_NO_EXTENSIONS", raising=False)
    assert missing_kernels_message("python") is not None
    monkeypatch.setattr(_install_check, "sys", fake_sys)
    assert missing_kernels_message("python") is None


def test_message_only_for_the_pure_implementation(monkeypatch: pytest.MonkeyPatch) -> None:
    """Compiled kernels: None; pure without the switch: the text; pure with it: None."""
    monkeypatch.delenv("GIGYA_FAST_NO_EXTENSIONS", raising=False)
    assert missing_kernels_message("cython") is None
    message = missing_kernels_message("python")
    assert message is not None and REINSTALL_COMMAND in message
    monkeypatch.setenv("GIGYA_FAST_NO_EXTENSIONS", "1")
    assert missing_kernels_message("python") is None
