"""The exception hierarchy: one root, ``GigyaError``, and subclasses that also
inherit the matching built-in so callers can catch either.

Messages never contain secrets, signatures or tokens.
"""

from __future__ import annotations

from typing import Any, Mapping, Optional, Type

__all__ = [
    "GigyaError",
    "InvalidSecretError",
    "SignatureError",
    "ConfigurationError",
    "MissingDependencyError",
    "DedupeStoreError",
    "APIError",
    "AuthenticationError",
    "NotFoundError",
    "InvalidRequestError",
    "RateLimitError",
    "ServerError",
    "DataCenterError",
    "TransportError",
    "ConnectionFailedError",
    "RequestTimeoutError",
    "MalformedResponseError",
    "InvalidTokenError",
    "MalformedToken",
    "InvalidAlgorithm",
    "InvalidTokenSignature",
    "ExpiredToken",
    "ImmatureToken",
    "InvalidIssuer",
    "InvalidAudience",
    "UnknownKeyId",
    "error_for_code",
]


class GigyaError(Exception):
    """Root of every error raised by gigya_fast.

    Carries the CDC envelope fields when the error came from a response:
    ``error_code``, ``error_message``, ``error_details``, ``call_id`` and
    ``http_status`` (each ``None`` when not applicable).
    """

    def __init__(
        self,
        message: str = "",
        *,
        error_code: Optional[int] = None,
        error_message: Optional[str] = None,
        error_details: Optional[str] = None,
        call_id: Optional[str] = None,
        http_status: Optional[int] = None,
        response: Any = None,
    ) -> None:
        super().__init__(message or error_message or "")
        self.error_code = error_code
        self.error_message = error_message if error_message is not None else message
        self.error_details = error_details
        self.call_id = call_id
        self.http_status = http_status
        self.response = response

    def __str__(self) -> str:
        parts = []
        if self.error_code is not None:
            parts.append(str(self.error_code))
        text = self.error_message or (str(self.args[0]) if self.args else "")
        if text:
            parts.append(text)
        if self.error_details and self.error_details != text:
            parts.append("(%s)" % self.error_details)
        if self.call_id:
            parts.append("[callId %s]" % self.call_id)
        return " ".join(parts) or self.__class__.__name__

    def __repr__(self) -> str:
        return "%s(error_code=%r, error_message=%r, call_id=%r)" % (
            self.__class__.__name__,
            self.error_code,
            self.error_message,
            self.call_id,
        )

    def __reduce__(self) -> Any:
        return (
            _rebuild,
            (
                self.__class__,
                str(self.args[0]) if self.args else "",
                {
                    "error_code": self.error_code,
                    "error_message": self.error_message,
                    "error_details": self.error_details,
                    "call_id": self.call_id,
                    "http_status": self.http_status,
                },
            ),
        )


def _rebuild(cls: Type[GigyaError], message: str, fields: Mapping[str, Any]) -> GigyaError:
    return cls(message, **fields)


# --- local input errors -------------------------------------------------------


class InvalidSecretError(GigyaError, ValueError):
    """A secret that is not strict, non-empty standard base64."""


class SignatureError(GigyaError, ValueError):
    """A signature (HMAC or JWT) that does not verify; the message says which check failed."""


class ConfigurationError(GigyaError, ValueError):
    """A client or server built with options that cannot work together."""


class MissingDependencyError(GigyaError, ImportError):
    """An optional extra (``jwt``, ``redis``, ``testing``) is needed but not installed."""


class DedupeStoreError(GigyaError, ConnectionError):
    """The webhook dedupe store could not answer (Redis down, timed out, or refusing commands).

    Deduplication fails closed: no event is handed out as new while the store
    cannot say which ids it has seen. The store's own exception is the
    ``__cause__``.
    """


# --- errors answered by CDC ---------------------------------------------------


class APIError(GigyaError):
    """CDC answered with a non-zero ``errorCode``."""


class AuthenticationError(APIError, PermissionError):
    """403xxx: bad signature, expired request, permission denied, and the like."""


class NotFoundError(APIError, LookupError):
    """403047 (no account with that UID or login ID) and 404xxx: what was asked for does not exist."""


class InvalidRequestError(APIError, ValueError):
    """400xxx: missing or invalid parameters; 413xxx: a request or object too large."""


class RateLimitError(APIError):
    """403048 (rate limit) or 409030 (too many concurrent requests for one user)."""


class ServerError(APIError):
    """5xxxxx: CDC or network failure on the server side."""


class DataCenterError(APIError):
    """301001: the API key lives in another data center."""


# --- transport ----------------------------------------------------------------


class TransportError(GigyaError, OSError):
    """The request could not be completed at the HTTP level."""


class ConnectionFailedError(TransportError, ConnectionError):
    """Could not connect, or the connection dropped."""


class RequestTimeoutError(TransportError, TimeoutError):
    """The server did not answer in time (client code 504002)."""


class MalformedResponseError(GigyaError, ValueError):
    """The server's answer was not a CDC JSON envelope (HTML, truncated, empty...)."""


# --- JWT ----------------------------------------------------------------------


class InvalidTokenError(SignatureError):
    """Base of every id_token / JWT verification failure."""


class MalformedToken(InvalidTokenError):
    """Not three base64url segments of JSON, or missing required claims."""


class InvalidAlgorithm(InvalidTokenError):
    """The token's header names an algorithm other than RS256."""


class InvalidTokenSignature(InvalidTokenError):
    """The RS256 signature does not verify."""


class ExpiredToken(InvalidTokenError):
    """``exp`` is in the past (beyond the leeway)."""


class ImmatureToken(InvalidTokenError):
    """``nbf`` or ``iat`` is in the future (beyond the leeway)."""


class InvalidIssuer(InvalidTokenError):
    """``iss`` is not ``https://fidm.gigya.com/jwt/<apiKey>/``."""


class InvalidAudience(InvalidTokenError):
    """``aud`` does not match the expected audience."""


class UnknownKeyId(InvalidTokenError):
    """No public key with the token's ``kid``, even after a refetch."""


# The code -> class table (docs/protocol.md, "Error codes"): exact codes first,
# then the code's family (its first three digits); 5xx families are ServerError,
# anything else is a plain APIError.
_CLASS_BY_CODE: Mapping[int, Type[APIError]] = {
    301001: DataCenterError,
    403047: NotFoundError,
    403048: RateLimitError,
    409030: RateLimitError,
}
_CLASS_BY_FAMILY: Mapping[int, Type[APIError]] = {
    400: InvalidRequestError,
    403: AuthenticationError,
    404: NotFoundError,
    413: InvalidRequestError,
}


def error_for_code(error_code: int) -> Type[APIError]:
    """Return the exception class for a CDC ``errorCode``."""
    exact = _CLASS_BY_CODE.get(error_code)
    if exact is not None:
        return exact
    family = error_code // 1000
    by_family = _CLASS_BY_FAMILY.get(family)
    if by_family is not None:
        return by_family
    if 500 <= family < 600:
        return ServerError
    return APIError
