# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# cython: binding=True
"""``verify_webhook_batch``, compiled: the twin of ``gigya_fast.webhooks._batch_py``.

The items are read in C (with the GIL: a private copy of the list, tuples, bytes,
exact dicts), the HMACs and the replay window run without it, on native threads, and
the results are built in C: ``Notification`` objects (``_notification_c``) that the
cyclic GC does not track, or the pure module's ``SignatureError`` messages.
"""

from libc.stdlib cimport free, malloc
from libc.string cimport memcpy

from gigya_fast._checks_c cimport raise_pending, threads_arg
from gigya_fast._core.capi cimport (
    Py_INCREF,
    PyList_GET_SIZE,
    PyList_New,
    PyList_SET_ITEM,
    PyObject,
    PyObject_GC_Track,
    PyObject_GC_UnTrack,
    PySequence_Fast_ITEMS,
)
from gigya_fast._core.core cimport (
    GF_HOOK_BAD_SIG,
    GF_HOOK_OK,
    GF_HOOK_STALE,
    gf_batch_hooks,
    gf_hmac_key,
    gf_hmac_rebind,
    gf_hmac_wipe,
    gf_hook_item,
    gf_hooks_stream_start,
    gf_stream,
    gf_stream_abort,
    gf_stream_finish,
    gf_stream_publish,
    gf_tail_window,
)
from gigya_fast._core.glue cimport gf_fill_hooks, gf_hook_prefetch_objs
from gigya_fast._signing_c cimport Signer
from gigya_fast.webhooks._notification_c cimport Notification

from ..errors import SignatureError
from . import _batch_py as _py

__all__ = ["verify_webhook_batch"]

cdef enum:
    _PUBLISH_EVERY = 1024   # items read between hand-overs to the helper threads

cdef object _HMAC_HEADER = _py.HMAC_HEADER
cdef object _HMAC_LOWER = _py._HMAC_LOWER
cdef object _E_HMAC = _py._E_HMAC
cdef object _E_STALE = _py._E_STALE


def verify_webhook_batch(Signer signer not None, object items, Py_ssize_t max_body,
                         object window, threads, object ctx, object finish):
    """Verify an HMAC-only batch, or None when an item needs the general path.

    *window* is the replay window as integer bounds (None: no window);
    *finish(body, headers)* completes a verified item whose timestamp is not
    in the compact tail form (and may raise ``SignatureError``)."""
    cdef Py_ssize_t nthreads = threads_arg(threads)
    cdef Py_ssize_t n, i, stop
    cdef gf_hook_item *hooks = NULL
    cdef gf_stream *stream = NULL
    cdef PyObject **objs = NULL
    cdef gf_tail_window w
    cdef int filled, verdict
    cdef list snapshot, results
    cdef object result
    cdef Notification note
    cdef gf_hmac_key key
    signer._check_ready()
    width, low, high = _py.tail_window(window)
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
    # the Signer's key, on this module's copy of the C core
    key = signer._key
    gf_hmac_rebind(&key)
    try:
        if hooks == NULL or objs == NULL:
            raise MemoryError()
        w.width = width
        memcpy(w.low, <const char *>low, <size_t>len(low))
        memcpy(w.high, <const char *>high, <size_t>len(high))
        if nthreads > 1:
            # helpers hash published items while this thread reads the next ones
            stream = gf_hooks_stream_start(&key, hooks, <size_t>n, <size_t>nthreads, &w)
        i = 0
        while i < n:
            stop = n if stream == NULL else min(n, i + _PUBLISH_EVERY)
            filled = gf_fill_hooks(PySequence_Fast_ITEMS(snapshot), i, stop, n, _HMAC_HEADER,
                                   _HMAC_LOWER, max_body, hooks, objs)
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
                gf_batch_hooks(&key, hooks, <size_t>n, <size_t>nthreads, &w)
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
                    result = SignatureError(_E_HMAC)
                elif verdict == GF_HOOK_STALE:
                    result = SignatureError(_E_STALE)
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
        gf_hmac_wipe(&key)
