"""JWT keys for asyncio code, end to end over a real LocalCDC: ``JWKSCache.from_async_client``
on the real ``AsyncClient`` verifies id_tokens and webhook JWT headers without blocking the loop,
and concurrent lookups share one upstream fetch."""

from __future__ import annotations

import asyncio
from typing import Any, List

import pytest

from gigya_fast.aio import AsyncClient
from gigya_fast.errors import SignatureError
from gigya_fast.rest import Response
from gigya_fast.testing import LocalCDC

pytest.importorskip("cryptography", reason="the jwt extra (cryptography) is not installed")

from gigya_fast.jwt import JWKSCache, verify_id_token_async  # noqa: E402
from gigya_fast.webhooks import Notification, WebhookVerifier  # noqa: E402

EMAIL, PASSWORD = "ada@example.com", "Analytical-Engine-1843"


def _key_fetches(cdc: LocalCDC) -> int:
    return sum(1 for r in cdc.requests if r.method == "accounts.getJWTPublicKey")


@pytest.mark.asyncio
async def test_id_tokens_from_a_login_verify_with_keys_fetched_once() -> None:
    with LocalCDC() as cdc:
        uid = cdc.create_account({"email": EMAIL, "firstName": "Ada"}, password=PASSWORD)
        async with AsyncClient(cdc.api_key, auth="anonymous", base_url=cdc.url) as front:
            login = await front.call("accounts.login", loginID=EMAIL, password=PASSWORD)
            token = login["sessionInfo"]["cookieValue"]
            async with AsyncClient(cdc.api_key, login_token=token, base_url=cdc.url) as session:
                id_token = (await session.call("accounts.getJWT", fields="profile.firstName"))["id_token"]
            keys = JWKSCache.from_async_client(front)
            verified = await asyncio.gather(
                *(verify_id_token_async(id_token, api_key=cdc.api_key, jwks=keys) for _ in range(20))
            )
    assert {claims["sub"] for claims in verified} == {uid}
    assert verified[0]["firstName"] == "Ada"
    assert keys.fetch_count == 1 and _key_fetches(cdc) == 1


@pytest.mark.asyncio
async def test_a_receiver_on_the_loop_verifies_webhook_jwts_with_keys_from_the_async_client() -> None:
    from aiohttp import web

    got: List[Notification] = []
    refused: List[str] = []
    with LocalCDC(webhook_retry_delays=(0.05,)) as cdc:
        client = AsyncClient(cdc.api_key, user_key=cdc.user_key, secret=cdc.user_secret, base_url=cdc.url)
        async with client:
            verifier = WebhookVerifier(api_key=cdc.api_key, jwks=JWKSCache.from_async_client(client), require="jwt")

            async def receive(request: Any) -> Any:
                raw = await request.read()
                try:
                    got.append(await verifier.verify_async(raw, dict(request.headers)))
                except SignatureError as exc:
                    refused.append(str(exc))
                    return web.Response(status=401)
                return web.Response(status=200)

            app = web.Application()
            app.router.add_post("/hook", receive)
            runner = web.AppRunner(app)
            await runner.setup()
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
            try:
                port = runner.addresses[0][1]
                cdc.register_webhook("http://127.0.0.1:%d/hook" % port, jwt=True)
                profiles = [{"email": "u%d@example.com" % n} for n in range(3)]
                calls = [("accounts.importFullAccount", {"profile": profile}) for profile in profiles]
                created = await client.call_many(calls, concurrency=3)
                # LocalCDC delivers from its own thread; this loop keeps serving the receiver meanwhile.
                assert await asyncio.to_thread(cdc.flush_webhooks, 10)
            finally:
                await runner.cleanup()
    assert refused == []
    assert all(n.verified_by == frozenset({"jwt"}) for n in got)
    uids = [r["UID"] for r in created if isinstance(r, Response)]
    assert len(uids) == 3 and sorted(e.data["uid"] for n in got for e in n.events) == sorted(uids)
    assert _key_fetches(cdc) == 1
