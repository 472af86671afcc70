"""pytest fixtures for testing your CDC code against :class:`~gigya_fast.testing.LocalCDC`.

Loaded automatically through the ``pytest11`` entry point ``gigya_fast`` once
gigya_fast is installed (``-p no:gigya_fast`` turns it off); HTTPS needs the
``testing`` extra (``pip install 'gigya_fast[testing]'``). Nothing is started
until a test asks for a fixture, and nothing beyond the standard library and
gigya_fast is imported before that.

``local_cdc``
    A plain-HTTP server shared by the whole test session and **reset before
    each test** (:meth:`LocalCDC.reset`): every test starts with no accounts,
    no sessions, an empty outbox, request log and fault plan, the same URL and
    credentials, without the cost of a new server. A test marked
    ``@pytest.mark.local_cdc(**kwargs)`` gets a server of its own instead,
    made with those ``LocalCDC`` arguments and stopped after the test.
``local_cdc_tls``
    The same over HTTPS with a throwaway CA (trust ``local_cdc_tls.ca_path``).
``cdc_client``
    A :class:`gigya_fast.rest.Client` bound to ``local_cdc``, signing with its
    user key and secret; closed after the test.
``local_cdc_factory``
    ``local_cdc_factory(**kwargs)`` starts a dedicated server (any ``LocalCDC``
    arguments); every one it started is stopped after the test.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Iterator, List

import pytest

if TYPE_CHECKING:
    from ..rest import Client
    from .server import LocalCDC

__all__ = ["local_cdc", "local_cdc_tls", "cdc_client", "local_cdc_factory", "pytest_configure"]

_MARKER = "local_cdc"
_TLS_HINT = "local_cdc_tls needs the testing extra for its throwaway CA: pip install 'gigya_fast[testing]'"


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``local_cdc`` marker (so ``--strict-markers`` accepts it)."""
    config.addinivalue_line(
        "markers", f"{_MARKER}(**kwargs): give this test a LocalCDC of its own, made with these arguments"
    )


def _start(**kwargs: Any) -> LocalCDC:
    from .server import LocalCDC

    return LocalCDC(**kwargs).start()


@pytest.fixture(scope="session")
def _local_cdc_http_server() -> Iterator[LocalCDC]:
    cdc = _start()
    yield cdc
    cdc.stop()


@pytest.fixture(scope="session")
def _local_cdc_tls_server() -> Iterator[LocalCDC]:
    import importlib.util

    if importlib.util.find_spec("trustme") is None:
        pytest.fail(_TLS_HINT, pytrace=False)
    cdc = _start(tls=True)
    yield cdc
    cdc.stop()


@pytest.fixture
def local_cdc(request: pytest.FixtureRequest) -> Iterator[LocalCDC]:
    """The shared plain-HTTP LocalCDC, reset for this test (or a dedicated one for ``@pytest.mark.local_cdc``)."""
    marker = request.node.get_closest_marker(_MARKER)
    if marker is None:
        shared: LocalCDC = request.getfixturevalue("_local_cdc_http_server")
        shared.reset()
        yield shared
        return
    if marker.args:
        pytest.fail("@pytest.mark.local_cdc takes LocalCDC keyword arguments only", pytrace=False)
    own = _start(**marker.kwargs)
    try:
        yield own
    finally:
        own.stop()


@pytest.fixture
def local_cdc_tls(_local_cdc_tls_server: LocalCDC) -> LocalCDC:
    """The shared HTTPS LocalCDC (throwaway CA at ``.ca_path``), reset for this test."""
    _local_cdc_tls_server.reset()
    return _local_cdc_tls_server


@pytest.fixture
def cdc_client(local_cdc: LocalCDC) -> Iterator[Client]:
    """A pooled ``Client`` bound to ``local_cdc``, signing with its user key; closed after the test."""
    from ..rest import Client

    with Client(
        local_cdc.api_key,
        user_key=local_cdc.user_key,
        secret=local_cdc.user_secret,
        base_url=local_cdc.url,
        ca_certs=local_cdc.ca_path,
        trust_env=False,  # LocalCDC is on 127.0.0.1: never through the user's HTTPS_PROXY
    ) as client:
        yield client


@pytest.fixture
def local_cdc_factory() -> Iterator[Callable[..., LocalCDC]]:
    """``local_cdc_factory(**kwargs)`` -> a started LocalCDC of the test's own; all stopped afterwards."""
    started: List[LocalCDC] = []

    def start(**kwargs: Any) -> LocalCDC:
        cdc = _start(**kwargs)
        started.append(cdc)
        return cdc

    yield start
    for cdc in started:
        cdc.stop()
