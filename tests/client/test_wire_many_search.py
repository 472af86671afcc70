"""call_many (order, concurrency, errors) and cursor search (paging, a failed
page asked again with the same cursorId) on the wire."""

from __future__ import annotations

import threading
import time
from typing import Any, Callable, Iterator, List, Tuple

import pytest

from gigya_fast.errors import ConnectionFailedError, GigyaError, InvalidRequestError, ServerError
from gigya_fast.rest import Response, RetryPolicy


@pytest.fixture
def client(make_client: Callable[..., Any], cdc: Any, fast_retries: RetryPolicy) -> Iterator[Any]:
    with make_client(cdc.api_key, user_key=cdc.user_key, secret=cdc.user_secret, base_url=cdc.url,
                retries=fast_retries, pool_maxsize=8) as c:
        yield c


def test_call_many_keeps_input_order(cdc: Any, client: Any) -> None:
    uids = [a["UID"] for a in cdc.accounts][:20]
    calls: List[Any] = [("accounts.getAccountInfo", {"UID": uid}) for uid in uids]
    calls.insert(5, ("accounts.getAccountInfo", {"UID": "no-such-user"}))
    calls.append({"method": "accounts.getAccountInfo", "params": {"UID": uids[0]}, "include": "profile"})
    calls.append({"method": "accounts.getAccountInfo", "UID": uids[1]})
    progress: List[Tuple[int, int]] = []
    caller = threading.get_ident()
    threads = set()

    def on_progress(done: int, total: int) -> None:
        threads.add(threading.get_ident())
        progress.append((done, total))

    results = client.call_many(calls, on_progress=on_progress)
    assert len(results) == len(calls) == 23
    assert all(isinstance(r, Response) for r in results)
    got = [r.get("UID") if isinstance(r, Response) else None for r in results]
    expected_uids: List[Any] = list(uids)
    expected_uids.insert(5, None)
    assert got == expected_uids + [uids[0], uids[1]]
    missing = results[5]
    assert isinstance(missing, Response) and missing.error_code != 0 and missing.call_id
    assert progress == [(i, 23) for i in range(1, 24)] and threads == {caller}


def test_call_many_runs_concurrently(cdc: Any, client: Any) -> None:
    cdc.faults.add("accounts.getAccountInfo", delay=0.25, times=8)
    uid = cdc.accounts[0]["UID"]
    started = time.monotonic()
    results = client.call_many([("accounts.getAccountInfo", {"UID": uid})] * 8, max_workers=8)
    elapsed = time.monotonic() - started
    assert all(isinstance(r, Response) and r.ok for r in results)
    assert elapsed < 1.2, elapsed  # sequential would take >= 2 s
    assert len({r.connection_id for r in cdc.requests}) > 1


def test_call_many_returns_errors_in_place(cdc: Any, client: Any) -> None:
    uid = cdc.accounts[0]["UID"]
    cdc.faults.add("accounts.setAccountInfo", drop=True)
    results = client.call_many(
        [("accounts.getAccountInfo", {"UID": uid}), ("accounts.setAccountInfo", {"UID": uid, "data": {"a": 1}})],
        max_workers=1,
    )
    assert isinstance(results[0], Response) and results[0].ok
    assert isinstance(results[1], ConnectionFailedError)


def test_call_many_raise_on_error(cdc: Any, client: Any) -> None:
    uid = cdc.accounts[0]["UID"]
    calls = [("accounts.getAccountInfo", {"UID": uid})] * 6 + [("accounts.getAccountInfo", {"UID": "missing"})]
    with pytest.raises(GigyaError) as info:
        client.call_many(calls, raise_on_error=True, max_workers=3)
    assert info.value.error_code


def test_call_many_edge_cases(client: Any) -> None:
    assert client.call_many([]) == []
    with pytest.raises(ValueError):
        client.call_many([("a.b", {})], max_workers=0)
    with pytest.raises(ValueError):
        client.call_many([{"params": {}}])
    with pytest.raises(ValueError):
        client.call_many([("bad/method", {})])
    with pytest.raises(TypeError):
        client.call_many(["accounts.search"])


def test_search_walks_every_page(cdc: Any, client: Any) -> None:
    results = list(client.search("SELECT UID FROM accounts", page_size=10))
    assert len(results) == 25 and len({r["UID"] for r in results}) == 25
    searches = [r for r in cdc.requests if r.method == "accounts.search"]
    assert len(searches) == 3
    first, *rest = searches
    assert first.params["query"] == "SELECT UID FROM accounts LIMIT 10" and first.params["openCursor"] == "true"
    assert "cursorId" not in first.params
    for page in rest:
        assert "query" not in page.params and "openCursor" not in page.params and page.params["cursorId"]


def test_search_pages(client: Any) -> None:
    pages = list(client.search_pages("SELECT UID FROM accounts", page_size=20))
    assert [p["objectsCount"] for p in pages] == [20, 5]
    assert pages[0]["totalCount"] == 25 and "nextCursorId" not in pages[-1]


def test_failed_page_is_asked_again_with_the_same_cursor(cdc: Any, client: Any) -> None:
    iterator = client.search("SELECT UID FROM accounts", page_size=10)
    first_page = [next(iterator) for _ in range(10)]
    cdc.faults.add("accounts.search", error_code=500001)
    cdc.faults.add("accounts.search", drop=True)
    rest = list(iterator)
    assert len(first_page) + len(rest) == 25
    searches = [r for r in cdc.requests if r.method == "accounts.search"]
    assert [r.error_code for r in searches] == [0, 500001, -1, 0, 0]
    cursors = [r.params.get("cursorId") for r in searches]
    assert cursors[1] == cursors[2] == cursors[3] and cursors[3] != cursors[4]
    assert len({r.params["nonce"] for r in searches}) == 5


def test_search_errors(cdc: Any, client: Any) -> None:
    with pytest.raises(ValueError):
        list(client.search("SELECT count(*) FROM accounts GROUP BY x"))
    with pytest.raises(InvalidRequestError):
        list(client.search("SELECT * FROM nowhere"))
    cdc.faults.add("accounts.search", error_code=500001, times=10)
    with pytest.raises(ServerError):
        list(client.search("SELECT * FROM accounts"))
