"""JWKSCache from asyncio: fetched on the loop with a coroutine, one fetch for concurrent lookups, cancellation."""

from __future__ import annotations

import asyncio
import threading
from typing import Any, Dict, List

import pytest

from gigya_fast.errors import ConfigurationError, ExpiredToken, UnknownKeyId
from gigya_fast.jwt import JWKSCache, resolve_key_async, verify_id_token, verify_id_token_async

from ._jwt_support import API_KEY, KID, NOW, claims, jwks, private_key, token


class Response:
    """The shape of gigya_fast.rest.Response that the cache relies on: a mapping ``data``."""

    def __init__(self, data: Dict[str, Any]) -> None:
        self.data = data

    def __getitem__(self, name: str) -> Any:
        return self.data[name]


class AsyncClient:
    """A duck-typed async client: ``await call(method, params)``; counts calls, can be held or fail."""

    def __init__(self) -> None:
        self.calls: List[tuple[str, Dict[str, Any]]] = []
        self.gate: asyncio.Event | None = None
        self.fail: Exception | None = None
        self.data_center = "eu1"

    async def call(self, method: str, params: Dict[str, Any]) -> Response:
        self.calls.append((method, dict(params)))
        if self.gate is not None:
            await self.gate.wait()
        if self.fail is not None:
            raise self.fail
        return Response(jwks())


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def test_from_async_client_fetches_with_the_coroutine() -> None:
    client = AsyncClient()
    cache = JWKSCache.from_async_client(client)

    async def main() -> Any:
        claims_ = await verify_id_token_async(token(), api_key=API_KEY, jwks=cache, now=NOW)
        again = await verify_id_token_async(token(), api_key=API_KEY, jwks=cache, now=NOW)
        return claims_, again

    first, second = run(main())
    assert first == second == claims()
    assert client.calls == [("accounts.getJWTPublicKey", {"V2": True})]
    assert "data_center='eu1'" in repr(cache) and cache.kids() == [KID]


def test_concurrent_lookups_share_one_fetch() -> None:
    client = AsyncClient()
    cache = JWKSCache.from_async_client(client)

    async def main() -> List[Any]:
        client.gate = asyncio.Event()
        tasks = [asyncio.ensure_future(cache.get_key_async(KID)) for _ in range(50)]
        await asyncio.sleep(0.01)
        assert not any(t.done() for t in tasks), "all wait on the one fetch, which is held"
        client.gate.set()
        return list(await asyncio.gather(*tasks))

    keys = run(main())
    assert len({id(k) for k in keys}) == 1
    assert len(client.calls) == 1 and cache.fetch_count == 1


def test_a_failed_fetch_fails_closed_and_is_throttled() -> None:
    client = AsyncClient()
    client.fail = ConnectionError("key server down")
    cache = JWKSCache.from_async_client(client)

    async def main() -> List[Any]:
        client.gate = asyncio.Event()
        leader = asyncio.ensure_future(cache.get_key_async(KID))
        await asyncio.sleep(0)
        waiters = [asyncio.ensure_future(cache.get_key_async(KID)) for _ in range(5)]
        await asyncio.sleep(0.01)
        client.gate.set()
        return list(await asyncio.gather(leader, *waiters, return_exceptions=True))

    outcomes = run(main())
    assert isinstance(outcomes[0], ConnectionError), "the fetch's own error reaches the caller that fetched"
    assert all(isinstance(o, UnknownKeyId) and "unavailable" in str(o) for o in outcomes[1:])
    assert len(client.calls) == 1
    with pytest.raises(UnknownKeyId):
        run(cache.get_key_async(KID))  # within min_refetch_interval: no new request
    assert len(client.calls) == 1


async def leader_and_waiter(
    client: AsyncClient, cache: JWKSCache
) -> tuple[asyncio.Task[Any], asyncio.Task[Any], asyncio.Event]:
    """Two lookups of one kid: the first fetches (held at the client's gate, returned), the second waits for it."""
    client.gate = gate = asyncio.Event()
    leader = asyncio.ensure_future(cache.get_key_async(KID))
    await asyncio.sleep(0)
    waiter = asyncio.ensure_future(cache.get_key_async(KID))
    await asyncio.sleep(0.01)
    assert len(client.calls) == 1 and not leader.done() and not waiter.done()
    return leader, waiter, gate


