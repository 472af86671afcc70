"""What the client tests' local servers share: a TCP listener on 127.0.0.1
serving each connection in its own daemon thread, and a close that drops
every connection still open."""

from __future__ import annotations

import socket
import threading
from typing import List, TypeVar

__all__ = ["Listener"]

L = TypeVar("L", bound="Listener")


class Listener:
    """Accepts on 127.0.0.1 (a free port) from construction on; :attr:`url` is its base URL.

    Subclasses set their own state first, then call ``super().__init__()``,
    and answer one connection in :meth:`_handle`. Sockets given to
    :meth:`_track` (every accepted one is) are shut down by :meth:`close`.
    """

    def __init__(self, *, name: str, backlog: int) -> None:
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self._open: List[socket.socket] = []
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(backlog)
        self.port: int = self._sock.getsockname()[1]
        threading.Thread(target=self._accept_loop, name=name, daemon=True).start()

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return "http://127.0.0.1:%d" % self.port

    def close(self) -> None:
        """Stop accepting and shut every open connection."""
        self._closed.set()
        try:
            self._sock.close()
        except OSError:
            pass
        with self._lock:
            sockets, self._open = self._open, []
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def __enter__(self: L) -> L:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _track(self, sock: socket.socket) -> socket.socket:
        with self._lock:
            self._open.append(sock)
        return sock

    def _accept_loop(self) -> None:
        while not self._closed.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            self._track(conn)
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        raise NotImplementedError
