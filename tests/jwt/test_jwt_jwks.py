"""JWKSCache: fetch once, TTL, one throttled refetch on an unknown kid (rotation), thread safety."""

from __future__ import annotations

import json
import threading
from typing import Any, Callable, Dict, List

import pytest

from gigya_fast.errors import UnknownKeyId
from gigya_fast.jwt import JWKSCache, verify_id_token

from ._jwt_support import API_KEY, KID, NOW, jwks, private_key, token


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Fetcher:
    """Answers a JWKS document; counts calls; the document can be swapped (rotation)."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self.calls = 0
        self.fail: Exception | None = None
        self.lock = threading.Lock()

    def __call__(self) -> Any:
        with self.lock:
            self.calls += 1
        if self.fail is not None:
            raise self.fail
        return self.document


def make(document: Any = None, **kwargs: Any) -> tuple[JWKSCache, Fetcher, Clock]:
    fetch = Fetcher(jwks() if document is None else document)
    clock = Clock()
    kwargs.setdefault("min_refetch_interval", 30)
    return JWKSCache(fetch, clock=clock, **kwargs), fetch, clock


def verify(tok: str, cache: JWKSCache) -> Dict[str, Any]:
    return verify_id_token(tok, api_key=API_KEY, jwks=cache, now=NOW)


def test_fetches_once_and_caches() -> None:
    cache, fetch, _ = make()
    for _ in range(5):
        assert verify(token(), cache)["sub"] == "uid-1"
    assert fetch.calls == 1
    assert cache.kids() == [KID]


def test_ttl_expiry_refetches() -> None:
    cache, fetch, clock = make(ttl=60)
    cache.get_key(KID)
    clock.now += 59
    cache.get_key(KID)
    assert fetch.calls == 1
    clock.now += 2
    cache.get_key(KID)
    assert fetch.calls == 2


def test_unknown_kid_then_rotation() -> None:
    cache, fetch, clock = make()
    assert verify(token(), cache)
    fetch.document = jwks(("kid-2", "b"))  # CDC rotated its key
    clock.now += 31
    assert verify(token(kid="kid-2", key="b"), cache)["sub"] == "uid-1"
    assert fetch.calls == 2
    assert cache.kids() == ["kid-2"]


def test_unknown_kid_refetch_is_throttled() -> None:
    cache, fetch, clock = make()
    cache.get_key(KID)
    for i in range(10):
        with pytest.raises(UnknownKeyId):
            cache.get_key(f"bogus-{i}")
    assert fetch.calls == 1, "the first fetch is younger than min_refetch_interval: no refetch"
    clock.now += 31
    with pytest.raises(UnknownKeyId):
        cache.get_key("bogus")
    with pytest.raises(UnknownKeyId):
        cache.get_key("bogus-again")
    assert fetch.calls == 2, "one refetch per interval, however many unknown kids"


def test_fetch_failure_propagates_and_is_throttled() -> None:
    cache, fetch, clock = make()
    fetch.fail = ConnectionError("down")
    with pytest.raises(ConnectionError):
        cache.get_key(KID)
    with pytest.raises(UnknownKeyId):
        cache.get_key(KID)  # within the interval: no new request
    assert fetch.calls == 1
    fetch.fail = None
    clock.now += 31
    assert cache.get_key(KID) is not None
    assert fetch.calls == 2


def test_failure_after_expiry_is_throttled_too() -> None:
    cache, fetch, clock = make(ttl=60)
    cache.get_key(KID)
    clock.now += 61
    fetch.fail = ConnectionError("down")
    with pytest.raises(ConnectionError):
        cache.get_key(KID)
    with pytest.raises(UnknownKeyId):
        cache.get_key(KID)
    assert fetch.calls == 2


def test_concurrent_misses_fetch_once() -> None:
    cache, fetch, _ = make()
    original = fetch.__call__
    gate = threading.Event()

    def slow() -> Any:
        gate.wait(1)
        return original()

    cache._fetch = slow
    errors: List[BaseException] = []

    def worker() -> None:
        try:
            cache.get_key(KID)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(16)]
    for t in threads:
        t.start()
    gate.set()
    for t in threads:
        t.join()
    assert not errors
    assert fetch.calls == 1


def test_thread_safety_under_rotation() -> None:
    cache, fetch, clock = make(min_refetch_interval=0)
    fetch.document = jwks((KID, "a"), ("kid-2", "b"))
    results: List[bool] = []

    def worker(kid: str) -> None:
        for _ in range(50):
            results.append(cache.get_key(kid) is not None)

    threads = [threading.Thread(target=worker, args=(k,)) for k in (KID, "kid-2") * 4]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(results) and len(results) == 400


@pytest.mark.parametrize(
    "wrap",
    [
        lambda doc: doc,
        lambda doc: json.dumps(doc),
        lambda doc: json.dumps(doc).encode(),
        lambda doc: doc["keys"],
        lambda doc: type("Resp", (), {"data": doc})(),
        lambda doc: doc["keys"][0],  # pre-V2 answer: a single JWK
    ],
)
def test_answer_shapes(wrap: Callable[[Dict[str, Any]], Any]) -> None:
    cache, _, _ = make(wrap(jwks()))
    assert cache.get_key(KID) is not None


@pytest.mark.parametrize("answer", [{"errorCode": 0}, {"keys": []}, "not json", {"keys": "x"}, 42])
def test_bad_answers(answer: Any) -> None:
    cache, _, _ = make(answer)
    with pytest.raises(ValueError):
        cache.get_key(KID)


def test_from_client() -> None:
    seen: List[Any] = []

    class Client:
        api_domain = "eu1.gigya.com"

        def call(self, method: str, **params: Any) -> Any:
            seen.append((method, params))
            return jwks()

    cache = JWKSCache.from_client(Client())
    assert verify(token(), cache)
    assert seen == [("accounts.getJWTPublicKey", {"V2": True})]
    assert "data_center='eu1'" in repr(cache), "the API domain's data center, by its short name"
    with pytest.raises(TypeError):
        JWKSCache.from_client(object())


def test_data_center_slots() -> None:
    per_dc: Dict[str, int] = {}

    def fetch_dc(dc: str) -> Any:
        per_dc[dc] = per_dc.get(dc, 0) + 1
        return jwks(("eu-kid", "b"))

    cache = JWKSCache(lambda: jwks(), data_center="us1", fetch_for_data_center=fetch_dc)
    assert cache.get_key(KID, "us1") is not None
    assert cache.get_key("eu-kid", "EU1") is not None
    with pytest.raises(UnknownKeyId):
        cache.get_key(KID, "eu1")  # keys are per data center
    assert per_dc == {"eu1": 1}
    assert cache.kids("eu1") == ["eu-kid"]
    assert cache.kids() == [KID]


def test_webhook_style_dc_header_reaches_the_cache() -> None:
    calls: List[str] = []

    def fetch_dc(dc: str) -> Any:
        calls.append(dc)
        return jwks()

    cache = JWKSCache(lambda: jwks(), fetch_for_data_center=fetch_dc)
    assert verify(token(headers={"dc": "au1"}), cache)
    assert calls == ["au1"]


def test_refresh_and_clear() -> None:
    cache, fetch, _ = make()
    cache.refresh()
    cache.refresh()
    assert fetch.calls == 2
    cache.clear()
    assert cache.kids() == []
    cache.get_key(KID)
    assert fetch.calls == 3


def test_bad_construction() -> None:
    with pytest.raises(TypeError):
        JWKSCache(42)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        JWKSCache(lambda: None, ttl=-1)
    with pytest.raises(ValueError):
        JWKSCache(lambda: None, min_refetch_interval=True)
    with pytest.raises(TypeError):
        JWKSCache(lambda: None, fetch_for_data_center=1)  # type: ignore[arg-type]


def test_kid_must_be_str() -> None:
    cache, _, _ = make()
    with pytest.raises(UnknownKeyId):
        cache.get_key(1)  # type: ignore[arg-type]


def test_make_bearer_jwt_reexport() -> None:
    import gigya_fast.jwt as jwt_module

    try:
        from gigya_fast.rest.auth import make_bearer_jwt
    except ImportError:
        with pytest.raises(AttributeError):
            jwt_module.make_bearer_jwt  # noqa: B018
        return
    assert jwt_module.make_bearer_jwt is make_bearer_jwt
    with pytest.raises(AttributeError):
        jwt_module.no_such_name  # noqa: B018


def test_private_key_helper_is_stable() -> None:
    assert private_key() is private_key("a")
