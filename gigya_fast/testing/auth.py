"""Request authentication, as CDC does it (docs/protocol.md sections 2-3).

Modes, tried in this order: ``Authorization: Bearer`` (JWT signed by a
registered public key, or an OAuth2 access token), ``oauth_token`` param,
HMAC signature (``sig`` with ``timestamp``/``nonce``, optional ``userKey``),
``secret`` in clear (HTTPS only), mTLS client certificate, a login session
(``login_token`` param or the ``glt_<apiKey>`` cookie, for the methods in
:data:`SESSION_METHODS`), and finally the client-side methods that need only
the API key (``apiKey``, ``ApiKey`` or ``APIKey``).
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field

from .. import _jose
from .._signing import Signer, build_base_string
from ..errors import GigyaError
from .envelope import CDCError
from .state import ServerState
from .wire import Incoming, api_key_of

__all__ = ["AuthResult", "authenticate", "ANONYMOUS_METHODS", "SESSION_METHODS", "check_clear_secret"]

#: Methods callable with only the API key, as a browser or app calls them (lower-case).
ANONYMOUS_METHODS = frozenset(
    {
        "accounts.getjwtpublickey",
        "accounts.login",
        "accounts.initregistration",
        "accounts.register",
        "accounts.finalizeregistration",
        "accounts.websdkbootstrap",
        "accounts.tfa.inittfa",
        "accounts.tfa.getproviders",
        "accounts.tfa.finalizetfa",
        "accounts.tfa.email.getemails",
        "accounts.tfa.email.sendverificationcode",
        "accounts.tfa.email.completeverification",
    }
)

#: Methods a login session (``login_token``) authorises, for its own account (lower-case).
SESSION_METHODS = frozenset(
    {"accounts.getaccountinfo", "accounts.setaccountinfo", "accounts.getjwt", "accounts.logout"}
)


@dataclass(frozen=True)
class AuthResult:
    """Who made an authenticated request: the mode, the user key if any and,
    for a login session, its UID and token (the token never in ``repr``)."""

    mode: str
    user_key: str | None = None
    uid: str | None = None
    login_token: str | None = field(default=None, repr=False)


def _missing(name: str) -> CDCError:
    return CDCError(400002, f"Missing required parameter: {name}")


def authenticate(state: ServerState, request: Incoming, method: str) -> AuthResult:
    """Check the credentials of *request* for *method*; raise ``CDCError`` when refused."""
    params = request.params
    api_key = api_key_of(params)
    if not api_key:
        raise _missing("apiKey")
    if api_key != state.api_key:
        raise CDCError(400093, "Invalid ApiKey parameter")
    authorization = request.header("Authorization")
    if authorization is not None:
        return _bearer(state, authorization)
    if "oauth_token" in params:
        return _access_token(state, params["oauth_token"], "oauth_token")
    if "sig" in params:
        return _signed(state, request)
    if "secret" in params:
        user_key = params.get("userKey") or None
        check_clear_secret(state, request, user_key, params["secret"])
        return AuthResult("user_secret" if user_key else "partner_secret", user_key)
    if request.client_cert:
        return AuthResult("mtls")
    token = params.get("login_token") or request.cookies.get(f"glt_{api_key}", "").split("|", 1)[0]
    if token and method.lower() in SESSION_METHODS:
        uid = state.sessions.uid_for(token, state.now())
        if uid is None:
            raise CDCError(403005, "Unauthorized user: the login_token is invalid, expired or logged out")
        return AuthResult("login_token", uid=uid, login_token=token)
    if method.lower() in ANONYMOUS_METHODS:
        return AuthResult("anonymous")
    raise CDCError(
        400002, "Missing required parameter: sig (or secret, a bearer token, oauth_token or a client certificate)"
    )


def _check_window(state: ServerState, timestamp: int, what: str) -> None:
    now = state.now()
    if abs(now - timestamp) > state.settings.timestamp_window:
        raise CDCError(
            403002,
            f"{what} is outside the accepted window of {int(state.settings.timestamp_window)}s"
            " around the server time; see the Date header",
        )


def _remember(state: ServerState, nonce: str) -> None:
    if not state.nonces.remember(nonce, state.now(), 2 * state.settings.timestamp_window + 60):
        raise CDCError(403004, "Duplicate nonce")


def _signed(state: ServerState, request: Incoming) -> AuthResult:
    params = request.params
    for name in ("timestamp", "nonce"):
        if not params.get(name):
            raise _missing(name)
    text = params["timestamp"]
    if not (text.isascii() and text.isdigit() and len(text) <= 15):
        raise CDCError(400006, "Invalid parameter value: timestamp must be Unix seconds")
    _check_window(state, int(text), "timestamp")
    user_key = params.get("userKey") or None
    if user_key is None:
        secret = state.keys.partner_secret
    else:
        found = state.keys.user_secret(user_key)
        if found is None:
            raise CDCError(403005, "Unauthorized user: unknown userKey")
        secret = found
    try:
        base = build_base_string(request.http_method, request.url, params)
    except (ValueError, TypeError):
        raise CDCError(400001, "cannot build the signed URL from the Host header") from None
    expected = Signer(secret).sign(base).encode("ascii")
    given = params["sig"]
    if not given.isascii() or not hmac.compare_digest(expected, given.encode("ascii")):
        raise CDCError(403003, "Invalid request signature")
    _remember(state, "{}|{}|{}".format(state.api_key, user_key or "", params["nonce"]))
    return AuthResult("user_sig" if user_key else "partner_sig", user_key)


def check_clear_secret(state: ServerState, request: Incoming, user_key: str | None, secret: str) -> None:
    """Accept a secret sent in clear: HTTPS only (403006), matching the key's secret (403003)."""
    if not request.secure and not state.settings.allow_insecure_secrets:
        raise CDCError(403006, "secrets may only be sent over HTTPS")
    if user_key is None:
        expected = state.keys.partner_secret
    else:
        found = state.keys.user_secret(user_key)
        if found is None:
            raise CDCError(403005, "Unauthorized user: unknown userKey")
        expected = found
    if not secret.isascii() or not hmac.compare_digest(expected.encode("ascii"), secret.encode("ascii")):
        raise CDCError(403003, "Invalid secret")


