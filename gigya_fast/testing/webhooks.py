"""Webhook notifications: a background thread POSTs signed batches of account
events to registered URLs and redelivers (same event ids) on failure."""

from __future__ import annotations

import hashlib
import heapq
import http.client
import itertools
import json
import logging
import ssl
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, FrozenSet, Iterable, List, Sequence, Tuple
from urllib.parse import urlsplit

from .. import _jose
from .._signing import Signer
from ..errors import MissingDependencyError
from .credentials import KeyRing
from .jwtkeys import JWTIssuer, issuer_for

__all__ = ["Webhook", "Delivery", "WebhookDispatcher", "EVENT_TYPES"]

logger = logging.getLogger(__name__)

#: Event types the local server emits.
EVENT_TYPES = frozenset({"accountCreated", "accountRegistered", "accountUpdated", "accountDeleted", "accountLoggedIn"})
_MAX_BATCH = 100


@dataclass(frozen=True)
class Webhook:
    """A registered endpoint; ``events=None`` means every event type."""

    id: str
    url: str
    events: FrozenSet[str] | None = None
    signing_user_key: str | None = None
    jwt: bool = True


@dataclass(frozen=True)
class Delivery:
    """One delivery attempt (``status`` is None when the connection failed)."""

    webhook_id: str
    url: str
    attempt: int
    event_ids: Tuple[str, ...]
    status: int | None
    error: str | None
    body: bytes = field(repr=False)
    headers: Dict[str, str] = field(repr=False)


@dataclass(order=True)
class _Job:
    due: float
    seq: int
    webhook: Webhook = field(compare=False)
    events: List[Dict[str, Any]] = field(compare=False)
    attempt: int = field(default=0, compare=False)
    generation: int = field(default=0, compare=False)


