"""GSRequest against a real local server: error paths, timeouts, connection reuse,
wire format, TLS and mTLS, log redaction."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Union

import pytest

from gigya_fast._gssdk import pools
from gigya_fast.GSSDK import GSRequest, GSResponse
from gigya_fast.testing import LocalCDC
from tests.gssdk.local_requests import request_to

# --- client-side codes ---------------------------------------------------------------


def test_missing_api_key_never_reaches_the_server(cdc: LocalCDC) -> None:
    request = GSRequest(None, cdc.partner_secret, "accounts.getAccountInfo", {"UID": "x"})
    request.setAPIDomain(cdc.url)
    response = request.send()
    assert response.getErrorCode() == 400002
    assert cdc.requests == []
    assert pools.cached_count() == 0


def test_unserialisable_param_is_500000_before_reaching_the_server(cdc: LocalCDC) -> None:
    response = request_to(cdc, "accounts.setAccountInfo", {"UID": "x", "data": {1, 2}}).send()
    assert response.getErrorCode() == 500000
    assert "set" in response.getErrorMessage()
    nan = request_to(cdc, "accounts.setAccountInfo", {"UID": "x", "x": float("nan")}).send()
    assert nan.getErrorCode() == 500000
    assert cdc.requests == []


@pytest.mark.parametrize("kind", ["html", "truncated", "empty", "notjson"])
def test_malformed_answer_is_500000(cdc: LocalCDC, kind: str) -> None:
    cdc.faults.add(method="*", malformed=kind)
    response = request_to(cdc, "accounts.getAccountInfo", {"UID": "x"}).send()
    assert response.getErrorCode() == 500000


def test_dropped_connection_is_500000(cdc: LocalCDC) -> None:
    cdc.faults.add(method="*", drop=True)
    assert request_to(cdc, "accounts.getAccountInfo", {"UID": "x"}).send().getErrorCode() == 500000


# --- server error codes --------------------------------------------------------------


def test_injected_server_error_comes_back(cdc: LocalCDC) -> None:
    cdc.faults.add(method="accounts.getAccountInfo", error_code=500001)
    response = request_to(cdc, "accounts.getAccountInfo", {"UID": "x"}).send()
    assert response.getErrorCode() == 500001
    assert response.getErrorMessage()
    assert response.getCallId()
    assert len([r for r in cdc.requests if r.method == "accounts.getAccountInfo"]) == 1  # no retry


def test_real_server_errors_come_back(cdc: LocalCDC) -> None:
    missing = request_to(cdc, "accounts.getAccountInfo", {"UID": "nobody"}).send()
    assert missing.getErrorCode() == 403047
    assert "Not found" in (missing.getErrorMessage() or "")

    no_uid = request_to(cdc, "accounts.getAccountInfo", {}).send()
    assert no_uid.getErrorCode() == 400002
    assert no_uid.getErrorMessage() == "Missing required parameter"
    assert "UID" in (no_uid.getErrorDetails() or "")

    wrong_secret = GSRequest(cdc.api_key, "d3Jvbmctc2VjcmV0LXdyb25nLXNlY3I=", "accounts.getAccountInfo", {"UID": "x"})
    wrong_secret.setAPIDomain(cdc.url)
    assert wrong_secret.send().getErrorCode() == 403003

    unknown_key = GSRequest("3_unknown", cdc.partner_secret, "accounts.getAccountInfo", {"UID": "x"})
    unknown_key.setAPIDomain(cdc.url)
    assert unknown_key.send().getErrorCode() == 400093


def test_malformed_secret_is_a_clear_500000(cdc: LocalCDC) -> None:
    response = GSRequest(cdc.api_key, "not base64!", "accounts.getAccountInfo", {"UID": "x"})
    response.setAPIDomain(cdc.url)
    answer = response.send()
    assert answer.getErrorCode() == 500000
    assert "base64" in (answer.getErrorMessage() or "")
    assert cdc.requests == []


# --- HTTP error statuses and bodies that are not JSON --------------------------------


class OwnCurl(GSRequest):
    """A replaced step (as a test written for the original would have): the original's route."""

    def curl(self, url: str, params: Any = None, timeout: Any = None) -> str:
        return super().curl(url, params, timeout)


def sent_by(cdc: LocalCDC, route: str) -> GSResponse:
    return request_to(cdc, params={"UID": "x"}, cls=OwnCurl if route == "steps replaced" else GSRequest).send()


ROUTES = ["pooled", "steps replaced"]


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("status", [500, 503, 403])
def test_json_body_with_an_error_status_keeps_its_own_code(cdc: LocalCDC, route: str, status: int) -> None:
    """The original answered 500000 "HTTP Error <status>: ..." without reading the body."""
    cdc.faults.add(method="accounts.getAccountInfo", error_code=500001, http_status=status)
    response = sent_by(cdc, route)
    body = json.loads(response.getResponseText())
    assert body["errorCode"] == response.getErrorCode() == 500001
    assert response.getErrorMessage() == body["errorMessage"]
    assert "HTTP Error" not in response.getLog()