def _bearer(state: ServerState, authorization: str) -> AuthResult:
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise CDCError(400008, "Authorization header must be 'Bearer <token>'")
    if token.count(".") == 2:
        return _jwt_bearer(state, token)
    return _access_token(state, token, "oauth2")


def _access_token(state: ServerState, token: str, mode: str) -> AuthResult:
    entry = state.tokens.lookup(token, state.now())
    if entry is None:
        raise CDCError(403005, "Unauthorized user: access token is invalid or expired")
    return AuthResult(mode, entry.user_key)


def _jwt_bearer(state: ServerState, token: str) -> AuthResult:
    try:
        header, claims, signing_input, signature = _jose.split_token(token)
    except GigyaError:
        raise CDCError(400008, "bearer token is not a JWT") from None
    kid = header.get("kid")
    if header.get("alg") != "RS256" or not isinstance(kid, str) or not kid:
        raise CDCError(400008, "bearer JWT must be RS256 with kid = userKey")
    public_key = state.keys.public_key(kid)
    if public_key is None:
        raise CDCError(400008, "no public key registered for this kid")
    if not _jose.verify_rs256(signing_input, signature, public_key):
        raise CDCError(400008, "bearer JWT signature does not verify")
    iat, jti = claims.get("iat"), claims.get("jti")
    if isinstance(iat, bool) or not isinstance(iat, (int, float)):
        raise CDCError(400008, "bearer JWT needs a numeric iat claim")
    if not isinstance(jti, str) or not jti:
        raise CDCError(400008, "bearer JWT needs a jti claim")
    _check_window(state, int(iat), "iat")
    _remember(state, f"jti|{kid}|{jti}")
    return AuthResult("jwt", kid)
