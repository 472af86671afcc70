"""Reading an HTTP answer (status, headers, body bytes) into a :class:`Response`,
or a ``MalformedResponseError`` when it is not a CDC JSON envelope. No I/O."""

from __future__ import annotations

import json
import re
from typing import Any, Callable, Mapping, Tuple

from ..errors import MalformedResponseError
from .response import Response

__all__ = ["read_response", "malformed"]

_SCAN: Callable[[str, int], Tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]
_JSON_SPACE = re.compile(r"[ \t\n\r]*")


def _parse_json(body: bytes) -> Any:
    """``json.loads(body)``, minus its encoding sniffing and whitespace scans for the usual
    ``{...}`` UTF-8 body (json.loads reads any body starting ``{`` then a non-NUL byte as UTF-8)."""
    if body[:1] != b"{" or body[1:2] == b"\x00":
        return json.loads(body)
    text = body.decode("utf-8", "surrogatepass")
    try:
        data, end = _SCAN(text, 0)  # what JSONDecoder.raw_decode runs, without its Python frame
    except StopIteration as stop:
        raise json.JSONDecodeError("Expecting value", text, stop.value) from None
    if end != len(text) and _JSON_SPACE.match(text, end).end() != len(text):  # type: ignore[union-attr]
        raise ValueError("extra data after the JSON document")
    return data


def malformed(
    method: str, status: int, reason: str, *, details: str = "", call_id: Any = None
) -> MalformedResponseError:
    """A ``MalformedResponseError`` naming the method, the HTTP status and what was wrong."""
    return MalformedResponseError(
        "malformed response to %s (HTTP %d): %s" % (method or "request", status, reason),
        error_details=details or None,
        call_id=call_id if isinstance(call_id, str) else None,
        http_status=status,
    )


def _describe_body(headers: Mapping[str, str], body: bytes) -> str:
    content_type = headers.get("Content-Type") or headers.get("content-type") or "no content type"
    return "%s, %d bytes" % (content_type, len(body))


def read_response(
    method: str,
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    *,
    attempts: int = 1,
    elapsed: float = 0.0,
) -> Response:
    """Parse one answer. Never returns an unparsed body: empty, HTML, non-JSON,
    truncated JSON, a non-object or an object without ``errorCode`` raise
    ``MalformedResponseError`` (with ``http_status``)."""
    if body[:1] != b"{" and (not body or body.isspace()):
        raise malformed(method, status, "empty body", details=_describe_body(headers, body))
    try:
        data = _parse_json(body)
    except (ValueError, UnicodeDecodeError):
        stripped = body.lstrip()[:1]
        if stripped[:1] == b"<":
            reason = "HTML or XML instead of JSON"
        elif stripped[:1] in (b"{", b"["):
            reason = "truncated or invalid JSON"
        else:
            reason = "not JSON"
        raise malformed(method, status, reason, details=_describe_body(headers, body)) from None
    except RecursionError:
        raise malformed(method, status, "JSON nested too deeply") from None
    if not isinstance(data, dict):
        raise malformed(method, status, "JSON is not an object", details=_describe_body(headers, body))
    code = data.get("errorCode")
    if isinstance(code, bool) or not isinstance(code, int):
        if isinstance(code, str) and code.strip().isdigit():
            data["errorCode"] = int(code)
        else:
            raise malformed(
                method, status, "no integer errorCode in the JSON object", call_id=data.get("callId")
            )
    return Response(data, method, status, headers, body, attempts, elapsed)  # positional: cheaper per answer
