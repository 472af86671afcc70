"""Imports point down only: the kernels (compiled and pure) and the modules shared below the
features (_jose, _jsondepth, _secret_names) pull in no feature package, and the compiled webhook
modules no client or CLI. Each module is imported alone, in a fresh process, and the gigya_fast modules
it brought in are listed."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import List, Tuple

import pytest

import gigya_fast

PACKAGE_PARENT = str(Path(gigya_fast.__file__).resolve().parent.parent)
FEATURES = (
    "gigya_fast.webhooks",
    "gigya_fast.rest",
    "gigya_fast.cli",
    "gigya_fast.jwt",
    "gigya_fast.testing",
    "gigya_fast._gssdk",
    "gigya_fast.GSSDK",
)
ABOVE_WEBHOOKS = ("gigya_fast.rest", "gigya_fast.cli", "gigya_fast.testing", "gigya_fast._gssdk", "gigya_fast.GSSDK")

KERNELS_C = [
    "gigya_fast._signing_c",
    "gigya_fast._signing_batch_c",
    "gigya_fast._serialize_c",
    "gigya_fast._checks_c",
    "gigya_fast._envelope_c",
    "gigya_fast._testhooks_c",
]
KERNELS_PY = [
    "gigya_fast._signing_py",
    "gigya_fast._serialize_py",
    "gigya_fast._checks_py",
    "gigya_fast._signing",
    "gigya_fast._envelope_py",
    "gigya_fast._envelope",
]
WEBHOOKS_C = ["gigya_fast.webhooks._batch_c", "gigya_fast.webhooks._notification_c"]
# Shared below the features: the JWT verifier, the client's JWT auth, the webhooks and the
# test server all import _jose, which bounds JSON depth with _jsondepth (as webhooks._body does);
# the drop-in's trace and the test server's request log take the secret names from _secret_names.
SHARED = ["gigya_fast._jose", "gigya_fast._jsondepth", "gigya_fast._secret_names"]


def _imported_by(module: str) -> List[str]:
    env = dict(os.environ, PYTHONPATH=PACKAGE_PARENT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    env.pop("GIGYA_FAST_NO_EXTENSIONS", None)
    code = (
        "import importlib, json, sys\n"
        f"importlib.import_module({module!r})\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('gigya_fast'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60, check=True)
    loaded: List[str] = json.loads(out.stdout)
    assert module in loaded
    return loaded


def _below(loaded: List[str], forbidden: Tuple[str, ...]) -> List[str]:
    """The modules of *loaded* that are, or are inside, one of *forbidden*."""
    return [m for m in loaded if any(m == f or m.startswith(f + ".") for f in forbidden)]


def _require_built(module: str) -> None:
    if importlib.util.find_spec(module) is None:
        if module == "gigya_fast._testhooks_c":
            pytest.skip("the test hooks were left out of this build (GIGYA_FAST_NO_TEST_HOOKS=1)")
        raise AssertionError(f"{module} is not built")


@pytest.mark.c_extension
@pytest.mark.parametrize("module", KERNELS_C)
def test_compiled_kernels_import_no_feature(module: str) -> None:
    _require_built(module)
    assert _below(_imported_by(module), FEATURES) == []


@pytest.mark.parametrize("module", KERNELS_PY)
def test_pure_kernels_import_no_feature(module: str) -> None:
    assert _below(_imported_by(module), FEATURES) == []


@pytest.mark.parametrize("module", SHARED)
def test_shared_modules_import_no_feature(module: str) -> None:
    assert _below(_imported_by(module), FEATURES) == []


@pytest.mark.c_extension
@pytest.mark.parametrize("module", WEBHOOKS_C)
def test_compiled_webhook_modules_import_no_client_or_cli(module: str) -> None:
    _require_built(module)
    loaded = _imported_by(module)
    assert _below(loaded, ABOVE_WEBHOOKS) == []
    assert "gigya_fast._signing_c" in loaded or module.endswith("_notification_c")
