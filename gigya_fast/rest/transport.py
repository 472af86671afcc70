"""The blocking HTTP transport: urllib3 pools for the client's life.

A thin layer: POST bytes, return ``(status, headers, body)``, and map every
urllib3 failure to a gigya_fast error, noting whether the request may have
reached the server. urllib3's own retries and redirects are off: resending
is decided by :mod:`gigya_fast.rest.retry` and every resend is signed anew.

Every answer is bounded: in time, by a deadline of the whole timeout
(connect + read, or ``Timeout.total``) across status line, headers and body
(:mod:`.deadline`); in size, by ``max_response_bytes`` counted after
decompression (:mod:`.body`).
"""

from __future__ import annotations

import ssl
import threading
import time
from typing import TYPE_CHECKING, Callable, Dict, Mapping, Optional, Tuple, Union

import urllib3
from urllib3.connectionpool import HTTPConnectionPool
from urllib3.exceptions import (
    ClosedPoolError,
    ConnectTimeoutError,
    DecodeError,
    EmptyPoolError,
    HTTPError,
    NewConnectionError,
    ProtocolError,
    ProxyError,
    ReadTimeoutError,
    SSLError,
)

from ..errors import ConfigurationError
from .body import DEFAULT_MAX_RESPONSE_BYTES, BodyCollector, BodyError, BodyTooLarge
from .deadline import DEADLINE_POOL_CLASSES, set_deadline
from .environment import ProxyRoutes, split_proxy_credentials
from .sending import (
    CONNECTION_FAILED_CODE,
    TIMEOUT_CODE,
    RawResponse,
    SendError,
    body_read_failed,
    connection_failed,
    timed_out,
)

if TYPE_CHECKING:
    from urllib3.response import BaseHTTPResponse

__all__ = [
    "RawResponse",
    "SendError",
    "TimeoutSpec",
    "to_timeout",
    "total_seconds",
    "build_pool_manager",
    "Urllib3Transport",
    "TIMEOUT_CODE",
    "CONNECTION_FAILED_CODE",
]

_URLLIB3_MAJOR = int(str(getattr(urllib3, "__version__", "2")).split(".", 1)[0])

TimeoutSpec = Union[float, int, Tuple[float, float], urllib3.Timeout]


def to_timeout(value: TimeoutSpec) -> urllib3.Timeout:
    """A ``urllib3.Timeout`` from seconds, ``(connect, read)`` or a Timeout."""
    if isinstance(value, urllib3.Timeout):
        return value
    if isinstance(value, tuple):
        if len(value) != 2:
            raise ConfigurationError("timeout must be seconds or a (connect, read) pair")
        return urllib3.Timeout(connect=float(value[0]), read=float(value[1]))
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise ConfigurationError("timeout must be a positive number of seconds or a (connect, read) pair")
    return urllib3.Timeout(connect=float(value), read=float(value))


def total_seconds(timeout: urllib3.Timeout) -> Optional[float]:
    """How long one attempt may take in all: ``total``, else connect + read; None when unbounded."""
    if isinstance(timeout.total, (int, float)):
        return float(timeout.total)
    connect, read = timeout.connect_timeout, timeout.read_timeout
    if isinstance(connect, (int, float)) and isinstance(read, (int, float)):
        return float(connect) + float(read)
    return None


def build_pool_manager(
    ssl_context: ssl.SSLContext,
    *,
    maxsize: int = 10,
    num_pools: int = 32,
    proxy_url: Optional[str] = None,
    proxy_headers: Optional[Mapping[str, str]] = None,
    block: bool = False,
) -> urllib3.PoolManager:
    """A PoolManager (or ProxyManager tunnelling HTTPS with CONNECT) verifying TLS with *ssl_context*.

    Its pools honour the per-attempt deadline of :mod:`.deadline`.
    """
    if _URLLIB3_MAJOR < 2:
        # urllib3 1.26 does not pass IP-address hosts to the context as server_hostname, which a
        # checking context refuses; it then matches the host name itself (assert_hostname stays on).
        ssl_context.check_hostname = False
    common = {
        "num_pools": num_pools,
        "maxsize": maxsize,
        "block": block,
        "retries": False,
        "ssl_context": ssl_context,
    }
    manager: urllib3.PoolManager
    if proxy_url is None:
        manager = urllib3.PoolManager(**common)  # type: ignore[arg-type]
    else:
        if not proxy_url.lower().startswith(("http://", "https://")):
            raise ConfigurationError("proxy_url must be an http:// or https:// URL")
        plain_url, headers = split_proxy_credentials(proxy_url, proxy_headers)
        try:
            manager = urllib3.ProxyManager(
                plain_url,
                proxy_headers=headers,
                proxy_ssl_context=ssl_context,
                **common,  # type: ignore[arg-type]
            )
        except (ValueError, HTTPError) as exc:
            raise ConfigurationError("invalid proxy_url: %s" % type(exc).__name__) from None
    manager.pool_classes_by_scheme = dict(DEADLINE_POOL_CLASSES)
    return manager


_Route = Tuple[Optional[HTTPConnectionPool], urllib3.PoolManager]
_CHUNK = 65536


