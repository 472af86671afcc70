"""The demo's login hot path: what a site does when its users sign in through CDC.

Users register and log in through the real pooled :class:`~gigya_fast.rest.Client`
as a front end calls CDC (API key only); the backend validates each login's
``UIDSignature`` (one with ``validate_user_signature``, all of them in one
``Signer.validate_users`` batch, forgeries rejected), turns a login token into
an id_token and verifies it against the JWKS (``jwt`` extra), and one user
flagged for two-factor verification completes the email flow with the code
from the server's outbox.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, Tuple

from .. import Signer, validate_user_signature
from ..errors import GigyaError

if TYPE_CHECKING:
    from ..rest import Client, Response
    from ..testing import LocalCDC
    from .demo import Report

__all__ = ["login_checks"]

_PASSWORD = "demo-Passw0rd-%d"  # noqa: S105 - throwaway demo users on a local test server


def _set_cookie(response: Response, name: str) -> str:
    headers: Any = response.headers
    lines = (
        headers.getlist("Set-Cookie") if hasattr(headers, "getlist") else str(headers.get("Set-Cookie", "")).split(", ")
    )
    for line in lines:
        key, _, value = line.split(";", 1)[0].partition("=")
        if key.strip() == name:
            return value.strip()
    raise KeyError(f"no {name} cookie in the answer")


def login_checks(report: Report, cdc: LocalCDC, client: Client, users: int, workers: int, use_jwt: bool) -> None:
    """Run the login-path checks into *report*; *client* is the backend's signed client."""
    from ..rest import Client

    emails = ["login%d@example.com" % i for i in range(users)]
    logins: List[Any] = []
    with Client(cdc.api_key, auth="anonymous", base_url=cdc.url, ca_certs=cdc.ca_path, trust_env=False) as front:

        def register_and_log_in() -> Tuple[bool, str]:
            for i, email in enumerate(emails):
                reg_token = front.call("accounts.initRegistration")["regToken"]
                profile = {"firstName": "Login%d" % i}
                front.call(
                    "accounts.register",
                    regToken=reg_token,
                    email=email,
                    password=_PASSWORD % i,
                    profile=profile,
                    finalizeRegistration=True,
                )
            calls = [("accounts.login", {"loginID": e, "password": _PASSWORD % i}) for i, e in enumerate(emails)]
            logins.extend(front.call_many(calls, max_workers=workers, raise_on_error=True))
            ok = len(logins) == users and all(r.get("sessionInfo.cookieValue") for r in logins)
            return ok, "%d users registered, %d sessions" % (users, len(logins))

        def one_signature() -> Tuple[bool, str]:
            first = logins[0]
            ok = validate_user_signature(
                first["UID"], first["signatureTimestamp"], cdc.partner_secret, first["UIDSignature"]
            )
            signature = first["UIDSignature"]
            altered = ("B" if signature[0] == "A" else "A") + signature[1:]  # always differs from the original
            forged = validate_user_signature(first["UID"], first["signatureTimestamp"], cdc.partner_secret, altered)
            return ok and not forged, "UIDSignature of %s valid, a forged one rejected" % first["UID"]

        def batch_signatures() -> Tuple[bool, str]:
            signer = Signer(cdc.partner_secret)
            uids = [r["UID"] for r in logins]
            stamps = [r["signatureTimestamp"] for r in logins]
            signatures = [r["UIDSignature"] for r in logins]
            good = signer.validate_users(uids, stamps, signatures)
            swapped = signer.validate_users(uids, stamps, signatures[1:] + signatures[:1])
            ok = all(good) and (users < 2 or not any(swapped))
            return ok, "%d valid in one batch, %d swapped rejected" % (sum(good), len(swapped) - sum(swapped))

        def id_token() -> Tuple[bool, str]:
            from ..jwt import JWKSCache, verify_id_token

            first = logins[0]
            token = first["sessionInfo"]["cookieValue"]
            # The user's session, as a browser-side app holds it: API key + login token, nothing signed.
            user = Client(cdc.api_key, login_token=token, base_url=cdc.url, ca_certs=cdc.ca_path, trust_env=False)
            with user:
                answer = user.call("accounts.getJWT", fields="profile.firstName", expiration=300)
            claims = verify_id_token(answer["id_token"], api_key=cdc.api_key, jwks=JWKSCache.from_client(client))
            ok = claims.get("sub") == first["UID"] and claims.get("firstName") == "Login0"
            return ok, "login token -> RS256 id_token for %s verified" % first["UID"]

        def two_factor() -> Tuple[bool, str]:
            return _two_factor(cdc, front)

        report.check("register + log in users (Client)", register_and_log_in)
        if logins:
            report.check("login UIDSignature (validate_user_signature)", one_signature)
            report.check("login UIDSignatures (Signer.validate_users)", batch_signatures)
            if use_jwt:
                report.check("id_token from the login token (getJWT)", id_token)
            else:
                report.skip("id_token from the login token (getJWT)", "jwt")
        report.check("two-factor login by email (outbox code)", two_factor)


def _two_factor(cdc: LocalCDC, front: Client) -> Tuple[bool, str]:
    email, password = "tfa@example.com", "demo-Tfa-Passw0rd"
    uid = cdc.create_account({"email": email, "firstName": "Tfa"}, password=password, tfa=True)
    pending = front.call("accounts.login", loginID=email, password=password, raise_on_error=False)
    if pending.error_code != 403101:
        return False, "login answered %s, not 403101" % pending.error_code
    reg_token = pending["regToken"]
    gmid = _set_cookie(front.call("accounts.webSdkBootstrap"), "gmid")
    assertion = front.call("accounts.tfa.initTFA", regToken=reg_token, provider="gigyaEmail", mode="verify")[
        "gigyaAssertion"
    ]
    emails: List[Dict[str, str]] = front.call("accounts.tfa.email.getEmails", gigyaAssertion=assertion)["emails"]
    phv_token = front.call(
        "accounts.tfa.email.sendVerificationCode", gigyaAssertion=assertion, emailID=emails[0]["id"]
    )["phvToken"]
    try:
        front.call("accounts.tfa.email.completeVerification", gigyaAssertion=assertion, phvToken=phv_token, code="x")
        return False, "a wrong code was accepted"
    except GigyaError as exc:
        if exc.error_code != 400006:
            raise
    code = cdc.outbox.last_code(email)
    provider_assertion = front.call(
        "accounts.tfa.email.completeVerification", gigyaAssertion=assertion, phvToken=phv_token, code=code
    )["providerAssertion"]
    front.call(
        "accounts.tfa.finalizeTFA",
        gigyaAssertion=assertion,
        providerAssertion=provider_assertion,
        regToken=reg_token,
        gmid=gmid,
    )
    session = front.call("accounts.finalizeRegistration", regToken=reg_token)
    again = front.call("accounts.login", loginID=email, password=password, gmid=gmid)
    ok = session["UID"] == uid and again["UID"] == uid and bool(again.get("sessionInfo.cookieValue"))
    return ok, "403101 -> code to %s -> session; device remembered" % emails[0]["obfuscated"]
