"""gigya_fast: a fast, thread-safe Python SDK for SAP Customer Data Cloud (Gigya).

The signing kernels are compiled (Cython over a C core) when the extension is
available, pure Python otherwise; ``IMPLEMENTATION`` says which is in use.
"""

from __future__ import annotations

import logging

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
    RateLimitError,
    RequestTimeoutError,
    ServerError,
    SignatureError,
    TransportError,
)

logging.getLogger(__name__).addHandler(logging.NullHandler())

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
    "GigyaError",
    "InvalidSecretError",
    "SignatureError",
    "ConfigurationError",
    "APIError",
    "AuthenticationError",
    "InvalidRequestError",
    "RateLimitError",
    "ServerError",
    "DataCenterError",
    "TransportError",
    "ConnectionFailedError",
    "RequestTimeoutError",
    "MalformedResponseError",
]
