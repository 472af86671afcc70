"""CDC JWTs: verify id_tokens and cache the signing keys (``jwt`` extra: cryptography).

>>> cache = JWKSCache(lambda: client.call("accounts.getJWTPublicKey", V2=True))  # doctest: +SKIP
>>> claims = verify_id_token(token, api_key=API_KEY, jwks=cache)                  # doctest: +SKIP

``make_bearer_jwt`` (JWT bearer authentication for the REST client) lives in
:mod:`gigya_fast.rest.auth`; it is re-exported here lazily when installed.
"""

from __future__ import annotations

import importlib
from typing import Any

from ._jwks import CDC_DATA_CENTERS, JWKSCache
from ._keys import KeyProvider, KeySource, jwk_to_key, keys_from_jwks, resolve_key, resolve_key_async
from ._verify import DEFAULT_LEEWAY, decode_verified, issuer_for, verify_id_token, verify_id_token_async

__all__ = [
    "CDC_DATA_CENTERS",
    "DEFAULT_LEEWAY",
    "JWKSCache",
    "KeyProvider",
    "KeySource",
    "decode_verified",
    "issuer_for",
    "jwk_to_key",
    "keys_from_jwks",
    "resolve_key",
    "resolve_key_async",
    "verify_id_token",
    "verify_id_token_async",
]

_LAZY = {"make_bearer_jwt": "gigya_fast.rest.auth"}


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        raise AttributeError(
            f"module {__name__!r} has no attribute {name!r} ({module_name} is not available)"
        ) from None
    value = getattr(module, name)
    globals()[name] = value
    return value
