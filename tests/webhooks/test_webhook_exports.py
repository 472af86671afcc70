"""Lock the public names of gigya_fast.webhooks and gigya_fast.jwt."""

from __future__ import annotations

import importlib

import pytest

EXPECTED = {
    "gigya_fast.webhooks": {
        "DEFAULT_DEDUPE_TTL",
        "DEFAULT_MAX_BODY_BYTES",
        "DEFAULT_TOLERANCE",
        "HMAC_HEADER",
        "JWT_HEADER",
        "REQUIRE_POLICIES",
        "DedupeStore",
        "Event",
        "MemoryDedupeStore",
        "Notification",
        "RedisDedupeStore",
        "WebhookVerifier",
        "get_header",
    },
    "gigya_fast.webhooks.wsgi": {"make_wsgi_app", "headers_from_environ", "WSGIApp"},
    "gigya_fast.webhooks.asgi": {"make_asgi_app", "headers_from_scope", "ASGIApp"},
    "gigya_fast.jwt": {
        "DEFAULT_LEEWAY",
        "JWKSCache",
        "KeyProvider",
        "KeySource",
        "decode_verified",
        "issuer_for",
        "jwk_to_key",
        "keys_from_jwks",
        "resolve_key",
        "verify_id_token",
    },
}


@pytest.mark.parametrize("module_name", sorted(EXPECTED))
def test_exports(module_name: str) -> None:
    module = importlib.import_module(module_name)
    assert set(module.__all__) == EXPECTED[module_name]
    for name in module.__all__:
        assert hasattr(module, name), name


def test_importing_needs_no_optional_dependency() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "sys.modules['cryptography'] = None\n"
        "sys.modules['redis'] = None\n"
        "import gigya_fast.webhooks, gigya_fast.webhooks.wsgi, gigya_fast.webhooks.asgi, gigya_fast.jwt\n"
        "import gigya_fast.cli.webhooks\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert proc.returncode == 0, proc.stderr.decode()
