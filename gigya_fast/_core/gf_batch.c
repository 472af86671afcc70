/* gigya_fast C core: batch signature checks over native threads (pthreads / Win32). */
#include "gf_batch.h"

#include "gf_codec.h"

#include <stdlib.h>

#if defined(_WIN32)
#  ifndef WIN32_LEAN_AND_MEAN
#    define WIN32_LEAN_AND_MEAN
#  endif
#  include <windows.h>
#else
#  include <pthread.h>
#endif


int gf_hmac_b64_matches(const gf_hmac_key *key, const void *msg, size_t len, const char *sig,
                        size_t sig_len)
{
    uint8_t digest[GF_SHA1_DIGEST_SIZE];
    char expected[GF_SIG_B64_LEN];
    if (sig_len != GF_SIG_B64_LEN) {
        return 0; /* a length difference may answer early, as hmac.compare_digest does */
    }
    gf_hmac(key, msg, len, digest);
    gf_b64_encode_digest(digest, expected);
    return gf_ct_equal28(expected, sig);
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
    gf_b64_encode_digest(digest, expected);
    return gf_ct_equal28(expected, sig);
}

/* Work sharing: the range is cut into chunks that the caller and its helper threads take
 * one at a time under a lock, so a helper the OS schedules late (a loaded machine) simply
 * finds less work: the caller never waits for a thread that has not started, only for
 * chunks that are being processed. The shared state lives on the heap and is freed by
 * whoever leaves it last; helpers are detached. */
typedef struct {
    gf_range_fn fn;
    void *ctx;
    size_t n;
    size_t chunk;
    size_t next;   /* first index not yet taken */
    size_t done;   /* items finished */
    int refs;      /* the caller + helpers still running */
#if defined(_WIN32)
    CRITICAL_SECTION lock;
    CONDITION_VARIABLE finished;
#else
    pthread_mutex_t lock;
    pthread_cond_t finished;
#endif
} gf_share;

static void gf_share_lock(gf_share *sh)
{
#if defined(_WIN32)
    EnterCriticalSection(&sh->lock);
#else
    pthread_mutex_lock(&sh->lock);
#endif
}

static void gf_share_unlock(gf_share *sh)
{
#if defined(_WIN32)
    LeaveCriticalSection(&sh->lock);
#else
    pthread_mutex_unlock(&sh->lock);
#endif
}

static void gf_share_destroy(gf_share *sh)
{
#if defined(_WIN32)
    DeleteCriticalSection(&sh->lock);
#else
    pthread_cond_destroy(&sh->finished);
    pthread_mutex_destroy(&sh->lock);
#endif
    free(sh);
}

/* Take and process chunks until none is left. */
static void gf_share_work(gf_share *sh)
{
    for (;;) {
        size_t begin, end;
        gf_share_lock(sh);
        begin = sh->next;
        end = begin + sh->chunk < sh->n ? begin + sh->chunk : sh->n;
        sh->next = end;
        gf_share_unlock(sh);
        if (begin >= end) {
            return;
        }
        sh->fn(sh->ctx, begin, end);
        gf_share_lock(sh);
        sh->done += end - begin;
        if (sh->done == sh->n) {
#if defined(_WIN32)
            WakeAllConditionVariable(&sh->finished);
#else
            pthread_cond_broadcast(&sh->finished);
#endif
        }
        gf_share_unlock(sh);
    }
}

static void gf_share_leave(gf_share *sh)
{
    int last;
    gf_share_lock(sh);
    last = --sh->refs == 0;
    gf_share_unlock(sh);
    if (last) {
        gf_share_destroy(sh);
    }
}

#if defined(_WIN32)
static DWORD WINAPI gf_helper_main(LPVOID arg)
{
    gf_share_work((gf_share *)arg);
    gf_share_leave((gf_share *)arg);
    return 0;
}
#else
static void *gf_helper_main(void *arg)
{
    gf_share_work((gf_share *)arg);
    gf_share_leave((gf_share *)arg);
    return NULL;
}
#endif

#if defined(_WIN32)
typedef DWORD(WINAPI *gf_thread_entry)(LPVOID);
#else
typedef void *(*gf_thread_entry)(void *);
#endif

/* Start a detached native thread running entry(arg); 1 on success. */
static int gf_start_detached(gf_thread_entry entry, void *arg)
{
#if defined(_WIN32)
    HANDLE h = CreateThread(NULL, 0, entry, arg, 0, NULL);
    if (h == NULL) {
        return 0;
    }
    CloseHandle(h);
    return 1;
#else
    pthread_attr_t attr;
    pthread_t tid;
    int ok;
    if (pthread_attr_init(&attr) != 0) {
        return 0;
    }
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    ok = pthread_create(&tid, &attr, entry, arg) == 0;
    pthread_attr_destroy(&attr);
    return ok;
#endif
}

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
    gf_share *sh;
    size_t i;

    threads = gf_effective_threads(n, threads);
    if (threads <= 1) {
        if (n) {
            fn(ctx, 0, n);
        }
        return;
    }
    sh = (gf_share *)calloc(1, sizeof(*sh));
