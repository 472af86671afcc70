"""A misbehaving HTTP server on 127.0.0.1 for the client's limit tests.

Each request is answered by the behaviour named in its path
(``POST /<behaviour>/accounts.getAccountInfo``):

- ``ok``: a small CDC JSON answer (the request body is kept in :attr:`HostileServer.bodies`);
- ``bomb``: a gzip body that inflates to :attr:`HostileServer.bomb_size` zero bytes
  (with a correct ``Content-Length`` of the compressed size);
- ``chunked``: an endless chunked stream of 64 KiB chunks;
- ``unsized``: an endless body without ``Content-Length`` (``Connection: close``);
- ``huge``: headers announcing a 10 GiB body, then a few bytes;
- ``drip``: a 200-byte body sent one byte every :attr:`drip_interval` seconds;
- ``drip-head``: the status line and headers sent one byte at a time.

Streams stop when the client goes away or after :attr:`stream_limit` bytes.
"""

from __future__ import annotations

import gzip
import io
import json
import socket
import time
from typing import List, Optional

from .listener import Listener

__all__ = ["HostileServer"]

OK_BODY = json.dumps({"errorCode": 0, "callId": "hostile-ok", "statusCode": 200}).encode()


def _gzip_zeros(size: int) -> bytes:
    out = io.BytesIO()
    block = bytes(1 << 20)
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9) as stream:
        for _ in range(size >> 20):
            stream.write(block)
    return out.getvalue()


class HostileServer(Listener):
    """Threaded, one thread per connection; :attr:`url` is its base URL."""

    def __init__(self, *, bomb_size: int = 256 << 20, drip_interval: float = 0.4,
                 stream_limit: int = 1 << 30) -> None:
        self.bomb_size = bomb_size
        self.drip_interval = drip_interval
        self.stream_limit = stream_limit
        self.seen: List[str] = []
        #: Request bodies of the ``ok`` behaviour, as received.
        self.bodies: List[bytes] = []
        self.bytes_sent = 0
        self._bomb: Optional[bytes] = None
        super().__init__(name="hostile-server", backlog=32)

    def bomb(self) -> bytes:
        """The compressed bomb (built once)."""
        with self._lock:
            if self._bomb is None:
                self._bomb = _gzip_zeros(self.bomb_size)
            return self._bomb

    def _send(self, conn: socket.socket, data: bytes) -> None:
        conn.sendall(data)
        with self._lock:
            self.bytes_sent += len(data)

    def _handle(self, conn: socket.socket) -> None:
        try:
            while not self._closed.is_set():
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    data += chunk
                head, _, rest = data.partition(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value.strip())
                while len(rest) < length:
                    rest += conn.recv(65536)
                behaviour = head.split(b" ", 2)[1].decode("latin-1").split("/")[1]
                with self._lock:
                    self.seen.append(behaviour)
                if not self._answer(conn, behaviour, rest[:length]):
                    return
        except OSError:
            return
        finally:
            conn.close()

    def _answer(self, conn: socket.socket, behaviour: str, body: bytes) -> bool:
        """Answer one request; False when the connection must close."""
        if behaviour == "ok":
            with self._lock:
                self.bodies.append(body)
            self._send(conn, b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
                       % (len(OK_BODY), OK_BODY))
            return True
        if behaviour == "bomb":
            bomb = self.bomb()
            self._send(conn, b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n"
                       b"Content-Length: %d\r\n\r\n" % len(bomb))
            self._send(conn, bomb)
            return True
        if behaviour == "huge":
            self._send(conn, b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n{\"errorCode\":0" % (10 << 30))
            return False
        if behaviour in ("chunked", "unsized"):
            chunked = behaviour == "chunked"
            head = b"Transfer-Encoding: chunked\r\n" if chunked else b"Connection: close\r\n"
            self._send(conn, b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + head + b"\r\n")
            block = b" " * 65536
            frame = b"10000\r\n" + block + b"\r\n" if chunked else block
            sent = 0
            while sent < self.stream_limit and not self._closed.is_set():
                self._send(conn, frame)
                sent += len(frame)
            return False
        if behaviour == "drip":
            body = (b'{"errorCode":0,"pad":"' + b"x" * 200)[:200]
            self._send(conn, b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body))
            self._drip(conn, body)
            return False
        if behaviour == "drip-head":
            self._drip(conn, b"HTTP/1.1 200 OK\r\nX-Slow: " + b"y" * 200 + b"\r\nContent-Length: 2\r\n\r\n{}")
            return False
        self._send(conn, b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
        return True

    def _drip(self, conn: socket.socket, data: bytes) -> None:
        for index in range(len(data)):
            if self._closed.wait(self.drip_interval):
                return
            self._send(conn, data[index : index + 1])
            time.sleep(0)
