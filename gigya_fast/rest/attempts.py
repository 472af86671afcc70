"""The attempt loop of one CDC call, written once and free of I/O.

:meth:`AttemptLoop.run` is a generator that a driver runs: it yields what it
needs done and is resumed with the result. The sync :class:`~gigya_fast.rest.Client`
and the async ``gigya_fast.aio.AsyncClient`` are thin drivers over it, so
signing, reading answers and every retry decision (back off, fix the clock,
re-route, renew a token) exist in one place.

Steps yielded, and what the driver sends back:

- a :class:`~gigya_fast.rest.prepare.PreparedRequest`: POST it; send the
  :class:`~gigya_fast.rest.transport.RawResponse`, or ``throw()`` the
  ``SendError``/``MalformedResponseError`` it failed with;
- :data:`AUTHORIZE`: make the auth strategy ready (fetch an OAuth2 token);
  send None, or throw the error the fetch failed with;
- a :class:`Backoff`: sleep that many seconds, then send None;
- an :class:`AttemptEvent` (only when event hooks are set): call the hooks,
  then send None.

The generator returns the :class:`Response` or raises the call's error.
"""

from __future__ import annotations

import logging
import time
from typing import Any, Generator, NamedTuple, Optional, Union

from ..errors import GigyaError, MalformedResponseError
from .auth import Auth
from .clock import Clock
from .envelope import read_response
from .prepare import PreparedRequest, RequestBuilder
from .response import Response
from .retry import (
    DONE,
    FIX_CLOCK,
    REAUTH,
    REROUTE,
    Decision,
    RetryPolicy,
    RetryState,
    is_read_method,
    parse_retry_after,
)
from .routing import Router
from .sending import RawResponse, SendError

__all__ = ["AttemptLoop", "AttemptEvent", "Backoff", "AUTHORIZE", "Step", "RetryOption"]

logger = logging.getLogger(__name__)

Outcome = Union[Response, GigyaError]
RetryOption = Union[bool, RetryPolicy, None]


class Backoff(NamedTuple):
    """Wait *delay* seconds before the next attempt."""

    delay: float


