"""GSRequest behaviour that needs no server: client-side error codes without a network
call, per-instance state, parameter handling, the client configuration chosen."""

from __future__ import annotations

import json
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
    assert response.getErrorMessage() == "Required parameter is missing"
    assert response.getResponseText() == '{errorCode:400002,errorMessage:"Required parameter is missing"}'
    assert response.getData() == {}


@pytest.mark.parametrize("method", [None, "", "/"])
def test_missing_method_is_400002_without_network(no_network: List[Any], method: Any) -> None:
    """The original sent a request to ``/socialize.`` here; a call without a method cannot succeed."""
    response = GSRequest("key", SECRET, method).send()
    assert response.getErrorCode() == 400002


def test_missing_ca_file_is_400003_without_network(no_network: List[Any], tmp_path: Any) -> None:
    GSRequest.setCACertsPath(str(tmp_path / "nope.pem"))
    response = GSRequest("key", SECRET, "accounts.getAccountInfo").send()
    assert response.getErrorCode() == 400003


@pytest.mark.parametrize("timeout", [-5, float("nan"), "-1"])
def test_impossible_timeout_is_500000_without_network(no_network: List[Any], timeout: Any) -> None:
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


def test_invalid_json_params_raise_value_error_as_in_the_original() -> None:
    with pytest.raises(json.JSONDecodeError):
        GSRequest("key", SECRET, "m", "not json")
    with pytest.raises(ValueError):
        GSRequest("key", SECRET, "m", "[1, 2]")
    with pytest.raises(TypeError):
        GSRequest("key", SECRET, "m", 42)  # type: ignore[arg-type]


def test_send_adds_format_and_http_status_codes_to_the_params(no_network: List[Any]) -> None:
    """As the original did (and a ``format`` set by the caller is kept)."""
    request = GSRequest(None, SECRET, "m", {"UID": "u"})
    request.send()
    assert request.getParams() == {"UID": "u", "format": "json"}  # 400002 comes before httpStatusCodes


def test_no_state_shared_between_instances() -> None:
    """The original kept mutable defaults on the class: params and logs leaked between requests."""
    first = GSRequest("k1", SECRET, "m")
    second = GSRequest("k2", SECRET, "m")
    first.setParam("only_first", "x")
    first.setAPIDomain("eu1.gigya.com")
    first.setProxy("proxy.example:3128")
    assert second.getParams() == {}
    assert second.getAPIDomain() == "us1.gigya.com"
    assert first.getAPIDomain() == "eu1.gigya.com"
    assert first._traceLog is not second._traceLog
    mutable = [
        name
        for name, value in vars(GSRequest).items()
        if not name.startswith("__") and isinstance(value, (dict, list, set))
    ]
    assert mutable == []
    assert GSRequest()._traceLog == [] and GSRequest()._params == {}


def test_set_api_domain_stores_the_value_and_resolves_when_sending() -> None:
    request = GSRequest("k", SECRET, "m")
    assert request._apiDomain == "us1.gigya.com"
    request.setAPIDomain("eu1")
    assert request._apiDomain == "eu1" and request.getAPIDomain() == "eu1.gigya.com"
    request.setAPIDomain("http://127.0.0.1:8080/")
    assert request.getAPIDomain() == "http://127.0.0.1:8080"
    request.setAPIDomain("")
    assert request._apiDomain == "" and request.getAPIDomain() == "us1.gigya.com"
    request.setAPIDomain(None)
    assert request._apiDomain == "us1.gigya.com"


def test_repr_never_shows_the_secret() -> None:
    request = GSRequest("KEY", SECRET, "accounts.login", {"loginID": "a@b.c", "password": "hunter2"})
    assert SECRET not in repr(request) and "hunter2" not in repr(request)


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


def test_only_signed_requests_use_plain_http(monkeypatch: pytest.MonkeyPatch) -> None:
    """The original: ``https if (useHTTPS or not secret) else http``."""
    seen = _capture_config(monkeypatch)
    GSRequest("TOKEN", None, "accounts.getAccountInfo", useHTTPS=False).send()
    assert seen[-1].base_url is None and seen[-1].access_token == "TOKEN" and seen[-1].api_key is None


@pytest.mark.parametrize("bad", [".gigya.com", "gigya", "a b.com", "accounts..gigya.com"])
def test_unusable_api_domain_is_500000(monkeypatch: pytest.MonkeyPatch, bad: str) -> None:
    seen = _capture_config(monkeypatch)
    request = GSRequest("k", SECRET, "accounts.getAccountInfo")
    request.setAPIDomain(bad)
    response = request.send()
    assert response.getErrorCode() == 500000
    assert seen == []


def test_mtls_config_carries_no_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _capture_config(monkeypatch)
    GSRequest("k", SECRET, "accounts.getAccountInfo", userKey="UK", certFile=b"CERT", keyFile=b"KEY").send()
    config = seen[-1]
    assert config.client_cert == b"CERT" and config.client_key == b"KEY"
    assert config.secret is None and config.user_key is None
    assert config.base_url == "https://mtls.us1.gigya.com"
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
