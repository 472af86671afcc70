"""Fixtures for the REST client tests: local CDC servers (plain, TLS, mTLS)
shared per session and reset before each test, fast retry policies, keys."""

from __future__ import annotations

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

#: The client kinds every shared wire test runs against.
CLIENT_KINDS = ["sync"]


@pytest.fixture(params=CLIENT_KINDS)
def client_kind(request: pytest.FixtureRequest) -> str:
    """``"sync"`` (``Client``), then ``"async"`` (``AsyncClient`` driven through a sync-looking facade)."""
    return str(request.param)


@pytest.fixture
def make_client(client_kind: str) -> Iterator[Callable[..., Any]]:
    """Builds a client of the current kind with ``Client``'s arguments; closes what it built.

    The async kind is wrapped so that the same test body drives it: ``call``,
    ``call_many`` (``max_workers`` becomes ``concurrency``), ``search`` and
    ``search_pages`` block on a private event loop.
    """
    built: List[Any] = []

    def make(*args: Any, **kwargs: Any) -> Any:
        from gigya_fast.rest import Client

        client = Client(*args, **kwargs)
        built.append(client)
        return client

    yield make
    for client in built:
        client.close()
