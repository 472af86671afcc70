"""Malformed answers become MalformedResponseError (never a crash), and logs,
reprs and error messages never show secrets, signatures or tokens."""

from __future__ import annotations

import logging
from typing import Any, Callable, Iterator, List, Tuple

import pytest

from gigya_fast.errors import GigyaError, MalformedResponseError
from gigya_fast.rest import RetryPolicy


@pytest.fixture
def client(make_client: Callable[..., Any], cdc: Any, fast_retries: RetryPolicy) -> Iterator[Any]:
    with make_client(cdc.api_key, user_key=cdc.user_key, secret=cdc.user_secret, base_url=cdc.url,
                retries=fast_retries) as c:
        yield c


@pytest.mark.parametrize(
    ("kind", "status", "reason"),
    [
        ("html", 502, "HTML"),
        ("empty", 200, "empty body"),
        ("notjson", 200, "not JSON"),
        ("truncated", 200, "truncated"),
    ],
)
def test_malformed_answers(cdc: Any, client: Any, kind: str, status: int, reason: str) -> None:
    uid = cdc.accounts[0]["UID"]
    cdc.faults.add("accounts.setAccountInfo", malformed=kind, http_status=status)
    with pytest.raises(MalformedResponseError) as info:
        client.call("accounts.setAccountInfo", UID=uid, data={"m": 1})
    error = info.value
    assert error.http_status == status and reason in str(error) and "accounts.setAccountInfo" in str(error)
    assert len(cdc.requests) == 1  # a write is not resent
    cdc.faults.add("accounts.getAccountInfo", malformed=kind, http_status=status)
    assert client.call("accounts.getAccountInfo", UID=uid).attempts == 2  # a read is
    assert client.call("accounts.getAccountInfo", UID=uid).ok  # the connection pool is still healthy


def test_503_is_retried_even_for_writes(cdc: Any, client: Any) -> None:
    cdc.faults.add("accounts.setAccountInfo", malformed="html", http_status=503)
    assert client.call("accounts.setAccountInfo", UID=cdc.accounts[0]["UID"], data={"m": 2}).attempts == 2


def _secrets(cdc: Any, extra: List[str]) -> List[str]:
    values = [cdc.user_secret, cdc.partner_secret] + extra
    values += [r.params["sig"] for r in cdc.requests if "sig" in r.params]
    return [v for v in values if v]


def test_nothing_secret_is_logged(
    make_client: Callable[..., Any],
    cdc: Any,
    cdc_tls: Any,
    caplog: pytest.LogCaptureFixture,
    rsa_pems: Tuple[bytes, bytes, bytes],
    fast_retries: RetryPolicy,
) -> None:
    caplog.set_level(logging.DEBUG)
    uid = cdc.accounts[0]["UID"]
    token = cdc.issue_access_token()
    jwt_key, _ = cdc.add_user_key()
    cdc.register_public_key(jwt_key, rsa_pems[2])
    texts: List[str] = []
    tokens: List[str] = []
    cdc.faults.add("*", error_code=500001, times=3)
    cdc.faults.add("accounts.getAccountInfo", error_code=403003)
    clients = [
        make_client(cdc.api_key, user_key=cdc.user_key, secret=cdc.user_secret, base_url=cdc.url, retries=fast_retries),
        make_client(cdc.api_key, secret=cdc.partner_secret, base_url=cdc.url, retries=fast_retries),
        make_client(cdc.api_key, access_token=token, base_url=cdc.url, retries=fast_retries),
        make_client(cdc.api_key, user_key=jwt_key, private_key=rsa_pems[0], base_url=cdc.url, retries=fast_retries),
        make_client(cdc_tls.api_key, user_key=cdc_tls.user_key, secret=cdc_tls.user_secret, auth="oauth2",
               base_url=cdc_tls.url, ca_certs=cdc_tls.ca_path, retries=fast_retries),
        make_client(cdc_tls.api_key, user_key=cdc_tls.user_key, secret=cdc_tls.user_secret, auth="clear",
               base_url=cdc_tls.url, ca_certs=cdc_tls.ca_path, retries=fast_retries),
    ]
    for client in clients:
        with client:
            texts.append(repr(client))
            for method in ("accounts.getAccountInfo", "accounts.setAccountInfo"):
                try:
                    r = client.call(method, UID=uid, data={"password": "hunter2"}, raise_on_error=False)
                    texts.append(repr(r))
                except GigyaError as exc:
                    texts.extend([str(exc), repr(exc)])
            if client.auth_mode == "oauth2":
                tokens.append(client._auth._token.value.reveal())  # noqa: SLF001
    bearer = [r.headers.get("Authorization", "") for r in cdc.requests + cdc_tls.requests]
    assert len(tokens) == 1
    forbidden = _secrets(cdc, [token, cdc_tls.user_secret, "hunter2"] + tokens)
    forbidden += [b for b in bearer if b not in ("", "***")]
    forbidden += [pem.decode("ascii").splitlines()[1] for pem in rsa_pems[:2]]
    messages = [record.getMessage() for record in caplog.records] + texts
    assert any("attempt=" in m for m in messages)
    for text in messages:
        for secret in forbidden:
            assert secret not in text, "a secret leaked into: %r" % text[:200]
        assert "sig=" not in text and "oauth_token=" not in text and "Bearer" not in text


def test_one_debug_line_per_attempt(cdc: Any, client: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="gigya_fast.rest")
    cdc.faults.add("accounts.getAccountInfo", error_code=500028)
    client.call("accounts.getAccountInfo", UID=cdc.accounts[0]["UID"])
    lines = [r for r in caplog.records if r.name == "gigya_fast.rest.attempts" and r.levelno == logging.DEBUG]
    assert len(lines) == 2
    first, second = (r.getMessage() for r in lines)
    assert first.startswith("accounts.getAccountInfo host=127.0.0.1:%d attempt=1 errorCode=500028 callId=" % cdc.port)
    assert "latency=" in first and "-> retry in" in first
    assert "attempt=2 errorCode=0" in second and cdc.requests[1].call_id in second
