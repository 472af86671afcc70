"""``Notification``, pure Python: the twin of the compiled class in
``gigya_fast.webhooks._notification_c``.

Both classes keep the same eight attributes (``None`` meaning "not computed
yet") and delegate everything beyond attribute access to the functions of this
module, so the lazy parsing, deduplication, pickling and summaries are defined
once. The compiled class exists for batches: the compiled batch kernel builds
its results in C and leaves them untracked by CPython's cyclic GC, so building
100k of them in ``verify_many`` never sets off collections over the caller's
heap.
"""

from __future__ import annotations

import logging
import threading
import warnings
from typing import TYPE_CHECKING, Any, Dict, FrozenSet, Iterable, Mapping, Tuple

from .._checks_py import Number
from ._body import Event, body_timestamp, make_event, malformed, parse_body, timestamp_field
from ._common import HMAC_HEADER, JWT_HEADER

if TYPE_CHECKING:
    from .dedupe import DedupeStore

__all__ = ["Notification"]

logger = logging.getLogger(__name__)

Ctx = Tuple[FrozenSet[str], "DedupeStore | None"]

# Held only to give a notification its own guard (a lock per instance would make every
# Notification of a 100k batch more expensive to build); never while a store is asked.
_GUARD_STRIPES = tuple(threading.Lock() for _ in range(64))
_SIGNATURE_HEADERS = frozenset({HMAC_HEADER.lower(), JWT_HEADER.lower()})


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


def _guard(n: Any) -> threading.Lock:
    """*n*'s own lock, made on first use: the store's I/O for one notification never
    waits for another's."""
    guard: threading.Lock | None = n._guard
    if guard is None:
        with _GUARD_STRIPES[id(n) % len(_GUARD_STRIPES)]:
            guard = n._guard
            if guard is None:
                guard = n._guard = threading.Lock()
    return guard


def claim_new_events(n: Any) -> Tuple[Event, ...]:
    """The events whose ids the dedupe store had not seen, marked as seen now; asks the
    store once (later calls, from any thread, get the same answer)."""
    new: Tuple[Event, ...] | None = n._new_events
    if new is not None:
        return new
    with _guard(n):
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


def new_events_deprecated(n: Any, stacklevel: int) -> Tuple[Event, ...]:
    """``Notification.new_events``: :func:`claim_new_events` with a DeprecationWarning."""
    warnings.warn(
        "Notification.new_events is deprecated (reading it claims the events in the dedupe store): "
        "call claim_new_events()",
        DeprecationWarning,
        stacklevel=stacklevel,
    )
    return claim_new_events(n)


def duplicate_count(n: Any) -> int:
    """How many events the claim dropped as redeliveries (claims first if not done yet)."""
    return len(events_of(n)) - len(claim_new_events(n))


def release(n: Any) -> None:
    """Forget the ids :func:`claim_new_events` marked as seen."""
    with _guard(n):
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


def _unsigned_headers(headers: Any) -> Dict[Any, Any]:
    """The headers as a dict, without the signature headers (any case)."""
    items = headers.items() if hasattr(headers, "items") else headers
    kept: Dict[Any, Any] = {}
    for key, value in items:
        name = key.decode("latin-1") if isinstance(key, (bytes, bytearray)) else key
        if not (isinstance(name, str) and name.lower() in _SIGNATURE_HEADERS):
            kept[key] = value
    return kept


def reduce(n: Any) -> Tuple[Any, Tuple[Any, ...]]:
    """The pickle form of *n*: ``gigya_fast.webhooks.notification.restore`` (a stable
    path, which builds the Notification class of the loading process) and what it
    needs: body, headers without the signature headers, the checks that passed, what
    was parsed and claimed. The dedupe store stays behind."""
    from .notification import restore

    state = (n.body, _unsigned_headers(n.headers), n._ctx[0], n._data, n._timestamp, n._events, n._new_events)
    return restore, state


def rebuild(
    cls: Any,
    body: bytes,
    headers: Any,
    verified_by: Iterable[str],
    data: Any,
    timestamp: Any,
    events: Any,
    new: Any,
) -> Any:
    """A Notification of class *cls* from the state :func:`reduce` pickles (no store)."""
    notification = cls(body, headers, (frozenset(verified_by), None))
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
    :meth:`claim_new_events` returns the events whose ids the dedupe store had
    not seen, and marks them as seen; :meth:`release` forgets them again when
    processing failed, so that CDC's redelivery is handled.

    A pickled notification (e.g. handed to a worker process) carries its body,
    its headers *without* the signature headers (``X-Gigya-Sig-Hmac-Sha1``,
    ``X-Gigya-Sig-JWT``), the checks that passed and what was parsed or
    claimed, but not its dedupe store: claim before pickling. It loads as the
    ``Notification`` class of the loading process (compiled or pure).

    Built by :class:`~gigya_fast.webhooks.WebhookVerifier`; to make one
    yourself (tests), use :meth:`create`.
    """

    __slots__ = ("body", "headers", "_ctx", "_data", "_timestamp", "_events", "_new_events", "_guard")

    body: bytes
    headers: Mapping[str, str]
    _ctx: Ctx
    _data: Dict[str, Any] | None
    _timestamp: Number | None
    _events: Tuple[Event, ...] | None
    _new_events: Tuple[Event, ...] | None
    _guard: threading.Lock | None

    def __init__(self, body: bytes, headers: Mapping[str, str], ctx: Ctx) -> None:
        self.body = body
        self.headers = headers
        self._ctx = ctx
        self._data = self._timestamp = self._events = self._new_events = self._guard = None

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

    def claim_new_events(self) -> Tuple[Event, ...]:
        """The events not seen before, marked as seen in the dedupe store (asked once).

        Safe to call from several threads: only the first call asks the store (no
        other notification waits for it); later calls return the same events.
        """
        return claim_new_events(self)

    @property
    def new_events(self) -> Tuple[Event, ...]:
        """Deprecated: :meth:`claim_new_events` (reading this claims the events)."""
        return new_events_deprecated(self, 3)

    @property
    def duplicate_count(self) -> int:
        """How many events :meth:`claim_new_events` dropped as redeliveries (claims first if not done yet)."""
        return duplicate_count(self)

    def release(self) -> None:
        """Forget the ids :meth:`claim_new_events` marked as seen (call when their processing failed)."""
        release(self)

    def to_dict(self) -> Dict[str, Any]:
        """A JSON-ready summary (no signatures, no headers)."""
        return to_dict(self)
