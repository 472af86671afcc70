"""What a test does to a :class:`~gigya_fast.testing.LocalCDC` directly, beside
the wire: accounts (with passwords and two-factor flags), sessions, the
outbox, JWT keys, webhooks, and :meth:`ServerControls.reset`."""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Mapping

from .logins import login_fields
from .outbox import Outbox
from .state import ServerState
from .store import seed_profile
from .webhooks import Delivery, Webhook

__all__ = ["ServerControls"]


class ServerControls:
    """The direct controls of a local server (mixed into ``LocalCDC``)."""

    state: ServerState
    _seed_accounts: int = 0

    # -- accounts ------------------------------------------------------------------

    def create_account(
        self,
        profile: Mapping[str, Any] | None = None,
        data: Mapping[str, Any] | None = None,
        uid: str | None = None,
        *,
        password: str | None = None,
        tfa: bool = False,
    ) -> str:
        """Add an account directly (webhooks are notified); returns its UID.

        With *password* the account can log in: its login ID is ``profile["email"]``
        (stored as a salted hash, never in clear). With *tfa* it must also pass
        two-factor verification by email on each new device.
        """
        state = self.state
        email = str((profile or {}).get("email") or "")
        fields = None
        if password is not None:  # an account that can log in: checked before anything is stored
            if not password:
                raise ValueError("an account's password must not be empty")
            if not email:
                raise ValueError("an account with a password needs profile['email'] as its login ID")
            if state.logins.taken(email):
                raise ValueError("an account with this email exists")
            fields = login_fields(email, True)
        try:
            account = state.store.create(profile, data, uid, fields)
        except KeyError:
            raise ValueError(f"an account with UID {uid!r} exists") from None
        new_uid = str(account["UID"])
        if password is not None:
            try:
                state.logins.add(new_uid, email, password)
            except KeyError:
                state.store.delete(new_uid)
                raise ValueError("an account with this email exists") from None
        state.logins.set_tfa(new_uid, tfa)
        state.emit("accountCreated", new_uid)
        return new_uid

    def get_account(self, uid: str) -> Dict[str, Any] | None:
        """A copy of the stored account, or ``None``."""
        return self.state.store.get(uid)

    def update_account(
        self, uid: str, profile: Mapping[str, Any] | None = None, data: Mapping[str, Any] | None = None
    ) -> None:
        """Deep-merge into an account directly (webhooks are notified); ``KeyError`` when unknown."""
        self.state.store.update(uid, profile, data)
        self.state.emit("accountUpdated", uid)

    def delete_account(self, uid: str) -> bool:
        """Remove an account with its logins and sessions (webhooks are notified); False when unknown."""
        deleted = self.state.delete_account(uid)
        if deleted:
            self.state.emit("accountDeleted", uid)
        return deleted

    @property
    def accounts(self) -> List[Dict[str, Any]]:
        """Copies of every stored account."""
        return self.state.store.snapshot()

    # -- sessions and two-factor ---------------------------------------------------

    def set_tfa(self, uid: str, required: bool = True) -> None:
        """Require (or stop requiring) two-factor verification by email for *uid*; ``KeyError`` when unknown."""
        if self.state.store.get(uid) is None:
            raise KeyError(uid)
        self.state.logins.set_tfa(uid, required)

    def issue_login_token(self, uid: str, ttl: float | None = None) -> str:
        """A login token for *uid*, as ``accounts.login`` would give it (no password needed)."""
        if self.state.store.get(uid) is None:
            raise KeyError(uid)
        return self.state.sessions.issue(uid, self.state.now(), ttl or self.state.settings.session_ttl)

    @property
    def outbox(self) -> Outbox:
        """Emails the server would have sent (two-factor codes): ``cdc.outbox.last_code(email)``."""
        return self.state.outbox

    # -- JWT -------------------------------------------------------------------------

    def issue_id_token(self, uid: str, expiration: int = 300, claims: Mapping[str, Any] | None = None) -> str:
        """An id_token as ``accounts.getJWT`` would issue (needs cryptography)."""
        return self.state.jwt.id_token(uid, self.state.now(), expiration, claims)

    @property
    def jwks(self) -> Dict[str, Any]:
        """The JWKS ``accounts.getJWTPublicKey?V2=true`` returns (needs cryptography)."""
        return self.state.jwt.jwks()

    def rotate_jwt_key(self, keep_old: bool = True) -> str:
        """Start signing with a new key; returns its kid."""
        return self.state.jwt.rotate(keep_old)

    # -- webhooks ------------------------------------------------------------------

    def register_webhook(
        self,
        url: str,
        events: Iterable[str] | None = None,
        signing_user_key: str | None = None,
        jwt: bool = True,
    ) -> Webhook:
        """POST signed notifications of account events to *url* (``X-Gigya-Sig-JWT`` too when *jwt*
        and cryptography is installed)."""
        return self.state.webhooks.register(url, events, signing_user_key, jwt)

    def unregister_webhook(self, webhook: Webhook) -> None:
        """Stop notifying *webhook*."""
        self.state.webhooks.unregister(webhook)

    def flush_webhooks(self, timeout: float = 5.0) -> bool:
        """Wait until every queued notification is delivered or given up; False on timeout."""
        return self.state.webhooks.flush(timeout)

    @property
    def webhook_deliveries(self) -> List[Delivery]:
        """Every delivery attempt so far."""
        return self.state.webhooks.deliveries

    # -- reset ---------------------------------------------------------------------

    def reset(self) -> None:
        """Forget everything tests did, keeping the address, API key, partner secret, default
        user key, TLS files and current JWT key: accounts (the seeded ones are seeded anew),
        logins, sessions, registrations, two-factor flows, trusted devices, outbox, request
        log, faults, cursors, OAuth2 tokens, nonces, other user keys, old JWT keys, webhooks
        and the clock offset given at construction."""
        self.state.reset()
        for index in range(self._seed_accounts):
            self.state.store.create(seed_profile(index), {"seedIndex": index})
