#!/usr/bin/env python3
"""Fuzzing the parsers that read untrusted input before any signature vouches for it (atheris).

Three targets, each checking invariants rather than comparing two twins
(``scripts/fuzz.py`` does that for the signing kernels):

- ``jose``: compact JWS tokens (``_jose.split_segments``, ``segment_bytes``,
  ``decode_verified`` with a key mapping and with a ``JWKSCache``): every
  failure is an ``InvalidTokenError``; a decoded segment re-encodes to the
  text it came from; a mutated genuine token verifies only when it is the
  genuine token; whatever the header says, a cache fetches at most once per
  input and only for a known data center.
- ``webhook``: ``WebhookVerifier.verify`` over hostile bodies and headers
  (random bytes, deep nesting, NaN literals, huge numbers, surrogates),
  sometimes with a genuine HMAC and/or JWT so that the body parser runs on
  vouched input too: the outcome is a ``Notification`` or a
  ``SignatureError``, the lazy parts of a ``Notification`` fail only with
  ``SignatureError``, and ``verify_many`` agrees with ``verify``.
- ``cli_line``: the CLI's JSON-lines reader (``gigya_fast.cli.webhooks``):
  ``read_record`` never raises, and ``verify_file`` over any lines counts
  every non-blank line once.

A broken invariant raises, so libFuzzer stops and saves the input under
``<out>/artifacts/``; replay it with ``--target NAME <artifact>``.

Usage::

    python scripts/fuzz_parsers.py --seconds 720          # every target, the time split between them
    python scripts/fuzz_parsers.py --target jose --seconds 60
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Tuple

import atheris

with atheris.instrument_imports(
    include=["gigya_fast._jose", "gigya_fast.jwt", "gigya_fast.webhooks", "gigya_fast.cli.webhooks"]
):
    from gigya_fast import _jose
    from gigya_fast.cli.webhooks import read_record, verify_file
    from gigya_fast.errors import InvalidTokenError, SignatureError
    from gigya_fast.jwt import CDC_DATA_CENTERS, JWKSCache, decode_verified
    from gigya_fast.jwt._keys import key_source
    from gigya_fast.webhooks import MemoryDedupeStore, Notification, WebhookVerifier

API_KEY = "3_fuzz"
ISSUER = f"https://fidm.gigya.com/jwt/{API_KEY}/"
KID = "fuzz-kid"
NOW = 1_700_000_000
SECRET = base64.b64encode(b"fuzz-webhook-secret-0123456789ab").decode("ascii")


def _private_key() -> Any:
    from cryptography.hazmat.primitives.asymmetric import rsa

    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


PRIVATE_KEY = _private_key()
JWKS = {"keys": [_jose.public_jwk(PRIVATE_KEY.public_key(), KID)]}
KEYS = key_source(JWKS)  # kid -> key, as a verifier holds it
GENUINE = _jose.encode_rs256(
    {"iss": ISSUER, "sub": "uid", "iat": NOW, "exp": NOW + 60}, PRIVATE_KEY, {"kid": KID, "dc": "eu1"}
)
SIGNED_CACHE: Dict[bytes, str] = {}  # body -> a genuine webhook JWT for it (RSA signing is slow)

JSON_PIECES = [
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b":",
    b'"',
    b"\\u",
    b"\\ud800",
    b"NaN",
    b"Infinity",
    b"-Infinity",
    b"1e999",
    b"9" * 40,
    b"true",
    b"null",
    b'"timestamp"',
    b'"nonce"',
    b'"events"',
    b'"id"',
    b'"type"',
    b'"data"',
    b"\xff",
    b"\x00",
    b" ",
]


class Gen:
    """Structured values drawn from libFuzzer's bytes."""

    def __init__(self, data: bytes) -> None:
        self.fdp = atheris.FuzzedDataProvider(data)

    def n(self, low: int, high: int) -> int:
        return int(self.fdp.ConsumeIntInRange(low, high))

    def pick(self, options: List[Any]) -> Any:
        return self.fdp.PickValueInList(options)

    def raw(self, size: int) -> bytes:
        data: bytes = self.fdp.ConsumeBytes(self.n(0, size))
        return bytes(data)

    def text(self, size: int) -> str:
        return str(self.fdp.ConsumeUnicode(self.n(0, size)))  # may hold lone surrogates

    def json_ish(self) -> bytes:
        """Bytes that are often almost JSON: pieces, nesting, and a CDC notification now and then."""
        kind = self.n(0, 5)
        if kind == 0:
            depth: int = self.pick([10, 1_000, 5_000, 20_000])
            opener: bytes = self.pick([b"[", b'{"a":'])
            return opener * depth + b"1" + (b"]" if opener == b"[" else b"}") * depth
        if kind == 1:
            return self.raw(200)
        if kind == 2:
            events = [
                {"type": self.text(8), "id": self.text(6), "timestamp": self.pick([NOW, "x", None, 1.5]), "data": {}}
                for _ in range(self.n(0, 3))
            ]
            doc: Dict[str, Any] = {"events": events, "nonce": self.text(8), "timestamp": self.pick([NOW, NOW + 0.5])}
            text = json.dumps(doc, separators=(",", ":")).encode("utf-8", "surrogatepass")
            cut = self.n(0, len(text))
            return text[:cut] + self.raw(8) + text[cut:] if self.n(0, 3) == 0 else text
        return b"".join(self.pick(JSON_PIECES) for _ in range(self.n(0, 40)))


