"""Tests written for the original replace ``GSRequest.send``, ``sendRequest``, ``curl`` or
``SigUtils.calcSignature``; the drop-in goes through the replacement, with the original's
arguments, and sends through its pooled client only while nothing is replaced."""

from __future__ import annotations

from typing import Any, List, Mapping
from unittest import mock

import gigya_fast
from gigya_fast._gssdk import pools
from gigya_fast.GSSDK import GSRequest, GSResponse, SigUtils
from gigya_fast.testing import LocalCDC
from gigya_fast.testing.records import signature_fingerprint
from tests.gssdk.local_requests import request_to

SERVER_ANSWER = '{"callId":"c1","errorCode":0,"statusCode":200,"UID":"u1"}'


def test_patched_send_returns_the_mock(cdc: LocalCDC) -> None:
    canned = GSResponse("accounts.getAccountInfo", SERVER_ANSWER)
    with mock.patch.object(GSRequest, "send", return_value=canned) as fake:
        response = request_to(cdc, params={"UID": "u1"}).send(5)
    assert response is canned and response.getObject("UID") == "u1"
    fake.assert_called_once_with(5)
    assert cdc.requests == []


def test_patched_send_request_gets_the_originals_arguments(cdc: LocalCDC) -> None:
    with mock.patch.object(GSRequest, "sendRequest", return_value=SERVER_ANSWER) as fake:
        request = GSRequest("KEY", "c2VjcmV0", "/accounts.getAccountInfo", {"UID": "u1"})
        response = request.send("7")
    assert response.getErrorCode() == 0 and response.getString("UID") == "u1"
    fake.assert_called_once_with(
        "POST",
        "",
        "/accounts.getAccountInfo",
        {"UID": "u1", "format": "json", "httpStatusCodes": "false"},
        "KEY",
        "c2VjcmV0",
        True,
        7.0,
        None,
    )
    assert fake.call_args.args[3] is request.getParams()
    assert cdc.requests == [] and pools.cached_count() == 0


def test_patched_send_request_exception_is_a_500000() -> None:
    with mock.patch.object(GSRequest, "sendRequest", side_effect=RuntimeError("boom")):
        response = GSRequest("KEY", "c2VjcmV0", "accounts.getAccountInfo").send()
    assert (response.getErrorCode(), response.getErrorMessage()) == (500000, "boom")
    assert response.getResponseText() == '{errorCode:500000,errorMessage:"boom"}'


def test_patched_send_request_timeout_is_a_504002() -> None:
    with mock.patch.object(GSRequest, "sendRequest", side_effect=TimeoutError("timed out")):
        response = GSRequest("KEY", "c2VjcmV0", "accounts.getAccountInfo").send()
    assert (response.getErrorCode(), response.getErrorMessage()) == (504002, "Request Timeout")


def test_patched_curl_gets_the_signed_request() -> None:
    secret = "c2VjcmV0LXNlY3JldC1zZWNyZXQ="
    with mock.patch.object(GSRequest, "curl", return_value=SERVER_ANSWER) as fake:
        request = GSRequest("KEY", secret, "accounts.getAccountInfo", {"UID": "u1"}, userKey="UK")
        response = request.send(3)
    assert response.getErrorCode() == 0
    url, params, timeout = fake.call_args.args
    assert url == "https://accounts.us1.gigya.com/accounts.getAccountInfo"
    assert timeout == 3.0
    assert {k: params[k] for k in ("UID", "apiKey", "userKey", "format", "httpStatusCodes", "sdk")} == {
        "UID": "u1",
        "apiKey": "KEY",
        "userKey": "UK",
        "format": "json",
        "httpStatusCodes": "false",
        "sdk": "python_3.6.0",
    }
    base = gigya_fast.build_base_string("POST", url, {k: v for k, v in params.items() if k != "sig"})
    assert params["sig"] == gigya_fast.calc_signature(base, secret)
    assert "sig" not in request.getParams(), "the request's own parameters keep no signature"


def test_curl_patched_with_a_wrapper_still_reaches_the_server(cdc: LocalCDC) -> None:
    uid = cdc.create_account({"nickname": "Ida"})
    real_curl = GSRequest.curl
    seen: List[str] = []

    def spy(self: GSRequest, url: str, params: Any = None, timeout: Any = None) -> str:
        seen.append(url)
        return real_curl(self, url, params, timeout)

    with mock.patch.object(GSRequest, "curl", autospec=True, side_effect=spy):
        response = request_to(cdc, params={"UID": uid}).send(5)
    assert response.getErrorCode() == 0, response.getErrorMessage()
    assert seen == [f"{cdc.url}/accounts.getAccountInfo"]
    assert cdc.requests[-1].auth_mode == "partner_sig"
    assert "postData=" in response.getLog() and "baseString=" in response.getLog()


def test_subclass_overriding_curl(cdc: LocalCDC) -> None:
    uid = cdc.create_account()
    bodies: List[Mapping[str, Any]] = []

    class Recording(GSRequest):
        def curl(self, url: str, params: Any = None, timeout: Any = None) -> str:
            bodies.append(dict(params))
            return super().curl(url, params, timeout)

    request = Recording(cdc.api_key, cdc.partner_secret, "accounts.getAccountInfo", {"UID": uid})
    request.setAPIDomain(cdc.url)
    assert request.send().getErrorCode() == 0
    assert bodies and bodies[0]["UID"] == uid and "sig" in bodies[0]


def test_calc_signature_wrapped_is_used_for_the_request(cdc: LocalCDC) -> None:
    uid = cdc.create_account()
    with mock.patch.object(SigUtils, "calcSignature", wraps=SigUtils.calcSignature) as spy:
        response = request_to(cdc, params={"UID": uid}).send()
    assert response.getErrorCode() == 0, response.getErrorMessage()
    base_string, key = spy.call_args.args
    assert base_string.startswith("POST&http%3A%2F%2F127.0.0.1%3A") and key == cdc.partner_secret


def test_calc_signature_forged_is_refused_by_the_server(cdc: LocalCDC) -> None:
    with mock.patch.object(SigUtils, "calcSignature", return_value="Zm9yZ2Vk"):
        response = request_to(cdc, params={"UID": "x"}).send()
    assert response.getErrorCode() == 403003
    assert cdc.requests[-1].params["sig"] == signature_fingerprint("Zm9yZ2Vk")


def test_nothing_replaced_goes_through_the_pooled_client(cdc: LocalCDC) -> None:
    uid = cdc.create_account()
    response = request_to(cdc, params={"UID": uid}).send()
    assert response.getErrorCode() == 0
    assert pools.cached_count() == 1
    assert "postData=" not in response.getLog()


def test_the_originals_steps_drop_sdk_owned_params_too() -> None:
    with mock.patch.object(GSRequest, "curl", return_value=SERVER_ANSWER) as fake:
        params = {"UID": "u1", "secret": "c2VjcmV0", "nonce": "stale", "sig": "stale"}
        GSRequest("KEY", "c2VjcmV0LXNlY3JldC1zZWNyZXQ=", "accounts.getAccountInfo", params).send()
    sent = fake.call_args.args[1]
    assert "secret" not in sent and sent["nonce"] != "stale" and sent["sig"] != "stale"


def test_repr_hides_an_access_token() -> None:
    assert "TOKEN123" not in repr(GSRequest("TOKEN123", None, "accounts.getAccountInfo"))
    assert "KEY" in repr(GSRequest("KEY", "c2VjcmV0", "accounts.getAccountInfo"))
