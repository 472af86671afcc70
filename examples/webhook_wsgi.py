"""Receive CDC webhooks with the standard library's WSGI server.

    GIGYA_SECRET=<base64 secret> python examples/webhook_wsgi.py [PORT]

Point the webhook (console or ``accounts.webhooks.set``) at
``http://<this host>:PORT/``. Every notification is verified (HMAC-SHA1 of
the raw body, 5-minute replay window), redelivered events are dropped, and
new ones are queued for a worker thread: the HTTP answer goes back at once,
as CDC expects (it waits at most 10 seconds and redelivers on non-2xx).
"""

from __future__ import annotations

import logging
import os
import queue
import sys
import threading
from wsgiref.simple_server import make_server

from gigya_fast.webhooks import Event, Notification, WebhookVerifier
from gigya_fast.webhooks.wsgi import make_wsgi_app

work: queue.Queue[Event] = queue.Queue()


def handle(notification: Notification) -> None:
    """Runs inside the request: only queue the work."""
    for event in notification.claim_new_events():
        work.put(event)


def worker() -> None:
    while True:
        event = work.get()
        print(f"{event.type} {event.id} uid={event.uid}", flush=True)


def main() -> None:
    logging.basicConfig(level=logging.INFO)
    secret = os.environ.get("GIGYA_SECRET")
    if not secret:
        sys.exit("set GIGYA_SECRET to the partner secret or the signing user key's secret")
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8080
    app = make_wsgi_app(WebhookVerifier(secret), handle)
    threading.Thread(target=worker, daemon=True).start()
    with make_server("0.0.0.0", port, app) as server:  # noqa: S104 - an example server
        print(f"listening on http://0.0.0.0:{port}/", flush=True)
        server.serve_forever()


if __name__ == "__main__":
    main()
