"""``SigUtils``: the original static signature helpers, built on the signing kernels.

Differences from the original GSSDK.py (all deliberate, see ``docs/migrating.md``):

* ``validateUserSignature`` / ``validateFriendSignature`` check the timestamp
  window by default: :data:`DEFAULT_SIGNATURE_EXPIRATION` (300 s, inclusive,
  "within five minutes" as the user guide says). Pass ``expiration=None``
  explicitly to turn the check off, as the original did by default.
* Signatures are compared in constant time.
* ``expiration`` is checked as the kernels check it, on every route (hooks
  replaced or not): ``TypeError`` unless it is an ``int``, a ``float`` or
  ``None`` (a ``bool`` included), ``ValueError`` for NaN, an infinity or a
  negative number. The original compared ``abs(now - ts) > expiration``, so
  NaN or ``inf`` made every timestamp fresh.
* ``None`` for the UID, timestamp or signature (a field missing from a
  response) gives ``False`` instead of an exception. A malformed secret raises
  :class:`gigya_fast.errors.InvalidSecretError` (a ``ValueError``): it is a
  configuration error, not an invalid signature.

Tests written for the original replace ``SigUtils.calcSignature`` (or
``validateUserSignature``, ``signatureTimestampExpired``...) with mocks and
expect the other helpers to go through them. While nothing is replaced, every
helper calls its compiled kernel directly; once a test replaces one of the
:data:`HOOKS`, they all take the original's route through ``SigUtils.<name>``
until it is put back. A metaclass notices the replacement, so the fast path
costs one global-variable test.
"""

from __future__ import annotations

import hmac
import time
from typing import Any, Dict

from .._checks_py import MAX_TIMESTAMP_DIGITS, Number, Timestamp, _check_window_args
from .._signing import (
    calc_signature,
    get_dynamic_session_signature,
    get_dynamic_session_signature_user_signed,
    validate_friend_signature,
    validate_user_signature,
)

__all__ = ["SigUtils", "DEFAULT_SIGNATURE_EXPIRATION", "HOOKS", "hooks_intact"]

#: Default validity window of a ``signatureTimestamp``, in seconds (inclusive).
DEFAULT_SIGNATURE_EXPIRATION = 300

#: The helpers the others call through when one of them is replaced (e.g. by ``mock.patch``).
HOOKS = (
    "calcSignature",
    "signatureTimestampExpired",
    "validateUserSignature",
    "validateFriendSignature",
)

Seconds = Number

# True while every hook is the one defined below (the compiled fast path is exact).
_hooks_intact = True
_originals: Dict[str, Any] = {}


class _WatchedHooks(type):
    """Metaclass of :class:`SigUtils`: re-checks the hooks whenever a class attribute changes."""

    def __setattr__(cls, name: str, value: Any) -> None:
        super().__setattr__(name, value)
        _recheck(cls)

    def __delattr__(cls, name: str) -> None:
        super().__delattr__(name)
        _recheck(cls)


def _recheck(cls: type) -> None:
    global _hooks_intact
    if _originals and cls is SigUtils:
        _hooks_intact = all(cls.__dict__.get(name) is _originals[name] for name in HOOKS)


def hooks_intact() -> bool:
    """True while none of the :data:`HOOKS` has been replaced on ``SigUtils``."""
    return _hooks_intact


def _timestamp_seconds(timestamp: object) -> int | None:
    """The timestamp as seconds: an int, or 1 to MAX_TIMESTAMP_DIGITS ASCII digits (the kernels' rule); else None."""
    if isinstance(timestamp, bool):
        return None
    if isinstance(timestamp, int):
        return timestamp
    if isinstance(timestamp, str) and 0 < len(timestamp) <= MAX_TIMESTAMP_DIGITS:
        if timestamp.isascii() and timestamp.isdigit():
            return int(timestamp)
    return None


