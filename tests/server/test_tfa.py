"""Two-factor verification by email over the wire, as a plain client sends it
(the order a browser follows after ``accounts.login`` answers 403101)."""

from __future__ import annotations

from typing import Any, Dict, Tuple

import pytest

from gigya_fast.testing import LocalCDC

from ._browser import Browser

EMAIL, PASSWORD = "ada@example.com", "Analytical-Engine-1843"


@pytest.fixture
def uid(cdc: LocalCDC) -> str:
    """An account that must pass two-factor verification by email."""
    return cdc.create_account({"email": EMAIL, "firstName": "Ada"}, password=PASSWORD, tfa=True)


def _pending_login(browser: Browser) -> Dict[str, Any]:
    answer = browser.call("accounts.login", loginID=EMAIL, password=PASSWORD)
    assert answer["errorCode"] == 403101, answer
    return answer


def _send_code(browser: Browser, reg_token: str) -> Tuple[str, str, str]:
    """initTFA, getEmails and sendVerificationCode: returns (gigyaAssertion, emailID, phvToken)."""
    init = browser.call("accounts.tfa.initTFA", regToken=reg_token, provider="gigyaEmail", mode="verify")
    assertion = init["gigyaAssertion"]
    email_id = browser.call("accounts.tfa.email.getEmails", gigyaAssertion=assertion)["emails"][0]["id"]
    sent = browser.call("accounts.tfa.email.sendVerificationCode", gigyaAssertion=assertion, emailID=email_id)
    return assertion, email_id, sent["phvToken"]


def _verify(cdc: LocalCDC, browser: Browser, reg_token: str, **finalize: Any) -> Tuple[str, str]:
    """initTFA .. finalizeTFA with the code from the outbox; returns (gigyaAssertion, providerAssertion)."""
    assertion, _, phv_token = _send_code(browser, reg_token)
    done = browser.call(
        "accounts.tfa.email.completeVerification",
        gigyaAssertion=assertion,
        phvToken=phv_token,
        code=cdc.outbox.last_code(EMAIL),
    )
    final = browser.call(
        "accounts.tfa.finalizeTFA",
        gigyaAssertion=assertion,
        providerAssertion=done["providerAssertion"],
        regToken=reg_token,
        **finalize,
    )
    assert final["errorCode"] == 0, final
    return assertion, done["providerAssertion"]


