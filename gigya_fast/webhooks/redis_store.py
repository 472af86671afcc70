"""Redis-backed dedupe store (``redis`` extra), shared by every verifier
instance that points at the same Redis.

Each id is claimed with one atomic ``SET <prefix><id> 1 NX EX <ttl>``: the
first instance to see an event id wins, every later delivery of it (to any
instance) is a duplicate until the key expires.

When Redis cannot answer (down, timed out, refusing commands) every method
raises :class:`~gigya_fast.errors.DedupeStoreError`: deduplication fails
closed, no event is handed out as new (and the WSGI/ASGI helpers answer 500,
so that CDC redelivers once Redis is back).
"""

from __future__ import annotations

import logging
import math
from typing import Any, Callable, Iterable, List, Sequence, Tuple, Type, TypeVar

from ..errors import DedupeStoreError, MissingDependencyError
from .dedupe import DEFAULT_DEDUPE_TTL, DedupeStore, _check_ttl

__all__ = ["RedisDedupeStore"]

logger = logging.getLogger(__name__)

R = TypeVar("R")
_CLIENT_METHODS = ("set", "pipeline", "delete")


def _redis_module() -> Any:
    try:
        import redis
    except ImportError:  # pragma: no cover - depends on the environment
        raise MissingDependencyError(
            "RedisDedupeStore needs the 'redis' extra: pip install 'gigya_fast[redis]'"
        ) from None
    return redis


def _store_errors() -> Tuple[Type[BaseException], ...]:
    """The exceptions that mean "the store could not answer": redis's own (when installed) and OSError."""
    try:
        from redis.exceptions import RedisError
    except ImportError:  # a compatible client without redis-py: its socket errors
        return (OSError,)
    return (RedisError, OSError)


class RedisDedupeStore(DedupeStore):
    """Dedupe store in Redis.

    :param client: a ``redis.Redis`` (or compatible: ``set``, ``pipeline``,
        ``delete``) client, or a ``redis://``/``rediss://``/``unix://`` URL
        (read by ``redis.Redis.from_url``, so needs the ``redis`` extra).
    :param url: the URL as a keyword, instead of *client*.
    :param ttl: seconds an id is remembered (rounded up to whole seconds).
    :param prefix: prepended to every key, to share a Redis with other data.

    Anything else is refused here: ``TypeError`` for an object that is not a
    client, ``ValueError`` for a URL redis does not accept.
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
        if isinstance(client, str):
            client, url = None, client
        if url is not None:
            if not isinstance(url, str):
                raise TypeError("url must be str")
            try:
                client = _redis_module().Redis.from_url(url)
            except ValueError:  # redis's message may repeat the URL, and a URL may hold a password
                raise ValueError(
                    "url is not a Redis URL (redis://, rediss:// or unix://host[:port][/db])"
                ) from None
        missing = [name for name in _CLIENT_METHODS if not callable(getattr(client, name, None))]
        if missing:
            raise TypeError(
                f"client must be a redis.Redis (or compatible) client or a Redis URL, not {type(client).__name__}"
            )
        self._client = client
        self._ttl = max(1, math.ceil(_check_ttl(ttl)))
        self._prefix = prefix
        self._errors = _store_errors()

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

    def _ask(self, what: str, call: Callable[[], R]) -> R:
        """Run one Redis round trip; its failures become DedupeStoreError (fail closed)."""
        try:
            return call()
        except self._errors as exc:
            logger.warning("Redis dedupe store could not %s (%s): failing closed", what, type(exc).__name__)
            raise DedupeStoreError(
                f"dedupe store unavailable ({type(exc).__name__}): no event was handed out as new"
            ) from exc

    def add(self, key: str) -> bool:
        """``SET key 1 NX EX ttl``: True when this call created the key."""
        name = self._key(key)
        return bool(self._ask("claim an event id", lambda: self._client.set(name, b"1", nx=True, ex=self._ttl)))

    def add_many(self, keys: Sequence[str]) -> List[bool]:
        """One pipelined round trip of ``SET NX EX`` (each one atomic on its own)."""
        names = [self._key(key) for key in keys]
        if not names:
            return []

        def claim() -> List[Any]:
            pipe = self._client.pipeline(transaction=False)
            for name in names:
                pipe.set(name, b"1", nx=True, ex=self._ttl)
            return list(pipe.execute())

        return [bool(result) for result in self._ask("claim event ids", claim)]

    def discard(self, key: str) -> None:
        """``DEL key``."""
        name = self._key(key)
        self._ask("forget an event id", lambda: self._client.delete(name))

    def discard_many(self, keys: Iterable[str]) -> None:
        """One ``DEL`` for all *keys*."""
        names = [self._key(key) for key in keys]
        if names:
            self._ask("forget event ids", lambda: self._client.delete(*names))
