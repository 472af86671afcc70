"""Sessions over the wire, as a plain client sends them: accounts.login, the
login_token on getAccountInfo/setAccountInfo/getJWT/logout, and the errors."""

from __future__ import annotations

import time
from typing import Any, Dict

import pytest

from gigya_fast.testing import LocalCDC

from ._browser import Browser, jwt_parts, verify_rs256_with_jwks
from ._wire import Sender, ref_uid_signature

EMAIL, PASSWORD = "ada@example.com", "correct horse battery staple"


@pytest.fixture
def uid(cdc: LocalCDC) -> str:
    """An account that can log in."""
    return cdc.create_account({"email": EMAIL, "firstName": "Ada"}, {"plan": "gold"}, password=PASSWORD)


def _login(browser: Browser, **extra: Any) -> Dict[str, Any]:
    answer = browser.call("accounts.login", loginID=EMAIL, password=PASSWORD, **extra)
    assert answer["errorCode"] == 0, answer
    return answer


def test_login_answers_a_session(cdc: LocalCDC, uid: str, browser: Browser) -> None:
    answer = _login(browser)
    assert answer["UID"] == uid
    assert answer["sessionInfo"]["cookieName"] == f"glt_{cdc.api_key}"
    assert answer["sessionInfo"]["cookieValue"]
    assert abs(int(answer["signatureTimestamp"]) - time.time()) < 5
    assert answer["UIDSignature"] == ref_uid_signature(cdc.partner_secret, uid, answer["signatureTimestamp"])
    assert answer["profile"] == {"email": EMAIL, "firstName": "Ada"} and "data" not in answer
    assert answer["lastLogin"] and cdc.requests[-1].auth_mode == "anonymous"


def test_include_asks_for_account_fields(uid: str, browser: Browser) -> None:
    answer = _login(browser, include="profile,data,loginIDs")
    assert answer["data"] == {"plan": "gold"} and answer["loginIDs"]["emails"] == [EMAIL]
    assert "profile" not in _login(browser, include="data")


def test_login_ids_are_case_insensitive(uid: str, browser: Browser) -> None:
    assert browser.call("accounts.login", loginID=EMAIL.upper(), password=PASSWORD)["UID"] == uid


def test_login_signed_as_a_server(cdc: LocalCDC, uid: str, sender: Sender) -> None:
    answer = sender.call("accounts.login", user_key=cdc.user_key, loginID=EMAIL, password=PASSWORD)
    assert answer["errorCode"] == 0 and cdc.requests[-1].auth_mode == "user_sig"
    assert answer["UIDSignature"] == ref_uid_signature(cdc.user_secret, uid, answer["signatureTimestamp"])


@pytest.mark.parametrize(
    ("login_id", "password"),
    [(EMAIL, "wrong"), ("nobody@example.com", PASSWORD), (EMAIL, PASSWORD.upper())],
    ids=["wrong-password", "unknown-login-id", "password-case"],
)
def test_wrong_credentials_are_403042(uid: str, browser: Browser, login_id: str, password: str) -> None:
    answer = browser.call("accounts.login", loginID=login_id, password=password)
    assert answer["errorCode"] == 403042 and answer["errorMessage"] == "Invalid LoginID"
    assert answer["statusCode"] == 403 and "sessionInfo" not in answer and "UID" not in answer


def test_missing_credentials_are_400002(uid: str, browser: Browser) -> None:
    assert browser.call("accounts.login", loginID=EMAIL)["errorCode"] == 400002
    assert browser.call("accounts.login", password=PASSWORD)["errorCode"] == 400002


def test_login_token_reads_and_writes_its_account(cdc: LocalCDC, uid: str, browser: Browser) -> None:
    token = _login(browser)["sessionInfo"]["cookieValue"]
    info = browser.call("accounts.getAccountInfo", login_token=token, include="profile,data")
    assert info["errorCode"] == 0 and info["UID"] == uid and info["data"] == {"plan": "gold"}
    assert cdc.requests[-1].auth_mode == "login_token"
    assert browser.call("accounts.setAccountInfo", login_token=token, data={"plan": "silver"})["errorCode"] == 0
    assert (cdc.get_account(uid) or {})["data"] == {"plan": "silver"}


def test_login_token_as_the_glt_cookie(cdc: LocalCDC, uid: str, browser: Browser) -> None:
    token = _login(browser)["sessionInfo"]["cookieValue"]
    browser.cookies[f"glt_{cdc.api_key}"] = token + "|UUID=x"  # the browser cookie carries more after '|'
    assert browser.call("accounts.getAccountInfo")["UID"] == uid


