"""The demo's async step: a few checks through :class:`gigya_fast.aio.AsyncClient`
against a running local CDC, for ``gigya-fast demo`` when the ``aio`` extra
is installed.

:func:`run_async_checks` only reads (it creates no account and no webhook
event, so the demo's other counts stay exact) and returns rows in the shape
of the demo's report, ``(name, ok, seconds, detail)``; it never raises for a
failed check.
"""

from __future__ import annotations

import asyncio
import importlib.util
import time
from typing import Any, Awaitable, Callable, List, Optional, Tuple

from ..errors import GigyaError

__all__ = ["aio_available", "run_async_checks", "Row"]

#: One check of the demo: name, passed, seconds, detail.
Row = Tuple[str, bool, float, str]
Check = Callable[[], Awaitable[Tuple[bool, str]]]


def aio_available() -> bool:
    """True when the ``aio`` extra (aiohttp) is installed."""
    return importlib.util.find_spec("aiohttp") is not None


async def _timed(name: str, check: Check) -> Row:
    start = time.perf_counter()
    try:
        ok, detail = await check()
    except (GigyaError, OSError, ValueError, KeyError, TypeError) as exc:
        ok, detail = False, "%s: %s" % (type(exc).__name__, exc)
    return name, ok, time.perf_counter() - start, detail


async def _checks(client: Any, concurrency: int, page_size: int) -> List[Row]:
    uids: List[str] = []

    async def search() -> Tuple[bool, str]:
        async for account in client.search("SELECT UID FROM accounts", page_size=page_size):
            uids.append(str(account["UID"]))
        return bool(uids) and len(set(uids)) == len(uids), "%d accounts, pages of %d (async for)" % (
            len(uids), page_size)

    async def read_many() -> Tuple[bool, str]:
        calls = [("accounts.getAccountInfo", {"UID": uid}) for uid in uids]
        results = await client.call_many(calls, concurrency=concurrency)
        same = sum(1 for uid, r in zip(uids, results) if not isinstance(r, GigyaError) and r.get("UID") == uid)
        return bool(uids) and same == len(uids), "%d/%d read back in order, concurrency %d" % (
            same, len(uids), concurrency)

    async def error_path() -> Tuple[bool, str]:
        answer = await client.call("accounts.getAccountInfo", UID="no-such-user", raise_on_error=False)
        try:
            await client.call("accounts.getAccountInfo", UID="no-such-user")
        except GigyaError as exc:
            same = exc.error_code == answer.error_code != 0
            return same, "unknown UID raised %s (%s)" % (type(exc).__name__, exc.error_code)
        return False, "an unknown UID did not raise"

    rows = [await _timed("async cursor search (AsyncClient)", search)]
    rows.append(await _timed("async read back (AsyncClient.call_many)", read_many))
    rows.append(await _timed("async typed error (AsyncClient)", error_path))
    return rows


def run_async_checks(
    base_url: str,
    api_key: str,
    *,
    user_key: Optional[str] = None,
    secret: Optional[str] = None,
    ca_path: Optional[str] = None,
    concurrency: int = 16,
    page_size: int = 50,
) -> List[Row]:
    """Run the async checks on a fresh event loop against the local CDC at *base_url*.

    Signs with *user_key* + *secret* (or the partner *secret* alone);
    *ca_path* is the local CDC's CA for HTTPS. Returns one row per check.
    """
    from ..aio import AsyncClient

    async def main() -> List[Row]:
        async with AsyncClient(api_key, user_key=user_key, secret=secret, base_url=base_url, ca_certs=ca_path,
                               retries=1, trust_env=False) as client:
            return await _checks(client, concurrency, page_size)

    start = time.perf_counter()
    try:
        return asyncio.run(main())
    except (GigyaError, OSError, ValueError) as exc:  # the client could not even be built
        return [("async client (AsyncClient)", False, time.perf_counter() - start, "%s: %s" % (
            type(exc).__name__, exc))]
