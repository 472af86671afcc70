"""Collecting a response body under a size limit, without I/O.

A transport reads raw chunks off the wire and feeds them to a
:class:`BodyCollector`, which decodes ``gzip``/``deflate`` incrementally and
stops as soon as the raw or the decoded size would pass the limit, so that a
compression bomb or an endless stream costs at most about the limit in memory.
Both clients use it, whatever HTTP library carries the bytes.
"""

from __future__ import annotations

import zlib
from typing import List, Optional

__all__ = ["DEFAULT_MAX_RESPONSE_BYTES", "BodyError", "BodyTooLarge", "BodyCollector", "check_max_response_bytes"]

#: Largest body (decoded) a client accepts unless told otherwise: 64 MiB.
DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024

_GZIP_WBITS = 16 + zlib.MAX_WBITS


class BodyError(Exception):
    """The body cannot be decoded (unsupported or corrupt content encoding)."""


class BodyTooLarge(BodyError):
    """The body (raw or decoded) is larger than *limit* bytes (the ``max_response_bytes`` in force)."""

    def __init__(self, limit: int) -> None:
        super().__init__("response larger than max_response_bytes (%d)" % limit)


def check_max_response_bytes(value: object) -> int:
    """*value* as a size limit: an int >= 1 (``ValueError`` otherwise)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError("max_response_bytes must be an int >= 1")
    return value


class BodyCollector:
    """Decodes and accumulates one body, refusing more than *limit* bytes raw or decoded.

    *encoding* is the ``Content-Encoding`` header (``gzip``, ``x-gzip``,
    ``deflate``, ``identity`` or empty); anything else raises
    :class:`BodyError` at once.
    """

    __slots__ = ("limit", "_raw_size", "_size", "_parts", "_decoder", "_wbits", "_first")

    def __init__(self, encoding: Optional[str], limit: int) -> None:
        self.limit = limit
        self._raw_size = 0
        self._size = 0
        self._parts: List[bytes] = []
        name = (encoding or "").strip().lower()
        self._first = True
        if name in ("", "identity"):
            self._wbits = 0
        elif name in ("gzip", "x-gzip"):
            self._wbits = _GZIP_WBITS
        elif name == "deflate":
            self._wbits = zlib.MAX_WBITS  # zlib-wrapped, as the RFC says; raw deflate is tried if that fails
        else:
            raise BodyError("unsupported Content-Encoding %r" % name[:40])
        self._decoder = zlib.decompressobj(self._wbits) if self._wbits else None

    def feed(self, chunk: bytes) -> None:
        """Add the next raw chunk; raises :class:`BodyTooLarge` or :class:`BodyError`."""
        self._raw_size += len(chunk)
        if self._raw_size > self.limit:
            raise BodyTooLarge(self.limit)
        if self._decoder is None:
            self._keep(chunk)
        else:
            self._decode(chunk)

    def _keep(self, data: bytes) -> None:
        if data:
            self._size += len(data)
            if self._size > self.limit:
                raise BodyTooLarge(self.limit)
            self._parts.append(data)

    def _decode(self, data: bytes) -> None:
        decoder = self._decoder
        assert decoder is not None
        while data:
            try:
                # Never ask for more than one byte past the limit: a bomb stops here.
                out = decoder.decompress(data, self.limit - self._size + 1)
            except zlib.error:
                if self._first and self._wbits == zlib.MAX_WBITS:  # "deflate" sent raw, as some servers do
                    self._first, self._wbits = False, -zlib.MAX_WBITS
                    decoder = self._decoder = zlib.decompressobj(self._wbits)
                    continue
                raise BodyError("corrupt compressed body") from None
            self._first = False
            self._keep(out)
            if decoder.unconsumed_tail:
                raise BodyTooLarge(self.limit)  # output was cut at the limit: there is more
            data = decoder.unused_data if decoder.eof else b""
            if data and self._wbits == _GZIP_WBITS:  # a further gzip member
                decoder = self._decoder = zlib.decompressobj(self._wbits)
            elif data:
                break  # bytes after the end of a deflate stream are ignored

    def finish(self) -> bytes:
        """The whole decoded body."""
        if self._decoder is not None:
            self._keep(self._decoder.flush())
        parts = self._parts
        if len(parts) == 1:
            return parts[0]
        return b"".join(parts)
