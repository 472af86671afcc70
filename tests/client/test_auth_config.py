"""Auth mode selection, OAuth2 token caching, plain-HTTP refusals and client
construction (no network)."""

from __future__ import annotations

import json
import pickle
import ssl
import threading
from typing import Any, Dict, List, Mapping, Tuple

import pytest
import urllib3

from gigya_fast.errors import (
    AuthenticationError,
    ConfigurationError,
    GigyaError,
    InvalidRequestError,
    InvalidSecretError,
    MalformedResponseError,
)
from gigya_fast.rest import Client, RetryPolicy
from gigya_fast.rest.auth import OAuth2Auth, Secret, parse_token_response, token_request_body
from gigya_fast.rest.config import choose_auth_mode
from gigya_fast.rest.tls import build_ssl_context
from gigya_fast.rest.transport import to_timeout

from .helpers import form, new_secret

SECRET = new_secret()


def _mode(**kw: Any) -> str:
    args: Dict[str, Any] = dict(secret=None, user_key=None, private_key=None, client_cert=None, access_token=None)
    args.update(kw)
    auth = args.pop("auth", None)
    return choose_auth_mode(auth, **args)


def test_mode_inference() -> None:
    assert _mode() == "anonymous"
    assert _mode(secret=SECRET) == "signed"
    assert _mode(secret=SECRET, user_key="K") == "signed"
    assert _mode(private_key=b"pem", user_key="K") == "jwt"
    assert _mode(client_cert="c.pem") == "mtls"
    assert _mode(access_token="t") == "token"
    assert _mode(auth="clear", secret=SECRET) == "clear"
    assert _mode(auth="oauth2", secret=SECRET, user_key="K") == "oauth2"
    assert _mode(auth="anonymous") == "anonymous"


@pytest.mark.parametrize(
    "kw",
    [
        dict(secret=SECRET, access_token="t"),
        dict(secret=SECRET, private_key=b"k", user_key="K"),
        dict(private_key=b"k"),
        dict(user_key="K"),
        dict(auth="oauth2", secret=SECRET),
        dict(auth="jwt", private_key=b"k"),
        dict(auth="clear"),
        dict(auth="signed", access_token="t"),
        dict(auth="nonsense", secret=SECRET),
    ],
)
def test_mode_conflicts(kw: Dict[str, Any]) -> None:
    with pytest.raises(ConfigurationError):
        _mode(**kw)


def test_secret_never_in_clear_over_plain_http() -> None:
    with pytest.raises(ConfigurationError) as info:
        Client("3_k", secret=SECRET, user_key="K", auth="clear", base_url="http://127.0.0.1:9")
    assert SECRET not in str(info.value)
    with pytest.raises(ConfigurationError):
        Client("3_k", secret=SECRET, user_key="K", auth="oauth2", base_url="http://127.0.0.1:9")
    with pytest.raises(ConfigurationError):
        Client("3_k", access_token="tok", base_url="http://gw.example.com")
    with pytest.raises(ConfigurationError):
        Client("3_k", client_cert=b"-----BEGIN CERTIFICATE-----", base_url="http://127.0.0.1:9")
    # loopback may carry bearer credentials; signed requests go anywhere
    Client("3_k", access_token="tok", base_url="http://127.0.0.1:9").close()
    Client("3_k", secret=SECRET, base_url="http://gw.example.com").close()
    # https is fine for the secret in clear
    Client("3_k", secret=SECRET, auth="clear", base_url="https://gw.example.com").close()


