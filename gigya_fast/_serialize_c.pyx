# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# cython: binding=False, embedsignature=True, embedsignature.format=clinic
"""Parameter values, the query string, the signed URL and the base string, compiled: the
twin of ``gigya_fast._serialize_py`` (same names, same results, same errors).

Exact dicts of common values are serialised in C (values as JSON by the C encoder of
``gf_py.h``); anything else is handed to the pure module's functions, so both twins
share one definition of the unusual cases.
"""

from libc.math cimport isfinite
from libc.stdint cimport uint8_t
from libc.stdlib cimport free, malloc, qsort
from libc.string cimport memcmp, memcpy

from gigya_fast._checks_c cimport ascii_str, fmt_int64, require_str, str_arg, utf8_of, utf8_or_null
from gigya_fast._core.capi cimport (
    Py_DTSF_ADD_DOT_0,
    Py_XDECREF,
    Py_XINCREF,
    PyBytes_AS_STRING,
    PyBytes_FromStringAndSize,
    PyBytes_GET_SIZE,
    PyDict_CheckExact,
    PyDict_GetItem,
    PyDict_Next,
    PyDict_Size,
    PyFloat_AS_DOUBLE,
    PyFloat_CheckExact,
    PyList_CheckExact,
    PyLong_AsLongLongAndOverflow,
    PyLong_CheckExact,
    PyMem_Free,
    PyOS_double_to_string,
    PyObject,
    PyTuple_CheckExact,
    PyUnicode_CheckExact,
    PyUnicode_DATA,
    PyUnicode_DecodeUTF8,
    PyUnicode_GET_LENGTH,
    PyUnicode_IS_ASCII,
    PyUnicode_New,
)
from gigya_fast._core.core cimport gf_pct_encode, gf_pct_encode_fast, gf_pct_encoded_len
from gigya_fast._core.glue cimport gf_buf, gf_buf_free, gf_json_encode

from . import _serialize_py as _py

__all__ = ["percent_encode", "serialize_value", "build_query_string", "normalize_url", "build_base_string"]

cdef enum:
    _QSTACK = 16             # parameters handled without a heap allocation
    _BUFSTACK = 4096         # query string bytes handled without a heap allocation
    _URL_CACHE_SIZE = 256

cdef object _py_serialize_value = _py.serialize_value
cdef object _py_build_query_string = _py.build_query_string
cdef object _py_normalize_url = _py._normalize_url
cdef object _quote = _py.quote
cdef object _int_repr = int.__repr__


# ---- the query string, collected in C ---------------------------------------------------


cdef inline bint _json_container(object value) noexcept:
    return (PyDict_CheckExact(value) or PyList_CheckExact(value)
            or PyTuple_CheckExact(value))


cdef void qb_free(QB *qb) noexcept:
    cdef Py_ssize_t i
    for i in range(qb.n):
        Py_XDECREF(qb.ents[i].key)
        Py_XDECREF(qb.ents[i].value)
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
    """Compact JSON of value into a fresh buf (1), or 0 when the spec's json.dumps must do it
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


cdef int qb_collect(QB *qb, object params) except -1:
    """Serialize an exact dict's parameters in C. 1: done; 0: leave it to the spec's code (a key
    that is not an exact, encodable, valid str); errors of values are raised as the spec raises
    them, in the same (iteration) order.

    The dict is read first, whole (no Python code runs meanwhile), keeping a reference
    to each key and value: serialising a value may run the caller's code (a dict
    subclass's items(), say), which must not change what is signed."""
    cdef Py_ssize_t size = PyDict_Size(params), pos = 0, klen = 0, i
    cdef PyObject *kp
    cdef PyObject *vp
    cdef const char *k
    cdef QEnt *ent

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
        if qb.n >= size:  # pragma: no cover - nothing can change the dict here
            return 0
        if not PyUnicode_CheckExact(<object>kp):
            return 0
        k = utf8_or_null(<object>kp, &klen)
        if k == NULL:
            return 0
        if klen == 0 or _bad_key(k, klen):
            return 0
        if klen == 3 and k[0] == 115 and k[1] == 105 and k[2] == 103:  # "sig"
            continue
        if vp == <PyObject *>None:
            continue
        ent = &qb.ents[qb.n]
        ent.k = k
        ent.klen = klen
        ent.key = kp
        ent.value = vp
        ent.text = NULL
        ent.heap = NULL
        ent.v = NULL
        ent.vlen = 0
        Py_XINCREF(kp)
        Py_XINCREF(vp)
        qb.n += 1
        if not PyUnicode_IS_ASCII(<object>kp):
            qb.ascii = False
    for i in range(qb.n):
        _qent_serialize(&qb.ents[i])
    _qb_sort(qb)
    # the UTF-8 of str values, in sorted order (the spec quotes them in that order)
    for i in range(qb.n):
        ent = qb.order[i]
        if ent.text != NULL:
            ent.v = utf8_of(<object>ent.text, &ent.vlen)
    return 1


