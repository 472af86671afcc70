# The C core (gf_core.h): SHA-1, HMAC, base64 and percent-encoding, the batch engines
# and the timestamp window. Plain C, no Python objects: everything here may run without
# the GIL. Each extension module that cimports from here links the core's sources it
# uses (setup.py); keys made by another module are rebound first (gf_hmac_rebind).

from libc.stdint cimport int64_t, uint8_t, uint32_t


cdef extern from "gf_core.h" nogil:
    ctypedef void (*gf_sha1_compress_fn)(uint32_t *state, const uint8_t *blocks,
                                         size_t nblocks)

    ctypedef struct gf_sha1_ctx:
        pass

    ctypedef struct gf_hmac_key:
        pass

    ctypedef struct gf_uid_item:
        const char *msg
        size_t msg_len
        uint8_t check
        uint8_t result

    ctypedef struct gf_stream:
        pass

    ctypedef struct gf_hook_item:
        const uint8_t *body
        size_t len
        uint8_t has_sig
        uint8_t result
        char sig[28]

    ctypedef struct gf_tail_window:
        int width
        char low[15]
        char high[15]

    ctypedef struct gf_window:
        int now_kind
        int exp_kind
        int64_t now_i
        int64_t exp_i
        double now_d
        double exp_d

    enum:
        GF_SHA1_PORTABLE
        GF_SHA1_SHANI
        GF_SHA1_DIGEST_SIZE
        GF_SIG_B64_LEN
        GF_B64_OK
        GF_NUM_INT
        GF_NUM_FLOAT
        GF_MAX_THREADS
        GF_MAX_TS_DIGITS
        GF_HOOK_BAD_SIG
        GF_HOOK_OK
        GF_HOOK_STALE
        GF_HOOK_UNDECIDED

    const char *GF_THREADS_NAME
    int64_t GF_NOW_INT_LIMIT

    int gf_sha1_shani_supported()
    int gf_sha1_select(int force_portable)
    int gf_sha1_active_backend()
    gf_sha1_compress_fn gf_sha1_compressor(int backend)
    void gf_sha1_init(gf_sha1_ctx *ctx, gf_sha1_compress_fn fn)
    void gf_sha1_update(gf_sha1_ctx *ctx, const void *data, size_t len)
    void gf_sha1_final(gf_sha1_ctx *ctx, uint8_t *out)
    void gf_wipe(void *p, size_t n)

    void gf_hmac_init(gf_hmac_key *key, const uint8_t *secret, size_t len,
                      gf_sha1_compress_fn fn)
    void gf_hmac(const gf_hmac_key *key, const void *msg, size_t len, uint8_t *out)
    void gf_hmac_wipe(gf_hmac_key *key)
    void gf_hmac_rebind(gf_hmac_key *key)

    size_t gf_b64_encode(const uint8_t *data, size_t n, char *out)
    void gf_b64_encode_digest(const uint8_t *data, char *out)
    int gf_b64_decode_strict(const char *data, size_t n, uint8_t *out, size_t *outlen)
    size_t gf_pct_encoded_len(const uint8_t *data, size_t n)
    size_t gf_pct_encode(const uint8_t *data, size_t n, char *out)
    size_t gf_pct_encode_fast(const uint8_t *data, size_t n, char *out)

    int gf_hmac_b64_matches(const gf_hmac_key *key, const void *msg, size_t len,
                            const char *sig, size_t sig_len)
    int gf_hmac_parts_b64_matches(const gf_hmac_key *key, const void **parts,
                                  const size_t *lens, size_t nparts, const char *sig,
                                  size_t sig_len)
    void gf_batch_uid(const gf_hmac_key *key, gf_uid_item *items, size_t n, size_t threads)
    gf_stream *gf_uid_stream_start(const gf_hmac_key *key, gf_uid_item *items, size_t n,
                                   size_t threads)
    gf_stream *gf_hooks_stream_start(const gf_hmac_key *key, gf_hook_item *items, size_t n,
                                     size_t threads, const gf_tail_window *w)
    void gf_stream_publish(gf_stream *st, size_t ready)
    void gf_stream_finish(gf_stream *st)
    void gf_stream_abort(gf_stream *st)
    size_t gf_effective_threads(size_t n, size_t threads)
    void gf_batch_hooks(const gf_hmac_key *key, gf_hook_item *items, size_t n, size_t threads,
                        const gf_tail_window *w)

    int gf_parse_ts(const char *s, size_t n, int64_t *out)
    int gf_in_window(const gf_window *w, int64_t ts)
    int gf_in_window_clock(gf_window *w, int64_t ts)
    double gf_time_now()
