# The compiled twin of gigya_fast._checks_py, for cimport by the other compiled modules:
# argument checks with the spec's messages, caller objects normalised to exact ones, and
# the timestamp window. The small checks are inline (compiled into each module that uses
# them); the rest are defined in _checks_c.pyx.

from libc.stdint cimport int64_t
from libc.math cimport isfinite
from libc.string cimport memcpy

from gigya_fast._core.capi cimport (
    PyErr_Clear,
    PyFloat_AS_DOUBLE,
    PyFloat_CheckExact,
    PyLong_AsLongLongAndOverflow,
    PyBool_Check,
    PyLong_Check,
    PyLong_CheckExact,
    PyUnicode_AsUTF8AndSize,
    PyUnicode_Check,
    PyUnicode_CheckExact,
    PyUnicode_DATA,
    PyUnicode_FromObject,
    PyUnicode_GET_LENGTH,
    PyUnicode_IS_ASCII,
    PyUnicode_New,
)
from gigya_fast._core.core cimport GF_MAX_TS_DIGITS, GF_NUM_INT, gf_in_window_clock, gf_parse_ts, gf_window
from gigya_fast._core.glue cimport gf_format_int64


cdef int raise_not_str(str name, object value) except -1
cdef Py_ssize_t threads_arg(object threads) except -1
cdef object exact_int(object value)
cdef object window_number_slow(str name, object value)
cdef object window_expiration_slow(object expiration)
cdef object int_text(object value)
cdef object timestamp_text(object timestamp, char *buf, const char **data, Py_ssize_t *size)
cdef int raise_not_timestamp(object timestamp) except -1
cdef bint clock_patched() noexcept
cdef object time_now()
cdef int window_setup(gf_window *w, object expiration, object current) except -1
cdef int in_window_py(int64_t ts, object expiration, object current) except -1
cdef int in_window_slow(int64_t ts, object expiration, object now) except -1


cdef inline str type_name(object value):
    return type(value).__name__


cdef inline int require_str(str name, object value) except -1:
    """The spec's type check of a str argument whose characters are read in C."""
    if not PyUnicode_Check(value):
        raise_not_str(name, value)
    return 0


cdef inline object str_arg(str name, object value):
    """The spec's _require_str: *value* as an exact str with its real characters (a
    subclass's methods never run); TypeError when it is no str."""
    if PyUnicode_CheckExact(value):
        return value
    if not PyUnicode_Check(value):
        raise_not_str(name, value)
    return PyUnicode_FromObject(value)


cdef inline object window_number(str name, object value):
    """The spec's _window_number: None, or an exact int/float with the argument's real
    value; TypeError for other types, ValueError for NaN and infinities."""
    if value is None or PyLong_CheckExact(value):
        return value
    if PyFloat_CheckExact(value) and isfinite(PyFloat_AS_DOUBLE(value)):
        return value
    return window_number_slow(name, value)


cdef enum:
    SIG_LEN = 28            # base64 of a 20-byte digest


cdef inline object timestamp_text_fast(object timestamp, char *buf, const char **data,
                                       Py_ssize_t *size):
    """timestamp_text, the common exact ASCII str case inline."""
    if PyUnicode_CheckExact(timestamp) and PyUnicode_IS_ASCII(timestamp):
        data[0] = <const char *>PyUnicode_DATA(timestamp)
        size[0] = PyUnicode_GET_LENGTH(timestamp)
        return timestamp
    return timestamp_text(timestamp, buf, data, size)


cdef inline object window_expiration(object expiration, long long *small=NULL):
    """The spec's checked expiration: None, or an exact int/float (see window_number);
    ValueError when negative (it would reject every signature). *small*, when given, gets its
    value if it is an int of 64 bits, else -1."""
    cdef int overflow = 0
    cdef long long value = -1
    if PyLong_CheckExact(expiration):
        value = PyLong_AsLongLongAndOverflow(expiration, &overflow)
        if overflow:
            value = -1
    if small != NULL:
        small[0] = value
    if expiration is None or value >= 0:
        return expiration
    return window_expiration_slow(expiration)


cdef inline int check_timestamp_type(object timestamp) except -1:
    """The spec's type check of a timestamp (str or int, bool excluded)."""
    if PyLong_CheckExact(timestamp) or PyUnicode_CheckExact(timestamp):
        return 0
    if PyBool_Check(timestamp) or not (PyLong_Check(timestamp) or PyUnicode_Check(timestamp)):
        raise_not_timestamp(timestamp)
    return 0


cdef inline int in_window(const char *text, Py_ssize_t size, object expiration, object now,
                          long long known=-1, long long small=-1) except -1:
    """The spec's _timestamp_in_window, for checked window arguments; known >= 0 is the value of
    text when the caller formatted it from an int (no need to parse it back), small >= 0 the
    value of an int expiration (see window_expiration). The common case (an int expiration,
    the system clock) is decided here, in C."""
    cdef int64_t ts
    cdef gf_window w
    if expiration is None:
        return 1
    if known >= 0 and size <= GF_MAX_TS_DIGITS:
        ts = known
    elif text == NULL or not gf_parse_ts(text, <size_t>size, &ts):
        return 0
    if now is None and small >= 0 and not clock_patched():
        w.exp_kind = GF_NUM_INT
        w.exp_i = small
        return gf_in_window_clock(&w, ts)
    return in_window_slow(ts, expiration, now)


cdef inline bint sig_candidate(object signature, const char **data,
                               Py_ssize_t *size) noexcept:
    """The ASCII bytes of a candidate signature; False when it cannot match (the spec's
    _signature_bytes gives None)."""
    if not PyUnicode_Check(signature) or not PyUnicode_IS_ASCII(signature):
        return False
    data[0] = <const char *>PyUnicode_DATA(signature)
    size[0] = PyUnicode_GET_LENGTH(signature)
    return True


cdef inline const char *utf8_or_null(object text, Py_ssize_t *size) noexcept:
    """The UTF-8 bytes of a str (its own when ASCII); NULL, the error cleared, when it
    cannot be encoded (a lone surrogate): the caller then takes the spec's path."""
    cdef const char *data
    if PyUnicode_IS_ASCII(text):
        size[0] = PyUnicode_GET_LENGTH(text)
        return <const char *>PyUnicode_DATA(text)
    data = PyUnicode_AsUTF8AndSize(text, size)
    if data == NULL:
        PyErr_Clear()
    return data


cdef inline const char *utf8_of(object text, Py_ssize_t *size) except NULL:
    """The UTF-8 bytes of a str (its own when ASCII); raises the encoding error."""
    if PyUnicode_IS_ASCII(text):
        size[0] = PyUnicode_GET_LENGTH(text)
        return <const char *>PyUnicode_DATA(text)
    return PyUnicode_AsUTF8AndSize(text, size)


cdef inline Py_ssize_t fmt_int64(long long value, char *out) noexcept nogil:
    """Decimal text of value into out (at least 21 bytes); returns its length."""
    return <Py_ssize_t>gf_format_int64(value, out)


cdef inline object ascii_str(const char *data, Py_ssize_t n):
    """A str of n ASCII bytes."""
    cdef object result = PyUnicode_New(n, 127)
    if n:
        memcpy(PyUnicode_DATA(result), data, <size_t>n)
    return result


cdef inline int raise_pending() except -1:
    """Propagate the exception a C API call has already set."""
    return -1
