"""Scenarios where a caller's argument changes while a batch entry point runs: a
finalizer set off by the garbage collector, or another thread while the GIL is
free. Run one per process (a crash must fail the test, not kill pytest):

    python tests/hardening/_ownership.py <python|cython> <scenario>

Prints the outcome as one JSON line: ``["ok", <summary>]`` or
``["raise", <class>, <message>]``, or for the threaded scenarios the sorted set
of outcomes seen. ``test_ownership.py`` runs every scenario with both
implementations and compares.
"""

from __future__ import annotations

import base64
import gc
import hashlib
import hmac
import importlib
import json
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Callable, Dict, List, Tuple

SECRET = base64.b64encode(b"ownership secret 0123456789").decode("ascii")
KEY = base64.b64decode(SECRET)
NOW = 1_700_000_000
N = 1000
HMAC_HEADER = "X-Gigya-Sig-Hmac-Sha1"


def _mac(message: bytes) -> str:
    return base64.b64encode(hmac.new(KEY, message, hashlib.sha1).digest()).decode("ascii")


def load(name: str) -> SimpleNamespace:
    """The kernels of one implementation: the signing module and the webhook batch kernel."""
    suffix = "py" if name == "python" else "c"
    kernels = importlib.import_module(f"gigya_fast._signing_{suffix}")
    batch = importlib.import_module(f"gigya_fast.webhooks._batch_{suffix}")
    return SimpleNamespace(kernels=kernels, verify_webhook_batch=batch.verify_webhook_batch)


class OnCollect:
    """An object in a reference cycle: freed only by the cyclic GC, it then runs *action*."""

    def __init__(self, action: Callable[[], None]) -> None:
        self.action = action
        self.me = self

    def __del__(self) -> None:
        self.action()


def collect_soon(action: Callable[[], None]) -> None:
    """Run *action* at the next garbage collection, which the next allocation of a
    container sets off. Callers make their kernel call right after this, with every
    argument built beforehand, so that this allocation is the kernel's own."""
    gc.collect()
    OnCollect(action)
    gc.set_threshold(1)


def summary(result: Any) -> Any:
    """What a result looks like, comparable between the implementations."""
    if isinstance(result, list):
        return [_item(r) for r in result]
    return _item(result)


def _item(r: Any) -> Any:
    if isinstance(r, Exception):
        return ["error", type(r).__name__, str(r)]
    if hasattr(r, "verified_by"):
        return ["notification", r.body.decode("latin-1"), sorted(r.verified_by)]
    return r


Scenario = Callable[[SimpleNamespace], Any]
SCENARIOS: Dict[str, Callable[[SimpleNamespace], List[Any]]] = {}


def scenario(f: Scenario) -> Scenario:
    """Register *f*; its outcome is ``["ok", summary]`` or ``["raise", class, message]``."""

    def run(k: SimpleNamespace) -> List[Any]:
        try:
            return ["ok", summary(f(k))]
        except Exception as exc:  # noqa: BLE001 - every exception is compared
            return ["raise", type(exc).__name__, str(exc)]
        finally:
            gc.set_threshold(700, 10, 10)

    SCENARIOS[f.__name__] = run
    return f


# --- validate_users ------------------------------------------------------------------


def _users_inputs() -> Tuple[Tuple[str, ...], List[Any], List[str]]:
    uids = tuple("\u00e9" if i == 10 else f"u{i}" for i in range(N))  # index 10 takes the general path
    timestamps: List[Any] = [NOW] * N
    sigs = [_mac(f"{NOW}_{u}".encode()) for u in uids]
    return uids, timestamps, sigs


@scenario
def users_gc_clear(k: SimpleNamespace) -> Any:
    """The issue's repro: a finalizer empties the timestamps list during the call."""
    uids, timestamps, sigs = _users_inputs()
    validate = k.kernels.Signer(SECRET).validate_users
    collect_soon(timestamps.clear)
    return validate(uids, timestamps, sigs, now=NOW)


