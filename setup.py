"""Build script: compiles the kernels (Cython + our C core).

Cython is used when installed; otherwise the generated ``.c`` files shipped in the
sdist are compiled. If compiling fails the package installs as pure Python with a
loud banner, except under ``GIGYA_FAST_REQUIRE_EXTENSIONS=1`` or ``CIBUILDWHEEL=1``,
where the failure is fatal (a wheel must never silently ship the slow path).
``GIGYA_FAST_NO_TEST_HOOKS=1`` leaves out ``gigya_fast._testhooks_c`` (test-only
access to the C core; its tests then skip, saying why).
"""

import os
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = os.path.dirname(os.path.abspath(__file__))
CORE = os.path.join("gigya_fast", "_core")


def _core(*names):
    return [os.path.join(CORE, "gf_%s.c" % name) for name in names]


HASHING = _core("sha1", "hmac", "codec", "batch", "hooks", "clock")
# Each extension module: its .pyx and the C core sources it links (each links its own
# copy; keys made by another module are rebound, see gf_hmac_rebind).
MODULES = {
    "gigya_fast._checks_c": _core("clock"),
    "gigya_fast._envelope_c": _core("json"),
    "gigya_fast._serialize_c": _core("codec"),
    "gigya_fast._signing_batch_c": HASHING,
    "gigya_fast._signing_c": HASHING,
    "gigya_fast._testhooks_c": HASHING,
    "gigya_fast.webhooks._notification_c": [],
    "gigya_fast.webhooks._batch_c": HASHING,
}


def _flag(name):
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


REQUIRE = _flag("GIGYA_FAST_REQUIRE_EXTENSIONS") or _flag("CIBUILDWHEEL")
SKIP = _flag("GIGYA_FAST_NO_EXTENSIONS") and not REQUIRE
NO_TEST_HOOKS = _flag("GIGYA_FAST_NO_TEST_HOOKS")


def _depends():
    """What a rebuild depends on besides the .pyx: the C core and every .pxd."""
    found = []
    for folder, _, names in os.walk(os.path.join(HERE, "gigya_fast")):
        for name in names:
            if name.endswith((".pxd", ".h", ".c")) and not name.endswith("_c.c"):
                found.append(os.path.relpath(os.path.join(folder, name), HERE))
    return sorted(found)


def _extensions():
    try:
        from Cython.Build import cythonize
    except ImportError:
        cythonize = None
    if os.name == "nt":
        compile_args = ["/O2"]
        link_args = []
    else:
        # -flto: the C core's small functions (the signature compare, the window clock) are
        # inlined into the Cython code that calls them
        compile_args = ["-O3", "-fno-strict-aliasing", "-flto"]
        link_args = ["-O3", "-flto"]
    if _flag("GIGYA_FAST_SANITIZE"):
        compile_args = ["-O1", "-g", "-fno-omit-frame-pointer", "-fsanitize=address,undefined"]
        link_args = ["-fsanitize=address,undefined"]
    if os.name != "nt":
        # the batch kernels start native threads (pthreads); Windows uses Win32 threads.
        # Hidden symbols: only PyInit_* is exported (Python.h marks it), so calls into the C
        # core are direct instead of going through the PLT.
        compile_args = compile_args + ["-pthread", "-fvisibility=hidden"]
        link_args = link_args + ["-pthread"]
    depends = _depends()
    extensions = []
    for name, core in MODULES.items():
        if name == "gigya_fast._testhooks_c" and NO_TEST_HOOKS:
            continue
        stem = name.replace(".", os.sep)
        source = stem + (".pyx" if cythonize else ".c")
        if not os.path.exists(os.path.join(HERE, source)):
            if REQUIRE:
                raise RuntimeError("Cython is not installed and %s is missing" % source)
            return []  # an sdist without its generated C: all or nothing
        extensions.append(
            Extension(
                name,
                sources=[source] + core,
                include_dirs=[CORE],
                depends=depends,
                extra_compile_args=compile_args,
                extra_link_args=link_args,
            )
        )
    if cythonize is None:
        return extensions
    return cythonize(
        extensions,
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
            if "-flto" not in ext.extra_compile_args:
                self._fallback(exc)
                return
            # a toolchain without link-time optimisation (clang without its linker plugin...)
            sys.stderr.write("gigya_fast: building %s without -flto (%s)\n" % (ext.name, str(exc)[:120]))
            ext.extra_compile_args = [arg for arg in ext.extra_compile_args if arg != "-flto"]
            ext.extra_link_args = [arg for arg in ext.extra_link_args if arg != "-flto"]
            try:
                super().build_extension(ext)
            except Exception as again:  # noqa: BLE001
                self._fallback(again)

    def _fallback(self, exc):
        if REQUIRE:
            raise
        sys.stderr.write(BANNER % (str(exc)[:200],))


setup(
    ext_modules=[] if SKIP else _extensions(),
    cmdclass={"build_ext": OptionalBuildExt},
)
