"""The login flows through the real pooled clients, ``gigya_fast.rest.Client`` and
``gigya_fast.aio.AsyncClient`` (the ``make_client`` parametrisation of the client
wire tests): client-side (API key only), with the user's session as a
``login_token`` client, and signed as a server, with every error path raising
the typed error that carries the CDC fields.
"""

from __future__ import annotations

from typing import Any, Callable, Dict

import pytest

from gigya_fast import validate_user_signature
from gigya_fast.errors import APIError
from gigya_fast.testing import LocalCDC

EMAIL, PASSWORD = "barbara@example.com", "Liskov-Substitution-87"


@pytest.fixture
def client(cdc: LocalCDC, make_client: Callable[..., Any]) -> Any:
    """A client-side client: API key only, as a web or mobile front end calls CDC."""
    return make_client(cdc.api_key, auth="anonymous", base_url=cdc.url, retries=0)


@pytest.fixture
def server(cdc: LocalCDC, make_client: Callable[..., Any]) -> Any:
    """A server-side client: signed with the user key's secret."""
    return make_client(cdc.api_key, user_key=cdc.user_key, secret=cdc.user_secret, base_url=cdc.url)


def _api_error(call: Any, *args: Any, **kwargs: Any) -> APIError:
    with pytest.raises(APIError) as caught:
        call(*args, **kwargs)
    return caught.value


def test_register_log_in_and_use_the_session(cdc: LocalCDC, client: Any, make_client: Callable[..., Any]) -> None:
    reg_token = client.call("accounts.initRegistration")["regToken"]
    registered = client.call(
        "accounts.register",
        regToken=reg_token,
        email=EMAIL,
        password=PASSWORD,
        profile={"firstName": "Barbara"},
        finalizeRegistration=True,
    )
    uid = registered["UID"]
    login = client.call("accounts.login", loginID=EMAIL, password=PASSWORD, include="profile")
    assert login["UID"] == uid and login.get("sessionInfo.cookieName") == f"glt_{cdc.api_key}"
    assert validate_user_signature(uid, login["signatureTimestamp"], cdc.partner_secret, login["UIDSignature"])
    token = login["sessionInfo"]["cookieValue"]
    session = make_client(cdc.api_key, login_token=token, base_url=cdc.url, retries=0)
    assert session.auth_mode == "session"
    assert session.call("accounts.getAccountInfo")["profile"]["firstName"] == "Barbara"
    session.call("accounts.setAccountInfo", data={"seen": True})
    assert (cdc.get_account(uid) or {})["data"] == {"seen": True}
    assert client.call("accounts.getAccountInfo", login_token=token)["UID"] == uid  # as a call parameter, too
    session.call("accounts.logout")
    refused = _api_error(session.call, "accounts.getAccountInfo")
    assert refused.error_code == 403005 and isinstance(refused, PermissionError)
    for record in cdc.requests[-5:]:
        assert "sig" not in record.params and "userKey" not in record.params and token not in repr(record)


def test_id_token_from_the_login_token_verifies(cdc: LocalCDC, client: Any, make_client: Callable[..., Any]) -> None:
    pytest.importorskip("cryptography")
    from gigya_fast.jwt import JWKSCache, verify_id_token

    uid = cdc.create_account({"email": EMAIL, "firstName": "Barbara"}, password=PASSWORD)
    token = client.call("accounts.login", loginID=EMAIL, password=PASSWORD)["sessionInfo"]["cookieValue"]
    session = make_client(cdc.api_key, login_token=token, base_url=cdc.url)
    id_token = session.call("accounts.getJWT", fields="profile.firstName", expiration=600)["id_token"]
    claims = verify_id_token(id_token, api_key=cdc.api_key, jwks=JWKSCache.from_client(client))
    assert claims["sub"] == uid and claims["firstName"] == "Barbara" and claims["exp"] - claims["iat"] == 600


def test_server_side_login_signs_with_the_user_key(cdc: LocalCDC, server: Any) -> None:
    uid = cdc.create_account({"email": EMAIL}, password=PASSWORD)
    login = server.call("accounts.login", loginID=EMAIL, password=PASSWORD)
    assert validate_user_signature(uid, login["signatureTimestamp"], cdc.user_secret, login["UIDSignature"])
    assert not validate_user_signature(uid, login["signatureTimestamp"], cdc.partner_secret, login["UIDSignature"])
    server.call("accounts.logout", UID=uid)
    assert cdc.requests[-1].auth_mode == "user_sig"