# --- jose --------------------------------------------------------------------------------


def _mutate_token(g: Gen) -> str:
    head, claims, sig = GENUINE.split(".")
    kind = g.n(0, 6)
    if kind == 0:
        return GENUINE + str(g.pick(["", "=", "==", ".", " ", "\n"]))
    if kind == 1:  # one character of one segment replaced
        parts = [head, claims, sig]
        i = g.n(0, 2)
        if parts[i]:
            j = g.n(0, len(parts[i]) - 1)
            parts[i] = parts[i][:j] + g.pick(list("AQgw-_+/=!.\u00e9 ")) + parts[i][j + 1 :]
        return ".".join(parts)
    if kind == 2:  # a forged header over the genuine claims and signature
        header = g.json_ish() if g.n(0, 1) else json.dumps(
            {"alg": g.pick(["RS256", "none", "HS256", None]), "kid": g.pick([KID, "x", 1]), "dc": g.text(6)}
        ).encode("utf-8", "surrogatepass")
        return _jose.b64url_encode(header) + "." + claims + "." + sig
    if kind == 3:
        return g.text(64)
    if kind == 4:
        return ".".join(_jose.b64url_encode(part) for part in (g.json_ish(), g.json_ish(), g.raw(300)))
    return GENUINE


def target_jose(data: bytes) -> None:
    """Tokens: typed failures, canonical segments, no malleability, bounded fetches."""
    g = Gen(data)
    token = _mutate_token(g)
    for segment in token.split(".")[:4]:
        try:
            decoded = _jose.segment_bytes(segment)
        except InvalidTokenError:
            continue
        assert _jose.b64url_encode(decoded) == segment, "a non-canonical segment was accepted"
    fetches: List[str] = []

    def fetch() -> Any:
        fetches.append("")
        return JWKS

    def fetch_dc(dc: str) -> Any:
        fetches.append(dc)
        return JWKS

    cache = JWKSCache(fetch, fetch_for_data_center=fetch_dc, data_center="us1")
    for source in (KEYS, cache):
        try:
            decode_verified(token, jwks=source, issuer=ISSUER, now=NOW)
        except InvalidTokenError:
            continue
        assert token == GENUINE, "a token other than the genuine one verified"
    assert len(fetches) <= 1 and all(dc in CDC_DATA_CENTERS or dc == "" for dc in fetches), fetches


# --- webhook -----------------------------------------------------------------------------


def _hmac(body: bytes) -> str:
    return base64.b64encode(hmac.new(base64.b64decode(SECRET), body, hashlib.sha1).digest()).decode("ascii")


def _webhook_jwt(body: bytes, nonce: Any) -> str:
    token = SIGNED_CACHE.get(body)
    if token is None:
        claims = {
            "iss": ISSUER,
            "iat": NOW,
            "exp": NOW + 60,
            "jti": nonce if isinstance(nonce, str) else "n",
            "sub": _jose.b64url_encode(hashlib.sha256(body).digest()),
        }
        token = _jose.encode_rs256(claims, PRIVATE_KEY, {"kid": KID, "dc": "us1"})
        if len(SIGNED_CACHE) < 4096:
            SIGNED_CACHE[body] = token
    return str(token)


VERIFIERS = (
    WebhookVerifier(SECRET, api_key=API_KEY, jwks=JWKS, require="any", dedupe=False),
    WebhookVerifier(SECRET, api_key=API_KEY, jwks=JWKS, require="any", dedupe=False, tolerance=None),
    WebhookVerifier(SECRET, dedupe=False),  # HMAC only: verify_many takes the batch kernel
)


def _outcome(call: Callable[[], Any]) -> Tuple[str, str]:
    try:
        result = call()
    except SignatureError as exc:
        return "error", str(exc)
    assert isinstance(result, Notification), type(result)
    for part in ("data", "nonce", "timestamp", "events", "to_dict"):
        try:
            value = getattr(result, part)
            if callable(value):
                value()
        except SignatureError:
            pass
    return "ok", repr(sorted(result.verified_by))


def target_webhook(data: bytes) -> None:
    """verify and verify_many over hostile notifications: typed outcomes only, and they agree."""
    g = Gen(data)
    body = g.json_ish() or b"x"
    headers: Dict[str, str] = {}
    signing = g.n(0, 3)
    if signing in (1, 3):
        headers["X-Gigya-Sig-Hmac-Sha1"] = _hmac(body) if g.n(0, 3) else g.text(30)
    if signing in (2, 3):
        try:
            nonce = json.loads(body).get("nonce")
        except Exception:  # noqa: BLE001 - any body: the token is for its bytes
            nonce = None
        headers["X-Gigya-Sig-JWT"] = _webhook_jwt(body, nonce) if g.n(0, 3) else g.text(40)
    if g.n(0, 7) == 0:
        headers[g.pick(["x-gigya-sig-hmac-sha1", "X-GIGYA-SIG-JWT", "Content-Type"])] = g.text(20)
    for verifier in VERIFIERS:
        single = _outcome(lambda: verifier.verify(body, headers, now=NOW))  # noqa: B023 - called at once
        for result in verifier.verify_many([(body, headers), (body, headers)], now=NOW):
            assert _outcome(_returning(result)) == single


