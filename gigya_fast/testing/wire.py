"""Parsing of incoming requests: form bodies, method names from paths."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict
from urllib.parse import parse_qsl, urlsplit

from .envelope import CDCError

__all__ = ["HOST", "Incoming", "parse_form", "parse_cookies", "api_key_of", "method_from_path", "OAUTH2_TOKEN_PATH"]

#: The only address the local server listens on.
HOST = "127.0.0.1"

#: Path of the OAuth2 client-credentials endpoint.
OAUTH2_TOKEN_PATH = "/oauth2/token"  # noqa: S105 - a path, not a password


@dataclass
class Incoming:
    """One HTTP request, parsed, as the dispatcher sees it."""

    http_method: str
    path: str
    host: str
    scheme: str
    params: Dict[str, str]
    headers: Dict[str, str]
    client_cert: Dict[str, Any] | None = None
    connection_id: int = 0
    lower_headers: Dict[str, str] = field(default_factory=dict)
    cookies: Dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.lower_headers = {k.lower(): v for k, v in self.headers.items()}
        self.cookies = parse_cookies(self.lower_headers.get("cookie", ""))

    @property
    def url(self) -> str:
        """``scheme://Host/path``: the URL the client signed."""
        return f"{self.scheme}://{self.host}{self.path}"

    @property
    def secure(self) -> bool:
        """True over HTTPS."""
        return self.scheme == "https"

    def header(self, name: str) -> str | None:
        """A request header, case-insensitively; ``None`` when absent."""
        return self.lower_headers.get(name.lower())


def parse_form(data: bytes) -> Dict[str, str]:
    """Decode an ``application/x-www-form-urlencoded`` body (last value of a repeated key wins)."""
    if not data:
        return {}
    try:
        text = data.decode("utf-8")
        pairs = parse_qsl(text, keep_blank_values=True, strict_parsing=False, errors="strict")
    except (UnicodeDecodeError, ValueError) as exc:
        raise CDCError(400001, f"request body is not UTF-8 form data: {type(exc).__name__}") from None
    return dict(pairs)


def parse_cookies(header: str) -> Dict[str, str]:
    """``name=value; name2=value2`` -> dict (first value of a repeated name wins; junk pieces skipped)."""
    cookies: Dict[str, str] = {}
    for piece in header.split(";"):
        name, sep, value = piece.strip().partition("=")
        if sep and name and name not in cookies:
            cookies[name] = value.strip().strip('"')
    return cookies


def api_key_of(params: Dict[str, str]) -> str | None:
    """The API key as clients send it: ``apiKey``, ``ApiKey``, ``APIKey`` (any case); first non-empty wins."""
    for name in ("apiKey", "ApiKey", "APIKey"):
        if params.get(name):
            return params[name]
    for name, value in params.items():
        if name.lower() == "apikey" and value:
            return value
    return None


def method_from_path(path: str) -> str:
    """The CDC method a path names: ``/accounts.search`` -> ``accounts.search``;
    a name without a dot is in ``socialize``. ``CDCError(400096)`` when the
    path names no method."""
    name = urlsplit(path).path.strip("/")
    if not name or "/" in name:
        raise CDCError(400096, f"no API method at path {path[:100]!r}")
    if "." not in name:
        name = "socialize." + name
    namespace, _, method = name.partition(".")
    if not namespace or not method:
        raise CDCError(400096, f"no API method at path {path[:100]!r}")
    return name
