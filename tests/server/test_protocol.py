"""Wire-level behaviour: envelope, headers, keep-alive, routing and bad input."""

from __future__ import annotations

import http.client
import json
import logging
import socket
from typing import Any, Dict, Tuple

import pytest

from gigya_fast.testing import LocalCDC

from ._wire import Sender, exchange, fresh, ref_query, signed_body


def _split(answer: bytes) -> Tuple[str, Dict[str, str], Dict[str, Any]]:
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return lines[0], headers, json.loads(body) if body else {}


def _alive(cdc: LocalCDC) -> bool:
    return bool(Sender(cdc).call("accounts.getAccountInfo", UID=cdc.accounts[0]["UID"])["errorCode"] == 0)


def test_envelope_and_headers(cdc: LocalCDC, sender: Sender) -> None:
    answer = sender.call("accounts.getAccountInfo", UID=cdc.accounts[0]["UID"])
    response = answer["_http"]
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("application/json")
    assert int(response.headers["Content-Length"]) == len(response.data)
    assert "Date" in response.headers
    assert answer["statusCode"] == 200 and answer["statusReason"] == "OK"
    assert len(answer["callId"]) == 32 and answer["time"].endswith("Z")
    assert cdc.requests[-1].call_id == answer["callId"]


def test_error_envelope_http_status_codes(cdc: LocalCDC, sender: Sender) -> None:
    answer = sender.call("accounts.getAccountInfo", UID="nobody", httpStatusCodes="true")
    assert answer["errorCode"] == 403047 and answer["_http"].status == 403
    assert answer["errorMessage"] and answer["errorDetails"] and answer["statusReason"] == "Forbidden"


def test_keep_alive_reuses_one_connection(cdc: LocalCDC) -> None:
    conn = http.client.HTTPConnection(cdc.host, cdc.port, timeout=5)
    uid = cdc.accounts[0]["UID"]
    for _ in range(5):
        body = signed_body(cdc.url + "/accounts.getAccountInfo", fresh(cdc, UID=uid), cdc.partner_secret)
        conn.request(
            "POST", "/accounts.getAccountInfo", body=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
        )
        response = conn.getresponse()
        assert json.loads(response.read())["errorCode"] == 0
        assert response.getheader("Connection") != "close"
    conn.close()
    ids = {r.connection_id for r in cdc.requests[-5:]}
    assert len(ids) == 1


def test_errors_also_keep_the_connection(cdc: LocalCDC) -> None:
    conn = http.client.HTTPConnection(cdc.host, cdc.port, timeout=5)
    for _ in range(3):
        conn.request("POST", "/accounts.nothing", body="apiKey=x")
        assert json.loads(conn.getresponse().read())["errorCode"] == 400096
    conn.close()
    assert len({r.connection_id for r in cdc.requests[-3:]}) == 1


def test_unknown_method_and_paths(cdc: LocalCDC, sender: Sender) -> None:
    assert sender.call("accounts.doesNotExist")["errorCode"] == 400096
    assert sender.raw("/", "apiKey=x").json()["errorCode"] == 400096
    assert sender.raw("/a/b/c", "apiKey=x").json()["errorCode"] == 400096
    assert sender.raw("/.x", "apiKey=x").json()["errorCode"] == 400096


def test_method_names_are_case_insensitive(cdc: LocalCDC, sender: Sender) -> None:
    assert sender.call("ACCOUNTS.GETACCOUNTINFO", UID=cdc.accounts[0]["UID"])["errorCode"] == 0
    assert cdc.requests[-1].method == "accounts.getAccountInfo"


def test_get_with_query_string(cdc: LocalCDC, sender: Sender) -> None:
    from ._wire import ref_base_string, ref_encode, ref_sign

    params = fresh(cdc, UID=cdc.accounts[0]["UID"])
    url = cdc.url + "/accounts.getAccountInfo"
    sig = ref_sign(cdc.partner_secret, ref_base_string("GET", url, params))
    response = sender.pool.request("GET", url + "?" + ref_query(params) + "&sig=" + ref_encode(sig))
    assert response.json()["errorCode"] == 0


def test_non_utf8_body(cdc: LocalCDC, sender: Sender) -> None:
    response = sender.pool.request("POST", cdc.url + "/accounts.getAccountInfo", body=b"apiKey=%FF%FE")
    assert response.json()["errorCode"] == 400001


def test_oversized_body_is_a_cdc_error(cdc: LocalCDC) -> None:
    conn = http.client.HTTPConnection(cdc.host, cdc.port, timeout=10)
    conn.request("POST", "/accounts.setAccountInfo", body=b"data=" + b"x" * (1 << 20))
    answer = json.loads(conn.getresponse().read())
    assert answer["errorCode"] == 400001 and "larger" in answer["errorDetails"]
    # the body was drained: the same connection still works
    conn.request("POST", "/accounts.nothing", body=b"apiKey=x")
    assert json.loads(conn.getresponse().read())["errorCode"] == 400096
    conn.close()
    assert _alive(cdc)


