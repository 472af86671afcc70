"""What only the async client has: its own or a caller's aiohttp session, one
event loop, cancellation, bounded concurrency, ``async for`` search, coroutine
hooks, back-off that never blocks the loop. (Everything the two clients share
runs in tests/client through the ``make_client`` fixture, once per client.)"""

from __future__ import annotations

import asyncio
import logging
import subprocess
import sys
import time
from typing import Any, List

import aiohttp
import pytest

from gigya_fast.aio import AsyncClient
from gigya_fast.errors import ConfigurationError, ConnectionFailedError, GigyaError, InvalidRequestError
from gigya_fast.rest import AttemptEvent, Response, RetryPolicy


def _uid(cdc: Any) -> str:
    return str(cdc.accounts[0]["UID"])


def _client(cdc: Any, **kw: Any) -> AsyncClient:
    return AsyncClient(cdc.api_key, user_key=cdc.user_key, secret=cdc.user_secret, base_url=cdc.url, **kw)


@pytest.mark.asyncio
async def test_own_session_made_lazily_inside_the_loop(cdc: Any) -> None:
    client = _client(cdc)
    assert client.session is None
    async with client:
        assert (await client.call("accounts.getAccountInfo", UID=_uid(cdc))).ok
        session = client.session
        assert session is not None and not session.closed
    assert session.closed and client.closed


@pytest.mark.asyncio
async def test_a_callers_session_is_used_and_left_open(cdc_tls: Any) -> None:
    # A session that would not verify anything: the client's TLS settings still apply per request.
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=False)) as session:
        async with AsyncClient(cdc_tls.api_key, secret=cdc_tls.partner_secret, base_url=cdc_tls.url,
                               ca_certs=cdc_tls.ca_path, session=session) as client:
            assert client.session is session
            assert (await client.call("accounts.getAccountInfo", UID=_uid(cdc_tls))).ok
        assert not session.closed
        async with AsyncClient(cdc_tls.api_key, secret=cdc_tls.partner_secret, base_url=cdc_tls.url,
                               session=session, retries=0) as unverified:
            with pytest.raises(ConnectionFailedError, match="certificate"):
                await unverified.call("accounts.getAccountInfo", UID=_uid(cdc_tls))
    assert [r.auth_mode for r in cdc_tls.requests] == ["partner_sig"]


@pytest.mark.asyncio
async def test_a_closed_client_refuses_calls(cdc: Any) -> None:
    client = _client(cdc)
    await client.aclose()
    await client.aclose()  # idempotent
    with pytest.raises(ConfigurationError, match="closed"):
        await client.call("accounts.getAccountInfo", UID=_uid(cdc))
    with pytest.raises(ConfigurationError):
        await client.call_many([("accounts.getAccountInfo", {"UID": _uid(cdc)})])
    assert cdc.requests == []


def test_one_client_one_loop(cdc: Any) -> None:
    client = _client(cdc)
    assert asyncio.run(client.call("accounts.getAccountInfo", UID=_uid(cdc))).ok
    with pytest.raises(ConfigurationError, match="event loop"):
        asyncio.run(client.call("accounts.getAccountInfo", UID=_uid(cdc)))


@pytest.mark.asyncio
async def test_a_cancelled_call_frees_its_connection_and_leaves_no_task(cdc: Any) -> None:
    cdc.faults.add("accounts.getAccountInfo", delay=1.5)
    async with _client(cdc, pool_maxsize=1) as client:  # one connection: a leaked one would block the next call
        task = asyncio.ensure_future(client.call("accounts.getAccountInfo", UID=_uid(cdc)))
        await asyncio.sleep(0.2)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert asyncio.all_tasks() == {asyncio.current_task()}
        started = time.monotonic()
        assert (await client.call("accounts.getAccountInfo", UID=_uid(cdc), timeout=(1.0, 1.0))).ok
        assert time.monotonic() - started < 1.0


@pytest.mark.asyncio
async def test_a_cancelled_call_many_leaves_no_task(cdc: Any) -> None:
    cdc.faults.add("accounts.getAccountInfo", delay=1.0, times=None)
    async with _client(cdc) as client:
        calls = [("accounts.getAccountInfo", {"UID": _uid(cdc)})] * 20
        task = asyncio.ensure_future(client.call_many(calls, concurrency=4))
        await asyncio.sleep(0.2)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert asyncio.all_tasks() == {asyncio.current_task()}
    cdc.faults.clear()


