"""What unsigned token headers can make a JWKSCache fetch: known data centers only, one global refetch throttle."""

from __future__ import annotations

import math
from typing import Any, Dict

import pytest

from gigya_fast.errors import UnknownKeyId
from gigya_fast.jwt import CDC_DATA_CENTERS, JWKSCache, verify_id_token

from ._jwt_support import API_KEY, KID, NOW, claims, jwks, token, unsigned
from .test_jwt_jwks import Clock


class Counting:
    """Fetchers counting their calls: the default one and the per-data-center one."""

    def __init__(self) -> None:
        self.default = 0
        self.per_dc: Dict[str, int] = {}

    def fetch(self) -> Any:
        self.default += 1
        return jwks()

    def fetch_dc(self, dc: str) -> Any:
        self.per_dc[dc] = self.per_dc.get(dc, 0) + 1
        return jwks()

    @property
    def total(self) -> int:
        return self.default + sum(self.per_dc.values())


def make(**kwargs: Any) -> tuple[JWKSCache, Counting, Clock]:
    counting, clock = Counting(), Clock()
    kwargs.setdefault("data_center", "us1")
    cache = JWKSCache(counting.fetch, fetch_for_data_center=counting.fetch_dc, clock=clock, **kwargs)
    return cache, counting, clock


def forged(dc: str, kid: str = KID) -> str:
    """A token whose unsigned header names *dc* (its signature is garbage)."""
    return unsigned({"alg": "RS256", "kid": kid, "dc": dc}, claims(), b"\x00" * 256)


def rejected(tok: str, cache: JWKSCache) -> str:
    with pytest.raises(UnknownKeyId) as info:
        verify_id_token(tok, api_key=API_KEY, jwks=cache, now=NOW)
    return str(info.value)


def test_forged_data_centers_cost_no_fetch_and_no_slot() -> None:
    cache, counting, _ = make()
    for i in range(5_000):
        assert "data center" in rejected(forged(f"dc-{i}"), cache)
    assert counting.total == 0 and cache.fetch_count == 0
    assert "slots=0" in repr(cache)
    assert cache.kids("dc-1") == [] and "slots=0" in repr(cache), "looking does not make slots either"


def test_known_data_centers_are_each_fetched_once() -> None:
    cache, counting, _ = make()
    for round_ in range(20):
        for dc in sorted(CDC_DATA_CENTERS):
            tok = token(headers={"dc": dc.upper() if round_ % 2 else dc})
            verify_id_token(tok, api_key=API_KEY, jwks=cache, now=NOW)
    assert counting.default == 1, "us1 is the cache's own data center: the default fetcher"
    assert counting.per_dc == {dc: 1 for dc in CDC_DATA_CENTERS - {"us1"}}


def test_unknown_kids_refetch_once_per_interval_for_the_whole_cache() -> None:
    cache, counting, clock = make(min_refetch_interval=30)
    for dc in sorted(CDC_DATA_CENTERS):
        cache.get_key(KID, dc)
    first = counting.total
    assert first == len(CDC_DATA_CENTERS)
    clock.now += 31
    for i in range(1_000):
        for dc in sorted(CDC_DATA_CENTERS):
            with pytest.raises(UnknownKeyId):
                cache.get_key(f"bogus-{i}", dc)
    assert counting.total == first + 1, "one refetch in the interval, not one per data center"
    clock.now += 31
    for dc in sorted(CDC_DATA_CENTERS):
        with pytest.raises(UnknownKeyId):
            cache.get_key("bogus", dc)
    assert counting.total == first + 2


def test_ttl_expiry_still_refetches_each_data_center() -> None:
    cache, counting, clock = make(ttl=60, min_refetch_interval=30)
    cache.get_key(KID, "eu1")
    cache.get_key(KID, "au1")
    clock.now += 61
    cache.get_key(KID, "eu1")
    cache.get_key(KID, "au1")
    assert counting.per_dc == {"eu1": 2, "au1": 2}, "expired keys are refetched whatever the kid throttle"


def test_custom_data_centers() -> None:
    cache, counting, _ = make(data_centers=["us1-st1", "EU1"])
    assert cache.data_centers == frozenset({"us1-st1", "eu1"})
    cache.get_key(KID, "us1-st1")
    cache.get_key(KID, "eu1")
    assert "data center" in rejected(forged("au1"), cache), "a CDC data center outside the configured set"
    assert counting.per_dc == {"us1-st1": 1, "eu1": 1}


def test_without_a_per_data_center_fetcher_dc_is_ignored() -> None:
    counting = Counting()
    cache = JWKSCache(counting.fetch)
    for i in range(100):
        cache.get_key(KID, f"dc-{i}")
    assert counting.default == 1


def test_api_domain_labels_name_the_data_center() -> None:
    cache, counting, _ = make(data_center="eu1.gigya.com")
    cache.get_key(KID, "eu1")
    assert counting.default == 1 and counting.per_dc == {}


def test_known_names_match_the_clients_routing_table() -> None:
    from gigya_fast.rest.routing import DATA_CENTERS

    assert CDC_DATA_CENTERS == frozenset(DATA_CENTERS)


@pytest.mark.parametrize("value", [math.nan, math.inf, -1, 10**400])
def test_non_finite_or_negative_intervals_are_refused(value: Any) -> None:
    with pytest.raises(ValueError, match="ttl"):
        JWKSCache(jwks, ttl=value)
    with pytest.raises(ValueError, match="min_refetch_interval"):
        JWKSCache(jwks, min_refetch_interval=value)


def test_bad_data_centers_argument() -> None:
    with pytest.raises(TypeError):
        JWKSCache(jwks, data_centers="eu1")
    with pytest.raises(ValueError):
        JWKSCache(jwks, data_centers=["eu1", ""])
    with pytest.raises(ValueError):
        JWKSCache(jwks, data_centers=["eu1", 5])  # type: ignore[list-item]
    with pytest.raises(TypeError):
        JWKSCache(jwks, data_center=5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        JWKSCache()
