"""CDC response envelopes and the server-side error type.

Every answer of the local server is a JSON object with ``errorCode``,
``callId``, ``statusCode``, ``statusReason`` and ``time`` (plus
``errorMessage``/``errorDetails`` on errors), sent with HTTP 200 unless the
caller asked for ``httpStatusCodes=true``.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone
from typing import Any, Dict, Mapping

__all__ = ["CDCError", "ERROR_MESSAGES", "new_call_id", "format_time", "envelope", "status_for_code", "encode_json"]


# errorCode -> errorMessage, as CDC words them.
ERROR_MESSAGES: Dict[int, str] = {
    0: "OK",
    206001: "Account Pending Registration",
    206002: "Account Pending Verification",
    301001: "Invalid data center",
    400001: "Invalid request format",
    400002: "Missing required parameter",
    400003: "Unique identifier exists",
    400006: "Invalid parameter value",
    400008: "Invalid authentication header",
    400013: "Unsupported grant type",
    400093: "Invalid ApiKey parameter",
    400096: "Not supported",
    403002: "Request has expired",
    403003: "Invalid request signature",
    403004: "Duplicate nonce",
    403005: "Unauthorized user",
    403006: "Secret sent over a non-secure connection",
    403007: "Permission denied",
    403042: "Invalid LoginID",
    403047: "Not found",
    403048: "API rate limit exceeded",
    403101: "Account Pending TFA Verification",
    409030: "Too many concurrent requests for the same user",
    500001: "General Server Error",
    500026: "Network error",
    500028: "Database error",
    504001: "Server timeout",
    504002: "Request timeout",
}

_REASONS = {
    200: "OK",
    206: "Partial Content",
    301: "Moved Permanently",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    413: "Payload Too Large",
    500: "Internal Server Error",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


class CDCError(Exception):
    """An error the local server answers with (``errorCode`` and friends).

    *extra* adds fields to the envelope (``apiDomain`` for 301001); *headers*
    adds HTTP headers to the response.
    """

    def __init__(
        self,
        code: int,
        details: str | None = None,
        *,
        message: str | None = None,
        extra: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.code = code
        self.message = message or ERROR_MESSAGES.get(code, "Error")
        self.details = details if details is not None else self.message
        self.extra: Dict[str, Any] = dict(extra or {})
        self.headers: Dict[str, str] = dict(headers or {})
        super().__init__(f"{code} {self.details}")


def new_call_id() -> str:
    """A fresh CDC-style ``callId`` (32 hex digits)."""
    return uuid.uuid4().hex


def format_time(timestamp: float) -> str:
    """ISO-8601 UTC with milliseconds, as in the envelope's ``time``."""
    moment = datetime.fromtimestamp(timestamp, tz=timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def status_for_code(code: int) -> int:
    """The ``statusCode`` that goes with an ``errorCode`` (its first three digits)."""
    if code == 0:
        return 200
    family = code // 1000
    return family if 100 <= family < 600 else 500


def envelope(
    call_id: str, now: float, payload: Mapping[str, Any] | None = None, error: CDCError | None = None
) -> Dict[str, Any]:
    """Build a complete response object: *payload* fields on success, error fields otherwise."""
    body: Dict[str, Any] = {"callId": call_id}
    if error is None:
        body.update(payload or {})
        body.update({"errorCode": 0, "statusCode": 200, "statusReason": "OK"})
    else:
        status = status_for_code(error.code)
        body.update(error.extra)
        body.update(
            {
                "errorCode": error.code,
                "errorMessage": error.message,
                "errorDetails": error.details,
                "statusCode": status,
                "statusReason": _REASONS.get(status, "Error"),
            }
        )
    body["apiVersion"] = 2
    body["time"] = format_time(now)
    return body


def encode_json(body: Mapping[str, Any]) -> bytes:
    """UTF-8 JSON bytes of a response body."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8")
