"""``LocalCDC.reset()``: a shared server starts each test clean (what the pytest plugin relies on)."""

from __future__ import annotations

import importlib.util

from gigya_fast.testing import LocalCDC
from gigya_fast.testing.outbox import OutboxMessage

from ._browser import Browser
from ._wire import Sender


def test_reset_forgets_what_a_test_did() -> None:
    with LocalCDC(seed_accounts=2, clock_offset=5) as cdc:
        url, api_key, user_key, secret = cdc.url, cdc.api_key, cdc.user_key, cdc.user_secret
        seeded = {a["UID"] for a in cdc.accounts}
        uid = cdc.create_account({"email": "a@example.com"}, password="pw-one", tfa=True)
        token = cdc.issue_login_token(uid)
        browser = Browser(cdc)
        pending = browser.call("accounts.login", loginID="a@example.com", password="pw-one")
        assert pending["errorCode"] == 403101
        extra_key, _ = cdc.add_user_key()
        cdc.faults.add("accounts.search", error_code=500001, times=None)
        cdc.register_webhook("http://127.0.0.1:9/hook")
        cdc.clock_offset = 500
        cdc.outbox.put(OutboxMessage("a@example.com", "subject", "tfa", uid, "123456"))
        with_jwt = importlib.util.find_spec("cryptography") is not None
        if with_jwt:
            first_kid = cdc.jwks["keys"][0]["kid"]
            assert cdc.rotate_jwt_key(keep_old=True) != first_kid
            assert len(cdc.jwks["keys"]) == 2

        cdc.reset()

        assert (cdc.url, cdc.api_key, cdc.user_key, cdc.user_secret) == (url, api_key, user_key, secret)
        assert len(cdc.accounts) == 2 and {a["UID"] for a in cdc.accounts}.isdisjoint(seeded | {uid})
        assert cdc.requests == [] and len(cdc.outbox) == 0 and cdc.faults.pending == []
        assert cdc.state.webhooks.webhooks == [] and cdc.clock_offset == 5
        assert not with_jwt or len(cdc.jwks["keys"]) == 1
        assert cdc.state.keys.user_secret(extra_key) is None
        assert browser.call("accounts.getAccountInfo", login_token=token)["errorCode"] == 403005
        assert browser.call("accounts.login", loginID="a@example.com", password="pw-one")["errorCode"] == 403042
        assert browser.call("accounts.finalizeRegistration", regToken=pending["regToken"])["errorCode"] == 400006
        answer = Sender(cdc).call("accounts.search", user_key=user_key, query="SELECT count(*) FROM accounts")
        assert answer["results"] == [{"count(*)": 2}]
