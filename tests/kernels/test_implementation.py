"""Which implementation is loaded, and the GIGYA_FAST_NO_EXTENSIONS switch.

A build that silently lost its compiled kernels must fail here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

import gigya_fast
from gigya_fast import _signing, _signing_py
from gigya_fast._env import no_extensions

# The directory holding the gigya_fast package, so a subprocess imports the same code.
PACKAGE_PARENT = str(Path(gigya_fast.__file__).resolve().parent.parent)


def _implementation_in_subprocess(value: str | None) -> str:
    env = dict(os.environ)
    env.pop("GIGYA_FAST_NO_EXTENSIONS", None)
    if value is not None:
        env["GIGYA_FAST_NO_EXTENSIONS"] = value
    env["PYTHONPATH"] = PACKAGE_PARENT + os.pathsep + env.get("PYTHONPATH", "")
    out = subprocess.run(
        [sys.executable, "-c", "import gigya_fast; print(gigya_fast.IMPLEMENTATION)"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return out.stdout.strip()


def test_compiled_loaded_unless_disabled() -> None:
    if no_extensions():
        assert gigya_fast.IMPLEMENTATION == "python"
    else:
        assert gigya_fast.IMPLEMENTATION == "cython", "compiled kernels should be loaded but are not"


def test_kernel_info_agrees() -> None:
    assert gigya_fast.kernel_info()["implementation"] == gigya_fast.IMPLEMENTATION
    assert _signing.IMPLEMENTATION == gigya_fast.IMPLEMENTATION


def test_pure_twin_name() -> None:
    assert _signing_py.IMPLEMENTATION == "python"
    assert _signing_py.kernel_info()["implementation"] == "python"


@pytest.mark.c_extension
def test_compiled_twin_name(c_kernels: ModuleType) -> None:
    assert c_kernels.IMPLEMENTATION == "cython"
    info = c_kernels.kernel_info()
    assert info["implementation"] == "cython"
    assert info["sha1"]


@pytest.mark.c_extension
def test_same_public_names(pure_kernels: ModuleType, c_kernels: ModuleType) -> None:
    assert sorted(c_kernels.__all__) == sorted(pure_kernels.__all__)
    for name in pure_kernels.__all__:
        assert hasattr(c_kernels, name), name
        assert callable(getattr(c_kernels, name)) == callable(getattr(pure_kernels, name)), name


def test_selector_exports_every_kernel() -> None:
    for name in _signing_py.__all__:
        assert getattr(_signing, name) is not None, name


@pytest.mark.parametrize("value", ["1", "true", "yes", "on", "TRUE", " 1 "])
def test_env_switch_forces_pure(value: str) -> None:
    assert _implementation_in_subprocess(value) == "python"


@pytest.mark.c_extension
@pytest.mark.parametrize("value", [None, "", "0", "false", "no"])
def test_env_switch_off_keeps_compiled(value: str | None) -> None:
    if no_extensions():
        pytest.skip("GIGYA_FAST_NO_EXTENSIONS is set: compiled kernels deliberately not tested")
    assert _implementation_in_subprocess(value) == "cython"