def test_the_whole_flow_ends_in_a_session(cdc: LocalCDC, uid: str, browser: Browser) -> None:
    pending = _pending_login(browser)
    assert pending["errorMessage"] == "Account Pending TFA Verification"
    assert pending["errorDetails"] == "Pending Two-Factor Authentication" and pending["statusCode"] == 403
    assert pending["UID"] == uid and pending["regToken"] and pending["sessionInfo"] == {"expires_in": "3600"}

    response, boot = browser.raw("accounts.webSdkBootstrap", verb="GET")
    assert boot["errorCode"] == 0 and {"gmid", "ucid", "hasGmid"} <= set(browser.cookies)
    assert all("Path=/" in line for line in response.headers.getlist("Set-Cookie"))

    reg_token = pending["regToken"]
    init = browser.call("accounts.tfa.initTFA", regToken=reg_token, provider="gigyaEmail", mode="verify")
    assert init["errorCode"] == 0 and init["gigyaAssertion"]
    providers = browser.call("accounts.tfa.getProviders", regToken=reg_token)
    assert providers["activeProviders"][0]["name"] == "gigyaEmail"
    emails = browser.call("accounts.tfa.email.getEmails", gigyaAssertion=init["gigyaAssertion"])
    assert emails["emails"] == [{"id": emails["emails"][0]["id"], "obfuscated": "a*a@example.com"}]
    sent = browser.call(
        "accounts.tfa.email.sendVerificationCode",
        gigyaAssertion=init["gigyaAssertion"],
        emailID=emails["emails"][0]["id"],
        lang="en",
    )
    assert sent["errorCode"] == 0 and sent["phvToken"]
    message = cdc.outbox.last(EMAIL)
    assert message.kind == "tfa" and message.uid == uid and len(message.code) == 6 and message.code.isdigit()
    assert message.code in message.body and message.code not in repr(message)

    wrong_code = "000000" if message.code != "000000" else "111111"
    wrong = browser.call(
        "accounts.tfa.email.completeVerification",
        gigyaAssertion=init["gigyaAssertion"],
        phvToken=sent["phvToken"],
        code=wrong_code,
    )
    assert wrong["errorCode"] == 400006 and "wrong verification code" in wrong["errorDetails"]
    done = browser.call(  # a wrong code may be retried with the same phvToken
        "accounts.tfa.email.completeVerification",
        gigyaAssertion=init["gigyaAssertion"],
        phvToken=sent["phvToken"],
        code=message.code,
    )
    assert done["errorCode"] == 0 and done["providerAssertion"]

    early = browser.call("accounts.finalizeRegistration", regToken=reg_token)
    assert early["errorCode"] == 403101  # finalizeTFA not called yet
    final = browser.call(
        "accounts.tfa.finalizeTFA",
        gigyaAssertion=init["gigyaAssertion"],
        providerAssertion=done["providerAssertion"],
        regToken=reg_token,
    )
    assert final["errorCode"] == 0
    session = browser.call("accounts.finalizeRegistration", regToken=reg_token, include="profile")
    assert session["errorCode"] == 0 and session["UID"] == uid and session["sessionInfo"]["cookieValue"]
    assert browser.call("accounts.getAccountInfo", login_token=session["sessionInfo"]["cookieValue"])["UID"] == uid


def test_the_verified_device_is_remembered_for_its_gmid(cdc: LocalCDC, uid: str, browser: Browser) -> None:
    browser.call("accounts.webSdkBootstrap", verb="GET")
    _verify(cdc, browser, _pending_login(browser)["regToken"])
    assert browser.call("accounts.login", loginID=EMAIL, password=PASSWORD)["errorCode"] == 0
    elsewhere = Browser(cdc, browser.verb, browser.key_name)  # another device: no gmid cookie
    assert elsewhere.call("accounts.login", loginID=EMAIL, password=PASSWORD)["errorCode"] == 403101
    # a client without a cookie jar names its device with the gmid parameter
    gmid = browser.cookies["gmid"]
    assert elsewhere.call("accounts.login", loginID=EMAIL, password=PASSWORD, gmid=gmid)["errorCode"] == 0
    cdc.clock_offset = 31 * 86400  # remembered for 30 days
    assert browser.call("accounts.login", loginID=EMAIL, password=PASSWORD)["errorCode"] == 403101


def test_temp_device_is_remembered_for_an_hour_only(cdc: LocalCDC, uid: str, browser: Browser) -> None:
    browser.call("accounts.webSdkBootstrap", verb="GET")
    _verify(cdc, browser, _pending_login(browser)["regToken"], tempDevice="true")
    assert browser.call("accounts.login", loginID=EMAIL, password=PASSWORD)["errorCode"] == 0
    cdc.clock_offset = 3601
    assert browser.call("accounts.login", loginID=EMAIL, password=PASSWORD)["errorCode"] == 403101


def test_without_a_device_the_reg_token_still_finalizes(cdc: LocalCDC, uid: str, browser: Browser) -> None:
    reg_token = _pending_login(browser)["regToken"]
    _verify(cdc, browser, reg_token)
    assert browser.call("accounts.finalizeRegistration", regToken=reg_token)["errorCode"] == 0
    assert browser.call("accounts.login", loginID=EMAIL, password=PASSWORD)["errorCode"] == 403101  # nothing trusted


