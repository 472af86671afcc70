"""A user's session credential (``login_token`` from ``accounts.login``): sent
with the API key only, as a browser or app sends it; never signed, never with
a secret or user key, never shown."""

from __future__ import annotations

from typing import Any, Callable, Iterator
from urllib.parse import parse_qsl

import pytest

from gigya_fast.errors import ConfigurationError

from .hostile import HostileServer

TOKEN = "st2.s.AcbHt0kWlg.session-token-value"


@pytest.fixture(scope="module")
def recorder() -> Iterator[HostileServer]:
    with HostileServer() as server:
        yield server


def test_exactly_api_key_and_token_on_the_wire(make_client: Callable[..., Any], recorder: HostileServer) -> None:
    client = make_client("3_key", login_token=TOKEN, base_url=recorder.url + "/ok")
    assert client.auth_mode == "session"
    before = len(recorder.bodies)
    assert client.call("accounts.getAccountInfo", include="profile").ok
    sent = dict(parse_qsl(recorder.bodies[before].decode(), keep_blank_values=True, strict_parsing=True))
    assert sent.pop("sdk").startswith("gigya_fast_python_")
    assert sent == {"apiKey": "3_key", "include": "profile", "format": "json", "httpStatusCodes": "false",
                    "login_token": TOKEN}


def test_local_cdc_records_a_session_call(make_client: Callable[..., Any], cdc: Any) -> None:
    client = make_client(cdc.api_key, login_token=TOKEN, base_url=cdc.url, retries=0)
    client.call("accounts.getAccountInfo", raise_on_error=False)
    [seen] = cdc.requests
    assert seen.method == "accounts.getAccountInfo" and seen.params["apiKey"] == cdc.api_key
    assert seen.params["login_token"] in (TOKEN, "***")  # LocalCDC may redact it in its records
    for absent in ("sig", "timestamp", "nonce", "userKey", "secret", "oauth_token"):
        assert absent not in seen.params
    assert "Authorization" not in seen.headers


def test_the_token_never_shows(make_client: Callable[..., Any], recorder: HostileServer) -> None:
    client = make_client("3_key", login_token=TOKEN, base_url=recorder.url + "/ok")
    response = client.call("accounts.getAccountInfo")
    for text in (repr(client), repr(response), repr(vars(client)), repr(vars(client._auth))):  # noqa: SLF001
        assert TOKEN not in text
    assert "session" in repr(client)


@pytest.mark.parametrize(
    "kw",
    [
        {"secret": "c2VjcmV0"},
        {"user_key": "AKEY"},
        {"access_token": "t"},
        {"auth": "signed"},
    ],
)
def test_a_session_takes_no_other_credential(make_client: Callable[..., Any], kw: Any) -> None:
    with pytest.raises(ConfigurationError):
        make_client("3_key", login_token=TOKEN, data_center="eu1", **kw)


def test_a_session_never_goes_in_clear_to_a_remote_host(make_client: Callable[..., Any]) -> None:
    with pytest.raises(ConfigurationError):
        make_client("3_key", login_token=TOKEN, base_url="http://gateway.example.com")
    with pytest.raises(ConfigurationError):
        make_client("3_key", login_token="", data_center="eu1")
    assert make_client("3_key", login_token=TOKEN, auth="session", data_center="eu1").auth_mode == "session"
