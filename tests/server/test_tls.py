"""HTTPS with the throwaway CA, and mTLS client certificates."""

from __future__ import annotations

import http.client
import json
import socket
import ssl
from typing import Any

import pytest
import urllib3

from gigya_fast.testing import LocalCDC

from ._wire import Sender, ref_query

pytest.importorskip("trustme")


def _ctx(cdc: LocalCDC, cert: Any = None) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=cdc.ca_path)
    if cert:
        context.load_cert_chain(*cert)
    return context


def test_https_with_ca(tls_cdc: LocalCDC) -> None:
    assert tls_cdc.url.startswith("https://127.0.0.1:")
    assert tls_cdc.ca_path is not None
    answer = Sender(tls_cdc).call("accounts.getAccountInfo", UID=tls_cdc.accounts[0]["UID"])
    assert answer["errorCode"] == 0


@pytest.mark.parametrize("name", ["localhost", "127.0.0.1", "accounts.localhost", "mtls.localhost"])
def test_certificate_names(tls_cdc: LocalCDC, name: str) -> None:
    sock = socket.create_connection(("127.0.0.1", tls_cdc.port), timeout=5)
    with _ctx(tls_cdc).wrap_socket(sock, server_hostname=name) as tls:
        assert tls.version() in ("TLSv1.2", "TLSv1.3")


def test_wrong_name_rejected(tls_cdc: LocalCDC) -> None:
    sock = socket.create_connection(("127.0.0.1", tls_cdc.port), timeout=5)
    with pytest.raises(ssl.SSLCertVerificationError):
        _ctx(tls_cdc).wrap_socket(sock, server_hostname="example.com")
    sock.close()


def test_untrusted_client_fails_and_server_survives(tls_cdc: LocalCDC) -> None:
    pool = urllib3.PoolManager(cert_reqs="CERT_REQUIRED", ca_certs=None, retries=False)
    with pytest.raises(urllib3.exceptions.SSLError):
        pool.request("POST", tls_cdc.url + "/accounts.getAccountInfo")
    # plain HTTP to the HTTPS port
    conn = http.client.HTTPConnection("127.0.0.1", tls_cdc.port, timeout=5)
    with pytest.raises((OSError, http.client.HTTPException)):
        conn.request("POST", "/accounts.getAccountInfo", body="a=b")
        conn.getresponse().read()
    conn.close()
    # a client that never handshakes does not block others
    idle = socket.create_connection(("127.0.0.1", tls_cdc.port), timeout=5)
    try:
        assert Sender(tls_cdc).call("accounts.getAccountInfo", UID=tls_cdc.accounts[0]["UID"])["errorCode"] == 0
    finally:
        idle.close()


def test_mtls_client_certificate_authenticates(mtls_cdc: LocalCDC) -> None:
    cert = mtls_cdc.issue_client_cert()
    sender = Sender(mtls_cdc, cert=cert)
    uid = mtls_cdc.accounts[0]["UID"]
    answer = sender.form("/accounts.getAccountInfo", {"apiKey": mtls_cdc.api_key, "UID": uid})
    assert answer["errorCode"] == 0
    assert mtls_cdc.requests[-1].auth_mode == "mtls"
    assert sender.form("/accounts.getAccountInfo", {"UID": uid})["errorCode"] == 400002  # apiKey still required


def test_mtls_without_certificate(mtls_cdc: LocalCDC) -> None:
    sender = Sender(mtls_cdc)
    uid = mtls_cdc.accounts[0]["UID"]
    assert sender.form("/accounts.getAccountInfo", {"apiKey": mtls_cdc.api_key, "UID": uid})["errorCode"] == 400002
    assert sender.call("accounts.getAccountInfo", UID=uid)["errorCode"] == 0  # signatures still work


def test_mtls_foreign_certificate_rejected(mtls_cdc: LocalCDC, tmp_path: Any) -> None:
    import trustme

    foreign = trustme.CA().issue_cert("client.localhost")
    cert_path, key_path = tmp_path / "c.pem", tmp_path / "c.key"
    foreign.cert_chain_pems[0].write_to_path(str(cert_path))
    foreign.private_key_pem.write_to_path(str(key_path))
    conn = http.client.HTTPSConnection(
        "127.0.0.1", mtls_cdc.port, context=_ctx(mtls_cdc, (str(cert_path), str(key_path))), timeout=5
    )
    with pytest.raises((ssl.SSLError, OSError, http.client.HTTPException)):
        conn.request("POST", "/accounts.getAccountInfo", body=ref_query({"apiKey": mtls_cdc.api_key}))
        json.loads(conn.getresponse().read())
    conn.close()


def test_issue_client_cert_needs_mtls(tls_cdc: LocalCDC) -> None:
    from gigya_fast.errors import ConfigurationError

    with pytest.raises(ConfigurationError):
        tls_cdc.issue_client_cert()


def test_ca_files_removed_on_stop() -> None:
    import os

    cdc = LocalCDC(tls=True).start()
    path = cdc.ca_path
    assert path and os.path.exists(path)
    cdc.stop()
    assert not os.path.exists(path)
