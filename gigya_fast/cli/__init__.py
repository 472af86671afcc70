"""The ``gigya-fast`` command line: one module per subcommand, each with
``register(subparsers)`` that adds its parser and sets ``func``."""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import List, NoReturn, Optional

from .._version import __version__

__all__ = ["main", "build_parser"]

# Subcommand modules, in the order ``--help`` lists them.
_COMMANDS = ("info", "bench", "serve", "demo", "webhooks")


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser that never echoes unrecognised arguments: a mistyped
    option may carry a secret (``--secret X``), and error output ends up in logs."""

    def error(self, message: str) -> NoReturn:
        if message.startswith("unrecognized arguments"):
            count = len(message.split(":", 1)[1].split())
            message = "%d unrecognized argument(s) (not shown: they may hold secrets)" % count
        super().error(message)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = _Parser(prog="gigya-fast", description="Fast SDK for SAP Customer Data Cloud (Gigya).")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in _COMMANDS:
        importlib.import_module(f"{__name__}.{name}").register(subparsers)
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    """Run the command line; returns the process exit status."""
    parser = build_parser()
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help(sys.stderr)
        return 2
    return int(func(args) or 0)
