"""Locks the public API: each public module's ``__all__`` and the kernel twins' names.

Locked modules: gigya_fast, gigya_fast.errors, gigya_fast.rest, gigya_fast.aio, gigya_fast.testing,
gigya_fast.webhooks, gigya_fast.jwt, gigya_fast.GSSDK, and the kernel selector.

Changing a public export list is an API change: update the lock here together
with CHANGELOG.md. The compiled kernels, the pure-Python twin and the ``.pyi``
stub must expose the same names (and the stub the same signatures).
"""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path
from types import ModuleType
from typing import Dict, FrozenSet, List, Tuple

import pytest

import gigya_fast
from gigya_fast import _signing, _signing_py
from tests.gssdk.original_vectors import ORIGINAL_STAR_NAMES

_KERNEL_NAMES = frozenset(
    {
        "IMPLEMENTATION",
        "Signer",
        "percent_encode",
        "serialize_value",
        "build_query_string",
        "build_base_string",
        "normalize_url",
        "calc_signature",
        "validate_user_signature",
        "validate_friend_signature",
        "validate_user_signatures",
        "get_dynamic_session_signature",
        "get_dynamic_session_signature_user_signed",
        "kernel_info",
    }
)

_ERRORS = frozenset(
    {
        "GigyaError",
        "InvalidSecretError",
        "SignatureError",
        "ConfigurationError",
        "MissingDependencyError",
        "DedupeStoreError",
        "APIError",
        "AuthenticationError",
        "NotFoundError",
        "InvalidRequestError",
        "RateLimitError",
        "ServerError",
        "DataCenterError",
        "TransportError",
        "ConnectionFailedError",
        "RequestTimeoutError",
        "MalformedResponseError",
        "InvalidTokenError",
        "MalformedToken",
        "InvalidAlgorithm",
        "InvalidTokenSignature",
        "ExpiredToken",
        "ImmatureToken",
        "InvalidIssuer",
        "InvalidAudience",
        "UnknownKeyId",
        "error_for_code",
    }
)

# The locked export list of every public module.
PUBLIC_EXPORTS: Dict[str, FrozenSet[str]] = {
    "gigya_fast": frozenset(
        {
            "__version__",
            "IMPLEMENTATION",
            "Signer",
            "percent_encode",
            "build_query_string",
            "build_base_string",
            "calc_signature",
            "validate_user_signature",
            "validate_friend_signature",
            "validate_user_signatures",
            "get_dynamic_session_signature",
            "get_dynamic_session_signature_user_signed",
            "kernel_info",
            "Client",
            "Response",
            "WebhookVerifier",
            "Notification",
            "GigyaError",
            "InvalidSecretError",
            "SignatureError",
            "ConfigurationError",
            "APIError",
            "AuthenticationError",
            "NotFoundError",
            "InvalidRequestError",
            "RateLimitError",
            "ServerError",
            "DataCenterError",
            "TransportError",
            "ConnectionFailedError",
            "RequestTimeoutError",
            "MalformedResponseError",
        }
    ),
    "gigya_fast.errors": _ERRORS,
    "gigya_fast.rest": frozenset(
        {
            "Client",
            "Response",
            "RetryPolicy",
            "AttemptEvent",
            "CallSpec",
            "DEFAULT_TIMEOUT",
            "DATA_CENTERS",
            "make_bearer_jwt",
            "resolve_api_domain",
            "is_read_method",
            "read_response",
            "PreparedRequest",
            "RequestBuilder",
            "Clock",
            "new_nonce",
        }
    ),
    "gigya_fast.testing": frozenset(
        {
            "LocalCDC",
            "HOST",
            "RecordedRequest",
            "Fault",
            "FaultPlan",
            "MALFORMED_KINDS",
            "Webhook",
            "Delivery",
            "EVENT_TYPES",
            "CDCError",
            "Outbox",
            "OutboxMessage",
        }
    ),
    "gigya_fast.webhooks": frozenset(
        {
            "DEFAULT_DEDUPE_TTL",
            "DEFAULT_MAX_BODY_BYTES",
            "DEFAULT_TOLERANCE",
            "HMAC_HEADER",
            "JWT_HEADER",
            "REQUIRE_POLICIES",
            "DedupeStore",
            "Event",
            "MemoryDedupeStore",
            "Notification",
            "RedisDedupeStore",
            "WebhookVerifier",
            "get_header",
        }
    ),
    "gigya_fast.webhooks.wsgi": frozenset({"make_wsgi_app", "headers_from_environ", "WSGIApp"}),
    "gigya_fast.webhooks.asgi": frozenset({"make_asgi_app", "headers_from_scope", "ASGIApp"}),
    "gigya_fast.jwt": frozenset(
        {
            "CDC_DATA_CENTERS",
            "DEFAULT_LEEWAY",
            "JWKSCache",
            "KeyProvider",
            "KeySource",
            "decode_verified",
            "issuer_for",
            "jwk_to_key",
            "keys_from_jwks",
            "resolve_key",
            "resolve_key_async",
            "verify_id_token",
            "verify_id_token_async",
        }
    ),
    # The original GSSDK.py's star-import names, exactly (it had no __all__, so its module-level
    # imports came along); gigya_fast's additions (GSObject, GSKeyNotFoundException,
    # DEFAULT_API_DOMAIN, DEFAULT_SIGNATURE_EXPIRATION) are imported by name.
    "gigya_fast.GSSDK": ORIGINAL_STAR_NAMES,
    "gigya_fast._signing": _KERNEL_NAMES,
    # needs the aio extra (aiohttp), which the test extra installs
    "gigya_fast.aio": frozenset({"AsyncClient"}),
}

