"""Bad input: malformed signatures, invalid secrets, wrong types, lone surrogates.

The ``kernels`` tests check each implementation against the rules; the
``c_extension`` tests check both raise the same class with the same message.
"""

from __future__ import annotations

import base64
from types import ModuleType
from typing import Any, Callable, List, Tuple

import pytest

from gigya_fast.errors import GigyaError, InvalidSecretError

from ._reference import SECRET, uid_signature

TS = 1700000000
UID = "uid-1"
GOOD = uid_signature(SECRET, str(TS), UID)

BAD_SIGNATURES: List[object] = [
    None,
    "",
    "A",
    "====",
    GOOD[:-1],
    GOOD + "=",
    GOOD + "\n",
    " " + GOOD,
    GOOD.lower(),
    GOOD[::-1],
    GOOD.replace("=", ""),
    "not base64 at all!!!!!!!!!!!",
    "é" * len(GOOD),
    GOOD[:-2] + "é=",
    "\x00" * len(GOOD),
    "A" * 1000,
    GOOD.encode("ascii"),
    bytearray(GOOD.encode("ascii")),
    12345,
    ["x"],
]


@pytest.mark.parametrize("signature", BAD_SIGNATURES, ids=range(len(BAD_SIGNATURES)))
def test_bad_signature_is_false(kernels: ModuleType, signature: object) -> None:
    assert kernels.validate_user_signature(UID, TS, SECRET, signature, now=TS) is False
    assert kernels.validate_user_signature(UID, TS, SECRET, signature, None) is False
    assert kernels.validate_friend_signature(UID, TS, "f", SECRET, signature, now=TS) is False
    signer = kernels.Signer(SECRET)
    assert signer.validate_user(UID, TS, signature, now=TS) is False
    assert signer.validate_users([UID], [TS], [signature], now=TS) == [False]
    assert signer.verify_hmacs([b"body"], [signature]) == [False]


def test_good_signature_control(kernels: ModuleType) -> None:
    assert kernels.validate_user_signature(UID, TS, SECRET, GOOD, now=TS) is True


# --- invalid secrets ---------------------------------------------------------------

BAD_SECRETS = [
    "",
    "c2VjcmV0",  # valid: control, filtered out below
    "c2VjcmV",  # length not a multiple of 4
    "c2VjcmV0X",
    "c2Vj!mV0",  # bad character
    "c2Vj-mV0",  # urlsafe alphabet
    "c2Vj_mV0",
    "c2Vj cmV0",
    "c2VjcmV0\n",
    "c2VjcmV0\n\n\n\n",
    "====",
    "c2V=cmV0",  # padding in the middle
    "c2VjcmV0====",
    "c2VjcmV0c2Vj=c==",
    "c2VjcmVé",
    "ｃ2VjcmV0",  # full-width letter
]
INVALID = [s for s in BAD_SECRETS if s != "c2VjcmV0"]


def _secret_users(kernels: ModuleType) -> List[Tuple[str, Callable[[str], Any]]]:
    return [
        ("Signer", lambda s: kernels.Signer(s)),
        ("calc_signature", lambda s: kernels.calc_signature("base", s)),
        ("validate_user_signature", lambda s: kernels.validate_user_signature(UID, TS, s, GOOD, now=TS)),
        ("validate_friend_signature", lambda s: kernels.validate_friend_signature(UID, TS, "f", s, GOOD, now=TS)),
        ("validate_user_signatures", lambda s: kernels.validate_user_signatures([UID], [TS], [GOOD], s, now=TS)),
        ("get_dynamic_session_signature", lambda s: kernels.get_dynamic_session_signature("t", 5, s, now=TS)),
        (
            "get_dynamic_session_signature_user_signed",
            lambda s: kernels.get_dynamic_session_signature_user_signed("t", 5, "k", s, now=TS),
        ),
    ]


def test_valid_control_secret(kernels: ModuleType) -> None:
    for _, use in _secret_users(kernels):
        use("c2VjcmV0")


