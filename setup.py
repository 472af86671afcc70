"""Build script: compiles the signing kernels (Cython + our C core).

Cython is used when installed; otherwise the generated ``.c`` shipped in the
sdist is compiled. If compiling fails the package installs as pure Python with
a loud banner, except under ``GIGYA_FAST_REQUIRE_EXTENSIONS=1`` or
``CIBUILDWHEEL=1``, where the failure is fatal (a wheel must never silently
ship the slow path).
"""

import os
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = os.path.dirname(os.path.abspath(__file__))
CORE = os.path.join("gigya_fast", "_core")
CORE_SOURCES = sorted(
    os.path.join(CORE, name) for name in os.listdir(os.path.join(HERE, CORE)) if name.endswith(".c")
) if os.path.isdir(os.path.join(HERE, CORE)) else []
# The .pyx's parts (``include``d): the extension is rebuilt when one of them changes.
PXI_SOURCES = sorted(
    os.path.join("gigya_fast", name)
    for name in os.listdir(os.path.join(HERE, "gigya_fast"))
    if name.startswith("_signing_c_") and name.endswith(".pxi")
)


def _flag(name):
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


REQUIRE = _flag("GIGYA_FAST_REQUIRE_EXTENSIONS") or _flag("CIBUILDWHEEL")
SKIP = _flag("GIGYA_FAST_NO_EXTENSIONS") and not REQUIRE


def _extensions():
    pyx = os.path.join("gigya_fast", "_signing_c.pyx")
    generated = os.path.join("gigya_fast", "_signing_c.c")
    try:
        from Cython.Build import cythonize
    except ImportError:
        cythonize = None
    if cythonize is None and not os.path.exists(os.path.join(HERE, generated)):
        if REQUIRE:
            raise RuntimeError("Cython is not installed and no generated C is present")
        return []
    if os.name == "nt":
        compile_args = ["/O2"]
    else:
        compile_args = ["-O3", "-fno-strict-aliasing"]
    link_args = []
    if _flag("GIGYA_FAST_SANITIZE"):
        compile_args = ["-O1", "-g", "-fno-omit-frame-pointer", "-fsanitize=address,undefined"]
        link_args = ["-fsanitize=address,undefined"]
    if os.name != "nt":
        # the batch kernels start native threads (pthreads); Windows uses Win32 threads
        compile_args = compile_args + ["-pthread"]
        link_args = link_args + ["-pthread"]
    ext = Extension(
        "gigya_fast._signing_c",
        sources=[pyx if cythonize else generated] + CORE_SOURCES,
        include_dirs=[CORE],
        depends=([os.path.join(CORE, name) for name in sorted(os.listdir(os.path.join(HERE, CORE)))]
                 if os.path.isdir(os.path.join(HERE, CORE)) else []) + PXI_SOURCES,
        extra_compile_args=compile_args,
        extra_link_args=link_args,
    )
    if cythonize is None:
        return [ext]
    return cythonize(
        [ext],
        language_level=3,
        compiler_directives={"boundscheck": False, "wraparound": False, "cdivision": True},
    )


BANNER = """
**********************************************************************
* WARNING: the gigya_fast C extension could not be compiled.         *
* gigya_fast will work, using the much slower pure-Python kernels.   *
* Cause: %s
* Set GIGYA_FAST_REQUIRE_EXTENSIONS=1 to make this failure fatal.    *
**********************************************************************
"""


class OptionalBuildExt(build_ext):
    """build_ext that falls back to pure Python unless extensions are required."""

    def run(self):
        try:
            super().run()
        except Exception as exc:  # noqa: BLE001 - any compiler failure
            self._fallback(exc)

    def build_extension(self, ext):
        try:
            super().build_extension(ext)
        except Exception as exc:  # noqa: BLE001
            self._fallback(exc)

    def _fallback(self, exc):
        if REQUIRE:
            raise
        sys.stderr.write(BANNER % (str(exc)[:200],))


setup(
    ext_modules=[] if SKIP else _extensions(),
    cmdclass={"build_ext": OptionalBuildExt},
)
