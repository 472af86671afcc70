"""The pytest plugin, as a user's test suite meets it: a separate pytest run in a
subprocess (the entry point loads it), with every warning an error, so a socket
the TLS server left open fails the run."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from importlib.metadata import distribution
from pathlib import Path
from typing import List

import pytest

USER_TESTS = """
import urllib3
import pytest

from gigya_fast.rest import Client


def test_plugin_is_loaded_by_its_entry_point(request):
    assert request.config.pluginmanager.hasplugin("gigya_fast")


def test_five_line_example(local_cdc, cdc_client):
    uid = local_cdc.create_account({"email": "ada@example.com"}, password="pw-Ada-1815")
    login = cdc_client.call("accounts.login", loginID="ada@example.com", password="pw-Ada-1815")
    assert login["UID"] == uid
    assert cdc_client.call("accounts.getAccountInfo", UID=uid)["profile"]["email"] == "ada@example.com"


def test_a_test_leaves_state_behind(local_cdc):
    pytest.shared_url = local_cdc.url
    local_cdc.create_account({"email": "left@example.com"})
    local_cdc.faults.add("accounts.search", error_code=500001, times=None)


def test_the_next_test_starts_clean_on_the_same_server(local_cdc, cdc_client):
    assert local_cdc.url == pytest.shared_url
    assert local_cdc.accounts == [] and local_cdc.faults.pending == []
    assert cdc_client.call("accounts.search", query="SELECT count(*) FROM accounts")["results"] == [{"count(*)": 0}]


@pytest.mark.local_cdc(seed_accounts=3)
def test_marker_gives_a_server_of_its_own(local_cdc, cdc_client):
    assert local_cdc.url != pytest.shared_url and len(local_cdc.accounts) == 3
    assert cdc_client.call("accounts.search", query="SELECT count(*) FROM accounts")["results"] == [{"count(*)": 3}]


def test_tls_server(local_cdc_tls):
    assert local_cdc_tls.url.startswith("https://127.0.0.1:")
    pool = urllib3.PoolManager(ca_certs=local_cdc_tls.ca_path, retries=False)
    assert pool.request("POST", local_cdc_tls.url + "/accounts.nothing", body=b"apiKey=x").json()["errorCode"]
    with Client(local_cdc_tls.api_key, user_key=local_cdc_tls.user_key, secret=local_cdc_tls.user_secret,
                base_url=local_cdc_tls.url, ca_certs=local_cdc_tls.ca_path) as client:
        uid = local_cdc_tls.create_account({"email": "grace@example.com"})
        assert client.call("accounts.getAccountInfo", UID=uid)["UID"] == uid


def test_tls_server_is_reset_too(local_cdc_tls):
    assert local_cdc_tls.accounts == []


def test_factory(local_cdc_factory):
    first = local_cdc_factory(seed_accounts=1)
    second = local_cdc_factory(tls=True, clock_offset=-30)
    assert len(first.accounts) == 1 and second.scheme == "https" and second.clock_offset == -30
"""


def _run(tmp_path: Path, *args: str, strict: bool = True) -> subprocess.CompletedProcess[str]:
    """pytest on USER_TESTS in a subprocess; *strict*: every warning an error, unknown markers refused."""
    ini = "filterwarnings = error\naddopts = --strict-markers\n" if strict else ""
    (tmp_path / "pytest.ini").write_text("[pytest]\n" + ini)
    (tmp_path / "test_user_suite.py").write_text(textwrap.dedent(USER_TESTS))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    command: List[str] = [sys.executable, "-X", "dev", *(["-W", "error"] if strict else []), "-m", "pytest"]
    # pytest-asyncio (in our test extra) warns about its own unset option under -W error: not the plugin's doing.
    command += ["-p", "no:cacheprovider", "-p", "no:asyncio"]
    return subprocess.run(
        [*command, *args, str(tmp_path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=False,
    )


def test_entry_point_is_installed() -> None:
    # Read from the distribution's own metadata (entry_points(group=...) needs Python 3.10).
    points = distribution("gigya_fast").entry_points
    found = [e.value for e in points if e.group == "pytest11" and e.name == "gigya_fast"]
    assert found == ["gigya_fast.testing.pytest_plugin"], "reinstall (pip install -e .) to register the entry point"


def test_fixtures_in_a_users_run_with_warnings_as_errors(tmp_path: Path) -> None:
    pytest.importorskip("trustme")
    proc = _run(tmp_path, "-q")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert "8 passed" in out
    assert "ResourceWarning" not in out and "unclosed" not in out


def test_plugin_can_be_turned_off(tmp_path: Path) -> None:
    proc = _run(tmp_path, "-q", "-p", "no:gigya_fast", "-k", "five_line", strict=False)
    assert proc.returncode == 1 and "fixture 'local_cdc' not found" in proc.stdout


def test_plugin_imports_no_optional_dependency() -> None:
    code = (
        "import sys, gigya_fast.testing.pytest_plugin as p; "
        "print(sorted(m for m in ('cryptography', 'trustme') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_tls_fixture_without_the_extra_says_how_to_install(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text("import sys\nsys.modules['trustme'] = None\n")
    proc = _run(tmp_path, "-q", "-k", "tls_server_is_reset")
    assert proc.returncode == 1
    assert "pip install 'gigya_fast[testing]'" in proc.stdout