def test_code_attempts_are_limited(cdc: LocalCDC, uid: str, browser: Browser) -> None:
    assertion, email_id, phv_token = _send_code(browser, _pending_login(browser)["regToken"])
    code = cdc.outbox.last_code(EMAIL)
    wrong = "000000" if code != "000000" else "111111"
    params = {"gigyaAssertion": assertion, "phvToken": phv_token}
    for _ in range(5):
        assert browser.call("accounts.tfa.email.completeVerification", code=wrong, **params)["errorCode"] == 400006
    spent = browser.call("accounts.tfa.email.completeVerification", code=code, **params)
    assert spent["errorCode"] == 400006 and "send a new code" in spent["errorDetails"]
    again = browser.call("accounts.tfa.email.sendVerificationCode", gigyaAssertion=assertion, emailID=email_id)
    params["phvToken"] = again["phvToken"]
    new_code = cdc.outbox.last_code(EMAIL)
    assert browser.call("accounts.tfa.email.completeVerification", code=new_code, **params)["errorCode"] == 0


def test_codes_expire(cdc: LocalCDC, uid: str, browser: Browser) -> None:
    assertion, _, phv_token = _send_code(browser, _pending_login(browser)["regToken"])
    cdc.clock_offset = 301
    late = browser.call(
        "accounts.tfa.email.completeVerification",
        gigyaAssertion=assertion,
        phvToken=phv_token,
        code=cdc.outbox.last_code(EMAIL),
    )
    assert late["errorCode"] == 400006


def test_flow_errors(cdc: LocalCDC, uid: str, browser: Browser) -> None:
    reg_token = _pending_login(browser)["regToken"]

    def init(**params: str) -> Dict[str, Any]:
        return browser.call("accounts.tfa.initTFA", **params)

    assert init(regToken=reg_token, provider="gigyaPhone", mode="verify")["errorCode"] == 400006
    assert init(regToken=reg_token, provider="gigyaEmail", mode="register")["errorCode"] == 400006
    assert init(regToken="forged", provider="gigyaEmail", mode="verify")["errorCode"] == 400006
    assert init(regToken=reg_token, mode="verify")["errorCode"] == 400002
    fresh = browser.call("accounts.initRegistration")["regToken"]
    assert init(regToken=fresh, provider="gigyaEmail", mode="verify")["errorCode"] == 400006  # no account
    assert browser.call("accounts.tfa.email.getEmails", gigyaAssertion="forged")["errorCode"] == 400006
    assertion, provider_assertion = _verify(cdc, browser, reg_token)
    # used up: the assertion by finalizeTFA, the provider assertion by its one use
    again = browser.call(
        "accounts.tfa.finalizeTFA", gigyaAssertion=assertion, providerAssertion=provider_assertion, regToken=reg_token
    )
    assert again["errorCode"] == 400006
    other = _pending_login(Browser(cdc))["regToken"]
    assertion2 = init(regToken=other, provider="gigyaEmail", mode="verify")["gigyaAssertion"]
    assert (
        browser.call("accounts.tfa.email.sendVerificationCode", gigyaAssertion=assertion2, emailID="nope")["errorCode"]
        == 400006
    )
    mismatch = browser.call(
        "accounts.tfa.finalizeTFA", gigyaAssertion=assertion2, providerAssertion="x", regToken=reg_token
    )
    assert mismatch["errorCode"] == 400006 and "regToken" in mismatch["errorDetails"]
    forged = browser.call("accounts.tfa.finalizeTFA", gigyaAssertion=assertion2, providerAssertion="x", regToken=other)
    assert forged["errorCode"] == 400006 and "providerAssertion" in forged["errorDetails"]


def test_an_account_without_tfa_is_not_asked(cdc: LocalCDC, uid: str, browser: Browser) -> None:
    cdc.set_tfa(uid, False)
    assert browser.call("accounts.login", loginID=EMAIL, password=PASSWORD)["errorCode"] == 0
    cdc.set_tfa(uid)
    assert browser.call("accounts.login", loginID=EMAIL, password=PASSWORD)["errorCode"] == 403101
    with pytest.raises(KeyError):
        cdc.set_tfa("nobody")
