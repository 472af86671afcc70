"""Dedupe stores: in-memory (TTL, bound, thread safety) and Redis (real redis-server, two verifiers)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
from typing import Any, Iterator, List

import pytest

from gigya_fast.webhooks import DedupeStore, MemoryDedupeStore, Notification, RedisDedupeStore, WebhookVerifier

from ._webhook_support import NOW, SECRET, body, event, headers


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


# --- memory ----------------------------------------------------------------------------


def test_memory_add_and_ttl() -> None:
    clock = Clock()
    store = MemoryDedupeStore(ttl=10, clock=clock)
    assert store.add("a") is True
    assert store.add("a") is False
    clock.now = 9.9
    assert store.add("a") is False
    clock.now = 10.0
    assert store.add("a") is True, "expired ids are new again"
    assert len(store) == 1
    clock.now = 100
    assert len(store) == 0


def test_memory_add_many_and_discard() -> None:
    store = MemoryDedupeStore()
    assert store.add_many(["a", "b", "a"]) == [True, True, False]
    store.discard("a")
    store.discard("never-added")
    assert store.add_many(["a", "b"]) == [True, False]
    store.discard_many(["a", "b"])
    assert len(store) == 0
    store.add("c")
    store.clear()
    assert store.add("c") is True
    assert store.ttl == 7200.0 and "MemoryDedupeStore" in repr(store)


def test_memory_bound_forgets_oldest(caplog: pytest.LogCaptureFixture) -> None:
    store = MemoryDedupeStore(max_entries=3)
    for key in "abcd":
        assert store.add(key)
    assert len(store) == 3
    assert store.add("a") is True, "the oldest was forgotten early"
    assert store.add("d") is False
    assert "dedupe store full" in caplog.text


def test_memory_thread_safety() -> None:
    store = MemoryDedupeStore()
    wins: List[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(8)

    def worker() -> None:
        barrier.wait()
        for i in range(2000):
            key = f"id-{i}"
            if store.add(key):
                with lock:
                    wins.append(key)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(wins) == sorted(f"id-{i}" for i in range(2000)), "each id won exactly once"


@pytest.mark.parametrize("kwargs", [{"ttl": 0}, {"ttl": -1}, {"ttl": True}, {"max_entries": 0}, {"max_entries": 1.5}])
def test_memory_bad_arguments(kwargs: Any) -> None:
    with pytest.raises(ValueError):
        MemoryDedupeStore(**kwargs)


@pytest.mark.parametrize("ttl", [float("nan"), float("inf"), 10**400])
def test_non_finite_ttl_is_refused_by_both_stores(ttl: Any) -> None:
    with pytest.raises(ValueError, match="ttl"):
        MemoryDedupeStore(ttl=ttl)
    with pytest.raises(ValueError, match="ttl"):
        RedisDedupeStore(CompatibleClient(), ttl=ttl)


def test_memory_key_type() -> None:
    with pytest.raises(TypeError):
        MemoryDedupeStore().add(1)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        MemoryDedupeStore().add_many([1])  # type: ignore[list-item]


# --- through the verifier --------------------------------------------------------------------


def deliver(v: WebhookVerifier, *event_ids: str, nonce: str = "n") -> Notification:
    raw = body([event(e) for e in event_ids], nonce=nonce)
    return v.verify(raw, headers(raw), now=NOW)


def test_new_events_drop_redeliveries() -> None:
    v = WebhookVerifier(SECRET)
    first = deliver(v, "e1", "e2")
    assert [e.id for e in first.claim_new_events()] == ["e1", "e2"]
    assert first.claim_new_events() is first.claim_new_events(), "computed once"
    again = deliver(v, "e2", "e3", nonce="n2")  # redelivery of e2 with a new event
    assert [e.id for e in again.claim_new_events()] == ["e3"]
    assert again.duplicate_count == 1


def test_release_lets_a_redelivery_through() -> None:
    v = WebhookVerifier(SECRET)
    n = deliver(v, "e1")
    assert len(n.claim_new_events()) == 1
    n.release()  # processing failed
    assert [e.id for e in deliver(v, "e1").claim_new_events()] == ["e1"]


def test_dedupe_off() -> None:
    v = WebhookVerifier(SECRET, dedupe=False)
    assert len(deliver(v, "e1").claim_new_events()) == 1
    assert len(deliver(v, "e1").claim_new_events()) == 1


def test_custom_store() -> None:
    class Everything(DedupeStore):
        def add(self, key: str) -> bool:
            return False

        def discard(self, key: str) -> None:
            pass

    v = WebhookVerifier(SECRET, dedupe=Everything())
    assert deliver(v, "e1").claim_new_events() == ()
    assert Everything().add_many(["a"]) == [False]


def test_notification_without_events() -> None:
    v = WebhookVerifier(SECRET)
    raw = body([])
    assert v.verify(raw, headers(raw), now=NOW).claim_new_events() == ()


# --- redis -------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    """A real redis-server on 127.0.0.1 at a free port, for this module only."""
    binary = shutil.which("redis-server", path=os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/usr/bin"]))
    if binary is None:
        pytest.skip("redis-server not found (apt-get install -y redis-server): Redis dedupe tests skipped")
    redis = pytest.importorskip("redis", reason="the redis extra is not installed")
    port = _free_port()
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        client = redis.Redis.from_url(url)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("redis-server did not start")
                time.sleep(0.05)
        client.close()
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture
def redis_client(redis_url: str) -> Iterator[Any]:
    import redis

    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    yield client
    client.close()


def test_redis_add_is_atomic_set_nx_ex(redis_client: Any) -> None:
    store = RedisDedupeStore(redis_client, ttl=120, prefix="t:")
    assert store.add("a") is True
    assert store.add("a") is False
    assert redis_client.get("t:a") == b"1"
    assert 0 < redis_client.ttl("t:a") <= 120
    assert store.ttl == 120 and store.prefix == "t:" and "RedisDedupeStore" in repr(store)


def test_redis_add_many_discard(redis_client: Any) -> None:
    store = RedisDedupeStore(redis_client)
    assert store.add_many(["a", "b", "a"]) == [True, True, False]
    assert store.add_many([]) == []
    store.discard("a")
    assert store.add("a") is True
    store.discard_many(["a", "b"])
    store.discard_many([])
    assert store.add_many(["a", "b"]) == [True, True]
    assert sorted(redis_client.keys("gigya_fast:webhook:*")) == [b"gigya_fast:webhook:a", b"gigya_fast:webhook:b"]


def test_redis_ttl_expires(redis_client: Any) -> None:
    store = RedisDedupeStore(redis_client, ttl=1, prefix="exp:")
    assert store.add("x")
    deadline = time.monotonic() + 5
    while redis_client.exists("exp:x") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert store.add("x") is True


def test_redis_from_url_and_fractional_ttl(redis_url: str) -> None:
    store = RedisDedupeStore(url=redis_url, ttl=0.2)
    assert store.ttl == 1
    with pytest.raises(ValueError):
        RedisDedupeStore()
    with pytest.raises(ValueError):
        RedisDedupeStore(object(), url=redis_url)
    with pytest.raises(TypeError):
        RedisDedupeStore(object(), prefix=1)  # type: ignore[arg-type]


def test_redis_shared_by_two_verifiers(redis_url: str, redis_client: Any) -> None:
    import redis

    a = WebhookVerifier(SECRET, dedupe=RedisDedupeStore(redis.Redis.from_url(redis_url)))
    b = WebhookVerifier(SECRET, dedupe=RedisDedupeStore(url=redis_url))
    assert [e.id for e in deliver(a, "e1", "e2").claim_new_events()] == ["e1", "e2"]
    assert [e.id for e in deliver(b, "e2", "e3", nonce="n2").claim_new_events()] == ["e3"]
    assert deliver(a, "e3").claim_new_events() == ()


def test_redis_concurrent_instances_claim_each_id_once(redis_url: str, redis_client: Any) -> None:
    verifiers = [WebhookVerifier(SECRET, dedupe=RedisDedupeStore(url=redis_url)) for _ in range(4)]
    claimed: List[str] = []
    lock = threading.Lock()
    ids = [f"ev-{i}" for i in range(40)]

    def worker(v: WebhookVerifier) -> None:
        for i in range(0, len(ids), 4):
            n = deliver(v, *ids[i : i + 4])
            with lock:
                claimed.extend(e.id for e in n.claim_new_events())

    threads = [threading.Thread(target=worker, args=(v,)) for v in verifiers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(claimed) == sorted(ids)


def test_redis_release(redis_client: Any) -> None:
    v = WebhookVerifier(SECRET, dedupe=RedisDedupeStore(redis_client))
    n = deliver(v, "e1")
    assert len(n.claim_new_events()) == 1
    n.release()
    assert len(deliver(v, "e1").claim_new_events()) == 1


def test_new_events_from_many_threads_claims_once() -> None:
    v = WebhookVerifier(SECRET)
    n = deliver(v, "e1", "e2", "e3")
    barrier = threading.Barrier(8)
    seen: List[Any] = []

    def reader() -> None:
        barrier.wait()
        seen.append(n.claim_new_events())

    threads = [threading.Thread(target=reader) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all([e.id for e in events] == ["e1", "e2", "e3"] for events in seen)


def test_redis_extra_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from gigya_fast.errors import MissingDependencyError

    monkeypatch.setitem(sys.modules, "redis", None)
    monkeypatch.setitem(sys.modules, "redis.exceptions", None)
    with pytest.raises(MissingDependencyError):
        RedisDedupeStore(url="redis://127.0.0.1:1/0")
    with pytest.raises(MissingDependencyError):
        RedisDedupeStore("redis://127.0.0.1:1/0")
    assert RedisDedupeStore(CompatibleClient()).ttl == 7200  # a client object needs no import


class CompatibleClient:
    """Not redis-py, but what the store uses of it; its failures are socket errors."""

    def set(self, *args: Any, **kwargs: Any) -> Any:
        raise ConnectionRefusedError("no server")

    def pipeline(self, transaction: bool = True) -> Any:
        raise ConnectionRefusedError("no server")

    def delete(self, *names: str) -> Any:
        raise ConnectionRefusedError("no server")


def test_redis_url_as_the_first_argument(redis_url: str, redis_client: Any) -> None:
    store = RedisDedupeStore(redis_url, prefix="u:")
    assert store.add("a") is True and store.add("a") is False
    assert redis_client.get("u:a") == b"1"


@pytest.mark.parametrize("client", [object(), 42, b"redis://127.0.0.1/0", ["redis://127.0.0.1/0"]])
def test_redis_refuses_what_is_not_a_client_at_construction(client: Any) -> None:
    pytest.importorskip("redis", reason="the redis extra is not installed")
    with pytest.raises(TypeError, match="client"):
        RedisDedupeStore(client)


@pytest.mark.parametrize("url", ["localhost:6379", "http://127.0.0.1/0", "", "redis://:hunter2@[::1"])
def test_redis_refuses_a_bad_url_at_construction_without_repeating_it(url: str) -> None:
    pytest.importorskip("redis", reason="the redis extra is not installed")
    with pytest.raises(ValueError) as info:
        RedisDedupeStore(url)
    assert "hunter2" not in str(info.value) and info.value.__cause__ is None
    with pytest.raises(ValueError):
        RedisDedupeStore(url=url)


def _dead_redis_url() -> str:
    return f"redis://127.0.0.1:{_free_port()}/0"


def test_redis_down_is_a_typed_error_and_hands_out_nothing(caplog: pytest.LogCaptureFixture) -> None:
    pytest.importorskip("redis", reason="the redis extra is not installed")
    from gigya_fast.errors import DedupeStoreError, GigyaError

    store = RedisDedupeStore(_dead_redis_url())
    for call in (lambda: store.add("a"), lambda: store.add_many(["a", "b"]), lambda: store.discard("a")):
        with pytest.raises(DedupeStoreError) as info:
            call()
        assert isinstance(info.value, GigyaError) and isinstance(info.value, ConnectionError)
        assert "redis" in type(info.value.__cause__).__module__
    store.discard_many([])  # nothing to ask
    with pytest.raises(DedupeStoreError):
        store.discard_many(["a"])

    n = WebhookVerifier(SECRET, dedupe=store).verify(body([event("e1")]), headers(body([event("e1")])), now=NOW)
    for _ in range(2):  # fails closed, every time it is asked
        with pytest.raises(DedupeStoreError):
            n.claim_new_events()
    assert [e.id for e in n.events] == ["e1"], "the notification itself is intact"


def test_compatible_client_down_is_a_typed_error_too() -> None:
    from gigya_fast.errors import DedupeStoreError

    store = RedisDedupeStore(CompatibleClient())
    with pytest.raises(DedupeStoreError):
        store.add_many(["a"])
    with pytest.raises(DedupeStoreError):
        store.discard("a")


def test_redis_down_gives_a_500_so_cdc_redelivers() -> None:
    pytest.importorskip("redis", reason="the redis extra is not installed")
    from gigya_fast.webhooks.wsgi import make_wsgi_app

    from .test_webhook_glue import call_wsgi, environ

    handled: List[Any] = []
    app = make_wsgi_app(
        WebhookVerifier(SECRET, tolerance=None, dedupe=RedisDedupeStore(_dead_redis_url())),
        lambda n: handled.append(n.claim_new_events()),
    )
    raw = body([event("e1")])
    assert call_wsgi(app, environ(raw, headers(raw))) == (500, b"error")
    assert handled == []
