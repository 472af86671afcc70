"""``gigya-fast serve``: run a local CDC-compatible test server in the foreground."""

from __future__ import annotations

import argparse
import logging
import math
import signal
import sys
import threading
from types import FrameType
from typing import Any, List, Tuple

from ..errors import GigyaError

__all__ = ["register", "run", "parse_user_key", "port_number", "account_count", "finite_seconds"]


def register(subparsers: Any) -> None:
    """Add the ``serve`` subcommand."""
    parser = subparsers.add_parser(
        "serve",
        help="run a local CDC-compatible test server (127.0.0.1 only)",
        description="Run gigya_fast.testing.LocalCDC in the foreground until Ctrl-C. "
        "It prints its URL and throwaway credentials.",
    )
    parser.add_argument("--port", type=port_number, default=0, help="port to listen on, 0-65535 (default: any free)")
    parser.add_argument("--tls", action="store_true", help="serve HTTPS with a throwaway CA (needs the testing extra)")
    parser.add_argument("--mtls", action="store_true", help="also accept client certificates (implies --tls)")
    parser.add_argument("--api-key", help="apiKey to accept (default: random)")
    parser.add_argument("--partner-secret", help="base64 partner secret (default: random)")
    parser.add_argument(
        "--user-key",
        action="append",
        default=[],
        metavar="KEY[:SECRET]",
        help="a user key and its base64 secret (random secret when omitted); repeatable",
    )
    parser.add_argument("--seed-accounts", type=account_count, default=0, metavar="N", help="create N fake accounts")
    parser.add_argument(
        "--clock-offset", type=finite_seconds, default=0.0, metavar="S", help="skew the server clock by S s"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log every request to stderr")
    parser.set_defaults(func=run)


def _whole_number(text: str, low: int, high: int | None, what: str) -> int:
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not {what}: {text!r}") from None
    if number < low or (high is not None and number > high):
        bound = f"{low}-{high}" if high is not None else f"{low} or more"
        raise argparse.ArgumentTypeError(f"must be {bound}, not {number}")
    return number


def port_number(text: str) -> int:
    """An argparse type: a TCP port 0-65535 (0 = any free port)."""
    return _whole_number(text, 0, 65535, "a port number")


def account_count(text: str) -> int:
    """An argparse type: a count of accounts >= 0."""
    return _whole_number(text, 0, None, "a whole number")


def finite_seconds(text: str) -> float:
    """An argparse type: a finite number of seconds (NaN and infinities refused)."""
    try:
        seconds = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not math.isfinite(seconds):
        raise argparse.ArgumentTypeError(f"must be a finite number of seconds, not {text!r}")
    return seconds


def parse_user_key(text: str) -> Tuple[str, str | None]:
    """``KEY:SECRET`` -> (key, secret); ``KEY`` -> (key, None)."""
    key, sep, secret = text.partition(":")
    if not key:
        raise ValueError(f"user key must not be empty: {text!r}")
    return key, (secret if sep else None)


def _stop_on_signals(stop: threading.Event) -> None:
    """Ctrl-C (even when started in the background, where SIGINT may be ignored) and SIGTERM stop the server."""

    def handler(signum: int, frame: FrameType | None) -> None:
        stop.set()

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, handler)
        signal.signal(signal.SIGTERM, handler)


def run(args: argparse.Namespace) -> int:
    """Start the server, print how to reach it, block until Ctrl-C (or SIGTERM)."""
    from ..testing import LocalCDC

    if args.verbose:
        logging.basicConfig(level=logging.DEBUG, format="%(asctime)s %(name)s %(message)s", stream=sys.stderr)
    try:
        user_keys: List[Tuple[str, str | None]] = [parse_user_key(t) for t in args.user_key]
        first_key, first_secret = user_keys[0] if user_keys else (None, None)
        cdc = LocalCDC(
            tls=args.tls,
            mtls=args.mtls,
            port=args.port,
            seed_accounts=args.seed_accounts,
            api_key=args.api_key,
            partner_secret=args.partner_secret,
            user_key=first_key,
            user_secret=first_secret,
            clock_offset=args.clock_offset,
        )
        extra = [cdc.add_user_key(key, secret) for key, secret in user_keys[1:]]
        cdc.start()
    except (ValueError, GigyaError, OSError) as exc:
        print(f"gigya-fast serve: {exc}", file=sys.stderr)
        return 2
    stop = threading.Event()
    _stop_on_signals(stop)
    try:
        print(f"LocalCDC listening on {cdc.url}  (throwaway test credentials below)")
        print(f"  apiKey:         {cdc.api_key}")
        print(f"  partner secret: {cdc.partner_secret}")
        for key, secret in [(cdc.user_key, cdc.user_secret)] + extra:
            print(f"  user key:       {key}  secret: {secret}")
        if cdc.ca_path:
            print(f"  CA (trust it):  {cdc.ca_path}")
        if args.mtls:
            cert, key = cdc.issue_client_cert()
            print(f"  client cert:    {cert}  key: {key}")
        if args.seed_accounts:
            print(f"  accounts:       {args.seed_accounts} seeded")
        print("Press Ctrl-C to stop.", flush=True)
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not interrupt the shutdown
        cdc.stop()
        print("stopped.", flush=True)
    return 0
