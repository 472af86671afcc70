"""Proxies and CA bundles from the environment, as requests and httpx read them:
honoured by default, ignored with ``trust_env=False``, and always second to an
explicit argument. Proxies are real CONNECT proxies on 127.0.0.1 that count
the tunnels they served."""

from __future__ import annotations

import base64
import logging
from typing import Any, Callable, Dict, Iterator

import certifi
import pytest

from gigya_fast.errors import ConfigurationError, ConnectionFailedError
from gigya_fast.rest.environment import ProxyRoutes, env_ca_certs, split_proxy_credentials

from .proxy import Proxy

_PROXY_VARS = ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY")
_CA_VARS = ("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "SSL_CERT_DIR", "CURL_CA_BUNDLE")
DEAD = "http://127.0.0.1:9"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Start every test with no proxy or CA variable, whatever the machine has."""
    for name in _PROXY_VARS + _CA_VARS:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


@pytest.fixture
def proxy() -> Iterator[Proxy]:
    with Proxy() as server:
        yield server


def _tls_client(make_client: Callable[..., Any], cdc: Any, **kw: Any) -> Any:
    kw.setdefault("retries", 0)
    kw.setdefault("ca_certs", cdc.ca_path)
    return make_client(cdc.api_key, secret=cdc.partner_secret, base_url=cdc.url, **kw)


def _uid(cdc: Any) -> str:
    return str(cdc.accounts[0]["UID"])


def test_https_proxy_from_the_environment(
    make_client: Callable[..., Any], cdc_tls: Any, proxy: Proxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    client = _tls_client(make_client, cdc_tls)
    for _ in range(3):
        assert client.call("accounts.getAccountInfo", UID=_uid(cdc_tls)).ok
    assert proxy.seen == ["CONNECT 127.0.0.1:%d" % cdc_tls.port]  # one tunnel, kept alive
    assert "proxy from environment" in repr(client)
    assert [r.auth_mode for r in cdc_tls.requests] == ["partner_sig"] * 3


def test_a_dead_environment_proxy_fails_unless_trust_env_is_off(
    make_client: Callable[..., Any], cdc_tls: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("https_proxy", DEAD)
    with pytest.raises(ConnectionFailedError):
        _tls_client(make_client, cdc_tls).call("accounts.getAccountInfo", UID=_uid(cdc_tls))
    assert cdc_tls.requests == []
    assert _tls_client(make_client, cdc_tls, trust_env=False).call("accounts.getAccountInfo", UID=_uid(cdc_tls)).ok


@pytest.mark.parametrize("no_proxy", ["127.0.0.1", "localhost, 127.0.0.1", "*", "127.0.0.0/8", ".0.0.1"])
def test_no_proxy_goes_direct(
    make_client: Callable[..., Any], cdc_tls: Any, proxy: Proxy, monkeypatch: pytest.MonkeyPatch, no_proxy: str
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", no_proxy)
    assert _tls_client(make_client, cdc_tls).call("accounts.getAccountInfo", UID=_uid(cdc_tls)).ok
    assert proxy.seen == []


def test_no_proxy_with_another_port_still_proxies(
    make_client: Callable[..., Any], cdc_tls: Any, proxy: Proxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1:%d,example.com" % (cdc_tls.port + 1))
    assert _tls_client(make_client, cdc_tls).call("accounts.getAccountInfo", UID=_uid(cdc_tls)).ok
    assert len(proxy.seen) == 1


def test_explicit_proxy_wins_over_the_environment(
    make_client: Callable[..., Any], cdc_tls: Any, proxy: Proxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", DEAD)
    monkeypatch.setenv("NO_PROXY", "*")  # not read with an explicit proxy either
    client = _tls_client(make_client, cdc_tls, proxy_url=proxy.url)
    assert client.call("accounts.getAccountInfo", UID=_uid(cdc_tls)).ok
    assert len(proxy.seen) == 1


def test_http_proxy_for_plain_http_only(
    make_client: Callable[..., Any], cdc: Any, proxy: Proxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", DEAD)  # an https proxy does not apply to http URLs
    client = make_client(cdc.api_key, secret=cdc.partner_secret, base_url=cdc.url, retries=0)
    assert client.call("accounts.getAccountInfo", UID=_uid(cdc)).ok
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    client = make_client(cdc.api_key, secret=cdc.partner_secret, base_url=cdc.url, retries=0)
    assert client.call("accounts.getAccountInfo", UID=_uid(cdc)).ok
    assert proxy.seen == ["POST %s/accounts.getAccountInfo" % cdc.url]


def test_all_proxy_is_the_fallback(
    make_client: Callable[..., Any], cdc_tls: Any, proxy: Proxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALL_PROXY", proxy.url)
    assert _tls_client(make_client, cdc_tls).call("accounts.getAccountInfo", UID=_uid(cdc_tls)).ok
    assert len(proxy.seen) == 1


def test_proxy_credentials_from_the_environment_never_show(
    make_client: Callable[..., Any],
    cdc_tls: Any,
    proxy: Proxy,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("HTTPS_PROXY", "http://agent:s3cr%%21t@127.0.0.1:%d" % proxy.port)
    client = _tls_client(make_client, cdc_tls)
    assert client.call("accounts.getAccountInfo", UID=_uid(cdc_tls)).ok
    expected = "Proxy-Authorization: Basic " + base64.b64encode(b"agent:s3cr!t").decode()
    assert expected.lower() in proxy.heads[0].lower()
    monkeypatch.setenv("HTTPS_PROXY", "http://agent:s3cr%%21t@127.0.0.1:%d" % 9)
    dead = _tls_client(make_client, cdc_tls)
    with pytest.raises(ConnectionFailedError) as info:
        dead.call("accounts.getAccountInfo", UID=_uid(cdc_tls))
    texts = [repr(client), repr(dead), str(info.value), repr(info.value)]
    texts += [record.getMessage() for record in caplog.records]
    for text in texts:
        assert "s3cr" not in text and "agent" not in text, text


def test_ca_bundle_from_the_environment(
    make_client: Callable[..., Any], cdc_tls: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE"):
        monkeypatch.setenv(name, cdc_tls.ca_path)
        assert _tls_client(make_client, cdc_tls, ca_certs=None).call("accounts.getAccountInfo", UID=_uid(cdc_tls)).ok
        monkeypatch.delenv(name)
    monkeypatch.setenv("SSL_CERT_FILE", cdc_tls.ca_path)
    with pytest.raises(ConnectionFailedError, match="certificate"):  # certifi alone does not know the test CA
        _tls_client(make_client, cdc_tls, ca_certs=None, trust_env=False).call("accounts.getAccountInfo", UID="x")


def test_explicit_ca_wins_over_the_environment(
    make_client: Callable[..., Any], cdc_tls: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", certifi.where())
    assert _tls_client(make_client, cdc_tls).call("accounts.getAccountInfo", UID=_uid(cdc_tls)).ok
    with pytest.raises(ConnectionFailedError, match="certificate"):
        _tls_client(make_client, cdc_tls, ca_certs=None).call("accounts.getAccountInfo", UID="x")


def test_a_missing_environment_ca_file_is_named(make_client: Callable[..., Any], monkeypatch: pytest.MonkeyPatch,
                                                 tmp_path: Any) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tmp_path / "missing.pem"))
    with pytest.raises(ConfigurationError, match="REQUESTS_CA_BUNDLE"):
        make_client("3_k", secret="c2VjcmV0", data_center="eu1")
    make_client("3_k", secret="c2VjcmV0", data_center="eu1", trust_env=False)


# --- the rules, without I/O ---------------------------------------------------------


def _routes(**proxies: str) -> ProxyRoutes:
    return ProxyRoutes(proxies=proxies)


@pytest.mark.parametrize(
    ("no_proxy", "url", "proxied"),
    [
        ("example.com", "https://example.com/x", False),
        ("example.com", "https://accounts.example.com/x", False),
        (".example.com", "https://accounts.example.com/x", False),
        ("*.example.com", "https://accounts.example.com/x", False),
        ("example.com", "https://notexample.com/x", True),
        ("example.com:443", "https://example.com/x", False),
        ("example.com:8443", "https://example.com/x", True),
        ("10.0.0.0/8", "https://10.1.2.3:8443/x", False),
        ("10.0.0.0/8", "https://11.1.2.3/x", True),
        ("EU1.GIGYA.COM", "https://accounts.eu1.gigya.com/x", False),
        ("", "https://example.com/x", True),
        ("*", "https://anything.example/x", False),
    ],
)
def test_no_proxy_rules(no_proxy: str, url: str, proxied: bool) -> None:
    routes = _routes(https="http://proxy:3128", no=no_proxy)
    assert (routes.proxy_for(url) is not None) is proxied


def test_proxy_choice_by_scheme() -> None:
    routes = _routes(https="proxy-s:1", http="http://proxy-h:2", all="https://proxy-a:3")
    assert routes.proxy_for("https://x.example/a") == "http://proxy-s:1"  # a bare host:port is http://
    assert routes.proxy_for("http://x.example/a") == "http://proxy-h:2"
    assert _routes(all="https://proxy-a:3").proxy_for("https://x.example/") == "https://proxy-a:3"
    assert ProxyRoutes("http://explicit:1", proxies={"no": "*"}).proxy_for("https://x.example/") == "http://explicit:1"
    assert ProxyRoutes(trust_env=False).proxy_for("https://x.example/") is None


def test_unsupported_proxy_schemes_are_skipped(caplog: pytest.LogCaptureFixture) -> None:
    routes = _routes(all="socks5://user:pw@proxy:1080")
    assert routes.proxy_for("https://x.example/") is None
    assert "socks5" in caplog.text and "pw" not in caplog.text


def test_ca_variable_order() -> None:
    env: Dict[str, str] = {"SSL_CERT_DIR": "/d", "REQUESTS_CA_BUNDLE": "/r", "SSL_CERT_FILE": " "}
    assert env_ca_certs(env) == ("REQUESTS_CA_BUNDLE", "/r")
    env["SSL_CERT_FILE"] = "/f"
    assert env_ca_certs(env) == ("SSL_CERT_FILE", "/f")
    assert env_ca_certs({}) is None


def test_split_proxy_credentials() -> None:
    url, headers = split_proxy_credentials("http://u%40x:p%3Aw@proxy:3128", {"X-A": "1"})
    assert url == "http://proxy:3128"
    assert headers == {"X-A": "1", "Proxy-Authorization": "Basic " + base64.b64encode(b"u@x:p:w").decode()}
    assert split_proxy_credentials("http://proxy:3128") == ("http://proxy:3128", {})
