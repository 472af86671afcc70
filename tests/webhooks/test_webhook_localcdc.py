"""End to end against gigya_fast.testing.LocalCDC: real signed deliveries to the WSGI helper, keys via the client."""

from __future__ import annotations

import threading
import time
from typing import Any, Iterator, List
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest

pytest.importorskip("cryptography", reason="the jwt extra (cryptography) is not installed")
testing = pytest.importorskip("gigya_fast.testing", reason="gigya_fast.testing is not available")

from gigya_fast.jwt import JWKSCache, verify_id_token  # noqa: E402
from gigya_fast.rest import Client  # noqa: E402
from gigya_fast.webhooks import Notification, WebhookVerifier  # noqa: E402
from gigya_fast.webhooks.wsgi import make_wsgi_app  # noqa: E402


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def cdc() -> Iterator[Any]:
    with testing.LocalCDC() as server:
        yield server


def serve(app: Any) -> tuple[WSGIServer, str]:
    server = make_server("127.0.0.1", 0, app, handler_class=_Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/hook"


def wait_for(predicate: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.02)


def test_deliveries_verify_with_hmac_and_jwt(cdc: Any) -> None:
    client = Client(cdc.api_key, base_url=cdc.url)
    cache = JWKSCache.from_client(client)
    verifier = WebhookVerifier(cdc.partner_secret, api_key=cdc.api_key, jwks=cache)
    seen: List[Notification] = []
    attempts: List[int] = []

    def handler(notification: Notification) -> None:
        attempts.append(len(notification.new_events))
        if len(attempts) == 1:
            raise RuntimeError("first attempt fails: CDC must redeliver")
        seen.append(notification)

    server, url = serve(make_wsgi_app(verifier, handler))
    try:
        cdc.register_webhook(url)
        uid = cdc.create_account(profile={"email": "a@example.com"})
        wait_for(lambda: seen)
        assert cdc.flush_webhooks(10)
    finally:
        server.shutdown()
        server.server_close()
        client.close()
    notification = seen[0]
    assert notification.verified_by == frozenset({"hmac", "jwt"})
    events = notification.new_events
    assert [(e.type, e.uid) for e in events] == [("accountCreated", uid)]
    assert attempts[:2] == [1, 1], "the failed attempt released its event ids"
    statuses = [d.status for d in cdc.webhook_deliveries]
    assert statuses[:2] == [500, 200]


def test_wrong_secret_is_refused_and_redelivered(cdc: Any) -> None:
    import base64

    verifier = WebhookVerifier(base64.b64encode(b"not the partner secret").decode())
    server, url = serve(make_wsgi_app(verifier, lambda n: None))
    try:
        cdc.register_webhook(url, jwt=False)
        cdc.create_account()
        wait_for(lambda: len(cdc.webhook_deliveries) >= 2)
    finally:
        server.shutdown()
        server.server_close()
    # Attempts made after the receiver shut down fail to connect (status None).
    assert [d.status for d in cdc.webhook_deliveries][:2] == [401, 401]


def test_id_token_and_key_rotation(cdc: Any) -> None:
    client = Client(cdc.api_key, base_url=cdc.url)
    cache = JWKSCache.from_client(client, min_refetch_interval=0)
    try:
        uid = cdc.create_account()
        claims = verify_id_token(cdc.issue_id_token(uid), api_key=cdc.api_key, jwks=cache)
        assert claims["sub"] == uid
        new_kid = cdc.rotate_jwt_key()
        assert new_kid not in cache.kids()
        claims = verify_id_token(cdc.issue_id_token(uid), api_key=cdc.api_key, jwks=cache)
        assert claims["sub"] == uid and new_kid in cache.kids()
    finally:
        client.close()
