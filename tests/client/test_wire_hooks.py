"""Event hooks: one AttemptEvent per attempt (method, attempt number, latency,
error code, call id, the retry decision), never a secret or a signature; a
hook that raises is logged and the call goes on."""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any, Callable, Dict, List, Tuple

import pytest

from gigya_fast.errors import ConfigurationError, ConnectionFailedError
from gigya_fast.rest import AttemptEvent, RetryPolicy


def _uid(cdc: Any) -> str:
    return str(cdc.accounts[0]["UID"])


def test_one_event_per_attempt(make_client: Callable[..., Any], cdc: Any, fast_retries: RetryPolicy) -> None:
    events: List[AttemptEvent] = []
    client = make_client(cdc.api_key, user_key=cdc.user_key, secret=cdc.user_secret, base_url=cdc.url,
                         retries=fast_retries, event_hooks={"attempt": [events.append]})
    cdc.faults.add("accounts.getAccountInfo", error_code=500001)
    response = client.call("accounts.getAccountInfo", UID=_uid(cdc))
    first, second = events
    served = cdc.requests
    assert (first.method, first.attempt, first.error_code, first.action) == (
        "accounts.getAccountInfo", 1, 500001, "retry")
    assert first.call_id == served[0].call_id and first.http_status == 200 and first.error is None
    assert 0 < first.delay <= 0.02 and "500001" in first.reason
    assert (second.attempt, second.error_code, second.action, second.delay) == (2, 0, "done", 0.0)
    assert second.call_id == served[1].call_id == response.call_id
    assert all(e.host == "127.0.0.1:%d" % cdc.port and e.latency > 0 for e in events)
    assert second.elapsed >= first.elapsed + first.delay


def test_events_for_failures_without_an_answer(make_client: Callable[..., Any], cdc: Any,
                                               fast_retries: RetryPolicy) -> None:
    events: List[AttemptEvent] = []
    client = make_client(cdc.api_key, secret=cdc.partner_secret, base_url=cdc.url, retries=fast_retries,
                         event_hooks={"attempt": [events.append]})
    cdc.faults.add("accounts.setAccountInfo", drop=True)
    with pytest.raises(ConnectionFailedError):
        client.call("accounts.setAccountInfo", UID=_uid(cdc), data={"x": 1})
    [event] = events  # a write that may have arrived is not resent
    assert (event.error, event.error_code, event.http_status, event.action) == (
        "ConnectionFailedError", 500000, None, "done")


def test_clock_and_route_decisions_are_reported(make_client: Callable[..., Any], cdc: Any,
                                                fast_retries: RetryPolicy) -> None:
    events: List[AttemptEvent] = []
    client = make_client(cdc.api_key, secret=cdc.partner_secret, base_url=cdc.url, retries=fast_retries,
                         event_hooks={"attempt": [events.append]})
    cdc.clock_offset = 600.0
    assert client.call("accounts.getAccountInfo", UID=_uid(cdc)).ok
    assert [(e.error_code, e.action) for e in events] == [(403002, "fix_clock"), (0, "done")]


def test_a_raising_hook_is_logged_and_the_call_goes_on(
    make_client: Callable[..., Any], cdc: Any, caplog: pytest.LogCaptureFixture
) -> None:
    seen: List[int] = []

    def broken(event: AttemptEvent) -> None:
        raise RuntimeError("metrics backend down")

    client = make_client(cdc.api_key, secret=cdc.partner_secret, base_url=cdc.url,
                         event_hooks={"attempt": [broken, lambda e: seen.append(e.attempt)]})
    with caplog.at_level(logging.WARNING, logger="gigya_fast"):
        assert client.call("accounts.getAccountInfo", UID=_uid(cdc)).ok
    assert seen == [1]
    [record] = [r for r in caplog.records if "event hook" in r.getMessage()]
    assert "broken" in record.getMessage() and record.exc_info is not None


def test_events_hold_no_secret(make_client: Callable[..., Any], cdc: Any, fast_retries: RetryPolicy) -> None:
    events: List[AttemptEvent] = []
    client = make_client(cdc.api_key, user_key=cdc.user_key, secret=cdc.user_secret, base_url=cdc.url,
                         retries=fast_retries, event_hooks={"attempt": [events.append]})
    cdc.faults.add("accounts.getAccountInfo", error_code=500001, times=2)
    client.call("accounts.getAccountInfo", UID=_uid(cdc))
    text = repr(events)
    assert len(events) == 3
    for request in cdc.requests:
        for value in (request.params["sig"], request.params["nonce"], cdc.user_secret):
            assert value not in text


def test_prometheus_style_counter(make_client: Callable[..., Any], cdc: Any, fast_retries: RetryPolicy) -> None:
    # The README example: a plain dict counter, labelled as a Prometheus counter would be.
    calls: Dict[Tuple[str, str, str], int] = Counter()

    def count(event: AttemptEvent) -> None:
        calls[(event.method, str(event.error_code), event.action)] += 1

    client = make_client(cdc.api_key, secret=cdc.partner_secret, base_url=cdc.url, retries=fast_retries,
                         event_hooks={"attempt": [count]})
    cdc.faults.add("accounts.getAccountInfo", error_code=403048)
    client.call("accounts.getAccountInfo", UID=_uid(cdc))
    client.call("accounts.getAccountInfo", UID=_uid(cdc))
    assert calls == {("accounts.getAccountInfo", "403048", "retry"): 1, ("accounts.getAccountInfo", "0", "done"): 2}


@pytest.mark.parametrize(
    "hooks",
    [{"request": [print]}, {"attempt": [42]}, [print]],
)
def test_bad_hooks_are_refused(make_client: Callable[..., Any], hooks: Any) -> None:
    with pytest.raises(ConfigurationError):
        make_client("3_k", base_url="http://127.0.0.1:9", event_hooks=hooks)


def test_the_sync_client_refuses_coroutine_hooks() -> None:
    from gigya_fast.rest import Client

    async def hook(event: AttemptEvent) -> None:
        return None

    with pytest.raises(ConfigurationError, match="AsyncClient"):
        Client("3_k", base_url="http://127.0.0.1:9", event_hooks={"attempt": [hook]})
