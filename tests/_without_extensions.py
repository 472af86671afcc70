"""Run Python code in a fresh interpreter where gigya_fast's compiled modules cannot be imported.

The stand-in for "installed without a C compiler": a ``sys.meta_path`` finder
refuses every ``gigya_fast`` module that would load from an extension file
(``.so``/``.pyd``), whatever its name, so it keeps working when the
extensions are split or renamed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Dict, Optional, Sequence

BLOCKER = """
import importlib.machinery, sys

class _NoCompiledGigyaFast:
    def find_spec(self, name, path=None, target=None):
        if not name.startswith("gigya_fast."):
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                if (spec.origin or "").endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES)):
                    raise ImportError("compiled module blocked for the test: " + name)
                return None
        return None

sys.meta_path.insert(0, _NoCompiledGigyaFast())
"""


def clean_env(**extra: str) -> Dict[str, str]:
    """The environment without gigya_fast's switches (the test run's own NO_EXTENSIONS included)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIGYA_FAST_") and k != "PYTHONWARNINGS"}
    env.update(extra)
    return env


def run_python(
    code: str,
    *,
    blocked: bool = True,
    env: Optional[Dict[str, str]] = None,
    options: Sequence[str] = (),
) -> subprocess.CompletedProcess[str]:
    """Run *code* in a new interpreter (after the blocker when *blocked*); never raises on exit status."""
    source = (BLOCKER if blocked else "") + code
    return subprocess.run(
        [sys.executable, *options, "-c", source],
        env=clean_env() if env is None else env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
