# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""The batch kernels of the compiled Signer: ``validate_users`` (UIDSignatures) and
``verify_hmacs`` (webhook bodies), the twins of those methods of
``gigya_fast._signing_py.Signer``. The HMACs run without the GIL, on native threads.

Each batch owns what it reads before it works on it: the caller's exact lists and tuples
are read in place only while no Python code can run, every message is copied into a
private arena, and the GIL-free part touches no Python object.
"""

from libc.stdint cimport int64_t, uint8_t
from libc.stdlib cimport free, malloc
from libc.string cimport memcpy

from gigya_fast._checks_c cimport (
    SIG_LEN,
    clock_patched,
    in_window_py,
    int_text,
    raise_not_str,
    sig_candidate,
    time_now,
    timestamp_text,
    type_name,
    utf8_or_null,
    window_setup,
)
from gigya_fast._core.capi cimport (
    Py_INCREF,
    Py_XDECREF,
    Py_XINCREF,
    PyByteArray_AS_STRING,
    PyByteArray_Check,
    PyByteArray_GET_SIZE,
    PyBytes_AS_STRING,
    PyBytes_Check,
    PyBytes_FromStringAndSize,
    PyBytes_GET_SIZE,
    PyList_CheckExact,
    PyList_GET_ITEM,
    PyList_GET_SIZE,
    PyList_New,
    PyList_SET_ITEM,
    PyLong_Check,
    PyMem_Free,
    PyMem_Malloc,
    PyObject,
    PySequence_Fast_GET_SIZE,
    PySequence_Fast_ITEMS,
    PyTuple_CheckExact,
    PyUnicode_Check,
    PyUnicode_FromObject,
)
from gigya_fast._core.core cimport (
    gf_batch_hooks,
    gf_batch_uid,
    gf_hmac_key,
    gf_hmac_rebind,
    gf_hmac_wipe,
    gf_hook_item,
    gf_in_window,
    gf_parse_ts,
    gf_stream,
    gf_stream_abort,
    gf_stream_finish,
    gf_stream_publish,
    gf_tail_window,
    gf_uid_item,
    gf_uid_stream_start,
    gf_window,
)
from gigya_fast._core.glue cimport (
    GF_FILL_ALL,
    GF_FILL_TYPES,
    GF_FILL_WINDOW,
    gf_arena,
    gf_arena_free,
    gf_fill_uid_items,
    gf_uid_item_put,
)

__all__ = []


cdef void _fill_bools(object out, const uint8_t *results, Py_ssize_t stride,
                      Py_ssize_t n) noexcept:
    """Set out[0..n) (a fresh list of n empty slots) to True/False from results."""
    cdef Py_ssize_t i
    for i in range(n):
        if results[i * stride]:
            Py_INCREF(True)
            PyList_SET_ITEM(out, i, True)
        else:
            Py_INCREF(False)
            PyList_SET_ITEM(out, i, False)


cdef object _bool_list(const uint8_t *results, Py_ssize_t stride, Py_ssize_t n):
    cdef object out = PyList_New(n)
    _fill_bools(out, results, stride, n)
    return out


# One spare block for the batch items, kept between calls so a hot loop of big batches
# does not fault fresh pages in every time. Taken and given back while holding the GIL
# (so two threads never share one); capped at _SCRATCH_MAX bytes.
cdef enum:
    _SCRATCH_MAX = 16 * 1024 * 1024
    _PUBLISH_EVERY = 1024   # items converted between hand-overs to the helper threads

cdef void *_spare_items = NULL
cdef size_t _spare_items_cap = 0
cdef void *_take_items(size_t size, size_t *cap) noexcept:
    global _spare_items, _spare_items_cap
    cdef void *p
    if _spare_items != NULL and _spare_items_cap >= size:
        p = _spare_items
        cap[0] = _spare_items_cap
        _spare_items = NULL
        _spare_items_cap = 0
        return p
    cap[0] = size
    return malloc(size if size else 1)


cdef void _give_items(void *p, size_t cap) noexcept:
    global _spare_items, _spare_items_cap
    if p == NULL:
        return
    if cap <= _SCRATCH_MAX and cap > _spare_items_cap:
        free(_spare_items)
        _spare_items = p
        _spare_items_cap = cap
    else:
        free(p)


cdef inline bint _in_place(object seq) noexcept:
    return PyList_CheckExact(seq) or PyTuple_CheckExact(seq)


cdef struct UidSeqs:
    # The items of uids, timestamps and signatures as the batch reads them: borrowed from
    # exact lists/tuples (the caller's, read while no Python code can run, or the kernel's
    # private copies), or from owned, a snapshot holding a reference to each (3 * n).
    PyObject **uids
    PyObject **stamps
    PyObject **sigs
    PyObject **owned
    Py_ssize_t n


cdef inline void _seqs_borrow(UidSeqs *s, object uids, object timestamps,
                              object signatures, Py_ssize_t n) noexcept:
    s.uids = PySequence_Fast_ITEMS(uids)
    s.stamps = PySequence_Fast_ITEMS(timestamps)
    s.sigs = PySequence_Fast_ITEMS(signatures)
    s.owned = NULL
    s.n = n


cdef int _seqs_own(UidSeqs *s) except -1:
    """Take a reference to every item the batch reads, before any Python code may run.

    Allocates nothing the garbage collector tracks (so no collection, and no finalizer,
    can run here), and from now on the batch reads only what it holds."""
    cdef Py_ssize_t i, n = s.n
    cdef PyObject **own
    if s.owned != NULL:
        return 0
    own = <PyObject **>PyMem_Malloc(<size_t>(3 * n) * sizeof(PyObject *) + 1)
    if own == NULL:
        raise MemoryError()
    memcpy(own, s.uids, <size_t>n * sizeof(PyObject *))
    memcpy(own + n, s.stamps, <size_t>n * sizeof(PyObject *))
    memcpy(own + 2 * n, s.sigs, <size_t>n * sizeof(PyObject *))
    for i in range(3 * n):
        Py_XINCREF(own[i])
    s.owned = own
    s.uids = own
    s.stamps = own + n
    s.sigs = own + 2 * n
    return 0


cdef void _seqs_release(UidSeqs *s) noexcept:
    cdef Py_ssize_t i
    cdef PyObject **own = s.owned
    if own == NULL:
        return
    s.owned = NULL
    for i in range(3 * s.n):
        Py_XDECREF(own[i])
    PyMem_Free(own)


cdef Py_ssize_t _fill_pass(UidSeqs *s, gf_uid_item *items, gf_arena *arena, int mode,
                           const gf_window *w, gf_stream *stream,
                           bint borrowed) except -2:
    """One pass over the batch in *mode* (GF_FILL_TYPES, _ALL or _WINDOW): the spec's type
    checks in input order and, unless TYPES, the window and the messages. The C loop
    converts the common items and stops at any other, handled here with the spec's rules.

    *borrowed*: the sequences are the caller's, read in place; the first item that needs
    Python-level rules makes the batch take its own references first (_seqs_own).
    Returns the index of the first in-window item whose message cannot be encoded (a lone
    surrogate: the spec raises its UnicodeEncodeError only after every type check
    passed), or -1."""
    cdef Py_ssize_t n = s.n, i = 0, stop, first_bad = -1, size = 0
    cdef int m
    cdef int64_t ts
    cdef const char *data
    cdef char tsbuf[24]
    cdef object uid, timestamp, text
    while True:
        m = GF_FILL_TYPES if first_bad >= 0 else mode
        stop = n if stream == NULL else min(n, i + _PUBLISH_EVERY)
        i = gf_fill_uid_items(s.uids, s.stamps, s.sigs, items, arena, i, stop, m, w)
        if i >= stop:
            if stream != NULL:
                gf_stream_publish(stream, <size_t>i)
            if i >= n:
                return first_bad
            continue
        if borrowed:
            _seqs_own(s)
        items[i].check = 0
        items[i].result = 0
        uid = <object>s.uids[i]
        if not PyUnicode_Check(uid):
            raise_not_str("uid", uid)
        timestamp = <object>s.stamps[i]
        text = timestamp_text(timestamp, tsbuf, &data, &size)
        i += 1
        if m == GF_FILL_ALL or (
            m == GF_FILL_WINDOW and data != NULL and gf_parse_ts(data, <size_t>size, &ts) and gf_in_window(w, ts)
        ):
            if not _put_uid_item(&items[i - 1], arena, data, size, text, uid, <object>s.sigs[i - 1]):
                first_bad = i - 1
        if stream != NULL:
            gf_stream_publish(stream, <size_t>i)


cdef Py_ssize_t _window_pass_py(UidSeqs *s, gf_uid_item *items, gf_arena *arena,
                                object expiration, object current) except -2:
    """The window with Python arithmetic (integers beyond 64 bits), after every type check, in
    the spec's order; the sequences are the batch's private copies."""
    cdef Py_ssize_t i, size = 0
    cdef int64_t ts
    cdef const char *data
    cdef char tsbuf[24]
    cdef object text
    for i in range(s.n):
        text = timestamp_text(<object>s.stamps[i], tsbuf, &data, &size)
        if data == NULL or not gf_parse_ts(data, <size_t>size, &ts):
            continue
        if not in_window_py(ts, expiration, current):
            continue
        if not _put_uid_item(&items[i], arena, data, size, text, <object>s.uids[i],
                             <object>s.sigs[i]):
            return i
    return -1


cdef int _raise_unencodable(UidSeqs *s, Py_ssize_t i) except -1:
    """Re-run the spec's message construction for item i to raise its UnicodeEncodeError."""
    cdef object timestamp = <object>s.stamps[i]
    cdef object text
    if PyLong_Check(timestamp):
        text = int_text(timestamp)
    else:
        text = PyUnicode_FromObject(timestamp)
    (text + "_" + PyUnicode_FromObject(<object>s.uids[i])).encode("utf-8")
    raise AssertionError("encoding unexpectedly succeeded")  # pragma: no cover


