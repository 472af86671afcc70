"""An event loop that records the timers armed on it, for tests counting them."""

from __future__ import annotations

import asyncio
from typing import Any, Callable, List, Tuple

__all__ = ["CountingLoop"]


class CountingLoop(asyncio.SelectorEventLoop):
    """Records every timer armed through ``call_at`` (``call_later`` goes through it too)."""

    def __init__(self) -> None:
        super().__init__()
        #: ``(handle, callback)`` of each timer, in the order they were armed.
        self.handles: List[Tuple[asyncio.TimerHandle, Callable[..., Any]]] = []

    def call_at(  # type: ignore[override]
        self, when: float, callback: Callable[..., Any], *args: Any, **kwargs: Any
    ) -> asyncio.TimerHandle:
        handle = super().call_at(when, callback, *args, **kwargs)
        self.handles.append((handle, callback))
        return handle

    def armed_by(self, owner: Callable[[object], bool]) -> List[asyncio.TimerHandle]:
        """The timers whose callback is a bound method of an object *owner* accepts."""
        return [handle for handle, callback in self.handles if owner(getattr(callback, "__self__", None))]
