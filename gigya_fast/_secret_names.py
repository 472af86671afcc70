"""The names of parameters, fields and headers whose values are secrets (lower case).

One list for everything that writes requests down: the drop-in's trace
(``_gssdk.trace``) and the test server's request log (``testing.records``).
Credentials, every token and code of the session, registration and two-factor
flows, signatures, and what answers carry. Imports nothing of the package.
"""

from __future__ import annotations

__all__ = ["SECRET_NAMES"]

SECRET_NAMES = frozenset(
    {
        # credentials a request may carry
        "password",
        "newpassword",
        "oldpassword",
        "passwordresettoken",
        "vtoken",
        "code",
        "authcode",
        "idtoken",
        "id_token",
        "logintoken",
        "login_token",
        "regtoken",
        "gigyaassertion",
        "providerassertion",
        "phvtoken",
        "sctoken",
        "oauth_token",
        "access_token",
        "refresh_token",
        "secret",
        "secretkey",
        "client_secret",
        "securityanswer",
        "privatekey",
        "private_key",
        "authorization",
        "cookie",
        # signatures, and what answers carry
        "sig",
        "signature",
        "uidsignature",
        "friendshipsignature",
        "sessionsecret",
        "sessiontoken",
        "cookievalue",
    }
)
