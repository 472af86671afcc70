"""The lazy ``sock_read`` timer of the client's own connections: the same read
timeout as aiohttp's (no bytes for that long while an answer is awaited,
before the headers or inside the body), one timer per connection instead of
two per request, a shorter per-call timeout honoured on a connection armed
for a longer one, and aiohttp's own timers when the hooks are missing."""

from __future__ import annotations

import time
from typing import Any, Iterator

import pytest
import urllib3

from gigya_fast.aio import AsyncClient, readtimer
from gigya_fast.aio.readtimer import LazyReadTimer
from gigya_fast.errors import RequestTimeoutError

from ..client.hostile import HostileServer
from .loops import CountingLoop


def _uid(cdc: Any) -> str:
    return str(cdc.accounts[0]["UID"])


def _client(cdc: Any, **kw: Any) -> AsyncClient:
    kw.setdefault("retries", 0)
    return AsyncClient(cdc.api_key, secret=cdc.partner_secret, base_url=cdc.url, **kw)


@pytest.fixture(scope="module")
def dripping() -> Iterator[HostileServer]:
    with HostileServer(drip_interval=0.6) as server:  # a byte every 0.6 s: slower than a 0.3 s read timeout
        yield server


@pytest.mark.asyncio
async def test_read_timeout_while_waiting_for_the_answer(cdc: Any) -> None:
    async with _client(cdc, timeout=(5.0, 0.3)) as client:
        assert (await client.call("accounts.getAccountInfo", UID=_uid(cdc))).ok
        cdc.faults.add("accounts.getAccountInfo", delay=2.0)
        started = time.monotonic()
        with pytest.raises(RequestTimeoutError):
            await client.call("accounts.getAccountInfo", UID=_uid(cdc))
        elapsed = time.monotonic() - started
    assert 0.25 <= elapsed < 1.5, elapsed  # the read timeout, far before connect + read = 5.3 s


@pytest.mark.asyncio
@pytest.mark.parametrize("behaviour", ["drip", "drip-head"])
async def test_read_timeout_between_bytes(dripping: HostileServer, behaviour: str) -> None:
    async with AsyncClient("3_k", base_url="%s/%s" % (dripping.url, behaviour), timeout=(5.0, 0.3),
                           retries=0) as client:
        started = time.monotonic()
        with pytest.raises(RequestTimeoutError):
            await client.call("accounts.getAccountInfo")
        elapsed = time.monotonic() - started
    assert 0.25 <= elapsed < 1.5, elapsed


@pytest.mark.asyncio
async def test_a_shorter_per_call_timeout_on_a_connection_armed_for_a_longer_one(cdc: Any) -> None:
    async with _client(cdc, timeout=(5.0, 20.0), pool_maxsize=1) as client:
        assert (await client.call("accounts.getAccountInfo", UID=_uid(cdc))).ok  # its timer is set for 20 s
        cdc.faults.add("accounts.getAccountInfo", delay=2.0)
        started = time.monotonic()
        with pytest.raises(RequestTimeoutError):
            await client.call("accounts.getAccountInfo", UID=_uid(cdc), timeout=(5.0, 0.3))
        assert time.monotonic() - started < 1.5


@pytest.mark.skipif(not readtimer.AVAILABLE, reason="this aiohttp lacks the hooks: it keeps its own timers")
def test_one_read_timer_per_connection_released_on_close(cdc: Any) -> None:
    loop = CountingLoop()

    async def main() -> None:
        async with _client(cdc, pool_maxsize=1) as client:
            for _ in range(30):
                assert (await client.call("accounts.getAccountInfo", UID=_uid(cdc))).ok

    try:
        loop.run_until_complete(main())
    finally:
        loop.close()
    timers = loop.armed_by(lambda owner: isinstance(owner, LazyReadTimer))
    assert len(timers) == 1  # aiohttp's own: 60 for these 30 calls on one keep-alive connection
    assert all(handle.cancelled() for handle in timers)  # closing the client let the connection go


@pytest.mark.asyncio
async def test_aiohttp_keeps_its_own_timer_without_the_hooks(cdc: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(readtimer, "AVAILABLE", False)
    async with _client(cdc, timeout=(5.0, 0.3)) as client:
        assert (await client.call("accounts.getAccountInfo", UID=_uid(cdc))).ok
        assert client.session is not None and client.session.connector is not None
        assert client.session.connector._factory.func is not LazyReadTimer
        cdc.faults.add("accounts.getAccountInfo", delay=2.0)
        started = time.monotonic()
        with pytest.raises(RequestTimeoutError):
            await client.call("accounts.getAccountInfo", UID=_uid(cdc))
        assert time.monotonic() - started < 1.5


def test_an_unexpected_factory_is_left_alone() -> None:
    class Connector:
        _factory = staticmethod(lambda: None)

    assert readtimer.use_lazy_read_timer(Connector()) is False  # type: ignore[arg-type]


@pytest.mark.asyncio
async def test_the_whole_attempt_stays_bounded_by_its_deadline(cdc: Any) -> None:
    cdc.faults.add("accounts.getAccountInfo", delay=2.0)
    async with _client(cdc, timeout=urllib3.Timeout(connect=5.0, read=20.0, total=0.4)) as client:
        started = time.monotonic()
        with pytest.raises(RequestTimeoutError):
            await client.call("accounts.getAccountInfo", UID=_uid(cdc))
        assert time.monotonic() - started < 1.5
