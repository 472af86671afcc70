"""What the WSGI and ASGI helpers share: status lines, fixed answers and the
verify-then-handle step. Answers never say which check failed."""

from __future__ import annotations

import logging
from typing import Any, Callable, List, Tuple

from ..errors import ConfigurationError, GigyaError, SignatureError
from .notification import Notification
from .verifier import WebhookVerifier

__all__ = [
    "Handler",
    "Answer",
    "OK",
    "BAD_REQUEST",
    "UNAUTHORIZED",
    "NOT_ALLOWED",
    "FAILED",
    "verify_request",
    "verify_request_async",
]

logger = logging.getLogger(__name__)

#: A handler gets the verified notification; what it returns is ignored
#: (an awaitable is awaited by the ASGI helper).
Handler = Callable[[Notification], Any]

#: (status code, reason, body)
Answer = Tuple[int, str, bytes]

OK: Answer = (200, "OK", b"ok")
BAD_REQUEST: Answer = (400, "Bad Request", b"bad request")
UNAUTHORIZED: Answer = (401, "Unauthorized", b"unauthorized")
NOT_ALLOWED: Answer = (405, "Method Not Allowed", b"method not allowed")
FAILED: Answer = (500, "Internal Server Error", b"error")


def response_headers(answer: Answer, extra: List[Tuple[str, str]] | None = None) -> List[Tuple[str, str]]:
    """Content headers for one of the fixed answers."""
    headers = [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(answer[2])))]
    if answer is NOT_ALLOWED:
        headers.append(("Allow", "POST"))
    return headers + (extra or [])


def _rejected(exc: Exception) -> Answer:
    """The answer to a failed verification, logged with its reason (never the input).

    401 for a signature that does not verify, 400 for an unreadable request,
    500 (CDC redelivers) when verification itself could not run: the key
    server is down, or the verifier is misconfigured.
    """
    if isinstance(exc, SignatureError):
        logger.warning("rejected webhook notification: %s", exc)
        return UNAUTHORIZED
    if isinstance(exc, (TypeError, ValueError)) and not isinstance(exc, ConfigurationError):
        logger.warning("rejected webhook request: %s", exc)
        return BAD_REQUEST
    # our own errors never carry secrets; of anyone else's (a key callable's) only the type is logged
    reason = f"{type(exc).__name__}: {exc}" if isinstance(exc, GigyaError) else type(exc).__name__
    logger.error("could not verify a webhook notification (%s); answering 500 so that CDC redelivers", reason)
    return FAILED


def verify_request(verifier: WebhookVerifier, body: bytes, headers: Any) -> Tuple[Notification | None, Answer]:
    """Verify; on failure log the reason (not the input) and pick 401, 400 or 500."""
    try:
        return verifier.verify(body, headers), OK
    except Exception as exc:
        return None, _rejected(exc)


async def verify_request_async(
    verifier: WebhookVerifier, body: bytes, headers: Any
) -> Tuple[Notification | None, Answer]:
    """:func:`verify_request` through ``verify_async`` (JWT keys fetched without blocking the loop)."""
    try:
        return await verifier.verify_async(body, headers), OK
    except Exception as exc:
        return None, _rejected(exc)


def handler_failed(notification: Notification) -> Answer:
    """Log the handler's exception, forget the events it claimed, answer 500 (CDC redelivers)."""
    logger.exception("webhook handler failed; answering 500 so that CDC redelivers")
    try:
        notification.release()
    except Exception:  # the dedupe store itself may be down
        logger.exception("could not release the notification's event ids")
    return FAILED
