"""The kernel benchmarks: our pure twin and our compiled twin (and, for webhook bodies, a
stdlib loop), measured side by side in one run.

Every case first checks that the implementations agree (a benchmark of wrong answers is
worthless), then times them interleaved, best of N. The installed ``gigya-fast bench``
reports ratios only; ``benchmarks/bench_kernels.py`` in a checkout adds the original SDK's
algorithm as a further reference (``baselines``) and checks the project's targets.
"""

from __future__ import annotations

import base64
import hmac
import importlib
import json
import random
import time
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple

from .._env import no_extensions
from .machine import machine_info
from .report import PURE, Report, Row
from .timing import Op, measure

__all__ = [
    "Config",
    "CASES",
    "Baselines",
    "load_kernels",
    "run_benchmarks",
    "stdlib_verify_many",
    "request_params",
    "SECRET",
    "URL",
]

SECRET = base64.b64encode(b"gigya_fast benchmark secret, 32 b").decode("ascii")
URL = "https://accounts.us1.gigya.com/accounts.setAccountInfo"
BODY_SIZE = 2048

#: More references per case, from the case's own inputs: ``baselines[case](*inputs)`` gives
#: labelled operations timed beside the twins, one row each. The inputs are, per case:
#: validate_user ``(uid, timestamp, secret, signature)``; validate_users ``(uids, timestamps,
#: signatures, secret)``; sign_request ``(secret, method, url, params)``; verify_hmacs
#: ``(key, bodies, signatures)``.
Baselines = Mapping[str, Callable[..., Dict[str, "Op"]]]


@dataclass(frozen=True)
class Config:
    """Sizes and timing budget of one run."""

    quick: bool
    repeats: int
    min_time: float
    batch: int
    bodies: int


def make_config(quick: bool = False, repeats: int | None = None) -> Config:
    """Full run: 100k signatures, 7 repeats; quick: small batches, 2 repeats (a smoke run)."""
    if quick:
        return Config(quick=True, repeats=repeats or 2, min_time=0.002, batch=2000, bodies=200)
    return Config(quick=False, repeats=repeats or 7, min_time=0.05, batch=100_000, bodies=4000)


def load_kernels() -> Tuple[ModuleType, ModuleType | None, str]:
    """(pure module, compiled module or None, status text of the compiled one)."""
    pure = importlib.import_module("gigya_fast._signing_py")
    if no_extensions():
        return pure, None, "disabled by GIGYA_FAST_NO_EXTENSIONS"
    try:
        compiled = importlib.import_module("gigya_fast._signing_c")
    except ImportError as exc:
        return pure, None, f"not built ({exc})"
    return pure, compiled, "loaded"


# --- what a user of the stdlib would write -------------------------------------------------


def stdlib_verify_many(key: bytes, bodies: Sequence[bytes], signatures: Sequence[str]) -> List[bool]:
    """Webhook bodies checked with the stdlib: hmac.digest + b64encode + compare_digest per body."""
    digest, encode, compare = hmac.digest, base64.b64encode, hmac.compare_digest
    return [compare(encode(digest(key, body, "sha1")).decode("ascii"), sig) for body, sig in zip(bodies, signatures)]


def stdlib_digest_many(key: bytes, bodies: Sequence[bytes]) -> List[bytes]:
    """Only the HMACs: a loop of hmac.digest per body (no encoding, no comparison)."""
    digest = hmac.digest
    return [digest(key, body, "sha1") for body in bodies]


def sign_with_functions(kernels: Any, url: str, params: Dict[str, Any], secret: str) -> str:
    """The module-level path: ``calc_signature(build_base_string(...), secret)``."""
    return str(kernels.calc_signature(kernels.build_base_string("POST", url, params), secret))


# --- helpers ------------------------------------------------------------------------------


def _ops(pure: Op, compiled_op: Op | None, extra: Dict[str, Op] | None = None) -> Dict[str, Op]:
    ops = {"pure": pure}
    if compiled_op is not None:
        ops["compiled"] = compiled_op
    ops.update(extra or {})
    return ops


def _rows(case: str, best: Dict[str, float], references: Sequence[str], note: str = "") -> List[Row]:
    """The pure-twin row of *case*, then one row per further reference."""
    rows = [Row(case, PURE, best["pure"], best["pure"], best.get("compiled"), note)]
    rows += [Row(case, label, best[label], best["pure"], best.get("compiled")) for label in references]
    return rows


def _agree(ops: Dict[str, Op], labels: Sequence[str], expected: Any = None) -> None:
    """Fail loudly when the implementations disagree before anything is timed."""
    results = {label: ops[label].call() for label in labels if label in ops}
    first = next(iter(results.values()))
    for label, result in results.items():
        if result != first or (expected is not None and result != expected):
            raise AssertionError(f"benchmark implementations disagree: {label} gave {result!r}")


def _sign(key: bytes, message: str) -> str:
    return base64.b64encode(hmac.digest(key, message.encode("utf-8"), "sha1")).decode("ascii")


