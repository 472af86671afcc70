/* gigya_fast: the glue between Python objects and the C core, for the Cython module only.
 *
 * The batch loops convert their inputs here, holding the GIL, for the common kinds of input
 * (str uid with ASCII text; exact int or ASCII str timestamp; str signature). At the first
 * item of another kind the loop returns its index and the Cython code handles that item with
 * the general (spec-identical) rules, then resumes the fast loop after it. */
#ifndef GF_PY_H
#define GF_PY_H

#include <Python.h>
#include <math.h>
#include <stdlib.h>
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
    size_t n = 0;
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
    while (p < tmp + sizeof(tmp)) { /* a few bytes: cheaper than a memcpy call */
        out[n++] = *p++;
    }
    return n;
}

/* ---- compact JSON for parameter values ---------------------------------------------------
 *
 * The spec serialises dict/list/tuple values with
 *   json.dumps(v, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
 * This encoder produces the same UTF-8 for exact dict (str keys), list, tuple, str, int
 * (within int64), finite float, bool and None, nested up to GF_JSON_MAX_DEPTH. For anything
 * else it answers 0 and the caller uses the spec's own code (same text, same errors). */

#define GF_JSON_MAX_DEPTH 64

typedef struct {
    char *data;
    size_t len;
    size_t cap;
} gf_buf;

static inline void gf_buf_free(gf_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

/* 0 on success, -1 when out of memory (no exception set). */
static inline int gf_buf_reserve(gf_buf *b, size_t extra)
{
    size_t need = b->len + extra, cap;
    char *p;
    if (need <= b->cap) {
        return 0;
    }
    cap = b->cap ? b->cap : 256;
    while (cap < need) {
        cap *= 2;
    }
    p = (char *)realloc(b->data, cap);
    if (!p) {
        return -1;
    }
    b->data = p;
    b->cap = cap;
    return 0;
}

static inline int gf_buf_put(gf_buf *b, const char *s, size_t n)
{
    if (gf_buf_reserve(b, n) < 0) {
        return -1;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    return 0;
}

/* A JSON string: '"' and '\\' and control characters escaped as Python's json does with
 * ensure_ascii=False (\b \f \n \r \t short forms, other C0 as \u00xx); everything else,
 * non-ASCII included, kept as UTF-8. 0 when the str cannot be encoded (lone surrogate). */
static inline int gf_json_string(PyObject *s, gf_buf *b)
{
    static const char hex[] = "0123456789abcdef";
    Py_ssize_t n = 0, i;
    const char *p;
    char *o;
    if (PyUnicode_IS_ASCII(s)) {
        p = (const char *)PyUnicode_DATA(s);
        n = PyUnicode_GET_LENGTH(s);
    } else {
        p = PyUnicode_AsUTF8AndSize(s, &n);
        if (!p) {
            PyErr_Clear();
            return 0;
        }
    }
    if (gf_buf_reserve(b, (size_t)n * 6 + 2) < 0) {
        return -1;
    }
    o = b->data + b->len;
    *o++ = '"';
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c >= 0x20 && c != '"' && c != '\\') {
            *o++ = (char)c;
            continue;
        }
        *o++ = '\\';
        switch (c) {
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        case '\b': *o++ = 'b'; break;
        case '\f': *o++ = 'f'; break;
        case '\n': *o++ = 'n'; break;
        case '\r': *o++ = 'r'; break;
        case '\t': *o++ = 't'; break;
        default:
            *o++ = 'u';
            *o++ = '0';
            *o++ = '0';
            *o++ = hex[c >> 4];
            *o++ = hex[c & 15];
        }
    }
    *o++ = '"';
    b->len = (size_t)(o - b->data);
    return 1;
}

