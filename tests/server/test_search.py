"""accounts.search: the query subset and cursors."""

from __future__ import annotations

from typing import Any, Dict, List

import pytest

from gigya_fast.testing import LocalCDC
from gigya_fast.testing.cursors import CursorTable
from gigya_fast.testing.query import QueryError, parse_query, project

from ._wire import Sender

ROWS: List[Dict[str, Any]] = [
    {"UID": "a", "profile": {"email": "a@x.com", "age": 30, "country": "US"}, "data": {"vip": True}},
    {"UID": "b", "profile": {"email": "b@x.com", "age": 20, "country": "DE"}, "data": {}},
    {"UID": "c", "profile": {"email": "c@y.org", "age": 40, "country": "US"}, "data": {"vip": False}},
]


@pytest.mark.parametrize(
    "query, uids",
    [
        ("SELECT * FROM accounts", ["a", "b", "c"]),
        ('select * from accounts where profile.country = "US"', ["a", "c"]),
        ("SELECT * FROM accounts WHERE profile.country = 'US' AND profile.age > 35", ["c"]),
        ('SELECT * FROM accounts WHERE profile.country = "DE" OR data.vip = true', ["a", "b"]),
        ("SELECT * FROM accounts WHERE data.vip IS NULL", ["b"]),
        ("SELECT * FROM accounts WHERE data.vip IS NOT NULL", ["a", "c"]),
        ('SELECT * FROM accounts WHERE profile.email CONTAINS "X.COM"', ["a", "b"]),
        ("SELECT * FROM accounts WHERE profile.age >= 30 AND (profile.country = 'DE' OR data.vip = false)", ["c"]),
        ('SELECT * FROM accounts WHERE profile.country != "US"', ["b"]),
        ("SELECT * FROM accounts ORDER BY profile.age DESC", ["c", "a", "b"]),
        ("SELECT * FROM accounts ORDER BY profile.age ASC", ["b", "a", "c"]),
        ('SELECT * FROM accounts WHERE profile.email = "a\\"@x.com"', []),
    ],
)
def test_query_subset(query: str, uids: List[str]) -> None:
    assert [row["UID"] for row in parse_query(query).run(ROWS)] == uids


def test_query_fields_limit_start_count() -> None:
    query = parse_query("SELECT UID, profile.email FROM accounts LIMIT 2 START 1")
    assert (query.limit, query.start, query.fields) == (2, 1, ["UID", "profile.email"])
    assert project(ROWS[0], query.fields) == {"UID": "a", "profile": {"email": "a@x.com"}}
    assert parse_query("SELECT count(*) FROM accounts").count


@pytest.mark.parametrize(
    "query",
    [
        "",
        "DELETE FROM accounts",
        "SELECT FROM accounts",
        "SELECT * accounts",
        "SELECT * FROM accounts WHERE",
        "SELECT * FROM accounts WHERE profile.age ~ 3",
        "SELECT * FROM accounts WHERE (profile.age = 3",
        "SELECT * FROM accounts LIMIT x",
        "SELECT * FROM accounts LIMIT -1",
        'SELECT * FROM accounts WHERE a = "unterminated',
        "SELECT * FROM accounts GROUP BY x",
    ],
)
def test_query_errors(query: str) -> None:
    with pytest.raises(QueryError):
        parse_query(query)


def test_search_without_cursor(cdc: LocalCDC, sender: Sender) -> None:
    answer = sender.call("accounts.search", query="SELECT * FROM accounts LIMIT 2")
    assert answer["errorCode"] == 0
    assert (answer["objectsCount"], answer["totalCount"]) == (2, 5)
    assert "nextCursorId" not in answer
    email = cdc.accounts[3]["profile"]["email"]
    found = sender.call("accounts.search", query=f'SELECT profile.email FROM accounts WHERE profile.email = "{email}"')
    assert found["results"] == [{"profile": {"email": email}}]
    count = sender.call("accounts.search", query="SELECT count(*) FROM accounts")
    assert count["results"] == [{"count(*)": 5}]


def test_search_paging_with_cursors() -> None:
    with LocalCDC(seed_accounts=23) as cdc:
        sender = Sender(cdc)
        page = sender.call("accounts.search", query="SELECT UID FROM accounts LIMIT 5", openCursor="true")
        seen = [r["UID"] for r in page["results"]]
        assert page["totalCount"] == 23 and page["objectsCount"] == 5
        pages = 1
        while "nextCursorId" in page:
            cursor = page["nextCursorId"]
            page = sender.call("accounts.search", cursorId=cursor)
            assert page["errorCode"] == 0
            again = sender.call("accounts.search", cursorId=cursor)  # re-asking returns the same page
            assert again["results"] == page["results"] and again.get("nextCursorId") == page.get("nextCursorId")
            seen += [r["UID"] for r in page["results"]]
            pages += 1
        assert pages == 5 and page["objectsCount"] == 3
        assert sorted(seen) == sorted(a["UID"] for a in cdc.accounts)


def test_cursor_expiry(cdc: LocalCDC, sender: Sender) -> None:
    page = sender.call("accounts.search", query="SELECT * FROM accounts LIMIT 2", openCursor=True)
    cdc.expire_cursors()
    assert sender.call("accounts.search", cursorId=page["nextCursorId"])["errorCode"] == 400006
    assert sender.call("accounts.search", cursorId="bogus")["errorCode"] == 400006


def test_cursor_table_idle_timeout() -> None:
    clock = [0.0]
    table = CursorTable(ttl=300, clock=lambda: clock[0])
    first = table.open([{"n": i} for i in range(5)], 2)
    assert first.next_cursor_id is not None
    clock[0] = 299.0
    second = table.fetch(first.next_cursor_id)
    assert second is not None and second.next_cursor_id is not None
    clock[0] = 299.0 + 301
    assert table.fetch(second.next_cursor_id) is None


def test_search_errors(cdc: LocalCDC, sender: Sender) -> None:
    assert sender.call("accounts.search")["errorCode"] == 400002
    assert sender.call("accounts.search", query="SELEKT *")["errorCode"] == 400006
    assert sender.call("accounts.search", query="SELECT * FROM emails")["errorCode"] == 400006
    big = sender.call("accounts.search", query="SELECT * FROM accounts LIMIT 1001", openCursor=True)
    assert big["errorCode"] == 400006
    start = sender.call("accounts.search", query="SELECT * FROM accounts START 2", openCursor=True)
    assert start["errorCode"] == 400006
