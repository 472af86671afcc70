"""A minimal HTTP/1.1 keep-alive responder for ``bench_client.py``.

Runs in its own process: ``python _client_server.py [--cert C --key K] [--latency S]``
prints ``PORT <n>`` and answers every request on 127.0.0.1 with one fixed CDC
JSON body until stdin closes. One thread per connection, TLS in the ssl
module's C code, TCP_NODELAY, a single ``sendall`` per answer: kept far
cheaper per request than the client side so that it is not the bottleneck.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import ssl
import sys
import threading
import time
from typing import Optional

BODY = json.dumps(
    {
        "callId": "0123456789abcdef0123456789abcdef",
        "errorCode": 0,
        "apiVersion": 2,
        "statusCode": 200,
        "statusReason": "OK",
        "time": "2026-01-01T00:00:00.000Z",
        "UID": "b5e1c8f2a3d94e0f8a7b6c5d4e3f2a1b",
        "isActive": True,
        "isVerified": True,
        "created": "2024-01-01T00:00:00.000Z",
        "profile": {"email": "user@example.com", "firstName": "Ada", "lastName": "Lovelace", "country": "GB"},
        "data": {"terms": True, "subscriptions": {"news": {"email": {"isSubscribed": True}}}},
        "identities": [{"provider": "site", "providerUID": "b5e1c8f2a3d94e0f8a7b6c5d4e3f2a1b"}],
    },
    separators=(",", ":"),
).encode()
HEAD = (
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: application/json;charset=utf-8\r\n"
    "Content-Length: %d\r\n"
    "Date: Thu, 01 Jan 2026 00:00:00 GMT\r\n"
    "\r\n" % len(BODY)
).encode()
RESPONSE = HEAD + BODY


def _content_length(head: bytes) -> int:
    lower = head.lower()
    index = lower.find(b"\r\ncontent-length:")
    if index < 0:
        return 0
    end = lower.find(b"\r\n", index + 2)
    return int(lower[index + 17 : end if end >= 0 else None].strip())


def _serve(conn: socket.socket, context: Optional[ssl.SSLContext], latency: float) -> None:
    try:
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock = context.wrap_socket(conn, server_side=True) if context is not None else conn
        buffer = b""
        while True:
            while b"\r\n\r\n" not in buffer:
                chunk = sock.recv(65536)
                if not chunk:
                    return
                buffer += chunk
            head, _, buffer = buffer.partition(b"\r\n\r\n")
            length = _content_length(head)
            while len(buffer) < length:
                chunk = sock.recv(65536)
                if not chunk:
                    return
                buffer += chunk
            buffer = buffer[length:]
            if latency:
                time.sleep(latency)
            sock.sendall(RESPONSE)
            if b"\r\nconnection: close" in head.lower():
                return
    except (OSError, ValueError):
        return
    finally:
        conn.close()


def main() -> int:
    """Serve until stdin closes."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds to wait before each answer")
    args = parser.parse_args()
    context = None
    if args.cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(args.cert, args.key)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)

    def accept() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=_serve, args=(conn, context, args.latency), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    print("PORT %d" % listener.getsockname()[1], flush=True)
    sys.stdin.read()
    # Leave without interpreter shutdown: it ran while connection threads were still inside the ssl
    # module and now and then ended in a glibc heap abort ("corrupted size vs. prev_size in fastbins").
    os._exit(0)


if __name__ == "__main__":
    raise SystemExit(main())
