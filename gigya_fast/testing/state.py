"""Everything one local CDC instance knows, shared by its request threads."""

from __future__ import annotations

import time
from dataclasses import dataclass

from .credentials import KeyRing, NonceCache, TokenTable
from .cursors import CursorTable
from .faults import FaultPlan
from .jwtkeys import JWTIssuer
from .records import RequestLog
from .store import AccountStore
from .webhooks import WebhookDispatcher

__all__ = ["Settings", "ServerState"]


@dataclass
class Settings:
    """Tunable behaviour of a local CDC (all times in seconds)."""

    api_key: str
    scheme: str = "http"
    timestamp_window: float = 120.0
    max_body: int = 1 << 20
    cursor_ttl: float = 300.0
    token_ttl: float = 600.0
    exchange_window: float = 60.0
    data_center: str = "us1"
    allow_insecure_secrets: bool = False
    mtls: bool = False


class ServerState:
    """The shared state: settings, credentials, accounts, cursors, faults,
    request log, JWT keys and webhooks, and the (skewable) server clock."""

    def __init__(self, settings: Settings, partner_secret: str) -> None:
        self.settings = settings
        self.clock_offset = 0.0
        self.keys = KeyRing(partner_secret)
        self.nonces = NonceCache()
        self.tokens = TokenTable()
        self.store = AccountStore(self.now)
        self.cursors = CursorTable(settings.cursor_ttl)
        self.faults = FaultPlan()
        self.log = RequestLog()
        self.jwt = JWTIssuer(settings.api_key, settings.data_center)
        self.webhooks = WebhookDispatcher(settings.api_key, settings.data_center, self.keys, self.jwt, self.now)

    def __repr__(self) -> str:
        return f"<ServerState api_key={self.settings.api_key} accounts={len(self.store)}>"

    @property
    def api_key(self) -> str:
        """The apiKey this server accepts."""
        return self.settings.api_key

    def now(self) -> float:
        """The server clock: wall time plus ``clock_offset``."""
        return time.time() + self.clock_offset

    def emit(self, event_type: str, uid: str, call_id: str | None = None) -> None:
        """Notify webhooks of an account event."""
        self.webhooks.emit(event_type, uid, call_id)