def _checked_expiration(expiration: object) -> Number | None:
    """*expiration* as the kernels accept it (None, or a finite, non-negative exact int/float).

    The hooks route and ``signatureTimestampExpired`` do their own arithmetic; this
    keeps NaN, infinities, negatives, bools and text out of it, with the kernels'
    own errors (TypeError / ValueError and their messages)."""
    return _check_window_args(expiration, None)[0]


def _same_text(expected: object, given: object) -> bool:
    """Constant-time equality for text; plain ``==`` for anything a mock may have returned."""
    if isinstance(expected, str) and isinstance(given, str):
        return hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8"))
    return bool(expected == given)


def _checked_through_hooks(
    base_string: str, timestamp: object, secret: str, signature: object, expiration: Any
) -> bool:
    """The original's route: ``SigUtils.calcSignature`` then ``SigUtils.signatureTimestampExpired``."""
    expiration = _checked_expiration(expiration)
    expected = SigUtils.calcSignature(base_string, secret)
    if expiration is None:
        return _same_text(expected, signature)
    expired = SigUtils.signatureTimestampExpired(timestamp, expiration)  # type: ignore[arg-type]
    return not expired and _same_text(expected, signature)


class SigUtils(metaclass=_WatchedHooks):
    """Static helpers to calculate and validate CDC signatures (names as in the original)."""

    @staticmethod
    def validateUserSignature(
        UID: str | None,
        timestamp: Timestamp | None,
        secret: str,
        signature: str | None,
        expiration: Seconds | None = DEFAULT_SIGNATURE_EXPIRATION,
    ) -> bool:
        """True when *signature* is the UIDSignature of (*UID*, *timestamp*) under the base64 *secret*.

        The timestamp must be within *expiration* seconds of now (default 300,
        inclusive); ``expiration=None`` skips the time check.
        """
        if UID is None or timestamp is None or signature is None:
            return False
        if _hooks_intact:
            return validate_user_signature(UID, timestamp, secret, signature, expiration)
        return _checked_through_hooks(f"{timestamp}_{UID}", timestamp, secret, signature, expiration)

    @staticmethod
    def validateUserSignatureWithExpiration(
        UID: str | None,
        timestamp: Timestamp | None,
        secret: str,
        signature: str | None,
        expiration: Seconds | None,
    ) -> bool:
        """:meth:`validateUserSignature` with an explicit window in seconds (``None`` = no time check)."""
        if _hooks_intact or UID is None or timestamp is None or signature is None:
            return SigUtils.validateUserSignature(UID, timestamp, secret, signature, expiration)
        expiration = _checked_expiration(expiration)
        expired = SigUtils.signatureTimestampExpired(timestamp, expiration)
        valid = SigUtils.validateUserSignature(UID, timestamp, secret, signature, None)
        return not expired and valid

    @staticmethod
    def validateFriendSignature(
        UID: str | None,
        timestamp: Timestamp | None,
        friendUID: str | None,
        secret: str,
        signature: str | None,
        expiration: Seconds | None = DEFAULT_SIGNATURE_EXPIRATION,
    ) -> bool:
        """True when *signature* is the friendshipSignature over ``<timestamp>_<friendUID>_<UID>``.

        Same window rule as :meth:`validateUserSignature`.
        """
        if UID is None or timestamp is None or friendUID is None or signature is None:
            return False
        if _hooks_intact:
            return validate_friend_signature(UID, timestamp, friendUID, secret, signature, expiration)
        return _checked_through_hooks(f"{timestamp}_{friendUID}_{UID}", timestamp, secret, signature, expiration)

    @staticmethod
    def validateFriendSignatureWithExpiration(
        UID: str | None,
        timestamp: Timestamp | None,
        friendUID: str | None,
        secret: str,
        signature: str | None,
        expiration: Seconds | None,
    ) -> bool:
        """:meth:`validateFriendSignature` with an explicit window in seconds (``None`` = no time check)."""
        if _hooks_intact or UID is None or timestamp is None or friendUID is None or signature is None:
            return SigUtils.validateFriendSignature(UID, timestamp, friendUID, secret, signature, expiration)
        expiration = _checked_expiration(expiration)
        expired = SigUtils.signatureTimestampExpired(timestamp, expiration)
        valid = SigUtils.validateFriendSignature(UID, timestamp, friendUID, secret, signature, None)
        return not expired and valid

    @staticmethod
    def calcSignature(baseString: str, key: str) -> str:
        """base64(HMAC-SHA1(base64decode(*key*), UTF-8 of *baseString*))."""
        return calc_signature(baseString, key)

    @staticmethod
    def getDynamicSessionSignature(gltCookie: str, timeoutInSeconds: int, secret: str) -> str:
        """Value of the ``gltexp_<apiKey>`` cookie signed with the partner secret: ``<exp>_<sig>``.

        *gltCookie* is the ``glt_<apiKey>`` cookie (the part before ``|`` is
        the login token); exp = now + *timeoutInSeconds*.
        """
        _check_session_args(gltCookie, timeoutInSeconds)
        if _hooks_intact:
            return get_dynamic_session_signature(gltCookie, timeoutInSeconds, secret)
        expiry = _expiry(timeoutInSeconds)
        signature = SigUtils.calcSignature("%s_%d" % (_login_token(gltCookie), expiry), secret)
        return "%d_%s" % (expiry, signature)

    @staticmethod
    def getDynamicSessionSignatureUserSigned(
        gltCookie: str,
        timeoutInSeconds: int,
        userKey: str,
        secret: str,
    ) -> str:
        """``gltexp_<apiKey>`` cookie value signed with a user key's secret: ``<exp>_<userKey>_<sig>``."""
        _check_session_args(gltCookie, timeoutInSeconds)
        if not isinstance(userKey, str):
            raise TypeError("userKey must be str, not %s" % type(userKey).__name__)
        if _hooks_intact:
            return get_dynamic_session_signature_user_signed(gltCookie, timeoutInSeconds, userKey, secret)
        expiry = _expiry(timeoutInSeconds)
        signature = SigUtils.calcSignature("%s_%d_%s" % (_login_token(gltCookie), expiry, userKey), secret)
        return "%d_%s_%s" % (expiry, userKey, signature)

    @staticmethod
    def currentTimeMillis() -> int:
        """Milliseconds since the Unix epoch (rounded, as the original)."""
        return int(round(time.time() * 1000))

    @staticmethod
    def signatureTimestampExpired(timestamp: Timestamp | None, expiration: Seconds | None) -> bool:
        """True when *timestamp* (Unix seconds) is more than *expiration* seconds from now.

        ``expiration=None`` means no limit (never expired); a timestamp that is
        not 1-15 decimal digits always counts as expired. *expiration* must be a
        finite, non-negative int or float: TypeError / ValueError otherwise.
        """
        expiration = _checked_expiration(expiration)
        if expiration is None:
            return False
        seconds = _timestamp_seconds(timestamp)
        if seconds is None:
            return True
        return abs(time.time() - seconds) > expiration


def _check_session_args(glt_cookie: object, timeout_seconds: object) -> None:
    """The kernels' type checks for the session cookie helpers, with the original's parameter names.

    Done here so the message names ``gltCookie`` / ``timeoutInSeconds`` on both
    routes (the kernels call them ``glt_cookie`` / ``timeout_seconds``)."""
    if not isinstance(glt_cookie, str):
        raise TypeError("gltCookie must be str, not %s" % type(glt_cookie).__name__)
    if isinstance(timeout_seconds, bool) or not isinstance(timeout_seconds, int):
        raise TypeError("timeoutInSeconds must be int, not %s" % type(timeout_seconds).__name__)


def _expiry(timeout_seconds: int) -> int:
    """now + *timeout_seconds* (checked by :func:`_check_session_args`), its real int value."""
    return int(time.time()) + int.__int__(timeout_seconds)


def _login_token(glt_cookie: str) -> str:
    return str.__str__(glt_cookie).split("|", 1)[0]


_originals.update((name, SigUtils.__dict__[name]) for name in HOOKS)
