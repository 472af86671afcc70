"""Test-side client helpers: an independent stdlib implementation of the
original SDK's signing algorithm (docs/protocol.md section 2) and small senders."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import socket
import time
import uuid
from typing import Any, Dict, Mapping, Tuple
from urllib.parse import urlsplit

import urllib3

from gigya_fast.testing import LocalCDC

_DEFAULT_PORTS = {"http": 80, "https": 443}


def ref_encode(text: str) -> str:
    """RFC 3986: unreserved A-Z a-z 0-9 - . _ ~ kept, every other UTF-8 byte %XX upper-case."""
    return "".join(
        chr(b) if (chr(b).isascii() and chr(b).isalnum()) or chr(b) in "-._~" else f"%{b:02X}"
        for b in text.encode("utf-8")
    )


def ref_normalize(url: str) -> str:
    parts = urlsplit(url)
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    port = parts.port
    netloc = host if port is None or port == _DEFAULT_PORTS[scheme] else f"{host}:{port}"
    return f"{scheme}://{netloc}{parts.path or '/'}"


def ref_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return str(value)


def ref_query(params: Mapping[str, Any]) -> str:
    items = sorted((k, ref_value(v)) for k, v in params.items() if k != "sig" and v is not None)
    return "&".join(f"{k}={ref_encode(v)}" for k, v in items)


def ref_base_string(http_method: str, url: str, params: Mapping[str, Any]) -> str:
    return "&".join([http_method.upper(), ref_encode(ref_normalize(url)), ref_encode(ref_query(params))])


def ref_sign(secret: str, message: str) -> str:
    key = base64.b64decode(secret)
    return base64.b64encode(hmac.new(key, message.encode("utf-8"), hashlib.sha1).digest()).decode("ascii")


def ref_uid_signature(secret: str, uid: str, timestamp: str) -> str:
    return ref_sign(secret, f"{timestamp}_{uid}")


def signed_body(
    url: str,
    params: Mapping[str, Any],
    secret: str,
    *,
    http_method: str = "POST",
) -> str:
    """The wire body: sorted query string + ``&sig=``."""
    sig = ref_sign(secret, ref_base_string(http_method, url, params))
    return ref_query(params) + "&sig=" + ref_encode(sig)


def fresh(cdc: LocalCDC, user_key: str | None = None, **extra: Any) -> Dict[str, Any]:
    """apiKey, timestamp, nonce (+ userKey) and the extra params."""
    params: Dict[str, Any] = {
        "apiKey": cdc.api_key,
        "timestamp": str(int(time.time())),
        "nonce": uuid.uuid4().hex,
        "format": "json",
        "httpStatusCodes": "false",
    }
    if user_key:
        params["userKey"] = user_key
    params.update(extra)
    return params


class Sender:
    """Sends requests to one LocalCDC through a urllib3 pool (keep-alive)."""

    def __init__(self, cdc: LocalCDC, *, cert: Tuple[str, str] | None = None) -> None:
        self.cdc = cdc
        kwargs: Dict[str, Any] = {"retries": False, "timeout": urllib3.Timeout(connect=5, read=10)}
        if cdc.ca_path:
            kwargs["ca_certs"] = cdc.ca_path
        if cert:
            kwargs["cert_file"], kwargs["key_file"] = cert
        self.pool = urllib3.PoolManager(**kwargs)

    def raw(
        self, path: str, body: str = "", headers: Mapping[str, str] | None = None, method: str = "POST"
    ) -> urllib3.BaseHTTPResponse:
        all_headers = {"Content-Type": "application/x-www-form-urlencoded"}
        all_headers.update(headers or {})
        return self.pool.request(method, self.cdc.url + path, body=body.encode("utf-8"), headers=all_headers)

    def form(self, path: str, params: Mapping[str, Any], headers: Mapping[str, str] | None = None) -> Dict[str, Any]:
        response = self.raw(path, ref_query(params), headers)
        return json.loads(response.data)  # type: ignore[no-any-return]

    def call(
        self,
        method: str,
        *,
        secret: str | None = None,
        user_key: str | None = None,
        host: str | None = None,
        headers: Mapping[str, str] | None = None,
        params: Dict[str, Any] | None = None,
        raw_response: bool = False,
        **extra: Any,
    ) -> Dict[str, Any]:
        """A signed call (partner secret unless *user_key*); *host* fakes the Host header it is signed for."""
        cdc = self.cdc
        if params is None:
            params = fresh(cdc, user_key, **extra)
        if secret is None:
            secret = cdc.user_secret if user_key == cdc.user_key and user_key else cdc.partner_secret
        host_header = host or f"{cdc.host}:{cdc.port}"
        signed_url = f"{cdc.scheme}://{host_header}/{method}"
        body = signed_body(signed_url, params, secret)
        all_headers = dict(headers or {})
        if host:
            all_headers["Host"] = host
        response = self.raw("/" + method, body, all_headers)
        if raw_response:
            return {"_http": response}
        data: Dict[str, Any] = json.loads(response.data)
        data["_http"] = response
        return data


def exchange(cdc: LocalCDC, payload: bytes, timeout: float = 5.0) -> bytes:
    """Send raw bytes (our side stays open); return what the server sends until it closes or *timeout* passes."""
    with socket.create_connection((cdc.host, cdc.port), timeout=timeout) as sock:
        sock.sendall(payload)
        chunks = []
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        except (socket.timeout, ConnectionResetError):
            pass
    return b"".join(chunks)
