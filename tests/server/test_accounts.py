"""Account methods against the in-memory store."""

from __future__ import annotations

import json
import time

import pytest

from gigya_fast.testing import LocalCDC

from ._wire import Sender, ref_uid_signature


def test_get_account_info(cdc: LocalCDC, sender: Sender) -> None:
    account = cdc.accounts[2]
    answer = sender.call("accounts.getAccountInfo", UID=account["UID"])
    assert answer["errorCode"] == 0
    assert answer["UID"] == account["UID"]
    assert answer["profile"] == account["profile"] and answer["data"] == {"seedIndex": 2}
    for field in ("created", "createdTimestamp", "lastUpdated", "lastUpdatedTimestamp", "isActive", "callId", "time"):
        assert field in answer
    assert abs(int(answer["signatureTimestamp"]) - time.time()) < 5
    expected = ref_uid_signature(cdc.partner_secret, account["UID"], answer["signatureTimestamp"])
    assert answer["UIDSignature"] == expected


def test_uid_signature_uses_the_user_key_secret(cdc: LocalCDC, sender: Sender) -> None:
    uid = cdc.accounts[0]["UID"]
    answer = sender.call("accounts.getAccountInfo", user_key=cdc.user_key, UID=uid)
    assert answer["UIDSignature"] == ref_uid_signature(cdc.user_secret, uid, answer["signatureTimestamp"])


def test_include_filters_objects(cdc: LocalCDC, sender: Sender) -> None:
    answer = sender.call("accounts.getAccountInfo", UID=cdc.accounts[0]["UID"], include="profile")
    assert "profile" in answer and "data" not in answer


def test_unknown_and_missing_uid(cdc: LocalCDC, sender: Sender) -> None:
    assert sender.call("accounts.getAccountInfo", UID="missing")["errorCode"] == 403047
    assert sender.call("accounts.getAccountInfo")["errorCode"] == 400002


def test_set_account_info_deep_merge(cdc: LocalCDC, sender: Sender) -> None:
    uid = cdc.create_account(profile={"firstName": "A", "lastName": "B"}, data={"prefs": {"x": 1, "y": 2}, "k": 1})
    before = cdc.get_account(uid)
    assert before is not None
    time.sleep(0.002)
    answer = sender.call(
        "accounts.setAccountInfo",
        UID=uid,
        profile=json.dumps({"firstName": "Z"}),
        data={"prefs": {"y": 3, "z": {"deep": True}}, "k": None},
    )
    assert answer["errorCode"] == 0
    after = cdc.get_account(uid)
    assert after is not None
    assert after["profile"] == {"firstName": "Z", "lastName": "B"}
    assert after["data"] == {"prefs": {"x": 1, "y": 3, "z": {"deep": True}}}
    assert after["lastUpdatedTimestamp"] > before["lastUpdatedTimestamp"]
    assert after["createdTimestamp"] == before["createdTimestamp"]


def test_set_account_info_errors(cdc: LocalCDC, sender: Sender) -> None:
    uid = cdc.accounts[0]["UID"]
    assert sender.call("accounts.setAccountInfo", UID="nobody", data={"a": 1})["errorCode"] == 403047
    assert sender.call("accounts.setAccountInfo", UID=uid, data="{not json")["errorCode"] == 400006
    assert sender.call("accounts.setAccountInfo", UID=uid, data="[1, 2]")["errorCode"] == 400006
    assert sender.call("accounts.setAccountInfo", data={"a": 1})["errorCode"] == 400002


def test_import_and_delete(cdc: LocalCDC, sender: Sender) -> None:
    created = sender.call("accounts.importFullAccount", profile={"email": "n@example.com"})
    assert created["errorCode"] == 0
    uid = created["UID"]
    assert cdc.get_account(uid)["profile"]["email"] == "n@example.com"  # type: ignore[index]
    chosen = sender.call("accounts.importFullAccount", UID="my-uid", data={"a": 1})
    assert chosen["UID"] == "my-uid"
    assert sender.call("accounts.importFullAccount", UID="my-uid")["errorCode"] == 400003
    assert sender.call("accounts.deleteAccount", UID=uid)["errorCode"] == 0
    assert cdc.get_account(uid) is None
    assert sender.call("accounts.deleteAccount", UID=uid)["errorCode"] == 403047


def test_direct_helpers(cdc: LocalCDC) -> None:
    uid = cdc.create_account({"a": 1}, uid="fixed")
    assert uid == "fixed"
    with pytest.raises(ValueError):
        cdc.create_account(uid="fixed")
    cdc.update_account(uid, data={"b": 2})
    assert cdc.get_account(uid)["data"] == {"b": 2}  # type: ignore[index]
    copy = cdc.get_account(uid)
    copy["data"]["b"] = 99  # type: ignore[index]
    assert cdc.get_account(uid)["data"] == {"b": 2}  # type: ignore[index]
    assert cdc.delete_account(uid) and not cdc.delete_account(uid)


def test_get_user_info(cdc: LocalCDC, sender: Sender) -> None:
    account = cdc.accounts[1]
    answer = sender.call("socialize.getUserInfo", UID=account["UID"])
    assert answer["errorCode"] == 0
    for field in ("nickname", "age", "email", "firstName", "lastName"):
        assert answer[field] == account["profile"][field]
    assert answer["UIDSignature"] == ref_uid_signature(cdc.partner_secret, account["UID"], answer["signatureTimestamp"])
    assert sender.call("getUserInfo", UID=account["UID"])["errorCode"] == 0  # no dot -> socialize
    assert cdc.requests[-1].method == "socialize.getUserInfo"


def test_exchange_uid_signature(cdc: LocalCDC, sender: Sender) -> None:
    uid = cdc.accounts[0]["UID"]
    ts = str(int(time.time()))
    signature = ref_uid_signature(cdc.partner_secret, uid, ts)
    answer = sender.call(
        "accounts.exchangeUIDSignature", user_key=cdc.user_key, UID=uid, UIDSignature=signature, signatureTimestamp=ts
    )
    assert answer["errorCode"] == 0
    assert answer["UIDSignature"] == ref_uid_signature(cdc.user_secret, uid, answer["signatureTimestamp"])


def test_exchange_uid_signature_rejections(cdc: LocalCDC, sender: Sender) -> None:
    uid = cdc.accounts[0]["UID"]
    old = str(int(time.time()) - 61)
    stale = sender.call(
        "accounts.exchangeUIDSignature",
        user_key=cdc.user_key,
        UID=uid,
        UIDSignature=ref_uid_signature(cdc.partner_secret, uid, old),
        signatureTimestamp=old,
    )
    assert stale["errorCode"] == 400006
    ts = str(int(time.time()))
    forged = sender.call(
        "accounts.exchangeUIDSignature",
        user_key=cdc.user_key,
        UID=uid,
        UIDSignature=ref_uid_signature(cdc.user_secret, uid, ts),
        signatureTimestamp=ts,
    )
    assert forged["errorCode"] == 403003
    missing = sender.call("accounts.exchangeUIDSignature", user_key=cdc.user_key, UID=uid)
    assert missing["errorCode"] == 400002
