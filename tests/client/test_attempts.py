"""The attempt loop without any I/O: driven by hand, step by step, as the sync
and async drivers drive it."""

from __future__ import annotations

import json
from typing import Any, List, Optional

import pytest

from gigya_fast.errors import RequestTimeoutError, ServerError
from gigya_fast.rest.attempts import AUTHORIZE, AttemptEvent, AttemptLoop, Backoff
from gigya_fast.rest.auth import NoAuth, OAuth2Auth
from gigya_fast.rest.clock import Clock
from gigya_fast.rest.prepare import PreparedRequest, RequestBuilder
from gigya_fast.rest.response import Response
from gigya_fast.rest.retry import RetryPolicy
from gigya_fast.rest.routing import Router
from gigya_fast.rest.sending import RawResponse, timed_out

from .helpers import new_secret

POLICY = RetryPolicy(3, backoff=0.5, jitter=0.0)


def _loop(auth: Any = None, *, events: bool = False) -> AttemptLoop:
    auth = auth or NoAuth()
    router = Router(base_url="https://cdc.example")
    clock = Clock(lambda: 1_700_000_000.0)
    return AttemptLoop(auth, router, clock, RequestBuilder("3_k", auth, router, clock=clock), POLICY, events=events)


def _answer(code: int, **extra: Any) -> RawResponse:
    body = json.dumps({"errorCode": code, "callId": "c%d" % code, **extra}).encode()
    return RawResponse(200, {"Date": "Tue, 14 Nov 2023 22:13:20 GMT"}, body)


def _drive(steps: Any, answers: List[Any]) -> List[Any]:
    """Feed *answers* (RawResponse, exception, or None for non-request steps); return the steps and the result."""
    seen: List[Any] = []
    feed: Optional[Any] = None
    try:
        step = next(steps)
        while True:
            seen.append(step)
            if isinstance(step, PreparedRequest):
                feed = answers.pop(0)
                step = steps.throw(feed) if isinstance(feed, BaseException) else steps.send(feed)
            else:
                step = steps.send(None)
    except StopIteration as stop:
        seen.append(stop.value)
    return seen


def test_success_is_one_request() -> None:
    steps = _drive(_loop().run("accounts.getAccountInfo", {"UID": "u"}, None, True), [_answer(0)])
    request, response = steps
    assert isinstance(request, PreparedRequest) and request.url == "https://cdc.example/accounts.getAccountInfo"
    assert isinstance(response, Response) and response.call_id == "c0" and response.attempts == 1


def test_backoff_then_a_new_request() -> None:
    steps = _drive(_loop().run("accounts.setAccountInfo", {}, None, True), [_answer(500001), _answer(0)])
    first, backoff, second, response = steps
    assert backoff == Backoff(0.5)
    assert first.nonce != second.nonce and response.attempts == 2


def test_events_only_when_asked() -> None:
    steps = _drive(_loop(events=True).run("accounts.search", {}, None, True), [_answer(500001), _answer(0)])
    kinds = [type(step).__name__ for step in steps]
    assert kinds == ["PreparedRequest", "AttemptEvent", "Backoff", "PreparedRequest", "AttemptEvent", "Response"]
    events = [s for s in steps if isinstance(s, AttemptEvent)]
    assert [(e.attempt, e.action) for e in events] == [(1, "retry"), (2, "done")]


def test_transport_failures_are_thrown_in() -> None:
    failure = timed_out("https://cdc.example/x", TimeoutError(), sent=True)
    with pytest.raises(RequestTimeoutError):
        _drive(_loop().run("accounts.setAccountInfo", {}, None, True), [failure])  # a write: not resent
    steps = _drive(_loop().run("accounts.getAccountInfo", {}, None, True), [failure, _answer(0)])
    assert isinstance(steps[-1], Response) and steps[-1].attempts == 2


def test_errors_raised_or_returned() -> None:
    with pytest.raises(ServerError):
        _drive(_loop().run("a.b", {}, False, True), [_answer(500001)])
    steps = _drive(_loop().run("a.b", {}, False, False), [_answer(500001)])
    assert steps[-1].error_code == 500001


def test_clock_fix_and_reroute_are_applied() -> None:
    loop = _loop()
    _drive(loop.run("a.b", {}, None, True), [_answer(403002), _answer(0)])
    assert loop.clock.offset != 0.0
    router = Router("us1.gigya.com")
    auth = NoAuth()
    rerouting = AttemptLoop(auth, router, Clock(), RequestBuilder("3_k", auth, router), POLICY)
    steps = _drive(rerouting.run("a.b", {}, None, True), [_answer(301001, apiDomain="eu1.gigya.com"), _answer(0)])
    assert [s.url for s in steps if isinstance(s, PreparedRequest)] == [
        "https://a.us1.gigya.com/a.b", "https://a.eu1.gigya.com/a.b"]


def test_oauth2_asks_for_a_token_first() -> None:
    auth = OAuth2Auth("client", new_secret())
    loop = _loop(auth)
    steps = loop.run("a.b", {}, None, True)
    assert next(steps) is AUTHORIZE
    auth.store_token(200, b'{"access_token": "tok", "expires_in": 600}', auth.monotonic())
    request = steps.send(None)
    assert isinstance(request, PreparedRequest) and request.headers["Authorization"] == "Bearer tok"
    assert not auth.token_due()
