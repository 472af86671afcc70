"""The pooled REST client for SAP Customer Data Cloud.

```python
from gigya_fast.rest import Client
with Client(api_key, user_key=..., secret=..., data_center="eu1") as cdc:
    r = cdc.call("accounts.getAccountInfo", UID=uid, include="profile,data")
    r["profile"]["email"], r.call_id, r.get("identities[0].provider")
```

Modules, one job each: :mod:`.routing` (data centers, URLs), :mod:`.auth`
(credentials on the wire), :mod:`.clock` (time, nonces), :mod:`.prepare`
(signed request bytes), :mod:`.envelope` / :mod:`.response` (reading
answers), :mod:`.body` (size-limited decoding), :mod:`.retry` (when to
resend), :mod:`.attempts` (the attempt loop, shared with the async client),
:mod:`.base` (options both clients share), :mod:`.environment` (proxies and
CAs from the environment), :mod:`.search` (cursor paging), :mod:`.batch`
(many calls), :mod:`.tls` / :mod:`.deadline` / :mod:`.transport` (urllib3
pools), :mod:`.client` (the blocking driver). Only :mod:`.tls`,
:mod:`.deadline`, :mod:`.transport` and :mod:`.client` do I/O.
"""

from __future__ import annotations

from .attempts import AttemptEvent
from .auth import make_bearer_jwt
from .base import DEFAULT_TIMEOUT
from .batch import CallSpec
from .client import Client
from .clock import Clock, new_nonce
from .envelope import read_response
from .prepare import PreparedRequest, RequestBuilder
from .response import Response
from .retry import RetryPolicy, is_read_method
from .routing import DATA_CENTERS, resolve_api_domain

__all__ = [
    "Client",
    "Response",
    "RetryPolicy",
    "AttemptEvent",
    "CallSpec",
    "DEFAULT_TIMEOUT",
    "DATA_CENTERS",
    "make_bearer_jwt",
    "resolve_api_domain",
    "is_read_method",
    "read_response",
    "PreparedRequest",
    "RequestBuilder",
    "Clock",
    "new_nonce",
]
