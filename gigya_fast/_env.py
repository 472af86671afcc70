"""The one place that reads gigya_fast's environment switches."""

from __future__ import annotations

import os

__all__ = ["env_flag", "no_extensions", "force_portable_sha1"]

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
