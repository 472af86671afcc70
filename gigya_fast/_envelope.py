"""Selects the envelope scan: compiled (``_envelope_c``) unless it is missing or
``GIGYA_FAST_NO_EXTENSIONS`` asks for the pure-Python twin (``_envelope_py``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._env import load_twins

if TYPE_CHECKING:
    from ._envelope_py import scan_envelope

    IMPLEMENTATION = "python"
else:
    (_twin,), IMPLEMENTATION = load_twins(["gigya_fast._envelope_c"], ["gigya_fast._envelope_py"])
    scan_envelope = _twin.scan_envelope

__all__ = ["IMPLEMENTATION", "scan_envelope"]
