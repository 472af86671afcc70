"""``gigya-fast serve`` in a real subprocess."""

from __future__ import annotations

import base64
import os
import signal
import subprocess
import sys
import time
from typing import Dict, List

import pytest

from gigya_fast.cli import main
from gigya_fast.cli.serve import parse_user_key

from ._wire import fresh, signed_body

SECRET = base64.b64encode(b"cli-test-secret-24-bytes").decode()


def _start(args: List[str]) -> tuple[subprocess.Popen[str], Dict[str, str]]:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "gigya_fast", "serve", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    info: Dict[str, str] = {}
    assert proc.stdout is not None
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        if line.startswith("LocalCDC listening on "):
            info["url"] = line.split()[3]
        elif ":" in line and line.startswith("  "):
            key, _, value = line.strip().partition(":")
            info[key] = (info[key] + "\n" if key in info else "") + value.strip()
        if line.startswith("Press Ctrl-C"):
            return proc, info
    proc.kill()
    raise AssertionError(f"serve did not start: {proc.stderr.read()}" if proc.stderr else "")


def _stop(proc: subprocess.Popen[str]) -> str:
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=10)
    assert proc.returncode == 0
    return out


def test_serve_prints_credentials_and_answers() -> None:
    import urllib3

    proc, info = _start(
        ["--api-key", "3_cli", "--user-key", "CLIKEY:" + SECRET, "--user-key", "OTHER", "--seed-accounts", "3"]
    )
    try:
        assert info["url"].startswith("http://127.0.0.1:")
        assert info["apiKey"] == "3_cli" and info["accounts"] == "3 seeded"
        keys = info["user key"].splitlines()
        assert keys[0] == f"CLIKEY  secret: {SECRET}" and keys[1].startswith("OTHER  secret: ")

        class Fake:
            api_key = "3_cli"

        params = fresh(Fake(), "CLIKEY", query="SELECT count(*) FROM accounts")  # type: ignore[arg-type]
        body = signed_body(info["url"] + "/accounts.search", params, SECRET)
        response = urllib3.PoolManager().request(
            "POST",
            info["url"] + "/accounts.search",
            body=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert response.json()["results"] == [{"count(*)": 3}]
    finally:
        out = _stop(proc)
    assert "stopped." in out


def test_serve_tls_prints_ca() -> None:
    pytest.importorskip("trustme")
    proc, info = _start(["--tls"])
    try:
        assert info["url"].startswith("https://") and os.path.exists(info["CA (trust it)"])
    finally:
        _stop(proc)


def test_parse_user_key() -> None:
    assert parse_user_key("K:c2VjcmV0") == ("K", "c2VjcmV0")
    assert parse_user_key("K") == ("K", None)
    with pytest.raises(ValueError):
        parse_user_key(":x")


def test_bad_arguments_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--partner-secret", "not base64!"]) == 2
    assert "gigya-fast serve:" in capsys.readouterr().err
    assert main(["serve", "--user-key", "K:%%%"]) == 2
