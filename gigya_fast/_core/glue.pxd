# The glue between Python objects and the C core (gf_py.h, gf_hooks_py.h): header-only,
# run with the GIL held.

from gigya_fast._core.capi cimport PyObject
from gigya_fast._core.core cimport gf_hook_item, gf_uid_item, gf_window


cdef extern from "gf_py.h":
    enum:
        GF_FILL_TYPES
        GF_FILL_ALL
        GF_FILL_WINDOW
    size_t gf_format_int64(long long v, char *out) nogil

    ctypedef struct gf_buf:
        char *data
        size_t len
        size_t cap
    void gf_buf_free(gf_buf *b)
    int gf_json_encode(object v, gf_buf *b, int depth) except -1

    ctypedef struct gf_arena:
        void *head
    void gf_arena_free(gf_arena *a)
    Py_ssize_t gf_fill_uid_items(PyObject **uids, PyObject **timestamps,
                                 PyObject **signatures, gf_uid_item *items, gf_arena *arena,
                                 Py_ssize_t i, Py_ssize_t n, int mode,
                                 const gf_window *w) except -1
    int gf_uid_item_put(gf_uid_item *it, gf_arena *arena, const char *ts, size_t ts_len,
                        const char *uid, size_t uid_len, const char *sig, size_t sig_len)


cdef extern from "gf_hooks_py.h":
    int gf_fill_hooks(PyObject **items, Py_ssize_t begin, Py_ssize_t end, Py_ssize_t n,
                      object name, object lower, Py_ssize_t max_body, gf_hook_item *hooks,
                      PyObject **objs)
    void gf_hook_prefetch_objs(PyObject **objs, Py_ssize_t i, Py_ssize_t n)
