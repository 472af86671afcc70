"""``LocalCDC``: a real CDC-compatible HTTP(S) server on 127.0.0.1 for tests."""

from __future__ import annotations

import logging
import math
import threading
from types import TracebackType
from typing import List, Sequence, Tuple, Type, Union

from .. import _jose
from .controls import ServerControls
from .credentials import new_api_key, new_secret
from .faults import FaultPlan
from .handler import CDCHTTPServer
from .records import RecordedRequest
from .state import ServerState, Settings
from .tls import TLSMaterial
from .wire import HOST

__all__ = ["LocalCDC", "HOST"]

logger = logging.getLogger(__name__)


def _finite(name: str, value: float, *, positive: bool = False) -> float:
    """*value* as a float; ``ValueError`` naming *name* when NaN/inf (or not > 0 when *positive*)."""
    number = float(value)
    if not math.isfinite(number) or (positive and number <= 0):
        raise ValueError(f"{name} must be a finite number{' > 0' if positive else ''}, not {value!r}")
    return number


def _count(name: str, value: int, low: int, high: int | None = None) -> int:
    """*value* as an int within [low, high]; ``ValueError`` naming *name* otherwise."""
    if isinstance(value, bool) or not isinstance(value, int) or value < low or (high is not None and value > high):
        bound = f"between {low} and {high}" if high is not None else f"an int >= {low}"
        raise ValueError(f"{name} must be {bound}, not {value!r}")
    return value


