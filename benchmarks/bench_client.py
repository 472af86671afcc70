"""REST client benchmark: ``python benchmarks/bench_client.py [--requests N] [--json]``.

Runs once, against a local HTTPS keep-alive responder in a separate process
(``_client_server.py``, trustme certificate) that answers a fixed CDC JSON
body; its CPU share during each run is reported to show it is not the
bottleneck, and so is the client's (CPU seconds per wall second, and CPU
per request: the steadier figure on a loaded machine). Compared, in
requests per second:

- ``Client.call``: signing, pooled HTTPS, the answer checked and its Response
  built. With the compiled kernels the answer is checked by the envelope scan
  (a JSON object json.loads accepts, and its errorCode) and its JSON tree is
  built when first read; without them it is parsed on arrival;
- (a) the original SDK's transport pattern: per request a new SSL context
  (CA file loaded), a new urllib opener installed process-wide, HMAC signing,
  a new TLS connection; target: Client.call >= 50x;
- (b) a plain ``urllib3.PoolManager.request`` loop posting a prebuilt,
  unsigned body, no JSON parsing; target: Client.call >= 0.9x;
- (c) ``Client.call_many`` with 8 workers vs sequential ``Client.call``,
  against the instant responder and (c') against one that waits a few
  milliseconds per answer, as a remote CDC does (in rounds of 10 x the
  async concurrency calls, so that a batch's ramp-up and tail stay small);
- with the ``aio`` extra: (d) ``AsyncClient.call_many`` at concurrency 64 vs
  (e) raw aiohttp posting one prebuilt body, signed once like the client's
  (same parameters, same size), from 64 tasks on one session with the same
  connection limit and TLS settings, reading every body whole and keeping
  them in input order as ``call_many`` keeps its results, no JSON parsing;
  target: (d) >= 0.85x (e); (d+) is (d) reading every answer's ``data``
  (the whole JSON tree built), no target: what a caller who reads everything
  pays; and (d') the same as (d) against the slow responder vs (c'); target:
  (d') >= 3x (c').

The runs are interleaved in rounds, in a different (seeded) order each round
(see ``_shuffled``): in one fixed order (d) always ran right after (c)'s
threads and measured 5-10% slower for it ((d+), doing more, came out faster
than (d)). Each run starts with ``gc.collect()``
(outside the timing): without it CPython's generation counters fell into step
with the rounds and every full collection of this process (about 15 ms each)
landed in (d)'s rounds, although (d) and (e) each cause the same number when
run alone. 9000 requests in 60 rounds per run: with 3000 in 20 the (d)/(e)
ratio moved between 0.78x and 0.94x from one run to the next on this machine.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import gc
import hashlib
import hmac
import json
import os
import random
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request
from typing import Any, Awaitable, Callable, Dict, List, Optional
from urllib.parse import quote

try:
    import gigya_fast  # noqa: F401
except ImportError:  # a checkout that is not installed: use the source tree beside this file
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import certifi  # noqa: E402
import urllib3  # noqa: E402

import gigya_fast  # noqa: E402
from gigya_fast.rest import Client, Response  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
API_KEY = "3_benchmarkApiKey"
USER_KEY = "AbenchUserKey"
SECRET = base64.b64encode(b"benchmark-secret-0123456789").decode("ascii")
PARAMS = {"UID": "b5e1c8f2a3d94e0f8a7b6c5d4e3f2a1b", "include": "profile,data,identities"}


class Server:
    """The responder process, with its CPU time read from /proc."""

    def __init__(self, cert: str, key: str, latency: float = 0.0) -> None:
        self.process = subprocess.Popen(
            [sys.executable, os.path.join(HERE, "_client_server.py"), "--cert", cert, "--key", key,
             "--latency", repr(latency)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline().split()
        self.port = int(line[1])

    def cpu_seconds(self) -> Optional[float]:
        """user + system CPU seconds of the server process so far (Linux), else None."""
        try:
            with open("/proc/%d/stat" % self.process.pid) as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            return None

    def close(self) -> None:
        """Stop the process."""
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _signed_body(url: str) -> bytes:
    """PARAMS signed for *url* as the original GSSDK.py signs them (fresh timestamp and nonce)."""
    params = dict(PARAMS)
    params.update({"apiKey": API_KEY, "userKey": USER_KEY, "format": "json", "httpStatusCodes": "false",
                   "timestamp": str(int(time.time())), "nonce": "%d%s" % (time.time() * 1000, os.urandom(4).hex())})
    query = "&".join("%s=%s" % (k, quote(str(v), safe="")) for k, v in sorted(params.items()))
    base = "POST&%s&%s" % (quote(url, safe=""), quote(query, safe=""))
    sig = base64.b64encode(hmac.new(base64.b64decode(SECRET), base.encode(), hashlib.sha1).digest()).decode()
    return (query + "&sig=" + quote(sig, safe="")).encode()


def _gssdk_style_call(url: str, ca_file: str) -> Dict[str, Any]:
    """One request the way the original GSSDK.py sends it."""
    body = _signed_body(url)
    context = ssl.create_default_context(cafile=ca_file)
    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context))
    urllib.request.install_opener(opener)
    with urllib.request.urlopen(urllib.request.Request(url, data=body), timeout=30) as answer:  # noqa: S310
        return json.loads(answer.read())  # type: ignore[no-any-return]


def _have_aiohttp() -> bool:
    try:
        import gigya_fast.aio  # noqa: F401
    except ImportError:
        return False
    return True


class AsyncRuns:
    """(d) AsyncClient.call_many and (e) raw aiohttp at one concurrency, on one private event loop."""

    def __init__(self, base_url: str, ca_file: str, concurrency: int) -> None:
        import aiohttp

        from gigya_fast.aio import AsyncClient

        self.loop = asyncio.new_event_loop()
        self.concurrency = concurrency
        self.url = base_url + "/accounts.getAccountInfo"
        self.body = _signed_body(self.url)  # the client's size: every attempt of (d) is signed like this
        self.client = AsyncClient(API_KEY, user_key=USER_KEY, secret=SECRET, base_url=base_url, ca_certs=ca_file,
                                  pool_maxsize=concurrency)

        async def session() -> Any:
            connector = aiohttp.TCPConnector(limit=concurrency, ssl=ssl.create_default_context(cafile=ca_file))
            return aiohttp.ClientSession(connector=connector)

        self.session = self.loop.run_until_complete(session())

    def _run(self, work: Awaitable[Any]) -> None:
        self.loop.run_until_complete(work)

    def client_many(self, count: int) -> List[Any]:
        """``count`` signed, checked calls through ``AsyncClient.call_many``; their results."""
        return self.loop.run_until_complete(
            self.client.call_many([("accounts.getAccountInfo", PARAMS)] * count, concurrency=self.concurrency)
        )

    def client_many_read(self, count: int) -> None:
        """:meth:`client_many`, then every answer's JSON tree read."""
        for result in self.client_many(count):
            assert isinstance(result, Response)
            result.data  # noqa: B018 - builds the tree

    def raw(self, count: int) -> None:
        """``count`` raw aiohttp POSTs of the prebuilt body from ``concurrency`` tasks, bodies kept in order."""
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        left = iter(range(count))
        bodies: List[Optional[bytes]] = [None] * count

        async def worker() -> None:
            for index in left:
                async with self.session.post(self.url, data=self.body, headers=headers) as answer:
                    bodies[index] = await answer.read()

        async def everything() -> None:
            await asyncio.gather(*(worker() for _ in range(min(self.concurrency, count))))

        self._run(everything())

    def close(self) -> None:
        """Close both sessions and the loop."""
        self._run(self.client.aclose())
        self._run(self.session.close())
        self.loop.close()


