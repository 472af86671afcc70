"""``GSResponse``: the answer to a ``GSRequest`` (or a client-side error).

Client-side error codes, as in the original SDK (no network call is made for
the first two):

* ``400002`` a required parameter is missing (no API key, no method);
* ``400003`` the CA certificates file set with ``setCACertsPath`` does not exist;
* ``504002`` ``"Request Timeout"``: no answer within the timeout;
* ``500000`` any other failure (connection refused, malformed answer...).
"""

from __future__ import annotations

import json
from typing import Any, Dict, Iterable, Mapping, Tuple, Union

from .gsobject import _MISSING, GSObject
from .trace import TraceLog, redact

__all__ = [
    "GSResponse",
    "MISSING_PARAMETER",
    "NO_CA_FILE",
    "REQUEST_TIMEOUT",
    "GENERAL_FAILURE",
    "TIMEOUT_MESSAGE",
]

MISSING_PARAMETER = 400002
NO_CA_FILE = 400003
GENERAL_FAILURE = 500000
REQUEST_TIMEOUT = 504002
TIMEOUT_MESSAGE = "Request Timeout"

_STATUS = {0: (200, "OK"), 400: (400, "Bad Request"), 403: (403, "Forbidden"), 500: (500, "Internal Server Error")}


def _status_for(code: int) -> Tuple[int, str]:
    if code == 0:
        return _STATUS[0]
    if code == REQUEST_TIMEOUT:
        return (504, "Gateway Timeout")
    return _STATUS.get(code // 1000, (500, "Internal Server Error"))


class GSResponse:
    """Wraps CDC's JSON answer: error code and message, the data, and a redacted log.

    Built either from the response text (``responseText``) or, for a
    client-side failure, from ``errorCode``/``errorMessage``; in the latter case
    ``getResponseText()`` returns a synthesised JSON envelope so code that
    parses the text keeps working. ``params`` is accepted for compatibility
    with the original constructor and not kept.
    """

    __slots__ = ("_method", "_text", "_data", "_code", "_message", "_details", "_log")

    def __init__(
        self,
        method: str | None,
        responseText: str | None = None,
        params: Mapping[str, Any] | None = None,
        errorCode: int | None = None,
        errorMessage: str | None = None,
        traceLog: Union[None, str, Iterable[str], TraceLog] = None,
        *,
        errorDetails: str | None = None,
    ) -> None:
        self._method = method
        data: GSObject | None = None
        if responseText:
            try:
                data = GSObject(responseText)
            except Exception:  # any parse failure (bad JSON, too deep...) is a malformed answer
                data = None
            if data is None and errorCode is None:
                errorCode = GENERAL_FAILURE  # noqa: N806 - parameter name of the original API
                errorMessage = "Malformed response: not a JSON object"  # noqa: N806
        if data is not None:
            code = data.get("errorCode", 0) if errorCode is None else errorCode
            self._code = code if isinstance(code, int) and not isinstance(code, bool) else GENERAL_FAILURE
            self._message = errorMessage if errorMessage is not None else data.get("errorMessage")
            self._details = errorDetails if errorDetails is not None else data.get("errorDetails")
            self._text = responseText or ""
            self._data = data
        else:
            self._code = 0 if errorCode is None else int(errorCode)
            self._message = errorMessage
            self._details = errorDetails
            status, reason = _status_for(self._code)
            envelope: Dict[str, Any] = {"errorCode": self._code}
            if errorMessage is not None:
                envelope["errorMessage"] = errorMessage
            if errorDetails is not None:
                envelope["errorDetails"] = errorDetails
            envelope.update(statusCode=status, statusReason=reason)
            self._data = GSObject(envelope)
            self._text = responseText if responseText else json.dumps(envelope, separators=(",", ":"))
        if isinstance(traceLog, TraceLog):
            self._log = str(traceLog)
        elif isinstance(traceLog, str):
            self._log = traceLog
        elif traceLog is not None:
            self._log = "\n".join(traceLog)
        else:
            self._log = ""

    # --- envelope ----------------------------------------------------------------

    def getErrorCode(self) -> int:
        """0 on success, otherwise the CDC (or client-side) error code."""
        return self._code

    def getErrorMessage(self) -> str:
        """Short text of the error; ``""`` when CDC sent none (as on success)."""
        return self._message or ""

    def getErrorDetails(self) -> str | None:
        """CDC's ``errorDetails``, when present."""
        return self._details

    def getCallId(self) -> str | None:
        """CDC's ``callId`` (quote it to SAP support), when present."""
        value = self._data.get("callId")
        return value if isinstance(value, str) else None

    def getResponseText(self) -> str:
        """The raw JSON text of the answer."""
        return self._text

    def getData(self) -> GSObject:
        """The parsed answer as a :class:`GSObject` (a ``dict``), envelope fields included."""
        return self._data

    def getLog(self) -> str:
        """A trace of the request for debugging: never contains the secret or the signature."""
        return self._log

    # --- data getters (delegating to GSObject) -----------------------------------

    def getObject(self, key: str, defaultValue: Any = None) -> Any:
        """The value of *key* in the answer, as stored (``defaultValue``, ``None`` by default, when absent)."""
        return self._data.getObject(key, defaultValue)

    def getString(self, key: str, defaultValue: Any = _MISSING) -> Any:
        """See :meth:`GSObject.getString`."""
        return self._data.getString(key, defaultValue)

    def getInt(self, key: str, defaultValue: Any = _MISSING) -> Any:
        """See :meth:`GSObject.getInt`."""
        return self._data.getInt(key, defaultValue)

    def getLong(self, key: str, defaultValue: Any = _MISSING) -> Any:
        """See :meth:`GSObject.getLong`."""
        return self._data.getLong(key, defaultValue)

    def getDouble(self, key: str, defaultValue: Any = _MISSING) -> Any:
        """See :meth:`GSObject.getDouble`."""
        return self._data.getDouble(key, defaultValue)

    def getBool(self, key: str, defaultValue: Any = _MISSING) -> Any:
        """See :meth:`GSObject.getBool`."""
        return self._data.getBool(key, defaultValue)

    def getArray(self, key: str, defaultValue: Any = _MISSING) -> Any:
        """See :meth:`GSObject.getArray`."""
        return self._data.getArray(key, defaultValue)

    # --- text --------------------------------------------------------------------

    def __str__(self) -> str:
        lines = [f"errorCode:{self._code}"]
        if self._message is not None:
            lines.append(f"errorMessage:{self._message}")
        if self._details is not None:
            lines.append(f"errorDetails:{self._details}")
        lines.append(f"data:{GSObject(redact(dict(self._data))).toJsonString()}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<GSResponse method={self._method!r} errorCode={self._code} callId={self.getCallId()!r}>"