def test_client_basics_without_network() -> None:
    with Client("3_k", secret=SECRET, user_key="AKEY", data_center="eu1") as cdc:
        assert cdc.auth_mode == "signed" and cdc.user_key == "AKEY"
        assert cdc.api_domain == "eu1.gigya.com" and cdc.base_url is None
        assert cdc.url_for("accounts.getAccountInfo") == "https://accounts.eu1.gigya.com/accounts.getAccountInfo"
        assert isinstance(cdc.pool_manager, urllib3.PoolManager)
        assert cdc.retry_policy.max_retries == 3
        cdc.clock_offset = 12.0
        assert cdc.clock_offset == 12.0
        text = repr(cdc) + repr(vars(cdc)) + repr(vars(cdc._auth))  # noqa: SLF001
        assert SECRET not in text and "AKEY" in text and "eu1.gigya.com" in text
        with pytest.raises(TypeError):
            pickle.dumps(cdc)
    assert cdc.closed and "closed" in repr(cdc)
    with pytest.raises(ConfigurationError):
        cdc.call("accounts.getAccountInfo", UID="x")
    cdc.close()  # idempotent


def test_clear_and_token_secrets_hidden() -> None:
    for client in (
        Client("3_k", secret=SECRET, user_key="K", auth="clear"),
        Client("3_k", access_token="tok-VALUE-123"),
        Client("3_k", secret=SECRET, user_key="K", auth="oauth2"),
    ):
        dump = repr(client) + repr(vars(client)) + repr(vars(client._auth))  # noqa: SLF001
        assert SECRET not in dump and "tok-VALUE-123" not in dump
        client.close()
    assert repr(Secret("x")) == "Secret('***')"
    with pytest.raises(TypeError):
        pickle.dumps(Secret("x"))


def test_bad_options() -> None:
    with pytest.raises(InvalidSecretError):
        Client("3_k", secret="not base64")
    with pytest.raises(ConfigurationError):
        Client("")
    with pytest.raises(ConfigurationError):
        Client("3_k", data_center="https://eu1.gigya.com")
    with pytest.raises(ConfigurationError):
        Client("3_k", timeout=0)
    with pytest.raises(ConfigurationError):
        Client("3_k", timeout=(1.0, 2.0, 3.0))  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError):
        Client("3_k", pool_maxsize=0)
    with pytest.raises(ConfigurationError):
        Client("3_k", proxy_url="socks5://127.0.0.1:1")
    with pytest.raises(ConfigurationError):
        Client("3_k", pool_manager=urllib3.PoolManager(), proxy_url="http://127.0.0.1:1")
    with pytest.raises(ConfigurationError):
        Client("3_k", ca_certs="/nonexistent/ca.pem")
    with pytest.raises(ConfigurationError):
        Client("3_k", client_cert=b"-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n")
    with pytest.raises(ConfigurationError):
        Client("3_k", secret=123)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Client("3_k").call("bad/method")
    with pytest.raises(ValueError):
        Client("3_k").call("a.b", sig="x")
    assert Client("3_k", retries=RetryPolicy(7)).retry_policy.max_retries == 7


def test_a_urllib3_retry_is_refused_with_the_reason() -> None:
    with pytest.raises(ConfigurationError) as info:
        Client("3_k", retries=urllib3.Retry(3))  # type: ignore[arg-type]
    text = str(info.value)
    assert "RetryPolicy" in text and "errorCode" in text and "signed anew" in text
    assert isinstance(info.value, ValueError)
    for bad in (-1, 1.5, True, "3"):
        with pytest.raises(ConfigurationError, match="RetryPolicy"):
            Client("3_k", retries=bad)  # type: ignore[arg-type]
    assert Client("3_k", retries=None).retry_policy.max_retries == 0  # type: ignore[arg-type]


def test_timeouts() -> None:
    assert (to_timeout(3).connect_timeout, to_timeout(3).read_timeout) == (3.0, 3.0)
    assert (to_timeout((1, 20)).connect_timeout, to_timeout((1, 20)).read_timeout) == (1.0, 20.0)
    given = urllib3.Timeout(connect=2, read=5)
    assert to_timeout(given) is given
    for bad in (0, -1, True, "3", (1,)):
        with pytest.raises(ConfigurationError):
            to_timeout(bad)  # type: ignore[arg-type]


