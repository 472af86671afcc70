"""How a request proves who sends it. Every strategy is free of I/O: it adds
parameters and headers to a request about to be sent.

Modes (docs/protocol.md section 3): ``signed`` (partner secret, or user key +
secret), ``clear`` (secret as a parameter, HTTPS only), ``jwt`` (RS256 bearer
assertion made from an RSA private key), ``token`` (an ``oauth_token``
parameter), ``session`` (a user's ``login_token``, as a browser or app sends
it: API key and token, no signature), ``oauth2`` (client-credentials bearer
tokens, refreshed before they expire), ``mtls`` and ``anonymous`` (``apiKey``
only).
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from typing import Any, Callable, Dict, Mapping, NamedTuple, Optional, Tuple

from .._jose import encode_rs256, load_private_key
from .._signing import Signer, build_query_string, percent_encode
from ..errors import AuthenticationError, ConfigurationError, GigyaError, MalformedResponseError, error_for_code

__all__ = [
    "AUTH_MODES",
    "Secret",
    "make_bearer_jwt",
    "load_rsa_private_key",
    "Auth",
    "SignedAuth",
    "ClearSecretAuth",
    "TokenParamAuth",
    "SessionAuth",
    "JWTBearerAuth",
    "OAuth2Auth",
    "NoAuth",
    "OAuth2Token",
    "token_request_body",
    "parse_token_response",
]

logger = logging.getLogger(__name__)

AUTH_MODES = ("signed", "clear", "jwt", "token", "session", "oauth2", "mtls", "anonymous")

Header = Optional[Tuple[str, str]]
TokenFetcher = Callable[[bytes], Tuple[int, Mapping[str, str], bytes]]


class Secret:
    """Holds a credential so that ``repr``/``vars``/logging never show it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The clear value; only for putting it on the wire."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    def __reduce__(self) -> Any:
        raise TypeError("Secret cannot be pickled")


def load_rsa_private_key(private_key: Any) -> Any:
    """A loaded ``cryptography`` RSA key from PEM text/bytes (PKCS#1 or PKCS#8), or the key object itself.

    Raises ``ConfigurationError`` for a bad key and ``MissingDependencyError``
    without the ``jwt`` extra.
    """
    if isinstance(private_key, (str, bytes, bytearray)):
        try:
            return load_private_key(bytes(private_key) if not isinstance(private_key, str) else private_key)
        except ValueError as exc:
            raise ConfigurationError(str(exc)) from None
    if not hasattr(private_key, "sign") or not hasattr(private_key, "public_key"):
        raise ConfigurationError("private_key must be PEM text/bytes or an RSA private key object")
    return private_key


def make_bearer_jwt(
    user_key: str,
    private_key: Any,
    *,
    now: Optional[float] = None,
    jti: Optional[str] = None,
) -> str:
    """An RS256 JWT for ``Authorization: Bearer``: header ``{alg, typ, kid=user_key}``, claims ``{iat, jti}``.

    *private_key* is PEM (PKCS#1 ``RSA PRIVATE KEY`` or PKCS#8), as str or
    bytes, or an already loaded RSA key (faster when called often). ``iat`` is
    *now* (default: current time) in whole seconds; ``jti`` defaults to 128
    random bits in hex. Needs the ``jwt`` extra.
    """
    if not isinstance(user_key, str) or not user_key:
        raise ValueError("user_key must be a non-empty str")
    key = load_rsa_private_key(private_key)
    issued = int(time.time() if now is None else now)
    claims = {"iat": issued, "jti": jti if jti is not None else os.urandom(16).hex()}
    return encode_rs256(claims, key, {"kid": user_key})


class Auth:
    """Base strategy: adds nothing (anonymous calls: ``apiKey`` only; also mTLS)."""

    mode = "anonymous"
    #: True when the strategy puts a reusable credential on the wire.
    sends_credential = False
    user_key: Optional[str] = None

    def token_due(self) -> bool:
        """True when :meth:`prepare` must fetch a token before the next :meth:`apply` (OAuth2 only)."""
        return False

    def prepare(self, fetch: TokenFetcher) -> None:
        """Do any I/O needed before :meth:`apply` (OAuth2 token refresh); a no-op here."""

    def apply(self, url: str, params: Dict[str, object], now: float, nonce: str) -> Tuple[bytes, Header]:
        """Complete *params* (mutated) and return ``(body, extra_header)`` for one attempt."""
        return build_query_string(params).encode("utf-8"), None

    def invalidate(self) -> None:
        """Forget cached credentials (after a re-route)."""

    def describe(self) -> str:
        """Secret-free description."""
        return self.mode


