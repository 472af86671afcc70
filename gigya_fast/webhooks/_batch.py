"""The batch paths of ``WebhookVerifier.verify_many``.

Both check every HMAC in one kernel call. The general path reuses the
single-notification steps item by item around ``Signer.verify_hmacs``; the
fast path hands the common HMAC-only case whole to the webhook batch kernel
(``verify_webhook_batch``: compiled, or its pure twin), which steps aside
(returns None) as soon as an item is anything but a well-formed
``(bytes, dict)`` pair, so the two can never disagree.

The verifier hands over what they need as one :class:`BatchSteps`: this
module knows nothing else of it.
"""

from __future__ import annotations

import math
from typing import Any, Callable, Dict, FrozenSet, List, NamedTuple, Sequence, Tuple, Union

from .._checks_py import Number
from ..errors import SignatureError
from . import _kernels
from ._common import _E_HMAC, HMAC_HEADER, Item, _unpack, with_next_secrets
from .notification import Notification

__all__ = ["BatchSteps", "verify_many_general", "verify_many_fast"]


class BatchSteps(NamedTuple):
    """A verifier's configuration and single-notification steps, as the batch paths use them."""

    #: The HMAC signers, the one most traffic uses first (rotation).
    signers: Sequence[Any]
    max_body: int
    #: Replay window in seconds, None when off.
    tolerance: Number | None
    #: The Notification context of an HMAC-only verification.
    hmac_ctx: Tuple[FrozenSet[str], Any]
    #: ``prepare(body, headers) -> (raw, hmac header, jwt header)``; TypeError or SignatureError.
    prepare: Callable[[object, object], Tuple[bytes, Union[str, None], Union[str, None]]]
    #: ``hmacs_match(bodies, signatures, threads)``: one verdict each, every secret tried.
    hmacs_match: Callable[[List[bytes], List[Union[str, None]], int], List[bool]]
    #: ``finish(raw, headers, hmac header, hmac ok, jwt header, now)``: the Notification or SignatureError.
    finish: Callable[[bytes, Any, Union[str, None], bool, Union[str, None], Union[Number, None]], Notification]


def verify_many_general(
    steps: BatchSteps, items: List[Item], threads: int, now: Number
) -> List[Union[Notification, SignatureError]]:
    """Any items, any configuration: the single-notification steps around one kernel call."""
    n = len(items)
    results: List[Union[Notification, SignatureError, None]] = [None] * n
    prepared: List[Tuple[bytes, Any, str | None, str | None] | None] = [None] * n
    bodies: List[bytes] = []
    sigs: List[str | None] = []
    for i, item in enumerate(items):
        try:
            body, headers = _unpack(item)
            raw, sig, token = steps.prepare(body, headers)
        except SignatureError as exc:
            results[i] = exc
            continue
        except TypeError as exc:
            results[i] = SignatureError(f"invalid item: {exc}")
            continue
        prepared[i] = (raw, headers, sig, token)
        if sig is not None:
            bodies.append(raw)
            sigs.append(sig)
    verdicts = iter(steps.hmacs_match(bodies, sigs, threads) if steps.signers else ())
    for i, entry in enumerate(prepared):
        if entry is None:
            continue
        raw, headers, sig, token = entry
        ok = next(verdicts) if sig is not None else False
        try:
            results[i] = steps.finish(raw, headers, sig, ok, token, now)
        except SignatureError as exc:
            results[i] = exc
    return results  # type: ignore[return-value]


def verify_many_fast(
    steps: BatchSteps, items: List[Item], threads: int, now: Number
) -> List[Union[Notification, SignatureError]] | None:
    """HMAC-only batches: one call into the webhook batch kernel (compiled or pure).

    Returns None (caller takes the general path) as soon as any item is not
    a (bytes, dict) pair with a str signature header and a body of
    acceptable size, so the outcome never differs from the general path.
    """
    tolerance = steps.tolerance
    # the replay window as integer bounds: a whole-second timestamp t is inside
    # [now - tolerance, now + tolerance] exactly when it is inside these
    window = None if tolerance is None else (math.ceil(now - tolerance), math.floor(now + tolerance))

    def finish(body: bytes, headers: Dict[str, Any]) -> Notification:
        # HMAC present and verified; the general timestamp lookup
        return steps.finish(body, headers, HMAC_HEADER, True, None, now)

    def run(signer: Any, batch: List[Item]) -> List[Union[Notification, SignatureError]] | None:
        return _kernels.verify_webhook_batch(
            signer, batch, steps.max_body, window, threads, steps.hmac_ctx, finish
        )

    # several secrets (rotation): each next one checks the items whose HMAC none matched yet
    return with_next_secrets(
        steps.signers,
        run(steps.signers[0], items),
        lambda result: type(result) is SignatureError and str(result) == _E_HMAC,
        lambda signer, retry: run(signer, [items[i] for i in retry]),
    )
