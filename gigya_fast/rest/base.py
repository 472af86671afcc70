"""What the sync and the async client share: their options, checked once, and
the pieces built from them (routing, auth, clock, request builder, TLS and
proxy settings, event hooks, the attempt loop). No network I/O: each client
adds its own transport and a thin driver of the attempt loop."""

from __future__ import annotations

import inspect
import logging
import ssl
from typing import Any, Callable, Dict, Mapping, Optional, Sequence, Tuple, Union

from ..errors import ConfigurationError
from .attempts import AttemptEvent, AttemptLoop
from .auth import Auth
from .body import DEFAULT_MAX_RESPONSE_BYTES, check_max_response_bytes
from .clock import Clock
from .config import build_auth, check_transport_security, choose_auth_mode
from .environment import ProxyRoutes, env_ca_certs
from .prepare import USER_AGENT, RequestBuilder
from .retry import RetryPolicy
from .routing import Router, resolve_api_domain
from .tls import PemSource, build_ssl_context
from .transport import TimeoutSpec, to_timeout

__all__ = ["ClientBase", "DEFAULT_TIMEOUT", "DEFAULT_MAX_RESPONSE_BYTES", "EventHook", "EventHooks", "hook_failed"]

logger = logging.getLogger(__name__)

#: (connect, read) seconds.
DEFAULT_TIMEOUT: Tuple[float, float] = (10.0, 60.0)

#: A callable taking an :class:`AttemptEvent` (a coroutine function is allowed by ``AsyncClient``).
EventHook = Callable[[AttemptEvent], Any]
#: ``{"attempt": [hook, ...]}``.
EventHooks = Mapping[str, Sequence[EventHook]]
_HOOK_KINDS = ("attempt",)


def _check_hooks(event_hooks: Optional[EventHooks], allow_async: bool) -> Tuple[EventHook, ...]:
    if event_hooks is None:
        return ()
    if not isinstance(event_hooks, Mapping):
        raise ConfigurationError('event_hooks must be a mapping such as {"attempt": [callable, ...]}')
    unknown = sorted(set(event_hooks) - set(_HOOK_KINDS))
    if unknown:
        raise ConfigurationError("unknown event hook kind(s) %s: the only kind is 'attempt'" % ", ".join(unknown))
    hooks = tuple(event_hooks.get("attempt", ()))
    for hook in hooks:
        if not callable(hook):
            raise ConfigurationError("every event hook must be callable, not %s" % type(hook).__name__)
        if not allow_async and inspect.iscoroutinefunction(hook):
            raise ConfigurationError("a coroutine event hook needs gigya_fast.aio.AsyncClient")
    return hooks


def hook_failed(hook: EventHook) -> None:
    """Log (with its traceback) that *hook* raised; the call it observed goes on."""
    name = getattr(hook, "__qualname__", None) or type(hook).__name__
    logger.warning("event hook %s raised; ignored, the call goes on", name, exc_info=True)


