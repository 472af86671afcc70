"""Fixtures for the GSSDK drop-in tests: a LocalCDC per test and a clean client cache."""

from __future__ import annotations

from typing import Iterator

import pytest

from gigya_fast._gssdk import pools
from gigya_fast.testing import LocalCDC


@pytest.fixture(autouse=True)
def _clean_gssdk_state() -> Iterator[None]:
    """Every test starts and ends with no cached clients and the default CA bundle."""
    pools.clear()
    pools.set_ca_certs_path(None)
    yield
    pools.clear()
    pools.set_ca_certs_path(None)


@pytest.fixture
def cdc() -> Iterator[LocalCDC]:
    """A plain-HTTP LocalCDC on 127.0.0.1."""
    with LocalCDC() as server:
        yield server
