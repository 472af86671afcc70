"""``getLog()`` keeps the original's layout but never the credentials the original logged:
the secret, the signature, and the credential-bearing parameters, also inside parameters given
as JSON text, in the request body and in the base string."""

from __future__ import annotations

import json
from typing import Any, Dict
from unittest import mock

import pytest

from gigya_fast.GSSDK import GSRequest
from gigya_fast.testing import LocalCDC
from tests.gssdk.local_requests import request_to

#: The parameters the issue lists, each with a value that must not reach the log.
CREDENTIALS: Dict[str, str] = {
    "password": "pw-hunter2",
    "newPassword": "pw-new-hunter3",
    "passwordResetToken": "prt-123456",
    "vToken": "vtok-123456",
    "code": "code-123456",
    "authCode": "authcode-123456",
    "idToken": "idtok-123456",
    "id_token": "id_tok-123456",
    "loginToken": "logintok-123456",
    "login_token": "login_tok-123456",
    "regToken": "regtok-123456",
    "gigyaAssertion": "gassert-123456",
    "providerAssertion": "passert-123456",
    "oauth_token": "oauthtok-123456",
    "secret": "c2VjcmV0LWluLXBhcmFtcw==",
    "sig": "c2lnLWluLXBhcmFtcw==",
}


def assert_clean(log: str, *also: str) -> None:
    for value in list(CREDENTIALS.values()) + list(also):
        assert value not in log, value


@pytest.mark.parametrize("name", sorted(CREDENTIALS))
def test_each_listed_parameter_is_redacted(cdc: LocalCDC, name: str) -> None:
    uid = cdc.create_account()
    response = request_to(cdc, params={"UID": uid, name: CREDENTIALS[name]}).send()
    log = response.getLog()
    assert CREDENTIALS[name] not in log
    assert f"'{name}': '***'" in log
    assert uid in log  # the rest stays readable


def test_all_of_them_as_parameters_and_inside_json_text(cdc: LocalCDC) -> None:
    uid = cdc.create_account()
    params: Dict[str, Any] = {"UID": uid, "loginID": "ann@example.com", "data": json.dumps({"nested": CREDENTIALS})}
    params.update(CREDENTIALS)
    response = request_to(cdc, params=params).send()
    log = response.getLog()
    assert_clean(log, cdc.partner_secret)
    assert "ann@example.com" in log and '"nested":{"password":"***"' in log


def test_dicts_and_lists_are_redacted_at_any_depth(cdc: LocalCDC) -> None:
    uid = cdc.create_account()
    params = {"UID": uid, "profile": {"items": [{"regToken": CREDENTIALS["regToken"], "keep": "visible-1"}]}}
    log = request_to(cdc, params=params).send().getLog()
    assert_clean(log)
    assert "visible-1" in log


def test_the_originals_steps_are_redacted_too(cdc: LocalCDC) -> None:
    """With ``curl`` replaced, the log has the original's ``baseString`` and ``postData`` lines."""
    uid = cdc.create_account()
    params: Dict[str, Any] = {"UID": uid, "data": json.dumps({"password": CREDENTIALS["password"]})}
    params.update({k: v for k, v in CREDENTIALS.items() if k not in ("sig", "secret")})
    real_curl = GSRequest.curl
    with mock.patch.object(GSRequest, "curl", autospec=True, side_effect=real_curl):
        response = request_to(cdc, params=params).send()
    log = response.getLog()
    sent_sig = cdc.requests[-1].params["sig"]
    assert "baseString=" in log and "postData=" in log
    assert_clean(log, sent_sig, cdc.partner_secret)
    assert "sig=***" in log and "password=***" in log


def test_answers_are_redacted_in_the_log_and_in_str(cdc: LocalCDC) -> None:
    uid = cdc.create_account({"nickname": "Di"})
    response = request_to(cdc, params={"UID": uid}).send()
    signature = response.getString("UIDSignature")
    assert signature
    assert signature not in response.getLog()
    assert signature not in str(response)
    assert uid in str(response)


def test_proxy_credentials_are_redacted() -> None:
    request = GSRequest("KEY", "c2VjcmV0", "accounts.getAccountInfo")
    request.setProxy("http://user:pa55word@proxy.example:3128")
    log = request._traceLog[-1]
    assert "pa55word" not in log and "user:***@proxy.example:3128" in log


def test_client_side_error_log_has_the_originals_layout() -> None:
    """Vector from the original for the same call: no key, so no network and a 400002."""
    response = GSRequest(None, None, "accounts.getAccountInfo", {"UID": "x"}).send()
    assert response.getLog() == (
        "apiMethod='accounts.getAccountInfo', "
        "responseText='{errorCode:400002,errorMessage:\"Required parameter is missing\"}'"
    )


def test_deeply_nested_values_are_hidden_not_crashing(cdc: LocalCDC) -> None:
    deep: Dict[str, Any] = {"password": CREDENTIALS["password"]}
    for _ in range(700):
        deep = {"a": deep}
    uid = cdc.create_account()
    response = request_to(cdc, params={"UID": uid, "data": json.dumps(deep), "profile": deep}).send()
    assert response.getErrorCode() in (0, 400006, 500000)  # whatever the server says: no crash in the log
    assert CREDENTIALS["password"] not in response.getLog()
    assert CREDENTIALS["password"] not in str(response)
