"""The asyncio client for SAP Customer Data Cloud (the ``aio`` extra: aiohttp).

```python
from gigya_fast.aio import AsyncClient
async with AsyncClient(api_key, user_key=..., secret=..., data_center="eu1") as cdc:
    r = await cdc.call("accounts.getAccountInfo", UID=uid, include="profile")
    answers = await cdc.call_many([("accounts.getAccountInfo", {"UID": u}) for u in uids], concurrency=32)
    async for account in cdc.search("SELECT UID FROM accounts"):
        ...
```

The same options, answers, typed errors and retry rules as
:class:`gigya_fast.rest.Client`: both run one I/O-free attempt loop
(:mod:`gigya_fast.rest.attempts`). ``import gigya_fast`` never imports this
package (nor aiohttp); importing it without aiohttp raises
``MissingDependencyError`` naming the extra.
"""

from __future__ import annotations

from ..errors import MissingDependencyError

try:
    import aiohttp  # noqa: F401
except ImportError:  # pragma: no cover - exercised in a subprocess without aiohttp
    raise MissingDependencyError(
        "gigya_fast.aio needs aiohttp: pip install 'gigya_fast[aio]'"
    ) from None

from .client import AsyncClient  # noqa: E402

__all__ = ["AsyncClient"]
