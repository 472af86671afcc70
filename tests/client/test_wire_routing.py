"""Data-center routing, 301001 re-routing, proxies and TLS checks on the wire.

Real CDC host names (``accounts.eu1.gigya.com``) are reached through a local
intercepting proxy: the client sends ``CONNECT accounts.eu1.gigya.com:443``,
verifies a certificate for that name (from a test CA it trusts), and the
proxy forwards the plaintext to LocalCDC over TLS, Host header unchanged, so
LocalCDC checks the signature over ``https://accounts.eu1.gigya.com/...``.
Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import base64
from typing import Any, Callable, Iterator, Tuple

import pytest
import trustme

from gigya_fast.errors import ConnectionFailedError, DataCenterError
from gigya_fast.testing import LocalCDC

from .proxy import Proxy


@pytest.fixture(scope="module")
def mitm_ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def mitm_ca_path(mitm_ca: trustme.CA, tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("mitm") / "ca.pem"
    mitm_ca.cert_pem.write_to_path(str(path))
    return str(path)


@pytest.fixture
def mitm(cdc_tls: Any, mitm_ca: trustme.CA) -> Iterator[Proxy]:
    """Every CONNECT goes to LocalCDC (TLS), intercepted with certificates from ``mitm_ca``."""
    with Proxy(lambda host, port: ("127.0.0.1", cdc_tls.port), mitm_ca=mitm_ca, upstream_ca=cdc_tls.ca_path) as proxy:
        yield proxy


def _client(make_client: Callable[..., Any], cdc: Any, proxy: Proxy, ca: str, **kw: Any) -> Any:
    kw.setdefault("retries", 0)
    return make_client(cdc.api_key, user_key=cdc.user_key, secret=cdc.user_secret, proxy_url=proxy.url, ca_certs=ca,
                       **kw)


@pytest.mark.parametrize(
    ("data_center", "method", "host"),
    [
        ("us1", "accounts.getAccountInfo", "accounts.us1.gigya.com"),
        ("eu1", "accounts.getAccountInfo", "accounts.eu1.gigya.com"),
        ("cn1", "accounts.getAccountInfo", "accounts.cn1.sapcdm.cn"),
        ("au1.gigya.com", "getUserInfo", "socialize.au1.gigya.com"),
    ],
)
def test_data_center_hosts(
    make_client: Callable[..., Any],
    cdc_tls: Any, mitm: Proxy, mitm_ca_path: str, data_center: str, method: str, host: str
) -> None:
    uid = cdc_tls.accounts[0]["UID"]
    with _client(make_client, cdc_tls, mitm, mitm_ca_path, data_center=data_center) as client:
        assert client.call(method, UID=uid).ok
    [seen] = cdc_tls.requests
    assert seen.host == host and seen.auth_mode == "user_sig"  # signature valid for https://<host>/...
    assert mitm.seen == ["CONNECT %s:443" % host]


def test_301001_reroutes_and_remembers(
    make_client: Callable[..., Any], cdc_tls: Any, mitm: Proxy, mitm_ca_path: str
) -> None:
    uid = cdc_tls.accounts[0]["UID"]
    cdc_tls.faults.add("accounts.setAccountInfo", error_code=301001, api_domain="eu2.gigya.com")
    with _client(make_client, cdc_tls, mitm, mitm_ca_path, data_center="us1") as client:
        assert client.call("accounts.setAccountInfo", UID=uid, data={"x": 1}).ok  # a write, re-routed anyway
        assert client.api_domain == "eu2.gigya.com"
        assert client.call("accounts.getAccountInfo", UID=uid).ok
    hosts = [(r.host, r.error_code) for r in cdc_tls.requests]
    assert hosts == [
        ("accounts.us1.gigya.com", 301001),
        ("accounts.eu2.gigya.com", 0),
        ("accounts.eu2.gigya.com", 0),
    ]
    first, second = cdc_tls.requests[:2]
    assert first.params["nonce"] != second.params["nonce"] and second.auth_mode == "user_sig"


def test_301001_with_base_url_is_an_error(make_client: Callable[..., Any], cdc: Any) -> None:
    cdc.faults.add("accounts.getAccountInfo", error_code=301001, api_domain="eu2.gigya.com")
    with make_client(cdc.api_key, secret=cdc.partner_secret, base_url=cdc.url) as client:
        with pytest.raises(DataCenterError) as info:
            client.call("accounts.getAccountInfo", UID="x")
    assert info.value.response is not None and info.value.response["apiDomain"] == "eu2.gigya.com"
    assert len(cdc.requests) == 1


def test_https_through_a_connect_tunnel(make_client: Callable[..., Any], cdc_tls: Any) -> None:
    with Proxy() as proxy:
        with make_client(cdc_tls.api_key, secret=cdc_tls.partner_secret, base_url=cdc_tls.url,
                    ca_certs=cdc_tls.ca_path, proxy_url=proxy.url) as client:
            assert client.call("accounts.getAccountInfo", UID=cdc_tls.accounts[0]["UID"]).ok
            assert client.call("accounts.getAccountInfo", UID=cdc_tls.accounts[0]["UID"]).ok
        assert proxy.seen == ["CONNECT 127.0.0.1:%d" % cdc_tls.port]  # one tunnel, kept alive
    assert [r.auth_mode for r in cdc_tls.requests] == ["partner_sig"] * 2


def test_proxy_credentials_become_basic_auth(make_client: Callable[..., Any], cdc_tls: Any) -> None:
    with Proxy() as proxy:
        proxy_url = "http://user:p%%40ss@127.0.0.1:%d" % proxy.port
        with make_client(cdc_tls.api_key, secret=cdc_tls.partner_secret, base_url=cdc_tls.url,
                    ca_certs=cdc_tls.ca_path, proxy_url=proxy_url) as client:
            assert client.call("accounts.getAccountInfo", UID=cdc_tls.accounts[0]["UID"]).ok
            assert "p%40ss" not in repr(client) and "p@ss" not in repr(client)
        expected = "Proxy-Authorization: Basic " + base64.b64encode(b"user:p@ss").decode()
        assert expected.lower() in proxy.heads[0].lower()


def test_plain_http_through_a_proxy(make_client: Callable[..., Any], cdc: Any) -> None:
    with Proxy() as proxy:
        with make_client(cdc.api_key, secret=cdc.partner_secret, base_url=cdc.url, proxy_url=proxy.url) as client:
            assert client.call("accounts.getAccountInfo", UID=cdc.accounts[0]["UID"]).ok
        assert proxy.seen == ["POST %s/accounts.getAccountInfo" % cdc.url]
    assert cdc.requests[0].auth_mode == "partner_sig"


def test_interception_without_trusting_its_ca_is_refused(
    make_client: Callable[..., Any], cdc_tls: Any, mitm: Proxy
) -> None:
    with _client(make_client, cdc_tls, mitm, cdc_tls.ca_path, data_center="eu1", retries=3) as client:
        with pytest.raises(ConnectionFailedError) as info:
            client.call("accounts.getAccountInfo", UID="x", retry=True)
    assert "certificate" in str(info.value).lower()
    assert cdc_tls.requests == [] and len(mitm.seen) == 1  # TLS failures are not retried


@pytest.fixture(scope="module")
def wrong_name_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tuple[LocalCDC, str]]:
    """LocalCDC whose certificate names ``wrong.example`` only."""
    ca = trustme.CA()
    leaf = ca.issue_cert("wrong.example")
    folder = tmp_path_factory.mktemp("wrongname")
    cert, key, ca_file = folder / "cert.pem", folder / "key.pem", folder / "ca.pem"
    leaf.cert_chain_pems[0].write_to_path(str(cert))
    leaf.private_key_pem.write_to_path(str(key))
    ca.cert_pem.write_to_path(str(ca_file))
    with LocalCDC(certfile=str(cert), keyfile=str(key), ca_path=str(ca_file)) as server:
        yield server, str(ca_file)


def test_hostname_mismatch_is_refused(
    make_client: Callable[..., Any], wrong_name_server: Tuple[LocalCDC, str]
) -> None:
    server, ca_file = wrong_name_server
    with make_client(server.api_key, secret=server.partner_secret, base_url=server.url, ca_certs=ca_file) as client:
        with pytest.raises(ConnectionFailedError) as info:
            client.call("accounts.getAccountInfo", UID="x")
    assert "hostname" in str(info.value).lower() or "match" in str(info.value).lower()
    assert server.requests == []


def test_hostname_mismatch_is_refused_through_a_proxy(
    make_client: Callable[..., Any], wrong_name_server: Tuple[LocalCDC, str]
) -> None:
    server, ca_file = wrong_name_server
    with Proxy() as proxy:
        with make_client(server.api_key, secret=server.partner_secret, base_url=server.url, ca_certs=ca_file,
                    proxy_url=proxy.url) as client:
            with pytest.raises(ConnectionFailedError):
                client.call("accounts.getAccountInfo", UID="x")
    assert server.requests == []


def test_connection_refused(make_client: Callable[..., Any], fast_retries: Any) -> None:
    with make_client("3_k", base_url="http://127.0.0.1:9", retries=fast_retries) as client:
        with pytest.raises(ConnectionFailedError) as info:
            client.call("accounts.setAccountInfo", UID="x")
    assert info.value.error_code == 500000 and "127.0.0.1:9" in str(info.value)
