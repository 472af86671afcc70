# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# cython: binding=True
"""Test hooks into the C core (not public): SHA-1 and HMAC with a chosen backend, the
strict base64 codec, the batch engines' thread count.

A module of its own, linked with its own copy of the core, so that a wheel can leave it
out (``GIGYA_FAST_NO_TEST_HOOKS=1`` at build time); the tests that use it skip, saying
so, when it is absent.
"""

from libc.stdint cimport uint8_t

from gigya_fast._core.capi cimport (
    PyBytes_AS_STRING,
    PyBytes_FromStringAndSize,
    PyBytes_GET_SIZE,
    PyUnicode_DATA,
    PyUnicode_GET_LENGTH,
    PyUnicode_IS_ASCII,
    PyUnicode_New,
)
from gigya_fast._core.core cimport (
    GF_B64_OK,
    GF_SHA1_PORTABLE,
    GF_SHA1_SHANI,
    gf_b64_decode_strict,
    gf_b64_encode,
    gf_effective_threads,
    gf_hmac,
    gf_hmac_init,
    gf_hmac_key,
    gf_hmac_wipe,
    gf_sha1_active_backend,
    gf_sha1_compress_fn,
    gf_sha1_compressor,
    gf_sha1_ctx,
    gf_sha1_final,
    gf_sha1_init,
    gf_sha1_select,
    gf_sha1_shani_supported,
    gf_sha1_update,
)

from ._env import force_portable_sha1

__all__ = []

# the same choice as gigya_fast._signing_c makes for its own copy of the core
gf_sha1_select(1 if force_portable_sha1() else 0)


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
    """SHA-1 digest of data with one backend; chunk > 0 feeds it in pieces of that size."""
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
