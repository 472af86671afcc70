"""Hostile inputs and outcome comparison shared by the fuzz regression tests
and ``scripts/fuzz.py``: both run a call on the compiled and the pure kernels
and compare what came out (result or exception class and message)."""

from __future__ import annotations

import collections.abc
import enum
from typing import Any, Callable, Dict, Iterator, List, Tuple

Outcome = Tuple[str, ...]


def outcome(call: Callable[[Any], Any], kernels: Any) -> Outcome:
    """``("ok", type, repr)`` of the result or ``("raise", class, message)``."""
    try:
        result = call(kernels)
    except Exception as exc:  # noqa: BLE001 - every exception is compared
        return ("raise", type(exc).__qualname__, str(exc))
    if isinstance(result, (list, tuple)):
        return ("ok", type(result).__name__, repr([(type(x).__name__, x) for x in result]))
    return ("ok", type(result).__name__, repr(result))


class StrSub(str):
    """A str subclass whose __str__ lies (the kernels must use the real characters)."""

    def __str__(self) -> str:
        return "lie"


class CollidingStr(str):
    """A str subclass equal to every other and hashing like ``like`` (see
    :func:`colliding`): a cache keyed by it would hand out another entry (the
    kernels must look it up by its characters)."""

    like = ""

    def __hash__(self) -> int:
        return hash(self.like)

    def __eq__(self, other: object) -> bool:
        return True

    def __ne__(self, other: object) -> bool:
        return False


def colliding(value: str, like: str) -> CollidingStr:
    """*value*'s characters, hashing like *like* and equal to anything."""
    made = CollidingStr(value)
    made.like = like
    return made


class UnhashableStr(str):
    """A str subclass that cannot be hashed."""

    __hash__ = None  # type: ignore[assignment]


class LyingStr(str):
    """A str subclass whose methods and operators lie (upper, split, +)."""

    def upper(self) -> str:
        return "LIE"

    def split(self, *args: Any, **kwargs: Any) -> List[str]:
        return ["lie"]

    def __add__(self, other: object) -> str:
        return "lie"

    def __radd__(self, other: object) -> str:
        return "lie"


class LyingBytes(bytes):
    """A bytes subclass whose ``__bytes__`` lies (the kernels hash the real contents)."""

    def __bytes__(self) -> bytes:
        return b"lie"


class LyingByteArray(bytearray):
    """A bytearray subclass whose ``__bytes__`` lies."""

    def __bytes__(self) -> bytes:
        return b"lie"


class MutatingValue(dict):  # type: ignore[type-arg]
    """A dict value whose ``items()`` (json.dumps calls it) changes the params mapping
    it sits in: what is signed must be the params as passed."""

    def __init__(self, params: Dict[str, Any], value: Dict[str, Any]) -> None:
        super().__init__(value)
        self.params = params

    def items(self) -> Any:
        for key in [k for k in self.params if self.params[k] is not self][:2]:
            del self.params[key]
        self.params["zz_added"] = "added"
        return dict.items(self)

    def __repr__(self) -> str:
        return f"MutatingValue({dict(self)!r})"


def mutating_params(items: Dict[str, Any]) -> Dict[str, Any]:
    """A fresh params dict holding *items* and a MutatingValue."""
    params = dict(items)
    params["mutator"] = MutatingValue(params, {"x": [1, "y"]})
    return params


class IntSub(int):
    """An int subclass whose __repr__/__str__ lie."""

    def __repr__(self) -> str:
        return "lie"

    __str__ = __repr__


class FloatSub(float):
    """A float subclass whose __repr__ lies."""

    def __repr__(self) -> str:
        return "lie"


class DictSub(dict):  # type: ignore[type-arg]
    """A dict subclass (json.dumps encodes it as a dict)."""


class ListSub(list):  # type: ignore[type-arg]
    """A list subclass."""


class Level(enum.IntEnum):
    """An int enum (json.dumps writes the int)."""

    HIGH = 3


class Opaque:
    """An object of a type no kernel accepts."""

    def __repr__(self) -> str:
        return "<Opaque>"


class HostileError(Exception):
    """Raised by the hostile containers below."""


class HostileMapping(collections.abc.Mapping):  # type: ignore[type-arg]
    """A Mapping that is not a dict; raises when iteration reaches key number *fail_after*."""

    def __init__(self, items: Dict[Any, Any], fail_after: int) -> None:
        self._items = items
        self._fail_after = fail_after

    def __getitem__(self, key: Any) -> Any:
        return self._items[key]

    def __iter__(self) -> Iterator[Any]:
        for i, key in enumerate(self._items):
            if i == self._fail_after:
                raise HostileError("mapping iteration failed")
            yield key

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"HostileMapping({self._items!r}, fail_after={self._fail_after})"


class HostileIterable:
    """An iterable (not a sequence) that raises when it reaches item number *fail_after*."""

    def __init__(self, items: List[Any], fail_after: int) -> None:
        self._items = items
        self._fail_after = fail_after

    def __iter__(self) -> Iterator[Any]:
        for i, item in enumerate(self._items):
            if i == self._fail_after:
                raise HostileError("iteration failed")
            yield item

    def __repr__(self) -> str:
        return f"HostileIterable({self._items!r}, fail_after={self._fail_after})"
