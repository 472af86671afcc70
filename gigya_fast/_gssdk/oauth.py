"""The original GSRequest's signing helpers as plain functions, on the gigya_fast kernels.

``GSRequest.UrlEncode``, ``buildQS`` and ``calcOAuth1BaseString`` delegate
here. What the original did is kept: ``UrlEncode(None)`` is ``None``;
``buildQS`` joins ``key=UrlEncode(value)`` over the sorted keys, leaving out
``None`` values but not ``sig``; the base string's URL takes ``https`` when
the connection is secure, whatever the URL says, and drops the query string.

Unlike the original, non-default ports are kept in the normalized URL (the
original raised ``TypeError``), floats are serialised as their shortest
round-trip form (the original raised ``AttributeError``), booleans are sent as
``true``/``false`` (the original sent ``True``/``False``) and dicts and lists
as compact JSON with non-ASCII characters kept.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping, Optional

from .._signing import normalize_url, percent_encode, serialize_value

__all__ = ["url_encode", "build_qs", "normalized_url", "base_string", "with_scheme"]


def url_encode(value: Any) -> Optional[str]:
    """RFC 3986 percent-encoding of *value* (serialised first when not text); ``None`` stays ``None``.

    Space is ``%20``, ``*`` is ``%2A``, ``~`` is kept, as in the original.
    """
    if value is None:
        return None
    if not isinstance(value, str):
        value = serialize_value(value)
    return percent_encode(value)


def build_qs(params: Optional[Mapping[str, Any]], encode: Callable[[Any], Optional[str]] = url_encode) -> str:
    """``k1=enc(v1)&k2=enc(v2)...`` over the sorted keys; ``None`` values left out, ``sig`` kept."""
    if not params:
        return ""
    pairs = []
    for key in sorted(params):
        value = params[key]
        if value is not None:
            pairs.append("%s=%s" % (key, encode(value)))
    return "&".join(pairs)


def with_scheme(url: str, is_secure_connection: bool) -> str:
    """*url* with ``https://`` or ``http://`` prepended when it has no scheme."""
    if "://" in url:
        return url
    return ("https://" if is_secure_connection else "http://") + url.lstrip("/")


def normalized_url(url: str, is_secure_connection: bool) -> str:
    """The URL as signed: ``https`` when *is_secure_connection*, lower-case host, no default port, no query."""
    url = with_scheme(url, is_secure_connection)
    if is_secure_connection:
        url = "https" + url[url.index("://") :]
    return normalize_url(url)


def base_string(http_method: str, url: str, is_secure_connection: bool, query_string: str) -> str:
    """``METHOD&enc(normalized url)&enc(query string)``: the text CDC signs."""
    return "%s&%s&%s" % (
        http_method.upper(),
        percent_encode(normalized_url(url, is_secure_connection)),
        percent_encode(query_string),
    )
