"""``gigya-fast webhooks verify FILE``: verify recorded webhook notifications.

Input: JSON lines ``{"headers": {...}, "body": "<raw body text>"}`` (or
``"body_b64"`` for bodies that are not UTF-8); ``-`` reads stdin. The secret
comes from an environment variable (``--secret-env``, default
``GIGYA_SECRET``), never from the command line; several secrets separated by
commas are all accepted (a secret being rotated). With ``--jwks FILE --api-key KEY``
the ``X-Gigya-Sig-JWT`` header is verified too (``--now`` verifies as of the
recording's time: a webhook JWT expires 60 s after it was sent). Prints a summary (valid,
invalid by reason, duplicate events); ``--format jsonl`` also writes one
result per line. Exit status: 0 when every notification verified, 1 when
some did not, 2 on usage errors (a bad option value, an unreadable key file).
A line that cannot be read as a record (not JSON, nested too deeply, a body
that is not text) is counted as unreadable and the run goes on.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import json
import os
import sys
from collections import Counter
from typing import IO, Any, Dict, Iterator, List, Tuple

from .._jsondepth import MAX_JSON_DEPTH, too_deep
from ..errors import ConfigurationError, InvalidSecretError, MissingDependencyError, SignatureError
from ..jwt._times import seconds
from ..webhooks import MemoryDedupeStore, Notification, WebhookVerifier

__all__ = ["register", "run", "verify_file", "read_record"]

_CHUNK = 4096
_PROGRESS_MIN_BYTES = 1 << 20
_UNREADABLE = "unreadable line (expected JSON with headers and body)"


def register(subparsers: Any) -> None:
    """Add the ``webhooks`` subcommand (with its ``verify`` action)."""
    parser = subparsers.add_parser("webhooks", help="verify recorded webhook notifications", allow_abbrev=False)
    parser.set_defaults(func=run, webhooks_parser=parser)  # no action: this command's help, exit 2
    actions = parser.add_subparsers(dest="webhooks_command", metavar="ACTION")
    verify = actions.add_parser("verify", help="verify a JSON-lines file of recorded notifications", allow_abbrev=False)
    verify.add_argument("file", metavar="FILE", help='JSON lines {"headers": {...}, "body": "..."}; - for stdin')
    verify.add_argument(
        "--secret-env",
        default="GIGYA_SECRET",
        metavar="VAR",
        help="environment variable holding the base64 secret (or several, comma-separated)",
    )
    verify.add_argument("--threads", type=int, default=1, metavar="N", help="threads for the HMAC kernel")
    verify.add_argument(
        "--format", choices=("text", "jsonl"), default="text", help="jsonl: also write one result per input line"
    )
    verify.add_argument("--output", metavar="FILE", help="write results/summary here instead of stdout")
    verify.add_argument(
        "--tolerance",
        type=float,
        default=None,
        metavar="SECONDS",
        help="also reject notifications whose timestamp is this far from now (off by default: recordings are old)",
    )
    verify.add_argument(
        "--jwks",
        metavar="FILE",
        help="JWKS JSON (the answer of accounts.getJWTPublicKey with V2=true): also verify X-Gigya-Sig-JWT",
    )
    verify.add_argument("--api-key", metavar="KEY", help="the site's API key, for the JWT issuer check (with --jwks)")
    verify.add_argument(
        "--now",
        type=float,
        default=None,
        metavar="SECONDS",
        help="verify as of this Unix time (default: now); a webhook JWT expires 60 s after it was sent",
    )
    progress = verify.add_mutually_exclusive_group()
    progress.add_argument("--progress", dest="progress", action="store_true", default=None, help="always show progress")
    progress.add_argument("--no-progress", dest="progress", action="store_false", help="never show progress")
    verify.set_defaults(func=run, webhooks_parser=parser)


def read_record(line: bytes) -> Tuple[bytes, Dict[str, str]] | None:
    """The ``(body, headers)`` of one JSON-lines record, or None when the line is not one.

    Never raises: JSON nested too deeply, a body holding a lone surrogate
    (it has no bytes) or bad base64 make the line unreadable, like bad JSON.
    """
    if too_deep(line):  # unreadable alike on every Python (the decoder's own limit moves between versions)
        return None
    try:
        record = json.loads(line)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return None
    if not isinstance(record, dict):
        return None
    headers = record.get("headers")
    if not isinstance(headers, dict) or not all(isinstance(v, str) for v in headers.values()):
        return None
    body = record.get("body")
    if isinstance(body, str):
        try:
            return body.encode("utf-8"), headers
        except UnicodeEncodeError:
            return None
    encoded = record.get("body_b64")
    if isinstance(encoded, str):
        try:
            return base64.b64decode(encoded, validate=True), headers
        except (binascii.Error, ValueError):
            return None
    return None


def _chunks(stream: IO[bytes]) -> Iterator[List[Tuple[int, bytes]]]:
    chunk: List[Tuple[int, bytes]] = []
    for number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        chunk.append((number, line))
        if len(chunk) >= _CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _Progress:
    """A one-line progress bar on stderr, by bytes read."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total, self.enabled, self.done = total, enabled and total > 0, 0

    def advance(self, nbytes: int, lines: int) -> None:
        self.done += nbytes
        if self.enabled:
            fraction = min(1.0, self.done / self.total)
            filled = int(fraction * 30)
            bar = "#" * filled + "." * (30 - filled)
            sys.stderr.write(f"\rverifying {fraction * 100:3.0f}% [{bar}] {lines} lines")
            sys.stderr.flush()

    def finish(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")
            sys.stderr.flush()


def verify_file(
    stream: IO[bytes],
    verifier: WebhookVerifier,
    *,
    threads: int = 1,
    results: IO[str] | None = None,
    progress: _Progress | None = None,
    now: float | None = None,
) -> Dict[str, Any]:
    """Verify every line of *stream*; return the summary (and write per-line results to *results*)."""
    valid = duplicates = total = 0
    reasons: Counter[str] = Counter()
    for chunk in _chunks(stream):
        items: List[Tuple[bytes, Dict[str, str]]] = []
        slots: List[int] = []
        outcomes: List[Notification | SignatureError | None] = [None] * len(chunk)
        for index, (_, line) in enumerate(chunk):
            item = read_record(line)
            if item is None:
                outcomes[index] = SignatureError(_UNREADABLE)
            else:
                slots.append(index)
                items.append(item)
        for index, verified in zip(slots, verifier.verify_many(items, threads=threads, now=now)):
            outcomes[index] = verified
        for (number, _), outcome in zip(chunk, outcomes):
            total += 1
            record: Dict[str, Any] = {"line": number}
            if isinstance(outcome, Notification):
                try:
                    dropped = outcome.duplicate_count
                except SignatureError as exc:
                    outcome = exc
                else:
                    valid += 1
                    duplicates += dropped
                    record.update(valid=True, nonce=outcome.data.get("nonce"), events=len(outcome.events))
                    record["duplicates"] = dropped
            if not isinstance(outcome, Notification):
                reason = str(outcome)
                reasons[reason] += 1
                record.update(valid=False, reason=reason)
            if results is not None:
                results.write(json.dumps(record, separators=(",", ":")) + "\n")
        if progress is not None:
            progress.advance(sum(len(line) for _, line in chunk), total)
    return {
        "total": total,
        "valid": valid,
        "invalid": total - valid,
        "reasons": dict(reasons),
        "duplicates": duplicates,
    }


def _summary_text(summary: Dict[str, Any]) -> str:
    lines = [
        f"notifications: {summary['total']}",
        f"valid: {summary['valid']}",
        f"invalid: {summary['invalid']}",
    ]
    for reason, count in sorted(summary["reasons"].items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"  {count}  {reason}")
    lines.append(f"duplicate events: {summary['duplicates']}")
    return "\n".join(lines) + "\n"


def _usage_error(message: str) -> int:
    sys.stderr.write(f"gigya-fast: {message}\n")
    return 2


def _read_jwks(path: str) -> Any:
    """The JWKS document in *path*; an error message (str) when it cannot be one."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
        if too_deep(raw):
            return f"{path} nests deeper than {MAX_JSON_DEPTH} levels: not a JWKS document"
        document = json.loads(raw)
    except OSError as exc:
        return f"cannot read {path}: {exc.strerror}"
    except (ValueError, RecursionError):
        return f"{path} is not a JSON document"
    if not isinstance(document, dict):
        return f"{path} is not a JWKS document (a JSON object with 'keys')"
    return document


def run(args: argparse.Namespace) -> int:
    """Run ``gigya-fast webhooks ...``."""
    if getattr(args, "webhooks_command", None) != "verify":
        args.webhooks_parser.print_help(sys.stderr)
        return 2
    secrets = [part.strip() for part in os.environ.get(args.secret_env, "").split(",") if part.strip()]
    secret = secrets or None
    if secret is None and not args.jwks:
        return _usage_error(f"environment variable {args.secret_env} is not set")
    if args.threads < 1:
        return _usage_error("--threads must be at least 1")
    for option, value in (("--tolerance", args.tolerance), ("--now", args.now)):
        try:
            if value is not None:
                seconds(option, value)
        except ValueError as exc:  # NaN or inf would open the window: a usage error, not a verdict
            return _usage_error(str(exc))
    jwks: Any = None
    if args.jwks:
        if not args.api_key:
            return _usage_error("--jwks needs --api-key (the JWT issuer check)")
        jwks = _read_jwks(args.jwks)
        if isinstance(jwks, str):
            return _usage_error(jwks)
    try:
        verifier = WebhookVerifier(
            secret,
            api_key=args.api_key,
            jwks=jwks,
            tolerance=args.tolerance,
            dedupe=MemoryDedupeStore(max_entries=10_000_000, ttl=10 * 365 * 86400.0),
        )
    except InvalidSecretError as exc:
        return _usage_error(f"{args.secret_env}: {exc}")
    except (ConfigurationError, MissingDependencyError) as exc:
        return _usage_error(str(exc))
    try:
        stream: IO[bytes] = sys.stdin.buffer if args.file == "-" else open(args.file, "rb")  # noqa: SIM115
    except OSError as exc:
        return _usage_error(f"cannot read {args.file}: {exc.strerror}")
    try:
        out: IO[str] = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout  # noqa: SIM115
    except OSError as exc:
        stream.close()
        return _usage_error(f"cannot write {args.output}: {exc.strerror}")
    size = 0
    if args.file != "-":
        try:
            size = os.fstat(stream.fileno()).st_size
        except OSError:
            size = 0
    show = args.progress if args.progress is not None else sys.stderr.isatty() and size >= _PROGRESS_MIN_BYTES
    progress = _Progress(size, bool(show))
    try:
        summary = verify_file(
            stream,
            verifier,
            threads=args.threads,
            results=out if args.format == "jsonl" else None,
            progress=progress,
            now=args.now,
        )
    finally:
        progress.finish()
        if stream is not sys.stdin.buffer:
            stream.close()
    text = _summary_text(summary)
    if args.format == "jsonl":
        sys.stderr.write(text)
    else:
        out.write(text)
    if out is not sys.stdout:
        out.close()
    else:
        out.flush()
    return 0 if summary["invalid"] == 0 else 1
