"""Selects the webhook batch kernel and the ``Notification`` class it builds: compiled
(``_batch_c``, ``_notification_c``) unless they are missing or
``GIGYA_FAST_NO_EXTENSIONS`` asks for the pure-Python twins (``_batch_py``,
``_notification_py``). Both give the same results."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from .._env import no_extensions

__all__ = ["IMPLEMENTATION", "Notification", "verify_webhook_batch"]

logger = logging.getLogger(__name__)

if TYPE_CHECKING:
    from ._batch_py import verify_webhook_batch
    from ._notification_py import Notification

    IMPLEMENTATION = "python"
elif no_extensions():
    from ._batch_py import verify_webhook_batch
    from ._notification_py import Notification

    IMPLEMENTATION = "python"
else:
    try:
        from ._batch_c import verify_webhook_batch
        from ._notification_c import Notification

        IMPLEMENTATION = "cython"
    except ImportError as exc:  # pragma: no cover - depends on the build
        logger.debug("compiled webhook kernels unavailable (%s); using pure Python", exc)
        from ._batch_py import verify_webhook_batch
        from ._notification_py import Notification

        IMPLEMENTATION = "python"
