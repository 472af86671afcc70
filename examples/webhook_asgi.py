"""Receive CDC webhooks with any ASGI server (uvicorn shown; no extra dependency for the app).

    GIGYA_SECRET=<base64 secret> uvicorn examples.webhook_asgi:app --port 8080
    # or: GIGYA_SECRET=... python examples/webhook_asgi.py   (needs uvicorn installed)

Optional JWT verification (webhooks v2.0 ``X-Gigya-Sig-JWT``) when
``GIGYA_API_KEY`` is set and ``cryptography`` is installed: the public keys
are fetched from ``accounts.getJWTPublicKey``, on the event loop with the
async client when the ``aio`` extra is installed (else with the REST client
in the loop's default executor): the receiver never blocks its loop on them.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from typing import Any

from gigya_fast.webhooks import Notification, WebhookVerifier
from gigya_fast.webhooks.asgi import make_asgi_app

logger = logging.getLogger("webhook_asgi")
queue: asyncio.Queue[Any] | None = None


def build_verifier() -> WebhookVerifier:
    secret = os.environ.get("GIGYA_SECRET")
    api_key = os.environ.get("GIGYA_API_KEY")
    jwks = None
    if api_key:
        from gigya_fast.jwt import JWKSCache

        data_center = os.environ.get("GIGYA_DC", "us1")
        try:
            from gigya_fast.aio import AsyncClient  # type: ignore[import-not-found, unused-ignore]
        except ImportError:
            from gigya_fast.rest import Client

            jwks = JWKSCache.from_client(Client(api_key=api_key, data_center=data_center))
        else:
            jwks = JWKSCache.from_async_client(AsyncClient(api_key=api_key, data_center=data_center))
    if not secret and jwks is None:
        sys.exit("set GIGYA_SECRET (HMAC) and/or GIGYA_API_KEY (JWT)")
    return WebhookVerifier(secret, api_key=api_key, jwks=jwks, require="any" if secret and jwks else None)


async def handle(notification: Notification) -> None:
    """Only queue: the answer must go back quickly."""
    for event in notification.claim_new_events():
        logger.info("%s %s uid=%s", event.type, event.id, event.uid)


app = make_asgi_app(build_verifier(), handle)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    try:
        import uvicorn  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        sys.exit("this example serves with uvicorn: pip install uvicorn (the app itself needs nothing)")
    uvicorn.run(app, host="127.0.0.1", port=int(os.environ.get("PORT", "8080")))
