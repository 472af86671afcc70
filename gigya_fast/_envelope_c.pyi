"""Type stub of the compiled envelope scan: the same API as ``_envelope_py``."""

from typing import Optional

__all__ = ["scan_envelope", "MAX_DEPTH", "MAX_INT_DIGITS", "MAX_CODE_DIGITS"]

MAX_DEPTH: int
MAX_INT_DIGITS: int
MAX_CODE_DIGITS: int

def scan_envelope(body: bytes) -> Optional[int]: ...