cdef int _qent_serialize(QEnt *ent) except -1:
    """The wire form of ent's value (the spec's serialize_value): into num, a JSON heap
    buffer or an owned str; the value's reference is dropped."""
    cdef object value = <object>ent.value
    cdef int overflow = 0
    cdef long long ivalue
    cdef Py_ssize_t j
    cdef char *repr_
    cdef gf_buf jbuf
    cdef object text
    Py_XDECREF(ent.value)
    ent.value = NULL
    if PyUnicode_CheckExact(value):
        ent.text = <PyObject *>value
        Py_XINCREF(ent.text)
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
            ent.vlen = fmt_int64(ivalue, ent.num)
            ent.v = ent.num
    elif PyFloat_CheckExact(value) and isfinite(PyFloat_AS_DOUBLE(value)):
        repr_ = PyOS_double_to_string(PyFloat_AS_DOUBLE(value), b'r', 0,
                                      Py_DTSF_ADD_DOT_0, NULL)
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
        if text is None:  # pragma: no cover - only None serialises to None, left out above
            raise AssertionError("serialize_value gave None for a value")
        ent.text = <PyObject *>text
        Py_XINCREF(ent.text)
    return 0


cdef void _qb_sort(QB *qb) noexcept:
    """qb.order: the entries by key code point (UTF-8 byte order is code point order); keys are
    unique."""
    cdef Py_ssize_t i, j
    cdef QEnt *tmp
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


cdef Py_ssize_t _qb_query_cap(QB *qb) noexcept:
    """Room for the query string when every value byte needs %XX (the fast encoder's bound)."""
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
            return ascii_str(buf, total)
        return PyUnicode_DecodeUTF8(buf, total, NULL)
    finally:
        if buf != stack:
            free(buf)


def percent_encode(value):
    """RFC 3986 percent-encoding of the UTF-8 bytes of *value* (``A-Za-z0-9-._~`` kept)."""
    cdef const char *data
    cdef Py_ssize_t size = 0
    cdef object result
    require_str("value", value)
    if PyUnicode_GET_LENGTH(value) == 0:
        # quote(str.__str__(value)) of "": the exact str itself
        return value if PyUnicode_CheckExact(value) else ""
    data = utf8_of(value, &size)
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
    """``k1=enc(v1)&k2=enc(v2)...``: keys sorted by code point, ``sig`` and ``None`` values left out.

    This is both the signed parameter string and the request body (before ``sig``).
    """
    cdef QB qb
    if PyDict_CheckExact(params):
        qb_init(&qb)
        try:
            if qb_collect(&qb, params):
                return _qb_query_str(&qb)
        finally:
            qb_free(&qb)
    return _py_build_query_string(params)


# ---- URLs and base strings ------------------------------------------------------------------


cdef dict _url_cache = {}


