"""The tokens of the two-factor flow by email, as the local server keeps them.

``gigyaAssertion`` (from ``accounts.tfa.initTFA``) ties the flow to a
regToken; ``phvToken`` (from ``accounts.tfa.email.sendVerificationCode``) to
one code sent to one address; ``providerAssertion`` (from
``accounts.tfa.email.completeVerification``) proves the code was right. CDC's
assertions are JWTs; here they are opaque random strings, which is all a
client may assume of them.
"""

from __future__ import annotations

import hmac
import secrets
import threading
from dataclasses import dataclass, field
from typing import Tuple

from .sessions import REG_TOKEN_TTL, ExpiringMap, new_token

__all__ = ["TFATokens", "Assertion", "CodeChallenge", "CODE_TTL", "MAX_CODE_ATTEMPTS"]

#: Seconds a code sent by email stays valid.
CODE_TTL = 300.0
#: Wrong codes accepted for one phvToken before it is void.
MAX_CODE_ATTEMPTS = 5


@dataclass(frozen=True)
class Assertion:
    """A ``gigyaAssertion``: the regToken and UID of the flow, the provider and the mode."""

    reg_token: str = field(repr=False)
    uid: str
    provider: str
    mode: str


@dataclass
class CodeChallenge:
    """A code sent by email (``phvToken``): which assertion asked, to which address."""

    assertion: str = field(repr=False)
    email: str
    code: str = field(repr=False)
    attempts: int = 0


class TFATokens:
    """Assertions, code challenges and provider assertions, each expiring on its own."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.assertions = ExpiringMap()
        self.challenges = ExpiringMap()
        self.provider_assertions = ExpiringMap()

    def __repr__(self) -> str:
        return f"<TFATokens assertions={len(self.assertions)} challenges={len(self.challenges)}>"

    def new_assertion(self, assertion: Assertion, now: float) -> str:
        """A ``gigyaAssertion`` for *assertion* (valid as long as a regToken)."""
        self.assertions.sweep(now)
        token = new_token("")
        self.assertions.put(token, assertion, now + REG_TOKEN_TTL)
        return token

    def assertion(self, token: str, now: float) -> Assertion | None:
        """The live assertion, or ``None``."""
        found = self.assertions.get(token, now)
        return found if isinstance(found, Assertion) else None

    def new_challenge(self, assertion: str, email: str, now: float) -> Tuple[str, str]:
        """A fresh six-digit code for *email*: ``(phvToken, code)``."""
        self.challenges.sweep(now)
        code = f"{secrets.randbelow(1_000_000):06d}"
        token = new_token("")
        self.challenges.put(token, CodeChallenge(assertion, email, code), now + CODE_TTL)
        return token, code

    def try_code(self, phv_token: str, assertion: str, code: str, now: float) -> bool | None:
        """Check *code*: True when right (the challenge is used up), False when wrong (retry
        allowed up to :data:`MAX_CODE_ATTEMPTS`), ``None`` when the phvToken is unknown,
        expired, used up or not from *assertion*."""
        found = self.challenges.get(phv_token, now)
        if not isinstance(found, CodeChallenge) or not hmac.compare_digest(found.assertion, assertion):
            return None
        with self._lock:
            if found.attempts >= MAX_CODE_ATTEMPTS:
                return None
            found.attempts += 1
            right = hmac.compare_digest(found.code.encode(), code.encode("utf-8", "replace"))
        if right or found.attempts >= MAX_CODE_ATTEMPTS:  # used up either way
            self.challenges.pop(phv_token)
        return right

    def new_provider_assertion(self, assertion: str, now: float) -> str:
        """A ``providerAssertion`` proving the code of *assertion* was right."""
        token = new_token("")
        self.provider_assertions.put(token, assertion, now + CODE_TTL)
        return token

    def redeem_provider_assertion(self, token: str, assertion: str, now: float) -> bool:
        """True (once) when *token* proves the code of *assertion*."""
        found = self.provider_assertions.get(token, now)
        if not isinstance(found, str) or not hmac.compare_digest(found, assertion):
            return False
        return self.provider_assertions.pop(token)

    def clear(self) -> None:
        """Forget every token."""
        self.assertions.clear()
        self.challenges.clear()
        self.provider_assertions.clear()
