# cython: language_level=3, binding=True
"""``Notification``, compiled: the twin of ``gigya_fast.webhooks._notification_py``.

The same eight attributes; everything beyond attribute access is delegated to the pure
module's functions (one definition of the lazy parsing, deduplication, pickling and
summaries). The compiled class exists for batches: the compiled batch kernel
(``_batch_c``) builds its results in C and leaves them untracked by the cyclic GC.
"""

from . import _notification_py as _py

__all__ = ["Notification"]


cdef class Notification:
    """A notification whose signature(s) verified.

    ``body`` is the raw bytes, ``headers`` the mapping it came with,
    ``verified_by`` the checks that passed (``{"hmac"}``, ``{"jwt"}`` or both).
    ``nonce``, ``timestamp``, ``events`` and ``data`` are parsed on first use
    (a ``SignatureError`` then if the signed body is not a CDC notification).
    :meth:`claim_new_events` returns the events whose ids the dedupe store had
    not seen, and marks them as seen; :meth:`release` forgets them again when
    processing failed, so that CDC's redelivery is handled.

    A pickled notification (e.g. handed to a worker process) carries its body,
    its headers *without* the signature headers (``X-Gigya-Sig-Hmac-Sha1``,
    ``X-Gigya-Sig-JWT``), the checks that passed and what was parsed or
    claimed, but not its dedupe store: claim before pickling. It loads as the
    ``Notification`` class of the loading process (compiled or pure).

    Built by :class:`~gigya_fast.webhooks.WebhookVerifier`; to make one
    yourself (tests), use :meth:`create`.
    """

    # The notifications verify_many returns are not tracked by the cyclic garbage
    # collector (so that big batches cost no collections): one of those must never be
    # made reachable from itself, e.g. stored in its own headers. Those of verify() are
    # tracked as usual.

    def __init__(self, body, headers, ctx):
        self.body = body
        self.headers = headers
        self._ctx = ctx

    @classmethod
    def create(cls, body, headers=None, *, verified_by=(), dedupe=None, data=None, timestamp=None):
        """A Notification for *body* (no verification is done here)."""
        return _py.create(cls, body, headers, verified_by, dedupe, data, timestamp)

    @property
    def verified_by(self):
        """The checks that passed: ``"hmac"``, ``"jwt"`` or both."""
        return self._ctx[0]

    def __repr__(self):
        return _py.describe(self)

    def __eq__(self, other):
        if not isinstance(other, Notification):
            return NotImplemented
        return _py.equal(self, other)

    __hash__ = None

    def __reduce__(self):
        return _py.reduce(self)

    @property
    def data(self):
        """The whole parsed body."""
        if self._data is not None:
            return self._data
        return _py.load_data(self)

    @property
    def nonce(self):
        """The notification's ``nonce`` (unique per delivery)."""
        return _py.nonce_of(self)

    @property
    def timestamp(self):
        """The notification's ``timestamp`` (Unix seconds)."""
        if self._timestamp is not None:
            return self._timestamp
        return _py.timestamp_of(self)

    @property
    def events(self):
        """Every event of the notification, in order."""
        if self._events is not None:
            return self._events
        return _py.events_of(self)

    def claim_new_events(self):
        """The events not seen before, marked as seen in the dedupe store (asked once).

        Safe to call from several threads: only the first call asks the store (no
        other notification waits for it); later calls return the same events.
        """
        if self._new_events is not None:
            return self._new_events
        return _py.claim_new_events(self)

    @property
    def new_events(self):
        """Deprecated: :meth:`claim_new_events` (reading this claims the events)."""
        return _py.new_events_deprecated(self, 2)

    @property
    def duplicate_count(self):
        """How many events :meth:`claim_new_events` dropped as redeliveries (claims first if not done yet)."""
        return _py.duplicate_count(self)

    def release(self):
        """Forget the ids :meth:`claim_new_events` marked as seen (call when their processing failed)."""
        _py.release(self)

    def to_dict(self):
        """A JSON-ready summary (no signatures, no headers)."""
        return _py.to_dict(self)
