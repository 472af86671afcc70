"""GSRequest behaviour that needs no server: client-side error codes without a network
call, per-instance state, parameter handling, redaction."""

from __future__ import annotations

from typing import Any, Iterator, List

import pytest

from gigya_fast._gssdk import pools
from gigya_fast.GSSDK import GSObject, GSRequest

SECRET = "c2VjcmV0LXNlY3JldC1zZWNyZXQ="


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[List[Any]]:
    """Fail the test if a client is ever requested (i.e. a network call attempted)."""
    calls: List[Any] = []

    def forbidden(config: Any) -> Any:
        calls.append(config)
        raise AssertionError("no client (and no network call) expected")

    monkeypatch.setattr(pools, "get_client", forbidden)
    yield calls
    assert calls == []


def test_missing_api_key_is_400002_without_network(no_network: List[Any]) -> None:
    response = GSRequest(None, SECRET, "accounts.getAccountInfo", {"UID": "u"}).send()
    assert response.getErrorCode() == 400002
    assert "apiKey" in (response.getErrorMessage() or "")
    assert response.getData().getInt("errorCode") == 400002


def test_empty_api_key_is_400002_without_network(no_network: List[Any]) -> None:
    assert GSRequest("", SECRET, "accounts.getAccountInfo").send().getErrorCode() == 400002


def test_missing_method_is_400002_without_network(no_network: List[Any]) -> None:
    response = GSRequest("key", SECRET, None).send()
    assert response.getErrorCode() == 400002
    assert "apiMethod" in (response.getErrorMessage() or "")


def test_missing_ca_file_is_400003_without_network(no_network: List[Any], tmp_path: Any) -> None:
    GSRequest.setCACertsPath(str(tmp_path / "nope.pem"))
    try:
        response = GSRequest("key", SECRET, "accounts.getAccountInfo").send()
    finally:
        GSRequest.setCACertsPath(None)
    assert response.getErrorCode() == 400003


def test_unserialisable_param_is_500000_without_network(no_network: List[Any]) -> None:
    request = GSRequest("key", SECRET, "accounts.setAccountInfo", {"data": {1, 2}})
    response = request.send()
    assert response.getErrorCode() == 500000
    assert "data" in (response.getErrorMessage() or "")
    nan = GSRequest("key", SECRET, "accounts.setAccountInfo", {"x": float("nan")}).send()
    assert nan.getErrorCode() == 500000


@pytest.mark.parametrize("timeout", [0, -5, "100", True])
def test_bad_timeout_is_500000_without_network(no_network: List[Any], timeout: Any) -> None:
    assert GSRequest("key", SECRET, "m", {}).send(timeout).getErrorCode() == 500000


def test_params_forms_and_copy_semantics() -> None:
    original = {"UID": "u1", "flag": True}
    request = GSRequest("key", SECRET, "m", original)
    request.setParam("extra", 1)
    assert original == {"UID": "u1", "flag": True}, "the caller's dict must not be modified"
    assert request.getParams() == {"UID": "u1", "flag": True, "extra": 1}
    assert isinstance(request.getParams(), GSObject)
    assert GSRequest("key", SECRET, "m", '{"a": [1]}').getParams() == {"a": [1]}
    assert GSRequest("key", SECRET, "m", GSObject({"a": 1})).getParams() == {"a": 1}
    assert GSRequest("key", SECRET, "m", None).getParams() == {}


def test_no_state_shared_between_instances() -> None:
    """The original kept mutable defaults on the class: params leaked between requests."""
    first = GSRequest("k1", SECRET, "m")
    second = GSRequest("k2", SECRET, "m")
    first.setParam("only_first", "x")
    first.setAPIDomain("eu1.gigya.com")
    first.setProxy("proxy.example:3128")
    assert second.getParams() == {}
    assert second.getAPIDomain() == "us1.gigya.com"
    assert first.getAPIDomain() == "eu1.gigya.com"
    assert not [name for name, value in vars(GSRequest).items() if isinstance(value, (dict, list, set))]


def test_set_api_domain_forms() -> None:
    request = GSRequest("k", SECRET, "m")
    request.setAPIDomain("eu1")
    assert request.getAPIDomain() == "eu1.gigya.com"
    request.setAPIDomain("http://127.0.0.1:8080/")
    assert request.getAPIDomain() == "http://127.0.0.1:8080"
    request.setAPIDomain(None)
    assert request.getAPIDomain() == "us1.gigya.com"
    request.setAPIDomain()
    assert request.getAPIDomain() == "us1.gigya.com"


def test_repr_and_log_never_show_the_secret(no_network: List[Any]) -> None:
    request = GSRequest(None, SECRET, "accounts.login", {"loginID": "a@b.c", "password": "hunter2", "secret": SECRET})
    response = request.send()
    assert SECRET not in repr(request)
    log = response.getLog()
    assert "apiMethod=accounts.login" in log
    assert SECRET not in log
    assert "hunter2" not in log
    assert "a@b.c" in log


def _capture_config(monkeypatch: pytest.MonkeyPatch) -> List[pools.ClientConfig]:
    seen: List[pools.ClientConfig] = []

    def capture(config: pools.ClientConfig) -> Any:
        seen.append(config)
        raise RuntimeError("captured")

    monkeypatch.setattr(pools, "get_client", capture)
    return seen


def test_https_is_the_default_and_http_is_per_namespace(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _capture_config(monkeypatch)
    assert GSRequest("k", SECRET, "accounts.getAccountInfo").send().getErrorCode() == 500000
    assert seen[-1].base_url is None and seen[-1].api_domain == "us1.gigya.com"  # https://accounts.us1.gigya.com

    plain = GSRequest("k", SECRET, "getUserInfo", useHTTPS=False)
    plain.setAPIDomain("eu1")
    plain.send()
    assert seen[-1].base_url == "http://socialize.eu1.gigya.com"

    local = GSRequest("k", SECRET, "accounts.getAccountInfo", useHTTPS=False)
    local.setAPIDomain("http://127.0.0.1:9")
    local.send()
    assert seen[-1].base_url == "http://127.0.0.1:9"


def test_mtls_config_carries_no_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _capture_config(monkeypatch)
    GSRequest("k", SECRET, "accounts.getAccountInfo", userKey="UK", certFile=b"CERT", keyFile=b"KEY").send()
    config = seen[-1]
    assert config.client_cert == b"CERT" and config.client_key == b"KEY"
    assert config.secret is None and config.user_key is None
    assert SECRET not in repr(config) and "CERT" not in repr(config)


def test_proxy_forms(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _capture_config(monkeypatch)
    request = GSRequest("k", SECRET, "accounts.getAccountInfo")
    request.setProxy("proxy.example:3128")
    request.send()
    assert seen[-1].proxy_url == "http://proxy.example:3128"
    request.setProxy("http://user:pw@proxy.example:3128")
    response = request.send()
    assert seen[-1].proxy_url == "http://user:pw@proxy.example:3128"
    assert "pw@" not in repr(seen[-1]) and "pw@" not in response.getLog()
    request.setProxy(None)
    request.send()
    assert seen[-1].proxy_url is None
