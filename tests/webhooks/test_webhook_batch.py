"""verify_many: one kernel call, order kept, bad items isolated, same outcome as verify() one at a time."""

from __future__ import annotations

from typing import Any, Dict, List, Tuple, Union

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gigya_fast.errors import SignatureError
from gigya_fast.webhooks import Notification, WebhookVerifier, _batch_py, _kernels

from ._webhook_support import HMAC_HEADER, NOW, OTHER_SECRET, SECRET, body, event, headers, sign

Outcome = Union[Notification, SignatureError, type]


def single(v: WebhookVerifier, item: Any, now: float) -> Outcome:
    if not isinstance(item, tuple) and not hasattr(item, "body"):
        return TypeError
    raw, hdrs = item if isinstance(item, tuple) else (item.body, item.headers)
    try:
        return v.verify(raw, hdrs, now=now)
    except SignatureError as exc:
        return exc
    except TypeError:
        return TypeError


def same(batch: Any, one: Outcome) -> bool:
    if one is TypeError:
        return isinstance(batch, SignatureError) and str(batch).startswith("invalid item")
    if isinstance(one, SignatureError):
        return type(batch) is type(one) and str(batch) == str(one)
    assert isinstance(one, Notification)
    if not isinstance(batch, Notification) or batch != one or batch.headers is not one.headers:
        return False
    try:
        return batch.timestamp == one.timestamp
    except SignatureError:
        return True


class Item:
    def __init__(self, raw: Any, hdrs: Any) -> None:
        self.body, self.headers = raw, hdrs


def good(i: int, pad: int = 0) -> Tuple[bytes, Dict[str, str]]:
    raw = body([event(f"ev-{i}")], nonce=f"n-{i}", pad=pad)
    return raw, headers(raw)


def test_order_and_isolation() -> None:
    v = WebhookVerifier(SECRET)
    ok0, ok1 = good(0), good(1)
    items: List[Any] = [
        ok0,
        (ok1[0], headers(ok1[0], OTHER_SECRET)),  # wrong secret
        ("text", {HMAC_HEADER: "x"}),  # wrong body type
        (b"", {HMAC_HEADER: sign(b"")}),  # empty
        Item(*good(4)),  # object with .body/.headers
        42,  # not an item at all
        (good(6)[0], {}),  # missing header
        good(7),
    ]
    results = v.verify_many(items, now=NOW)
    assert len(results) == len(items)
    kinds = [type(r).__name__ for r in results]
    assert kinds == [
        "Notification",
        "SignatureError",
        "SignatureError",
        "SignatureError",
        "Notification",
        "SignatureError",
        "SignatureError",
        "Notification",
    ]
    assert [r.nonce for r in results if isinstance(r, Notification)] == ["n-0", "n-4", "n-7"]
    assert "does not match" in str(results[1])
    assert str(results[2]).startswith("invalid item") and str(results[5]).startswith("invalid item")


def test_all_hmacs_in_one_kernel_call(monkeypatch: pytest.MonkeyPatch) -> None:
    v = WebhookVerifier(SECRET)
    signer = v._signers[0]
    batches: List[int] = []
    real_batch = _kernels.verify_webhook_batch

    def spy_batch(signer: Any, items: Any, *args: Any) -> Any:
        batches.append(len(items))
        return real_batch(signer, items, *args)

    monkeypatch.setattr(_kernels, "verify_webhook_batch", spy_batch)
    items = [good(i) for i in range(50)]
    assert all(isinstance(r, Notification) for r in v.verify_many(items, now=NOW))
    assert batches == [50]  # the HMAC-only batch: one call into the batch kernel

    calls: List[int] = []

    class Spy:
        def verify_hmacs(self, messages: Any, signatures: Any, *, threads: int = 1) -> List[bool]:
            calls.append(len(messages))
            assert signer is not None
            return signer.verify_hmacs(messages, signatures, threads=threads)

    # the general path (an item without a signature) around one verify_hmacs call;
    # the pure batch kernel accepts any signer and steps aside before hashing
    monkeypatch.setattr(v, "_signers", (Spy(),))
    monkeypatch.setattr(_kernels, "verify_webhook_batch", _batch_py.verify_webhook_batch)
    items.append((b"x", {}))
    results = v.verify_many(items, now=NOW)
    assert calls == [50]
    assert all(isinstance(r, Notification) for r in results[:50]) and isinstance(results[50], SignatureError)


@pytest.mark.parametrize("threads", [1, 2, 4])
def test_threads(threads: int) -> None:
    v = WebhookVerifier(SECRET)
    items = [good(i, pad=i * 37) for i in range(200)]
    items[17] = (items[17][0] + b" ", items[17][1])
    results = v.verify_many(items, threads=threads, now=NOW)
    assert [isinstance(r, Notification) for r in results] == [i != 17 for i in range(200)]


