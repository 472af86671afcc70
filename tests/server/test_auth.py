"""Every authentication mode, accepted and refused, with CDC's error codes."""

from __future__ import annotations

import email.utils
import time
import uuid
from typing import Any, Dict

import pytest

from gigya_fast import Signer
from gigya_fast.testing import LocalCDC

from ..kernels._vectors import OAUTH_PARAMS, OAUTH_SECRET, OAUTH_VECTORS
from ._wire import Sender, fresh, ref_base_string, ref_query, ref_sign


def _uid(cdc: LocalCDC) -> str:
    return str(cdc.accounts[0]["UID"])


# -- the independent reference signer agrees with docs/protocol.md and the kernels ------------------

@pytest.mark.parametrize("url, sig", OAUTH_VECTORS)
def test_reference_signer_known_answers(url: str, sig: str) -> None:
    assert ref_sign(OAUTH_SECRET, ref_base_string("POST", url, OAUTH_PARAMS)) == sig
    assert Signer(OAUTH_SECRET).sign_request("POST", url, OAUTH_PARAMS)[1] == sig


# -- HMAC signatures ------------------------------------------------------------------------------


def test_partner_signature_accepted(cdc: LocalCDC, sender: Sender) -> None:
    answer = sender.call("accounts.getAccountInfo", UID=_uid(cdc))
    assert answer["errorCode"] == 0
    assert cdc.requests[-1].auth_mode == "partner_sig"


def test_user_key_signature_accepted(cdc: LocalCDC, sender: Sender) -> None:
    answer = sender.call("accounts.getAccountInfo", user_key=cdc.user_key, UID=_uid(cdc))
    assert answer["errorCode"] == 0
    record = cdc.requests[-1]
    assert (record.auth_mode, record.error_code) == ("user_sig", 0)


def test_kernel_signed_request_accepted(cdc: LocalCDC, sender: Sender) -> None:
    params = fresh(cdc, cdc.user_key, UID=_uid(cdc), profile={"a": "é ~*"})
    url = cdc.url + "/accounts.getAccountInfo"
    query, sig = Signer(cdc.user_secret).sign_request("POST", url, params)
    assert query == ref_query(params)
    response = sender.raw("/accounts.getAccountInfo", query + "&sig=" + sig.replace("+", "%2B").replace("/", "%2F"))
    assert response.json()["errorCode"] == 0


def test_added_user_key(cdc: LocalCDC, sender: Sender) -> None:
    key, secret = cdc.add_user_key()
    assert sender.call("accounts.getAccountInfo", user_key=key, secret=secret, UID=_uid(cdc))["errorCode"] == 0
    cdc.remove_user_key(key)
    assert sender.call("accounts.getAccountInfo", user_key=key, secret=secret, UID=_uid(cdc))["errorCode"] == 403005


def test_bad_signature(cdc: LocalCDC, sender: Sender) -> None:
    answer = sender.call("accounts.getAccountInfo", secret=cdc.user_secret, UID=_uid(cdc))
    assert answer["errorCode"] == 403003
    assert answer["errorMessage"] == "Invalid request signature"
    assert answer["statusCode"] == 403 and answer["_http"].status == 200


def test_tampered_parameter(cdc: LocalCDC, sender: Sender) -> None:
    params = fresh(cdc, UID=_uid(cdc))
    body = ref_query(params) + "&sig=" + ref_sign(cdc.partner_secret, "not the base string")
    assert sender.raw("/accounts.getAccountInfo", body).json()["errorCode"] == 403003


def test_signature_over_host_header(cdc: LocalCDC, sender: Sender) -> None:
    """The signed URL is scheme://Host/path as received, so a proxied host name works."""
    answer = sender.call("accounts.getAccountInfo", host="accounts.us1.gigya.com", UID=_uid(cdc))
    assert answer["errorCode"] == 0
    assert cdc.requests[-1].host == "accounts.us1.gigya.com"


def test_signature_for_another_host_rejected(cdc: LocalCDC, sender: Sender) -> None:
    params = fresh(cdc, UID=_uid(cdc))
    from ._wire import signed_body

    body = signed_body("http://accounts.us1.gigya.com/accounts.getAccountInfo", params, cdc.partner_secret)
    assert sender.raw("/accounts.getAccountInfo", body).json()["errorCode"] == 403003


def test_unknown_user_key(cdc: LocalCDC, sender: Sender) -> None:
    answer = sender.call("accounts.getAccountInfo", user_key="NOPE", secret=cdc.user_secret, UID=_uid(cdc))
    assert answer["errorCode"] == 403005