class WebhookDispatcher:
    """Queues account events per webhook and delivers them from one thread."""

    def __init__(
        self,
        api_key: str,
        data_center: str,
        keys: KeyRing,
        jwt: JWTIssuer,
        clock: Callable[[], float],
        *,
        retry_delays: Sequence[float] = (0.05, 0.1, 0.2, 0.4, 0.8),
        max_attempts: int = 6,
        timeout: float = 10.0,
        ca_file: str | None = None,
    ) -> None:
        self.api_key, self.data_center = api_key, data_center
        self._keys, self._jwt, self._clock = keys, jwt, clock
        self.retry_delays = tuple(retry_delays) or (0.05,)
        self.max_attempts = max_attempts
        self.timeout = timeout
        self.ca_file = ca_file
        self._cond = threading.Condition()
        self._hooks: Dict[str, Webhook] = {}
        self._heap: List[_Job] = []
        self._busy = 0
        self._seq = itertools.count()
        self._deliveries: List[Delivery] = []
        self._failed: List[Tuple[Webhook, List[Dict[str, Any]]]] = []
        self._thread: threading.Thread | None = None
        self._closed = False
        self._generation = 0

    def register(
        self,
        url: str,
        events: Iterable[str] | None = None,
        signing_user_key: str | None = None,
        jwt: bool = True,
    ) -> Webhook:
        """Add an endpoint for *events* (default: all); signed with the partner secret or *signing_user_key*."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"webhook URL must be absolute http(s): {url!r}")
        wanted = frozenset(events) if events is not None else None
        if wanted is not None and not wanted <= EVENT_TYPES:
            raise ValueError(f"unknown event types: {sorted(wanted - EVENT_TYPES)}")
        if signing_user_key is not None and self._keys.user_secret(signing_user_key) is None:
            raise ValueError("signing_user_key is not a registered user key")
        hook = Webhook(uuid.uuid4().hex, url, wanted, signing_user_key, jwt)
        with self._cond:
            self._hooks[hook.id] = hook
        return hook

    def unregister(self, hook: Webhook) -> None:
        """Stop notifying *hook* (queued deliveries are dropped)."""
        with self._cond:
            self._hooks.pop(hook.id, None)
            self._heap = [j for j in self._heap if j.webhook.id != hook.id]
            heapq.heapify(self._heap)

    @property
    def webhooks(self) -> List[Webhook]:
        """The registered endpoints."""
        with self._cond:
            return list(self._hooks.values())

    @property
    def deliveries(self) -> List[Delivery]:
        """Every attempt so far, oldest first."""
        with self._cond:
            return list(self._deliveries)

    @property
    def failed(self) -> List[Tuple[Webhook, List[Dict[str, Any]]]]:
        """Batches given up after ``max_attempts``."""
        with self._cond:
            return list(self._failed)

    def emit(self, event_type: str, uid: str, call_id: str | None = None) -> None:
        """Queue one event for every webhook that wants it."""
        with self._cond:
            hooks = [h for h in self._hooks.values() if h.events is None or event_type in h.events]
            if not hooks or self._closed:
                return
            now = self._clock()
            for hook in hooks:
                event = {
                    "type": event_type,
                    "id": str(uuid.uuid4()),
                    "timestamp": int(now),
                    "callId": call_id or uuid.uuid4().hex,
                    "version": "2.0",
                    "apiKey": self.api_key,
                    "data": {"uid": uid},
                }
                heapq.heappush(self._heap, _Job(now, next(self._seq), hook, [event]))
            self._ensure_thread()
            self._cond.notify_all()

    def _ensure_thread(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._run, name="localcdc-webhooks", daemon=True)
            self._thread.start()

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until nothing is queued or in flight; False on timeout."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._heap and not self._busy, timeout)

    def reset(self) -> None:
        """Forget every endpoint, queued event, delivery and failure (an attempt in flight is not recorded)."""
        with self._cond:
            self._hooks.clear()
            self._heap.clear()
            self._deliveries.clear()
            self._failed.clear()
            self._generation += 1
            self._cond.notify_all()

    def close(self) -> None:
        """Stop the delivery thread; pending events are dropped."""
        with self._cond:
            self._closed = True
            self._heap.clear()
            self._cond.notify_all()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(self.timeout + 1)

    def _next_job(self) -> _Job | None:
        with self._cond:
            while not self._closed:
                now = self._clock()
                if self._heap and self._heap[0].due <= now:
                    job = heapq.heappop(self._heap)
                    # Batch other fresh events for the same endpoint.
                    while job.attempt == 0 and len(job.events) < _MAX_BATCH:
                        more = [j for j in self._heap if j.webhook.id == job.webhook.id and j.attempt == 0]
                        if not more:
                            break
                        self._heap.remove(more[0])
                        heapq.heapify(self._heap)
                        job.events.extend(more[0].events)
                    self._busy += 1
                    job.generation = self._generation
                    return job
                wait = (self._heap[0].due - now) if self._heap else None
                self._cond.wait(wait)
            return None

    def _run(self) -> None:
        while True:
            job = self._next_job()
            if job is None:
                return
            try:
                ok = self._deliver(job)
            except Exception:  # never let the thread die
                logger.exception("webhook delivery crashed")
                ok = False
            with self._cond:
                self._busy -= 1
                if not ok and not self._closed and job.generation == self._generation:
                    if job.attempt + 1 < self.max_attempts and job.webhook.id in self._hooks:
                        delay = self.retry_delays[min(job.attempt, len(self.retry_delays) - 1)]
                        retry = _Job(self._clock() + delay, next(self._seq), job.webhook, job.events, job.attempt + 1)
                        heapq.heappush(self._heap, retry)
                    else:
                        self._failed.append((job.webhook, job.events))
                self._cond.notify_all()

    def build(self, hook: Webhook, events: List[Dict[str, Any]]) -> Tuple[bytes, Dict[str, str]]:
        """The body and headers of one notification (new nonce and timestamp each time)."""
        now = int(self._clock())
        nonce = str(uuid.uuid4())
        body = json.dumps({"events": events, "nonce": nonce, "timestamp": now}, separators=(",", ":")).encode()
        secret = self._keys.secret_for(hook.signing_user_key)
        headers = {
            "Content-Type": "application/json",
            "X-Gigya-Sig-Hmac-Sha1": Signer(secret).sign_bytes(body),
        }
        if hook.jwt:
            claims = {
                "iss": issuer_for(self.api_key),
                "iat": now,
                "exp": now + 60,
                "jti": nonce,
                "sub": _jose.b64url_encode(hashlib.sha256(body).digest()),
            }
            try:
                headers["X-Gigya-Sig-JWT"] = self._jwt.sign(claims, {"dc": self.data_center})
            except MissingDependencyError:
                logger.debug("cryptography missing: webhook sent without X-Gigya-Sig-JWT")
        return body, headers

    def _deliver(self, job: _Job) -> bool:
        body, headers = self.build(job.webhook, job.events)
        parts = urlsplit(job.webhook.url)
        path = (parts.path or "/") + ("?" + parts.query if parts.query else "")
        conn: http.client.HTTPConnection
        if parts.scheme == "https":
            context = ssl.create_default_context(cafile=self.ca_file)
            conn = http.client.HTTPSConnection(parts.hostname or "", parts.port, timeout=self.timeout, context=context)
        else:
            conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=self.timeout)
        status: int | None = None
        error: str | None = None
        try:
            conn.request("POST", path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as exc:
            error = f"{type(exc).__name__}: {exc}"
        finally:
            conn.close()
        ids = tuple(str(e["id"]) for e in job.events)
        logger.debug("webhook %s attempt %d -> %s", job.webhook.url, job.attempt + 1, status or error)
        with self._cond:
            if job.generation != self._generation:
                return True  # reset() while in flight: not recorded, not retried
            self._deliveries.append(
                Delivery(job.webhook.id, job.webhook.url, job.attempt + 1, ids, status, error, body, headers)
            )
        return status is not None and 200 <= status < 300
