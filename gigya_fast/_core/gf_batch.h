/* gigya_fast C core: batch verification of many signatures, optionally on native threads.
 * Everything here runs without the Python GIL: inputs are plain C buffers prepared by the
 * caller, which keeps them alive until the call returns. */
#ifndef GF_BATCH_H
#define GF_BATCH_H

#include <stddef.h>
#include <stdint.h>

#include "gf_hmac.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Upper bound on worker threads for one call; more are clamped (results do not change). */
#define GF_MAX_THREADS 64
/* Fewer items than this per thread is not worth a thread. */
#define GF_MIN_ITEMS_PER_THREAD 256

/* One UIDSignature check: HMAC over the message ts + "_" + uid compared with sig (only
 * 28-character candidates can match). */
#define GF_SIG_B64_LEN 28
typedef struct {
    const char *msg;      /* the message, in the caller's arena (never moved once stored) */
    size_t msg_len;
    uint8_t check;        /* 1: compute and compare; 0: result is already final */
    uint8_t result;
    char sig[GF_SIG_B64_LEN];
} gf_uid_item;

typedef void (*gf_range_fn)(void *ctx, size_t begin, size_t end);

/* Run fn over [0, n) in contiguous chunks shared by the caller and up to threads - 1 helper
 * threads (detached; each takes chunks until none is left). The caller returns once every
 * chunk is done; a helper that could not be started, or starts late, just does less. */
void gf_parallel_for(gf_range_fn fn, void *ctx, size_t n, size_t threads);

/* The number of threads gf_parallel_for really uses for n items. */
size_t gf_effective_threads(size_t n, size_t threads);

/* What a batch's range function gets: the key, the item array and one kind-specific
 * pointer (NULL when unused). */
typedef struct {
    const gf_hmac_key *key;
    void *items;
    const void *extra;
} gf_batch_ctx;

/* A streaming batch: helper threads run fn over items as the caller publishes them, so the
 * caller's conversion (which needs the GIL) overlaps with the hashing (which does not).
 *   st = gf_stream_start(fn, ctx, n, threads)  -- NULL: no helpers, run the batch directly
 *   gf_stream_publish(st, k)                   -- items [0, k) are final
 *   gf_stream_finish(st)   -- every item published; the caller helps, returns when done
 *   gf_stream_abort(st)    -- stop early (an error): returns once no helper is busy
 * ctx is copied. finish and abort free st; after either returns fn is not called again. */
typedef struct gf_stream gf_stream;
gf_stream *gf_stream_start(gf_range_fn fn, const gf_batch_ctx *ctx, size_t n, size_t threads);
void gf_stream_publish(gf_stream *st, size_t ready);
void gf_stream_finish(gf_stream *st);
void gf_stream_abort(gf_stream *st);

/* The streaming form of gf_batch_uid. */
gf_stream *gf_uid_stream_start(const gf_hmac_key *key, gf_uid_item *items, size_t n, size_t threads);

/* base64(HMAC-SHA1(key, msg)) == sig, in constant time for equal lengths. */
int gf_hmac_b64_matches(const gf_hmac_key *key, const void *msg, size_t len, const char *sig,
                        size_t sig_len);

/* The same over the concatenation of nparts pieces. */
int gf_hmac_parts_b64_matches(const gf_hmac_key *key, const void *const *parts, const size_t *lens,
                              size_t nparts, const char *sig, size_t sig_len);

void gf_batch_uid(const gf_hmac_key *key, gf_uid_item *items, size_t n, size_t threads);

#ifdef __cplusplus
}
#endif

#endif /* GF_BATCH_H */
