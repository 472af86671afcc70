"""verify_webhook_batch, pure and compiled: when it steps aside, what it returns, and
byte-identical outcomes between the twins (hypothesis) and against the general rules."""

from __future__ import annotations

import math
from types import SimpleNamespace
from typing import Any, Callable, Dict, List, Tuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gigya_fast._signing_py import Signer as PySigner
from gigya_fast.errors import SignatureError
from gigya_fast.webhooks import _batch_py
from gigya_fast.webhooks._body import body_timestamp

from ._webhook_support import HMAC_HEADER, NOW, OTHER_SECRET, SECRET, RaisingKey, body, event, headers, sign

CTX = (frozenset({"hmac"}), None)
WINDOW = (NOW - 300, NOW + 300)


class Finish:
    """The caller's general timestamp step: records its calls; raises for bodies containing b"reject"."""

    def __init__(self) -> None:
        self.calls: List[bytes] = []

    def __call__(self, raw: bytes, hdrs: Dict[str, Any]) -> Any:
        self.calls.append(raw)
        if b"reject" in raw:
            raise SignatureError("finish rejected it")
        return ("finished", raw)


def run(k: SimpleNamespace, items: List[Any], window: Any = WINDOW, threads: int = 1, max_body: int = 1 << 20) -> Any:
    return k.verify_webhook_batch(k.Signer(SECRET), items, max_body, window, threads, CTX, Finish())


def item(i: int = 0, **kwargs: Any) -> Tuple[bytes, Dict[str, str]]:
    kwargs.setdefault("nonce", f"n{i}")
    raw = body([event(f"e{i}")], **kwargs)
    return raw, headers(raw)


def _str_sub_value() -> Tuple[bytes, Dict[str, Any]]:
    raw, hdrs = item()

    class S(str):
        pass

    return raw, {HMAC_HEADER: S(hdrs[HMAC_HEADER])}


STEP_ASIDE: Dict[str, Callable[[], Any]] = {
    "list item": lambda: list(item()),
    "triple": lambda: item() + ("x",),
    "str body": lambda: (item()[0].decode(), item()[1]),
    "bytearray body": lambda: (bytearray(item()[0]), item()[1]),
    "dict subclass": lambda: (item()[0], type("D", (dict,), {})(item()[1])),
    "no header": lambda: (item()[0], {"Content-Type": "application/json"}),
    "bytes header": lambda: (item()[0], {HMAC_HEADER: item()[1][HMAC_HEADER].encode()}),
    "str subclass header": _str_sub_value,
    "empty body": lambda: (b"", headers(b"")),
    "too big": lambda: item(pad=3000),
}


@pytest.mark.parametrize("kind", sorted(STEP_ASIDE))
@pytest.mark.parametrize("position", [0, 700])
def test_steps_aside(webhook_kernels: SimpleNamespace, kind: str, position: int) -> None:
    items: List[Any] = [item(i) for i in range(1000)]
    items[position] = STEP_ASIDE[kind]()
    for threads in (1, 2):  # 2: helpers were already hashing published items when it stops
        assert run(webhook_kernels, items, threads=threads, max_body=2048) is None
    assert run(webhook_kernels, []) is None


def test_lookup_errors_propagate_and_leave_nothing_behind(webhook_kernels: SimpleNamespace) -> None:
    items: List[Any] = [item(i) for i in range(1500)]
    items[1200] = (items[1200][0], {RaisingKey("x"): "y"})
    with pytest.raises(RuntimeError, match="key comparison"):
        run(webhook_kernels, items, threads=2)
    items[1200] = item(1200)
    assert all(type(r) is webhook_kernels.Notification for r in run(webhook_kernels, items, threads=2))


def test_lower_case_header_and_none_value(webhook_kernels: SimpleNamespace) -> None:
    raw, hdrs = item()
    sig = hdrs[HMAC_HEADER]
    for h in ({HMAC_HEADER.lower(): sig}, {HMAC_HEADER: None, HMAC_HEADER.lower(): sig}):
        (result,) = run(webhook_kernels, [(raw, h)])
        assert type(result) is webhook_kernels.Notification and result.headers is h


@pytest.mark.parametrize(
    "wrap, verifies",
    [
        (lambda s: s, True),
        (lambda s: f" \t{s}\r\n", True),
        (lambda s: f"\x1c\x1f{s}\x0b\x0c", True),  # str.isspace() ASCII controls
        (lambda s: f"\u3000{s}\xa0", True),  # Unicode whitespace: Python's strip rules
        (lambda s: f"\u3000{s}\u00e9", False),
        (lambda s: s[:14] + " " + s[14:], False),
        (lambda s: s[:-1], False),
        (lambda s: s + "=", False),
        (lambda s: "", False),
    ],
)
def test_signature_whitespace(webhook_kernels: SimpleNamespace, wrap: Any, verifies: bool) -> None:
    raw, hdrs = item()
    (result,) = run(webhook_kernels, [(raw, {HMAC_HEADER: wrap(hdrs[HMAC_HEADER])})])
    if verifies:
        assert type(result) is webhook_kernels.Notification
    else:
        assert isinstance(result, SignatureError) and "does not match" in str(result)


