"""A plain client-side caller for the login flows: raw urllib3 requests shaped as
CDC documents them (API key only, form POST or GET query string), keeping the
cookies the server sets as a browser would. No project code on the client side."""

from __future__ import annotations

import base64
import json
from typing import Any, Dict, Mapping, Tuple
from urllib.parse import urlencode

import urllib3

from gigya_fast.testing import LocalCDC

# (HTTP method, how the API key parameter is spelled): the habits of real clients.
STYLES = [("POST", "apiKey"), ("GET", "ApiKey"), ("POST", "APIKey"), ("GET", "apiKey")]
STYLE_IDS = [f"{verb}-{key}" for verb, key in STYLES]


class Browser:
    """Calls one LocalCDC with the API key only; ``cookies`` is its cookie jar."""

    def __init__(self, cdc: LocalCDC, verb: str = "POST", key_name: str = "apiKey") -> None:
        self.cdc, self.verb, self.key_name = cdc, verb, key_name
        self.cookies: Dict[str, str] = {}
        kwargs: Dict[str, Any] = {"retries": False, "timeout": urllib3.Timeout(connect=5, read=10)}
        if cdc.ca_path:
            kwargs["ca_certs"] = cdc.ca_path
        self.pool = urllib3.PoolManager(**kwargs)

    def raw(
        self, method: str, verb: str | None = None, **params: Any
    ) -> Tuple[urllib3.BaseHTTPResponse, Dict[str, Any]]:
        """Send one call; returns the HTTP response and the parsed JSON answer."""
        verb = verb or self.verb
        fields = {self.key_name: self.cdc.api_key}
        fields.update({k: json.dumps(v) if isinstance(v, (dict, list)) else str(v) for k, v in params.items()})
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        url = f"{self.cdc.url}/{method}"
        if verb == "GET":
            response = self.pool.request("GET", url + "?" + urlencode(fields), headers=headers)
        else:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            response = self.pool.request("POST", url, body=urlencode(fields), headers=headers)
        for line in response.headers.getlist("Set-Cookie"):
            name, _, value = line.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value.strip()
        return response, json.loads(response.data)

    def call(self, method: str, verb: str | None = None, **params: Any) -> Dict[str, Any]:
        """Send one call; returns the parsed JSON answer."""
        return self.raw(method, verb, **params)[1]


def jwt_parts(token: str) -> Tuple[Dict[str, Any], Dict[str, Any], bytes, bytes]:
    """header, claims, signing input and signature of a compact JWT (no verification)."""
    head, body, sig = token.split(".")

    def decode(part: str) -> bytes:
        return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))

    return json.loads(decode(head)), json.loads(decode(body)), f"{head}.{body}".encode(), decode(sig)


def verify_rs256_with_jwks(token: str, jwks: Mapping[str, Any]) -> Dict[str, Any]:
    """The claims of *token* after checking its RS256 signature against the JWKS (cryptography only)."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    header, claims, signing_input, signature = jwt_parts(token)
    assert header["alg"] == "RS256"
    (jwk,) = [k for k in jwks["keys"] if k["kid"] == header["kid"]]

    def number(text: str) -> int:
        return int.from_bytes(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)), "big")

    key = rsa.RSAPublicNumbers(number(jwk["e"]), number(jwk["n"])).public_key()
    key.verify(signature, signing_input, padding.PKCS1v15(), hashes.SHA256())  # raises when forged
    return claims
