"""Retry rules on the wire: every attempt is signed anew (new nonce, valid
signature), writes are not resent after the server may have acted, clock
skew is corrected from the Date header."""

from __future__ import annotations

import itertools
import os
import time
from typing import Any, Callable, Iterator, List, Tuple

import pytest

from gigya_fast.errors import (
    AuthenticationError,
    ConnectionFailedError,
    RateLimitError,
    RequestTimeoutError,
    ServerError,
)
from gigya_fast.rest import RetryPolicy
from gigya_fast.rest.retry import RETRYABLE_CODES
from gigya_fast.testing.records import signature_fingerprint

from .helpers import expected_sig


@pytest.fixture
def client(make_client: Callable[..., Any], cdc: Any, fast_retries: RetryPolicy) -> Iterator[Any]:
    with make_client(cdc.api_key, user_key=cdc.user_key, secret=cdc.user_secret, base_url=cdc.url,
                retries=fast_retries, timeout=(2.0, 0.4)) as c:
        yield c


def _uid(cdc: Any) -> str:
    return str(cdc.accounts[0]["UID"])


def _wait_for_log(cdc: Any, *, reads: int, writes: int, within: float = 5.0) -> Tuple[List[Any], List[Any]]:
    """The server's logged reads and writes, once it has logged at least that many (or *within* passed)."""
    deadline = time.monotonic() + within
    while True:
        seen = cdc.requests
        got = ([q for q in seen if q.method == "accounts.getAccountInfo"],
               [q for q in seen if q.method == "accounts.setAccountInfo"])
        if (len(got[0]) >= reads and len(got[1]) >= writes) or time.monotonic() > deadline:
            return got
        time.sleep(0.01)


def _assert_all_signed_anew(requests: List[Any]) -> None:
    nonces = [r.params["nonce"] for r in requests]
    sigs = [r.params["sig"] for r in requests]
    assert len(set(nonces)) == len(nonces) and len(set(sigs)) == len(sigs)
    assert all(r.auth_mode == "user_sig" for r in requests)  # the server verified every signature


@pytest.mark.parametrize("code", sorted(RETRYABLE_CODES))
def test_retryable_codes_on_a_write(cdc: Any, client: Any, code: int) -> None:
    cdc.faults.add("accounts.setAccountInfo", error_code=code, times=2)
    r = client.call("accounts.setAccountInfo", UID=_uid(cdc), data={"n": code})
    assert r.ok and r.attempts == 3
    seen = cdc.requests
    assert [q.error_code for q in seen] == [code, code, 0]
    _assert_all_signed_anew(seen)
    assert cdc.get_account(_uid(cdc))["data"]["n"] == code


def test_retries_exhausted(cdc: Any, client: Any) -> None:
    cdc.faults.add("accounts.setAccountInfo", error_code=500001, times=10)
    with pytest.raises(ServerError) as info:
        client.call("accounts.setAccountInfo", UID=_uid(cdc), data={"x": 1})
    assert info.value.error_code == 500001 and info.value.call_id
    assert len(cdc.requests) == 4  # 1 + 3 retries
    cdc.faults.clear()
    cdc.faults.add("accounts.setAccountInfo", error_code=403048, times=10)
    with pytest.raises(RateLimitError):
        client.call("accounts.setAccountInfo", UID=_uid(cdc), data={"x": 1}, retry=False)
    assert len(cdc.requests) == 5


def test_no_retry_for_other_errors(cdc: Any, client: Any) -> None:
    cdc.faults.add("accounts.setAccountInfo", error_code=400006)
    r = client.call("accounts.setAccountInfo", UID=_uid(cdc), raise_on_error=False)
    assert r.error_code == 400006 and len(cdc.requests) == 1


def test_504002_resent_only_for_reads(cdc: Any, client: Any) -> None:
    cdc.faults.add("accounts.getAccountInfo", error_code=504002)
    assert client.call("accounts.getAccountInfo", UID=_uid(cdc)).attempts == 2
    cdc.faults.add("accounts.setAccountInfo", error_code=504002)
    with pytest.raises(ServerError):
        client.call("accounts.setAccountInfo", UID=_uid(cdc), data={"x": 1})
    cdc.faults.add("accounts.setAccountInfo", error_code=504002)
    assert client.call("accounts.setAccountInfo", UID=_uid(cdc), data={"x": 1}, retry=True).attempts == 2
    assert [q.error_code for q in cdc.requests] == [504002, 0, 504002, 504002, 0]


def test_retry_writes_option(make_client: Callable[..., Any], cdc: Any, fast_retries: RetryPolicy) -> None:
    cdc.faults.add("accounts.setAccountInfo", error_code=504002)
    with make_client(cdc.api_key, secret=cdc.partner_secret, base_url=cdc.url, retries=fast_retries,
                retry_writes=True) as c:
        assert c.call("accounts.setAccountInfo", UID=_uid(cdc), data={"x": 1}).attempts == 2


