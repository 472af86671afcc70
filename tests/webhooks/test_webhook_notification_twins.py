"""Notification, pure and compiled: the same behaviour, attribute for attribute.

The compiled class is the one verify_many builds in bulk: the batch kernel
leaves those results untracked by the cyclic GC, which is why a 100k batch no
longer sets off collections. Single notifications are tracked as usual.
"""

from __future__ import annotations

import gc
import pickle
import threading
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


def test_claim_release_and_duplicates(webhook_kernels: SimpleNamespace) -> None:
    store = MemoryDedupeStore()
    raw = body([event("x1"), event("x2")])
    first = make(webhook_kernels, raw, dedupe=store)
    assert [e.id for e in first.claim_new_events()] == ["x1", "x2"] and first.duplicate_count == 0
    assert first.claim_new_events() is first.claim_new_events()  # asked once
    again = make(webhook_kernels, raw, dedupe=store)
    assert again.claim_new_events() == () and again.duplicate_count == 2
    first.release()  # processing failed: the redelivery must go through
    third = make(webhook_kernels, raw, dedupe=store)
    assert [e.id for e in third.claim_new_events()] == ["x1", "x2"]
    assert make(webhook_kernels, raw).claim_new_events() == make(webhook_kernels, raw).events  # no store


def test_new_events_is_deprecated_and_claims(webhook_kernels: SimpleNamespace) -> None:
    store = MemoryDedupeStore()
    raw = body([event("d1")])
    n = make(webhook_kernels, raw, dedupe=store)
    with pytest.warns(DeprecationWarning, match="claim_new_events") as caught:
        assert [e.id for e in n.new_events] == ["d1"]
    assert caught[0].filename == __file__  # points at the caller's line, in both twins
    assert n.claim_new_events() == n.events and len(store) == 1


class SlowStore(MemoryDedupeStore):
    """A store whose add_many waits for a gate (a slow Redis round trip)."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()
        self.entered = threading.Event()

    def add_many(self, keys: Any) -> Any:
        self.entered.set()
        assert self.gate.wait(30)
        return super().add_many(keys)


def test_claims_of_other_notifications_do_not_wait(webhook_kernels: SimpleNamespace) -> None:
    """The store I/O of one claim holds that notification's guard only."""
    slow = SlowStore()
    stuck = make(webhook_kernels, body([event("slow")]), dedupe=slow)
    worker = threading.Thread(target=stuck.claim_new_events)
    worker.start()
    assert slow.entered.wait(30)
    # meanwhile every other notification claims (256 of them would meet any shared lock)
    fast = MemoryDedupeStore()
    others = [make(webhook_kernels, body([event(f"f{i}")]), dedupe=fast) for i in range(256)]
    claims = threading.Thread(target=lambda: [n.claim_new_events() for n in others])
    claims.start()
    claims.join(10)
    finished = not claims.is_alive()
    slow.gate.set()
    worker.join(30)
    claims.join(30)
    assert finished, "claims of other notifications waited for another's store"
    assert len(fast) == 256 and [e.id for e in stuck.claim_new_events()] == ["slow"]


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
    from gigya_fast.webhooks import Notification

    n = make(webhook_kernels, body(nonce="p"), verified_by=["hmac"])
    fresh = pickle.loads(pickle.dumps(n))
    # loaded as this process's public class, whichever twin pickled it
    assert type(fresh) is Notification and fresh.body == n.body and fresh.verified_by == n.verified_by
    assert fresh.headers == n.headers and fresh.nonce == "p"
    assert n.events and n.claim_new_events()  # parsed and claimed state travels too
    parsed = pickle.loads(pickle.dumps(n))
    assert parsed.events == n.events and parsed.claim_new_events() == n.claim_new_events() and parsed.data == n.data


