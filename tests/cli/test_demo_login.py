"""``gigya-fast demo``: the login hot path, the checks skipped without the extras, the exit status."""

from __future__ import annotations

import subprocess
import sys

import pytest

from gigya_fast.cli import main

LOGIN_CHECKS = [
    "register + log in users (Client)",
    "login UIDSignature (validate_user_signature)",
    "login UIDSignatures (Signer.validate_users)",
    "id_token from the login token (getJWT)",
    "two-factor login by email (outbox code)",
]


def test_demo_runs_the_login_hot_path(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("cryptography")
    status = main(["demo", "--accounts", "6", "--page-size", "4", "--logins", "3", "--plain-http"])
    out = capsys.readouterr().out
    assert status == 0, out
    for name in LOGIN_CHECKS:
        assert f"[ok  ] {name}" in out
    assert "3 users registered, 3 sessions" in out and "3 valid in one batch, 3 swapped rejected" in out
    assert "403101 -> code to t*a@example.com -> session; device remembered" in out
    assert "PASSED: 15 checks" in out and "[skip]" not in out and "skipped" not in out


def test_a_failing_check_fails_the_demo(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from gigya_fast.cli import demo_login

    monkeypatch.setattr(demo_login, "validate_user_signature", lambda *args, **kwargs: False)
    status = main(["demo", "--accounts", "3", "--logins", "2", "--plain-http"])
    out = capsys.readouterr().out
    assert status == 1
    assert "[FAIL] login UIDSignature (validate_user_signature)" in out and "FAILED:" in out


def test_without_the_extras_the_demo_says_what_it_skipped() -> None:
    code = (
        "import sys\n"
        "sys.modules['trustme'] = None\n"  # as if the testing and jwt extras were not installed
        "sys.modules['cryptography'] = None\n"
        "sys.modules['aiohttp'] = None\n"  # and the aio extra
        "from gigya_fast.cli import main\n"
        "sys.exit(main(['demo', '--accounts', '4', '--logins', '2']))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=False)
    out = proc.stdout
    assert proc.returncode == 0, out + proc.stderr
    assert "(plain HTTP)" in out
    assert "[skip] HTTPS with a throwaway CA" in out and "needs the testing extra (trustme)" in out
    assert "[skip] id_token from the login token (getJWT)" in out and "needs the jwt extra (cryptography)" in out
    assert "[skip] async search, call_many, typed error (AsyncClient)" in out and "needs the aio extra (aiohttp)" in out
    assert "PASSED: 10 checks" in out and "skipped 4: " in out
    assert "to run them: pip install 'gigya_fast[aio,jwt,testing]'" in out
    assert "[ok  ] two-factor login by email (outbox code)" in out
    assert "Traceback" not in proc.stderr
