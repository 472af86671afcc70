"""Turning a CDC call into bytes on the wire, without I/O.

:class:`RequestBuilder` takes the method and the caller's parameters, adds
the SDK parameters, lets the auth strategy sign (or otherwise authorise) the
request over the exact URL that will be called, and returns a
:class:`PreparedRequest`. Time and nonces come from injectable sources.
"""

from __future__ import annotations

from collections.abc import Mapping as AnyMapping
from typing import Callable, Dict, Mapping, Optional

from .._version import __version__
from .auth import Auth
from .clock import Clock, new_nonce
from .routing import Router

__all__ = [
    "PreparedRequest",
    "RequestBuilder",
    "merge_params",
    "RESERVED_PARAMS",
    "SDK_NAME",
    "USER_AGENT",
    "TOKEN_HEADERS",
]

SDK_NAME = "gigya_fast_python_" + __version__
USER_AGENT = "gigya_fast/" + __version__
#: Parameters only the SDK sets: passing them is an error.
RESERVED_PARAMS = frozenset({"sig", "nonce", "timestamp", "secret", "userKey"})
_CONTENT_TYPE = "application/x-www-form-urlencoded"
#: Headers of an OAuth2 client-credentials token request.
TOKEN_HEADERS = {"Content-Type": _CONTENT_TYPE, "User-Agent": USER_AGENT}


class PreparedRequest:
    """One attempt, ready to send: ``POST url`` with *body* and *headers*.

    Its ``repr`` shows neither the body nor the headers (they hold the
    signature or a token).
    """

    __slots__ = ("method", "url", "body", "headers", "nonce", "timestamp")

    def __init__(
        self, method: str, url: str, body: bytes, headers: Mapping[str, str], nonce: str, timestamp: int
    ) -> None:
        self.method = method
        self.url = url
        self.body = body
        self.headers = headers
        self.nonce = nonce
        self.timestamp = timestamp

    @property
    def host(self) -> str:
        """The host (and port) the request goes to."""
        return self.url.split("/", 3)[2]

    def __repr__(self) -> str:
        return "<PreparedRequest %s POST %s (%d bytes)>" % (self.method, self.url, len(self.body))


def merge_params(params: Optional[Mapping[str, object]], extra: Mapping[str, object]) -> Dict[str, object]:
    """The caller's parameters as one dict; ``ValueError`` for SDK-reserved names."""
    if params is None:
        merged: Dict[str, object] = dict(extra)
    elif type(params) is dict or isinstance(params, AnyMapping):  # not typing.Mapping: its check runs Python code
        merged = dict(params)
        if extra:
            merged.update(extra)
    else:
        raise TypeError("params must be a mapping, not %s" % type(params).__name__)
    if not RESERVED_PARAMS.isdisjoint(merged):
        bad = sorted(RESERVED_PARAMS.intersection(merged))
        raise ValueError("parameters %s are set by the client, not by the caller" % ", ".join(bad))
    return merged


class RequestBuilder:
    """Prepares attempts for one client: routing + SDK parameters + auth; thread-safe."""

    __slots__ = ("api_key", "auth", "router", "clock", "nonces", "_headers")

    def __init__(
        self,
        api_key: Optional[str],
        auth: Auth,
        router: Router,
        *,
        clock: Optional[Clock] = None,
        nonces: Callable[[], str] = new_nonce,
        user_agent: str = USER_AGENT,
    ) -> None:
        self.api_key = api_key
        self.auth = auth
        self.router = router
        self.clock = clock if clock is not None else Clock()
        self.nonces = nonces
        self._headers = {
            "Content-Type": _CONTENT_TYPE,
            "User-Agent": user_agent,
            "Accept-Encoding": "gzip, deflate",
        }

    def prepare(self, method: str, params: Mapping[str, object]) -> PreparedRequest:
        """A new attempt of *method*: fresh timestamp and nonce, signed over the URL to call."""
        url = self.router.url_for(method)
        wire: Dict[str, object] = {}
        if self.api_key is not None:
            wire["apiKey"] = self.api_key
        wire.update(params)
        wire["format"] = "json"
        wire["httpStatusCodes"] = "false"
        wire["sdk"] = SDK_NAME
        now = self.clock.now()
        nonce = self.nonces()
        body, header = self.auth.apply(url, wire, now, nonce)
        if header is None:
            headers: Mapping[str, str] = self._headers
        else:
            headers = dict(self._headers)
            headers[header[0]] = header[1]
        return PreparedRequest(method, url, body, headers, nonce, int(now))