@pytest.mark.parametrize("secret", INVALID)
def test_invalid_secret(kernels: ModuleType, secret: str) -> None:
    for name, use in _secret_users(kernels):
        with pytest.raises(InvalidSecretError) as info:
            use(secret)
        exc = info.value
        assert isinstance(exc, ValueError) and isinstance(exc, GigyaError), name
        message = str(exc)
        assert message.startswith("secret "), (name, message)
        if secret.strip():
            assert secret not in message and secret.strip() not in message and repr(secret) not in message, name


def test_invalid_secret_repeated(kernels: ModuleType) -> None:
    # The error is raised every time, not only on the first (uncached) use.
    for _ in range(3):
        with pytest.raises(InvalidSecretError):
            kernels.calc_signature("base", "c2VjcmV")


@pytest.mark.parametrize("secret", [None, b"c2VjcmV0", 5, bytearray(b"c2VjcmV0")])
def test_secret_must_be_str(kernels: ModuleType, secret: object) -> None:
    for _, use in _secret_users(kernels):
        with pytest.raises(TypeError, match=f"^secret must be str, not {type(secret).__name__}$"):
            use(secret)  # type: ignore[arg-type]


def test_long_secret_not_leaked(kernels: ModuleType) -> None:
    secret = base64.b64encode(b"k" * 60).decode() + "!"  # a long secret with one bad character
    with pytest.raises(InvalidSecretError) as info:
        kernels.Signer(secret)
    assert secret[:20] not in str(info.value)
    assert secret[:20] not in repr(info.value)


# --- wrong types: same class and message in both implementations ---------------------------------


def _outcome(call: Callable[[], Any]) -> Tuple[str, ...]:
    try:
        result = call()
    except Exception as exc:  # noqa: BLE001 - the exception is the outcome under test
        return ("raise", type(exc).__name__, str(exc))
    return ("return", repr(result))


