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
from .errors import InvalidSecretError

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
    bint PyList_CheckExact(object o)
    bint PyTuple_CheckExact(object o)
    bint PyBytes_Check(object o)
    bint PyByteArray_Check(object o)
    bint PyUnicode_IS_ASCII(object o)
    void *PyUnicode_DATA(object o)
    Py_ssize_t PyUnicode_GET_LENGTH(object o)
    const char *PyUnicode_AsUTF8AndSize(object o, Py_ssize_t *size)
    object PyUnicode_New(Py_ssize_t size, Py_UCS4 maxchar)
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

    ctypedef struct gf_msg_item:
        const uint8_t *msg
        const char *sig
        size_t len
        size_t sig_len
        uint8_t result

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
    void gf_uid_stream_publish(gf_stream *st, size_t ready)
    void gf_uid_stream_finish(gf_stream *st)
    void gf_uid_stream_abort(gf_stream *st)
    void gf_batch_msg(const gf_hmac_key *key, gf_msg_item *items, size_t n,
                      size_t threads)
    size_t gf_effective_threads(size_t n, size_t threads)

    int gf_parse_ts(const char *s, size_t n, int64_t *out)
    int gf_in_window(const gf_window *w, int64_t ts)
    double gf_time_now()


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

cdef dict _signers = {}
cdef dict _url_cache = {}
cdef object _py_serialize_value = _py.serialize_value
cdef object _py_build_query_string = _py.build_query_string
cdef object _py_build_base_string = _py.build_base_string
cdef object _py_normalize_url = _py._normalize_url
cdef object _quote = _py.quote
cdef object _int_repr = int.__repr__


_BAD_ALPHABET = (
    "secret is not valid base64: it has characters outside the standard alphabet"
)


cdef inline bint _json_container(object value) noexcept:
    return (PyDict_CheckExact(value) or PyList_CheckExact(value)
            or PyTuple_CheckExact(value))


# ---- small helpers -------------------------------------------------------------------


cdef inline str _type_name(object value):
    return type(value).__name__


cdef int _raise_not_str(str name, object value) except -1:
    raise TypeError("%s must be str, not %s" % (name, _type_name(value)))


cdef inline int _require_str(str name, object value) except -1:
    if not PyUnicode_Check(value):
        _raise_not_str(name, value)
    return 0


cdef inline Py_ssize_t _fmt_int64(long long value, char *out) noexcept nogil:
    """Decimal text of value into out (at least 21 bytes); returns its length."""
    return <Py_ssize_t>gf_format_int64(value, out)


cdef inline object _ascii_str(const char *data, Py_ssize_t n):
    cdef object result = PyUnicode_New(n, 127)
    if n:
        memcpy(PyUnicode_DATA(result), data, <size_t>n)
    return result


cdef inline object _b64_digest_str(const uint8_t *digest):
    cdef object result = PyUnicode_New(_SIG_LEN, 127)
    gf_b64_encode_digest(digest, <char *>PyUnicode_DATA(result))
    return result


cdef inline bint _sig_candidate(object signature, const char **data,
                                Py_ssize_t *size) noexcept:
    """The ASCII bytes of a candidate signature; False when it cannot match (spec:
    None)."""
    if not PyUnicode_Check(signature) or not PyUnicode_IS_ASCII(signature):
        return False
    data[0] = <const char *>PyUnicode_DATA(signature)
    size[0] = PyUnicode_GET_LENGTH(signature)
    return True


cdef inline int _check_window_args(object expiration, object now) except -1:
    if expiration is not None and (
        PyBool_Check(expiration)
        or not (PyLong_Check(expiration) or PyFloat_Check(expiration))
    ):
        raise TypeError(
            "expiration must be int, float or None, not %s" % _type_name(expiration)
        )
    if now is not None and (
        PyBool_Check(now) or not (PyLong_Check(now) or PyFloat_Check(now))
    ):
        raise TypeError("now must be int, float or None, not %s" % _type_name(now))
    return 0


cdef Py_ssize_t _threads_arg(object threads) except -1:
    cdef int overflow = 0
    cdef long long value
    if PyBool_Check(threads) or not PyLong_Check(threads):
        raise TypeError("threads must be int, not %s" % _type_name(threads))
    if threads < 1:
        raise ValueError("threads must be at least 1")
    value = PyLong_AsLongLongAndOverflow(threads, &overflow)
    if overflow or value > GF_MAX_THREADS:
        return GF_MAX_THREADS
    return <Py_ssize_t>value


# ---- the timestamp window ------------------------------------------------------------


cdef int _window_setup(gf_window *w, object expiration, object current) except -1:
    """Fill w for the C window check: 1 when possible, 0 when Python arithmetic is
    needed (int/float subclasses, integers beyond int64). current None means the
    system clock, read as time.time() reads it."""
    cdef int overflow = 0
    cdef long long value
    if current is None:
        w.now_kind = GF_NUM_FLOAT
        w.now_d = gf_time_now()
    elif PyFloat_CheckExact(current):
        w.now_kind = GF_NUM_FLOAT
        w.now_d = PyFloat_AS_DOUBLE(current)
    elif PyLong_CheckExact(current):
        value = PyLong_AsLongLongAndOverflow(current, &overflow)
        if overflow or value > GF_NOW_INT_LIMIT or value < -GF_NOW_INT_LIMIT:
            return 0
        w.now_kind = GF_NUM_INT
        w.now_i = value
    else:
        return 0
    if PyFloat_CheckExact(expiration):
        w.exp_kind = GF_NUM_FLOAT
        w.exp_d = PyFloat_AS_DOUBLE(expiration)
    elif PyLong_CheckExact(expiration):
        value = PyLong_AsLongLongAndOverflow(expiration, &overflow)
        if overflow:
            return 0
        w.exp_kind = GF_NUM_INT
        w.exp_i = value
    else:
        return 0
    return 1