class NoAuth(Auth):
    """``apiKey`` only: anonymous calls, or mTLS where the certificate authenticates."""

    def __init__(self, mode: str = "anonymous") -> None:
        self.mode = mode


class SignedAuth(Auth):
    """HMAC-SHA1 signed requests (partner secret, or *user_key* + its secret)."""

    mode = "signed"

    def __init__(self, secret: str, user_key: Optional[str] = None) -> None:
        self._signer = Signer(secret)  # validates the secret now, not at the first call
        self.user_key = user_key

    def apply(self, url: str, params: Dict[str, object], now: float, nonce: str) -> Tuple[bytes, Header]:
        params["timestamp"] = int(now)
        params["nonce"] = nonce
        if self.user_key is not None:
            params["userKey"] = self.user_key
        query, sig = self._signer.sign_request("POST", url, params)
        return (query + "&sig=" + percent_encode(sig)).encode("utf-8"), None

    def describe(self) -> str:
        return "signed (%s)" % ("userKey=%s" % self.user_key if self.user_key else "partner secret")


class ClearSecretAuth(Auth):
    """The secret itself as a parameter (opt-in, HTTPS only)."""

    mode = "clear"
    sends_credential = True

    def __init__(self, secret: str, user_key: Optional[str] = None) -> None:
        Signer(secret)  # same strict validation as signed mode
        self._secret = Secret(secret)
        self.user_key = user_key

    def apply(self, url: str, params: Dict[str, object], now: float, nonce: str) -> Tuple[bytes, Header]:
        params["secret"] = self._secret.reveal()
        if self.user_key is not None:
            params["userKey"] = self.user_key
        return build_query_string(params).encode("utf-8"), None


class TokenParamAuth(Auth):
    """An access token sent as the ``oauth_token`` parameter."""

    mode = "token"
    sends_credential = True
    #: The parameter the token travels in.
    param = "oauth_token"
    #: The constructor argument it comes from (for error messages).
    argument = "access_token"

    def __init__(self, token: str) -> None:
        if not isinstance(token, str) or not token:
            raise ConfigurationError("%s must be a non-empty str" % self.argument)
        self._token = Secret(token)

    def apply(self, url: str, params: Dict[str, object], now: float, nonce: str) -> Tuple[bytes, Header]:
        params[self.param] = self._token.reveal()
        return build_query_string(params).encode("utf-8"), None


class SessionAuth(TokenParamAuth):
    """A user's session: the ``login_token`` of ``accounts.login``, sent with the API key only.

    What a browser or mobile app sends: no secret, no signature, no user key.
    """

    mode = "session"
    param = "login_token"
    argument = "login_token"


class JWTBearerAuth(Auth):
    """``Authorization: Bearer <RS256 JWT>`` with a fresh ``iat``/``jti`` per attempt; no ``userKey``, no ``sig``."""

    mode = "jwt"
    sends_credential = True

    def __init__(self, user_key: str, private_key: Any) -> None:
        if not isinstance(user_key, str) or not user_key:
            raise ConfigurationError("JWT bearer auth needs user_key (the key id of the RSA key)")
        self.user_key = user_key
        self._key = load_rsa_private_key(private_key)

    def apply(self, url: str, params: Dict[str, object], now: float, nonce: str) -> Tuple[bytes, Header]:
        token = make_bearer_jwt(self.user_key or "", self._key, now=now, jti=nonce)
        return build_query_string(params).encode("utf-8"), ("Authorization", "Bearer " + token)

    def describe(self) -> str:
        return "jwt (userKey=%s)" % self.user_key

    def __reduce__(self) -> Any:
        raise TypeError("JWTBearerAuth cannot be pickled (it holds a private key)")


# --- OAuth2 client credentials --------------------------------------------------


class OAuth2Token(NamedTuple):
    """A bearer token and when (``time.monotonic()``) to refresh it."""

    value: Secret
    refresh_at: float
    expires_in: float


def token_request_body(client_id: str, client_secret: str) -> bytes:
    """Form body of the client-credentials token request."""
    return build_query_string(
        {"client_id": client_id, "client_secret": client_secret, "grant_type": "client_credentials"}
    ).encode("utf-8")


