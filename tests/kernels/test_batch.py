"""Batch kernels: Signer.validate_users, Signer.verify_hmacs, validate_user_signatures."""

from __future__ import annotations

import random
from types import ModuleType
from typing import List, Tuple, Union

import pytest

from ._reference import SECRET, b64_hmac_sha1, uid_signature

TS = 1700000000
Stamp = Union[str, int]


def _batch(n: int, seed: int = 7) -> Tuple[List[str], List[Stamp], List[str | None], List[bool]]:
    """n (uid, timestamp, signature) with the expected verdict at now=TS, window 300."""
    rng = random.Random(seed)
    uids: List[str] = []
    stamps: List[Stamp] = []
    sigs: List[str | None] = []
    verdicts: List[bool] = []
    for i in range(n):
        uid = f"uid-{i}-{'é' * (i % 3)}"
        delta = rng.choice([0, 1, -300, 300, 301, -301, 5000, -7])
        ts = TS + delta
        stamp: Stamp = ts if i % 2 else str(ts)
        kind = rng.randrange(6)
        good = uid_signature(SECRET, str(ts), uid)
        sig: str | None
        if kind == 0:
            sig = good[:-2] + ("AA" if not good.endswith("AA=") else "BB")
        elif kind == 1:
            sig = None
        elif kind == 2:
            sig = ""
        else:
            sig = good
        uids.append(uid)
        stamps.append(stamp)
        sigs.append(sig)
        verdicts.append(kind >= 3 and abs(delta) <= 300)
    return uids, stamps, sigs, verdicts


@pytest.mark.parametrize("threads", [1, 2, 3, 8])
def test_validate_users(kernels: ModuleType, threads: int) -> None:
    uids, stamps, sigs, verdicts = _batch(600)
    signer = kernels.Signer(SECRET)
    assert signer.validate_users(uids, stamps, sigs, now=TS, threads=threads) == verdicts
    assert kernels.validate_user_signatures(uids, stamps, sigs, SECRET, now=TS, threads=threads) == verdicts


def test_validate_users_matches_single_calls(kernels: ModuleType) -> None:
    uids, stamps, sigs, _ = _batch(200, seed=3)
    signer = kernels.Signer(SECRET)
    for expiration in (300, 10, None, 0.5):
        batch = signer.validate_users(uids, stamps, sigs, expiration=expiration, now=TS + 0.25)
        single = [signer.validate_user(u, t, s, expiration, now=TS + 0.25) for u, t, s in zip(uids, stamps, sigs)]
        assert batch == single


def test_validate_users_empty(kernels: ModuleType) -> None:
    assert kernels.Signer(SECRET).validate_users([], [], [], threads=4) == []
    assert kernels.validate_user_signatures([], [], [], SECRET) == []


def test_validate_users_accepts_any_sequence(kernels: ModuleType) -> None:
    sig = uid_signature(SECRET, str(TS), "u")
    signer = kernels.Signer(SECRET)
    assert signer.validate_users(("u", "u"), (TS, str(TS)), (sig, "x"), now=TS) == [True, False]
    assert signer.validate_users(iter(["u"]), iter([TS]), iter([sig]), now=TS) == [True]


def test_validate_users_default_now(kernels: ModuleType) -> None:
    import time

    now = int(time.time())
    sigs = [uid_signature(SECRET, str(now), "u"), uid_signature(SECRET, str(now - 4000), "u")]
    assert kernels.Signer(SECRET).validate_users(["u", "u"], [now, now - 4000], sigs) == [True, False]


@pytest.mark.parametrize("lengths", [(1, 2, 2), (2, 1, 2), (2, 2, 1), (0, 0, 1)])
def test_validate_users_length_mismatch(kernels: ModuleType, lengths: Tuple[int, int, int]) -> None:
    uids = ["u"] * lengths[0]
    stamps: List[Stamp] = [TS] * lengths[1]
    sigs: List[str | None] = ["s"] * lengths[2]
    with pytest.raises(ValueError, match="same length"):
        kernels.Signer(SECRET).validate_users(uids, stamps, sigs)
    with pytest.raises(ValueError, match="same length"):
        kernels.validate_user_signatures(uids, stamps, sigs, SECRET)


@pytest.mark.parametrize("threads", [0, -1, -(2**70)])
def test_validate_users_threads_at_least_one(kernels: ModuleType, threads: int) -> None:
    with pytest.raises(ValueError, match="^threads must be at least 1$"):
        kernels.Signer(SECRET).validate_users(["u"], [TS], ["s"], threads=threads)
    with pytest.raises(ValueError, match="^threads must be at least 1$"):
        kernels.validate_user_signatures(["u"], [TS], ["s"], SECRET, threads=threads)


