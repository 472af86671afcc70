"""``verify_webhook_batch``, pure Python: the specification of the compiled twin in
``gigya_fast.webhooks._batch_c`` (which runs the same steps in C, the HMACs and the
window without the GIL).

It covers the common HMAC-only batch and steps aside (returns None, the caller
then takes the general path) as soon as an item is anything but a well-formed
``(bytes, dict)`` pair with a ``str`` signature header and a body of
acceptable size, so its outcome never differs from verifying item by item.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Tuple, Union

from .._checks_py import MAX_TIMESTAMP_DIGITS, _check_threads
from ..errors import SignatureError
from ._common import _E_HMAC, _E_STALE, _HMAC_LOWER, HMAC_HEADER
from ._notification_py import Ctx, Notification

__all__ = ["verify_webhook_batch", "tail_window", "tail_verdict"]

HOOK_BAD_SIG, HOOK_OK, HOOK_STALE, HOOK_UNDECIDED = 0, 1, 2, 3
_KEY = b'"timestamp":'

TailWindow = Tuple[int, bytes, bytes]


def tail_window(window: Tuple[int, int] | None) -> TailWindow:
    """(width, low digits, high digits) for integer bounds *window*.

    width 0: no window; -1: bounds whose digit strings differ in length (or
    are not positive, or too long): every body is then left to the caller.
    """
    if window is None:
        return 0, b"", b""
    if type(window) is not tuple or len(window) != 2 or not all(_is_int(bound) for bound in window):
        raise TypeError("window must be None or a pair of int bounds")
    low, high = int.__int__(window[0]), int.__int__(window[1])
    low_digits, high_digits = b"%d" % low, b"%d" % high
    width = len(low_digits)
    if low <= 0 or width != len(high_digits) or width > MAX_TIMESTAMP_DIGITS:
        return -1, b"", b""
    return width, low_digits, high_digits


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def tail_verdict(body: bytes, window: TailWindow) -> int:
    """HOOK_OK, HOOK_STALE or HOOK_UNDECIDED for a body whose HMAC matched.

    Decided here only for bodies ending ``[{,]"timestamp":<width digits>}``
    (equal-width digit strings order like the numbers they spell).
    """
    width, low, high = window
    if width == 0:
        return HOOK_OK
    j = len(body) - 1 - width - len(_KEY)
    if width < 0 or j < 1 or body[-1] != 0x7D or body[j - 1] not in b"{," or body[j : j + len(_KEY)] != _KEY:
        return HOOK_UNDECIDED
    digits = body[j + len(_KEY) : -1]
    if not digits.isdigit():
        return HOOK_UNDECIDED
    return HOOK_OK if low <= digits <= high else HOOK_STALE


def verify_webhook_batch(
    signer: Any,
    items: List[Any],
    max_body: int,
    window: Tuple[int, int] | None,
    threads: int,
    ctx: Ctx,
    finish: Callable[[bytes, Dict[str, Any]], Any],
) -> List[Union[Notification, SignatureError]] | None:
    """Verify an HMAC-only batch, or None when an item needs the general path.

    *window* is the replay window as integer bounds (None: no window);
    *finish(body, headers)* completes a verified item whose timestamp is not
    in the compact tail form (and may raise ``SignatureError``).
    """
    _check_threads(threads)
    tail = tail_window(window)
    bodies: List[bytes] = []
    heads: List[Dict[str, Any]] = []
    sigs: List[str] = []
    # a private copy: a header lookup may run the caller's code (a str subclass key's
    # __eq__), which must not be able to change the list being read
    for item in list(items):
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
        if not 0 < len(body) <= max_body:
            return None
        bodies.append(body)
        heads.append(headers)
        sigs.append(sig.strip())
    if not bodies:
        return None
    verdicts = signer.verify_hmacs(bodies, sigs, threads=threads)
    results: List[Union[Notification, SignatureError]] = []
    for body, headers, ok in zip(bodies, heads, verdicts):
        verdict = tail_verdict(body, tail) if ok else HOOK_BAD_SIG
        if verdict == HOOK_OK:
            results.append(Notification(body, headers, ctx))
        elif verdict == HOOK_BAD_SIG:
            results.append(SignatureError(_E_HMAC))
        elif verdict == HOOK_STALE:
            results.append(SignatureError(_E_STALE))
        else:
            try:
                results.append(finish(body, headers))
            except SignatureError as exc:
                results.append(exc)
    return results
