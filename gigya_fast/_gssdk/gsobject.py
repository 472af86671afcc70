"""``GSObject``: a ``dict`` with the typed getters of the Gigya server SDKs.

A ``GSObject`` *is* a ``dict`` (subclass), so code that treats request
parameters or response data as plain dicts keeps working, and code written
against the GSObject API of the other Gigya SDKs (``put``, ``getString``,
``getInt``, ``getBool``, ``getObject``, ``getArray``, ``toJsonString``...)
works too.

Typed getters take an optional default. When the key is absent and no default
is given they raise :class:`GSKeyNotFoundException` (also a ``KeyError``);
when the value cannot be converted to the asked type they raise
:class:`GSException`.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Dict, List, Mapping, TypeVar, Union, overload

from .._signing import serialize_value
from .exceptions import GSException, GSKeyNotFoundException

__all__ = ["GSObject"]

_T = TypeVar("_T")


class _Missing:
    """Sentinel type for "no default given"."""

    def __repr__(self) -> str:
        return "<no default>"


_MISSING: Any = _Missing()
_TRUE_WORDS = frozenset({"true", "1"})
_FALSE_WORDS = frozenset({"false", "0"})


def _wrap(value: Any) -> Any:
    """Return nested mappings as GSObject so chained getters keep working."""
    if isinstance(value, Mapping) and not isinstance(value, GSObject):
        return GSObject(value)
    return value


def _to_int(value: Any) -> Any:
    if isinstance(value, bool):
        return _MISSING
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            pass
    return _MISSING


def _to_float(value: Any) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            pass
    return _MISSING


def _to_bool(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
    return _MISSING


class GSObject(Dict[str, Any]):
    """A JSON object: build it from ``None``, a mapping, or a JSON object string."""

    def __init__(self, source: Union[None, str, bytes, Mapping[str, Any]] = None) -> None:
        super().__init__()
        if source is None:
            return
        if isinstance(source, (str, bytes)):
            text = source.decode("utf-8") if isinstance(source, bytes) else source
            if not text.strip():
                return
            try:
                parsed = json.loads(text)
            except ValueError as exc:
                raise GSException(f"GSObject: not valid JSON: {exc}") from None
            if not isinstance(parsed, dict):
                raise GSException(f"GSObject: JSON text must be an object, not {type(parsed).__name__}")
            self.update(parsed)
            return
        self.update(source)

    # --- dict-style helpers of the other SDKs ------------------------------------

    def put(self, key: str, value: Any) -> None:
        """Set ``key`` to ``value`` (``None`` keeps the key with a null value)."""
        self[key] = value

    def containsKey(self, key: str) -> bool:
        """True when ``key`` is present."""
        return key in self

    def remove(self, key: str) -> None:
        """Remove ``key`` if present."""
        self.pop(key, None)

    def getKeys(self) -> List[str]:
        """The keys, in insertion order."""
        return list(self.keys())

    def clone(self) -> GSObject:
        """A deep copy (through JSON for plain data, so nothing is shared)."""
        return GSObject(json.loads(json.dumps(self)))

    def toJsonString(self) -> str:
        """Compact JSON text of this object (non-ASCII characters kept)."""
        return json.dumps(self, separators=(",", ":"), ensure_ascii=False, default=str)

    def __str__(self) -> str:
        return self.toJsonString()

    # --- typed getters ---------------------------------------------------------

    def _lookup(self, key: str, default: Any) -> Any:
        if key in self:
            return self[key]
        if default is _MISSING:
            raise GSKeyNotFoundException(key)
        return default

    def _fail(self, key: str, value: Any, kind: str) -> GSException:
        return GSException(f"GSObject: value of key {key!r} is a {type(value).__name__}, not convertible to {kind}")

    def _converted(self, key: str, default: Any, convert: Callable[[Any], Any], kind: str) -> Any:
        """The typed getters' common steps: missing key -> default (or raise), None -> default."""
        value = self._lookup(key, default)
        if key not in self:
            return value
        if value is None and default is not _MISSING:
            return default
        result = convert(value)
        if result is _MISSING:
            raise self._fail(key, value, kind)
        return result

    @overload
    def getString(self, key: str) -> str | None: ...
    @overload
    def getString(self, key: str, defaultValue: _T) -> Union[str, None, _T]: ...
    def getString(self, key: str, defaultValue: Any = _MISSING) -> Any:
        """The value as text: str as is, numbers and booleans (``true``/``false``) as on the wire, objects as JSON."""
        value = self._lookup(key, defaultValue)
        if key not in self or value is None or isinstance(value, str):
            return value
        try:
            return serialize_value(value)
        except (TypeError, ValueError):
            return str(value)

    @overload
    def getInt(self, key: str) -> int: ...
    @overload
    def getInt(self, key: str, defaultValue: _T) -> Union[int, _T]: ...
    def getInt(self, key: str, defaultValue: Any = _MISSING) -> Any:
        """The value as an ``int`` (ints, integral floats and decimal strings convert)."""
        return self._converted(key, defaultValue, _to_int, "int")

    @overload
    def getLong(self, key: str) -> int: ...
    @overload
    def getLong(self, key: str, defaultValue: _T) -> Union[int, _T]: ...
    def getLong(self, key: str, defaultValue: Any = _MISSING) -> Any:
        """Same as :meth:`getInt` (Python ints are unbounded)."""
        return self.getInt(key, defaultValue)

    @overload
    def getDouble(self, key: str) -> float: ...
    @overload
    def getDouble(self, key: str, defaultValue: _T) -> Union[float, _T]: ...
    def getDouble(self, key: str, defaultValue: Any = _MISSING) -> Any:
        """The value as a ``float`` (numbers and numeric strings convert)."""
        return self._converted(key, defaultValue, _to_float, "float")

    @overload
    def getBool(self, key: str) -> bool: ...
    @overload
    def getBool(self, key: str, defaultValue: _T) -> Union[bool, _T]: ...
    def getBool(self, key: str, defaultValue: Any = _MISSING) -> Any:
        """The value as a ``bool`` (``true``/``false``/``1``/``0`` strings and 0/1 convert)."""
        return self._converted(key, defaultValue, _to_bool, "bool")

    def getObject(self, key: str, defaultValue: Any = _MISSING) -> Any:
        """The value as stored (nested objects as :class:`GSObject`)."""
        return _wrap(self._lookup(key, defaultValue))

    @overload
    def getArray(self, key: str) -> List[Any] | None: ...
    @overload
    def getArray(self, key: str, defaultValue: _T) -> Union[List[Any], None, _T]: ...
    def getArray(self, key: str, defaultValue: Any = _MISSING) -> Any:
        """The value as a list (its objects as :class:`GSObject`)."""
        value = self._lookup(key, defaultValue)
        if key not in self or value is None:
            return value
        if isinstance(value, (list, tuple)):
            return [_wrap(item) for item in value]
        raise self._fail(key, value, "array")
