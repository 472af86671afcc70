"""The ORIGINAL GSSDK.py signing algorithm, re-implemented for benchmarking only.

Written from docs/protocol.md and the original SDK's guide, to measure what
gigya_fast replaces. It follows the original's algorithm step by step,
including what makes it slow or wrong, and nothing more:

* the secret is base64-decoded again on every signature (``calcSignature``);
* ``hmac.new(...).digest()`` then ``b64encode`` then ``.decode``;
* ``UrlEncode``: ints via ``str()`` (so ``True`` becomes ``"True"``), dicts and
  lists via ``json.dumps`` with its default separators and ASCII escapes,
  other values ``.encode("utf-8")`` then ``quote_plus`` with ``+`` and ``%7E``
  replaced afterwards (floats raise, as in the original);
* the base string: ``urlparse``, lower-cased scheme and host, the path, and a
  query string of sorted keys built by string concatenation; a non-default
  port raises ``TypeError`` (the original concatenates ``str + int``);
* signatures compared with ``==`` (not constant time);
* ``validateUserSignature`` has no pre-decoded secret and, by default
  (``expiration=None``), no expiry check.

Left out on purpose, which only makes the original look *faster*: the trace
log (``repr`` of the base string appended to a list on every request) and the
second ``buildQS`` the original runs to build the request body.

Never use this module to talk to CDC: it exists to be measured.
"""

from __future__ import annotations

import hmac
import time
from base64 import b64decode, b64encode
from hashlib import sha1
from json import dumps as jsonstringify
from typing import Any, Dict, Union
from urllib.parse import quote_plus, urlparse

__all__ = ["SigUtils", "GSRequestSigning"]


class SigUtils:
    """The original ``SigUtils``: static helpers over a base64 secret."""

    @staticmethod
    def calcSignature(baseString: str, key: str) -> str:
        """base64(HMAC-SHA1(b64decode(key), UTF-8 of baseString)), decoding the key every call."""
        encoded_base = baseString.encode("utf-8")
        encoded_key = key.encode("utf-8")
        raw_hmac = hmac.new(b64decode(encoded_key), encoded_base, sha1).digest()
        return b64encode(raw_hmac).decode("utf-8")

    @staticmethod
    def signatureTimestampExpired(timestamp: str, expiration: float) -> bool:
        """True when *timestamp* (text) is more than *expiration* seconds from now."""
        now = int(round(time.time()))
        return abs(now - int(timestamp)) > expiration

    @staticmethod
    def validateUserSignature(
        UID: str, timestamp: str, secret: str, signature: Any, expiration: float | None = None
    ) -> bool:
        """UIDSignature check over ``timestamp + "_" + UID``; expiry only when asked."""
        base_string = timestamp + "_" + UID
        expected_sig = SigUtils.calcSignature(base_string, secret)
        if expiration is None:
            return bool(expected_sig == signature)
        expired = SigUtils.signatureTimestampExpired(timestamp, expiration)
        return not expired and bool(expected_sig == signature)

    @staticmethod
    def validateFriendSignature(
        UID: str, timestamp: str, friendUID: str, secret: str, signature: Any, expiration: float | None = None
    ) -> bool:
        """friendshipSignature check over ``timestamp + "_" + friendUID + "_" + UID``."""
        base_string = timestamp + "_" + friendUID + "_" + UID
        expected_sig = SigUtils.calcSignature(base_string, secret)
        if expiration is None:
            return bool(expected_sig == signature)
        expired = SigUtils.signatureTimestampExpired(timestamp, expiration)
        return not expired and bool(expected_sig == signature)

    @staticmethod
    def getDynamicSessionSignature(gltCookie: str, timeoutInSeconds: int, secret: str) -> str:
        """``<exp>_<sig>`` over ``gltCookie + "_" + exp`` (the whole cookie, as the original does)."""
        expiration = str(int(time.time()) + timeoutInSeconds)
        return expiration + "_" + SigUtils.calcSignature(gltCookie + "_" + expiration, secret)


class GSRequestSigning:
    """The signing half of the original ``GSRequest`` (instance methods, as there)."""

    def UrlEncode(self, value: Any) -> str | None:
        """The original value encoder: ``str()`` for ints, ``json.dumps`` for containers, else quote_plus."""
        if value is None:
            return value
        if isinstance(value, int):
            return str(value)
        if isinstance(value, (dict, list)):
            str_value: Union[str, bytes] = jsonstringify(value)
        else:
            str_value = value.encode("utf-8")
        return quote_plus(str_value).replace("+", "%20").replace("%7E", "~")

    def buildQS(self, params: Dict[str, Any]) -> str:
        """Sorted ``key=UrlEncode(value)`` pairs joined with ``&`` by concatenation, ``None`` left out."""
        query_string = ""
        amp = ""
        keys = list(params.keys())
        keys.sort()
        for key in keys:
            value = params.get(key)
            if value is not None:
                query_string += amp + key + "=" + self.UrlEncode(value)  # type: ignore[operator]
                amp = "&"
        return query_string

    def calcOAuth1BaseString(
        self, httpMethod: str, url: str, isSecureConnection: bool, requestParams: Dict[str, Any]
    ) -> str:
        """``METHOD&enc(normalized url)&enc(query string)``, normalised with ``urlparse``."""
        parsed = urlparse(url)
        protocol = "https" if isSecureConnection else parsed.scheme.lower()
        port = parsed.port
        normalized_url = protocol + "://" + parsed.hostname.lower()  # type: ignore[union-attr]
        if port is not None and ((protocol == "http" and port != 80) or (protocol == "https" and port != 443)):
            normalized_url += ":" + port  # type: ignore[operator]  # the original's bug: str + int raises
        normalized_url += parsed.path
        query_string = self.buildQS(requestParams)
        encoded_url = self.UrlEncode(normalized_url)
        encoded_query = self.UrlEncode(query_string)
        return httpMethod.upper() + "&" + encoded_url + "&" + encoded_query  # type: ignore[operator]

    def getOAuth1Signature(
        self, key: str, httpMethod: str, url: str, isSecureConnection: bool, requestParams: Dict[str, Any]
    ) -> str:
        """Base string, then ``SigUtils.calcSignature`` (the secret decoded again)."""
        base_string = self.calcOAuth1BaseString(httpMethod, url, isSecureConnection, requestParams)
        return SigUtils.calcSignature(base_string, key)
