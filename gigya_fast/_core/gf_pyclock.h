/* gigya_fast: is time.time still the real one? The kernels read the system clock in C, as
 * the real time.time does; when something replaced it (freezegun, a test's monkeypatch)
 * they call the replacement, as the specification would. Asked on every window check, so
 * the answer is cached until the time module's namespace changes: its dict's version tag
 * (CPython < 3.12) or a dict watcher (3.12+) says when. For gigya_fast._checks_c only (the
 * cache is this module's state); the GIL is held throughout. */
#ifndef GF_PYCLOCK_H
#define GF_PYCLOCK_H

#include <Python.h>

static PyObject *gf_clock_dict = NULL;  /* time.__dict__ (owned) */
static PyObject *gf_clock_real = NULL;  /* the real time.time (owned) */
static PyObject *gf_clock_key = NULL;   /* "time", interned (owned) */
static int gf_clock_patched_cache = 0;

#if PY_VERSION_HEX >= 0x030C0000
static int gf_clock_dirty = 1;    /* 1: ask the dict on the next call */
static int gf_clock_watched = 0;  /* 1: a watcher keeps gf_clock_dirty up to date */

static int gf_clock_on_change(PyDict_WatchEvent event, PyObject *dict, PyObject *key, PyObject *value)
{
    (void)event;
    (void)dict;
    (void)key;
    (void)value;
    gf_clock_dirty = 1;
    return 0;
}
#else
static uint64_t gf_clock_tag = 0;  /* the dict's version when the cache was filled (0: never) */
#endif

/* Remember time.__dict__ and the real time.time; 0, or -1 with an exception. */
static int gf_clock_init(PyObject *dict, PyObject *real)
{
    gf_clock_key = PyUnicode_InternFromString("time");
    if (gf_clock_key == NULL) {
        return -1;
    }
    Py_INCREF(dict);
    Py_INCREF(real);
    gf_clock_dict = dict;
    gf_clock_real = real;
#if PY_VERSION_HEX >= 0x030C0000
    {
        int id = PyDict_AddWatcher(gf_clock_on_change);
        if (id >= 0 && PyDict_Watch(id, dict) == 0) {
            gf_clock_watched = 1;
        } else {
            PyErr_Clear(); /* no watcher slot left: ask the dict every time */
        }
    }
#endif
    return 0;
}

/* 1 when time.time is not the real one (replaced or removed). */
static inline int gf_clock_patched(void)
{
#if PY_VERSION_HEX >= 0x030C0000
    if (!gf_clock_dirty) {
        return gf_clock_patched_cache;
    }
    gf_clock_dirty = !gf_clock_watched;
#else
    uint64_t tag = ((PyDictObject *)gf_clock_dict)->ma_version_tag;
    if (tag == gf_clock_tag) {
        return gf_clock_patched_cache;
    }
    gf_clock_tag = tag;
#endif
    {
        PyObject *now = PyDict_GetItemWithError(gf_clock_dict, gf_clock_key);
        if (now == NULL && PyErr_Occurred()) {
            PyErr_Clear(); /* cannot happen (a str key, a dict of str keys): count it as replaced */
        }
        gf_clock_patched_cache = now != gf_clock_real;
    }
    return gf_clock_patched_cache;
}

#endif /* GF_PYCLOCK_H */
