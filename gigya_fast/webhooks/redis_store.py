"""Redis-backed dedupe store (``redis`` extra), shared by every verifier
instance that points at the same Redis.

Each id is claimed with one atomic ``SET <prefix><id> 1 NX EX <ttl>``: the
first instance to see an event id wins, every later delivery of it (to any
instance) is a duplicate until the key expires.
"""

from __future__ import annotations

import logging
import math
from typing import Any, Iterable, List, Sequence

from ..errors import MissingDependencyError
from .dedupe import DEFAULT_DEDUPE_TTL, DedupeStore, _check_ttl

__all__ = ["RedisDedupeStore"]

logger = logging.getLogger(__name__)


def _redis_from_url(url: str) -> Any:
    try:
        import redis
    except ImportError:  # pragma: no cover - depends on the environment
        raise MissingDependencyError(
            "RedisDedupeStore needs the 'redis' extra: pip install 'gigya_fast[redis]'"
        ) from None
    return redis.Redis.from_url(url)


class RedisDedupeStore(DedupeStore):
    """Dedupe store in Redis.

    :param client: a ``redis.Redis`` (or compatible) client; or give *url*.
    :param url: ``redis://host:port/db`` to build a client (needs ``redis``).
    :param ttl: seconds an id is remembered (rounded up to whole seconds).
    :param prefix: prepended to every key, to share a Redis with other data.
    """

    def __init__(
        self,
        client: Any = None,
        *,
        url: str | None = None,
        ttl: float = DEFAULT_DEDUPE_TTL,
        prefix: str = "gigya_fast:webhook:",
    ) -> None:
        if (client is None) == (url is None):
            raise ValueError("give exactly one of client or url")
        if not isinstance(prefix, str):
            raise TypeError("prefix must be str")
        self._client = client if client is not None else _redis_from_url(url)  # type: ignore[arg-type]
        self._ttl = max(1, math.ceil(_check_ttl(ttl)))
        self._prefix = prefix

    @property
    def ttl(self) -> int:
        """Seconds an id is remembered."""
        return self._ttl

    @property
    def prefix(self) -> str:
        """The key prefix."""
        return self._prefix

    def __repr__(self) -> str:
        return f"<RedisDedupeStore prefix={self._prefix!r} ttl={self._ttl}>"

    def _key(self, key: str) -> str:
        if not isinstance(key, str):
            raise TypeError("dedupe keys must be str")
        return self._prefix + key

    def add(self, key: str) -> bool:
        """``SET key 1 NX EX ttl``: True when this call created the key."""
        return bool(self._client.set(self._key(key), b"1", nx=True, ex=self._ttl))

    def add_many(self, keys: Sequence[str]) -> List[bool]:
        """One pipelined round trip of ``SET NX EX`` (each one atomic on its own)."""
        names = [self._key(key) for key in keys]
        if not names:
            return []
        pipe = self._client.pipeline(transaction=False)
        for name in names:
            pipe.set(name, b"1", nx=True, ex=self._ttl)
        return [bool(result) for result in pipe.execute()]

    def discard(self, key: str) -> None:
        """``DEL key``."""
        self._client.delete(self._key(key))

    def discard_many(self, keys: Iterable[str]) -> None:
        """One ``DEL`` for all *keys*."""
        names = [self._key(key) for key in keys]
        if names:
            self._client.delete(*names)
