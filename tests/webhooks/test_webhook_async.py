"""WebhookVerifier.verify_async and the ASGI glue: the same verdicts as verify, and a loop that never waits on keys."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, List, Tuple

import pytest

from gigya_fast.errors import SignatureError
from gigya_fast.webhooks import Notification, WebhookVerifier
from gigya_fast.webhooks.asgi import make_asgi_app
from gigya_fast.webhooks.wsgi import make_wsgi_app

from ._webhook_support import API_KEY, JWT_HEADER, NOW, SECRET, body

pytest.importorskip("cryptography", reason="the jwt extra (cryptography) is not installed")

from gigya_fast.jwt import JWKSCache  # noqa: E402

from .test_webhook_glue import call_wsgi, environ, run_asgi  # noqa: E402
from .test_webhook_jwt import jwks, mixed_items, sig_jwt  # noqa: E402


def cases() -> List[Tuple[bytes, Dict[str, str]]]:
    raw = body(nonce="n9")
    return [
        *mixed_items(),
        (raw, {JWT_HEADER: sig_jwt(raw, kid="unknown")}),
        (b"[" * 5000 + b"]" * 5000, {JWT_HEADER: sig_jwt(raw)}),
    ]


def outcome(call: Any) -> Any:
    try:
        result = call()
    except SignatureError as exc:
        return type(exc).__name__, str(exc)
    assert isinstance(result, Notification)
    return result.body, sorted(result.verified_by), result.nonce


@pytest.mark.parametrize("source", ["document", "cache"])
def test_verify_async_agrees_with_verify(source: str) -> None:
    keys: Any = jwks() if source == "document" else JWKSCache(jwks)
    v = WebhookVerifier(SECRET, api_key=API_KEY, jwks=keys, require="any", dedupe=False)
    for raw, hdrs in cases():
        sync = outcome(lambda raw=raw, hdrs=hdrs: v.verify(raw, hdrs, now=NOW))
        async_ = outcome(lambda raw=raw, hdrs=hdrs: asyncio.run(v.verify_async(raw, hdrs, now=NOW)))
        assert sync == async_


def test_verify_async_refuses_non_finite_now() -> None:
    v = WebhookVerifier(api_key=API_KEY, jwks=jwks())
    raw = body()
    with pytest.raises(ValueError, match="now"):
        asyncio.run(v.verify_async(raw, {JWT_HEADER: sig_jwt(raw)}, now=float("nan")))


def test_asgi_fetches_keys_without_blocking_the_loop() -> None:
    """The key server answers only when another coroutine on the same loop says so:
    a receiver that blocked its loop on the fetch would never finish."""
    raw = body()
    got: List[Notification] = []

    async def drive() -> int:
        released = asyncio.Event()

        class Client:
            async def call(self, method: str, params: Dict[str, Any]) -> Any:
                await released.wait()
                return jwks()

        cache = JWKSCache.from_async_client(Client())
        verifier = WebhookVerifier(api_key=API_KEY, jwks=cache, tolerance=None, leeway=10**10)  # an old token
        app = make_asgi_app(verifier, got.append)
        sent: List[Dict[str, Any]] = []
        messages = [{"type": "http.request", "body": raw, "more_body": False}]

        async def receive() -> Dict[str, Any]:
            return messages.pop(0) if messages else {"type": "http.disconnect"}

        async def send(message: Dict[str, Any]) -> None:
            sent.append(message)

        scope = {"type": "http", "method": "POST", "headers": [(JWT_HEADER.lower().encode(), sig_jwt(raw).encode())]}
        request = asyncio.ensure_future(app(scope, receive, send))
        await asyncio.sleep(0.05)
        assert not request.done(), "the receiver waits for the key"
        released.set()
        await asyncio.wait_for(request, 10)
        return int(sent[0]["status"])

    assert asyncio.run(drive()) == 200
    assert len(got) == 1 and got[0].verified_by == frozenset({"jwt"})


def test_key_server_down_is_a_500_not_a_crash(caplog: pytest.LogCaptureFixture) -> None:
    def down() -> Any:
        raise ConnectionError("key server unreachable at 10.0.0.1")

    raw = body()
    hdrs = {JWT_HEADER: sig_jwt(raw)}
    for make in (lambda v: make_wsgi_app(v, lambda n: None), lambda v: make_asgi_app(v, lambda n: None)):
        verifier = WebhookVerifier(api_key=API_KEY, jwks=JWKSCache(down), tolerance=None, leeway=10**10)
        app = make(verifier)
        caplog.clear()
        with caplog.at_level(logging.ERROR, logger="gigya_fast.webhooks"):
            if "asgi" in app.__module__:
                status, text, _ = run_asgi(app, raw, hdrs)
            else:
                status, text = call_wsgi(app, environ(raw, hdrs))
        assert (status, text) == (500, b"error"), "CDC redelivers once the keys can be fetched"
        assert "ConnectionError" in caplog.text and "10.0.0.1" not in caplog.text
