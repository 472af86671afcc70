"""What ``from gigya_fast.GSSDK import *`` binds, ``GSRequest.caCertsPath``, and the original's
helper classes (``SSLUtils``, ``Utils``, ``ValidHTTPSConnection``, ``ValidHTTPSHandler``), which
work here with certificate and hostname checks always on."""

from __future__ import annotations

import base64
import hashlib
import json
import ssl
import sys
import time
import urllib.parse
import urllib.request
from typing import Any, Dict, Iterator
from urllib.error import URLError

import certifi
import pytest

import gigya_fast.GSSDK as GSSDK
from gigya_fast.errors import ConfigurationError
from gigya_fast.GSSDK import SSLUtils, Utils, ValidHTTPSConnection, ValidHTTPSHandler
from gigya_fast.testing import LocalCDC

from .conftest import Routed
from .original_vectors import ORIGINAL_STAR_NAMES


@pytest.fixture
def star() -> Dict[str, Any]:
    namespace: Dict[str, Any] = {}
    exec("from gigya_fast.GSSDK import *", namespace)  # noqa: S102 - the migration's one-line change
    namespace.pop("__builtins__", None)
    return namespace


def test_star_import_binds_the_originals_names(star: Dict[str, Any]) -> None:
    assert set(star) == ORIGINAL_STAR_NAMES
    assert set(GSSDK.__all__) == ORIGINAL_STAR_NAMES


def test_module_level_names_are_the_usual_objects(star: Dict[str, Any]) -> None:
    assert star["time"] is time and star["sys"] is sys and star["ssl"] is ssl
    assert star["loads"] is json.loads and star["jsonstringify"] is json.dumps
    assert star["quote_plus"] is urllib.parse.quote_plus and star["urlparse"] is urllib.parse.urlparse
    assert star["b64encode"] is base64.b64encode and star["b64decode"] is base64.b64decode
    assert star["sha1"] is hashlib.sha1 and star["urlopen"] is urllib.request.urlopen
    assert star["urllib"].request is urllib.request
    assert star["PY_3"] is True and star["PY_3_9_OR_GREATER"] is True
    assert star["string_types"] is str and star["integer_types"] is int
    assert star["HTTPS_PORT"] == 443


def test_gigya_fast_additions_are_imported_by_name() -> None:
    from gigya_fast.GSSDK import DEFAULT_API_DOMAIN, DEFAULT_SIGNATURE_EXPIRATION, GSKeyNotFoundException, GSObject

    assert DEFAULT_API_DOMAIN == "us1.gigya.com" and DEFAULT_SIGNATURE_EXPIRATION == 300
    assert issubclass(GSKeyNotFoundException, KeyError) and issubclass(GSObject, dict)


def test_class_constants(star: Dict[str, Any]) -> None:
    request_class = star["GSRequest"]
    assert request_class.VERSION == "3.6.0"
    assert request_class.DEFAULT_API_DOMAIN == "us1.gigya.com"
    assert star["GSException"]("boom").errorMessage == "boom"


# --- caCertsPath ---------------------------------------------------------------------------


@pytest.fixture
def tls_cdc() -> Iterator[LocalCDC]:
    with LocalCDC(tls=True) as server:
        yield server


def send_to(server: LocalCDC, **kw: Any) -> Any:
    request = GSSDK.GSRequest(server.api_key, server.partner_secret, "accounts.getAccountInfo", {"UID": "x"}, **kw)
    request.setAPIDomain(server.url)
    return request.send(5)


def test_ca_certs_path_is_a_readable_class_attribute() -> None:
    assert GSSDK.GSRequest.caCertsPath == certifi.where()
    with open(GSSDK.GSRequest.caCertsPath, "rb") as bundle:
        assert b"BEGIN CERTIFICATE" in bundle.read(4096)


def test_assigning_ca_certs_path_takes_effect(tls_cdc: LocalCDC) -> None:
    assert send_to(tls_cdc).getErrorCode() == 500000  # certifi does not know the test CA
    assert tls_cdc.requests == []
    GSSDK.GSRequest.caCertsPath = tls_cdc.ca_path
    assert send_to(tls_cdc).getErrorCode() == 403047  # trusted: the server answers (no such account)
    GSSDK.GSRequest.setCACertsPath(None)
    assert GSSDK.GSRequest.caCertsPath == certifi.where()
    assert send_to(tls_cdc).getErrorCode() == 500000


def test_set_ca_certs_path_is_the_same_attribute(tls_cdc: LocalCDC) -> None:
    GSSDK.GSRequest.setCACertsPath(tls_cdc.ca_path)
    assert GSSDK.GSRequest.caCertsPath == tls_cdc.ca_path
    assert send_to(tls_cdc).getErrorCode() == 403047


