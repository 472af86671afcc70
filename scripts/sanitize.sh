#!/usr/bin/env bash
# Build the compiled kernels with AddressSanitizer + UndefinedBehaviorSanitizer (clang) in a
# separate copy of the tree and a separate venv (the normal build is not touched), then run the
# kernel and hardening tests, and optionally a short fuzz run, under the sanitizers.
#
# Also builds scripts/c_harness/batch_threads.c (the C core's threaded batch paths, no Python)
# under ThreadSanitizer and under ASan+UBSan, with the SHA-NI and the portable SHA-1; TSan cannot
# be hosted by an uninstrumented CPython, so the threads are checked there.
#
# Usage: scripts/sanitize.sh [--fuzz SECONDS] [--keep] [--c-only] [--head] [-- extra pytest args]
#   --head  test the committed HEAD (git archive) instead of the working tree
#   WORK=/tmp/gigya_fast_asan  where the copy, the venv and the logs go
# Needs: clang and its runtime (Debian: clang, libclang-rt-dev or libclang-common-*-dev).
# setup.py turns GIGYA_FAST_SANITIZE=1 into -O1 -g -fsanitize=address,undefined.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-/tmp/gigya_fast_asan}
FUZZ=0
KEEP=0
C_ONLY=0
HEAD=0
PYTEST_EXTRA=()
while [ $# -gt 0 ]; do
    case $1 in
        --fuzz) FUZZ=$2; shift 2 ;;
        --keep) KEEP=1; shift ;;
        --c-only) C_ONLY=1; shift ;;
        --head) HEAD=1; shift ;;
        --) shift; PYTEST_EXTRA=("$@"); break ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
PYTHON=${PYTHON:-python3}
command -v clang >/dev/null || { echo "clang is needed: apt-get install -y clang" >&2; exit 2; }
ASAN_RT=$(clang -print-file-name=libclang_rt.asan-x86_64.so)
[ -f "$ASAN_RT" ] || { echo "no ASan runtime at $ASAN_RT (apt-get install -y libclang-rt-dev)" >&2; exit 2; }

mkdir -p "$WORK"
status=0
SRC=$ROOT
if [ "$HEAD" -eq 1 ]; then
    SRC="$WORK/head"
    rm -rf "$SRC"
    mkdir -p "$SRC"
    git -C "$ROOT" archive HEAD | tar -x -C "$SRC"
    echo "== testing HEAD $(git -C "$ROOT" rev-parse --short HEAD)"
