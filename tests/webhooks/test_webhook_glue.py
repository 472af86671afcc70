"""WSGI and ASGI helpers: raw body in, 200/400/401/405/500 out, nothing leaked."""

from __future__ import annotations

import asyncio
import io
from typing import Any, Dict, List, Tuple

import pytest

from gigya_fast.webhooks import Notification, WebhookVerifier
from gigya_fast.webhooks.asgi import headers_from_scope, make_asgi_app
from gigya_fast.webhooks.wsgi import headers_from_environ, make_wsgi_app

from ._webhook_support import HMAC_HEADER, OTHER_SECRET, SECRET, body, event, headers, post_status, serving_wsgi, sign


def fresh(**kwargs: Any) -> WebhookVerifier:
    kwargs.setdefault("tolerance", None)
    return WebhookVerifier(SECRET, **kwargs)


# --- WSGI ---------------------------------------------------------------------------------


def environ(raw: bytes, hdrs: Dict[str, str], method: str = "POST", length: str | None = None) -> Dict[str, Any]:
    env: Dict[str, Any] = {
        "REQUEST_METHOD": method,
        "wsgi.input": io.BytesIO(raw),
        "CONTENT_LENGTH": str(len(raw)) if length is None else length,
        "PATH_INFO": "/hook",
    }
    for name, value in hdrs.items():
        key = name.upper().replace("-", "_")
        env[key if key in ("CONTENT_TYPE",) else "HTTP_" + key] = value
    return env


def call_wsgi(app: Any, env: Dict[str, Any]) -> Tuple[int, bytes]:
    seen: List[Tuple[str, List[Tuple[str, str]]]] = []

    def start_response(status: str, response_headers: List[Tuple[str, str]]) -> None:
        seen.append((status, response_headers))

    text = b"".join(app(env, start_response))
    status, response_headers = seen[0]
    assert ("Content-Length", str(len(text))) in response_headers
    return int(status.split()[0]), text


def test_wsgi_ok_and_handler_gets_the_notification() -> None:
    got: List[Notification] = []
    app = make_wsgi_app(fresh(), got.append)
    raw = body([event("e1")])
    status, text = call_wsgi(app, environ(raw, headers(raw)))
    assert (status, text) == (200, b"ok")
    assert got[0].body == raw and [e.id for e in got[0].claim_new_events()] == ["e1"]
    assert got[0].headers[HMAC_HEADER] == sign(raw)


def test_wsgi_rejections_leak_nothing() -> None:
    app = make_wsgi_app(fresh(max_body_bytes=2000), lambda n: None)
    raw = body()
    cases = [
        (environ(raw, headers(raw, OTHER_SECRET)), 401),
        (environ(raw, {}), 401),
        (environ(raw, headers(raw), method="GET"), 405),
        (environ(raw, headers(raw), length="abc"), 400),
        (environ(raw, headers(raw), length=""), 400),
        (environ(raw[:10], headers(raw), length=str(len(raw))), 400),  # truncated
        (environ(body(pad=3000), headers(body(pad=3000))), 400),  # too big
    ]
    for env, expected in cases:
        status, text = call_wsgi(app, env)
        assert status == expected
        assert text in (b"unauthorized", b"bad request", b"method not allowed")
        assert sign(raw).encode() not in text


def test_wsgi_chunked_input_terminated() -> None:
    got: List[Notification] = []
    app = make_wsgi_app(fresh(), got.append)
    raw = body()
    env = environ(raw, headers(raw), length="")
    env["wsgi.input_terminated"] = True
    assert call_wsgi(app, env)[0] == 200 and got


def test_wsgi_handler_failure_is_500_and_releases() -> None:
    v = fresh()
    attempts: List[List[str]] = []

    def flaky(n: Notification) -> None:
        attempts.append([e.id for e in n.claim_new_events()])
        if len(attempts) == 1:
            raise RuntimeError("database down")

    app = make_wsgi_app(v, flaky)
    raw = body([event("e1")])
    assert call_wsgi(app, environ(raw, headers(raw)))[0] == 500
    assert call_wsgi(app, environ(raw, headers(raw)))[0] == 200
    assert attempts == [["e1"], ["e1"]], "the redelivery is processed, not dropped as a duplicate"
    assert call_wsgi(app, environ(raw, headers(raw)))[0] == 200
    assert attempts[-1] == []


def test_wsgi_bad_construction() -> None:
    with pytest.raises(TypeError):
        make_wsgi_app(object(), lambda n: None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        make_wsgi_app(fresh(), 42)  # type: ignore[arg-type]


def test_headers_from_environ() -> None:
    env = {"HTTP_X_GIGYA_SIG_HMAC_SHA1": "s", "CONTENT_TYPE": "application/json", "PATH_INFO": "/", "HTTP_X": 1}
    assert headers_from_environ(env) == {"X-Gigya-Sig-Hmac-Sha1": "s", "Content-Type": "application/json"}


def test_wsgi_over_a_real_wsgiref_server() -> None:
    got: List[Notification] = []
    raw = body([event("e1")])
    with serving_wsgi(make_wsgi_app(fresh(), got.append)) as url:
        assert post_status(url, raw, headers(raw)) == 200
        assert post_status(url, raw, headers(raw, OTHER_SECRET)) == 401
    assert [n.body for n in got] == [raw]


# --- ASGI ---------------------------------------------------------------------------------


def run_asgi(
    app: Any,
    raw: bytes,
    hdrs: Dict[str, str],
    *,
    method: str = "POST",
    chunks: int = 1,
    disconnect: bool = False,
    extra_headers: List[Tuple[bytes, bytes]] | None = None,
) -> Tuple[int, bytes, List[Dict[str, Any]]]:
    size = max(1, -(-len(raw) // chunks))
    parts = [raw[i : i + size] for i in range(0, len(raw), size)] or [b""]
    messages: List[Dict[str, Any]] = [
        {"type": "http.request", "body": part, "more_body": i < len(parts) - 1} for i, part in enumerate(parts)
    ]
    if disconnect:
        messages = [{"type": "http.disconnect"}]
    sent: List[Dict[str, Any]] = []

    async def receive() -> Dict[str, Any]:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: Dict[str, Any]) -> None:
        sent.append(message)

    raw_headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in hdrs.items()]
    raw_headers.append((b"content-length", str(len(raw)).encode()))
    scope = {"type": "http", "method": method, "path": "/hook", "headers": raw_headers + (extra_headers or [])}
    asyncio.run(app(scope, receive, send))
    if not sent:
        return 0, b"", sent
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:]), sent