@pytest.mark.parametrize("threads", [1.0, "2", None, True])
def test_threads_must_be_int(kernels: ModuleType, threads: object) -> None:
    with pytest.raises(TypeError, match=f"^threads must be int, not {type(threads).__name__}$"):
        kernels.Signer(SECRET).validate_users(["u"], [TS], ["s"], threads=threads)
    with pytest.raises(TypeError, match=f"^threads must be int, not {type(threads).__name__}$"):
        kernels.Signer(SECRET).verify_hmacs([b"m"], ["s"], threads=threads)


def test_validate_users_type_errors(kernels: ModuleType) -> None:
    signer = kernels.Signer(SECRET)
    with pytest.raises(TypeError, match="^uid must be str, not int$"):
        signer.validate_users(["u", 5], [TS, TS], ["s", "s"])
    with pytest.raises(TypeError, match="^timestamp must be str or int, not float$"):
        signer.validate_users(["u", "v"], [TS, 1.5], ["s", "s"])
    with pytest.raises(TypeError, match="^timestamp must be str or int, not bool$"):
        signer.validate_users(["u"], [True], ["s"])
    with pytest.raises(TypeError, match="^expiration must be int, float or None, not str$"):
        signer.validate_users(["u"], [TS], ["s"], expiration="300")


def test_validate_users_bad_signatures_are_false(kernels: ModuleType) -> None:
    good = uid_signature(SECRET, str(TS), "u")
    bad: List[object] = [None, "", "x", good[:-1], good + "=", " " + good, good.lower(), "é" * 28, 5, good.encode()]
    n = len(bad)
    result = kernels.Signer(SECRET).validate_users(["u"] * n, [TS] * n, bad, now=TS)
    assert result == [False] * n


# --- verify_hmacs ----------------------------------------------------------------------


def _bodies(n: int) -> List[bytes]:
    rng = random.Random(11)
    return [bytes(rng.randrange(256) for _ in range(rng.randrange(0, 300))) for _ in range(n)]


@pytest.mark.parametrize("threads", [1, 2, 4])
def test_verify_hmacs(kernels: ModuleType, threads: int) -> None:
    bodies = _bodies(300)
    sigs: List[str | None] = []
    expected = []
    for i, body in enumerate(bodies):
        good = b64_hmac_sha1(SECRET, body)
        if i % 4 == 0:
            sigs.append(good)
            expected.append(True)
        elif i % 4 == 1:
            sigs.append(b64_hmac_sha1(SECRET, body + b"x"))
            expected.append(False)
        elif i % 4 == 2:
            sigs.append(None)
            expected.append(False)
        else:
            sigs.append(good)
            expected.append(True)
    signer = kernels.Signer(SECRET)
    assert signer.verify_hmacs(bodies, sigs, threads=threads) == expected
    assert signer.verify_hmacs([bytearray(b) for b in bodies], sigs, threads=threads) == expected


def test_verify_hmacs_large_bodies(kernels: ModuleType) -> None:
    bodies = [b"{" + b"x" * 2048 + b"}", b"\x00" * 100000]
    sigs = [b64_hmac_sha1(SECRET, b) for b in bodies]
    assert kernels.Signer(SECRET).verify_hmacs(bodies, sigs, threads=2) == [True, True]


def test_verify_hmacs_empty(kernels: ModuleType) -> None:
    assert kernels.Signer(SECRET).verify_hmacs([], []) == []


def test_verify_hmacs_length_mismatch(kernels: ModuleType) -> None:
    with pytest.raises(ValueError, match="^messages and signatures must have the same length$"):
        kernels.Signer(SECRET).verify_hmacs([b"a"], [])


@pytest.mark.parametrize("threads", [0, -3])
def test_verify_hmacs_threads_at_least_one(kernels: ModuleType, threads: int) -> None:
    with pytest.raises(ValueError, match="^threads must be at least 1$"):
        kernels.Signer(SECRET).verify_hmacs([b"a"], ["s"], threads=threads)


@pytest.mark.parametrize("message", ["text", None, 3, memoryview(b"x")])
def test_verify_hmacs_needs_bytes(kernels: ModuleType, message: object) -> None:
    with pytest.raises(TypeError, match=f"^messages must be bytes, not {type(message).__name__}$"):
        kernels.Signer(SECRET).verify_hmacs([b"ok", message], ["s", "s"])


def test_verify_hmacs_bad_signatures_are_false(kernels: ModuleType) -> None:
    body = b'{"events":[]}'
    good = b64_hmac_sha1(SECRET, body)
    bad: List[object] = [None, "", good[:-1], good + "A", good.swapcase(), "\u00e9" * 28, 7, good.encode(), good + "\n"]
    n = len(bad)
    assert kernels.Signer(SECRET).verify_hmacs([body] * n, bad) == [False] * n
    assert kernels.Signer(SECRET).verify_hmacs([body], [good]) == [True]
