"""aiohttp's per-socket read timeout (``sock_read``), kept with one lazy timer per connection.

aiohttp enforces ``sock_read`` by cancelling and re-arming a loop timer when
a request is sent and again every time bytes arrive: two Python
``TimerHandle`` objects per small request, each pushed into the loop's heap
(with Python-level comparisons) and its cancelled remains cleaned out later.
For a small CDC call that cost about as much client CPU as signing it.

The connections of the client's own session run :class:`LazyReadTimer`
instead of aiohttp's handler: arriving bytes only note the time, and the
connection's single timer is re-armed only when it comes due, then either
finds the connection idle past the limit (and fails the read exactly as
aiohttp would) or waits again until the pushed-back limit. The events that
start, push back and stop the clock stay aiohttp's own, so the rule is the
same: no bytes for ``sock_read`` seconds while an answer is awaited.

This overrides private methods of aiohttp's ``ResponseHandler``
(``_reschedule_timeout``, ``_drop_timeout``) and sets the connector's
protocol factory. With an aiohttp that lacks them, :func:`use_lazy_read_timer`
leaves the connector as it is and aiohttp keeps its own timers; a caller's
session always does. Either way the whole attempt stays bounded by
:mod:`.deadline`.
"""

from __future__ import annotations

import functools

import aiohttp
from aiohttp.client_proto import ResponseHandler

__all__ = ["LazyReadTimer", "use_lazy_read_timer", "AVAILABLE"]

_EARLY = 0.001  # a timer may run up to the loop's clock resolution early

#: Whether this aiohttp has the hooks the lazy timer replaces.
AVAILABLE = all(
    callable(getattr(ResponseHandler, name, None))
    for name in ("_reschedule_timeout", "_drop_timeout", "_on_read_timeout")
)


class LazyReadTimer(ResponseHandler):
    """aiohttp's response protocol with ``sock_read`` kept by a timer re-armed only when due."""

    _gf_waiting = False  # an answer is awaited and the read clock runs
    _gf_since = 0.0  # loop time the clock last (re)started: request sent, or bytes arrived
    _gf_at = 0.0  # loop time the armed timer comes due

    def _reschedule_timeout(self) -> None:
        timeout = self._read_timeout
        if not timeout:
            self._gf_waiting = False
            return
        loop = self._loop
        self._gf_since = now = loop.time()
        self._gf_waiting = True
        handle = self._read_timeout_handle
        if handle is None:
            self._gf_arm(now + timeout)
        elif self._gf_at > now + timeout:  # armed for a longer timeout than this request's
            handle.cancel()
            self._gf_arm(now + timeout)

    def _drop_timeout(self) -> None:
        self._gf_waiting = False
        handle = self._read_timeout_handle
        if handle is not None and self.transport is None:  # closed: let the protocol go now
            handle.cancel()
            self._read_timeout_handle = None

    def _gf_arm(self, when: float) -> None:
        self._gf_at = when
        self._read_timeout_handle = self._loop.call_at(when, self._gf_due)

    def _gf_due(self) -> None:
        self._read_timeout_handle = None
        timeout = self._read_timeout
        if not self._gf_waiting or not timeout:
            return
        when = self._gf_since + timeout
        if self._loop.time() + _EARLY >= when:
            self._gf_waiting = False
            self._on_read_timeout()
        else:
            self._gf_arm(when)


def use_lazy_read_timer(connector: aiohttp.BaseConnector) -> bool:
    """Make *connector*'s new connections use :class:`LazyReadTimer`; False (nothing changed)
    when this aiohttp does not build its protocols the way this module expects."""
    factory = getattr(connector, "_factory", None)
    if not AVAILABLE or not isinstance(factory, functools.partial) or factory.func is not ResponseHandler:
        return False
    connector._factory = functools.partial(LazyReadTimer, *factory.args, **factory.keywords)  # type: ignore[assignment]
    return True
