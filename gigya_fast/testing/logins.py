"""Login identifiers, password hashes and two-factor flags of local accounts.

Passwords are kept only as salted hashes (``hashlib.scrypt``, or PBKDF2-SHA256
where the interpreter's OpenSSL lacks scrypt) and compared in constant time;
a failed lookup costs a hash too, so timing does not tell whether a loginID
exists. Nothing here ever holds a password in clear.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import threading
from dataclasses import dataclass, field
from typing import Any, Dict, List, Set

__all__ = ["LoginTable", "PasswordHash", "hash_password", "login_fields", "normalize_login_id"]

_SCRYPT = {"n": 1 << 14, "r": 8, "p": 1}  # the usual interactive-login cost (16 MiB)
_PBKDF2_ROUNDS = 200_000


@dataclass(frozen=True)
class PasswordHash:
    """A salted password hash; ``repr`` shows the algorithm only."""

    algorithm: str
    salt: bytes = field(repr=False)
    digest: bytes = field(repr=False)

    def matches(self, password: str) -> bool:
        """True when *password* hashes to this digest (constant-time comparison)."""
        return hmac.compare_digest(_derive(self.algorithm, password, self.salt), self.digest)


def _derive(algorithm: str, password: str, salt: bytes) -> bytes:
    data = password.encode("utf-8", "surrogatepass")
    if algorithm == "scrypt":
        return hashlib.scrypt(data, salt=salt, dklen=32, **_SCRYPT)
    return hashlib.pbkdf2_hmac("sha256", data, salt, _PBKDF2_ROUNDS)


def hash_password(password: str) -> PasswordHash:
    """A new salted hash of *password*."""
    algorithm = "scrypt" if hasattr(hashlib, "scrypt") else "pbkdf2-sha256"
    salt = os.urandom(16)
    return PasswordHash(algorithm, salt, _derive(algorithm, password, salt))


_DECOY = hash_password("never a password of anyone")


def login_fields(email: str, verified: bool) -> Dict[str, Any]:
    """The account fields that list *email* as login ID and address (verified or not)."""
    return {
        "isVerified": verified,
        "loginIDs": {"emails": [email], "unverifiedEmails": [] if verified else [email]},
        "emails": {"verified": [email] if verified else [], "unverified": [] if verified else [email]},
    }


def normalize_login_id(login_id: str) -> str:
    """The form login IDs are compared in (CDC login IDs are case-insensitive)."""
    return login_id.strip().lower()


class LoginTable:
    """loginID -> UID, UID -> password hash, and the UIDs that must pass two-factor verification."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._uid_by_login: Dict[str, str] = {}
        self._hashes: Dict[str, PasswordHash] = {}
        self._tfa: Set[str] = set()

    def __repr__(self) -> str:
        with self._lock:
            return f"<LoginTable login_ids={len(self._uid_by_login)} tfa={len(self._tfa)}>"

    def taken(self, login_id: str) -> bool:
        """True when *login_id* belongs to an account."""
        with self._lock:
            return normalize_login_id(login_id) in self._uid_by_login

    def add(self, uid: str, login_id: str, password: str) -> None:
        """Give *uid* a login ID and password; ``KeyError`` when the login ID is taken."""
        digest = hash_password(password)
        key = normalize_login_id(login_id)
        with self._lock:
            if key in self._uid_by_login:
                raise KeyError(login_id)
            self._uid_by_login[key] = uid
            self._hashes[uid] = digest

    def set_password(self, uid: str, password: str) -> None:
        """Replace the password of *uid*."""
        digest = hash_password(password)
        with self._lock:
            self._hashes[uid] = digest

    def check(self, uid: str, password: str) -> bool:
        """True when *password* is the password of *uid*."""
        with self._lock:
            digest = self._hashes.get(uid)
        return (digest or _DECOY).matches(password) and digest is not None

    def verify(self, login_id: str, password: str) -> str | None:
        """The UID whose login ID and password these are, or ``None``."""
        with self._lock:
            uid = self._uid_by_login.get(normalize_login_id(login_id))
        if uid is None:
            _DECOY.matches(password)  # same work as a wrong password
            return None
        return uid if self.check(uid, password) else None

    def login_ids(self, uid: str) -> List[str]:
        """The login IDs of *uid*."""
        with self._lock:
            return [login for login, owner in self._uid_by_login.items() if owner == uid]

    def remove(self, uid: str) -> None:
        """Forget every login ID, the password and the two-factor flag of *uid*."""
        with self._lock:
            self._uid_by_login = {k: v for k, v in self._uid_by_login.items() if v != uid}
            self._hashes.pop(uid, None)
            self._tfa.discard(uid)

    def set_tfa(self, uid: str, required: bool) -> None:
        """Require (or stop requiring) two-factor verification by email for *uid*."""
        with self._lock:
            (self._tfa.add if required else self._tfa.discard)(uid)

    def needs_tfa(self, uid: str) -> bool:
        """True when *uid* must pass two-factor verification on a new device."""
        with self._lock:
            return uid in self._tfa

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._uid_by_login.clear()
            self._hashes.clear()
            self._tfa.clear()