#if !defined(_WIN32)
    if (sh && pthread_mutex_init(&sh->lock, NULL) != 0) {
        free(sh);
        sh = NULL;
    }
    if (sh && pthread_cond_init(&sh->finished, NULL) != 0) {
        pthread_mutex_destroy(&sh->lock);
        free(sh);
        sh = NULL;
    }
#endif
    if (!sh) {
        fn(ctx, 0, n); /* no memory for the shared state: do it all here */
        return;
    }
#if defined(_WIN32)
    InitializeCriticalSection(&sh->lock);
    InitializeConditionVariable(&sh->finished);
#endif
    sh->fn = fn;
    sh->ctx = ctx;
    sh->n = n;
    /* several chunks per thread keep the threads busy until the end */
    sh->chunk = n / (threads * 8);
    if (sh->chunk < GF_MIN_ITEMS_PER_THREAD / 4) {
        sh->chunk = GF_MIN_ITEMS_PER_THREAD / 4;
    }
    sh->refs = 1;

    for (i = 1; i < threads; i++) {
        int ok;
        gf_share_lock(sh);
        sh->refs++;
        gf_share_unlock(sh);
        ok = gf_start_detached(gf_helper_main, sh);
        if (!ok) {
            gf_share_lock(sh);
            sh->refs--;
            gf_share_unlock(sh);
            break; /* the caller and the helpers already started do the rest */
        }
    }

    gf_share_work(sh);
    gf_share_lock(sh);
    while (sh->done < sh->n) {
#if defined(_WIN32)
        SleepConditionVariableCS(&sh->finished, &sh->lock, INFINITE);
#else
        pthread_cond_wait(&sh->finished, &sh->lock);
#endif
    }
    gf_share_unlock(sh);
    gf_share_leave(sh);
}

static void gf_uid_check(const gf_batch_ctx *ctx, gf_uid_item *it, const uint8_t digest[GF_SHA1_DIGEST_SIZE])
{
    char expected[GF_SIG_B64_LEN];
    gf_b64_encode_digest(digest, expected);
    it->result = (uint8_t)gf_ct_equal28(expected, it->sig);
    (void)ctx;
}

static void gf_uid_range(void *arg, size_t begin, size_t end)
{
    const gf_batch_ctx *ctx = (const gf_batch_ctx *)arg;
    gf_uid_item *items = (gf_uid_item *)ctx->items;
    gf_uid_item *pending = NULL; /* a short message waiting for a partner */
    uint8_t da[GF_SHA1_DIGEST_SIZE], db[GF_SHA1_DIGEST_SIZE];
    size_t i;
    for (i = begin; i < end; i++) {
        gf_uid_item *it = &items[i];
        if (!it->check) {
            continue;
        }
        if (it->msg_len > GF_HMAC_SHORT) {
            gf_hmac(ctx->key, it->msg, it->msg_len, da);
            gf_uid_check(ctx, it, da);
        } else if (!pending) {
            pending = it;
        } else {
            gf_hmac_short_x2(ctx->key, pending->msg, pending->msg_len, it->msg,
                             it->msg_len, da, db);
            gf_uid_check(ctx, pending, da);
            gf_uid_check(ctx, it, db);
            pending = NULL;
        }
    }
    if (pending) {
        gf_hmac(ctx->key, pending->msg, pending->msg_len, da);
        gf_uid_check(ctx, pending, da);
    }
}

void gf_batch_uid(const gf_hmac_key *key, gf_uid_item *items, size_t n, size_t threads)
{
    gf_batch_ctx ctx;
    ctx.key = key;
    ctx.items = items;
    ctx.extra = NULL;
    gf_parallel_for(gf_uid_range, &ctx, n, threads);
}

/* ---- streaming batches ---------------------------------------------------------------------- */

struct gf_stream {
    gf_range_fn fn;
    gf_batch_ctx ctx;
    size_t n;
    size_t chunk;
    size_t published;   /* items [0, published) may be taken */
    size_t next;        /* first item not taken */
    size_t busy;        /* chunks being processed */
    int closed;         /* everything published */
    int aborted;
    int refs;           /* the caller + helpers still running */
#if defined(_WIN32)
    CRITICAL_SECTION lock;
    CONDITION_VARIABLE changed;
#else
    pthread_mutex_t lock;
    pthread_cond_t changed;
#endif
};

static void gf_stream_lock(gf_stream *st)
{
#if defined(_WIN32)
    EnterCriticalSection(&st->lock);
#else
    pthread_mutex_lock(&st->lock);
#endif
}

static void gf_stream_unlock(gf_stream *st)
{
#if defined(_WIN32)
    LeaveCriticalSection(&st->lock);
#else
    pthread_mutex_unlock(&st->lock);
#endif
}

