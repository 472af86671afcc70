"""Hostile tokens and arguments: one accepted spelling per token, bounded parsing, no NaN window."""

from __future__ import annotations

import base64
import json
import math
from typing import Any, Dict, List

import pytest

from gigya_fast import _jose
from gigya_fast._jsondepth import MAX_JSON_DEPTH
from gigya_fast.errors import ExpiredToken, InvalidTokenSignature, MalformedToken, SignatureError
from gigya_fast.jwt import verify_id_token

from ._jwt_support import API_KEY, KID, NOW, b64url, claims, jwks, signed_segments, token

JWKS = jwks()
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def verify(tok: str, **kwargs: Any) -> Dict[str, Any]:
    kwargs.setdefault("api_key", API_KEY)
    kwargs.setdefault("jwks", JWKS)
    kwargs.setdefault("now", NOW + 10)
    return verify_id_token(tok, **kwargs)


def same_bytes_spellings(segment: str) -> List[str]:
    """Every other spelling of *segment* whose lenient base64url decoding gives the same bytes."""
    padded = segment + "=" * (-len(segment) % 4)
    original = base64.urlsafe_b64decode(padded)
    spellings = []
    for char in ALPHABET:
        other = segment[:-1] + char
        if other != segment and base64.urlsafe_b64decode(other + "=" * (-len(other) % 4)) == original:
            spellings.append(other)
    return spellings


def test_signature_segment_has_one_accepted_spelling() -> None:
    tok = token()
    assert verify(tok)["sub"] == "uid-1"
    head, payload, signature = tok.split(".")
    variants = same_bytes_spellings(signature)
    assert len(variants) == 15, "a 256-byte signature leaves 4 unused bits in its last character"
    for variant in variants:
        with pytest.raises(MalformedToken, match="canonical"):
            verify(f"{head}.{payload}.{variant}")
    for suffix in ("=", "==", "==="):
        with pytest.raises(MalformedToken):
            verify(tok + suffix)


@pytest.mark.parametrize("junk", ["!", " ", "\n", "+", "/", "="])
def test_characters_outside_base64url_are_not_skipped(junk: str) -> None:
    head, payload, signature = token().split(".")
    forged = f"{head}.{payload}.{signature[:10]}{junk}{signature[10:]}"
    with pytest.raises(MalformedToken):
        verify(forged)


def test_padded_header_or_claims_segment_is_refused() -> None:
    head, payload, signature = token().split(".")
    with pytest.raises(SignatureError):
        verify(f"{head}==.{payload}.{signature}")
    with pytest.raises(SignatureError):
        verify(f"{head}.{payload}==.{signature}")


def test_segment_bytes_round_trips_canonical_text_only() -> None:
    assert _jose.segment_bytes("AQID") == b"\x01\x02\x03"
    assert _jose.segment_bytes("AQ") == b"\x01"
    for bad in ("AR", "AQ==", "AQI", "A", "AQ!D"):
        if bad == "AQI":
            assert _jose.segment_bytes(bad) == b"\x01\x02"
            continue
        with pytest.raises(MalformedToken):
            _jose.segment_bytes(bad)


NOT_JSON = "token header or claims are not JSON"  # the one message of every segment that is not a JSON object's text


@pytest.mark.parametrize("depth", [1_000, 5_000])
def test_deeply_nested_header_is_malformed_not_recursion_error(depth: int) -> None:
    # 3.13's decoder parses 5,000 levels (a list: "must be JSON objects"); 3.12's raises
    # RecursionError. Our bound answers first, with the same message on both.
    header = b64url(b"[" * depth + b"]" * depth)
    payload = b64url(json.dumps(claims()).encode())
    with pytest.raises(MalformedToken, match=NOT_JSON):
        verify(f"{header}.{payload}.{b64url(b'x' * 256)}")


def test_deeply_nested_claims_are_not_parsed_before_the_signature() -> None:
    header = b64url(json.dumps({"alg": "RS256", "kid": KID}).encode())
    payload = b64url(b"[" * 5_000 + b"]" * 5_000)
    with pytest.raises(InvalidTokenSignature):
        verify(f"{header}.{payload}.{b64url(b'x' * 256)}")


def _header_nested(depth: int) -> bytes:
    """A usable RS256 header (alg, kid) whose arrays and objects nest *depth* levels, itself the first."""
    inner = b"[" * (depth - 1) + b"]" * (depth - 1)
    return b'{"alg":"RS256","kid":"%s","x":%s}' % (KID.encode(), inner or b"0")


def _claims_nested(depth: int) -> bytes:
    inner = b"[" * (depth - 1) + b"]" * (depth - 1)
    return json.dumps(claims()).encode()[:-1] + b',"x":' + inner + b"}"


def test_json_depth_bound_is_the_webhook_bodys() -> None:
    from gigya_fast.webhooks._body import MAX_BODY_DEPTH

    assert MAX_JSON_DEPTH == MAX_BODY_DEPTH == 100


