"""Answers are bounded in size (after decompression) and in time (the whole
timeout across status line, headers and body), against a real misbehaving
server on 127.0.0.1: a gzip bomb, endless streams, a server that drips."""

from __future__ import annotations

import time
import tracemalloc
from typing import Any, Callable, Iterator

import pytest

from gigya_fast.errors import ConfigurationError, MalformedResponseError, RequestTimeoutError

from .hostile import HostileServer

MiB = 1 << 20


@pytest.fixture(scope="module")
def hostile() -> Iterator[HostileServer]:
    with HostileServer(bomb_size=128 * MiB, drip_interval=0.4) as server:
        server.bomb()  # built before any test measures memory or time
        yield server


def _client(make_client: Callable[..., Any], server: HostileServer, behaviour: str, **kw: Any) -> Any:
    kw.setdefault("retries", 0)
    return make_client("3_k", base_url="%s/%s" % (server.url, behaviour), **kw)


def _peak_while(func: Callable[[], Any]) -> int:
    tracemalloc.start()
    try:
        func()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


def test_a_small_answer_passes(make_client: Callable[..., Any], hostile: HostileServer) -> None:
    client = _client(make_client, hostile, "ok", max_response_bytes=64)
    assert client.call("accounts.getAccountInfo").call_id == "hostile-ok"
    assert client.max_response_bytes == 64


@pytest.mark.parametrize("behaviour", ["bomb", "chunked", "unsized"])
def test_oversized_answers_are_refused_in_bounded_memory(
    make_client: Callable[..., Any], hostile: HostileServer, behaviour: str
) -> None:
    client = _client(make_client, hostile, behaviour, max_response_bytes=1 * MiB, timeout=(2.0, 5.0))

    def call() -> None:
        with pytest.raises(MalformedResponseError) as info:
            client.call("accounts.getAccountInfo")
        assert "max_response_bytes (1048576)" in str(info.value) and info.value.http_status == 200

    started = time.monotonic()
    peak = _peak_while(call)
    assert peak < 6 * MiB, peak  # the bomb inflates to 128 MiB; the streams never end
    assert time.monotonic() - started < 5.0
    assert hostile.seen.count(behaviour) >= 1


def test_oversized_answers_are_not_retried(make_client: Callable[..., Any], hostile: HostileServer) -> None:
    client = _client(make_client, hostile, "chunked", max_response_bytes=MiB, retries=3)
    before = hostile.seen.count("chunked")
    with pytest.raises(MalformedResponseError):
        client.call("accounts.getAccountInfo", retry=True)
    assert hostile.seen.count("chunked") == before + 1


def test_default_limit_stops_a_bomb(make_client: Callable[..., Any], hostile: HostileServer) -> None:
    client = _client(make_client, hostile, "bomb")
    assert client.max_response_bytes == 64 * MiB
    with pytest.raises(MalformedResponseError) as info:
        client.call("accounts.getAccountInfo")
    assert "max_response_bytes (%d)" % (64 * MiB) in str(info.value)


def test_announced_size_over_the_limit_is_refused_before_reading(
    make_client: Callable[..., Any], hostile: HostileServer
) -> None:
    client = _client(make_client, hostile, "huge")
    started = time.monotonic()
    with pytest.raises(MalformedResponseError, match="max_response_bytes"):
        client.call("accounts.getAccountInfo")
    assert time.monotonic() - started < 2.0


def test_the_pool_stays_healthy_after_a_refused_answer(
    make_client: Callable[..., Any], hostile: HostileServer
) -> None:
    bomb = _client(make_client, hostile, "bomb", max_response_bytes=MiB)
    with pytest.raises(MalformedResponseError):
        bomb.call("accounts.getAccountInfo")
    ok = _client(make_client, hostile, "ok")
    for _ in range(3):
        assert ok.call("accounts.getAccountInfo").ok


@pytest.mark.parametrize("behaviour", ["drip", "drip-head"])
def test_a_dripping_server_cannot_hold_a_call(
    make_client: Callable[..., Any], hostile: HostileServer, behaviour: str
) -> None:
    # A byte every 0.4 s never trips the 1 s read timeout; the whole answer would take 80 s.
    client = _client(make_client, hostile, behaviour, timeout=(2.0, 1.0))
    started = time.monotonic()
    with pytest.raises(RequestTimeoutError) as info:
        client.call("accounts.getAccountInfo")
    elapsed = time.monotonic() - started
    assert 2.5 <= elapsed < 4.5, elapsed  # connect + read = 3 s in all
    assert info.value.error_code == 504002


def test_timeout_total_bounds_the_answer(make_client: Callable[..., Any], hostile: HostileServer) -> None:
    import urllib3

    client = _client(make_client, hostile, "drip", timeout=urllib3.Timeout(connect=1.0, read=1.0, total=0.9))
    started = time.monotonic()
    with pytest.raises(RequestTimeoutError):
        client.call("accounts.getAccountInfo")
    assert time.monotonic() - started < 1.8


def test_bad_limits_are_refused(make_client: Callable[..., Any]) -> None:
    for bad in (0, -1, 1.5, True, "1"):
        with pytest.raises(ConfigurationError):
            make_client("3_k", base_url="http://127.0.0.1:9", max_response_bytes=bad)
