"""Proxy and CA settings from the process environment, as requests and httpx read them.

Read once, when a client is built (``trust_env=True``, the default):

- proxies from ``urllib.request.getproxies()``: ``HTTPS_PROXY`` for https
  URLs, ``HTTP_PROXY`` for http URLs, ``ALL_PROXY`` for either (lower-case
  names too, which win; on macOS and Windows the system settings when no
  variable is set), skipped for hosts listed in ``NO_PROXY``;
- a CA bundle from ``SSL_CERT_FILE``, then ``REQUESTS_CA_BUNDLE``, then a
  CA directory from ``SSL_CERT_DIR``.

An explicit ``proxy_url=`` or ``ca_certs=`` always wins over the environment.
No I/O beyond reading the environment.
"""

from __future__ import annotations

import base64
import ipaddress
import logging
import os
import urllib.request
from typing import Dict, Mapping, Optional, Tuple
from urllib.parse import unquote, urlsplit, urlunsplit

__all__ = ["ProxyRoutes", "env_ca_certs", "split_proxy_credentials", "CA_VARIABLES"]

logger = logging.getLogger(__name__)

#: Variables naming a CA bundle (file or, for SSL_CERT_DIR, directory), first set wins.
CA_VARIABLES = ("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "SSL_CERT_DIR")


def env_ca_certs(environ: Optional[Mapping[str, str]] = None) -> Optional[Tuple[str, str]]:
    """``(variable, path)`` of the first CA variable set to a non-empty value, or None."""
    env = os.environ if environ is None else environ
    for name in CA_VARIABLES:
        value = env.get(name, "").strip()
        if value:
            return name, value
    return None


def split_proxy_credentials(
    proxy_url: str, proxy_headers: Optional[Mapping[str, str]] = None
) -> Tuple[str, Dict[str, str]]:
    """``(url without credentials, headers)``: ``user:password@`` becomes a ``Proxy-Authorization: Basic`` header.

    HTTP libraries differ in what they do with credentials in a proxy URL;
    this way the URL that reaches a library (and its error messages) has none.
    """
    headers = dict(proxy_headers or {})
    parts = urlsplit(proxy_url)
    if parts.username is None:
        return proxy_url, headers
    credentials = "%s:%s" % (unquote(parts.username), unquote(parts.password or ""))
    headers["Proxy-Authorization"] = "Basic " + base64.b64encode(credentials.encode("utf-8")).decode("ascii")
    netloc = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment)), headers


def _normalise_proxy(url: str) -> Optional[str]:
    text = url.strip()
    if not text:
        return None
    if "://" not in text:
        text = "http://" + text  # as curl and requests read "host:port"
    if not text.lower().startswith(("http://", "https://")):
        logger.warning("ignoring a %s proxy from the environment: only http:// and https:// proxies are supported",
                       text.split("://", 1)[0][:10])
        return None
    return text


def _host_matches(host: str, port: Optional[int], entry: str) -> bool:
    """One ``NO_PROXY`` entry: ``*``, a domain (with its subdomains), ``host:port`` or an IP network."""
    if entry == "*":
        return True
    name, _, entry_port = entry.rpartition(":") if entry.count(":") == 1 else (entry, "", "")
    if entry_port:
        if not entry_port.isdigit() or port != int(entry_port):
            return False
    else:
        name = entry
    name = name.strip("[]").lstrip(".").lstrip("*").lstrip(".")
    if not name:
        return False
    if host == name or host.endswith("." + name):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")) in ipaddress.ip_network(name, strict=False)
    except ValueError:
        return False


class ProxyRoutes:
    """Which proxy (if any) a URL goes through: an explicit one, or the environment's.

    With *explicit* every URL takes it and ``NO_PROXY`` is not read. With
    *trust_env* False and no explicit proxy, every URL goes direct.
    """

    __slots__ = ("explicit", "_by_scheme", "_no_proxy")

    def __init__(
        self, explicit: Optional[str] = None, *, trust_env: bool = True, proxies: Optional[Mapping[str, str]] = None
    ) -> None:
        self.explicit = explicit
        self._by_scheme: Dict[str, str] = {}
        self._no_proxy: Tuple[str, ...] = ()
        if explicit is not None or not trust_env:
            return
        found = urllib.request.getproxies() if proxies is None else proxies
        for scheme in ("http", "https", "all"):
            url = _normalise_proxy(found.get(scheme, ""))
            if url is not None:
                self._by_scheme[scheme] = url
        self._no_proxy = tuple(
            part.strip().lower() for part in found.get("no", "").replace(";", ",").split(",") if part.strip()
        )

    @property
    def uses_environment(self) -> bool:
        """True when proxies from the environment are in force."""
        return bool(self._by_scheme)

    def proxy_for(self, url: str) -> Optional[str]:
        """The proxy URL to send *url* through, or None for a direct connection."""
        if self.explicit is not None:
            return self.explicit
        if not self._by_scheme:
            return None
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        proxy = self._by_scheme.get(scheme) or self._by_scheme.get("all")
        if proxy is None:
            return None
        host = (parts.hostname or "").lower()
        try:
            port = parts.port or (443 if scheme == "https" else 80)
        except ValueError:
            port = None
        if any(_host_matches(host, port, entry) for entry in self._no_proxy):
            return None
        return proxy

    def describe(self) -> str:
        """Where proxies come from, without any URL (they may hold credentials)."""
        if self.explicit is not None:
            return "proxy"
        return "proxy from environment" if self._by_scheme else ""