class ClientBase:
    """Options and call logic common to :class:`~gigya_fast.rest.Client` and ``AsyncClient``."""

    def __init__(
        self,
        api_key: Optional[str],
        *,
        secret: Optional[str],
        user_key: Optional[str],
        private_key: Any,
        client_cert: Optional[PemSource],
        client_key: Optional[PemSource],
        client_key_password: Optional[Union[str, bytes]],
        access_token: Optional[str],
        login_token: Optional[str],
        auth: Optional[str],
        data_center: str,
        base_url: Optional[str],
        timeout: TimeoutSpec,
        retries: Union[int, RetryPolicy],
        retry_writes: bool,
        pool_maxsize: int,
        proxy_url: Optional[str],
        proxy_headers: Optional[Mapping[str, str]],
        ca_certs: Optional[PemSource],
        trust_env: bool,
        user_agent: Optional[str],
        max_response_bytes: int,
        event_hooks: Optional[EventHooks],
        async_hooks: bool = False,
        build_tls: bool = True,
    ) -> None:
        if isinstance(pool_maxsize, bool) or not isinstance(pool_maxsize, int) or pool_maxsize < 1:
            raise ConfigurationError("pool_maxsize must be an int >= 1")
        if api_key is not None and (not isinstance(api_key, str) or not api_key):
            raise ConfigurationError("api_key must be a non-empty str (or None for calls without one)")
        credentials = (("secret", secret), ("user_key", user_key), ("access_token", access_token),
                       ("login_token", login_token))
        for name, value in credentials:
            if value is not None and not isinstance(value, str):
                raise ConfigurationError("%s must be str, not %s" % (name, type(value).__name__))
        mode = choose_auth_mode(
            auth,
            secret=secret,
            user_key=user_key,
            private_key=private_key,
            client_cert=client_cert,
            access_token=access_token,
            login_token=login_token,
        )
        if base_url is not None:
            router = Router(base_url=base_url, mtls=mode == "mtls")
        else:
            router = Router(resolve_api_domain(data_center), mtls=mode == "mtls")
        self._auth: Auth = build_auth(
            mode, secret=secret, user_key=user_key, private_key=private_key, access_token=access_token,
            login_token=login_token,
        )
        check_transport_security(self._auth, router.scheme, router.base_url)
        self._router = router
        self._retry_policy = RetryPolicy.coerce(retries)
        self._timeout = to_timeout(timeout)
        try:
            self._max_response_bytes = check_max_response_bytes(max_response_bytes)
        except ValueError as exc:
            raise ConfigurationError(str(exc)) from None
        self._hooks = _check_hooks(event_hooks, async_hooks)
        if proxy_url is not None and (not isinstance(proxy_url, str)
                                      or not proxy_url.lower().startswith(("http://", "https://"))):
            raise ConfigurationError("proxy_url must be an http:// or https:// URL")
        self._proxies = ProxyRoutes(proxy_url, trust_env=bool(trust_env))
        self._proxy_headers: Dict[str, str] = dict(proxy_headers or {})
        self._tls: Optional[ssl.SSLContext] = None
        if build_tls:
            self._tls = self._build_tls(ca_certs, trust_env, client_cert, client_key, client_key_password)
        self.api_key = api_key
        self._clock = Clock()
        self._builder = RequestBuilder(
            api_key, self._auth, router, clock=self._clock, user_agent=user_agent or USER_AGENT
        )
        self._loop = AttemptLoop(
            self._auth, router, self._clock, self._builder, self._retry_policy, retry_writes=bool(retry_writes),
            events=bool(self._hooks),
        )
        self._closed = False

    @staticmethod
    def _build_tls(
        ca_certs: Optional[PemSource],
        trust_env: bool,
        client_cert: Optional[PemSource],
        client_key: Optional[PemSource],
        client_key_password: Optional[Union[str, bytes]],
    ) -> ssl.SSLContext:
        """The verifying context: *ca_certs*, else a CA variable of the environment, else certifi."""
        from_env = env_ca_certs() if ca_certs is None and trust_env else None
        try:
            return build_ssl_context(
                from_env[1] if from_env else ca_certs,
                client_cert=client_cert,
                client_key=client_key,
                client_key_password=client_key_password,
            )
        except ConfigurationError as exc:
            if from_env is None:
                raise
            raise ConfigurationError(
                "%s (from the %s environment variable; trust_env=False ignores it)" % (exc, from_env[0]),
                error_code=exc.error_code,
            ) from None

    # --- introspection ------------------------------------------------------

    @property
    def auth_mode(self) -> str:
        """``signed``, ``clear``, ``jwt``, ``token``, ``session``, ``oauth2``, ``mtls`` or ``anonymous``."""
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
    def max_response_bytes(self) -> int:
        """The largest answer accepted, counted after decompression."""
        return self._max_response_bytes

    @property
    def closed(self) -> bool:
        """True once the client is closed."""
        return self._closed

    def url_for(self, method: str) -> str:
        """The URL *method* is POSTed to (and signed over)."""
        return self._router.url_for(method)

    def _check_open(self) -> None:
        if self._closed:
            raise ConfigurationError("this client is closed")

    def __repr__(self) -> str:
        proxy = self._proxies.describe()
        return "<%s.%s apiKey=%s auth=%s %s%s%s>" % (
            type(self).__module__.rsplit(".", 1)[0],
            type(self).__name__,
            self.api_key,
            self._auth.describe(),
            self._router.describe(),
            " (%s)" % proxy if proxy else "",
            " closed" if self._closed else "",
        )

    def __reduce__(self) -> Any:
        raise TypeError("%s cannot be pickled (it holds credentials and a connection pool)" % type(self).__name__)

