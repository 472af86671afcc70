"""Fixtures for the REST client tests: local CDC servers (plain, TLS, mTLS)
shared per session and reset before each test, fast retry policies, keys."""

from __future__ import annotations

import asyncio
from typing import Any, Callable, Iterator, List, Tuple

import pytest

from gigya_fast.rest import RetryPolicy

FAST = RetryPolicy(3, backoff=0.005, backoff_max=0.02, max_elapsed=5.0)


def _reset(cdc: Any) -> Any:
    cdc.faults.clear()
    cdc.clear_requests()
    cdc.clock_offset = 0.0
    return cdc


@pytest.fixture(scope="session")
def _cdc_http() -> Iterator[Any]:
    from gigya_fast.testing import LocalCDC

    with LocalCDC(seed_accounts=25) as cdc:
        yield cdc


@pytest.fixture(scope="session")
def _cdc_tls() -> Iterator[Any]:
    from gigya_fast.testing import LocalCDC

    with LocalCDC(tls=True, seed_accounts=5) as cdc:
        yield cdc


@pytest.fixture(scope="session")
def _cdc_mtls() -> Iterator[Any]:
    from gigya_fast.testing import LocalCDC

    with LocalCDC(mtls=True) as cdc:
        yield cdc


@pytest.fixture
def cdc(_cdc_http: Any) -> Any:
    """A plain-HTTP LocalCDC (25 seeded accounts), faults and request log cleared."""
    return _reset(_cdc_http)


@pytest.fixture
def cdc_tls(_cdc_tls: Any) -> Any:
    """An HTTPS LocalCDC with its own throwaway CA (``ca_path``)."""
    return _reset(_cdc_tls)


@pytest.fixture
def cdc_mtls(_cdc_mtls: Any) -> Any:
    """An HTTPS LocalCDC that accepts client certificates."""
    return _reset(_cdc_mtls)


@pytest.fixture
def fast_retries() -> RetryPolicy:
    """Three retries with millisecond backoff."""
    return FAST


@pytest.fixture(scope="session")
def rsa_pems() -> Tuple[bytes, bytes, bytes]:
    """(PKCS#1 private PEM, PKCS#8 private PEM, public PEM) of one RSA key."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pkcs1 = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    )
    pkcs8 = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return pkcs1, pkcs8, public


# --- one test body, both clients ---------------------------------------------------


def _async_available() -> bool:
    try:
        import gigya_fast.aio  # noqa: F401
    except ImportError:
        return False
    return True


#: The client kinds every shared wire test runs against (async only with the ``aio`` extra).
CLIENT_KINDS = ["sync", "async"] if _async_available() else ["sync"]


class AsyncFacade:
    """Drives an ``AsyncClient`` from a sync test body on a private event loop.

    ``call``, ``call_many`` (``max_workers`` is passed as ``concurrency``),
    ``search``/``search_pages`` (iterated page by page) and ``close`` block
    until the loop has run them; everything else is the client's own.
    """

    def __init__(self, client: Any, loop: asyncio.AbstractEventLoop) -> None:
        self.client = client
        self._loop = loop

    def _run(self, awaitable: Any) -> Any:
        return self._loop.run_until_complete(awaitable)

    def call(self, *args: Any, **kwargs: Any) -> Any:
        return self._run(self.client.call(*args, **kwargs))

    def call_many(self, calls: Any, *, max_workers: int = 8, **kwargs: Any) -> Any:
        return self._run(self.client.call_many(calls, concurrency=max_workers, **kwargs))

    def _pages(self, iterator: Any) -> Iterator[Any]:
        try:
            while True:
                try:
                    yield self._run(iterator.__anext__())
                except StopAsyncIteration:
                    return
        finally:
            self._run(iterator.aclose())

    def search(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
        return self._pages(self.client.search(*args, **kwargs))

    def search_pages(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
        return self._pages(self.client.search_pages(*args, **kwargs))

    def close(self) -> None:
        self._run(self.client.aclose())

    def __enter__(self) -> AsyncFacade:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.client, name)

    def __repr__(self) -> str:
        return repr(self.client)


@pytest.fixture(params=CLIENT_KINDS)
def client_kind(request: pytest.FixtureRequest) -> str:
    """``"sync"`` (``Client``), then ``"async"`` (``AsyncClient`` through :class:`AsyncFacade`)."""
    return str(request.param)


@pytest.fixture
def make_client(client_kind: str) -> Iterator[Callable[..., Any]]:
    """Builds a client of the current kind from ``Client``'s arguments; closes what it built."""
    built: List[Any] = []
    loop = asyncio.new_event_loop() if client_kind == "async" else None

    def make(*args: Any, **kwargs: Any) -> Any:
        if loop is None:
            from gigya_fast.rest import Client

            client: Any = Client(*args, **kwargs)
        else:
            from gigya_fast.aio import AsyncClient

            kwargs.pop("pool_maxsize", None)  # the async pool has its own default size
            client = AsyncFacade(AsyncClient(*args, **kwargs), loop)
        built.append(client)
        return client

    yield make
    for client in built:
        client.close()
    if loop is not None:
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()