def test_a_signed_header_one_level_too_deep_is_malformed() -> None:
    payload = json.dumps(claims()).encode()
    deepest = signed_segments(_header_nested(MAX_JSON_DEPTH), payload)
    assert verify(deepest)["sub"] == "uid-1"  # 100 levels: not refused for its depth
    with pytest.raises(MalformedToken, match=NOT_JSON):
        verify(signed_segments(_header_nested(MAX_JSON_DEPTH + 1), payload))


def test_a_signed_5000_deep_header_is_malformed_on_every_python() -> None:
    # Signed, an object, and short enough (~14,000 characters): on 3.13 without our bound
    # this token verified (its decoder reads 5,000 levels), on 3.12 it was malformed.
    tok = signed_segments(_header_nested(5_000), json.dumps(claims()).encode())
    assert len(tok) <= 16384
    with pytest.raises(MalformedToken, match=NOT_JSON):
        verify(tok)


def test_signed_claims_one_level_too_deep_are_malformed() -> None:
    header = json.dumps({"alg": "RS256", "kid": KID}).encode()
    assert verify(signed_segments(header, _claims_nested(MAX_JSON_DEPTH)))["sub"] == "uid-1"
    for depth in (MAX_JSON_DEPTH + 1, 5_000):
        with pytest.raises(MalformedToken, match=NOT_JSON):
            verify(signed_segments(header, _claims_nested(depth)))


@pytest.mark.parametrize("text", ["[" * 200, "{" * 200, '\\"' + "[" * 200, "[" * 200 + '\\"'])
def test_brackets_inside_a_header_string_are_not_nesting(text: str) -> None:
    header = json.dumps({"alg": "RS256", "kid": KID, "x": text}).encode()
    assert header.count(b"[") + header.count(b"{") > MAX_JSON_DEPTH
    assert _jose.json_segment(b64url(header))["x"] == text
    assert verify(signed_segments(header, json.dumps(claims()).encode()))["sub"] == "uid-1"


def test_an_unterminated_header_string_is_malformed_whatever_it_holds() -> None:
    # A quote that never closes: the rest is counted as it stands (too deep here), and the
    # segment is not JSON either way; one message for both.
    for inside in (b"[" * 200, b"[" * 50, b'\\"' + b"[" * 200):
        with pytest.raises(MalformedToken, match=NOT_JSON):
            _jose.json_segment(b64url(b'{"alg":"RS256","x":"' + inside + b"}"))


def test_a_segment_must_be_utf8() -> None:
    # RFC 7519 7.2: a UTF-8 JSON object. json.loads would read UTF-16, UTF-32 and a UTF-8
    # byte order mark too (and in UTF-16 a character's bytes can be a quote: U+2200 is 00 22).
    document = '{"a":"\u2200","b":[[1]],"c":"Jos\u00e9"}'
    assert _jose.json_segment(b64url(document.encode("utf-8"))) == json.loads(document)
    for encoding in ("utf-16-le", "utf-16-be", "utf-16", "utf-32", "utf-8-sig"):
        assert json.loads(document.encode(encoding)) == json.loads(document)
        with pytest.raises(MalformedToken, match=NOT_JSON):
            _jose.json_segment(b64url(document.encode(encoding)))
    for bad in (b'{"a":"\xed\xa0\x80"}', b'{"a":"\xff"}', b'{"a":"\xc0\xaf"}'):  # surrogate, stray, overlong
        with pytest.raises(MalformedToken, match=NOT_JSON):
            _jose.json_segment(b64url(bad))


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, 10**400])
def test_non_finite_leeway_and_now_are_refused(value: Any) -> None:
    expired = token(claims(exp=NOW - 1000))
    with pytest.raises(ValueError, match="leeway"):
        verify(expired, leeway=value)
    with pytest.raises(ValueError, match="now"):
        verify(expired, now=value)


def test_negative_now_is_refused() -> None:
    with pytest.raises(ValueError, match="now"):
        verify(token(), now=-1)


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_signed_non_finite_time_claims_are_malformed(literal: str) -> None:
    body = json.dumps(claims()).replace(f'"exp": {NOW + 300}', f'"exp": {literal}')
    assert literal in body
    header = json.dumps({"alg": "RS256", "typ": "JWT", "kid": KID}).encode()
    with pytest.raises(MalformedToken, match="exp"):
        verify(signed_segments(header, body.encode()), now=NOW + 10**6)


def test_expired_stays_expired_with_finite_extremes() -> None:
    with pytest.raises(ExpiredToken):
        verify(token(claims(exp=NOW - 1000)), leeway=0, now=NOW)


@pytest.mark.parametrize("where", [0, 1, 2])
def test_non_ascii_in_any_segment_is_malformed(where: int) -> None:
    # found by scripts/fuzz_parsers.py (jose): a non-ASCII claims segment raised UnicodeEncodeError
    # once the claims were left undecoded until after the signature
    parts = token().split(".")
    parts[where] = parts[where][:5] + "\u00e9" + parts[where][5:]
    with pytest.raises(MalformedToken):
        verify(".".join(parts))
