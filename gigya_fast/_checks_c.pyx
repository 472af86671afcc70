# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""Argument checks and the timestamp window of the compiled kernels: the twin of
``gigya_fast._checks_py``, for the other compiled modules (``cimport``, see
``_checks_c.pxd``); it has no Python-level names of its own.
"""

from libc.stdint cimport int64_t
from libc.math cimport isfinite

import time as _time

from gigya_fast._core.capi cimport (
    PyBool_Check,
    PyFloat_AS_DOUBLE,
    PyFloat_Check,
    PyFloat_CheckExact,
    PyLong_AsLongLongAndOverflow,
    PyLong_Check,
    PyLong_CheckExact,
    PyLong_FromLongLong,
    PyLong_FromUnicodeObject,
    PyNumber_ToBase,
    PyUnicode_Check,
    PyUnicode_DATA,
    PyUnicode_GET_LENGTH,
    PyUnicode_IS_ASCII,
)
from gigya_fast._core.core cimport (
    GF_MAX_THREADS,
    GF_NOW_INT_LIMIT,
    GF_NUM_FLOAT,
    GF_NUM_INT,
    gf_in_window,
    gf_in_window_clock,
    gf_time_now,
    gf_window,
)

__all__ = []


cdef int raise_not_str(str name, object value) except -1:
    raise TypeError("%s must be str, not %s" % (name, type_name(value)))


cdef Py_ssize_t threads_arg(object threads) except -1:
    """The spec's _check_threads; the count capped at GF_MAX_THREADS."""
    cdef int overflow = 0
    cdef long long value
    if PyBool_Check(threads) or not PyLong_Check(threads):
        raise TypeError("threads must be int, not %s" % type_name(threads))
    if threads < 1:
        raise ValueError("threads must be at least 1")
    value = PyLong_AsLongLongAndOverflow(threads, &overflow)
    if overflow or value > GF_MAX_THREADS:
        return GF_MAX_THREADS
    return <Py_ssize_t>value


cdef object exact_int(object value):
    """An int subclass's real value as an exact int (its own __int__/__index__ never
    run)."""
    cdef int overflow = 0
    cdef long long small = PyLong_AsLongLongAndOverflow(value, &overflow)
    if not overflow:
        return PyLong_FromLongLong(small)
    return PyLong_FromUnicodeObject(PyNumber_ToBase(value, 10), 10)


cdef object window_number_slow(str name, object value):
    cdef double d
    if PyBool_Check(value) or not (PyLong_Check(value) or PyFloat_Check(value)):
        raise TypeError("%s must be int, float or None, not %s" % (name, type_name(value)))
    if PyLong_Check(value):
        return value if PyLong_CheckExact(value) else exact_int(value)
    d = PyFloat_AS_DOUBLE(value)
    if not isfinite(d):
        raise ValueError("%s must be a finite number, not %r" % (name, d))
    return d


cdef object window_expiration_slow(object expiration):
    """window_expiration for anything but a small exact int."""
    cdef int overflow = 0
    cdef long long value
    cdef bint negative
    expiration = window_number("expiration", expiration)
    if PyFloat_CheckExact(expiration):
        negative = PyFloat_AS_DOUBLE(expiration) < 0
    else:
        value = PyLong_AsLongLongAndOverflow(expiration, &overflow)
        negative = overflow < 0 or (overflow == 0 and value < 0)
    if negative:
        raise ValueError("expiration must not be negative, not %r" % (expiration,))
    return expiration


cdef object int_text(object value):
    """int.__repr__ of an int (subclass): its real decimal text."""
    return PyNumber_ToBase(value, 10)


cdef object timestamp_text(object timestamp, char *buf, const char **data,
                           Py_ssize_t *size):
    """The spec's _timestamp_text: returns the text as a str, or None when an exact int
    was written into buf. data/size get its ASCII bytes (data NULL when it is not
    ASCII)."""
    cdef int overflow = 0
    cdef long long value
    cdef object text
    if PyLong_CheckExact(timestamp):
        value = PyLong_AsLongLongAndOverflow(timestamp, &overflow)
        if not overflow:
            size[0] = fmt_int64(value, buf)
            data[0] = buf
            return None
        text = int_text(timestamp)
    elif PyUnicode_Check(timestamp):
        text = timestamp
    elif PyLong_Check(timestamp) and not PyBool_Check(timestamp):
        text = int_text(timestamp)
    else:
        raise_not_timestamp(timestamp)
    if PyUnicode_IS_ASCII(text):
        data[0] = <const char *>PyUnicode_DATA(text)
        size[0] = PyUnicode_GET_LENGTH(text)
    else:
        data[0] = NULL
        size[0] = 0
    return text


cdef int raise_not_timestamp(object timestamp) except -1:
    raise TypeError("timestamp must be str or int, not %s" % type_name(timestamp))


# ---- the clock and the window ----------------------------------------------------------

cdef extern from "gf_pyclock.h":
    int gf_clock_init(object dict, object real) except -1
    bint gf_clock_patched() noexcept


gf_clock_init(_time.__dict__, _time.time)


cdef bint clock_patched() noexcept:
    """True when something replaced (or removed) time.time: the spec then calls it, and so
    must we (the C clock reads the same as the real one). Cached until the time module's
    namespace changes (gf_pyclock.h)."""
    return gf_clock_patched()


cdef object time_now():
    """time.time(), as the spec calls it (whatever it is now)."""
    return _time.time()


cdef int window_setup(gf_window *w, object expiration, object current) except -1:
    """Fill w for the C window check: 1 when possible, 0 when Python arithmetic is needed
    (integers beyond int64). current None means the C clock, which reads the system clock as
    time.time() does."""
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


cdef int in_window_py(int64_t ts, object expiration, object current) except -1:
    """The spec's arithmetic, in Python, for the numbers the C check leaves out."""
    return 1 if abs(current - ts) <= expiration else 0


cdef int in_window_slow(int64_t ts, object expiration, object now) except -1:
    """in_window for the uncommon arguments: a float or huge expiration, an explicit now, a
    replaced time.time."""
    cdef gf_window w
    if now is None:
        if clock_patched():
            now = time_now()
        elif window_setup(&w, expiration, 0):  # the clock is read by gf_in_window_clock
            return gf_in_window_clock(&w, ts)
    if window_setup(&w, expiration, now):
        return gf_in_window(&w, ts)
    return in_window_py(ts, expiration, time_now() if now is None else now)