@scenario
def users_gc_clear_function(k: SimpleNamespace) -> Any:
    """The same through the module-level function, the signatures list emptied."""
    uids, timestamps, sigs = _users_inputs()
    validate = k.kernels.validate_user_signatures
    collect_soon(sigs.clear)
    return validate(uids, timestamps, sigs, SECRET, now=NOW)


@scenario
def users_gc_replace(k: SimpleNamespace) -> Any:
    """A finalizer swaps every timestamp for a stale one, keeping the length."""
    uids, timestamps, sigs = _users_inputs()
    stale = [NOW - 10_000] * N
    validate = k.kernels.Signer(SECRET).validate_users
    collect_soon(lambda: timestamps.__setitem__(slice(None), stale))
    return validate(uids, timestamps, sigs, now=NOW, threads=2)


@scenario
def users_generator(k: SimpleNamespace) -> Any:
    """An iterable argument whose iteration empties a later list argument."""
    uids, timestamps, sigs = _users_inputs()

    def stamps() -> Any:
        for i, stamp in enumerate(timestamps):
            if i == 500:
                sigs.clear()
            yield stamp

    return k.kernels.Signer(SECRET).validate_users(list(uids), stamps(), sigs, now=NOW)


@scenario
def users_threaded(k: SimpleNamespace) -> Any:
    """Another thread resizes the timestamps list whenever a finalizer frees the GIL."""
    uids, timestamps, sigs = _users_inputs()
    full = list(timestamps)
    validate = k.kernels.Signer(SECRET).validate_users

    def flip(empty: bool) -> None:
        if empty:
            timestamps.clear()  # frees the item array: a stale read would crash
        else:
            timestamps.extend(full)

    def call() -> Any:
        return validate(uids, timestamps, sigs, now=NOW)

    return _threaded(flip, call)


# --- verify_hmacs ----------------------------------------------------------------------


def _hmacs_inputs() -> Tuple[List[Any], List[str]]:
    messages: List[Any] = [b"body %d" % i for i in range(N)]
    messages[7] = bytearray(messages[7])
    return messages, [_mac(bytes(m)) for m in messages]


@scenario
def hmacs_gc_clear(k: SimpleNamespace) -> Any:
    messages, sigs = _hmacs_inputs()
    verify = k.kernels.Signer(SECRET).verify_hmacs
    collect_soon(sigs.clear)
    return verify(messages, sigs)


@scenario
def hmacs_gc_bytearray(k: SimpleNamespace) -> Any:
    """A finalizer rewrites a bytearray message: its new contents are what is hashed, in both."""
    messages, sigs = _hmacs_inputs()
    message = messages[7]
    verify = k.kernels.Signer(SECRET).verify_hmacs
    collect_soon(lambda: message.__setitem__(slice(None), b"changed"))
    return verify(messages, sigs, threads=2)


