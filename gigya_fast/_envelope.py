"""Selects the envelope scan: compiled (``_envelope_c``) unless it is missing or
``GIGYA_FAST_NO_EXTENSIONS`` asks for the pure-Python twin (``_envelope_py``)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from ._env import no_extensions

logger = logging.getLogger(__name__)

if TYPE_CHECKING:
    from ._envelope_py import scan_envelope

    IMPLEMENTATION = "python"
else:
    from . import _envelope_py

    IMPLEMENTATION = "python"
    scan_envelope = _envelope_py.scan_envelope
    if not no_extensions():
        try:
            from ._envelope_c import scan_envelope

            IMPLEMENTATION = "cython"
        except ImportError as exc:  # pragma: no cover - depends on the build
            logger.debug("compiled envelope scan unavailable (%s); using pure Python", exc)

__all__ = ["IMPLEMENTATION", "scan_envelope"]
