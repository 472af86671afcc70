"""The blocking HTTP transport: one urllib3 pool manager for the client's life.

A thin layer: POST bytes, return ``(status, headers, body)``, and map every
urllib3 failure to a gigya_fast error, noting whether the request may have
reached the server. urllib3's own retries and redirects are off: resending
is decided by :mod:`gigya_fast.rest.retry` and every resend is signed anew.
"""

from __future__ import annotations

import ssl
from typing import TYPE_CHECKING, Dict, Mapping, Optional, Tuple, Union
from urllib.parse import unquote, urlsplit, urlunsplit

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
from .envelope import malformed
from .sending import (
    CONNECTION_FAILED_CODE,
    TIMEOUT_CODE,
    RawResponse,
    SendError,
    connection_failed,
    failure_reason,
    timed_out,
)

if TYPE_CHECKING:
    from urllib3.response import BaseHTTPResponse

__all__ = [
    "RawResponse",
    "SendError",
    "TimeoutSpec",
    "to_timeout",
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


def build_pool_manager(
    ssl_context: ssl.SSLContext,
    *,
    maxsize: int = 10,
    num_pools: int = 32,
    proxy_url: Optional[str] = None,
    proxy_headers: Optional[Mapping[str, str]] = None,
    block: bool = False,
) -> urllib3.PoolManager:
    """A PoolManager (or ProxyManager tunnelling HTTPS with CONNECT) verifying TLS with *ssl_context*."""
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
    if proxy_url is None:
        return urllib3.PoolManager(**common)  # type: ignore[arg-type]
    if not proxy_url.lower().startswith(("http://", "https://")):
        raise ConfigurationError("proxy_url must be an http:// or https:// URL")
    headers = dict(proxy_headers or {})
    parts = urlsplit(proxy_url)
    if parts.username is not None:  # urllib3 ignores credentials in the proxy URL: send them as Basic auth
        credentials = "%s:%s" % (unquote(parts.username), unquote(parts.password or ""))
        headers.update(urllib3.util.make_headers(proxy_basic_auth=credentials))
        netloc = parts.netloc.rsplit("@", 1)[1]
        proxy_url = urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    try:
        return urllib3.ProxyManager(
            proxy_url,
            proxy_headers=headers,
            proxy_ssl_context=ssl_context,
            **common,  # type: ignore[arg-type]
        )
    except (ValueError, HTTPError) as exc:
        raise ConfigurationError("invalid proxy_url: %s" % type(exc).__name__) from None


class Urllib3Transport:
    """POSTs prepared bodies over a shared urllib3 pool manager; thread-safe."""

    def __init__(self, manager: urllib3.PoolManager, timeout: urllib3.Timeout, *, owns_manager: bool = True) -> None:
        self.manager = manager
        self.timeout = timeout
        self.owns_manager = owns_manager
        # Plain-HTTP requests through a proxy need the manager (absolute-form targets);
        # everything else goes straight to the per-origin pool, skipping a URL parse.
        self._proxied_http = isinstance(manager, urllib3.ProxyManager)
        self._pools: Dict[str, HTTPConnectionPool] = {}

    def _open(self, url: str, body: bytes, headers: Mapping[str, str], timeout: urllib3.Timeout) -> BaseHTTPResponse:
        split = url.find("/", 8)
        origin, path = (url, "/") if split < 0 else (url[:split], url[split:])
        if self._proxied_http and origin.startswith("http:"):
            return self.manager.urlopen(
                "POST", url, body=body, headers=headers, timeout=timeout, retries=False, redirect=False,
                preload_content=False,
            )
        for _ in range(2):
            pool = self._pools.get(origin)
            if pool is None:
                pool = self.manager.connection_from_url(origin)
                if len(self._pools) < 64:
                    self._pools[origin] = pool
            try:
                return pool.urlopen(
                    "POST", path, body=body, headers=headers, timeout=timeout, retries=False, redirect=False,
                    assert_same_host=False, preload_content=False,
                )
            except ClosedPoolError:  # the manager evicted or cleared this pool: ask it for a new one
                self._pools.pop(origin, None)
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
        try:
            response = self._open(url, body, headers, timeout or self.timeout)
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
        try:
            data = response.read()
        except ReadTimeoutError as exc:
            raise timed_out(url, exc, sent=True) from None
        except (ProtocolError, DecodeError, OSError) as exc:
            reason = "body truncated or undecodable (%s)" % failure_reason(exc)
            raise malformed(method, response.status, reason) from None
        except HTTPError as exc:
            raise connection_failed(url, exc, sent=True) from None
        finally:
            response.release_conn()
        return RawResponse(response.status, response.headers, data)

    def close(self) -> None:
        """Close every pooled connection (only when the manager is ours)."""
        self._pools = {}
        if self.owns_manager:
            self.manager.clear()
