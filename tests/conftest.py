"""Shared fixtures: every kernel test runs over both implementations.

The implementations are decided at collection: under ``GIGYA_FAST_NO_EXTENSIONS=1``
the compiled parameter is not collected at all, and the tests marked
``c_extension`` (compiled only) are deselected. Otherwise a missing extension fails
the tests (a build that silently lost it must not pass).
"""

from __future__ import annotations

import importlib
from types import ModuleType, SimpleNamespace
from typing import List

import pytest

from gigya_fast._env import no_extensions

IMPLEMENTATIONS = ["python"] if no_extensions() else ["python", "cython"]


def pytest_collection_modifyitems(config: pytest.Config, items: List[pytest.Item]) -> None:
    """Deselect the compiled-only tests in the pure run (they cannot run there)."""
    if not no_extensions():
        return
    compiled_only = [item for item in items if item.get_closest_marker("c_extension")]
    if compiled_only:
        config.hook.pytest_deselected(items=compiled_only)
        items[:] = [item for item in items if not item.get_closest_marker("c_extension")]


def _load(name: str) -> ModuleType:
    if name == "python":
        return importlib.import_module("gigya_fast._signing_py")
    return importlib.import_module("gigya_fast._signing_c")


@pytest.fixture(scope="session", params=IMPLEMENTATIONS)
def kernels(request: pytest.FixtureRequest) -> ModuleType:
    """The signing kernels module: pure Python, then compiled."""
    return _load(request.param)


@pytest.fixture(scope="session")
def pure_kernels() -> ModuleType:
    """The pure-Python kernels (the reference)."""
    return _load("python")


@pytest.fixture(scope="session")
def c_kernels() -> ModuleType:
    """The compiled kernels (tests using this are marked ``c_extension``)."""
    return _load("cython")


@pytest.fixture(scope="session")
def c_hooks() -> ModuleType:
    """The C core's test hooks, an extension module a wheel may leave out."""
    try:
        return importlib.import_module("gigya_fast._testhooks_c")
    except ImportError:
        pytest.skip("gigya_fast._testhooks_c is not built (GIGYA_FAST_NO_TEST_HOOKS=1): no direct access to the C core")


@pytest.fixture(scope="session", params=IMPLEMENTATIONS)
def webhook_kernels(request: pytest.FixtureRequest) -> SimpleNamespace:
    """The webhook batch kernel, the Notification class it builds and its Signer: pure, then compiled."""
    suffix = "py" if request.param == "python" else "c"
    batch = importlib.import_module(f"gigya_fast.webhooks._batch_{suffix}")
    notification = importlib.import_module(f"gigya_fast.webhooks._notification_{suffix}")
    return SimpleNamespace(
        name=request.param,
        Signer=_load(request.param).Signer,
        verify_webhook_batch=batch.verify_webhook_batch,
        Notification=notification.Notification,
    )
