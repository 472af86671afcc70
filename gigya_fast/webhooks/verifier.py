"""``WebhookVerifier``: check CDC webhook signatures, replay window and duplicates.

A notification may carry ``X-Gigya-Sig-Hmac-Sha1`` (base64 HMAC-SHA1 of the
raw body, keyed with the base64-decoded partner or user-key secret) and, for
webhooks v2.0, ``X-Gigya-Sig-JWT`` (an RS256 JWT whose ``jti`` is the body's
nonce and ``sub`` the SHA-256 of the raw body). Every present header whose
check is configured must verify; the ``require`` policy says which must be
present. Batches go through the compiled HMAC kernel in one call.
"""

from __future__ import annotations

import time
from typing import Any, Dict, FrozenSet, Iterable, List, Mapping, Sequence, Tuple, Union

from .._checks_py import Number, _check_threads
from .._signing import Signer
from ..errors import ConfigurationError, SignatureError
from ..jwt._keys import key_source
from ..jwt._times import optional_seconds, seconds
from ..jwt._verify import DEFAULT_LEEWAY, decode_verified, decode_verified_async, issuer_for
from ._batch import BatchSteps, verify_many_fast, verify_many_general
from ._body import body_timestamp, parse_body, timestamp_field
from ._common import (
    _E_EMPTY,
    _E_HMAC,
    _E_NO_HMAC,
    _E_NO_JWT,
    _E_NO_SIG,
    _E_STALE,
    _E_TOO_BIG,
    _VIA_BOTH,
    _VIA_HMAC,
    _VIA_JWT,
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_TOLERANCE,
    HMAC_HEADER,
    JWT_HEADER,
    REQUIRE_POLICIES,
    Item,
    _body_bytes,
    get_header,
    with_next_secrets,
)
from ._jwt_header import body_for_claims
from .dedupe import DedupeStore, MemoryDedupeStore
from .notification import Notification

__all__ = [
    "HMAC_HEADER",
    "JWT_HEADER",
    "DEFAULT_MAX_BODY_BYTES",
    "DEFAULT_TOLERANCE",
    "REQUIRE_POLICIES",
    "WebhookVerifier",
    "get_header",
]


def _signers_for(secret: str | Sequence[str] | None) -> Tuple[Signer, ...]:
    if secret is None:
        return ()
    if isinstance(secret, (str, bytes)):
        return (Signer(secret),)  # a wrong type (bytes...) gets Signer's own error
    if not isinstance(secret, Sequence):
        raise TypeError(f"secret must be a str or a sequence of str, not {type(secret).__name__}")
    if not secret:
        raise ConfigurationError("secret: an empty sequence of secrets")
    return tuple(Signer(one) for one in secret)


