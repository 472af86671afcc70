"""The request trace behind ``GSResponse.getLog()``, with credentials redacted.

The original GSSDK.py logged every parameter as given (passwords, tokens,
authorization codes), the signature, the base string and the whole answer.
Here the trace keeps the original's layout (``name=repr(value)`` lines, joined
by ``", "``), but every value whose key is in :data:`REDACTED_KEYS` (compared
case-insensitively) is replaced by ``***``: in mappings at any depth, in
parameters given as JSON text, in the request body (``postData``) and in the
base string. The secret itself is never handed to the trace.
"""

from __future__ import annotations

import json
from typing import Any, List, Mapping, Tuple
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from .._jsondepth import too_deep
from .._secret_names import SECRET_NAMES

__all__ = [
    "REDACTED_KEYS",
    "REDACTED",
    "is_sensitive",
    "redact",
    "redact_query",
    "redact_or_hide",
    "redact_parsed_json",
    "trace_line",
]

REDACTED = "***"

#: Parameter / field names whose values never appear in a log (lower case).
REDACTED_KEYS = SECRET_NAMES

# JSON text longer than this is logged as given rather than parsed for redaction.
_MAX_JSON_TEXT = 1 << 20
_JSON_STARTS = frozenset("{[ \t\r\n")


def is_sensitive(name: object) -> bool:
    """True when the value of a parameter or field called *name* must not be logged."""
    return (name if type(name) is str else str(name)).lower() in REDACTED_KEYS


def _redact_json_text(text: str) -> str:
    """*text* with sensitive fields redacted when it is a JSON object or array; else unchanged."""
    if not text or text[0] not in _JSON_STARTS:
        return text
    head = text.lstrip()[:1]
    if head not in ("{", "[") or len(text) > _MAX_JSON_TEXT:
        return text
    if too_deep(text.encode("utf-8", "surrogatepass")):  # deeper than we walk: log nothing of it
        return REDACTED
    try:
        parsed = json.loads(text)
    except (ValueError, RecursionError):
        return text
    return redact_parsed_json(text, parsed)


def redact_parsed_json(text: str, parsed: Any) -> str:
    """*text*, the JSON form of *parsed*, with sensitive fields redacted (re-serialised compact only when
    something was replaced); ``***`` when *parsed* is nested too deeply to walk."""
    try:
        cleaned = redact(parsed)
    except RecursionError:  # deeper than we walk: log nothing of it
        return REDACTED
    if cleaned == parsed:
        return text
    return json.dumps(cleaned, ensure_ascii=False, separators=(",", ":"))


def redact(value: Any) -> Any:
    """A copy of *value* with the values of sensitive keys replaced by ``***`` (recursively).

    Strings holding a JSON object or array are redacted inside too.
    """
    if isinstance(value, str):
        return _redact_json_text(value)
    if isinstance(value, (list, tuple)):
        return [redact(item) for item in value]
    if value is None or isinstance(value, (int, float)):  # before the (slow) Mapping check
        return value
    if isinstance(value, (dict, Mapping)):
        return {
            key: (REDACTED if item is not None and is_sensitive(key) else redact(item)) for key, item in value.items()
        }
    return value


def _split_pair(pair: str) -> Tuple[str, str]:
    key, _, value = pair.partition("=")
    return key, value


def redact_query(text: str) -> str:
    """A ``k=v&k=v`` body with sensitive values (also inside JSON values) redacted."""
    pairs: List[str] = []
    for pair in text.split("&"):
        key, value = _split_pair(pair)
        if is_sensitive(unquote(key)):
            pairs.append(key + "=" + REDACTED)
            continue
        decoded = unquote(value)
        cleaned = _redact_json_text(decoded)
        pairs.append(pair if cleaned == decoded else key + "=" + quote(cleaned, safe=""))
    return "&".join(pairs)


def _redact_base_string(text: str) -> str:
    parts = text.split("&", 2)
    if len(parts) != 3:
        return text
    return parts[0] + "&" + parts[1] + "&" + quote(redact_query(unquote(parts[2])), safe="")


def _redact_proxy(text: str) -> str:
    try:
        parts = urlsplit(text if "://" in text else "http://" + text)
    except ValueError:
        return REDACTED
    if parts.password is None:
        return text
    netloc = "%s:%s@%s" % (parts.username or "", REDACTED, parts.netloc.rsplit("@", 1)[1])
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def trace_line(name: str, value: Any) -> str:
    """``name=repr(value)`` as the original wrote it, with credentials redacted."""
    if is_sensitive(name):
        shown: Any = REDACTED
    elif isinstance(value, str) and name == "postData":
        shown = redact_query(value)
    elif isinstance(value, str) and name == "baseString":
        shown = _redact_base_string(value)
    elif isinstance(value, str) and name == "proxy":
        shown = _redact_proxy(value)
    else:
        shown = redact_or_hide(value)
    return "%s=%r" % (name, shown)


def redact_or_hide(value: Any) -> Any:
    """:func:`redact`, or ``***`` for the whole value when it is nested too deeply to walk."""
    try:
        return redact(value)
    except RecursionError:
        return REDACTED
