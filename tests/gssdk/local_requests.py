"""The ``GSRequest`` most tests here send: signed with a LocalCDC's partner credentials, to that server."""

from __future__ import annotations

from typing import Any, Mapping, Type, Union

from gigya_fast.GSSDK import GSRequest
from gigya_fast.testing import LocalCDC

Params = Union[None, str, Mapping[str, Any]]


def request_to(
    cdc: LocalCDC, method: str = "accounts.getAccountInfo", params: Params = None, *, cls: Type[GSRequest] = GSRequest
) -> GSRequest:
    """``cls(api_key, partner_secret, method, params)`` with ``setAPIDomain(cdc.url)``; *params* as the
    original took them (a mapping, JSON text or None)."""
    request = cls(cdc.api_key, cdc.partner_secret, method, params)
    request.setAPIDomain(cdc.url)
    return request
