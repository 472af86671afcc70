"""Checking a client's options and choosing its auth strategy (no I/O)."""

from __future__ import annotations

from typing import Any, Optional

from ..errors import ConfigurationError
from .auth import (
    AUTH_MODES,
    Auth,
    ClearSecretAuth,
    JWTBearerAuth,
    NoAuth,
    OAuth2Auth,
    SessionAuth,
    SignedAuth,
    TokenParamAuth,
)
from .routing import is_loopback_host

__all__ = ["choose_auth_mode", "build_auth", "check_transport_security"]


def choose_auth_mode(
    auth: Optional[str],
    *,
    secret: Optional[str],
    user_key: Optional[str],
    private_key: Any,
    client_cert: Any,
    access_token: Optional[str],
    login_token: Optional[str] = None,
) -> str:
    """The auth mode: *auth* when given (checked against the credentials), else inferred.

    Inference: ``private_key`` -> jwt, ``client_cert`` -> mtls, ``access_token``
    -> token, ``login_token`` -> session, ``secret`` -> signed (with
    ``user_key`` when given), none -> anonymous. ``clear`` and ``oauth2`` are
    only chosen explicitly.
    """
    given = [
        name
        for name, value in (
            ("secret", secret),
            ("private_key", private_key),
            ("client_cert", client_cert),
            ("access_token", access_token),
            ("login_token", login_token),
        )
        if value is not None
    ]
    if auth is not None:
        if auth not in AUTH_MODES:
            raise ConfigurationError("auth must be one of %s, not %r" % (", ".join(AUTH_MODES), auth))
        needs = {
            "signed": ["secret"],
            "clear": ["secret"],
            "oauth2": ["secret"],
            "jwt": ["private_key"],
            "mtls": ["client_cert"],
            "token": ["access_token"],
            "session": ["login_token"],
            "anonymous": [],
        }[auth]
        if sorted(given) != sorted(needs):
            raise ConfigurationError(
                "auth=%r takes %s, got %s" % (auth, " + ".join(needs) or "no credentials", ", ".join(given) or "none")
            )
        if auth in ("oauth2", "jwt") and not user_key:
            raise ConfigurationError("auth=%r needs user_key" % auth)
        return auth
    if len(given) > 1:
        raise ConfigurationError(
            "conflicting credentials (%s): pass only one kind, or choose with auth=..." % ", ".join(given)
        )
    if private_key is not None:
        if not user_key:
            raise ConfigurationError("private_key (JWT bearer auth) needs user_key")
        return "jwt"
    if client_cert is not None:
        return "mtls"
    if access_token is not None:
        return "token"
    if login_token is not None:
        if user_key is not None:
            raise ConfigurationError("login_token is sent with the API key only: drop user_key")
        return "session"
    if secret is not None:
        return "signed"
    if user_key is not None:
        raise ConfigurationError("user_key needs a secret (or private_key for JWT bearer auth)")
    return "anonymous"


def build_auth(
    mode: str,
    *,
    secret: Optional[str],
    user_key: Optional[str],
    private_key: Any,
    access_token: Optional[str],
    login_token: Optional[str] = None,
) -> Auth:
    """The strategy object for *mode* (validates secrets and keys now)."""
    if mode == "signed":
        assert secret is not None
        return SignedAuth(secret, user_key)
    if mode == "clear":
        assert secret is not None
        return ClearSecretAuth(secret, user_key)
    if mode == "oauth2":
        assert secret is not None and user_key is not None
        return OAuth2Auth(user_key, secret)
    if mode == "jwt":
        assert user_key is not None
        return JWTBearerAuth(user_key, private_key)
    if mode == "token":
        assert access_token is not None
        return TokenParamAuth(access_token)
    if mode == "session":
        assert login_token is not None
        return SessionAuth(login_token)
    return NoAuth(mode)


def check_transport_security(auth: Auth, scheme: str, base_url: Optional[str]) -> None:
    """Refuse credentials in clear over plain HTTP.

    A secret is never sent over ``http://`` (clear mode, OAuth2 client secret);
    bearer tokens and JWT assertions only to a loopback host; mTLS needs TLS.
    Signed requests are fine: the secret never leaves the process.
    """
    if scheme == "https":
        return
    if auth.mode in ("clear", "oauth2"):
        raise ConfigurationError(
            "auth=%r would send the secret in clear over plain HTTP (%s): use https" % (auth.mode, base_url),
            error_code=403006,
        )
    if auth.mode == "mtls":
        raise ConfigurationError("mTLS needs an https:// base_url")
    if auth.sends_credential and not (base_url and is_loopback_host(base_url)):
        raise ConfigurationError(
            "auth=%r would send a bearer credential over plain HTTP to a non-loopback host: use https" % auth.mode
        )