cdef object validate_users(const gf_hmac_key *signer_key, object uids, object timestamps,
                           object signatures, object expiration, object now, Py_ssize_t threads):
    """The spec's validate_users after its argument checks.

    Exact lists and tuples are read in place, but only while no Python code can run: the
    result list is allocated first (the one allocation that could set off a garbage
    collection, and with it a finalizer that changes an argument), and the first item
    that needs Python-level rules makes the batch take its own references. Anything that
    needs Python code from the start (other iterables, integers beyond 64 bits in the window,
    a replaced time.time) takes the spec's list() copies first. Every message is copied into
    a private arena, so the GIL-free part touches no Python object."""
    cdef Py_ssize_t n
    cdef gf_uid_item *items
    cdef size_t items_cap = 0
    cdef gf_arena arena
    cdef gf_stream *stream = NULL
    cdef gf_window w
    cdef UidSeqs seqs
    cdef bint check_window = expiration is not None
    cdef bint fast, in_place
    cdef Py_ssize_t first_bad = -1
    cdef object out = None, current
    cdef gf_hmac_key key

    # A replaced time.time() is Python code: the spec calls it after the type checks.
    fast = now is not None or not clock_patched()
    if fast and check_window:
        fast = window_setup(&w, expiration, now) == 1
    in_place = (fast and _in_place(uids) and _in_place(timestamps)
                and _in_place(signatures))
    if in_place:
        out = PyList_New(PySequence_Fast_GET_SIZE(uids))
        in_place = PyList_GET_SIZE(out) == PySequence_Fast_GET_SIZE(uids)
    if not in_place:
        # the spec's copies, in its order (a finalizer or another thread may run here)
        uids = list(uids)
        timestamps = list(timestamps)
        signatures = list(signatures)
    n = PySequence_Fast_GET_SIZE(uids)
    if not (n == PySequence_Fast_GET_SIZE(timestamps)
            == PySequence_Fast_GET_SIZE(signatures)):
        raise ValueError("uids, timestamps and signatures must have the same length")
    if n == 0:
        return []
    if out is None or PyList_GET_SIZE(out) != n:
        out = PyList_New(n)

    items = <gf_uid_item *>_take_items(<size_t>n * sizeof(gf_uid_item), &items_cap)
    if items == NULL:
        raise MemoryError()
    arena.head = NULL
    _seqs_borrow(&seqs, uids, timestamps, signatures, n)
    key = signer_key[0]
    gf_hmac_rebind(&key)
    try:
        if fast:
            if threads > 1:
                # helpers hash published items while this thread converts the next ones
                stream = gf_uid_stream_start(&key, items, <size_t>n, <size_t>threads)
            first_bad = _fill_pass(&seqs, items, &arena,
                                   GF_FILL_WINDOW if check_window else GF_FILL_ALL, &w,
                                   stream, in_place)
        else:
            # private copies: the type checks first, then the clock (where the spec reads
            # it), then the window in C when the numbers allow it, else in Python
            _fill_pass(&seqs, items, &arena, GF_FILL_TYPES, &w, NULL, False)
            current = time_now() if now is None else now
            if not check_window:
                first_bad = _fill_pass(&seqs, items, &arena, GF_FILL_ALL, &w, NULL,
                                       False)
            elif window_setup(&w, expiration, current):
                first_bad = _fill_pass(&seqs, items, &arena, GF_FILL_WINDOW, &w, NULL,
                                       False)
            else:
                first_bad = _window_pass_py(&seqs, items, &arena, expiration, current)
        if first_bad >= 0:
            _raise_unencodable(&seqs, first_bad)
        with nogil:
            if stream != NULL:
                gf_stream_finish(stream)
                stream = NULL
            else:
                gf_batch_uid(&key, items, <size_t>n, <size_t>threads)
        _fill_bools(out, &items[0].result, sizeof(gf_uid_item), n)
        return out
    finally:
        if stream != NULL:
            # an error: no helper may touch items after this returns
            gf_stream_abort(stream)
        _give_items(items, items_cap)
        gf_arena_free(&arena)
        _seqs_release(&seqs)
        gf_hmac_wipe(&key)


