"""The scenarios of the original SDK's own ``GSRequestTest.py``, written anew against the
drop-in's public API, and sent to a server where one is involved.

mTLS host resolution (``_resolve_mtls_domain``), when mutual TLS is configured
(``_has_mtls_config``) and the host ``send()`` picks (``_domain``). The
expected hosts are the original's answers for the same inputs (taken by
running it). ``SigUtilsTest.py``'s scenarios are in ``test_sigutils_hooks.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional, Tuple

import pytest

from gigya_fast.GSSDK import GSRequest

from .conftest import Routed

#: (API domain given to setAPIDomain, mTLS host): the original's resolution.
MTLS_HOSTS: List[Tuple[Optional[str], str]] = [
    (None, "mtls.us1.gigya.com"),
    ("us1.gigya.com", "mtls.us1.gigya.com"),
    ("eu1.gigya.com", "mtls.eu1.gigya.com"),
    ("eu2.gigya.com", "mtls.eu2.gigya.com"),
    ("au1.gigya.com", "mtls.au1.gigya.com"),
    ("global.gigya.com", "mtls.global.gigya.com"),
    ("us1-st1.gigya.com", "mtls.us1-st1.gigya.com"),
    ("", "mtls.us1.gigya.com"),  # empty: no data center, the us1 fallback
    ("gigya.com", "mtls.gigya.gigya.com"),  # the first label, whatever it is
    (".gigya.com", "mtls.us1.gigya.com"),  # empty first label: the fallback
    ("EU1.Gigya.com", "mtls.EU1.gigya.com"),
    ("cn1.sapcdm.cn", "mtls.cn1.gigya.com"),
]


def mtls_request(api_domain: Optional[str] = None, cert: str = "cert.pem", key: Optional[str] = "key.pem") -> GSRequest:
    request = GSRequest("test_key", "test_secret", "accounts.getAccountInfo", None, True, None, cert, key)
    if api_domain is not None:
        request.setAPIDomain(api_domain)
    return request


# --- mTLS host ---------------------------------------------------------------------------


@pytest.mark.parametrize(("api_domain", "host"), MTLS_HOSTS)
def test_mtls_host_follows_the_api_domain(api_domain: Optional[str], host: str) -> None:
    assert mtls_request(api_domain)._resolve_mtls_domain() == host


def test_mtls_host_reads_the_api_domain_attribute() -> None:
    """Code (and the original's tests) may set ``_apiDomain`` directly."""
    request = mtls_request()
    request._apiDomain = ".gigya.com"
    assert request._resolve_mtls_domain() == "mtls.us1.gigya.com"
    request._apiDomain = "au1.gigya.com"
    assert request._resolve_mtls_domain() == "mtls.au1.gigya.com"


@pytest.mark.parametrize(("api_domain", "host"), MTLS_HOSTS)
def test_send_connects_to_the_mtls_host(
    routed_mtls: Routed, monkeypatch: pytest.MonkeyPatch, api_domain: Optional[str], host: str
) -> None:
    """The CONNECT line names the host the client chose; LocalCDC's certificate covers us1 and eu1 only."""
    server = routed_mtls.server
    cert, key = server.issue_client_cert()
    monkeypatch.setenv("https_proxy", routed_mtls.proxy.url)
    uid = server.create_account()
    request = GSRequest(server.api_key, None, "accounts.getAccountInfo", {"UID": uid}, True, None, cert, key)
    request.setAPIDomain(api_domain)
    response = request.send(10)
    assert request._domain == host
    assert routed_mtls.proxy.seen == [f"CONNECT {host.lower()}:443"]
    if host.lower() in ("mtls.us1.gigya.com", "mtls.eu1.gigya.com"):
        assert response.getErrorCode() == 0, response.getErrorMessage()
        recorded = server.requests[-1]
        assert recorded.host.lower() == host.lower() and recorded.auth_mode == "mtls"
        assert "sig" not in recorded.params
    else:
        assert response.getErrorCode() == 500000  # the server's certificate is not for that name
        assert server.requests == []


# --- when mTLS is on ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cert", "key", "mtls"),
    [("cert.pem", "key.pem", True), (None, None, False), ("cert.pem", None, False), (None, "key.pem", False)],
)
def test_mtls_needs_both_certificate_and_key(cert: Optional[str], key: Optional[str], mtls: bool) -> None:
    request = GSRequest(None, None, "accounts.getAccountInfo", None, True, None, cert, key)
    assert request._has_mtls_config() is mtls


def test_certificate_without_key_is_an_ordinary_signed_request(
    routed_mtls: Routed, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As in the original, half an mTLS configuration is ignored: the request is signed and sent as usual."""
    server = routed_mtls.server
    cert, key = server.issue_client_cert()
    monkeypatch.setenv("https_proxy", routed_mtls.proxy.url)
    uid = server.create_account()
    for cert_file, key_file in ((cert, None), (None, key)):
        request = GSRequest(
            server.api_key, server.partner_secret, "accounts.getAccountInfo", {"UID": uid},
            certFile=cert_file, keyFile=key_file,
        )  # fmt: skip
        response = request.send()
        assert response.getErrorCode() == 0, response.getErrorMessage()
        assert request._domain == "accounts.us1.gigya.com"
        assert server.requests[-1].auth_mode == "partner_sig"


def test_half_an_mtls_configuration_without_credentials_is_400002(routed_mtls: Routed) -> None:
    cert, _ = routed_mtls.server.issue_client_cert()
    response = GSRequest(None, None, "accounts.getAccountInfo", {"UID": "x"}, True, None, cert, None).send()
    assert response.getErrorCode() == 400002
    assert routed_mtls.proxy.seen == [] and routed_mtls.server.requests == []


def test_missing_certificate_files_fail_after_choosing_the_host(tmp_path: Path) -> None:
    """No file: a 500000 without a connection, and ``_domain`` already set (the original's test relies on it)."""
    request = mtls_request("eu1.gigya.com", str(tmp_path / "cert.pem"), str(tmp_path / "key.pem"))
    request._apiKey = None
    response = request.send(timeout=1)
    assert response.getErrorCode() == 500000
    assert request._domain == "mtls.eu1.gigya.com"


# --- the host send() picks -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("api_domain", "method", "domain", "path"),
    [
        ("eu1.gigya.com", "accounts.getAccountInfo", "accounts.eu1.gigya.com", "/accounts.getAccountInfo"),
        ("us1.gigya.com", "/getUserInfo", "socialize.us1.gigya.com", "/socialize.getUserInfo"),
        ("EU1.Gigya.com", "getUserInfo", "socialize.EU1.Gigya.com", "/socialize.getUserInfo"),
        (None, "ids.getAccountInfo", "ids.us1.gigya.com", "/ids.getAccountInfo"),
    ],
)
def test_send_sets_domain_and_path(
    routed: Routed, monkeypatch: pytest.MonkeyPatch, api_domain: Optional[str], method: str, domain: str, path: str
) -> None:
    monkeypatch.setenv("https_proxy", routed.proxy.url)
    request = GSRequest(routed.server.api_key, routed.server.partner_secret, method, {"UID": "x"})
    request.setAPIDomain(api_domain)
    request.send(10)
    assert (request._domain, request._path) == (domain, path)
    assert routed.proxy.seen == [f"CONNECT {domain.lower()}:443"]
    assert routed.server.requests[-1].path == path
