"""``Notification``, pure Python: the twin of the compiled class in ``gigya_fast._signing_c``.

Both classes keep the same seven attributes (``None`` meaning "not computed
yet") and delegate everything beyond attribute access to the functions of this
module, so the lazy parsing, deduplication and summaries are defined once. The
compiled class exists for batches: the compiled batch kernel builds its
results in C and leaves them untracked by CPython's cyclic GC, so building
100k of them in ``verify_many`` never sets off collections over the caller's
heap.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Any, Dict, FrozenSet, Iterable, Mapping, Tuple, Union

from ._body import Event, body_timestamp, make_event, malformed, parse_body, timestamp_field

if TYPE_CHECKING:
    from .dedupe import DedupeStore

__all__ = ["Notification"]

logger = logging.getLogger(__name__)

Number = Union[int, float]
Ctx = Tuple[FrozenSet[str], "DedupeStore | None"]

# Striped locks guarding the first computation of new_events (a per-instance
# lock would make every Notification more expensive to build).
_STRIPES = tuple(threading.Lock() for _ in range(64))


def load_data(n: Any) -> Dict[str, Any]:
    """Parse and keep the body of *n* (a Notification of either twin)."""
    data: Dict[str, Any] | None = n._data
    if data is None:
        data = n._data = parse_body(n.body)
    return data


def nonce_of(n: Any) -> str:
    """The body's ``nonce``."""
    nonce = load_data(n).get("nonce")
    if not isinstance(nonce, str):
        raise malformed("no nonce")
    return nonce


def timestamp_of(n: Any) -> Number:
    """The body's ``timestamp``, from its tail when possible."""
    timestamp: Number | None = n._timestamp
    if timestamp is None:
        found = body_timestamp(n.body)
        timestamp = n._timestamp = found if found is not None else timestamp_field(load_data(n))
    return timestamp


def events_of(n: Any) -> Tuple[Event, ...]:
    """The typed events of the body, parsed once."""
    events: Tuple[Event, ...] | None = n._events
    if events is None:
        raw = load_data(n).get("events")
        if not isinstance(raw, list):
            raise malformed("events is not a list")
        events = n._events = tuple(make_event(item) for item in raw)
    return events


def new_events_of(n: Any) -> Tuple[Event, ...]:
    """The events whose ids the dedupe store had not seen; asks the store once."""
    new: Tuple[Event, ...] | None = n._new_events
    if new is not None:
        return new
    with _STRIPES[id(n) % len(_STRIPES)]:
        new = n._new_events
        if new is None:
            events = events_of(n)
            store = n._ctx[1]
            if store is None or not events:
                new = events
            else:
                fresh = store.add_many([event.id for event in events])
                new = tuple(event for event, is_new in zip(events, fresh) if is_new)
                if len(new) != len(events):
                    logger.info("dropped %d redelivered webhook event(s)", len(events) - len(new))
            n._new_events = new
        return new


def release(n: Any) -> None:
    """Forget the ids ``new_events`` marked as seen."""
    with _STRIPES[id(n) % len(_STRIPES)]:
        new = n._new_events
        store = n._ctx[1]
        if new and store is not None:
            store.discard_many([event.id for event in new])
        n._new_events = None


def to_dict(n: Any) -> Dict[str, Any]:
    """A JSON-ready summary (no signatures, no headers)."""
    return {
        "nonce": nonce_of(n),
        "timestamp": timestamp_of(n),
        "events": [
            {"type": e.type, "id": e.id, "timestamp": e.timestamp, "uid": e.uid, "api_key": e.api_key}
            for e in events_of(n)
        ],
        "verified_by": sorted(n._ctx[0]),
    }


def describe(n: Any) -> str:
    """The repr: size and checks, never the body or headers."""
    return f"<Notification {len(n.body)} bytes verified_by={sorted(n._ctx[0])}>"


def equal(n: Any, other: Any) -> bool:
    """Same body and same checks."""
    return bool(n.body == other.body and n._ctx[0] == other._ctx[0])


def reduce(n: Any) -> Tuple[Any, Tuple[Any, ...]]:
    """The pickle form of *n*: its class, body, headers, context and what was parsed."""
    return restore, (type(n), n.body, n.headers, n._ctx, n._data, n._timestamp, n._events, n._new_events)


