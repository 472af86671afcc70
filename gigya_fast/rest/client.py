"""The pooled, thread-safe CDC REST client.

:class:`Client` is a thin blocking driver: the options and the call logic
(signing, reading answers, every retry decision) live in :mod:`.base` and
:mod:`.attempts`, shared with the async client; this module adds the urllib3
pool and runs the attempt loop on it.
"""

from __future__ import annotations

import time
from typing import Any, Callable, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Union

import urllib3

from ..errors import ConfigurationError, GigyaError, MalformedResponseError
from .attempts import AUTHORIZE, AttemptEvent, Backoff, RetryOption
from .base import DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT, ClientBase, EventHooks, hook_failed
from .batch import CallSpec, run_many
from .prepare import TOKEN_HEADERS, PreparedRequest, merge_params
from .response import Response
from .retry import RetryPolicy
from .search import CursorPager
from .sending import RawResponse, SendError
from .tls import PemSource
from .transport import TimeoutSpec, Urllib3Transport, build_pool_manager, to_timeout

__all__ = ["Client", "DEFAULT_TIMEOUT"]

Outcome = Union[Response, GigyaError]


class Client(ClientBase):
    """A CDC REST client holding one connection pool for its whole life.

    Auth (docs/protocol.md, auth modes) is inferred from the credentials
    given, or chosen with *auth*: ``"signed"`` (``secret``, with ``user_key``
    when given: the default), ``"clear"`` (the secret as a parameter, HTTPS
    only), ``"jwt"`` (``private_key`` + ``user_key``), ``"mtls"``
    (``client_cert`` [+ ``client_key``]), ``"token"`` (``access_token`` sent
    as ``oauth_token``), ``"session"`` (a user's ``login_token`` from
    ``accounts.login``, sent with the API key only, as a browser does),
    ``"oauth2"`` (client-credentials bearer tokens from ``user_key`` +
    ``secret``) or ``"anonymous"``.

    Routing: *data_center* (``"eu1"``, ``"cn1"``, ``"eu1.gigya.com"``...) or
    *base_url*, one origin for every namespace (a gateway, a local server).

    TLS is always verified (TLS 1.2+, hostname checks), also through a
    proxy (CONNECT). Which CAs, first found wins: *ca_certs*; with
    *trust_env* (the default) ``SSL_CERT_FILE``, ``REQUESTS_CA_BUNDLE``, then
    ``SSL_CERT_DIR``; certifi's bundle. Which proxy: *proxy_url* for every
    URL (credentials in it become a ``Proxy-Authorization`` header and never
    reach a log or ``repr``); with *trust_env*, ``HTTPS_PROXY``/``HTTP_PROXY``
    by the URL's scheme, else ``ALL_PROXY``, except for hosts in
    ``NO_PROXY``; none. ``trust_env=False`` ignores the environment.

    *timeout* (seconds, ``(connect, read)`` or a ``urllib3.Timeout``) bounds
    each attempt twice: per socket operation, and in all (connect + read, or
    ``Timeout.total``), so a server dripping its answer cannot hold a call.
    Answers larger than *max_response_bytes* (counted after decompression;
    64 MiB by default) are refused with ``MalformedResponseError``.

    Retries (*retries*: a count or a :class:`RetryPolicy`) re-sign every
    attempt; a retried answer with a ``Retry-After`` header is not retried
    sooner than it asks, nor at all when that is past the policy's
    ``max_elapsed``.

    *event_hooks* (``{"attempt": [callable, ...]}``) are called after every
    attempt, in the calling thread, with an :class:`~gigya_fast.rest.AttemptEvent`
    (method, attempt number, latency, error code, call id, what the client
    does next; never a secret or a signature). They observe and do not
    decide: a hook that raises is logged (warning, with its traceback) and
    the call goes on.

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
        login_token: Optional[str] = None,
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
        trust_env: bool = True,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        event_hooks: Optional[EventHooks] = None,
        pool_manager: Optional[urllib3.PoolManager] = None,
        user_agent: Optional[str] = None,
    ) -> None:
        if pool_manager is not None and (proxy_url is not None or ca_certs is not None or client_cert is not None):
            raise ConfigurationError(
                "with pool_manager, configure proxy, CA certificates and client certificates on that manager"
            )
        super().__init__(
            api_key,
            secret=secret,
            user_key=user_key,
            private_key=private_key,
            client_cert=client_cert,
            client_key=client_key,
            client_key_password=client_key_password,
            access_token=access_token,
            login_token=login_token,
            auth=auth,
            data_center=data_center,
            base_url=base_url,
            timeout=timeout,
            retries=retries,
            retry_writes=retry_writes,
            pool_maxsize=pool_maxsize,
            proxy_url=proxy_url,
            proxy_headers=proxy_headers,
            ca_certs=ca_certs,
            trust_env=trust_env and pool_manager is None,
            user_agent=user_agent,
            max_response_bytes=max_response_bytes,
            event_hooks=event_hooks,
            build_tls=pool_manager is None,
        )
        tls = self._tls
        headers = self._proxy_headers

        def make_manager(proxy: Optional[str]) -> urllib3.PoolManager:
            assert tls is not None
            return build_pool_manager(tls, maxsize=pool_maxsize, proxy_url=proxy, proxy_headers=headers)

        self._transport = Urllib3Transport(
            pool_manager,
            self._timeout,
            make_manager=make_manager,
            routes=self._proxies,
            max_response_bytes=self._max_response_bytes,
        )

    @property
    def pool_manager(self) -> urllib3.PoolManager:
        """The urllib3 pool manager carrying every request."""
        return self._transport.manager

    # --- lifecycle ------------------------------------------------------------

    def close(self) -> None:
        """Close pooled connections (an injected pool manager is left open).

        Later calls raise ``ConfigurationError``.
        """
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
        return self._transport.post(self._router.token_url(), body, TOKEN_HEADERS, method="oauth2.token")

    def _emit(self, event: AttemptEvent) -> None:
        for hook in self._hooks:
            try:
                hook(event)
            except Exception:
                hook_failed(hook)

    def _call(
        self,
        method: str,
        params: Dict[str, object],
        raise_on_error: bool,
        retry: RetryOption,
        timeout: Optional[TimeoutSpec],
    ) -> Response:
        """Run the attempt loop of one call, doing its I/O in this thread."""
        self._check_open()
        limit = self._timeout if timeout is None else to_timeout(timeout)
        steps = self._loop.run(method, params, retry, raise_on_error)
        post = self._transport.post
        try:
            step = next(steps)
            while True:
                if type(step) is PreparedRequest:
                    try:
                        raw = post(step.url, step.body, step.headers, limit, method=method)
                    except (SendError, MalformedResponseError) as failure:
                        step = steps.throw(failure)
                    else:
                        step = steps.send(raw)
                elif type(step) is Backoff:
                    time.sleep(step.delay)
                    step = steps.send(None)
                elif step is AUTHORIZE:
                    try:
                        self._auth.prepare(self._fetch_token)
                    except (SendError, GigyaError) as failure:
                        step = steps.throw(failure)
                    else:
                        step = steps.send(None)
                else:
                    assert isinstance(step, AttemptEvent)
                    self._emit(step)
                    step = steps.send(None)
        except StopIteration as stop:
            response: Response = stop.value
            return response

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
        self._check_open()
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
        pager = CursorPager(query, page_size, merge_params(None, params))
        while pager.params is not None:
            page = self._call(method, pager.params, True, None, None)
            yield page
            pager.advance(page)

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