@pytest.mark.asyncio
async def test_concurrency_is_bounded(cdc: Any) -> None:
    cdc.faults.add("accounts.getAccountInfo", delay=0.2, times=8)
    async with _client(cdc) as client:
        started = time.monotonic()
        results = await client.call_many([("accounts.getAccountInfo", {"UID": _uid(cdc)})] * 8, concurrency=2)
        elapsed = time.monotonic() - started
        assert all(isinstance(r, Response) and r.ok for r in results)
        assert elapsed >= 0.75  # 4 rounds of 0.2 s
        started = time.monotonic()
        cdc.faults.add("accounts.getAccountInfo", delay=0.2, times=8)
        await client.call_many([("accounts.getAccountInfo", {"UID": _uid(cdc)})] * 8, concurrency=8)
        assert time.monotonic() - started < 0.75
    with pytest.raises(ValueError):
        await client.call_many([], concurrency=0)


@pytest.mark.asyncio
async def test_call_many_raise_on_error_cancels_the_rest(cdc: Any) -> None:
    cdc.faults.add("accounts.getAccountInfo", delay=1.0, times=None)
    cdc.faults.add("accounts.setAccountInfo", error_code=400006)
    async with _client(cdc) as client:
        calls: List[Any] = [("accounts.getAccountInfo", {"UID": _uid(cdc)})] * 6
        calls.insert(0, ("accounts.setAccountInfo", {"UID": _uid(cdc)}))
        started = time.monotonic()
        with pytest.raises(InvalidRequestError):
            await client.call_many(calls, concurrency=7, raise_on_error=True)
        assert time.monotonic() - started < 0.9
        assert asyncio.all_tasks() == {asyncio.current_task()}
    cdc.faults.clear()


@pytest.mark.asyncio
async def test_async_for_search(cdc: Any) -> None:
    async with _client(cdc) as client:
        uids = [account["UID"] async for account in client.search("SELECT UID FROM accounts", page_size=10)]
        pages = [page["objectsCount"] async for page in client.search_pages("SELECT UID FROM accounts", page_size=20)]
    assert len(set(uids)) == 25 and pages == [20, 5]


@pytest.mark.asyncio
async def test_backoff_does_not_block_the_loop(cdc: Any) -> None:
    cdc.faults.add("accounts.setAccountInfo", error_code=500001)
    policy = RetryPolicy(1, backoff=0.5, jitter=0.0)
    async with _client(cdc, retries=policy) as client:
        slow = asyncio.ensure_future(client.call("accounts.setAccountInfo", UID=_uid(cdc), data={"b": 1}))
        await asyncio.sleep(0.1)
        started = time.monotonic()
        assert (await client.call("accounts.getAccountInfo", UID=_uid(cdc))).ok
        assert time.monotonic() - started < 0.3  # answered while the other call backs off
        assert (await slow).attempts == 2


@pytest.mark.asyncio
async def test_coroutine_hooks_are_awaited_and_failures_logged(cdc: Any, caplog: pytest.LogCaptureFixture) -> None:
    seen: List[AttemptEvent] = []

    async def record(event: AttemptEvent) -> None:
        await asyncio.sleep(0)
        seen.append(event)

    async def broken(event: AttemptEvent) -> None:
        raise RuntimeError("tracing backend down")

    async with _client(cdc, event_hooks={"attempt": [broken, record, lambda e: None]}) as client:
        with caplog.at_level(logging.WARNING, logger="gigya_fast"):
            response = await client.call("accounts.getAccountInfo", UID=_uid(cdc))
    assert [e.call_id for e in seen] == [response.call_id]
    assert any("broken" in r.getMessage() and r.exc_info for r in caplog.records)


@pytest.mark.asyncio
async def test_errors_are_typed_as_in_the_sync_client(cdc: Any) -> None:
    async with _client(cdc) as client:
        with pytest.raises(GigyaError) as info:
            await client.call("accounts.getAccountInfo", UID="no-such-user")
        response = await client.call("accounts.getAccountInfo", UID="no-such-user", raise_on_error=False)
    assert info.value.error_code == response.error_code != 0


@pytest.mark.asyncio
async def test_bad_options() -> None:
    with pytest.raises(ConfigurationError):
        AsyncClient("3_k", session=object())  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError):
        AsyncClient("3_k", pool_maxsize=0)
    with pytest.raises(TypeError):
        AsyncClient("3_k", pool_manager=None)  # type: ignore[call-arg]


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)


def test_import_gigya_fast_does_not_import_aiohttp() -> None:
    result = _run("import sys, gigya_fast, gigya_fast.rest; print('aiohttp' in sys.modules)")
    assert result.returncode == 0 and result.stdout.strip() == "False", result.stderr


def test_without_aiohttp_the_extra_is_named() -> None:
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'aiohttp' or name.startswith('aiohttp.'):\n"
        "            raise ImportError('blocked')\n"
        "sys.meta_path.insert(0, Block())\n"
        "import gigya_fast\n"
        "from gigya_fast.errors import MissingDependencyError\n"
        "try:\n"
        "    import gigya_fast.aio\n"
        "except MissingDependencyError as exc:\n"
        "    print(exc)\n"
    )
    result = _run(code)
    assert result.returncode == 0 and "gigya_fast[aio]" in result.stdout, result.stderr