# --- cases --------------------------------------------------------------------------------


def bench_validate_user(cfg: Config, pure: ModuleType, compiled: ModuleType | None, extra: Any) -> List[Row]:
    """One UIDSignature check per call, fresh timestamp, module-level functions."""
    uid, stamp = "_gid_7kBzZ0uQ2pXc9vLm3nRt", str(int(time.time()))
    sig = _sign(base64.b64decode(SECRET), stamp + "_" + uid)
    args = (uid, stamp, SECRET, sig)
    references = extra(*args) if extra else {}
    ops = _ops(
        Op(pure.validate_user_signature, args),
        Op(compiled.validate_user_signature, args) if compiled else None,
        references,
    )
    _agree(ops, list(ops), expected=True)
    best = measure(ops, repeats=cfg.repeats, min_time=cfg.min_time)
    return _rows("validate_user_signature", best, list(references), note="with the default 300 s window")


def bench_validate_users(cfg: Config, pure: ModuleType, compiled: ModuleType | None, extra: Any) -> List[Row]:
    """A batch of UIDSignatures (1 in 10 tampered): per-signature cost, against single calls, then threads."""
    key = base64.b64decode(SECRET)
    now = int(time.time())
    uids = [f"_gid_{i:08d}_user" for i in range(cfg.batch)]
    stamps = [str(now - (i % 240)) for i in range(cfg.batch)]
    sigs = [_sign(key, t + "_" + u) for u, t in zip(uids, stamps)]
    for i in range(0, cfg.batch, 10):
        sigs[i] = sigs[i][:-2] + ("A=" if sigs[i][-2] != "A" else "B=")
    batch = (uids, stamps, sigs)
    n = cfg.batch
    references = extra(uids, stamps, sigs, SECRET) if extra else {}
    ops = _ops(
        Op(pure.Signer(SECRET).validate_users, batch, {"threads": 1}, ops=n),
        Op(compiled.Signer(SECRET).validate_users, batch, {"threads": 1}, ops=n) if compiled else None,
        references,
    )
    _agree(ops, list(ops), expected=[i % 10 != 0 for i in range(n)])
    single = None
    if compiled is not None:
        # the same kernel one signature per call, timed in the same rounds as the batch
        ops["single"] = single = Op(compiled.validate_user_signature, (uids[1], stamps[1], SECRET, sigs[1]))
        _agree(ops, ["single"], expected=True)
    best = measure(ops, repeats=cfg.repeats, min_time=cfg.min_time)
    case = f"validate_users {n // 1000}k, threads=1"
    rows = _rows(case, best, list(references), note="per signature")
    rows.append(
        Row(
            f"validate_users {n // 1000}k, per signature",
            "single calls",
            best["single"] if single else None,
            None,
            best.get("compiled"),
            note="validate_user_signature one call per signature vs one batch, both compiled",
        )
    )
    rows.append(_thread_row(f"validate_users {n // 1000}k, threads=2", cfg, compiled, "validate_users", batch, n))
    return rows


def _thread_row(case: str, cfg: Config, compiled: ModuleType | None, method: str, args: Tuple[Any, ...], n: int) -> Row:
    """threads=2 vs threads=1 of the compiled kernels, on the wall clock."""
    best: Dict[str, float] = {}
    if compiled is not None:
        bound = getattr(compiled.Signer(SECRET), method)
        ops = {"t1": Op(bound, args, {"threads": 1}, ops=n), "t2": Op(bound, args, {"threads": 2}, ops=n)}
        _agree(ops, ["t1", "t2"])
        # Wall clock on a shared machine: short samples, many of them, to catch quiet moments.
        best = measure(ops, repeats=cfg.repeats * 3, min_time=cfg.min_time / 5, clock="wall")
    return Row(
        case,
        "compiled threads=1",
        best.get("t1"),
        None,
        best.get("t2"),
        note="wall clock, compiled threads=2 vs threads=1 (needs 2 idle cores)",
    )


def request_params(now: int) -> Dict[str, Any]:
    """10 parameters as the client sends them, one a ~300-byte JSON object."""
    data = {
        "profile": {"firstName": "Zoë", "lastName": "Lindqvist", "email": "zoe@example.com"},
        "data": {"newsletter": True, "tier": "gold", "points": 12840, "tags": ["beta", "mobile", "eu"]},
        "preferences": {"terms": {"isConsentGranted": True}, "privacy": {"isConsentGranted": False}},
        "subscriptions": {"news": {"email": {"isSubscribed": 1}}},
    }
    return {
        "apiKey": "3_f1X2c9fWn1Lb4Vq0gH7tYzE8sKpR6mJ2uD5aN3oQ",
        "userKey": "AJ1s2Kp6ZyQh",
        "timestamp": now,
        "nonce": f"{now}123456",
        "format": "json",
        "httpStatusCodes": "false",
        "sdk": "python_3.3.6",
        "UID": "_gid_7kBzZ0uQ2pXc9vLm3nRt",
        "include": "profile,data,preferences",
        "data": data,
    }