/* 1: encoded into b; 0: leave it to Python's json (b is then garbage); -1: MemoryError set. */
static inline int gf_json_encode(PyObject *v, gf_buf *b, int depth)
{
    int rc;
    if (depth > GF_JSON_MAX_DEPTH) {
        return 0;
    }
    if (v == Py_None) {
        rc = gf_buf_put(b, "null", 4);
    } else if (v == Py_True) {
        rc = gf_buf_put(b, "true", 4);
    } else if (v == Py_False) {
        rc = gf_buf_put(b, "false", 5);
    } else if (PyUnicode_CheckExact(v)) {
        rc = gf_json_string(v, b);
        if (rc >= 0) {
            return rc;
        }
    } else if (PyLong_CheckExact(v)) {
        int overflow = 0;
        long long x = PyLong_AsLongLongAndOverflow(v, &overflow);
        if (overflow) {
            return 0;
        }
        rc = gf_buf_reserve(b, 24);
        if (rc == 0) {
            b->len += gf_format_int64(x, b->data + b->len);
        }
    } else if (PyFloat_CheckExact(v)) {
        double x = PyFloat_AS_DOUBLE(v);
        char *text;
        if (!isfinite(x)) {
            return 0;
        }
        text = PyOS_double_to_string(x, 'r', 0, Py_DTSF_ADD_DOT_0, NULL);
        if (!text) {
            return -1;
        }
        rc = gf_buf_put(b, text, strlen(text));
        PyMem_Free(text);
    } else if (PyList_CheckExact(v) || PyTuple_CheckExact(v)) {
        int is_list = PyList_CheckExact(v);
        Py_ssize_t i, size = is_list ? PyList_GET_SIZE(v) : PyTuple_GET_SIZE(v);
        if (gf_buf_put(b, "[", 1) < 0) {
            goto nomem;
        }
        for (i = 0; i < size; i++) {
            PyObject *item = is_list ? PyList_GET_ITEM(v, i) : PyTuple_GET_ITEM(v, i);
            if (i && gf_buf_put(b, ",", 1) < 0) {
                goto nomem;
            }
            rc = gf_json_encode(item, b, depth + 1);
            if (rc <= 0) {
                return rc;
            }
        }
        rc = gf_buf_put(b, "]", 1);
    } else if (PyDict_CheckExact(v)) {
        Py_ssize_t pos = 0;
        PyObject *key, *item;
        int first = 1;
        if (gf_buf_put(b, "{", 1) < 0) {
            goto nomem;
        }
        while (PyDict_Next(v, &pos, &key, &item)) {
            if (!PyUnicode_CheckExact(key)) {
                return 0; /* json converts int/float/bool/None keys: let it */
            }
            if (!first && gf_buf_put(b, ",", 1) < 0) {
                goto nomem;
            }
            first = 0;
            rc = gf_json_string(key, b);
            if (rc < 0) {
                goto nomem;
            }
            if (rc == 0) {
                return 0;
            }
            if (gf_buf_put(b, ":", 1) < 0) {
                goto nomem;
            }
            rc = gf_json_encode(item, b, depth + 1);
            if (rc <= 0) {
                return rc;
            }
        }
        rc = gf_buf_put(b, "}", 1);
    } else {
        return 0;
    }
    if (rc == 0) {
        return 1;
    }
nomem:
    PyErr_NoMemory();
    return -1;
}

/* A bump allocator for batch messages: blocks are never moved or resized, so helper
 * threads can read a stored message while the caller keeps appending. */
#define GF_ARENA_BLOCK (60 * 1024)

typedef struct gf_block {
    struct gf_block *prev;
    size_t cap;
    size_t used;
    char data[1];
} gf_block;

typedef struct {
    gf_block *head;
} gf_arena;

static inline char *gf_arena_alloc(gf_arena *a, size_t n)
{
    gf_block *b = a->head;
    char *p;
    if (!b || b->cap - b->used < n) {
        size_t cap = n > GF_ARENA_BLOCK ? n : GF_ARENA_BLOCK;
        b = (gf_block *)malloc(sizeof(gf_block) + cap);
        if (!b) {
            return NULL;
        }
        b->prev = a->head;
        b->cap = cap;
        b->used = 0;
        a->head = b;
    }
    p = b->data + b->used;
    b->used += n;
    return p;
}

