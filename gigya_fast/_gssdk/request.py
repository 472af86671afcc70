"""``GSRequest``: one CDC API call, sent through the shared pooled client.

Differences from the original GSSDK.py (see ``docs/migrating.md``):

* HTTPS by default (``useHTTPS=True``).
* ``send(timeout)`` takes **milliseconds**, as the original did; ``None`` uses
  the client's default timeout instead of waiting forever.
* Each instance owns its parameters: no class-level mutable defaults, and the
  dict or GSObject you pass in is copied, never modified.
* Requests go through a process-wide, thread-safe client cache
  (:mod:`gigya_fast._gssdk.pools`) instead of a new TLS connection and a
  global ``urllib`` opener per request.
* ``setAPIDomain`` also accepts a full base URL (``"http://127.0.0.1:8080"``):
  every namespace is then called on that host, e.g. to test against a local
  server such as :class:`gigya_fast.testing.LocalCDC`.
* ``certFile``/``keyFile`` (paths or PEM bytes) send the call over mutual TLS
  to ``mtls.<data center>.gigya.com``, without a signature.
* ``getLog()`` never contains the secret or the signature.
"""

from __future__ import annotations

import os
from typing import Any, Mapping, Union

from .._signing import serialize_value
from ..errors import ConfigurationError, GigyaError, RequestTimeoutError
from ..rest.prepare import RESERVED_PARAMS
from ..rest.routing import resolve_api_domain
from . import pools
from .gsobject import GSObject
from .oauth import build_qs, calc_oauth1_base_string, get_oauth1_signature, url_encode
from .response import (
    GENERAL_FAILURE,
    MISSING_PARAMETER,
    NO_CA_FILE,
    REQUEST_TIMEOUT,
    TIMEOUT_MESSAGE,
    GSResponse,
)
from .trace import TraceLog

__all__ = ["GSRequest", "DEFAULT_API_DOMAIN"]

DEFAULT_API_DOMAIN = "us1.gigya.com"

Params = Union[None, str, bytes, Mapping[str, Any]]
PemOrPath = Union[str, bytes]


def _split_method(api_method: str) -> str:
    """``namespace.method`` without a leading slash; a method without a dot is in ``socialize``."""
    method = api_method.strip().lstrip("/")
    return method if "." in method else "socialize." + method


def _domain(api_domain: str | None) -> str:
    """Full API domain: ``None``/empty -> us1, short names (``eu1``, ``cn1``) expanded."""
    domain = (api_domain or "").strip().strip("/")
    if not domain:
        return DEFAULT_API_DOMAIN
    try:
        return resolve_api_domain(domain)
    except (ConfigurationError, TypeError):
        return domain.lower()  # kept as given: send() reports it as a 500000 failure


def _proxy_url(proxy: str | None) -> str | None:
    if not proxy:
        return None
    return proxy if "://" in proxy else "http://" + proxy


