"""TLS material for the local server: a throwaway CA (``trustme``), a server
certificate for 127.0.0.1/localhost/*.localhost and client certificates for mTLS."""

from __future__ import annotations

import itertools
import os
import shutil
import ssl
import tempfile
from typing import Any, Tuple

from ..errors import ConfigurationError, MissingDependencyError

__all__ = ["TLSMaterial", "SERVER_IDENTITIES"]


# OpenSSL will not match a wildcard directly under a single-label name, so the
# CDC namespaces are listed explicitly beside ``*.localhost``.
_NAMESPACES = ("accounts", "socialize", "ds", "audit", "gm", "comments", "reports", "idx", "fidm", "oauth2", "mtls")

#: Names the generated server certificate is valid for.
SERVER_IDENTITIES = ("127.0.0.1", "localhost", "*.localhost") + tuple(ns + ".localhost" for ns in _NAMESPACES)


def _trustme() -> Any:
    try:
        import trustme
    except ImportError:  # pragma: no cover - depends on the environment
        raise MissingDependencyError(
            "TLS for gigya_fast.testing needs the 'testing' extra: pip install 'gigya_fast[testing]' "
            "(or pass certfile= and keyfile=)"
        ) from None
    return trustme


class TLSMaterial:
    """Certificate files in a private temporary directory (removed by :meth:`cleanup`)."""

    def __init__(
        self,
        certfile: str | None = None,
        keyfile: str | None = None,
        ca_path: str | None = None,
        mtls: bool = False,
    ) -> None:
        if (certfile is None) != (keyfile is None):
            raise ConfigurationError("certfile and keyfile go together")
        self.directory = tempfile.mkdtemp(prefix="localcdc-tls-")
        self.mtls = mtls
        self._serial = itertools.count(1)
        self._ca: Any = None
        self.client_ca_path: str | None = None
        try:
            if certfile is None or keyfile is None:
                self._ca = _trustme().CA(organization_name="gigya_fast LocalCDC")
                self.ca_path: str | None = self._write("ca.pem", self._ca.cert_pem.bytes())
                server = self._ca.issue_cert(*SERVER_IDENTITIES)
                self.certfile = self._write("server.pem", b"".join(p.bytes() for p in server.cert_chain_pems))
                self.keyfile = self._write("server.key", server.private_key_pem.bytes())
            else:
                self.certfile, self.keyfile, self.ca_path = certfile, keyfile, ca_path
            if mtls:
                if self._ca is None:
                    self._ca = _trustme().CA(organization_name="gigya_fast LocalCDC clients")
                self.client_ca_path = self._write("client-ca.pem", self._ca.cert_pem.bytes())
        except BaseException:
            self.cleanup()
            raise

    def __repr__(self) -> str:
        return f"<TLSMaterial ca_path={self.ca_path!r} mtls={self.mtls!r}>"

    def _write(self, name: str, data: bytes) -> str:
        path = os.path.join(self.directory, name)
        with open(path, "wb") as handle:
            handle.write(data)
        os.chmod(path, 0o600)
        return path

    def server_context(self) -> ssl.SSLContext:
        """The server-side SSLContext (TLS 1.2+; client certificates checked when mTLS)."""
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(self.certfile, self.keyfile)
        if self.mtls and self.client_ca_path is not None:
            context.verify_mode = ssl.CERT_OPTIONAL
            context.load_verify_locations(self.client_ca_path)
        return context

    def issue_client_cert(self, name: str = "client") -> Tuple[str, str]:
        """A client certificate the server accepts: ``(cert_path, key_path)``."""
        if not self.mtls or self._ca is None:
            raise ConfigurationError("client certificates need LocalCDC(mtls=True)")
        cert = self._ca.issue_cert(f"{name}.localhost", common_name=name)
        serial = next(self._serial)
        cert_path = self._write(f"client-{serial}.pem", b"".join(p.bytes() for p in cert.cert_chain_pems))
        key_path = self._write(f"client-{serial}.key", cert.private_key_pem.bytes())
        return cert_path, key_path

    def cleanup(self) -> None:
        """Delete the generated files."""
        shutil.rmtree(self.directory, ignore_errors=True)
