# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# cython: binding=False, embedsignature=True, embedsignature.format=clinic
# (binding=False: builtin functions and method descriptors, vectorcalled without a
# cyfunction layer; the clinic signatures keep inspect.signature() working)
"""Compiled signing kernels: the twin of ``gigya_fast._signing_py``.

``_signing_py`` is the specification: this module exposes the same names with the
same signatures, gives byte-identical results and raises the same exceptions with
the same messages. Hashing, HMAC, base64 and the batch loops run in our C core
(``_core/``); the query and base strings are built by ``_serialize_c``, the batches by
``_signing_batch_c``, the argument checks by ``_checks_c``. Rare inputs are handed to
the pure modules' functions, so both twins share one definition of the unusual cases.
"""

cimport cython
from libc.stdint cimport uint8_t
from libc.stdlib cimport free, malloc

from gigya_fast._checks_c cimport (
    SIG_LEN,
    ascii_str,
    check_timestamp_type,
    exact_int,
    fmt_int64,
    in_window,
    require_str,
    sig_candidate,
    str_arg,
    threads_arg,
    time_now,
    timestamp_text,
    timestamp_text_fast,
    type_name,
    utf8_of,
    utf8_or_null,
    window_expiration,
    window_number,
)
from gigya_fast._core.capi cimport (
    PyBytes_AS_STRING,
    PyBytes_Check,
    PyBytes_GET_SIZE,
    PyByteArray_AS_STRING,
    PyByteArray_Check,
    PyByteArray_GET_SIZE,
    PyDict_GetItem,
    PyLong_AsLongLongAndOverflow,
    PyLong_CheckExact,
    PyObject,
    PyUnicode_Check,
    PyUnicode_CheckExact,
    PyUnicode_DATA,
    PyUnicode_FromObject,
    PyUnicode_GET_LENGTH,
    PyUnicode_IS_ASCII,
    PyUnicode_New,
)
from gigya_fast._core.core cimport (
    GF_B64_OK,
    GF_SHA1_SHANI,
    GF_THREADS_NAME,
    gf_b64_decode_strict,
    gf_b64_encode_digest,
    gf_hmac,
    gf_hmac_b64_matches,
    gf_hmac_init,
    gf_hmac_key,
    gf_hmac_parts_b64_matches,
    gf_hmac_wipe,
    gf_sha1_active_backend,
    gf_sha1_select,
    gf_sha1_shani_supported,
    gf_wipe,
)
from gigya_fast._serialize_c cimport QB, fast_request, qb_collect, qb_free, qb_init, request_base, spec_request
from gigya_fast._signing_batch_c cimport validate_users as batch_validate_users
from gigya_fast._signing_batch_c cimport verify_hmacs as batch_verify_hmacs

from . import _signing_py as _py
from ._env import force_portable_sha1
from ._serialize_c import build_base_string, build_query_string, normalize_url, percent_encode, serialize_value
from .errors import InvalidSecretError

__all__ = [
    "IMPLEMENTATION",
    "Signer",
    "percent_encode",
    "serialize_value",
    "build_query_string",
    "build_base_string",
    "normalize_url",
    "calc_signature",
    "validate_user_signature",
    "validate_friend_signature",
    "validate_user_signatures",
    "get_dynamic_session_signature",
    "get_dynamic_session_signature_user_signed",
    "kernel_info",
]

IMPLEMENTATION = "cython"

MAX_TIMESTAMP_DIGITS = _py.MAX_TIMESTAMP_DIGITS

gf_sha1_select(1 if force_portable_sha1() else 0)

cdef enum:
    _SIGNER_CACHE_SIZE = 64
    _NOGIL_BYTES = 65536     # single messages this big are hashed without the GIL
    _BASESTACK = 8192        # base string bytes signed without a heap allocation


