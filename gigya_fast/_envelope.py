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
elif no_extensions():
    from ._envelope_py import scan_envelope

    IMPLEMENTATION = "python"
else:
    try:
        from ._envelope_c import scan_envelope

        IMPLEMENTATION = "cython"
    except ImportError as exc:  # pragma: no cover - depends on the build
        logger.debug("compiled envelope scan unavailable (%s); using pure Python", exc)
        from ._envelope_py import scan_envelope

        IMPLEMENTATION = "python"

__all__ = ["IMPLEMENTATION", "scan_envelope"]
