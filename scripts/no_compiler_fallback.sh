#!/usr/bin/env bash
# The sdist must install everywhere: with no working C compiler it falls back to the pure-Python
# kernels with a loud banner, unless GIGYA_FAST_REQUIRE_EXTENSIONS=1, which makes it fail.
# Also checks that the sdist builds the extension without Cython (it ships the generated C).
#
# Each case installs the sdist into a fresh venv that has only setuptools and wheel (no Cython),
# with --no-build-isolation so nothing else is pulled in:
#   1. CC=false CXX=false                                   -> installs, banner shown, IMPLEMENTATION == "python"
#   2. CC=false CXX=false GIGYA_FAST_REQUIRE_EXTENSIONS=1   -> install fails
#   3. working compiler, no Cython                          -> installs, IMPLEMENTATION == "cython"
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

fresh_venv() {  # fresh_venv DIR: a venv with only pip, setuptools, wheel
    rm -rf "$1"
    "$PYTHON" -m venv "$1"
    "$1/bin/python" -m pip install -q --disable-pip-version-check "setuptools>=64" wheel
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
    local got
    got=$(cd "$WORK" && "$venv/bin/python" -c 'import gigya_fast; print(gigya_fast.IMPLEMENTATION)')
    if [ "$got" = "$impl" ]; then echo "PASS  $name: IMPLEMENTATION == $got (banner: $banner)"
    else echo "FAIL  $name: IMPLEMENTATION == $got, expected $impl (banner: $banner)"; status=1; fi
    if [ "$impl" = python ] && [ "$banner" != yes ]; then echo "FAIL  $name: no banner"; status=1; fi
    if [ "$impl" = python ]; then
        echo "      banner as pip -v shows it:"
        grep -B1 -A5 "could not be compiled" "$log" | sed 's/^/      /' | head -9
        (cd "$WORK" && "$venv/bin/python" -c '
import gigya_fast
sig = gigya_fast.calc_signature("POST&a&b", "c2VjcmV0")
assert gigya_fast.validate_user_signatures(["u"], [1], [None], "c2VjcmV0", now=1) == [False]
print("      import and kernels work:", sig)')
    fi
}

run_case no-compiler ok python CC=false CXX=false
run_case no-compiler-required fail - CC=false CXX=false GIGYA_FAST_REQUIRE_EXTENSIONS=1
run_case no-cython ok cython GIGYA_FAST_REQUIRE_EXTENSIONS=1
echo "logs and venvs in $WORK"
exit "$status"
