"""Selects the webhook batch kernel and the ``Notification`` class it builds: compiled
(``_batch_c``, ``_notification_c``) unless they are missing or
``GIGYA_FAST_NO_EXTENSIONS`` asks for the pure-Python twins (``_batch_py``,
``_notification_py``). Both give the same results."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._env import load_twins

__all__ = ["IMPLEMENTATION", "Notification", "verify_webhook_batch"]

if TYPE_CHECKING:
    from ._batch_py import verify_webhook_batch
    from ._notification_py import Notification

    IMPLEMENTATION = "python"
else:
    (_batch, _notification), IMPLEMENTATION = load_twins(
        ["gigya_fast.webhooks._batch_c", "gigya_fast.webhooks._notification_c"],
        ["gigya_fast.webhooks._batch_py", "gigya_fast.webhooks._notification_py"],
    )
    verify_webhook_batch = _batch.verify_webhook_batch
    Notification = _notification.Notification
