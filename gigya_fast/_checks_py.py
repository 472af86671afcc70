"""Argument checks and the timestamp window of the pure-Python signing kernels.

Part of the specification (``_signing_py`` re-exports what it uses from here): the
type checks with their messages, and the window arithmetic, that the compiled twin
must reproduce.

Caller objects are normalised here, at the boundary: a ``str``/``bytes``/``int``/
``float`` subclass is replaced by an exact object with its real value, so no method
a subclass overrides (``__hash__``, ``__eq__``, ``__radd__``, ``__bytes__``,
``__sub__``...) ever runs inside a kernel, and both twins see the same data.
"""

from __future__ import annotations

import math
import time
from typing import Optional, Tuple, Union

Timestamp = Union[str, int]
Number = Union[int, float]

# Largest number of decimal digits accepted in a signature timestamp; longer
# values can never be within any window and would overflow the C core.
MAX_TIMESTAMP_DIGITS = 15


def _type_name(value: object) -> str:
    return type(value).__name__


def _require_str(name: str, value: object) -> str:
    """*value* as an exact str (its real characters); TypeError when it is no str."""
    if type(value) is str:
        return value
    if not isinstance(value, str):
        raise TypeError("%s must be str, not %s" % (name, _type_name(value)))
    return str.__str__(value)


def _exact_bytes(name: str, value: object) -> bytes:
    """*value* (bytes or bytearray) as exact bytes with its real contents; TypeError
    otherwise. A subclass's ``__bytes__`` is not called."""
    if type(value) is bytes:
        return value
    if isinstance(value, bytes):
        return bytes.__getitem__(value, slice(None))
    if isinstance(value, bytearray):
        return bytes(bytearray.__getitem__(value, slice(None)))
    raise TypeError("%s must be bytes, not %s" % (name, _type_name(value)))


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


def _window_number(name: str, value: object) -> Optional[Number]:
    """None, or the real value of an int/float argument as an exact int/float.

    TypeError for other types (bool included); ValueError for NaN and infinities,
    which would make every window comparison false (or, negated, true)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError("%s must be int, float or None, not %s" % (name, _type_name(value)))
    if isinstance(value, int):
        return int.__int__(value)
    number = float.__float__(value)
    if not math.isfinite(number):
        raise ValueError("%s must be a finite number, not %r" % (name, number))
    return number


def _check_window_args(expiration: object, now: object) -> Tuple[Optional[Number], Optional[Number]]:
    """The checked window arguments: (expiration, now) as exact numbers or None.

    A negative expiration would reject every signature: ValueError."""
    checked = _window_number("expiration", expiration)
    if checked is not None and checked < 0:
        raise ValueError("expiration must not be negative, not %r" % (checked,))
    return checked, _window_number("now", now)


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
