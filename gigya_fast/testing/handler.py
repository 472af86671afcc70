"""HTTP plumbing: the threading server and the request handler (HTTP/1.1
keep-alive, bounded bodies, TLS handshake in the connection's own thread).

Over HTTPS the accepted socket is wrapped in the accept loop without a
handshake (so the server closes the very object it handed out: an unclosed
``SSLSocket`` would be a ``ResourceWarning``, an error in a user's run with
``filterwarnings = error``), and the handshake runs in the connection's thread.
"""

from __future__ import annotations

import email.utils
import itertools
import logging
import re
import socket
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, Set, Tuple
from urllib.parse import urlsplit

from .._version import __version__
from .dispatch import Outcome, dispatch, error_outcome
from .envelope import CDCError, encode_json, envelope, new_call_id
from .records import RecordedRequest, redact_headers
from .state import ServerState
from .wire import HOST, Incoming, parse_form

__all__ = ["CDCHTTPServer", "CDCRequestHandler"]

logger = logging.getLogger(__name__)

_QUERY = re.compile(r"\?[^\s'\"]*")
_JSON = "application/json; charset=utf-8"
_DRAIN_FACTOR = 8  # bodies up to max_body * this are read and discarded, so the client sees the answer
_CHUNK_SIZE = re.compile(rb"[0-9A-Fa-f]{1,16}")  # RFC 9112: chunk-size = 1*HEXDIG (no sign, no 0x, no _)
_JOIN_TIMEOUT = 5.0


class _BodyError(Exception):
    def __init__(self, details: str, *, close: bool) -> None:
        super().__init__(details)
        self.details = details
        self.close = close


