"""Several clients at once."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import List

from gigya_fast.testing import LocalCDC

from ._wire import Sender


def test_parallel_signed_calls(cdc: LocalCDC) -> None:
    uids = [a["UID"] for a in cdc.accounts]

    def worker(index: int) -> List[int]:
        sender = Sender(cdc)
        codes = []
        for i in range(15):
            key = cdc.user_key if i % 2 else None
            codes.append(
                sender.call("accounts.getAccountInfo", user_key=key, UID=uids[(index + i) % len(uids)])["errorCode"]
            )
        return codes

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(worker, range(8)))
    assert all(code == 0 for codes in results for code in codes)
    assert len(cdc.requests) == 8 * 15
    assert len({r.params["nonce"] for r in cdc.requests}) == 8 * 15


def test_concurrent_updates_all_land(cdc: LocalCDC) -> None:
    uid = cdc.create_account()
    barrier = threading.Barrier(6)

    def worker(index: int) -> int:
        sender = Sender(cdc)
        barrier.wait()
        total = 0
        for i in range(5):
            data = json.dumps({f"w{index}": {f"n{i}": i}})
            total += sender.call("accounts.setAccountInfo", UID=uid, data=data)["errorCode"]
        return total

    with ThreadPoolExecutor(6) as pool:
        assert sum(pool.map(worker, range(6))) == 0
    data = cdc.get_account(uid)["data"]  # type: ignore[index]
    assert data == {f"w{w}": {f"n{i}": i for i in range(5)} for w in range(6)}


def test_slow_call_does_not_block_others(cdc: LocalCDC) -> None:
    cdc.faults.add("accounts.search", delay=1.0)
    slow = threading.Thread(target=lambda: Sender(cdc).call("accounts.search", query="SELECT * FROM accounts"))
    slow.start()
    import time

    started = time.monotonic()
    assert Sender(cdc).call("accounts.getAccountInfo", UID=cdc.accounts[0]["UID"])["errorCode"] == 0
    assert time.monotonic() - started < 0.5
    slow.join()


def test_one_account_per_reg_token_and_per_email_under_races(cdc: LocalCDC) -> None:
    from ._browser import Browser

    before = len(cdc.accounts)
    token = Browser(cdc).call("accounts.initRegistration")["regToken"]

    def same_token(index: int) -> int:
        answer = Browser(cdc).call("accounts.register", regToken=token, email=f"r{index}@example.com", password="p")
        return int(answer["errorCode"])

    def same_email(index: int) -> int:
        browser = Browser(cdc)
        reg = browser.call("accounts.initRegistration")["regToken"]
        return int(browser.call("accounts.register", regToken=reg, email="race@example.com", password="p")["errorCode"])

    with ThreadPoolExecutor(6) as pool:
        by_token = list(pool.map(same_token, range(6)))
        by_email = list(pool.map(same_email, range(6)))
    assert sorted(by_token) == [0] + [400006] * 5
    assert sorted(by_email) == [0] + [400003] * 5
    assert len(cdc.accounts) == before + 2
