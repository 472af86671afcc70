# Part of gigya_fast._signing_c, included by _signing_c.pyx (one extension module):
# webhook batches. verify_webhook_batch is the twin of gigya_fast/webhooks/_batch_py.py
# and Notification the twin of gigya_fast/webhooks/_notification_py.py, whose functions
# it calls for everything beyond attribute access (one definition of the lazy parts).


# ---- webhook notifications -----------------------------------------------------


# (the _notification_py module, the _batch_py module)
cdef object _webhooks_py = None


cdef object _webhook_modules():
    """The pure webhook modules, imported on first use (gigya_fast.webhooks imports this
    module, so it cannot be imported at load time)."""
    global _webhooks_py
    if _webhooks_py is None:
        from .webhooks import _batch_py, _notification_py
        _webhooks_py = (_notification_py, _batch_py)
    return _webhooks_py


cdef class Notification:
    """A notification whose signature(s) verified.

    ``body`` is the raw bytes, ``headers`` the mapping it came with,
    ``verified_by`` the checks that passed (``{"hmac"}``, ``{"jwt"}`` or both).
    ``nonce``, ``timestamp``, ``events`` and ``data`` are parsed on first use
    (a ``SignatureError`` then if the signed body is not a CDC notification).
    ``new_events`` drops the events whose ids the dedupe store has already seen;
    :meth:`release` forgets them again when processing failed, so that CDC's
    redelivery is handled.

    Built by :class:`~gigya_fast.webhooks.WebhookVerifier`; to make one
    yourself (tests), use :meth:`create`.

    The notifications ``verify_many`` returns are not tracked by the cyclic
    garbage collector (so that big batches cost no collections): never make
    one of those reachable from itself, e.g. by storing it in its own
    ``headers``. Those of :meth:`~WebhookVerifier.verify` are tracked as usual.
    """

    cdef public object body
    cdef public object headers
    cdef public object _ctx
    cdef public object _data
    cdef public object _timestamp
    cdef public object _events
    cdef public object _new_events

    def __init__(self, body, headers, ctx):
        self.body = body
        self.headers = headers
        self._ctx = ctx

    @classmethod
    def create(cls, body, headers=None, *, verified_by=(), dedupe=None, data=None,
               timestamp=None):
        """A Notification for *body* (no verification is done here)."""
        return _webhook_modules()[0].create(cls, body, headers, verified_by, dedupe,
                                            data, timestamp)

    @property
    def verified_by(self):
        """The checks that passed: ``"hmac"``, ``"jwt"`` or both."""
        return self._ctx[0]

    def __repr__(self):
        return _webhook_modules()[0].describe(self)

    def __eq__(self, other):
        if not isinstance(other, Notification):
            return NotImplemented
        return _webhook_modules()[0].equal(self, other)

    __hash__ = None

    def __reduce__(self):
        return _webhook_modules()[0].reduce(self)

    @property
    def data(self):
        """The whole parsed body."""
        if self._data is not None:
            return self._data
        return _webhook_modules()[0].load_data(self)

    @property
    def nonce(self):
        """The notification's ``nonce`` (unique per delivery)."""
        return _webhook_modules()[0].nonce_of(self)

    @property
    def timestamp(self):
        """The notification's ``timestamp`` (Unix seconds)."""
        if self._timestamp is not None:
            return self._timestamp
        return _webhook_modules()[0].timestamp_of(self)

    @property
    def events(self):
        """Every event of the notification, in order."""
        if self._events is not None:
            return self._events
        return _webhook_modules()[0].events_of(self)

    @property
    def new_events(self):
        """The events not seen before (computed once; marks their ids as seen).

        Safe to read from several threads: only the first reader asks the store.
        """
        if self._new_events is not None:
            return self._new_events
        return _webhook_modules()[0].new_events_of(self)

    @property
    def duplicate_count(self):
        """How many events ``new_events`` dropped as redeliveries."""
        return len(self.events) - len(self.new_events)

    def release(self):
        """Forget the ids :attr:`new_events` marked as seen (call when their processing
        failed)."""
        _webhook_modules()[0].release(self)

    def to_dict(self):
        """A JSON-ready summary (no signatures, no headers)."""
        return _webhook_modules()[0].to_dict(self)


