"""Fault injection: make the next calls of a method fail in chosen ways."""

from __future__ import annotations

import fnmatch
import logging
import threading
from dataclasses import dataclass
from typing import List

__all__ = ["Fault", "FaultPlan", "MALFORMED_KINDS"]

logger = logging.getLogger(__name__)

#: Kinds of broken response bodies ``malformed=`` can ask for.
MALFORMED_KINDS = frozenset({"html", "truncated", "empty", "notjson"})


@dataclass
class Fault:
    """One planned fault; ``fired`` counts how often it has been applied.

    ``method`` is a CDC method name or a glob (``"*"``, ``"accounts.*"``),
    compared case-insensitively; ``times=None`` means every call forever.
    """

    method: str = "*"
    error_code: int | None = None
    times: int | None = 1
    delay: float = 0.0
    drop: bool = False
    malformed: str | None = None
    api_domain: str | None = None
    http_status: int | None = None
    retry_after: str | None = None
    fired: int = 0

    @property
    def exhausted(self) -> bool:
        """True once the fault has been applied ``times`` times."""
        return self.times is not None and self.fired >= self.times

    def matches(self, method: str) -> bool:
        """True when this fault applies to *method*."""
        return fnmatch.fnmatchcase(method.lower(), self.method.lower())


class FaultPlan:
    """The faults waiting to be applied, first added first used."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: List[Fault] = []

    def add(
        self,
        method: str = "*",
        error_code: int | None = None,
        times: int | None = 1,
        delay: float = 0.0,
        drop: bool = False,
        malformed: str | None = None,
        api_domain: str | None = None,
        http_status: int | None = None,
        retry_after: int | str | None = None,
    ) -> Fault:
        """Plan a fault for the next *times* calls of *method* and return it.

        *error_code*: answer that CDC error (301001 carries ``apiDomain`` =
        *api_domain*, default ``"us1.gigya.com"``); *delay*: sleep that many
        seconds first; *drop*: close the connection without an answer;
        *malformed*: answer a broken body (one of :data:`MALFORMED_KINDS`);
        *http_status*: HTTP status of that answer (default 200);
        *retry_after*: a ``Retry-After`` header on it (seconds or an HTTP date).
        """
        if malformed is not None and malformed not in MALFORMED_KINDS:
            raise ValueError(f"malformed must be one of {sorted(MALFORMED_KINDS)}, not {malformed!r}")
        if times is not None and times < 1:
            raise ValueError("times must be at least 1 (or None for always)")
        if delay < 0:
            raise ValueError("delay must not be negative")
        if error_code is None and not drop and malformed is None and not delay:
            raise ValueError("a fault needs error_code, delay, drop or malformed")
        if error_code is not None and error_code <= 0:
            raise ValueError("error_code must be a positive CDC error code")
        if isinstance(retry_after, int) and not isinstance(retry_after, bool) and retry_after < 0:
            raise ValueError("retry_after must not be negative")
        header = None if retry_after is None else str(retry_after)
        fault = Fault(method, error_code, times, delay, drop, malformed, api_domain, http_status, header)
        with self._lock:
            self._faults.append(fault)
        logger.debug("fault planned: %r", fault)
        return fault

    def take(self, method: str) -> Fault | None:
        """Consume one application of the first pending fault matching *method*."""
        with self._lock:
            for fault in self._faults:
                if not fault.exhausted and fault.matches(method):
                    fault.fired += 1
                    return fault
            self._faults = [f for f in self._faults if not f.exhausted]
        return None

    @property
    def pending(self) -> List[Fault]:
        """The faults not yet used up."""
        with self._lock:
            return [f for f in self._faults if not f.exhausted]

    def clear(self) -> None:
        """Drop every planned fault."""
        with self._lock:
            self._faults.clear()

    def __len__(self) -> int:
        return len(self.pending)
