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

The same state serves threads (:meth:`JWKSCache.get_key`, one fetch at a time
per data center) and asyncio code (:meth:`JWKSCache.get_key_async`, which
never blocks the loop: concurrent coroutines share one fetch).
"""

from __future__ import annotations

import functools
import json
import logging
import threading
import time
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Dict, FrozenSet, Iterable, List, Mapping, Tuple

from ..errors import ConfigurationError, UnknownKeyId
from ._keys import keys_from_jwks
from ._times import seconds

if TYPE_CHECKING:
    import asyncio  # imported where used: sync users do not pay for it

__all__ = ["JWKSCache", "CDC_DATA_CENTERS"]

logger = logging.getLogger(__name__)

#: The short names of CDC's data centers (``dc`` in webhook JWT headers):
#: the ones a cache with ``fetch_for_data_center`` fetches keys for by default.
CDC_DATA_CENTERS: FrozenSet[str] = frozenset({"us1", "eu1", "eu2", "au1", "ru1", "il1", "global", "cn1"})

_DEFAULT_SLOT = ""
_METHOD = "accounts.getJWTPublicKey"

# What a lookup must do next (see JWKSCache._plan).
_HAVE, _FETCH, _WAIT, _FAILED = "have", "fetch", "wait", "failed"


def _document_of(response: object) -> object:
    """The JWKS document inside whatever *fetch* returned."""
    if isinstance(response, (bytes, bytearray, str)):
        try:
            return json.loads(response)
        except (ValueError, RecursionError):
            raise ValueError("JWKS answer is not JSON") from None
    if isinstance(response, (Mapping, list, tuple)):
        return response
    data = getattr(response, "data", None)
    if isinstance(data, Mapping):
        return data
    try:
        return {"keys": response["keys"]}  # type: ignore[index]
    except (TypeError, KeyError, IndexError):
        raise ValueError("JWKS answer has no 'keys'") from None


def _dc_name(label: str) -> str:
    """``"EU1"``, ``"eu1.gigya.com"`` -> ``"eu1"``: the short name of a data center label."""
    return label.strip().lower().split(".", 1)[0]


class _Slot:
    """The keys of one data center, when they were fetched, and the fetch under way."""

    __slots__ = ("keys", "fetched_at", "attempted_at", "in_flight", "fetch_lock", "pending")

    def __init__(self) -> None:
        self.keys: Dict[str, Any] = {}
        self.fetched_at: float | None = None
        self.attempted_at: float | None = None
        self.in_flight = 0
        self.fetch_lock = threading.Lock()  # threads: one fetch at a time
        self.pending: Tuple[asyncio.AbstractEventLoop, asyncio.Future[None]] | None = None  # coroutines: one fetch


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
        self._ttl = float(seconds("ttl", ttl))
        self._min_refetch = float(seconds("min_refetch_interval", min_refetch_interval))
        if data_center is not None and not isinstance(data_center, str):
            raise TypeError("data_center must be str or None")
        self._data_center = _dc_name(data_center or "")
        if isinstance(data_centers, str):
            raise TypeError("data_centers must be an iterable of names, not one str")
        given = list(data_centers)
        if not all(isinstance(name, str) and _dc_name(name) for name in given):
            raise ValueError("data_centers must be non-empty str names")
        self._known = frozenset(_dc_name(name) for name in given)
        self._clock = clock
        self._state = threading.Lock()  # guards the slots' fields; never held during a fetch
        self._slots: Dict[str, _Slot] = {}
        self._last_kid_refetch: float | None = None
        self.fetch_count = 0

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
        dc = self._data_center or None
        return f"<JWKSCache data_center={dc!r} ttl={self._ttl} slots={len(self._slots)}>"

    # --- shared bookkeeping (under self._state, never across a fetch) ------------------

    def _slot_name(self, data_center: object) -> str | None:
        """The slot for a token's ``dc``; None when the cache must not fetch for it."""
        if (self._fetch_dc is None and self._fetch_dc_async is None) or not isinstance(data_center, str):
            return _DEFAULT_SLOT
        if not data_center:
            return _DEFAULT_SLOT
        name = data_center.strip().lower()
        if name == self._data_center:
            return _DEFAULT_SLOT
        return name if name in self._known else None

    def _slot(self, data_center: object) -> Tuple[str, _Slot]:
        name = self._slot_name(data_center)
        if name is None:
            raise UnknownKeyId("token names a data center this cache does not fetch keys for")
        slot = self._slots.get(name)
        if slot is None:
            with self._state:
                slot = self._slots.setdefault(name, _Slot())  # at most one per known data center
        return name, slot

    def _fresh_key(self, slot: _Slot, kid: str, now: float) -> Any:
        fetched_at = slot.fetched_at
        if fetched_at is not None and now - fetched_at < self._ttl:
            return slot.keys.get(kid)
        return None

    def _plan(self, slot: _Slot, kid: str, now: float, *, waiting_allowed: bool) -> str:
        """What a lookup of *kid* does next; starts the attempt when the answer is _FETCH."""
        fetched_at = slot.fetched_at
        fresh = fetched_at is not None and now - fetched_at < self._ttl
        if fresh and kid in slot.keys:
            return _HAVE
        if slot.in_flight and waiting_allowed:
            return _WAIT
        attempted = slot.attempted_at
        if not fresh:
            failed = attempted is not None and not slot.in_flight and (fetched_at is None or attempted > fetched_at)
            if failed and attempted is not None and now - attempted < self._min_refetch:
                return _FAILED
        else:
            # an unknown kid: one refetch per interval, per data center and for the whole cache
            last = self._last_kid_refetch
            if (attempted is not None and now - attempted < self._min_refetch) or (
                last is not None and now - last < self._min_refetch
            ):
                return _HAVE
            self._last_kid_refetch = now
            logger.info("unknown JWT kid; refetching public keys (rotation?)")
        slot.attempted_at = now
        slot.in_flight += 1
        self.fetch_count += 1
        return _FETCH

    def _store(self, name: str, slot: _Slot, keys: Dict[str, Any] | None, now: float, *, abandoned: bool) -> None:
        """End an attempt: keep *keys* (None: the fetch failed, or was *abandoned* by a cancelled caller)."""
        with self._state:
            slot.in_flight -= 1
            if keys is not None:
                slot.keys = keys
                slot.fetched_at = now
            elif abandoned:  # not a failure of the key server: the next lookup may fetch at once
                slot.attempted_at = slot.fetched_at
        if keys is not None:
            logger.debug(
                "fetched %d JWT public keys for data center %s", len(keys), name or self._data_center or "-"
            )

    @staticmethod
    def _answer(slot: _Slot, kid: str, plan: str) -> Any:
        if plan == _FAILED:
            raise UnknownKeyId("JWT public keys are unavailable (the last fetch failed)")
        key = slot.keys.get(kid)
        if key is None:
            raise UnknownKeyId("no public key with the token's kid")
        return key

    # --- threads ------------------------------------------------------------------------

    def _blocking_fetcher(self, name: str) -> Callable[[], Any]:
        """The blocking fetch for slot *name*; ConfigurationError when the cache has only a coroutine."""
        if name == _DEFAULT_SLOT:
            fetch: Callable[..., Any] | None = self._fetch
            args: Tuple[str, ...] = ()
        else:
            fetch, args = self._fetch_dc, (name,)
        if fetch is None:
            raise ConfigurationError(
                "this JWKSCache fetches asynchronously: use get_key_async() (WebhookVerifier.verify_async)"
            )
        return functools.partial(fetch, *args)

    def _run_fetch(self, name: str, slot: _Slot, fetch: Callable[[], Any]) -> None:
        keys = None
        try:
            keys = keys_from_jwks(_document_of(fetch()))
        finally:
            self._store(name, slot, keys, self._clock(), abandoned=False)

    def get_key(self, kid: str, data_center: str | None = None) -> Any:
        """The RSA public key for *kid*, fetching or refetching as needed.

        Raises :class:`~gigya_fast.errors.UnknownKeyId` when the key set (after
        at most one throttled refetch) has no such kid, or when *data_center*
        is not one the cache fetches for.
        """
        if not isinstance(kid, str):
            raise UnknownKeyId("token kid must be a string")
        name, slot = self._slot(data_center)
        key = self._fresh_key(slot, kid, self._clock())
        if key is not None:
            return key
        fetch = self._blocking_fetcher(name)
        with slot.fetch_lock:  # threads wanting the same data center reuse one fetch
            with self._state:
                plan = self._plan(slot, kid, self._clock(), waiting_allowed=False)
            if plan == _FETCH:
                self._run_fetch(name, slot, fetch)
            return self._answer(slot, kid, plan)

    def _begin_forced(self, slot: _Slot) -> None:
        with self._state:
            slot.in_flight += 1
            self.fetch_count += 1
            slot.attempted_at = self._clock()

    def refresh(self, data_center: str | None = None) -> None:
        """Fetch the keys now, whatever their age (no throttle)."""
        name, slot = self._slot(data_center)
        fetch = self._blocking_fetcher(name)
        with slot.fetch_lock:
            self._begin_forced(slot)
            self._run_fetch(name, slot, fetch)

    # --- asyncio ------------------------------------------------------------------------

    async def _fetch_on_loop(self, name: str) -> Dict[str, Any]:
        import asyncio

        if name == _DEFAULT_SLOT:
            fetch_async: Callable[..., Awaitable[Any]] | None = self._fetch_async
            args: Tuple[str, ...] = ()
        else:
            fetch_async, args = self._fetch_dc_async, (name,)
        if fetch_async is not None:
            response = await fetch_async(*args)
        else:  # a blocking fetcher: in the default executor, never on the loop
            response = await asyncio.get_running_loop().run_in_executor(None, self._blocking_fetcher(name))
        return keys_from_jwks(_document_of(response))

    async def _lead_fetch(self, name: str, slot: _Slot, done: asyncio.Future[None]) -> None:
        import asyncio

        keys = None
        abandoned = False
        try:
            keys = await self._fetch_on_loop(name)
        except asyncio.CancelledError:
            abandoned = True
            raise
        finally:
            self._store(name, slot, keys, self._clock(), abandoned=abandoned)
            with self._state:
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
        name, slot = self._slot(data_center)
        loop = asyncio.get_running_loop()
        while True:
            lead: asyncio.Future[None] | None = None
            wait: asyncio.Future[None] | None = None
            with self._state:
                pending = slot.pending
                shared = pending is not None and pending[0] is loop and not pending[1].done()
                plan = self._plan(slot, kid, self._clock(), waiting_allowed=shared)
                if plan == _WAIT:
                    assert pending is not None
                    wait = pending[1]
                elif plan == _FETCH:
                    lead = loop.create_future()
                    slot.pending = (loop, lead)
            if wait is not None:
                await asyncio.shield(wait)
                continue
            if lead is not None:
                await self._lead_fetch(name, slot, lead)
            return self._answer(slot, kid, plan)

    async def refresh_async(self, data_center: str | None = None) -> None:
        """:meth:`refresh` for asyncio code (no throttle; never blocks the loop)."""
        import asyncio

        name, slot = self._slot(data_center)
        self._begin_forced(slot)
        await self._lead_fetch(name, slot, asyncio.get_running_loop().create_future())

    # --- inspection ---------------------------------------------------------------------

    def kids(self, data_center: str | None = None) -> List[str]:
        """The key ids currently cached for *data_center* (no fetch)."""
        name = self._slot_name(data_center)
        slot = self._slots.get(name) if name is not None else None
        return sorted(slot.keys) if slot is not None else []

    @property
    def data_centers(self) -> FrozenSet[str]:
        """The data-center names the per-data-center fetchers may be asked for."""
        return self._known

    def clear(self) -> None:
        """Forget every cached key."""
        with self._state:
            self._slots = {}


def _with_client_data_center(client: Any, kwargs: Dict[str, Any]) -> Dict[str, Any]:
    """*kwargs* with ``data_center`` taken from *client* when the caller gave none."""
    if "data_center" not in kwargs:
        label = getattr(client, "data_center", None) or getattr(client, "api_domain", None)
        if isinstance(label, str):
            kwargs["data_center"] = label
    return kwargs
