/* gigya_fast C core: batch signature checks over native threads (pthreads / Win32). */
#include "gf_batch.h"

#include "gf_codec.h"

#if defined(_WIN32)
#  ifndef WIN32_LEAN_AND_MEAN
#    define WIN32_LEAN_AND_MEAN
#  endif
#  include <windows.h>
#else
#  include <pthread.h>
#endif

#define GF_SIG_B64_LEN 28 /* base64 of a 20-byte digest */

int gf_hmac_b64_matches(const gf_hmac_key *key, const void *msg, size_t len, const char *sig,
                        size_t sig_len)
{
    uint8_t digest[GF_SHA1_DIGEST_SIZE];
    char expected[GF_SIG_B64_LEN];
    if (sig_len != GF_SIG_B64_LEN) {
        return 0; /* a length difference may answer early, as hmac.compare_digest does */
    }
    gf_hmac(key, msg, len, digest);
    gf_b64_encode(digest, GF_SHA1_DIGEST_SIZE, expected);
    return gf_ct_equal(expected, GF_SIG_B64_LEN, sig, sig_len);
}

int gf_hmac_parts_b64_matches(const gf_hmac_key *key, const void *const *parts, const size_t *lens,
                              size_t nparts, const char *sig, size_t sig_len)
{
    uint8_t digest[GF_SHA1_DIGEST_SIZE];
    char expected[GF_SIG_B64_LEN];
    if (sig_len != GF_SIG_B64_LEN) {
        return 0;
    }
    gf_hmac_parts(key, parts, lens, nparts, digest);
    gf_b64_encode(digest, GF_SHA1_DIGEST_SIZE, expected);
    return gf_ct_equal(expected, GF_SIG_B64_LEN, sig, sig_len);
}

typedef struct {
    gf_range_fn fn;
    void *ctx;
    size_t begin;
    size_t end;
} gf_job;

#if defined(_WIN32)
static DWORD WINAPI gf_thread_main(LPVOID arg)
{
    gf_job *job = (gf_job *)arg;
    job->fn(job->ctx, job->begin, job->end);
    return 0;
}
#else
static void *gf_thread_main(void *arg)
{
    gf_job *job = (gf_job *)arg;
    job->fn(job->ctx, job->begin, job->end);
    return NULL;
}
#endif

size_t gf_effective_threads(size_t n, size_t threads)
{
    size_t most = n / GF_MIN_ITEMS_PER_THREAD;
    if (threads > GF_MAX_THREADS) {
        threads = GF_MAX_THREADS;
    }
    if (threads > most) {
        threads = most;
    }
    return threads ? threads : 1;
}

void gf_parallel_for(gf_range_fn fn, void *ctx, size_t n, size_t threads)
{
    gf_job jobs[GF_MAX_THREADS];
    int started[GF_MAX_THREADS];
#if defined(_WIN32)
    HANDLE handles[GF_MAX_THREADS];
#else
    pthread_t handles[GF_MAX_THREADS];
#endif
    size_t i, begin = 0, chunk, extra;

    threads = gf_effective_threads(n, threads);
    if (threads <= 1) {
        if (n) {
            fn(ctx, 0, n);
        }
        return;
    }
    chunk = n / threads;
    extra = n % threads;
    for (i = 0; i < threads; i++) {
        size_t size = chunk + (i < extra ? 1 : 0);
        jobs[i].fn = fn;
        jobs[i].ctx = ctx;
        jobs[i].begin = begin;
        jobs[i].end = begin + size;
        begin += size;
        started[i] = 0;
    }
    for (i = 1; i < threads; i++) {
#if defined(_WIN32)
        handles[i] = CreateThread(NULL, 0, gf_thread_main, &jobs[i], 0, NULL);
        started[i] = handles[i] != NULL;
#else
        started[i] = pthread_create(&handles[i], NULL, gf_thread_main, &jobs[i]) == 0;
#endif
    }
    fn(ctx, jobs[0].begin, jobs[0].end);
    for (i = 1; i < threads; i++) {
        if (started[i]) {
#if defined(_WIN32)
            WaitForSingleObject(handles[i], INFINITE);
            CloseHandle(handles[i]);
#else
            pthread_join(handles[i], NULL);
#endif
        } else {
            fn(ctx, jobs[i].begin, jobs[i].end);
        }
    }
}

typedef struct {
    const gf_hmac_key *key;
    void *items;
} gf_batch_ctx;

static void gf_uid_range(void *arg, size_t begin, size_t end)
{
    const gf_batch_ctx *ctx = (const gf_batch_ctx *)arg;
    gf_uid_item *items = (gf_uid_item *)ctx->items;
    size_t i;
    for (i = begin; i < end; i++) {
        gf_uid_item *it = &items[i];
        if (it->check) {
            const void *parts[3];
            size_t lens[3];
            parts[0] = it->ts;
            lens[0] = it->ts_len;
            parts[1] = "_";
            lens[1] = 1;
            parts[2] = it->uid;
            lens[2] = it->uid_len;
            it->result = (uint8_t)gf_hmac_parts_b64_matches(ctx->key, parts, lens, 3, it->sig, it->sig_len);
        }
    }
}

static void gf_msg_range(void *arg, size_t begin, size_t end)
{
    const gf_batch_ctx *ctx = (const gf_batch_ctx *)arg;
    gf_msg_item *items = (gf_msg_item *)ctx->items;
    size_t i;
    for (i = begin; i < end; i++) {
        gf_msg_item *it = &items[i];
        it->result = (uint8_t)(it->sig != NULL &&
                               gf_hmac_b64_matches(ctx->key, it->msg, it->len, it->sig, it->sig_len));
    }
}

void gf_batch_uid(const gf_hmac_key *key, gf_uid_item *items, size_t n, size_t threads)
{
    gf_batch_ctx ctx;
    ctx.key = key;
    ctx.items = items;
    gf_parallel_for(gf_uid_range, &ctx, n, threads);
}

void gf_batch_msg(const gf_hmac_key *key, gf_msg_item *items, size_t n, size_t threads)
{
    gf_batch_ctx ctx;
    ctx.key = key;
    ctx.items = items;
    gf_parallel_for(gf_msg_range, &ctx, n, threads);
}
