"""Wire forms of the pure-Python signing kernels: parameter values, the query string,
the signed URL and the base string.

Part of the specification (``_signing_py`` re-exports these names): the compiled
twin hands its rare inputs to ``serialize_value``, ``build_query_string``,
``build_base_string`` and ``_normalize_url`` (through ``_signing_py``).
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from typing import Mapping, Optional
from urllib.parse import quote, urlsplit

from ._checks_py import _require_str, _type_name

_BAD_KEY_CHARS = frozenset("&=%+")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def percent_encode(value: str) -> str:
    """RFC 3986 percent-encoding of the UTF-8 bytes of *value* (``A-Za-z0-9-._~`` kept)."""
    _require_str("value", value)
    return quote(str.__str__(value), safe="")


def serialize_value(value: object) -> Optional[str]:
    """The wire form of one parameter value, or ``None`` when it is left out.

    str as is; bool as ``true``/``false``; int in decimal; float as its shortest
    round-trip repr (NaN and infinities rejected); dict/list/tuple as compact
    JSON with non-ASCII kept; ``None`` means "do not send".
    """
    if value is None:
        return None
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("float parameter values must be finite, not %r" % value)
        return float.__repr__(value)
    if isinstance(value, (dict, list, tuple)):
        try:
            return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
        except ValueError as exc:  # NaN/infinity, circular reference, int too long
            raise ValueError("JSON parameter value cannot be serialised: %s" % exc) from None
    raise TypeError("parameter values must be str, int, float, bool, None, dict or list, not %s" % _type_name(value))


def _check_key(key: object) -> str:
    if not isinstance(key, str):
        raise TypeError("parameter names must be str, not %s" % _type_name(key))
    key = str.__str__(key)
    if not key or not _BAD_KEY_CHARS.isdisjoint(key):
        raise ValueError("parameter names must be non-empty and contain none of & = %% +: %r" % key)
    key.encode("utf-8")  # a lone surrogate fails here, as in a value, not later in the body
    return key


def build_query_string(params: Mapping[str, object]) -> str:
    """``k1=enc(v1)&k2=enc(v2)...``: keys sorted by code point, ``sig`` and ``None`` values left out.

    This is both the signed parameter string and the request body (before ``sig``).
    """
    if not isinstance(params, Mapping):
        raise TypeError("params must be a mapping, not %s" % _type_name(params))
    # The caller's mapping is read once, before any value is serialised: serialising may
    # run the caller's code (a dict subclass's items(), say), which must not change what
    # is signed.
    pairs = []
    for key, value in list(params.items()):
        key = _check_key(key)
        if key == "sig":
            continue
        text = serialize_value(value)
        if text is not None:
            pairs.append((key, text))
    pairs.sort()
    return "&".join([k + "=" + quote(v, safe="") for k, v in pairs])


def normalize_url(url: str) -> str:
    """Lower-case scheme and host, default port dropped, path kept (``/`` when empty).

    Query string and fragment are not part of the signed URL.
    """
    return _normalize_url(_require_str("url", url))


@lru_cache(maxsize=256)
def _normalize_url(url: str) -> str:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise ValueError("invalid URL: %s" % exc) from None
    scheme = parts.scheme.lower()
    host = parts.hostname
    if scheme not in _DEFAULT_PORTS or not host:
        raise ValueError("URL must be absolute http:// or https:// with a host: %r" % url)
    if ":" in host:
        host = "[" + host + "]"
    netloc = host if port is None or port == _DEFAULT_PORTS[scheme] else "%s:%d" % (host, port)
    return "%s://%s%s" % (scheme, netloc, parts.path or "/")


def build_base_string(http_method: str, url: str, params: Mapping[str, object]) -> str:
    """The OAuth1-style base string CDC signs: ``METHOD&enc(url)&enc(query string)``."""
    http_method = _require_str("http_method", http_method)
    url = _require_str("url", url)
    query = build_query_string(params)
    return http_method.upper() + "&" + quote(_normalize_url(url), safe="") + "&" + quote(query, safe="")
