"""Fixtures: real LocalCDC servers on 127.0.0.1, started and stopped per test."""

from __future__ import annotations

from typing import Iterator

import pytest

from gigya_fast.testing import LocalCDC

from ..client.conftest import client_kind, make_client
from ._browser import STYLE_IDS, STYLES, Browser
from ._wire import Sender

# The both-clients parametrisation of the client wire tests (Client, then AsyncClient).
__all__ = ["client_kind", "make_client"]


@pytest.fixture
def cdc() -> Iterator[LocalCDC]:
    """A plain-HTTP server with five seeded accounts."""
    with LocalCDC(seed_accounts=5, webhook_retry_delays=(0.02, 0.05), webhook_timeout=2.0) as server:
        yield server


@pytest.fixture(params=STYLES, ids=STYLE_IDS)
def browser(request: pytest.FixtureRequest, cdc: LocalCDC) -> Browser:
    """A raw client-side caller for ``cdc``: form POST or GET, the API key spelled apiKey, ApiKey or APIKey."""
    verb, key_name = request.param
    return Browser(cdc, verb, key_name)


@pytest.fixture
def sender(cdc: LocalCDC) -> Sender:
    """A keep-alive client for ``cdc``."""
    return Sender(cdc)


@pytest.fixture
def tls_cdc() -> Iterator[LocalCDC]:
    """An HTTPS server with a throwaway CA."""
    pytest.importorskip("trustme")
    with LocalCDC(tls=True, seed_accounts=2) as server:
        yield server


@pytest.fixture
def mtls_cdc() -> Iterator[LocalCDC]:
    """An HTTPS server that also accepts client certificates."""
    pytest.importorskip("trustme")
    with LocalCDC(mtls=True, seed_accounts=2) as server:
        yield server