def parse_token_response(status: int, body: bytes, *, default_lifetime: float = 600.0) -> Tuple[str, float]:
    """``(access_token, expires_in)`` from a token endpoint answer, or a ``GigyaError``."""
    try:
        data = json.loads(body) if body else None
    except (ValueError, UnicodeDecodeError):
        data = None
    if not isinstance(data, dict):
        raise MalformedResponseError(
            "malformed OAuth2 token response (HTTP %d): not a JSON object" % status, http_status=status
        )
    code = data.get("errorCode")
    if isinstance(code, int) and code != 0:
        raise error_for_code(code)(
            str(data.get("errorMessage") or ""),
            error_code=code,
            error_details=data.get("errorDetails"),
            call_id=data.get("callId"),
            http_status=status,
        )
    if "error" in data:
        text = str(data.get("error_description") or data.get("error"))
        raise AuthenticationError("OAuth2 token request refused: %s" % text, http_status=status)
    token = data.get("access_token")
    if not isinstance(token, str) or not token:
        raise MalformedResponseError("OAuth2 token response has no access_token (HTTP %d)" % status, http_status=status)
    token_type = data.get("token_type", "Bearer")
    if not isinstance(token_type, str) or token_type.lower() != "bearer":
        raise MalformedResponseError("OAuth2 token type is not Bearer", http_status=status)
    lifetime = data.get("expires_in", default_lifetime)
    if isinstance(lifetime, str) and lifetime.isdigit():
        lifetime = int(lifetime)
    if isinstance(lifetime, bool) or not isinstance(lifetime, (int, float)) or lifetime <= 0:
        lifetime = default_lifetime
    return token, float(lifetime)


class OAuth2Auth(Auth):
    """Bearer tokens from the client-credentials endpoint, cached and refreshed before expiry.

    Thread-safe: one thread fetches while the others wait for its token.
    Refreshes when less than ``max(margin, 10% of the lifetime)`` is left.
    """

    mode = "oauth2"
    sends_credential = True

    def __init__(
        self,
        user_key: str,
        secret: str,
        *,
        margin: float = 60.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if not isinstance(user_key, str) or not user_key:
            raise ConfigurationError("OAuth2 auth needs user_key (the client_id)")
        Signer(secret)  # validates the secret's format early
        self.user_key = user_key
        self._secret = Secret(secret)
        self._margin = margin
        self.monotonic = monotonic
        self._token: Optional[OAuth2Token] = None
        self._lock = threading.Lock()
        self.fetch_count = 0

    def _fresh(self) -> Optional[OAuth2Token]:
        token = self._token
        if token is not None and self.monotonic() < token.refresh_at:
            return token
        return None

    def token_due(self) -> bool:
        """True when no token is fresh enough to use."""
        return self._fresh() is None

    def token_request(self) -> bytes:
        """The body to POST to the token endpoint."""
        return token_request_body(self.user_key or "", self._secret.reveal())

    def store_token(self, status: int, body: bytes, started: float) -> None:
        """Keep the token of a token-endpoint answer fetched from *started* (``monotonic``) on, or raise."""
        value, lifetime = parse_token_response(status, body)
        early = max(min(self._margin, lifetime / 2.0), lifetime * 0.1)
        self._token = OAuth2Token(Secret(value), started + lifetime - early, lifetime)
        self.fetch_count += 1
        logger.debug("OAuth2 token for client_id %s fetched: valid %.0f s, renewed after %.0f s",
                     self.user_key, lifetime, lifetime - early)

    def prepare(self, fetch: TokenFetcher) -> None:
        """Fetch a token through *fetch* (``body -> (status, headers, body)``) when none is fresh.

        One thread fetches while the others wait for its token; an async
        driver does the same with its own lock, through :meth:`token_due`,
        :meth:`token_request` and :meth:`store_token`.
        """
        if self._fresh() is not None:
            return
        with self._lock:
            if self._fresh() is not None:
                return
            started = self.monotonic()
            status, _headers, raw = fetch(self.token_request())
            self.store_token(status, raw, started)

    def apply(self, url: str, params: Dict[str, object], now: float, nonce: str) -> Tuple[bytes, Header]:
        token = self._token
        if token is None:
            raise GigyaError("no OAuth2 token: prepare() must run first")
        return build_query_string(params).encode("utf-8"), ("Authorization", "Bearer " + token.value.reveal())

    def invalidate(self) -> None:
        with self._lock:
            self._token = None

    def describe(self) -> str:
        return "oauth2 (client_id=%s)" % self.user_key

