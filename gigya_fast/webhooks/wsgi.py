"""WSGI glue: a tiny app that reads the raw body, verifies it and calls your handler.

>>> app = make_wsgi_app(WebhookVerifier(secret), handle)   # doctest: +SKIP

Answers: 200 once the handler returned, 401 when verification failed, 400
for an unreadable request, 405 for other methods, 500 when the handler
raised (CDC then redelivers; the events it claimed are released from the
dedupe store). Keep the handler fast: CDC waits at most 10 seconds, so queue
the work and return.
"""

from __future__ import annotations

import logging
from typing import Any, Callable, Dict, Iterable, List, Mapping

from ._http import BAD_REQUEST, NOT_ALLOWED, Answer, Handler, handler_failed, response_headers, verify_request
from .verifier import WebhookVerifier

__all__ = ["make_wsgi_app", "headers_from_environ", "WSGIApp"]

logger = logging.getLogger(__name__)

StartResponse = Callable[..., Any]
WSGIApp = Callable[[Dict[str, Any], StartResponse], Iterable[bytes]]

_SPECIAL = {"CONTENT_TYPE": "Content-Type", "CONTENT_LENGTH": "Content-Length"}


def headers_from_environ(environ: Mapping[str, Any]) -> Dict[str, str]:
    """Request headers of a WSGI environ as ``{"X-Gigya-Sig-Hmac-Sha1": ...}``."""
    headers: Dict[str, str] = {}
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            name = "-".join(part.capitalize() for part in key[5:].split("_"))
        elif key in _SPECIAL:
            name = _SPECIAL[key]
        else:
            continue
        if isinstance(value, str):
            headers[name] = value
    return headers


def _read_body(environ: Mapping[str, Any], limit: int) -> bytes | None:
    stream = environ.get("wsgi.input")
    if stream is None:
        return None
    text = environ.get("CONTENT_LENGTH") or ""
    if text:
        if not text.isascii() or not text.isdigit():
            return None
        length = int(text)
        if length > limit:
            return None
        body = stream.read(length)
        return body if isinstance(body, bytes) and len(body) == length else None
    if environ.get("wsgi.input_terminated"):
        body = stream.read(limit + 1)
        return body if isinstance(body, bytes) and len(body) <= limit else None
    return None


def make_wsgi_app(verifier: WebhookVerifier, handler: Handler) -> WSGIApp:
    """A WSGI application that verifies every POST and passes the notification to *handler*."""
    if not isinstance(verifier, WebhookVerifier):
        raise TypeError("verifier must be a WebhookVerifier")
    if not callable(handler):
        raise TypeError("handler must be callable")

    def app(environ: Dict[str, Any], start_response: StartResponse) -> List[bytes]:
        def answer(result: Answer) -> List[bytes]:
            status, reason, body = result
            start_response(f"{status} {reason}", response_headers(result))
            return [body]

        if environ.get("REQUEST_METHOD") != "POST":
            return answer(NOT_ALLOWED)
        body = _read_body(environ, verifier.max_body_bytes)
        if body is None:
            logger.warning("rejected webhook request: missing, oversized or truncated body")
            return answer(BAD_REQUEST)
        notification, result = verify_request(verifier, body, headers_from_environ(environ))
        if notification is None:
            return answer(result)
        try:
            handler(notification)
        except Exception:
            return answer(handler_failed(notification))
        return answer(result)

    return app
