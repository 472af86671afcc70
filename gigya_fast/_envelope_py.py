"""Reading the ``errorCode`` of a CDC answer without parsing it, pure Python: the
specification of the compiled twin ``gigya_fast._envelope_c``.

:func:`scan_envelope` checks that a body is a JSON object in a strict subset of
JSON (every body it accepts, :func:`json.loads` accepts too) and returns its
top-level ``errorCode``, or None when it cannot vouch for the body. The client
then keeps the body and builds the JSON tree only when the answer is read; a
None sends the body down the full parser, which gives the exact error.

The subset: the first byte is ``{``; whitespace is space, tab, CR, LF; strings
hold no control character, only the JSON escapes, and strict UTF-8 (no
surrogates or overlong forms); numbers follow the JSON grammar, integer
literals with at most :data:`MAX_INT_DIGITS` digits; no ``NaN`` or
``Infinity``; at most :data:`MAX_DEPTH` containers deep; no top-level key with
a backslash; nothing but whitespace after the object. The value returned is
that of the last top-level ``"errorCode"`` member, when it is an integer
literal of at most :data:`MAX_CODE_DIGITS` digits.
"""

from __future__ import annotations

import re
from typing import List, Optional

from ._checks_py import _exact_bytes

__all__ = ["scan_envelope", "MAX_DEPTH", "MAX_INT_DIGITS", "MAX_CODE_DIGITS"]

#: Containers nested deeper are not scanned.
MAX_DEPTH = 64
#: Integer literals with more digits are not scanned (``sys.set_int_max_str_digits`` allows no limit below 640).
MAX_INT_DIGITS = 640
#: An ``errorCode`` literal with more digits is not read (the compiled twin holds it in 64 bits).
MAX_CODE_DIGITS = 18

_SPACE = re.compile(rb"[ \t\n\r]*")
_STRING = re.compile(
    rb'"(?:[\x20\x21\x23-\x5b\x5d-\x7f]'
    rb'|\\(?:["\\/bfnrt]|u[0-9A-Fa-f]{4})'
    rb"|[\xc2-\xdf][\x80-\xbf]"
    rb"|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
    rb')*"'
)
_NUMBER = re.compile(rb"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")
_LITERALS = {0x74: b"true", 0x66: b"false", 0x6E: b"null"}
# What the scan expects next.
_OPENED, _KEY, _VALUE, _AFTER = range(4)  # just past "{" or "[", a key, a value, past a value


def scan_envelope(body: bytes) -> Optional[int]:
    """The top-level ``errorCode`` of *body* when it is a JSON object in the strict subset
    this module describes and that member is a short integer literal; None otherwise."""
    if type(body) is not bytes:
        body = _exact_bytes("body", body)  # our own copy: a bytearray could change while it is read
    end = len(body)
    if not end or body[0] != 0x7B:  # "{"
        return None
    stack: List[int] = [0x7D]  # the closing byte of each open container
    pos = 1
    code: Optional[int] = None
    reading_code = False  # the value about to be read is a top-level errorCode's
    state = _OPENED
    while True:
        pos = _SPACE.match(body, pos).end()  # type: ignore[union-attr]
        if state == _OPENED:
            if pos < end and body[pos] == stack[-1]:
                pos += 1
                stack.pop()
                state = _AFTER
            else:
                state = _KEY if stack[-1] == 0x7D else _VALUE
        elif state == _KEY:
            match = _STRING.match(body, pos)
            if match is None:
                return None
            if len(stack) == 1:
                key = match.group()
                if b"\\" in key:
                    return None  # it might spell errorCode
                reading_code = key == b'"errorCode"'
            pos = _SPACE.match(body, match.end()).end()  # type: ignore[union-attr]
            if pos >= end or body[pos] != 0x3A:  # ":"
                return None
            pos += 1
            state = _VALUE
        elif state == _VALUE:
            if pos >= end:
                return None
            is_code, reading_code = reading_code, False
            if is_code:
                code = None
            byte = body[pos]
            state = _AFTER
            if byte == 0x7B or byte == 0x5B:  # "{" "["
                if len(stack) == MAX_DEPTH:
                    return None
                stack.append(byte + 2)  # "}" or "]"
                pos += 1
                state = _OPENED
            elif byte == 0x22:  # '"'
                match = _STRING.match(body, pos)
                if match is None:
                    return None
                pos = match.end()
            elif byte in _LITERALS:
                word = _LITERALS[byte]
                if not body.startswith(word, pos):
                    return None
                pos += len(word)
            else:
                number = _NUMBER.match(body, pos)
                if number is None:
                    return None
                integer, fraction, exponent = number.groups()
                whole = fraction is None and exponent is None
                if whole and len(integer) > MAX_INT_DIGITS:
                    return None
                if is_code and whole and len(integer) <= MAX_CODE_DIGITS:
                    code = int(number.group())
                pos = number.end()
        else:  # _AFTER a value
            if not stack:
                return code if pos == end else None
            if pos >= end:
                return None
            byte = body[pos]
            if byte == 0x2C:  # ","
                pos += 1
                state = _KEY if stack[-1] == 0x7D else _VALUE
            elif byte == stack[-1]:
                pos += 1
                stack.pop()
            else:
                return None