STUB = Path(_signing_py.__file__).with_name("_signing_c.pyi")


def _all_of(module: ModuleType) -> List[str]:
    names = getattr(module, "__all__", None)
    assert isinstance(names, list), f"{module.__name__} has no __all__ list"
    assert all(isinstance(name, str) for name in names)
    return names


@pytest.mark.parametrize("name", sorted(PUBLIC_EXPORTS))
def test_export_list_is_locked(name: str) -> None:
    """``__all__`` is exactly the locked set, without duplicates."""
    module = importlib.import_module(name)
    names = _all_of(module)
    assert len(names) == len(set(names)), f"duplicate names in {name}.__all__"
    assert set(names) - PUBLIC_EXPORTS[name] == set(), "unlocked new exports"
    assert PUBLIC_EXPORTS[name] - set(names) == set(), "locked exports missing"


@pytest.mark.parametrize("name", sorted(PUBLIC_EXPORTS))
def test_every_export_resolves(name: str) -> None:
    """Every name in ``__all__`` is an attribute, and ``from m import *`` gives them all."""
    module = importlib.import_module(name)
    for attr in _all_of(module):
        assert hasattr(module, attr), f"{name}.{attr} is listed but missing"
    namespace: Dict[str, object] = {}
    exec(f"from {name} import *", namespace)  # noqa: S102 - fixed module names only
    assert set(_all_of(module)) <= set(namespace)


def test_top_level_reexports_are_the_selected_kernels() -> None:
    """``gigya_fast.X`` is the very object the selector chose, for every kernel name it re-exports."""
    for attr in set(_all_of(gigya_fast)) & _KERNEL_NAMES:
        assert getattr(gigya_fast, attr) is getattr(_signing, attr)
    assert gigya_fast.IMPLEMENTATION == _signing.IMPLEMENTATION


def test_pure_kernels_export_the_kernel_names(pure_kernels: ModuleType) -> None:
    """The spec module's ``__all__`` is the kernel lock."""
    assert set(_all_of(pure_kernels)) == _KERNEL_NAMES


@pytest.mark.c_extension
def test_compiled_names_equal_pure_names(c_kernels: ModuleType, pure_kernels: ModuleType) -> None:
    """The compiled module exports the same names as the pure twin, and each resolves."""
    assert set(_all_of(c_kernels)) == set(_all_of(pure_kernels))
    for attr in _all_of(c_kernels):
        assert hasattr(c_kernels, attr)
    assert c_kernels.IMPLEMENTATION == "cython"
    assert pure_kernels.IMPLEMENTATION == "python"


def _public_methods(cls: type) -> FrozenSet[str]:
    return frozenset(name for name in dir(cls) if not name.startswith("_"))


@pytest.mark.c_extension
def test_compiled_signer_has_the_pure_methods(c_kernels: ModuleType, pure_kernels: ModuleType) -> None:
    """``Signer`` has the same public methods in both implementations."""
    assert _public_methods(c_kernels.Signer) == _public_methods(pure_kernels.Signer)


Params = Tuple[Tuple[str, str], ...]


def _signature_shape(obj: object) -> Params:
    """Parameter names and kinds (defaults are checked elsewhere, by behaviour)."""
    sig = inspect.signature(obj)  # type: ignore[arg-type]
    return tuple((p.name, p.kind.name) for p in sig.parameters.values())


@pytest.mark.c_extension
def test_compiled_signatures_equal_pure(c_kernels: ModuleType, pure_kernels: ModuleType) -> None:
    """Every kernel function and ``Signer`` method takes the same parameters in both implementations."""
    for attr in _all_of(pure_kernels):
        pure = getattr(pure_kernels, attr)
        if inspect.isfunction(pure):
            assert _signature_shape(getattr(c_kernels, attr)) == _signature_shape(pure), attr
    for method in _public_methods(pure_kernels.Signer):
        pure = getattr(pure_kernels.Signer, method)
        compiled = getattr(c_kernels.Signer, method)
        assert _without_self(_signature_shape(compiled)) == _without_self(_signature_shape(pure)), method


