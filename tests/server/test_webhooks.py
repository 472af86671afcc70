"""Webhook delivery to a small receiver on 127.0.0.1, signatures and redelivery."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, Iterator, List, Tuple

import pytest

from gigya_fast.testing import LocalCDC

from ._wire import Sender


class Receiver:
    """Records POSTs; answers the scripted statuses first (then 200), optionally slowly."""

    def __init__(self) -> None:
        self.received: List[Tuple[Dict[str, str], bytes]] = []
        self.script: List[int] = []
        self.delay = 0.0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with receiver.lock:
                    receiver.received.append((dict(self.headers.items()), body))
                    status = receiver.script.pop(0) if receiver.script else 200
                if receiver.delay:
                    time.sleep(receiver.delay)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def events(self) -> List[Dict[str, Any]]:
        with self.lock:
            return [e for _, body in self.received for e in json.loads(body)["events"]]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    rec = Receiver()
    yield rec
    rec.close()


def hmac_b64(secret: str, body: bytes) -> str:
    return base64.b64encode(hmac.new(base64.b64decode(secret), body, hashlib.sha1).digest()).decode()


def test_account_events_delivered_and_signed(cdc: LocalCDC, sender: Sender, receiver: Receiver) -> None:
    cdc.register_webhook(receiver.url)
    created = sender.call("accounts.importFullAccount", profile={"email": "w@example.com"})
    uid = created["UID"]
    assert cdc.flush_webhooks(5)
    sender.call("accounts.setAccountInfo", UID=uid, data={"x": 1})
    assert cdc.flush_webhooks(5)
    sender.call("accounts.deleteAccount", UID=uid)
    assert cdc.flush_webhooks(5)
    events = receiver.events()
    assert [e["type"] for e in events] == ["accountCreated", "accountUpdated", "accountDeleted"]
    first = events[0]
    assert first["data"] == {"uid": uid} and first["apiKey"] == cdc.api_key and first["version"] == "2.0"
    assert first["callId"] == created["callId"]
    assert len({e["id"] for e in events}) == 3
    for headers, body in receiver.received:
        assert headers["Content-Type"] == "application/json"
        assert hmac.compare_digest(headers["X-Gigya-Sig-Hmac-Sha1"], hmac_b64(cdc.partner_secret, body))
        payload = json.loads(body)
        assert isinstance(payload["nonce"], str) and abs(payload["timestamp"] - time.time()) < 10


def test_signing_user_key_and_event_filter(cdc: LocalCDC, receiver: Receiver) -> None:
    cdc.register_webhook(receiver.url, events=["accountDeleted"], signing_user_key=cdc.user_key, jwt=False)
    uid = cdc.create_account()
    cdc.delete_account(uid)
    assert cdc.flush_webhooks(5)
    assert [e["type"] for e in receiver.events()] == ["accountDeleted"]
    headers, body = receiver.received[0]
    assert headers["X-Gigya-Sig-Hmac-Sha1"] == hmac_b64(cdc.user_secret, body)
    assert "X-Gigya-Sig-JWT" not in headers


def test_jwt_signature_header(cdc: LocalCDC, receiver: Receiver) -> None:
    pytest.importorskip("cryptography")
    from .test_jwt import b64url, verify_with_jwks

    cdc.register_webhook(receiver.url)
    cdc.create_account()
    assert cdc.flush_webhooks(5)
    headers, body = receiver.received[0]
    token = headers["X-Gigya-Sig-JWT"]
    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    assert header["kid"] and header["dc"] == "us1"
    claims = verify_with_jwks(token, cdc.jwks)
    payload = json.loads(body)
    assert claims["iss"] == f"https://fidm.gigya.com/jwt/{cdc.api_key}/"
    assert claims["iat"] == payload["timestamp"] and claims["exp"] == claims["iat"] + 60
    assert claims["jti"] == payload["nonce"]
    assert claims["sub"] == b64url(hashlib.sha256(body).digest())


def test_redelivery_keeps_event_ids(cdc: LocalCDC, receiver: Receiver) -> None:
    receiver.script = [500, 503]
    cdc.register_webhook(receiver.url)
    cdc.create_account()
    assert cdc.flush_webhooks(5)
    assert len(receiver.received) == 3
    ids = [[e["id"] for e in json.loads(body)["events"]] for _, body in receiver.received]
    assert ids[0] == ids[1] == ids[2]
    nonces = {json.loads(body)["nonce"] for _, body in receiver.received}
    assert len(nonces) == 3  # each attempt is a new notification of the same events
    statuses = [d.status for d in cdc.webhook_deliveries]
    assert statuses == [500, 503, 200] and [d.attempt for d in cdc.webhook_deliveries] == [1, 2, 3]


def test_redelivery_after_timeout_and_connection_errors(receiver: Receiver) -> None:
    receiver.delay = 0.4
    with LocalCDC(webhook_timeout=0.1, webhook_retry_delays=(0.02,), webhook_max_attempts=3) as cdc:
        cdc.register_webhook(receiver.url)
        cdc.create_account()
        assert cdc.flush_webhooks(5)
        assert [d.status for d in cdc.webhook_deliveries] == [None, None, None]
        assert "timed out" in (cdc.webhook_deliveries[0].error or "")
        assert len(cdc.state.webhooks.failed) == 1
    with LocalCDC(webhook_retry_delays=(0.01,), webhook_max_attempts=2) as cdc:
        cdc.register_webhook("http://127.0.0.1:1/nothing-listens")
        cdc.create_account()
        assert cdc.flush_webhooks(5)
        assert [d.attempt for d in cdc.webhook_deliveries] == [1, 2]


def test_batching_and_unregister(cdc: LocalCDC, receiver: Receiver) -> None:
    receiver.delay = 0.2
    hook = cdc.register_webhook(receiver.url)
    for _ in range(4):
        cdc.create_account()
    assert cdc.flush_webhooks(5)
    assert len(receiver.events()) == 4 and len(receiver.received) < 4  # later events were batched
    cdc.unregister_webhook(hook)
    cdc.create_account()
    assert cdc.flush_webhooks(5)
    assert len(receiver.events()) == 4


def test_register_validation(cdc: LocalCDC) -> None:
    with pytest.raises(ValueError):
        cdc.register_webhook("ftp://example.com/")
    with pytest.raises(ValueError):
        cdc.register_webhook("http://127.0.0.1:1/", events=["accountExploded"])
    with pytest.raises(ValueError):
        cdc.register_webhook("http://127.0.0.1:1/", signing_user_key="unknown")
    assert cdc.flush_webhooks(0.1)  # nothing queued


def test_registration_and_login_events(cdc: LocalCDC, receiver: Receiver) -> None:
    from ._browser import Browser

    cdc.register_webhook(receiver.url, events=["accountCreated", "accountRegistered", "accountLoggedIn"])
    browser = Browser(cdc)
    reg_token = browser.call("accounts.initRegistration")["regToken"]
    uid = browser.call("accounts.register", regToken=reg_token, email="e@example.com", password="pw-x")["UID"]
    browser.call("accounts.finalizeRegistration", regToken=reg_token)
    browser.call("accounts.login", loginID="e@example.com", password="pw-x")
    browser.call("accounts.login", loginID="e@example.com", password="wrong")
    assert cdc.flush_webhooks(5)
    kinds = [(e["type"], e["data"]["uid"]) for e in receiver.events()]
    assert kinds == [
        ("accountCreated", uid),
        ("accountRegistered", uid),
        ("accountLoggedIn", uid),
        ("accountLoggedIn", uid),
    ]
