"""``gigya-fast info``: version, implementation, SHA-1 backend."""

from __future__ import annotations

import argparse
import platform
import sys
from typing import Any

from .. import __version__, kernel_info


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
    return 0
