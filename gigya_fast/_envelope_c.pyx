# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# cython: binding=False, embedsignature=True, embedsignature.format=clinic
"""Reading the ``errorCode`` of a CDC answer without parsing it, compiled: the twin of
``gigya_fast._envelope_py`` (same names, same results), over ``_core/gf_json.c``.
"""

from libc.stdint cimport int64_t, uint8_t

from gigya_fast._core.capi cimport PyBytes_AS_STRING, PyBytes_GET_SIZE

from gigya_fast._checks_py import _exact_bytes


cdef extern from "gf_json.h" nogil:
    int GF_ENVELOPE_MAX_DEPTH
    int GF_ENVELOPE_MAX_INT_DIGITS
    int GF_ENVELOPE_MAX_CODE_DIGITS
    int gf_envelope_code(const uint8_t *body, size_t n, int64_t *code)


__all__ = ["scan_envelope", "MAX_DEPTH", "MAX_INT_DIGITS", "MAX_CODE_DIGITS"]

MAX_DEPTH = GF_ENVELOPE_MAX_DEPTH
MAX_INT_DIGITS = GF_ENVELOPE_MAX_INT_DIGITS
MAX_CODE_DIGITS = GF_ENVELOPE_MAX_CODE_DIGITS


def scan_envelope(body):
    """The top-level ``errorCode`` of *body* when it is a JSON object in the strict subset
    this module describes and that member is a short integer literal; None otherwise."""
    cdef int64_t code = 0
    if type(body) is not bytes:
        body = _exact_bytes("body", body)  # our own copy: a bytearray could change while it is read
    if gf_envelope_code(<const uint8_t *>PyBytes_AS_STRING(body), <size_t>PyBytes_GET_SIZE(body), &code):
        return code
    return None
