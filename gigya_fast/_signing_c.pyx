# cython: language_level=3, boundscheck=False, wraparound=False
# cython: cdivision=True, binding=True
"""Compiled signing kernels: the twin of ``gigya_fast._signing_py``.

``_signing_py`` is the specification: this module exposes the same names with the
same signatures, gives byte-identical results and raises the same exceptions with
the same messages. Hashing, HMAC, base64, percent-encoding and the batch loops run
in our C core (``_core/``); rare inputs (JSON values, mapping types other than dict,
str subclasses, URLs not seen before...) are handed to the pure module's helpers so
that both twins share one definition of the unusual cases.
"""

from libc.stdint cimport int64_t, uint8_t, uint32_t
from libc.stdlib cimport free, malloc, qsort
from libc.math cimport isfinite
from libc.string cimport memcmp, memcpy

import time as _time

from . import _signing_py as _py
from ._env import force_portable_sha1
from .errors import InvalidSecretError, SignatureError

__all__ = [
    "IMPLEMENTATION",
    "Signer",
    "percent_encode",
    "serialize_value",
    "build_query_string",
    "build_base_string",
    "normalize_url",
    "calc_signature",
    "validate_user_signature",
    "validate_friend_signature",
    "validate_user_signatures",
    "get_dynamic_session_signature",
    "get_dynamic_session_signature_user_signed",
    "kernel_info",
]

IMPLEMENTATION = "cython"

MAX_TIMESTAMP_DIGITS = _py.MAX_TIMESTAMP_DIGITS


cdef extern from "Python.h":
    ctypedef struct PyObject
    bint PyUnicode_Check(object o)
    bint PyUnicode_CheckExact(object o)
    bint PyLong_Check(object o)
    bint PyLong_CheckExact(object o)
    bint PyFloat_Check(object o)
    bint PyFloat_CheckExact(object o)
    bint PyBool_Check(object o)
    bint PyDict_CheckExact(object o)
    bint PyBytes_CheckExact(object o)
    PyObject *PyDict_GetItemWithError(object d, object k)
    PyObject *PyErr_Occurred()
    void PyObject_GC_UnTrack(void *op)
    void PyObject_GC_Track(void *op)
    Py_ssize_t PyTuple_GET_SIZE(object o)
    bint PyList_CheckExact(object o)
    bint PyTuple_CheckExact(object o)
    bint PyBytes_Check(object o)
    bint PyByteArray_Check(object o)
    bint PyUnicode_IS_ASCII(object o)
    void *PyUnicode_DATA(object o)
    Py_ssize_t PyUnicode_GET_LENGTH(object o)
    const char *PyUnicode_AsUTF8AndSize(object o, Py_ssize_t *size)
    object PyUnicode_New(Py_ssize_t size, Py_UCS4 maxchar)
    object PyUnicode_FromObject(object o)
    object PyUnicode_DecodeUTF8(const char *s, Py_ssize_t size, const char *errors)
    PyObject *PyDict_GetItem(object d, object k)
    int PyDict_Next(object d, Py_ssize_t *pos, PyObject **key, PyObject **value)
    Py_ssize_t PyDict_Size(object d)
    long long PyLong_AsLongLongAndOverflow(object o, int *overflow) except? -1
    double PyFloat_AS_DOUBLE(object o)
    char *PyOS_double_to_string(double val, char format_code, int precision, int flags,
                                int *ptype) except NULL
    int Py_DTSF_ADD_DOT_0
    void PyMem_Free(void *p)
    void *PyMem_Malloc(size_t n)
    char *PyBytes_AS_STRING(object o)
    Py_ssize_t PyBytes_GET_SIZE(object o)
    char *PyByteArray_AS_STRING(object o)
    Py_ssize_t PyByteArray_GET_SIZE(object o)
    PyObject *PyList_GET_ITEM(object o, Py_ssize_t i)
    Py_ssize_t PyList_GET_SIZE(object o)
    void PyList_SET_ITEM(object o, Py_ssize_t i, object v)
    object PyList_New(Py_ssize_t n)
    void Py_INCREF(object o)
    void Py_XDECREF(PyObject *o)
    void Py_XINCREF(PyObject *o)
    void PyErr_Clear()
    object PyBytes_FromStringAndSize(const char *data, Py_ssize_t n)
    PyObject **PySequence_Fast_ITEMS(object o)
    Py_ssize_t PySequence_Fast_GET_SIZE(object o)
    PyObject *PyTuple_GET_ITEM(object o, Py_ssize_t i)


