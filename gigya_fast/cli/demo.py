"""``gigya-fast demo``: the whole SDK end to end against the embedded local CDC server.

Starts :class:`gigya_fast.testing.LocalCDC` in-process (HTTPS with a throwaway
CA when the ``testing`` extra is installed), then through the real pooled
:class:`gigya_fast.rest.Client`: creates accounts, reads them back, validates
their UIDSignatures in one batch, pages through a cursor search, receives the
signed webhooks on a local receiver and verifies them in one batch, and checks
an id_token when the ``jwt`` extra is installed; then the login hot path
(:mod:`gigya_fast.cli.demo_login`): users register and log in, their login
UIDSignatures are validated one by one and in a batch, a login token becomes a
verified id_token, and a two-factor login completes with the emailed code;
then, with the ``aio`` extra, a search, a ``call_many`` and a typed error through
:class:`gigya_fast.aio.AsyncClient` (:mod:`gigya_fast.cli.demo_async`).
Checks that need a missing extra are listed as skipped with the install line.
Exit status 0 only when every check that ran passed.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, List, Tuple

from .. import IMPLEMENTATION, __version__, kernel_info, validate_user_signatures
from ..errors import GigyaError

__all__ = ["register", "run", "WebhookReceiver", "Report"]

Recorded = Tuple[bytes, Dict[str, str]]
# What each optional piece needs: the extra that installs it.
_EXTRA_FOR = {"jwt": "cryptography", "testing": "trustme", "aio": "aiohttp"}


class WebhookReceiver:
    """A tiny threaded HTTP endpoint on 127.0.0.1 that records raw webhook bodies and headers."""

    def __init__(self) -> None:
        self.received: List[Recorded] = []
        lock = threading.Lock()
        received = self.received

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server naming
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                with lock:
                    received.append((body, dict(self.headers.items())))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="demo-webhooks", daemon=True)

    @property
    def url(self) -> str:
        """Where CDC should POST notifications."""
        return "http://127.0.0.1:%d/cdc-webhook" % self._server.server_address[1]

    def __enter__(self) -> WebhookReceiver:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()


class Report:
    """Collects check results and timings, and prints them as a table; skipped checks name their extra."""

    def __init__(self) -> None:
        self.rows: List[Tuple[str, bool, float, str]] = []
        self.skipped: List[Tuple[str, str]] = []

    def skip(self, name: str, extra: str) -> None:
        """Record (and print) a check not run because the *extra* is not installed."""
        self.skipped.append((name, extra))
        print("  [skip] %-44s %8s     needs the %s extra (%s)" % (name, "", extra, _EXTRA_FOR[extra]), flush=True)

    def check(self, name: str, func: Callable[[], Tuple[bool, str]]) -> bool:
        """Run one check, print its row; an exception counts as a failure with its message."""
        start = time.perf_counter()
        try:
            ok, detail = func()
        except (GigyaError, OSError, ValueError, KeyError, TypeError) as exc:
            ok, detail = False, "%s: %s" % (type(exc).__name__, exc)
        return self.add(name, ok, time.perf_counter() - start, detail)

    def add(self, name: str, ok: bool, seconds: float, detail: str) -> bool:
        """Record (and print) a check that ran elsewhere (e.g. on an event loop)."""
        self.rows.append((name, ok, seconds, detail))
        status = "ok  " if ok else "FAIL"
        print("  [%s] %-44s %8.1f ms  %s" % (status, name, seconds * 1000, detail), flush=True)
        return ok

    @property
    def passed(self) -> bool:
        """True when checks ran and every one passed."""
        return bool(self.rows) and all(ok for _, ok, _, _ in self.rows)

    def summary(self) -> str:
        """The closing lines: verdict, counts, time, and what to install for the skipped checks."""
        total = sum(row[2] for row in self.rows)
        lines = ["%s: %d checks in %.2f s" % ("PASSED" if self.passed else "FAILED", len(self.rows), total)]
        if self.skipped:
            extras = ",".join(sorted({extra for _, extra in self.skipped}))
            names = ", ".join(name for name, _ in self.skipped)
            lines.append("skipped %d: %s" % (len(self.skipped), names))
            lines.append("to run them: pip install 'gigya_fast[%s]'" % extras)
        return "\n".join(lines)


def register(subparsers: Any) -> None:
    """Add the ``demo`` subcommand."""
    parser = subparsers.add_parser("demo", help="run the whole SDK against the embedded local CDC server")
    parser.add_argument("--accounts", type=int, default=200, help="accounts to create (default 200)")
    parser.add_argument("--page-size", type=int, default=50, help="search page size (default 50)")
    parser.add_argument("--workers", type=int, default=8, help="call_many workers (default 8)")
    parser.add_argument("--logins", type=int, default=8, help="users who register and log in (default 8)")
    parser.add_argument("--plain-http", action="store_true", help="serve plain HTTP even when TLS is available")
    parser.set_defaults(func=run)


def _have(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def run(args: argparse.Namespace) -> int:
    """Run the demo; returns 0 when every check passed (1 when one failed or the output pipe closed)."""
    try:
        return _run(args)
    except BrokenPipeError:
        # ``gigya-fast demo | head``: the reader is gone. Stop quietly, and send what is still
        # buffered to /dev/null so that the interpreter's final flush does not complain either.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return 1


def _run(args: argparse.Namespace) -> int:
    from ..jwt import JWKSCache, verify_id_token
    from ..rest import Client
    from ..testing import LocalCDC
    from ..webhooks import WebhookVerifier
    from .demo_async import aio_available, run_async_checks
    from .demo_login import login_checks

    if args.accounts < 1 or args.page_size < 1 or args.workers < 1 or args.logins < 1:
        print("--accounts, --page-size, --workers and --logins must be at least 1")
        return 2
    use_tls = not args.plain_http and _have("trustme")
    use_jwt = _have("cryptography")
    info = kernel_info()
    print("gigya_fast %s demo: kernels=%s (%s)" % (__version__, IMPLEMENTATION, info.get("sha1", "?")))
    if IMPLEMENTATION != "cython":
        print("  note: compiled kernels not in use; this run uses the pure-Python twin")
    report = Report()
    n = args.accounts
    with LocalCDC(tls=use_tls) as cdc, WebhookReceiver() as receiver:
        print("local CDC at %s (%s), webhooks to %s" % (cdc.url, "TLS" if use_tls else "plain HTTP", receiver.url))
        if not use_tls and not args.plain_http:
            report.skip("HTTPS with a throwaway CA", "testing")
        hook = cdc.register_webhook(receiver.url, signing_user_key=cdc.user_key, jwt=use_jwt)
        # trust_env=False: the local server is on 127.0.0.1, never behind the user's proxy.
        client = Client(
            cdc.api_key,
            user_key=cdc.user_key,
            secret=cdc.user_secret,
            base_url=cdc.url,
            ca_certs=cdc.ca_path,
            trust_env=False,
        )
        with client:
            profiles = [
                {"firstName": "Demo%d" % i, "email": "demo%d@example.com" % i, "age": 20 + i % 50} for i in range(n)
            ]
            uids: List[str] = []
            accounts: List[Any] = []

            def create() -> Tuple[bool, str]:
                calls = [("accounts.importFullAccount", {"profile": p, "data": {"demo": "yes"}}) for p in profiles]
                results = client.call_many(calls, max_workers=args.workers, raise_on_error=True)
                uids.extend(str(r["UID"]) for r in results if not isinstance(r, GigyaError))
                return len(uids) == n, "%d accounts, %d workers" % (len(uids), args.workers)

            def read_back() -> Tuple[bool, str]:
                calls = [("accounts.getAccountInfo", {"UID": uid, "include": "profile,data"}) for uid in uids]
                accounts.extend(client.call_many(calls, max_workers=args.workers, raise_on_error=True))
                same = sum(
                    1
                    for acc, prof in zip(accounts, profiles)
                    if not isinstance(acc, GigyaError) and acc.get("profile.email") == prof["email"]
                )
                return same == n, "%d/%d profiles match" % (same, n)

            def signatures() -> Tuple[bool, str]:
                ts = [a["signatureTimestamp"] for a in accounts]
                sigs = [a["UIDSignature"] for a in accounts]
                good = validate_user_signatures(uids, ts, sigs, cdc.user_secret)
                forged = validate_user_signatures(uids, ts, [s[::-1] for s in sigs], cdc.user_secret)
                ok = all(good) and not any(forged)
                return ok, "%d valid, %d forged rejected" % (sum(good), n - sum(forged))

            def search() -> Tuple[bool, str]:
                found = list(client.search('SELECT * FROM accounts WHERE data.demo = "yes"', page_size=args.page_size))
                pages = -(-n // args.page_size)
                return len({r["UID"] for r in found}) == n, "%d results in %d pages" % (len(found), pages)

            def update() -> Tuple[bool, str]:
                calls = [("accounts.setAccountInfo", {"UID": uid, "data": {"visited": True}}) for uid in uids]
                results = client.call_many(calls, max_workers=args.workers)
                ok = not any(isinstance(r, GigyaError) for r in results)
                return ok, "%d accounts updated" % n

            def webhooks() -> Tuple[bool, str]:
                delivered = cdc.flush_webhooks(timeout=30)
                jwks = JWKSCache.from_client(client) if use_jwt else None
                verifier = WebhookVerifier(cdc.user_secret, api_key=cdc.api_key, jwks=jwks)
                results = verifier.verify_many(list(receiver.received), threads=2)
                bad = [r for r in results if isinstance(r, GigyaError)]
                events = [e for r in results if not isinstance(r, GigyaError) for e in r.claim_new_events()]
                created = sum(1 for e in events if e.type == "accountCreated")
                updated = sum(1 for e in events if e.type == "accountUpdated")
                ok = delivered and not bad and created == n and updated == n
                checks = "HMAC+JWT" if use_jwt else "HMAC"
                return ok, "%d notifications (%s), %d created + %d updated events, %d invalid" % (
                    len(results),
                    checks,
                    created,
                    updated,
                    len(bad),
                )

            def id_token() -> Tuple[bool, str]:
                token = client.call("accounts.getJWT", targetUID=uids[0])["id_token"]
                claims = verify_id_token(token, api_key=cdc.api_key, jwks=JWKSCache.from_client(client))
                return claims.get("sub") == uids[0], "RS256 id_token for %s verified" % uids[0]

            report.check("create accounts (call_many)", create)
            report.check("read accounts back (call_many)", read_back)
            report.check("validate UIDSignatures (one batch)", signatures)
            report.check("cursor search", search)
            report.check("update accounts (call_many)", update)
            report.check("receive + verify webhooks (one batch)", webhooks)
            cdc.unregister_webhook(hook)  # the login checks below are not about webhooks
            if use_jwt:
                report.check("id_token (accounts.getJWT + JWKS)", id_token)
            else:
                report.skip("webhook JWT headers, id_token (getJWT + JWKS)", "jwt")
            print("login hot path:")
            login_checks(report, cdc, client, args.logins, args.workers, use_jwt)
        print("asyncio client:")
        if aio_available():
            for row in run_async_checks(
                cdc.url, cdc.api_key, user_key=cdc.user_key, secret=cdc.user_secret, ca_path=cdc.ca_path
            ):
                report.add(*row)
        else:
            report.skip("async search, call_many, typed error (AsyncClient)", "aio")
    print(report.summary())
    return 0 if report.passed else 1
