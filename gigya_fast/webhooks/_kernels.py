"""Selects the webhook batch kernel and the ``Notification`` class it builds: compiled
(``gigya_fast._signing_c``) when the signing kernels are, else the pure-Python twins
(``_batch_py``, ``_notification_py``). Both give the same results."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from .._signing import IMPLEMENTATION

__all__ = ["IMPLEMENTATION", "Notification", "verify_webhook_batch"]

logger = logging.getLogger(__name__)

if TYPE_CHECKING or IMPLEMENTATION != "cython":
    from ._batch_py import verify_webhook_batch
    from ._notification_py import Notification
else:
    try:
        from .._signing_c import Notification, verify_webhook_batch
    except ImportError:  # pragma: no cover - an extension built from older sources
        logger.warning("the compiled extension has no webhook batch kernel (stale build?); using pure Python")
        from ._batch_py import verify_webhook_batch
        from ._notification_py import Notification
