"""The GSSDK exception classes, rooted in :class:`gigya_fast.errors.GigyaError`.

As in the original GSSDK.py, ``GSException(value).errorMessage`` is *value*;
unlike it, ``str()`` works and returns the message.
"""

from __future__ import annotations

from typing import Any

from ..errors import GigyaError

__all__ = ["GSException", "GSKeyNotFoundException"]


class GSException(GigyaError):  # noqa: N818 - name of the original API
    """General GSSDK exception; ``errorMessage`` (as in the original) and ``message`` hold the text."""

    def __init__(self, message: str = "", **fields: Any) -> None:
        super().__init__(message, **fields)
        self.message = message
        self.errorMessage = message

    def __str__(self) -> str:
        if self.error_code is not None:
            return super().__str__()
        return self.message or self.__class__.__name__


class GSKeyNotFoundException(GSException, KeyError):  # noqa: N818
    """A typed getter was asked for a key that is absent and given no default.

    Also a :class:`KeyError`, so ``except KeyError`` keeps working.
    """

    def __init__(self, key: str) -> None:
        super().__init__(f"GSObject does not contain a value for key {key!r}")
        self.key = key

    def __reduce__(self) -> Any:
        return (self.__class__, (self.key,))