static void gf_stream_wait(gf_stream *st)
{
#if defined(_WIN32)
    SleepConditionVariableCS(&st->changed, &st->lock, INFINITE);
#else
    pthread_cond_wait(&st->changed, &st->lock);
#endif
}

static void gf_stream_broadcast(gf_stream *st)
{
#if defined(_WIN32)
    WakeAllConditionVariable(&st->changed);
#else
    pthread_cond_broadcast(&st->changed);
#endif
}

static void gf_stream_leave(gf_stream *st)
{
    int last;
    gf_stream_lock(st);
    last = --st->refs == 0;
    gf_stream_unlock(st);
    if (last) {
#if defined(_WIN32)
        DeleteCriticalSection(&st->lock);
#else
        pthread_cond_destroy(&st->changed);
        pthread_mutex_destroy(&st->lock);
#endif
        free(st);
    }
}

/* Take published chunks until the stream is finished (all taken) or aborted. With wait = 0
 * (the caller before finish) it returns as soon as nothing published is left. */
static void gf_stream_work(gf_stream *st, int wait)
{
    gf_stream_lock(st);
    for (;;) {
        size_t begin, end;
        if (st->aborted || st->next >= st->n) {
            break;
        }
        if (st->next >= st->published) {
            if (!wait || st->closed) {
                break;
            }
            gf_stream_wait(st);
            continue;
        }
        begin = st->next;
        end = begin + st->chunk;
        if (end > st->published) {
            end = st->published;
        }
        st->next = end;
        st->busy++;
        gf_stream_unlock(st);
        st->fn(&st->ctx, begin, end);
        gf_stream_lock(st);
        st->busy--;
        gf_stream_broadcast(st);
    }
    gf_stream_unlock(st);
}

#if defined(_WIN32)
static DWORD WINAPI gf_stream_helper(LPVOID arg)
{
    gf_stream_work((gf_stream *)arg, 1);
    gf_stream_leave((gf_stream *)arg);
    return 0;
}
#else
static void *gf_stream_helper(void *arg)
{
    gf_stream_work((gf_stream *)arg, 1);
    gf_stream_leave((gf_stream *)arg);
    return NULL;
}
#endif

gf_stream *gf_stream_start(gf_range_fn fn, const gf_batch_ctx *ctx, size_t n, size_t threads)
{
    gf_stream *st;
    size_t i, started = 0;
    threads = gf_effective_threads(n, threads);
    if (threads <= 1) {
        return NULL;
    }
    st = (gf_stream *)calloc(1, sizeof(*st));
    if (!st) {
        return NULL;
    }
#if defined(_WIN32)
    InitializeCriticalSection(&st->lock);
    InitializeConditionVariable(&st->changed);
#else
    if (pthread_mutex_init(&st->lock, NULL) != 0) {
        free(st);
        return NULL;
    }
    if (pthread_cond_init(&st->changed, NULL) != 0) {
        pthread_mutex_destroy(&st->lock);
        free(st);
        return NULL;
    }
#endif
    st->fn = fn;
    st->ctx = *ctx;
    st->n = n;
    st->chunk = GF_MIN_ITEMS_PER_THREAD;
    st->refs = 1;
    for (i = 1; i < threads; i++) {
        int ok;
        gf_stream_lock(st);
        st->refs++;
        gf_stream_unlock(st);
        ok = gf_start_detached(gf_stream_helper, st);
        if (!ok) {
            gf_stream_lock(st);
            st->refs--;
            gf_stream_unlock(st);
            break;
        }
        started++;
    }
    if (!started) {
        gf_stream_leave(st);
        return NULL;
    }
    return st;
}

void gf_stream_publish(gf_stream *st, size_t ready)
{
    gf_stream_lock(st);
    if (ready > st->published) {
        st->published = ready > st->n ? st->n : ready;
        gf_stream_broadcast(st);
    }
    gf_stream_unlock(st);
}

void gf_stream_finish(gf_stream *st)
{
    gf_stream_publish(st, st->n);
    gf_stream_lock(st);
    st->closed = 1;
    gf_stream_broadcast(st);
    gf_stream_unlock(st);
    gf_stream_work(st, 0);
    gf_stream_lock(st);
    while (st->busy) {
        gf_stream_wait(st);
    }
    gf_stream_unlock(st);
    gf_stream_leave(st);
}

void gf_stream_abort(gf_stream *st)
{
    gf_stream_lock(st);
    st->aborted = 1;
    gf_stream_broadcast(st);
    while (st->busy) {
        gf_stream_wait(st);
    }
    gf_stream_unlock(st);
    gf_stream_leave(st);
}

gf_stream *gf_uid_stream_start(const gf_hmac_key *key, gf_uid_item *items, size_t n, size_t threads)
{
    gf_batch_ctx ctx;
    ctx.key = key;
    ctx.items = items;
    ctx.extra = NULL;
    return gf_stream_start(gf_uid_range, &ctx, n, threads);
}
