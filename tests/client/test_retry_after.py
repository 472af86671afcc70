"""Retry-After: a retried answer that says when to come back is not retried sooner,
and not at all when that is later than the policy's max_elapsed."""

from __future__ import annotations

import email.utils
import time
from typing import Any, Iterator

import pytest

from gigya_fast.errors import GigyaError, MalformedResponseError
from gigya_fast.rest import Client, Response, RetryPolicy
from gigya_fast.rest.retry import DONE, RETRY, RetryState, parse_retry_after

NOW = 1_700_000_000.0


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("3", 3.0),
        (" 10 ", 10.0),
        ("0", 0.0),
        (email.utils.formatdate(NOW + 30, usegmt=True), 30.0),
        (email.utils.formatdate(NOW - 30, usegmt=True), 0.0),
        ("-1", None),
        ("1.5", None),
        ("soon", None),
        ("", None),
        ("\u0661", None),  # a Unicode digit is not delta-seconds
        ("Sat, 28 Nov 2026 20:00:00", None),  # no zone: not an HTTP date
        (None, None),
    ],
)
def test_parse_retry_after(value: Any, expected: Any) -> None:
    assert parse_retry_after(value, now=NOW) == expected


def _state(policy: RetryPolicy) -> RetryState:
    return RetryState(policy, idempotent=True, rand=lambda: 0.0)


def _busy() -> Response:
    return Response({"errorCode": 403048, "statusCode": 403, "callId": "c"}, method="accounts.getAccountInfo")


def test_waits_at_least_what_the_server_asks() -> None:
    policy = RetryPolicy(3, backoff=0.5, jitter=0.0, max_elapsed=60)
    later = _state(policy).decide(_busy(), retry_after=7.0)
    assert later.action == RETRY and later.delay == 7.0 and "Retry-After 7s" in later.reason
    sooner = _state(policy).decide(_busy(), retry_after=0.1)
    assert sooner.action == RETRY and sooner.delay == 0.5  # the backoff was longer already
    assert _state(policy).decide(_busy()).delay == 0.5


def test_gives_up_when_the_wait_exceeds_max_elapsed() -> None:
    policy = RetryPolicy(3, backoff=0.01, max_elapsed=5)
    assert _state(policy).decide(_busy(), elapsed=1.0, retry_after=4.5).action == DONE
    assert _state(policy).decide(_busy(), elapsed=1.0, retry_after=3.5).action == RETRY


def test_only_retried_answers_wait() -> None:
    policy = RetryPolicy(3, backoff=0.01)
    final = Response({"errorCode": 400006, "statusCode": 400, "callId": "c"}, method="accounts.getAccountInfo")
    assert _state(policy).decide(final, retry_after=1.0).action == DONE


@pytest.fixture
def client(cdc: Any) -> Iterator[Client]:
    policy = RetryPolicy(3, backoff=0.001, backoff_max=0.01, max_elapsed=10)
    with Client(cdc.api_key, user_key=cdc.user_key, secret=cdc.user_secret, base_url=cdc.url, retries=policy) as c:
        yield c


@pytest.mark.parametrize(
    "fault",
    [
        {"malformed": "html", "http_status": 503},  # a proxy or load balancer in front of CDC
        {"malformed": "html", "http_status": 429},
        {"error_code": 403048},  # CDC: rate limit
    ],
)
def test_client_honours_retry_after_on_the_wire(cdc: Any, client: Client, fault: Any) -> None:
    uid = cdc.accounts[0]["UID"]
    cdc.faults.add("accounts.getAccountInfo", retry_after=1, **fault)
    started = time.monotonic()
    response = client.call("accounts.getAccountInfo", UID=uid)
    waited = time.monotonic() - started
    assert response.attempts == 2 and response.error_code == 0
    assert waited >= 0.95, waited  # backoff alone would have retried within 10 ms
    assert len(cdc.requests) == 2


def test_client_stops_when_the_server_asks_too_long(cdc: Any) -> None:
    policy = RetryPolicy(3, backoff=0.001, max_elapsed=2)
    uid = cdc.accounts[0]["UID"]
    date = email.utils.formatdate(time.time() + 3600, usegmt=True)
    cdc.faults.add("accounts.getAccountInfo", malformed="html", http_status=503, retry_after=date)
    with Client(cdc.api_key, user_key=cdc.user_key, secret=cdc.user_secret, base_url=cdc.url, retries=policy) as c:
        started = time.monotonic()
        with pytest.raises(MalformedResponseError) as info:
            c.call("accounts.getAccountInfo", UID=uid)
        assert time.monotonic() - started < 1.5
    assert info.value.http_status == 503 and len(cdc.requests) == 1
    assert isinstance(info.value, GigyaError)


def test_fault_retry_after_is_validated(cdc: Any) -> None:
    with pytest.raises(ValueError):
        cdc.faults.add("accounts.getAccountInfo", error_code=403048, retry_after=-1)
