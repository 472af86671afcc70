"""The answer to one CDC call: a read-only mapping over the JSON data with
the envelope fields (``error_code``, ``call_id``...) as attributes."""

from __future__ import annotations

import re
from typing import Any, Dict, Iterator, List, Mapping, Optional, Union

from ..errors import APIError, error_for_code
from .jsonbody import parse_json_body

__all__ = ["Response", "lookup_path", "parse_path"]

_MISSING = object()
_TOKEN = re.compile(r"""\[\s*(-?\d+)\s*\]|\[\s*"([^"]*)"\s*\]|\[\s*'([^']*)'\s*\]|\.?([^.\[\]]+)""")
PathPart = Union[str, int]


def parse_path(path: str) -> List[PathPart]:
    """Split ``'identities[0].provider'`` into ``['identities', 0, 'provider']``.

    Dots separate keys; ``[n]`` indexes a list (negative counts from the end);
    ``["a.b"]`` is a key that contains dots or brackets.
    """
    if not path:
        raise ValueError("empty path")
    parts: List[PathPart] = []
    pos = 0
    while pos < len(path):
        match = _TOKEN.match(path, pos)
        if match is None or match.end() == pos:
            raise ValueError("invalid path %r at position %d" % (path, pos))
        index, dq, sq, name = match.groups()
        if index is not None:
            parts.append(int(index))
        else:
            parts.append(dq if dq is not None else sq if sq is not None else name)
        pos = match.end()
    return parts


def lookup_path(data: Any, path: str, default: Any = None) -> Any:
    """The value at *path* in nested dicts/lists, or *default* when any step is missing."""
    current = data
    for part in parse_path(path):
        if isinstance(part, int):
            if not isinstance(current, list) or not -len(current) <= part < len(current):
                return default
            current = current[part]
        else:
            if not isinstance(current, dict):
                return default
            current = current.get(part, _MISSING)
            if current is _MISSING:
                return default
    return current


class Response(Mapping[str, Any]):
    """A CDC answer: ``r["profile"]``, ``r.get("identities[0].provider")``, ``r.error_code``.

    The mapping is the response's JSON object (read-only through this class;
    :attr:`data` is that object). ``repr`` shows the method, error code and
    call id, never the data.

    *data* None makes a response over *body*, a JSON object already checked by
    :func:`~gigya_fast.rest.read_response` with *error_code* as its
    ``errorCode``: the JSON tree is built from *body* when first used.
    """

    __slots__ = ("_json", "_code", "method", "http_status", "headers", "_body", "attempts", "elapsed")

    def __init__(
        self,
        data: Optional[Dict[str, Any]],
        method: str = "",
        http_status: int = 200,
        headers: Optional[Mapping[str, str]] = None,
        body: bytes = b"",
        attempts: int = 1,
        elapsed: float = 0.0,
        error_code: int = 0,
    ) -> None:
        self._json = data
        self._code = error_code
        self.method = method
        self.http_status = http_status
        self.headers: Mapping[str, str] = headers if headers is not None else {}
        self._body = body
        self.attempts = attempts
        self.elapsed = elapsed

    def _load(self) -> Dict[str, Any]:
        """The JSON object of the body, parsed on first use."""
        try:
            data = parse_json_body(self._body)
        except (ValueError, RecursionError):
            data = None
        if not isinstance(data, dict):  # the body was checked when it arrived: this is not expected
            from .envelope import malformed  # here: envelope imports this module

            raise malformed(self.method, self.http_status, "the JSON could not be read")
        if self._json is None:  # another thread may have parsed it meanwhile: keep one object
            self._json = data
        return self._json

    # --- envelope ---------------------------------------------------------

    @property
    def error_code(self) -> int:
        """``errorCode`` (0 on success)."""
        data = self._json
        if data is None:
            return self._code
        code = data.get("errorCode", 0)
        return code if isinstance(code, int) else 0

    @property
    def error_message(self) -> Optional[str]:
        """``errorMessage``, when present."""
        value = self.data.get("errorMessage")
        return None if value is None else str(value)

    @property
    def error_details(self) -> Optional[str]:
        """``errorDetails``, when present."""
        value = self.data.get("errorDetails")
        return None if value is None else str(value)

    @property
    def call_id(self) -> Optional[str]:
        """``callId``: quote it to SAP support."""
        value = self.data.get("callId")
        return None if value is None else str(value)

    @property
    def status_code(self) -> Optional[int]:
        """``statusCode`` of the envelope (the HTTP status CDC would have used)."""
        value = self.data.get("statusCode")
        return value if isinstance(value, int) else None

    @property
    def ok(self) -> bool:
        """True when ``errorCode`` is 0."""
        return self.error_code == 0

    @property
    def data(self) -> Dict[str, Any]:
        """The parsed JSON object."""
        data = self._json
        return data if data is not None else self._load()

    @property
    def text(self) -> str:
        """The raw body as text."""
        return self._body.decode("utf-8", "replace")

    @property
    def content(self) -> bytes:
        """The raw body bytes."""
        return self._body

    def to_error(self) -> APIError:
        """The ``APIError`` subclass for this answer's ``errorCode``."""
        code = self.error_code
        return error_for_code(code)(
            self.error_message or "",
            error_code=code,
            error_message=self.error_message,
            error_details=self.error_details,
            call_id=self.call_id,
            http_status=self.http_status,
            response=self,
        )

    def raise_for_error(self) -> Response:
        """Raise :meth:`to_error` when ``errorCode`` is not 0; return self otherwise."""
        if self.error_code:
            raise self.to_error()
        return self

    # --- mapping ----------------------------------------------------------

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)

    def __contains__(self, key: object) -> bool:
        return key in self.data

    def get(self, path: str, default: Any = None) -> Any:
        """The value at *path* (a key, or ``"a.b[0].c"``), or *default*.

        A top-level key equal to *path* wins over the path reading.
        """
        value = self.data.get(path, _MISSING)
        if value is not _MISSING:
            return value
        if not isinstance(path, str):
            return default
        try:
            return lookup_path(self.data, path, default)
        except ValueError:
            return default

    def __repr__(self) -> str:
        return "<Response %s errorCode=%d callId=%s>" % (self.method or "?", self.error_code, self.call_id)
