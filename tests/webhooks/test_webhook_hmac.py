"""WebhookVerifier.verify with X-Gigya-Sig-Hmac-Sha1: vectors, tampering, sizes, types, replay window."""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
from typing import Any, Dict

import pytest

from gigya_fast import Signer
from gigya_fast.errors import ConfigurationError, InvalidSecretError, SignatureError
from gigya_fast.webhooks import Event, Notification, WebhookVerifier

from ._webhook_support import (
    API_KEY,
    HMAC_HEADER,
    NOW,
    OTHER_SECRET,
    SECRET,
    body,
    event,
    headers,
    sign,
)


def verifier(**kwargs: Any) -> WebhookVerifier:
    return WebhookVerifier(SECRET, **kwargs)


def check(raw: bytes, hdrs: Dict[str, Any], **kwargs: Any) -> Notification:
    return verifier(**kwargs).verify(raw, hdrs, now=NOW)


# --- known answers ---------------------------------------------------------------

# RFC 2202 HMAC-SHA1 test cases 1-3 (key, data, hex digest), as CDC secrets
# (base64 of the key) and header values (base64 of the digest).
RFC2202 = [
    (b"\x0b" * 20, b"Hi There", "b617318655057264e28bc0b6fb378c8ef146be00"),
    (b"Jefe", b"what do ya want for nothing?", "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"),
    (b"\xaa" * 20, b"\xdd" * 50, "125d7342b9ac11cd91a39af48aa17b4f63f175d3"),
]


@pytest.mark.parametrize("key, message, digest_hex", RFC2202)
def test_known_answer_vectors(key: bytes, message: bytes, digest_hex: str) -> None:
    secret = base64.b64encode(key).decode()
    expected = base64.b64encode(bytes.fromhex(digest_hex)).decode()
    assert base64.b64encode(hmac.new(key, message, hashlib.sha1).digest()).decode() == expected
    assert sign(message, secret) == expected
    signer = Signer(secret)
    assert signer.sign_bytes(message) == expected
    assert signer.verify_hmacs([message, message], [expected, expected[:-2]]) == [True, False]


def test_known_answer_through_the_verifier() -> None:
    key, _, _ = RFC2202[1]
    secret = base64.b64encode(key).decode()
    raw = body(nonce="kat")
    expected = base64.b64encode(hmac.new(key, raw, hashlib.sha1).digest()).decode()
    assert WebhookVerifier(secret).verify(raw, {HMAC_HEADER: expected}, now=NOW).nonce == "kat"


def test_rfc2202_style_vector() -> None:
    # RFC 2202 test case 2: key "Jefe", "what do ya want for nothing?"
    secret = base64.b64encode(b"Jefe").decode()
    expected_hex = "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"
    sig = base64.b64encode(bytes.fromhex(expected_hex)).decode()
    raw = b"what do ya want for nothing?"
    assert sign(raw, secret) == sig
    assert Signer(secret).verify_hmacs([raw], [sig]) == [True]


# --- valid notifications ------------------------------------------------------------


def test_valid_notification_typed_view() -> None:
    raw = body([event("ev-1", uid="u1"), event("ev-2", "accountCreated", uid="u2")], nonce="n-9")
    n = check(raw, headers(raw))
    assert n.body == raw and n.verified_by == frozenset({"hmac"})
    assert n.nonce == "n-9" and n.timestamp == NOW
    assert [e.id for e in n.events] == ["ev-1", "ev-2"]
    first = n.events[0]
    assert isinstance(first, Event)
    assert (first.type, first.uid, first.api_key, first.call_id, first.version) == (
        "accountUpdated",
        "u1",
        API_KEY,
        "call-ev-1",
        "2.0",
    )
    assert first.timestamp == NOW - 5 and first.data["uid"] == "u1"
    assert n.data["nonce"] == "n-9"
    assert n.to_dict()["events"][1]["type"] == "accountCreated"
    assert "Notification" in repr(n) and SECRET not in repr(n)


@pytest.mark.parametrize("name", [HMAC_HEADER, HMAC_HEADER.lower(), HMAC_HEADER.upper(), "x-GIGYA-sig-HMAC-sha1"])
def test_header_names_are_case_insensitive(name: str) -> None:
    raw = body()
    assert check(raw, headers(raw, name=name)).nonce == "nonce-1"


def test_bytes_header_value_and_whitespace() -> None:
    raw = body()
    assert check(raw, {HMAC_HEADER: sign(raw).encode()}).nonce == "nonce-1"
    assert check(raw, {HMAC_HEADER: " " + sign(raw) + " "}).nonce == "nonce-1"


@pytest.mark.parametrize("kind", [bytearray, memoryview])
def test_bytes_like_bodies(kind: Any) -> None:
    raw = body()
    assert check(kind(raw), headers(raw)).body == raw


