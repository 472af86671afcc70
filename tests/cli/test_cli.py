"""The command line: the README's main job (`gigya-fast demo`) end to end, entry points, argument errors."""

from __future__ import annotations

import subprocess
import sys

import pytest

from gigya_fast.cli import main


def test_demo_passes_every_check(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["demo", "--accounts", "12", "--page-size", "5", "--workers", "3"])
    out = capsys.readouterr().out
    assert status == 0, out
    assert "PASSED: 15 checks" in out  # 12 through Client, 3 through AsyncClient (the test extra has aiohttp)
    assert "12 results in 3 pages" in out
    assert "12 created + 12 updated events, 0 invalid" in out
    assert "read back in order, concurrency 16" in out and "skip" not in out


def test_demo_plain_http_without_jwt_checks_still_signs(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["demo", "--accounts", "3", "--plain-http"])
    out = capsys.readouterr().out
    assert status == 0, out
    assert "(plain HTTP)" in out


def test_demo_rejects_bad_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--accounts", "0"]) == 2


def test_console_entry_point_runs() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "gigya_fast", "info"], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 0
    assert "implementation:" in proc.stdout


def test_unrecognised_arguments_are_not_echoed(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc_info:
        main(["info", "--secret", "c2VjcmV0LXZhbHVlLTEyMzQ="])
    assert exc_info.value.code == 2
    err = capsys.readouterr().err
    assert "c2VjcmV0LXZhbHVlLTEyMzQ=" not in err
    assert "2 unrecognized argument(s)" in err


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gigya_fast", *args], capture_output=True, text=True, timeout=60, check=False
    )


def test_version_option() -> None:
    from gigya_fast import __version__

    proc = run_cli("--version")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"gigya-fast {__version__}"


def test_webhooks_without_an_action_prints_its_own_help_and_exits_2() -> None:
    proc = run_cli("webhooks")
    assert proc.returncode == 2
    assert "usage: gigya-fast webhooks" in proc.stderr and "verify" in proc.stderr
    assert "COMMAND" not in proc.stderr, "the webhooks help, not the top-level one"
    assert "Traceback" not in proc.stderr


def test_no_command_prints_the_top_level_help_and_exits_2() -> None:
    proc = run_cli()
    assert proc.returncode == 2
    assert "usage: gigya-fast" in proc.stderr and "webhooks" in proc.stderr


def test_every_subcommand_module_is_registered() -> None:
    # The parser imports each subcommand: a missing module is an error, not a silently absent command.
    from gigya_fast.cli import _COMMANDS, build_parser

    help_text = build_parser().format_help()
    assert all(name in help_text for name in _COMMANDS)
