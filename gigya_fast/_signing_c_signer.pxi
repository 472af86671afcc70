# Part of gigya_fast._signing_c, included by _signing_c.pyx (one extension module):
# the secret, the Signer class and UIDSignature / friendshipSignature checks.


# ---- secrets and the Signer ----------------------------------------------------------


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
    _require_str("secret", secret)
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
    only the HMAC midstates are kept, and they never appear in ``repr()``.
    """

    cdef gf_hmac_key _key
    cdef bint _ready

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

    def __reduce__(self):
        raise TypeError("Signer cannot be pickled (it holds a secret)")

    cdef int _check_ready(self) except -1:
        if not self._ready:
            raise AttributeError("'Signer' object has no attribute '_key'")
        return 0

    def sign(self, base_string):
        """base64(HMAC-SHA1(secret, UTF-8 of *base_string*))."""
        _require_str("base_string", base_string)
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
            raise TypeError("message must be bytes, not %s" % _type_name(message))
        return _b64_digest_str(digest)

    def sign_request(self, http_method, url, params):
        """Return ``(query_string, sig)`` for a request.

        The body is ``query_string + "&sig=" + enc(sig)``."""
        http_method = _str_arg("http_method", http_method)
        url = _str_arg("url", url)
        self._check_ready()
        return _sign_request(self, http_method, url, params)

    def validate_user(self, uid, timestamp, signature, expiration=300, *, now=None):
        """Check a UIDSignature over ``<timestamp>_<uid>`` and the timestamp window."""
        self._check_ready()
        return _validate(self, uid, timestamp, None, False, signature, expiration, now)

    def validate_friend(self, uid, timestamp, friend_uid, signature, expiration=300, *,
                        now=None):
        """Check a friendshipSignature over ``<timestamp>_<friend_uid>_<uid>`` and the
        window."""
        self._check_ready()
        return _validate(self, uid, timestamp, friend_uid, True, signature, expiration,
                         now)

    def validate_users(self, uids, timestamps, signatures, *, expiration=300, now=None,
                       threads=1):
        """Validate many UIDSignatures at once; results in input order.

        The HMACs run without the GIL, split over *threads* native threads."""
        cdef Py_ssize_t nthreads = _threads_arg(threads)
        expiration = _window_expiration(expiration)
        now = _window_number("now", now)
        self._check_ready()
        return _validate_users(self, uids, timestamps, signatures, expiration, now,
                               nthreads)

    def verify_hmacs(self, messages, signatures, *, threads=1):
        """Check base64 HMAC-SHA1 *signatures* over raw *messages* (webhook bodies).

        The HMACs run without the GIL, split over *threads* native threads."""
        cdef Py_ssize_t nthreads = _threads_arg(threads)
        self._check_ready()
        return _verify_hmacs(self, list(messages), list(signatures), nthreads)


cdef object _sign_text(Signer signer, object text):
    cdef uint8_t digest[20]
    cdef Py_ssize_t size
    cdef const char *data
    if PyUnicode_IS_ASCII(text):
        data = <const char *>PyUnicode_DATA(text)
        size = PyUnicode_GET_LENGTH(text)
    else:
        data = PyUnicode_AsUTF8AndSize(text, &size)
        if data == NULL:
            raise_pending()
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


# ---- UIDSignature / friendshipSignature ----------------------------------------------


cdef object _validate(Signer signer, object uid, object timestamp, object friend_uid,
                      bint friend,
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
    cdef long long ivalue = -1
    cdef object text = None

    uid = _str_arg("uid", uid)
    if PyLong_CheckExact(timestamp):
        ivalue = PyLong_AsLongLongAndOverflow(timestamp, &overflow)
        if overflow:
            text = _timestamp_text(timestamp, tsbuf, &ts, &ts_len)
        else:
            ts_len = _fmt_int64(ivalue, tsbuf)
            ts = tsbuf
    else:
        text = _timestamp_text(timestamp, tsbuf, &ts, &ts_len)
    if friend:
        friend_uid = _str_arg("friend_uid", friend_uid)
    expiration = _window_expiration(expiration)
    now = _window_number("now", now)
    if not _in_window(ts, ts_len, expiration, now, ivalue if text is None else -1):
        return False

    # A non-ASCII timestamp text or a lone surrogate: let Python build the message,
    # which
    # raises the spec's UnicodeEncodeError (positions counted in the whole message).
    if ts == NULL:
        return _validate_slow(signer, text, tsbuf, ts_len, uid, friend_uid, friend,
                              signature)
    if PyUnicode_IS_ASCII(uid):
        uid_data = <const char *>PyUnicode_DATA(uid)
        uid_len = PyUnicode_GET_LENGTH(uid)
    else:
        uid_data = PyUnicode_AsUTF8AndSize(uid, &uid_len)
        if uid_data == NULL:
            PyErr_Clear()
            return _validate_slow(signer, text, tsbuf, ts_len, uid, friend_uid, friend,
                                  signature)
    if friend:
        friend_data = PyUnicode_AsUTF8AndSize(friend_uid, &friend_len)
        if friend_data == NULL:
            PyErr_Clear()
            return _validate_slow(signer, text, tsbuf, ts_len, uid, friend_uid, friend,
                                  signature)

    if not _sig_candidate(signature, &sig, &sig_len):
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
        text = _ascii_str(tsbuf, ts_len)
    else:
        text = str.__str__(text)
    if friend:
        message = (text + "_" + friend_uid + "_" + uid).encode("utf-8")
    else:
        message = (text + "_" + uid).encode("utf-8")
    if not _sig_candidate(signature, &sig, &sig_len):
        return False
    return gf_hmac_b64_matches(&signer._key, PyBytes_AS_STRING(message),
                               <size_t>PyBytes_GET_SIZE(message), sig,
                               <size_t>sig_len) != 0