cdef inline object _b64_digest_str(const uint8_t *digest):
    cdef object result = PyUnicode_New(SIG_LEN, 127)
    gf_b64_encode_digest(digest, <char *>PyUnicode_DATA(result))
    return result


# ---- secrets and the Signer ------------------------------------------------------------


_BAD_ALPHABET = (
    "secret is not valid base64: it has characters outside the standard alphabet"
)


cdef int _init_key(gf_hmac_key *key, object secret) except -1:
    """The spec's _decode_secret, then the HMAC midstates; the decoded key is wiped."""
    cdef Py_ssize_t n
    cdef uint8_t stack[192]
    cdef uint8_t *buf = stack
    cdef size_t outlen = 0
    cdef int rc
    require_str("secret", secret)
    n = PyUnicode_GET_LENGTH(secret)
    if n == 0:
        raise InvalidSecretError("secret is empty")
    if n % 4:
        raise InvalidSecretError(
            "secret is not valid base64: its length is not a multiple of 4"
        )
    if not PyUnicode_IS_ASCII(secret):
        raise InvalidSecretError(_BAD_ALPHABET)
    if (n // 4) * 3 > <Py_ssize_t>sizeof(stack):
        buf = <uint8_t *>malloc(<size_t>((n // 4) * 3))
        if buf == NULL:
            raise MemoryError()
    try:
        rc = gf_b64_decode_strict(<const char *>PyUnicode_DATA(secret), <size_t>n, buf,
                                  &outlen)
        if rc != GF_B64_OK:
            raise InvalidSecretError(_BAD_ALPHABET)
        gf_hmac_init(key, buf, outlen, NULL)
    finally:
        gf_wipe(buf, <size_t>((n // 4) * 3))
        if buf != stack:
            free(buf)
    return 0


cdef class Signer:
    """Signer(secret)
--

HMAC-SHA1 signer/validator for one base64 secret.

    Immutable and safe to share between threads. The secret is decoded once;
    it never appears in ``repr()`` or in error messages.
    """

    # Only the HMAC midstates of the decoded secret are kept (_key); the secret itself is
    # wiped as soon as they are computed.

    def __init__(self, secret):
        if self._ready:
            raise AttributeError("Signer is immutable")
        _init_key(&self._key, secret)
        self._ready = True

    def __dealloc__(self):
        gf_hmac_wipe(&self._key)

    def __setattr__(self, name, value):
        raise AttributeError("Signer is immutable")

    def __delattr__(self, name):
        raise AttributeError("Signer is immutable")

    def __repr__(self):
        return "<Signer secret=***>"

    # a cyfunction: the FASTCALL wrapper binding=False gives a no-argument method computes
    # args + 0 with args NULL, which UBSan reports
    @cython.binding(True)
    def __reduce__(self):
        raise TypeError("Signer cannot be pickled (it holds a secret)")

    cdef int _check_ready(self) except -1:
        if not self._ready:
            raise AttributeError("'Signer' object has no attribute '_key'")
        return 0

    def sign(self, base_string):
        """base64(HMAC-SHA1(secret, UTF-8 of *base_string*))."""
        require_str("base_string", base_string)
        self._check_ready()
        return _sign_text(self, base_string)

    def sign_bytes(self, message):
        """base64(HMAC-SHA1(secret, *message*)), e.g. a webhook body."""
        cdef uint8_t digest[20]
        if PyBytes_Check(message):
            self._check_ready()
            _hmac_big(&self._key, PyBytes_AS_STRING(message),
                      <size_t>PyBytes_GET_SIZE(message), digest)
        elif PyByteArray_Check(message):
            # a bytearray may be resized by another thread: hashed with the GIL held
            self._check_ready()
            gf_hmac(&self._key, PyByteArray_AS_STRING(message),
                    <size_t>PyByteArray_GET_SIZE(message), digest)
        else:
            raise TypeError("message must be bytes, not %s" % type_name(message))
        return _b64_digest_str(digest)

    def sign_request(self, http_method, url, params):
        """Return ``(query_string, sig)`` for a request: the body is ``query_string + "&sig=" + enc(sig)``."""
        http_method = str_arg("http_method", http_method)
        url = str_arg("url", url)
        self._check_ready()
        return _sign_request(self, http_method, url, params)

    def validate_user(self, uid, timestamp, signature, expiration=300, *, now=None):
        """Check a UIDSignature over ``<timestamp>_<uid>`` and the timestamp window."""
        self._check_ready()
        return _validate(self, uid, timestamp, None, False, signature, expiration, now)

    def validate_friend(self, uid, timestamp, friend_uid, signature, expiration=300, *, now=None):
        """Check a friendshipSignature over ``<timestamp>_<friend_uid>_<uid>`` and the window."""
        self._check_ready()
        return _validate(self, uid, timestamp, friend_uid, True, signature, expiration, now)

    def validate_users(self, uids, timestamps, signatures, *, expiration=300, now=None, threads=1):
        """Validate many UIDSignatures at once; results in input order.

        The compiled kernels run the HMACs without the GIL on *threads* native threads.
        """
        cdef Py_ssize_t nthreads = threads_arg(threads)
        expiration = window_expiration(expiration)
        now = window_number("now", now)
        self._check_ready()
        return batch_validate_users(&self._key, uids, timestamps, signatures, expiration, now, nthreads)

    def verify_hmacs(self, messages, signatures, *, threads=1):
        """Check base64 HMAC-SHA1 *signatures* over raw *messages* (webhook bodies).

        The compiled kernels run the HMACs without the GIL on *threads* native threads.
        """
        cdef Py_ssize_t nthreads = threads_arg(threads)
        self._check_ready()
        return batch_verify_hmacs(&self._key, list(messages), list(signatures), nthreads)


cdef object _sign_text(Signer signer, object text):
    cdef uint8_t digest[20]
    cdef Py_ssize_t size
    cdef const char *data
    data = utf8_of(text, &size)
    _hmac_big(&signer._key, data, <size_t>size, digest)
    return _b64_digest_str(digest)


cdef void _hmac_big(const gf_hmac_key *key, const char *data, size_t size,
                    uint8_t *digest) noexcept:
    """HMAC of an immutable buffer the caller keeps alive; big ones without the GIL (as
    hashlib does), so other threads run meanwhile."""
    if size >= _NOGIL_BYTES:
        with nogil:
            gf_hmac(key, data, size, digest)
    else:
        gf_hmac(key, data, size, digest)


cdef object _sign_request(Signer signer, object http_method, object url, object params):
    """The spec's sign_request for checked method and URL: the base string built by
    _serialize_c (in C for an exact dict of common values), signed here."""
    cdef QB qb
    cdef uint8_t digest[20]
    cdef char stack[_BASESTACK]
    cdef char *base = NULL
    cdef Py_ssize_t size = 0
    cdef object query
    if fast_request(http_method, url, params):
        qb_init(&qb)
        try:
            if qb_collect(&qb, params):
                query = request_base(&qb, http_method, url, stack, sizeof(stack), &base, &size, True)
                _hmac_big(&signer._key, base, <size_t>size, digest)
                return query, _b64_digest_str(digest)
        finally:
            qb_free(&qb)
            if base != stack:
                free(base)
    query, text = spec_request(http_method, url, params)
    return query, _sign_text(signer, text)


# ---- UIDSignature / friendshipSignature ----------------------------------------------


cdef object _validate(Signer signer, object uid, object timestamp, object friend_uid, bint friend,
                      object signature, object expiration, object now):
    cdef char tsbuf[24]
    cdef const char *ts
    cdef Py_ssize_t ts_len = 0, uid_len = 0, friend_len = 0, sig_len = 0
    cdef const char *uid_data
    cdef const char *friend_data = NULL
    cdef const char *sig
    cdef const void *parts[5]
    cdef size_t lens[5]
    cdef size_t nparts
    cdef int overflow = 0
    cdef long long ivalue = -1, small_expiration = -1
    cdef object text = None

    uid = str_arg("uid", uid)
    if PyLong_CheckExact(timestamp):
        ivalue = PyLong_AsLongLongAndOverflow(timestamp, &overflow)
        if overflow:
            text = timestamp_text(timestamp, tsbuf, &ts, &ts_len)
        else:
            ts_len = fmt_int64(ivalue, tsbuf)
            ts = tsbuf
    else:
        text = timestamp_text_fast(timestamp, tsbuf, &ts, &ts_len)
    if friend:
        friend_uid = str_arg("friend_uid", friend_uid)
    expiration = window_expiration(expiration, &small_expiration)
    now = window_number("now", now)
    if not in_window(ts, ts_len, expiration, now, ivalue if text is None else -1, small_expiration):
        return False

    # A non-ASCII timestamp text or a lone surrogate: let Python build the message, which
    # raises the spec's UnicodeEncodeError (positions counted in the whole message).
    if ts == NULL:
        return _validate_slow(signer, text, tsbuf, ts_len, uid, friend_uid, friend, signature)
    uid_data = utf8_or_null(uid, &uid_len)
    if friend:
        friend_data = utf8_or_null(friend_uid, &friend_len)
    if uid_data == NULL or (friend and friend_data == NULL):
        return _validate_slow(signer, text, tsbuf, ts_len, uid, friend_uid, friend, signature)

    if not sig_candidate(signature, &sig, &sig_len):
        return False
    parts[0] = ts
    lens[0] = <size_t>ts_len
    parts[1] = b"_"
    lens[1] = 1
    if friend:
        parts[2] = friend_data
        lens[2] = <size_t>friend_len
        parts[3] = b"_"
        lens[3] = 1
        parts[4] = uid_data
        lens[4] = <size_t>uid_len
        nparts = 5
    else:
        parts[2] = uid_data
        lens[2] = <size_t>uid_len
        nparts = 3
    if gf_hmac_parts_b64_matches(&signer._key, parts, lens, nparts, sig,
                                 <size_t>sig_len):
        return True
    return False


cdef object _validate_slow(Signer signer, object text, const char *tsbuf,
                           Py_ssize_t ts_len, object uid, object friend_uid,
                           bint friend, object signature):
    cdef const char *sig
    cdef Py_ssize_t sig_len = 0
    cdef bytes message
    if text is None:
        text = ascii_str(tsbuf, ts_len)
    else:
        text = str.__str__(text)
    if friend:
        message = (text + "_" + friend_uid + "_" + uid).encode("utf-8")
    else:
        message = (text + "_" + uid).encode("utf-8")
    if not sig_candidate(signature, &sig, &sig_len):
        return False
    return gf_hmac_b64_matches(&signer._key, PyBytes_AS_STRING(message),
                               <size_t>PyBytes_GET_SIZE(message), sig,
                               <size_t>sig_len) != 0


# ---- the Signer cache and module-level functions ---------------------------------------


cdef dict _signers = {}


# The last secret str used and its Signer (set together: no Python code runs in between).
cdef object _last_secret = None
cdef Signer _last_signer = None


cdef inline Signer _signer_for(object secret):
    """A cached Signer per secret string (bounded, like the spec's), so hot loops never re-decode
    the secret. The last secret is checked first, by identity."""
    if secret is _last_secret and _last_signer is not None:
        return _last_signer
    return _signer_lookup(secret)


cdef Signer _signer_lookup(object secret):
    global _last_secret, _last_signer
    cdef PyObject *cached
    cdef Signer signer
    if PyUnicode_Check(secret) and not PyUnicode_CheckExact(secret):
        # looked up by its real characters: a subclass's __hash__/__eq__ never pick a key
        secret = PyUnicode_FromObject(secret)
    if PyUnicode_CheckExact(secret):
        cached = PyDict_GetItem(_signers, secret)
        if cached != NULL:
            signer = <Signer>cached
            _last_secret, _last_signer = secret, signer
            return signer
    signer = Signer(secret)
    if not PyUnicode_CheckExact(secret):
        return signer
    if len(_signers) >= _SIGNER_CACHE_SIZE:
        _signers.clear()
    _signers[secret] = signer
    _last_secret, _last_signer = secret, signer
    return signer


def calc_signature(base_string, secret):
    """base64(HMAC-SHA1(base64decode(secret), UTF-8 of *base_string*))."""
    require_str("base_string", base_string)
    return _sign_text(_signer_for(secret), base_string)


def validate_user_signature(uid, timestamp, secret, signature, expiration=300, *,
                            now=None):
    """True when *signature* is the UIDSignature of (*uid*, *timestamp*) and the
    timestamp is within *expiration* s of now."""
    require_str("uid", uid)
    check_timestamp_type(timestamp)
    return _validate(_signer_for(secret), uid, timestamp, None, False, signature,
                     expiration, now)


def validate_friend_signature(uid, timestamp, friend_uid, secret, signature,
                              expiration=300, *, now=None):
    """True when *signature* is the friendshipSignature of (*uid*, *friend_uid*, *timestamp*) within the window."""
    require_str("uid", uid)
    check_timestamp_type(timestamp)
    require_str("friend_uid", friend_uid)
    return _validate(_signer_for(secret), uid, timestamp, friend_uid, True, signature,
                     expiration, now)


def validate_user_signatures(uids, timestamps, signatures, secret, *, expiration=300,
                             now=None, threads=1):
    """Batch form of :func:`validate_user_signature` (see ``Signer.validate_users``)."""
    return _signer_for(secret).validate_users(
        uids, timestamps, signatures, expiration=expiration, now=now, threads=threads
    )


def _expiry(timeout_seconds, now):
    if isinstance(timeout_seconds, bool) or not isinstance(timeout_seconds, int):
        raise TypeError(
            "timeout_seconds must be int, not %s" % type_name(timeout_seconds)
        )
    now = window_number("now", now)
    current = time_now() if now is None else now
    return int(current) + exact_int(timeout_seconds)


def _login_token(glt_cookie):
    return str_arg("glt_cookie", glt_cookie).split("|", 1)[0]


def get_dynamic_session_signature(glt_cookie, timeout_seconds, secret, *, now=None):
    """Value of the ``gltexp_<apiKey>`` cookie, signed with the partner secret: ``<exp>_<sig>``."""
    token = _login_token(glt_cookie)
    expiry = _expiry(timeout_seconds, now)
    signer = _signer_for(secret)
    return "%d_%s" % (expiry, _sign_text(signer, "%s_%d" % (token, expiry)))


def get_dynamic_session_signature_user_signed(glt_cookie, timeout_seconds, user_key,
                                              secret, *, now=None):
    """``gltexp_<apiKey>`` cookie value signed with a user key's secret: ``<exp>_<userKey>_<sig>``."""
    token = _login_token(glt_cookie)
    expiry = _expiry(timeout_seconds, now)
    user_key = str_arg("user_key", user_key)
    signer = _signer_for(secret)
    sig = _sign_text(signer, "%s_%d_%s" % (token, expiry, user_key))
    return "%d_%s_%s" % (expiry, user_key, sig)


cdef str _sha1_backend():
    return "sha-ni" if gf_sha1_active_backend() == GF_SHA1_SHANI else "portable"


def kernel_info():
    """Which implementation and SHA-1 backend are in use."""
    return {
        "implementation": IMPLEMENTATION,
        "sha1": _sha1_backend(),
        "sha1_cpu": "sha-ni" if gf_sha1_shani_supported() else "none",
        "threads": GF_THREADS_NAME.decode("ascii"),
    }
