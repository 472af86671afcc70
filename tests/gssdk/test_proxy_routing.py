"""Real CDC host names through a proxy: ``setProxy``, then the environment's proxy variables.

LocalCDC serves TLS with a certificate for ``*.us1.gigya.com`` and
``*.eu1.gigya.com`` from a test CA; the CONNECT proxy of ``tests/client/proxy.py``
pipes every ``CONNECT <host>:443`` to it (the ``routed`` fixture), so the
client resolves nothing, does TLS end to end with SNI and hostname checks for
the real name, and LocalCDC checks the signature over
``https://accounts.us1.gigya.com/...``. Plain-HTTP requests go through the
same kind of proxy in absolute form to a plain LocalCDC. Nothing leaves
127.0.0.1.
"""

from __future__ import annotations

from typing import Any, Dict, Iterator, List

import pytest

from gigya_fast.GSSDK import GSRequest
from gigya_fast.testing import LocalCDC
from tests.client.proxy import Proxy

from .conftest import Routed


def via_proxy(routed: Routed, method: str, params: Dict[str, Any], domain: str | None = None) -> GSRequest:
    request = GSRequest(routed.server.api_key, routed.server.partner_secret, method, params)
    if domain is not None:
        request.setAPIDomain(domain)
    request.setProxy(f"127.0.0.1:{routed.proxy.port}")
    return request


@pytest.mark.parametrize(
    ("domain", "method", "host"),
    [
        (None, "accounts.getAccountInfo", "accounts.us1.gigya.com"),
        ("eu1", "accounts.getAccountInfo", "accounts.eu1.gigya.com"),
        ("eu1.gigya.com", "getUserInfo", "socialize.eu1.gigya.com"),
    ],
)
def test_namespace_hosts_through_set_proxy(routed: Routed, domain: str | None, method: str, host: str) -> None:
    uid = routed.server.create_account({"nickname": "Gus"})
    response = via_proxy(routed, method, {"UID": uid}, domain).send()
    assert response.getErrorCode() == 0, response.getErrorMessage()
    [seen] = routed.server.requests
    assert seen.host == host  # and the signature over https://<host>/... verified
    assert routed.proxy.seen == [f"CONNECT {host}:443"]
    assert f"URL='https://{host}/" in response.getLog()


def test_301001_is_rerouted_by_send(routed: Routed) -> None:
    server = routed.server
    uid = server.create_account()
    server.faults.add("accounts.setAccountInfo", error_code=301001, api_domain="eu1.gigya.com")
    response = via_proxy(routed, "accounts.setAccountInfo", {"UID": uid, "data": {"x": 1}}).send()
    assert response.getErrorCode() == 0, response.getErrorMessage()
    assert [(r.host, r.error_code) for r in server.requests] == [
        ("accounts.us1.gigya.com", 301001),
        ("accounts.eu1.gigya.com", 0),
    ]


def test_hostname_checks_stay_on_behind_a_proxy(routed: Routed) -> None:
    """The original disabled hostname checks behind a proxy; the certificate does not cover au1."""
    response = via_proxy(routed, "accounts.getAccountInfo", {"UID": "x"}, "au1").send()
    assert response.getErrorCode() == 500000
    assert "certificate" in response.getErrorMessage()
    assert routed.server.requests == []
    assert routed.proxy.seen == ["CONNECT accounts.au1.gigya.com:443"]


# --- the environment, as urllib read it -------------------------------------------------