def test_get_jwt_with_the_login_token_verifies_against_the_jwks(cdc: LocalCDC, uid: str, browser: Browser) -> None:
    pytest.importorskip("cryptography")
    token = _login(browser)["sessionInfo"]["cookieValue"]
    answer = browser.call("accounts.getJWT", login_token=token, fields="profile.firstName,data.plan", expiration=900)
    assert answer["errorCode"] == 0
    jwks = browser.call("accounts.getJWTPublicKey", V2="true")
    claims = verify_rs256_with_jwks(answer["id_token"], jwks)
    assert claims["sub"] == uid and claims["apiKey"] == cdc.api_key
    assert claims["exp"] - claims["iat"] == 900
    assert claims["firstName"] == "Ada" and claims["plan"] == "gold"
    assert jwt_parts(answer["id_token"])[0]["kid"] == jwks["keys"][0]["kid"]


def test_logout_ends_the_session(cdc: LocalCDC, uid: str, browser: Browser) -> None:
    token = _login(browser)["sessionInfo"]["cookieValue"]
    other = _login(browser)["sessionInfo"]["cookieValue"]
    assert browser.call("accounts.logout", login_token=token)["errorCode"] == 0
    for method in ("accounts.getAccountInfo", "accounts.getJWT", "accounts.setAccountInfo", "accounts.logout"):
        refused = browser.call(method, login_token=token)
        assert refused["errorCode"] == 403005 and refused["errorMessage"] == "Unauthorized user", method
    assert browser.call("accounts.getAccountInfo", login_token=other)["errorCode"] == 0  # only that session


def test_server_logout_ends_every_session_of_the_uid(cdc: LocalCDC, uid: str, browser: Browser) -> None:
    tokens = [_login(browser)["sessionInfo"]["cookieValue"] for _ in range(2)]
    assert Sender(cdc).call("accounts.logout", UID=uid)["errorCode"] == 0
    assert all(browser.call("accounts.getAccountInfo", login_token=t)["errorCode"] == 403005 for t in tokens)


def test_login_token_errors(cdc: LocalCDC, uid: str, browser: Browser) -> None:
    token = _login(browser)["sessionInfo"]["cookieValue"]
    assert browser.call("accounts.getAccountInfo", login_token="st2.s.forged")["errorCode"] == 403005
    other = cdc.accounts[0]["UID"]
    assert browser.call("accounts.getAccountInfo", login_token=token, UID=other)["errorCode"] == 403007
    assert browser.call("accounts.getJWT", login_token=token, targetUID=other)["errorCode"] == 403007
    assert browser.call("accounts.setAccountInfo", login_token=token, isVerified="true")["errorCode"] == 403007
    # a login token is no server credential
    assert browser.call("accounts.search", login_token=token, query="SELECT * FROM accounts")["errorCode"] == 400002
    assert browser.call("accounts.getAccountInfo", UID=uid)["errorCode"] == 400002


def test_session_expires(cdc: LocalCDC, uid: str, browser: Browser) -> None:
    token = _login(browser, sessionExpiration=60)["sessionInfo"]["cookieValue"]
    cdc.clock_offset = 61
    assert browser.call("accounts.getAccountInfo", login_token=token)["errorCode"] == 403005


def test_password_change(uid: str, browser: Browser) -> None:
    token = _login(browser)["sessionInfo"]["cookieValue"]
    wrong = browser.call("accounts.setAccountInfo", login_token=token, password="nope", newPassword="new-pw-1")
    assert wrong["errorCode"] == 403042
    changed = browser.call("accounts.setAccountInfo", login_token=token, password=PASSWORD, newPassword="new-pw-1")
    assert changed["errorCode"] == 0
    assert browser.call("accounts.login", loginID=EMAIL, password=PASSWORD)["errorCode"] == 403042
    assert browser.call("accounts.login", loginID=EMAIL, password="new-pw-1")["errorCode"] == 0


def test_deleted_account_cannot_log_in(cdc: LocalCDC, uid: str, browser: Browser) -> None:
    token = _login(browser)["sessionInfo"]["cookieValue"]
    assert cdc.delete_account(uid)
    assert browser.call("accounts.login", loginID=EMAIL, password=PASSWORD)["errorCode"] == 403042
    assert browser.call("accounts.getAccountInfo", login_token=token)["errorCode"] == 403005


def test_create_account_refuses_an_empty_password(cdc: LocalCDC) -> None:
    """An empty password is refused, not stored as a login that carries no login ID."""
    with pytest.raises(ValueError, match="must not be empty"):
        cdc.create_account({"email": EMAIL}, password="")
    assert all(account.get("profile", {}).get("email") != EMAIL for account in cdc.accounts)
    uid = cdc.create_account({"email": EMAIL}, password=PASSWORD)  # the login ID was not taken
    account = cdc.get_account(uid)
    assert account is not None and account["loginIDs"]["emails"] == [EMAIL]