cdef object _time_dict = _time.__dict__
cdef object _time_time = _time.time


cdef object _patched_now():
    """time.time() when something replaced it (freezegun, a test's monkeypatch), as the
    spec would call it; None when it is the real one (the C clock reads the same)."""
    cdef PyObject *fn = PyDict_GetItem(_time_dict, "time")
    if fn == NULL or fn == <PyObject *>_time_time:
        return None
    return (<object>fn)()


cdef int _in_window_py(int64_t ts, object expiration, object current) except -1:
    """The specification's arithmetic, in Python, for the numbers the C check leaves
    out."""
    if current is None:
        current = _time.time()
    return 1 if abs(current - ts) <= expiration else 0


cdef int _in_window(const char *text, Py_ssize_t size, object expiration, object now,
                    long long known=-1) except -1:
    """The spec's _timestamp_in_window; known >= 0 is the value of text when the caller
    formatted it from an int (no need to parse it back)."""
    cdef gf_window w
    cdef int64_t ts
    if expiration is None:
        return 1
    if known >= 0 and size <= GF_MAX_TS_DIGITS:
        ts = known
    elif text == NULL or not gf_parse_ts(text, <size_t>size, &ts):
        return 0
    if now is None:
        now = _patched_now()
    if _window_setup(&w, expiration, now):
        return gf_in_window(&w, ts)
    return _in_window_py(ts, expiration, now)


cdef object _timestamp_text(object timestamp, char *buf, const char **data,
                            Py_ssize_t *size):
    """The spec's _timestamp_text: returns the text as a str, or None when an exact int
    was
    written into buf. data/size get its ASCII bytes (data NULL when it is not ASCII)."""
    cdef int overflow = 0
    cdef long long value
    cdef object text
    if PyLong_CheckExact(timestamp):
        value = PyLong_AsLongLongAndOverflow(timestamp, &overflow)
        if not overflow:
            size[0] = _fmt_int64(value, buf)
            data[0] = buf
            return None
        text = _int_repr(timestamp)
    elif PyUnicode_Check(timestamp):
        text = timestamp
    elif PyLong_Check(timestamp) and not PyBool_Check(timestamp):
        text = _int_repr(timestamp)
    else:
        raise TypeError("timestamp must be str or int, not %s" % _type_name(timestamp))
    if PyUnicode_IS_ASCII(text):
        data[0] = <const char *>PyUnicode_DATA(text)
        size[0] = PyUnicode_GET_LENGTH(text)
    else:
        data[0] = NULL
        size[0] = 0
    return text


cdef inline int _check_timestamp_type(object timestamp) except -1:
    if PyBool_Check(timestamp) or not (
        PyLong_Check(timestamp) or PyUnicode_Check(timestamp)
    ):
        raise TypeError("timestamp must be str or int, not %s" % _type_name(timestamp))
    return 0


# ---- secrets and the Signer ----------------------------------------------------------