cdef int _put_uid_item(gf_uid_item *it, gf_arena *arena, const char *data,
                       Py_ssize_t size, object text,
                       object uid, object signature) except -1:
    """Store one in-window item's message; 0 (error cleared) when it cannot be encoded.
    The
    timestamp text may be non-ASCII only when there is no window."""
    cdef const char *uid_data
    cdef const char *sig = NULL
    cdef Py_ssize_t uid_len = 0, sig_len = 0
    it.check = 0
    it.result = 0
    if data == NULL:
        if text is None:
            return 0
        data = utf8_or_null(text, &size)
        if data == NULL:
            return 0
    uid_data = utf8_or_null(uid, &uid_len)
    if uid_data == NULL:
        return 0
    if not sig_candidate(signature, &sig, &sig_len):
        sig = NULL
    if gf_uid_item_put(it, arena, data, <size_t>size, uid_data, <size_t>uid_len, sig,
                       <size_t>sig_len) < 0:
        raise MemoryError()
    return 1


cdef object verify_hmacs(const gf_hmac_key *signer_key, list messages, list signatures,
                         Py_ssize_t threads):
    """The webhook batch without a window: gf_batch_hooks answers 1 (GF_HOOK_OK) for a
    match and 0 otherwise."""
    cdef Py_ssize_t n = PyList_GET_SIZE(messages), i, size = 0
    cdef gf_hook_item *items
    cdef gf_hook_item *it
    cdef gf_tail_window no_window
    cdef const char *sig
    cdef object message, copy
    cdef gf_hmac_key key

    if n != PyList_GET_SIZE(signatures):
        raise ValueError("messages and signatures must have the same length")
    for i in range(n):
        message = <object>PyList_GET_ITEM(messages, i)
        if not (PyBytes_Check(message) or PyByteArray_Check(message)):
            raise TypeError("messages must be bytes, not %s" % type_name(message))
    if n == 0:
        return []
    no_window.width = 0
    items = <gf_hook_item *>malloc(<size_t>n * sizeof(gf_hook_item))
    if items == NULL:
        raise MemoryError()
    key = signer_key[0]
    gf_hmac_rebind(&key)
    try:
        for i in range(n):
            it = &items[i]
            message = <object>PyList_GET_ITEM(messages, i)
            if PyByteArray_Check(message):
                # a bytearray may change while the GIL is released: hash a private copy
                copy = PyBytes_FromStringAndSize(PyByteArray_AS_STRING(message),
                                                 PyByteArray_GET_SIZE(message))
                messages[i] = copy
                message = copy
            it.body = <const uint8_t *>PyBytes_AS_STRING(message)
            it.len = <size_t>PyBytes_GET_SIZE(message)
            it.result = 0
            it.has_sig = (
                sig_candidate(<object>PyList_GET_ITEM(signatures, i), &sig, &size)
                and size == SIG_LEN
            )
            if it.has_sig:
                memcpy(it.sig, sig, SIG_LEN)
        with nogil:
            gf_batch_hooks(&key, items, <size_t>n, <size_t>threads, &no_window)
        return _bool_list(&items[0].result, sizeof(gf_hook_item), n)
    finally:
        free(items)
        gf_hmac_wipe(&key)
