"""Response objects and reading answers into them (no I/O)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from gigya_fast.errors import (
    APIError,
    AuthenticationError,
    InvalidRequestError,
    MalformedResponseError,
    RateLimitError,
    ServerError,
)
from gigya_fast.rest.envelope import read_response
from gigya_fast.rest.response import Response, lookup_path, parse_path

DATA: dict[str, Any] = {
    "errorCode": 0,
    "callId": "c123",
    "statusCode": 200,
    "UID": "u1",
    "profile": {"email": "a@b.c", "name.with.dots": 1},
    "identities": [{"provider": "google"}, {"provider": "site", "tags": ["x", "y"]}],
    "a.b": "top-level dotted key",
}


def _response(data: dict[str, Any] | None = None, **kw: Any) -> Response:
    return Response(dict(DATA if data is None else data), method="accounts.getAccountInfo", **kw)


def test_mapping_behaviour() -> None:
    r = _response()
    assert r["profile"]["email"] == "a@b.c"
    assert "UID" in r and "nope" not in r
    assert len(r) == len(DATA) and set(r) == set(DATA)
    assert dict(r) == DATA and r == DATA
    assert r.data is r.data and r.data == DATA
    with pytest.raises(KeyError):
        r["nope"]
    with pytest.raises(TypeError):
        r["UID"] = "x"  # type: ignore[index]


def test_envelope_fields() -> None:
    r = _response(headers={"Date": "x"}, body=b'{"errorCode":0}', http_status=200)
    assert (r.error_code, r.call_id, r.status_code, r.http_status, r.ok) == (0, "c123", 200, 200, True)
    assert r.error_message is None and r.error_details is None
    assert r.headers["Date"] == "x" and r.text == '{"errorCode":0}' and r.content == b'{"errorCode":0}'
    assert r.raise_for_error() is r


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("identities[0].provider", "google"),
        ("identities[1].tags[-1]", "y"),
        ("identities[-1].provider", "site"),
        ("profile.email", "a@b.c"),
        ('profile["name.with.dots"]', 1),
        ("profile['name.with.dots']", 1),
        ("a.b", "top-level dotted key"),
        ("UID", "u1"),
    ],
)
def test_get_paths(path: str, value: Any) -> None:
    assert _response().get(path) == value


@pytest.mark.parametrize(
    "path", ["identities[5].provider", "profile.missing", "UID.x", "identities.provider", "profile[0]", "x..y", "[", ""]
)
def test_get_missing_gives_default(path: str) -> None:
    assert _response().get(path, "dflt") == "dflt"
    assert _response().get(path) is None


def test_parse_path() -> None:
    assert parse_path("a.b[0][1].c") == ["a", "b", 0, 1, "c"]
    assert parse_path('x["a.b"]') == ["x", "a.b"]
    with pytest.raises(ValueError):
        parse_path("a..b")
    assert lookup_path({"a": [None]}, "a[0]", "d") is None


@pytest.mark.parametrize(
    ("code", "cls"),
    [(403003, AuthenticationError), (400002, InvalidRequestError), (403048, RateLimitError), (500001, ServerError),
     (123, APIError)],
)
def test_to_error(code: int, cls: type) -> None:
    r = _response({"errorCode": code, "errorMessage": "Bad", "errorDetails": "why", "callId": "cid"}, http_status=200)
    assert not r.ok
    error = r.to_error()
    assert type(error) is cls
    assert (error.error_code, error.error_message, error.error_details, error.call_id) == (code, "Bad", "why", "cid")
    assert error.response is r and error.http_status == 200
    assert str(error) == "%d Bad (why) [callId cid]" % code
    with pytest.raises(cls):
        r.raise_for_error()


def test_repr_shows_no_data() -> None:
    text = repr(_response())
    assert "a@b.c" not in text and "u1" not in text
    assert text == "<Response accounts.getAccountInfo errorCode=0 callId=c123>"


def _read(body: bytes, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return read_response("accounts.search", status, headers or {"Content-Type": "application/json"}, body)


def test_read_response_ok() -> None:
    body = json.dumps(DATA).encode()
    r = _read(body)
    assert r == DATA and r.method == "accounts.search" and r.content == body
    assert _read(b'\xef\xbb\xbf{"errorCode": 0}').error_code == 0  # UTF-8 BOM
    assert _read(b'{"errorCode": "403003"}').error_code == 403003
    assert _read(b'{"errorCode": 500001}', status=500).http_status == 500


@pytest.mark.parametrize(
    ("body", "status", "reason"),
    [
        (b"", 200, "empty body"),
        (b"  \r\n", 502, "empty body"),
        (b"<html><body>Bad Gateway</body></html>", 502, "HTML"),
        (b'{"errorCode": 0, "callId": "ab', 200, "truncated"),
        (b"this is not JSON {", 200, "not JSON"),
        (b"[1, 2]", 200, "not an object"),
        (b'"text"', 200, "not an object"),
        (b'{"callId": "c9"}', 200, "no integer errorCode"),
        (b'{"errorCode": true}', 200, "no integer errorCode"),
        (b'{"errorCode": null}', 503, "no integer errorCode"),
        (b"\xff\xfe\x00garbage", 200, "not JSON"),
        (b"[" * 100000 + b"]" * 100000, 200, ""),
    ],
)
def test_read_response_malformed(body: bytes, status: int, reason: str) -> None:
    with pytest.raises(MalformedResponseError) as info:
        _read(body, status, {"Content-Type": "text/html"})
    error = info.value
    assert error.http_status == status
    assert reason in str(error)
    assert "accounts.search" in str(error) and "HTTP %d" % status in str(error)
    assert isinstance(error, ValueError)


def test_malformed_keeps_call_id() -> None:
    with pytest.raises(MalformedResponseError) as info:
        _read(b'{"callId": "c9"}')
    assert info.value.call_id == "c9" and "[callId c9]" in str(info.value)
