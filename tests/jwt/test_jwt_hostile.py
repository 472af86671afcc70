"""Hostile tokens and arguments: one accepted spelling per token, bounded parsing, no NaN window."""

from __future__ import annotations

import base64
import json
import math
from typing import Any, Dict, List

import pytest

from gigya_fast import _jose
from gigya_fast.errors import ExpiredToken, InvalidTokenSignature, MalformedToken, SignatureError
from gigya_fast.jwt import verify_id_token

from ._jwt_support import API_KEY, KID, NOW, b64url, claims, jwks, private_key, token

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


@pytest.mark.parametrize("depth", [1_000, 5_000])
def test_deeply_nested_header_is_malformed_not_recursion_error(depth: int) -> None:
    header = b64url(b"[" * depth + b"]" * depth)
    payload = b64url(json.dumps(claims()).encode())
    with pytest.raises(MalformedToken):
        verify(f"{header}.{payload}.{b64url(b'x' * 256)}")


def test_deeply_nested_claims_are_not_parsed_before_the_signature() -> None:
    header = b64url(json.dumps({"alg": "RS256", "kid": KID}).encode())
    payload = b64url(b"[" * 5_000 + b"]" * 5_000)
    with pytest.raises(InvalidTokenSignature):
        verify(f"{header}.{payload}.{b64url(b'x' * 256)}")


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
    header = b64url(json.dumps({"alg": "RS256", "typ": "JWT", "kid": KID}).encode())
    signing_input = header + "." + b64url(body.encode())
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    signature = private_key().sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    with pytest.raises(MalformedToken, match="exp"):
        verify(signing_input + "." + b64url(signature), now=NOW + 10**6)


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