class _Authorize:
    """Make the auth strategy ready for the next attempt (the only auth I/O: OAuth2 tokens)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "AUTHORIZE"


AUTHORIZE = _Authorize()


class AttemptEvent(NamedTuple):
    """What an event hook receives after each attempt. Holds no secret and no signature.

    *method*: the CDC method; *attempt*: 1 for the first try; *host*: where it
    went; *latency*: seconds this attempt took; *elapsed*: seconds since the
    call started; *error_code*: ``errorCode`` of the answer (0 on success), the
    client-side code of a transport failure (504002 timeout, 500000 connection),
    or None for an answer that was not a CDC envelope; *http_status*: the HTTP
    status, when an answer came; *call_id*: CDC's ``callId``, when known;
    *error*: the error class name for a failure without a CDC answer
    (``"RequestTimeoutError"``...), else None; *action*: what the client does
    next: ``"done"``, ``"retry"``, ``"fix_clock"``, ``"reroute"`` or
    ``"reauth"``; *delay*: seconds it waits first; *reason*: why, in words.
    """

    method: str
    attempt: int
    host: str
    latency: float
    elapsed: float
    error_code: Optional[int]
    http_status: Optional[int]
    call_id: Optional[str]
    error: Optional[str]
    action: str
    delay: float
    reason: str


Step = Union[PreparedRequest, _Authorize, Backoff, AttemptEvent]
_DONE = Decision(DONE)


class AttemptLoop:
    """One client's call logic: prepares and signs attempts, reads answers, decides what comes next.

    Holds the client's routing, auth, clock and retry settings; shared by every
    call of that client (and thread-safe, as those pieces are).
    """

    __slots__ = ("auth", "router", "clock", "builder", "policy", "retry_writes", "events")

    def __init__(
        self,
        auth: Auth,
        router: Router,
        clock: Clock,
        builder: RequestBuilder,
        policy: RetryPolicy,
        *,
        retry_writes: bool = False,
        events: bool = False,
    ) -> None:
        self.auth = auth
        self.router = router
        self.clock = clock
        self.builder = builder
        self.policy = policy
        self.retry_writes = retry_writes
        self.events = events

    def retry_state(self, method: str, retry: RetryOption) -> RetryState:
        """A fresh :class:`RetryState` for one call of *method* with the caller's *retry* option."""
        policy = retry if isinstance(retry, RetryPolicy) else self.policy
        idempotent = retry is True or self.retry_writes or is_read_method(method)
        return RetryState(
            policy,
            idempotent=idempotent,
            enabled=retry is not False,
            can_reroute=self.router.can_reroute,
            can_reauth=self.auth.mode == "oauth2",
        )

    def run(
        self, method: str, params: Any, retry: RetryOption, raise_on_error: bool
    ) -> Generator[Step, Any, Response]:
        """The attempts of one call (see the module docstring for the protocol)."""
        auth = self.auth
        prepare = self.builder.prepare
        started = time.monotonic()
        state: Optional[RetryState] = None
        attempt = 0
        debug = logger.isEnabledFor(logging.DEBUG)
        timed = debug or self.events  # attempt latency is only reported to logs and hooks
        begin = 0.0
        while True:
            attempt += 1
            sent, permanent = True, False
            raw: Optional[RawResponse] = None
            if timed:
                begin = time.perf_counter()
            outcome: Outcome
            try:
                if auth.token_due():
                    if attempt == 1:
                        self.router.url_for(method)  # validates the name before the token fetch
                    yield AUTHORIZE
                raw = yield prepare(method, params)
                outcome = read_response(method, raw.status, raw.headers, raw.body, attempts=attempt)
            except SendError as failure:
                outcome, sent, permanent = failure.error, failure.sent, failure.permanent
            except MalformedResponseError as exc:
                outcome = exc
            except GigyaError as exc:  # e.g. the OAuth2 token endpoint refused
                outcome, permanent = exc, True
            latency = time.perf_counter() - begin if timed else 0.0
            if isinstance(outcome, Response):
                outcome.elapsed = time.monotonic() - started
                if not timed and outcome.error_code == 0:  # the usual call: answered, nothing to report
                    return outcome
            if isinstance(outcome, Response) and outcome.error_code == 0:
                decision = _DONE
            else:
                if state is None:
                    state = self.retry_state(method, retry)
                header = None if raw is None else raw.headers.get("Retry-After")
                decision = state.decide(
                    outcome,
                    elapsed=time.monotonic() - started,
                    sent=sent,
                    permanent=permanent,
                    has_date=isinstance(outcome, Response) and bool(outcome.headers.get("Date")),
                    current_domain=self.router.api_domain,
                    retry_after=None if header is None else parse_retry_after(header),
                )
            if timed:
                event = self._event(method, attempt, outcome, latency, started, decision)
                if debug:
                    _log(event)
                if self.events:
                    yield event
            if decision.action == DONE:
                break
            self._apply(decision, outcome)
            if decision.delay > 0:
                yield Backoff(decision.delay)
        if isinstance(outcome, GigyaError):
            raise outcome
        if raise_on_error and outcome.error_code != 0:
            raise outcome.to_error()
        return outcome

    def _apply(self, decision: Decision, outcome: Outcome) -> None:
        """Carry out a clock fix, a re-route or a token renewal before the next attempt."""
        if decision.action == FIX_CLOCK and isinstance(outcome, Response):
            offset = self.clock.sync_from_date(outcome.headers.get("Date"))
            logger.info("server clock differs by %.0f s: signing with the corrected time", offset or 0.0)
        elif decision.action == REROUTE and decision.api_domain:
            if self.router.reroute(decision.api_domain):
                self.auth.invalidate()
                logger.info("API key lives in data center %s: re-routed", self.router.api_domain)
        elif decision.action == REAUTH:
            self.auth.invalidate()

    def _event(
        self, method: str, attempt: int, outcome: Outcome, latency: float, started: float, decision: Decision
    ) -> AttemptEvent:
        host = self.router.url_for(method).split("/", 3)[2]
        if isinstance(outcome, Response):
            code: Optional[int] = outcome.error_code
            status: Optional[int] = outcome.http_status
            error: Optional[str] = None
        else:
            code, status, error = outcome.error_code, outcome.http_status, type(outcome).__name__
        return AttemptEvent(
            method, attempt, host, latency, time.monotonic() - started, code, status, outcome.call_id, error,
            decision.action, decision.delay, decision.reason,
        )


def _log(event: AttemptEvent) -> None:
    suffix = "" if event.action == DONE else " -> %s in %.3fs (%s)" % (event.action, event.delay, event.reason)
    logger.debug(
        "%s host=%s attempt=%d errorCode=%s callId=%s latency=%.1fms%s",
        event.method, event.host, event.attempt, event.error_code, event.call_id, event.latency * 1000.0, suffix,
    )
