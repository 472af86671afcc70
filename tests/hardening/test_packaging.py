"""What the release artefacts carry: the sdist's files and the built metadata.

Runs setuptools' own PEP 517 hooks (what ``python -m build`` calls) in a
subprocess on a clean copy of the source tree (an old ``*.egg-info/SOURCES.txt``
would otherwise add what MANIFEST.in leaves out), so it needs the checkout
(setup.py beside the tests) and setuptools >= 77 (the ``test`` extra brings it).
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import tarfile
from email.message import Message
from email.parser import Parser
from pathlib import Path
from typing import List

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent

pytestmark = [
    pytest.mark.skipif(not (ROOT / "setup.py").is_file(), reason="needs the source tree (setup.py)"),
    pytest.mark.skipif(
        importlib.util.find_spec("Cython") is None and not (ROOT / "gigya_fast" / "_signing_c.c").is_file(),
        reason="the sdist's generated C needs Cython or an earlier build",
    ),
]

_HOOK = (
    "import sys; from setuptools import build_meta as b; "
    "print(getattr(b, sys.argv[1])(sys.argv[2]))"
)


_NOT_SOURCES = shutil.ignore_patterns(
    ".git", ".venv*", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis", "*.so", "*.pyd"
)


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The checkout without build products, virtualenvs or git metadata."""
    dest = tmp_path_factory.mktemp("tree") / "src"
    shutil.copytree(ROOT, dest, ignore=_NOT_SOURCES)
    return dest


def _hook(tree: Path, name: str, out: Path) -> Path:
    """Run one PEP 517 hook of setuptools on *tree*; return what it made."""
    result = subprocess.run(
        [sys.executable, "-c", _HOOK, name, str(out)],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return out / result.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def sdist_names(tree: Path, tmp_path_factory: pytest.TempPathFactory) -> List[str]:
    """The member names of a freshly built sdist, without the leading ``gigya_fast-X/``."""
    path = _hook(tree, "build_sdist", tmp_path_factory.mktemp("sdist"))
    with tarfile.open(path) as archive:
        return [name.split("/", 1)[1] for name in archive.getnames() if "/" in name]


@pytest.fixture(scope="module")
def metadata(tree: Path, tmp_path_factory: pytest.TempPathFactory) -> Message:
    """The wheel's METADATA as the build backend prepares it."""
    dist_info = _hook(tree, "prepare_metadata_for_build_wheel", tmp_path_factory.mktemp("meta"))
    return Parser().parsestr((dist_info / "METADATA").read_text(encoding="utf-8"))


def test_sdist_has_the_license(sdist_names: List[str]) -> None:
    """MANIFEST.in and ``license-files`` both name LICENSE; it is the Apache-2.0 text."""
    assert "LICENSE" in sdist_names
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License" in text and "Version 2.0, January 2004" in text
    assert "END OF TERMS AND CONDITIONS" in text


def test_sdist_has_the_examples(sdist_names: List[str]) -> None:
    """The README points to examples/: every file there is in the sdist."""
    examples = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "examples").glob("*.py"))
    assert examples
    assert set(examples) <= set(sdist_names)


def test_sdist_has_the_c_sources_and_generated_c(sdist_names: List[str]) -> None:
    """The sdist builds without Cython (generated C) and can be rebuilt (.pyx, C core)."""
    core = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "gigya_fast" / "_core").glob("*.[ch]"))
    assert core
    assert set(core) <= set(sdist_names)
    assert "gigya_fast/_signing_c.pyx" in sdist_names
    assert "gigya_fast/_signing_c.c" in sdist_names
    assert "gigya_fast/_signing_c.pyi" in sdist_names and "gigya_fast/py.typed" in sdist_names
    assert not [name for name in sdist_names if name.endswith((".so", ".pyd", ".pyc"))]


def test_metadata_license_expression(metadata: Message) -> None:
    """PEP 639: an SPDX expression and the license file, no legacy free-text License field."""
    assert metadata["License-Expression"] == "Apache-2.0"
    assert metadata.get_all("License-File") == ["LICENSE"]
    assert metadata["License"] is None
    assert not [c for c in metadata.get_all("Classifier") or [] if c.startswith("License ::")]


def test_development_tools_are_not_extras(metadata: Message) -> None:
    """Linters and type checkers live in ``[dependency-groups]``: no extra installs them."""
    assert "dev" not in (metadata.get_all("Provides-Extra") or [])
    requirements = " ".join(metadata.get_all("Requires-Dist") or [])
    for tool in ("mypy", "ruff", "cython-lint", "twine"):
        assert tool not in requirements
    assert {"jwt", "redis", "testing", "test"} <= set(metadata.get_all("Provides-Extra") or [])
