"""Says loudly when an install silently got the slow path.

An sdist installed without a C compiler falls back to the pure-Python kernels;
pip shows setup.py's banner only with ``-v``, and it caches the wheel it built,
so a later install on the same machine, compiler or not, reuses it. The one
place a user is sure to look is their own program: on CPython, importing
gigya_fast without the compiled kernels, when ``GIGYA_FAST_NO_EXTENSIONS`` did
not ask for the pure ones, warns once (``RuntimeWarning``) with the command
that rebuilds the extension. ``gigya-fast info`` prints the same text.
"""

from __future__ import annotations

import sys
import warnings
from typing import Optional

from ._env import no_extensions

__all__ = ["REINSTALL_COMMAND", "missing_kernels_message", "warn_if_kernels_missing"]

#: Rebuilds from the sdist, bypassing pip's cache of the pure-Python wheel.
REINSTALL_COMMAND = "pip install --no-cache-dir --force-reinstall gigya_fast"


def missing_kernels_message(implementation: str) -> Optional[str]:
    """The warning for *implementation* (``gigya_fast.IMPLEMENTATION``), or None when all is as asked.

    None for the compiled kernels, for the pure ones chosen with
    ``GIGYA_FAST_NO_EXTENSIONS``, and off CPython (the extension uses the
    CPython C API, so pure Python is what other interpreters are meant to run).
    """
    if implementation != "python" or no_extensions() or sys.implementation.name != "cpython":
        return None
    return (
        "gigya_fast is using its pure-Python kernels because the compiled extension "
        "(gigya_fast._signing_c) could not be imported: it was most likely installed "
        "without a working C compiler. Everything works, but signing and validation "
        "are several times slower. Install a C compiler and run `%s` (pip caches the "
        "wheel it built without one), or set GIGYA_FAST_NO_EXTENSIONS=1 to choose "
        "the pure-Python kernels and silence this warning." % REINSTALL_COMMAND
    )


def warn_if_kernels_missing(implementation: str) -> None:
    """Warn once, at import, when :func:`missing_kernels_message` has something to say.

    A warnings filter that turns warnings into errors (``-W error``, pytest's
    ``filterwarnings = error``) must not make the package unimportable: the
    text then goes to stderr instead.
    """
    message = missing_kernels_message(implementation)
    if message is None:
        return
    try:
        # stacklevel 3: the line of the program that imported gigya_fast.
        warnings.warn(message, RuntimeWarning, stacklevel=3)
    except Warning:
        sys.stderr.write("RuntimeWarning: %s\n" % message)
