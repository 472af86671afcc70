"""The network half of ``GSRequest``: the pooled client call and the original's ``curl`` step.

``GSRequest.sendRequest`` normally hands the call to a pooled
:class:`gigya_fast.rest.Client` (:func:`call_pooled`), which signs it, sends it
over a kept-alive connection and returns the answer text. When a caller has
replaced one of the original's steps (``curl``, ``getOAuth1Signature``,
``SigUtils.calcSignature``...), ``sendRequest`` runs those steps instead, and
the original ``curl`` step posts the finished body with :func:`post_form`, over
the same kind of pooled connection.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Mapping, Optional, Tuple
from urllib.parse import urlsplit

from ..rest.client import DEFAULT_TIMEOUT
from ..rest.prepare import RESERVED_PARAMS, TOKEN_HEADERS
from ..rest.transport import SendError, Urllib3Transport, to_timeout
from . import pools
from .target import base_url_of, client_timeout, proxy_for, resolve_domain

if TYPE_CHECKING:
    from .request import GSRequest

__all__ = ["call_pooled", "post_form", "Credentials"]

#: The ``curl`` step's headers: a form body and our User-Agent, no auth header (the body carries
#: the credentials), which are the headers of the client's own token request.
_FORM_HEADERS = TOKEN_HEADERS

#: (api_key, secret, user_key, access_token) for the client.
Credentials = Tuple[Optional[str], Optional[str], Optional[str], Optional[str]]


def _credentials(
    request: GSRequest, params: Dict[str, Any], token: Any, secret: Any, user_key: Any
) -> Credentials:
    """Who signs or authenticates, as the original's ``sendRequest`` decided it; adjusts *params*."""
    from_params = params.get("userKey")
    user_key = user_key or (from_params if isinstance(from_params, str) else None)
    token = token or None
    if request._has_mtls_config():
        if token is not None:
            params.pop("apiKey", None)  # the original overwrote it with the constructor's
        return token, None, None, None  # the certificate authenticates: no signature
    if secret:
        params.pop("apiKey", None)  # the original overwrote it with the constructor's, even with None
        return token, secret, user_key, None
    if token is not None:
        return None, None, user_key, token  # access-token mode: sent as oauth_token
    return None, None, user_key, None


def _origin(request: GSRequest, use_https: bool, signed: bool, mtls: bool) -> Tuple[Optional[str], Optional[str]]:
    """``(base_url, api_domain)`` for the client: one of them is set."""
    base = base_url_of(request._apiDomain)
    if base is not None:
        return base, None
    if mtls:
        return "https://" + request._domain, None
    if use_https or not signed:
        return None, resolve_domain(request._apiDomain)
    return "http://" + request._domain, None


def call_pooled(
    request: GSRequest,
    path: str,
    params: Mapping[str, Any],
    token: Any,
    secret: Any,
    use_https: Any,
    timeout: Any,
    user_key: Any,
) -> str:
    """Send the call through the pooled client for its configuration and return the answer text."""
    method = path.lstrip("/")
    wire = dict(params)
    api_key, signing_secret, signing_user_key, access_token = _credentials(request, wire, token, secret, user_key)
    wire.pop("userKey", None)  # the client sends the one in use
    ignored = sorted(RESERVED_PARAMS.intersection(wire))
    for name in ignored:
        del wire[name]
    if ignored:
        request.traceField("ignoredParams", ",".join(ignored))
    mtls = request._has_mtls_config()
    base_url, api_domain = _origin(request, bool(use_https), bool(signing_secret), mtls)
    url = base_url + path if base_url is not None else "https://%s%s" % (request._domain, path)
    proxy = proxy_for(url, request._proxy)
    config = pools.ClientConfig(
        api_key=api_key,
        secret=signing_secret,
        user_key=signing_user_key,
        access_token=access_token,
        api_domain=api_domain,
        base_url=base_url,
        proxy_url=proxy,
        ca_certs=request._ca_certs(),
        client_cert=request._certFile if mtls else None,
        client_key=request._keyFile if mtls else None,
    )
    seconds = client_timeout(timeout)
    client = pools.get_client(config)
    request.traceField("URL", client.url_for(method))
    if proxy is not None and not request._proxy:
        request.traceField("proxy", proxy)
    answer = client.call(method, wire, raise_on_error=False, retry=False, timeout=seconds)
    return answer.text


def post_form(request: GSRequest, url: str, body: bytes, timeout: Any) -> str:
    """POST a finished form body to *url* (the original's ``curl``) and return the answer text."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("curl needs an absolute http:// or https:// URL")
    mtls = request._has_mtls_config()
    config = pools.ClientConfig(
        api_key=None,
        base_url="%s://%s" % (parts.scheme, parts.netloc),
        proxy_url=proxy_for(url, request._proxy),
        ca_certs=request._ca_certs(),
        client_cert=request._certFile if mtls else None,
        client_key=request._keyFile if mtls else None,
    )
    seconds = client_timeout(timeout)
    client = pools.get_client(config)
    transport = Urllib3Transport(client.pool_manager, to_timeout(DEFAULT_TIMEOUT))
    try:
        raw = transport.post(url, body, _FORM_HEADERS, None if seconds is None else to_timeout(seconds))
    except SendError as failure:
        raise failure.error from None
    return raw.body.decode("utf-8")
