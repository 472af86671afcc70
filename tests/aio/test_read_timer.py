"""The lazy ``sock_read`` timer of the client's own connections: the same read
timeout as aiohttp's (no bytes for that long while an answer is awaited,
before the headers or inside the body), one timer per connection instead of
two per request, a shorter per-call timeout honoured on a connection armed
for a longer one, and aiohttp's own timers when the hooks are missing."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from typing import Any, Callable, Iterator, List, Tuple

import pytest
import urllib3

from gigya_fast.aio import AsyncClient, readtimer
from gigya_fast.aio.readtimer import LazyReadTimer
from gigya_fast.errors import RequestTimeoutError

OK = b'{"errorCode":0,"callId":"x","statusCode":200}'


class ScriptedServer:
    """Plain HTTP/1.1 keep-alive on 127.0.0.1; answers request *n* of the whole server with
    ``script[n]`` (``"ok"``, ``"silent"``: never answers, ``"stall"``: headers and half the
    body, then nothing), ``"ok"`` once the script is used up."""

    def __init__(self, script: List[str]) -> None:
        self.script = list(script)
        self.served = 0
        self.connections = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self.url = "http://127.0.0.1:%d" % self._sock.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            with self._lock:
                self.connections += 1
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        buffer = b""
        with conn:
            while not self._stop.is_set():
                while b"\r\n\r\n" not in buffer:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    buffer += chunk
                head, _, buffer = buffer.partition(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                while len(buffer) < length:
                    buffer += conn.recv(65536)
                buffer = buffer[length:]
                with self._lock:
                    what = self.script[self.served] if self.served < len(self.script) else "ok"
                    self.served += 1
                if what == "silent":
                    self._stop.wait(30)
                    return
                header = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(OK)
                if what == "stall":
                    conn.sendall(header + OK[:10])
                    self._stop.wait(30)
                    return
                conn.sendall(header + OK)

    def close(self) -> None:
        self._stop.set()
        self._sock.close()


@pytest.fixture
def server_factory() -> Iterator[Callable[[List[str]], ScriptedServer]]:
    made: List[ScriptedServer] = []

    def make(script: List[str]) -> ScriptedServer:
        made.append(ScriptedServer(script))
        return made[-1]

    yield make
    for server in made:
        server.close()


def _client(server: ScriptedServer, **kw: Any) -> AsyncClient:
    kw.setdefault("retries", 0)
    return AsyncClient("3_key", base_url=server.url, auth="anonymous", **kw)


@pytest.mark.asyncio
@pytest.mark.parametrize("behaviour", ["silent", "stall"])
async def test_read_timeout_before_and_inside_the_body(server_factory: Any, behaviour: str) -> None:
    server = server_factory(["ok", behaviour])
    async with _client(server, timeout=(5.0, 0.3)) as client:
        assert (await client.call("accounts.getAccountInfo")).ok
        started = time.monotonic()
        with pytest.raises(RequestTimeoutError):
            await client.call("accounts.getAccountInfo")
        elapsed = time.monotonic() - started
    assert 0.25 <= elapsed < 1.5, elapsed  # the read timeout, far before connect + read = 5.3 s


@pytest.mark.asyncio
async def test_a_shorter_per_call_timeout_on_a_connection_armed_for_a_longer_one(server_factory: Any) -> None:
    server = server_factory(["ok", "silent"])
    async with _client(server, timeout=(5.0, 20.0)) as client:
        assert (await client.call("accounts.getAccountInfo")).ok  # its connection's timer is set for 20 s
        started = time.monotonic()
        with pytest.raises(RequestTimeoutError):
            await client.call("accounts.getAccountInfo", timeout=(5.0, 0.3))
        assert time.monotonic() - started < 1.5
    assert server.connections == 1


class CountingLoop(asyncio.SelectorEventLoop):
    def __init__(self) -> None:
        super().__init__()
        self.handles: List[Tuple[asyncio.TimerHandle, Callable[..., Any]]] = []

    def call_at(  # type: ignore[override]
        self, when: float, callback: Callable[..., Any], *args: Any, **kwargs: Any
    ) -> asyncio.TimerHandle:
        handle = super().call_at(when, callback, *args, **kwargs)
        self.handles.append((handle, callback))
        return handle


def _read_timers(loop: CountingLoop) -> List[asyncio.TimerHandle]:
    return [h for h, callback in loop.handles if isinstance(getattr(callback, "__self__", None), LazyReadTimer)]


def test_one_read_timer_per_connection_released_on_close(server_factory: Any) -> None:
    server = server_factory([])
    loop = CountingLoop()

    async def main() -> None:
        async with _client(server) as client:
            for _ in range(30):
                assert (await client.call("accounts.getAccountInfo")).ok

    try:
        loop.run_until_complete(main())
    finally:
        loop.close()
    timers = _read_timers(loop)
    assert server.connections == 1 and len(timers) == 1  # aiohttp's own timers would be 60 here
    assert all(handle.cancelled() for handle in timers)  # closing the client let the connection go


@pytest.mark.asyncio
async def test_aiohttp_keeps_its_own_timer_without_the_hooks(server_factory: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(readtimer, "AVAILABLE", False)
    server = server_factory(["ok", "silent"])
    async with _client(server, timeout=(5.0, 0.3)) as client:
        assert (await client.call("accounts.getAccountInfo")).ok
        assert client.session is not None and client.session.connector is not None
        assert client.session.connector._factory.func is not LazyReadTimer
        started = time.monotonic()
        with pytest.raises(RequestTimeoutError):
            await client.call("accounts.getAccountInfo")
        assert time.monotonic() - started < 1.5


def test_an_unexpected_factory_is_left_alone() -> None:
    class Connector:
        _factory = staticmethod(lambda: None)

    assert readtimer.use_lazy_read_timer(Connector()) is False  # type: ignore[arg-type]


@pytest.mark.asyncio
async def test_the_whole_attempt_stays_bounded_by_its_deadline(server_factory: Any) -> None:
    server = server_factory(["silent"])
    async with _client(server, timeout=urllib3.Timeout(connect=5.0, read=20.0, total=0.4)) as client:
        started = time.monotonic()
        with pytest.raises(RequestTimeoutError):
            await client.call("accounts.getAccountInfo")
        assert time.monotonic() - started < 1.5