class GSRequest:
    """A request to a CDC REST method, signed with the partner secret or a user key's secret.

    ``GSRequest(apiKey, secretKey, apiMethod, params, useHTTPS=True, userKey=None,
    certFile=None, keyFile=None)``: *params* may be a dict, a :class:`GSObject`
    or a JSON object string. With *userKey*, *secretKey* is that key's secret.
    With *certFile* (and *keyFile* when the key is not in the same PEM) the call
    authenticates by mutual TLS and *secretKey* may be ``None``; with neither a
    secret nor a certificate the call is sent unsigned (``apiKey`` only).
    """

    def __init__(
        self,
        apiKey: str | None = None,
        secretKey: str | None = None,
        apiMethod: str | None = None,
        params: Params = None,
        useHTTPS: bool = True,
        userKey: str | None = None,
        certFile: PemOrPath | None = None,
        keyFile: PemOrPath | None = None,
    ) -> None:
        self._api_key = apiKey
        self._secret = secretKey
        self._user_key = userKey
        self._method = apiMethod
        self._params = GSObject(params)
        self._use_https = bool(useHTTPS)
        self._cert_file = certFile
        self._key_file = keyFile
        self._api_domain = DEFAULT_API_DOMAIN
        self._base_url: str | None = None
        self._proxy: str | None = None

    # --- configuration -----------------------------------------------------------

    def setParam(self, key: str, value: Any) -> None:
        """Set one API parameter (``None`` leaves it out of the request)."""
        self._params[key] = value

    def getParams(self) -> GSObject:
        """This request's parameters (the live object: changes affect the next ``send``)."""
        return self._params

    def getMethod(self) -> str | None:
        """The API method as given to the constructor."""
        return self._method

    def setAPIDomain(self, domain: str | None = None) -> None:
        """Send to another data center, e.g. ``"eu1.gigya.com"`` (or ``"eu1"``); ``None`` resets to us1.

        A full base URL (``"https://host[:port]"`` or ``"http://127.0.0.1:8080"``)
        sends every namespace to that one host, scheme included (``useHTTPS`` is
        then ignored): the way to point the SDK at a local test server.
        """
        text = (domain or "").strip()
        if text.lower().startswith(("http://", "https://")):
            self._base_url = text.rstrip("/")
            self._api_domain = DEFAULT_API_DOMAIN
        else:
            self._base_url = None
            self._api_domain = _domain(text)

    def getAPIDomain(self) -> str:
        """The API domain (or base URL) this request is sent to."""
        return self._base_url or self._api_domain

    def setProxy(self, proxy: str | None) -> None:
        """Send through an HTTP proxy: ``"host:port"`` or ``"http://user:pass@host:port"``; ``None`` for none.

        TLS is tunnelled through the proxy with hostname checks on.
        """
        self._proxy = _proxy_url(proxy)

    @staticmethod
    def setCACertsPath(path: str | None) -> None:
        """Trust the CA certificates in the PEM file *path* for every later request of the process.

        ``None`` restores the default (certifi's bundle). A path that does not
        exist makes ``send()`` answer 400003 without a network call.
        """
        pools.set_ca_certs_path(path)

    # --- the original's public helpers, on the kernels ---------------------------

    @staticmethod
    def calcOAuth1BaseString(
        httpMethod: str, url: str, isSecureConnection: bool, requestParams: Mapping[str, Any] | None
    ) -> str:
        """The OAuth1 base string CDC signs (see :func:`gigya_fast.build_base_string`)."""
        return calc_oauth1_base_string(httpMethod, url, isSecureConnection, requestParams)

    @staticmethod
    def getOAuth1Signature(key: str, baseString: str) -> str:
        """base64(HMAC-SHA1(base64decode(*key*), *baseString*))."""
        return get_oauth1_signature(key, baseString)

    @staticmethod
    def buildQS(params: Mapping[str, Any] | None) -> str:
        """``k1=enc(v1)&k2=enc(v2)...``, keys sorted, ``sig`` and ``None`` values left out."""
        return build_qs(params)

    @staticmethod
    def UrlEncode(value: Any) -> str:
        """RFC 3986 percent-encoding of *value* (serialised first when not text)."""
        return url_encode(value)

    # --- sending -----------------------------------------------------------------

    def _config(self, api_key: str, method: str) -> pools.ClientConfig:
        base_url = self._base_url
        if base_url is None and not self._use_https and self._cert_file is None:
            # Plain HTTP to CDC itself: one client per namespace host.
            base_url = f"http://{method.split('.', 1)[0].lower()}.{self._api_domain}"
        mtls = self._cert_file is not None
        return pools.ClientConfig(
            api_key=api_key,
            secret=None if mtls else self._secret,
            user_key=None if mtls else self._user_key,
            api_domain=self._api_domain,
            base_url=base_url,
            proxy_url=self._proxy,
            ca_certs=pools.get_ca_certs_path(),
            client_cert=self._cert_file,
            client_key=self._key_file,
        )

    def send(self, timeout: float | None = None) -> GSResponse:
        """Send the request and return a :class:`GSResponse`; never raises for API or network errors.

        *timeout* is in **milliseconds** (as in the original); ``None`` uses the
        client default (10 s to connect, 60 s to read). The request is sent
        once: no back-off retries (a request CDC refused unexecuted because of
        clock skew, 403002, or a wrong data center, 301001, is re-signed and
        re-sent by the client). A missing API key or method answers 400002 and a
        missing CA file 400003, both without a network call; no answer in time
        gives 504002 ``"Request Timeout"``; any other failure 500000.
        """
        trace = TraceLog()
        method_name = self._method or ""
        trace.add("apiMethod", method_name)
        params = dict(self._params)
        from_params = params.pop("apiKey", None)  # the original also took apiKey from the params
        api_key = self._api_key or (from_params if isinstance(from_params, str) else None)
        trace.add("apiKey", api_key)
        if self._user_key:
            trace.add("userKey", self._user_key)
        ignored = sorted(RESERVED_PARAMS.intersection(params))
        for name in ignored:
            del params[name]
        trace.add("params", params)
        if ignored:
            trace.add("ignoredParams", ",".join(ignored))

        def fail(code: int, message: str) -> GSResponse:
            trace.add("errorCode", code)
            trace.add("errorMessage", message)
            return GSResponse(method_name, errorCode=code, errorMessage=message, traceLog=trace)

        if not method_name.strip().lstrip("/"):
            return fail(MISSING_PARAMETER, "Missing required parameter: apiMethod")
        if not api_key:
            return fail(MISSING_PARAMETER, "Missing required parameter: apiKey")
        method = _split_method(method_name)
        ca_path = pools.get_ca_certs_path()
        if ca_path is not None and not os.path.isfile(ca_path):
            return fail(NO_CA_FILE, f"CA certificates file not found: {ca_path}")
        for key, value in params.items():
            try:
                serialize_value(value)
            except (TypeError, ValueError) as exc:
                return fail(GENERAL_FAILURE, f"Invalid value for parameter {key!r}: {exc}")
        timeout_s: float | None = None
        if timeout is not None:
            if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not timeout > 0:
                return fail(GENERAL_FAILURE, "timeout must be a positive number of milliseconds")
            timeout_s = timeout / 1000.0
            trace.add("timeout", timeout)
        try:
            client = pools.get_client(self._config(api_key, method))
            trace.add("URL", client.url_for(method))
            answer = client.call(method, params, raise_on_error=False, retry=False, timeout=timeout_s)
        except RequestTimeoutError:
            return fail(REQUEST_TIMEOUT, TIMEOUT_MESSAGE)
        except GigyaError as exc:
            # Configuration errors may carry the original's code (400003 bad CA file, 403006 secret over HTTP).
            code = exc.error_code if isinstance(exc, ConfigurationError) and exc.error_code else GENERAL_FAILURE
            return fail(code, str(exc.error_message or exc) or type(exc).__name__)
        except Exception as exc:  # the original turned every failure into 500000
            return fail(GENERAL_FAILURE, f"{type(exc).__name__}: {exc}")
        trace.add("errorCode", answer.error_code)
        if answer.call_id:
            trace.add("callId", answer.call_id)
        trace.add("response", answer.data)
        return GSResponse(
            method_name,
            responseText=answer.text,
            errorCode=answer.error_code,
            errorMessage=answer.error_message,
            traceLog=trace,
            errorDetails=answer.error_details,
        )

    def __repr__(self) -> str:
        return f"<GSRequest method={self._method!r} apiKey={self._api_key!r} domain={self.getAPIDomain()!r}>"
