"""``JWKSCache``: CDC's JWT public keys, fetched through any callable (or coroutine) and cached.

Keys come from ``accounts.getJWTPublicKey`` with ``V2=true``. They are cached
by (data center, kid) for ``ttl`` seconds. What a token can make the cache
fetch is bounded before its signature is checked (its header is unsigned):

- a data center is fetched for only when it is one the cache knows
  (``data_centers``), so forged ``dc`` values cost no fetch and no memory;
- a kid the cache does not know triggers one refetch (key rotation), at most
  once every ``min_refetch_interval`` seconds for the whole cache, whichever
  data center the token names;
- a failed fetch is not retried before ``min_refetch_interval`` has passed.

The same state (:mod:`._key_slots`, no I/O) serves threads
(:meth:`JWKSCache.get_key`, one fetch at a time per data center) and asyncio
code (:meth:`JWKSCache.get_key_async`, which never blocks the loop:
concurrent coroutines share one fetch).
"""

from __future__ import annotations

import functools
import time
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Dict, FrozenSet, Iterable, List, Tuple

from ..errors import ConfigurationError, UnknownKeyId
from ._key_slots import CDC_DATA_CENTERS, DEFAULT_SLOT, FETCH, WAIT, KeySlots, Slot, dc_name, document_of
from ._keys import keys_from_jwks
from ._times import seconds

if TYPE_CHECKING:
    import asyncio  # imported where used: sync users do not pay for it

__all__ = ["JWKSCache", "CDC_DATA_CENTERS"]

_METHOD = "accounts.getJWTPublicKey"


