"""``gigya_fast.testing``: a real local CDC-compatible HTTP(S) server for tests.

::

    from gigya_fast.testing import LocalCDC

    with LocalCDC(seed_accounts=3) as cdc:          # tls=True / mtls=True for HTTPS
        client = Client(base_url=cdc.url, ...)     # credentials: cdc.api_key, cdc.user_key, cdc.user_secret
        cdc.faults.add("accounts.getAccountInfo", error_code=500001, times=2)
        ...
        assert cdc.requests[-1].auth_mode == "user_sig"

        uid = cdc.create_account({"email": "ada@example.com"}, password="pw", tfa=True)
        ...                                        # accounts.login -> 403101 + regToken
        code = cdc.outbox.last_code("ada@example.com")   # the emailed two-factor code

Login flows (docs/protocol.md section 11): ``accounts.login``, sessions
(``login_token`` or the ``glt_<apiKey>`` cookie) for getAccountInfo,
setAccountInfo, getJWT and logout, registration (initRegistration, register,
finalizeRegistration) with the 206001/206002 pending states, and two-factor
verification by email (403101, ``accounts.tfa.*``, ``webSdkBootstrap``
device cookies). :meth:`LocalCDC.reset` returns a server to a clean state, as
the pytest plugin's ``local_cdc`` fixture does before each test.

It listens on 127.0.0.1 only. Plain HTTP and HMAC authentication need nothing
beyond the standard library; TLS needs the ``testing`` extra (trustme,
cryptography); JWT features need ``cryptography`` and raise
``MissingDependencyError`` without it (over the wire: error 500001).

Error codes where CDC's exact choice is not documented, and what the server
answers: unknown method -> 400096 "Not supported"; unknown userKey or an
invalid/expired OAuth2 access token -> 403005 "Unauthorized user"; wrong
secret sent in clear -> 403003; invalid JWT bearer (bad key, unknown kid,
not RS256, no jti) -> 400008, its ``iat`` outside the window -> 403002, a reused
``jti`` -> 403004; unknown UID -> 403047 "Not found"; existing UID on import
-> 400003; bad query, unknown/expired cursorId, stale signatureTimestamp in
exchangeUIDSignature -> 400006; malformed HTTP, bad body or a body over
``max_body`` -> 400001; an invalid, expired or logged-out login_token ->
403005; a login_token acting on another UID or setting server-only fields
-> 403007; an unknown, expired or used regToken, gigyaAssertion, phvToken or
providerAssertion, and a wrong two-factor code -> 400006. ``/oauth2/token`` errors carry both the CDC fields and
the OAuth2 ``error``/``error_description`` with HTTP 400/401.
"""

from __future__ import annotations

from .envelope import CDCError
from .faults import MALFORMED_KINDS, Fault, FaultPlan
from .outbox import Outbox, OutboxMessage
from .records import RecordedRequest
from .server import HOST, LocalCDC
from .webhooks import EVENT_TYPES, Delivery, Webhook

__all__ = [
    "LocalCDC",
    "HOST",
    "RecordedRequest",
    "Fault",
    "FaultPlan",
    "MALFORMED_KINDS",
    "Webhook",
    "Delivery",
    "EVENT_TYPES",
    "CDCError",
    "Outbox",
    "OutboxMessage",
]
