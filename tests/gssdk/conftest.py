"""Fixtures for the GSSDK drop-in tests.

Every test starts with no cached clients, the default CA bundle and no proxy
variables in the environment (the drop-in honours them, as the original's
``urllib`` did). ``cdc`` is a plain-HTTP LocalCDC; ``routed`` is a TLS
LocalCDC that answers for the real host names (``accounts.us1.gigya.com``...)
behind a CONNECT proxy on 127.0.0.1, so code can run unchanged, without
``setAPIDomain``: the proxy is given through ``https_proxy`` /
``http_proxy`` and every tunnel ends at LocalCDC.
"""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any, Iterator, List, NamedTuple

import certifi
import pytest
import trustme

from gigya_fast._gssdk import pools
from gigya_fast.GSSDK import GSRequest
from gigya_fast.testing import LocalCDC
from tests.client.proxy import Proxy

PROXY_VARIABLES = ("http_proxy", "https_proxy", "no_proxy", "all_proxy", "ftp_proxy")


@pytest.fixture(autouse=True)
def _clean_gssdk_state(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No cached clients, certifi's CA bundle and no proxy variables, before and after each test."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.delenv("REQUEST_METHOD", raising=False)
    pools.clear()
    GSRequest.caCertsPath = certifi.where()
    yield
    pools.clear()
    GSRequest.caCertsPath = certifi.where()


@pytest.fixture
def local_dns(monkeypatch: pytest.MonkeyPatch) -> List[str]:
    """Resolve every ``*.gigya.com`` name to 127.0.0.1, so a direct connection never leaves this machine.

    Returns the list of names looked up.
    """
    looked_up: List[str] = []
    real = socket.getaddrinfo

    def fake(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(host, str) and host.rstrip(".").endswith("gigya.com"):
            looked_up.append(host)
            host = "127.0.0.1"
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    return looked_up


@pytest.fixture
def cdc() -> Iterator[LocalCDC]:
    """A plain-HTTP LocalCDC on 127.0.0.1."""
    with LocalCDC() as server:
        yield server


class GigyaTLS(NamedTuple):
    """A test CA and a server certificate for the us1/eu1 CDC host names."""

    ca_path: str
    cert_path: str
    key_path: str


@pytest.fixture(scope="session")
def gigya_tls(tmp_path_factory: pytest.TempPathFactory) -> GigyaTLS:
    ca = trustme.CA()
    cert = ca.issue_cert("*.us1.gigya.com", "*.eu1.gigya.com", "127.0.0.1")
    folder = tmp_path_factory.mktemp("gigya-tls")
    ca_path, cert_path, key_path = folder / "ca.pem", folder / "server.pem", folder / "server.key"
    ca.cert_pem.write_to_path(str(ca_path))
    Path(cert_path).write_bytes(b"".join(pem.bytes() for pem in cert.cert_chain_pems))
    cert.private_key_pem.write_to_path(str(key_path))
    return GigyaTLS(str(ca_path), str(cert_path), str(key_path))


class Routed(NamedTuple):
    """LocalCDC answering as ``*.us1.gigya.com`` / ``*.eu1.gigya.com``, and the proxy leading to it."""

    server: LocalCDC
    proxy: Proxy


@pytest.fixture
def routed(gigya_tls: GigyaTLS) -> Iterator[Routed]:
    """A TLS LocalCDC for the real host names, a blind CONNECT proxy to it, and its CA trusted."""
    with LocalCDC(certfile=gigya_tls.cert_path, keyfile=gigya_tls.key_path, ca_path=gigya_tls.ca_path) as server:
        with Proxy(lambda host, port: ("127.0.0.1", server.port)) as proxy:
            GSRequest.caCertsPath = gigya_tls.ca_path
            yield Routed(server, proxy)


@pytest.fixture
def routed_mtls(gigya_tls: GigyaTLS) -> Iterator[Routed]:
    """Like ``routed``, with LocalCDC also accepting client certificates (``server.issue_client_cert()``)."""
    with LocalCDC(
        mtls=True, certfile=gigya_tls.cert_path, keyfile=gigya_tls.key_path, ca_path=gigya_tls.ca_path
    ) as server:
        with Proxy(lambda host, port: ("127.0.0.1", server.port)) as proxy:
            GSRequest.caCertsPath = gigya_tls.ca_path
            yield Routed(server, proxy)
