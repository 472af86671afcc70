"""How deeply a JSON document nests, measured before it is parsed.

The JSON decoder's own limit is Python's recursion limit, and that differs
between versions: 3.13's decoder parses 5,000 levels that 3.12's refuses with
``RecursionError``. Untrusted JSON (a webhook body, a JWT header or claims) is
checked against our bound first, so that a deep document is refused the same
way on every Python. Imported by ``_jose`` and ``webhooks._body``; imports
nothing of the package.
"""

from __future__ import annotations

import re

__all__ = ["MAX_JSON_DEPTH", "too_deep"]

#: Deepest nesting of arrays and objects accepted in untrusted JSON. CDC's webhook
#: bodies nest a few levels (body, events, data, profile...), its tokens fewer.
MAX_JSON_DEPTH = 100

# A JSON string, or (group 1) a quote whose string never ends: the rest of the document is
# then text as it stands. Matching that tail once keeps a document with an unterminated
# string linear; trying every later quote again made it quadratic (seconds per 32 KB).
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|(".*)', re.DOTALL)
_NOT_BRACKETS = bytes(sorted(set(range(256)) - set(b"[]{}")))


def _unless_unterminated(match: re.Match[bytes]) -> bytes:
    return match[1] or b""


def too_deep(document: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """True when the arrays and objects of *document* nest deeper than *limit* (strings skipped).

    *document* is UTF-8 (or ASCII), where no byte of a multi-byte character is
    a bracket, a quote or a backslash, so scanning bytes counts what the
    decoder will see.
    """
    if document.count(b"[") + document.count(b"{") <= limit:
        return False  # the common case: too few brackets to be that deep
    depth = 0
    for byte in _JSON_STRING.sub(_unless_unterminated, document).translate(None, _NOT_BRACKETS):
        if byte in b"[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False
