"""Notification, pure and compiled: the same behaviour, attribute for attribute.

The compiled class is the one verify_many builds in bulk: the batch kernel
leaves those results untracked by the cyclic GC, which is why a 100k batch no
longer sets off collections. Single notifications are tracked as usual.
"""

from __future__ import annotations

import gc
import pickle
import weakref
from types import SimpleNamespace
from typing import Any, Dict

import pytest

from gigya_fast.errors import SignatureError
from gigya_fast.webhooks import MemoryDedupeStore, WebhookVerifier

from ._webhook_support import NOW, SECRET, body, event, headers


def make(kernels: SimpleNamespace, raw: bytes, **kwargs: Any) -> Any:
    return kernels.Notification.create(raw, {"X-Test": "1"}, **kwargs)


def test_lazy_fields(webhook_kernels: SimpleNamespace) -> None:
    raw = body([event("a", uid="u1"), event("b", kind="accountCreated")], nonce="n-7")
    n = make(webhook_kernels, raw, verified_by=["hmac"])
    assert n.body == raw and n.headers == {"X-Test": "1"}
    assert n.verified_by == frozenset({"hmac"})
    assert n.nonce == "n-7" and n.timestamp == NOW
    assert n.data["nonce"] == "n-7" and n.data is n.data  # parsed once
    assert [(e.type, e.id, e.uid) for e in n.events] == [
        ("accountUpdated", "a", "u1"),
        ("accountCreated", "b", "uid-1"),
    ]
    assert n.events is n.events
    assert n.events[0].call_id == "call-a" and n.events[0].api_key and n.events[0].version == "2.0"
    assert n.to_dict() == {
        "nonce": "n-7",
        "timestamp": NOW,
        "events": [
            {"type": e.type, "id": e.id, "timestamp": e.timestamp, "uid": e.uid, "api_key": e.api_key} for e in n.events
        ],
        "verified_by": ["hmac"],
    }


def test_given_data_and_timestamp_are_used(webhook_kernels: SimpleNamespace) -> None:
    n = make(webhook_kernels, b"not json", data={"nonce": "given", "events": []}, timestamp=5)
    assert n.nonce == "given" and n.timestamp == 5 and n.events == ()


def test_timestamp_without_compact_tail(webhook_kernels: SimpleNamespace) -> None:
    n = make(webhook_kernels, body(timestamp=NOW + 1, compact=False))
    assert n.timestamp == NOW + 1


@pytest.mark.parametrize(
    "raw, field",
    [
        (b"\xff\xfe", "nonce"),
        (b"[1, 2]", "events"),
        (b'{"events": {}, "nonce": "x", "timestamp": 1}', "events"),
        (b'{"events": [], "timestamp": 1}', "nonce"),
        (b'{"events": [], "nonce": "x", "timestamp": "soon"}', "timestamp"),
        (b'{"events": [{"type": "t"}], "nonce": "x", "timestamp": 1}', "events"),
    ],
)
def test_malformed_bodies_raise_on_access(webhook_kernels: SimpleNamespace, raw: bytes, field: str) -> None:
    n = make(webhook_kernels, raw)
    with pytest.raises(SignatureError, match="malformed"):
        getattr(n, field)


def test_new_events_release_and_duplicates(webhook_kernels: SimpleNamespace) -> None:
    store = MemoryDedupeStore()
    raw = body([event("x1"), event("x2")])
    first = make(webhook_kernels, raw, dedupe=store)
    assert [e.id for e in first.new_events] == ["x1", "x2"] and first.duplicate_count == 0
    again = make(webhook_kernels, raw, dedupe=store)
    assert again.new_events == () and again.duplicate_count == 2
    first.release()  # processing failed: the redelivery must go through
    third = make(webhook_kernels, raw, dedupe=store)
    assert [e.id for e in third.new_events] == ["x1", "x2"]
    assert make(webhook_kernels, raw).new_events == make(webhook_kernels, raw).events  # no store


def test_equality_hash_and_repr(webhook_kernels: SimpleNamespace) -> None:
    raw = body()
    a = make(webhook_kernels, raw, verified_by=["hmac"])
    b = make(webhook_kernels, raw, verified_by=["hmac"])
    c = make(webhook_kernels, raw, verified_by=["jwt"])
    assert a == b and not (a != b) and a != c and a != raw
    with pytest.raises(TypeError):
        hash(a)
    text = repr(a)
    assert text == f"<Notification {len(raw)} bytes verified_by=['hmac']>"
    assert "nonce" not in text and "X-Test" not in text


def test_pickle_round_trip(webhook_kernels: SimpleNamespace) -> None:
    n = make(webhook_kernels, body(nonce="p"), verified_by=["hmac"])
    fresh = pickle.loads(pickle.dumps(n))
    assert type(fresh) is type(n) and fresh == n and fresh.headers == n.headers and fresh.nonce == "p"
    assert n.events and n.new_events  # parsed state travels too
    parsed = pickle.loads(pickle.dumps(n))
    assert parsed.events == n.events and parsed.new_events == n.new_events and parsed.data == n.data


def test_verifier_builds_the_selected_class() -> None:
    from gigya_fast.webhooks import Notification, _kernels

    raw = body()
    v = WebhookVerifier(SECRET)
    assert type(v.verify(raw, headers(raw), now=NOW)) is Notification is _kernels.Notification
    (batched,) = v.verify_many([(raw, headers(raw))], now=NOW)
    assert type(batched) is Notification


class Marker:
    """Something a notification's headers can hold, observable through a weak reference."""


def test_single_notifications_take_part_in_cycle_collection(webhook_kernels: SimpleNamespace) -> None:
    hdrs: Dict[str, Any] = {"marker": Marker()}
    n = webhook_kernels.Notification(b"{}", hdrs, (frozenset({"hmac"}), None))
    assert gc.is_tracked(n)
    hdrs["self"] = n  # a cycle through the notification
    marker = weakref.ref(hdrs["marker"])
    del n, hdrs
    gc.collect()
    assert marker() is None, "the cycle was not collected"


def test_batch_results_are_left_untracked(webhook_kernels: SimpleNamespace) -> None:
    """20k verified notifications: the compiled kernel adds no object per item to the GC's lists."""
    signer = webhook_kernels.Signer(SECRET)
    raw = body()
    items = [(raw, headers(raw))] * 20_000
    gc.collect()
    young_before = len(gc.get_objects(generation=0))
    results = webhook_kernels.verify_webhook_batch(signer, items, 1 << 20, None, 1, (frozenset({"hmac"}), None), None)
    young_after = len(gc.get_objects(generation=0))
    assert len(results) == 20_000 and all(type(r) is webhook_kernels.Notification for r in results)
    if webhook_kernels.name == "cython":
        assert not any(gc.is_tracked(r) for r in results)
        assert young_after - young_before < 100
    else:  # the pure twin's notifications are ordinary tracked objects
        assert all(gc.is_tracked(r) for r in results)


def test_compiled_twins_are_selected_with_the_extension() -> None:
    """A build whose extension lost the webhook kernel must fail here, not fall back quietly."""
    from gigya_fast import IMPLEMENTATION
    from gigya_fast.webhooks import _batch_py, _kernels, _notification_py

    if IMPLEMENTATION == "cython":
        from gigya_fast import _signing_c

        selected: Any = _kernels.Notification  # typed as the pure class (the .pyi twin is distinct)
        assert selected is _signing_c.Notification
        assert _kernels.verify_webhook_batch is _signing_c.verify_webhook_batch
    else:
        assert _kernels.Notification is _notification_py.Notification
        assert _kernels.verify_webhook_batch is _batch_py.verify_webhook_batch
