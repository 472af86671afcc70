"""setup.py without a working compiler: pure-Python fallback with a banner, or a hard failure.

The quick version of ``scripts/no_compiler_fallback.sh`` (which installs the
sdist into fresh venvs): here ``setup.py build_ext`` runs on a copy of the
tree with ``CC=false``. Skipped when the tests run from an installed wheel
(no setup.py beside them).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
BANNER = "could not be compiled"


def _can_generate_c() -> bool:
    """setup.py needs Cython or the generated C to get as far as the compiler."""
    return importlib.util.find_spec("Cython") is not None or (ROOT / "gigya_fast" / "_signing_c.c").is_file()


pytestmark = [
    pytest.mark.skipif(
        not (ROOT / "setup.py").is_file() or not (ROOT / "gigya_fast" / "_signing_c.pyx").is_file(),
        reason="needs the source tree (setup.py and the .pyx)",
    ),
    pytest.mark.skipif(not _can_generate_c(), reason="needs Cython or the generated C"),
]


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of setup.py, pyproject.toml and the package sources, without built extensions."""
    dest = tmp_path_factory.mktemp("nocc")
    shutil.copy2(ROOT / "setup.py", dest / "setup.py")
    shutil.copy2(ROOT / "pyproject.toml", dest / "pyproject.toml")
    shutil.copytree(
        ROOT / "gigya_fast",
        dest / "gigya_fast",
        ignore=shutil.ignore_patterns("*.so", "*.pyd", "__pycache__", "*.html"),
    )
    return dest


def _env(**extra: str) -> Dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIGYA_FAST_", "CIBUILDWHEEL"))}
    env.update(CC="false", CXX="false", LDSHARED="false", PYTHONDONTWRITEBYTECODE="1")
    env.update(extra)
    return env


def _build(tree: Path, env: Dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "setup.py", "-q", "build_ext", "--inplace", "--build-temp", str(tree / "build-temp")],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_no_compiler_falls_back_with_banner(tree: Path) -> None:
    """``CC=false``: the build succeeds, prints the banner, and the package imports as pure Python."""
    result = _build(tree, _env())
    assert result.returncode == 0, result.stderr[-2000:]
    assert BANNER in result.stderr
    assert "GIGYA_FAST_REQUIRE_EXTENSIONS=1" in result.stderr
    assert not list((tree / "gigya_fast").rglob("*_c.*.so"))
    check = subprocess.run(
        [
            sys.executable,
            "-c",
            # An editable install of the checkout (setuptools' __editable__ finder) would
            # otherwise serve gigya_fast._signing_c from the checkout to this copy.
            "import sys; sys.meta_path[:] = [f for f in sys.meta_path"
            " if '__editable__' not in getattr(f, '__module__', '')];"
            "import gigya_fast; print(gigya_fast.IMPLEMENTATION);"
            "from gigya_fast.webhooks import _kernels; print(_kernels.IMPLEMENTATION);"
            "print(gigya_fast.calc_signature('POST&a&b', 'c2VjcmV0'))",
        ],
        cwd=tree,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    implementation, webhooks, signature = check.stdout.split()
    assert implementation == webhooks == "python"
    assert signature.endswith("=")


@pytest.mark.parametrize("switch", ["GIGYA_FAST_REQUIRE_EXTENSIONS", "CIBUILDWHEEL"])
def test_required_extensions_fail_without_compiler(tree: Path, switch: str) -> None:
    """With extensions required (or under cibuildwheel) a compile failure is fatal."""
    result = _build(tree, _env(**{switch: "1"}))
    assert result.returncode != 0
