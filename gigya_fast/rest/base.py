"""What the sync and the async client share: their options, checked once, and
the pieces built from them (routing, auth, clock, request builder, the
attempt loop). No I/O: each client adds its own transport and driver."""

from __future__ import annotations

import ssl
from typing import Any, Optional, Tuple, Union

from ..errors import ConfigurationError
from .attempts import AttemptLoop
from .auth import Auth
from .clock import Clock
from .config import build_auth, check_transport_security, choose_auth_mode
from .prepare import USER_AGENT, RequestBuilder
from .retry import RetryPolicy
from .routing import Router, resolve_api_domain
from .tls import PemSource, build_ssl_context
from .transport import TimeoutSpec, to_timeout

__all__ = ["ClientBase", "DEFAULT_TIMEOUT"]

#: (connect, read) seconds.
DEFAULT_TIMEOUT: Tuple[float, float] = (10.0, 60.0)


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
        access_token: Optional[str],
        auth: Optional[str],
        data_center: str,
        base_url: Optional[str],
        timeout: TimeoutSpec,
        retries: Union[int, RetryPolicy],
        retry_writes: bool,
        user_agent: Optional[str],
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
        self._timeout = to_timeout(timeout)
        self.api_key = api_key
        self._clock = Clock()
        self._builder = RequestBuilder(
            api_key, self._auth, router, clock=self._clock, user_agent=user_agent or USER_AGENT
        )
        self._loop = AttemptLoop(
            self._auth, router, self._clock, self._builder, self._retry_policy, retry_writes=bool(retry_writes)
        )
        self._closed = False

    @staticmethod
    def _ssl_context(
        ca_certs: Optional[PemSource],
        client_cert: Optional[PemSource],
        client_key: Optional[PemSource],
        client_key_password: Optional[Union[str, bytes]],
    ) -> ssl.SSLContext:
        return build_ssl_context(
            ca_certs, client_cert=client_cert, client_key=client_key, client_key_password=client_key_password
        )

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
        return "<%s.%s apiKey=%s auth=%s %s%s>" % (
            type(self).__module__.rsplit(".", 1)[0],
            type(self).__name__,
            self.api_key,
            self._auth.describe(),
            self._router.describe(),
            " closed" if self._closed else "",
        )

    def __reduce__(self) -> Any:
        raise TypeError("%s cannot be pickled (it holds credentials and a connection pool)" % type(self).__name__)

