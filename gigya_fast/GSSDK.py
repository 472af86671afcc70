"""Drop-in replacement for SAP's ``GSSDK.py``: change one import and keep your code.

.. code-block:: python

    # before: from GSSDK import *
    from gigya_fast.GSSDK import *

    request = GSRequest(apiKey, secretKey, "accounts.getAccountInfo", {"UID": uid})
    response = request.send()
    if response.getErrorCode() == 0:
        print(response.getObject("profile"))

Same classes and method names as the original (``GSRequest``, ``GSResponse``,
``GSObject``, ``GSException``, ``SigUtils``), built on gigya_fast's signing
kernels and pooled, thread-safe client. What differs, and why, is listed in
``docs/migrating.md``: HTTPS by default, signature expiry checked by default
(300 s), connection reuse, ``true``/``false`` for booleans, constant-time
signature checks, no secrets in ``getLog()``, and the original's bugs fixed.
"""

from __future__ import annotations

from ._gssdk.exceptions import GSException, GSKeyNotFoundException
from ._gssdk.gsobject import GSObject
from ._gssdk.request import DEFAULT_API_DOMAIN, GSRequest
from ._gssdk.response import GSResponse
from ._gssdk.sigutils import DEFAULT_SIGNATURE_EXPIRATION, SigUtils

__all__ = [
    "GSRequest",
    "GSResponse",
    "GSObject",
    "GSException",
    "GSKeyNotFoundException",
    "SigUtils",
    "DEFAULT_API_DOMAIN",
    "DEFAULT_SIGNATURE_EXPIRATION",
]
