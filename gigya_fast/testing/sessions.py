"""Login sessions, registration tokens and remembered devices.

A login token (``sessionInfo.cookieValue``) names a session of one UID until
it expires or ``accounts.logout`` ends it. A ``regToken`` names an unfinished
registration or login (valid one hour, as CDC documents) and carries what the
flow has done so far (two-factor verification). A device is a ``gmid`` that
completed two-factor verification for a UID.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass
from typing import Dict, Tuple

__all__ = ["ExpiringMap", "SessionTable", "RegTokenTable", "PendingLogin", "DeviceTable", "REG_TOKEN_TTL", "new_token"]

#: Seconds a regToken stays valid (CDC: one hour).
REG_TOKEN_TTL = 3600.0


def new_token(prefix: str) -> str:
    """An unguessable opaque token (URL-safe, no ``.`` after the prefix)."""
    return prefix + secrets.token_urlsafe(32).replace(".", "")


class ExpiringMap:
    """A thread-safe map of token -> (value, expires_at); expired entries read as absent."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: Dict[str, Tuple[object, float]] = {}

    def put(self, token: str, value: object, expires_at: float) -> None:
        """Store *value* under *token* until *expires_at*."""
        with self._lock:
            self._items[token] = (value, expires_at)

    def get(self, token: str, now: float) -> object | None:
        """The live value of *token*, or ``None``."""
        with self._lock:
            found = self._items.get(token)
            if found is None:
                return None
            if found[1] <= now:
                del self._items[token]
                return None
            return found[0]

    def pop(self, token: str) -> bool:
        """Forget *token*; False when it was not there."""
        with self._lock:
            return self._items.pop(token, None) is not None

    def drop_where(self, value: object) -> int:
        """Forget every token holding *value*; returns how many."""
        with self._lock:
            gone = [k for k, (v, _) in self._items.items() if v == value]
            for key in gone:
                del self._items[key]
            return len(gone)

    def sweep(self, now: float) -> None:
        """Forget expired tokens."""
        with self._lock:
            self._items = {k: item for k, item in self._items.items() if item[1] > now}

    def clear(self) -> None:
        """Forget every token."""
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)


class SessionTable(ExpiringMap):
    """Login tokens -> UID."""

    def issue(self, uid: str, now: float, ttl: float) -> str:
        """A new login token for *uid*, valid *ttl* seconds."""
        self.sweep(now)
        token = new_token("st2.s.")
        self.put(token, uid, now + ttl)
        return token

    def uid_for(self, token: str, now: float) -> str | None:
        """The UID of a live session, or ``None`` (unknown, expired or logged out)."""
        uid = self.get(token, now)
        return uid if isinstance(uid, str) else None

    def end(self, token: str) -> bool:
        """Log one session out; False when it was not live."""
        return self.pop(token)

    def end_all(self, uid: str) -> int:
        """Log every session of *uid* out; returns how many ended."""
        return self.drop_where(uid)


@dataclass
class PendingLogin:
    """What a regToken stands for: a registration not yet tied to an account
    (``uid`` None) or the pending login of *uid*, the device (``gmid``) it
    started on, and whether two-factor verification was completed within it."""

    uid: str | None
    gmid: str | None = None
    tfa_verified: bool = False


class RegTokenTable(ExpiringMap):
    """regTokens -> :class:`PendingLogin` (valid :data:`REG_TOKEN_TTL` seconds)."""

    def issue(self, uid: str | None, now: float, gmid: str | None = None) -> str:
        """A new regToken (for *uid*, or for a registration still to come), started on device *gmid*."""
        self.sweep(now)
        token = new_token("")
        self.put(token, PendingLogin(uid, gmid), now + REG_TOKEN_TTL)
        return token

    def pending(self, token: str, now: float) -> PendingLogin | None:
        """The live pending login, or ``None``."""
        found = self.get(token, now)
        return found if isinstance(found, PendingLogin) else None

    def bind(self, token: str, uid: str, now: float) -> bool:
        """Tie a live registration token to the account *uid*; False when it is gone or already tied."""
        with self._lock:
            found = self._items.get(token)
            if found is None or found[1] <= now or not isinstance(found[0], PendingLogin) or found[0].uid is not None:
                return False
            found[0].uid = uid
            return True


class DeviceTable(ExpiringMap):
    """(UID, gmid) pairs that completed two-factor verification."""

    def remember(self, uid: str, gmid: str, until: float) -> None:
        """Trust *gmid* for *uid* until *until*."""
        self.put(f"{uid}\n{gmid}", True, until)

    def trusted(self, uid: str, gmid: str | None, now: float) -> bool:
        """True when *gmid* completed two-factor verification for *uid* and is still remembered."""
        return bool(gmid) and self.get(f"{uid}\n{gmid}", now) is not None
