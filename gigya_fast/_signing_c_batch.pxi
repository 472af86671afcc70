# Part of gigya_fast._signing_c, included by _signing_c.pyx (one extension module):
# the batch paths (Signer.validate_users, Signer.verify_hmacs).


# ---- batches -------------------------------------------------------------------------


cdef object _bool_list(const uint8_t *results, Py_ssize_t stride, Py_ssize_t n):
    cdef object out = PyList_New(n)
    cdef Py_ssize_t i
    for i in range(n):
        if results[i * stride]:
            Py_INCREF(True)
            PyList_SET_ITEM(out, i, True)
        else:
            Py_INCREF(False)
            PyList_SET_ITEM(out, i, False)
    return out


# One spare block for the batch items, kept between calls so a hot loop of big batches
# does
# not fault fresh pages in every time. Taken and given back while holding the GIL (so
# two
# threads never share one); capped at _SCRATCH_MAX bytes.
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


cdef object _validate_users(Signer signer, object uids, object timestamps,
                            object signatures,
                            object expiration, object now, Py_ssize_t threads):
    """The spec's validate_users after its argument checks.

    Exact lists and tuples are read in place (the spec's list() copies are taken only
    for other iterables, or as soon as an item needs Python-level rules); every message
    is copied into a private arena, so the GIL-free part touches no Python object."""
    cdef Py_ssize_t n, i, size = 0
    cdef gf_uid_item *items
    cdef size_t items_cap = 0
    cdef gf_arena arena
    cdef gf_stream *stream = NULL
    cdef Py_ssize_t stop
    cdef gf_window w
    cdef bint fast = True, check_window = expiration is not None
    cdef int mode
    cdef PyObject **uid_objs
    cdef PyObject **ts_objs
    cdef PyObject **sig_objs
    cdef Py_ssize_t first_bad = -1
    cdef const char *data
    cdef char tsbuf[24]
    cdef int64_t ts
    cdef object uid, timestamp, text, current = now

    if check_window:
        if now is None:
            current = _patched_now()
        fast = _window_setup(&w, expiration, current) == 1
        if current is None and not fast:
            current = _time.time()
    # the spec's list() copies, in its order; in place only when no Python code will run
    if not (fast and _in_place(uids)):
        uids = list(uids)
    if not (fast and _in_place(timestamps)):
        timestamps = list(timestamps)
    if not (fast and _in_place(signatures)):
        signatures = list(signatures)
    n = PySequence_Fast_GET_SIZE(uids)
    if not (n == PySequence_Fast_GET_SIZE(timestamps)
            == PySequence_Fast_GET_SIZE(signatures)):
        raise ValueError("uids, timestamps and signatures must have the same length")
    if n == 0:
        return []

    items = <gf_uid_item *>_take_items(<size_t>n * sizeof(gf_uid_item), &items_cap)
    if items == NULL:
        raise MemoryError()
    arena.head = NULL
    if fast and threads > 1:
        # helpers hash published items while this thread converts the next ones
        stream = gf_uid_stream_start(&signer._key, items, <size_t>n, <size_t>threads)
    try:
        # One pass under the GIL: the spec's type checks in input order, the window and
        # the
        # messages. An encoding error (lone surrogate) is raised only after every type
        # check
        # passed, as the spec's lazy comprehension does. The C loop converts the common
        # items
        # and stops at any other, handled here with the spec's rules.
        i = 0
        while True:
            uid_objs = PySequence_Fast_ITEMS(uids)
            ts_objs = PySequence_Fast_ITEMS(timestamps)
            sig_objs = PySequence_Fast_ITEMS(signatures)
            if not fast or first_bad >= 0:
                mode = GF_FILL_TYPES
            elif check_window:
                mode = GF_FILL_WINDOW
            else:
                mode = GF_FILL_ALL
            stop = n if stream == NULL else min(n, i + _PUBLISH_EVERY)
            i = gf_fill_uid_items(uid_objs, ts_objs, sig_objs, items, &arena, i, stop,
                                  mode, &w)
            if i >= stop:
                if stream != NULL:
                    gf_stream_publish(stream, <size_t>i)
                if i >= n:
                    break
                continue
            # Python-level rules from here: hold our own copies, as the spec does
            if not PyList_CheckExact(uids):
                uids = list(uids)
            if not PyList_CheckExact(timestamps):
                timestamps = list(timestamps)
            if not PyList_CheckExact(signatures):
                signatures = list(signatures)
            items[i].check = 0
            items[i].result = 0
            uid = <object>PyList_GET_ITEM(uids, i)
            if not PyUnicode_Check(uid):
                _raise_not_str("uid", uid)
            timestamp = <object>PyList_GET_ITEM(timestamps, i)
            text = _timestamp_text(timestamp, tsbuf, &data, &size)
            i += 1
            if mode == GF_FILL_TYPES:
                continue
            if check_window:
                if (data == NULL or not gf_parse_ts(data, <size_t>size, &ts)
                        or not gf_in_window(&w, ts)):
                    continue
            if not _put_uid_item(&items[i - 1], &arena, data, size, text, uid,
                                 <object>PyList_GET_ITEM(signatures, i - 1)):
                first_bad = i - 1
            if stream != NULL:
                gf_stream_publish(stream, <size_t>i)
        if not fast:
            # Python arithmetic for the window (subclasses, huge integers): a second
            # pass,
            # after every type check, exactly in the spec's order (our lists are copies
            # here).
            for i in range(n):
                timestamp = <object>PyList_GET_ITEM(timestamps, i)
                text = _timestamp_text(timestamp, tsbuf, &data, &size)
                if data == NULL or not gf_parse_ts(data, <size_t>size, &ts):
                    continue
                if not _in_window_py(ts, expiration, current):
                    continue
                if not _put_uid_item(&items[i], &arena, data, size, text,
                                     <object>PyList_GET_ITEM(uids, i),
                                     <object>PyList_GET_ITEM(signatures, i)):
                    first_bad = i
                    break
        if first_bad >= 0:
            # re-run the spec's message construction to raise its UnicodeEncodeError
            timestamp = <object>PySequence_Fast_ITEMS(timestamps)[first_bad]
            if PyLong_Check(timestamp):
                text = _int_repr(timestamp)
            else:
                text = str.__str__(timestamp)
            uid = <object>PySequence_Fast_ITEMS(uids)[first_bad]
            (text + "_" + uid).encode("utf-8")
            raise AssertionError("encoding unexpectedly succeeded")  # pragma: no cover
        with nogil:
            if stream != NULL:
                gf_stream_finish(stream)
                stream = NULL
            else:
                gf_batch_uid(&signer._key, items, <size_t>n, <size_t>threads)
        return _bool_list(&items[0].result, sizeof(gf_uid_item), n)
    finally:
        if stream != NULL:
            # an error: no helper may touch items after this returns
            gf_stream_abort(stream)
        _give_items(items, items_cap)
        gf_arena_free(&arena)


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
        data = PyUnicode_AsUTF8AndSize(text, &size)
        if data == NULL:
            PyErr_Clear()
            return 0
    if PyUnicode_IS_ASCII(uid):
        uid_data = <const char *>PyUnicode_DATA(uid)
        uid_len = PyUnicode_GET_LENGTH(uid)
    else:
        uid_data = PyUnicode_AsUTF8AndSize(uid, &uid_len)
        if uid_data == NULL:
            PyErr_Clear()
            return 0
    if not _sig_candidate(signature, &sig, &sig_len):
        sig = NULL
    if gf_uid_item_put(it, arena, data, <size_t>size, uid_data, <size_t>uid_len, sig,
                       <size_t>sig_len) < 0:
        raise MemoryError()
    return 1


