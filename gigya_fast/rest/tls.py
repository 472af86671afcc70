"""TLS settings: one verifying ``SSLContext`` per client (certifi's CA bundle
or the caller's, TLS 1.2+, hostname checks on) with an optional client
certificate for mTLS, given as paths or PEM bytes."""

from __future__ import annotations

import os
import ssl
import tempfile
from typing import List, Optional, Union

from ..errors import ConfigurationError

__all__ = ["PemSource", "build_ssl_context", "load_client_cert"]

#: A path to a PEM file, or the PEM content itself (bytes, or str starting with ``-----BEGIN``).
PemSource = Union[str, bytes, "os.PathLike[str]"]


def _is_pem_data(value: PemSource) -> bool:
    if isinstance(value, (bytes, bytearray)):
        return True
    return isinstance(value, str) and value.lstrip().startswith("-----BEGIN")


def _default_ca_file() -> str:
    import certifi

    return str(certifi.where())


def build_ssl_context(
    ca_certs: Optional[PemSource] = None,
    *,
    client_cert: Optional[PemSource] = None,
    client_key: Optional[PemSource] = None,
    client_key_password: Optional[Union[str, bytes]] = None,
) -> ssl.SSLContext:
    """A client context verifying servers against *ca_certs* (file, directory or
    PEM data; certifi's bundle by default), TLS 1.2 minimum, hostname checks on."""
    cafile: Optional[str] = None
    capath: Optional[str] = None
    cadata: Optional[str] = None
    if ca_certs is None:
        cafile = _default_ca_file()
    elif _is_pem_data(ca_certs):
        try:
            cadata = ca_certs.decode("ascii") if isinstance(ca_certs, (bytes, bytearray)) else str(ca_certs)
        except UnicodeDecodeError:
            raise ConfigurationError("CA certificates are not PEM text", error_code=400003) from None
    elif os.path.isdir(ca_certs):
        capath = os.fsdecode(ca_certs)
    else:
        cafile = os.fsdecode(ca_certs)
    try:
        context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=cafile, capath=capath, cadata=cadata)
    except (OSError, ssl.SSLError, ValueError) as exc:
        raise ConfigurationError("CA certificates could not be loaded: %s" % _reason(exc), error_code=400003) from None
    if context.minimum_version < ssl.TLSVersion.TLSv1_2:
        context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.check_hostname = True
    context.verify_mode = ssl.CERT_REQUIRED
    if client_cert is not None:
        load_client_cert(context, client_cert, client_key, client_key_password)
    elif client_key is not None:
        raise ConfigurationError("client_key given without client_cert")
    return context


def _reason(exc: BaseException) -> str:
    if isinstance(exc, ssl.SSLError) and exc.reason:
        return str(exc.reason)
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return type(exc).__name__


def _write_private_temp(data: bytes) -> str:
    fd, path = tempfile.mkstemp(prefix="gigya_fast_", suffix=".pem")  # created 0600
    try:
        os.write(fd, data)
    finally:
        os.close(fd)
    return path


def load_client_cert(
    context: ssl.SSLContext,
    cert: PemSource,
    key: Optional[PemSource] = None,
    password: Optional[Union[str, bytes]] = None,
) -> None:
    """Load a client certificate chain (+ key) into *context*.

    PEM data is written to private (0600) temporary files only for the
    duration of the load (``ssl`` cannot read keys from memory).
    """
    temps: List[str] = []
    try:
        paths: List[Optional[str]] = []
        for item in (cert, key):
            if item is None:
                paths.append(None)
            elif _is_pem_data(item):
                raw = item if isinstance(item, (bytes, bytearray)) else str(item).encode("ascii")
                temps.append(_write_private_temp(bytes(raw)))
                paths.append(temps[-1])
            else:
                paths.append(os.fsdecode(item))
        certfile = paths[0]
        assert certfile is not None
        context.load_cert_chain(certfile, paths[1], password)
    except (OSError, ssl.SSLError, ValueError, UnicodeEncodeError) as exc:
        raise ConfigurationError("client certificate or key could not be loaded: %s" % _reason(exc)) from None
    finally:
        for path in temps:
            try:
                os.unlink(path)
            except OSError:  # pragma: no cover - already gone
                pass
