"""Where a ``GSRequest`` goes and how: API domain, proxy and timeout, as the original decided them.

* API domain: ``setAPIDomain`` stores the value as given (as the original);
  at send time it is resolved here: empty -> ``us1.gigya.com``, short
  data-center names (``eu1``) expanded, a full base URL (``http://127.0.0.1:8080``)
  kept as the one origin for every namespace, anything else that is not a DNS
  name refused (the original built a host such as ``accounts..gigya.com`` and
  failed with 500000).
* Proxy: ``setProxy()`` wins; otherwise the environment (``http_proxy``,
  ``https_proxy``, ``no_proxy``, in either case), read with the standard
  library's own ``urllib.request.getproxies()`` and ``proxy_bypass()``, which is
  what the original's ``urllib`` opener did. ``no_proxy`` applies to both, as
  it did in ``urllib``. Reading them costs about 70 us, so the answer is kept
  per target for up to :data:`PROXY_RECHECK` seconds and read again at once
  when one of the usual variables (:data:`PROXY_VARIABLES`) changes.
* Timeout: seconds (int, float or numeric text); ``None``/``0`` mean the
  client's bounded default.
"""

from __future__ import annotations

import math
import os
import threading
import time
import urllib.request
from typing import Any, Dict, Optional, Tuple
from urllib.parse import urlsplit

from ..errors import ConfigurationError
from ..rest.routing import DATA_CENTERS, is_valid_api_domain, resolve_api_domain

__all__ = [
    "DEFAULT_API_DOMAIN",
    "PROXY_RECHECK",
    "PROXY_VARIABLES",
    "base_url_of",
    "resolve_domain",
    "proxy_for",
    "client_timeout",
]

DEFAULT_API_DOMAIN = DATA_CENTERS["us1"]

#: Seconds a proxy decision is reused while the usual variables stay the same.
PROXY_RECHECK = 5.0
#: Environment variables whose change is noticed at once (urllib also reads other spellings).
PROXY_VARIABLES = ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "no_proxy", "NO_PROXY", "REQUEST_METHOD")

_ProxyKey = Tuple[str, str, Optional[str], Tuple[Optional[str], ...]]
_proxy_lock = threading.Lock()
_proxy_cache: Dict[_ProxyKey, Tuple[float, Optional[str]]] = {}


def base_url_of(api_domain: object) -> Optional[str]:
    """The origin (``http(s)://host[:port][/prefix]``) when *api_domain* is a full URL, else ``None``."""
    if isinstance(api_domain, str) and api_domain.strip().lower().startswith(("http://", "https://")):
        return api_domain.strip().rstrip("/")
    return None


def resolve_domain(api_domain: object) -> str:
    """The API domain to send to; ``ConfigurationError`` when *api_domain* cannot name one."""
    if api_domain is None:
        return DEFAULT_API_DOMAIN
    if not isinstance(api_domain, str):
        raise ConfigurationError("API domain must be str, not %s" % type(api_domain).__name__)
    text = api_domain.strip().lower()
    if not text:
        return DEFAULT_API_DOMAIN
    if "." not in text:
        return resolve_api_domain(text)  # short data-center names; raises for unknown ones
    if not is_valid_api_domain(text):
        raise ConfigurationError("invalid API domain %r: use e.g. 'eu1.gigya.com'" % api_domain)
    return text


def _proxy_url(proxy: str) -> str:
    return proxy if "://" in proxy else "http://" + proxy


def _decide(scheme: str, netloc: str, explicit: Optional[str]) -> Optional[str]:
    """What urllib's opener did: the explicit proxy or the environment's for *scheme*, unless bypassed."""
    proxy = explicit or urllib.request.getproxies().get(scheme)
    if proxy and netloc and urllib.request.proxy_bypass(netloc):
        return None
    return _proxy_url(proxy) if proxy else None


def proxy_for(url: str, explicit: Optional[str]) -> Optional[str]:
    """The proxy URL for *url*: *explicit* (``setProxy``) else the environment's; ``None`` for no proxy.

    ``no_proxy`` applies to both, as in urllib.
    """
    parts = urlsplit(url)
    key = (parts.scheme, parts.netloc, explicit or None, tuple(os.environ.get(name) for name in PROXY_VARIABLES))
    now = time.monotonic()
    with _proxy_lock:
        cached = _proxy_cache.get(key)
    if cached is not None and cached[0] > now:
        return cached[1]
    proxy = _decide(parts.scheme, parts.netloc, explicit or None)
    with _proxy_lock:
        if len(_proxy_cache) >= 256:
            _proxy_cache.clear()
        _proxy_cache[key] = (now + PROXY_RECHECK, proxy)
    return proxy


def client_timeout(timeout: Any) -> Optional[float]:
    """Seconds for the client, or ``None`` for its default; ``ValueError`` when not a positive finite number.

    *timeout* is what ``send()`` made of its argument: ``float(timeout)`` when
    it was truthy, as in the original.
    """
    if not timeout:
        return None
    seconds = float(timeout)
    if not math.isfinite(seconds) or seconds <= 0:
        raise ValueError("timeout must be a positive, finite number of seconds, not %r" % timeout)
    return seconds
