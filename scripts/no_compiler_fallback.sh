#!/usr/bin/env bash
# The sdist must install everywhere: with no working C compiler it falls back to the pure-Python
# kernels with a banner (pip shows it only with -v) and a RuntimeWarning at every import, unless
# GIGYA_FAST_REQUIRE_EXTENSIONS=1, which makes it fail. Also checks that the sdist builds the
# extension without Cython (it ships the generated C), and what pip's wheel cache does.
#
# Each case installs the sdist into a fresh venv that has only setuptools (no Cython),
# with --no-build-isolation so nothing else is pulled in:
#   1. CC=false CXX=false                                   -> installs, banner shown, IMPLEMENTATION == "python",
#                                                              the import warns, `gigya-fast info` warns
#   2. CC=false CXX=false GIGYA_FAST_REQUIRE_EXTENSIONS=1   -> install fails
#   3. working compiler, no Cython                          -> installs, IMPLEMENTATION == "cython", no warning
#   4. wheel cache: install with CC=false and pip's cache on, then in a fresh venv with a working
#      compiler and the same cache -> pip reuses the cached pure-Python wheel (no build); the import
#      warning names the fix, and that command (--no-cache-dir --force-reinstall) gives "cython"
#
# Usage: scripts/no_compiler_fallback.sh [path/to/gigya_fast-X.tar.gz]   (builds the sdist if none given)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-$(mktemp -d /tmp/gigya_fast_nocc.XXXXXX)}
PYTHON=${PYTHON:-python3}
mkdir -p "$WORK"
SDIST=${1:-}
if [ -z "$SDIST" ]; then
    echo "== building the sdist"
    "$PYTHON" -m build --sdist --outdir "$WORK/dist" "$ROOT" >"$WORK/sdist.log" 2>&1 || {
        tail -30 "$WORK/sdist.log"; exit 1; }
    SDIST=$(ls "$WORK"/dist/gigya_fast-*.tar.gz)
fi
echo "   sdist: $SDIST"
tar -tzf "$SDIST" | grep '/gigya_fast/_signing_c.c$' >/dev/null || { echo "FAIL: the sdist lacks the generated C" >&2; exit 1; }

