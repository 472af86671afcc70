"""The bookkeeping of :class:`~gigya_fast.jwt.JWKSCache`, without I/O: which data center a
token may make the cache fetch for, whether a lookup has its key, must fetch, must wait
for a fetch under way or must fail, and what a finished fetch leaves behind.

:class:`JWKSCache` drives it from threads and from asyncio; both drivers hold
:attr:`KeySlots.lock` only around these steps, never across a fetch.
"""

from __future__ import annotations

import json
import logging
import threading
from typing import TYPE_CHECKING, Any, Callable, Dict, FrozenSet, List, Mapping, Tuple

from .._jsondepth import MAX_JSON_DEPTH, too_deep
from ..errors import UnknownKeyId

if TYPE_CHECKING:
    import asyncio

__all__ = [
    "CDC_DATA_CENTERS",
    "DEFAULT_SLOT",
    "HAVE",
    "FETCH",
    "WAIT",
    "FAILED",
    "KeySlots",
    "Slot",
    "document_of",
    "dc_name",
]

logger = logging.getLogger(__name__)

#: The short names of CDC's data centers (``dc`` in webhook JWT headers):
#: the ones a cache with ``fetch_for_data_center`` fetches keys for by default.
CDC_DATA_CENTERS: FrozenSet[str] = frozenset({"us1", "eu1", "eu2", "au1", "ru1", "il1", "global", "cn1"})

#: The slot of the cache's own data center (its plain ``fetch``).
DEFAULT_SLOT = ""

# What a lookup must do next (see KeySlots.plan).
HAVE, FETCH, WAIT, FAILED = "have", "fetch", "wait", "failed"


def document_of(response: object) -> object:
    """The JWKS document inside whatever *fetch* returned."""
    if isinstance(response, (bytes, bytearray, str)):
        raw = response.encode("utf-8", "surrogatepass") if isinstance(response, str) else bytes(response)
        if too_deep(raw):  # refused alike on every Python (the decoder's own limit moves between versions)
            raise ValueError("JWKS answer nests deeper than %d levels" % MAX_JSON_DEPTH)
        try:
            return json.loads(raw)
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


def dc_name(label: str) -> str:
    """``"EU1"``, ``"eu1.gigya.com"`` -> ``"eu1"``: the short name of a data center label."""
    return label.strip().lower().split(".", 1)[0]


class Slot:
    """The keys of one data center, when they were fetched, and the fetch under way."""

    __slots__ = ("keys", "fetched_at", "attempted_at", "in_flight", "fetch_lock", "pending")

    def __init__(self) -> None:
        self.keys: Dict[str, Any] = {}
        self.fetched_at: float | None = None
        self.attempted_at: float | None = None
        self.in_flight = 0
        self.fetch_lock = threading.Lock()  # threads: one fetch at a time
        self.pending: Tuple[asyncio.AbstractEventLoop, asyncio.Future[None]] | None = None  # coroutines: one fetch


