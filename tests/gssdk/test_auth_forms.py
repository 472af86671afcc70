"""The original's ways of authenticating a request, sent to LocalCDC.

* ``apiKey`` + ``secretKey``: signed (the usual form);
* ``userKey`` (constructor or inside ``params``) + its secret: signed with the user key, with or
  without ``apiKey``;
* ``GSRequest(accessToken, None, method, params)``: the first argument is sent as ``oauth_token``;
* ``certFile`` + ``keyFile``: mutual TLS, with or without ``apiKey``.

LocalCDC wants an ``apiKey`` on every call (real CDC accepts some user-key calls without one), so
the forms without it are checked on what reached the server, and its 400002 answer is told apart
from the client-side 400002 (which never reaches a server) by its ``callId``.
"""

from __future__ import annotations

from typing import Iterator, Tuple

import pytest

from gigya_fast.GSSDK import GSRequest
from gigya_fast.testing import LocalCDC

from .conftest import Routed


def to(cdc: LocalCDC, request: GSRequest) -> GSRequest:
    request.setAPIDomain(cdc.url)
    return request


def test_user_key_without_api_key_is_sent_signed(cdc: LocalCDC) -> None:
    uid = cdc.create_account()
    request = to(cdc, GSRequest(None, cdc.user_secret, "accounts.getAccountInfo", {"UID": uid}, True, cdc.user_key))
    response = request.send()
    sent = cdc.requests[-1].params
    assert sent["userKey"] == cdc.user_key and "sig" in sent and "apiKey" not in sent
    assert response.getErrorCode() == 400002  # LocalCDC's own answer...
    assert response.getCallId()  # ...not the client-side 400002


def test_api_key_in_params_is_replaced_when_signing(cdc: LocalCDC) -> None:
    """The original overwrote ``params["apiKey"]`` with the constructor's apiKey when signing, even with None."""
    uid = cdc.create_account()
    params = {"UID": uid, "apiKey": "3_other"}
    request = GSRequest(None, cdc.user_secret, "accounts.getAccountInfo", params, userKey=cdc.user_key)
    to(cdc, request).send()
    assert "apiKey" not in cdc.requests[-1].params


def test_user_key_inside_params_signs_the_request(cdc: LocalCDC) -> None:
    uid = cdc.create_account()
    params = {"UID": uid, "userKey": cdc.user_key}
    response = to(cdc, GSRequest(cdc.api_key, cdc.user_secret, "accounts.getAccountInfo", params)).send()
    assert response.getErrorCode() == 0, response.getErrorMessage()
    recorded = cdc.requests[-1]
    assert recorded.auth_mode == "user_sig" and recorded.params["userKey"] == cdc.user_key
    assert "ignoredParams" not in response.getLog()


def test_constructor_user_key_wins_over_the_one_in_params(cdc: LocalCDC) -> None:
    uid = cdc.create_account()
    params = {"UID": uid, "userKey": "AnotherKey"}
    request = GSRequest(cdc.api_key, cdc.user_secret, "accounts.getAccountInfo", params, True, cdc.user_key)
    assert to(cdc, request).send().getErrorCode() == 0
    assert cdc.requests[-1].params["userKey"] == cdc.user_key


def test_access_token_in_place_of_the_api_key(cdc: LocalCDC) -> None:
    """Without a secret the first argument is an access token, sent as ``oauth_token``."""
    uid = cdc.create_account()
    token = cdc.issue_access_token()
    bare = to(cdc, GSRequest(token, None, "accounts.getAccountInfo", {"UID": uid})).send()
    assert cdc.requests[-1].params.get("oauth_token") == "***"  # LocalCDC redacts it in its record
    assert "apiKey" not in cdc.requests[-1].params and "sig" not in cdc.requests[-1].params
    assert bare.getErrorCode() == 400002 and bare.getCallId()  # LocalCDC wants an apiKey too
    with_key = to(cdc, GSRequest(token, None, "accounts.getAccountInfo", {"UID": uid, "apiKey": cdc.api_key}))
    response = with_key.send()
    assert response.getErrorCode() == 0, response.getErrorMessage()
    assert cdc.requests[-1].auth_mode == "oauth_token"
    assert token not in response.getLog()


