# Part of gigya_fast._signing_c, included by _signing_c.pyx (one extension module):
# the Signer cache and the module-level functions.


# ---- the Signer cache and module-level functions -------------------------------------


cdef dict _signers = {}


# (secret str, its Signer): the last one used
cdef tuple _last_signer = (object(), None)


cdef inline Signer _signer_for(object secret):
    """A cached Signer per secret string (bounded, like the spec's), so hot loops never
    re-decode the secret. The last (secret, Signer) pair is checked first by
    identity."""
    cdef tuple last = _last_signer
    if <PyObject *>PyTuple_GET_ITEM(last, 0) == <PyObject *>secret:
        return <Signer>PyTuple_GET_ITEM(last, 1)
    return _signer_lookup(secret)


cdef Signer _signer_lookup(object secret):
    global _last_signer
    cdef PyObject *cached
    cdef Signer signer
    if PyUnicode_Check(secret) and not PyUnicode_CheckExact(secret):
        # looked up by its real characters: a subclass's __hash__/__eq__ never pick a key
        secret = PyUnicode_FromObject(secret)
    if PyUnicode_CheckExact(secret):
        cached = PyDict_GetItem(_signers, secret)
        if cached != NULL:
            signer = <Signer>cached
            _last_signer = (secret, signer)
            return signer
    signer = Signer(secret)
    if not PyUnicode_CheckExact(secret):
        return signer
    if len(_signers) >= _SIGNER_CACHE_SIZE:
        _signers.clear()
    _signers[secret] = signer
    _last_signer = (secret, signer)
    return signer


def calc_signature(base_string, secret):
    """base64(HMAC-SHA1(base64decode(secret), UTF-8 of *base_string*))."""
    _require_str("base_string", base_string)
    return _sign_text(_signer_for(secret), base_string)


def validate_user_signature(uid, timestamp, secret, signature, expiration=300, *,
                            now=None):
    """True when *signature* is the UIDSignature of (*uid*, *timestamp*) and the
    timestamp is within *expiration* s of now."""
    _require_str("uid", uid)
    _check_timestamp_type(timestamp)
    return _validate(_signer_for(secret), uid, timestamp, None, False, signature,
                     expiration, now)


def validate_friend_signature(uid, timestamp, friend_uid, secret, signature,
                              expiration=300, *, now=None):
    """True when *signature* is the friendshipSignature of (*uid*, *friend_uid*,
    *timestamp*) within the window."""
    _require_str("uid", uid)
    _check_timestamp_type(timestamp)
    _require_str("friend_uid", friend_uid)
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
            "timeout_seconds must be int, not %s" % _type_name(timeout_seconds)
        )
    now = _window_number("now", now)
    current = _time.time() if now is None else now
    return int(current) + _int_int(timeout_seconds)


def _login_token(glt_cookie):
    return _str_arg("glt_cookie", glt_cookie).split("|", 1)[0]


def get_dynamic_session_signature(glt_cookie, timeout_seconds, secret, *, now=None):
    """Value of the ``gltexp_<apiKey>`` cookie, signed with the partner secret:
    ``<exp>_<sig>``."""
    token = _login_token(glt_cookie)
    expiry = _expiry(timeout_seconds, now)
    signer = _signer_for(secret)
    return "%d_%s" % (expiry, _sign_text(signer, "%s_%d" % (token, expiry)))


def get_dynamic_session_signature_user_signed(glt_cookie, timeout_seconds, user_key,
                                              secret, *, now=None):
    """``gltexp_<apiKey>`` cookie value signed with a user key's secret:
    ``<exp>_<userKey>_<sig>``."""
    token = _login_token(glt_cookie)
    expiry = _expiry(timeout_seconds, now)
    user_key = _str_arg("user_key", user_key)
    signer = _signer_for(secret)
    sig = _sign_text(signer, "%s_%d_%s" % (token, expiry, user_key))
    return "%d_%s_%s" % (expiry, user_key, sig)


def kernel_info():
    """Which implementation and SHA-1 backend are in use."""
    return {
        "implementation": IMPLEMENTATION,
        "sha1": _sha1_backend(),
        "sha1_cpu": "sha-ni" if gf_sha1_shani_supported() else "none",
        "threads": GF_THREADS_NAME.decode("ascii"),
    }