def test_asgi_ok_sync_and_async_handlers() -> None:
    got: List[Notification] = []

    async def async_handler(n: Notification) -> None:
        await asyncio.sleep(0)
        got.append(n)

    raw = body([event("e1")])
    for handler in (got.append, async_handler):
        app = make_asgi_app(fresh(dedupe=False), handler)
        status, text, sent = run_asgi(app, raw, headers(raw), chunks=3)
        assert (status, text) == (200, b"ok")
        assert (b"content-type", b"text/plain; charset=utf-8") in sent[0]["headers"]
    assert [n.body for n in got] == [raw, raw]


def test_asgi_rejections() -> None:
    app = make_asgi_app(fresh(max_body_bytes=2000), lambda n: None)
    raw = body()
    big = body(pad=3000)
    assert run_asgi(app, raw, headers(raw, OTHER_SECRET))[:2] == (401, b"unauthorized")
    assert run_asgi(app, raw, {})[0] == 401
    assert run_asgi(app, raw, headers(raw), method="GET")[:2] == (405, b"method not allowed")
    assert run_asgi(app, big, headers(big))[:2] == (400, b"bad request")
    assert run_asgi(app, raw, headers(raw), disconnect=True)[0] == 400
    sent: List[Dict[str, Any]] = []

    async def receive() -> Dict[str, Any]:
        return {"type": "http.request", "body": raw}

    async def send(message: Dict[str, Any]) -> None:
        sent.append(message)

    for declared in ("\u00b2", "-1", "1e3"):
        sent.clear()
        scope = {"type": "http", "method": "POST", "headers": [(b"content-length", declared.encode())]}
        asyncio.run(app(scope, receive, send))
        assert sent[0]["status"] == 400
    # Repeated signature headers are joined, so they cannot both be "the" signature.
    dup = [(b"x-gigya-sig-hmac-sha1", sign(raw).encode())]
    assert run_asgi(app, raw, headers(raw), extra_headers=dup)[0] == 401


def test_asgi_oversized_stream_without_content_length() -> None:
    app = make_asgi_app(fresh(max_body_bytes=2000), lambda n: None)
    big = body(pad=3000)
    sent: List[Dict[str, Any]] = []
    messages = [{"type": "http.request", "body": big[i : i + 500], "more_body": True} for i in range(0, len(big), 500)]

    async def receive() -> Dict[str, Any]:
        return messages.pop(0)

    async def send(message: Dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app({"type": "http", "method": "POST", "headers": []}, receive, send))
    assert sent[0]["status"] == 400


def test_asgi_handler_failure_is_500_and_releases() -> None:
    calls: List[List[str]] = []

    async def flaky(n: Notification) -> None:
        calls.append([e.id for e in n.claim_new_events()])
        if len(calls) == 1:
            raise RuntimeError("queue down")

    app = make_asgi_app(fresh(), flaky)
    raw = body([event("e1")])
    assert run_asgi(app, raw, headers(raw))[:2] == (500, b"error")
    assert run_asgi(app, raw, headers(raw))[0] == 200
    assert calls == [["e1"], ["e1"]]


def test_asgi_lifespan_and_other_scopes() -> None:
    app = make_asgi_app(fresh(), lambda n: None)
    messages = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]
    sent: List[Dict[str, Any]] = []

    async def receive() -> Dict[str, Any]:
        return messages.pop(0)

    async def send(message: Dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app({"type": "lifespan"}, receive, send))
    assert [m["type"] for m in sent] == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
    with pytest.raises(ValueError):
        asyncio.run(app({"type": "websocket"}, receive, send))


def test_asgi_with_jwt_offloads_verification() -> None:
    pytest.importorskip("cryptography")
    from ._webhook_support import API_KEY as JWT_API_KEY
    from ._webhook_support import JWT_HEADER
    from .test_webhook_jwt import jwks, sig_jwt

    got: List[Notification] = []
    v = WebhookVerifier(api_key=JWT_API_KEY, jwks=jwks(), tolerance=None)
    app = make_asgi_app(v, got.append)
    raw = body()
    assert run_asgi(app, raw, {JWT_HEADER: sig_jwt(raw)})[0] == 401  # exp is long past
    v2 = WebhookVerifier(api_key=JWT_API_KEY, jwks=jwks(), tolerance=None, leeway=10**10)
    assert run_asgi(make_asgi_app(v2, got.append), raw, {JWT_HEADER: sig_jwt(raw)})[0] == 200
    assert len(got) == 1


def test_headers_from_scope() -> None:
    scope = {"headers": [(b"X-A", b"1"), (b"x-a", b"2"), (b"b", b"\xe9")]}
    assert headers_from_scope(scope) == {"x-a": "1, 2", "b": "\u00e9"}


def test_asgi_bad_construction() -> None:
    with pytest.raises(TypeError):
        make_asgi_app(object(), lambda n: None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        make_asgi_app(fresh(), None)  # type: ignore[arg-type]