def _signer_op(kernels: ModuleType, request: Dict[str, Any]) -> Op:
    return Op(kernels.Signer(SECRET).sign_request, ("POST", URL, request))


def _functions_op(kernels: ModuleType, request: Dict[str, Any]) -> Op:
    return Op(sign_with_functions, (kernels, URL, request, SECRET))


def bench_sign_request(cfg: Config, pure: ModuleType, compiled: ModuleType | None, extra: Any) -> List[Row]:
    """Base string + HMAC for one request of 10 params incl. a ~300-byte JSON value.

    Measured with the JSON value as a dict (serialised on every call) and as an already
    serialised str.
    """
    params = request_params(int(time.time()))
    text = json.dumps(params["data"], separators=(",", ":"), ensure_ascii=False)
    rows: List[Row] = []
    for kind, value in (("dict", params["data"]), ("str", text)):
        request = dict(params, data=value)
        references = extra(SECRET, "POST", URL, request) if extra else {}
        for name, make in (("Signer.sign_request", _signer_op), ("calc_signature(build_base_string)", _functions_op)):
            ops = _ops(make(pure, request), make(compiled, request) if compiled else None, references)
            _agree(ops, ["pure", "compiled"])
            best = measure(ops, repeats=cfg.repeats, min_time=cfg.min_time)
            rows += _rows(f"sign_request, JSON {kind}: {name}", best, list(references))
    size = len(text.encode("utf-8"))
    rows[0].note = f"10 params, JSON value of {size} bytes (dict: json-encoded on every call)"
    return rows


def bench_verify_hmacs(cfg: Config, pure: ModuleType, compiled: ModuleType | None, extra: Any) -> List[Row]:
    """Webhook bodies of 2 KB: one batch call vs the pure twin and a stdlib loop, threads=1 (then 2)."""
    key = base64.b64decode(SECRET)
    rng = random.Random(2048)  # noqa: S311 - benchmark data, not secrets
    alphabet = b'abcdefghijklmnopqrstuvwxyz0123456789{}":,[]'
    bodies = [bytes(rng.choice(alphabet) for _ in range(BODY_SIZE)) for _ in range(min(cfg.bodies, 64))]
    bodies = [bodies[i % len(bodies)][: BODY_SIZE - 8] + b"%08d" % i for i in range(cfg.bodies)]
    sigs = [base64.b64encode(hmac.digest(key, body, "sha1")).decode("ascii") for body in bodies]
    n = cfg.bodies
    references = {
        "stdlib verify loop": Op(stdlib_verify_many, (key, bodies, sigs), ops=n),
        "hmac.digest loop only": Op(stdlib_digest_many, (key, bodies), ops=n),
    }
    references.update(extra(key, bodies, sigs) if extra else {})
    ops = _ops(
        Op(pure.Signer(SECRET).verify_hmacs, (bodies, sigs), {"threads": 1}, ops=n),
        Op(compiled.Signer(SECRET).verify_hmacs, (bodies, sigs), {"threads": 1}, ops=n) if compiled else None,
        references,
    )
    _agree(ops, ["stdlib verify loop", "pure", "compiled"], expected=[True] * n)
    best = measure(ops, repeats=cfg.repeats, min_time=cfg.min_time)
    rows = _rows("verify_hmacs 2KB, threads=1", best, list(references))
    rows[1].note = "stdlib loop = hmac.digest + b64encode + compare_digest per body"
    rows.append(_thread_row("verify_hmacs 2KB, threads=2", cfg, compiled, "verify_hmacs", (bodies, sigs), n))
    return rows


Case = Callable[[Config, ModuleType, Optional[ModuleType], Any], List[Row]]

CASES: Dict[str, Case] = {
    "validate_user": bench_validate_user,
    "validate_users": bench_validate_users,
    "sign_request": bench_sign_request,
    "verify_hmacs": bench_verify_hmacs,
}


def run_benchmarks(
    quick: bool = False,
    only: Sequence[str] | None = None,
    repeats: int | None = None,
    baselines: Baselines | None = None,
) -> Report:
    """Run the selected cases (all by default) and return the report; *baselines* adds
    references per case (see :data:`Baselines`)."""
    unknown = sorted(set(only or ()) - set(CASES))
    if unknown:
        raise ValueError("unknown benchmark case(s): {} (choose from {})".format(", ".join(unknown), ", ".join(CASES)))
    cfg = make_config(quick, repeats)
    pure, compiled, status = load_kernels()
    report = Report(
        machine=machine_info(pure, compiled, status),
        compiled_available=compiled is not None,
        quick=quick,
        repeats=cfg.repeats,
    )
    for name, case in CASES.items():
        if only and name not in only:
            continue
        report.rows.extend(case(cfg, pure, compiled, (baselines or {}).get(name)))
    return report
