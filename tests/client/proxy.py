"""A small real HTTP proxy on 127.0.0.1 for the client tests.

- ``CONNECT host:port`` opens a tunnel. Blind mode pipes bytes to
  ``resolve(host, port)``. MITM mode (``mitm_ca`` given) terminates TLS with a
  certificate for the requested host issued by that CA, opens TLS to the
  upstream (trusting ``upstream_ca``) and pipes the plaintext: the client's
  Host header (``accounts.eu1.gigya.com``) reaches the upstream unchanged, so
  data-center routing can be tested end to end against a local server.
- Absolute-form requests (``POST http://host:port/path``) are forwarded raw.

Every request line seen is kept in :attr:`seen` (``"CONNECT host:port"`` or
``"POST http://..."``), every full head in :attr:`heads`.
"""

from __future__ import annotations

import select
import socket
import ssl
from typing import Any, Callable, Dict, List, Optional, Tuple

from .listener import Listener

__all__ = ["Proxy"]

Resolver = Callable[[str, int], Tuple[str, int]]


def _read_head(sock: socket.socket) -> Tuple[bytes, bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("client closed before sending a request head")
        data += chunk
        if len(data) > 65536:
            raise ConnectionError("request head too large")
    head, _, rest = data.partition(b"\r\n\r\n")
    return head, rest


def _send_all(sock: socket.socket, data: bytes) -> None:
    view = memoryview(data)
    while view:
        try:
            sent = sock.send(view)
        except (ssl.SSLWantWriteError, ssl.SSLWantReadError, BlockingIOError):
            select.select([], [sock], [], 5.0)
            continue
        view = view[sent:]


def _pipe(a: socket.socket, b: socket.socket) -> None:
    """Copy bytes both ways until either side closes (one thread, select-driven).

    Sockets are non-blocking and drained after each wake-up: a TLS socket may
    hold whole records in its own buffer, invisible to select().
    """
    peers = {a: b, b: a}
    for sock in (a, b):
        sock.setblocking(False)
    try:
        while True:
            ready, _, _ = select.select([a, b], [], [], 30.0)
            if not ready:
                return
            for sock in ready:
                while True:
                    try:
                        data = sock.recv(65536)
                    except (ssl.SSLWantReadError, ssl.SSLWantWriteError, BlockingIOError):
                        break
                    if not data:
                        return
                    _send_all(peers[sock], data)
    except (OSError, ValueError):
        return


class Proxy(Listener):
    """Threaded HTTP proxy (CONNECT tunnels, optional TLS interception)."""

    def __init__(
        self,
        resolve: Optional[Resolver] = None,
        *,
        mitm_ca: Any = None,
        upstream_ca: Optional[str] = None,
    ) -> None:
        self.resolve: Resolver = resolve or (lambda host, port: (host, port))
        self.mitm_ca = mitm_ca
        self.upstream_ca = upstream_ca
        self.seen: List[str] = []
        self.heads: List[str] = []
        self._contexts: Dict[str, ssl.SSLContext] = {}
        super().__init__(name="test-proxy", backlog=64)

    def _server_context(self, host: str) -> ssl.SSLContext:
        with self._lock:
            context = self._contexts.get(host)
            if context is None:
                context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
                self.mitm_ca.issue_cert(host).configure_cert(context)
                self._contexts[host] = context
            return context

    def _upstream_tls(self, sock: socket.socket) -> ssl.SSLSocket:
        context = ssl.create_default_context(cafile=self.upstream_ca)
        return context.wrap_socket(sock, server_hostname="127.0.0.1")

    def _handle(self, conn: socket.socket) -> None:
        upstream: Optional[socket.socket] = None
        try:
            head, rest = _read_head(conn)
            request_line = head.split(b"\r\n", 1)[0].decode("latin-1")
            verb, target, _ = request_line.split(" ", 2)
            with self._lock:
                self.seen.append("%s %s" % (verb, target))
                self.heads.append(head.decode("latin-1"))
            if verb.upper() == "CONNECT":
                host, _, port_text = target.rpartition(":")
                upstream = self._track(socket.create_connection(self.resolve(host, int(port_text)), timeout=10))
                conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                client_side: socket.socket = conn
                if self.mitm_ca is not None:
                    client_side = self._track(self._server_context(host).wrap_socket(conn, server_side=True))
                    upstream = self._track(self._upstream_tls(upstream))
                _pipe(client_side, upstream)
                return
            scheme_host = target.split("/", 3)[2] if target.startswith("http://") else ""
            host, _, port_text = scheme_host.rpartition(":")
            address = self.resolve(host or scheme_host, int(port_text) if host else 80)
            upstream = self._track(socket.create_connection(address, timeout=10))
            upstream.sendall(head + b"\r\n\r\n" + rest)
            _pipe(conn, upstream)
        except (OSError, ValueError, ssl.SSLError):
            return
        finally:
            for sock in (conn, upstream):
                if sock is not None:
                    try:
                        sock.close()
                    except OSError:
                        pass
