"""The demo's async step against a real LocalCDC (HTTPS): every check passes,
nothing is written, and an unreachable server gives failed rows, not a crash."""

from __future__ import annotations

from typing import Any

from gigya_fast.cli.demo_async import aio_available, run_async_checks


def test_every_async_check_passes(cdc_tls: Any) -> None:
    assert aio_available()
    rows = run_async_checks(cdc_tls.url, cdc_tls.api_key, user_key=cdc_tls.user_key, secret=cdc_tls.user_secret,
                            ca_path=cdc_tls.ca_path, concurrency=4, page_size=2)
    assert [name for name, _, _, _ in rows] == [
        "async cursor search (AsyncClient)",
        "async read back (AsyncClient.call_many)",
        "async typed error (AsyncClient)",
    ]
    assert all(ok for _, ok, _, _ in rows), rows
    assert all(seconds >= 0 and detail for _, _, seconds, detail in rows)
    assert "5 accounts" in rows[0][3]
    methods = {r.method for r in cdc_tls.requests}
    assert methods == {"accounts.search", "accounts.getAccountInfo"}  # reads only


def test_failures_are_rows_not_exceptions(cdc_tls: Any) -> None:
    rows = run_async_checks("https://127.0.0.1:9", cdc_tls.api_key, secret=cdc_tls.partner_secret,
                            ca_path=cdc_tls.ca_path)
    assert rows and not any(ok for _, ok, _, _ in rows)
    assert "ConnectionFailedError" in rows[0][3]
    bad = run_async_checks("https://127.0.0.1:9", cdc_tls.api_key, secret="not base64!")
    assert len(bad) == 1 and not bad[0][1]
