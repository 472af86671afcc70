"""``gigya-fast demo | head``: the demo stops quietly when its reader goes away."""

from __future__ import annotations

import subprocess
import sys


def test_demo_into_a_closed_pipe_exits_quietly() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "gigya_fast", "demo", "--accounts", "5", "--plain-http"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()  # what `head -1` does after its first line
    err = proc.stderr.read().decode("utf-8", "replace")
    proc.stderr.close()
    status = proc.wait(timeout=120)
    assert first.startswith(b"gigya_fast ")
    assert "Traceback" not in err and "BrokenPipe" not in err and "Exception ignored" not in err, err
    assert status == 1