class LocalCDC(ServerControls):
    """A local SAP CDC look-alike: signed/bearer/mTLS/OAuth2 auth, accounts,
    logins and sessions, registration, two-factor verification by email,
    search cursors, JWTs, webhooks and fault injection.

    Use as a context manager or call :meth:`start`/:meth:`stop`. It listens on
    127.0.0.1 only; ``port=0`` picks a free port. ``tls=True`` serves HTTPS with
    a throwaway CA (``ca_path``) unless *certfile*/*keyfile* are given;
    ``mtls=True`` (implies TLS) also accepts client certificates from
    :meth:`issue_client_cert` as authentication.
    """

    def __init__(
        self,
        tls: bool = False,
        mtls: bool = False,
        port: int = 0,
        seed_accounts: int = 0,
        *,
        api_key: str | None = None,
        partner_secret: str | None = None,
        user_key: str | None = None,
        user_secret: str | None = None,
        certfile: str | None = None,
        keyfile: str | None = None,
        ca_path: str | None = None,
        timestamp_window: float = 120.0,
        max_body: int = 1 << 20,
        cursor_ttl: float = 300.0,
        token_ttl: float = 600.0,
        data_center: str = "us1",
        allow_insecure_secrets: bool = False,
        webhook_retry_delays: Sequence[float] = (0.05, 0.1, 0.2, 0.4, 0.8),
        webhook_max_attempts: int = 6,
        webhook_timeout: float = 10.0,
        webhook_ca: str | None = None,
        clock_offset: float = 0.0,
        session_ttl: float = 86400.0,
        require_email_verification: bool = False,
    ) -> None:
        self._tls_enabled = bool(tls or mtls or certfile)
        self._mtls = mtls
        self._port = _count("port", port, 0, 65535)
        _count("seed_accounts", seed_accounts, 0)
        _count("max_body", max_body, 1)
        _count("webhook_max_attempts", webhook_max_attempts, 1)
        for name, number in (
            ("timestamp_window", timestamp_window),
            ("cursor_ttl", cursor_ttl),
            ("token_ttl", token_ttl),
            ("webhook_timeout", webhook_timeout),
            ("session_ttl", session_ttl),
        ):
            _finite(name, number, positive=True)
        for delay in webhook_retry_delays:
            if _finite("webhook_retry_delays", delay) < 0:
                raise ValueError(f"webhook_retry_delays must not be negative, not {delay!r}")
        clock_offset = _finite("clock_offset", clock_offset)
        self._tls_args = (certfile, keyfile, ca_path)
        settings = Settings(
            api_key=api_key or new_api_key(),
            scheme="https" if self._tls_enabled else "http",
            timestamp_window=timestamp_window,
            max_body=max_body,
            cursor_ttl=cursor_ttl,
            token_ttl=token_ttl,
            data_center=data_center,
            allow_insecure_secrets=allow_insecure_secrets,
            mtls=mtls,
            session_ttl=session_ttl,
            require_email_verification=require_email_verification,
        )
        self.state = ServerState(settings, partner_secret or new_secret(), clock_offset)
        hooks = self.state.webhooks
        hooks.retry_delays = tuple(webhook_retry_delays) or (0.05,)
        hooks.max_attempts, hooks.timeout, hooks.ca_file = webhook_max_attempts, webhook_timeout, webhook_ca
        self._user_key, self._user_secret = self.state.keys.add_user_key(user_key, user_secret)
        self.state.default_user_key = self._user_key
        self._seed_accounts = seed_accounts
        self.reset()
        self._tls: TLSMaterial | None = None
        self._httpd: CDCHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._stopped = False

    # -- lifecycle -----------------------------------------------------------------

    def start(self) -> LocalCDC:
        """Bind 127.0.0.1 and serve from a background thread; returns self."""
        with self._lock:
            if self._httpd is not None:
                return self
            if self._stopped:
                raise RuntimeError("a stopped LocalCDC cannot be restarted; create a new one")
            context = None
            if self._tls_enabled:
                certfile, keyfile, ca_path = self._tls_args
                self._tls = TLSMaterial(certfile, keyfile, ca_path, mtls=self._mtls)
                context = self._tls.server_context()
            try:
                self._httpd = CDCHTTPServer((HOST, self._port), self.state, context)
            except BaseException:
                if self._tls is not None:
                    self._tls.cleanup()
                raise
            self._port = self._httpd.server_address[1]
            self._thread = threading.Thread(
                target=self._httpd.serve_forever,
                kwargs={"poll_interval": 0.05},
                name=f"localcdc-{self._port}",
                daemon=True,
            )
            self._thread.start()
        logger.info("LocalCDC listening on %s", self.url)
        return self

    def stop(self) -> None:
        """Stop serving, close every connection, stop webhook delivery, delete TLS files."""
        with self._lock:
            httpd, self._httpd = self._httpd, None
            if httpd is None:
                return
            self._stopped = True
            httpd.shutdown()
            httpd.server_close()
            httpd.close_connections()
            httpd.join_threads()  # each connection thread closes its own (SSL) socket
            if self._thread is not None:
                self._thread.join(5)
            self.state.webhooks.close()
            if self._tls is not None:
                self._tls.cleanup()
        logger.info("LocalCDC on port %d stopped", self._port)

    def __enter__(self) -> LocalCDC:
        return self.start()

    def __exit__(
        self, exc_type: Type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        where = self.url if self._httpd is not None else "stopped"
        return f"<LocalCDC {where} api_key={self.api_key}>"

    @property
    def running(self) -> bool:
        """True between start() and stop()."""
        return self._httpd is not None

    # -- addresses and credentials -------------------------------------------------

    @property
    def host(self) -> str:
        """Always ``"127.0.0.1"``."""
        return HOST

    @property
    def port(self) -> int:
        """The bound port (after start)."""
        if self._httpd is None and not self._port:
            raise RuntimeError("LocalCDC is not started")
        return self._port

    @property
    def scheme(self) -> str:
        """``http`` or ``https``."""
        return self.state.settings.scheme

    @property
    def url(self) -> str:
        """``http(s)://127.0.0.1:PORT``: the base URL to give the client."""
        return f"{self.scheme}://{HOST}:{self.port}"

    @property
    def api_key(self) -> str:
        """The apiKey the server accepts."""
        return self.state.api_key

    @property
    def partner_secret(self) -> str:
        """The base64 partner secret (a throwaway test value)."""
        return self.state.keys.partner_secret

    @property
    def user_key(self) -> str:
        """The default application/user key."""
        return self._user_key

    @property
    def user_secret(self) -> str:
        """The secret of :attr:`user_key`."""
        return self._user_secret

    @property
    def data_center(self) -> str:
        """The data center name used in webhook JWT headers."""
        return self.state.settings.data_center

    def add_user_key(self, user_key: str | None = None, secret: str | None = None) -> Tuple[str, str]:
        """Register another user key (random when not given); returns ``(user_key, secret)``."""
        return self.state.keys.add_user_key(user_key, secret)

    def remove_user_key(self, user_key: str) -> None:
        """Revoke a user key."""
        self.state.keys.remove_user_key(user_key)

    def register_public_key(self, user_key: str, public_key_pem: Union[str, bytes]) -> None:
        """Accept JWT-bearer tokens with ``kid`` = *user_key* signed by this RSA key (needs cryptography)."""
        self.state.keys.register_public_key(user_key, _jose.load_public_key(public_key_pem))

    def issue_access_token(self, user_key: str | None = None) -> str:
        """An OAuth2 access token for *user_key* (default: :attr:`user_key`), as ``/oauth2/token`` gives."""
        return self.state.tokens.issue(user_key or self._user_key, self.state.now(), self.state.settings.token_ttl)

    @property
    def ca_path(self) -> str | None:
        """PEM of the CA to trust over HTTPS (``None`` for plain HTTP or before start)."""
        return self._tls.ca_path if self._tls is not None else None

    def issue_client_cert(self, name: str = "client") -> Tuple[str, str]:
        """A client certificate for mTLS: ``(cert_path, key_path)``; needs ``mtls=True`` and start()."""
        if self._tls is None:
            raise RuntimeError("issue_client_cert needs a started LocalCDC(mtls=True)")
        return self._tls.issue_client_cert(name)

    @property
    def clock_offset(self) -> float:
        """Seconds added to the server clock (simulates client clock skew)."""
        return self.state.clock_offset

    @clock_offset.setter
    def clock_offset(self, value: float) -> None:
        self.state.clock_offset = _finite("clock_offset", value)

    # -- inspection and control ----------------------------------------------------

    @property
    def requests(self) -> List[RecordedRequest]:
        """Every request answered so far, oldest first."""
        return self.state.log.snapshot()

    def clear_requests(self) -> None:
        """Empty the request log."""
        self.state.log.clear()

    @property
    def faults(self) -> FaultPlan:
        """Fault injection: ``cdc.faults.add(method, error_code=..., times=..., ...)``."""
        return self.state.faults

    def expire_cursors(self) -> None:
        """Forget every open search cursor, as if idle for longer than the TTL."""
        self.state.cursors.expire_all()
