"""Where a CDC method is sent: data-center names, API domains and URLs.

Pure functions plus :class:`Router`, the one piece of mutable routing state a
client holds (the API domain, which a 301001 answer may change).
"""

from __future__ import annotations

import ipaddress
import re
import threading
from typing import Dict, Optional, Tuple
from urllib.parse import urlsplit

from ..errors import ConfigurationError

__all__ = [
    "DATA_CENTERS",
    "resolve_api_domain",
    "split_method",
    "check_method",
    "api_url",
    "mtls_host",
    "oauth2_token_url",
    "normalize_base_url",
    "is_loopback_host",
    "is_valid_api_domain",
    "Router",
]

#: Short data-center names and the API domain each stands for.
DATA_CENTERS: Dict[str, str] = {
    "us1": "us1.gigya.com",
    "eu1": "eu1.gigya.com",
    "eu2": "eu2.gigya.com",
    "au1": "au1.gigya.com",
    "ru1": "ru1.gigya.com",
    "il1": "il1.gigya.com",
    "global": "global.gigya.com",
    "cn1": "cn1.sapcdm.cn",
}

_SHORT_NAME = re.compile(r"[a-z]{2}[0-9]+(?:-st[0-9]+)?\Z")
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_DOMAIN = re.compile(r"(?:%s\.)+%s\Z" % (_LABEL, _LABEL))
_METHOD = re.compile(r"[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*\Z")


def is_valid_api_domain(domain: object) -> bool:
    """True when *domain* is a lower-case DNS name with at least two labels."""
    return isinstance(domain, str) and len(domain) <= 253 and _DOMAIN.match(domain) is not None


def resolve_api_domain(data_center: str) -> str:
    """Turn ``"eu1"``, ``"us1-st1"`` or ``"eu1.gigya.com"`` into an API domain.

    Short names are the ones in :data:`DATA_CENTERS` plus staging forms such as
    ``us1-st1`` (``<name>.gigya.com``); anything with a dot is taken as a domain.
    """
    if not isinstance(data_center, str):
        raise TypeError("data_center must be str, not %s" % type(data_center).__name__)
    name = data_center.strip().lower().strip(".")
    if name in DATA_CENTERS:
        return DATA_CENTERS[name]
    if "/" in name or ":" in name:
        raise ConfigurationError(
            "data_center must be a data-center name or an API domain such as 'eu1.gigya.com'; "
            "pass a full URL as base_url instead: %r" % data_center
        )
    if "." not in name and _SHORT_NAME.match(name):
        return name + ".gigya.com"
    if "." in name and is_valid_api_domain(name):
        return name
    raise ConfigurationError(
        "unknown data_center %r: use one of %s or an API domain" % (data_center, ", ".join(sorted(DATA_CENTERS)))
    )


def split_method(method: str) -> Tuple[str, str]:
    """Return ``(namespace, full_method)``; a method without a dot is in ``socialize``."""
    if not isinstance(method, str):
        raise TypeError("method must be str, not %s" % type(method).__name__)
    if not _METHOD.match(method):
        raise ValueError("invalid CDC method name: %r" % method)
    if "." not in method:
        return "socialize", "socialize." + method
    return method.split(".", 1)[0].lower(), method


_CHECKED_METHODS: Dict[str, None] = {}


def check_method(method: object) -> None:
    """``TypeError``/``ValueError`` unless *method* is a valid CDC method name (names seen valid are
    remembered, up to 1024, so that a batch of the same method checks it once)."""
    if type(method) is str and method in _CHECKED_METHODS:
        return
    split_method(method)  # type: ignore[arg-type]
    if type(method) is str and len(_CHECKED_METHODS) < 1024:
        _CHECKED_METHODS[method] = None


def api_url(method: str, api_domain: str) -> str:
    """``https://<namespace>.<api_domain>/<namespace>.<method>``."""
    namespace, full = split_method(method)
    return "https://%s.%s/%s" % (namespace, api_domain, full)


