"""The one place that reads gigya_fast's environment switches."""

from __future__ import annotations

import importlib
import logging
import os
from types import ModuleType
from typing import Sequence, Tuple

__all__ = ["env_flag", "no_extensions", "force_portable_sha1", "load_twins"]

logger = logging.getLogger(__name__)

_TRUE = frozenset({"1", "true", "yes", "on"})


def env_flag(name: str) -> bool:
    """Return True when environment variable *name* is set to 1/true/yes/on."""
    return os.environ.get(name, "").strip().lower() in _TRUE


def no_extensions() -> bool:
    """``GIGYA_FAST_NO_EXTENSIONS``: use the pure-Python kernels only."""
    return env_flag("GIGYA_FAST_NO_EXTENSIONS")


def force_portable_sha1() -> bool:
    """``GIGYA_FAST_PORTABLE_SHA1``: never use the SHA-NI path of the C core."""
    return env_flag("GIGYA_FAST_PORTABLE_SHA1")


def load_twins(compiled: Sequence[str], pure: Sequence[str]) -> Tuple[Tuple[ModuleType, ...], str]:
    """The compiled modules named in *compiled* and ``"cython"``, or their pure twins *pure*
    and ``"python"`` when ``GIGYA_FAST_NO_EXTENSIONS`` asks for them or a compiled one is
    missing (logged at debug level). Names are absolute (``gigya_fast._envelope_c``)."""
    if not no_extensions():
        try:
            return tuple(importlib.import_module(name) for name in compiled), "cython"
        except ImportError as exc:  # depends on the build
            logger.debug("compiled kernels %s unavailable (%s); using pure Python", ", ".join(compiled), exc)
    return tuple(importlib.import_module(name) for name in pure), "python"
