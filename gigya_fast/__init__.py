"""gigya_fast: a fast, thread-safe Python SDK for SAP Customer Data Cloud (Gigya).

The signing kernels are compiled (Cython over a C core) when the extension is
available, pure Python otherwise; ``IMPLEMENTATION`` says which is in use.
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, Any

from . import _install_check
from ._signing import (
    IMPLEMENTATION,
    Signer,
    build_base_string,
    build_query_string,
    calc_signature,
    get_dynamic_session_signature,
    get_dynamic_session_signature_user_signed,
    kernel_info,
    percent_encode,
    validate_friend_signature,
    validate_user_signature,
    validate_user_signatures,
)
from ._version import __version__
from .errors import (
    APIError,
    AuthenticationError,
    ConfigurationError,
    ConnectionFailedError,
    DataCenterError,
    GigyaError,
    InvalidRequestError,
    InvalidSecretError,
    MalformedResponseError,
    NotFoundError,
    RateLimitError,
    RequestTimeoutError,
    ServerError,
    SignatureError,
    TransportError,
)

if TYPE_CHECKING:
    from .rest import Client, Response
    from .webhooks import Notification, WebhookVerifier

logging.getLogger(__name__).addHandler(logging.NullHandler())

# Loud when an install without a C compiler silently gave the slow kernels.
_install_check.warn_if_kernels_missing(IMPLEMENTATION)

# Imported on first use, so that code needing only the kernels does not pay
# for urllib3 and the client at import time.
_LAZY = {
    "Client": "gigya_fast.rest",
    "Response": "gigya_fast.rest",
    "WebhookVerifier": "gigya_fast.webhooks",
    "Notification": "gigya_fast.webhooks",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError("module %r has no attribute %r" % (__name__, name))
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "__version__",
    "IMPLEMENTATION",
    "Signer",
    "percent_encode",
    "build_query_string",
    "build_base_string",
    "calc_signature",
    "validate_user_signature",
    "validate_friend_signature",
    "validate_user_signatures",
    "get_dynamic_session_signature",
    "get_dynamic_session_signature_user_signed",
    "kernel_info",
    "Client",
    "Response",
    "WebhookVerifier",
    "Notification",
    "GigyaError",
    "InvalidSecretError",
    "SignatureError",
    "ConfigurationError",
    "APIError",
    "AuthenticationError",
    "NotFoundError",
    "InvalidRequestError",
    "RateLimitError",
    "ServerError",
    "DataCenterError",
    "TransportError",
    "ConnectionFailedError",
    "RequestTimeoutError",
    "MalformedResponseError",
]
