"""The Signer class: immutability, secrecy, and every method against the stdlib."""

from __future__ import annotations

import copy
import pickle
import threading
from types import ModuleType
from typing import Any, Dict, List

import pytest

from ._reference import SECRET, b64_hmac_sha1, base_string, friend_signature, uid_signature

TS = 1700000000


def test_sign(kernels: ModuleType) -> None:
    signer = kernels.Signer(SECRET)
    for text in ["", "abc", "POST&https%3A%2F%2Fx&y", "é\U0001f600"]:
        assert signer.sign(text) == b64_hmac_sha1(SECRET, text.encode("utf-8"))


def test_sign_bytes(kernels: ModuleType) -> None:
    signer = kernels.Signer(SECRET)
    for body in [b"", b"{}", b"\x00\xff" * 1000, bytes(range(256))]:
        assert signer.sign_bytes(body) == b64_hmac_sha1(SECRET, body)
        assert signer.sign_bytes(bytearray(body)) == b64_hmac_sha1(SECRET, body)


@pytest.mark.parametrize("message", ["text", None, 5, memoryview(b"x")])
def test_sign_bytes_needs_bytes(kernels: ModuleType, message: object) -> None:
    with pytest.raises(TypeError, match=f"^message must be bytes, not {type(message).__name__}$"):
        kernels.Signer(SECRET).sign_bytes(message)


@pytest.mark.parametrize("base", [None, b"x", 1])
def test_sign_needs_str(kernels: ModuleType, base: object) -> None:
    with pytest.raises(TypeError, match=f"^base_string must be str, not {type(base).__name__}$"):
        kernels.Signer(SECRET).sign(base)


def test_sign_request(kernels: ModuleType) -> None:
    params = {
        "apiKey": "3_key",
        "timestamp": TS,
        "nonce": "n-1",
        "format": "json",
        "httpStatusCodes": False,
        "data": {"profile": {"firstName": "Zoë"}},
        "skip": None,
        "sig": "ignored",
    }
    url = "https://Accounts.US1.gigya.com:443/accounts.x?q=1"
    query, sig = kernels.Signer(SECRET).sign_request("post", url, params)
    pairs = [
        ("apiKey", "3_key"),
        ("timestamp", str(TS)),
        ("nonce", "n-1"),
        ("format", "json"),
        ("httpStatusCodes", "false"),
        ("data", '{"profile":{"firstName":"Zoë"}}'),
    ]
    base = base_string("POST", "https://accounts.us1.gigya.com/accounts.x", pairs)
    assert sig == b64_hmac_sha1(SECRET, base.encode("utf-8"))
    assert query == kernels.build_query_string(params)
    assert sig == kernels.calc_signature(kernels.build_base_string("POST", url, params), SECRET)


def test_sign_request_type_errors(kernels: ModuleType) -> None:
    signer = kernels.Signer(SECRET)
    with pytest.raises(TypeError, match="^http_method must be str, not NoneType$"):
        signer.sign_request(None, "https://h/", {})
    with pytest.raises(TypeError, match="^url must be str, not bytes$"):
        signer.sign_request("POST", b"https://h/", {})
    with pytest.raises(TypeError, match="^params must be a mapping, not list$"):
        signer.sign_request("POST", "https://h/", [])


def test_validate_user(kernels: ModuleType) -> None:
    signer = kernels.Signer(SECRET)
    sig = uid_signature(SECRET, str(TS), "u1")
    assert signer.validate_user("u1", TS, sig, now=TS) is True
    assert signer.validate_user("u1", str(TS), sig, 300, now=TS + 300) is True
    assert signer.validate_user("u1", str(TS), sig, 300, now=TS + 301) is False
    assert signer.validate_user("u2", TS, sig, now=TS) is False


def test_validate_friend(kernels: ModuleType) -> None:
    signer = kernels.Signer(SECRET)
    sig = friend_signature(SECRET, str(TS), "f", "u")
    assert signer.validate_friend("u", TS, "f", sig, now=TS) is True
    assert signer.validate_friend("u", TS, "f", sig, expiration=300, now=TS - 301) is False
    assert signer.validate_friend("f", TS, "u", sig, now=TS) is False


def test_immutable(kernels: ModuleType) -> None:
    signer = kernels.Signer(SECRET)
    with pytest.raises(AttributeError):
        signer._key = b"other"
    with pytest.raises(AttributeError):
        signer.anything = 1
    with pytest.raises(AttributeError):
        del signer._key
    assert signer.sign("m") == b64_hmac_sha1(SECRET, b"m")


def test_repr_hides_secret(kernels: ModuleType) -> None:
    signer = kernels.Signer(SECRET)
    assert repr(signer) == "<Signer secret=***>"
    assert SECRET not in repr(signer) and SECRET not in str(signer)


def test_pickling_refused(kernels: ModuleType) -> None:
    signer = kernels.Signer(SECRET)
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        with pytest.raises(TypeError, match="cannot be pickled"):
            pickle.dumps(signer, protocol)


def test_copy_refused(kernels: ModuleType) -> None:
    signer = kernels.Signer(SECRET)
    with pytest.raises(TypeError, match="cannot be pickled"):
        copy.copy(signer)
    with pytest.raises(TypeError, match="cannot be pickled"):
        copy.deepcopy(signer)


def test_signers_are_independent(kernels: ModuleType) -> None:
    import base64

    other = base64.b64encode(b"another key").decode()
    a, b = kernels.Signer(SECRET), kernels.Signer(other)
    assert a.sign("m") == b64_hmac_sha1(SECRET, b"m")
    assert b.sign("m") == b64_hmac_sha1(other, b"m")


def test_shared_between_threads(kernels: ModuleType) -> None:
    signer = kernels.Signer(SECRET)
    messages = [f"message {i}" for i in range(200)]
    expected = [b64_hmac_sha1(SECRET, m.encode()) for m in messages]
    failures: List[str] = []

    def work() -> None:
        for _ in range(5):
            if [signer.sign(m) for m in messages] != expected:
                failures.append("mismatch")

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []


def test_sign_request_sees_mutations(kernels: ModuleType) -> None:
    # Nothing may be cached per params object: a mutated (nested) value is signed anew.
    signer = kernels.Signer(SECRET)
    data: Dict[str, Any] = {"profile": {"firstName": "Ann"}, "tags": ["a"]}
    params: Dict[str, Any] = {"apiKey": "k", "data": data}
    url = "https://accounts.us1.gigya.com/accounts.setAccountInfo"
    first = signer.sign_request("POST", url, params)
    data["profile"]["firstName"] = "Bob"
    data["tags"].append("b")
    second = signer.sign_request("POST", url, params)
    pairs = [("apiKey", "k"), ("data", '{"profile":{"firstName":"Bob"},"tags":["a","b"]}')]
    expected = b64_hmac_sha1(SECRET, base_string("POST", url, pairs).encode())
    assert second[1] == expected != first[1]
    params["extra"] = 1
    assert signer.sign_request("POST", url, params)[0].startswith("apiKey=k&data=")
    assert signer.sign_request("POST", url, params)[0].endswith("&extra=1")