cdef int _init_key(gf_hmac_key *key, object secret) except -1:
    """The spec's _decode_secret, then the HMAC midstates; the decoded key is wiped."""
    cdef Py_ssize_t n
    cdef uint8_t stack[192]
    cdef uint8_t *buf = stack
    cdef size_t outlen = 0
    cdef int rc
    _require_str("secret", secret)
    n = PyUnicode_GET_LENGTH(secret)
    if n == 0:
        raise InvalidSecretError("secret is empty")
    if n % 4:
        raise InvalidSecretError(
            "secret is not valid base64: its length is not a multiple of 4"
        )
    if not PyUnicode_IS_ASCII(secret):
        raise InvalidSecretError(_BAD_ALPHABET)
    if (n // 4) * 3 > <Py_ssize_t>sizeof(stack):
        buf = <uint8_t *>malloc(<size_t>((n // 4) * 3))
        if buf == NULL:
            raise MemoryError()
    try:
        rc = gf_b64_decode_strict(<const char *>PyUnicode_DATA(secret), <size_t>n, buf,
                                  &outlen)
        if rc != GF_B64_OK:
            raise InvalidSecretError(_BAD_ALPHABET)
        gf_hmac_init(key, buf, outlen, NULL)
    finally:
        gf_wipe(buf, <size_t>((n // 4) * 3))
        if buf != stack:
            free(buf)
    return 0


cdef class Signer:
    """Signer(secret)
--

HMAC-SHA1 signer/validator for one base64 secret.

    Immutable and safe to share between threads. The secret is decoded once;
    only the HMAC midstates are kept, and they never appear in ``repr()``.
    """

    cdef gf_hmac_key _key
    cdef bint _ready

    def __init__(self, secret):
        if self._ready:
            raise AttributeError("Signer is immutable")
        _init_key(&self._key, secret)
        self._ready = True

    def __dealloc__(self):
        gf_hmac_wipe(&self._key)

    def __setattr__(self, name, value):
        raise AttributeError("Signer is immutable")

    def __delattr__(self, name):
        raise AttributeError("Signer is immutable")

    def __repr__(self):
        return "<Signer secret=***>"

    def __reduce__(self):
        raise TypeError("Signer cannot be pickled (it holds a secret)")

    cdef int _check_ready(self) except -1:
        if not self._ready:
            raise AttributeError("'Signer' object has no attribute '_key'")
        return 0

    def sign(self, base_string):
        """base64(HMAC-SHA1(secret, UTF-8 of *base_string*))."""
        _require_str("base_string", base_string)
        self._check_ready()
        return _sign_text(self, base_string)

    def sign_bytes(self, message):
        """base64(HMAC-SHA1(secret, *message*)), e.g. a webhook body."""
        cdef uint8_t digest[20]
        if PyBytes_Check(message):
            self._check_ready()
            _hmac_big(&self._key, PyBytes_AS_STRING(message),
                      <size_t>PyBytes_GET_SIZE(message), digest)
        elif PyByteArray_Check(message):
            # a bytearray may be resized by another thread: hashed with the GIL held
            self._check_ready()
            gf_hmac(&self._key, PyByteArray_AS_STRING(message),
                    <size_t>PyByteArray_GET_SIZE(message), digest)
        else:
            raise TypeError("message must be bytes, not %s" % _type_name(message))
        return _b64_digest_str(digest)

    def sign_request(self, http_method, url, params):
        """Return ``(query_string, sig)`` for a request.

        The body is ``query_string + "&sig=" + enc(sig)``."""
        _require_str("http_method", http_method)
        _require_str("url", url)
        self._check_ready()
        return _sign_request(self, http_method, url, params)

    def validate_user(self, uid, timestamp, signature, expiration=300, *, now=None):
        """Check a UIDSignature over ``<timestamp>_<uid>`` and the timestamp window."""
        self._check_ready()
        return _validate(self, uid, timestamp, None, False, signature, expiration, now)

    def validate_friend(self, uid, timestamp, friend_uid, signature, expiration=300, *,
                        now=None):
        """Check a friendshipSignature over ``<timestamp>_<friend_uid>_<uid>`` and the
        window."""
        self._check_ready()
        return _validate(self, uid, timestamp, friend_uid, True, signature, expiration,
                         now)

    def validate_users(self, uids, timestamps, signatures, *, expiration=300, now=None,
                       threads=1):
        """Validate many UIDSignatures at once; results in input order.

        The HMACs run without the GIL, split over *threads* native threads."""
        cdef Py_ssize_t nthreads = _threads_arg(threads)
        _check_window_args(expiration, now)
        self._check_ready()
        return _validate_users(self, uids, timestamps, signatures, expiration, now,
                               nthreads)

    def verify_hmacs(self, messages, signatures, *, threads=1):
        """Check base64 HMAC-SHA1 *signatures* over raw *messages* (webhook bodies).

        The HMACs run without the GIL, split over *threads* native threads."""
        cdef Py_ssize_t nthreads = _threads_arg(threads)
        self._check_ready()
        return _verify_hmacs(self, list(messages), list(signatures), nthreads)


cdef object _sign_text(Signer signer, object text):
    cdef uint8_t digest[20]
    cdef Py_ssize_t size
    cdef const char *data
    if PyUnicode_IS_ASCII(text):
        data = <const char *>PyUnicode_DATA(text)
        size = PyUnicode_GET_LENGTH(text)
    else:
        data = PyUnicode_AsUTF8AndSize(text, &size)
        if data == NULL:
            raise_pending()
    _hmac_big(&signer._key, data, <size_t>size, digest)
    return _b64_digest_str(digest)


cdef void _hmac_big(const gf_hmac_key *key, const char *data, size_t size,
                    uint8_t *digest) noexcept:
    """HMAC of an immutable buffer the caller keeps alive; big ones without the GIL (as
    hashlib does), so other threads run meanwhile."""
    if size >= _NOGIL_BYTES:
        with nogil:
            gf_hmac(key, data, size, digest)
    else:
        gf_hmac(key, data, size, digest)


cdef int raise_pending() except -1:
    """Propagate the exception a C API call has already set."""
    return -1


# (secret str, its Signer): the last one used
cdef tuple _last_signer = (object(), None)


cdef inline Signer _signer_for(object secret):
    """A cached Signer per secret string (bounded, like the spec's), so hot loops never
    re-decode the secret. The last (secret, Signer) pair is checked first by
    identity."""
    cdef tuple last = _last_signer
    if <PyObject *>PyTuple_GET_ITEM(last, 0) == <PyObject *>secret:
        return <Signer>PyTuple_GET_ITEM(last, 1)
    return _signer_lookup(secret)


cdef Signer _signer_lookup(object secret):
    global _last_signer
    cdef PyObject *cached
    cdef Signer signer
    if PyUnicode_CheckExact(secret):
        cached = PyDict_GetItem(_signers, secret)
        if cached != NULL:
            signer = <Signer>cached
            _last_signer = (secret, signer)
            return signer
    signer = Signer(secret)
    if not PyUnicode_CheckExact(secret):
        return signer
    if len(_signers) >= _SIGNER_CACHE_SIZE:
        _signers.clear()
    _signers[secret] = signer
    _last_signer = (secret, signer)
    return signer


# ---- UIDSignature / friendshipSignature ----------------------------------------------


cdef object _validate(Signer signer, object uid, object timestamp, object friend_uid,
                      bint friend,
                      object signature, object expiration, object now):
    cdef char tsbuf[24]
    cdef const char *ts
    cdef Py_ssize_t ts_len = 0, uid_len = 0, friend_len = 0, sig_len = 0
    cdef const char *uid_data
    cdef const char *friend_data = NULL
    cdef const char *sig
    cdef const void *parts[5]
    cdef size_t lens[5]
    cdef size_t nparts
    cdef int overflow = 0
    cdef long long ivalue = -1
    cdef object text = None

    _require_str("uid", uid)
    if PyLong_CheckExact(timestamp):
        ivalue = PyLong_AsLongLongAndOverflow(timestamp, &overflow)
        if overflow:
            text = _timestamp_text(timestamp, tsbuf, &ts, &ts_len)
        else:
            ts_len = _fmt_int64(ivalue, tsbuf)
            ts = tsbuf
    else:
        text = _timestamp_text(timestamp, tsbuf, &ts, &ts_len)
    if friend:
        _require_str("friend_uid", friend_uid)
    _check_window_args(expiration, now)
    if not _in_window(ts, ts_len, expiration, now, ivalue if text is None else -1):
        return False

    # A non-ASCII timestamp text or a lone surrogate: let Python build the message,
    # which
    # raises the spec's UnicodeEncodeError (positions counted in the whole message).
    if ts == NULL:
        return _validate_slow(signer, text, tsbuf, ts_len, uid, friend_uid, friend,
                              signature)
    if PyUnicode_IS_ASCII(uid):
        uid_data = <const char *>PyUnicode_DATA(uid)
        uid_len = PyUnicode_GET_LENGTH(uid)
    else:
        uid_data = PyUnicode_AsUTF8AndSize(uid, &uid_len)
        if uid_data == NULL:
            PyErr_Clear()
            return _validate_slow(signer, text, tsbuf, ts_len, uid, friend_uid, friend,
                                  signature)
    if friend:
        friend_data = PyUnicode_AsUTF8AndSize(friend_uid, &friend_len)
        if friend_data == NULL:
            PyErr_Clear()
            return _validate_slow(signer, text, tsbuf, ts_len, uid, friend_uid, friend,
                                  signature)

    if not _sig_candidate(signature, &sig, &sig_len):
        return False
    parts[0] = ts
    lens[0] = <size_t>ts_len
    parts[1] = b"_"
    lens[1] = 1
    if friend:
        parts[2] = friend_data
        lens[2] = <size_t>friend_len
        parts[3] = b"_"
        lens[3] = 1
        parts[4] = uid_data
        lens[4] = <size_t>uid_len
        nparts = 5
    else:
        parts[2] = uid_data
        lens[2] = <size_t>uid_len
        nparts = 3
    if gf_hmac_parts_b64_matches(&signer._key, parts, lens, nparts, sig,
                                 <size_t>sig_len):
        return True
    return False


cdef object _validate_slow(Signer signer, object text, const char *tsbuf,
                           Py_ssize_t ts_len, object uid, object friend_uid,
                           bint friend, object signature):
    cdef const char *sig
    cdef Py_ssize_t sig_len = 0
    cdef bytes message
    if text is None:
        text = _ascii_str(tsbuf, ts_len)
    else:
        text = str.__str__(text)
    if friend:
        message = (text + "_" + friend_uid + "_" + uid).encode("utf-8")
    else:
        message = (text + "_" + uid).encode("utf-8")
    if not _sig_candidate(signature, &sig, &sig_len):
        return False
    return gf_hmac_b64_matches(&signer._key, PyBytes_AS_STRING(message),
                               <size_t>PyBytes_GET_SIZE(message), sig,
                               <size_t>sig_len) != 0


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
                    gf_uid_stream_publish(stream, <size_t>i)
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
                gf_uid_stream_publish(stream, <size_t>i)
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
                gf_uid_stream_finish(stream)
                stream = NULL
            else:
                gf_batch_uid(&signer._key, items, <size_t>n, <size_t>threads)
        return _bool_list(&items[0].result, sizeof(gf_uid_item), n)
    finally:
        if stream != NULL:
            # an error: no helper may touch items after this returns
            gf_uid_stream_abort(stream)
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
    cdef Py_ssize_t n = PyList_GET_SIZE(messages), i, size = 0
    cdef gf_msg_item *items
    cdef gf_msg_item *it
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
    items = <gf_msg_item *>malloc(<size_t>n * sizeof(gf_msg_item))
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
            it.msg = <const uint8_t *>PyBytes_AS_STRING(message)
            it.len = <size_t>PyBytes_GET_SIZE(message)
            it.result = 0
            if _sig_candidate(<object>PyList_GET_ITEM(signatures, i), &sig, &size):
                it.sig = sig
                it.sig_len = <size_t>size
            else:
                it.sig = NULL
                it.sig_len = 0
        with nogil:
            gf_batch_msg(&signer._key, items, <size_t>n, <size_t>threads)
        return _bool_list(&items[0].result, sizeof(gf_msg_item), n)
    finally:
        free(items)


# ---- query strings and base strings --------------------------------------------------


cdef struct QEnt:
    const char *k
    const char *v
    Py_ssize_t klen
    Py_ssize_t vlen
    PyObject *key          # owned reference
    PyObject *text         # owned reference to the str value, or NULL (v in num/heap)
    char *heap             # owned JSON text (gf_buf data), or NULL
    char num[32]


cdef struct QB:
    QEnt *ents
    QEnt **order
    Py_ssize_t n
    bint ascii             # every key is ASCII
    QEnt stack_ents[16]
    QEnt *stack_order[16]


cdef inline void _qb_init(QB *qb) noexcept:
    qb.ents = qb.stack_ents
    qb.order = qb.stack_order
    qb.n = 0
    qb.ascii = True


cdef void _qb_free(QB *qb) noexcept:
    cdef Py_ssize_t i
    for i in range(qb.n):
        Py_XDECREF(qb.ents[i].key)
        Py_XDECREF(qb.ents[i].text)
        if qb.ents[i].heap != NULL:
            free(qb.ents[i].heap)
    qb.n = 0
    if qb.ents != qb.stack_ents:
        free(qb.ents)
        free(qb.order)
        qb.ents = qb.stack_ents
        qb.order = qb.stack_order


cdef inline bint _bad_key(const char *k, Py_ssize_t n) noexcept nogil:
    cdef Py_ssize_t i
    cdef char c
    for i in range(n):
        c = k[i]
        if c == 38 or c == 61 or c == 37 or c == 43:  # & = % +
            return True
    return False


cdef int _cmp_ent(const void *a, const void *b) noexcept nogil:
    cdef const QEnt *x = (<const QEnt **>a)[0]
    cdef const QEnt *y = (<const QEnt **>b)[0]
    cdef Py_ssize_t m = x.klen if x.klen < y.klen else y.klen
    cdef int r = memcmp(x.k, y.k, <size_t>m)
    if r:
        return r
    return (x.klen > y.klen) - (x.klen < y.klen)


cdef int _json_into(object value, gf_buf *buf) except -1:
    """Compact JSON of value into a fresh buf (1), or 0 when the spec's json.dumps must
    do it
    (buf is then empty)."""
    cdef int rc
    buf.data = NULL
    buf.len = 0
    buf.cap = 0
    try:
        rc = gf_json_encode(value, buf, 0)
    except BaseException:
        gf_buf_free(buf)
        raise
    if rc != 1:
        gf_buf_free(buf)
        return 0
    return 1


cdef int _qb_collect(QB *qb, object params) except -1:
    """Serialize an exact dict's parameters in C. 1: done; 0: leave it to the spec's
    code
    (key that is not an exact, encodable, valid str); errors of values are raised as the
    spec raises them, in the same (iteration) order."""
    cdef Py_ssize_t size = PyDict_Size(params), pos = 0, klen = 0, i, j
    cdef PyObject *kp
    cdef PyObject *vp
    cdef const char *k
    cdef QEnt *ent
    cdef QEnt *tmp
    cdef int overflow = 0
    cdef long long ivalue
    cdef double dvalue
    cdef char *repr_
    cdef gf_buf jbuf
    cdef object key, value, text

    if size > _QSTACK:
        qb.ents = <QEnt *>malloc(<size_t>size * sizeof(QEnt))
        qb.order = <QEnt **>malloc(<size_t>size * sizeof(QEnt *))
        if qb.ents == NULL or qb.order == NULL:
            free(qb.ents)
            free(qb.order)
            qb.ents = qb.stack_ents
            qb.order = qb.stack_order
            raise MemoryError()
    while PyDict_Next(params, &pos, &kp, &vp):
        if qb.n >= size:
            return 0  # the dict changed under us: let the spec's code decide
        key = <object>kp
        value = <object>vp
        if not PyUnicode_CheckExact(key):
            return 0
        k = PyUnicode_AsUTF8AndSize(key, &klen)
        if k == NULL:
            PyErr_Clear()
            return 0
        if klen == 0 or _bad_key(k, klen):
            return 0
        if klen == 3 and k[0] == 115 and k[1] == 105 and k[2] == 103:  # "sig"
            continue
        if value is None:
            continue
        ent = &qb.ents[qb.n]
        ent.k = k
        ent.klen = klen
        ent.text = NULL
        ent.heap = NULL
        ent.v = NULL
        ent.vlen = 0
        ent.key = kp
        Py_XINCREF(kp)
        qb.n += 1
        if not PyUnicode_IS_ASCII(key):
            qb.ascii = False
        if PyUnicode_CheckExact(value):
            ent.text = vp
            Py_XINCREF(vp)
        elif value is True:
            ent.v = b"true"
            ent.vlen = 4
        elif value is False:
            ent.v = b"false"
            ent.vlen = 5
        elif PyLong_CheckExact(value):
            ivalue = PyLong_AsLongLongAndOverflow(value, &overflow)
            if overflow:
                text = _int_repr(value)
                ent.text = <PyObject *>text
                Py_XINCREF(ent.text)
            else:
                ent.vlen = _fmt_int64(ivalue, ent.num)
                ent.v = ent.num
        elif PyFloat_CheckExact(value) and isfinite(PyFloat_AS_DOUBLE(value)):
            dvalue = PyFloat_AS_DOUBLE(value)
            repr_ = PyOS_double_to_string(dvalue, b'r', 0, Py_DTSF_ADD_DOT_0, NULL)
            j = 0
            while repr_[j] != 0 and j < 31:
                ent.num[j] = repr_[j]
                j += 1
            PyMem_Free(repr_)
            ent.v = ent.num
            ent.vlen = j
        elif _json_container(value) and _json_into(value, &jbuf):
            ent.heap = jbuf.data
            ent.v = jbuf.data
            ent.vlen = <Py_ssize_t>jbuf.len
            jbuf.data = NULL
        else:
            text = _py_serialize_value(value)
            if text is None:  # pragma: no cover - serialize_value: None only for None
                qb.n -= 1
                Py_XDECREF(kp)
                ent.key = NULL
                continue
            ent.text = <PyObject *>text
            Py_XINCREF(ent.text)
    # sort by key code point (UTF-8 byte order is code point order); keys are unique
    for i in range(qb.n):
        qb.order[i] = &qb.ents[i]
    if qb.n > 24:
        qsort(qb.order, <size_t>qb.n, sizeof(QEnt *), _cmp_ent)
    else:
        for i in range(1, qb.n):
            tmp = qb.order[i]
            j = i - 1
            while j >= 0 and _cmp_ent(&qb.order[j], &tmp) > 0:
                qb.order[j + 1] = qb.order[j]
                j -= 1
            qb.order[j + 1] = tmp
    # the UTF-8 of str values, in sorted order (the spec quotes them in that order)
    for i in range(qb.n):
        ent = qb.order[i]
        if ent.text != NULL:
            text = <object>ent.text
            if PyUnicode_IS_ASCII(text):
                ent.v = <const char *>PyUnicode_DATA(text)
                ent.vlen = PyUnicode_GET_LENGTH(text)
            else:
                ent.v = PyUnicode_AsUTF8AndSize(text, &ent.vlen)
                if ent.v == NULL:
                    raise_pending()
    return 1


cdef Py_ssize_t _qb_query_cap(QB *qb) noexcept:
    """Room for the query string when every value byte needs %XX (the fast encoder's
    bound)."""
    cdef Py_ssize_t i, total = 0
    cdef QEnt *ent
    for i in range(qb.n):
        ent = qb.order[i]
        total += ent.klen + 2 + 3 * ent.vlen
    return total


cdef Py_ssize_t _qb_write_query(QB *qb, char *out) noexcept:
    """Write the query string; out has _qb_query_cap bytes. Returns its length."""
    cdef Py_ssize_t i, n = 0
    cdef QEnt *ent
    for i in range(qb.n):
        ent = qb.order[i]
        if i:
            out[n] = b'&'
            n += 1
        memcpy(out + n, ent.k, <size_t>ent.klen)
        n += ent.klen
        out[n] = b'='
        n += 1
        n += <Py_ssize_t>gf_pct_encode_fast(<const uint8_t *>ent.v, <size_t>ent.vlen,
                                            out + n)
    return n


cdef object _qb_query_str(QB *qb):
    cdef char stack[_BUFSTACK]
    cdef char *buf = stack
    cdef Py_ssize_t cap = _qb_query_cap(qb), total
    if cap > _BUFSTACK:
        buf = <char *>malloc(<size_t>cap)
        if buf == NULL:
            raise MemoryError()
    try:
        total = _qb_write_query(qb, buf)
        if qb.ascii:
            return _ascii_str(buf, total)
        return PyUnicode_DecodeUTF8(buf, total, NULL)
    finally:
        if buf != stack:
            free(buf)


cdef bytes _encoded_url(object url):
    """enc(normalize_url(url)) as ASCII bytes, cached per exact URL string."""
    cdef PyObject *cached
    cdef const char *data
    cdef Py_ssize_t size = 0
    cdef bytes result
    if PyUnicode_CheckExact(url):
        cached = PyDict_GetItem(_url_cache, url)
        if cached != NULL:
            return <bytes>cached
    normalized = _py_normalize_url(url)
    data = PyUnicode_AsUTF8AndSize(normalized, &size)
    if data == NULL:
        raise_pending()
    result = PyBytes_FromStringAndSize(
        NULL, <Py_ssize_t>gf_pct_encoded_len(<const uint8_t *>data, <size_t>size)
    )
    gf_pct_encode(<const uint8_t *>data, <size_t>size, PyBytes_AS_STRING(result))
    if PyUnicode_CheckExact(url):
        if len(_url_cache) >= _URL_CACHE_SIZE:
            _url_cache.clear()
        _url_cache[url] = result
    return result


cdef inline bint _fast_request(object http_method, object url, object params) noexcept:
    return (PyDict_CheckExact(params) and PyUnicode_CheckExact(http_method)
            and PyUnicode_IS_ASCII(http_method) and PyUnicode_CheckExact(url))


cdef Py_ssize_t _write_method(object http_method, char *out) noexcept:
    cdef const char *m = <const char *>PyUnicode_DATA(http_method)
    cdef Py_ssize_t i, n = PyUnicode_GET_LENGTH(http_method)
    cdef char c
    for i in range(n):
        c = m[i]
        out[i] = <char>(c - 32) if 97 <= c <= 122 else c  # ASCII upper()
    return n


cdef object _base_fast(QB *qb, object http_method, bytes encurl, uint8_t *digest,
                       Signer signer):
    """Build METHOD&enc(url)&enc(query) from collected parameters. Without a signer,
    return
    the base string; with one, write the base string's HMAC into digest and return the
    query string."""
    cdef char qstack[_BUFSTACK]
    cdef char bstack[2 * _BUFSTACK]
    cdef char *qbuf = qstack
    cdef char *bbuf = bstack
    cdef Py_ssize_t qcap = _qb_query_cap(qb), qlen, bcap, n
    cdef Py_ssize_t mlen = PyUnicode_GET_LENGTH(http_method)
    cdef Py_ssize_t ulen = PyBytes_GET_SIZE(encurl)
    cdef object result = None
    try:
        if qcap > _BUFSTACK:
            qbuf = <char *>malloc(<size_t>qcap)
            if qbuf == NULL:
                raise MemoryError()
        qlen = _qb_write_query(qb, qbuf)
        if signer is not None:
            if qb.ascii:
                result = _ascii_str(qbuf, qlen)
            else:
                result = PyUnicode_DecodeUTF8(qbuf, qlen, NULL)
        bcap = mlen + 2 + ulen + 3 * qlen
        if bcap > 2 * _BUFSTACK:
            bbuf = <char *>malloc(<size_t>bcap)
            if bbuf == NULL:
                raise MemoryError()
        n = _write_method(http_method, bbuf)
        bbuf[n] = b'&'
        n += 1
        memcpy(bbuf + n, PyBytes_AS_STRING(encurl), <size_t>ulen)
        n += ulen
        bbuf[n] = b'&'
        n += 1
        n += <Py_ssize_t>gf_pct_encode_fast(<const uint8_t *>qbuf, <size_t>qlen,
                                            bbuf + n)
        if signer is None:
            return _ascii_str(bbuf, n)
        _hmac_big(&signer._key, bbuf, <size_t>n, digest)
        return result
    finally:
        if qbuf != qstack:
            free(qbuf)
        if bbuf != bstack:
            free(bbuf)


cdef object _sign_request(Signer signer, object http_method, object url, object params):
    cdef QB qb
    cdef uint8_t digest[20]
    cdef object query = None
    cdef bytes encurl
    if _fast_request(http_method, url, params):
        _qb_init(&qb)
        try:
            if _qb_collect(&qb, params):
                encurl = _encoded_url(url)
                query = _base_fast(&qb, http_method, encurl, digest, signer)
                return query, _b64_digest_str(digest)
        finally:
            _qb_free(&qb)
    # the spec's own steps, for the unusual inputs (same order, same errors)
    query = _py_build_query_string(params)
    base = (http_method.upper() + "&" + _quote(_py_normalize_url(url), safe="") + "&"
            + _quote(query, safe=""))
    return query, _sign_text(signer, base)


def percent_encode(value):
    """RFC 3986 percent-encoding of the UTF-8 bytes of *value* (``A-Za-z0-9-._~``
    kept)."""
    cdef const char *data
    cdef Py_ssize_t size = 0
    cdef object result
    _require_str("value", value)
    if PyUnicode_GET_LENGTH(value) == 0:
        # quote(str.__str__(value)) of "": the exact str itself
        return value if PyUnicode_CheckExact(value) else ""
    if PyUnicode_IS_ASCII(value):
        data = <const char *>PyUnicode_DATA(value)
        size = PyUnicode_GET_LENGTH(value)
    else:
        data = PyUnicode_AsUTF8AndSize(value, &size)
        if data == NULL:
            raise_pending()
    result = PyUnicode_New(
        <Py_ssize_t>gf_pct_encoded_len(<const uint8_t *>data, <size_t>size), 127
    )
    gf_pct_encode(<const uint8_t *>data, <size_t>size, <char *>PyUnicode_DATA(result))
    return result


def serialize_value(value):
    """The wire form of one parameter value, or ``None`` when it is left out.

    str as is; bool as ``true``/``false``; int in decimal; float as its shortest
    round-trip repr (NaN and infinities rejected); dict/list/tuple as compact
    JSON with non-ASCII kept; ``None`` means "do not send".
    """
    cdef gf_buf buf
    if value is None:
        return None
    if PyUnicode_CheckExact(value):
        return value
    if value is True:
        return "true"
    if value is False:
        return "false"
    if PyLong_CheckExact(value):
        return _int_repr(value)
    if PyFloat_CheckExact(value) and isfinite(PyFloat_AS_DOUBLE(value)):
        return repr(value)
    if _json_container(value) and _json_into(value, &buf):
        try:
            return PyUnicode_DecodeUTF8(buf.data, <Py_ssize_t>buf.len, NULL)
        finally:
            gf_buf_free(&buf)
    return _py_serialize_value(value)


def build_query_string(params):
    """``k1=enc(v1)&k2=enc(v2)...``: keys sorted by code point, ``sig`` and ``None``
    values left out.

    This is both the signed parameter string and the request body (before ``sig``).
    """
    cdef QB qb
    if PyDict_CheckExact(params):
        _qb_init(&qb)
        try:
            if _qb_collect(&qb, params):
                return _qb_query_str(&qb)
        finally:
            _qb_free(&qb)
    return _py_build_query_string(params)


def normalize_url(url):
    """Lower-case scheme and host, default port dropped, path kept (``/`` when empty).

    Query string and fragment are not part of the signed URL.
    """
    _require_str("url", url)
    return _py_normalize_url(url)


def build_base_string(http_method, url, params):
    """The OAuth1-style base string CDC signs: ``METHOD&enc(url)&enc(query string)``."""
    cdef QB qb
    cdef bytes encurl
    _require_str("http_method", http_method)
    _require_str("url", url)
    if _fast_request(http_method, url, params):
        _qb_init(&qb)
        try:
            if _qb_collect(&qb, params):
                encurl = _encoded_url(url)
                return _base_fast(&qb, http_method, encurl, NULL, None)
        finally:
            _qb_free(&qb)
    return _py_build_base_string(http_method, url, params)


# ---- module-level functions ----------------------------------------------------------


def calc_signature(base_string, secret):
    """base64(HMAC-SHA1(base64decode(secret), UTF-8 of *base_string*))."""
    _require_str("base_string", base_string)
    return _sign_text(_signer_for(secret), base_string)


def validate_user_signature(uid, timestamp, secret, signature, expiration=300, *,
                            now=None):
    """True when *signature* is the UIDSignature of (*uid*, *timestamp*) and the
    timestamp is within *expiration* s of now."""
    _require_str("uid", uid)
    _check_timestamp_type(timestamp)
    return _validate(_signer_for(secret), uid, timestamp, None, False, signature,
                     expiration, now)


def validate_friend_signature(uid, timestamp, friend_uid, secret, signature,
                              expiration=300, *, now=None):
    """True when *signature* is the friendshipSignature of (*uid*, *friend_uid*,
    *timestamp*) within the window."""
    _require_str("uid", uid)
    _check_timestamp_type(timestamp)
    _require_str("friend_uid", friend_uid)
    return _validate(_signer_for(secret), uid, timestamp, friend_uid, True, signature,
                     expiration, now)


def validate_user_signatures(uids, timestamps, signatures, secret, *, expiration=300,
                             now=None, threads=1):
    """Batch form of :func:`validate_user_signature` (see ``Signer.validate_users``)."""
    return _signer_for(secret).validate_users(
        uids, timestamps, signatures, expiration=expiration, now=now, threads=threads
    )


def _expiry(timeout_seconds, now):
    if isinstance(timeout_seconds, bool) or not isinstance(timeout_seconds, int):
        raise TypeError(
            "timeout_seconds must be int, not %s" % _type_name(timeout_seconds)
        )
    _check_window_args(None, now)
    current = _time.time() if now is None else now
    return int(current) + timeout_seconds


def _login_token(glt_cookie):
    _require_str("glt_cookie", glt_cookie)
    return glt_cookie.split("|", 1)[0]


def get_dynamic_session_signature(glt_cookie, timeout_seconds, secret, *, now=None):
    """Value of the ``gltexp_<apiKey>`` cookie, signed with the partner secret:
    ``<exp>_<sig>``."""
    token = _login_token(glt_cookie)
    expiry = _expiry(timeout_seconds, now)
    signer = _signer_for(secret)
    return "%d_%s" % (expiry, _sign_text(signer, "%s_%d" % (token, expiry)))


def get_dynamic_session_signature_user_signed(glt_cookie, timeout_seconds, user_key,
                                              secret, *, now=None):
    """``gltexp_<apiKey>`` cookie value signed with a user key's secret:
    ``<exp>_<userKey>_<sig>``."""
    token = _login_token(glt_cookie)
    expiry = _expiry(timeout_seconds, now)
    _require_str("user_key", user_key)
    signer = _signer_for(secret)
    sig = _sign_text(signer, "%s_%d_%s" % (token, expiry, user_key))
    return "%d_%s_%s" % (expiry, user_key, sig)


def kernel_info():
    """Which implementation and SHA-1 backend are in use."""
    return {
        "implementation": IMPLEMENTATION,
        "sha1": _sha1_backend(),
        "sha1_cpu": "sha-ni" if gf_sha1_shani_supported() else "none",
        "threads": GF_THREADS_NAME.decode("ascii"),
    }


# ---- test hooks (not public) ---------------------------------------------------------


cdef gf_sha1_compress_fn _compressor(object backend) except NULL:
    cdef gf_sha1_compress_fn fn
    if backend == "active":
        return gf_sha1_compressor(gf_sha1_active_backend())
    if backend == "portable":
        return gf_sha1_compressor(GF_SHA1_PORTABLE)
    if backend == "shani":
        fn = gf_sha1_compressor(GF_SHA1_SHANI)
        if fn == NULL:
            raise RuntimeError("the SHA-NI backend is not available here")
        return fn
    raise ValueError(
        "unknown SHA-1 backend %r (expected 'active', 'portable' or 'shani')"
        % (backend,)
    )


def _sha1_backend():
    """The SHA-1 backend in use: "sha-ni" or "portable"."""
    return "sha-ni" if gf_sha1_active_backend() == GF_SHA1_SHANI else "portable"


def _shani_supported():
    """True when the CPU (and this build) can run the SHA-NI backend."""
    return gf_sha1_shani_supported() != 0


def _sha1(bytes data not None, backend="active", Py_ssize_t chunk=0):
    """SHA-1 digest of data with one backend; chunk > 0 feeds it in pieces of that
    size."""
    cdef gf_sha1_compress_fn fn = _compressor(backend)
    cdef gf_sha1_ctx ctx
    cdef uint8_t digest[20]
    cdef const char *p = PyBytes_AS_STRING(data)
    cdef Py_ssize_t n = PyBytes_GET_SIZE(data), step
    gf_sha1_init(&ctx, fn)
    if chunk <= 0:
        gf_sha1_update(&ctx, p, <size_t>n)
    else:
        while n > 0:
            step = chunk if chunk < n else n
            gf_sha1_update(&ctx, p, <size_t>step)
            p += step
            n -= step
    gf_sha1_final(&ctx, digest)
    return PyBytes_FromStringAndSize(<const char *>digest, 20)


def _hmac_sha1(bytes key not None, bytes data not None, backend="active"):
    """HMAC-SHA1 digest with one backend (midstates computed with that backend too)."""
    cdef gf_sha1_compress_fn fn = _compressor(backend)
    cdef gf_hmac_key hk
    cdef uint8_t digest[20]
    gf_hmac_init(&hk, <const uint8_t *>PyBytes_AS_STRING(key),
                 <size_t>PyBytes_GET_SIZE(key), fn)
    gf_hmac(&hk, PyBytes_AS_STRING(data), <size_t>PyBytes_GET_SIZE(data), digest)
    gf_hmac_wipe(&hk)
    return PyBytes_FromStringAndSize(<const char *>digest, 20)


def _b64_decode_strict(str text not None):
    """The C core's strict base64 decoder: bytes, or None when *text* is rejected."""
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(text)
    cdef size_t outlen = 0
    cdef bytes out
    if not PyUnicode_IS_ASCII(text):
        return None
    out = PyBytes_FromStringAndSize(NULL, (n // 4) * 3 + 3)
    if gf_b64_decode_strict(<const char *>PyUnicode_DATA(text), <size_t>n,
                            <uint8_t *>PyBytes_AS_STRING(out), &outlen) != GF_B64_OK:
        return None
    return out[:outlen]


def _b64_encode(bytes data not None):
    """The C core's base64 encoder."""
    cdef Py_ssize_t n = PyBytes_GET_SIZE(data)
    cdef object out = PyUnicode_New(((n + 2) // 3) * 4, 127)
    gf_b64_encode(<const uint8_t *>PyBytes_AS_STRING(data), <size_t>n,
                  <char *>PyUnicode_DATA(out))
    return out


def _effective_threads(Py_ssize_t n, Py_ssize_t threads):
    """How many native threads a batch of n items with threads=threads really uses."""
    return gf_effective_threads(<size_t>n, <size_t>threads)