def test_enormous_content_length_closes(cdc: LocalCDC) -> None:
    answer = exchange(cdc, b"POST /accounts.search HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999999\r\n\r\nabc")
    status, headers, body = _split(answer)
    assert " 200 " in status + " " and body["errorCode"] == 400001 and headers["Connection"] == "close"
    assert _alive(cdc)


@pytest.mark.parametrize(
    "payload",
    [
        b"GARBAGE\r\n\r\n",
        b"POST /accounts.search HTTP/9.9\r\n\r\n",
        b"POST /accounts.search HTTP/1.1\r\nContent-Length: abc\r\n\r\n",
        b"POST /accounts.search HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
        b"POST /accounts.search HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
        b"POST /accounts.search HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        b"PUT /accounts.search HTTP/1.1\r\nContent-Length: 0\r\n\r\n",
        b"POST /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n",
        b"POST /x HTTP/1.1\r\n" + b"".join(b"H%d: v\r\n" % i for i in range(150)) + b"\r\n",
        b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03" + bytes(range(256)),
    ],
    ids=["garbage", "version", "cl-text", "cl-negative", "te-gzip", "chunk-size", "put", "long-line", "headers", "tls"],
)
def test_malformed_requests_get_cdc_errors(cdc: LocalCDC, payload: bytes) -> None:
    answer = exchange(cdc, payload)
    status, _, body = _split(answer)
    assert status.startswith("HTTP/")
    assert body["errorCode"] == 400001
    assert any(r.error_code == 400001 for r in cdc.requests)
    assert _alive(cdc)


def test_chunked_body(cdc: LocalCDC) -> None:
    body = signed_body(cdc.url + "/accounts.search", fresh(cdc, query="SELECT * FROM accounts"), cdc.partner_secret)
    data = body.encode()
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(data[i : i + 10]), data[i : i + 10]) for i in range(0, len(data), 10))
    head = f"POST /accounts.search HTTP/1.1\r\nHost: {cdc.host}:{cdc.port}\r\nTransfer-Encoding: chunked\r\n"
    head += "Connection: close\r\n\r\n"
    _, _, answer = _split(exchange(cdc, head.encode() + chunked + b"0\r\n\r\n"))
    assert answer["errorCode"] == 0 and answer["totalCount"] == 5


def test_half_sent_body_does_not_hurt(cdc: LocalCDC) -> None:
    with socket.create_connection((cdc.host, cdc.port), timeout=5) as sock:
        sock.sendall(b"POST /accounts.search HTTP/1.1\r\nContent-Length: 100\r\n\r\nabc")
    assert _alive(cdc)


def test_missing_host_header_uses_the_bound_address(cdc: LocalCDC) -> None:
    params = fresh(cdc, UID=cdc.accounts[0]["UID"])
    body = signed_body(cdc.url + "/accounts.getAccountInfo", params, cdc.partner_secret).encode()
    request = b"POST /accounts.getAccountInfo HTTP/1.0\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)
    _, _, answer = _split(exchange(cdc, request))
    assert answer["errorCode"] == 0


def test_request_log_redacts(cdc: LocalCDC, sender: Sender) -> None:
    sender.form("/accounts.getAccountInfo", {"apiKey": cdc.api_key, "secret": "c2VjcmV0", "oauth_token": "t"})
    record = cdc.requests[-1]
    assert record.params["secret"] == "***" and record.params["oauth_token"] == "***"
    assert cdc.partner_secret not in repr(cdc) and cdc.partner_secret not in repr(cdc.state)
    cdc.clear_requests()
    assert cdc.requests == []


def test_stop_closes_idle_connections() -> None:
    cdc = LocalCDC(seed_accounts=1).start()
    conn = http.client.HTTPConnection(cdc.host, cdc.port, timeout=5)
    conn.request("POST", "/accounts.nothing", body="apiKey=x")
    conn.getresponse().read()
    cdc.stop()
    with pytest.raises((OSError, http.client.HTTPException)):
        conn.request("POST", "/accounts.nothing", body="apiKey=x")
        conn.getresponse().read()
    conn.close()
    cdc.stop()  # idempotent
    assert not cdc.running


def test_listens_on_loopback_only(cdc: LocalCDC) -> None:
    assert cdc.host == "127.0.0.1" and cdc.url == f"http://127.0.0.1:{cdc.port}"


def test_logs_never_show_query_strings(cdc: LocalCDC, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="gigya_fast.testing")
    Sender(cdc).pool.request("GET", cdc.url + "/accounts.getAccountInfo?secret=TOPSECRET&apiKey=x")
    exchange(cdc, b"GET /x?secret=TOPSECRET HTTP/1.1 junk\r\n\r\n")
    assert caplog.records and "TOPSECRET" not in caplog.text
    assert all("TOPSECRET" not in r.path for r in cdc.requests)