@pytest.mark.parametrize("missing", ["apiKey", "timestamp", "nonce"])
def test_missing_parameters(cdc: LocalCDC, sender: Sender, missing: str) -> None:
    params = fresh(cdc, UID=_uid(cdc))
    del params[missing]
    answer = sender.call("accounts.getAccountInfo", params=params)
    assert answer["errorCode"] == 400002
    assert missing in answer["errorDetails"]


def test_no_credentials_at_all(cdc: LocalCDC, sender: Sender) -> None:
    answer = sender.form("/accounts.getAccountInfo", {"apiKey": cdc.api_key, "UID": _uid(cdc)})
    assert answer["errorCode"] == 400002


def test_unknown_api_key(cdc: LocalCDC, sender: Sender) -> None:
    params = fresh(cdc, UID=_uid(cdc))
    params["apiKey"] = "3_not-a-key"
    assert sender.call("accounts.getAccountInfo", params=params)["errorCode"] == 400093


def test_non_numeric_timestamp(cdc: LocalCDC, sender: Sender) -> None:
    params = fresh(cdc, UID=_uid(cdc))
    params["timestamp"] = "12.5"
    assert sender.call("accounts.getAccountInfo", params=params)["errorCode"] == 400006


# -- replay and time window -----------------------------------------------------------------------


def test_nonce_replay(cdc: LocalCDC, sender: Sender) -> None:
    params = fresh(cdc, UID=_uid(cdc))
    assert sender.call("accounts.getAccountInfo", params=params)["errorCode"] == 0
    answer = sender.call("accounts.getAccountInfo", params=params)
    assert answer["errorCode"] == 403004
    params["nonce"] = uuid.uuid4().hex
    assert sender.call("accounts.getAccountInfo", params=params)["errorCode"] == 0


def test_bad_signature_does_not_burn_the_nonce(cdc: LocalCDC, sender: Sender) -> None:
    params = fresh(cdc, UID=_uid(cdc))
    assert sender.call("accounts.getAccountInfo", params=params, secret=cdc.user_secret)["errorCode"] == 403003
    assert sender.call("accounts.getAccountInfo", params=params)["errorCode"] == 0


@pytest.mark.parametrize("skew", [-125, 125, -3600])
def test_expired_timestamp(cdc: LocalCDC, sender: Sender, skew: int) -> None:
    params = fresh(cdc, UID=_uid(cdc), timestamp=str(int(time.time()) + skew))
    answer = sender.call("accounts.getAccountInfo", params=params)
    assert answer["errorCode"] == 403002
    date = email.utils.parsedate_to_datetime(answer["_http"].headers["Date"]).timestamp()
    assert abs(date - time.time()) < 5


@pytest.mark.parametrize("skew", [-100, 100])
def test_timestamp_within_window(cdc: LocalCDC, sender: Sender, skew: int) -> None:
    params = fresh(cdc, UID=_uid(cdc), timestamp=str(int(time.time()) + skew))
    assert sender.call("accounts.getAccountInfo", params=params)["errorCode"] == 0


def test_clock_offset_and_date_header(cdc: LocalCDC, sender: Sender) -> None:
    cdc.clock_offset = 600
    answer = sender.call("accounts.getAccountInfo", UID=_uid(cdc))
    assert answer["errorCode"] == 403002
    server_now = email.utils.parsedate_to_datetime(answer["_http"].headers["Date"]).timestamp()
    assert 590 < server_now - time.time() < 610
    # A client that adopts the Date header's clock succeeds.
    params = fresh(cdc, UID=_uid(cdc), timestamp=str(int(server_now)))
    assert sender.call("accounts.getAccountInfo", params=params)["errorCode"] == 0


# -- secret in clear ------------------------------------------------------------------------------


def test_clear_secret_over_http_refused(cdc: LocalCDC, sender: Sender) -> None:
    params = {"apiKey": cdc.api_key, "userKey": cdc.user_key, "secret": cdc.user_secret, "UID": _uid(cdc)}
    answer = sender.form("/accounts.getAccountInfo", params)
    assert answer["errorCode"] == 403006
    assert cdc.requests[-1].params["secret"] == "***"


def test_clear_secret_over_https(tls_cdc: LocalCDC) -> None:
    sender = Sender(tls_cdc)
    uid = _uid(tls_cdc)
    good = {"apiKey": tls_cdc.api_key, "userKey": tls_cdc.user_key, "secret": tls_cdc.user_secret, "UID": uid}
    assert sender.form("/accounts.getAccountInfo", good)["errorCode"] == 0
    assert tls_cdc.requests[-1].auth_mode == "user_secret"
    partner = {"apiKey": tls_cdc.api_key, "secret": tls_cdc.partner_secret, "UID": uid}
    assert sender.form("/accounts.getAccountInfo", partner)["errorCode"] == 0
    bad = dict(good, secret=tls_cdc.partner_secret)
    assert sender.form("/accounts.getAccountInfo", bad)["errorCode"] == 403003


