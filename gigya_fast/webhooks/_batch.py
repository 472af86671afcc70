"""The batch paths of ``WebhookVerifier.verify_many``.

Both run every HMAC in one ``Signer.verify_hmacs`` call. The general path
reuses the single-notification steps item by item; the fast path covers the
common HMAC-only case with the same checks inlined, and steps aside (returns
None) as soon as an item is anything but a well-formed ``(bytes, dict)`` pair,
so the two can never disagree.
"""

from __future__ import annotations

import logging
import math
from typing import TYPE_CHECKING, Any, Dict, List, Tuple, Union

from ..errors import SignatureError
from ._common import _E_HMAC, _E_STALE, _HMAC_LOWER, _OPENERS, HMAC_HEADER, Item, Number, _unpack
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
    verdicts = iter(
        verifier._signer.verify_hmacs(bodies, sigs, threads=threads) if verifier._signer is not None else ()
    )
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
    """HMAC-only happy path: the checks of _prepare/_finish done over whole lists.

    Returns None (caller takes the general path) as soon as any item is not
    a (bytes, dict) pair with a str signature header and a body of
    acceptable size, so the outcome never differs from the general path.
    """
    # One pass touching each item once: batches are usually far larger
    # than the CPU caches, so extra passes cost memory traffic, not bytecode.
    bodies: List[bytes] = []
    heads: List[Dict[str, Any]] = []
    sigs: List[str] = []
    add_body, add_head, add_sig = bodies.append, heads.append, sigs.append
    max_body = verifier._max_body
    for item in items:
        if type(item) is not tuple or len(item) != 2:
            return None
        body, headers = item
        if type(body) is not bytes or type(headers) is not dict:
            return None
        sig = headers.get(HMAC_HEADER)
        if type(sig) is not str:
            if sig is not None:
                return None
            sig = headers.get(_HMAC_LOWER)
            if type(sig) is not str:
                return None
        size = len(body)
        if size > max_body or not size:
            return None
        add_body(body)
        add_head(headers)
        add_sig(sig.strip())
    if not bodies:
        return None
    assert verifier._signer is not None
    verdicts = verifier._signer.verify_hmacs(bodies, sigs, threads=threads)
    ctx = verifier._ctx_hmac
    tolerance = verifier._tolerance
    if tolerance is None:
        return [
            Notification(body, headers, ctx) if ok else SignatureError(_E_HMAC)
            for body, headers, ok in zip(bodies, heads, verdicts)
        ]
    # Replay window as integer bounds, compared on the timestamp's digits:
    # equal-length digit strings order like the numbers they spell.
    low, high = math.ceil(now - tolerance), math.floor(now + tolerance)
    low_digits, high_digits = b"%d" % low, b"%d" % high
    width = len(low_digits) if low > 0 and len(low_digits) == len(high_digits) else -1
    results: List[Union[Notification, SignatureError]] = []
    append = results.append
    for body, headers, ok in zip(bodies, heads, verdicts):
        if not ok:
            append(SignatureError(_E_HMAC))
            continue
        # Inline form of body_timestamp() for compact bodies ending ,"timestamp":N}
        j = body.rfind(b'"timestamp":', len(body) - 40)
        if j > 0 and body[-1] == 125 and body[j - 1] in _OPENERS:
            digits = body[j + 12 : -1]
            if len(digits) == width and digits.isdigit():
                if low_digits <= digits <= high_digits:
                    append(Notification(body, headers, ctx))
                else:
                    append(SignatureError(_E_STALE))
                continue
        try:  # other body shapes: the general timestamp lookup; HMAC present and verified
            append(verifier._finish(body, headers, HMAC_HEADER, True, None, now))
        except SignatureError as exc:
            append(exc)
    return results
