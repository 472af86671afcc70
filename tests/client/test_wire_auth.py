"""Every auth mode on the wire against LocalCDC (which checks signatures,
bearer JWTs, tokens and client certificates)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Callable, List, Tuple

import pytest
import urllib3

from gigya_fast.errors import AuthenticationError, ConnectionFailedError, InvalidRequestError
from gigya_fast.rest import Client, Response


def _uid(cdc: Any) -> str:
    return str(cdc.accounts[0]["UID"])


def test_user_key_signed(make_client: Callable[..., Any], cdc: Any) -> None:
    with make_client(cdc.api_key, user_key=cdc.user_key, secret=cdc.user_secret, base_url=cdc.url) as client:
        r = client.call("accounts.getAccountInfo", UID=_uid(cdc), include="profile,data")
    assert isinstance(r, Response) and r.error_code == 0 and r["UID"] == _uid(cdc)
    assert r.get("profile.email", "").endswith("@example.com")
    assert r.call_id and r.http_status == 200 and r.headers.get("Date")
    [seen] = cdc.requests
    assert seen.auth_mode == "user_sig" and seen.params["userKey"] == cdc.user_key
    assert seen.host == "127.0.0.1:%d" % cdc.port  # signed over a non-default port
    assert seen.params["format"] == "json" and seen.params["httpStatusCodes"] == "false"


def test_partner_secret_signed(make_client: Callable[..., Any], cdc: Any) -> None:
    with make_client(cdc.api_key, secret=cdc.partner_secret, base_url=cdc.url) as client:
        assert client.call("accounts.getAccountInfo", {"UID": _uid(cdc)}).ok
    assert [r.auth_mode for r in cdc.requests] == ["partner_sig"]
    assert "userKey" not in cdc.requests[0].params


def test_wrong_secret_is_403003_with_call_id(make_client: Callable[..., Any], cdc: Any) -> None:
    _, other_secret = cdc.add_user_key()
    with make_client(cdc.api_key, user_key=cdc.user_key, secret=other_secret, base_url=cdc.url) as client:
        with pytest.raises(AuthenticationError) as info:
            client.call("accounts.getAccountInfo", UID=_uid(cdc))
        error = info.value
        assert error.error_code == 403003 and error.call_id and error.call_id in str(error)
        assert "403003" in str(error) and other_secret not in str(error)
        r = client.call("accounts.getAccountInfo", UID=_uid(cdc), raise_on_error=False)
        assert r.error_code == 403003 and not r.ok
    assert len(cdc.requests) == 2  # never retried


def test_clear_secret_over_https(make_client: Callable[..., Any], cdc_tls: Any) -> None:
    with make_client(
        cdc_tls.api_key,
        user_key=cdc_tls.user_key,
        secret=cdc_tls.user_secret,
        auth="clear",
        base_url=cdc_tls.url,
        ca_certs=cdc_tls.ca_path,
    ) as client:
        assert client.call("accounts.search", query="SELECT * FROM accounts LIMIT 1").ok
    [seen] = cdc_tls.requests
    assert seen.auth_mode == "user_secret" and "sig" not in seen.params


@pytest.mark.parametrize("which", ["pkcs1", "pkcs8"])
def test_jwt_bearer(
    make_client: Callable[..., Any], cdc: Any, rsa_pems: Tuple[bytes, bytes, bytes], which: str
) -> None:
    user_key, _ = cdc.add_user_key()
    cdc.register_public_key(user_key, rsa_pems[2])
    pem = rsa_pems[0] if which == "pkcs1" else rsa_pems[1].decode("ascii")
    with make_client(cdc.api_key, user_key=user_key, private_key=pem, base_url=cdc.url) as client:
        assert client.auth_mode == "jwt"
        for _ in range(3):  # a fresh jti each time: the server refuses reused ones
            assert client.call("accounts.getAccountInfo", UID=_uid(cdc)).ok
    assert [r.auth_mode for r in cdc.requests] == ["jwt"] * 3
    assert all("userKey" not in r.params and "sig" not in r.params for r in cdc.requests)


def test_jwt_bearer_with_unknown_key_is_400008(
    make_client: Callable[..., Any], cdc: Any, rsa_pems: Tuple[bytes, bytes, bytes]
) -> None:
    with make_client(cdc.api_key, user_key="unregistered", private_key=rsa_pems[0], base_url=cdc.url) as client:
        with pytest.raises(InvalidRequestError) as info:
            client.call("accounts.getAccountInfo", UID=_uid(cdc))
    assert info.value.error_code == 400008


def test_access_token_as_oauth_token(make_client: Callable[..., Any], cdc: Any) -> None:
    with make_client(cdc.api_key, access_token=cdc.issue_access_token(), base_url=cdc.url) as client:
        assert client.call("accounts.getAccountInfo", UID=_uid(cdc)).ok
    assert cdc.requests[0].auth_mode == "oauth_token"


def test_oauth2_client_credentials(make_client: Callable[..., Any], cdc_tls: Any) -> None:
    with make_client(
        cdc_tls.api_key,
        user_key=cdc_tls.user_key,
        secret=cdc_tls.user_secret,
        auth="oauth2",
        base_url=cdc_tls.url,
        ca_certs=cdc_tls.ca_path,
    ) as client:
        for _ in range(3):
            assert client.call("accounts.search", query="SELECT * FROM accounts LIMIT 1").ok
        # refresh before expiry: pretend the token is 590 s old
        auth: Any = client._auth  # noqa: SLF001
        auth._token = auth._token._replace(refresh_at=0.0)  # noqa: SLF001
        assert client.call("accounts.search", query="SELECT * FROM accounts LIMIT 1").ok
    methods = [r.method for r in cdc_tls.requests]
    assert methods == ["oauth2.token"] + ["accounts.search"] * 3 + ["oauth2.token", "accounts.search"]
    assert [r.auth_mode for r in cdc_tls.requests if r.method != "oauth2.token"] == ["oauth2"] * 4


def test_oauth2_token_fetched_once_for_concurrent_calls(make_client: Callable[..., Any], cdc_tls: Any) -> None:
    with make_client(
        cdc_tls.api_key,
        user_key=cdc_tls.user_key,
        secret=cdc_tls.user_secret,
        auth="oauth2",
        base_url=cdc_tls.url,
        ca_certs=cdc_tls.ca_path,
    ) as client:
        results = client.call_many([("accounts.search", {"query": "SELECT * FROM accounts LIMIT 1"})] * 8)
    assert all(isinstance(r, Response) and r.ok for r in results)
    assert [r.method for r in cdc_tls.requests].count("oauth2.token") == 1


def test_oauth2_refused_token_is_renewed_once(make_client: Callable[..., Any], cdc_tls: Any) -> None:
    cdc_tls.faults.add("accounts.search", error_code=403005)
    with make_client(
        cdc_tls.api_key,
        user_key=cdc_tls.user_key,
        secret=cdc_tls.user_secret,
        auth="oauth2",
        base_url=cdc_tls.url,
        ca_certs=cdc_tls.ca_path,
    ) as client:
        assert client.call("accounts.search", query="SELECT * FROM accounts LIMIT 1").attempts == 2
        cdc_tls.faults.add("accounts.search", error_code=403005, times=2)
        with pytest.raises(AuthenticationError):
            client.call("accounts.search", query="SELECT * FROM accounts LIMIT 1")
    methods = [(r.method, r.error_code) for r in cdc_tls.requests]
    assert methods == [
        ("oauth2.token", 0),
        ("accounts.search", 403005),
        ("oauth2.token", 0),
        ("accounts.search", 0),
        ("accounts.search", 403005),
        ("oauth2.token", 0),
        ("accounts.search", 403005),
    ]


def test_oauth2_bad_secret(make_client: Callable[..., Any], cdc_tls: Any) -> None:
    _, wrong = cdc_tls.add_user_key()
    with make_client(
        cdc_tls.api_key,
        user_key=cdc_tls.user_key,
        secret=wrong,
        auth="oauth2",
        base_url=cdc_tls.url,
        ca_certs=cdc_tls.ca_path,
    ) as client:
        with pytest.raises(AuthenticationError) as info:
            client.call("accounts.search", query="SELECT * FROM accounts LIMIT 1")
    assert info.value.http_status == 401 and wrong not in str(info.value)
    assert [r.method for r in cdc_tls.requests] == ["oauth2.token"]


def test_mtls_paths_and_pem_bytes(make_client: Callable[..., Any], cdc_mtls: Any) -> None:
    cert_path, key_path = cdc_mtls.issue_client_cert()
    with make_client(cdc_mtls.api_key, client_cert=cert_path, client_key=key_path, base_url=cdc_mtls.url,
                ca_certs=cdc_mtls.ca_path) as client:
        assert client.auth_mode == "mtls"
        assert client.call("accounts.search", query="SELECT * FROM accounts LIMIT 1").ok
    cert_pem, key_pem = Path(cert_path).read_bytes(), Path(key_path).read_bytes()
    with make_client(cdc_mtls.api_key, client_cert=cert_pem + key_pem, base_url=cdc_mtls.url,
                ca_certs=Path(cdc_mtls.ca_path).read_bytes()) as client:
        assert client.call("accounts.search", query="SELECT * FROM accounts LIMIT 1").ok
    assert [r.auth_mode for r in cdc_mtls.requests] == ["mtls", "mtls"]
    assert all("sig" not in r.params and "userKey" not in r.params for r in cdc_mtls.requests)


def test_mtls_without_certificate_is_refused(make_client: Callable[..., Any], cdc_mtls: Any) -> None:
    with make_client(cdc_mtls.api_key, base_url=cdc_mtls.url, ca_certs=cdc_mtls.ca_path) as client:
        with pytest.raises(InvalidRequestError):
            client.call("accounts.search", query="SELECT * FROM accounts LIMIT 1")


def test_anonymous_public_key(make_client: Callable[..., Any], cdc: Any) -> None:
    with make_client(cdc.api_key, base_url=cdc.url) as client:
        r = client.call("accounts.getJWTPublicKey", V2=True)
    assert r.get("keys[0].kty") == "RSA"
    assert cdc.requests[0].auth_mode == "anonymous"


def test_signed_calls_from_many_threads_share_one_pool(cdc: Any) -> None:
    errors: List[BaseException] = []
    with Client(cdc.api_key, user_key=cdc.user_key, secret=cdc.user_secret, base_url=cdc.url, pool_maxsize=4) as client:

        def work() -> None:
            try:
                for _ in range(5):
                    client.call("accounts.getAccountInfo", UID=_uid(cdc))
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not errors
    assert len(cdc.requests) == 20 and all(r.error_code == 0 for r in cdc.requests)
    assert len({r.params["nonce"] for r in cdc.requests}) == 20
    assert len({r.connection_id for r in cdc.requests}) <= 4


def test_injected_pool_manager_is_used_and_left_open(cdc: Any) -> None:
    manager = urllib3.PoolManager(maxsize=2)
    with Client(cdc.api_key, secret=cdc.partner_secret, base_url=cdc.url, pool_manager=manager) as client:
        assert client.pool_manager is manager
        assert client.call("accounts.getAccountInfo", UID=_uid(cdc)).ok
    assert len(manager.pools) == 1  # not cleared: the caller owns it
    assert manager.request("GET", cdc.url + "/accounts.getJWTPublicKey?apiKey=" + cdc.api_key).status == 200
    manager.clear()


def test_sequential_calls_reuse_one_connection(make_client: Callable[..., Any], cdc: Any) -> None:
    with make_client(cdc.api_key, secret=cdc.partner_secret, base_url=cdc.url) as client:
        for _ in range(5):
            client.call("accounts.getAccountInfo", UID=_uid(cdc))
    assert len({r.connection_id for r in cdc.requests}) == 1


def test_wrong_server_ca_is_refused(make_client: Callable[..., Any], cdc_tls: Any) -> None:
    with make_client(cdc_tls.api_key, secret=cdc_tls.partner_secret, base_url=cdc_tls.url) as client:  # certifi only
        with pytest.raises(ConnectionFailedError) as info:
            client.call("accounts.getAccountInfo", UID="x")
    assert "certificate" in str(info.value).lower()
    assert cdc_tls.requests == []