def test_pickle_drops_signatures_and_the_store(webhook_kernels: SimpleNamespace) -> None:
    raw = body([event("s1"), event("s2")])
    hdrs = {"X-Gigya-Sig-Hmac-Sha1": "c2ln", "x-gigya-sig-jwt": "a.b.c", "Content-Type": "application/json"}
    store = MemoryDedupeStore()
    n = webhook_kernels.Notification.create(raw, hdrs, verified_by=["hmac", "jwt"], dedupe=store)
    data = pickle.dumps(n)
    assert b"c2ln" not in data and b"a.b.c" not in data
    loaded = pickle.loads(data)
    assert loaded.headers == {"Content-Type": "application/json"}
    assert loaded.verified_by == frozenset({"hmac", "jwt"}) and loaded._ctx[1] is None
    # not claimed before pickling: the copy has no store, so it claims nothing
    assert [e.id for e in loaded.claim_new_events()] == ["s1", "s2"] and len(store) == 0
    assert [e.id for e in n.claim_new_events()] == ["s1", "s2"] and len(store) == 2
    # claimed before pickling: the copy keeps the claim; release() on it touches no store
    again = pickle.loads(pickle.dumps(n))
    assert [e.id for e in again.claim_new_events()] == ["s1", "s2"]
    again.release()
    assert len(store) == 2


def test_pickle_with_a_default_verifier_store() -> None:
    raw = body()
    (n,) = WebhookVerifier(SECRET).verify_many([(raw, headers(raw))], now=NOW)
    assert not isinstance(n, SignatureError)
    assert n._ctx[1] is not None  # the verifier's MemoryDedupeStore (holds a lock)
    loaded = pickle.loads(pickle.dumps(n))
    assert loaded.body == raw and loaded.nonce == n.nonce and loaded._ctx[1] is None


def test_pickle_across_implementations(tmp_path: Any) -> None:
    """Pickled by a compiled process, loaded by a pure one: an instance of gigya_fast.webhooks.Notification."""
    import os
    import subprocess
    import sys

    raw = body(nonce="cross")
    path = tmp_path / "note.pickle"
    script = (
        "import pickle, sys\n"
        "from gigya_fast.webhooks import Notification, _kernels\n"
        "if sys.argv[1] == 'dump':\n"
        "    n = Notification.create(%r, {'X-Gigya-Sig-Hmac-Sha1': 's', 'A': 'b'}, verified_by=['hmac'])\n"
        "    open(sys.argv[2], 'wb').write(pickle.dumps(n))\n"
        "else:\n"
        "    n = pickle.loads(open(sys.argv[2], 'rb').read())\n"
        "    assert type(n) is Notification, type(n)\n"
        "    print(_kernels.IMPLEMENTATION, n.nonce, *sorted(n.headers), *sorted(n.verified_by))\n"
    ) % (raw,)
    for dump_env, load_env in (("0", "1"), ("1", "0")):
        env = dict(os.environ)
        subprocess.run(
            [sys.executable, "-c", script, "dump", str(path)],
            env={**env, "GIGYA_FAST_NO_EXTENSIONS": dump_env},
            check=True,
            timeout=60,
        )
        out = subprocess.run(
            [sys.executable, "-c", script, "load", str(path)],
            env={**env, "GIGYA_FAST_NO_EXTENSIONS": load_env},
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        implementation = "python" if load_env == "1" else ("cython" if _compiled_available() else "python")
        assert out.stdout.split() == [implementation, "cross", "A", "hmac"]


def _compiled_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("gigya_fast.webhooks._notification_c") is not None


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
    """A build whose extension lost the webhook kernels must fail here, not fall back quietly."""
    from gigya_fast import IMPLEMENTATION
    from gigya_fast.webhooks import _batch_py, _kernels, _notification_py

    assert _kernels.IMPLEMENTATION == IMPLEMENTATION
    if IMPLEMENTATION == "cython":
        from gigya_fast.webhooks import _batch_c, _notification_c

        selected: Any = _kernels.Notification  # typed as the pure class (the .pyi twin is distinct)
        assert selected is _notification_c.Notification
        assert _kernels.verify_webhook_batch is _batch_c.verify_webhook_batch
    else:
        assert _kernels.Notification is _notification_py.Notification
        assert _kernels.verify_webhook_batch is _batch_py.verify_webhook_batch