def restore(cls: Any, body: bytes, headers: Any, ctx: Ctx, data: Any, timestamp: Any, events: Any, new: Any) -> Any:
    """Rebuild a pickled Notification (see :func:`reduce`)."""
    notification = cls(body, headers, ctx)
    notification._data, notification._timestamp = data, timestamp
    notification._events, notification._new_events = events, new
    return notification


def create(
    cls: Any,
    body: bytes,
    headers: Mapping[str, str] | None,
    verified_by: Iterable[str],
    dedupe: DedupeStore | None,
    data: Dict[str, Any] | None,
    timestamp: Number | None,
) -> Any:
    """A Notification of class *cls* (no verification is done here)."""
    notification = cls(bytes(body), dict(headers or {}), (frozenset(verified_by), dedupe))
    notification._data = data
    notification._timestamp = timestamp
    return notification


class Notification:
    """A notification whose signature(s) verified.

    ``body`` is the raw bytes, ``headers`` the mapping it came with,
    ``verified_by`` the checks that passed (``{"hmac"}``, ``{"jwt"}`` or both).
    ``nonce``, ``timestamp``, ``events`` and ``data`` are parsed on first use
    (a ``SignatureError`` then if the signed body is not a CDC notification).
    ``new_events`` drops the events whose ids the dedupe store has already seen;
    :meth:`release` forgets them again when processing failed, so that CDC's
    redelivery is handled.

    Built by :class:`~gigya_fast.webhooks.WebhookVerifier`; to make one
    yourself (tests), use :meth:`create`.
    """

    __slots__ = ("body", "headers", "_ctx", "_data", "_timestamp", "_events", "_new_events")

    body: bytes
    headers: Mapping[str, str]
    _ctx: Ctx
    _data: Dict[str, Any] | None
    _timestamp: Number | None
    _events: Tuple[Event, ...] | None
    _new_events: Tuple[Event, ...] | None

    def __init__(self, body: bytes, headers: Mapping[str, str], ctx: Ctx) -> None:
        self.body = body
        self.headers = headers
        self._ctx = ctx
        self._data = self._timestamp = self._events = self._new_events = None

    @classmethod
    def create(
        cls,
        body: bytes,
        headers: Mapping[str, str] | None = None,
        *,
        verified_by: Iterable[str] = (),
        dedupe: DedupeStore | None = None,
        data: Dict[str, Any] | None = None,
        timestamp: Number | None = None,
    ) -> Notification:
        """A Notification for *body* (no verification is done here)."""
        made: Notification = create(cls, body, headers, verified_by, dedupe, data, timestamp)
        return made

    @property
    def verified_by(self) -> FrozenSet[str]:
        """The checks that passed: ``"hmac"``, ``"jwt"`` or both."""
        return self._ctx[0]

    def __repr__(self) -> str:
        return describe(self)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Notification):
            return NotImplemented
        return equal(self, other)

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self) -> Tuple[Any, Tuple[Any, ...]]:
        return reduce(self)

    @property
    def data(self) -> Dict[str, Any]:
        """The whole parsed body."""
        return load_data(self)

    @property
    def nonce(self) -> str:
        """The notification's ``nonce`` (unique per delivery)."""
        return nonce_of(self)

    @property
    def timestamp(self) -> Number:
        """The notification's ``timestamp`` (Unix seconds)."""
        return timestamp_of(self)

    @property
    def events(self) -> Tuple[Event, ...]:
        """Every event of the notification, in order."""
        return events_of(self)

    @property
    def new_events(self) -> Tuple[Event, ...]:
        """The events not seen before (computed once; marks their ids as seen).

        Safe to read from several threads: only the first reader asks the store.
        """
        return new_events_of(self)

    @property
    def duplicate_count(self) -> int:
        """How many events ``new_events`` dropped as redeliveries."""
        return len(events_of(self)) - len(new_events_of(self))

    def release(self) -> None:
        """Forget the ids :attr:`new_events` marked as seen (call when their processing failed)."""
        release(self)

    def to_dict(self) -> Dict[str, Any]:
        """A JSON-ready summary (no signatures, no headers)."""
        return to_dict(self)
