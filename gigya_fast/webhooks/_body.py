"""Reading a notification body: JSON parsing, the tail timestamp and typed events."""

from __future__ import annotations

import json
import re
from typing import Any, Dict, Mapping, NamedTuple

from .._checks_py import Number
from .._jsondepth import MAX_JSON_DEPTH
from .._jsondepth import too_deep as too_deep  # re-exported: callers and tests import it from here
from ..errors import SignatureError

__all__ = ["Event", "parse_body", "body_timestamp"]


# A CDC body ends with ``,"timestamp":<seconds>}``. When the last member
# before the closing brace of a valid JSON object is that pair, it is the
# top-level timestamp: reading it from the tail avoids parsing the whole body
# just to apply the replay window. Anything else falls back to json.loads.
_TAIL_TIMESTAMP = re.compile(rb'[{,]\s*"timestamp"\s*:\s*(\d{1,15})\s*}\s*\Z')
_TAIL = 64

#: Deepest nesting of arrays and objects a body may have: the bound every untrusted
#: JSON document gets (``_jsondepth``), so that a deep body is malformed the same way
#: on every Python (3.13's JSON decoder accepts depths that 3.12's refuses).
MAX_BODY_DEPTH = MAX_JSON_DEPTH


class Event(NamedTuple):
    """One event of a notification (``accountCreated``, ``accountUpdated``...)."""

    type: str
    id: str
    timestamp: Number | None
    call_id: str | None
    version: str | None
    api_key: str | None
    uid: str | None
    data: Mapping[str, Any]


def malformed(reason: str) -> SignatureError:
    """The error for a signed body that is not a CDC notification."""
    return SignatureError("notification body is malformed: " + reason)


def parse_body(body: bytes) -> Dict[str, Any]:
    """The JSON object of a notification body (UTF-8); ``SignatureError`` when it is not one.

    Callers parse only a body a signature has vouched for; a body nested deeper
    than :data:`MAX_BODY_DEPTH` is malformed like any other.
    """
    if too_deep(body):
        raise malformed("nested too deeply")
    try:
        data = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise malformed("not UTF-8") from None
    except RecursionError:
        raise malformed("nested too deeply") from None
    except ValueError:
        raise malformed("not JSON") from None
    if not isinstance(data, dict):
        raise malformed("not a JSON object")
    return data


def timestamp_field(data: Mapping[str, Any]) -> Number:
    """The numeric top-level ``timestamp`` of parsed *data*."""
    value = data.get("timestamp")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise malformed("no numeric timestamp")
    return value


def body_timestamp(body: bytes) -> int | None:
    """The top-level ``timestamp`` read from the tail of *body*, or None when it is not there."""
    match = _TAIL_TIMESTAMP.search(body, max(0, len(body) - _TAIL))
    return int(match.group(1)) if match is not None else None


def _optional_str(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise malformed("event field has an unexpected type")


def make_event(raw: object) -> Event:
    """The typed :class:`Event` of one item of the body's ``events`` list."""
    if not isinstance(raw, dict):
        raise malformed("event is not an object")
    event_type, event_id = raw.get("type"), raw.get("id")
    if not isinstance(event_type, str) or not isinstance(event_id, str) or not event_id:
        raise malformed("event has no type or id")
    timestamp = raw.get("timestamp")
    if timestamp is not None and (isinstance(timestamp, bool) or not isinstance(timestamp, (int, float))):
        raise malformed("event timestamp is not a number")
    data = raw.get("data")
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise malformed("event data is not an object")
    uid = data.get("uid")
    return Event(
        type=event_type,
        id=event_id,
        timestamp=timestamp,
        call_id=_optional_str(raw.get("callId")),
        version=_optional_str(raw.get("version")),
        api_key=_optional_str(raw.get("apiKey")),
        uid=uid if isinstance(uid, str) else None,
        data=data,
    )