def test_read_timeout_resent_for_reads_only(cdc: Any, client: Any) -> None:
    cdc.faults.add("accounts.getAccountInfo", delay=0.8)
    assert client.call("accounts.getAccountInfo", UID=_uid(cdc)).ok
    cdc.faults.add("accounts.setAccountInfo", delay=0.8)
    started = time.monotonic()
    with pytest.raises(RequestTimeoutError) as info:
        client.call("accounts.setAccountInfo", UID=_uid(cdc), data={"t": 1})
    assert time.monotonic() - started < 0.75
    error = info.value
    assert error.error_code == 504002 and isinstance(error, TimeoutError)
    assert "504002" in str(error)
    # The slow attempts are logged once the server has answered them, after their delay.
    reads, writes = _wait_for_log(cdc, reads=2, writes=1)
    assert len(writes) == 1 and len(reads) == 2
    _assert_all_signed_anew(reads)


def test_per_call_timeout(cdc: Any, client: Any) -> None:
    cdc.faults.add("accounts.getAccountInfo", delay=0.3)
    assert client.call("accounts.getAccountInfo", UID=_uid(cdc), timeout=2.0).attempts == 1


def test_dropped_connection(cdc: Any, client: Any) -> None:
    cdc.faults.add("accounts.getAccountInfo", drop=True)
    assert client.call("accounts.getAccountInfo", UID=_uid(cdc)).attempts == 2
    cdc.faults.add("accounts.setAccountInfo", drop=True)
    with pytest.raises(ConnectionFailedError) as info:
        client.call("accounts.setAccountInfo", UID=_uid(cdc), data={"x": 1})
    assert info.value.error_code == 500000 and isinstance(info.value, ConnectionError)
    assert [q.error_code for q in cdc.requests] == [-1, 0, -1]


def test_clock_skew_is_corrected_from_the_date_header(cdc: Any, client: Any) -> None:
    cdc.clock_offset = 900.0
    r = client.call("accounts.setAccountInfo", UID=_uid(cdc), data={"skew": 1})
    assert r.ok and r.attempts == 2
    assert client.clock_offset == pytest.approx(900.0, abs=2.0)
    assert client.call("accounts.getAccountInfo", UID=_uid(cdc)).attempts == 1  # remembered
    first, second, third = cdc.requests
    assert first.error_code == 403002 and second.error_code == 0 and third.error_code == 0
    assert int(second.params["timestamp"]) - int(first.params["timestamp"]) == pytest.approx(900, abs=2)
    _assert_all_signed_anew([second, third])


def test_clock_fix_happens_once_per_call(cdc: Any, client: Any) -> None:
    cdc.faults.add("accounts.getAccountInfo", error_code=403002, times=2)
    with pytest.raises(AuthenticationError) as info:
        client.call("accounts.getAccountInfo", UID=_uid(cdc), retry=False)
    assert info.value.error_code == 403002
    assert len(cdc.requests) == 2


def test_duplicate_nonce_gets_a_new_one(cdc: Any, client: Any) -> None:
    fixed = "fixed-%s" % os.urandom(8).hex()  # the server remembers nonces across tests
    replay = itertools.chain([fixed, fixed], iter(lambda: "n%d" % time.perf_counter_ns(), None))
    client._builder.nonces = lambda: next(replay)  # noqa: SLF001 - a client that repeats a nonce once
    assert client.call("accounts.getAccountInfo", UID=_uid(cdc)).attempts == 1
    r = client.call("accounts.getAccountInfo", UID=_uid(cdc))
    assert r.ok and r.attempts == 2
    seen = [(q.params["nonce"], q.error_code) for q in cdc.requests]
    assert seen[:2] == [(fixed, 0), (fixed, 403004)]
    assert cdc.requests[2].params["nonce"] != fixed


def test_every_attempt_signature_is_over_the_called_url(cdc: Any, client: Any) -> None:
    cdc.faults.add("accounts.setAccountInfo", error_code=500026, times=2)
    client.call("accounts.setAccountInfo", UID=_uid(cdc), data={"x": 2})
    for seen in cdc.requests:
        expected = expected_sig(cdc.url + seen.path, seen.params, cdc.user_secret)
        assert seen.params["sig"] == signature_fingerprint(expected)  # records keep a fingerprint, not the sig


def test_total_time_bound(make_client: Callable[..., Any], cdc: Any) -> None:
    policy = RetryPolicy(50, backoff=0.05, multiplier=1.0, jitter=0.0, max_elapsed=0.3)
    cdc.faults.add("accounts.setAccountInfo", error_code=500001, times=None)
    with make_client(cdc.api_key, secret=cdc.partner_secret, base_url=cdc.url, retries=policy) as c:
        started = time.monotonic()
        with pytest.raises(ServerError):
            c.call("accounts.setAccountInfo", UID=_uid(cdc), data={"x": 1})
        assert time.monotonic() - started < 1.0
    assert 2 <= len(cdc.requests) <= 7


def test_per_call_policy(cdc: Any, client: Any) -> None:
    cdc.faults.add("accounts.getAccountInfo", error_code=500001, times=3)
    with pytest.raises(ServerError):
        client.call("accounts.getAccountInfo", UID=_uid(cdc), retry=RetryPolicy(1, backoff=0.001))
    assert client.call("accounts.getAccountInfo", UID=_uid(cdc), retry=RetryPolicy(1, backoff=0.001)).attempts == 2