def test_error_paths_raise_with_the_cdc_fields(cdc: LocalCDC, client: Any) -> None:
    cdc.create_account({"email": EMAIL}, password=PASSWORD)
    wrong = _api_error(client.call, "accounts.login", loginID=EMAIL, password="nope")
    assert wrong.error_code == 403042 and wrong.error_message == "Invalid LoginID"
    reg_token = client.call("accounts.initRegistration")["regToken"]
    duplicate = _api_error(client.call, "accounts.register", regToken=reg_token, email=EMAIL, password="x")
    assert duplicate.error_code == 400003 and isinstance(duplicate, ValueError)
    assert _api_error(client.call, "accounts.finalizeRegistration", regToken="forged").error_code == 400006
    assert _api_error(client.call, "accounts.getAccountInfo", login_token="forged").error_code == 403005


def test_pending_registration_through_the_client(cdc: LocalCDC, client: Any) -> None:
    reg_token = client.call("accounts.initRegistration")["regToken"]
    uid = client.call("accounts.register", regToken=reg_token, email=EMAIL, password=PASSWORD)["UID"]
    pending = client.call("accounts.login", loginID=EMAIL, password=PASSWORD, raise_on_error=False)
    assert pending.error_code == 206001 and pending["regToken"]
    assert client.call("accounts.finalizeRegistration", regToken=pending["regToken"])["UID"] == uid


def _set_cookies(headers: Any) -> Dict[str, str]:
    lines = headers.getlist("Set-Cookie") if hasattr(headers, "getlist") else headers["Set-Cookie"].split(", ")
    return dict(line.split(";", 1)[0].split("=", 1) for line in lines)


def test_two_factor_flow_through_the_client(cdc: LocalCDC, client: Any) -> None:
    uid = cdc.create_account({"email": EMAIL}, password=PASSWORD, tfa=True)
    pending = _api_error(client.call, "accounts.login", loginID=EMAIL, password=PASSWORD)
    assert pending.error_code == 403101 and isinstance(pending, PermissionError)
    reg_token = pending.response["regToken"]
    gmid = _set_cookies(client.call("accounts.webSdkBootstrap").headers)["gmid"]
    assertion = client.call("accounts.tfa.initTFA", regToken=reg_token, provider="gigyaEmail", mode="verify")[
        "gigyaAssertion"
    ]
    (email,) = client.call("accounts.tfa.email.getEmails", gigyaAssertion=assertion)["emails"]
    phv_token = client.call("accounts.tfa.email.sendVerificationCode", gigyaAssertion=assertion, emailID=email["id"])[
        "phvToken"
    ]
    code = cdc.outbox.last_code(EMAIL)
    wrong = _api_error(
        client.call,
        "accounts.tfa.email.completeVerification",
        gigyaAssertion=assertion,
        phvToken=phv_token,
        code="x" + code,
    )
    assert wrong.error_code == 400006
    provider_assertion = client.call(
        "accounts.tfa.email.completeVerification", gigyaAssertion=assertion, phvToken=phv_token, code=code
    )["providerAssertion"]
    client.call(
        "accounts.tfa.finalizeTFA",
        gigyaAssertion=assertion,
        providerAssertion=provider_assertion,
        regToken=reg_token,
        gmid=gmid,
    )
    session = client.call("accounts.finalizeRegistration", regToken=reg_token)
    assert session["UID"] == uid and session["sessionInfo"]["cookieValue"]
    assert client.call("accounts.login", loginID=EMAIL, password=PASSWORD, gmid=gmid)["UID"] == uid


def test_over_https(make_client: Callable[..., Any]) -> None:
    pytest.importorskip("trustme")
    with LocalCDC(tls=True) as tls:
        front = make_client(tls.api_key, auth="anonymous", base_url=tls.url, ca_certs=tls.ca_path)
        uid = tls.create_account({"email": EMAIL}, password=PASSWORD)
        token = front.call("accounts.login", loginID=EMAIL, password=PASSWORD)["sessionInfo"]["cookieValue"]
        session = make_client(tls.api_key, login_token=token, base_url=tls.url, ca_certs=tls.ca_path)
        assert session.call("accounts.getAccountInfo")["UID"] == uid
