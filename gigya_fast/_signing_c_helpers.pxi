# Part of gigya_fast._signing_c, included by _signing_c.pyx (one extension module):
# small helpers, argument checks and the timestamp window.


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


cdef inline object _exact_str(object value):
    """A str as an exact str with its real characters (a subclass's methods never run)."""
    if PyUnicode_CheckExact(value):
        return value
    return PyUnicode_FromObject(value)


cdef inline object _str_arg(str name, object value):
    """The spec's _require_str: *value* as an exact str, TypeError when it is no str."""
    if PyUnicode_CheckExact(value):
        return value
    if not PyUnicode_Check(value):
        _raise_not_str(name, value)
    return PyUnicode_FromObject(value)


cdef object _int_int = int.__int__


cdef object _window_number_slow(str name, object value):
    cdef double d
    if PyBool_Check(value) or not (PyLong_Check(value) or PyFloat_Check(value)):
        raise TypeError("%s must be int, float or None, not %s" % (name, _type_name(value)))
    if PyLong_Check(value):
        return _int_int(value) if not PyLong_CheckExact(value) else value
    d = PyFloat_AS_DOUBLE(value)
    if not isfinite(d):
        raise ValueError("%s must be a finite number, not %r" % (name, d))
    return d


cdef inline object _window_number(str name, object value):
    """The spec's _window_number: None, or an exact int/float with the argument's real
    value; TypeError for other types, ValueError for NaN and infinities."""
    if value is None or PyLong_CheckExact(value):
        return value
    if PyFloat_CheckExact(value) and isfinite(PyFloat_AS_DOUBLE(value)):
        return value
    return _window_number_slow(name, value)


cdef inline object _window_expiration(object expiration):
    """The checked expiration (see _window_number); ValueError when negative."""
    cdef int overflow = 0
    cdef long long value
    cdef bint negative
    expiration = _window_number("expiration", expiration)
    if expiration is None:
        return None
    if PyFloat_CheckExact(expiration):
        negative = PyFloat_AS_DOUBLE(expiration) < 0
    else:
        value = PyLong_AsLongLongAndOverflow(expiration, &overflow)
        negative = overflow < 0 or (overflow == 0 and value < 0)
    if negative:
        raise ValueError("expiration must not be negative, not %r" % (expiration,))
    return expiration


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


cdef inline bint _clock_patched() noexcept:
    """True when something replaced (or removed) time.time."""
    cdef PyObject *fn = PyDict_GetItem(_time_dict, "time")
    return fn != <PyObject *>_time_time


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
    """The spec's _timestamp_in_window, for checked window arguments; known >= 0 is the
    value of text when the caller formatted it from an int (no need to parse it
    back)."""
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


cdef int raise_pending() except -1:
    """Propagate the exception a C API call has already set."""
    return -1
