"""Kernel benchmarks from a checkout: ``python benchmarks/bench_kernels.py [--quick] [--only NAME] [--json]``.

A thin runner: the code lives in ``gigya_fast._bench`` so that the installed
package runs the same suite as ``gigya-fast bench``.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import List

try:
    import gigya_fast  # noqa: F401
except ImportError:  # a checkout that is not installed: use the source tree beside this file
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from gigya_fast.cli import bench  # noqa: E402


def main(argv: List[str] | None = None) -> int:
    """Parse the bench options and run it."""
    parser = argparse.ArgumentParser(prog="bench_kernels.py", description=__doc__.splitlines()[0])
    bench.add_arguments(parser)
    return bench.run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
