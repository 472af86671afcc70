#!/usr/bin/env bash
# The test command of README.md: the suite over the compiled kernels, then the
# same suite with GIGYA_FAST_NO_EXTENSIONS=1 (pure Python only).
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install -q -e ".[test]"
python -m pytest "$@"
GIGYA_FAST_NO_EXTENSIONS=1 python -m pytest "$@"
