"""ASGI glue: an app that reads the raw body, verifies it and calls your handler.

>>> app = make_asgi_app(WebhookVerifier(secret), handle)   # doctest: +SKIP

*handler* may be a plain function or ``async def``. Same answers as the
WSGI helper (200, 401, 400, 405, 500). With JWT verification configured,
notifications go through ``WebhookVerifier.verify_async``: the signing key
is awaited from a :class:`~gigya_fast.jwt.JWKSCache` (built with
``JWKSCache.from_async_client`` it fetches on the loop; with a blocking
fetcher, in the default executor), so the loop never waits on a key server.
HMAC-only verification runs inline (microseconds). Lifespan events are
acknowledged so the app can be served on its own.

``Notification.claim_new_events()`` asks the dedupe store: with a
:class:`~gigya_fast.webhooks.RedisDedupeStore` that is a blocking round trip,
so an ``async`` handler should read it through ``loop.run_in_executor``.
"""

from __future__ import annotations

import inspect
import logging
from typing import Any, Awaitable, Callable, Coroutine, Dict, List, MutableMapping, Tuple

from ._http import (
    BAD_REQUEST,
    NOT_ALLOWED,
    OK,
    Answer,
    Handler,
    handler_failed,
    response_headers,
    verify_request,
    verify_request_async,
)
from .notification import Notification
from .verifier import WebhookVerifier

__all__ = ["make_asgi_app", "headers_from_scope", "ASGIApp"]

logger = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Message = Dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Coroutine[Any, Any, None]]


def headers_from_scope(scope: Scope) -> Dict[str, str]:
    """Request headers of an ASGI scope (lower-case names; repeated headers joined with ``", "``)."""
    headers: Dict[str, str] = {}
    for raw_name, raw_value in scope.get("headers") or ():
        name = bytes(raw_name).decode("latin-1").lower()
        value = bytes(raw_value).decode("latin-1")
        headers[name] = headers[name] + ", " + value if name in headers else value
    return headers


async def _send_answer(send: Send, result: Answer) -> None:
    status, _, body = result
    encoded: List[Tuple[bytes, bytes]] = [
        (name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in response_headers(result)
    ]
    await send({"type": "http.response.start", "status": status, "headers": encoded})
    await send({"type": "http.response.body", "body": body})


async def _read_body(receive: Receive, limit: int) -> bytes | None:
    chunks: List[bytes] = []
    size = 0
    while True:
        message = await receive()
        kind = message.get("type")
        if kind == "http.disconnect":
            return None
        if kind != "http.request":
            continue
        chunk = message.get("body") or b""
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(bytes(chunk))
        if not message.get("more_body", False):
            return b"".join(chunks)


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        kind = message.get("type")
        if kind == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif kind == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


def make_asgi_app(verifier: WebhookVerifier, handler: Handler) -> ASGIApp:
    """An ASGI application that verifies every POST and passes the notification to *handler*."""
    if not isinstance(verifier, WebhookVerifier):
        raise TypeError("verifier must be a WebhookVerifier")
    if not callable(handler):
        raise TypeError("handler must be callable")
    has_jwt = "jwt" in verifier.checks

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope.get("type")
        if kind == "lifespan":
            await _lifespan(receive, send)
            return
        if kind != "http":
            raise ValueError(f"unsupported ASGI scope type {kind!r}")
        if scope.get("method") != "POST":
            await _send_answer(send, NOT_ALLOWED)
            return
        headers = headers_from_scope(scope)
        declared = headers.get("content-length", "")
        if declared and (not (declared.isascii() and declared.isdigit()) or int(declared) > verifier.max_body_bytes):
            logger.warning("rejected webhook request: bad or oversized Content-Length")
            await _send_answer(send, BAD_REQUEST)
            return
        body = await _read_body(receive, verifier.max_body_bytes)
        if body is None:
            logger.warning("rejected webhook request: oversized body or client gone")
            await _send_answer(send, BAD_REQUEST)
            return
        notification: Notification | None
        if has_jwt:
            notification, result = await verify_request_async(verifier, body, headers)
        else:
            notification, result = verify_request(verifier, body, headers)
        if notification is None:
            await _send_answer(send, result)
            return
        try:
            outcome = handler(notification)
            if inspect.isawaitable(outcome):
                await outcome
        except Exception:
            await _send_answer(send, handler_failed(notification))
            return
        await _send_answer(send, OK)

    return app
