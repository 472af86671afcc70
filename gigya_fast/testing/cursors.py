"""Search cursors: each cursorId names one page of a frozen result set, so
asking the same cursorId again returns the same page; idle cursors expire."""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Tuple

__all__ = ["CursorTable", "Page"]


@dataclass
class _Entry:
    rows: List[Dict[str, Any]]
    start: int
    size: int
    last_used: float
    next_id: str | None = None


@dataclass(frozen=True)
class Page:
    """One page of results and the cursor of the next page (``None`` on the last)."""

    results: List[Dict[str, Any]]
    total: int
    next_cursor_id: str | None


class CursorTable:
    """Open cursors, expiring after ``ttl`` seconds without use."""

    def __init__(self, ttl: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._entries: Dict[str, _Entry] = {}

    def _sweep(self, now: float) -> None:
        self._entries = {k: e for k, e in self._entries.items() if now - e.last_used <= self.ttl}

    def _page(self, entry: _Entry, now: float) -> Page:
        end = entry.start + entry.size
        if end < len(entry.rows) and entry.next_id is None:
            entry.next_id = secrets.token_urlsafe(24)
            self._entries[entry.next_id] = _Entry(entry.rows, end, entry.size, now)
        return Page(entry.rows[entry.start : end], len(entry.rows), entry.next_id)

    def open(self, rows: List[Dict[str, Any]], page_size: int) -> Page:
        """Freeze *rows* and return their first page."""
        now = self._clock()
        with self._lock:
            self._sweep(now)
            return self._page(_Entry(rows, 0, max(page_size, 1), now), now)

    def fetch(self, cursor_id: str) -> Page | None:
        """The page *cursor_id* names (again, if asked twice), or ``None`` when unknown/expired."""
        now = self._clock()
        with self._lock:
            self._sweep(now)
            entry = self._entries.get(cursor_id)
            if entry is None:
                return None
            entry.last_used = now
            return self._page(entry, now)

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def expire_all(self) -> None:
        """Forget every cursor, as if all had been idle too long."""
        with self._lock:
            self._entries.clear()

    def ids(self) -> Tuple[str, ...]:
        """The ids of the open cursors."""
        with self._lock:
            return tuple(self._entries)
