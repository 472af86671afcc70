"""Answers the compiled envelope scan vouches for are parsed when first read: the same
Response either way, one JSON tree per answer, and bodies it does not vouch for still
refused before read_response returns."""

from __future__ import annotations

import json
import threading
from typing import Any, Dict, List

import pytest

from gigya_fast import _envelope
from gigya_fast.errors import MalformedResponseError
from gigya_fast.rest import envelope, response
from gigya_fast.rest.envelope import read_response
from gigya_fast.rest.response import Response

BODY = json.dumps(
    {
        "callId": "c9",
        "errorCode": 0,
        "statusCode": 200,
        "UID": "u1",
        "profile": {"email": "a@b.c", "firstName": "Jos\u00e9"},
        "identities": [{"provider": "site"}, {"provider": "google"}],
    },
    ensure_ascii=False,
).encode("utf-8")
LAZY = _envelope.IMPLEMENTATION == "cython"


@pytest.fixture()
def parses(monkeypatch: pytest.MonkeyPatch) -> Dict[str, int]:
    """Counts the JSON parses made on arrival (envelope) and on first read (response)."""
    counts = {"arrival": 0, "read": 0}
    for module, name in ((envelope, "arrival"), (response, "read")):
        real = module.parse_json_body

        def counted(body: bytes, real: Any = real, name: str = name) -> Any:
            counts[name] += 1
            return real(body)

        monkeypatch.setattr(module, "parse_json_body", counted)
    return counts


def test_the_tree_is_built_once_when_read(parses: Dict[str, int]) -> None:
    answer = read_response("accounts.getAccountInfo", 200, {}, BODY)
    assert answer.error_code == 0 and answer.ok and answer.http_status == 200
    assert parses == ({"arrival": 0, "read": 0} if LAZY else {"arrival": 1, "read": 0})
    first = answer.data
    assert first == json.loads(BODY)
    assert answer.data is first and answer["profile"]["firstName"] == "Jos\u00e9"
    assert answer.get("identities[1].provider") == "google" and answer.call_id == "c9"
    assert parses == ({"arrival": 0, "read": 1} if LAZY else {"arrival": 1, "read": 0})


@pytest.mark.parametrize(
    "body",
    [BODY, b'{"errorCode":403005,"errorMessage":"Unauthorized user","callId":"x"}', b'{"errorCode":"7"}',
     b'{"errorCode":0,"x":NaN}'],
)
def test_same_response_as_a_parse_on_arrival(body: bytes) -> None:
    answer = read_response("m", 200, {"Date": "x"}, body, attempts=2, elapsed=0.5)
    eager = Response(json.loads(body), "m", 200, {"Date": "x"}, body, 2, 0.5)
    eager.data["errorCode"] = int(eager.data["errorCode"])  # read_response turns "7" into 7
    assert answer.error_code == eager.error_code
    assert (answer.error_message, answer.call_id, answer.status_code) == (
        eager.error_message, eager.call_id, eager.status_code,
    )
    assert repr(answer) == repr(eager) and dict(answer) == dict(eager) and answer == eager
    assert (answer.attempts, answer.elapsed, answer.content) == (2, 0.5, body)


@pytest.mark.parametrize("body", [b'{"errorCode":0', b'{"errorCode":0}x', b'{"errorCode":"x"}', b"[0]", b""])
def test_refused_bodies_are_refused_on_arrival(body: bytes) -> None:
    with pytest.raises(MalformedResponseError):
        read_response("m", 200, {}, body)


def _read_together(answer: Response, seen: List[Any], start: threading.Barrier) -> None:
    start.wait()
    seen.append(answer.data)


def test_threads_reading_at_once_see_one_tree() -> None:
    for _ in range(20):
        answer = read_response("m", 200, {}, BODY)
        seen: List[Any] = []
        start = threading.Barrier(8)
        threads = [threading.Thread(target=_read_together, args=(answer, seen, start)) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert all(data == json.loads(BODY) for data in seen)
        assert answer.data is answer.data


def test_an_unreadable_body_fails_when_read_without_showing_it() -> None:
    answer = Response(None, "accounts.getAccountInfo", 200, {}, b'{"secret":"hunter2"', error_code=0)
    assert answer.error_code == 0
    with pytest.raises(MalformedResponseError) as caught:
        answer.data  # noqa: B018
    assert "hunter2" not in str(caught.value) and caught.value.http_status == 200
    assert "accounts.getAccountInfo" in str(caught.value)


@pytest.mark.parametrize("depth", [64, 65, 100, 101, 5000])
def test_nesting_bound_is_the_same_on_every_python(depth: int) -> None:
    """Up to 64 levels the scan vouches; to 100 the parser reads it; deeper is refused, on every Python
    (3.13's decoder alone would parse 5000 levels that 3.12's refuses with RecursionError)."""
    body = b'{"errorCode":0,"x":' + b"[" * (depth - 1) + b"]" * (depth - 1) + b"}"
    if depth > 100:
        with pytest.raises(MalformedResponseError, match="nested deeper than 100 levels"):
            read_response("m", 200, {}, body)
        return
    answer = read_response("m", 200, {}, body)
    inner = answer["x"]
    for _ in range(depth - 2):
        inner = inner[0]
    assert inner == []