def _returning(result: Any) -> Callable[[], Any]:
    """A call that returns *result*, or raises it when it is an exception (a verify_many slot)."""

    def call() -> Any:
        if isinstance(result, BaseException):
            raise result
        return result

    return call


# --- cli_line ----------------------------------------------------------------------------

CLI_VERIFIER = WebhookVerifier(SECRET, tolerance=None, dedupe=MemoryDedupeStore(max_entries=1000))


def _cli_line(g: Gen) -> bytes:
    kind = g.n(0, 4)
    if kind == 0:
        return g.raw(120)
    body = g.json_ish()
    record: Dict[str, Any] = {"headers": {"X-Gigya-Sig-Hmac-Sha1": _hmac(body)}}
    try:
        record["body"] = body.decode("utf-8")
    except UnicodeDecodeError:
        record["body_b64"] = base64.b64encode(body).decode("ascii")
    if kind == 1:
        record["body"] = g.text(30)
    if kind == 2:
        record = g.pick([[], "x", {"headers": [], "body": ""}, {"headers": {"a": 1}, "body": ""}, record])
    text = json.dumps(record, ensure_ascii=g.n(0, 1) == 0)
    return text.encode("utf-8", "surrogatepass")


def target_cli_line(data: bytes) -> None:
    """read_record never raises; verify_file counts each non-blank line once."""
    g = Gen(data)
    lines = [_cli_line(g) for _ in range(g.n(0, 6))]
    for line in lines:
        item = read_record(line)
        if item is not None:
            body, headers = item
            assert type(body) is bytes and all(isinstance(v, str) for v in headers.values())
    stream = io.BytesIO(b"\n".join(line.replace(b"\n", b" ") for line in lines))
    summary = verify_file(stream, CLI_VERIFIER, results=io.StringIO())
    assert summary["total"] == sum(1 for line in lines if line.replace(b"\n", b" ").strip())
    assert summary["valid"] + summary["invalid"] == summary["total"]


TARGETS: Dict[str, Callable[[bytes], None]] = {
    "jose": target_jose,
    "webhook": target_webhook,
    "cli_line": target_cli_line,
}


# --- driver ------------------------------------------------------------------------------

_DONE = re.compile(r"Done (\d+) runs in (\d+) second")


def run_target(name: str, seconds: int, out: Path, extra: List[str]) -> None:
    """Fuzz one target in this process until libFuzzer's time limit (never returns)."""
    artifacts = out / "artifacts"
    artifacts.mkdir(parents=True, exist_ok=True)
    argv = [sys.argv[0], f"-max_total_time={seconds}", f"-artifact_prefix={artifacts}/{name}-", "-rss_limit_mb=4096"]
    argv += ["-print_final_stats=1", *extra]
    atheris.Setup(argv, TARGETS[name])
    atheris.Fuzz()


def orchestrate(targets: List[str], seconds: int, out: Path) -> int:
    """Run each target in a subprocess for its share of the time; print a table; 0 when none failed."""
    out.mkdir(parents=True, exist_ok=True)
    share = max(5, seconds // len(targets))
    print(f"fuzzing {len(targets)} parser target(s), {share} s each; output in {out}", flush=True)
    rows: List[Tuple[str, str, str, str]] = []
    status = 0
    for name in targets:
        log_path = out / f"{name}.log"
        cmd = [sys.executable, __file__, "--target", name, "--seconds", str(share), "--out", str(out)]
        start = time.monotonic()
        with log_path.open("w", encoding="utf-8") as log:
            proc = subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT, check=False)  # noqa: S603
        elapsed = time.monotonic() - start
        done = _DONE.search(log_path.read_text(encoding="utf-8", errors="replace"))
        failed = proc.returncode != 0 or not done
        status |= int(failed)
        rows.append((name, done.group(1) if done else "?", f"{elapsed:.0f}", "FAILED (see log)" if failed else "ok"))
    print("\n| target | executions | seconds | result |\n|---|---:|---:|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return status


def main() -> None:
    """Parse the command line and run one target (in process) or all (in subprocesses)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--target", choices=sorted(TARGETS), help="fuzz only this target, in this process")
    parser.add_argument("--seconds", type=int, default=720, help="total time budget (default 720)")
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "gigya_fast_fuzz_parsers")
    args, extra = parser.parse_known_args()
    if args.target:
        run_target(args.target, args.seconds, args.out, extra)
    sys.exit(orchestrate(sorted(TARGETS), args.seconds, args.out))


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
