"""``gigya-fast info``: version, implementation, SHA-1 backend, and a warning
when the compiled kernels are missing (see ``gigya_fast._install_check``)."""

from __future__ import annotations

import argparse
import platform
import sys
from typing import Any

from .. import IMPLEMENTATION, __version__, kernel_info
from .._env import no_extensions
from .._install_check import missing_kernels_message


def register(subparsers: Any) -> None:
    """Add the ``info`` subcommand."""
    parser = subparsers.add_parser("info", help="show version, implementation and SHA-1 backend")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print what is installed and which kernels are in use."""
    info = kernel_info()
    print("gigya_fast %s" % __version__)
    print("python %s (%s)" % (platform.python_version(), sys.implementation.name))
    for key, value in info.items():
        print("%s: %s" % (key, value))
    warning = missing_kernels_message(IMPLEMENTATION)
    if warning is not None:
        print("WARNING: %s" % warning)
    elif no_extensions():
        print("note: GIGYA_FAST_NO_EXTENSIONS is set: the pure-Python kernels were chosen")
    return 0