def test_missing_ca_file_is_400003_only_with_use_https(cdc: LocalCDC, tmp_path: Any) -> None:
    GSSDK.GSRequest.caCertsPath = str(tmp_path / "nope.pem")
    response = send_to(cdc)
    assert (response.getErrorCode(), response.getErrorMessage()) == (400003, "")
    assert response.getResponseText() == '{errorCode:400003,errorMessage:""}'
    assert cdc.requests == []
    # As in the original, the 400003 check is for useHTTPS only; without it the TLS setup fails: 500000.
    assert send_to(cdc, useHTTPS=False).getErrorCode() == 500000
    assert cdc.requests == []


def test_unreadable_ca_file_is_500000_as_in_the_original(cdc: LocalCDC, tmp_path: Any) -> None:
    bogus = tmp_path / "ca.pem"
    bogus.write_text("not a certificate")
    GSSDK.GSRequest.caCertsPath = str(bogus)
    response = send_to(cdc)
    assert response.getErrorCode() == 500000
    assert "CA certificates" in response.getErrorMessage()
    assert cdc.requests == []


# --- SSLUtils, Utils -----------------------------------------------------------------------


@pytest.mark.parametrize("host_check", [True, False])
def test_ssl_context_always_checks(host_check: bool) -> None:
    context = SSLUtils.createSSLContext(host_check)
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname is True
    assert context.minimum_version >= ssl.TLSVersion.TLSv1_2


def test_ssl_context_trusts_ca_certs_path(tls_cdc: LocalCDC) -> None:
    before = len(SSLUtils.createSSLContext().get_ca_certs())
    GSSDK.GSRequest.caCertsPath = tls_cdc.ca_path
    assert len(SSLUtils.createSSLContext().get_ca_certs()) == 1 < before


def test_client_certificate_needs_both_halves(tmp_path: Any) -> None:
    missing = str(tmp_path / "nope.pem")
    SSLUtils.createSSLContext(True, missing, None)  # ignored, as in the original
    SSLUtils.createSSLContext(True, None, missing)
    with pytest.raises(ConfigurationError):
        SSLUtils.createSSLContext(True, missing, missing)


def test_utils_jsonparse() -> None:
    assert Utils.jsonparse('{"a": [1, "é"]}') == {"a": [1, "é"]}
    with pytest.raises(ValueError):
        Utils.jsonparse("{not json")


# --- ValidHTTPSConnection, ValidHTTPSHandler ----------------------------------------------------


def post(opener: urllib.request.OpenerDirector, url: str) -> Any:
    with opener.open(url, b"apiKey=x", timeout=5) as answer:
        return json.loads(answer.read())


def test_handler_opens_verified_connections(tls_cdc: LocalCDC) -> None:
    GSSDK.GSRequest.caCertsPath = tls_cdc.ca_path
    opener = urllib.request.build_opener(ValidHTTPSHandler())
    answer = post(opener, tls_cdc.url + "/accounts.getAccountInfo")
    assert answer["errorCode"] == 400093  # the server answered: an unknown apiKey
    GSSDK.GSRequest.setCACertsPath(None)
    with pytest.raises(URLError, match="CERTIFICATE_VERIFY_FAILED"):
        post(urllib.request.build_opener(ValidHTTPSHandler()), tls_cdc.url + "/accounts.getAccountInfo")


def test_handler_checks_the_servers_name_through_a_proxy(routed: Routed) -> None:
    """The original's connection checked the proxy's name, so it turned checks off; this one checks the server's."""
    opener = urllib.request.build_opener(
        ValidHTTPSHandler(), urllib.request.ProxyHandler({"https": routed.proxy.url})
    )
    assert post(opener, "https://accounts.us1.gigya.com/accounts.getAccountInfo")["errorCode"] == 400093
    with pytest.raises(URLError, match="CERTIFICATE_VERIFY_FAILED|match"):
        post(opener, "https://accounts.au1.gigya.com/accounts.getAccountInfo")  # not in the certificate
    assert routed.proxy.seen == ["CONNECT accounts.us1.gigya.com:443", "CONNECT accounts.au1.gigya.com:443"]


def test_unverifying_contexts_are_refused() -> None:
    lax = ssl.create_default_context()
    lax.check_hostname = False
    with pytest.raises(ConfigurationError):
        ValidHTTPSHandler(lax)
    with pytest.raises(ConfigurationError):
        ValidHTTPSConnection("example.org", context=lax)
    connection = ValidHTTPSConnection("example.org", 443, timeout=3)
    assert connection.host == "example.org" and connection.port == 443
