"""Reading an HTTP answer (status, headers, body bytes) into a :class:`Response`,
or a ``MalformedResponseError`` when it is not a CDC JSON envelope. No I/O."""

from __future__ import annotations

from typing import Any, Mapping

from .. import _envelope
from .._jsondepth import MAX_JSON_DEPTH, too_deep
from ..errors import MalformedResponseError
from .jsonbody import parse_json_body
from .response import Response

__all__ = ["read_response", "malformed"]

# The compiled scan vouches for the usual answer in a fraction of the parse's time, so its JSON tree
# is built when the answer is first read (if ever). The pure twin costs more than the parse it would
# defer: without the extension every answer is parsed on arrival. Either way the same bodies are
# refused, with the same errors, before read_response returns.
_scan_envelope = _envelope.scan_envelope if _envelope.IMPLEMENTATION == "cython" else None


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
    """Read one answer. Empty, HTML, non-JSON, truncated JSON, a non-object or an
    object without ``errorCode`` raise ``MalformedResponseError`` (with
    ``http_status``). A body the envelope scan vouches for (see
    :mod:`gigya_fast._envelope_py`) becomes a Response whose JSON tree is built
    on first use; any other body is parsed here.
    """
    if _scan_envelope is not None:
        code = _scan_envelope(body)
        if code is not None:
            return Response(None, method, status, headers, body, attempts, elapsed, code)
    if body[:1] != b"{" and (not body or body.isspace()):
        raise malformed(method, status, "empty body", details=_describe_body(headers, body))
    if too_deep(body):  # refused alike on every Python (the decoder's own limit moves between versions)
        raise malformed(method, status, "JSON nested deeper than %d levels" % MAX_JSON_DEPTH)
    try:
        data = parse_json_body(body)
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
