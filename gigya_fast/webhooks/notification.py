"""Typed, lazily parsed view of a verified webhook notification.

The raw body is kept as received; JSON is parsed on first access of
anything that needs it, so a batch of verified notifications costs no JSON
work until a handler looks inside.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from typing import Any, Dict, FrozenSet, Iterable, Mapping, NamedTuple, Tuple, Union

from ..errors import SignatureError
from .dedupe import DedupeStore

__all__ = ["Event", "Notification", "parse_body", "body_timestamp"]

logger = logging.getLogger(__name__)

Number = Union[int, float]

# A CDC body ends with ``,"timestamp":<seconds>}``. When the last member
# before the closing brace of a valid JSON object is that pair, it is the
# top-level timestamp: reading it from the tail avoids parsing the whole body
# just to apply the replay window. Anything else falls back to json.loads.
_TAIL_TIMESTAMP = re.compile(rb'[{,]\s*"timestamp"\s*:\s*(\d{1,15})\s*}\s*\Z')
_TAIL = 64

# Striped locks guarding the first computation of new_events (a per-instance
# lock would make every Notification more expensive to build).
_STRIPES = tuple(threading.Lock() for _ in range(64))


class Event(NamedTuple):
    """One event of a notification (``accountCreated``, ``accountUpdated``...)."""

    type: str
    id: str
    timestamp: Number | None
    call_id: str | None
    version: str | None
    api_key: str | None
    uid: str | None
    data: Mapping[str, Any]


def _malformed(reason: str) -> SignatureError:
    return SignatureError("notification body is malformed: " + reason)


def parse_body(body: bytes) -> Dict[str, Any]:
    """The JSON object of a notification body (UTF-8); ``SignatureError`` when it is not one."""
    try:
        data = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise _malformed("not UTF-8") from None
    except ValueError:
        raise _malformed("not JSON") from None
    if not isinstance(data, dict):
        raise _malformed("not a JSON object")
    return data


def _timestamp_of(data: Mapping[str, Any]) -> Number:
    value = data.get("timestamp")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _malformed("no numeric timestamp")
    return value


def body_timestamp(body: bytes) -> int | None:
    """The top-level ``timestamp`` read from the tail of *body*, or None when it is not there."""
    match = _TAIL_TIMESTAMP.search(body, max(0, len(body) - _TAIL))
    return int(match.group(1)) if match is not None else None


def _optional_str(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise _malformed("event field has an unexpected type")


def _event(raw: object) -> Event:
    if not isinstance(raw, dict):
        raise _malformed("event is not an object")
    event_type, event_id = raw.get("type"), raw.get("id")
    if not isinstance(event_type, str) or not isinstance(event_id, str) or not event_id:
        raise _malformed("event has no type or id")
    timestamp = raw.get("timestamp")
    if timestamp is not None and (isinstance(timestamp, bool) or not isinstance(timestamp, (int, float))):
        raise _malformed("event timestamp is not a number")
    data = raw.get("data")
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise _malformed("event data is not an object")
    uid = data.get("uid")
    return Event(
        type=event_type,
        id=event_id,
        timestamp=timestamp,
        call_id=_optional_str(raw.get("callId")),
        version=_optional_str(raw.get("version")),
        api_key=_optional_str(raw.get("apiKey")),
        uid=uid if isinstance(uid, str) else None,
        data=data,
    )


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

    # Lazily computed slots stay unset until first use: building a
    # Notification costs three stores, which matters in verify_many.
    __slots__ = ("body", "headers", "_ctx", "_data", "_timestamp", "_events", "_new_events")

    body: bytes
    headers: Mapping[str, str]
    _ctx: Tuple[FrozenSet[str], DedupeStore | None]
    _data: Dict[str, Any]
    _timestamp: Number
    _events: Tuple[Event, ...]
    _new_events: Tuple[Event, ...] | None

    def __init__(self, body: bytes, headers: Mapping[str, str], ctx: Tuple[FrozenSet[str], DedupeStore | None]) -> None:
        self.body = body
        self.headers = headers
        self._ctx = ctx

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
        notification = cls(bytes(body), dict(headers or {}), (frozenset(verified_by), dedupe))
        if data is not None:
            notification._data = data
        if timestamp is not None:
            notification._timestamp = timestamp
        return notification

    @property
    def verified_by(self) -> FrozenSet[str]:
        """The checks that passed: ``"hmac"``, ``"jwt"`` or both."""
        return self._ctx[0]

    def __repr__(self) -> str:
        return f"<Notification {len(self.body)} bytes verified_by={sorted(self.verified_by)}>"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Notification):
            return NotImplemented
        return self.body == other.body and self.verified_by == other.verified_by

    __hash__ = None  # type: ignore[assignment]

    @property
    def data(self) -> Dict[str, Any]:
        """The whole parsed body."""
        try:
            return self._data
        except AttributeError:
            data = self._data = parse_body(self.body)
            return data

    @property
    def nonce(self) -> str:
        """The notification's ``nonce`` (unique per delivery)."""
        nonce = self.data.get("nonce")
        if not isinstance(nonce, str):
            raise _malformed("no nonce")
        return nonce

    @property
    def timestamp(self) -> Number:
        """The notification's ``timestamp`` (Unix seconds)."""
        try:
            return self._timestamp
        except AttributeError:
            found = body_timestamp(self.body)
            timestamp: Number = found if found is not None else _timestamp_of(self.data)
            self._timestamp = timestamp
            return timestamp

    @property
    def events(self) -> Tuple[Event, ...]:
        """Every event of the notification, in order."""
        try:
            return self._events
        except AttributeError:
            raw = self.data.get("events")
            if not isinstance(raw, list):
                raise _malformed("events is not a list") from None
            events = self._events = tuple(_event(item) for item in raw)
            return events

    @property
    def new_events(self) -> Tuple[Event, ...]:
        """The events not seen before (computed once; marks their ids as seen).

        Safe to read from several threads: only the first reader asks the store.
        """
        new: Tuple[Event, ...] | None = getattr(self, "_new_events", None)
        if new is not None:
            return new
        with _STRIPES[id(self) % len(_STRIPES)]:
            return self._claim_new_events()

    def _claim_new_events(self) -> Tuple[Event, ...]:
        new: Tuple[Event, ...] | None = getattr(self, "_new_events", None)
        if new is None:
            events = self.events
            store = self._ctx[1]
            if store is None or not events:
                new = events
            else:
                fresh = store.add_many([event.id for event in events])
                new = tuple(event for event, is_new in zip(events, fresh) if is_new)
                if len(new) != len(events):
                    logger.info("dropped %d redelivered webhook event(s)", len(events) - len(new))
            self._new_events = new
        return new

    @property
    def duplicate_count(self) -> int:
        """How many events ``new_events`` dropped as redeliveries."""
        return len(self.events) - len(self.new_events)

    def release(self) -> None:
        """Forget the ids :attr:`new_events` marked as seen (call when their processing failed)."""
        with _STRIPES[id(self) % len(_STRIPES)]:
            new = getattr(self, "_new_events", None)
            store = self._ctx[1]
            if new and store is not None:
                store.discard_many([event.id for event in new])
            self._new_events = None

    def to_dict(self) -> Dict[str, Any]:
        """A JSON-ready summary (no signatures, no headers)."""
        return {
            "nonce": self.nonce,
            "timestamp": self.timestamp,
            "events": [
                {"type": e.type, "id": e.id, "timestamp": e.timestamp, "uid": e.uid, "api_key": e.api_key}
                for e in self.events
            ],
            "verified_by": sorted(self.verified_by),
        }