def test_pretty_printed_body_falls_back_to_json_for_timestamp() -> None:
    raw = body(compact=False)
    assert check(raw, headers(raw)).timestamp == NOW


def test_timestamp_not_last_member() -> None:
    raw = b'{"timestamp":%d,"nonce":"n","events":[]}' % NOW
    assert check(raw, headers(raw)).timestamp == NOW


def test_float_timestamp() -> None:
    raw = body(timestamp=NOW + 0.5)
    assert check(raw, headers(raw)).timestamp == NOW + 0.5


# --- tampering -----------------------------------------------------------------------


def test_tampered_body() -> None:
    raw = body()
    hdrs = headers(raw)
    tampered = raw.replace(b"uid-1", b"uid-2")
    with pytest.raises(SignatureError, match="does not match"):
        check(tampered, hdrs)


def test_tampered_header() -> None:
    raw = body()
    sig = sign(raw)
    flipped = ("A" if sig[0] != "A" else "B") + sig[1:]
    for bad in (flipped, sig[:-2], sig + "AAAA", "", "not base64 at all", "é" * 28):
        with pytest.raises(SignatureError):
            check(raw, {HMAC_HEADER: bad})


def test_wrong_secret() -> None:
    raw = body()
    with pytest.raises(SignatureError):
        check(raw, headers(raw, OTHER_SECRET))