class Urllib3Transport:
    """POSTs prepared bodies over urllib3 pools, one manager per proxy in use; thread-safe.

    *manager* carries every request when given (an injected manager, used as
    it is); otherwise *make_manager(proxy_url or None)* builds one manager per
    proxy that *routes* picks for a URL (the environment may name one per
    scheme and exempt hosts).
    """

    def __init__(
        self,
        manager: Optional[urllib3.PoolManager],
        timeout: urllib3.Timeout,
        *,
        make_manager: Optional[Callable[[Optional[str]], urllib3.PoolManager]] = None,
        routes: Optional[ProxyRoutes] = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        self.owns_manager = manager is None
        self._make = make_manager
        self._proxies = routes if routes is not None else ProxyRoutes(trust_env=False)
        self._managers: Dict[Optional[str], urllib3.PoolManager] = {}
        self._lock = threading.Lock()
        if manager is None:
            if make_manager is None:
                raise ValueError("a transport needs a manager or a way to make one")
            manager = self._manager_for(self._proxies.explicit)
        self.manager = manager
        self.timeout = timeout
        self.max_response_bytes = max_response_bytes
        self._total = total_seconds(timeout)
        # origin -> (pool, manager); pool None for plain-HTTP requests through a proxy, which
        # need the manager (absolute-form targets). Skips a URL parse per request.
        self._routes: Dict[str, _Route] = {}

    def _manager_for(self, proxy: Optional[str]) -> urllib3.PoolManager:
        manager = self._managers.get(proxy)
        if manager is None:
            assert self._make is not None
            with self._lock:
                manager = self._managers.get(proxy)
                if manager is None:
                    manager = self._managers[proxy] = self._make(proxy)
        return manager

    def _route(self, origin: str) -> _Route:
        if self.owns_manager:
            proxy = self._proxies.proxy_for(origin)
            manager = self._manager_for(proxy)
            proxied = proxy is not None
        else:
            manager = self.manager
            proxied = isinstance(manager, urllib3.ProxyManager)
        pool = None if proxied and origin.startswith("http:") else manager.connection_from_url(origin)
        route = (pool, manager)
        if len(self._routes) < 64:
            self._routes[origin] = route
        return route

    def _open(self, url: str, body: bytes, headers: Mapping[str, str], timeout: urllib3.Timeout) -> BaseHTTPResponse:
        split = url.find("/", 8)
        origin, path = (url, "/") if split < 0 else (url[:split], url[split:])
        for _ in range(2):
            pool, manager = self._routes.get(origin) or self._route(origin)
            if pool is None:
                return manager.urlopen(
                    "POST", url, body=body, headers=headers, timeout=timeout, retries=False, redirect=False,
                    preload_content=False,
                )
            try:
                return pool.urlopen(
                    "POST", path, body=body, headers=headers, timeout=timeout, retries=False, redirect=False,
                    assert_same_host=False, preload_content=False,
                )
            except ClosedPoolError:  # the manager evicted or cleared this pool: ask it for a new one
                self._routes.pop(origin, None)
        raise ClosedPoolError(None, "connection pool closed")  # type: ignore[arg-type]

    def post(
        self,
        url: str,
        body: bytes,
        headers: Mapping[str, str],
        timeout: Optional[urllib3.Timeout] = None,
        *,
        method: str = "",
    ) -> RawResponse:
        """Send one POST; raise :class:`SendError` or ``MalformedResponseError`` (truncated body)."""
        if timeout is None:
            timeout, total = self.timeout, self._total
        else:
            total = total_seconds(timeout)
        set_deadline(None if total is None else time.monotonic() + total)
        try:
            response = self._open(url, body, headers, timeout)
        except NewConnectionError as exc:  # before ConnectTimeoutError: it is a subclass
            raise connection_failed(url, exc, sent=False) from None
        except ConnectTimeoutError as exc:
            raise timed_out(url, exc, sent=False) from None
        except ReadTimeoutError as exc:
            raise timed_out(url, exc, sent=True) from None
        except SSLError as exc:
            raise connection_failed(url, exc, sent=False, permanent=True) from None
        except ProxyError as exc:
            inner = getattr(exc, "original_error", None) or getattr(exc, "reason", None)
            permanent = isinstance(inner, (SSLError, ssl.SSLError))
            raise connection_failed(url, exc, sent=False, permanent=permanent) from None
        except (EmptyPoolError, ClosedPoolError) as exc:
            raise connection_failed(url, exc, sent=False) from None
        except (ProtocolError, HTTPError, OSError) as exc:
            raise connection_failed(url, exc, sent=True) from None
        finally:
            set_deadline(None)
        complete = False
        try:
            data = self._read_body(response)
            complete = True
        except ReadTimeoutError as exc:
            raise timed_out(url, exc, sent=True) from None
        except (BodyError, ProtocolError, DecodeError, OSError) as exc:
            raise body_read_failed(method, response.status, exc) from None
        except HTTPError as exc:
            raise connection_failed(url, exc, sent=True) from None
        finally:
            if not complete:  # never hand a half-read connection to the next request
                response.close()
            response.release_conn()
        return RawResponse(response.status, response.headers, data)

    def _read_body(self, response: BaseHTTPResponse) -> bytes:
        """The decoded body, read raw and decoded here so that both sizes stay under the limit."""
        limit = self.max_response_bytes
        encoding = response.headers.get("Content-Encoding")
        length = getattr(response, "length_remaining", None)
        if isinstance(length, int) and length > limit:
            raise BodyTooLarge(limit)
        if not encoding and isinstance(length, int):  # the common case: one read of a known size
            data: bytes = response.read(decode_content=False)
            return data
        collector = BodyCollector(encoding, limit)
        while True:
            chunk = response.read(_CHUNK, decode_content=False)
            if not chunk:
                return collector.finish()
            collector.feed(chunk)

    def close(self) -> None:
        """Close every pooled connection (only when the managers are ours)."""
        self._routes = {}
        if self.owns_manager:
            with self._lock:
                managers = list(self._managers.values())
            for manager in managers:
                manager.clear()
