"""Cursor paging parameters, the clock and nonces (no I/O)."""

from __future__ import annotations

import multiprocessing
import threading
from typing import List

import pytest

from gigya_fast.rest.clock import Clock, new_nonce, parse_http_date
from gigya_fast.rest.search import first_page_params, next_page_params, with_limit


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("SELECT * FROM accounts", "SELECT * FROM accounts LIMIT 100"),
        ("SELECT * FROM accounts;  ", "SELECT * FROM accounts LIMIT 100"),
        ("SELECT * FROM accounts limit 5", "SELECT * FROM accounts limit 5"),
        ("SELECT * FROM accounts WHERE x = 'limit 5'", "SELECT * FROM accounts WHERE x = 'limit 5' LIMIT 100"),
        ('SELECT * FROM accounts WHERE x = "start 5"', 'SELECT * FROM accounts WHERE x = "start 5" LIMIT 100'),
    ],
)
def test_with_limit(query: str, expected: str) -> None:
    assert with_limit(query, 100) == expected


@pytest.mark.parametrize(
    ("query", "size"),
    [
        ("SELECT count(*) FROM accounts GROUP BY x", 10),
        ("SELECT * FROM accounts START 10 LIMIT 5", 10),
        ("", 10),
        ("SELECT * FROM accounts", 0),
        ("SELECT * FROM accounts", 1001),
    ],
)
def test_with_limit_rejects(query: str, size: int) -> None:
    with pytest.raises(ValueError):
        with_limit(query, size)


def test_page_params() -> None:
    first = first_page_params("SELECT * FROM accounts", 10, {"timeout": 30000})
    assert first == {"timeout": 30000, "query": "SELECT * FROM accounts LIMIT 10", "openCursor": True}
    assert next_page_params({"nextCursorId": "c1", "results": []}, {"timeout": 1}) == {"cursorId": "c1"}
    assert next_page_params({"nextCursorId": "c1"}, {"apiKey": "3_x"}) == {"cursorId": "c1", "apiKey": "3_x"}
    assert next_page_params({"results": []}, {}) is None
    assert next_page_params({"nextCursorId": ""}, {}) is None


def test_parse_http_date() -> None:
    assert parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT") == 784111777.0
    for bad in (None, "", "yesterday", "Sun, 06 Nov 1994 08:49:37"):
        assert parse_http_date(bad) is None


def test_clock_offset_from_date() -> None:
    clock = Clock(lambda: 784111000.0)
    assert clock.now() == 784111000.0
    offset = clock.sync_from_date("Sun, 06 Nov 1994 08:49:37 GMT")
    assert offset == pytest.approx(777.5)
    assert clock.offset == offset and clock.now() == pytest.approx(784111777.5)
    assert clock.sync_from_date("garbage") is None and clock.offset == offset
    clock.set_offset(-3)
    assert clock.now() == 784110997.0


def _nonces(count: int) -> List[str]:
    return [new_nonce() for _ in range(count)]


def test_nonces_unique_across_threads_and_processes() -> None:
    results: List[List[str]] = []
    lock = threading.Lock()

    def work() -> None:
        values = _nonces(2000)
        with lock:
            results.append(values)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    context = multiprocessing.get_context("spawn")
    with context.Pool(2) as pool:
        results.extend(pool.map(_nonces, [2000, 2000]))
    everything = [n for chunk in results for n in chunk]
    assert len(everything) == 12000 == len(set(everything))
    assert all(len(n) == 32 and int(n, 16) >= 0 for n in everything[:10])