fresh_venv() {  # fresh_venv DIR: a venv with pip, setuptools and the runtime dependencies only
    rm -rf "$1"
    "$PYTHON" -m venv "$1"
    "$1/bin/python" -m pip install -q --disable-pip-version-check "setuptools>=77" urllib3 certifi
    if "$1/bin/python" -c "import Cython" 2>/dev/null; then echo "Cython leaked into $1" >&2; exit 1; fi
}
status=0
run_case() {  # run_case NAME EXPECT(ok|fail) IMPL ENV... : install the sdist and check
    local name=$1 expect=$2 impl=$3
    shift 3
    local venv="$WORK/venv-$name" log="$WORK/$name.log" rc=0
    fresh_venv "$venv"
    env "$@" "$venv/bin/python" -m pip install -v --no-build-isolation --no-deps --no-cache-dir "$SDIST" \
        >"$log" 2>&1 || rc=$?
    local banner=no
    grep -q "could not be compiled" "$log" && banner=yes
    if [ "$expect" = fail ]; then
        if [ "$rc" -ne 0 ]; then echo "PASS  $name: install failed as required (banner: $banner)"
        else echo "FAIL  $name: install succeeded"; status=1; fi
        return
    fi
    if [ "$rc" -ne 0 ]; then echo "FAIL  $name: install failed (log $log)"; tail -20 "$log"; status=1; return; fi
    local got warned
    got=$(cd "$WORK" && "$venv/bin/python" -c 'import gigya_fast; print(gigya_fast.IMPLEMENTATION)' 2>"$WORK/$name.import.err")
    warned=no
    grep -q "RuntimeWarning: gigya_fast is using its pure-Python kernels" "$WORK/$name.import.err" && warned=yes
    if [ "$got" = "$impl" ]; then echo "PASS  $name: IMPLEMENTATION == $got (banner: $banner, import warning: $warned)"
    else echo "FAIL  $name: IMPLEMENTATION == $got, expected $impl (banner: $banner)"; status=1; fi
    if [ "$impl" = python ] && [ "$banner" != yes ]; then echo "FAIL  $name: no banner"; status=1; fi
    if [ "$impl" = python ] && [ "$warned" != yes ]; then echo "FAIL  $name: no import warning"; status=1; fi
    if [ "$impl" = cython ] && [ "$warned" != no ]; then echo "FAIL  $name: import warning with the extension"; status=1; fi
    if [ "$impl" = python ]; then
        echo "      banner as pip -v shows it:"
        grep -B1 -A5 "could not be compiled" "$log" | sed 's/^/      /' | head -9
        echo "      warning at import:"
        fold -s -w 96 "$WORK/$name.import.err" | sed 's/^/      /'
        if (cd "$WORK" && "$venv/bin/python" -m gigya_fast info 2>/dev/null | grep -q "^WARNING: .*--no-cache-dir --force-reinstall"); then
            echo "      gigya-fast info warns too"
        else echo "FAIL  $name: gigya-fast info does not warn"; status=1; fi
        (cd "$WORK" && "$venv/bin/python" -W ignore -c '
import gigya_fast
sig = gigya_fast.calc_signature("POST&a&b", "c2VjcmV0")
assert gigya_fast.validate_user_signatures(["u"], [1], [None], "c2VjcmV0", now=1) == [False]
print("      import and kernels work:", sig)')
    fi
}

wheel_cache_case() {  # a pure-Python wheel built without a compiler, reused later from pip's cache
    # pip caches a wheel it built from an sdist found on an index (here a --find-links directory
    # holding only the sdist), keyed by the sdist's URL; a later install of the same version
    # takes that wheel whenever its tags fit, whether or not a compiler is there now.
    local cache="$WORK/pip-cache" index="$WORK/index" first="$WORK/venv-cache-nocc" second="$WORK/venv-cache-cc"
    local from_index=(--no-build-isolation --no-deps --no-index --find-links "$index") got rc=0
    rm -rf "$cache" "$index"
    mkdir -p "$index" && cp "$SDIST" "$index/"
    fresh_venv "$first"
    CC=false CXX=false PIP_CACHE_DIR="$cache" "$first/bin/python" -m pip install -q "${from_index[@]}" gigya_fast \
        >"$WORK/cache-1.log" 2>&1 || rc=$?
    if [ "$rc" -ne 0 ]; then echo "FAIL  wheel-cache: first install failed"; status=1; return; fi
    echo "      cached without a compiler: $(find "$cache/wheels" -name '*.whl' -exec basename {} \; | tr '\n' ' ')"
    fresh_venv "$second"
    PIP_CACHE_DIR="$cache" "$second/bin/python" -m pip install -v "${from_index[@]}" gigya_fast \
        >"$WORK/cache-2.log" 2>&1 || { echo "FAIL  wheel-cache: second install failed"; status=1; return; }
    got=$(cd "$WORK" && "$second/bin/python" -c 'import gigya_fast; print(gigya_fast.IMPLEMENTATION)' 2>"$WORK/cache-2.err")
    if grep -q "Using cached gigya_fast" "$WORK/cache-2.log"; then
        echo "      with a compiler, pip reused the cached wheel: IMPLEMENTATION == $got"
    else
        echo "      with a compiler, pip rebuilt: IMPLEMENTATION == $got"
    fi
    if [ "$got" = python ] && ! grep -q -- "--no-cache-dir --force-reinstall" "$WORK/cache-2.err"; then
        echo "FAIL  wheel-cache: the reused pure wheel does not warn at import"; status=1; return
    fi
    PIP_CACHE_DIR="$cache" "$second/bin/python" -m pip install -q --no-cache-dir --force-reinstall "${from_index[@]}" \
        gigya_fast >"$WORK/cache-3.log" 2>&1 || { echo "FAIL  wheel-cache: the reinstall failed"; status=1; return; }
    got=$(cd "$WORK" && "$second/bin/python" -c 'import gigya_fast; print(gigya_fast.IMPLEMENTATION)' 2>"$WORK/cache-3.err")
    if [ "$got" = cython ] && [ ! -s "$WORK/cache-3.err" ]; then
        echo "PASS  wheel-cache: the warning's command (--no-cache-dir --force-reinstall) gives IMPLEMENTATION == cython"
    else echo "FAIL  wheel-cache: after the reinstall IMPLEMENTATION == $got"; status=1; fi
}

run_case no-compiler ok python CC=false CXX=false
run_case no-compiler-required fail - CC=false CXX=false GIGYA_FAST_REQUIRE_EXTENSIONS=1
run_case no-cython ok cython GIGYA_FAST_REQUIRE_EXTENSIONS=1
wheel_cache_case
echo "logs and venvs in $WORK"
exit "$status"
