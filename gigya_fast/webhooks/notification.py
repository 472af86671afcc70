"""Typed, lazily parsed view of a verified webhook notification.

The raw body is kept as received; JSON is parsed on first access of
anything that needs it, so a batch of verified notifications costs no JSON
work until a handler looks inside. ``Notification`` is the compiled class when
the extension is in use (whose ``verify_many`` results the cyclic GC does not
track, for large batches), else its pure-Python twin; both behave the same.
"""

from __future__ import annotations

from typing import Any, Iterable

from . import _notification_py
from ._body import Event, body_timestamp, parse_body
from ._kernels import Notification

__all__ = ["Event", "Notification", "parse_body", "body_timestamp"]


def restore(
    body: bytes, headers: Any, verified_by: Iterable[str], data: Any, timestamp: Any, events: Any, new_events: Any
) -> Notification:
    """Rebuild a pickled notification as this process's :class:`Notification` (compiled
    or pure, whichever pickled it): the path pickles name, stable in both."""
    made: Notification = _notification_py.rebuild(
        Notification, body, headers, verified_by, data, timestamp, events, new_events
    )
    return made
