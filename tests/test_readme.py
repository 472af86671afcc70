"""README.md stays true: its snippets compile and import what exists, its pytest example passes,
its layout map names files that exist, and its command table matches the CLI."""

from __future__ import annotations

import ast
import importlib
import re
import subprocess
import sys
from pathlib import Path
from typing import List

import pytest

ROOT = Path(__file__).resolve().parent.parent
if not (ROOT / "README.md").is_file():
    pytest.skip("needs the source checkout's README.md", allow_module_level=True)
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _python_blocks() -> List[str]:
    return re.findall(r"```python\n(.*?)```", README, flags=re.S)


def _section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## )", README, flags=re.S | re.M)
    assert match, f"README has no section {title!r}"
    return match.group(1)


def test_every_python_snippet_compiles_and_imports_real_names() -> None:
    blocks = _python_blocks()
    assert len(blocks) >= 8
    for block in blocks:
        # Snippets may use top-level await (they show code inside an async function).
        tree = compile(block, "<README>", "exec", flags=ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("gigya_fast"):
                module = importlib.import_module(node.module)
                for alias in node.names:
                    assert alias.name == "*" or hasattr(module, alias.name), f"{node.module}.{alias.name}"


def test_the_pytest_plugin_example_passes(tmp_path: Path) -> None:
    example = next(b for b in _python_blocks() if b.startswith("def test_"))
    (tmp_path / "test_readme_example.py").write_text(example, encoding="utf-8")
    run = subprocess.run(
        # -W error: the plugin's servers close their sockets; pytest-asyncio's own
        # configuration warning is not the plugin's doing, so it is left out.
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:asyncio", "-W", "error",
         "test_readme_example.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 passed" in run.stdout


def test_the_layout_map_names_files_that_exist() -> None:
    layout = _section("Layout")
    names = re.findall(r"`([A-Za-z_][\w./]*\.(?:py|pyx|md)|[A-Za-z_][\w]*/)`", layout)
    assert len(names) >= 30
    for name in names:
        candidates = [ROOT / name, ROOT / "gigya_fast" / name, ROOT / "gigya_fast" / "webhooks" / name,
                      ROOT / "docs" / name]
        assert any(c.exists() for c in candidates), name


@pytest.fixture(scope="module")
def cli_help() -> subprocess.CompletedProcess[str]:
    """``gigya-fast --help`` as a user runs it, once for every row of the command table."""
    return subprocess.run([sys.executable, "-m", "gigya_fast", "--help"], capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("command", re.findall(r"^\| `gigya-fast ([a-z-]+)", _section("Command line"), flags=re.M))
def test_the_command_table_matches_the_cli(command: str, cli_help: subprocess.CompletedProcess[str]) -> None:
    assert cli_help.returncode == 0
    assert command in cli_help.stdout
