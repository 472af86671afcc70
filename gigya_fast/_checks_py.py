"""Argument checks and the timestamp window of the pure-Python signing kernels.

Part of the specification (``_signing_py`` re-exports what it uses from here): the
type checks with their messages, and the window arithmetic, that the compiled twin
must reproduce.
"""

from __future__ import annotations

import time
from typing import Optional, Union

Timestamp = Union[str, int]
Number = Union[int, float]

# Largest number of decimal digits accepted in a signature timestamp; longer
# values can never be within any window and would overflow the C core.
MAX_TIMESTAMP_DIGITS = 15


def _type_name(value: object) -> str:
    return type(value).__name__


def _require_str(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("%s must be str, not %s" % (name, _type_name(value)))
    return value


def _timestamp_text(timestamp: object) -> str:
    if isinstance(timestamp, bool) or not isinstance(timestamp, (str, int)):
        raise TypeError("timestamp must be str or int, not %s" % _type_name(timestamp))
    if isinstance(timestamp, int):
        return int.__repr__(timestamp)
    return str.__str__(timestamp)


def _timestamp_in_window(text: str, expiration: Optional[Number], now: Optional[Number]) -> bool:
    if expiration is None:
        return True
    if not (0 < len(text) <= MAX_TIMESTAMP_DIGITS and text.isascii() and text.isdigit()):
        return False
    current = time.time() if now is None else now
    return abs(current - int(text)) <= expiration


def _check_window_args(expiration: object, now: object) -> None:
    if expiration is not None and (isinstance(expiration, bool) or not isinstance(expiration, (int, float))):
        raise TypeError("expiration must be int, float or None, not %s" % _type_name(expiration))
    if now is not None and (isinstance(now, bool) or not isinstance(now, (int, float))):
        raise TypeError("now must be int, float or None, not %s" % _type_name(now))


def _signature_bytes(signature: object) -> Optional[bytes]:
    """The ASCII bytes of a candidate signature, or None when it cannot match."""
    if not isinstance(signature, str) or not str.isascii(signature):
        return None
    return str.encode(signature, "ascii")


def _check_threads(threads: object) -> None:
    if isinstance(threads, bool) or not isinstance(threads, int):
        raise TypeError("threads must be int, not %s" % _type_name(threads))
    if threads < 1:
        raise ValueError("threads must be at least 1")