cdef bytes _encoded_url(object url):
    """enc(normalize_url(url)) as ASCII bytes, cached per (exact) URL string."""
    cdef PyObject *cached = PyDict_GetItem(_url_cache, url)
    cdef const char *data
    cdef Py_ssize_t size = 0
    cdef bytes result
    if cached != NULL:
        return <bytes>cached
    normalized = _py_normalize_url(url)
    data = utf8_of(normalized, &size)
    result = PyBytes_FromStringAndSize(
        NULL, <Py_ssize_t>gf_pct_encoded_len(<const uint8_t *>data, <size_t>size)
    )
    gf_pct_encode(<const uint8_t *>data, <size_t>size, PyBytes_AS_STRING(result))
    if len(_url_cache) >= _URL_CACHE_SIZE:
        _url_cache.clear()
    _url_cache[url] = result
    return result


cdef Py_ssize_t _write_method(object http_method, char *out) noexcept:
    cdef const char *m = <const char *>PyUnicode_DATA(http_method)
    cdef Py_ssize_t i, n = PyUnicode_GET_LENGTH(http_method)
    cdef char c
    for i in range(n):
        c = m[i]
        out[i] = <char>(c - 32) if 97 <= c <= 122 else c  # ASCII upper()
    return n


cdef object request_base(QB *qb, object http_method, object url, char *out, Py_ssize_t cap,
                         char **base, Py_ssize_t *base_len, bint want_query):
    """Write METHOD&enc(url)&enc(query) for collected parameters (fast_request held) into
    out when it fits in cap bytes, else into a malloc'd buffer the caller frees; *base and
    *base_len say where. Returns the query string when want_query, else None."""
    cdef char qstack[_BUFSTACK]
    cdef char *qbuf = qstack
    cdef bytes encurl = _encoded_url(url)
    cdef Py_ssize_t qcap = _qb_query_cap(qb), qlen, bcap, n
    cdef Py_ssize_t ulen = PyBytes_GET_SIZE(encurl)
    cdef char *bbuf = out
    cdef object query = None
    try:
        if qcap > _BUFSTACK:
            qbuf = <char *>malloc(<size_t>qcap)
            if qbuf == NULL:
                raise MemoryError()
        qlen = _qb_write_query(qb, qbuf)
        if want_query:
            query = ascii_str(qbuf, qlen) if qb.ascii else PyUnicode_DecodeUTF8(qbuf, qlen, NULL)
        bcap = PyUnicode_GET_LENGTH(http_method) + 2 + ulen + 3 * qlen
        if bcap > cap:
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
        n += <Py_ssize_t>gf_pct_encode_fast(<const uint8_t *>qbuf, <size_t>qlen, bbuf + n)
        base[0] = bbuf
        base_len[0] = n
        return query
    finally:
        if qbuf != qstack:
            free(qbuf)


cdef object spec_request(object http_method, object url, object params):
    """(query string, base string) by the spec's own steps, for the unusual inputs (same order,
    same errors)."""
    query = _py_build_query_string(params)
    base = (http_method.upper() + "&" + _quote(_py_normalize_url(url), safe="") + "&"
            + _quote(query, safe=""))
    return query, base


def normalize_url(url):
    """Lower-case scheme and host, default port dropped, path kept (``/`` when empty).

    Query string and fragment are not part of the signed URL.
    """
    return _py_normalize_url(str_arg("url", url))


def build_base_string(http_method, url, params):
    """The OAuth1-style base string CDC signs: ``METHOD&enc(url)&enc(query string)``."""
    cdef QB qb
    cdef char stack[2 * _BUFSTACK]
    cdef char *base = NULL
    cdef Py_ssize_t size = 0
    http_method = str_arg("http_method", http_method)
    url = str_arg("url", url)
    if fast_request(http_method, url, params):
        qb_init(&qb)
        try:
            if qb_collect(&qb, params):
                request_base(&qb, http_method, url, stack, sizeof(stack), &base, &size, False)
                return ascii_str(base, size)
        finally:
            qb_free(&qb)
            if base != stack:
                free(base)
    return spec_request(http_method, url, params)[1]
