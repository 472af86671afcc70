"""Selects the signing kernels: compiled (``_signing_c``) unless it is missing or
``GIGYA_FAST_NO_EXTENSIONS`` asks for the pure-Python twin (``_signing_py``)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from ._env import no_extensions

logger = logging.getLogger(__name__)

if TYPE_CHECKING:
    from ._signing_py import (
        IMPLEMENTATION,
        Signer,
        build_base_string,
        build_query_string,
        calc_signature,
        get_dynamic_session_signature,
        get_dynamic_session_signature_user_signed,
        kernel_info,
        normalize_url,
        percent_encode,
        serialize_value,
        validate_friend_signature,
        validate_user_signature,
        validate_user_signatures,
    )
else:
    if no_extensions():
        from ._signing_py import *  # noqa: F403
        from ._signing_py import IMPLEMENTATION
    else:
        try:
            from ._signing_c import *  # noqa: F403
            from ._signing_c import IMPLEMENTATION
        except ImportError as exc:  # pragma: no cover - depends on the build
            logger.debug("compiled kernels unavailable (%s); using pure Python", exc)
            from ._signing_py import *  # noqa: F403
            from ._signing_py import IMPLEMENTATION

__all__ = [
    "IMPLEMENTATION",
    "Signer",
    "percent_encode",
    "serialize_value",
    "build_query_string",
    "build_base_string",
    "normalize_url",
    "calc_signature",
    "validate_user_signature",
    "validate_friend_signature",
    "validate_user_signatures",
    "get_dynamic_session_signature",
    "get_dynamic_session_signature_user_signed",
    "kernel_info",
]
