"""The pooled, thread-safe CDC REST client.

:class:`Client` wires the I/O-free pieces (routing, auth, request
preparation, response reading, retry decisions) around one urllib3 pool.
"""

from __future__ import annotations

import logging
import time
from typing import Any, Callable, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Tuple, Union

import urllib3

from ..errors import ConfigurationError, GigyaError, MalformedResponseError
from .auth import Auth
from .batch import CallSpec, run_many
from .clock import Clock
from .config import build_auth, check_transport_security, choose_auth_mode
from .envelope import read_response
from .prepare import USER_AGENT, RequestBuilder, merge_params
from .response import Response
from .retry import DONE, FIX_CLOCK, REAUTH, REROUTE, RetryPolicy, RetryState, is_read_method, parse_retry_after
from .routing import Router, resolve_api_domain
from .search import first_page_params, next_page_params
from .tls import PemSource, build_ssl_context
from .transport import RawResponse, SendError, TimeoutSpec, Urllib3Transport, build_pool_manager, to_timeout

__all__ = ["Client", "DEFAULT_TIMEOUT"]

logger = logging.getLogger(__name__)

#: (connect, read) seconds.
DEFAULT_TIMEOUT: Tuple[float, float] = (10.0, 60.0)
_TOKEN_HEADERS = {"Content-Type": "application/x-www-form-urlencoded", "User-Agent": USER_AGENT}

Outcome = Union[Response, GigyaError]