cdef object _verify_hmacs(Signer signer, list messages, list signatures,
                          Py_ssize_t threads):
    """The webhook batch without a window: gf_batch_hooks answers 1 (GF_HOOK_OK) for a
    match and 0 otherwise."""
    cdef Py_ssize_t n = PyList_GET_SIZE(messages), i, size = 0
    cdef gf_hook_item *items
    cdef gf_hook_item *it
    cdef gf_tail_window no_window
    cdef const char *sig
    cdef object message, copy

    if n != PyList_GET_SIZE(signatures):
        raise ValueError("messages and signatures must have the same length")
    for i in range(n):
        message = <object>PyList_GET_ITEM(messages, i)
        if not (PyBytes_Check(message) or PyByteArray_Check(message)):
            raise TypeError("messages must be bytes, not %s" % _type_name(message))
    if n == 0:
        return []
    no_window.width = 0
    items = <gf_hook_item *>malloc(<size_t>n * sizeof(gf_hook_item))
    if items == NULL:
        raise MemoryError()
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
                _sig_candidate(<object>PyList_GET_ITEM(signatures, i), &sig, &size)
                and size == _SIG_LEN
            )
            if it.has_sig:
                memcpy(it.sig, sig, _SIG_LEN)
        with nogil:
            gf_batch_hooks(&signer._key, items, <size_t>n, <size_t>threads, &no_window)
        return _bool_list(&items[0].result, sizeof(gf_hook_item), n)
    finally:
        free(items)
