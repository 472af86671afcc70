"""Checks for the times and windows callers pass in (``now``, ``leeway``, ``tolerance``, ``ttl``).

NaN compares false with everything, so a NaN window or clock turns every
``current > exp + leeway`` test into "not expired": such values are refused
before they can reach a time check, and so are infinities, which open a
window for ever.
"""

from __future__ import annotations

import math

from .._checks_py import Number

__all__ = ["Number", "seconds", "optional_seconds"]



def seconds(name: str, value: object, *, positive: bool = False) -> Number:
    """*value*, checked to be a finite, non-negative number (strictly positive with *positive*).

    ``TypeError`` when it is not an int or float; ``ValueError`` naming *name*
    when it is a bool (an int, but never meant as seconds), NaN, infinite,
    negative (or zero with *positive*).
    """
    if isinstance(value, bool):
        raise ValueError(f"{name} must be a number of seconds, not a bool")
    if not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number of seconds, not {type(value).__name__}")
    # exact int/float: a subclass cannot answer one thing here and another in a comparison later
    exact: Number = float.__float__(value) if isinstance(value, float) else int.__int__(value)
    try:
        finite = math.isfinite(exact)
    except OverflowError:  # an int beyond float range: as good as infinite
        finite = False
    if not finite:
        raise ValueError(f"{name} must be a finite number of seconds (not NaN or infinite)")
    if exact < 0 or (positive and exact == 0):
        raise ValueError(f"{name} must be {'positive' if positive else 'non-negative'}")
    return exact


def optional_seconds(name: str, value: object) -> Number | None:
    """:func:`seconds` for values that may be ``None`` (meaning "not given")."""
    return None if value is None else seconds(name, value)
