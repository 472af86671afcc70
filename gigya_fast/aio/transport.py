"""The asyncio HTTP transport: an aiohttp session, the client's own or the caller's.

The same contract as the blocking :mod:`gigya_fast.rest.transport`: POST
bytes, return a :class:`~gigya_fast.rest.sending.RawResponse`, map every
aiohttp failure to a gigya_fast error noting whether the request may have
reached the server. No redirects, no cookies kept, TLS always verified with
the client's context; bodies decoded under ``max_response_bytes`` by the
shared :class:`~gigya_fast.rest.body.BodyCollector`; each attempt bounded by
the whole timeout (connect + read, or ``Timeout.total``), kept by
:mod:`.deadline` rather than aiohttp's ``total``, and each socket wait by
aiohttp's ``sock_connect``/``sock_read`` (on the client's own connections
with the cheaper timer of :mod:`.readtimer`).
"""

from __future__ import annotations

import asyncio
import inspect
import ssl
from typing import Any, Dict, Mapping, NamedTuple, Optional

import aiohttp
import urllib3
from multidict import CIMultiDict

from ..errors import ConfigurationError
from ..rest.body import BodyCollector, BodyError, BodyTooLarge
from ..rest.environment import ProxyRoutes, split_proxy_credentials
from ..rest.sending import RawResponse, body_read_failed, connection_failed, timed_out
from ..rest.transport import total_seconds
from .deadline import Deadlines
from .readtimer import use_lazy_read_timer

__all__ = ["AiohttpTransport", "AttemptTimeout", "attempt_timeout"]

# aiohttp 3.9+ lets a request turn decompression off whatever the session says.
_PER_REQUEST_DECOMPRESS = "auto_decompress" in inspect.signature(aiohttp.ClientSession._request).parameters
# aiohttp 3.10+ tells a connect timeout (nothing sent) from a read timeout.
_CONNECT_TIMEOUT = getattr(aiohttp, "ConnectionTimeoutError", None)


class AttemptTimeout(NamedTuple):
    """How long one attempt may take: aiohttp's per-socket waits, and the whole attempt's seconds."""

    sockets: aiohttp.ClientTimeout
    total: Optional[float]


def attempt_timeout(timeout: urllib3.Timeout) -> AttemptTimeout:
    """The async form of a client timeout: per socket connect/read, and *total* for the whole attempt."""
    connect = timeout.connect_timeout
    read = None if isinstance(timeout.total, (int, float)) else timeout.read_timeout
    sockets = aiohttp.ClientTimeout(
        total=None,
        sock_connect=float(connect) if isinstance(connect, (int, float)) else None,
        sock_read=float(read) if isinstance(read, (int, float)) else None,
    )
    return AttemptTimeout(sockets, total_seconds(timeout))


def _reason(exc: BaseException) -> BaseException:
    """The cause worth naming inside an aiohttp error (its OS or TLS error)."""
    for name in ("certificate_error", "os_error"):
        inner = getattr(exc, name, None)
        if isinstance(inner, BaseException):
            return inner
    return exc