@pytest.mark.parametrize("threads", [1, 2, 3])
def test_outcomes_in_order(webhook_kernels: SimpleNamespace, threads: int) -> None:
    k = webhook_kernels
    kinds = ["ok", "bad", "stale", "future", "pretty", "reject", "short"] * 300
    items: List[Any] = []
    for i, kind in enumerate(kinds):
        if kind == "bad":
            raw = body(nonce=f"n{i}")
            items.append((raw, headers(raw, OTHER_SECRET)))
        elif kind in ("stale", "future"):
            items.append(item(i, timestamp=NOW - 301 if kind == "stale" else NOW + 301))
        elif kind == "pretty":
            items.append(item(i, compact=False))
        elif kind == "reject":
            items.append(item(i, nonce="reject", compact=False))
        elif kind == "short":
            items.append((b"{}", {HMAC_HEADER: sign(b"{}")}))
        else:
            items.append(item(i))
    finish = Finish()
    results = k.verify_webhook_batch(k.Signer(SECRET), items, 1 << 20, WINDOW, threads, CTX, finish)
    assert len(results) == len(items)
    for (raw, hdrs), kind, result in zip(items, kinds, results):
        if kind == "ok":
            assert type(result) is k.Notification and result.body is raw and result.headers is hdrs
            assert result.verified_by == CTX[0] and result.timestamp == NOW
        elif kind == "bad":
            assert str(result) == "X-Gigya-Sig-Hmac-Sha1 does not match the body"
        elif kind in ("stale", "future"):
            assert str(result) == "notification timestamp is outside the tolerance window"
        elif kind in ("pretty", "short"):
            assert result == ("finished", raw)
        else:
            assert isinstance(result, SignatureError) and str(result) == "finish rejected it"
    assert finish.calls == [raw for (raw, _), kind in zip(items, kinds) if kind in ("pretty", "reject", "short")]


def test_no_window_means_no_timestamp_reading(webhook_kernels: SimpleNamespace) -> None:
    items = [item(0, timestamp=1), item(1, compact=False), (b"x", {HMAC_HEADER: sign(b"x")})]
    results = run(webhook_kernels, items, window=None)
    assert all(type(r) is webhook_kernels.Notification for r in results)


# --- the tail rule ------------------------------------------------------------------------------

