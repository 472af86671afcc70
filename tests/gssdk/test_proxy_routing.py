"""Real CDC host names through ``setProxy``: namespaces, data centers, 301001, TLS checks.

LocalCDC serves TLS with a certificate for ``*.us1.gigya.com`` and
``*.eu1.gigya.com`` from a test CA. A blind CONNECT tunnel on 127.0.0.1 pipes
every ``CONNECT <host>:443`` to it, so the client resolves nothing, does TLS
end to end with SNI and hostname checks for the real name, and LocalCDC checks
the signature over ``https://accounts.us1.gigya.com/...``. Nothing leaves
127.0.0.1.
"""

from __future__ import annotations

import select
import socket
import threading
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import pytest
import trustme

from gigya_fast.GSSDK import GSRequest
from gigya_fast.testing import LocalCDC


class Tunnel:
    """A minimal HTTP CONNECT proxy that sends every tunnel to one local port."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.seen: List[str] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._sockets: List[socket.socket] = []
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, name="gssdk-test-tunnel", daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                self._sockets.append(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            self._tunnel(conn)
        except (OSError, ValueError):  # a side closed (also by close()): end the tunnel
            pass
        finally:
            conn.close()

    def _tunnel(self, conn: socket.socket) -> None:
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = conn.recv(4096)
            if not chunk:
                return
            head += chunk
        request_line = head.split(b"\r\n", 1)[0].decode("latin-1")
        with self._lock:
            self.seen.append(request_line.rsplit(" ", 1)[0])
        if not request_line.startswith("CONNECT "):
            conn.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
            return
        upstream = socket.create_connection(("127.0.0.1", self.target_port))
        with self._lock:
            self._sockets.append(upstream)
        conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        peers = {conn: upstream, upstream: conn}
        try:
            while True:
                ready, _, _ = select.select(list(peers), [], [], 30.0)
                if not ready:
                    return
                for sock in ready:
                    data = sock.recv(65536)
                    if not data:
                        return
                    peers[sock].sendall(data)
        finally:
            upstream.close()

    def close(self) -> None:
        self._listener.close()
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            try:
                sock.close()
            except OSError:
                pass


@pytest.fixture(scope="module")
def gigya_tls(tmp_path_factory: pytest.TempPathFactory) -> Tuple[str, str, str]:
    """(CA path, server cert chain path, server key path) for us1/eu1 host names."""
    ca = trustme.CA()
    cert = ca.issue_cert("*.us1.gigya.com", "*.eu1.gigya.com", "127.0.0.1")
    folder = tmp_path_factory.mktemp("gigya-tls")
    ca_path, cert_path, key_path = folder / "ca.pem", folder / "server.pem", folder / "server.key"
    ca.cert_pem.write_to_path(str(ca_path))
    Path(cert_path).write_bytes(b"".join(pem.bytes() for pem in cert.cert_chain_pems))
    cert.private_key_pem.write_to_path(str(key_path))
    return str(ca_path), str(cert_path), str(key_path)


@pytest.fixture
def routed(gigya_tls: Tuple[str, str, str]) -> Iterator[Tuple[LocalCDC, Tunnel]]:
    ca_path, cert_path, key_path = gigya_tls
    with LocalCDC(certfile=cert_path, keyfile=key_path, ca_path=ca_path) as server:
        tunnel = Tunnel(server.port)
        GSRequest.setCACertsPath(ca_path)
        try:
            yield server, tunnel
        finally:
            tunnel.close()


def via_proxy(
    server: LocalCDC, tunnel: Tunnel, method: str, params: Dict[str, Any], domain: str | None = None
) -> GSRequest:
    request = GSRequest(server.api_key, server.partner_secret, method, params)
    if domain is not None:
        request.setAPIDomain(domain)
    request.setProxy(f"127.0.0.1:{tunnel.port}")
    return request


@pytest.mark.parametrize(
    ("domain", "method", "host"),
    [
        (None, "accounts.getAccountInfo", "accounts.us1.gigya.com"),
        ("eu1", "accounts.getAccountInfo", "accounts.eu1.gigya.com"),
        ("eu1.gigya.com", "getUserInfo", "socialize.eu1.gigya.com"),
    ],
)
def test_namespace_hosts_through_a_proxy(
    routed: Tuple[LocalCDC, Tunnel], domain: str | None, method: str, host: str
) -> None:
    server, tunnel = routed
    uid = server.create_account({"nickname": "Gus"})
    response = via_proxy(server, tunnel, method, {"UID": uid}, domain).send()
    assert response.getErrorCode() == 0, response.getErrorMessage()
    [seen] = server.requests
    assert seen.host == host  # and the signature over https://<host>/... verified
    assert tunnel.seen == [f"CONNECT {host}:443"]
    assert f"URL=https://{host}/" in response.getLog()


def test_301001_is_rerouted_by_send(routed: Tuple[LocalCDC, Tunnel]) -> None:
    server, tunnel = routed
    uid = server.create_account()
    server.faults.add("accounts.setAccountInfo", error_code=301001, api_domain="eu1.gigya.com")
    response = via_proxy(server, tunnel, "accounts.setAccountInfo", {"UID": uid, "data": {"x": 1}}).send()
    assert response.getErrorCode() == 0, response.getErrorMessage()
    assert [(r.host, r.error_code) for r in server.requests] == [
        ("accounts.us1.gigya.com", 301001),
        ("accounts.eu1.gigya.com", 0),
    ]


def test_hostname_checks_stay_on_behind_a_proxy(routed: Tuple[LocalCDC, Tunnel]) -> None:
    """The original disabled hostname checks behind a proxy; the certificate does not cover au1."""
    server, tunnel = routed
    response = via_proxy(server, tunnel, "accounts.getAccountInfo", {"UID": "x"}, "au1").send()
    assert response.getErrorCode() == 500000
    assert server.requests == []
    assert tunnel.seen == ["CONNECT accounts.au1.gigya.com:443"]
