"""End to end against gigya_fast.testing.LocalCDC: real signed deliveries to the WSGI helper, keys via the client."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any, Dict, Iterator, List

import pytest

pytest.importorskip("cryptography", reason="the jwt extra (cryptography) is not installed")
testing = pytest.importorskip("gigya_fast.testing", reason="gigya_fast.testing is not available")

from gigya_fast import _jose  # noqa: E402
from gigya_fast.jwt import JWKSCache, verify_id_token, verify_id_token_async  # noqa: E402
from gigya_fast.rest import Client  # noqa: E402
from gigya_fast.webhooks import Notification, WebhookVerifier  # noqa: E402
from gigya_fast.webhooks.asgi import make_asgi_app  # noqa: E402
from gigya_fast.webhooks.wsgi import make_wsgi_app  # noqa: E402

from ._webhook_support import JWT_HEADER, post_status, serving_wsgi  # noqa: E402
from .test_webhook_glue import run_asgi  # noqa: E402


@pytest.fixture
def cdc() -> Iterator[Any]:
    with testing.LocalCDC() as server:
        yield server


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
        attempts.append(len(notification.claim_new_events()))
        if len(attempts) == 1:
            raise RuntimeError("first attempt fails: CDC must redeliver")
        seen.append(notification)

    try:
        with serving_wsgi(make_wsgi_app(verifier, handler)) as url:
            cdc.register_webhook(url)
            uid = cdc.create_account(profile={"email": "a@example.com"})
            wait_for(lambda: seen)
            assert cdc.flush_webhooks(10)
    finally:
        client.close()
    notification = seen[0]
    assert notification.verified_by == frozenset({"hmac", "jwt"})
    events = notification.claim_new_events()
    assert [(e.type, e.uid) for e in events] == [("accountCreated", uid)]
    assert attempts[:2] == [1, 1], "the failed attempt released its event ids"
    statuses = [d.status for d in cdc.webhook_deliveries]
    assert statuses[:2] == [500, 200]


def test_wrong_secret_is_refused_and_redelivered(cdc: Any) -> None:
    import base64

    verifier = WebhookVerifier(base64.b64encode(b"not the partner secret").decode())
    with serving_wsgi(make_wsgi_app(verifier, lambda n: None)) as url:
        cdc.register_webhook(url, jwt=False)
        cdc.create_account()
        wait_for(lambda: len(cdc.webhook_deliveries) >= 2)
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


def key_fetches(cdc: Any) -> int:
    return sum(1 for r in cdc.requests if r.method == "accounts.getJWTPublicKey")


def test_forged_data_centers_over_the_wire_cost_no_fetch(cdc: Any) -> None:
    client = Client(cdc.api_key, base_url=cdc.url)
    cache = JWKSCache.from_client(
        client, fetch_for_data_center=lambda dc: client.call("accounts.getJWTPublicKey", {"V2": True})
    )
    verifier = WebhookVerifier(api_key=cdc.api_key, jwks=cache)
    kid = cdc.jwks["keys"][0]["kid"]
    claims = _jose.b64url_encode(json.dumps({"iss": "x", "sub": "y"}).encode())
    try:
        with serving_wsgi(make_wsgi_app(verifier, lambda n: None)) as url:
            statuses = set()
            for i in range(1_000):
                header = _jose.b64url_encode(json.dumps({"alg": "RS256", "kid": kid, "dc": f"dc{i}"}).encode())
                forged = f"{header}.{claims}.{_jose.b64url_encode(bytes(256))}"
                statuses.add(post_status(url, b'{"nonce":"n","timestamp":1}', {JWT_HEADER: forged}))
    finally:
        client.close()
    assert statuses == {401}
    assert key_fetches(cdc) == 0 and cache.fetch_count == 0, "unsigned dc values made the verifier fetch"


class ThreadedAsyncClient:
    """A stand-in for gigya_fast.aio.AsyncClient: ``await call(method, params)``, here the
    blocking Client in a worker thread (the real one talks aiohttp)."""

    def __init__(self, client: Client) -> None:
        self._client = client
        self.api_domain = client.api_domain

    async def call(self, method: str, params: Dict[str, Any]) -> Any:
        return await asyncio.to_thread(self._client.call, method, params)


def test_async_key_path_over_a_real_localcdc(cdc: Any) -> None:
    client = Client(cdc.api_key, base_url=cdc.url)
    cache = JWKSCache.from_async_client(ThreadedAsyncClient(client), min_refetch_interval=0)
    try:
        uid = cdc.create_account()

        async def main() -> List[Dict[str, Any]]:
            tokens = [cdc.issue_id_token(uid) for _ in range(20)]
            return list(
                await asyncio.gather(*(verify_id_token_async(t, api_key=cdc.api_key, jwks=cache) for t in tokens))
            )

        assert [c["sub"] for c in asyncio.run(main())] == [uid] * 20
        assert key_fetches(cdc) == 1, "twenty concurrent verifications, one fetch"
        cdc.rotate_jwt_key()
        assert asyncio.run(verify_id_token_async(cdc.issue_id_token(uid), api_key=cdc.api_key, jwks=cache))
        assert key_fetches(cdc) == 2
    finally:
        client.close()


def test_asgi_receiver_verifies_real_deliveries_with_the_async_cache(cdc: Any) -> None:
    client = Client(cdc.api_key, base_url=cdc.url)
    cache = JWKSCache.from_async_client(ThreadedAsyncClient(client))
    verifier = WebhookVerifier(cdc.partner_secret, api_key=cdc.api_key, jwks=cache)
    got: List[Notification] = []
    try:
        with serving_wsgi(lambda env, start: start("200 OK", []) or [b""]) as url:  # records the deliveries
            cdc.register_webhook(url)
            cdc.create_account()
            assert cdc.flush_webhooks(10)
        delivery = cdc.webhook_deliveries[0]
        assert JWT_HEADER in delivery.headers
        status, _, _ = run_asgi(make_asgi_app(verifier, got.append), delivery.body, delivery.headers)
    finally:
        client.close()
    assert status == 200 and got[0].verified_by == frozenset({"hmac", "jwt"})
    assert key_fetches(cdc) == 1