def test_html_with_an_error_status_is_500000_naming_the_status(cdc: LocalCDC) -> None:
    cdc.faults.add(method="*", malformed="html", http_status=503)
    response = sent_by(cdc, "pooled")
    assert response.getErrorCode() == 500000
    assert response.getErrorMessage() == (
        "malformed response to accounts.getAccountInfo (HTTP 503): HTML or XML instead of JSON"
    )
    assert (response.getErrorDetails() or "").startswith("text/html")


def test_html_through_replaced_steps_is_500000_without_the_status(cdc: LocalCDC) -> None:
    cdc.faults.add(method="*", malformed="html", http_status=503)
    response = sent_by(cdc, "steps replaced")
    assert response.getErrorCode() == 500000
    assert response.getErrorMessage() == "the answer is neither a JSON object nor a CDC XML answer"


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("status", [200, 503])
def test_log_leaves_out_a_body_that_is_not_json(cdc: LocalCDC, route: str, status: int) -> None:
    """The original logged the raw body (then the 500000 line); it cannot be redacted, so it is left out."""
    cdc.faults.add(method="*", malformed="html", http_status=status)
    response = sent_by(cdc, route)
    assert response.getErrorCode() == 500000
    assert "Bad Gateway" not in response.getLog()
    answers = [line for line in response.traceLog if line.startswith("responseText=")]
    assert answers == ["responseText=%r" % response.getResponseText()]


# --- wire format and pooling ---------------------------------------------------------


def test_values_are_serialised_as_documented(cdc: LocalCDC) -> None:
    uid = cdc.create_account()
    request = request_to(cdc, "accounts.setAccountInfo", {"UID": uid})
    request.setParam("isActive", False)
    request.setParam("data", {"ratio": 0.1, "tags": ["a", "é"], "ok": True})
    request.setParam("skipped", None)
    response = request.send()
    assert response.getErrorCode() == 0, response.getErrorMessage()
    sent = cdc.requests[-1].params
    assert sent["isActive"] == "false"
    assert sent["data"] == '{"ratio":0.1,"tags":["a","é"],"ok":true}'
    assert "skipped" not in sent
    account = cdc.get_account(uid)
    assert account is not None and account["data"]["tags"] == ["a", "é"]


def test_json_string_params_and_reserved_params(cdc: LocalCDC) -> None:
    uid = cdc.create_account({"nickname": "Bo"})
    request = request_to(cdc, "accounts.getAccountInfo", json.dumps({"UID": uid}))
    request.setParam("timestamp", "1")  # SDK-owned: ignored, the client sets it
    request.setParam("nonce", "x")
    response = request.send()
    assert response.getErrorCode() == 0, response.getErrorMessage()
    assert response.getObject("profile")["nickname"] == "Bo"
    assert cdc.requests[-1].params["nonce"] != "x"
    assert "ignoredParams='nonce,timestamp'" in response.getLog()


def test_sdk_owned_values_on_the_wire(cdc: LocalCDC) -> None:
    """Always JSON (``format=xml`` is not sent), our sdk name, and a ``secret`` parameter never leaves."""
    uid = cdc.create_account()
    request = request_to(cdc, "accounts.getAccountInfo", {"UID": uid, "format": "xml", "secret": cdc.partner_secret})
    response = request.send()
    assert response.getErrorCode() == 0, response.getErrorMessage()
    sent = cdc.requests[-1].params
    assert sent["format"] == "json" and sent["sdk"].startswith("gigya_fast_python_")
    assert "secret" not in sent
    assert request.getParams()["format"] == "xml"  # the caller's value is kept in the request


def test_method_without_namespace_is_socialize(cdc: LocalCDC) -> None:
    uid = cdc.create_account({"nickname": "Cy"})
    response = request_to(cdc, "/getUserInfo", {"UID": uid}).send()
    assert response.getErrorCode() == 0, response.getErrorMessage()
    assert cdc.requests[-1].path == "/socialize.getUserInfo"


def test_requests_share_one_pooled_connection(cdc: LocalCDC) -> None:
    uid = cdc.create_account()
    for _ in range(5):
        assert request_to(cdc, "accounts.getAccountInfo", {"UID": uid}).send().getErrorCode() == 0
    assert pools.cached_count() == 1
    assert len({r.connection_id for r in cdc.requests}) == 1
    # Another configuration (here: a user key) gets its own client.
    request = GSRequest(cdc.api_key, cdc.user_secret, "accounts.getAccountInfo", {"UID": uid}, userKey=cdc.user_key)
    request.setAPIDomain(cdc.url)
    assert request.send().getErrorCode() == 0
    assert pools.cached_count() == 2


def test_each_send_is_signed_anew(cdc: LocalCDC) -> None:
    uid = cdc.create_account()
    request = request_to(cdc, "accounts.getAccountInfo", {"UID": uid})
    assert request.send().getErrorCode() == 0
    assert request.send().getErrorCode() == 0  # a reused nonce would be 403004
    nonces = [r.params["nonce"] for r in cdc.requests]
    assert len(set(nonces)) == 2


