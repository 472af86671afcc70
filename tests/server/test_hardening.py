"""Hostile input and teardown hygiene of the local server (issue 12, item 10)."""

from __future__ import annotations

import gc
import json
import math
import time
import warnings
from typing import Any, Dict
from urllib.parse import urlencode

import pytest
import urllib3

from gigya_fast.testing import LocalCDC
from gigya_fast.testing.records import signature_fingerprint

from ._wire import Sender, exchange


def _body(answer: bytes) -> Dict[str, Any]:
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1."), answer[:200]
    return json.loads(body)  # type: ignore[no-any-return]


def test_tls_server_closes_its_ssl_sockets() -> None:
    """A user's run with ``filterwarnings = error`` must not fail at teardown on an unclosed SSLSocket."""
    pytest.importorskip("trustme")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        with LocalCDC(tls=True) as cdc:
            pool = urllib3.PoolManager(ca_certs=cdc.ca_path, retries=False)
            for _ in range(3):
                assert pool.request("POST", cdc.url + "/accounts.nothing", body=b"apiKey=x").json()["errorCode"]
            idle = urllib3.PoolManager(ca_certs=cdc.ca_path, retries=False)  # left open: stop() must close it
            idle.request("POST", cdc.url + "/accounts.nothing", body=b"apiKey=x")
            pool.clear()
        idle.clear()
        gc.collect()
    leaked = [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)]
    assert leaked == []


@pytest.mark.parametrize("size", [b"-1", b"+5", b"0x5", b"1_0", b" -10 "])
def test_chunk_size_must_be_plain_hex(size: bytes) -> None:
    """``-1`` used to read to EOF past ``max_body``; every non-hex size is refused at once."""
    with LocalCDC(max_body=1024) as cdc:
        head = b"POST /accounts.search HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        answer = exchange(cdc, head + size + b"\r\n" + b"x" * 4096)
        body = _body(answer)
        assert body["errorCode"] == 400001 and "chunked" in body["errorDetails"]
        assert b"Connection: close" in answer


def test_chunked_body_over_max_body_is_refused_before_reading_it() -> None:
    with LocalCDC(max_body=1024) as cdc:
        head = b"POST /accounts.search HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        answer = exchange(cdc, head + b"fffffff\r\n" + b"x" * 2048)
        assert _body(answer)["errorCode"] == 400001


def test_http09_request_line_is_answered_at_once(cdc: LocalCDC) -> None:
    """``GET /`` without a version used to wait 30 s for headers that never come."""
    started = time.monotonic()
    answer = exchange(cdc, b"GET /accounts.getAccountInfo\r\n", timeout=5.0)
    assert time.monotonic() - started < 4.0
    assert answer.startswith(b"HTTP/1.") and answer.split(b" ", 2)[1] == b"400"
    assert _body(answer)["errorCode"] == 400001
    assert cdc.requests[-1].error_code == 400001


def test_request_records_hide_credentials_and_tokens(cdc: LocalCDC, sender: Sender) -> None:
    hidden = {
        "password": "pw-Secret-1",
        "newPassword": "pw-Secret-2",
        "sig": "c2lnbmF0dXJl",
        "login_token": "st2.s.LOGIN",
        "regToken": "REGTOKEN",
        "gigyaAssertion": "ASSERTION",
        "providerAssertion": "PASSERTION",
        "phvToken": "PHVTOKEN",
        "code": "123456",
        "secret": "c2VjcmV0",
    }
    sender.raw("/accounts.getAccountInfo", urlencode({"apiKey": cdc.api_key, "UID": "u1", **hidden}))
    record = cdc.requests[-1]
    assert record.params["UID"] == "u1"
    assert record.params.pop("sig") == signature_fingerprint(hidden["sig"]) != hidden["sig"]
    for name, value in hidden.items():
        assert record.params.get(name, "***") == "***", name
        assert value not in repr(record)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"clock_offset": math.nan},
        {"clock_offset": math.inf},
        {"seed_accounts": -5},
        {"port": 70000},
        {"port": -1},
        {"max_body": 0},
        {"timestamp_window": math.nan},
        {"token_ttl": -1.0},
    ],
    ids=lambda kwargs: "-".join(f"{k}={v}" for k, v in kwargs.items()),
)
def test_bad_settings_are_refused_at_construction(kwargs: Dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=next(iter(kwargs))):
        LocalCDC(**kwargs)


def test_clock_offset_setter_refuses_non_finite(cdc: LocalCDC) -> None:
    with pytest.raises(ValueError, match="clock_offset"):
        cdc.clock_offset = math.nan
    cdc.clock_offset = 30
    assert cdc.clock_offset == 30.0
