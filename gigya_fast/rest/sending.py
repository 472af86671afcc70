"""What a transport hands back to the attempt loop, whatever it is built on.

:class:`RawResponse` for an answer, :class:`SendError` for a failure (with
what the retry logic needs to know: may the request have reached the
server, can retrying help), and the functions that turn a low-level failure
into the typed error the caller sees, with a short cause and no URL path,
header or connection repr. No I/O.
"""

from __future__ import annotations

import ssl
from typing import Mapping, NamedTuple

from ..errors import ConnectionFailedError, GigyaError, RequestTimeoutError
from .body import BodyError, BodyTooLarge
from .envelope import malformed

__all__ = [
    "RawResponse",
    "SendError",
    "TIMEOUT_CODE",
    "CONNECTION_FAILED_CODE",
    "host_of",
    "failure_reason",
    "connection_failed",
    "timed_out",
    "body_read_failed",
]

#: Client-side code of the original SDK for a timeout ("Request Timeout").
TIMEOUT_CODE = 504002
#: Client-side code of the original SDK for any other failure.
CONNECTION_FAILED_CODE = 500000


class RawResponse(NamedTuple):
    """An HTTP answer, body fully read and decoded (gzip/deflate)."""

    status: int
    headers: Mapping[str, str]
    body: bytes


class SendError(Exception):
    """Carries the error for the caller plus what the retry logic needs.

    *sent*: the request may have reached the server. *permanent*: retrying
    cannot help (TLS verification failures, bad proxy configuration, an
    answer over the size limit).
    """

    def __init__(self, error: GigyaError, *, sent: bool, permanent: bool = False) -> None:
        super().__init__(str(error))
        self.error = error
        self.sent = sent
        self.permanent = permanent


def host_of(url: str) -> str:
    """The ``host[:port]`` part of an absolute URL."""
    return url.split("/", 3)[2] if url.count("/") >= 2 else url


def _innermost(exc: BaseException) -> BaseException:
    """Follow library wrappers (``reason``, ``original_error``, ``args[0]``) to the root cause."""
    cause = exc
    for _ in range(5):
        inner = getattr(cause, "reason", None) or getattr(cause, "original_error", None)
        if not isinstance(inner, BaseException) and cause.args and isinstance(cause.args[0], BaseException):
            inner = cause.args[0]
        if not isinstance(inner, BaseException) or inner is cause:
            break
        cause = inner
    return cause


def failure_reason(exc: BaseException) -> str:
    """A short cause without URLs, headers or connection reprs."""
    cause = _innermost(exc)
    if isinstance(cause, ssl.SSLCertVerificationError):
        return "TLS error: certificate verify failed: %s" % (cause.verify_message or cause.reason)
    if isinstance(cause, ssl.SSLError):
        return "TLS error: %s" % (cause.reason or cause.strerror or type(cause).__name__)
    if isinstance(cause, ssl.CertificateError):
        return "TLS error: %s" % cause
    text = str(cause)
    if text.startswith(("HTTPConnection(", "HTTPSConnection(", "<")) and "): " in text:
        text = text.split("): ", 1)[1]  # drop urllib3's "HTTPSConnection(host=..., port=...): " prefix
    elif isinstance(cause, OSError) and cause.strerror:
        text = cause.strerror
    return text or type(cause).__name__


def connection_failed(url: str, exc: BaseException, *, sent: bool, permanent: bool = False) -> SendError:
    """A ``ConnectionFailedError`` (code 500000) for a failure talking to *url*'s host."""
    error = ConnectionFailedError(
        "connection to %s failed: %s" % (host_of(url), failure_reason(exc)), error_code=CONNECTION_FAILED_CODE
    )
    error.__cause__ = exc
    return SendError(error, sent=sent, permanent=permanent)


def timed_out(url: str, exc: BaseException, *, sent: bool) -> SendError:
    """A ``RequestTimeoutError`` (code 504002): no connection (*sent* False) or no full answer in time."""
    what = "read" if sent else "connect"
    error = RequestTimeoutError(
        "Request Timeout: no %s from %s in time" % ("answer" if sent else "connection", host_of(url)),
        error_code=TIMEOUT_CODE,
        error_details="%s timeout" % what,
    )
    error.__cause__ = exc
    return SendError(error, sent=sent)


def body_read_failed(method: str, status: int, exc: BaseException) -> Exception:
    """The error for an answer whose body could not be read whole (raise it).

    A body over ``max_response_bytes`` (*exc* a ``BodyTooLarge``) is a
    ``MalformedResponseError`` that is never retried; a body the collector
    refused (a ``BodyError``: bad encoding) is a ``MalformedResponseError``;
    any other *exc* is the transport failing mid-body (truncated, undecodable).
    """
    if isinstance(exc, BodyTooLarge):
        return SendError(malformed(method, status, str(exc)), sent=True, permanent=True)
    if isinstance(exc, BodyError):
        return malformed(method, status, str(exc))
    return malformed(method, status, "body truncated or undecodable (%s)" % failure_reason(exc))
