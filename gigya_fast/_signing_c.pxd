# The compiled Signer, for cimport by the other compiled modules (the webhook batch kernel
# reads its key): gigya_fast._signing_c is the twin of gigya_fast._signing_py.

from gigya_fast._core.core cimport gf_hmac_key


cdef class Signer:
    cdef gf_hmac_key _key
    cdef bint _ready

    cdef int _check_ready(self) except -1
