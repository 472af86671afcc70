"""The REST client tests' LocalCDC fixtures, for the async-only tests."""

from __future__ import annotations

from ..client.conftest import _cdc_http, _cdc_tls, cdc, cdc_tls, fast_retries

__all__ = ["_cdc_http", "_cdc_tls", "cdc", "cdc_tls", "fast_retries"]
