"""Two-factor verification by email, in the order CDC's clients call it:

``accounts.tfa.initTFA`` (``regToken``, ``provider=gigyaEmail``, ``mode=verify``)
-> ``gigyaAssertion``; ``accounts.tfa.email.getEmails`` -> ``emails`` as
``{id, obfuscated}``; ``accounts.tfa.email.sendVerificationCode`` (``emailID``)
-> ``phvToken``, the six-digit code put in the server's outbox;
``accounts.tfa.email.completeVerification`` (``phvToken``, ``code``) ->
``providerAssertion`` (a wrong code is 400006 and may be retried, up to five
times per code); ``accounts.tfa.finalizeTFA`` (``gigyaAssertion``,
``providerAssertion``, ``regToken``) marks the regToken verified and trusts
the caller's device (``gmid``: 30 days, or one hour with ``tempDevice=true``).
``accounts.finalizeRegistration`` with the regToken then opens the session,
and so does ``accounts.login`` again from the trusted device.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any, Callable, Dict, List, Mapping, Tuple

from .accounts_login import device_id, pending_of
from .call import Call, account_or_404
from .envelope import CDCError
from .outbox import OutboxMessage
from .sessions import REG_TOKEN_TTL
from .tfa_tokens import Assertion

__all__ = ["HANDLERS", "obfuscate"]

_PROVIDER = "gigyaEmail"


def obfuscate(email: str) -> str:
    """``someone@example.com`` -> ``s*****e@example.com``, as a login screen shows it."""
    name, _, domain = email.partition("@")
    hidden = name[0] + "*" * max(len(name) - 2, 1) + (name[-1] if len(name) > 1 else "")
    return f"{hidden}@{domain}"


def _email_id(uid: str, email: str) -> str:
    return hashlib.sha256(f"{uid}\n{email.lower()}".encode()).hexdigest()[:24]


def _emails(call: Call, uid: str) -> List[str]:
    account = account_or_404(call, uid)
    emails = account.get("emails")
    listed = emails.get("verified") if isinstance(emails, dict) else None
    if listed:
        return [str(e) for e in listed]
    email = account.get("profile", {}).get("email")
    return [str(email)] if email else []


def _assertion(call: Call) -> Tuple[str, Assertion]:
    return call.live("gigyaAssertion", call.state.tfa.assertion)


def init_tfa(call: Call) -> Dict[str, Any]:
    """accounts.tfa.initTFA: a ``gigyaAssertion`` for the account of ``regToken``."""
    token, pending = pending_of(call)
    provider, mode = call.require("provider"), call.require("mode")
    if provider != _PROVIDER:
        raise CDCError(400006, f"Invalid parameter value: provider: only {_PROVIDER} is supported here")
    if mode != "verify":
        raise CDCError(400006, "Invalid parameter value: mode: only verify is supported here")
    if pending.uid is None:
        raise CDCError(400006, "Invalid parameter value: regToken has no account")
    assertion = Assertion(token, pending.uid, provider, mode)
    return {"gigyaAssertion": call.state.tfa.new_assertion(assertion, call.state.now())}


def get_providers(call: Call) -> Dict[str, Any]:
    """accounts.tfa.getProviders: email is the one active provider."""
    pending_of(call)
    return {"activeProviders": [{"name": _PROVIDER, "authLevel": 20}], "inactiveProviders": []}


def get_emails(call: Call) -> Dict[str, Any]:
    """accounts.tfa.email.getEmails: the account's verified addresses as ``{id, obfuscated}``."""
    _, assertion = _assertion(call)
    return {
        "emails": [
            {"id": _email_id(assertion.uid, e), "obfuscated": obfuscate(e)} for e in _emails(call, assertion.uid)
        ]
    }


def send_verification_code(call: Call) -> Dict[str, Any]:
    """accounts.tfa.email.sendVerificationCode: a code to ``emailID`` (into the outbox) and its ``phvToken``."""
    token, assertion = _assertion(call)
    wanted = call.require("emailID")
    for email in _emails(call, assertion.uid):
        if hmac.compare_digest(_email_id(assertion.uid, email), wanted):
            break
    else:
        raise CDCError(400006, "Invalid parameter value: emailID is not an address of this account")
    now = call.state.now()
    phv_token, code = call.state.tfa.new_challenge(token, email, now)
    body = f"Your verification code is {code}. It expires in 5 minutes."
    call.state.outbox.put(OutboxMessage(email, "Your verification code", "tfa", assertion.uid, code, body, now))
    return {"phvToken": phv_token}


def complete_verification(call: Call) -> Dict[str, Any]:
    """accounts.tfa.email.completeVerification: the right ``code`` gives a ``providerAssertion``."""
    token, _ = _assertion(call)
    phv_token, code = call.require("phvToken"), call.require("code")
    now = call.state.now()
    right = call.state.tfa.try_code(phv_token, token, code, now)
    if right is None:
        raise CDCError(400006, "Invalid parameter value: phvToken is unknown, expired or used up: send a new code")
    if not right:
        raise CDCError(400006, "Invalid parameter value: wrong verification code")
    return {"providerAssertion": call.state.tfa.new_provider_assertion(token, now)}


def finalize_tfa(call: Call) -> Dict[str, Any]:
    """accounts.tfa.finalizeTFA: the regToken counts as verified; the device is trusted."""
    state = call.state
    token, assertion = _assertion(call)
    reg_token, pending = pending_of(call)
    if not hmac.compare_digest(reg_token, assertion.reg_token) or pending.uid != assertion.uid:
        raise CDCError(400006, "Invalid parameter value: regToken does not belong to this gigyaAssertion")
    now = state.now()
    if not state.tfa.redeem_provider_assertion(call.require("providerAssertion"), token, now):
        raise CDCError(400006, "Invalid parameter value: providerAssertion is invalid, expired or used")
    pending.tfa_verified = True
    state.tfa.assertions.pop(token)
    gmid = device_id(call) or pending.gmid
    if gmid:
        ttl = REG_TOKEN_TTL if call.flag("tempDevice") else state.settings.device_ttl
        state.devices.remember(assertion.uid, gmid, now + ttl)
    return {}


HANDLERS: Dict[str, Callable[[Call], Mapping[str, Any]]] = {
    "accounts.tfa.initTFA": init_tfa,
    "accounts.tfa.getProviders": get_providers,
    "accounts.tfa.email.getEmails": get_emails,
    "accounts.tfa.email.sendVerificationCode": send_verification_code,
    "accounts.tfa.email.completeVerification": complete_verification,
    "accounts.tfa.finalizeTFA": finalize_tfa,
}
