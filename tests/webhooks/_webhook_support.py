"""Builders for webhook tests: bodies as CDC sends them, signatures computed with the stdlib only."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import threading
from typing import Any, Dict, Iterator, List, Sequence

SECRET = base64.b64encode(b"webhook-test-secret-0123456789ab").decode("ascii")
OTHER_SECRET = base64.b64encode(b"another-secret-for-webhook-tests").decode("ascii")
API_KEY = "3_webhook-api-key"
NOW = 1_700_000_000
HMAC_HEADER = "X-Gigya-Sig-Hmac-Sha1"
JWT_HEADER = "X-Gigya-Sig-JWT"


def event(event_id: str, kind: str = "accountUpdated", uid: str = "uid-1", **data: Any) -> Dict[str, Any]:
    return {
        "type": kind,
        "id": event_id,
        "timestamp": NOW - 5,
        "callId": "call-" + event_id,
        "version": "2.0",
        "apiKey": API_KEY,
        "data": dict({"uid": uid}, **data),
    }


def body(
    events: Sequence[Dict[str, Any]] | None = None,
    *,
    nonce: str = "nonce-1",
    timestamp: Any = NOW,
    pad: int = 0,
    compact: bool = True,
) -> bytes:
    """A notification body; *pad* bytes of filler in the first event's data."""
    evs: List[Dict[str, Any]] = [dict(e) for e in (events if events is not None else [event("ev-1")])]
    if pad and evs:
        evs[0] = dict(evs[0], data=dict(evs[0]["data"], filler="x" * pad))
    doc = {"events": evs, "nonce": nonce, "timestamp": timestamp}
    if compact:
        return json.dumps(doc, separators=(",", ":")).encode("utf-8")
    return json.dumps(doc, indent=2).encode("utf-8")


def sign(raw: bytes, secret: str = SECRET) -> str:
    """base64(HMAC-SHA1(b64decode(secret), raw)), straight from the stdlib."""
    return base64.b64encode(hmac.new(base64.b64decode(secret), raw, hashlib.sha1).digest()).decode("ascii")


def headers(raw: bytes, secret: str = SECRET, name: str = HMAC_HEADER, **extra: str) -> Dict[str, str]:
    result = {"Content-Type": "application/json", name: sign(raw, secret)}
    result.update(extra)
    return result


class RaisingKey(str):
    """A header name that collides with the HMAC header's hash and raises when compared:
    a dict lookup of that header then runs Python code that fails."""

    def __hash__(self) -> int:
        return hash(HMAC_HEADER)

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("key comparison failed")


def post_status(url: str, raw: bytes, hdrs: Dict[str, str]) -> int:
    """POST *raw* to *url* over a real connection; the HTTP status of the answer."""
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, data=raw, headers=hdrs, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        exc.close()
        return int(exc.code)


@contextlib.contextmanager
def serving_wsgi(app: Any) -> Iterator[str]:
    """Serve WSGI *app* on 127.0.0.1 in a thread; yields its URL, stops it on exit."""
    from wsgiref.simple_server import WSGIRequestHandler, make_server

    class Quiet(WSGIRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = make_server("127.0.0.1", 0, app, handler_class=Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/hook"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)
