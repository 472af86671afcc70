"""16 threads sending through GSRequest at once: every signature verified by the
server, every answer belongs to its request, one shared client per configuration."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Dict, List, Tuple

from gigya_fast._gssdk import pools
from gigya_fast.GSSDK import GSRequest, SigUtils
from gigya_fast.testing import LocalCDC

THREADS = 16
ROUNDS = 12


def test_sixteen_threads_share_the_pool_without_corruption(cdc: LocalCDC) -> None:
    uids = [cdc.create_account({"nickname": f"user{i}"}) for i in range(THREADS)]
    barrier = threading.Barrier(THREADS)
    errors: List[str] = []

    def worker(index: int) -> Tuple[int, int]:
        uid = uids[index]
        barrier.wait()
        done = 0
        for round_number in range(ROUNDS):
            # A write with data unique to this thread and round...
            write = GSRequest(cdc.api_key, cdc.partner_secret, "accounts.setAccountInfo", {"UID": uid})
            write.setAPIDomain(cdc.url)
            write.setParam("data", {"thread": index, "round": round_number, "flag": round_number % 2 == 0})
            answer = write.send(10)
            if answer.getErrorCode() != 0:
                errors.append(f"write {index}/{round_number}: {answer.getErrorCode()} {answer.getErrorMessage()}")
                continue
            # ...then a read that must see exactly this thread's account and last write.
            read = GSRequest(cdc.api_key, cdc.partner_secret, "accounts.getAccountInfo", {"UID": uid})
            read.setAPIDomain(cdc.url)
            response = read.send(10)
            if response.getErrorCode() != 0:
                errors.append(f"read {index}/{round_number}: {response.getErrorCode()} {response.getErrorMessage()}")
                continue
            data = response.getObject("data")
            if (
                response.getString("UID") != uid
                or data.getInt("thread") != index
                or data.getInt("round") != round_number
            ):
                errors.append(f"thread {index} round {round_number} got someone else's answer: {response.getData()}")
            if not SigUtils.validateUserSignature(
                response.getString("UID"),
                response.getString("signatureTimestamp"),
                cdc.partner_secret,
                response.getString("UIDSignature"),
            ):
                errors.append(f"thread {index} round {round_number}: UIDSignature does not validate")
            expected = {"UID": uid, "format": "json", "httpStatusCodes": "false"}  # send() adds these, as before
            if write.getParams().get("UID") != uid or read.getParams() != expected:
                errors.append(f"thread {index}: request parameters changed under it")
            done += 1
        return index, done

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = list(pool.map(worker, range(THREADS)))

    assert errors == []
    assert results == [(i, ROUNDS) for i in range(THREADS)]
    recorded = cdc.requests
    assert len(recorded) == THREADS * ROUNDS * 2
    assert all(r.error_code == 0 for r in recorded), "the server rejected a signature"
    assert len({r.params["nonce"] for r in recorded}) == len(recorded), "nonces must be unique"
    assert pools.cached_count() == 1, "one configuration, one shared client"
    for index, uid in enumerate(uids):
        account = cdc.get_account(uid)
        assert account is not None and account["data"]["thread"] == index
        assert account["data"]["round"] == ROUNDS - 1


def test_concurrent_first_use_builds_one_client_per_configuration(cdc: LocalCDC) -> None:
    uid = cdc.create_account()
    barrier = threading.Barrier(THREADS)
    codes: Dict[int, int] = {}

    def worker(index: int) -> None:
        if index % 2:
            request = GSRequest(
                cdc.api_key, cdc.user_secret, "accounts.getAccountInfo", {"UID": uid}, userKey=cdc.user_key
            )
        else:
            request = GSRequest(cdc.api_key, cdc.partner_secret, "accounts.getAccountInfo", {"UID": uid})
        request.setAPIDomain(cdc.url)
        barrier.wait()
        codes[index] = request.send(10).getErrorCode()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert codes == {i: 0 for i in range(THREADS)}
    assert pools.cached_count() == 2
    modes = {r.auth_mode for r in cdc.requests}
    assert len(modes) == 2