class Run:
    """Accumulated wall time and server CPU time of one kind of run."""

    def __init__(self, name: str, body: Callable[[int], object], per_round: int) -> None:
        self.name, self.body, self.per_round = name, body, per_round
        self.requests, self.wall, self.server_cpu, self.client_cpu = 0, 0.0, 0.0, 0.0
        self.cpu_known = True

    def round(self, server: Server) -> None:
        # Every round starts from an empty young generation and no promotion debt. Without this the
        # collector's counters fall into step with the rounds and full collections (about 15 ms each
        # here) all landed in (d)'s rounds, although run alone (d) and (e) each cause 3 of them per
        # 12,000 requests: the cost belongs to both, the old order charged it to one.
        gc.collect()
        cpu_before = server.cpu_seconds()
        own_before = time.process_time()
        started = time.perf_counter()
        self.body(self.per_round)
        self.wall += time.perf_counter() - started
        self.client_cpu += time.process_time() - own_before
        cpu_after = server.cpu_seconds()
        if cpu_before is None or cpu_after is None:
            self.cpu_known = False
        else:
            self.server_cpu += cpu_after - cpu_before
        self.requests += self.per_round

    @property
    def rps(self) -> float:
        return self.requests / self.wall

    def row(self) -> Dict[str, Any]:
        return {
            "name": self.name,
            "requests": self.requests,
            "seconds": self.wall,
            "rps": self.rps,
            "server_cpu": self.server_cpu / self.wall if self.cpu_known else None,
            "client_cpu": self.client_cpu / self.wall,
            "client_cpu_us_per_request": 1e6 * self.client_cpu / self.requests,
        }