class CDCHTTPServer(ThreadingHTTPServer):
    """A threading HTTP server bound to one ServerState; tracks open connections."""

    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, address: Tuple[str, int], state: ServerState, ssl_context: ssl.SSLContext | None) -> None:
        self.state = state
        self.ssl_context = ssl_context
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._connections: Set[socket.socket] = set()
        self._handler_threads: Set[threading.Thread] = set()
        super().__init__(address, CDCRequestHandler)

    def get_request(self) -> Tuple[socket.socket, Any]:
        """Accept; over HTTPS wrap the socket now (no handshake here: it runs in the connection's thread)."""
        conn, address = self.socket.accept()
        if self.ssl_context is not None:
            try:
                conn = self.ssl_context.wrap_socket(conn, server_side=True, do_handshake_on_connect=False)
            except (OSError, ValueError):
                conn.close()
                raise
        return conn, address

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        """Serve one connection, remembering the thread so that :meth:`join_threads` can wait for it."""
        current = threading.current_thread()
        with self._lock:
            self._handler_threads.add(current)
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self._lock:
                self._handler_threads.discard(current)

    def join_threads(self, timeout: float = _JOIN_TIMEOUT) -> None:
        """Wait (up to *timeout* s in all) for connection threads to finish and close their sockets."""
        with self._lock:
            threads = list(self._handler_threads)
        deadline = time.monotonic() + timeout
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))

    def next_connection_id(self) -> int:
        """A number identifying a new connection."""
        with self._lock:
            return next(self._ids)

    def track(self, conn: socket.socket, add: bool) -> None:
        """Remember (or forget) an open connection."""
        with self._lock:
            (self._connections.add if add else self._connections.discard)(conn)

    def close_connections(self) -> None:
        """Shut every open connection down (idle keep-alive ones included)."""
        with self._lock:
            connections = list(self._connections)
            self._connections.clear()
        for conn in connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Connection-level failures (TLS handshake, resets) are logged, never printed."""
        logger.debug("connection from %s failed", client_address, exc_info=True)


class CDCRequestHandler(BaseHTTPRequestHandler):
    """Answers CDC API calls on one connection."""

    protocol_version = "HTTP/1.1"
    server_version = "LocalCDC/" + __version__
    sys_version = ""
    timeout = 30.0
    # Headers and body are written separately: without TCP_NODELAY a kept-alive
    # client waits ~40 ms per answer for the delayed ACK.
    disable_nagle_algorithm = True
    server: CDCHTTPServer
    raw_requestline: bytes
    connection_id = 0

    def version_string(self) -> str:
        """The ``Server`` header."""
        return self.server_version

    def setup(self) -> None:
        """Number the connection and, over HTTPS, do the TLS handshake here (not in the accept loop)."""
        self.connection_id = self.server.next_connection_id()
        self.server.track(self.request, True)
        try:
            if isinstance(self.request, ssl.SSLSocket):
                self.request.settimeout(10.0)
                self.request.do_handshake()
            super().setup()
        except BaseException:
            self.server.track(self.request, False)  # finish() is not called when setup() fails
            raise

    def parse_request(self) -> bool:
        """Refuse an HTTP/0.9 request line at once (http.server would wait for headers that never come)."""
        words = self.raw_requestline.split()
        if len(words) == 2:
            self.requestline = self.raw_requestline.decode("latin-1").rstrip("\r\n")
            self.command, self.path = words[0].decode("latin-1"), ""
            self.request_version = "HTTP/0.9"
            self.send_error(400, "HTTP/0.9 requests are not supported")
            return False
        return super().parse_request()

    def finish(self) -> None:
        """Forget the connection."""
        try:
            super().finish()
        finally:
            self.server.track(self.request, False)

    def date_time_string(self, timestamp: float | None = None) -> str:
        """The ``Date`` header, from the (skewable) server clock."""
        return email.utils.formatdate(self.server.state.now() if timestamp is None else timestamp, usegmt=True)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        """Route http.server's messages to logging, query strings (which may hold secrets) cut off."""
        try:
            text = format % args
        except (TypeError, ValueError):
            text = format
        logger.debug("%s %s", self.address_string(), _QUERY.sub("?...", text)[:300])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Protocol-level errors (bad request line, headers, verb) answered as CDC JSON."""
        state = self.server.state
        details = message or explain or "malformed HTTP request"
        body = encode_json(envelope(new_call_id(), state.now(), error=CDCError(400001, details)))
        self.close_connection = True
        if getattr(self, "request_version", "HTTP/0.9") == "HTTP/0.9":
            self.request_version = "HTTP/1.0"  # answer with a status line and headers, never bare HTTP/0.9
        try:
            self.send_response(code)
            self.send_header("Content-Type", _JSON)
            self.send_header("Connection", "close")
            with_body = self.command != "HEAD" and code >= 200 and code not in (204, 304)
            self.send_header("Content-Length", str(len(body) if with_body else 0))
            self.end_headers()
            if with_body:
                self.wfile.write(body)
        except OSError:
            logger.debug("could not send error %d", code)
        self._record_failure(400001)

    def _record_failure(self, code: int) -> None:
        """Log a request that never reached the dispatcher."""
        headers = getattr(self, "headers", None)
        self.server.state.log.append(
            RecordedRequest(
                method="",
                host=headers.get("Host", "") if headers is not None else "",
                path=str(getattr(self, "path", "")).split("?", 1)[0],
                params={},
                headers=redact_headers(dict(headers.items())) if headers is not None else {},
                auth_mode="",
                error_code=code,
                http_method=self.command or "",
                connection_id=self.connection_id,
            )
        )

    def do_POST(self) -> None:
        """An API call."""
        self._serve()

    def do_GET(self) -> None:
        """An API call with parameters in the query string."""
        self._serve()

    def _serve(self) -> None:
        state = self.server.state
        try:
            body = self._read_body(state.settings.max_body)
        except _BodyError as exc:
            if exc.close:
                self.close_connection = True
            self._record_failure(400001)
            self._send(error_outcome(state, CDCError(400001, exc.details)))
            return
        target = self.path
        host = self.headers.get("Host") or f"{HOST}:{self.server.server_address[1]}"
        if target.startswith(("http://", "https://")):  # absolute-form request target
            parts = urlsplit(target)
            host = self.headers.get("Host") or parts.netloc
            target = parts.path + ("?" + parts.query if parts.query else "")
        path, _, query = target.partition("?")
        try:
            params = parse_form(query.encode("latin-1", "replace"))
            params.update(parse_form(body))
        except CDCError as error:
            self._record_failure(error.code)
            self._send(error_outcome(state, error))
            return
        cert: Dict[str, Any] | None = None
        if state.settings.mtls and isinstance(self.connection, ssl.SSLSocket):
            cert = self.connection.getpeercert() or None
        incoming = Incoming(
            self.command,
            path or "/",
            host,
            state.settings.scheme,
            params,
            dict(self.headers.items()),
            cert,
            self.connection_id,
        )
        self._send(dispatch(state, incoming))

    def _read_body(self, limit: int) -> bytes:
        encoding = self.headers.get("Transfer-Encoding")
        if encoding is not None:
            if encoding.strip().lower() != "chunked":
                raise _BodyError("unsupported Transfer-Encoding", close=True)
            return self._read_chunked(limit)
        length_text = self.headers.get("Content-Length")
        if length_text is None:
            return b""
        try:
            length = int(length_text.strip())
        except ValueError:
            raise _BodyError("invalid Content-Length", close=True) from None
        if length < 0:
            raise _BodyError("invalid Content-Length", close=True)
        if length > limit:
            if length > limit * _DRAIN_FACTOR:
                raise _BodyError(f"request body larger than {limit} bytes", close=True)
            self._drain(length)
            raise _BodyError(f"request body larger than {limit} bytes", close=False)
        data = self.rfile.read(length)
        if len(data) < length:
            raise ConnectionResetError("client closed the connection mid-body")
        return data

    def _drain(self, length: int) -> None:
        while length > 0:
            chunk = self.rfile.read(min(length, 65536))
            if not chunk:
                raise ConnectionResetError("client closed the connection mid-body")
            length -= len(chunk)

    def _read_chunked(self, limit: int) -> bytes:
        parts, total = [], 0
        while True:
            line = self.rfile.readline(1026)
            text = line.split(b";", 1)[0].rstrip(b"\r\n\t ")
            if not _CHUNK_SIZE.fullmatch(text):
                raise _BodyError("malformed chunked body: chunk size must be hexadecimal digits", close=True)
            size = int(text, 16)
            if size == 0:
                break
            total += size
            if total > limit:
                raise _BodyError(f"request body larger than {limit} bytes", close=True)
            data = self.rfile.read(size)
            if len(data) < size:
                raise ConnectionResetError("client closed the connection mid-chunk")
            parts.append(data)
            self.rfile.readline(3)
        while self.rfile.readline(8194).strip():  # trailers
            pass
        return b"".join(parts)

    def _send(self, outcome: Outcome) -> None:
        if outcome.action == "drop":
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        self.send_response(outcome.status)
        self.send_header("Content-Type", outcome.content_type)
        self.send_header("Content-Length", str(len(outcome.body)))
        for name, value in outcome.headers:
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command == "HEAD":
            return
        if outcome.action == "truncate":
            self.wfile.write(outcome.body[: len(outcome.body) // 2])
            self.close_connection = True
            try:
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        self.wfile.write(outcome.body)
