"""Everything one local CDC instance knows, shared by its request threads."""

from __future__ import annotations

import time
from dataclasses import dataclass

from .credentials import KeyRing, NonceCache, TokenTable
from .cursors import CursorTable
from .faults import FaultPlan
from .jwtkeys import JWTIssuer
from .logins import LoginTable
from .outbox import Outbox
from .records import RequestLog
from .sessions import DeviceTable, RegTokenTable, SessionTable
from .store import AccountStore
from .tfa_tokens import TFATokens
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
    session_ttl: float = 86400.0
    device_ttl: float = 30 * 86400.0
    require_email_verification: bool = False


class ServerState:
    """The shared state: settings, credentials, accounts (with their logins,
    sessions, pending registrations and two-factor flows), cursors, faults,
    request log, outbox, JWT keys and webhooks, and the (skewable) server clock."""

    def __init__(self, settings: Settings, partner_secret: str, clock_offset: float = 0.0) -> None:
        self.settings = settings
        self.clock_offset = self._initial_clock_offset = clock_offset
        self.default_user_key = ""
        self.keys = KeyRing(partner_secret)
        self.nonces = NonceCache()
        self.tokens = TokenTable()
        self.store = AccountStore(self.now)
        self.logins = LoginTable()
        self.sessions = SessionTable()
        self.reg_tokens = RegTokenTable()
        self.devices = DeviceTable()
        self.tfa = TFATokens()
        self.outbox = Outbox()
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

    def reset(self) -> None:
        """Forget every account and everything clients did (see ``LocalCDC.reset``)."""
        for table in (self.store, self.logins, self.sessions, self.reg_tokens, self.devices, self.tfa):
            table.clear()
        self.outbox.clear()
        self.cursors.expire_all()
        self.faults.clear()
        self.log.clear()
        self.tokens.revoke_all()
        self.nonces.clear()
        self.keys.keep_only(self.default_user_key)
        self.jwt.drop_old_keys()
        self.webhooks.reset()
        self.clock_offset = self._initial_clock_offset

    def delete_account(self, uid: str) -> bool:
        """Remove an account with its login IDs, password and sessions; False when unknown."""
        deleted = self.store.delete(uid)
        if deleted:
            self.logins.remove(uid)
            self.sessions.end_all(uid)
        return deleted

    def emit(self, event_type: str, uid: str, call_id: str | None = None) -> None:
        """Notify webhooks of an account event."""
        self.webhooks.emit(event_type, uid, call_id)
