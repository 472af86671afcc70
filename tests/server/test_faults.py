"""Fault injection: error codes, delays, dropped connections, broken bodies."""

from __future__ import annotations

import time
from typing import Any, Dict

import pytest
import urllib3

from gigya_fast.testing import LocalCDC

from ._wire import Sender, fresh


def _uid(cdc: LocalCDC) -> str:
    return str(cdc.accounts[0]["UID"])


@pytest.mark.parametrize("code", [403048, 409030, 500001, 500028, 504001])
def test_error_codes_for_the_next_calls(cdc: LocalCDC, sender: Sender, code: int) -> None:
    fault = cdc.faults.add("accounts.getAccountInfo", error_code=code, times=2)
    assert [sender.call("accounts.getAccountInfo", UID=_uid(cdc))["errorCode"] for _ in range(3)] == [code, code, 0]
    assert fault.fired == 2 and fault.exhausted and not cdc.faults.pending
    assert [r.fault for r in cdc.requests[-3:]] == [True, True, False]


def test_fault_only_hits_its_method(cdc: LocalCDC, sender: Sender) -> None:
    cdc.faults.add("accounts.search", error_code=500001)
    assert sender.call("accounts.getAccountInfo", UID=_uid(cdc))["errorCode"] == 0
    assert sender.call("accounts.search", query="SELECT * FROM accounts")["errorCode"] == 500001


def test_glob_and_forever(cdc: LocalCDC, sender: Sender) -> None:
    cdc.faults.add("accounts.*", error_code=403048, times=None)
    for _ in range(3):
        assert sender.call("accounts.getAccountInfo", UID=_uid(cdc))["errorCode"] == 403048
    assert sender.call("socialize.getUserInfo", UID=_uid(cdc))["errorCode"] == 0
    cdc.faults.clear()
    assert sender.call("accounts.getAccountInfo", UID=_uid(cdc))["errorCode"] == 0


def test_data_center_redirect(cdc: LocalCDC, sender: Sender) -> None:
    cdc.faults.add("*", error_code=301001, api_domain="eu1.gigya.com")
    answer = sender.call("accounts.getAccountInfo", UID=_uid(cdc))
    assert answer["errorCode"] == 301001 and answer["apiDomain"] == "eu1.gigya.com"
    assert answer["location"] == "https://accounts.eu1.gigya.com/accounts.getAccountInfo"


def test_a_faulted_call_consumed_its_nonce(cdc: LocalCDC, sender: Sender) -> None:
    """A client must re-sign its retry: resending the same body is a duplicate nonce."""
    cdc.faults.add("*", error_code=500001)
    params = fresh(cdc, UID=_uid(cdc))
    assert sender.call("accounts.getAccountInfo", params=params)["errorCode"] == 500001
    assert sender.call("accounts.getAccountInfo", params=params)["errorCode"] == 403004


def test_faults_apply_after_authentication(cdc: LocalCDC, sender: Sender) -> None:
    cdc.faults.add("*", error_code=500001)
    assert sender.call("accounts.getAccountInfo", secret=cdc.user_secret, UID=_uid(cdc))["errorCode"] == 403003
    assert len(cdc.faults) == 1


def test_delay(cdc: LocalCDC, sender: Sender) -> None:
    cdc.faults.add("*", delay=0.3)
    started = time.monotonic()
    assert sender.call("accounts.getAccountInfo", UID=_uid(cdc))["errorCode"] == 0
    assert time.monotonic() - started >= 0.3


def test_delay_makes_a_client_time_out(cdc: LocalCDC) -> None:
    cdc.faults.add("*", delay=0.5)
    sender = Sender(cdc)
    sender.pool = urllib3.PoolManager(retries=False, timeout=urllib3.Timeout(read=0.1))
    with pytest.raises(urllib3.exceptions.ReadTimeoutError):
        sender.call("accounts.getAccountInfo", UID=_uid(cdc))


def test_drop(cdc: LocalCDC, sender: Sender) -> None:
    cdc.faults.add("*", drop=True)
    with pytest.raises(urllib3.exceptions.ProtocolError):
        sender.call("accounts.getAccountInfo", UID=_uid(cdc))
    assert cdc.requests[-1].error_code == -1
    assert sender.call("accounts.getAccountInfo", UID=_uid(cdc))["errorCode"] == 0


def test_malformed_bodies(cdc: LocalCDC, sender: Sender) -> None:
    def raw() -> urllib3.BaseHTTPResponse:
        response: urllib3.BaseHTTPResponse = sender.call("accounts.getAccountInfo", raw_response=True)["_http"]
        return response

    cdc.faults.add("*", malformed="html", http_status=502)
    response = raw()
    assert response.status == 502 and response.data.startswith(b"<html>")
    assert response.headers["Content-Type"].startswith("text/html")
    cdc.faults.add("*", malformed="empty")
    response = raw()
    assert response.status == 200 and response.data == b""
    cdc.faults.add("*", malformed="notjson")
    response = raw()
    assert response.status == 200 and response.data.startswith(b"this is not JSON")


def test_truncated_body(cdc: LocalCDC, sender: Sender) -> None:
    cdc.faults.add("*", malformed="truncated")
    with pytest.raises(urllib3.exceptions.ProtocolError):
        sender.call("accounts.getAccountInfo", UID=_uid(cdc))


def test_malformed_faults_still_require_auth(cdc: LocalCDC, sender: Sender) -> None:
    cdc.faults.add("*", malformed="html")
    assert sender.raw("/accounts.getAccountInfo", "").json()["errorCode"] == 400002


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"error_code": 0}, {"malformed": "xml"}, {"error_code": 500001, "times": 0}, {"delay": -1.0}],
)
def test_invalid_faults(cdc: LocalCDC, kwargs: Dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        cdc.faults.add("*", **kwargs)
