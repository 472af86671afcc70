"""Data taken once from the original GSSDK.py 3.6.0 (by running it), for the drop-in's tests."""

from __future__ import annotations

#: ``from GSSDK import *`` on the original (it has no ``__all__``).
ORIGINAL_STAR_NAMES = frozenset(
    {
        "GSException", "GSRequest", "GSResponse", "HTTPHandler", "HTTPSConnection", "HTTPSHandler",
        "HTTPS_PORT", "MAJOR_VERSION_INDEX", "MINOR_VERSION_INDEX", "PY_3", "PY_3_9_OR_GREATER",
        "ProxyHandler", "SSLUtils", "SigUtils", "Utils", "ValidHTTPSConnection", "ValidHTTPSHandler",
        "b64decode", "b64encode", "build_opener", "calendar", "copy", "hmac", "install_opener",
        "integer_types", "jsonstringify", "loads", "os", "quote_plus", "randrange", "search", "sha1",
        "socket", "ssl", "string_types", "sys", "time", "unicode_literals", "urllib", "urlopen", "urlparse",
    }
)  # fmt: skip