def _shuffled(runs: List[Run], number: int) -> List[Run]:
    """The runs in round *number*'s order: a shuffle, the same in every run of the script (seeded
    by the round), so that no run always comes right after the same other one. In a fixed order
    (d) always followed (c)'s threads and (d+) followed (d), and (d+) measured faster than (d)
    although it does more."""
    order = list(runs)
    random.Random(number).shuffle(order)
    return order


def main(argv: Optional[List[str]] = None) -> int:
    """Run every measurement once and print the table and ratios."""
    parser = argparse.ArgumentParser(prog="bench_client.py", description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=9000, help="requests per pooled run")
    parser.add_argument("--gssdk-requests", type=int, default=150, help="requests of the slow original pattern")
    parser.add_argument("--latency-ms", type=float, default=5.0, help="server latency of the (c') runs")
    parser.add_argument("--slow-requests", type=int, default=None,
                        help="requests of each (c') run in all rounds (default: 10 x concurrency per round; the "
                             "sequential run makes a quarter of them)")
    parser.add_argument("--slow-rounds", type=int, default=4, help="interleaved rounds of the (c') runs")
    parser.add_argument("--rounds", type=int, default=60, help="interleaved rounds the requests are split into")
    parser.add_argument("--concurrency", type=int, default=64, help="concurrency of the async runs")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)

    import trustme

    folder = tempfile.mkdtemp(prefix="bench-client-")
    ca = trustme.CA()
    leaf = ca.issue_cert("127.0.0.1")
    cert, key, ca_file = (os.path.join(folder, n) for n in ("cert.pem", "key.pem", "ca.pem"))
    leaf.cert_chain_pems[0].write_to_path(cert)
    leaf.private_key_pem.write_to_path(key)
    ca.cert_pem.write_to_path(ca_file)
    server = Server(cert, key)
    base_url = "https://127.0.0.1:%d" % server.port
    url = base_url + "/accounts.getAccountInfo"
    bundle = os.path.join(folder, "bundle.pem")
    with open(bundle, "wb") as out:  # like GSSDK's cacert.pem: every public root, plus the test CA
        for source in (certifi.where(), ca_file):
            with open(source, "rb") as handle:
                out.write(handle.read())

    try:
        client = Client(API_KEY, user_key=USER_KEY, secret=SECRET, base_url=base_url, ca_certs=ca_file,
                        pool_maxsize=8)
        manager = urllib3.PoolManager(maxsize=8, ssl_context=ssl.create_default_context(cafile=ca_file),
                                      retries=False)
        raw_body = "&".join("%s=%s" % (k, quote(v, safe="")) for k, v in sorted(PARAMS.items())).encode()
        raw_headers = {"Content-Type": "application/x-www-form-urlencoded"}

        def client_loop(count: int) -> None:
            for _ in range(count):
                client.call("accounts.getAccountInfo", PARAMS)

        def raw_loop(count: int) -> None:
            for _ in range(count):
                manager.request("POST", url, body=raw_body, headers=raw_headers).data  # noqa: B018

        def gssdk_loop(count: int) -> None:
            for _ in range(count):
                _gssdk_style_call(url, bundle)

        def many(count: int) -> None:
            client.call_many([("accounts.getAccountInfo", PARAMS)] * count, max_workers=8)

        aio = AsyncRuns(base_url, ca_file, args.concurrency) if _have_aiohttp() else None
        for warm in (client_loop, raw_loop, many) + ((aio.client_many, aio.client_many_read, aio.raw) if aio else ()):
            warm(200)
        gssdk_loop(5)
        rounds = max(1, args.rounds)
        per_round = max(1, args.requests // rounds)
        gssdk = Run("(a) original SDK pattern (new SSL context + opener per request)", gssdk_loop,
                    max(1, args.gssdk_requests // rounds))
        raw = Run("(b) urllib3.PoolManager.request, prebuilt unsigned body", raw_loop, per_round)
        sequential = Run("Client.call (signed, answer checked), sequential", client_loop, per_round)
        parallel = Run("(c) Client.call_many, 8 workers", many, per_round)
        runs = [gssdk, raw, sequential, parallel]
        if aio is not None:
            label = "concurrency %d" % args.concurrency
            async_client = Run("(d) AsyncClient.call_many, " + label, aio.client_many, per_round)
            async_read = Run("(d+) the same, every answer's data read", aio.client_many_read, per_round)
            async_raw = Run("(e) raw aiohttp, prebuilt signed body, " + label, aio.raw, per_round)
            runs += [async_client, async_read, async_raw]
        for number in range(rounds):  # interleaved, so that load changes on the machine hit every run alike
            for run in _shuffled(runs, number):
                run.round(server)
        rows = [run.row() for run in runs]
        client.close()
        manager.clear()
        if aio is not None:
            aio.close()
    finally:
        server.close()

    # (c) again where the server takes time to answer, as CDC over a network does.
    slow_server = Server(cert, key, latency=args.latency_ms / 1000.0)
    try:
        slow = Client(API_KEY, user_key=USER_KEY, secret=SECRET, base_url="https://127.0.0.1:%d" % slow_server.port,
                      ca_certs=ca_file, pool_maxsize=8)

        def slow_loop(count: int) -> None:
            for _ in range(count):
                slow.call("accounts.getAccountInfo", PARAMS)

        def slow_many(count: int) -> None:
            slow.call_many([("accounts.getAccountInfo", PARAMS)] * count, max_workers=8)

        slow_many(16)
        label = "%g ms server latency" % args.latency_ms
        slow_rounds = max(1, args.slow_rounds)
        # Batches of 10 x concurrency: in a batch of 3 x concurrency the ramp-up and the tail (few calls in
        # flight, each waiting out the latency) took a third of the time and the ratio swung between 1.7x and 4x.
        slow_requests = args.slow_requests if args.slow_requests is not None else 10 * args.concurrency * slow_rounds
        slow_per_round = max(1, slow_requests // slow_rounds)
        slow_runs = [Run("Client.call, sequential, " + label, slow_loop, max(1, slow_per_round // 4)),
                     Run("(c') Client.call_many, 8 workers, " + label, slow_many, slow_per_round)]
        slow_aio = None
        if _have_aiohttp():
            slow_aio = AsyncRuns("https://127.0.0.1:%d" % slow_server.port, ca_file, args.concurrency)
            slow_aio.client_many(args.concurrency)
            slow_runs.append(Run("(d') AsyncClient.call_many, concurrency %d, %s" % (args.concurrency, label),
                                 slow_aio.client_many, slow_per_round))
        for number in range(slow_rounds):
            for run in _shuffled(slow_runs, number):
                run.round(slow_server)
        rows += [run.row() for run in slow_runs]
        slow.close()
        if slow_aio is not None:
            slow_aio.close()
    finally:
        slow_server.close()
    ratios = {
        "client_vs_original_sdk": sequential.rps / gssdk.rps,
        "client_vs_raw_urllib3": sequential.rps / raw.rps,
        "call_many8_vs_sequential": parallel.rps / sequential.rps,
        "call_many8_vs_sequential_with_latency": slow_runs[1].rps / slow_runs[0].rps,
    }
    if aio is not None:
        ratios["async_call_many_vs_raw_aiohttp"] = async_client.rps / async_raw.rps
        ratios["async_call_many_read_vs_raw_aiohttp"] = async_read.rps / async_raw.rps
        ratios["async_call_many_vs_call_many8_with_latency"] = slow_runs[2].rps / slow_runs[1].rps
    if args.json:
        print(json.dumps({"implementation": gigya_fast.IMPLEMENTATION, "rows": rows, "ratios": ratios}, indent=2))
        return 0
    print("gigya_fast %s, kernels: %s, urllib3 %s, Python %s, %d CPUs" % (
        gigya_fast.__version__, gigya_fast.IMPLEMENTATION, getattr(urllib3, "__version__", "?"), sys.version.split()[0],
        os.cpu_count() or 0))
    print("HTTPS to a local keep-alive responder in its own process (trustme certificate);")
    print("%d interleaved rounds; server CPU = its CPU seconds / wall seconds of the run;" % args.rounds)
    print("client CPU = this process's CPU seconds (all threads) / wall seconds, and per request;")
    print("a client near 100% is the bottleneck, a server far below it is not\n")
    print("%-66s %8s %8s %8s %11s %11s %12s" % (
        "run", "requests", "seconds", "req/s", "server CPU", "client CPU", "per request"))
    for row in rows:
        share = "n/a" if row["server_cpu"] is None else "%.0f%%" % (100 * row["server_cpu"])
        print("%-66s %8d %8.2f %8.0f %11s %10.0f%% %9.0f us" % (
            row["name"], row["requests"], row["seconds"], row["rps"], share, 100 * row["client_cpu"],
            row["client_cpu_us_per_request"]))
    print()
    print("Client.call vs (a) original SDK pattern: %7.1fx  (target >= 50x)" % ratios["client_vs_original_sdk"])
    print("Client.call vs (b) raw urllib3 loop:     %7.2fx  (target >= 0.9x)" % ratios["client_vs_raw_urllib3"])
    print("(c) call_many(8) vs sequential call:     %7.2fx" % ratios["call_many8_vs_sequential"])
    print("(c') the same with %g ms server latency:  %7.2fx" % (
        args.latency_ms, ratios["call_many8_vs_sequential_with_latency"]))
    if "async_call_many_vs_raw_aiohttp" in ratios:
        print("(d) AsyncClient.call_many vs (e) raw aiohttp: %6.2fx  (target >= 0.85x)" % (
            ratios["async_call_many_vs_raw_aiohttp"]))
        print("(d+) the same, every answer's data read: %6.2fx" % ratios["async_call_many_read_vs_raw_aiohttp"])
        print("(d') vs (c') with %g ms server latency:   %6.2fx  (target >= 3x)" % (
            args.latency_ms, ratios["async_call_many_vs_call_many8_with_latency"]))
    else:
        print("(d), (e): skipped, aiohttp is not installed (pip install 'gigya_fast[aio]')")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
