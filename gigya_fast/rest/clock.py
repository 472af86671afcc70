"""Time and nonces for signed requests: a clock that can be corrected from a
server ``Date`` header (403002), and process/thread-unique nonces."""

from __future__ import annotations

import os
import threading
import time
from email.utils import parsedate_to_datetime
from typing import Callable, Optional

__all__ = ["Clock", "new_nonce", "parse_http_date"]


def new_nonce() -> str:
    """A fresh nonce: 128 random bits from ``os.urandom`` as 32 hex digits.

    Unique across threads and processes (including forks) without shared state.
    """
    return os.urandom(16).hex()


def parse_http_date(value: Optional[str]) -> Optional[float]:
    """Seconds since the epoch of an RFC 7231 ``Date`` header, or None when unusable."""
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed is None or parsed.tzinfo is None:  # a date without a zone is not an HTTP date
        return None
    try:
        return parsed.timestamp()
    except (OverflowError, ValueError, OSError):
        return None


class Clock:
    """Wall-clock seconds plus an offset learnt from the server; thread-safe."""

    __slots__ = ("_time", "_offset", "_lock")

    def __init__(self, time_source: Callable[[], float] = time.time, offset: float = 0.0) -> None:
        self._time = time_source
        self._offset = float(offset)
        self._lock = threading.Lock()

    @property
    def offset(self) -> float:
        """Seconds added to the local clock (server time minus local time)."""
        return self._offset

    def now(self) -> float:
        """Corrected current time in seconds since the epoch."""
        return self._time() + self._offset

    def set_offset(self, offset: float) -> None:
        """Replace the offset."""
        with self._lock:
            self._offset = float(offset)

    def sync_from_date(self, date_header: Optional[str], received_at: Optional[float] = None) -> Optional[float]:
        """Set the offset from a response ``Date`` header; return it, or None if the header is unusable.

        *received_at* is the local (uncorrected) time the response arrived;
        the header has one-second resolution, so the offset is accurate to ~1 s.
        """
        server_time = parse_http_date(date_header)
        if server_time is None:
            return None
        local = self._time() if received_at is None else received_at
        offset = server_time - local
        # The header is truncated to whole seconds: aim at the middle of that second.
        offset += 0.5
        with self._lock:
            self._offset = offset
        return offset
