"""Logging in: ``accounts.login``, ``accounts.logout``, ``accounts.webSdkBootstrap``,
and what every flow that ends in a session shares (the pending-state gate and
the session answer).

A session answer carries ``sessionInfo`` (``cookieName`` ``glt_<apiKey>``,
``cookieValue`` the login token), ``UID``, ``UIDSignature``,
``signatureTimestamp`` and the account fields ``include`` asks for (default
``profile``). Before a session is opened the gate checks, in this order: the
registration was finalised (else 206001), the email is verified when the site
requires it (else 206002), and a two-factor account comes from a trusted
device or finished the two-factor flow in this regToken (else 403101). Each
pending answer carries a ``regToken`` that continues the flow.
"""

from __future__ import annotations

import secrets
from typing import Any, Callable, Dict, Mapping, Tuple

from .call import Call, account_or_404, account_view, user_signature
from .envelope import CDCError
from .sessions import REG_TOKEN_TTL, PendingLogin

__all__ = ["HANDLERS", "open_session", "check_gate", "device_id", "invalid_login", "pending_of", "change_password"]

_DEFAULT_INCLUDE = "profile"
_MAX_SESSION = 10 * 365 * 86400
_DEVICE_COOKIE_AGE = 365 * 86400


def device_id(call: Call) -> str | None:
    """The caller's device (``gmid``): the parameter, else the cookie."""
    return call.params.get("gmid") or call.cookies.get("gmid") or None


def pending_of(call: Call) -> Tuple[str, PendingLogin]:
    """The call's ``regToken`` and what it stands for; 400006 when unknown or expired."""
    return call.live("regToken", call.state.reg_tokens.pending)


def invalid_login() -> CDCError:
    """403042, the same for an unknown loginID and a wrong password."""
    return CDCError(403042, "invalid loginID or password", message="Invalid LoginID")


def _pending(call: Call, code: str, uid: str, reg_token: str | None, extra: Mapping[str, Any]) -> CDCError:
    token = reg_token or call.state.reg_tokens.issue(uid, call.state.now(), device_id(call))
    messages = {
        "206001": ("Account Pending Registration", "registration is not finalized: call accounts.finalizeRegistration"),
        "206002": ("Account Pending Verification", "the email address is not verified"),
        "403101": ("Account Pending TFA Verification", "Pending Two-Factor Authentication"),
    }
    message, details = messages[code]
    return CDCError(int(code), details, message=message, extra={"regToken": token, **extra})


def check_gate(call: Call, uid: str, pending: PendingLogin | None = None, reg_token: str | None = None) -> None:
    """Raise the pending-state error that keeps *uid* from a session, if any (see the module doc)."""
    state = call.state
    account = account_or_404(call, uid)
    if not account.get("isRegistered", True):
        raise _pending(call, "206001", uid, reg_token, {})
    if state.settings.require_email_verification and not account.get("isVerified"):
        raise _pending(call, "206002", uid, reg_token, {})
    if state.logins.needs_tfa(uid):
        verified = pending is not None and pending.tfa_verified
        if not verified and not state.devices.trusted(uid, device_id(call), state.now()):
            extra = {"UID": uid, "sessionInfo": {"expires_in": str(int(REG_TOKEN_TTL))}}
            raise _pending(call, "403101", uid, reg_token, extra)


def open_session(call: Call, uid: str) -> Dict[str, Any]:
    """Start a session for *uid* and build the answer (see the module doc)."""
    state = call.state
    seconds = call.integer("sessionExpiration", 0, -2, _MAX_SESSION)  # 0, -1, -2: CDC's browser-bound kinds
    token = state.sessions.issue(uid, state.now(), seconds if seconds > 0 else state.settings.session_ttl)
    account = state.store.mark_login(uid)
    answer = account_view(account, call.params.get("include") or _DEFAULT_INCLUDE)
    answer.update(user_signature(call, uid))
    answer["sessionInfo"] = {"cookieName": f"glt_{state.api_key}", "cookieValue": token}
    state.emit("accountLoggedIn", uid, call.call_id)
    return answer


def login(call: Call) -> Dict[str, Any]:
    """accounts.login: ``loginID`` + ``password`` -> a session, a pending state, or 403042."""
    login_id, password = call.require("loginID"), call.require("password")
    uid = call.state.logins.verify(login_id, password)
    if uid is None or call.state.store.get(uid) is None:
        raise invalid_login()
    check_gate(call, uid)
    return open_session(call, uid)


def change_password(call: Call, uid: str, new_password: str) -> None:
    """Set a new password for *uid*; a login session must also send the current one (403042 when wrong)."""
    account_or_404(call, uid)
    if call.auth.uid is not None and not call.state.logins.check(uid, call.require("password")):
        raise invalid_login()
    call.state.logins.set_password(uid, new_password)


def logout(call: Call) -> Dict[str, Any]:
    """accounts.logout: with a login_token, end that session; with server credentials, every session of ``UID``."""
    if call.auth.login_token is not None:
        call.state.sessions.end(call.auth.login_token)
        return {}
    uid = call.require("UID")
    account_or_404(call, uid)
    call.state.sessions.end_all(uid)
    return {}


def web_sdk_bootstrap(call: Call) -> Dict[str, Any]:
    """accounts.webSdkBootstrap: set the ``gmid``/``ucid`` device cookies (kept when the caller has them)."""
    gmid = call.cookies.get("gmid") or secrets.token_urlsafe(24)
    ucid = call.cookies.get("ucid") or secrets.token_urlsafe(16)
    secure = "; Secure" if call.state.settings.scheme == "https" else ""
    for name, value in (("gmid", gmid), ("ucid", ucid), ("hasGmid", "ver4")):
        cookie = f"{name}={value}; Path=/; Max-Age={_DEVICE_COOKIE_AGE}; HttpOnly; SameSite=Lax{secure}"
        call.response_headers.append(("Set-Cookie", cookie))
    return {}


HANDLERS: Dict[str, Callable[[Call], Mapping[str, Any]]] = {
    "accounts.login": login,
    "accounts.logout": logout,
    "accounts.webSdkBootstrap": web_sdk_bootstrap,
}