def mtls_host(api_domain: str) -> str:
    """``mtls.<first label of api_domain>.gigya.com`` (``mtls.us1.gigya.com`` when empty)."""
    label = api_domain.split(".", 1)[0] if api_domain else ""
    return "mtls.%s.gigya.com" % (label or "us1")


def oauth2_token_url(api_domain: Optional[str] = None, base_url: Optional[str] = None) -> str:
    """The OAuth2 client-credentials endpoint for a data center or a base URL."""
    if base_url is not None:
        return base_url + "/oauth2/token"
    return "https://oauth2.%s/oauth2/token" % (api_domain or DATA_CENTERS["us1"])


def normalize_base_url(base_url: str) -> str:
    """Validate a base URL (``http(s)://host[:port][/prefix]``) and drop its trailing slash."""
    if not isinstance(base_url, str):
        raise TypeError("base_url must be str, not %s" % type(base_url).__name__)
    try:
        parts = urlsplit(base_url.strip())
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        raise ConfigurationError("invalid base_url: %s" % exc) from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ConfigurationError("base_url must be an absolute http:// or https:// URL: %r" % base_url)
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ConfigurationError("base_url must not carry credentials, a query or a fragment")
    return "%s://%s%s" % (parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/"))


def is_loopback_host(url: str) -> bool:
    """True when *url*'s host is ``localhost`` or a loopback IP address."""
    host = urlsplit(url).hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Router:
    """Builds the URL of each call; thread-safe.

    With *base_url* every namespace goes to that one origin. Otherwise the URL
    is derived from the current API domain (or the mTLS host), which
    :meth:`reroute` may change after a 301001 answer.
    """

    def __init__(self, api_domain: str = DATA_CENTERS["us1"], *, base_url: Optional[str] = None, mtls: bool = False):
        self._lock = threading.Lock()
        self._base_url = normalize_base_url(base_url) if base_url is not None else None
        self._api_domain = api_domain
        self._mtls = mtls
        self._cache: Dict[str, str] = {}

    @property
    def base_url(self) -> Optional[str]:
        """The fixed origin, or None when routing by data center."""
        return self._base_url

    @property
    def api_domain(self) -> str:
        """The current API domain (meaningless with a base URL)."""
        return self._api_domain

    @property
    def scheme(self) -> str:
        """``https`` unless a plain ``http://`` base URL was given."""
        return self._base_url.split(":", 1)[0] if self._base_url else "https"

    @property
    def can_reroute(self) -> bool:
        """False with a base URL: a gateway owns its routing."""
        return self._base_url is None

    def url_for(self, method: str) -> str:
        """The URL to POST *method* to (cached per method)."""
        url = self._cache.get(method)
        if url is None:
            namespace, full = split_method(method)
            if self._base_url is not None:
                url = "%s/%s" % (self._base_url, full)
            elif self._mtls:
                url = "https://%s/%s" % (mtls_host(self._api_domain), full)
            else:
                url = "https://%s.%s/%s" % (namespace, self._api_domain, full)
            if len(self._cache) < 1024:
                self._cache[method] = url
        return url

    def token_url(self) -> str:
        """Where OAuth2 client-credentials tokens are fetched."""
        return oauth2_token_url(self._api_domain, self._base_url)

    def reroute(self, api_domain: str) -> bool:
        """Switch to *api_domain*; False (and no change) when it is invalid or routing is fixed."""
        domain = api_domain.strip().lower() if isinstance(api_domain, str) else ""
        if not self.can_reroute or not is_valid_api_domain(domain):
            return False
        with self._lock:
            if domain != self._api_domain:
                self._api_domain = domain
                self._cache = {}
        return True

    def describe(self) -> str:
        """A short, secret-free description for ``repr``."""
        if self._base_url is not None:
            return "base_url=%s" % self._base_url
        return "api_domain=%s%s" % (self._api_domain, " (mtls)" if self._mtls else "")
