"""Server-side credential tables: user keys, JWT-bearer public keys, nonces
already used and OAuth2 access tokens."""

from __future__ import annotations

import base64
import secrets
import string
import threading
from dataclasses import dataclass
from typing import Any, Dict, Tuple

from .._signing import Signer

__all__ = ["KeyRing", "NonceCache", "TokenTable", "AccessToken", "new_api_key", "new_user_key", "new_secret"]


_ALNUM = string.ascii_letters + string.digits


def new_api_key() -> str:
    """A random apiKey shaped like CDC's (``3_`` + 64 URL-safe characters)."""
    return "3_" + secrets.token_urlsafe(48)[:64]


def new_user_key() -> str:
    """A random application/user key shaped like CDC's (12 alphanumerics)."""
    return "".join(secrets.choice(_ALNUM) for _ in range(12))


def new_secret() -> str:
    """A random base64 secret (24 random bytes)."""
    return base64.b64encode(secrets.token_bytes(24)).decode("ascii")


class KeyRing:
    """The partner secret, the user keys with their secrets and the public
    keys registered for JWT-bearer authentication. Secrets never appear in
    ``repr()``."""

    def __init__(self, partner_secret: str) -> None:
        Signer(partner_secret)  # validates the base64 now, not at the first request
        self._lock = threading.Lock()
        self.partner_secret = partner_secret
        self._user_secrets: Dict[str, str] = {}
        self._public_keys: Dict[str, Any] = {}

    def __repr__(self) -> str:
        return f"<KeyRing user_keys={len(self._user_secrets)} public_keys={len(self._public_keys)}>"

    def add_user_key(self, user_key: str | None = None, secret: str | None = None) -> Tuple[str, str]:
        """Register (or replace) a user key; random key/secret when not given."""
        user_key = user_key or new_user_key()
        secret = secret or new_secret()
        Signer(secret)
        with self._lock:
            self._user_secrets[user_key] = secret
        return user_key, secret

    def remove_user_key(self, user_key: str) -> None:
        """Forget a user key (its secret and public key)."""
        with self._lock:
            self._user_secrets.pop(user_key, None)
            self._public_keys.pop(user_key, None)

    def user_secret(self, user_key: str) -> str | None:
        """The secret of *user_key*, or ``None`` when unknown."""
        with self._lock:
            return self._user_secrets.get(user_key)

    def keep_only(self, user_key: str) -> None:
        """Forget every user key and public key but *user_key* (and its secret)."""
        with self._lock:
            self._user_secrets = {k: v for k, v in self._user_secrets.items() if k == user_key}
            self._public_keys.clear()

    def register_public_key(self, user_key: str, public_key: Any) -> None:
        """Accept JWT-bearer tokens with ``kid`` = *user_key* signed by *public_key* (a loaded RSA key)."""
        with self._lock:
            self._public_keys[user_key] = public_key

    def public_key(self, user_key: str) -> Any | None:
        """The registered public key of *user_key*, or ``None``."""
        with self._lock:
            return self._public_keys.get(user_key)

    def secret_for(self, user_key: str | None) -> str:
        """The secret that signs on behalf of *user_key*: its own, else the partner secret."""
        if user_key:
            secret = self.user_secret(user_key)
            if secret is not None:
                return secret
        return self.partner_secret


class NonceCache:
    """Nonces (and JWT ``jti``) seen recently; remembered until they expire."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: Dict[str, float] = {}
        self._next_sweep = 0.0

    def remember(self, nonce: str, now: float, keep_for: float) -> bool:
        """Record *nonce*; False when it was already seen and has not expired."""
        with self._lock:
            if now >= self._next_sweep:
                self._seen = {k: v for k, v in self._seen.items() if v > now}
                self._next_sweep = now + 30.0
            expiry = self._seen.get(nonce)
            if expiry is not None and expiry > now:
                return False
            self._seen[nonce] = now + keep_for
            return True

    def __len__(self) -> int:
        with self._lock:
            return len(self._seen)

    def clear(self) -> None:
        """Forget every nonce."""
        with self._lock:
            self._seen.clear()


@dataclass(frozen=True)
class AccessToken:
    """An OAuth2 access token issued by ``/oauth2/token``."""

    user_key: str
    expires_at: float

    def __repr__(self) -> str:
        return f"AccessToken(user_key={self.user_key!r}, expires_at={self.expires_at!r})"


class TokenTable:
    """OAuth2 access tokens: opaque random strings -> :class:`AccessToken`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tokens: Dict[str, AccessToken] = {}

    def issue(self, user_key: str, now: float, ttl: float) -> str:
        """A new access token for *user_key*, valid *ttl* seconds."""
        token = "st2." + secrets.token_urlsafe(32).replace(".", "")  # one dot: never taken for a JWT
        with self._lock:
            self._tokens = {k: v for k, v in self._tokens.items() if v.expires_at > now}
            self._tokens[token] = AccessToken(user_key, now + ttl)
        return token

    def lookup(self, token: str, now: float) -> AccessToken | None:
        """The live token, or ``None`` when unknown or expired."""
        with self._lock:
            entry = self._tokens.get(token)
        if entry is None or entry.expires_at <= now:
            return None
        return entry

    def revoke_all(self) -> None:
        """Invalidate every issued token."""
        with self._lock:
            self._tokens.clear()