def test_bad_threads() -> None:
    v = WebhookVerifier(SECRET)
    with pytest.raises(ValueError):
        v.verify_many([good(0)], threads=0, now=NOW)
    with pytest.raises(ValueError):
        v.verify_many([], threads=0)
    with pytest.raises(TypeError):
        v.verify_many([(b"x", {})], threads=1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        v.verify_many([good(0)], threads=True)


def test_empty_batch_and_iterables() -> None:
    v = WebhookVerifier(SECRET)
    assert v.verify_many([]) == []
    assert len(v.verify_many(iter([good(0), good(1)]), now=NOW)) == 2
    assert len(v.verify_many((good(i) for i in range(3)), now=NOW)) == 3


def test_stale_and_fallback_timestamps_in_batch() -> None:
    v = WebhookVerifier(SECRET, tolerance=60)
    items = []
    for ts, compact in ((NOW, True), (NOW - 61, True), (NOW + 60, True), (NOW, False), (NOW - 100, False)):
        raw = body(timestamp=ts, compact=compact)
        items.append((raw, headers(raw)))
    kinds = [isinstance(r, Notification) for r in v.verify_many(items, now=NOW)]
    assert kinds == [True, False, True, True, False]


def test_batch_uses_one_clock_reading() -> None:
    v = WebhookVerifier(SECRET)
    items = [good(i) for i in range(3)]
    assert all(isinstance(r, SignatureError) for r in v.verify_many(items))  # NOW is long ago


def test_tolerance_none_batch() -> None:
    v = WebhookVerifier(SECRET, tolerance=None)
    raw = body(timestamp=1)
    (result,) = v.verify_many([(raw, headers(raw))])
    assert isinstance(result, Notification) and result.timestamp == 1


# --- property: batch == one at a time ----------------------------------------------------

_mutations = st.sampled_from(
    [
        "none",
        "none",
        "none",
        "tamper_body",
        "tamper_sig",
        "wrong_secret",
        "lower_header",
        "upper_header",
        "missing_header",
        "bytes_header",
        "truncate",
        "str_body",
        "bytearray_body",
        "object_item",
        "list_headers",
        "stale",
        "future",
        "pretty",
        "empty",
        "huge",
        "garbage_signed",
        "not_an_item",
    ]
)


def _build(kind: str, i: int, pad: int) -> Any:
    raw = body([event(f"e{i}")], nonce=f"n{i}", pad=pad, timestamp=NOW)
    hdrs: Any = headers(raw)
    if kind == "tamper_body":
        raw = raw.replace(b"uid-1", b"uid-9")
    elif kind == "tamper_sig":
        hdrs[HMAC_HEADER] = hdrs[HMAC_HEADER][::-1]
    elif kind == "wrong_secret":
        hdrs = headers(raw, OTHER_SECRET)
    elif kind == "lower_header":
        hdrs = {HMAC_HEADER.lower(): hdrs[HMAC_HEADER]}
    elif kind == "upper_header":
        hdrs = {HMAC_HEADER.upper(): hdrs[HMAC_HEADER]}
    elif kind == "missing_header":
        hdrs = {"Content-Type": "application/json"}
    elif kind == "bytes_header":
        hdrs = {HMAC_HEADER: hdrs[HMAC_HEADER].encode()}
    elif kind == "truncate":
        raw = raw[: len(raw) // 2]
    elif kind == "str_body":
        return (raw.decode(), hdrs)
    elif kind == "bytearray_body":
        return (bytearray(raw), hdrs)
    elif kind == "object_item":
        return Item(raw, hdrs)
    elif kind == "list_headers":
        return (raw, list(hdrs.items()))
    elif kind in ("stale", "future", "pretty"):
        ts = {"stale": NOW - 301, "future": NOW + 301, "pretty": NOW}[kind]
        raw = body([event(f"e{i}")], nonce=f"n{i}", pad=pad, timestamp=ts, compact=kind != "pretty")
        hdrs = headers(raw)
    elif kind == "empty":
        raw = b""
        hdrs = headers(raw)
    elif kind == "huge":
        raw = body(pad=5000)
        hdrs = headers(raw)
    elif kind == "garbage_signed":
        raw = b"\xff garbage"
        hdrs = headers(raw)
    elif kind == "not_an_item":
        return raw
    return (raw, hdrs)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kinds=st.lists(st.tuples(_mutations, st.integers(0, 3000)), max_size=25),
    tolerance=st.sampled_from([300, None, 0]),
    threads=st.integers(1, 3),
    now_offset=st.sampled_from([0, 0.5, 299, -300, 301]),
)
def test_batch_equals_one_at_a_time(
    kinds: List[Tuple[str, int]], tolerance: Any, threads: int, now_offset: float
) -> None:
    v = WebhookVerifier(SECRET, tolerance=tolerance, max_body_bytes=4096, dedupe=False)
    items = [_build(kind, i, pad) for i, (kind, pad) in enumerate(kinds)]
    now = NOW + now_offset
    batch = v.verify_many(items, threads=threads, now=now)
    assert len(batch) == len(items)
    for item, result in zip(items, batch):
        assert same(result, single(v, item, now)), (item, result)
