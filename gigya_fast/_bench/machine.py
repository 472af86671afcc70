"""What the benchmark ran on: CPU, cores, Python, kernels, SHA-1 backend."""

from __future__ import annotations

import os
import platform
import ssl
import sys
from types import ModuleType
from typing import Dict

from .._version import __version__

__all__ = ["cpu_model", "machine_info"]


def cpu_model() -> str:
    """The CPU model name (``/proc/cpuinfo`` on Linux, ``platform`` elsewhere)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def _usable_cores() -> int | None:
    getter = getattr(os, "sched_getaffinity", None)
    if getter is None:
        return None
    return len(getter(0))


def machine_info(pure: ModuleType, compiled: ModuleType | None, compiled_status: str) -> Dict[str, str]:
    """Machine and build details printed above the table (all values are text)."""
    usable = _usable_cores()
    cores = str(os.cpu_count() or "?")
    if usable is not None and str(usable) != cores:
        cores += f" ({usable} usable)"
    kernels = compiled if compiled is not None else pure
    info = kernels.kernel_info()
    sha1 = info.get("sha1", "?")
    if compiled is not None:
        sha1 = f"{sha1} (compiled kernels); the pure twin uses hashlib"
    return {
        "cpu": cpu_model(),
        "cores": cores,
        "os": platform.platform(terse=True),
        "python": f"{platform.python_implementation()} {platform.python_version()} ({sys.platform})",
        "gigya_fast": __version__,
        "implementation": str(info.get("implementation", "?")),
        "compiled": compiled_status,
        "sha1": sha1,
        "openssl": ssl.OPENSSL_VERSION,
    }
