"""The batch paths of ``WebhookVerifier.verify_many``.

Both check every HMAC in one kernel call. The general path reuses the
single-notification steps item by item around ``Signer.verify_hmacs``; the
fast path hands the common HMAC-only case whole to the webhook batch kernel
(``verify_webhook_batch``: compiled, or its pure twin), which steps aside
(returns None) as soon as an item is anything but a well-formed
``(bytes, dict)`` pair, so the two can never disagree.
"""

from __future__ import annotations

import logging
import math
from typing import TYPE_CHECKING, Any, Dict, List, Tuple, Union

from ..errors import SignatureError
from . import _kernels
from ._common import _E_HMAC, HMAC_HEADER, Item, Number, _unpack, with_next_secrets
from .notification import Notification

if TYPE_CHECKING:
    from .verifier import WebhookVerifier

__all__ = ["verify_many_general", "verify_many_fast"]

logger = logging.getLogger(__name__)


def verify_many_general(
    verifier: WebhookVerifier, items: List[Item], threads: int, now: Number
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
            raw, sig, token = verifier._prepare(body, headers)
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
    verdicts = iter(verifier._hmacs_match(bodies, sigs, threads) if verifier._signers else ())
    for i, entry in enumerate(prepared):
        if entry is None:
            continue
        raw, headers, sig, token = entry
        ok = next(verdicts) if sig is not None else False
        try:
            results[i] = verifier._finish(raw, headers, sig, ok, token, now)
        except SignatureError as exc:
            results[i] = exc
    return results  # type: ignore[return-value]


def verify_many_fast(
    verifier: WebhookVerifier, items: List[Item], threads: int, now: Number
) -> List[Union[Notification, SignatureError]] | None:
    """HMAC-only batches: one call into the webhook batch kernel (compiled or pure).

    Returns None (caller takes the general path) as soon as any item is not
    a (bytes, dict) pair with a str signature header and a body of
    acceptable size, so the outcome never differs from the general path.
    """
    tolerance = verifier._tolerance
    # the replay window as integer bounds: a whole-second timestamp t is inside
    # [now - tolerance, now + tolerance] exactly when it is inside these
    window = None if tolerance is None else (math.ceil(now - tolerance), math.floor(now + tolerance))

    def finish(body: bytes, headers: Dict[str, Any]) -> Notification:
        # HMAC present and verified; the general timestamp lookup
        return verifier._finish(body, headers, HMAC_HEADER, True, None, now)

    def run(signer: Any, batch: List[Item]) -> List[Union[Notification, SignatureError]] | None:
        return _kernels.verify_webhook_batch(
            signer, batch, verifier._max_body, window, threads, verifier._ctx_hmac, finish
        )

    # several secrets (rotation): each next one checks the items whose HMAC none matched yet
    return with_next_secrets(
        verifier._signers,
        run(verifier._signers[0], items),
        lambda result: type(result) is SignatureError and str(result) == _E_HMAC,
        lambda signer, retry: run(signer, [items[i] for i in retry]),
    )
