"""Best-of-N timing with implementations interleaved, for ratios on a noisy machine.

Each implementation's operation is timed with :mod:`timeit` (garbage collector
off), calibrated once so one timing lasts at least ``min_time``, then repeated
``repeats`` times in rotating order; the best (smallest) time per operation is
kept. Only the ratios between the implementations are meant to be read.

Two clocks: ``"cpu"`` (this process's CPU time) for single-threaded work, so
that other processes on a shared machine do not skew the ratios, and
``"wall"`` where threads must be seen running in parallel.
"""

from __future__ import annotations

import math
import time
import timeit
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Mapping, Sequence, Tuple

__all__ = ["Op", "measure", "CLOCKS"]

CLOCKS: Dict[str, Callable[[], float]] = {"cpu": time.process_time, "wall": time.perf_counter}


@dataclass(frozen=True)
class Op:
    """One call to time: ``func(*args, **kwargs)``, doing ``ops`` operations (e.g. a batch of 100k)."""

    func: Callable[..., Any]
    args: Tuple[Any, ...] = ()
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    ops: int = 1

    def timer(self, clock: str = "cpu") -> timeit.Timer:
        """A Timer calling the function directly (no lambda layer in the timed loop).

        The function and its arguments are bound as local variables of the timed
        loop (timeit runs the setup inside it), as a user's own loop would hold
        them: the loop then pays no global-name lookups, which would cost a
        single call more than the function itself does in some rows.
        """
        names: Dict[str, Any] = {"_g_f": self.func}
        binds: List[str] = ["_f = _g_f"]
        parts: List[str] = []
        for i, value in enumerate(self.args):
            names[f"_g_a{i}"] = value
            binds.append(f"_a{i} = _g_a{i}")
            parts.append(f"_a{i}")
        for j, (key, value) in enumerate(self.kwargs.items()):
            names[f"_g_k{j}"] = value
            binds.append(f"_k{j} = _g_k{j}")
            parts.append(f"{key}=_k{j}")
        return timeit.Timer(
            "_f({})".format(", ".join(parts)), setup="; ".join(binds), timer=CLOCKS[clock], globals=names
        )

    def call(self) -> Any:
        """Run the operation once (for the correctness checks before timing)."""
        return self.func(*self.args, **self.kwargs)


def _calibrate(timer: timeit.Timer, min_time: float) -> int:
    number = 1
    while True:
        elapsed = timer.timeit(number)
        if elapsed >= min_time or number >= 10**7:
            return number
        # Aim a little past min_time from what one run at this size cost.
        estimate = number * min_time * 1.2 / max(elapsed, 1e-9)
        number = int(min(max(estimate, number * 2), number * 100))


def measure(ops: Mapping[str, Op], *, repeats: int, min_time: float, clock: str = "cpu") -> Dict[str, float]:
    """Best seconds per operation for each labelled Op, timed interleaved on *clock* ("cpu" or "wall")."""
    labels: Sequence[str] = list(ops)
    timers = {label: ops[label].timer(clock) for label in labels}
    numbers = {label: _calibrate(timers[label], min_time) for label in labels}
    best = {label: math.inf for label in labels}
    for round_index in range(max(1, repeats)):
        shift = round_index % len(labels) if labels else 0
        for label in list(labels[shift:]) + list(labels[:shift]):
            elapsed = timers[label].timeit(numbers[label])
            best[label] = min(best[label], elapsed / numbers[label] / ops[label].ops)
    return best