@scenario
def hmacs_threaded(k: SimpleNamespace) -> Any:
    messages, sigs = _hmacs_inputs()
    full, short = list(sigs), sigs[: N // 2]
    verify = k.kernels.Signer(SECRET).verify_hmacs

    def call() -> Any:
        return verify(messages, sigs)

    return _threaded(lambda flip: sigs.__setitem__(slice(None), short if flip else full), call)


# --- the webhook batch kernel ------------------------------------------------------------


class HostileKey(str):
    """A header name equal to the HMAC header whose __eq__ runs *action* once."""

    action: Callable[[], None] = staticmethod(lambda: None)

    def __hash__(self) -> int:
        return str.__hash__(self)

    def __eq__(self, other: object) -> bool:
        action, HostileKey.action = HostileKey.action, staticmethod(lambda: None)
        action()
        return str.__eq__(self, other)


def _webhook_items() -> List[Any]:
    items: List[Any] = []
    for i in range(50):
        body = b'{"events":[],"nonce":"n%d","timestamp":%d}' % (i, NOW)
        items.append((body, {"Content-Type": "application/json", HMAC_HEADER: _mac(body)}))
    return items


def _finish(body: bytes, headers: Any) -> Any:
    raise AssertionError("no item should need finishing")


CTX = (frozenset({"hmac"}), None)
WINDOW = (NOW - 300, NOW + 300)


@scenario
def webhook_gc_clear(k: SimpleNamespace) -> Any:
    items = _webhook_items()
    batch, signer = k.verify_webhook_batch, k.kernels.Signer(SECRET)
    collect_soon(items.clear)
    return batch(signer, items, 1 << 20, WINDOW, 1, CTX, _finish)


@scenario
def webhook_key_eq(k: SimpleNamespace) -> Any:
    """A header lookup runs the caller's code, which empties the item list and breaks item 30."""
    items = _webhook_items()
    body, headers = items[20]
    items[20] = (body, {HostileKey(HMAC_HEADER): headers[HMAC_HEADER]})

    def mutate() -> None:
        items[30][1][HMAC_HEADER] = "A" * 27 + "="  # read after this, in both
        items.clear()  # read before: each twin reads its own copy of the list

    HostileKey.action = staticmethod(mutate)
    return k.verify_webhook_batch(k.kernels.Signer(SECRET), items, 1 << 20, WINDOW, 2, CTX, _finish)


# --- request signing ------------------------------------------------------------------------


class MutatingDict(dict):  # type: ignore[type-arg]
    """A dict value whose items() (called by json.dumps) changes the params it sits in."""

    params: Dict[str, Any] = {}

    def items(self) -> Any:
        MutatingDict.params.pop("b", None)
        MutatingDict.params["zz"] = "added"
        return dict.items(self)


def _params() -> Dict[str, Any]:
    params: Dict[str, Any] = {"a": MutatingDict(x=1), "b": 2, "c": "three"}
    for i in range(20):
        params[f"p{i:02d}"] = i  # past the size kept on the stack
    MutatingDict.params = params
    return params


@scenario
def sign_request_mutating(k: SimpleNamespace) -> Any:
    return k.kernels.Signer(SECRET).sign_request("POST", "https://h/p", _params())


@scenario
def query_string_mutating(k: SimpleNamespace) -> Any:
    return k.kernels.build_query_string(_params())


@scenario
def base_string_mutating(k: SimpleNamespace) -> Any:
    return k.kernels.build_base_string("POST", "https://h/p", _params())


# --- threads -----------------------------------------------------------------------------


def _threaded(flip: Callable[[bool], None], call: Callable[[], Any], rounds: int = 150) -> List[Any]:
    """*call* repeatedly while another thread runs *flip* whenever it gets the GIL; a
    finalizer that sleeps (freeing the GIL) is collected at the call's first allocation.
    Returns the sorted distinct outcomes: ``["ok", length]`` or ``["raise", class, message]``."""
    stop = threading.Event()

    def mutator() -> None:
        state = False
        while not stop.is_set():
            state = not state
            flip(state)
            time.sleep(0)

    thread = threading.Thread(target=mutator, daemon=True)
    seen = set()
    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    thread.start()
    try:
        for _ in range(rounds):
            try:
                collect_soon(lambda: time.sleep(0.0002))
                seen.add(json.dumps(["ok", len(call())]))
            except ValueError as exc:
                seen.add(json.dumps(["raise", "ValueError", str(exc)]))
            finally:
                gc.set_threshold(700, 10, 10)
    finally:
        stop.set()
        thread.join(10)
        sys.setswitchinterval(previous)
    return sorted(json.loads(s) for s in seen)


def main(argv: List[str]) -> None:
    implementation, scenario = argv
    print(json.dumps(SCENARIOS[scenario](load(implementation))))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    main(sys.argv[1:])
