"""When to try a call again, without I/O.

:class:`RetryPolicy` holds the limits (attempts, backoff with jitter, total
time); :class:`RetryState` follows one call and turns each outcome into a
:class:`Decision`: stop, retry after a delay, fix the clock (403002) and
retry, or re-route (301001) and retry.
"""

from __future__ import annotations

import math
import random
import re
import time
from typing import Callable, FrozenSet, NamedTuple, Optional, Union

from ..errors import ConfigurationError, ConnectionFailedError, GigyaError, MalformedResponseError, RequestTimeoutError
from .clock import parse_http_date
from .response import Response
from .routing import is_valid_api_domain

__all__ = [
    "RetryPolicy",
    "RetryState",
    "Decision",
    "DONE",
    "RETRY",
    "FIX_CLOCK",
    "REROUTE",
    "REAUTH",
    "RETRYABLE_CODES",
    "IDEMPOTENT_RETRY_CODES",
    "is_read_method",
    "parse_retry_after",
]

#: Codes retried with backoff for every method: the server did not do the work.
RETRYABLE_CODES: FrozenSet[int] = frozenset({403004, 403048, 409030, 500001, 500026, 500028, 504001})
#: Codes retried only for read methods (or when writes may be retried): the work may have been done.
IDEMPOTENT_RETRY_CODES: FrozenSet[int] = frozenset({504002})
#: HTTP statuses of non-CDC answers that mean "not processed, try later".
_RETRY_HTTP_STATUSES = frozenset({429, 503})

DONE = "done"
RETRY = "retry"
FIX_CLOCK = "fix_clock"
REROUTE = "reroute"
REAUTH = "reauth"
#: An access token the server no longer accepts (revoked, expired early).
_TOKEN_REFUSED = 403005

_READ_METHOD = re.compile(r"(?:get|search|is[A-Z])")
_MAX_REROUTES = 2


def is_read_method(method: str) -> bool:
    """True for methods that only read (``get*``, ``search``, ``is*``...): safe to resend after a timeout."""
    name = method.rsplit(".", 1)[-1]
    return _READ_METHOD.match(name) is not None


def parse_retry_after(value: Optional[str], now: Optional[float] = None) -> Optional[float]:
    """Seconds a ``Retry-After`` header asks to wait (delta-seconds or an HTTP date), or None.

    None for a missing or unreadable value; a date in the past gives 0.
    *now* (Unix seconds) replaces the clock for dates.
    """
    if value is None:
        return None
    text = value.strip()
    if text.isascii() and text.isdigit():
        return float(int(text))
    when = parse_http_date(text)
    if when is None:
        return None
    wait = when - (time.time() if now is None else now)
    return max(0.0, wait) if math.isfinite(wait) else None


class RetryPolicy:
    """Limits for retries: at most *max_retries* retries, exponential backoff
    (``backoff * multiplier**n``, capped at *backoff_max*) with *jitter*
    (0 = none, 1 = full: the delay is drawn from ``[(1-jitter)*d, d]``), and
    no retry that would end after *max_elapsed* seconds from the first attempt."""

    __slots__ = ("max_retries", "backoff", "multiplier", "backoff_max", "jitter", "max_elapsed", "retry_codes",
                 "idempotent_codes")

    def __init__(
        self,
        max_retries: int = 3,
        *,
        backoff: float = 0.25,
        multiplier: float = 2.0,
        backoff_max: float = 8.0,
        jitter: float = 0.5,
        max_elapsed: float = 60.0,
        retry_codes: FrozenSet[int] = RETRYABLE_CODES,
        idempotent_codes: FrozenSet[int] = IDEMPOTENT_RETRY_CODES,
    ) -> None:
        if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
            raise ValueError("max_retries must be an int >= 0")
        if backoff < 0 or multiplier < 1 or backoff_max < 0 or max_elapsed < 0 or not 0 <= jitter <= 1:
            raise ValueError("backoff/backoff_max/max_elapsed must be >= 0, multiplier >= 1, 0 <= jitter <= 1")
        self.max_retries = max_retries
        self.backoff = float(backoff)
        self.multiplier = float(multiplier)
        self.backoff_max = float(backoff_max)
        self.jitter = float(jitter)
        self.max_elapsed = float(max_elapsed)
        self.retry_codes = frozenset(retry_codes)
        self.idempotent_codes = frozenset(idempotent_codes)

    @classmethod
    def coerce(cls, value: Union[int, RetryPolicy, None]) -> RetryPolicy:
        """A policy from an int (number of retries), a policy, or None (no retries).

        Anything else is a ``ConfigurationError`` (a ``ValueError``) saying how
        retries are configured here, also for a ``urllib3.Retry``.
        """
        if isinstance(value, RetryPolicy):
            return value
        if value is None:
            return cls(0)
        if type(value).__name__ == "Retry" and type(value).__module__.startswith("urllib3"):
            raise ConfigurationError(
                "retries takes a count or a gigya_fast.rest.RetryPolicy, not a urllib3 Retry: CDC reports most "
                "failures inside HTTP 200 answers (errorCode), which urllib3 never sees, and every resend must be "
                "signed anew (fresh nonce and timestamp), which urllib3 cannot do; e.g. "
                "retries=RetryPolicy(3, backoff=0.5)"
            )
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ConfigurationError(
                "retries must be an int >= 0 (the number of retries) or a RetryPolicy, not %r" % (value,)
            )
        return cls(value)

    def delay(self, retry_number: int, rand: Callable[[], float] = random.random) -> float:
        """Seconds to wait before retry number *retry_number* (1-based)."""
        ceiling = min(self.backoff_max, self.backoff * self.multiplier ** max(0, retry_number - 1))
        return ceiling * (1.0 - self.jitter * rand())

    def __repr__(self) -> str:
        return "RetryPolicy(max_retries=%d, backoff=%g, multiplier=%g, backoff_max=%g, jitter=%g, max_elapsed=%g)" % (
            self.max_retries, self.backoff, self.multiplier, self.backoff_max, self.jitter, self.max_elapsed)


