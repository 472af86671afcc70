"""Shared test helpers: an independent signature check and secret generation."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from typing import Dict, Mapping
from urllib.parse import parse_qsl, quote, urlsplit


def new_secret(size: int = 24) -> str:
    """A random base64 secret."""
    return base64.b64encode(os.urandom(size)).decode("ascii")


def form(body: bytes) -> Dict[str, str]:
    """Decode a form body, refusing repeated keys."""
    pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=True)
    result = dict(pairs)
    assert len(result) == len(pairs), "repeated parameter"
    return result


def expected_sig(url: str, params: Mapping[str, str], secret: str) -> str:
    """The CDC signature computed from scratch (stdlib only, not the kernels)."""
    parts = urlsplit(url)
    default = {"http": 80, "https": 443}[parts.scheme]
    host = parts.hostname or ""
    netloc = host if parts.port in (None, default) else "%s:%d" % (host, parts.port)
    normalized = "%s://%s%s" % (parts.scheme.lower(), netloc.lower(), parts.path)
    query = "&".join("%s=%s" % (k, quote(v, safe="")) for k, v in sorted(params.items()) if k != "sig")
    base = "POST&%s&%s" % (quote(normalized, safe=""), quote(query, safe=""))
    digest = hmac.new(base64.b64decode(secret), base.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")