class AiohttpTransport:
    """POSTs prepared bodies over one aiohttp session; use from one event loop."""

    def __init__(
        self,
        session: Optional[aiohttp.ClientSession],
        *,
        ssl_context: ssl.SSLContext,
        routes: ProxyRoutes,
        proxy_headers: Mapping[str, str],
        timeout: urllib3.Timeout,
        max_response_bytes: int,
        pool_maxsize: int,
    ) -> None:
        self.owns_session = session is None
        self._session = session
        self._ssl = ssl_context
        self._routes = routes
        self._proxy_headers = dict(proxy_headers)
        self.timeout = attempt_timeout(timeout)
        self.max_response_bytes = max_response_bytes
        self._pool_maxsize = pool_maxsize
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._deadlines: Optional[Deadlines] = None
        # The client's own session is built with these settings; a caller's gets them per request.
        self._options: Dict[str, Any] = {"allow_redirects": False}
        if session is not None:
            self._options.update(ssl=ssl_context, timeout=self.timeout.sockets)
        if _PER_REQUEST_DECOMPRESS:
            self._options["auto_decompress"] = False
        self._proxy_options: Dict[str, Dict[str, Any]] = {}
        # The request builder hands every attempt the same headers mapping (unless auth adds a header):
        # converted once, aiohttp takes it without building its own CIMultiDict per request.
        self._headers_in: Optional[Mapping[str, str]] = None
        self._headers_out: CIMultiDict[str] = CIMultiDict()
        self._decoded_by_session = False
        self._proxied = routes.explicit is not None or routes.uses_environment

    @property
    def session(self) -> Optional[aiohttp.ClientSession]:
        """The session in use (None until the first call when the client makes its own)."""
        return self._session

    def _session_here(self) -> aiohttp.ClientSession:
        """The session, made on first use inside the running loop; refuses a second loop."""
        loop = asyncio.get_running_loop()
        if loop is self._loop and self._session is not None:
            return self._session
        if self._loop is None:
            self._loop = loop
            self._deadlines = Deadlines(loop)
        elif loop is not self._loop:
            raise ConfigurationError("an AsyncClient is bound to the event loop it first ran in")
        session = self._session
        if session is None:
            connector = aiohttp.TCPConnector(limit=self._pool_maxsize, ssl=self._ssl, enable_cleanup_closed=False)
            use_lazy_read_timer(connector)
            session = self._session = aiohttp.ClientSession(
                connector=connector,
                auto_decompress=False,
                cookie_jar=aiohttp.DummyCookieJar(),
                trust_env=False,
                timeout=self.timeout.sockets,
            )
        elif not _PER_REQUEST_DECOMPRESS:
            self._decoded_by_session = bool(getattr(session, "_auto_decompress", True))
        return session

    def _options_for(self, url: str) -> Dict[str, Any]:
        """The request options for *url*: the common ones, plus its proxy when one applies."""
        proxy = self._routes.proxy_for(url)
        if proxy is None:
            return self._options
        options = self._proxy_options.get(proxy)
        if options is None:
            plain, headers = split_proxy_credentials(proxy, self._proxy_headers)
            options = self._proxy_options[proxy] = dict(self._options, proxy=plain, proxy_headers=headers or None)
        return options

    async def post(
        self,
        url: str,
        body: bytes,
        headers: Mapping[str, str],
        timeout: Optional[AttemptTimeout] = None,
        *,
        method: str = "",
    ) -> RawResponse:
        """Send one POST; raise :class:`SendError` or ``MalformedResponseError``."""
        session = self._session
        if session is None or asyncio.get_running_loop() is not self._loop:
            session = self._session_here()
        options = self._options_for(url) if self._proxied else self._options
        if timeout is None:
            total = self.timeout.total
        else:
            options = dict(options, timeout=timeout.sockets)
            total = timeout.total
        deadlines = self._deadlines
        assert deadlines is not None
        task = None if total is None else deadlines.start(total)
        if headers is not self._headers_in:
            self._headers_in, self._headers_out = headers, CIMultiDict(headers)
        try:
            try:
                response = await session.post(url, data=body, headers=self._headers_out, **options)
            except aiohttp.ClientSSLError as exc:  # also certificate errors
                raise connection_failed(url, _reason(exc), sent=False, permanent=True) from None
            except (aiohttp.ClientConnectorError, aiohttp.ClientHttpProxyError) as exc:
                raise connection_failed(url, _reason(exc), sent=False) from None
            except asyncio.TimeoutError as exc:
                sent = _CONNECT_TIMEOUT is None or not isinstance(exc, _CONNECT_TIMEOUT)
                raise timed_out(url, exc, sent=sent) from None
            except aiohttp.ClientResponseError as exc:  # not HTTP at all
                raise connection_failed(url, ValueError(exc.message or "invalid HTTP answer"), sent=True) from None
            except (aiohttp.ClientError, OSError) as exc:
                raise connection_failed(url, _reason(exc), sent=True) from None
            try:
                data = self._whole_body(response)
                if data is None:
                    data = await self._read_body(response)
            except BaseException as exc:
                response.close()  # a half-read connection never goes back to the pool (also when cancelled)
                if isinstance(exc, asyncio.TimeoutError):
                    raise timed_out(url, exc, sent=True) from None
                if isinstance(exc, (BodyError, aiohttp.ClientPayloadError, aiohttp.ClientConnectionError, OSError)):
                    raise body_read_failed(method, response.status, exc) from None
                raise
        except asyncio.CancelledError:
            if task is not None and deadlines.timed_out(task):
                raise timed_out(url, asyncio.TimeoutError("the attempt's deadline passed"), sent=True) from None
            raise
        finally:
            if task is not None:
                deadlines.end(task)
        response.release()
        return RawResponse(response.status, response.headers, data)

    def _whole_body(self, response: aiohttp.ClientResponse) -> Optional[bytes]:
        """The body if it is all here already and needs no decoding (a small answer usually
        comes whole with its headers), else None; refuses a size announced over the limit."""
        length = response.content_length
        if length is not None and length > self.max_response_bytes:
            raise BodyTooLarge(self.max_response_bytes)
        if length is None or self._decoded_by_session or response.headers.get("Content-Encoding"):
            return None
        content = response.content
        return content.read_nowait(-1) if content.is_eof() else None

    async def _read_body(self, response: aiohttp.ClientResponse) -> bytes:
        """The whole body, decoded, within ``max_response_bytes``."""
        limit = self.max_response_bytes
        encoding = None if self._decoded_by_session else response.headers.get("Content-Encoding")
        if not encoding and response.content_length is not None and not self._decoded_by_session:
            return await response.read()  # identity with a checked Content-Length
        collector = BodyCollector(encoding, limit)
        content = response.content
        while True:
            chunk = await content.readany()
            if not chunk:
                return collector.finish()
            collector.feed(chunk)

    async def close(self) -> None:
        """Stop the deadline timer; close the session when it is ours (a caller's session is left open)."""
        if self._deadlines is not None:
            self._deadlines.close()
        if self.owns_session and self._session is not None:
            session, self._session = self._session, None
            await session.close()
