/* gigya_fast: reading a webhook batch's Python items into gf_hook_items (GIL held), for the
 * Cython module only. The rules are those of verify_webhook_batch in
 * gigya_fast/webhooks/_batch_py.py. */
#ifndef GF_HOOKS_PY_H
#define GF_HOOKS_PY_H

#include <Python.h>
#include <string.h>

#include "gf_hooks.h"

#if defined(__GNUC__) || defined(__clang__)
#  define GF_PREFETCH(p) __builtin_prefetch((const void *)(p))
#  define GF_PREFETCH_W(p) __builtin_prefetch((const void *)(p), 1)
#elif defined(_MSC_VER) && (defined(_M_X64) || defined(_M_IX86))
#  include <xmmintrin.h>
#  define GF_PREFETCH(p) _mm_prefetch((const char *)(p), _MM_HINT_T0)
#  define GF_PREFETCH_W(p) GF_PREFETCH(p)
#else
#  define GF_PREFETCH(p) ((void)(p))
#  define GF_PREFETCH_W(p) ((void)(p))
#endif

/* How far ahead the loop asks for the next items' objects: a batch is usually far larger
 * than the caches, so each item's tuple, dict and key table would otherwise be a cache
 * miss waited for in turn. */
#define GF_HOOK_AHEAD 8

static inline int gf_hook_is_space(Py_UCS4 c)
{
    /* str.isspace() for ASCII: \t \n \v \f \r, \x1c-\x1f and the space */
    return (c >= 9 && c <= 13) || (c >= 28 && c <= 32);
}

/* sig.strip() into out when it is a 28-character ASCII candidate: 1; 0 when it cannot
 * match; -1 on a Python error. */
static inline int gf_hook_sig(PyObject *sig, char *out)
{
    const char *data;
    Py_ssize_t start = 0, end;
    PyObject *stripped = NULL;
    int ok = 0;
    if (!PyUnicode_IS_ASCII(sig)) {
        /* Unicode whitespace around it: rare, Python's rules */
        stripped = PyObject_CallMethod(sig, "strip", NULL);
        if (stripped == NULL) {
            return -1;
        }
        if (!PyUnicode_Check(stripped) || !PyUnicode_IS_ASCII(stripped)) {
            Py_DECREF(stripped);
            return 0;
        }
        sig = stripped;
    }
    data = (const char *)PyUnicode_DATA(sig);
    end = PyUnicode_GET_LENGTH(sig);
    while (start < end && gf_hook_is_space((unsigned char)data[start])) {
        start++;
    }
    while (end > start && gf_hook_is_space((unsigned char)data[end - 1])) {
        end--;
    }
    if (end - start == GF_SIG_B64_LEN) {
        memcpy(out, data + start, GF_SIG_B64_LEN);
        ok = 1;
    }
    Py_XDECREF(stripped);
    return ok;
}

/* The header's value as the spec's two dict.get calls find it (borrowed, or NULL for
 * missing/None); *err set on a Python error. */
static inline PyObject *gf_hook_header(PyObject *headers, PyObject *name, PyObject *lower, int *err)
{
    PyObject *value = PyDict_GetItemWithError(headers, name);
    if (value == NULL && PyErr_Occurred()) {
        *err = 1;
        return NULL;
    }
    if (value != NULL && value != Py_None) {
        return value;
    }
    value = PyDict_GetItemWithError(headers, lower);
    if (value == NULL && PyErr_Occurred()) {
        *err = 1;
    }
    return value == Py_None ? NULL : value;
}

static inline void gf_hook_prefetch(PyObject *const *items, Py_ssize_t i, Py_ssize_t n)
{
    PyObject *t;
    if (i + 3 * GF_HOOK_AHEAD < n) {
        GF_PREFETCH(items[i + 3 * GF_HOOK_AHEAD]); /* the tuple */
    }
    if (i + 2 * GF_HOOK_AHEAD < n) {
        t = items[i + 2 * GF_HOOK_AHEAD];
        if (PyTuple_CheckExact(t) && PyTuple_GET_SIZE(t) == 2) {
            GF_PREFETCH(PyTuple_GET_ITEM(t, 0)); /* the body's size */
            GF_PREFETCH(PyTuple_GET_ITEM(t, 1)); /* the dict */
        }
    }
    if (i + GF_HOOK_AHEAD < n) {
        t = items[i + GF_HOOK_AHEAD];
        if (PyTuple_CheckExact(t) && PyTuple_GET_SIZE(t) == 2 && PyDict_CheckExact(PyTuple_GET_ITEM(t, 1))) {
            const char *keys = (const char *)((PyDictObject *)PyTuple_GET_ITEM(t, 1))->ma_keys;
            GF_PREFETCH(keys);
            GF_PREFETCH(keys + 64);
            GF_PREFETCH(keys + 128);
        }
    }
}

/* Fill hooks[begin..end) and objs (body, headers per item; borrowed from items[0..n),
 * which the caller keeps alive) from (bytes, dict) items. 1: all filled; 0: an item needs
 * the general path; -1: a Python error is set. */
static inline int gf_fill_hooks(PyObject *const *items, Py_ssize_t begin, Py_ssize_t end, Py_ssize_t n,
                         PyObject *name, PyObject *lower, Py_ssize_t max_body,
                         gf_hook_item *hooks, PyObject **objs)
{
    Py_ssize_t i, size;
    int err = 0, has;
    for (i = begin; i < end; i++) {
        PyObject *item = items[i], *body, *headers, *sig;
        gf_hook_prefetch(items, i, n);
        if (!PyTuple_CheckExact(item) || PyTuple_GET_SIZE(item) != 2) {
            return 0;
        }
        body = PyTuple_GET_ITEM(item, 0);
        headers = PyTuple_GET_ITEM(item, 1);
        if (!PyBytes_CheckExact(body) || !PyDict_CheckExact(headers)) {
            return 0;
        }
        sig = gf_hook_header(headers, name, lower, &err);
        if (err) {
            return -1;
        }
        if (sig == NULL || !PyUnicode_CheckExact(sig)) {
            return 0;
        }
        size = PyBytes_GET_SIZE(body);
        if (size == 0 || size > max_body) {
            return 0;
        }
        Py_INCREF(sig); /* a str subclass key's __eq__ in a later lookup could drop it */
        has = gf_hook_sig(sig, hooks[i].sig);
        Py_DECREF(sig);
        if (has < 0) {
            return -1;
        }
        hooks[i].body = (const uint8_t *)PyBytes_AS_STRING(body);
        hooks[i].len = (size_t)size;
        hooks[i].has_sig = (uint8_t)has;
        hooks[i].result = GF_HOOK_BAD_SIG;
        objs[2 * i] = body;
        objs[2 * i + 1] = headers;
    }
    return 1;
}

/* Before building item i's result: ask for the objects whose reference counts the results
 * GF_HOOK_AHEAD items later will update (the hashing has pushed them out of the caches). */
static inline void gf_hook_prefetch_objs(PyObject *const *objs, Py_ssize_t i, Py_ssize_t n)
{
    if (i + GF_HOOK_AHEAD < n) {
        GF_PREFETCH_W(objs[2 * (i + GF_HOOK_AHEAD)]);
        GF_PREFETCH_W(objs[2 * (i + GF_HOOK_AHEAD) + 1]);
    }
}

#endif /* GF_HOOKS_PY_H */
