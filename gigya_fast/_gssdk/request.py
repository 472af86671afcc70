"""``GSRequest``: one CDC API call, with the original's methods, attributes and steps.

``send()`` runs the original's steps (``send`` -> ``sendRequest`` -> ``curl``),
so tests that replace any of them keep working; while none is replaced,
``sendRequest`` hands the call to a pooled, thread-safe
:class:`gigya_fast.rest.Client` (:mod:`.sending`). Differences from the
original GSSDK.py (see ``docs/migrating.md``):

* HTTPS by default (``useHTTPS=True``), as the user guide says.
* ``send(timeout)`` takes **seconds**, as the original did (int, float or
  numeric text); ``None`` and ``0`` use the client's default (10 s to connect,
  60 s to read) instead of waiting forever; a timeout answers 504002.
* Each instance owns its parameters and trace: no class-level mutable state.
* Proxies: ``setProxy()``, else the environment (``urllib``'s rules), with
  certificate and hostname checks on.
* ``setAPIDomain`` also accepts a short name (``"eu1"``) or a full base URL
  (``"http://127.0.0.1:8080"``, e.g. :class:`gigya_fast.testing.LocalCDC`).
* ``getLog()`` never shows the secret, the signature, passwords or tokens.
"""

from __future__ import annotations

import json
import os
import socket
import time
from typing import Any, Mapping, Optional, Tuple, Union

import certifi

from ..errors import GigyaError, RequestTimeoutError
from ..rest.clock import new_nonce
from ..rest.prepare import RESERVED_PARAMS
from ..rest.routing import mtls_host
from . import oauth, sending, sigutils
from .gsobject import GSObject
from .response import GENERAL_FAILURE, MISSING_PARAMETER, NO_CA_FILE, REQUEST_TIMEOUT, TIMEOUT_MESSAGE, GSResponse
from .sigutils import SigUtils
from .target import DEFAULT_API_DOMAIN, base_url_of, resolve_domain
from .trace import REDACTED, trace_line

__all__ = ["GSRequest", "DEFAULT_API_DOMAIN"]

Params = Union[None, str, bytes, Mapping[str, Any]]
PemOrPath = Union[str, bytes]

_TIMEOUT_TEXT = "Operation timed out"  # what the original looked for (a Python 2 message)
# Parameters only the SDK sets; a userKey in params is kept: it signs, as in the original.
_SDK_OWNED = RESERVED_PARAMS - {"userKey"}


def _own_params(params: Params) -> GSObject:
    """A private copy of *params*: a mapping is copied, JSON text parsed (``ValueError`` if invalid)."""
    if params is None:
        return GSObject()
    if isinstance(params, (str, bytes)):
        parsed = json.loads(params)
        if not isinstance(parsed, dict):
            raise ValueError("params given as JSON text must be an object, not %s" % type(parsed).__name__)
        return GSObject(parsed)
    if isinstance(params, Mapping):
        return GSObject(params)
    raise TypeError("params must be a dict, a GSObject or JSON text, not %s" % type(params).__name__)


def _is_timeout(exc: BaseException) -> bool:
    if isinstance(exc, (RequestTimeoutError, TimeoutError, socket.timeout)):
        return True
    reason = getattr(exc, "reason", None)  # urllib's URLError wraps the socket timeout
    if isinstance(reason, BaseException) and reason is not exc and _is_timeout(reason):
        return True
    return str(exc).startswith(_TIMEOUT_TEXT)


def _client_error(exc: BaseException) -> Tuple[int, str, Optional[str]]:
    """``(errorCode, errorMessage, details)`` for a failed send, as the original mapped exceptions."""
    details = exc.error_details if isinstance(exc, GigyaError) else None
    if _is_timeout(exc):
        return REQUEST_TIMEOUT, TIMEOUT_MESSAGE, details
    if isinstance(exc, GigyaError):
        return GENERAL_FAILURE, exc.error_message or type(exc).__name__, details
    return GENERAL_FAILURE, str(exc) or type(exc).__name__, details


