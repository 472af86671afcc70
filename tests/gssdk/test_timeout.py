"""``send(timeout)`` in seconds, as in the original, against LocalCDC answers delayed by a fault.

The original passed ``float(timeout)`` to ``urlopen`` when the argument was
truthy (so ``"10"`` meant ten seconds, and ``None``, ``0`` or ``""`` meant no
limit). The drop-in takes the same values; "no limit" becomes the pooled
client's bounded default (10 s to connect, 60 s to read).
"""

from __future__ import annotations

import time
from typing import Any, Optional

import pytest

from gigya_fast.GSSDK import GSRequest
from gigya_fast.testing import LocalCDC
from tests.gssdk.local_requests import request_to


@pytest.mark.parametrize("timeout", [3, 3.0, "3", "3.5", " 3 "])
def test_seconds_as_int_float_or_text(cdc: LocalCDC, timeout: Any) -> None:
    """An answer that takes 0.4 s arrives well within three seconds, however the number is written."""
    uid = cdc.create_account()
    cdc.faults.add("accounts.getAccountInfo", delay=0.4)
    response = request_to(cdc, params={"UID": uid}).send(timeout)
    assert response.getErrorCode() == 0, response.getErrorMessage()
    assert f"timeout={float(timeout)!r}" in response.getLog()


@pytest.mark.parametrize("timeout", [0.3, "0.3"])
def test_no_answer_in_time_is_504002(cdc: LocalCDC, timeout: Any) -> None:
    uid = cdc.create_account()
    cdc.faults.add("accounts.getAccountInfo", delay=2.0, times=2)
    started = time.monotonic()
    response = request_to(cdc, params={"UID": uid}).send(timeout)
    elapsed = time.monotonic() - started
    assert 0.25 <= elapsed < 1.5, elapsed
    assert response.getErrorCode() == 504002
    assert response.getErrorMessage() == "Request Timeout"
    assert response.getResponseText() == '{errorCode:504002,errorMessage:"Request Timeout"}'
    assert response.getData() == {}
    assert len(cdc.faults.pending) == 1, "sent once: send() does not resend after a timeout"


def test_a_write_that_times_out_may_still_be_applied(cdc: LocalCDC) -> None:
    """The reason 504002 is kept apart from 500000: the server may have executed the call."""
    uid = cdc.create_account()
    cdc.faults.add("accounts.setAccountInfo", delay=0.6)
    response = request_to(cdc, "accounts.setAccountInfo", {"UID": uid, "data": {"late": True}}).send(0.2)
    assert response.getErrorCode() == 504002
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        account = cdc.get_account(uid)
        if account is not None and account.get("data", {}).get("late") is True:
            break
        time.sleep(0.05)
    else:
        pytest.fail("the delayed write was never applied")


def test_ten_seconds_from_sap_sendrequest_is_not_ten_milliseconds(cdc: LocalCDC) -> None:
    """The issue's report: ``send(10)`` answered 504002 after ~30 ms. It is ten seconds."""
    uid = cdc.create_account()
    cdc.faults.add("accounts.setAccountInfo", delay=0.2)
    response = request_to(cdc, "accounts.setAccountInfo", {"UID": uid, "data": {"x": 1}}).send(10)
    assert response.getErrorCode() == 0, response.getErrorMessage()
    text = response.getResponseText()
    assert isinstance(text, bytes) and text.startswith(b"{")  # a server answer: bytes, as in the original


@pytest.mark.parametrize("timeout", [None, 0, 0.0, "", "0", False])
def test_no_limit_means_the_clients_default(cdc: LocalCDC, timeout: Any) -> None:
    """What meant "wait forever" in the original waits for the client's default instead (60 s to read)."""
    uid = cdc.create_account()
    cdc.faults.add("accounts.getAccountInfo", delay=0.6)
    response = request_to(cdc, params={"UID": uid}).send(timeout)
    assert response.getErrorCode() == 0, response.getErrorMessage()
    assert "timeout=" not in response.getLog()


def test_send_without_argument(cdc: LocalCDC) -> None:
    uid = cdc.create_account()
    assert request_to(cdc, params={"UID": uid}).send().getErrorCode() == 0


@pytest.mark.parametrize("timeout", ["ten", "10s", [1]])
def test_not_a_number_raises_as_in_the_original(cdc: LocalCDC, timeout: Any) -> None:
    with pytest.raises((ValueError, TypeError)):
        request_to(cdc, params={"UID": "x"}).send(timeout)
    assert cdc.requests == []


@pytest.mark.parametrize("timeout", [-1, "-0.5", float("nan"), float("inf"), "inf"])
def test_impossible_limits_are_500000_without_sending(cdc: LocalCDC, timeout: Any) -> None:
    response = request_to(cdc, params={"UID": "x"}).send(timeout)
    assert response.getErrorCode() == 500000
    assert "timeout" in response.getErrorMessage()
    assert cdc.requests == []


def test_true_is_one_second_as_in_the_original(cdc: LocalCDC) -> None:
    """``float(True)`` is 1.0: the original waited one second, and so does the drop-in."""
    uid = cdc.create_account()
    cdc.faults.add("accounts.getAccountInfo", delay=2.0)
    started = time.monotonic()
    response = request_to(cdc, params={"UID": uid}).send(True)
    assert response.getErrorCode() == 504002
    assert 0.9 <= time.monotonic() - started < 1.9


def test_connection_refused_is_500000_not_a_timeout() -> None:
    with LocalCDC() as server:
        url, api_key, secret = server.url, server.api_key, server.partner_secret
    request = GSRequest(api_key, secret, "accounts.getAccountInfo", {"UID": "x"})
    request.setAPIDomain(url)
    response = request.send(2)
    assert response.getErrorCode() == 500000
    message: Optional[str] = response.getErrorMessage()
    assert message and "refused" in message.lower()
