"""The project's performance targets for the kernels, and the original SDK's algorithm as the
reference most of them are stated against (``benchmarks/original.py``).

Checked by ``benchmarks/bench_kernels.py``; the installed ``gigya-fast bench`` only prints
ratios. A target applies to the compiled kernels' ratio on one row (case and reference).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from benchmarks.original import GSRequestSigning, SigUtils
from gigya_fast._bench.report import Report, Row
from gigya_fast._bench.timing import Op

__all__ = ["Target", "TARGETS", "original_baselines", "original_validate_many", "target_for", "verdict", "failed"]

ORIGINAL = "original (no expiry check)"
ORIGINAL_WINDOW = "original, expiration=300"
ORIGINAL_LOOP = "original loop"
ORIGINAL_SIGN = "original base string+sign"


@dataclass(frozen=True)
class Target:
    """The compiled ratio of a row must be at least *at_least* (or at most *at_most*)."""

    at_least: Optional[float] = None
    at_most: Optional[float] = None

    def met(self, ratio: float) -> bool:
        """Whether *ratio* meets the target."""
        if self.at_least is not None and ratio < self.at_least:
            return False
        return self.at_most is None or ratio <= self.at_most

    def __str__(self) -> str:
        return f">={self.at_least:g}x" if self.at_least is not None else f"<={self.at_most:g}x"


# (case prefix, reference) -> target; case names carry the batch size (100k, or 2k quick)
TARGETS: List[Tuple[str, str, Target]] = [
    ("validate_user_signature", ORIGINAL, Target(at_least=12)),
    ("validate_user_signature", ORIGINAL_WINDOW, Target(at_least=12)),
    ("validate_users", ORIGINAL_LOOP, Target(at_least=15)),
    # a batched signature at most 1.4x faster than a single call (issue 13 item 8)
    ("validate_users", "single calls", Target(at_most=1.4)),
    ("validate_users", "compiled threads=1", Target(at_least=1.6)),
    ("sign_request", ORIGINAL_SIGN, Target(at_least=20)),
    ("verify_hmacs", "stdlib verify loop", Target(at_least=2)),
    ("verify_hmacs", "hmac.digest loop only", Target(at_least=2)),
]


def target_for(row: Row) -> Optional[Target]:
    """The target of *row*, if it has one."""
    for prefix, reference, target in TARGETS:
        if row.case.startswith(prefix) and row.reference == reference:
            return target
    return None


def verdict(row: Row) -> str:
    """PASS / FAIL against the target, ``n/a`` when the compiled kernels were not measured,
    ``info`` for a row without a target."""
    target = target_for(row)
    if target is None:
        return "info"
    ratio = row.speedup(row.compiled)
    if ratio is None:
        return "n/a"
    return "PASS" if target.met(ratio) else "FAIL"


def failed(report: Report) -> bool:
    """True when a target was missed or could not be checked (no compiled kernels)."""
    return any(verdict(row) in ("FAIL", "n/a") for row in report.rows)


def original_validate_many(
    uids: Sequence[str], timestamps: Sequence[str], signatures: Sequence[str], secret: str
) -> List[bool]:
    """A loop over the original ``SigUtils.validateUserSignature`` (its default: no expiry check)."""
    return [SigUtils.validateUserSignature(u, t, secret, s) for u, t, s in zip(uids, timestamps, signatures)]


def _validate_user(uid: str, timestamp: str, secret: str, signature: str) -> Dict[str, Op]:
    args = (uid, timestamp, secret, signature)
    return {
        ORIGINAL: Op(SigUtils.validateUserSignature, args),
        ORIGINAL_WINDOW: Op(SigUtils.validateUserSignature, args + (300,)),
    }


def _validate_users(uids: List[str], timestamps: List[str], signatures: List[str], secret: str) -> Dict[str, Op]:
    return {ORIGINAL_LOOP: Op(original_validate_many, (uids, timestamps, signatures, secret), ops=len(uids))}


def _sign_request(secret: str, method: str, url: str, params: Dict[str, Any]) -> Dict[str, Op]:
    op = Op(GSRequestSigning().getOAuth1Signature, (secret, method, url, True, params))
    if len(str(op.call())) != 28:
        raise AssertionError("the original signer did not produce a signature")
    return {ORIGINAL_SIGN: op}


def original_baselines() -> Dict[str, Callable[..., Dict[str, Op]]]:
    """The original SDK's algorithm as a reference for each case it has an equivalent of."""
    return {"validate_user": _validate_user, "validate_users": _validate_users, "sign_request": _sign_request}