def test_cancelled_leader_hands_the_fetch_over() -> None:
    client = AsyncClient()
    cache = JWKSCache.from_async_client(client)

    async def main() -> Any:
        leader, waiter, gate = await leader_and_waiter(client, cache)
        leader.cancel()
        await asyncio.sleep(0.01)
        gate.set()
        key = await waiter
        with pytest.raises(asyncio.CancelledError):
            await leader
        others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        return key, others

    key, others = run(main())
    assert key is not None and others == []
    assert len(client.calls) == 2, "the cancelled fetch does not count as a failure: the waiter fetched again"


def test_cancelled_waiter_leaves_the_fetch_running() -> None:
    client = AsyncClient()
    cache = JWKSCache.from_async_client(client)

    async def main() -> Any:
        leader, waiter, gate = await leader_and_waiter(client, cache)
        waiter.cancel()
        await asyncio.sleep(0)
        gate.set()
        return await leader, waiter.cancelled()

    key, cancelled = run(main())
    assert key is not None and cancelled and len(client.calls) == 1


def test_blocking_fetcher_runs_off_the_loop() -> None:
    threads: List[int] = []

    def fetch() -> Any:
        threads.append(threading.get_ident())
        return jwks()

    cache = JWKSCache(fetch)

    async def main() -> int:
        await cache.get_key_async(KID)
        return threading.get_ident()

    loop_thread = run(main())
    assert threads and threads[0] != loop_thread


def test_async_only_cache_refuses_a_blocking_lookup_that_must_fetch() -> None:
    cache = JWKSCache.from_async_client(AsyncClient())
    with pytest.raises(ConfigurationError, match="asynchronously"):
        cache.get_key(KID)
    run(cache.refresh_async())
    assert cache.get_key(KID) is not None, "cached keys are served to threads too"
    with pytest.raises(ConfigurationError):
        cache.refresh()


def test_async_lookup_obeys_the_data_center_bound() -> None:
    calls: List[str] = []

    async def fetch_dc(dc: str) -> Any:
        calls.append(dc)
        return jwks()

    async def fetch() -> Any:
        return jwks()

    cache = JWKSCache(fetch_async=fetch, fetch_for_data_center_async=fetch_dc, data_center="us1")

    async def main() -> None:
        for i in range(500):
            with pytest.raises(UnknownKeyId, match="data center"):
                await cache.get_key_async(KID, f"forged-{i}")
        assert await cache.get_key_async(KID, "au1") is not None

    run(main())
    assert calls == ["au1"]


def test_resolve_key_async_sources() -> None:
    document = jwks()
    seen: List[int] = []

    def blocking(kid: str) -> Any:
        seen.append(threading.get_ident())
        return private_key().public_key() if kid == KID else None

    async def main() -> None:
        assert await resolve_key_async(document, KID) is not None
        assert await resolve_key_async(blocking, KID) is not None
        assert seen[0] != threading.get_ident()
        with pytest.raises(UnknownKeyId):
            await resolve_key_async(document, "nope")

    run(main())


def test_async_and_sync_verification_agree() -> None:
    cache = JWKSCache(jwks)
    expired = token(claims(exp=NOW - 1000))
    with pytest.raises(ExpiredToken):
        verify_id_token(expired, api_key=API_KEY, jwks=cache, now=NOW)
    with pytest.raises(ExpiredToken):
        run(verify_id_token_async(expired, api_key=API_KEY, jwks=cache, now=NOW))
    with pytest.raises(ValueError, match="leeway"):
        run(verify_id_token_async(token(), api_key=API_KEY, jwks=cache, leeway=float("nan")))
    assert run(verify_id_token_async(token(), api_key=API_KEY, jwks=cache, now=NOW, audience=None)) == claims()
