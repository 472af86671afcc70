"""What the WSGI and ASGI helpers share: status lines, fixed answers and the
verify-then-handle step. Answers never say which check failed."""

from __future__ import annotations

import logging
from typing import Any, Callable, List, Tuple

from ..errors import SignatureError
from .notification import Notification
from .verifier import WebhookVerifier

__all__ = ["Handler", "Answer", "OK", "BAD_REQUEST", "UNAUTHORIZED", "NOT_ALLOWED", "FAILED", "verify_request"]

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


def verify_request(verifier: WebhookVerifier, body: bytes, headers: Any) -> Tuple[Notification | None, Answer]:
    """Verify; on failure log the reason (not the input) and pick 401 or 400."""
    try:
        return verifier.verify(body, headers), OK
    except SignatureError as exc:
        logger.warning("rejected webhook notification: %s", exc)
        return None, UNAUTHORIZED
    except (TypeError, ValueError) as exc:
        logger.warning("rejected webhook request: %s", exc)
        return None, BAD_REQUEST


def handler_failed(notification: Notification) -> Answer:
    """Log the handler's exception, forget the events it claimed, answer 500 (CDC redelivers)."""
    logger.exception("webhook handler failed; answering 500 so that CDC redelivers")
    try:
        notification.release()
    except Exception:  # the dedupe store itself may be down
        logger.exception("could not release the notification's event ids")
    return FAILED