def _wrong_type_calls(k: ModuleType) -> List[Tuple[str, Callable[[], Any]]]:
    s = SECRET
    signer = k.Signer(s)
    return [
        ("percent_encode(None)", lambda: k.percent_encode(None)),
        ("percent_encode(b'')", lambda: k.percent_encode(b"x")),
        ("serialize_value(object)", lambda: k.serialize_value(object())),
        ("serialize_value(bytes)", lambda: k.serialize_value(b"x")),
        ("serialize_value(set)", lambda: k.serialize_value({1})),
        ("serialize_value(nan)", lambda: k.serialize_value(float("nan"))),
        ("serialize_value([inf])", lambda: k.serialize_value([float("inf")])),
        ("build_query_string(list)", lambda: k.build_query_string([("a", "b")])),
        ("build_query_string(int key)", lambda: k.build_query_string({1: "b"})),
        ("build_query_string(bad key)", lambda: k.build_query_string({"a=b": "c"})),
        ("build_query_string(empty key)", lambda: k.build_query_string({"": "c"})),
        ("build_query_string(bytes value)", lambda: k.build_query_string({"a": b"c"})),
        ("build_query_string(two bad)", lambda: k.build_query_string({"z": b"c", "a": object()})),
        ("build_base_string(method)", lambda: k.build_base_string(1, "https://h/", {})),
        ("build_base_string(url)", lambda: k.build_base_string("POST", None, {})),
        ("build_base_string(params)", lambda: k.build_base_string("POST", "https://h/", None)),
        ("build_base_string(ftp)", lambda: k.build_base_string("POST", "ftp://h/", {})),
        ("build_base_string(port)", lambda: k.build_base_string("POST", "https://h:x/", {})),
        ("normalize_url(int)", lambda: k.normalize_url(5)),
        ("normalize_url(no host)", lambda: k.normalize_url("https:///p")),
        ("calc_signature(base)", lambda: k.calc_signature(None, s)),
        ("calc_signature(secret)", lambda: k.calc_signature("b", None)),
        ("calc_signature(both)", lambda: k.calc_signature(b"b", b"s")),
        ("vus(uid)", lambda: k.validate_user_signature(None, TS, s, GOOD)),
        ("vus(ts float)", lambda: k.validate_user_signature(UID, 1.5, s, GOOD)),
        ("vus(ts bool)", lambda: k.validate_user_signature(UID, True, s, GOOD)),
        ("vus(ts None)", lambda: k.validate_user_signature(UID, None, s, GOOD)),
        ("vus(ts bytes)", lambda: k.validate_user_signature(UID, b"1", s, GOOD)),
        ("vus(secret)", lambda: k.validate_user_signature(UID, TS, 1, GOOD)),
        ("vus(expiration str)", lambda: k.validate_user_signature(UID, TS, s, GOOD, "300")),
        ("vus(expiration bool)", lambda: k.validate_user_signature(UID, TS, s, GOOD, True)),
        ("vus(now str)", lambda: k.validate_user_signature(UID, TS, s, GOOD, now="1")),
        ("vus(now bool)", lambda: k.validate_user_signature(UID, TS, s, GOOD, now=False)),
        ("vus(all wrong)", lambda: k.validate_user_signature(1, 1.0, 1, 1, "x", now="y")),
        ("vfs(friend)", lambda: k.validate_friend_signature(UID, TS, None, s, GOOD)),
        ("vfs(uid)", lambda: k.validate_friend_signature(b"u", TS, "f", s, GOOD)),
        ("vfs(ts)", lambda: k.validate_friend_signature(UID, [], "f", s, GOOD)),
        ("vfs(exp)", lambda: k.validate_friend_signature(UID, TS, "f", s, GOOD, [])),
        ("vuss(uids)", lambda: k.validate_user_signatures([1], [TS], [GOOD], s)),
        ("vuss(len)", lambda: k.validate_user_signatures([UID], [], [GOOD], s)),
        ("vuss(threads)", lambda: k.validate_user_signatures([UID], [TS], [GOOD], s, threads=0)),
        ("vuss(threads type)", lambda: k.validate_user_signatures([UID], [TS], [GOOD], s, threads=1.0)),
        ("vuss(secret)", lambda: k.validate_user_signatures([UID], [TS], [GOOD], None)),
        ("vuss(not iterable)", lambda: k.validate_user_signatures(5, [TS], [GOOD], s)),
        ("dss(cookie)", lambda: k.get_dynamic_session_signature(None, 5, s)),
        ("dss(timeout)", lambda: k.get_dynamic_session_signature("t", 5.0, s)),
        ("dss(secret)", lambda: k.get_dynamic_session_signature("t", 5, "x")),
        ("dss(now)", lambda: k.get_dynamic_session_signature("t", 5, s, now="x")),
        ("dssu(key)", lambda: k.get_dynamic_session_signature_user_signed("t", 5, 5, s)),
        ("dssu(timeout)", lambda: k.get_dynamic_session_signature_user_signed("t", None, "k", s)),
        ("Signer(None)", lambda: k.Signer(None)),
        ("Signer(bytes)", lambda: k.Signer(b"c2VjcmV0")),
        ("sign(None)", lambda: signer.sign(None)),
        ("sign_bytes(str)", lambda: signer.sign_bytes("x")),
        ("sign_request(method)", lambda: signer.sign_request(None, "https://h/", {})),
        ("sign_request(params)", lambda: signer.sign_request("POST", "https://h/", 5)),
        ("validate_user(uid)", lambda: signer.validate_user(5, TS, GOOD)),
        ("validate_user(ts)", lambda: signer.validate_user(UID, 5.5, GOOD)),
        ("validate_friend(friend)", lambda: signer.validate_friend(UID, TS, 5, GOOD)),
        ("validate_users(exp)", lambda: signer.validate_users([UID], [TS], [GOOD], expiration="1")),
        ("validate_users(now)", lambda: signer.validate_users([UID], [TS], [GOOD], now=[])),
        ("validate_users(ts)", lambda: signer.validate_users([UID], [None], [GOOD])),
        ("verify_hmacs(msg)", lambda: signer.verify_hmacs(["x"], [GOOD])),
        ("verify_hmacs(len)", lambda: signer.verify_hmacs([b"x", b"y"], [GOOD])),
        ("verify_hmacs(threads)", lambda: signer.verify_hmacs([b"x"], [GOOD], threads=-1)),
        ("setattr", lambda: setattr(signer, "x", 1)),
    ]


