"""``SigUtils.validateUserSignature`` of the drop-in against the compiled kernel it wraps.

Tests written for the original SDK replace ``SigUtils.calcSignature`` with a
mock; to honour that, the drop-in's SigUtils notices replaced helpers (a
metaclass flips one module flag) and otherwise calls the compiled kernel
directly. This benchmark shows what that costs on the fast path, three
columns side by side, timed interleaved (CPU time, best of N):

* ``kernel``: ``gigya_fast.validate_user_signature`` called directly;
* ``before``: the drop-in's wrapper as it was before the hooks (a copy kept
  below: ``None`` checks, then the kernel);
* ``now``: ``SigUtils.validateUserSignature`` as shipped.

Target: ``now`` no more than 10% slower than ``before``. Run:
``python benchmarks/bench_gssdk.py [--repeat 7] [--min-time 0.2] [--check]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import Any, Dict, List

try:
    import gigya_fast  # noqa: F401
except ImportError:  # running from a checkout without installing
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from gigya_fast import IMPLEMENTATION, calc_signature, kernel_info, validate_user_signature  # noqa: E402
from gigya_fast._bench.timing import Op, measure  # noqa: E402
from gigya_fast.GSSDK import DEFAULT_SIGNATURE_EXPIRATION, SigUtils  # noqa: E402

TARGET = 1.10
SECRET = "c2VjcmV0LXNlY3JldC1zZWNyZXQ="
UID = "_guid_3a2c1e9f0b7d4c6e8a5b"


class BeforeSigUtils:
    """The drop-in's ``validateUserSignature`` before the hooks, kept for comparison."""

    @staticmethod
    def validateUserSignature(
        UID: Any, timestamp: Any, secret: str, signature: Any, expiration: Any = DEFAULT_SIGNATURE_EXPIRATION
    ) -> bool:
        if UID is None or timestamp is None or signature is None:
            return False
        return validate_user_signature(UID, timestamp, secret, signature, expiration)


def cases() -> Dict[str, Dict[str, Op]]:
    """Two inputs (a valid signature, and a wrong one): each timed through the three callables."""
    stamp = str(int(time.time()) + 3600)  # stays inside the window while the benchmark runs
    good = calc_signature(stamp + "_" + UID, SECRET)
    bad = calc_signature(stamp + "_" + UID + "x", SECRET)
    result: Dict[str, Dict[str, Op]] = {}
    for label, signature in (("valid", good), ("invalid", bad)):
        args = (UID, stamp, SECRET, signature, 7200)
        result[label] = {
            "kernel": Op(validate_user_signature, args),
            "before": Op(BeforeSigUtils.validateUserSignature, args),
            "now": Op(SigUtils.validateUserSignature, args),
        }
    return result


def main(argv: List[str] | None = None) -> int:
    """Measure, print the table, and with ``--check`` exit 1 when ``now`` misses the target."""
    parser = argparse.ArgumentParser(prog="bench_gssdk.py", description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="best of N (default 7)")
    parser.add_argument("--min-time", type=float, default=0.2, help="seconds per timing (default 0.2)")
    parser.add_argument("--check", action="store_true", help="exit 1 when now/before > %.2f" % TARGET)
    options = parser.parse_args(argv)
    print("implementation: %s (%s)" % (IMPLEMENTATION, kernel_info().get("sha1", "?")))
    print("%-8s %10s %10s %10s %13s %13s" % ("case", "kernel ns", "before ns", "now ns", "now/before", "now/kernel"))
    missed = False
    for label, ops in cases().items():
        expected = {name: op.call() for name, op in ops.items()}
        if len(set(expected.values())) != 1:
            raise SystemExit("the implementations disagree on %s: %r" % (label, expected))
        best = measure(ops, repeats=options.repeat, min_time=options.min_time)
        ratio = best["now"] / best["before"]
        missed = missed or ratio > TARGET
        kernel, before, now = (best[name] * 1e9 for name in ("kernel", "before", "now"))
        print("%-8s %10.1f %10.1f %10.1f %12.3fx %12.3fx" % (label, kernel, before, now, ratio, now / kernel))
    print("target: now/before <= %.2f -> %s" % (TARGET, "FAIL" if missed else "PASS"))
    return 1 if (options.check and missed) else 0


if __name__ == "__main__":
    raise SystemExit(main())
