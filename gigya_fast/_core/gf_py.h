/* gigya_fast: the glue between Python objects and the C core, for the Cython module only.
 *
 * The batch loops convert their inputs here, holding the GIL, for the common kinds of input
 * (str uid with ASCII text; exact int or ASCII str timestamp; str signature). At the first
 * item of another kind the loop returns its index and the Cython code handles that item with
 * the general (spec-identical) rules, then resumes the fast loop after it. */
#ifndef GF_PY_H
#define GF_PY_H

#include <Python.h>
#include <string.h>

#include "gf_core.h"

enum {
    GF_FILL_TYPES = 0,   /* type checks and text views only (window decided elsewhere) */
    GF_FILL_ALL = 1,     /* no window: every item is a candidate */
    GF_FILL_WINDOW = 2   /* the C window decides */
};

/* Decimal text of v into out (>= 21 bytes); returns its length. Two digits per step. */
static inline size_t gf_format_int64(long long v, char *out)
{
    static const char pairs[201] =
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
        "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
        "8081828384858687888990919293949596979899";
    char tmp[24];
    char *p = tmp + sizeof(tmp);
    unsigned long long u;
    size_t n = 0, len;
    if (v < 0) {
        u = 0ULL - (unsigned long long)v;
        out[n++] = '-';
    } else {
        u = (unsigned long long)v;
    }
    while (u >= 100) {
        unsigned r = (unsigned)(u % 100);
        u /= 100;
        p -= 2;
        p[0] = pairs[2 * r];
        p[1] = pairs[2 * r + 1];
    }
    if (u >= 10) {
        p -= 2;
        p[0] = pairs[2 * u];
        p[1] = pairs[2 * u + 1];
    } else {
        *--p = (char)('0' + (int)u);
    }
    len = (size_t)(tmp + sizeof(tmp) - p);
    memcpy(out + n, p, len);
    return n + len;
}

static inline Py_ssize_t gf_fill_uid_items(PyObject *const *uids, PyObject *const *timestamps,
                                           PyObject *const *signatures, gf_uid_item *items,
                                           Py_ssize_t i, Py_ssize_t n, int mode, const gf_window *w)
{
    PyObject *prev_ts = NULL;
    const gf_uid_item *prev = NULL;
    for (; i < n; i++) {
        gf_uid_item *it = &items[i];
        PyObject *uid = uids[i];
        PyObject *ts = timestamps[i];
        PyObject *sig;
        int64_t value;

        it->check = 0;
        it->result = 0;
        if (!PyUnicode_Check(uid) || !PyUnicode_IS_ASCII(uid)) {
            return i;
        }
        if (PyLong_CheckExact(ts)) {
            if (ts == prev_ts) {
                /* the same int object as the previous item (a common batch shape) */
                memcpy(it->tsbuf, prev->tsbuf, sizeof(it->tsbuf));
                it->ts_len = prev->ts_len;
            } else {
                int overflow = 0;
                long long v = PyLong_AsLongLongAndOverflow(ts, &overflow);
                if (overflow) {
                    return i;
                }
                it->ts_len = gf_format_int64(v, it->tsbuf);
                prev_ts = ts;
                prev = it;
            }
            it->ts = it->tsbuf;
        } else if (PyUnicode_CheckExact(ts) && PyUnicode_IS_ASCII(ts)) {
            it->ts = (const char *)PyUnicode_DATA(ts);
            it->ts_len = (size_t)PyUnicode_GET_LENGTH(ts);
        } else {
            return i;
        }
        it->uid = (const char *)PyUnicode_DATA(uid);
        it->uid_len = (size_t)PyUnicode_GET_LENGTH(uid);
        if (mode == GF_FILL_TYPES) {
            continue;
        }
        if (mode == GF_FILL_WINDOW && !(gf_parse_ts(it->ts, it->ts_len, &value) && gf_in_window(w, value))) {
            continue;
        }
        sig = signatures[i];
        if (PyUnicode_Check(sig) && PyUnicode_IS_ASCII(sig)) {
            it->sig = (const char *)PyUnicode_DATA(sig);
            it->sig_len = (size_t)PyUnicode_GET_LENGTH(sig);
            it->check = 1;
        }
    }
    return n;
}

#endif /* GF_PY_H */
