"""Shared fixtures: every kernel test runs over both implementations."""

from __future__ import annotations

import importlib
from types import ModuleType, SimpleNamespace

import pytest

from gigya_fast._env import no_extensions

IMPLEMENTATIONS = ["python", "cython"]


def _load(name: str) -> ModuleType:
    if name == "python":
        return importlib.import_module("gigya_fast._signing_py")
    if no_extensions():
        pytest.skip("GIGYA_FAST_NO_EXTENSIONS is set: compiled kernels deliberately not tested")
    # Not skipped when missing: a build that silently lost its extension must fail.
    return importlib.import_module("gigya_fast._signing_c")


@pytest.fixture(params=IMPLEMENTATIONS)
def kernels(request: pytest.FixtureRequest) -> ModuleType:
    """The signing kernels module: pure Python, then compiled."""
    return _load(request.param)


@pytest.fixture
def pure_kernels() -> ModuleType:
    """The pure-Python kernels (the reference)."""
    return _load("python")


@pytest.fixture
def c_kernels() -> ModuleType:
    """The compiled kernels; fails if they should be present but are not."""
    return _load("cython")


@pytest.fixture(params=IMPLEMENTATIONS)
def webhook_kernels(request: pytest.FixtureRequest) -> SimpleNamespace:
    """The webhook batch kernel, the Notification class it builds and its Signer: pure, then compiled."""
    module = _load(request.param)
    if request.param == "python":
        from gigya_fast.webhooks import _batch_py, _notification_py

        return SimpleNamespace(
            name="python",
            Signer=module.Signer,
            verify_webhook_batch=_batch_py.verify_webhook_batch,
            Notification=_notification_py.Notification,
        )
    return SimpleNamespace(
        name="cython",
        Signer=module.Signer,
        verify_webhook_batch=module.verify_webhook_batch,
        Notification=module.Notification,
    )
