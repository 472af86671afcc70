# Part of gigya_fast._signing_c, included by _signing_c.pyx (one extension module):
# the signed URL, the base string and Signer.sign_request (normalize_url,
# build_base_string).


# ---- URLs and base strings -----------------------------------------------------------


cdef dict _url_cache = {}


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


def normalize_url(url):
    """Lower-case scheme and host, default port dropped, path kept (``/`` when empty).

    Query string and fragment are not part of the signed URL.
    """
    return _py_normalize_url(_str_arg("url", url))


def build_base_string(http_method, url, params):
    """The OAuth1-style base string CDC signs: ``METHOD&enc(url)&enc(query string)``."""
    cdef QB qb
    cdef bytes encurl
    http_method = _str_arg("http_method", http_method)
    url = _str_arg("url", url)
    if _fast_request(http_method, url, params):
        _qb_init(&qb)
        try:
            if _qb_collect(&qb, params):
                encurl = _encoded_url(url)
                return _base_fast(&qb, http_method, encurl, NULL, None)
        finally:
            _qb_free(&qb)
    return _py_build_base_string(http_method, url, params)
