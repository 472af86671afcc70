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


def test_batch_paths_depend_on_no_verifier_internals() -> None:
    """_batch.py gets a BatchSteps: it imports nothing of the verifier and reads no private member."""
    import ast
    from pathlib import Path

    import gigya_fast.webhooks._batch as batch

    tree = ast.parse(Path(batch.__file__).read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert "verifier" not in imported and not any("verifier" in (name or "") for name in imported)
    private = sorted(
        {
            node.attr
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
        }
    )
    assert private == [], private
