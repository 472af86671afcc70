"""``GSResponse``: the answer to a ``GSRequest`` (or a client-side error).

Attributes and return types are the original's (``errorCode``,
``errorMessage``, ``data``, ``rawData``, ``params``, ``method``,
``traceLog``); in particular ``getResponseText()`` returns the answer's
UTF-8 **bytes** for a server answer and a ``str`` for a client-side error, as
the original did on Python 3. Client-side error codes, as in the original:

* ``400002`` a required parameter is missing (no API key nor user key, no method);
* ``400003`` ``useHTTPS`` and the CA certificates file does not exist;
* ``504002`` ``"Request Timeout"``: no answer within the timeout;
* ``500000`` any other failure (connection refused, malformed answer...).
"""

from __future__ import annotations

import json
import re
from types import MappingProxyType
from typing import Any, Iterable, List, Mapping, Union

from .gsobject import _MISSING, GSObject
from .trace import redact_or_hide, redact_parsed_json, trace_line

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

_XML_CODE = re.compile(r"<errorCode>([^>]+)</errorCode>")
_XML_MESSAGE = re.compile(r"<errorMessage>([^>]+)</errorMessage>")
_XML_NAMESPACES = (
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="urn:com:gigya:api http://socialize-api.gigya.com/schema" xmlns="urn:com:gigya:api"'
)


def _parse_object(text: str) -> GSObject:
    """The JSON object in *text*; ``ValueError`` when it is not one (the original raised too)."""
    parsed = json.loads(text)
    if not isinstance(parsed, dict):
        raise ValueError("the answer is JSON but not an object: %s" % type(parsed).__name__)
    return GSObject(parsed)


def _response_trace_line(text: str, data: Mapping[str, Any] | None) -> str:
    """``responseText=...`` with credentials redacted, reusing the parsed answer when there is one."""
    if data is None:
        return trace_line("responseText", text)
    return "responseText=%r" % redact_parsed_json(text, data)