class JWKSCache:
    """Thread-safe cache of CDC's JWT signing keys, usable from threads and from asyncio.

    :param fetch: zero-argument callable answering the ``accounts.getJWTPublicKey``
        (``V2=true``) response: a mapping with ``keys``, JSON text, or an object
        with a ``data`` mapping. E.g. ``lambda: client.call("accounts.getJWTPublicKey", V2=True)``.
    :param fetch_async: the same as a zero-argument coroutine function (give
        *fetch*, *fetch_async* or both); see :meth:`from_async_client`.
    :param ttl: seconds a fetched key set is trusted before it is fetched again.
    :param min_refetch_interval: least number of seconds between two refetches
        triggered by an unknown kid (for the whole cache), and between a failed
        fetch and its retry (per data center).
    :param data_center: label of the data center *fetch* talks to (``"us1"``
        or an API domain such as ``"us1.gigya.com"``).
    :param fetch_for_data_center: optional ``callable(dc)`` used for tokens whose
        header names another data center (webhook JWTs carry ``dc``). Without
        it every token is checked against *fetch*'s keys.
    :param fetch_for_data_center_async: the same as a coroutine function.
    :param data_centers: the data-center names the per-data-center fetchers may
        be asked for (default :data:`CDC_DATA_CENTERS`). A token naming any
        other is refused with ``UnknownKeyId`` before anything is fetched.
    :param clock: monotonic clock, replaceable in tests.

    Fetch errors propagate to the caller (fail closed); the next call retries
    once ``min_refetch_interval`` has passed. ``fetch_count`` counts fetches.
    """

    def __init__(
        self,
        fetch: Callable[[], Any] | None = None,
        *,
        fetch_async: Callable[[], Awaitable[Any]] | None = None,
        ttl: float = 3600.0,
        min_refetch_interval: float = 30.0,
        data_center: str | None = None,
        fetch_for_data_center: Callable[[str], Any] | None = None,
        fetch_for_data_center_async: Callable[[str], Awaitable[Any]] | None = None,
        data_centers: Iterable[str] = CDC_DATA_CENTERS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        for name, value in (
            ("fetch", fetch),
            ("fetch_async", fetch_async),
            ("fetch_for_data_center", fetch_for_data_center),
            ("fetch_for_data_center_async", fetch_for_data_center_async),
        ):
            if value is not None and not callable(value):
                raise TypeError(f"{name} must be callable")
        if fetch is None and fetch_async is None:
            raise TypeError("JWKSCache needs fetch or fetch_async")
        self._fetch = fetch
        self._fetch_async = fetch_async
        self._fetch_dc = fetch_for_data_center
        self._fetch_dc_async = fetch_for_data_center_async
        if data_center is not None and not isinstance(data_center, str):
            raise TypeError("data_center must be str or None")
        if isinstance(data_centers, str):
            raise TypeError("data_centers must be an iterable of names, not one str")
        given = list(data_centers)
        if not all(isinstance(name, str) and dc_name(name) for name in given):
            raise ValueError("data_centers must be non-empty str names")
        self._slots = KeySlots(
            ttl=float(seconds("ttl", ttl)),
            min_refetch=float(seconds("min_refetch_interval", min_refetch_interval)),
            data_center=dc_name(data_center or ""),
            known=frozenset(dc_name(name) for name in given),
            per_dc=fetch_for_data_center is not None or fetch_for_data_center_async is not None,
            clock=clock,
        )

    @classmethod
    def from_client(cls, client: Any, **kwargs: Any) -> JWKSCache:
        """A cache fetching through ``client.call("accounts.getJWTPublicKey", V2=True)``.

        *client* is a :class:`gigya_fast.rest.Client` or anything with a
        compatible ``call(method, **params)``; *kwargs* go to the constructor.
        """
        call = getattr(client, "call", None)
        if call is None or not callable(call):
            raise TypeError("client must have a call(method, **params) method")

        def fetch() -> Any:
            return call(_METHOD, V2=True)

        return cls(fetch, **_with_client_data_center(client, kwargs))

    @classmethod
    def from_async_client(cls, client: Any, **kwargs: Any) -> JWKSCache:
        """A cache fetching through ``await client.call("accounts.getJWTPublicKey", {"V2": True})``.

        *client* is a :class:`gigya_fast.aio.AsyncClient` or anything whose
        ``call(method, params)`` is a coroutine answering a response with a
        ``data`` mapping; *kwargs* go to the constructor. Use
        :meth:`get_key_async` (or ``WebhookVerifier.verify_async``) with it:
        the keys are then fetched on the running loop without blocking it.
        """
        call = getattr(client, "call", None)
        if call is None or not callable(call):
            raise TypeError("client must have an async call(method, params) method")

        async def fetch_async() -> Any:
            return await call(_METHOD, {"V2": True})

        return cls(fetch_async=fetch_async, **_with_client_data_center(client, kwargs))

    def __repr__(self) -> str:
        dc = self._slots.data_center or None
        return f"<JWKSCache data_center={dc!r} ttl={self._slots.ttl} slots={len(self._slots)}>"

    @property
    def fetch_count(self) -> int:
        """How many fetches the cache has started."""
        return self._slots.fetch_count

    @property
    def data_centers(self) -> FrozenSet[str]:
        """The data-center names the per-data-center fetchers may be asked for."""
        return self._slots.known

    # --- threads ------------------------------------------------------------------------

    def _blocking_fetcher(self, name: str) -> Callable[[], Any]:
        """The blocking fetch for slot *name*; ConfigurationError when the cache has only a coroutine."""
        if name == DEFAULT_SLOT:
            fetch: Callable[..., Any] | None = self._fetch
            args: Tuple[str, ...] = ()
        else:
            fetch, args = self._fetch_dc, (name,)
        if fetch is None:
            raise ConfigurationError(
                "this JWKSCache fetches asynchronously: use get_key_async() (WebhookVerifier.verify_async)"
            )
        return functools.partial(fetch, *args)

    def _run_fetch(self, name: str, slot: Slot, fetch: Callable[[], Any]) -> None:
        keys = None
        try:
            keys = keys_from_jwks(document_of(fetch()))
        finally:
            self._slots.store(name, slot, keys, self._slots.now(), abandoned=False)

    def get_key(self, kid: str, data_center: str | None = None) -> Any:
        """The RSA public key for *kid*, fetching or refetching as needed.

        Raises :class:`~gigya_fast.errors.UnknownKeyId` when the key set (after
        at most one throttled refetch) has no such kid, or when *data_center*
        is not one the cache fetches for.
        """
        if not isinstance(kid, str):
            raise UnknownKeyId("token kid must be a string")
        slots = self._slots
        name, slot = slots.slot(data_center)
        key = slots.fresh_key(slot, kid, slots.now())
        if key is not None:
            return key
        fetch = self._blocking_fetcher(name)
        with slot.fetch_lock:  # threads wanting the same data center reuse one fetch
            with slots.lock:
                plan = slots.plan(slot, kid, slots.now(), waiting_allowed=False)
            if plan == FETCH:
                self._run_fetch(name, slot, fetch)
            return slots.answer(slot, kid, plan)

    def refresh(self, data_center: str | None = None) -> None:
        """Fetch the keys now, whatever their age (no throttle)."""
        name, slot = self._slots.slot(data_center)
        fetch = self._blocking_fetcher(name)
        with slot.fetch_lock:
            self._slots.begin_forced(slot)
            self._run_fetch(name, slot, fetch)

    # --- asyncio ------------------------------------------------------------------------

    async def _fetch_on_loop(self, name: str) -> Dict[str, Any]:
        import asyncio

        if name == DEFAULT_SLOT:
            fetch_async: Callable[..., Awaitable[Any]] | None = self._fetch_async
            args: Tuple[str, ...] = ()
        else:
            fetch_async, args = self._fetch_dc_async, (name,)
        if fetch_async is not None:
            response = await fetch_async(*args)
        else:  # a blocking fetcher: in the default executor, never on the loop
            response = await asyncio.get_running_loop().run_in_executor(None, self._blocking_fetcher(name))
        return keys_from_jwks(document_of(response))

    async def _lead_fetch(self, name: str, slot: Slot, done: asyncio.Future[None]) -> None:
        import asyncio

        keys = None
        abandoned = False
        try:
            keys = await self._fetch_on_loop(name)
        except asyncio.CancelledError:
            abandoned = True
            raise
        finally:
            self._slots.store(name, slot, keys, self._slots.now(), abandoned=abandoned)
            with self._slots.lock:
                if slot.pending is not None and slot.pending[1] is done:
                    slot.pending = None
            if not done.done():
                done.set_result(None)  # the waiters look again (and see the keys or the failure)

    async def get_key_async(self, kid: str, data_center: str | None = None) -> Any:
        """:meth:`get_key` for asyncio code: fetches on the running loop, never blocking it.

        Concurrent lookups share one fetch; a lookup cancelled while waiting
        leaves the fetch to the others. A cache built with only a blocking
        *fetch* runs it in the loop's default executor.
        """
        import asyncio

        if not isinstance(kid, str):
            raise UnknownKeyId("token kid must be a string")
        slots = self._slots
        name, slot = slots.slot(data_center)
        loop = asyncio.get_running_loop()
        while True:
            lead: asyncio.Future[None] | None = None
            wait: asyncio.Future[None] | None = None
            with slots.lock:
                pending = slot.pending
                shared = pending is not None and pending[0] is loop and not pending[1].done()
                plan = slots.plan(slot, kid, slots.now(), waiting_allowed=shared)
                if plan == WAIT:
                    assert pending is not None
                    wait = pending[1]
                elif plan == FETCH:
                    lead = loop.create_future()
                    slot.pending = (loop, lead)
            if wait is not None:
                await asyncio.shield(wait)
                continue
            if lead is not None:
                await self._lead_fetch(name, slot, lead)
            return slots.answer(slot, kid, plan)

    async def refresh_async(self, data_center: str | None = None) -> None:
        """:meth:`refresh` for asyncio code (no throttle; never blocks the loop)."""
        import asyncio

        name, slot = self._slots.slot(data_center)
        self._slots.begin_forced(slot)
        await self._lead_fetch(name, slot, asyncio.get_running_loop().create_future())

    # --- inspection ---------------------------------------------------------------------

    def kids(self, data_center: str | None = None) -> List[str]:
        """The key ids currently cached for *data_center* (no fetch)."""
        return self._slots.kids(data_center)

    def clear(self) -> None:
        """Forget every cached key."""
        self._slots.clear()


def _with_client_data_center(client: Any, kwargs: Dict[str, Any]) -> Dict[str, Any]:
    """*kwargs* with ``data_center`` taken from *client* when the caller gave none."""
    if "data_center" not in kwargs:
        label = getattr(client, "data_center", None) or getattr(client, "api_domain", None)
        if isinstance(label, str):
            kwargs["data_center"] = label
    return kwargs