_tails = st.sampled_from(
    [
        b',"timestamp":%d}',
        b'{"timestamp":%d}',
        b',"timestamp":%d }',
        b', "timestamp":%d}',
        b',"timestamp": %d}',
        b',"timestamp":%d}\n',
        b'x"timestamp":%d}',
        b',"timestamp":"%d"}',
        b',"timestamp":0%d}',
        b',"timestamp":%d.5}',
        b',"Timestamp":%d}',
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    prefix=st.binary(max_size=40) | st.sampled_from([b"", b'{"events":[],"nonce":"n"']),
    tail=_tails,
    ts=st.integers(0, 10**12),
    low=st.integers(-5, 10**12),
    span=st.integers(0, 10**6),
)
def test_tail_verdict_agrees_with_the_general_rule(prefix: bytes, tail: bytes, ts: int, low: int, span: int) -> None:
    raw = prefix + tail % ts
    window = _batch_py.tail_window((low, low + span))
    verdict = _batch_py.tail_verdict(raw, window)
    if verdict == _batch_py.HOOK_UNDECIDED:
        return
    found = body_timestamp(raw)  # the general rule decides these bodies the same way
    assert found is not None
    assert (verdict == _batch_py.HOOK_OK) == (low <= found <= low + span)


def test_tail_window_bounds() -> None:
    assert _batch_py.tail_window(None) == (0, b"", b"")
    assert _batch_py.tail_window((NOW - 300, NOW + 300)) == (10, b"%d" % (NOW - 300), b"%d" % (NOW + 300))
    assert _batch_py.tail_window((999, 1000))[0] == -1  # widths differ
    assert _batch_py.tail_window((-5, 5))[0] == -1
    assert _batch_py.tail_window((10**15, 10**15 + 1))[0] == -1  # beyond 15 digits
    assert math.floor(NOW + 300.5) == NOW + 300  # the verifier's integer bounds


# --- the twins agree -----------------------------------------------------------------------------


def _outcome(result: Any) -> Any:
    if isinstance(result, SignatureError):
        return ("error", type(result), str(result))
    if isinstance(result, tuple):
        return result
    return ("notification", id(result.body), id(result.headers), result.verified_by)


_variants = st.sampled_from(
    [
        "ok",
        "ok",
        "ok",
        "bad",
        "stale",
        "future",
        "pretty",
        "reject",
        "ws",
        "uws",
        "lower",
        "none_then_lower",
        "missing",
        "bytes_sig",
        "empty",
        "huge",
        "str_body",
        "not_tuple",
        "short",
        "zero_ts",
        "wide_ts",
    ]
)


def _variant(kind: str, i: int, pad: int) -> Any:
    raw, hdrs = item(i, pad=pad)
    sig = hdrs[HMAC_HEADER]
    if kind == "bad":
        return raw, headers(raw, OTHER_SECRET)
    if kind in ("stale", "future"):
        return item(i, pad=pad, timestamp=NOW - 301 if kind == "stale" else NOW + 301)
    if kind in ("pretty", "reject"):
        return item(i, pad=pad, compact=False, nonce="reject" if kind == "reject" else "n")
    if kind == "ws":
        return raw, {HMAC_HEADER: f"\t{sig} "}
    if kind == "uws":
        return raw, {HMAC_HEADER: f"\u2003{sig}"}
    if kind == "lower":
        return raw, {HMAC_HEADER.lower(): sig}
    if kind == "none_then_lower":
        return raw, {HMAC_HEADER: None, HMAC_HEADER.lower(): sig}
    if kind == "missing":
        return raw, {}
    if kind == "bytes_sig":
        return raw, {HMAC_HEADER: sig.encode()}
    if kind == "empty":
        return b"", {HMAC_HEADER: sign(b"")}
    if kind == "huge":
        return item(i, pad=5000)
    if kind == "str_body":
        return raw.decode(), hdrs
    if kind == "not_tuple":
        return [raw, hdrs]
    if kind == "short":
        return b"}", {HMAC_HEADER: sign(b"}")}
    if kind == "zero_ts":
        return item(i, pad=pad, timestamp=0)
    if kind == "wide_ts":
        return item(i, pad=pad, timestamp=10 * NOW)
    return raw, hdrs


@pytest.mark.c_extension
@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    kinds=st.lists(st.tuples(_variants, st.integers(0, 2000)), max_size=30),
    repeat=st.sampled_from([1, 1, 40]),
    window=st.sampled_from([WINDOW, None, (NOW, NOW), (999, 10**10), (-1, NOW)]),
    threads=st.integers(1, 3),
)
def test_twins_agree(c_kernels: Any, kinds: List[Tuple[str, int]], repeat: int, window: Any, threads: int) -> None:
    from gigya_fast.webhooks import _batch_c

    items = [_variant(kind, i, pad) for i, (kind, pad) in enumerate(kinds)] * repeat
    outcomes = []
    twins: List[Tuple[Any, Any]] = [
        (_batch_c.verify_webhook_batch, c_kernels.Signer),
        (_batch_py.verify_webhook_batch, PySigner),
    ]
    for batch, signer in twins:
        result = batch(signer(SECRET), items, 4096, window, threads, CTX, Finish())
        outcomes.append(None if result is None else [_outcome(r) for r in result])
    assert outcomes[0] == outcomes[1]


@pytest.mark.parametrize(
    "window, inside",
    [((NOW, NOW), True), ((NOW + 1, NOW + 1), False), ((NOW - 1, NOW - 1), False), ((NOW - 9, NOW + 9), True)],
)
def test_window_edges(webhook_kernels: SimpleNamespace, window: Tuple[int, int], inside: bool) -> None:
    (result,) = run(webhook_kernels, [item()], window=window)
    assert (type(result) is webhook_kernels.Notification) is inside


def test_collections_while_results_are_built(webhook_kernels: SimpleNamespace) -> None:
    """A collection set off inside finish() (the results list is half built) changes nothing."""
    import gc

    items = [item(i, compact=i % 50 != 0) for i in range(2000)]

    def finish(raw: bytes, hdrs: Dict[str, Any]) -> Any:
        gc.collect()
        return ("finished", raw)

    k = webhook_kernels
    results = k.verify_webhook_batch(k.Signer(SECRET), items, 1 << 20, WINDOW, 2, CTX, finish)
    gc.collect()
    for (raw, hdrs), result in zip(items, results):
        if raw.startswith(b'{"events":[') and b"\n" not in raw:
            assert type(result) is k.Notification and result.body is raw and result.headers is hdrs
        else:
            assert result == ("finished", raw)