class Decision(NamedTuple):
    """What to do after an attempt."""

    action: str
    delay: float = 0.0
    reason: str = ""
    api_domain: Optional[str] = None


_STOP = Decision(DONE)
Outcome = Union[Response, GigyaError]


class RetryState:
    """Follows one call across attempts. *idempotent*: the method may be resent
    after the server may have acted (timeouts, 504002). *enabled*: backoff
    retries allowed at all (clock fixes, re-routes and token renewals always
    are). *can_reauth*: a refused cached token (403005) may be renewed once."""

    __slots__ = ("policy", "idempotent", "enabled", "can_reroute", "can_reauth", "retries", "clock_fixed", "reroutes",
                 "reauthed", "_rand")

    def __init__(
        self,
        policy: RetryPolicy,
        *,
        idempotent: bool,
        enabled: bool = True,
        can_reroute: bool = True,
        can_reauth: bool = False,
        rand: Callable[[], float] = random.random,
    ) -> None:
        self.policy = policy
        self.can_reauth = can_reauth
        self.reauthed = False
        self.idempotent = idempotent
        self.enabled = enabled
        self.can_reroute = can_reroute
        self.retries = 0
        self.clock_fixed = False
        self.reroutes = 0
        self._rand = rand

    def _backoff(self, reason: str, elapsed: float, retry_after: Optional[float] = None) -> Decision:
        if not self.enabled or self.retries >= self.policy.max_retries:
            return _STOP
        delay = self.policy.delay(self.retries + 1, self._rand)
        if retry_after is not None and retry_after > delay:
            # the server said when: never sooner; later than max_elapsed allows means give up now
            delay, reason = retry_after, "%s, Retry-After %gs" % (reason, retry_after)
        if elapsed + delay > self.policy.max_elapsed:
            return _STOP
        self.retries += 1
        return Decision(RETRY, delay, reason)

    def decide(
        self,
        outcome: Outcome,
        *,
        elapsed: float = 0.0,
        sent: bool = True,
        permanent: bool = False,
        has_date: bool = True,
        current_domain: Optional[str] = None,
        retry_after: Optional[float] = None,
    ) -> Decision:
        """The next step after *outcome* (a Response or an error).

        *sent*: the request may have reached the server (False for failures to
        connect). *permanent*: the failure cannot heal by itself (TLS errors).
        *has_date*: a 403002 answer carried a usable ``Date`` header.
        *retry_after*: seconds from the answer's ``Retry-After`` header: a
        backoff retry then waits at least that long.
        """
        if isinstance(outcome, Response):
            code = outcome.error_code
            if code == 0:
                return _STOP
            if code == 403002:
                if self.clock_fixed or not has_date:
                    return _STOP
                self.clock_fixed = True
                return Decision(FIX_CLOCK, 0.0, "request expired: clock offset corrected")
            if code == 301001:
                domain = outcome.get("apiDomain")
                if (
                    not self.can_reroute
                    or self.reroutes >= _MAX_REROUTES
                    or not isinstance(domain, str)
                    or not is_valid_api_domain(domain.strip().lower())
                    or domain.strip().lower() == (current_domain or "").lower()
                ):
                    return _STOP
                self.reroutes += 1
                return Decision(REROUTE, 0.0, "data center is %s" % domain, domain)
            if code == _TOKEN_REFUSED and self.can_reauth and not self.reauthed:
                self.reauthed = True
                return Decision(REAUTH, 0.0, "access token refused: fetching a new one")
            if code in self.policy.retry_codes:
                return self._backoff("errorCode %d" % code, elapsed, retry_after)
            if code in self.policy.idempotent_codes and self.idempotent:
                return self._backoff("errorCode %d" % code, elapsed, retry_after)
            return _STOP
        if permanent:
            return _STOP
        if isinstance(outcome, (ConnectionFailedError, RequestTimeoutError)):
            if not sent:
                return self._backoff("not sent: %s" % type(outcome).__name__, elapsed)
            if self.idempotent:
                return self._backoff(type(outcome).__name__, elapsed)
            return _STOP
        if isinstance(outcome, MalformedResponseError):
            if outcome.http_status in _RETRY_HTTP_STATUSES:
                return self._backoff("HTTP %s" % outcome.http_status, elapsed, retry_after)
            if self.idempotent:
                return self._backoff("malformed response", elapsed, retry_after)
        return _STOP
