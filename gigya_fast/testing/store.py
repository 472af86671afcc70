"""In-memory account storage with CDC-like fields and deep-merge updates."""

from __future__ import annotations

import copy
import threading
import uuid
from typing import Any, Callable, Dict, List, Mapping

from .envelope import format_time

__all__ = ["AccountStore", "deep_merge", "seed_profile"]


Account = Dict[str, Any]


def deep_merge(target: Dict[str, Any], patch: Mapping[str, Any]) -> None:
    """Merge *patch* into *target* in place: objects recursively, ``None`` deletes a field."""
    for key, value in patch.items():
        if value is None:
            target.pop(key, None)
        elif isinstance(value, Mapping) and isinstance(target.get(key), dict):
            deep_merge(target[key], value)
        else:
            target[key] = copy.deepcopy(value)


_FIRST = ("Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Margaret", "Dennis")
_LAST = ("Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson", "Hamilton", "Ritchie")
_COUNTRIES = ("US", "DE", "FR", "IL", "AU", "GB")


def seed_profile(index: int) -> Dict[str, Any]:
    """A deterministic fake profile for seeded account number *index*."""
    first, last = _FIRST[index % len(_FIRST)], _LAST[(index // len(_FIRST)) % len(_LAST)]
    return {
        "firstName": first,
        "lastName": last,
        "nickname": f"{first.lower()}{index}",
        "email": f"user{index}@example.com",
        "age": 18 + index % 60,
        "gender": "fm"[index % 2],
        "country": _COUNTRIES[index % len(_COUNTRIES)],
    }


class AccountStore:
    """Thread-safe map of UID -> account; every read returns a deep copy."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._lock = threading.RLock()
        self._accounts: Dict[str, Account] = {}

    def _stamp(self, account: Account, *, created: bool = False, registered: bool = False) -> None:
        now = self._clock()
        millis = int(now * 1000)
        if created:
            account["created"] = format_time(now)
            account["createdTimestamp"] = millis
        if registered:
            account["registered"] = format_time(now)
            account["registeredTimestamp"] = millis
        account["lastUpdated"] = format_time(now)
        account["lastUpdatedTimestamp"] = millis

    def create(
        self,
        profile: Mapping[str, Any] | None = None,
        data: Mapping[str, Any] | None = None,
        uid: str | None = None,
        fields: Mapping[str, Any] | None = None,
        *,
        registered: bool = True,
    ) -> Account:
        """Add a new account and return a copy; ``KeyError`` when *uid* is taken.

        *fields* adds top-level fields; ``registered=False`` leaves the
        registration pending (``isRegistered`` false, no ``registered`` stamp)."""
        with self._lock:
            uid = uid or uuid.uuid4().hex
            if uid in self._accounts:
                raise KeyError(uid)
            account: Account = {
                "UID": uid,
                "isActive": True,
                "isRegistered": registered,
                "isVerified": False,
                "socialProviders": "site",
                "regSource": "gigya_fast.testing",
                "profile": {},
                "data": {},
            }
            deep_merge(account["profile"], profile or {})
            deep_merge(account["data"], data or {})
            for key, value in (fields or {}).items():
                account[key] = copy.deepcopy(value)
            self._stamp(account, created=True, registered=registered)
            self._accounts[uid] = account
            return copy.deepcopy(account)

    def get(self, uid: str) -> Account | None:
        """A copy of the account, or ``None``."""
        with self._lock:
            account = self._accounts.get(uid)
            return copy.deepcopy(account) if account is not None else None

    def update(
        self,
        uid: str,
        profile: Mapping[str, Any] | None = None,
        data: Mapping[str, Any] | None = None,
        fields: Mapping[str, Any] | None = None,
    ) -> Account:
        """Deep-merge *profile*/*data* (and top-level *fields*); ``KeyError`` when unknown."""
        with self._lock:
            account = self._accounts[uid]
            deep_merge(account["profile"], profile or {})
            deep_merge(account["data"], data or {})
            for key, value in (fields or {}).items():
                account[key] = copy.deepcopy(value)
            self._stamp(account)
            return copy.deepcopy(account)

    def finalize_registration(self, uid: str) -> bool:
        """Mark a pending registration complete; False when it already was; ``KeyError`` when unknown."""
        with self._lock:
            account = self._accounts[uid]
            if account.get("isRegistered"):
                return False
            account["isRegistered"] = True
            self._stamp(account, registered=True)
            return True

    def mark_login(self, uid: str) -> Account:
        """Stamp ``lastLogin``/``lastLoginTimestamp`` now and return a copy; ``KeyError`` when unknown."""
        with self._lock:
            account = self._accounts[uid]
            now = self._clock()
            account["lastLogin"] = format_time(now)
            account["lastLoginTimestamp"] = int(now * 1000)
            return copy.deepcopy(account)

    def delete(self, uid: str) -> bool:
        """Remove the account; False when there was none."""
        with self._lock:
            return self._accounts.pop(uid, None) is not None

    def clear(self) -> None:
        """Forget every account."""
        with self._lock:
            self._accounts.clear()

    def snapshot(self) -> List[Account]:
        """Copies of every account, oldest first."""
        with self._lock:
            return copy.deepcopy(list(self._accounts.values()))

    def __len__(self) -> int:
        with self._lock:
            return len(self._accounts)

    def __contains__(self, uid: object) -> bool:
        with self._lock:
            return uid in self._accounts