class KeySlots:
    """The key sets of a cache, one :class:`Slot` per data center, and the throttles.

    *per_dc*: whether tokens may name other data centers (a per-data-center
    fetcher exists); *known*: the ones they may name.
    """

    def __init__(
        self,
        *,
        ttl: float,
        min_refetch: float,
        data_center: str,
        known: FrozenSet[str],
        per_dc: bool,
        clock: Callable[[], float],
    ) -> None:
        self.ttl, self.min_refetch, self.data_center, self.known = ttl, min_refetch, data_center, known
        self._per_dc = per_dc
        self._clock = clock
        self.lock = threading.Lock()  # guards the slots' fields; never held during a fetch
        self._slots: Dict[str, Slot] = {}
        self._last_kid_refetch: float | None = None
        self.fetch_count = 0

    def __len__(self) -> int:
        return len(self._slots)

    def now(self) -> float:
        """The cache's (monotonic) clock."""
        return self._clock()

    def slot_name(self, data_center: object) -> str | None:
        """The slot for a token's ``dc``; None when the cache must not fetch for it."""
        if not self._per_dc or not isinstance(data_center, str) or not data_center:
            return DEFAULT_SLOT
        name = data_center.strip().lower()
        if name == self.data_center:
            return DEFAULT_SLOT
        return name if name in self.known else None

    def slot(self, data_center: object) -> Tuple[str, Slot]:
        """(name, slot) for a token's ``dc``; ``UnknownKeyId`` (no slot made) for a data center it must not fetch."""
        name = self.slot_name(data_center)
        if name is None:
            raise UnknownKeyId("token names a data center this cache does not fetch keys for")
        slot = self._slots.get(name)
        if slot is None:
            with self.lock:
                slot = self._slots.setdefault(name, Slot())  # at most one per known data center
        return name, slot

    def fresh_key(self, slot: Slot, kid: str, now: float) -> Any:
        """The key for *kid* when *slot*'s keys are fresh and hold it, else None (no lock: a read)."""
        fetched_at = slot.fetched_at
        if fetched_at is not None and now - fetched_at < self.ttl:
            return slot.keys.get(kid)
        return None

    def plan(self, slot: Slot, kid: str, now: float, *, waiting_allowed: bool) -> str:
        """What a lookup of *kid* does next; starts the attempt when the answer is FETCH."""
        fetched_at = slot.fetched_at
        fresh = fetched_at is not None and now - fetched_at < self.ttl
        if fresh and kid in slot.keys:
            return HAVE
        if slot.in_flight and waiting_allowed:
            return WAIT
        attempted = slot.attempted_at
        if not fresh:
            failed = attempted is not None and not slot.in_flight and (fetched_at is None or attempted > fetched_at)
            if failed and attempted is not None and now - attempted < self.min_refetch:
                return FAILED
        else:
            # an unknown kid: one refetch per interval, per data center and for the whole cache
            last = self._last_kid_refetch
            if (attempted is not None and now - attempted < self.min_refetch) or (
                last is not None and now - last < self.min_refetch
            ):
                return HAVE
            self._last_kid_refetch = now
            logger.info("unknown JWT kid; refetching public keys (rotation?)")
        slot.attempted_at = now
        slot.in_flight += 1
        self.fetch_count += 1
        return FETCH

    def store(self, name: str, slot: Slot, keys: Dict[str, Any] | None, now: float, *, abandoned: bool) -> None:
        """End an attempt: keep *keys* (None: the fetch failed, or was *abandoned* by a cancelled caller)."""
        with self.lock:
            slot.in_flight -= 1
            if keys is not None:
                slot.keys = keys
                slot.fetched_at = now
            elif abandoned:  # not a failure of the key server: the next lookup may fetch at once
                slot.attempted_at = slot.fetched_at
        if keys is not None:
            logger.debug(
                "fetched %d JWT public keys for data center %s", len(keys), name or self.data_center or "-"
            )

    @staticmethod
    def answer(slot: Slot, kid: str, plan: str) -> Any:
        """The key for *kid* once *plan* ran; ``UnknownKeyId`` when there is none."""
        if plan == FAILED:
            raise UnknownKeyId("JWT public keys are unavailable (the last fetch failed)")
        key = slot.keys.get(kid)
        if key is None:
            raise UnknownKeyId("no public key with the token's kid")
        return key

    def begin_forced(self, slot: Slot) -> None:
        """Start a fetch nothing throttles (``refresh``)."""
        with self.lock:
            slot.in_flight += 1
            self.fetch_count += 1
            slot.attempted_at = self._clock()

    def kids(self, data_center: str | None = None) -> List[str]:
        """The key ids currently cached for *data_center* (no fetch)."""
        name = self.slot_name(data_center)
        slot = self._slots.get(name) if name is not None else None
        return sorted(slot.keys) if slot is not None else []

    def clear(self) -> None:
        """Forget every cached key."""
        with self.lock:
            self._slots = {}


