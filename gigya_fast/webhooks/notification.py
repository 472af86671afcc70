"""Typed, lazily parsed view of a verified webhook notification.

The raw body is kept as received; JSON is parsed on first access of
anything that needs it, so a batch of verified notifications costs no JSON
work until a handler looks inside. ``Notification`` is the compiled class when
the extension is in use (whose ``verify_many`` results the cyclic GC does not
track, for large batches), else its pure-Python twin; both behave the same.
"""

from __future__ import annotations

import logging

from ._body import Event, body_timestamp, parse_body
from ._kernels import Notification

__all__ = ["Event", "Notification", "parse_body", "body_timestamp"]

logger = logging.getLogger(__name__)
