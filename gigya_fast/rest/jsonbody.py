"""The JSON document of an answer body, read exactly as ``json.loads`` reads it. No I/O."""

from __future__ import annotations

import json
import re
from typing import Any, Callable, Tuple

__all__ = ["parse_json_body"]

_SCAN: Callable[[str, int], Tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]
_JSON_SPACE = re.compile(r"[ \t\n\r]*")


def parse_json_body(body: bytes) -> Any:
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
