"""The local server's outbox: emails it would have sent (two-factor codes),
kept for the test to read instead of being delivered."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Iterator, List

__all__ = ["Outbox", "OutboxMessage"]


@dataclass(frozen=True)
class OutboxMessage:
    """One email: ``kind`` is ``"tfa"`` for a two-factor code (in ``code``).

    ``repr`` leaves the code and body out, so a failing assertion that prints
    messages does not print codes.
    """

    to: str
    subject: str
    kind: str
    uid: str
    code: str = field(repr=False, default="")
    body: str = field(repr=False, default="")
    time: float = 0.0


class Outbox:
    """Thread-safe list of :class:`OutboxMessage`, oldest first."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._messages: List[OutboxMessage] = []

    def __repr__(self) -> str:
        return f"<Outbox messages={len(self)}>"

    def put(self, message: OutboxMessage) -> None:
        """Deliver *message* into the outbox."""
        with self._lock:
            self._messages.append(message)

    @property
    def messages(self) -> List[OutboxMessage]:
        """Every message so far, oldest first."""
        with self._lock:
            return list(self._messages)

    def last(self, to: str | None = None, kind: str | None = None) -> OutboxMessage:
        """The newest message (to *to*, of *kind*); ``LookupError`` when there is none."""
        with self._lock:
            for message in reversed(self._messages):
                if (to is None or message.to.lower() == to.lower()) and (kind is None or message.kind == kind):
                    return message
        raise LookupError(f"no message{' to ' + to if to else ''}{' of kind ' + kind if kind else ''} in the outbox")

    def last_code(self, to: str | None = None) -> str:
        """The newest two-factor code (sent to *to*)."""
        return self.last(to, "tfa").code

    def clear(self) -> None:
        """Empty the outbox."""
        with self._lock:
            self._messages.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._messages)

    def __iter__(self) -> Iterator[OutboxMessage]:
        return iter(self.messages)