class GSResponse:
    """Wraps CDC's answer: error code and message, the data, and a redacted log.

    ``GSResponse(method, responseText)`` parses a server answer (JSON, or the
    XML error form); without *responseText* it stands for a client-side error
    *errorCode* / *errorMessage* and ``getResponseText()`` returns the text the
    original synthesised: ``{errorCode:...,errorMessage:"..."}`` when
    ``params["format"] == "json"`` (what ``send()`` uses), else the XML form.
    """

    errorCode: Any = 0
    errorMessage: Any = None
    rawData: Union[str, bytes] = ""
    params: Any = None
    method: Any = None
    errorMsgDic: Mapping[int, str] = MappingProxyType(
        {MISSING_PARAMETER: "Required parameter is missing", GENERAL_FAILURE: "General server error"}
    )

    def __init__(
        self,
        method: str | None,
        responseText: Union[str, bytes, None] = None,
        params: Mapping[str, Any] | None = None,
        errorCode: int | None = None,
        errorMessage: str | None = None,
        traceLog: Union[None, List[str], Iterable[str]] = None,
        *,
        errorDetails: str | None = None,
    ) -> None:
        self.traceLog: List[str] = _as_list(traceLog)
        self.method = method
        self.params = params if params else {}
        self.data: GSObject = GSObject()
        self._details = errorDetails
        if isinstance(responseText, (bytes, bytearray)):  # the original took text only
            responseText = bytes(responseText).decode("utf-8")  # noqa: N806 - the original's parameter name
        if responseText:
            parsed: GSObject | None = None
            if "{" in responseText:
                parsed = _parse_object(responseText)
                self.data = parsed
                if parsed:
                    self.errorCode = parsed.get("errorCode")
                    self.errorMessage = parsed.get("errorMessage")
            else:
                self._read_xml(responseText)
            self.traceLog.append(_response_trace_line(responseText, parsed))
            self.rawData = responseText.encode("utf-8")
        else:
            self.errorCode = errorCode
            self.errorMessage = errorMessage if errorMessage is not None else self.getErrorMessage()
            self.populateClientResponseText()
            self.traceField("responseText", self.rawData)

    def _read_xml(self, text: str) -> None:
        code = _XML_CODE.search(text)
        if code is None:
            raise ValueError("the answer is neither a JSON object nor a CDC XML answer")
        self.errorCode = int(code.group(1))
        message = _XML_MESSAGE.search(text)
        if message is not None:
            self.errorMessage = message.group(1)

    # --- the original's methods ----------------------------------------------------

    def getErrorCode(self) -> Any:
        """0 on success, otherwise the CDC (or client-side) error code."""
        return self.errorCode

    def getErrorMessage(self) -> str:
        """The error text; for a code without one, the original's fixed text or ``""`` (as on success)."""
        if self.errorMessage:
            return str(self.errorMessage)
        if self.errorCode == 0:
            return ""
        return self.errorMsgDic.get(self.errorCode, "") if isinstance(self.errorCode, int) else ""

    def getResponseText(self) -> Union[str, bytes]:
        """The answer as the original returned it: UTF-8 bytes from the server, text for a client-side error."""
        return self.rawData

    def getData(self) -> GSObject:
        """The parsed answer (a :class:`GSObject`, i.e. a ``dict``); empty for a client-side error."""
        return self.data

    def getObject(self, key: str, defaultValue: Any = None) -> Any:
        """The value of *key* in the answer (nested objects as :class:`GSObject`), *defaultValue* when absent."""
        return self._data().getObject(key, defaultValue)

    def traceField(self, name: str, value: Any) -> None:
        """Append ``name=repr(value)`` to the log (credentials redacted) when *value* is truthy."""
        if value:
            self.traceLog.append(trace_line(name, value))

    def populateClientResponseText(self) -> None:
        """Set ``rawData`` to the original's text for a client-side error."""
        message = self.errorMessage if self.errorMessage is not None else ""
        if self.params.get("format") == "json":
            self.rawData = '{errorCode:%s,errorMessage:"%s"}' % (self.errorCode, message)
            return
        self.rawData = "\r\n".join(
            [
                '<?xml version="1.0" encoding="utf-8"?>',
                "<%sResponse %s>" % (self.method, _XML_NAMESPACES),
                "<errorCode>%s</errorCode>" % self.errorCode,
                "<errorMessage>%s</errorMessage>" % message,
                "</%sResponse>" % self.method,
            ]
        )

    def getLog(self) -> str:
        """A trace of the request for debugging (the original's layout); credentials are redacted."""
        return ", ".join(self.traceLog)

    # --- gigya_fast additions ----------------------------------------------------------

    def _data(self) -> GSObject:
        data = self.data
        return data if isinstance(data, GSObject) else GSObject(data if isinstance(data, Mapping) else None)

    def getErrorDetails(self) -> str | None:
        """CDC's ``errorDetails`` (or the client-side detail, e.g. ``"read timeout"``), when present."""
        details = self._data().get("errorDetails")
        return details if isinstance(details, str) else self._details

    def getCallId(self) -> str | None:
        """CDC's ``callId`` (quote it to SAP support), when present."""
        value = self._data().get("callId")
        return value if isinstance(value, str) else None

    def getString(self, key: str, defaultValue: Any = _MISSING) -> Any:
        """See :meth:`GSObject.getString`."""
        return self._data().getString(key, defaultValue)

    def getInt(self, key: str, defaultValue: Any = _MISSING) -> Any:
        """See :meth:`GSObject.getInt`."""
        return self._data().getInt(key, defaultValue)

    def getLong(self, key: str, defaultValue: Any = _MISSING) -> Any:
        """See :meth:`GSObject.getLong`."""
        return self._data().getLong(key, defaultValue)

    def getDouble(self, key: str, defaultValue: Any = _MISSING) -> Any:
        """See :meth:`GSObject.getDouble`."""
        return self._data().getDouble(key, defaultValue)

    def getBool(self, key: str, defaultValue: Any = _MISSING) -> Any:
        """See :meth:`GSObject.getBool`."""
        return self._data().getBool(key, defaultValue)

    def getArray(self, key: str, defaultValue: Any = _MISSING) -> Any:
        """See :meth:`GSObject.getArray`."""
        return self._data().getArray(key, defaultValue)

    # --- text ----------------------------------------------------------------------------

    def __str__(self) -> str:
        """The original's layout (tab-indented code, message, data); credentials in the data redacted."""
        message = "" if self.errorMessage is None else str(self.errorMessage)
        shown = str(redact_or_hide(self._data()))
        return "\terrorCode:%s\n\terrorMessage:%s\n\tdata:%s" % (self.errorCode, message, shown)

    def __repr__(self) -> str:
        return "<GSResponse method=%r errorCode=%r callId=%r>" % (self.method, self.errorCode, self.getCallId())


def _as_list(trace: Union[None, List[str], Iterable[str]]) -> List[str]:
    if trace is None:
        return []
    if isinstance(trace, list):
        return trace  # shared with the request, as in the original
    if isinstance(trace, str):
        return [trace]
    return [str(line) for line in trace]
