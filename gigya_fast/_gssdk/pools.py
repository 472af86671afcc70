"""Process-wide cache of pooled :class:`gigya_fast.rest.Client` objects, one per configuration.

The original GSSDK.py opened a new TLS connection per request and installed a
process-global ``urllib`` opener each time (slow, and not thread-safe). Here
every ``GSRequest.send()`` borrows the ``Client`` built for its configuration
(API key, credentials, API domain or base URL, proxy, CA file, client
certificate): the first send builds it, later sends - from any thread - reuse
its connection pool. The cache is a lock-protected LRU of
:data:`MAX_CLIENTS` entries; an evicted client is simply dropped (requests in
flight on it finish normally) and its pool is released when it is collected.

``GSRequest.caCertsPath`` (the original's process-wide ``setCACertsPath``)
is read at each send and is part of every configuration key. A forked child
(gunicorn, multiprocessing) starts with an empty cache: connections are never
shared across processes.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Union

if TYPE_CHECKING:
    from ..rest import Client

__all__ = [
    "ClientConfig",
    "MAX_CLIENTS",
    "POOL_MAXSIZE",
    "get_client",
    "clear",
    "cached_count",
]

#: Most clients kept at once (distinct configurations beyond this evict the least recently used).
MAX_CLIENTS = 64
#: Idle keep-alive connections each client keeps per host (threads beyond this still work, on extra connections).
POOL_MAXSIZE = 32

PemOrPath = Union[str, bytes]


@dataclass(frozen=True)
class ClientConfig:
    """Everything that selects a pooled client; secrets are kept out of ``repr()``."""

    api_key: str | None
    secret: str | None = field(default=None, repr=False)
    user_key: str | None = None
    access_token: str | None = field(default=None, repr=False)
    api_domain: str | None = None
    base_url: str | None = None
    proxy_url: str | None = field(default=None, repr=False)  # may hold proxy credentials
    ca_certs: Union[str, os.PathLike[str], None] = None
    client_cert: PemOrPath | None = field(default=None, repr=False)
    client_key: PemOrPath | None = field(default=None, repr=False)


_lock = threading.Lock()
_clients: OrderedDict[ClientConfig, Client] = OrderedDict()


def _forget_after_fork() -> None:
    """In a forked child, start with no clients (their sockets belong to the parent) and a fresh lock."""
    global _lock, _clients
    _lock = threading.Lock()
    _clients = OrderedDict()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_after_fork)


def _build(config: ClientConfig) -> Client:
    from ..rest import Client

    # The proxy comes from the drop-in (setProxy or the environment, read the way urllib
    # read it) and the CA bundle from GSRequest.caCertsPath, as in the original: the client
    # must not add its own from the environment (trust_env=False).
    return Client(
        config.api_key,
        secret=config.secret,
        user_key=config.user_key,
        access_token=config.access_token,
        client_cert=config.client_cert,
        client_key=config.client_key,
        data_center=config.api_domain or "us1",
        base_url=config.base_url,
        proxy_url=config.proxy_url,
        ca_certs=config.ca_certs,
        pool_maxsize=POOL_MAXSIZE,
        trust_env=False,
    )


def get_client(config: ClientConfig) -> Client:
    """The shared client for *config*, built on first use (thread-safe)."""
    with _lock:
        client = _clients.get(config)
        if client is not None:
            _clients.move_to_end(config)
            return client
    # Build outside the lock (it may read certificate files); the first one stored wins.
    built = _build(config)
    with _lock:
        client = _clients.setdefault(config, built)
        _clients.move_to_end(config)
        while len(_clients) > MAX_CLIENTS:
            _clients.popitem(last=False)
    if client is not built:
        _close_quietly(built)
    return client


def _close_quietly(client: Client) -> None:
    close = getattr(client, "close", None)
    if callable(close):
        with contextlib.suppress(Exception):  # closing a spare client must not mask the caller's request
            close()


def clear() -> None:
    """Drop (and close) every cached client, e.g. between tests or before forking."""
    with _lock:
        clients = list(_clients.values())
        _clients.clear()
    for client in clients:
        _close_quietly(client)


def cached_count() -> int:
    """How many clients are cached."""
    with _lock:
        return len(_clients)