static inline void gf_arena_free(gf_arena *a)
{
    while (a->head) {
        gf_block *prev = a->head->prev;
        free(a->head);
        a->head = prev;
    }
}

/* Store ts + "_" + uid as item it's message, with sig as its candidate when it has the only
 * length that can match. 0, or -1 when out of memory (no exception set). */
static inline int gf_uid_item_put(gf_uid_item *it, gf_arena *arena, const char *ts, size_t ts_len,
                                  const char *uid, size_t uid_len, const char *sig, size_t sig_len)
{
    size_t need = ts_len + 1 + uid_len;
    char *o;
    it->check = 0;
    it->result = 0;
    if (sig == NULL || sig_len != GF_SIG_B64_LEN) {
        return 0; /* cannot match: nothing to hash */
    }
    o = gf_arena_alloc(arena, need);
    if (!o) {
        return -1;
    }
    memcpy(o, ts, ts_len);
    o[ts_len] = '_';
    memcpy(o + ts_len + 1, uid, uid_len);
    it->msg = o;
    it->msg_len = need;
    memcpy(it->sig, sig, GF_SIG_B64_LEN);
    it->check = 1;
    return 0;
}

/* The batch conversion loop for the common inputs (see the top of this file). Messages are
 * copied into the arena, so the GIL-free part never touches a Python object. Works on
 * [i, n) and returns the index of the first item it leaves to the caller (n when done), or
 * -1 with MemoryError. */
static inline Py_ssize_t gf_fill_uid_items(PyObject *const *uids, PyObject *const *timestamps,
                                    PyObject *const *signatures, gf_uid_item *items, gf_arena *arena,
                                    Py_ssize_t i, Py_ssize_t n, int mode, const gf_window *w)
{
    PyObject *prev_ts = NULL;
    char prev_text[24];
    size_t prev_len = 0;
    for (; i < n; i++) {
        gf_uid_item *it = &items[i];
        PyObject *uid = uids[i];
        PyObject *ts = timestamps[i];
        PyObject *sig;
        const char *text;
        size_t text_len;
        int64_t value;

        it->check = 0;
        it->result = 0;
        if (!PyUnicode_Check(uid) || !PyUnicode_IS_ASCII(uid)) {
            return i;
        }
        if (PyLong_CheckExact(ts)) {
            if (ts != prev_ts) {
                /* one formatting per distinct int object (batches often repeat one) */
                int overflow = 0;
                long long v = PyLong_AsLongLongAndOverflow(ts, &overflow);
                if (overflow) {
                    return i;
                }
                prev_len = gf_format_int64(v, prev_text);
                prev_ts = ts;
            }
            text = prev_text;
            text_len = prev_len;
        } else if (PyUnicode_CheckExact(ts) && PyUnicode_IS_ASCII(ts)) {
            text = (const char *)PyUnicode_DATA(ts);
            text_len = (size_t)PyUnicode_GET_LENGTH(ts);
        } else {
            return i;
        }
        if (mode == GF_FILL_TYPES) {
            continue;
        }
        if (mode == GF_FILL_WINDOW && !(gf_parse_ts(text, text_len, &value) && gf_in_window(w, value))) {
            continue;
        }
        sig = signatures[i];
        if (PyUnicode_Check(sig) && PyUnicode_IS_ASCII(sig) && PyUnicode_GET_LENGTH(sig) == GF_SIG_B64_LEN) {
            if (gf_uid_item_put(it, arena, text, text_len, (const char *)PyUnicode_DATA(uid),
                                (size_t)PyUnicode_GET_LENGTH(uid), (const char *)PyUnicode_DATA(sig),
                                GF_SIG_B64_LEN) < 0) {
                PyErr_NoMemory();
                return -1;
            }
        }
    }
    return n;
}

#endif /* GF_PY_H */