def test_access_token_goes_over_https_even_with_use_https_false(
    routed: Routed, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The original chose http only for signed requests: nothing else travels in clear."""
    server = routed.server
    monkeypatch.setenv("https_proxy", routed.proxy.url)
    monkeypatch.setenv("http_proxy", routed.proxy.url)
    uid = server.create_account()
    params = {"UID": uid, "apiKey": server.api_key}
    response = GSRequest(server.issue_access_token(), None, "accounts.getAccountInfo", params, False).send()
    assert response.getErrorCode() == 0, response.getErrorMessage()
    assert routed.proxy.seen == ["CONNECT accounts.us1.gigya.com:443"]


@pytest.fixture
def mtls_cdc() -> Iterator[Tuple[LocalCDC, str, str]]:
    with LocalCDC(mtls=True) as server:
        assert server.ca_path is not None
        GSRequest.caCertsPath = server.ca_path
        cert, key = server.issue_client_cert()
        yield server, cert, key


def test_mtls_without_api_key(mtls_cdc: Tuple[LocalCDC, str, str]) -> None:
    server, cert, key = mtls_cdc
    uid = server.create_account()
    bare = to(server, GSRequest(None, None, "accounts.getAccountInfo", {"UID": uid}, True, None, cert, key)).send()
    assert bare.getCallId() and bare.getErrorCode() == 400002  # reached LocalCDC, which wants an apiKey
    params = {"UID": uid, "apiKey": server.api_key}  # kept as given: nothing overwrites it without a key
    response = to(server, GSRequest(None, None, "accounts.getAccountInfo", params, True, None, cert, key)).send()
    assert response.getErrorCode() == 0, response.getErrorMessage()
    recorded = server.requests[-1]
    assert recorded.auth_mode == "mtls" and "sig" not in recorded.params


def test_mtls_with_api_key_and_pem_content(mtls_cdc: Tuple[LocalCDC, str, str]) -> None:
    server, cert, key = mtls_cdc
    uid = server.create_account()
    with open(cert, "rb") as handle:
        cert_pem = handle.read()
    with open(key, "rb") as handle:
        key_pem = handle.read()
    request = GSRequest(server.api_key, None, "accounts.getAccountInfo", {"UID": uid}, True, None, cert_pem, key_pem)
    response = to(server, request).send()
    assert response.getErrorCode() == 0, response.getErrorMessage()
    assert server.requests[-1].params["apiKey"] == server.api_key


def test_no_credentials_at_all_is_400002_without_a_request(cdc: LocalCDC) -> None:
    response = to(cdc, GSRequest(None, cdc.partner_secret, "accounts.getAccountInfo", {"UID": "x"})).send()
    assert response.getErrorCode() == 400002
    assert response.getErrorMessage() == "Required parameter is missing"
    assert response.getCallId() is None
    assert cdc.requests == []


def test_an_empty_api_key_is_not_a_missing_one(cdc: LocalCDC) -> None:
    """Only ``None`` is missing for the original; ``""`` is sent, and the server answers."""
    response = to(cdc, GSRequest("", cdc.partner_secret, "accounts.getAccountInfo", {"UID": "x"})).send()
    assert len(cdc.requests) == 1
    assert response.getErrorCode() == 400002 and response.getCallId()


def test_user_key_without_secret_or_api_key_is_500000_without_a_request(cdc: LocalCDC) -> None:
    """The original sent it unsigned (and CDC refused it); a user key needs its secret."""
    response = to(cdc, GSRequest(None, None, "accounts.getAccountInfo", {"UID": "x"}, True, cdc.user_key)).send()
    assert response.getErrorCode() == 500000
    assert "user_key needs a secret" in response.getErrorMessage()
    assert cdc.requests == []


def test_mtls_with_pem_text(mtls_cdc: Tuple[LocalCDC, str, str]) -> None:
    """PEM given as text (a str starting with -----BEGIN) is content; the original took any str for a path."""
    server, cert, key = mtls_cdc
    uid = server.create_account()
    with open(cert, encoding="ascii") as handle:
        cert_text = handle.read()
    with open(key, encoding="ascii") as handle:
        key_text = handle.read()
    request = GSRequest(server.api_key, None, "accounts.getAccountInfo", {"UID": uid}, True, None, cert_text, key_text)
    response = to(server, request).send()
    assert response.getErrorCode() == 0, response.getErrorMessage()
    assert server.requests[-1].auth_mode == "mtls"