class Client:
    """A CDC REST client holding one connection pool for its whole life.

    Auth (protocol.md section 3) is inferred from the credentials given, or
    chosen with *auth*: ``"signed"`` (``secret``, with ``user_key`` when
    given: the default), ``"clear"`` (the secret as a parameter, HTTPS only),
    ``"jwt"`` (``private_key`` + ``user_key``), ``"mtls"`` (``client_cert``
    [+ ``client_key``]), ``"token"`` (``access_token`` sent as
    ``oauth_token``), ``"oauth2"`` (client-credentials bearer tokens from
    ``user_key`` + ``secret``) or ``"anonymous"``.

    Routing: *data_center* (``"eu1"``, ``"cn1"``, ``"eu1.gigya.com"``...) or
    *base_url*, one origin for every namespace (a gateway, a local server).
    HTTPS with certifi's CA bundle (or *ca_certs*), TLS 1.2+, hostname checks
    always on, also through *proxy_url* (CONNECT).

    Retries (*retries*: a count or a :class:`RetryPolicy`) re-sign every
    attempt; a retried answer with a ``Retry-After`` header is not retried
    sooner than it asks, nor at all when that is past the policy's
    ``max_elapsed``.

    Safe to share between threads. Use as a context manager or call
    :meth:`close`. ``repr`` never shows a secret.
    """

    def __init__(
        self,
        api_key: Optional[str],
        *,
        secret: Optional[str] = None,
        user_key: Optional[str] = None,
        private_key: Any = None,
        client_cert: Optional[PemSource] = None,
        client_key: Optional[PemSource] = None,
        client_key_password: Optional[Union[str, bytes]] = None,
        access_token: Optional[str] = None,
        auth: Optional[str] = None,
        data_center: str = "us1",
        base_url: Optional[str] = None,
        timeout: TimeoutSpec = DEFAULT_TIMEOUT,
        retries: Union[int, RetryPolicy] = 3,
        retry_writes: bool = False,
        pool_maxsize: int = 10,
        proxy_url: Optional[str] = None,
        proxy_headers: Optional[Mapping[str, str]] = None,
        ca_certs: Optional[PemSource] = None,
        pool_manager: Optional[urllib3.PoolManager] = None,
        user_agent: Optional[str] = None,
    ) -> None:
        if api_key is not None and (not isinstance(api_key, str) or not api_key):
            raise ConfigurationError("api_key must be a non-empty str (or None for calls without one)")
        for name, value in (("secret", secret), ("user_key", user_key), ("access_token", access_token)):
            if value is not None and not isinstance(value, str):
                raise ConfigurationError("%s must be str, not %s" % (name, type(value).__name__))
        mode = choose_auth_mode(
            auth,
            secret=secret,
            user_key=user_key,
            private_key=private_key,
            client_cert=client_cert,
            access_token=access_token,
        )
        if base_url is not None:
            router = Router(base_url=base_url, mtls=mode == "mtls")
        else:
            router = Router(resolve_api_domain(data_center), mtls=mode == "mtls")
        self._auth: Auth = build_auth(
            mode, secret=secret, user_key=user_key, private_key=private_key, access_token=access_token
        )
        check_transport_security(self._auth, router.scheme, router.base_url)
        self._router = router
        self._retry_policy = RetryPolicy.coerce(retries)
        self._retry_writes = bool(retry_writes)
        self._timeout = to_timeout(timeout)
        self.api_key = api_key
        if pool_manager is not None:
            if proxy_url is not None or ca_certs is not None or client_cert is not None:
                raise ConfigurationError(
                    "with pool_manager, configure proxy, CA certificates and client certificates on that manager"
                )
            self._transport = Urllib3Transport(pool_manager, self._timeout, owns_manager=False)
        else:
            if isinstance(pool_maxsize, bool) or not isinstance(pool_maxsize, int) or pool_maxsize < 1:
                raise ConfigurationError("pool_maxsize must be an int >= 1")
            context = build_ssl_context(
                ca_certs, client_cert=client_cert, client_key=client_key, client_key_password=client_key_password
            )
            manager = build_pool_manager(
                context, maxsize=pool_maxsize, proxy_url=proxy_url, proxy_headers=proxy_headers
            )
            self._transport = Urllib3Transport(manager, self._timeout)
        self._clock = Clock()
        self._builder = RequestBuilder(
            api_key, self._auth, router, clock=self._clock, user_agent=user_agent or USER_AGENT
        )
        self._closed = False

    # --- introspection ------------------------------------------------------

    @property
    def auth_mode(self) -> str:
        """``signed``, ``clear``, ``jwt``, ``token``, ``oauth2``, ``mtls`` or ``anonymous``."""
        return self._auth.mode

    @property
    def user_key(self) -> Optional[str]:
        """The user/application key in use, if any."""
        return self._auth.user_key

    @property
    def api_domain(self) -> str:
        """The current API domain (a 301001 answer may have changed it)."""
        return self._router.api_domain

    @property
    def base_url(self) -> Optional[str]:
        """The single origin every call goes to, or None."""
        return self._router.base_url

    @property
    def clock_offset(self) -> float:
        """Seconds added to the local clock when signing (learnt from 403002 answers)."""
        return self._clock.offset

    @clock_offset.setter
    def clock_offset(self, value: float) -> None:
        self._clock.set_offset(value)

    @property
    def retry_policy(self) -> RetryPolicy:
        """The default retry policy."""
        return self._retry_policy

    @property
    def pool_manager(self) -> urllib3.PoolManager:
        """The urllib3 pool manager carrying every request."""
        return self._transport.manager

    @property
    def closed(self) -> bool:
        """True after :meth:`close`."""
        return self._closed

    def url_for(self, method: str) -> str:
        """The URL *method* is POSTed to (and signed over)."""
        return self._router.url_for(method)

    def __repr__(self) -> str:
        return "<%s.Client apiKey=%s auth=%s %s%s>" % (
            __name__.rsplit(".", 1)[0],
            self.api_key,
            self._auth.describe(),
            self._router.describe(),
            " closed" if self._closed else "",
        )

    def __reduce__(self) -> Any:
        raise TypeError("Client cannot be pickled (it holds credentials and a connection pool)")

    # --- lifecycle ------------------------------------------------------------

    def close(self) -> None:
        """Close pooled connections (an injected pool manager is left open)."""
        if not self._closed:
            self._closed = True
            self._transport.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- calls ----------------------------------------------------------------

    def call(
        self,
        method: str,
        params: Optional[Mapping[str, object]] = None,
        /,
        *,
        raise_on_error: bool = True,
        retry: Union[bool, RetryPolicy, None] = None,
        timeout: Optional[TimeoutSpec] = None,
        **kwargs: object,
    ) -> Response:
        """Call *method* (``"accounts.getAccountInfo"``; no dot means ``socialize``).

        Parameters come from *params* and keyword arguments (``None`` values are
        not sent; bools become ``true``/``false``; dicts/lists compact JSON).
        CDC's own ``timeout`` parameter must go in *params*: the keyword is the
        client-side timeout (seconds or ``(connect, read)``).

        *retry*: None follows the client's policy (timeouts and 504002 resent
        only for read methods or with ``retry_writes``); True also resends this
        call after timeouts; False never backs off and resends (clock fixes and
        data-center re-routes still happen); a :class:`RetryPolicy` replaces
        the policy for this call.

        Raises the ``error_for_code`` class when ``errorCode`` is not 0 (or
        returns the Response with ``raise_on_error=False``), and
        ``ConnectionFailedError``/``RequestTimeoutError``/``MalformedResponseError``
        for transport failures.
        """
        return self._call(method, merge_params(params, kwargs), raise_on_error, retry, timeout)

    def _fetch_token(self, body: bytes) -> RawResponse:
        return self._transport.post(self._router.token_url(), body, _TOKEN_HEADERS, method="oauth2.token")

    def _retry_state(self, method: str, retry: Union[bool, RetryPolicy, None]) -> RetryState:
        policy = retry if isinstance(retry, RetryPolicy) else self._retry_policy
        idempotent = retry is True or self._retry_writes or is_read_method(method)
        return RetryState(
            policy,
            idempotent=idempotent,
            enabled=retry is not False,
            can_reroute=self._router.can_reroute,
            can_reauth=self._auth.mode == "oauth2",
        )

    def _call(
        self,
        method: str,
        params: Dict[str, object],
        raise_on_error: bool,
        retry: Union[bool, RetryPolicy, None],
        timeout: Optional[TimeoutSpec],
    ) -> Response:
        if self._closed:
            raise ConfigurationError("this client is closed")
        self._router.url_for(method)  # validates the name before any I/O
        limit = self._timeout if timeout is None else to_timeout(timeout)
        started = time.monotonic()
        state: Optional[RetryState] = None
        attempt = 0
        debug = logger.isEnabledFor(logging.DEBUG)
        while True:
            attempt += 1
            sent, permanent = True, False
            retry_after: Optional[float] = None
            begin = time.perf_counter()
            outcome: Outcome
            try:
                self._auth.prepare(self._fetch_token)
                request = self._builder.prepare(method, params)
                raw = self._transport.post(request.url, request.body, request.headers, limit, method=method)
                retry_after = parse_retry_after(raw.headers.get("Retry-After"))
                outcome = read_response(method, raw.status, raw.headers, raw.body, attempts=attempt)
            except SendError as failure:
                outcome, sent, permanent = failure.error, failure.sent, failure.permanent
            except MalformedResponseError as exc:
                outcome = exc
            except GigyaError as exc:  # e.g. the OAuth2 token endpoint refused
                outcome, permanent = exc, True
            latency = time.perf_counter() - begin
            if isinstance(outcome, Response):
                outcome.elapsed = time.monotonic() - started
                if outcome.error_code == 0:
                    if debug:
                        self._log_attempt(method, attempt, outcome, latency, "")
                    return outcome
            if state is None:
                state = self._retry_state(method, retry)
            decision = state.decide(
                outcome,
                elapsed=time.monotonic() - started,
                sent=sent,
                permanent=permanent,
                has_date=isinstance(outcome, Response) and bool(outcome.headers.get("Date")),
                current_domain=self._router.api_domain,
                retry_after=retry_after,
            )
            if debug:
                suffix = "" if decision.action == DONE else " -> %s in %.3fs (%s)" % (
                    decision.action, decision.delay, decision.reason)
                self._log_attempt(method, attempt, outcome, latency, suffix)
            if decision.action == DONE:
                break
            if decision.action == FIX_CLOCK and isinstance(outcome, Response):
                offset = self._clock.sync_from_date(outcome.headers.get("Date"))
                logger.info("server clock differs by %.0f s: signing with the corrected time", offset or 0.0)
            elif decision.action == REROUTE and decision.api_domain:
                if self._router.reroute(decision.api_domain):
                    self._auth.invalidate()
                    logger.info("API key lives in data center %s: re-routed", self._router.api_domain)
            elif decision.action == REAUTH:
                self._auth.invalidate()
            if decision.delay > 0:
                time.sleep(decision.delay)
        if isinstance(outcome, GigyaError):
            raise outcome
        if raise_on_error:
            raise outcome.to_error()
        return outcome

    def _log_attempt(self, method: str, attempt: int, outcome: Outcome, latency: float, suffix: str) -> None:
        host = self._router.url_for(method).split("/", 3)[2]
        if isinstance(outcome, Response):
            code: Optional[int] = outcome.error_code
            call_id = outcome.call_id
        else:
            code, call_id = outcome.error_code, outcome.call_id
        logger.debug(
            "%s host=%s attempt=%d errorCode=%s callId=%s latency=%.1fms%s",
            method, host, attempt, code, call_id, latency * 1000.0, suffix,
        )

    # --- many calls -----------------------------------------------------------

    def call_many(
        self,
        calls: Iterable[CallSpec],
        *,
        max_workers: int = 8,
        raise_on_error: bool = False,
        on_progress: Optional[Callable[[int, int], None]] = None,
    ) -> List[Outcome]:
        """Run many calls concurrently over the shared pool; results in input order.

        Each result is the :class:`Response` (also for non-zero ``errorCode``)
        or the ``GigyaError`` the call failed with. With ``raise_on_error=True``
        the first failure (API or transport) is raised instead and calls not
        yet started are cancelled. ``on_progress(done, total)`` runs in the
        calling thread after each call completes.
        """
        return run_many(
            lambda method, params: self._call(method, params, raise_on_error, None, None),
            calls,
            max_workers=max_workers,
            raise_on_error=raise_on_error,
            on_progress=on_progress,
        )

    # --- search -----------------------------------------------------------------

    def search_pages(
        self,
        query: str,
        *,
        method: str = "accounts.search",
        page_size: int = 1000,
        **params: object,
    ) -> Iterator[Response]:
        """Yield every page of a cursor search as a :class:`Response`.

        The first request sends *query* (with ``LIMIT page_size`` unless it has
        one) and ``openCursor=true``; the next ones only ``cursorId``. A failed
        page is retried with the same ``cursorId`` (search is a read method);
        an error that remains is raised. *params* go with the first request.
        """
        extra = merge_params(None, params)
        request: Optional[Dict[str, object]] = first_page_params(query, page_size, extra)
        while request is not None:
            page = self._call(method, request, True, None, None)
            yield page
            results = page.get("results")
            if not results:
                return
            request = next_page_params(page.data, extra)

    def search(
        self,
        query: str,
        *,
        method: str = "accounts.search",
        page_size: int = 1000,
        **params: object,
    ) -> Iterator[Dict[str, Any]]:
        """Yield every result of a cursor search, page after page (see :meth:`search_pages`)."""
        for page in self.search_pages(query, method=method, page_size=page_size, **params):
            results: Sequence[Dict[str, Any]] = page.get("results") or []
            yield from results
