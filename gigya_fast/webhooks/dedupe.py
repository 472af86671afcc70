"""Dedupe stores: remember webhook event ids for a while so that redelivered
events (CDC delivers at least once) are processed once.

A store answers one question atomically: "is this id new? if so, remember it".
:class:`MemoryDedupeStore` (the default) lives in one process;
:class:`~gigya_fast.webhooks.RedisDedupeStore` is shared by every instance
behind a load balancer.
"""

from __future__ import annotations

import logging
import threading
import time
from abc import ABC, abstractmethod
from collections import OrderedDict
from typing import Callable, Iterable, List, Sequence

from ..jwt._times import seconds

__all__ = ["DEFAULT_DEDUPE_TTL", "DedupeStore", "MemoryDedupeStore"]

logger = logging.getLogger(__name__)

#: CDC retries a failed delivery with backoff for up to an hour; remember ids
#: for twice that by default.
DEFAULT_DEDUPE_TTL = 7200.0


def _check_ttl(ttl: object) -> float:
    """*ttl* as float seconds: positive and finite (an infinite ttl would remember ids for ever)."""
    return float(seconds("ttl", ttl, positive=True))


class DedupeStore(ABC):
    """Interface of a dedupe store (thread-safe in every implementation)."""

    @abstractmethod
    def add(self, key: str) -> bool:
        """Remember *key*; True when it was not already remembered (first delivery)."""

    def add_many(self, keys: Sequence[str]) -> List[bool]:
        """:meth:`add` for each key, in order (stores may batch the round trips)."""
        return [self.add(key) for key in keys]

    @abstractmethod
    def discard(self, key: str) -> None:
        """Forget *key* (e.g. its processing failed and a redelivery must be handled)."""

    def discard_many(self, keys: Iterable[str]) -> None:
        """:meth:`discard` for each key."""
        for key in keys:
            self.discard(key)


class MemoryDedupeStore(DedupeStore):
    """In-process dedupe store: bounded, with a time to live, thread-safe.

    :param ttl: seconds an id is remembered.
    :param max_entries: most ids kept; beyond it the oldest are forgotten
        early (logged once as a warning: a redelivery of those would pass).
    :param clock: monotonic clock, replaceable in tests.
    """

    def __init__(
        self,
        ttl: float = DEFAULT_DEDUPE_TTL,
        *,
        max_entries: int = 100_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl = _check_ttl(ttl)
        if isinstance(max_entries, bool) or not isinstance(max_entries, int) or max_entries < 1:
            raise ValueError("max_entries must be a positive int")
        self._max = max_entries
        self._clock = clock
        self._expiry: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()
        self._warned = False

    @property
    def ttl(self) -> float:
        """Seconds an id is remembered."""
        return self._ttl

    def __len__(self) -> int:
        with self._lock:
            self._purge(self._clock())
            return len(self._expiry)

    def __repr__(self) -> str:
        return f"<MemoryDedupeStore ttl={self._ttl} max_entries={self._max} size={len(self._expiry)}>"

    def _purge(self, now: float) -> None:
        # Insertion order is expiry order (one ttl for all), so expired ids are at the front.
        expiry = self._expiry
        while expiry:
            key, deadline = next(iter(expiry.items()))
            if deadline > now:
                break
            del expiry[key]

    def _add_locked(self, key: str, now: float) -> bool:
        deadline = self._expiry.get(key)
        if deadline is not None and deadline > now:
            return False
        if deadline is not None:
            del self._expiry[key]
        self._expiry[key] = now + self._ttl
        if len(self._expiry) > self._max:
            self._expiry.popitem(last=False)
            if not self._warned:
                self._warned = True
                logger.warning(
                    "dedupe store full (%d ids): forgetting the oldest before their ttl; "
                    "raise max_entries or use a shared store",
                    self._max,
                )
        return True

    def add(self, key: str) -> bool:
        """Remember *key*; True when it was new (or had expired)."""
        if not isinstance(key, str):
            raise TypeError("dedupe keys must be str")
        with self._lock:
            now = self._clock()
            self._purge(now)
            return self._add_locked(key, now)

    def add_many(self, keys: Sequence[str]) -> List[bool]:
        """Remember each key under one lock; True for those that were new."""
        for key in keys:
            if not isinstance(key, str):
                raise TypeError("dedupe keys must be str")
        with self._lock:
            now = self._clock()
            self._purge(now)
            return [self._add_locked(key, now) for key in keys]

    def discard(self, key: str) -> None:
        """Forget *key*."""
        with self._lock:
            self._expiry.pop(key, None)

    def clear(self) -> None:
        """Forget every id."""
        with self._lock:
            self._expiry.clear()
