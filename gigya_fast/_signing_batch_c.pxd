# The batch kernels behind the compiled Signer.validate_users and Signer.verify_hmacs
# (gigya_fast._signing_c), for cimport by it: they take the Signer's key, already
# checked arguments, and follow the spec's Signer methods in gigya_fast._signing_py.

from gigya_fast._core.core cimport gf_hmac_key


cdef object validate_users(const gf_hmac_key *key, object uids, object timestamps,
                           object signatures, object expiration, object now, Py_ssize_t threads)
cdef object verify_hmacs(const gf_hmac_key *key, list messages, list signatures, Py_ssize_t threads)