def test_truncated_body() -> None:
    raw = body()
    hdrs = headers(raw)
    for cut in (1, len(raw) // 2, len(raw) - 1):
        with pytest.raises(SignatureError):
            check(raw[:cut], hdrs)


def test_appended_bytes() -> None:
    raw = body()
    with pytest.raises(SignatureError):
        check(raw + b" ", headers(raw))


def test_oversized_body_rejected_before_hashing() -> None:
    raw = body(pad=2000)
    v = verifier(max_body_bytes=1000)
    with pytest.raises(SignatureError, match="max_body_bytes"):
        v.verify(raw, headers(raw), now=NOW)
    assert verifier(max_body_bytes=len(raw)).verify(raw, headers(raw), now=NOW)


def test_empty_body() -> None:
    with pytest.raises(SignatureError, match="empty"):
        check(b"", {HMAC_HEADER: sign(b"")})


def test_missing_header() -> None:
    raw = body()
    with pytest.raises(SignatureError, match="missing X-Gigya-Sig-Hmac-Sha1"):
        check(raw, {"Content-Type": "application/json"})


def test_non_utf8_body_with_valid_signature() -> None:
    raw = b'{"events":[],"nonce":"\xff\xfe","timestamp":%d}' % NOW
    n = check(raw, headers(raw))  # signature and timestamp are fine...
    with pytest.raises(SignatureError, match="not UTF-8"):
        n.events  # noqa: B018  ...but the body is not a CDC notification
    raw2 = b"\xff\xfe garbage"
    with pytest.raises(SignatureError, match="malformed"):
        check(raw2, headers(raw2))
    with pytest.raises(SignatureError):
        check(b"\xff", {HMAC_HEADER: sign(b"\xfe")})


@pytest.mark.parametrize(
    "raw, match",
    [
        (b"[]", "not a JSON object"),
        (b"not json", "not JSON"),
        (b'{"events":[],"nonce":"n"}', "timestamp"),
        (b'{"events":[],"nonce":"n","timestamp":"1700000000"}', "timestamp"),
        (b'{"events":[],"nonce":"n","timestamp":true}', "timestamp"),
    ],
)
def test_signed_but_malformed_bodies(raw: bytes, match: str) -> None:
    with pytest.raises(SignatureError, match=match):
        check(raw, headers(raw))


@pytest.mark.parametrize(
    "raw",
    [
        b'{"events":{},"nonce":"n","timestamp":%d}' % NOW,
        b'{"events":[1],"nonce":"n","timestamp":%d}' % NOW,
        b'{"events":[{"type":"x"}],"nonce":"n","timestamp":%d}' % NOW,
        b'{"events":[{"type":"x","id":"1","data":[]}],"nonce":"n","timestamp":%d}' % NOW,
        b'{"events":[{"type":"x","id":"1","timestamp":"t"}],"nonce":"n","timestamp":%d}' % NOW,
        b'{"events":[{"type":"x","id":"1","callId":{}}],"nonce":"n","timestamp":%d}' % NOW,
    ],
)
def test_lazily_detected_bad_events(raw: bytes) -> None:
    n = check(raw, headers(raw))
    with pytest.raises(SignatureError, match="malformed"):
        n.events  # noqa: B018


def test_missing_nonce_is_reported_on_access() -> None:
    raw = b'{"events":[],"timestamp":%d}' % NOW
    with pytest.raises(SignatureError, match="nonce"):
        check(raw, headers(raw)).nonce  # noqa: B018


# --- wrong types -------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["text body", None, 42, ["b"]])
def test_body_must_be_bytes(bad: Any) -> None:
    with pytest.raises(TypeError):
        verifier().verify(bad, {HMAC_HEADER: "x"})


@pytest.mark.parametrize("bad", [None, [("X-Gigya-Sig-Hmac-Sha1", "x")], "headers"])
def test_headers_must_be_a_mapping(bad: Any) -> None:
    with pytest.raises(TypeError):
        verifier().verify(body(), bad)


def test_non_str_header_value_counts_as_missing() -> None:
    raw = body()
    with pytest.raises(SignatureError, match="missing"):
        check(raw, {HMAC_HEADER: 123})


# --- replay window ---------------------------------------------------------------------------


def test_replay_window_inclusive() -> None:
    raw = body(timestamp=NOW)
    v = verifier(tolerance=300)
    for now in (NOW - 300, NOW, NOW + 300):
        assert v.verify(raw, headers(raw), now=now)
    for late in (NOW - 301, NOW + 301, NOW + 300.5):
        with pytest.raises(SignatureError, match="tolerance"):
            v.verify(raw, headers(raw), now=late)


def test_tolerance_none_turns_the_window_off() -> None:
    raw = body(timestamp=1)
    assert verifier(tolerance=None).verify(raw, headers(raw), now=NOW).timestamp == 1


def test_default_clock_is_used() -> None:
    raw = body(timestamp=NOW)
    with pytest.raises(SignatureError, match="tolerance"):
        verifier().verify(raw, headers(raw))  # NOW is long past


def test_signature_is_checked_before_the_window() -> None:
    raw = body(timestamp=1)
    with pytest.raises(SignatureError, match="does not match"):
        check(raw, headers(raw, OTHER_SECRET))


# --- configuration and hygiene ---------------------------------------------------------------


def test_configuration_errors() -> None:
    with pytest.raises(ConfigurationError):
        WebhookVerifier()
    with pytest.raises(ConfigurationError):
        WebhookVerifier(SECRET, require="jwt")
    with pytest.raises(ConfigurationError):
        WebhookVerifier(SECRET, require="both")
    with pytest.raises(ConfigurationError):
        WebhookVerifier(SECRET, require="sometimes")
    with pytest.raises(ConfigurationError):
        WebhookVerifier(SECRET, jwks={"keys": []})  # jwks without api_key
    with pytest.raises(InvalidSecretError):
        WebhookVerifier("not base64!")
    with pytest.raises(ValueError):
        WebhookVerifier(SECRET, tolerance=-1)
    with pytest.raises(ValueError):
        WebhookVerifier(SECRET, leeway=-1)
    with pytest.raises(ValueError):
        WebhookVerifier(SECRET, max_body_bytes=0)
    with pytest.raises(TypeError):
        WebhookVerifier(SECRET, dedupe="yes")  # type: ignore[arg-type]


def test_properties() -> None:
    v = verifier()
    assert v.require == "hmac" and v.checks == frozenset({"hmac"}) and v.max_body_bytes == 1 << 20
    assert v.dedupe is not None
    assert verifier(dedupe=False).dedupe is None
    assert WebhookVerifier(SECRET, require="any").require == "any"


def test_errors_and_logs_never_carry_secret_or_signature(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="gigya_fast")
    raw = body()
    good = sign(raw)
    bad = sign(raw, OTHER_SECRET)
    v = verifier()
    messages = []
    for hdrs in ({HMAC_HEADER: bad}, {}, {HMAC_HEADER: good[:-1]}):
        with pytest.raises(SignatureError) as info:
            v.verify(raw, hdrs, now=NOW)
        messages.append(str(info.value) + repr(info.value))
    text = "\n".join(messages) + caplog.text + repr(v)
    for secret_thing in (SECRET, good, bad, base64.b64decode(SECRET).decode()):
        assert secret_thing not in text
    assert "uid-1" not in text


class HeadersObject:
    """Like Werkzeug's Headers: case-insensitive get, iteration yields pairs, not a Mapping."""

    def __init__(self, pairs: Dict[str, str]) -> None:
        self._pairs = list(pairs.items())

    def get(self, name: str, default: Any = None) -> Any:
        for key, value in self._pairs:
            if key.lower() == name.lower():
                return value
        return default

    def __iter__(self) -> Any:
        return iter(self._pairs)


def test_non_mapping_header_objects_with_get() -> None:
    raw = body()
    hdrs = HeadersObject({HMAC_HEADER.lower(): sign(raw)})
    assert check(raw, hdrs).nonce == "nonce-1"  # type: ignore[arg-type]
    with pytest.raises(SignatureError, match="missing"):
        check(raw, HeadersObject({}))  # type: ignore[arg-type]