@pytest.mark.c_extension
def test_same_errors_in_both(pure_kernels: ModuleType, c_kernels: ModuleType) -> None:
    pure_calls = _wrong_type_calls(pure_kernels)
    c_calls = _wrong_type_calls(c_kernels)
    for (name, pure_call), (_, c_call) in zip(pure_calls, c_calls):
        expected = _outcome(pure_call)
        assert expected[0] == "raise", name
        assert _outcome(c_call) == expected, name


def test_wrong_types_raise(kernels: ModuleType) -> None:
    for name, call in _wrong_type_calls(kernels):
        outcome = _outcome(call)
        assert outcome[0] == "raise", name
        assert outcome[1] in {"TypeError", "ValueError", "InvalidSecretError", "AttributeError"}, (name, outcome)


# --- lone surrogates ---------------------------------------------------------------------

SURROGATE_TEXT = ["\ud800", "a\udfffb", "\udc80" * 3, "ok\ud83d"]


def _surrogate_calls(k: ModuleType, text: str) -> List[Tuple[str, Callable[[], Any]]]:
    signer = k.Signer(SECRET)
    return [
        ("percent_encode", lambda: k.percent_encode(text)),
        ("build_query_string value", lambda: k.build_query_string({"a": text})),
        ("build_query_string key", lambda: k.build_query_string({text: "a"})),
        ("build_query_string json", lambda: k.build_query_string({"a": {"b": text}})),
        ("build_base_string", lambda: k.build_base_string("POST", "https://h/", {"a": text})),
        ("build_base_string path", lambda: k.build_base_string("POST", "https://h/" + text, {})),
        ("calc_signature", lambda: k.calc_signature(text, SECRET)),
        ("sign", lambda: signer.sign(text)),
        ("sign_request", lambda: signer.sign_request("POST", "https://h/", {"a": text})),
        ("validate_user uid", lambda: signer.validate_user(text, TS, GOOD, now=TS)),
        ("validate_user ts", lambda: signer.validate_user(UID, text, GOOD, None)),
        ("validate_user sig", lambda: signer.validate_user(UID, TS, text, now=TS)),
        ("validate_friend", lambda: signer.validate_friend(UID, TS, text, GOOD, now=TS)),
        ("validate_users", lambda: signer.validate_users([text], [TS], [GOOD], now=TS)),
        ("dss", lambda: k.get_dynamic_session_signature(text, 5, SECRET, now=TS)),
        ("dssu", lambda: k.get_dynamic_session_signature_user_signed("t", 5, text, SECRET, now=TS)),
        ("secret", lambda: k.Signer(text * 4)),
    ]


@pytest.mark.parametrize("text", SURROGATE_TEXT)
def test_surrogates_encode_error(kernels: ModuleType, text: str) -> None:
    with pytest.raises(UnicodeEncodeError):
        kernels.percent_encode(text)
    with pytest.raises(UnicodeEncodeError):
        kernels.calc_signature(text, SECRET)
    with pytest.raises(UnicodeEncodeError):
        kernels.build_query_string({"a": text})
    assert kernels.Signer(SECRET).validate_user(UID, TS, text, now=TS) is False


@pytest.mark.c_extension
@pytest.mark.parametrize("text", SURROGATE_TEXT)
def test_surrogates_same_class(pure_kernels: ModuleType, c_kernels: ModuleType, text: str) -> None:
    for (name, pure_call), (_, c_call) in zip(_surrogate_calls(pure_kernels, text), _surrogate_calls(c_kernels, text)):
        expected = _outcome(pure_call)
        got = _outcome(c_call)
        assert got[:2] == expected[:2], name
        if expected[0] == "return":
            assert got == expected, name


def test_json_errors_name_their_cause(kernels: ModuleType) -> None:
    circular: list[object] = []
    circular.append(circular)
    with pytest.raises(ValueError, match="Circular reference"):
        kernels.build_query_string({"data": circular})
    with pytest.raises(ValueError, match="not JSON compliant"):
        kernels.build_query_string({"data": {"x": float("nan")}})


def test_lone_surrogate_in_a_parameter_name_fails_at_once(kernels: ModuleType) -> None:
    with pytest.raises(UnicodeEncodeError):
        kernels.build_query_string({"bad\ud800": "v"})
    with pytest.raises(UnicodeEncodeError):
        kernels.build_base_string("POST", "https://a.example/x", {"bad\ud800": "v"})