# --- the .pyi stub -------------------------------------------------------------


def _stub_tree(path: Path = STUB) -> ast.Module:
    assert path.is_file(), f"the compiled module needs a stub: {path}"
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _stub_all(tree: ast.Module) -> List[str]:
    for node in tree.body:
        targets: List[ast.expr] = []
        value_node: ast.expr | None = None
        if isinstance(node, ast.Assign):
            targets, value_node = list(node.targets), node.value
        elif isinstance(node, ast.AnnAssign):
            targets, value_node = [node.target], node.value
        if value_node is not None and any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
            value = ast.literal_eval(value_node)
            assert isinstance(value, list)
            return [str(v) for v in value]
    raise AssertionError("the stub has no __all__")


def _stub_top_level(tree: ast.Module) -> Dict[str, ast.AST]:
    found: Dict[str, ast.AST] = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found[node.name] = node
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            found[node.target.id] = node
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found[target.id] = node
    return found


def _stub_params(func: ast.FunctionDef) -> Params:
    args = func.args
    shape: List[Tuple[str, str]] = []
    shape += [(a.arg, "POSITIONAL_ONLY") for a in args.posonlyargs]
    shape += [(a.arg, "POSITIONAL_OR_KEYWORD") for a in args.args]
    if args.vararg is not None:
        shape.append((args.vararg.arg, "VAR_POSITIONAL"))
    shape += [(a.arg, "KEYWORD_ONLY") for a in args.kwonlyargs]
    if args.kwarg is not None:
        shape.append((args.kwarg.arg, "VAR_KEYWORD"))
    return tuple(shape)


def _without_self(shape: Params) -> Params:
    return shape[1:] if shape and shape[0][0] == "self" else shape


def test_stub_names_equal_pure_names(pure_kernels: ModuleType) -> None:
    """The stub's ``__all__`` and its definitions cover exactly the kernel names."""
    tree = _stub_tree()
    assert set(_stub_all(tree)) == set(_all_of(pure_kernels))
    defined = _stub_top_level(tree)
    for attr in _all_of(pure_kernels):
        assert attr in defined, f"the stub does not define {attr}"


def test_stub_signatures_equal_pure(pure_kernels: ModuleType) -> None:
    """Each stub function and ``Signer`` method has the pure twin's parameters."""
    defined = _stub_top_level(_stub_tree())
    for attr in _all_of(pure_kernels):
        pure = getattr(pure_kernels, attr)
        if inspect.isfunction(pure):
            node = defined[attr]
            assert isinstance(node, ast.FunctionDef), attr
            assert _stub_params(node) == _signature_shape(pure), attr
    signer = defined["Signer"]
    assert isinstance(signer, ast.ClassDef)
    methods = {n.name: n for n in signer.body if isinstance(n, ast.FunctionDef)}
    for method in _public_methods(pure_kernels.Signer) | {"__init__"}:
        assert method in methods, f"the stub's Signer lacks {method}"
        pure = getattr(pure_kernels.Signer, method)
        assert _without_self(_stub_params(methods[method])) == _without_self(_signature_shape(pure)), method
    public_in_stub = {name for name in methods if not name.startswith("_")}
    assert public_in_stub == set(_public_methods(pure_kernels.Signer))


# --- the webhook twins ----------------------------------------------------------


@pytest.mark.c_extension
def test_webhook_twins_match(c_kernels: ModuleType) -> None:
    """The compiled webhook batch kernel and Notification have the pure twins' shapes, and the stubs say so."""
    from gigya_fast.webhooks import _batch_c, _batch_py, _notification_c, _notification_py

    pure_batch, pure_note = _batch_py.verify_webhook_batch, _notification_py.Notification
    assert _signature_shape(_batch_c.verify_webhook_batch) == _signature_shape(pure_batch)
    assert _public_methods(_notification_c.Notification) == _public_methods(pure_note)
    assert _signature_shape(_notification_c.Notification.create) == _signature_shape(pure_note.create)
    node = _stub_top_level(_stub_tree(Path(_batch_c.__file__).with_name("_batch_c.pyi")))["verify_webhook_batch"]
    assert isinstance(node, ast.FunctionDef) and _stub_params(node) == _signature_shape(pure_batch)
    stub = _stub_tree(Path(_notification_c.__file__).with_name("_notification_c.pyi"))
    cls = _stub_top_level(stub)["Notification"]
    assert isinstance(cls, ast.ClassDef)
    members = {n.name for n in cls.body if isinstance(n, ast.FunctionDef)}
    members |= {n.target.id for n in cls.body if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)}
    assert {m for m in members if not m.startswith("_")} == set(_public_methods(pure_note))