def verify_webhook_batch(Signer signer, object items, Py_ssize_t max_body,
                         object window, threads, object ctx, object finish):
    """Verify an HMAC-only batch, or None when an item needs the general path.

    *window* is the replay window as integer bounds (None: no window);
    *finish(body, headers)* completes a verified item whose timestamp is not
    in the compact tail form (and may raise ``SignatureError``)."""
    cdef Py_ssize_t nthreads = _threads_arg(threads)
    cdef Py_ssize_t n, i, stop
    cdef gf_hook_item *hooks = NULL
    cdef gf_stream *stream = NULL
    cdef PyObject **objs = NULL
    cdef gf_tail_window w
    cdef int filled, verdict
    cdef list snapshot, results
    cdef object result
    cdef Notification note
    signer._check_ready()
    batch_py = _webhook_modules()[1]
    width, low, high = batch_py.tail_window(window)
    # a private copy: header lookups may run Python code (str subclass keys), which must
    # not be able to change the list under us; it also keeps every body alive below
    snapshot = list(items)
    # private and never part of a cycle: out of the GC's lists, the young collections
    # that the results below set off do not walk its n items each time
    PyObject_GC_UnTrack(<void *>snapshot)
    n = PyList_GET_SIZE(snapshot)
    if n == 0:
        return None
    hooks = <gf_hook_item *>malloc(<size_t>n * sizeof(gf_hook_item))
    objs = <PyObject **>malloc(<size_t>n * 2 * sizeof(PyObject *))
    try:
        if hooks == NULL or objs == NULL:
            raise MemoryError()
        w.width = width
        memcpy(w.low, <const char *>low, <size_t>len(low))
        memcpy(w.high, <const char *>high, <size_t>len(high))
        if nthreads > 1:
            # helpers hash published items while this thread reads the next ones
            stream = gf_hooks_stream_start(&signer._key, hooks, <size_t>n,
                                           <size_t>nthreads, &w)
        i = 0
        while i < n:
            stop = n if stream == NULL else min(n, i + _PUBLISH_EVERY)
            filled = gf_fill_hooks(PySequence_Fast_ITEMS(snapshot), i, stop, n,
                                   batch_py.HMAC_HEADER, batch_py._HMAC_LOWER, max_body,
                                   hooks, objs)
            if filled < 0:
                raise_pending()
            if filled == 0:
                return None
            i = stop
            if stream != NULL:
                gf_stream_publish(stream, <size_t>i)
        with nogil:
            if stream != NULL:
                gf_stream_finish(stream)
                stream = NULL
            else:
                gf_batch_hooks(&signer._key, hooks, <size_t>n, <size_t>nthreads, &w)
        # The list stays out of the GC's lists while it fills: the allocations below
        # set off young collections, and each would walk every result so far.
        results = PyList_New(n)
        PyObject_GC_UnTrack(<void *>results)
        try:
            for i in range(n):
                gf_hook_prefetch_objs(objs, i, n)
                verdict = hooks[i].result
                if verdict == GF_HOOK_OK:
                    note = Notification.__new__(Notification)
                    # tracked, 100k results would set off full collections over the
                    # caller's heap; what they hold (a body, a header dict, a (checks,
                    # store) pair) does not point back to them
                    PyObject_GC_UnTrack(<void *>note)
                    note.body = <object>objs[2 * i]
                    note.headers = <object>objs[2 * i + 1]
                    note._ctx = ctx
                    result = note
                elif verdict == GF_HOOK_BAD_SIG:
                    result = SignatureError(batch_py._E_HMAC)
                elif verdict == GF_HOOK_STALE:
                    result = SignatureError(batch_py._E_STALE)
                else:
                    try:
                        result = finish(<object>objs[2 * i], <object>objs[2 * i + 1])
                    except SignatureError as exc:
                        result = exc
                Py_INCREF(result)
                PyList_SET_ITEM(results, i, result)
        finally:
            PyObject_GC_Track(<void *>results)
        return results
    finally:
        if stream != NULL:
            # stepping aside or an error: no helper may touch hooks after this returns
            gf_stream_abort(stream)
        free(hooks)
        free(objs)
