#!/usr/bin/env bash
# Compile the C core (gigya_fast/_core/*.c) with every warning we can afford, as errors,
# under gcc and clang, C99 and C11, -O0 and -O2 (some warnings only appear when optimising).
# Then advisory passes (not fatal): stricter warnings (-Wconversion ...), gcc -fanalyzer,
# and the Cython-generated modules (gigya_fast/*_c.c, gigya_fast/webhooks/*_c.c) with -Wall -Wextra
# against Python.h.
#
# Usage: scripts/check_compilers.sh [--strict-only]   (exit 1 when a fatal pass fails)
# Needs gcc and clang (apt-get install -y clang).
set -u
cd "$(dirname "$0")/.."

CORE=gigya_fast/_core
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
FATAL="-Wall -Wextra -Wpedantic -Werror"
ADVISORY="-Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wshadow -Wcast-qual -Wcast-align \
-Wstrict-prototypes -Wmissing-prototypes -Wold-style-definition -Wvla -Wformat=2 -Wundef \
-Wpointer-arith -Wnull-dereference -Wdouble-promotion -Wwrite-strings"
status=0
shopt -s nullglob
sources=("$CORE"/*.c)
if [ ${#sources[@]} -eq 0 ]; then
    echo "no C sources in $CORE" >&2
    exit 1
fi

compile() {  # compile LABEL CC FLAGS... : every core source, prints PASS/FAIL and the diagnostics
    local label=$1 cc=$2
    shift 2
    local log="$OUT/log" failed=0
    : >"$log"
    for src in "${sources[@]}"; do
        "$cc" "$@" -pthread -I"$CORE" -c "$src" -o "$OUT/$(basename "$src").o" >>"$log" 2>&1 || failed=1
    done
    local count
    count=$(grep -c -E 'warning:|error:' "$log" || true)
    if [ "$failed" -eq 0 ] && [ "$count" -eq 0 ]; then
        echo "PASS  $label"
    else
        echo "FAIL  $label ($count diagnostics)"
        sed 's/^/      /' "$log"
    fi
    return "$failed"
}

echo "== fatal: $FATAL"
for cc in gcc clang; do
    if ! command -v "$cc" >/dev/null; then
        echo "MISSING $cc (apt-get install -y $cc)"
        status=1
        continue
    fi
    for std in c99 c11; do
        for opt in -O0 -O2; do
            # shellcheck disable=SC2086
            compile "$cc $("$cc" -dumpversion) -std=$std $opt" "$cc" -std="$std" "$opt" $FATAL || status=1
        done
    done
done

if [ "${1:-}" = "--strict-only" ]; then
    exit "$status"
fi

echo "== advisory (not fatal): stricter warnings"
for cc in gcc clang; do
    command -v "$cc" >/dev/null || continue
    # shellcheck disable=SC2086
    compile "$cc -std=c11 -O2 strict" "$cc" -std=c11 -O2 $ADVISORY || true
done
if command -v gcc >/dev/null; then
    echo "== advisory: gcc -fanalyzer"
    compile "gcc -fanalyzer" gcc -std=c11 -O1 -fanalyzer || true
fi

generated=(gigya_fast/*_c.c gigya_fast/webhooks/*_c.c)
if [ ${#generated[@]} -gt 0 ]; then
    echo "== advisory: the Cython-generated modules (-Wall -Wextra; Cython's own code may warn)"
    py_inc=$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["include"])')
    for cc in gcc clang; do
        command -v "$cc" >/dev/null || continue
        for module in "${generated[@]}"; do
            if "$cc" -std=c11 -O2 -Wall -Wextra -fPIC -I"$py_inc" -I"$CORE" -c "$module" -o "$OUT/gen.o" \
                >"$OUT/gen.log" 2>&1; then
                n=$(grep -c 'warning:' "$OUT/gen.log" || true)
                echo "OK    $cc $module ($n warnings)"
                grep 'warning:' "$OUT/gen.log" | sed 's/^/      /' | sort | uniq -c | head -20
            else
                echo "FAIL  $cc $module"
                sed 's/^/      /' "$OUT/gen.log" | head -60
            fi
        done
    done
else
    echo "== skipped the generated modules: none present (run pip install -e . first)"
fi
exit "$status"