@pytest.mark.parametrize("name", ["https_proxy", "HTTPS_PROXY"])
def test_https_proxy_from_the_environment(routed: Routed, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    server = routed.server
    uid = server.create_account({"nickname": "Env"})
    monkeypatch.setenv(name, routed.proxy.url)
    response = GSRequest(server.api_key, server.partner_secret, "accounts.getAccountInfo", {"UID": uid}).send()
    assert response.getErrorCode() == 0, response.getErrorMessage()
    assert routed.proxy.seen == ["CONNECT accounts.us1.gigya.com:443"]
    assert server.requests[-1].host == "accounts.us1.gigya.com"
    assert f"proxy='{routed.proxy.url}'" in response.getLog()


def test_lower_case_wins_over_upper_case(routed: Routed, monkeypatch: pytest.MonkeyPatch) -> None:
    """urllib reads both and prefers the lower-case variable; a dead upper-case one is never tried."""
    with Proxy(lambda host, port: ("127.0.0.1", 9)) as dead:
        monkeypatch.setenv("HTTPS_PROXY", dead.url)
        monkeypatch.setenv("https_proxy", routed.proxy.url)
        server = routed.server
        uid = server.create_account()
        response = GSRequest(server.api_key, server.partner_secret, "accounts.getAccountInfo", {"UID": uid}).send()
        assert response.getErrorCode() == 0, response.getErrorMessage()
        assert dead.seen == []
        assert routed.proxy.seen == ["CONNECT accounts.us1.gigya.com:443"]


@pytest.mark.parametrize("no_proxy", ["accounts.us1.gigya.com", ".us1.gigya.com", "*", "example.org,us1.gigya.com"])
def test_no_proxy_bypasses_the_environment_proxy(
    routed: Routed, monkeypatch: pytest.MonkeyPatch, local_dns: List[str], no_proxy: str
) -> None:
    """A bypassed host is connected to directly (resolved to 127.0.0.1:443 here, where nothing answers)."""
    monkeypatch.setenv("https_proxy", routed.proxy.url)
    monkeypatch.setenv("no_proxy", no_proxy)
    server = routed.server
    response = GSRequest(server.api_key, server.partner_secret, "accounts.getAccountInfo", {"UID": "x"}).send(5)
    assert routed.proxy.seen == []
    assert local_dns == ["accounts.us1.gigya.com"]
    assert response.getErrorCode() in (500000, 504002)
    assert server.requests == []


def test_no_proxy_for_another_host_keeps_the_proxy(routed: Routed, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("https_proxy", routed.proxy.url)
    monkeypatch.setenv("NO_PROXY", "eu1.gigya.com,localhost")
    server = routed.server
    uid = server.create_account()
    response = GSRequest(server.api_key, server.partner_secret, "accounts.getAccountInfo", {"UID": uid}).send()
    assert response.getErrorCode() == 0, response.getErrorMessage()
    assert routed.proxy.seen == ["CONNECT accounts.us1.gigya.com:443"]


def test_set_proxy_wins_over_the_environment(routed: Routed, monkeypatch: pytest.MonkeyPatch) -> None:
    with Proxy(lambda host, port: ("127.0.0.1", 9)) as dead:
        monkeypatch.setenv("https_proxy", dead.url)
        server = routed.server
        uid = server.create_account()
        request = via_proxy(routed, "accounts.getAccountInfo", {"UID": uid})
        assert request.send().getErrorCode() == 0
        assert dead.seen == []
        assert routed.proxy.seen == ["CONNECT accounts.us1.gigya.com:443"]


def test_set_proxy_none_falls_back_to_the_environment(routed: Routed, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("https_proxy", routed.proxy.url)
    server = routed.server
    uid = server.create_account()
    request = GSRequest(server.api_key, server.partner_secret, "accounts.getAccountInfo", {"UID": uid})
    request.setProxy(None)
    assert request.send().getErrorCode() == 0
    assert routed.proxy.seen == ["CONNECT accounts.us1.gigya.com:443"]


@pytest.fixture
def http_proxy_to(cdc: LocalCDC) -> Iterator[Proxy]:
    """A proxy forwarding absolute-form ``POST http://...`` requests to the plain-HTTP LocalCDC."""
    with Proxy(lambda host, port: ("127.0.0.1", cdc.port)) as proxy:
        yield proxy


@pytest.mark.parametrize("name", ["http_proxy", "HTTP_PROXY"])
def test_plain_http_through_the_environment_proxy(
    cdc: LocalCDC, http_proxy_to: Proxy, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """``useHTTPS=False`` with a secret is plain HTTP to ``<namespace>.<domain>``, as in the original."""
    monkeypatch.setenv(name, http_proxy_to.url)
    uid = cdc.create_account()
    response = GSRequest(cdc.api_key, cdc.partner_secret, "accounts.getAccountInfo", {"UID": uid}, False).send()
    assert response.getErrorCode() == 0, response.getErrorMessage()
    assert http_proxy_to.seen == ["POST http://accounts.us1.gigya.com/accounts.getAccountInfo"]
    assert cdc.requests[-1].host == "accounts.us1.gigya.com"  # signed over http://accounts.us1.gigya.com/...


def test_cgi_scripts_ignore_upper_case_http_proxy(
    cdc: LocalCDC, http_proxy_to: Proxy, monkeypatch: pytest.MonkeyPatch, local_dns: List[str]
) -> None:
    """urllib's CGI rule (CVE-2016-1000110): with REQUEST_METHOD set, HTTP_PROXY may come from a client
    header and is ignored; lower-case http_proxy still counts."""
    monkeypatch.setenv("REQUEST_METHOD", "GET")
    monkeypatch.setenv("HTTP_PROXY", http_proxy_to.url)
    ignored = GSRequest(cdc.api_key, cdc.partner_secret, "accounts.getAccountInfo", {"UID": "x"}, False).send(5)
    assert http_proxy_to.seen == []
    assert local_dns == ["accounts.us1.gigya.com"]  # straight to the host (127.0.0.1:80 here)
    assert ignored.getErrorCode() in (500000, 504002)
    monkeypatch.setenv("http_proxy", http_proxy_to.url)
    uid = cdc.create_account()
    used = GSRequest(cdc.api_key, cdc.partner_secret, "accounts.getAccountInfo", {"UID": uid}, False).send(5)
    assert used.getErrorCode() == 0, used.getErrorMessage()
    assert http_proxy_to.seen == ["POST http://accounts.us1.gigya.com/accounts.getAccountInfo"]


def test_base_url_requests_use_the_environment_proxy_unless_bypassed(
    cdc: LocalCDC, http_proxy_to: Proxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    uid = cdc.create_account()
    monkeypatch.setenv("http_proxy", http_proxy_to.url)
    request = GSRequest(cdc.api_key, cdc.partner_secret, "accounts.getAccountInfo", {"UID": uid})
    request.setAPIDomain(cdc.url)
    assert request.send().getErrorCode() == 0
    assert http_proxy_to.seen == [f"POST {cdc.url}/accounts.getAccountInfo"]
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    assert request.send().getErrorCode() == 0
    assert len(http_proxy_to.seen) == 1  # the second call went straight to the server
    assert len(cdc.requests) == 2


def test_a_changed_proxy_variable_is_seen_at_once(routed: Routed, monkeypatch: pytest.MonkeyPatch) -> None:
    server = routed.server
    uid = server.create_account()
    with Proxy(lambda host, port: ("127.0.0.1", server.port)) as second:
        for proxy in (routed.proxy, second, routed.proxy):
            monkeypatch.setenv("https_proxy", proxy.url)
            request = GSRequest(server.api_key, server.partner_secret, "accounts.getAccountInfo", {"UID": uid})
            assert request.send().getErrorCode() == 0
            assert proxy.seen == ["CONNECT accounts.us1.gigya.com:443"]  # the first call through each opens the tunnel
        assert len(server.requests) == 3  # the third reused the first tunnel


def test_other_spellings_are_read_again_after_the_recheck_interval(monkeypatch: pytest.MonkeyPatch) -> None:
    """urllib also reads e.g. ``Https_Proxy``; such a change is seen once the cached decision expires."""
    from gigya_fast._gssdk import target

    url = "https://accounts.us1.gigya.com/accounts.getAccountInfo"
    monkeypatch.setattr(target, "PROXY_RECHECK", 0.0)
    assert target.proxy_for(url, None) is None
    monkeypatch.setenv("Https_Proxy", "proxy.example:3128")
    assert target.proxy_for(url, None) == "http://proxy.example:3128"
    assert target.proxy_for(url, "explicit.example:8080") == "http://explicit.example:8080"
    monkeypatch.setenv("no_proxy", "us1.gigya.com")
    assert target.proxy_for(url, None) is None
    assert target.proxy_for(url, "explicit.example:8080") is None  # no_proxy applies to setProxy too, as in urllib


def test_the_pooled_client_reads_nothing_else_from_the_environment(
    cdc: LocalCDC, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    """The drop-in reads the environment the way urllib did and nothing more. urllib's opener never used
    ``all_proxy``, and CA bundle variables did not replace the original's CA file: the plain Client
    honours both, the drop-in's pooled client must not."""
    with Proxy(lambda host, port: ("127.0.0.1", cdc.port)) as unused:
        monkeypatch.setenv("ALL_PROXY", unused.url)
        monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "missing.pem"))
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tmp_path / "missing.pem"))
        uid = cdc.create_account()
        request = GSRequest(cdc.api_key, cdc.partner_secret, "accounts.getAccountInfo", {"UID": uid})
        request.setAPIDomain(cdc.url)
        response = request.send()
        assert response.getErrorCode() == 0, response.getErrorMessage()
        assert unused.seen == []