def test_ssl_context_is_strict() -> None:
    context = build_ssl_context()
    assert context.check_hostname and context.verify_mode == ssl.CERT_REQUIRED
    assert context.minimum_version >= ssl.TLSVersion.TLSv1_2
    with pytest.raises(ConfigurationError):
        build_ssl_context(client_key="k.pem")
    with pytest.raises(ConfigurationError):
        build_ssl_context(b"\xff\xfe")


# --- OAuth2 token cache -----------------------------------------------------------


class FakeTokenServer:
    def __init__(self, lifetime: int = 600) -> None:
        self.lifetime = lifetime
        self.bodies: List[Dict[str, str]] = []
        self.lock = threading.Lock()

    def __call__(self, body: bytes) -> Tuple[int, Mapping[str, str], bytes]:
        with self.lock:
            self.bodies.append(form(body))
            number = len(self.bodies)
        answer = {"access_token": "tok%d" % number, "token_type": "Bearer", "expires_in": self.lifetime}
        return 200, {}, json.dumps(answer).encode()


def test_oauth2_token_cached_and_refreshed_before_expiry() -> None:
    now = [1000.0]
    auth = OAuth2Auth("K", SECRET, monotonic=lambda: now[0])
    server = FakeTokenServer(600)
    auth.prepare(server)
    assert server.bodies == [{"client_id": "K", "client_secret": SECRET, "grant_type": "client_credentials"}]
    _, header = auth.apply("https://x/a.b", {}, 0.0, "n")
    assert header == ("Authorization", "Bearer tok1")
    now[0] += 539
    auth.prepare(server)
    assert len(server.bodies) == 1
    now[0] += 2  # within 60 s of expiry
    auth.prepare(server)
    assert len(server.bodies) == 2
    assert auth.apply("https://x/a.b", {}, 0.0, "n")[1] == ("Authorization", "Bearer tok2")
    auth.invalidate()
    auth.prepare(server)
    assert len(server.bodies) == 3 and auth.fetch_count == 3
    short = OAuth2Auth("K", SECRET, monotonic=lambda: now[0])
    short.prepare(FakeTokenServer(10))
    assert short._token is not None and short._token.refresh_at == pytest.approx(now[0] + 5)  # noqa: SLF001


def test_oauth2_one_fetch_for_many_threads() -> None:
    auth = OAuth2Auth("K", SECRET)
    server = FakeTokenServer()
    barrier = threading.Barrier(8)

    def work() -> None:
        barrier.wait()
        auth.prepare(server)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(server.bodies) == 1


def test_oauth2_apply_without_token() -> None:
    with pytest.raises(GigyaError):
        OAuth2Auth("K", SECRET).apply("https://x/a.b", {}, 0.0, "n")


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (200, b"", MalformedResponseError),
        (200, b"<html>", MalformedResponseError),
        (200, b'{"token_type": "Bearer"}', MalformedResponseError),
        (200, b'{"access_token": "t", "token_type": "mac"}', MalformedResponseError),
        (401, b'{"error": "invalid_client", "error_description": "bad secret"}', AuthenticationError),
        (200, b'{"errorCode": 400002, "errorMessage": "Missing", "callId": "c"}', InvalidRequestError),
    ],
)
def test_token_response_errors(status: int, body: bytes, error: type) -> None:
    with pytest.raises(GigyaError) as info:
        parse_token_response(status, body)
    assert type(info.value) is error and info.value.http_status == status


def test_token_response_ok() -> None:
    assert parse_token_response(200, b'{"access_token": "t", "expires_in": "30"}') == ("t", 30.0)
    assert parse_token_response(200, b'{"access_token": "t", "token_type": "bearer"}') == ("t", 600.0)
    assert parse_token_response(200, b'{"access_token": "t", "expires_in": -5}') == ("t", 600.0)
    assert form(token_request_body("K", "s+/=")) == {
        "client_id": "K",
        "client_secret": "s+/=",
        "grant_type": "client_credentials",
    }
