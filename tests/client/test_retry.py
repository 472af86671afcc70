"""Retry decisions and backoff (no I/O)."""

from __future__ import annotations

from typing import Any, Dict, List

import pytest

from gigya_fast.errors import (
    AuthenticationError,
    ConnectionFailedError,
    GigyaError,
    MalformedResponseError,
    RequestTimeoutError,
)
from gigya_fast.rest.response import Response
from gigya_fast.rest.retry import (
    DONE,
    FIX_CLOCK,
    IDEMPOTENT_RETRY_CODES,
    REAUTH,
    REROUTE,
    RETRY,
    RETRYABLE_CODES,
    RetryPolicy,
    RetryState,
    is_read_method,
)


def _r(code: int, **extra: Any) -> Response:
    return Response({"errorCode": code, **extra})


def _state(idempotent: bool = False, **kw: Any) -> RetryState:
    return RetryState(RetryPolicy(3, backoff=1.0, jitter=0.0, max_elapsed=100.0), idempotent=idempotent,
                      rand=lambda: 0.5, **kw)


@pytest.mark.parametrize(
    ("method", "read"),
    [
        ("accounts.getAccountInfo", True),
        ("accounts.search", True),
        ("ds.search", True),
        ("accounts.getJWTPublicKey", True),
        ("accounts.isAvailableLoginID", True),
        ("getUserInfo", True),
        ("accounts.setAccountInfo", False),
        ("accounts.deleteAccount", False),
        ("accounts.importFullAccount", False),
        ("accounts.issue", False),
        ("accounts.register", False),
        ("ds.store", False),
        ("accounts.notifyLogin", False),
    ],
)
def test_is_read_method(method: str, read: bool) -> None:
    assert is_read_method(method) is read


def test_policy_backoff_and_jitter() -> None:
    policy = RetryPolicy(5, backoff=0.5, multiplier=2.0, backoff_max=3.0, jitter=0.5)
    assert [policy.delay(n, lambda: 0.0) for n in range(1, 6)] == [0.5, 1.0, 2.0, 3.0, 3.0]
    assert [policy.delay(n, lambda: 1.0) for n in range(1, 4)] == [0.25, 0.5, 1.0]
    full = RetryPolicy(jitter=1.0)
    assert full.delay(1, lambda: 1.0) == 0.0
    for _ in range(100):
        assert 0.125 <= policy.delay(1) <= 0.5
    assert RetryPolicy.coerce(2).max_retries == 2
    assert RetryPolicy.coerce(None).max_retries == 0
    assert RetryPolicy.coerce(policy) is policy
    assert "max_retries=5" in repr(policy)
    bads: List[Dict[str, Any]] = [dict(max_retries=-1), dict(jitter=2.0), dict(multiplier=0.5), dict(backoff=-1.0)]
    for bad in bads:
        with pytest.raises(ValueError):
            RetryPolicy(**bad)


@pytest.mark.parametrize("code", sorted(RETRYABLE_CODES))
def test_retryable_codes_retry_writes_too(code: int) -> None:
    state = _state()
    decisions = [state.decide(_r(code)) for _ in range(4)]
    assert [d.action for d in decisions] == [RETRY, RETRY, RETRY, DONE]
    assert [d.delay for d in decisions[:3]] == [1.0, 2.0, 4.0]  # no jitter: backoff 1 s doubling
    assert "errorCode %d" % code in decisions[0].reason


def test_success_and_plain_errors_stop() -> None:
    for code in (0, 403003, 400002, 403007, 400093, 403006, 500002):
        assert _state(idempotent=True).decide(_r(code)).action == DONE


@pytest.mark.parametrize("code", sorted(IDEMPOTENT_RETRY_CODES))
def test_504002_only_for_idempotent_calls(code: int) -> None:
    assert _state(idempotent=False).decide(_r(code)).action == DONE
    assert _state(idempotent=True).decide(_r(code)).action == RETRY


def test_clock_fix_once_and_only_with_a_date() -> None:
    state = _state()
    assert state.decide(_r(403002)) == (FIX_CLOCK, 0.0, "request expired: clock offset corrected", None)
    assert state.decide(_r(403002)).action == DONE
    assert _state().decide(_r(403002), has_date=False).action == DONE
    assert _state(enabled=False).decide(_r(403002)).action == FIX_CLOCK


def test_reroute() -> None:
    state = _state()
    first = state.decide(_r(301001, apiDomain="eu1.gigya.com"), current_domain="us1.gigya.com")
    assert (first.action, first.api_domain, first.delay) == (REROUTE, "eu1.gigya.com", 0.0)
    second = state.decide(_r(301001, apiDomain="au1.gigya.com"), current_domain="eu1.gigya.com")
    assert second.action == REROUTE
    assert state.decide(_r(301001, apiDomain="eu2.gigya.com"), current_domain="au1.gigya.com").action == DONE
    assert _state().decide(_r(301001, apiDomain="us1.gigya.com"), current_domain="us1.gigya.com").action == DONE
    assert _state().decide(_r(301001), current_domain="us1.gigya.com").action == DONE
    assert _state().decide(_r(301001, apiDomain="evil.com/x"), current_domain="us1.gigya.com").action == DONE
    assert _state(can_reroute=False).decide(_r(301001, apiDomain="eu1.gigya.com")).action == DONE
    assert _state(enabled=False).decide(_r(301001, apiDomain="eu1.gigya.com")).action == REROUTE


def test_refused_token_renewed_once() -> None:
    state = _state(can_reauth=True)
    assert state.decide(_r(403005)).action == REAUTH
    assert state.decide(_r(403005)).action == DONE
    assert _state().decide(_r(403005)).action == DONE
    assert _state(can_reauth=True, enabled=False).decide(_r(403005)).action == REAUTH


def test_transport_failures() -> None:
    refused = ConnectionFailedError("refused")
    timeout = RequestTimeoutError("slow", error_code=504002)
    # not sent: always retried
    assert _state().decide(refused, sent=False).action == RETRY
    assert _state().decide(timeout, sent=False).action == RETRY
    # maybe processed: only idempotent calls
    assert _state().decide(refused, sent=True).action == DONE
    assert _state().decide(timeout, sent=True).action == DONE
    assert _state(idempotent=True).decide(timeout, sent=True).action == RETRY
    assert _state(idempotent=True).decide(refused, sent=True).action == RETRY
    # TLS failures never heal
    assert _state(idempotent=True).decide(refused, sent=False, permanent=True).action == DONE
    # other errors (e.g. a refused OAuth2 token request) stop
    assert _state(idempotent=True).decide(AuthenticationError("no")).action == DONE
    assert _state(idempotent=True).decide(GigyaError("x")).action == DONE


def test_malformed_answers() -> None:
    html = MalformedResponseError("html", http_status=502)
    assert _state().decide(html).action == DONE
    assert _state(idempotent=True).decide(html).action == RETRY
    assert _state().decide(MalformedResponseError("busy", http_status=503)).action == RETRY
    assert _state().decide(MalformedResponseError("slow down", http_status=429)).action == RETRY


def test_disabled_and_bounds() -> None:
    assert _state(enabled=False).decide(_r(500001)).action == DONE
    state = RetryState(RetryPolicy(10, backoff=1.0, jitter=0.0, max_elapsed=2.5), idempotent=False)
    assert state.decide(_r(500001), elapsed=0.0).action == RETRY  # 1 s
    assert state.decide(_r(500001), elapsed=1.0).action == DONE  # 1 + 2 > 2.5
    none = RetryState(RetryPolicy(0), idempotent=True)
    assert none.decide(_r(500001)).action == DONE
    assert none.retries == 0
