"""Each compiled kernel's docstring is its pure twin's, word for word (both are wrapped
at the one line length ruff and cython-lint share), so help() reads the same whichever
implementation is in use."""

from __future__ import annotations

import importlib
import inspect
from typing import Iterator, List, Tuple

import pytest

pytestmark = pytest.mark.c_extension

# (pure module, compiled module, public classes whose methods and properties are compared)
TWINS = [
    ("gigya_fast._signing_py", "gigya_fast._signing_c", ["Signer"]),
    ("gigya_fast._serialize_py", "gigya_fast._serialize_c", []),
    ("gigya_fast._envelope_py", "gigya_fast._envelope_c", []),
    ("gigya_fast.webhooks._batch_py", "gigya_fast.webhooks._batch_c", []),
    ("gigya_fast.webhooks._notification_py", "gigya_fast.webhooks._notification_c", ["Notification"]),
]


def _documented(pure_name: str, compiled_name: str, classes: List[str]) -> Iterator[Tuple[str, object, object]]:
    pure, compiled = importlib.import_module(pure_name), importlib.import_module(compiled_name)
    for name in compiled.__all__:
        pure_obj, compiled_obj = getattr(pure, name), getattr(compiled, name)
        if callable(pure_obj):  # functions and classes
            yield f"{compiled_name}.{name}", pure_obj, compiled_obj
    for cls in classes:
        pure_cls, compiled_cls = getattr(pure, cls), getattr(compiled, cls)
        for member, value in sorted(vars(pure_cls).items()):
            documented = isinstance(value, (property, classmethod)) or inspect.isfunction(value)
            if documented and not member.startswith("_"):
                # a property's doc is on the property; a classmethod's on the bound method (3.9's
                # classmethod object has the classmethod type's own doc)
                pure_obj = value if isinstance(value, property) else getattr(pure_cls, member)
                yield f"{compiled_name}.{cls}.{member}", pure_obj, getattr(compiled_cls, member)


def _doc(obj: object) -> str | None:
    doc = getattr(obj, "__doc__", None)
    return inspect.cleandoc(doc) if doc else None


CASES = [case for twins in TWINS for case in _documented(*twins)]


def test_every_public_kernel_is_compared() -> None:
    names = {name for name, _, _ in CASES}
    assert "gigya_fast._signing_c.validate_user_signature" in names
    assert "gigya_fast._signing_c.Signer.validate_users" in names
    assert "gigya_fast._serialize_c.build_query_string" in names
    assert "gigya_fast._envelope_c.scan_envelope" in names
    assert "gigya_fast.webhooks._batch_c.verify_webhook_batch" in names
    assert "gigya_fast.webhooks._notification_c.Notification.claim_new_events" in names


@pytest.mark.parametrize("name, pure, compiled", CASES, ids=[name for name, _, _ in CASES])
def test_docstring_equals_the_pure_twins(name: str, pure: object, compiled: object) -> None:
    assert _doc(pure), f"{name}: the pure twin has no docstring"
    assert _doc(compiled) == _doc(pure), name
