"""``gigya_fast.testing``: a real local CDC-compatible HTTP(S) server for tests.

Plain HTTP and HMAC authentication need nothing beyond the standard library;
TLS needs the ``testing`` extra (trustme, cryptography); JWT features need
``cryptography`` and raise ``MissingDependencyError`` without it.
"""

from __future__ import annotations

import logging

from .envelope import CDCError
from .faults import MALFORMED_KINDS, Fault, FaultPlan
from .records import RecordedRequest
from .server import HOST, LocalCDC
from .webhooks import EVENT_TYPES, Delivery, Webhook

__all__ = [
    "LocalCDC",
    "HOST",
    "RecordedRequest",
    "Fault",
    "FaultPlan",
    "MALFORMED_KINDS",
    "Webhook",
    "Delivery",
    "EVENT_TYPES",
    "CDCError",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())
