"""Whole-attempt deadlines of the async transport, kept with one timer per event loop.

aiohttp's ``total`` timeout arms a loop timer for every request and cancels
it at the end; beside ``sock_read`` (which re-arms its own timer on every
read) that is two timers per request, each a Python ``TimerHandle`` pushed
into and later popped from the loop's heap with Python-level comparisons.
For a small CDC call that cost more client CPU than signing it.

Here an attempt's deadline is a dict entry (its task -> when). One timer,
armed at the earliest deadline, wakes up, cancels the tasks whose deadline
has passed and re-arms at the next one; an attempt that ends in time only
drops its entry. Under steady traffic the timer fires about once per timeout
period. The cancelled task gets a ``CancelledError`` at the await it is
suspended in, which the transport turns into a timeout, the way
``asyncio.timeout`` (and aiohttp's own timer) do it, including the
"someone else cancelled it too" rule on Python 3.11+.
"""

from __future__ import annotations

import asyncio
import sys
from typing import Any, Dict, Optional, Tuple

__all__ = ["Deadlines"]

# The loop runs a timer up to its clock resolution early; a deadline this close counts as reached.
_EARLY = 0.001
_NEVER = float("inf")


class Deadlines:
    """Deadlines of the attempts in flight on one event loop (use from that loop only)."""

    __slots__ = ("_loop", "_live", "_expired", "_handle", "_at")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        # task -> (deadline in loop time, the task's cancel count when its attempt started)
        self._live: Dict[asyncio.Task[Any], Tuple[float, int]] = {}
        self._expired: Dict[asyncio.Task[Any], int] = {}
        self._handle: Optional[asyncio.TimerHandle] = None
        self._at = _NEVER

    def start(self, seconds: float) -> asyncio.Task[Any]:
        """Bound the current task's attempt to *seconds* from now; returns the task for :meth:`end`."""
        task = asyncio.current_task(self._loop)
        if task is None:
            raise RuntimeError("an attempt with a deadline must run inside a task")
        when = self._loop.time() + seconds
        if sys.version_info >= (3, 11):
            self._live[task] = (when, task.cancelling())
        else:
            self._live[task] = (when, 0)
        if when < self._at:
            self._arm(when)
        return task

    def end(self, task: asyncio.Task[Any]) -> None:
        """The attempt of *task* is over (answered, failed or timed out)."""
        self._live.pop(task, None)
        if self._expired:
            self._expired.pop(task, None)

    def timed_out(self, task: asyncio.Task[Any]) -> bool:
        """Whether the ``CancelledError`` *task* got is its deadline's own (then it is taken back).

        False when the deadline did not fire, or when on Python 3.11+ someone
        else cancelled the task as well: that cancellation must go on.
        """
        cancelling = self._expired.pop(task, None)
        if cancelling is None:
            return False
        if sys.version_info >= (3, 11):
            return task.uncancel() <= cancelling
        return True

    def close(self) -> None:
        """Stop the timer (the attempts still in flight are no longer bounded)."""
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
        self._at = _NEVER
        self._live.clear()
        self._expired.clear()

    def _arm(self, when: float) -> None:
        if self._handle is not None:
            self._handle.cancel()
        self._at = when
        self._handle = self._loop.call_at(when, self._fire)

    def _fire(self) -> None:
        self._handle = None
        self._at = _NEVER
        now = self._loop.time() + _EARLY
        following = _NEVER
        for task, (when, cancelling) in list(self._live.items()):
            if when <= now:
                del self._live[task]
                self._expired[task] = cancelling
                task.cancel()
            elif when < following:
                following = when
        if following != _NEVER:
            self._arm(following)