# --- redaction -----------------------------------------------------------------------


def test_get_log_holds_no_secret_or_signature(cdc: LocalCDC) -> None:
    uid = cdc.create_account({"nickname": "Di"})
    request = GSRequest(cdc.api_key, cdc.user_secret, "socialize.getUserInfo", {"UID": uid}, userKey=cdc.user_key)
    request.setAPIDomain(cdc.url)
    request.setParam("password", "hunter2")
    response = request.send()
    assert response.getErrorCode() == 0, response.getErrorMessage()
    log = response.getLog()
    assert "apiMethod='socialize.getUserInfo'" in log and f"URL='{cdc.url}/socialize.getUserInfo'" in log
    assert cdc.user_key in log and uid in log
    signature = response.getString("UIDSignature")
    assert signature and signature not in log
    for secret in (cdc.user_secret, cdc.partner_secret, "hunter2"):
        assert secret not in log
    assert "sig=" not in log
    assert signature not in str(response)


# --- TLS, CA path, mTLS --------------------------------------------------------------


def test_https_with_set_ca_certs_path() -> None:
    with LocalCDC(tls=True) as server:
        assert server.ca_path is not None
        uid = server.create_account()
        untrusted = request_to(server, "accounts.getAccountInfo", {"UID": uid}).send()
        assert untrusted.getErrorCode() == 500000  # certifi does not trust the throwaway CA
        GSRequest.caCertsPath = server.ca_path
        trusted = request_to(server, "accounts.getAccountInfo", {"UID": uid}).send()
        assert trusted.getErrorCode() == 0, trusted.getErrorMessage()
        assert server.requests[-1].auth_mode == "partner_sig"


@pytest.mark.parametrize("as_bytes", [False, True])
def test_mtls_with_cert_and_key(as_bytes: bool) -> None:
    with LocalCDC(mtls=True) as server:
        assert server.ca_path is not None
        uid = server.create_account({"nickname": "Eve"})
        cert_path, key_path = server.issue_client_cert()
        cert: Union[str, bytes] = Path(cert_path).read_bytes() if as_bytes else cert_path
        key: Union[str, bytes] = Path(key_path).read_bytes() if as_bytes else key_path
        GSRequest.setCACertsPath(server.ca_path)
        request = GSRequest(server.api_key, None, "accounts.getAccountInfo", {"UID": uid}, certFile=cert, keyFile=key)
        request.setAPIDomain(server.url)
        response = request.send()
        assert response.getErrorCode() == 0, response.getErrorMessage()
        recorded = server.requests[-1]
        assert recorded.auth_mode == "mtls"
        assert "sig" not in recorded.params


def test_response_from_plain_text_constructor_matches_live_one(cdc: LocalCDC) -> None:
    uid = cdc.create_account({"nickname": "Fay"})
    live = request_to(cdc, "accounts.getAccountInfo", {"UID": uid}).send()
    text = live.getResponseText()
    assert isinstance(text, bytes)
    rebuilt = GSResponse("accounts.getAccountInfo", text.decode("utf-8"))
    assert rebuilt.getData() == live.getData()
    assert rebuilt.getErrorCode() == live.getErrorCode() == 0


def test_clock_skew_is_corrected_once_and_remembered(cdc: LocalCDC) -> None:
    """403002 means CDC refused the request unexecuted: the client learns the offset from Date and re-signs."""
    uid = cdc.create_account()
    cdc.clock_offset = 900.0  # the server is 15 minutes ahead of us
    first = request_to(cdc, "accounts.getAccountInfo", {"UID": uid}).send()
    assert first.getErrorCode() == 0, first.getErrorMessage()
    assert [r.error_code for r in cdc.requests] == [403002, 0]
    second = request_to(cdc, "accounts.getAccountInfo", {"UID": uid}).send()
    assert second.getErrorCode() == 0
    assert [r.error_code for r in cdc.requests] == [403002, 0, 0]  # the pooled client kept the offset


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")  # 3.12+: LocalCDC's thread
def test_forked_child_gets_its_own_connections(cdc: LocalCDC) -> None:
    uid = cdc.create_account()
    assert request_to(cdc, "accounts.getAccountInfo", {"UID": uid}).send().getErrorCode() == 0
    assert pools.cached_count() == 1
    pid = os.fork()
    if pid == 0:  # child: exit status carries the result
        try:
            fresh = pools.cached_count() == 0
            code = request_to(cdc, "accounts.getAccountInfo", {"UID": uid}).send(5).getErrorCode()
            os._exit(0 if fresh and code == 0 else 1)
        except BaseException:
            os._exit(2)
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    connections = {r.connection_id for r in cdc.requests}
    assert len(connections) == 2  # the child opened its own connection
    assert request_to(cdc, "accounts.getAccountInfo", {"UID": uid}).send().getErrorCode() == 0