fi
echo "== C harness (scripts/c_harness/batch_threads.c) under TSan and ASan+UBSan"
: >"$WORK/c_harness.log"
for san in thread address,undefined; do
    exe="$WORK/batch_threads_${san%%,*}"
    if ! clang -std=c11 -O1 -g -fno-omit-frame-pointer -fsanitize="$san" -pthread -I"$SRC/gigya_fast/_core" \
        "$SRC/scripts/c_harness/batch_threads.c" "$SRC"/gigya_fast/_core/*.c -o "$exe" >>"$WORK/c_harness.log" 2>&1; then
        echo "   build with -fsanitize=$san failed"; status=1; continue
    fi
    for sha in shani portable; do
        if "$exe" 60 3000 "$sha" >"$WORK/c_harness_run.log" 2>&1; then rc=ok; else rc=FAIL; status=1; fi
        cat "$WORK/c_harness_run.log" >>"$WORK/c_harness.log"
        n=$(grep -c -E 'WARNING: ThreadSanitizer|ERROR: AddressSanitizer|runtime error:' "$WORK/c_harness_run.log" || true)
        if [ "$n" -ne 0 ]; then rc=FAIL; status=1; fi
        echo "   -fsanitize=$san $sha: $rc, $n sanitizer reports; $(grep '^batch_threads' "$WORK/c_harness_run.log")"
    done
done
if [ "$C_ONLY" -eq 1 ]; then
    grep -A12 -E 'WARNING: ThreadSanitizer|ERROR: AddressSanitizer|runtime error:' "$WORK/c_harness.log" | head -60 || true
    exit "$status"
fi

echo "== copying the tree to $WORK/src"
rm -rf "$WORK/src" "$WORK/tests-run"
mkdir -p "$WORK/src"
(cd "$SRC" && tar --exclude=./build --exclude='./.venv*' --exclude='*.so' --exclude=__pycache__ \
    --exclude=./.git --exclude='*.egg-info' --exclude=./dist -cf - .) | (cd "$WORK/src" && tar -xf -)
rm -f "$WORK"/src/gigya_fast/*_c.c "$WORK"/src/gigya_fast/webhooks/*_c.c   # regenerate from the .pyx files

if [ ! -x "$WORK/venv/bin/python" ] || [ "$KEEP" -eq 0 ]; then
    echo "== venv $WORK/venv (system site-packages for pytest, hypothesis, Cython, atheris)"
    rm -rf "$WORK/venv"
    "$PYTHON" -m venv --system-site-packages "$WORK/venv"
fi
VPY="$WORK/venv/bin/python"
# The runtime dependencies and the test extra (aiohttp for the async client's exports, a build
# backend new enough for PEP 639 metadata...), read from pyproject.toml, plus atheris for --fuzz.
# The package itself is installed below, instrumented, without its dependencies.
mapfile -t DEPS < <("$VPY" -c 'import sys, tomllib; p = tomllib.load(open(sys.argv[1], "rb"))["project"]; print("\n".join(p["dependencies"] + p["optional-dependencies"]["test"]))' "$WORK/src/pyproject.toml")
"$VPY" -m pip install -q "${DEPS[@]}" atheris >"$WORK/deps.log" 2>&1 || {
    tail -20 "$WORK/deps.log"; echo "installing the test dependencies failed (log: $WORK/deps.log)" >&2; exit 1; }

echo "== building with clang, GIGYA_FAST_SANITIZE=1"
# CFLAGS=-fno-wrapv undoes CPython's -fwrapv, which would switch off UBSan's signed-overflow
# and pointer-overflow checks for our code.
# -fsanitize=fuzzer-no-link adds libFuzzer's coverage hooks to our code, so the fuzz run below is
# guided by C edges too (the hooks are no-ops under the plain ASan runtime used for pytest).
(cd "$WORK/src" && CC=clang LDSHARED="clang -shared" CFLAGS="-fno-wrapv -fsanitize=fuzzer-no-link" \
    GIGYA_FAST_SANITIZE=1 GIGYA_FAST_REQUIRE_EXTENSIONS=1 \
    "$VPY" -m pip install --no-build-isolation --no-deps --force-reinstall -q . ) >"$WORK/build.log" 2>&1 || {
    tail -40 "$WORK/build.log"; echo "build failed (log: $WORK/build.log)" >&2; exit 1; }
for module in gigya_fast._signing_c gigya_fast._signing_batch_c gigya_fast._serialize_c gigya_fast._checks_c gigya_fast._envelope_c \
    gigya_fast.webhooks._batch_c gigya_fast.webhooks._notification_c gigya_fast._testhooks_c; do
    SO=$(cd / && "$VPY" -c "import importlib.util as u; print(u.find_spec('$module').origin)" 2>/dev/null || true)
    echo "   built $SO"
    # (no grep -q: with pipefail, an early exit would SIGPIPE nm and fail the pipeline)
    nm -D "$SO" | grep __asan_ >/dev/null || { echo "$module is not instrumented (no __asan_ symbols)" >&2; exit 1; }
done

# (RSS tests are skipped: ASan keeps freed memory in quarantine, so RSS grows by design. The
# packaging tests build sdists and wheels from a whole source tree, which the copy below is not.)
# Tests run from a copy outside the source tree so the sanitized install is what is imported.
# Tests that read the C sources (tests/kernels/test_c_core.py) find them beside the tests, as in
# a checkout; gigya_fast/_core has no __init__.py, so Python still imports the installed package.
mkdir -p "$WORK/tests-run/gigya_fast"
cp -r "$WORK/src/tests" "$WORK/tests-run/tests"
cp "$WORK/src/pyproject.toml" "$WORK/src/setup.py" "$WORK/tests-run/"
cp -r "$WORK/src/gigya_fast/_core" "$WORK/tests-run/gigya_fast/_core"
# Reports go to files under $WORK/reports: pytest captures stderr and shows it only for failing
# tests, so a report from a passing test would otherwise be lost.
rm -rf "$WORK/reports"
mkdir -p "$WORK/reports"
export LD_PRELOAD=$ASAN_RT
export ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1:log_path=$WORK/reports/asan
export UBSAN_OPTIONS=print_stacktrace=1:report_error_type=1:log_path=$WORK/reports/ubsan
export PYTHONMALLOC=malloc   # let ASan see every allocation
export GIGYA_FAST_REQUIRE_EXTENSIONS=1

echo "== pytest (kernels + hardening + the webhook batch kernel) under ASan/UBSan"
(cd "$WORK/tests-run" && "$VPY" -c 'import gigya_fast, sys; print("IMPLEMENTATION =", gigya_fast.IMPLEMENTATION); sys.exit(gigya_fast.IMPLEMENTATION != "cython")' \
    && "$VPY" -m pytest -p no:cacheprovider -q tests/kernels tests/hardening \
       tests/webhooks/test_webhook_batch_kernel.py tests/webhooks/test_webhook_notification_twins.py \
       tests/webhooks/test_webhook_batch.py tests/webhooks/test_webhook_rotation.py \
       --ignore=tests/hardening/test_packaging.py \
       -k "not test_rss_stays_flat" "${PYTEST_EXTRA[@]}") \
    >"$WORK/pytest.log" 2>&1 || status=1
tail -5 "$WORK/pytest.log"

if [ "$FUZZ" -gt 0 ]; then
    echo "== fuzz $FUZZ s under ASan/UBSan"
    # atheris ships an ASan+UBSan runtime with libFuzzer in it: preloaded, it feeds the C
    # coverage of the extension to the fuzzer.
    fuzz_rt=$("$VPY" -c 'import atheris, os; print(os.path.join(atheris.path(), "asan_with_fuzzer.so"))' 2>/dev/null || true)
    if [ -n "$fuzz_rt" ] && [ -f "$fuzz_rt" ]; then echo "   runtime: $fuzz_rt (native coverage)"; else fuzz_rt=$ASAN_RT; fi
    (cd "$WORK/tests-run" && LD_PRELOAD=$fuzz_rt "$VPY" "$WORK/src/scripts/fuzz.py" --seconds "$FUZZ" --out "$WORK/fuzz") \
        >"$WORK/fuzz.log" 2>&1 || status=1
    tail -8 "$WORK/fuzz.log"
fi

reports=$(cat "$WORK"/*.log "$WORK"/fuzz/*.log "$WORK"/reports/* 2>/dev/null \
    | grep -c -E 'ERROR: AddressSanitizer|runtime error:|ERROR: LeakSanitizer|WARNING: ThreadSanitizer' || true)
echo "== sanitizer reports: $reports (logs in $WORK)"
if [ "$reports" -ne 0 ]; then
    cat "$WORK"/*.log "$WORK"/fuzz/*.log "$WORK"/reports/* 2>/dev/null \
        | grep -A12 -E 'ERROR: AddressSanitizer|runtime error:|WARNING: ThreadSanitizer' | head -80
    status=1
fi
if [ "$status" -eq 0 ]; then echo "PASS: no sanitizer reports, tests passed"; else echo "FAIL"; fi
exit "$status"
