"""gigya_fast.webhooks and gigya_fast.jwt import without their optional dependencies.

Their export lists are locked with the others in tests/hardening/test_exports.py.
"""

from __future__ import annotations


def test_importing_needs_no_optional_dependency() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "sys.modules['cryptography'] = None\n"
        "sys.modules['redis'] = None\n"
        "import gigya_fast.webhooks, gigya_fast.webhooks.wsgi, gigya_fast.webhooks.asgi, gigya_fast.jwt\n"
        "import gigya_fast.cli.webhooks\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert proc.returncode == 0, proc.stderr.decode()
