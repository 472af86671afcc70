"""Type stub of the compiled Notification: the same API as ``_notification_py``."""

from typing import Any, Dict, FrozenSet, Iterable, Mapping, Optional, Tuple

from .._checks_py import Number

__all__ = ["Notification"]

class Notification:
    body: bytes
    headers: Mapping[str, str]
    _ctx: Tuple[FrozenSet[str], Any]
    _data: Optional[Dict[str, Any]]
    _timestamp: Optional[Number]
    _events: Optional[Tuple[Any, ...]]
    _new_events: Optional[Tuple[Any, ...]]
    _guard: Any
    def __init__(self, body: bytes, headers: Mapping[str, str], ctx: Tuple[FrozenSet[str], Any]) -> None: ...
    @classmethod
    def create(
        cls,
        body: bytes,
        headers: Optional[Mapping[str, str]] = None,
        *,
        verified_by: Iterable[str] = (),
        dedupe: Any = None,
        data: Optional[Dict[str, Any]] = None,
        timestamp: Optional[Number] = None,
    ) -> Notification: ...
    @property
    def verified_by(self) -> FrozenSet[str]: ...
    @property
    def data(self) -> Dict[str, Any]: ...
    @property
    def nonce(self) -> str: ...
    @property
    def timestamp(self) -> Number: ...
    @property
    def events(self) -> Tuple[Any, ...]: ...
    def claim_new_events(self) -> Tuple[Any, ...]: ...
    @property
    def new_events(self) -> Tuple[Any, ...]: ...
    @property
    def duplicate_count(self) -> int: ...
    def release(self) -> None: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def __eq__(self, other: object) -> bool: ...
    def __reduce__(self) -> Tuple[Any, Tuple[Any, ...]]: ...
    __hash__: None  # type: ignore[assignment]
