"""No password, login token, regToken, assertion or code in any log or request
record, and no password in clear anywhere in the server's memory."""

from __future__ import annotations

import dataclasses
import logging
from typing import Any, List, Set

import pytest

from gigya_fast.rest import Client
from gigya_fast.testing import LocalCDC

from ._browser import Browser

EMAIL, PASSWORD, NEW_PASSWORD = "ken@example.com", "pw-Unix-1969-secret", "pw-Plan9-1992-secret"
CLIENT_EMAIL, CLIENT_PASSWORD = "dennis@example.com", "pw-C-1972-secret"


def _browser_flows(cdc: LocalCDC, verb: str) -> List[str]:
    """Every flow as a raw client; returns every secret that went over the wire."""
    browser = Browser(cdc, verb)
    secrets = [PASSWORD, NEW_PASSWORD]
    reg = browser.call("accounts.initRegistration")["regToken"]
    registered = browser.call("accounts.register", regToken=reg, email=EMAIL, password=PASSWORD)
    pending = browser.call("accounts.login", loginID=EMAIL, password=PASSWORD)
    final = browser.call("accounts.finalizeRegistration", regToken=pending["regToken"])
    token = final["sessionInfo"]["cookieValue"]
    browser.call("accounts.setAccountInfo", login_token=token, password=PASSWORD, newPassword=NEW_PASSWORD)
    browser.call("accounts.login", loginID=EMAIL, password="wrong-" + NEW_PASSWORD)
    cdc.set_tfa(registered["UID"])
    tfa = browser.call("accounts.login", loginID=EMAIL, password=NEW_PASSWORD)
    browser.call("accounts.webSdkBootstrap", verb="GET")
    assertion = browser.call("accounts.tfa.initTFA", regToken=tfa["regToken"], provider="gigyaEmail", mode="verify")[
        "gigyaAssertion"
    ]
    email_id = browser.call("accounts.tfa.email.getEmails", gigyaAssertion=assertion)["emails"][0]["id"]
    phv = browser.call("accounts.tfa.email.sendVerificationCode", gigyaAssertion=assertion, emailID=email_id)
    code = cdc.outbox.last_code(EMAIL)
    browser.call(
        "accounts.tfa.email.completeVerification", gigyaAssertion=assertion, phvToken=phv["phvToken"], code="9"
    )
    done = browser.call(
        "accounts.tfa.email.completeVerification", gigyaAssertion=assertion, phvToken=phv["phvToken"], code=code
    )
    browser.call(
        "accounts.tfa.finalizeTFA",
        gigyaAssertion=assertion,
        providerAssertion=done["providerAssertion"],
        regToken=tfa["regToken"],
    )
    session = browser.call("accounts.finalizeRegistration", regToken=tfa["regToken"])
    second = session["sessionInfo"]["cookieValue"]
    browser.call("accounts.getJWT", login_token=second)
    browser.call("accounts.logout", login_token=second)
    secrets += [reg, pending["regToken"], token, tfa["regToken"], assertion, phv["phvToken"], code]
    secrets += [done["providerAssertion"], second]
    cdc.delete_account(registered["UID"])
    return secrets


def _client_flow(cdc: LocalCDC) -> List[str]:
    with Client(cdc.api_key, auth="anonymous", base_url=cdc.url) as client:
        reg = client.call("accounts.initRegistration")["regToken"]
        client.call(
            "accounts.register", regToken=reg, email=CLIENT_EMAIL, password=CLIENT_PASSWORD, finalizeRegistration=True
        )
        login = client.call("accounts.login", loginID=CLIENT_EMAIL, password=CLIENT_PASSWORD)
        token = login["sessionInfo"]["cookieValue"]
        client.call("accounts.getAccountInfo", login_token=token)  # the token as a call parameter
    with Client(cdc.api_key, login_token=token, base_url=cdc.url) as session:  # and as the client's credential
        session.call("accounts.getAccountInfo")
        session.call("accounts.logout")
        session.call("accounts.getAccountInfo", raise_on_error=False)
    return [CLIENT_PASSWORD, reg, token]


def _strings_in(root: Any) -> Set[str]:
    """Every str reachable from *root* through containers, dataclasses and gigya_fast objects."""
    found: Set[str] = set()
    seen: Set[int] = set()
    stack = [root]
    while stack:
        obj = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        if isinstance(obj, str):
            found.add(obj)
        elif isinstance(obj, bytes):
            found.add(obj.decode("latin-1"))
        elif isinstance(obj, dict):
            stack.extend(obj.keys())
            stack.extend(obj.values())
        elif isinstance(obj, (list, tuple, set, frozenset)):
            stack.extend(obj)
        elif dataclasses.is_dataclass(obj) or type(obj).__module__.startswith("gigya_fast"):
            stack.extend(getattr(obj, "__dict__", {}).values())
            stack.extend(getattr(obj, name) for name in getattr(type(obj), "__slots__", ()) if hasattr(obj, name))
    return found


@pytest.mark.parametrize("verb", ["POST", "GET"])
def test_flows_leave_no_secret_in_logs_or_records(caplog: pytest.LogCaptureFixture, verb: str) -> None:
    caplog.set_level(logging.DEBUG)
    with LocalCDC() as cdc:
        secrets = _browser_flows(cdc, verb)
        client_secrets = _client_flow(cdc)
        records = cdc.requests
        memory = _strings_in(cdc.state)
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("gigya_fast"))
    everything = "\n".join(r.getMessage() for r in caplog.records)
    assert len(records) > 20 and ours
    for secret in secrets + client_secrets:
        assert secret not in ours
        assert secret not in repr(records)
        assert all(secret not in value for r in records for value in [*r.params.values(), *r.headers.values()])
    # The Client sends form bodies: not even urllib3's own log lines show its secrets (a raw GET
    # puts them in the URL, which urllib3 logs: that is the raw client's doing, not ours).
    for secret in client_secrets:
        assert secret not in everything
    assert CLIENT_EMAIL in memory  # the walk reaches the account store (and so the login table beside it)
    for password in (PASSWORD, NEW_PASSWORD, CLIENT_PASSWORD):
        assert not any(password in text for text in memory)
