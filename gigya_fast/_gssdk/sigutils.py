"""``SigUtils``: the original static signature helpers, built on the signing kernels.

Differences from the original GSSDK.py (all deliberate, see ``docs/migrating.md``):

* ``validateUserSignature`` / ``validateFriendSignature`` check the timestamp
  window by default: :data:`DEFAULT_SIGNATURE_EXPIRATION` (300 s, inclusive,
  "within five minutes" as the user guide says). Pass ``expiration=None``
  explicitly to turn the check off, as the original did by default.
* Signatures are compared in constant time.
* ``None`` for the UID, timestamp or signature (a field missing from a
  response) gives ``False`` instead of an exception. A malformed secret raises
  :class:`gigya_fast.errors.InvalidSecretError` (a ``ValueError``): it is a
  configuration error, not an invalid signature.
"""

from __future__ import annotations

import time
from typing import Union

from .._signing import (
    calc_signature,
    get_dynamic_session_signature,
    get_dynamic_session_signature_user_signed,
    validate_friend_signature,
    validate_user_signature,
)

__all__ = ["SigUtils", "DEFAULT_SIGNATURE_EXPIRATION"]

#: Default validity window of a ``signatureTimestamp``, in seconds (inclusive).
DEFAULT_SIGNATURE_EXPIRATION = 300

Timestamp = Union[str, int]
Seconds = Union[int, float]

# Same rule as the kernels: 1-15 ASCII digits, anything else is never in a window.
_MAX_TIMESTAMP_DIGITS = 15


def _timestamp_seconds(timestamp: object) -> int | None:
    if isinstance(timestamp, bool):
        return None
    if isinstance(timestamp, int):
        return timestamp
    if isinstance(timestamp, str) and 0 < len(timestamp) <= _MAX_TIMESTAMP_DIGITS:
        if timestamp.isascii() and timestamp.isdigit():
            return int(timestamp)
    return None


class SigUtils:
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
        return validate_user_signature(UID, timestamp, secret, signature, expiration)

    @staticmethod
    def validateUserSignatureWithExpiration(
        UID: str | None,
        timestamp: Timestamp | None,
        secret: str,
        signature: str | None,
        expiration: Seconds | None,
    ) -> bool:
        """:meth:`validateUserSignature` with an explicit window in seconds (``None`` = no time check)."""
        return SigUtils.validateUserSignature(UID, timestamp, secret, signature, expiration)

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
        return validate_friend_signature(UID, timestamp, friendUID, secret, signature, expiration)

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
        return SigUtils.validateFriendSignature(UID, timestamp, friendUID, secret, signature, expiration)

    @staticmethod
    def calcSignature(text: str, key: str) -> str:
        """base64(HMAC-SHA1(base64decode(*key*), UTF-8 of *text*))."""
        return calc_signature(text, key)

    @staticmethod
    def getDynamicSessionSignature(gltCookie: str, timeoutInSeconds: int, secret: str) -> str:
        """Value of the ``gltexp_<apiKey>`` cookie signed with the partner secret: ``<exp>_<sig>``.

        *gltCookie* is the ``glt_<apiKey>`` cookie (the part before ``|`` is
        the login token); exp = now + *timeoutInSeconds*.
        """
        return get_dynamic_session_signature(gltCookie, timeoutInSeconds, secret)

    @staticmethod
    def getDynamicSessionSignatureUserSigned(
        gltCookie: str,
        timeoutInSeconds: int,
        userKey: str,
        secret: str,
    ) -> str:
        """``gltexp_<apiKey>`` cookie value signed with a user key's secret: ``<exp>_<userKey>_<sig>``."""
        return get_dynamic_session_signature_user_signed(gltCookie, timeoutInSeconds, userKey, secret)

    @staticmethod
    def currentTimeMillis() -> int:
        """Milliseconds since the Unix epoch."""
        return int(time.time() * 1000)

    @staticmethod
    def signatureTimestampExpired(timestamp: Timestamp | None, expiration: Seconds | None) -> bool:
        """True when *timestamp* (Unix seconds) is more than *expiration* seconds from now.

        ``expiration=None`` means no limit (never expired); a timestamp that is
        not 1-15 decimal digits always counts as expired.
        """
        if expiration is None:
            return False
        seconds = _timestamp_seconds(timestamp)
        if seconds is None:
            return True
        return abs(time.time() - seconds) > expiration
