"""An overall deadline for blocking HTTP answers.

A socket read timeout bounds each read, not the answer: a server that sends
a byte every 0.4 s never trips a 1 s read timeout. The urllib3 pools built
here give their connections an ``http.client`` response class whose socket
reads never wait past the deadline the transport set for the current
attempt (per thread), so status line, headers, chunk lines and body are all
bounded together. Reads past the deadline raise ``socket.timeout``, which
urllib3 turns into ``ReadTimeoutError`` as for any read timeout.
"""

from __future__ import annotations

import http.client
import io
import socket
import threading
import time
from typing import Any, Dict, Optional, Type

from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

__all__ = ["set_deadline", "DEADLINE_POOL_CLASSES"]


class _Current(threading.local):
    at: Optional[float] = None


_current = _Current()


def set_deadline(at: Optional[float]) -> None:
    """Set (``time.monotonic()`` seconds) or clear the deadline of this thread's next answers."""
    _current.at = at


class _DeadlineReader(io.RawIOBase):
    """Socket reads that shorten the socket timeout to what is left before the deadline."""

    __slots__ = ("_raw", "_sock", "_deadline", "_timeout")

    def __init__(self, raw: Any, sock: socket.socket, deadline: float) -> None:
        self._raw = raw
        self._sock = sock
        self._deadline = deadline
        self._timeout = sock.gettimeout()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> Optional[int]:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise socket.timeout("the call's deadline passed")
        if self._timeout is None or left < self._timeout:
            self._sock.settimeout(left)
        count: Optional[int] = self._raw.readinto(buffer)
        return count

    def close(self) -> None:
        try:
            self._raw.close()
        finally:
            super().close()


class _DeadlineResponse(http.client.HTTPResponse):
    def __init__(self, sock: socket.socket, *args: Any, **kwargs: Any) -> None:
        super().__init__(sock, *args, **kwargs)
        deadline = _current.at
        if deadline is not None:
            raw = self.fp.detach()
            self.fp = io.BufferedReader(_DeadlineReader(raw, sock, deadline))


class _HTTPConnection(HTTPConnection):
    response_class = _DeadlineResponse


class _HTTPSConnection(HTTPSConnection):
    response_class = _DeadlineResponse


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


#: ``PoolManager.pool_classes_by_scheme`` for pools whose answers honour :func:`set_deadline`.
DEADLINE_POOL_CLASSES: Dict[str, Type[HTTPConnectionPool]] = {"http": _HTTPPool, "https": _HTTPSPool}