class GSRequest:
    """A request to a CDC REST method, as in the original GSSDK.py.

    ``GSRequest(apiKey, secretKey, apiMethod, params, useHTTPS=True, userKey=None,
    certFile=None, keyFile=None)``: *params* may be a dict, a :class:`GSObject`
    or a JSON object string. With *secretKey* the request is signed (with
    *userKey*, *secretKey* is that key's secret; a ``userKey`` inside *params*
    works too). Without *secretKey*, *apiKey* is sent as an access token
    (``oauth_token``). With both *certFile* and *keyFile* (paths or PEM bytes)
    the call authenticates by mutual TLS at ``mtls.<data center>.gigya.com``.
    """

    DEFAULT_API_DOMAIN = DEFAULT_API_DOMAIN
    #: The version of the original SDK whose behaviour this class reproduces.
    VERSION = "3.6.0"
    #: PEM file of the CA certificates HTTPS servers are checked against (certifi's bundle by default).
    caCertsPath: Union[str, os.PathLike[str], None] = certifi.where()

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
        self._method = apiMethod
        self._params = _own_params(params)
        host = self._params.get("_host")
        self._domain: str = host if isinstance(host, str) else ""
        self._path = ""
        self._host = ""
        self._proxy: Optional[str] = ""
        self._apiKey = apiKey
        self._secretKey = secretKey
        self._userKey = userKey
        self._useHTTPS = useHTTPS
        self._certFile = certFile
        self._keyFile = keyFile
        self._apiDomain: Optional[str] = DEFAULT_API_DOMAIN
        self._traceLog: list[str] = []
        self.traceField("apiMethod", apiMethod)
        self.traceField("apiKey", self._api_key_for_log())

    # --- configuration -----------------------------------------------------------

    def setParam(self, param: str, val: Any) -> None:
        """Set one API parameter (``None`` leaves it out of the request)."""
        self._params[param] = val

    def getParams(self) -> GSObject:
        """This request's parameters (the live object: changes affect the next ``send``)."""
        return self._params

    def getMethod(self) -> str | None:
        """The API method as given to the constructor."""
        return self._method

    def setAPIDomain(self, apiDomain: str | None = None) -> None:
        """Send to another data center, e.g. ``"eu1.gigya.com"``; ``None`` resets to ``us1.gigya.com``.

        Also accepted: a short name (``"eu1"``), and a full base URL
        (``"http://127.0.0.1:8080"``) to which every namespace is then sent,
        scheme included: the way to point the SDK at a local test server.
        """
        self._apiDomain = self.DEFAULT_API_DOMAIN if apiDomain is None else apiDomain

    def getAPIDomain(self) -> str:
        """The API domain (or base URL) this request will be sent to."""
        base = base_url_of(self._apiDomain)
        if base is not None:
            return base
        try:
            return resolve_domain(self._apiDomain)
        except (GigyaError, ValueError):
            return str(self._apiDomain)

    def setProxy(self, proxy: str | None) -> None:
        """Send through this HTTP proxy (``"host:port"`` or ``"http://user:pass@host:port"``) instead of the
        environment's; ``None`` or ``""`` to use the environment again. TLS is tunnelled with hostname checks on."""
        self._proxy = proxy
        self.traceField("proxy", proxy)

    @staticmethod
    def setCACertsPath(path: str | None) -> None:
        """Trust the CA certificates in the PEM file *path* for every later request (``GSRequest.caCertsPath``).

        ``None`` restores the default, certifi's bundle.
        """
        GSRequest.caCertsPath = certifi.where() if path is None else path

    def _api_key_for_log(self) -> Any:
        """The API key, or ``***`` when it is an access token (no secret, no client certificate)."""
        if self._apiKey and not self._secretKey and not self._has_mtls_config():
            return REDACTED
        return self._apiKey

    def _ca_certs(self) -> Any:
        path = GSRequest.caCertsPath
        return os.fspath(path) if path else None

    def _has_mtls_config(self) -> bool:
        """True when both a client certificate and its key were given (mutual TLS)."""
        return self._certFile is not None and self._keyFile is not None

    def _resolve_mtls_domain(self) -> str:
        """``mtls.<first label of the API domain>.gigya.com`` (``mtls.us1.gigya.com`` when there is none)."""
        return mtls_host(self._apiDomain or "")

    # --- the original's helpers ------------------------------------------------------

    def traceField(self, name: str, value: Any) -> None:
        """Append ``name=repr(value)`` to this request's log when *value* is truthy (credentials redacted)."""
        if value:
            self._traceLog.append(trace_line(name, value))

    def UrlEncode(self, value: Any) -> str | None:
        """RFC 3986 percent-encoding of *value* (serialised first when not text); ``None`` gives ``None``."""
        return oauth.url_encode(value)

    def buildQS(self, params: Mapping[str, Any] | None) -> str:
        """``k1=enc(v1)&k2=enc(v2)...`` over the sorted keys; ``None`` values are left out."""
        return oauth.build_qs(params, self.UrlEncode)

    def calcOAuth1BaseString(
        self, httpMethod: str, url: str, isSecureConnection: bool, requestParams: Mapping[str, Any] | None
    ) -> str:
        """``METHOD&enc(url)&enc(sorted query string)``, the text CDC signs (``https`` when secure)."""
        return oauth.base_string(httpMethod, url, bool(isSecureConnection), self.buildQS(requestParams))

    def getOAuth1Signature(
        self, key: str, httpMethod: str, url: str, isSecureConnection: bool, requestParams: Mapping[str, Any] | None
    ) -> str:
        """The request signature: ``SigUtils.calcSignature`` over :meth:`calcOAuth1BaseString`."""
        base = self.calcOAuth1BaseString(httpMethod, url, isSecureConnection, requestParams)
        self.traceField("baseString", base)
        return SigUtils.calcSignature(base, key)

    # --- sending -----------------------------------------------------------------

    def _target(self, method: str) -> str:
        """The original's ``_domain`` for *method* (``<namespace>.<API domain>``, or the mTLS host)."""
        base = base_url_of(self._apiDomain)
        if base is not None:
            return base.split("://", 1)[1].split("/", 1)[0]
        if self._has_mtls_config():
            return self._resolve_mtls_domain()
        namespace = method.split(".", 1)[0]
        given = self._apiDomain
        try:
            domain = resolve_domain(given)
        except (GigyaError, ValueError):
            return namespace + "." + str(given)  # refused when sending, as a 500000
        # Keep the caller's spelling (e.g. upper case), as the original did, when it names the same domain.
        same = isinstance(given, str) and given.strip().lower() == domain
        return namespace + "." + (given.strip() if same and isinstance(given, str) else domain)

    def send(self, timeout: Union[None, int, float, str] = None) -> GSResponse:
        """Send the request and return a :class:`GSResponse`; API and network errors never raise.

        *timeout* is in **seconds** (int, float or numeric text, as in the
        original); ``None`` or ``0`` uses the client's default (10 s to
        connect, 60 s to read). Text that is not a number raises
        ``ValueError``, as in the original. No API key nor user key (and no
        client certificate), or no method, answers 400002 and a missing CA file
        (with ``useHTTPS``) 400003, both without a network call; no answer in
        time gives 504002 ``"Request Timeout"``; any other failure 500000. The
        request is sent once (CDC's 403002 clock-skew and 301001 data-center
        answers, which mean it was not executed, are re-signed and re-sent).
        """
        method = self._method
        if isinstance(method, str) and method.startswith("/"):
            method = self._method = method[1:]
        if not isinstance(method, str) or not method:
            return GSResponse(method, None, {"format": "json"}, MISSING_PARAMETER, None, self._traceLog)
        full = method if "." in method else "socialize." + method
        self._domain = self._target(full)
        self._path = "/" + full
        if self._params.get("format") is None:
            self.setParam("format", "json")
        if timeout:
            timeout = float(timeout)
            self.traceField("timeout", timeout)
        if self._apiKey is None and self._userKey is None and not self._has_mtls_config():
            return GSResponse(method, None, self._params, MISSING_PARAMETER, None, self._traceLog)
        ca_path = GSRequest.caCertsPath
        if self._useHTTPS and ca_path is not None and not os.path.isfile(ca_path):
            self.traceField("caCertsPath", ca_path)
            return GSResponse(method, None, self._params, NO_CA_FILE, None, self._traceLog)
        try:
            self.setParam("httpStatusCodes", "false")
            self.traceField("apiKey", self._api_key_for_log())
            self.traceField("apiMethod", method)
            self.traceField("params", self._params)
            self.traceField("useHTTPS", self._useHTTPS)
            self.traceField("userKey", self._userKey)
            text = self.sendRequest(
                "POST",
                self._host,
                self._path,
                self._params,
                self._apiKey,
                self._secretKey,
                self._useHTTPS,
                timeout,
                self._userKey,
            )
            if not text:
                raise ValueError("empty answer")
            return GSResponse(method, text, None, 0, None, self._traceLog)
        except Exception as exc:  # the original turned every failure into a response
            code, message, details = _client_error(exc)
            return GSResponse(method, None, self._params, code, message, self._traceLog, errorDetails=details)

    def _steps_replaced(self) -> bool:
        """True when a caller replaced one of the original's steps (a mock, a subclass, an instance attribute)."""
        for name, own in _OWN_STEPS:
            if getattr(getattr(self, name), "__func__", None) is not own:
                return True
        return not sigutils.hooks_intact()

    def sendRequest(
        self,
        httpMethod: str,
        domain: str,
        path: str,
        params: Mapping[str, Any],
        token: str | None,
        secret: str | None = None,
        useHTTPS: Any = False,
        timeout: Any = None,
        userKey: str | None = None,
    ) -> str:
        """Sign and send the call (to ``self._domain``, as in the original); return the answer text."""
        if not self._steps_replaced():
            return sending.call_pooled(self, path, params, token, secret, useHTTPS, timeout, userKey)
        wire = dict(params)  # the request's own parameters keep no signature
        for name in _SDK_OWNED:
            wire.pop(name, None)  # as in the pooled path: never a secret in clear, never a stale signature
        wire["sdk"] = "python_" + self.VERSION
        mtls = self._has_mtls_config()
        base = base_url_of(self._apiDomain)
        scheme = "https" if (useHTTPS or not secret or mtls) else "http"
        url = (base if base is not None else scheme + "://" + self._domain) + path
        if userKey:
            wire["userKey"] = userKey
        if secret and not mtls:
            wire["apiKey"] = token
            wire["timestamp"] = int(time.time())
            wire["nonce"] = new_nonce()
            wire["sig"] = self.getOAuth1Signature(secret, httpMethod, url, url.startswith("https:"), wire)
        elif token:
            wire["apiKey" if mtls else "oauth_token"] = token
        return self.curl(url, wire, timeout)

    def curl(self, url: str, params: Mapping[str, Any] | None = None, timeout: Any = None) -> str:
        """POST *params* (form-encoded with :meth:`buildQS`) to *url*; return the answer text."""
        query = self.buildQS(params)
        self.traceField("URL", url)
        self.traceField("postData", query)
        return sending.post_form(self, url, query.encode("utf-8"), timeout)

    def __repr__(self) -> str:
        shown = (self._method, self._api_key_for_log(), self.getAPIDomain())
        return "<GSRequest method=%r apiKey=%r domain=%r>" % shown


_OWN_STEPS = tuple(
    (name, GSRequest.__dict__[name])
    for name in ("curl", "getOAuth1Signature", "calcOAuth1BaseString", "buildQS", "UrlEncode")
)