def test_insecure_secrets_can_be_allowed() -> None:
    with LocalCDC(seed_accounts=1, allow_insecure_secrets=True) as cdc:
        params = {"apiKey": cdc.api_key, "userKey": cdc.user_key, "secret": cdc.user_secret, "UID": _uid(cdc)}
        assert Sender(cdc).form("/accounts.getAccountInfo", params)["errorCode"] == 0


# -- anonymous methods ----------------------------------------------------------------------------


def test_anonymous_method_needs_only_api_key(cdc: LocalCDC, sender: Sender) -> None:
    pytest.importorskip("cryptography")
    answer = sender.form("/accounts.getJWTPublicKey", {"apiKey": cdc.api_key, "V2": "true"})
    assert answer["errorCode"] == 0 and answer["keys"]
    assert cdc.requests[-1].auth_mode == "anonymous"
    assert sender.form("/accounts.getJWTPublicKey", {"V2": "true"})["errorCode"] == 400002


# -- OAuth2 ---------------------------------------------------------------------------------------


def _token(sender: Sender, cdc: LocalCDC, **overrides: str) -> Any:
    params: Dict[str, str] = {
        "client_id": cdc.user_key,
        "client_secret": cdc.user_secret,
        "grant_type": "client_credentials",
    }
    params.update(overrides)
    return sender.raw("/oauth2/token", ref_query(params))


def test_oauth2_client_credentials(tls_cdc: LocalCDC) -> None:
    sender = Sender(tls_cdc)
    response = _token(sender, tls_cdc)
    assert response.status == 200
    token = response.json()
    assert token["token_type"] == "Bearer" and token["expires_in"] == 600
    uid = _uid(tls_cdc)
    answer = sender.form(
        "/accounts.getAccountInfo",
        {"apiKey": tls_cdc.api_key, "UID": uid},
        headers={"Authorization": "Bearer " + token["access_token"]},
    )
    assert answer["errorCode"] == 0
    assert tls_cdc.requests[-1].auth_mode == "oauth2"
    assert tls_cdc.requests[-1].headers["Authorization"] == "***"
    # signed with the token's user key secret
    assert Signer(tls_cdc.user_secret).validate_user(uid, answer["signatureTimestamp"], answer["UIDSignature"])
    via_param = {"apiKey": tls_cdc.api_key, "UID": uid, "oauth_token": token["access_token"]}
    assert sender.form("/accounts.getAccountInfo", via_param)["errorCode"] == 0
    assert tls_cdc.requests[-1].auth_mode == "oauth_token"


def test_oauth2_errors(tls_cdc: LocalCDC) -> None:
    sender = Sender(tls_cdc)
    bad_secret = _token(sender, tls_cdc, client_secret=tls_cdc.partner_secret)
    assert bad_secret.status == 401 and bad_secret.json()["error"] == "invalid_client"
    grant = _token(sender, tls_cdc, grant_type="password")
    assert grant.status == 400 and grant.json()["errorCode"] == 400013
    missing = sender.raw("/oauth2/token", "grant_type=client_credentials")
    assert missing.status == 400 and missing.json()["errorCode"] == 400002


def test_oauth2_over_http_refused(cdc: LocalCDC, sender: Sender) -> None:
    assert _token(sender, cdc).json()["errorCode"] == 403006


def test_expired_and_unknown_access_tokens(cdc: LocalCDC, sender: Sender) -> None:
    token = cdc.issue_access_token()
    params = {"apiKey": cdc.api_key, "UID": _uid(cdc)}
    auth = {"Authorization": "Bearer " + token}
    assert sender.form("/accounts.getAccountInfo", params, headers=auth)["errorCode"] == 0
    cdc.clock_offset = 601
    assert sender.form("/accounts.getAccountInfo", params, headers=auth)["errorCode"] == 403005
    cdc.clock_offset = 0
    unknown = {"Authorization": "Bearer st2.nonsense"}
    assert sender.form("/accounts.getAccountInfo", params, headers=unknown)["errorCode"] == 403005
    basic = {"Authorization": "Basic abc"}
    assert sender.form("/accounts.getAccountInfo", params, headers=basic)["errorCode"] == 400008
