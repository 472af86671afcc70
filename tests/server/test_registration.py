"""Registration over the wire, as a plain client sends it: initRegistration,
register, finalizeRegistration, the pending states and their errors."""

from __future__ import annotations

from typing import Any, Dict, Iterator

import pytest

from gigya_fast.testing import LocalCDC

from ._browser import Browser
from ._wire import Sender

EMAIL, PASSWORD = "grace@example.com", "Hopper-1906!"


def _reg_token(browser: Browser) -> str:
    answer = browser.call("accounts.initRegistration")
    assert answer["errorCode"] == 0 and answer["regToken"]
    return str(answer["regToken"])


def _register(browser: Browser, **extra: Any) -> Dict[str, Any]:
    params: Dict[str, Any] = {"email": EMAIL, "password": PASSWORD, "profile": {"firstName": "Grace"}}
    params.update(extra)
    return browser.call("accounts.register", regToken=_reg_token(browser), **params)


def test_register_and_finalize_in_one_call(cdc: LocalCDC, browser: Browser) -> None:
    answer = _register(browser, finalizeRegistration="true", data={"newsletter": True}, include="profile,data")
    assert answer["errorCode"] == 0, answer
    uid = answer["UID"]
    assert answer["sessionInfo"]["cookieName"] == f"glt_{cdc.api_key}" and answer["UIDSignature"]
    assert answer["profile"] == {"firstName": "Grace", "email": EMAIL} and answer["data"] == {"newsletter": True}
    account = cdc.get_account(uid) or {}
    assert account["isRegistered"] is True and account["registered"] and account["loginIDs"]["emails"] == [EMAIL]
    token = answer["sessionInfo"]["cookieValue"]
    assert browser.call("accounts.getAccountInfo", login_token=token)["UID"] == uid
    assert browser.call("accounts.login", loginID=EMAIL, password=PASSWORD)["UID"] == uid


def test_three_steps(cdc: LocalCDC, browser: Browser) -> None:
    reg_token = _reg_token(browser)
    registered = browser.call("accounts.register", regToken=reg_token, email=EMAIL, password=PASSWORD)
    assert registered["errorCode"] == 0 and registered["UID"] and "sessionInfo" not in registered
    account = cdc.get_account(registered["UID"]) or {}
    assert account["isRegistered"] is False and "registered" not in account
    final = browser.call("accounts.finalizeRegistration", regToken=reg_token)
    assert final["errorCode"] == 0 and final["UID"] == registered["UID"] and final["sessionInfo"]["cookieValue"]
    assert (cdc.get_account(registered["UID"]) or {})["isRegistered"] is True
    used = browser.call("accounts.finalizeRegistration", regToken=reg_token)
    assert used["errorCode"] == 400006  # a regToken finishes one flow


def test_login_before_finalizing_is_206001_with_a_reg_token(cdc: LocalCDC, browser: Browser) -> None:
    uid = _register(browser)["UID"]
    pending = browser.call("accounts.login", loginID=EMAIL, password=PASSWORD)
    assert pending["errorCode"] == 206001 and pending["errorMessage"] == "Account Pending Registration"
    assert pending["statusCode"] == 206 and pending["regToken"] and "sessionInfo" not in pending
    final = browser.call("accounts.finalizeRegistration", regToken=pending["regToken"])
    assert final["errorCode"] == 0 and final["UID"] == uid
    assert browser.call("accounts.login", loginID=EMAIL, password=PASSWORD)["errorCode"] == 0


def test_wrong_password_of_a_pending_account_is_still_403042(browser: Browser) -> None:
    _register(browser)
    assert browser.call("accounts.login", loginID=EMAIL, password="wrong")["errorCode"] == 403042


@pytest.mark.parametrize("email", [EMAIL, EMAIL.upper()], ids=["same", "other-case"])
def test_duplicate_email_is_400003(cdc: LocalCDC, browser: Browser, email: str) -> None:
    assert _register(browser, finalizeRegistration="true")["errorCode"] == 0
    answer = _register(browser, email=email)
    assert answer["errorCode"] == 400003 and answer["errorMessage"] == "Unique identifier exists"
    assert answer["validationErrors"] == [
        {"errorCode": 400003, "message": "email already exists", "fieldName": "email"}
    ]
    assert len([a for a in cdc.accounts if a["profile"].get("email") == EMAIL]) == 1


def test_duplicate_of_an_account_created_by_the_test(cdc: LocalCDC, browser: Browser) -> None:
    cdc.create_account({"email": EMAIL}, password="other")
    assert _register(browser)["errorCode"] == 400003


def test_registration_errors(cdc: LocalCDC, browser: Browser) -> None:
    unknown = browser.call("accounts.register", regToken="forged", email=EMAIL, password=PASSWORD)
    assert unknown["errorCode"] == 400006 and "regToken" in unknown["errorDetails"]
    reg_token = _reg_token(browser)
    assert browser.call("accounts.register", regToken=reg_token, password=PASSWORD)["errorCode"] == 400002
    assert browser.call("accounts.register", regToken=reg_token, email=EMAIL)["errorCode"] == 400002
    assert browser.call("accounts.register", email=EMAIL, password=PASSWORD)["errorCode"] == 400002
    invalid = browser.call("accounts.register", regToken=reg_token, email="not-an-address", password=PASSWORD)
    assert invalid["errorCode"] == 400009 and invalid["validationErrors"][0]["fieldName"] == "email"
    bad_profile = browser.call("accounts.register", regToken=reg_token, email=EMAIL, password=PASSWORD, profile="[1]")
    assert bad_profile["errorCode"] == 400006
    assert browser.call("accounts.finalizeRegistration", regToken=reg_token)["errorCode"] == 400006  # nothing yet
    assert browser.call("accounts.register", regToken=reg_token, email=EMAIL, password=PASSWORD)["errorCode"] == 0
    again = browser.call("accounts.register", regToken=reg_token, email="x@example.com", password=PASSWORD)
    assert again["errorCode"] == 400006  # one account per regToken


def test_reg_tokens_expire_after_an_hour(cdc: LocalCDC, browser: Browser) -> None:
    reg_token = _reg_token(browser)
    cdc.clock_offset = 3601
    assert browser.call("accounts.register", regToken=reg_token, email=EMAIL, password=PASSWORD)["errorCode"] == 400006


@pytest.fixture
def verifying() -> Iterator[LocalCDC]:
    """A site that requires a verified email before a session."""
    with LocalCDC(require_email_verification=True) as server:
        yield server


def test_unverified_email_is_206002_until_verified(verifying: LocalCDC) -> None:
    browser = Browser(verifying)
    pending = _register(browser, finalizeRegistration="true")
    assert pending["errorCode"] == 206002 and pending["errorMessage"] == "Account Pending Verification"
    (account,) = verifying.accounts
    uid = account["UID"]
    assert account["isVerified"] is False and account["emails"]["unverified"] == [EMAIL]
    assert browser.call("accounts.login", loginID=EMAIL, password=PASSWORD)["errorCode"] == 206002
    assert browser.call("accounts.finalizeRegistration", regToken=pending["regToken"])["errorCode"] == 206002
    assert Sender(verifying).call("accounts.setAccountInfo", UID=uid, isVerified="true")["errorCode"] == 0
    final = browser.call("accounts.finalizeRegistration", regToken=pending["regToken"])
    assert final["errorCode"] == 0 and final["UID"] == uid
