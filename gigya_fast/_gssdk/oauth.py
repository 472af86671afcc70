"""The original GSRequest's public signing helpers, on the gigya_fast kernels.

``calcOAuth1BaseString``, ``getOAuth1Signature``, ``buildQS`` and ``UrlEncode``
were instance methods of the original ``GSRequest``; here they are plain
functions that ``GSRequest`` exposes as static methods, so both
``request.buildQS(p)`` and ``GSRequest.buildQS(p)`` work.

Unlike the original, URLs with a non-default port and float parameter values
are handled (the port is kept in the normalized URL; floats are serialised as
their shortest round-trip form), and booleans are sent as ``true``/``false``.
"""

from __future__ import annotations

from typing import Any, Mapping

from .._signing import build_base_string, build_query_string, calc_signature, percent_encode, serialize_value

__all__ = ["calc_oauth1_base_string", "get_oauth1_signature", "build_qs", "url_encode", "with_scheme"]


def with_scheme(url: str, is_secure_connection: bool) -> str:
    """*url* with ``https://`` or ``http://`` prepended when it has no scheme."""
    if "://" in url:
        return url
    return ("https://" if is_secure_connection else "http://") + url.lstrip("/")


def calc_oauth1_base_string(
    http_method: str, url: str, is_secure_connection: bool, request_params: Mapping[str, Any] | None
) -> str:
    """``METHOD&enc(normalized url)&enc(sorted query string)``, the text CDC signs.

    The URL's own scheme decides http/https; *is_secure_connection* only picks
    the scheme when *url* has none. ``sig`` and ``None`` values are left out.
    """
    return build_base_string(http_method, with_scheme(url, is_secure_connection), dict(request_params or {}))


def get_oauth1_signature(key: str, base_string: str) -> str:
    """base64(HMAC-SHA1(base64decode(*key*), *base_string*))."""
    return calc_signature(base_string, key)


def build_qs(params: Mapping[str, Any] | None) -> str:
    """``k1=enc(v1)&k2=enc(v2)...`` with keys sorted; ``sig`` and ``None`` values left out."""
    return build_query_string(dict(params or {}))


def url_encode(value: Any) -> str:
    """RFC 3986 percent-encoding (space is ``%20``, ``*`` is ``%2A``, ``~`` kept).

    Non-text values are first serialised as on the wire (``True`` -> ``true``,
    dicts and lists as compact JSON); ``None`` encodes as the empty string.
    """
    if not isinstance(value, str):
        value = serialize_value(value) or ""
    return percent_encode(value)