cdef extern from "gf_core.h" nogil:
    ctypedef void (*gf_sha1_compress_fn)(uint32_t *state, const uint8_t *blocks,
                                         size_t nblocks)

    ctypedef struct gf_sha1_ctx:
        pass

    ctypedef struct gf_hmac_key:
        pass

    ctypedef struct gf_uid_item:
        const char *msg
        size_t msg_len
        uint8_t check
        uint8_t result

    ctypedef struct gf_stream:
        pass

    ctypedef struct gf_hook_item:
        const uint8_t *body
        size_t len
        uint8_t has_sig
        uint8_t result
        char sig[28]

    ctypedef struct gf_tail_window:
        int width
        char low[15]
        char high[15]

    ctypedef struct gf_window:
        int now_kind
        int exp_kind
        int64_t now_i
        int64_t exp_i
        double now_d
        double exp_d

    enum:
        GF_SHA1_PORTABLE
        GF_SHA1_SHANI
        GF_SHA1_DIGEST_SIZE
        GF_B64_OK
        GF_NUM_INT
        GF_NUM_FLOAT
        GF_MAX_THREADS
        GF_MAX_TS_DIGITS
        GF_HOOK_BAD_SIG
        GF_HOOK_OK
        GF_HOOK_STALE
        GF_HOOK_UNDECIDED

    const char *GF_THREADS_NAME
    int64_t GF_NOW_INT_LIMIT

    int gf_sha1_shani_supported()
    int gf_sha1_select(int force_portable)
    int gf_sha1_active_backend()
    gf_sha1_compress_fn gf_sha1_compressor(int backend)
    void gf_sha1_init(gf_sha1_ctx *ctx, gf_sha1_compress_fn fn)
    void gf_sha1_update(gf_sha1_ctx *ctx, const void *data, size_t len)
    void gf_sha1_final(gf_sha1_ctx *ctx, uint8_t *out)
    void gf_wipe(void *p, size_t n)

    void gf_hmac_init(gf_hmac_key *key, const uint8_t *secret, size_t len,
                      gf_sha1_compress_fn fn)
    void gf_hmac_begin(const gf_hmac_key *key, gf_sha1_ctx *ctx)
    void gf_hmac_end(const gf_hmac_key *key, gf_sha1_ctx *ctx, uint8_t *out)
    void gf_hmac(const gf_hmac_key *key, const void *msg, size_t len, uint8_t *out)
    void gf_hmac_wipe(gf_hmac_key *key)

    size_t gf_b64_encode(const uint8_t *data, size_t n, char *out)
    void gf_b64_encode_digest(const uint8_t *data, char *out)
    int gf_b64_decode_strict(const char *data, size_t n, uint8_t *out, size_t *outlen)
    size_t gf_pct_encoded_len(const uint8_t *data, size_t n)
    size_t gf_pct_encode(const uint8_t *data, size_t n, char *out)
    size_t gf_pct_encode_fast(const uint8_t *data, size_t n, char *out)
    int gf_ct_equal(const void *a, size_t alen, const void *b, size_t blen)

    int gf_hmac_b64_matches(const gf_hmac_key *key, const void *msg, size_t len,
                            const char *sig, size_t sig_len)
    int gf_hmac_parts_b64_matches(const gf_hmac_key *key, const void **parts,
                                  const size_t *lens, size_t nparts, const char *sig,
                                  size_t sig_len)
    void gf_batch_uid(const gf_hmac_key *key, gf_uid_item *items, size_t n,
                      size_t threads)
    gf_stream *gf_uid_stream_start(const gf_hmac_key *key, gf_uid_item *items, size_t n,
                                   size_t threads)
    gf_stream *gf_hooks_stream_start(const gf_hmac_key *key, gf_hook_item *items,
                                     size_t n, size_t threads,
                                     const gf_tail_window *w)
    void gf_stream_publish(gf_stream *st, size_t ready)
    void gf_stream_finish(gf_stream *st)
    void gf_stream_abort(gf_stream *st)
    size_t gf_effective_threads(size_t n, size_t threads)
    void gf_batch_hooks(const gf_hmac_key *key, gf_hook_item *items, size_t n,
                        size_t threads, const gf_tail_window *w)

    int gf_parse_ts(const char *s, size_t n, int64_t *out)
    int gf_in_window(const gf_window *w, int64_t ts)
    double gf_time_now()


cdef extern from "gf_hooks_py.h":
    int gf_fill_hooks(PyObject **items, Py_ssize_t begin, Py_ssize_t end,
                      Py_ssize_t n, object name, object lower, Py_ssize_t max_body,
                      gf_hook_item *hooks, PyObject **objs)
    void gf_hook_prefetch_objs(PyObject **objs, Py_ssize_t i, Py_ssize_t n)


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
                                 PyObject **signatures, gf_uid_item *items,
                                 gf_arena *arena, Py_ssize_t i, Py_ssize_t n, int mode,
                                 const gf_window *w) except -1
    int gf_uid_item_put(gf_uid_item *it, gf_arena *arena, const char *ts, size_t ts_len,
                        const char *uid, size_t uid_len, const char *sig,
                        size_t sig_len)


gf_sha1_select(1 if force_portable_sha1() else 0)

cdef enum:
    _SIG_LEN = 28            # base64 of a 20-byte digest
    _QSTACK = 16             # parameters handled without a heap allocation
    _BUFSTACK = 4096         # query string bytes handled without a heap allocation
    _SIGNER_CACHE_SIZE = 64
    _URL_CACHE_SIZE = 256
    _NOGIL_BYTES = 65536     # single messages this big are hashed without the GIL

cdef object _py_serialize_value = _py.serialize_value
cdef object _py_build_query_string = _py.build_query_string
cdef object _py_build_base_string = _py.build_base_string
cdef object _py_normalize_url = _py._normalize_url
cdef object _quote = _py.quote
cdef object _int_repr = int.__repr__


# The module's parts, by job (one extension module: these are textual includes, in
# this order; setup.py lists them in depends= so that editing one rebuilds it).
include "_signing_c_helpers.pxi"
include "_signing_c_signer.pxi"
include "_signing_c_batch.pxi"
include "_signing_c_webhooks.pxi"
include "_signing_c_encoding.pxi"
include "_signing_c_base_string.pxi"
include "_signing_c_api.pxi"
include "_signing_c_testhooks.pxi"
