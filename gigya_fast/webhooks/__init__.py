"""CDC webhooks: signature verification, replay window, deduplication, WSGI/ASGI glue.

>>> verifier = WebhookVerifier(secret)                      # doctest: +SKIP
>>> notification = verifier.verify(raw_body, headers)      # doctest: +SKIP
>>> for event in notification.claim_new_events(): ...  # doctest: +SKIP

Framework helpers live in :mod:`gigya_fast.webhooks.wsgi` and
:mod:`gigya_fast.webhooks.asgi`.
"""

from __future__ import annotations

from .dedupe import DEFAULT_DEDUPE_TTL, DedupeStore, MemoryDedupeStore
from .notification import Event, Notification
from .redis_store import RedisDedupeStore
from .verifier import (
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_TOLERANCE,
    HMAC_HEADER,
    JWT_HEADER,
    REQUIRE_POLICIES,
    WebhookVerifier,
    get_header,
)

__all__ = [
    "DEFAULT_DEDUPE_TTL",
    "DEFAULT_MAX_BODY_BYTES",
    "DEFAULT_TOLERANCE",
    "HMAC_HEADER",
    "JWT_HEADER",
    "REQUIRE_POLICIES",
    "DedupeStore",
    "Event",
    "MemoryDedupeStore",
    "Notification",
    "RedisDedupeStore",
    "WebhookVerifier",
    "get_header",
]
