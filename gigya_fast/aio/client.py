"""The asyncio CDC client: the same options, answers, errors and retry rules as
:class:`gigya_fast.rest.Client`, because it runs the same I/O-free attempt
loop (:mod:`gigya_fast.rest.attempts`); only the I/O differs (aiohttp,
``asyncio.sleep``)."""

from __future__ import annotations

import asyncio
import inspect
from typing import Any, AsyncIterator, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Union

import aiohttp

from ..errors import ConfigurationError, GigyaError, MalformedResponseError
from ..rest.attempts import AUTHORIZE, AttemptEvent, Backoff, RetryOption
from ..rest.auth import OAuth2Auth
from ..rest.base import DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT, ClientBase, EventHooks, hook_failed
from ..rest.batch import CallSpec
from ..rest.prepare import TOKEN_HEADERS, PreparedRequest, merge_params
from ..rest.response import Response
from ..rest.retry import RetryPolicy
from ..rest.search import CursorPager
from ..rest.sending import SendError
from ..rest.tls import PemSource
from ..rest.transport import TimeoutSpec, to_timeout
from .many import run_many
from .transport import AiohttpTransport, attempt_timeout

__all__ = ["AsyncClient"]

Outcome = Union[Response, GigyaError]


class AsyncClient(ClientBase):
    """A CDC client for asyncio applications, on aiohttp.

    Takes every argument of :class:`gigya_fast.rest.Client` (auth modes,
    routing, TLS and proxy settings with the same environment rules,
    timeouts, retries, ``max_response_bytes``, ``event_hooks``), except
    ``pool_manager``, plus *session*: an ``aiohttp.ClientSession`` to use
    (and leave open). Without one the client makes its own on the first call,
    inside the running loop: keep-alive pool of up to *pool_maxsize*
    connections (100 by default), no cookies kept, TLS always verified.
    TLS settings and proxies apply per request, also on a caller's session.

    Event hooks may be plain callables or coroutine functions (awaited); a
    hook that raises is logged and the call goes on.

    One client belongs to one event loop. Use ``async with`` or ``await
    client.aclose()``; calls on a closed client raise ``ConfigurationError``.
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
        pool_maxsize: int = 100,
        proxy_url: Optional[str] = None,
        proxy_headers: Optional[Mapping[str, str]] = None,
        ca_certs: Optional[PemSource] = None,
        trust_env: bool = True,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        event_hooks: Optional[EventHooks] = None,
        session: Optional[aiohttp.ClientSession] = None,
        user_agent: Optional[str] = None,
    ) -> None:
        if session is not None and not isinstance(session, aiohttp.ClientSession):
            raise ConfigurationError("session must be an aiohttp.ClientSession")
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
            trust_env=trust_env,
            user_agent=user_agent,
            max_response_bytes=max_response_bytes,
            event_hooks=event_hooks,
            async_hooks=True,
        )
        assert self._tls is not None
        self._transport = AiohttpTransport(
            session,
            ssl_context=self._tls,
            routes=self._proxies,
            proxy_headers=self._proxy_headers,
            timeout=self._timeout,
            max_response_bytes=self._max_response_bytes,
            pool_maxsize=pool_maxsize,
        )
        self._token_lock: Optional[asyncio.Lock] = None

    @property
    def session(self) -> Optional[aiohttp.ClientSession]:
        """The aiohttp session in use (None before the first call when the client makes its own)."""
        return self._transport.session

    # --- lifecycle ------------------------------------------------------------

    async def aclose(self) -> None:
        """Close the client's own session (a caller's session is left open); later calls are refused."""
        if not self._closed:
            self._closed = True
            await self._transport.close()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    # --- calls ----------------------------------------------------------------

    async def call(
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
        """Call *method*; the same parameters, answer, errors and retries as :meth:`Client.call`.

        Back-off waits are ``asyncio.sleep``. A cancelled call closes the
        connection it was using and leaves no task behind.
        """
        return await self._call(method, merge_params(params, kwargs), raise_on_error, retry, timeout)

    async def _refresh_token(self) -> None:
        """Fetch an OAuth2 token if none is fresh; one task fetches while the others wait."""
        if self._token_lock is None:
            self._token_lock = asyncio.Lock()
        async with self._token_lock:
            auth = self._auth
            if auth.token_due():
                assert isinstance(auth, OAuth2Auth)
                started = auth.monotonic()
                raw = await self._transport.post(
                    self._router.token_url(), auth.token_request(), TOKEN_HEADERS, method="oauth2.token"
                )
                auth.store_token(raw.status, raw.body, started)

    async def _emit(self, event: AttemptEvent) -> None:
        for hook in self._hooks:
            try:
                result = hook(event)
                if inspect.isawaitable(result):
                    await result
            except Exception:
                hook_failed(hook)

    async def _call(
        self,
        method: str,
        params: Dict[str, object],
        raise_on_error: bool,
        retry: RetryOption,
        timeout: Optional[TimeoutSpec],
    ) -> Response:
        """Run the attempt loop of one call, awaiting its I/O."""
        self._check_open()
        limit = None if timeout is None else attempt_timeout(to_timeout(timeout))
        steps = self._loop.run(method, params, retry, raise_on_error)
        post = self._transport.post
        try:
            step = next(steps)
            while True:
                if type(step) is PreparedRequest:
                    try:
                        raw = await post(step.url, step.body, step.headers, limit, method=method)
                    except (SendError, MalformedResponseError) as failure:
                        step = steps.throw(failure)
                    else:
                        step = steps.send(raw)
                elif type(step) is Backoff:
                    await asyncio.sleep(step.delay)
                    step = steps.send(None)
                elif step is AUTHORIZE:
                    try:
                        await self._refresh_token()
                    except (SendError, GigyaError) as failure:
                        step = steps.throw(failure)
                    else:
                        step = steps.send(None)
                else:
                    assert isinstance(step, AttemptEvent)
                    await self._emit(step)
                    step = steps.send(None)
        except StopIteration as stop:
            response: Response = stop.value
            return response
        finally:
            steps.close()

    # --- many calls -----------------------------------------------------------

    async def call_many(
        self,
        calls: Iterable[CallSpec],
        *,
        concurrency: int = 32,
        raise_on_error: bool = False,
        on_progress: Optional[Callable[[int, int], None]] = None,
    ) -> List[Outcome]:
        """Run many calls with at most *concurrency* in flight; results in input order.

        Each result is the :class:`Response` (also for non-zero ``errorCode``)
        or the ``GigyaError`` the call failed with. With ``raise_on_error=True``
        the first failure is raised and the other calls are cancelled.
        ``on_progress(done, total)`` runs after each call completes.
        """
        self._check_open()
        return await run_many(
            lambda method, params: self._call(method, params, raise_on_error, None, None),
            calls,
            concurrency=concurrency,
            raise_on_error=raise_on_error,
            on_progress=on_progress,
        )

    # --- search -----------------------------------------------------------------

    async def search_pages(
        self,
        query: str,
        *,
        method: str = "accounts.search",
        page_size: int = 1000,
        **params: object,
    ) -> AsyncIterator[Response]:
        """Every page of a cursor search, as :meth:`Client.search_pages` pages it."""
        pager = CursorPager(query, page_size, merge_params(None, params))
        while pager.params is not None:
            page = await self._call(method, pager.params, True, None, None)
            yield page
            pager.advance(page)

    async def search(
        self,
        query: str,
        *,
        method: str = "accounts.search",
        page_size: int = 1000,
        **params: object,
    ) -> AsyncIterator[Dict[str, Any]]:
        """Every result of a cursor search: ``async for account in client.search(query)``."""
        async for page in self.search_pages(query, method=method, page_size=page_size, **params):
            results: Sequence[Dict[str, Any]] = page.get("results") or []
            for result in results:
                yield result

