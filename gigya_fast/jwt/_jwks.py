"""``JWKSCache``: CDC's JWT public keys, fetched through any callable and cached.

Keys come from ``accounts.getJWTPublicKey`` with ``V2=true``. They are cached
by (data center, kid) for ``ttl`` seconds; a token signed with a kid the cache
does not know triggers one refetch (key rotation), at most once every
``min_refetch_interval`` seconds per data center so that a stream of bogus
kids cannot turn the verifier into a request amplifier.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from typing import Any, Callable, Dict, List, Mapping

from ..errors import UnknownKeyId
from ._keys import keys_from_jwks

__all__ = ["JWKSCache"]

logger = logging.getLogger(__name__)

_DEFAULT_SLOT = ""


def _document_of(response: object) -> object:
    """The JWKS document inside whatever *fetch* returned."""
    if isinstance(response, (bytes, bytearray, str)):
        try:
            return json.loads(response)
        except ValueError:
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


class _Slot:
    """The keys of one data center and when they were fetched."""

    __slots__ = ("keys", "fetched_at", "attempted_at", "lock")

    def __init__(self) -> None:
        self.keys: Dict[str, Any] = {}
        self.fetched_at: float | None = None
        self.attempted_at: float | None = None
        self.lock = threading.Lock()


class JWKSCache:
    """Thread-safe cache of CDC's JWT signing keys.

    :param fetch: zero-argument callable answering the ``accounts.getJWTPublicKey``
        (``V2=true``) response: a mapping with ``keys``, JSON text, or an object
        with a ``data`` mapping. E.g. ``lambda: client.call("accounts.getJWTPublicKey", V2=True)``.
    :param ttl: seconds a fetched key set is trusted before it is fetched again.
    :param min_refetch_interval: least number of seconds between two fetches for
        the same data center triggered by an unknown kid.
    :param data_center: label of the data center *fetch* talks to (informational
        unless *fetch_for_data_center* is given).
    :param fetch_for_data_center: optional ``callable(dc)`` used for tokens whose
        header names a data center other than *data_center* (webhook JWTs carry
        ``dc``). Without it every token is checked against *fetch*'s keys.
    :param clock: monotonic clock, replaceable in tests.

    Fetch errors propagate to the caller (fail closed); the next call retries
    once ``min_refetch_interval`` has passed. ``fetch_count`` counts fetches.
    """

    def __init__(
        self,
        fetch: Callable[[], Any],
        *,
        ttl: float = 3600.0,
        min_refetch_interval: float = 30.0,
        data_center: str | None = None,
        fetch_for_data_center: Callable[[str], Any] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not callable(fetch):
            raise TypeError("fetch must be callable")
        if fetch_for_data_center is not None and not callable(fetch_for_data_center):
            raise TypeError("fetch_for_data_center must be callable")
        for name, value in (("ttl", ttl), ("min_refetch_interval", min_refetch_interval)):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise ValueError(f"{name} must be a non-negative number")
        self._fetch = fetch
        self._fetch_dc = fetch_for_data_center
        self._ttl = float(ttl)
        self._min_refetch = float(min_refetch_interval)
        self._data_center = (data_center or "").lower()
        self._clock = clock
        self._slots: Dict[str, _Slot] = {}
        self._slots_lock = threading.Lock()
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
            return call("accounts.getJWTPublicKey", V2=True)

        if "data_center" not in kwargs:
            label = getattr(client, "data_center", None) or getattr(client, "api_domain", None)
            if isinstance(label, str):
                kwargs["data_center"] = label
        return cls(fetch, **kwargs)

    def __repr__(self) -> str:
        dc = self._data_center or None
        return f"<JWKSCache data_center={dc!r} ttl={self._ttl} slots={len(self._slots)}>"

    def _slot_name(self, data_center: str | None) -> str:
        if self._fetch_dc is None or not data_center:
            return _DEFAULT_SLOT
        name = data_center.lower()
        return _DEFAULT_SLOT if name == self._data_center else name

    def _slot(self, name: str) -> _Slot:
        slot = self._slots.get(name)
        if slot is None:
            with self._slots_lock:
                slot = self._slots.setdefault(name, _Slot())
        return slot

    def _fetch_into(self, name: str, slot: _Slot, now: float) -> None:
        slot.attempted_at = now
        self.fetch_count += 1
        if name == _DEFAULT_SLOT:
            response = self._fetch()
        else:
            assert self._fetch_dc is not None
            response = self._fetch_dc(name)
        keys = keys_from_jwks(_document_of(response))
        slot.keys = keys
        slot.fetched_at = now
        logger.debug("fetched %d JWT public keys for data center %s", len(keys), name or self._data_center or "-")

    def get_key(self, kid: str, data_center: str | None = None) -> Any:
        """The RSA public key for *kid*, fetching or refetching as needed.

        Raises :class:`~gigya_fast.errors.UnknownKeyId` when the key set (after
        at most one throttled refetch) has no such kid.
        """
        if not isinstance(kid, str):
            raise UnknownKeyId("token kid must be a string")
        name = self._slot_name(data_center)
        slot = self._slot(name)
        now = self._clock()
        fetched_at = slot.fetched_at
        if fetched_at is not None and now - fetched_at < self._ttl:
            key = slot.keys.get(kid)
            if key is not None:
                return key
        with slot.lock:  # one fetch at a time per data center; waiters reuse its result
            now = self._clock()
            fetched_at = slot.fetched_at
            fresh = fetched_at is not None and now - fetched_at < self._ttl
            if not fresh:
                attempted = slot.attempted_at
                failed = attempted is not None and (fetched_at is None or attempted > fetched_at)
                if failed and attempted is not None and now - attempted < self._min_refetch:
                    raise UnknownKeyId("JWT public keys are unavailable (the last fetch failed)")
                self._fetch_into(name, slot, now)
            elif kid not in slot.keys:
                attempted = slot.attempted_at
                if attempted is None or now - attempted >= self._min_refetch:
                    logger.info("unknown JWT kid; refetching public keys (rotation?)")
                    self._fetch_into(name, slot, now)
            key = slot.keys.get(kid)
        if key is None:
            raise UnknownKeyId("no public key with the token's kid")
        return key

    def refresh(self, data_center: str | None = None) -> None:
        """Fetch the keys now, whatever their age (no throttle)."""
        name = self._slot_name(data_center)
        slot = self._slot(name)
        with slot.lock:
            self._fetch_into(name, slot, self._clock())

    def kids(self, data_center: str | None = None) -> List[str]:
        """The key ids currently cached for *data_center* (no fetch)."""
        return sorted(self._slot(self._slot_name(data_center)).keys)

    def clear(self) -> None:
        """Forget every cached key."""
        with self._slots_lock:
            self._slots = {}