class WebhookVerifier:
    """Verifies CDC webhook notifications.

    :param secret: base64 secret for ``X-Gigya-Sig-Hmac-Sha1`` (partner secret
        or the secret of the webhook's signing user key), or a sequence of them
        while a secret is being rotated: a signature verifies when it matches
        any of them (tried in order, so put the one most traffic uses first).
    :param api_key: the site's API key; required with *jwks* (``iss`` check).
    :param jwks: keys for ``X-Gigya-Sig-JWT``: a :class:`~gigya_fast.jwt.JWKSCache`
        (or anything with ``get_key(kid, data_center)``), a JWKS document, a
        ``kid -> key`` mapping or a ``kid -> key`` callable. A document or
        mapping is read once, here: every key must be usable (else
        ``ConfigurationError``) and later changes to it are not seen.
    :param tolerance: seconds the body ``timestamp`` may differ from now;
        ``None`` turns the replay window off.
    :param dedupe: store used by :meth:`Notification.claim_new_events`; ``None`` means
        a fresh :class:`MemoryDedupeStore`, ``False`` means no deduplication.
        A store that cannot answer (Redis down) raises
        :class:`~gigya_fast.errors.DedupeStoreError`: dedupe fails closed.
    :param require: which signature headers must be present: ``"hmac"``,
        ``"jwt"``, ``"both"`` or ``"any"``. Default: every configured check.
    :param leeway: seconds of clock difference allowed on the JWT ``iat``/``exp``.
    :param max_body_bytes: larger bodies are rejected before any hashing.

    Times and windows (*tolerance*, *leeway*, ``now``) must be finite and
    non-negative: NaN or infinity raise ``ValueError`` instead of opening the
    window. A body is never parsed before a signature has vouched for it.

    Whatever the policy, every present header whose check is configured must
    verify. Failures raise :class:`~gigya_fast.errors.SignatureError` (JWT
    failures its :class:`~gigya_fast.errors.InvalidTokenError` subclasses)
    with a fixed message naming the check; the secret, signatures and body
    never appear in messages or logs. Instances are thread-safe.
    """

    def __init__(
        self,
        secret: str | Sequence[str] | None = None,
        *,
        api_key: str | None = None,
        jwks: object = None,
        tolerance: Number | None = DEFAULT_TOLERANCE,
        dedupe: Union[DedupeStore, None, bool] = None,
        require: str | None = None,
        leeway: Number = DEFAULT_LEEWAY,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    ) -> None:
        self._signers = _signers_for(secret)
        if jwks is not None:
            if not api_key:
                raise ConfigurationError("JWT verification (jwks) needs api_key for the issuer check")
            from .. import _jose

            _jose._crypto()  # MissingDependencyError now rather than on the first notification
            jwks = key_source(jwks)
        self._jwks = jwks
        self._api_key = api_key
        self._issuer = issuer_for(api_key) if api_key else ""  # read only when jwks (and so api_key) is set
        has_hmac, has_jwt = bool(self._signers), jwks is not None
        if require is None:
            if not (has_hmac or has_jwt):
                raise ConfigurationError("WebhookVerifier needs a secret, jwks (with api_key), or both")
            require = "both" if has_hmac and has_jwt else "hmac" if has_hmac else "jwt"
        if require not in REQUIRE_POLICIES:
            raise ConfigurationError(f"require must be one of {', '.join(REQUIRE_POLICIES)}")
        if require in ("hmac", "both") and not has_hmac:
            raise ConfigurationError(f"require={require!r} needs a secret")
        if require in ("jwt", "both") and not has_jwt:
            raise ConfigurationError(f"require={require!r} needs jwks and api_key")
        if require == "any" and not (has_hmac or has_jwt):
            raise ConfigurationError("require='any' needs a secret or jwks")
        self._require = require
        self._need_hmac = require in ("hmac", "both")
        self._need_jwt = require in ("jwt", "both")
        self._tolerance = optional_seconds("tolerance", tolerance)
        self._leeway = seconds("leeway", leeway)
        if isinstance(max_body_bytes, bool) or not isinstance(max_body_bytes, int) or max_body_bytes < 1:
            raise ValueError("max_body_bytes must be a positive int")
        self._max_body = max_body_bytes
        if dedupe is None or dedupe is True:
            self._dedupe: DedupeStore | None = MemoryDedupeStore()
        elif dedupe is False:
            self._dedupe = None
        elif isinstance(dedupe, DedupeStore):
            self._dedupe = dedupe
        else:
            raise TypeError("dedupe must be a DedupeStore, None or False")
        self._ctx_hmac = (_VIA_HMAC, self._dedupe)
        self._ctx_jwt = (_VIA_JWT, self._dedupe)
        self._ctx_both = (_VIA_BOTH, self._dedupe)

    def __repr__(self) -> str:
        checks = sorted(self.checks)
        secrets = f" secrets={len(self._signers)}" if len(self._signers) > 1 else ""
        return f"<WebhookVerifier checks={checks}{secrets} require={self._require!r} tolerance={self._tolerance}>"

    @property
    def require(self) -> str:
        """The header policy in force."""
        return self._require

    @property
    def checks(self) -> FrozenSet[str]:
        """The configured checks: ``"hmac"`` (a secret), ``"jwt"`` (jwks + api_key) or both."""
        return frozenset(name for name, on in (("hmac", bool(self._signers)), ("jwt", self._jwks is not None)) if on)

    @property
    def max_body_bytes(self) -> int:
        """Largest body accepted."""
        return self._max_body

    @property
    def dedupe(self) -> DedupeStore | None:
        """The dedupe store (None when deduplication is off)."""
        return self._dedupe

    # --- one notification ---------------------------------------------------

    def _prepare(self, body: object, headers: object) -> Tuple[bytes, str | None, str | None]:
        """Raw body, HMAC header, JWT header; TypeError on wrong types, SignatureError on policy."""
        raw = _body_bytes(body)
        if not isinstance(headers, Mapping) and not (
            callable(getattr(headers, "get", None)) and hasattr(headers, "__iter__")
        ):
            raise TypeError(f"headers must be a mapping, not {type(headers).__name__}")
        if len(raw) > self._max_body:
            raise SignatureError(_E_TOO_BIG)
        if not raw:
            raise SignatureError(_E_EMPTY)
        sig = get_header(headers, HMAC_HEADER) if self._signers else None
        token = get_header(headers, JWT_HEADER) if self._jwks is not None else None
        if sig is not None:
            sig = sig.strip()
        if token is not None:
            token = token.strip()
        if self._need_hmac and sig is None:
            raise SignatureError(_E_NO_HMAC)
        if self._need_jwt and token is None:
            raise SignatureError(_E_NO_JWT)
        if sig is None and token is None:
            raise SignatureError(_E_NO_SIG)
        return raw, sig, token

    def _finish(
        self,
        raw: bytes,
        headers: Mapping[str, str],
        sig: str | None,
        hmac_ok: bool,
        token: str | None,
        now: Number | None,
        claims: Dict[str, Any] | None = None,
    ) -> Notification:
        """The checks after the HMAC kernel: its verdict, the JWT, the replay window.

        *claims*: the JWT's, when the caller verified the token already (:meth:`verify_async`).
        """
        if sig is not None and not hmac_ok:
            raise SignatureError(_E_HMAC)
        data = None
        if token is not None:
            if claims is None:
                claims = decode_verified(token, jwks=self._jwks, issuer=self._issuer, leeway=self._leeway, now=now)[1]
            data = body_for_claims(claims, raw)
        timestamp: Number | None = None
        if self._tolerance is not None:
            timestamp = body_timestamp(raw) if data is None else None
            if timestamp is None:
                if data is None:
                    data = parse_body(raw)  # vouched for by the HMAC
                timestamp = timestamp_field(data)
            current = time.time() if now is None else now
            if not current - self._tolerance <= timestamp <= current + self._tolerance:
                raise SignatureError(_E_STALE)
        ctx = (
            self._ctx_both
            if sig is not None and token is not None
            else self._ctx_hmac
            if sig is not None
            else self._ctx_jwt
        )
        notification = Notification(raw, headers, ctx)
        if data is not None:
            notification._data = data
        if timestamp is not None:
            notification._timestamp = timestamp
        return notification

    def verify(self, body: bytes, headers: Mapping[str, str], *, now: Number | None = None) -> Notification:
        """Verify one notification and return its :class:`Notification`.

        *body* must be the raw request bytes, *headers* any mapping of header
        names (case-insensitive) to values. *now* (Unix seconds) replaces the
        clock for the replay window and JWT times. Raises ``SignatureError``
        (or a JWT error subclass) naming the failed check; ``TypeError`` for a
        body that is not bytes or headers that are not a mapping, ``ValueError``
        for a *now* that is NaN, infinite or negative.
        """
        now = optional_seconds("now", now)
        raw, sig, token = self._prepare(body, headers)
        hmac_ok = sig is not None and self._hmacs_match([raw], [sig], 1)[0]
        return self._finish(raw, headers, sig, hmac_ok, token, now)

    async def verify_async(self, body: bytes, headers: Mapping[str, str], *, now: Number | None = None) -> Notification:
        """:meth:`verify` for asyncio code: the same checks and errors, and the loop never blocks.

        The JWT's key is awaited from a :class:`~gigya_fast.jwt.JWKSCache`
        (fetched with its coroutine when built by ``from_async_client``, its
        blocking fetcher in the default executor otherwise); a mapping of keys
        is read in place; any other key source runs in the default executor.
        Hashing and the RSA check run inline (microseconds).
        """
        now = optional_seconds("now", now)
        raw, sig, token = self._prepare(body, headers)
        hmac_ok = sig is not None and self._hmacs_match([raw], [sig], 1)[0]
        claims = None
        if token is not None and (sig is None or hmac_ok):
            claims = (
                await decode_verified_async(
                    token, jwks=self._jwks, issuer=self._issuer, leeway=self._leeway, now=now
                )
            )[1]
        return self._finish(raw, headers, sig, hmac_ok, token, now, claims)

    def _hmacs_match(self, bodies: List[bytes], sigs: List[str | None], threads: int) -> List[bool]:
        """verify_hmacs with every secret: the first for all, each next one for the failures left."""

        def recheck(signer: Signer, retry: List[int]) -> List[bool]:
            return signer.verify_hmacs([bodies[i] for i in retry], [sigs[i] for i in retry], threads=threads)

        verdicts = self._signers[0].verify_hmacs(bodies, sigs, threads=threads) if bodies else []
        checked = with_next_secrets(self._signers, verdicts, lambda ok: not ok, recheck)
        assert checked is not None  # verify_hmacs always answers
        return checked

    # --- batches --------------------------------------------------------------

    def verify_many(
        self, items: Iterable[Item], *, threads: int = 1, now: Number | None = None
    ) -> List[Union[Notification, SignatureError]]:
        """Verify many notifications; one result per item, in order.

        *items* are ``(body, headers)`` pairs or objects with ``.body`` and
        ``.headers``. Every HMAC is checked in one kernel call: a batch of
        ``(bytes, dict)`` pairs for an HMAC-only verifier goes whole to the
        webhook batch kernel (compiled: items read in C, HMACs and the replay
        window without the GIL, spread over *threads*); any other batch takes
        the single-notification steps around ``Signer.verify_hmacs``. With
        several secrets, each next one checks only the items no earlier one
        matched. A failing item yields its ``SignatureError`` in its slot
        (wrong types too) and never affects the others. The outcome is that of
        :meth:`verify` item by item, with one clock reading (*now*, default
        ``time.time()``) for the whole batch.
        """
        _check_threads(threads)
        now = time.time() if now is None else seconds("now", now)
        items = list(items)  # our own list: the caller's may change while we work
        steps = BatchSteps(
            self._signers,
            self._max_body,
            self._tolerance,
            self._ctx_hmac,
            self._prepare,
            self._hmacs_match,
            self._finish,
        )
        if self._jwks is None and self._need_hmac:
            results = verify_many_fast(steps, items, threads, now)
            if results is not None:
                return results
        return verify_many_general(steps, items, threads, now)
