"""The original module's helper classes, rebuilt safe: ``SSLUtils``, ``Utils``,
``ValidHTTPSConnection`` and ``ValidHTTPSHandler``.

The original exported them (it has no ``__all__``), so code may use them,
e.g. to open its own ``urllib`` connections with the SDK's TLS settings. They
work the same way here, on the standard library, with one deliberate
difference: certificate **and hostname** checks are always on. The original
turned hostname checks off behind a proxy, because its connection checked the
proxy's name instead of the server's; ``http.client`` checks the right name
through a tunnel, so nothing needs to be turned off.
"""

from __future__ import annotations

import json
import ssl
from http.client import HTTPS_PORT, HTTPSConnection
from typing import Any, Optional, Union
from urllib.request import HTTPSHandler, Request

from ..errors import ConfigurationError
from ..rest.tls import build_ssl_context
from ..rest.tls import load_client_cert as _load_pem_pair
from .request import GSRequest

__all__ = ["SSLUtils", "Utils", "ValidHTTPSConnection", "ValidHTTPSHandler"]

PemOrPath = Union[str, bytes]


def _require_verifying(context: ssl.SSLContext) -> ssl.SSLContext:
    if context.verify_mode != ssl.CERT_REQUIRED or not context.check_hostname:
        raise ConfigurationError("the SSL context must verify certificates and host names")
    return context


class SSLUtils:
    """TLS settings of the SDK: a verifying client context, with the client certificate for mTLS."""

    @staticmethod
    def createSSLContext(
        enableHostCheck: bool = True, certFile: Optional[PemOrPath] = None, keyFile: Optional[PemOrPath] = None
    ) -> ssl.SSLContext:
        """A TLS 1.2+ client context trusting ``GSRequest.caCertsPath``, with certificate and hostname checks.

        *enableHostCheck* is accepted for compatibility and ignored: hostname
        checks stay on (also behind a proxy, where they work). The client
        certificate is loaded only when both *certFile* and *keyFile* are
        given (paths or PEM content), as in the original.
        """
        path = GSRequest.caCertsPath
        context = build_ssl_context(path if path else None)
        SSLUtils.load_client_cert(context, certFile, keyFile)
        return context

    @staticmethod
    def load_client_cert(context: ssl.SSLContext, certFile: Optional[PemOrPath], keyFile: Optional[PemOrPath]) -> None:
        """Load the client certificate and key (paths, or PEM as bytes or text) into *context*; a no-op
        unless both are given."""
        if certFile and keyFile:
            _load_pem_pair(context, certFile, keyFile)


class Utils:
    """The original's JSON helper."""

    @staticmethod
    def jsonparse(source: Union[str, bytes]) -> Any:
        """``json.loads`` (``ValueError`` on invalid JSON)."""
        return json.loads(source)


class ValidHTTPSConnection(HTTPSConnection):
    """An ``http.client`` HTTPS connection that always verifies the server.

    Without a ``context`` keyword it uses :meth:`SSLUtils.createSSLContext`;
    a context that does not check certificates and host names is refused.
    """

    default_port = HTTPS_PORT

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        context = kwargs.pop("context", None) or SSLUtils.createSSLContext()
        super().__init__(*args, context=_require_verifying(context), **kwargs)


class ValidHTTPSHandler(HTTPSHandler):
    """A ``urllib`` handler opening HTTPS URLs with :class:`ValidHTTPSConnection`."""

    def __init__(self, context: Optional[ssl.SSLContext] = None) -> None:
        self._verified_context = _require_verifying(context or SSLUtils.createSSLContext())
        super().__init__(context=self._verified_context)

    def https_open(self, req: Request) -> Any:
        """Open *req* over a verified connection (through the request's proxy tunnel, if any)."""
        return self.do_open(ValidHTTPSConnection, req, context=self._verified_context)

    def get_connection(self, host: str, timeout: Any = None) -> ValidHTTPSConnection:
        """A verified connection to *host* (``host[:port]``)."""
        return ValidHTTPSConnection(host, timeout=timeout, context=self._verified_context)
