/* gigya_fast C core: webhook batches. The specification is verify_webhook_batch in
 * gigya_fast/webhooks/_batch_py.py; the tail rule there and here must stay identical. */
#include "gf_hooks.h"

#include "gf_codec.h"

#include <string.h>

static const char gf_ts_key[] = "\"timestamp\":";
#define GF_TS_KEY_LEN 12

int gf_tail_window_check(const gf_tail_window *w, const uint8_t *body, size_t len)
{
    size_t width, j, k;
    const uint8_t *digits;
    if (w->width == 0) {
        return GF_HOOK_OK;
    }
    if (w->width < 0) {
        return GF_HOOK_UNDECIDED;
    }
    width = (size_t)w->width;
    /* ...[{,]"timestamp":DDDD} : the key starts at j = len - 1 - width - 12, after one byte */
    if (len < width + GF_TS_KEY_LEN + 2 || body[len - 1] != '}') {
        return GF_HOOK_UNDECIDED;
    }
    j = len - 1 - width - GF_TS_KEY_LEN;
    if ((body[j - 1] != '{' && body[j - 1] != ',') || memcmp(body + j, gf_ts_key, GF_TS_KEY_LEN) != 0) {
        return GF_HOOK_UNDECIDED;
    }
    digits = body + j + GF_TS_KEY_LEN;
    for (k = 0; k < width; k++) {
        if ((unsigned)(digits[k] - '0') > 9u) {
            return GF_HOOK_UNDECIDED;
        }
    }
    if (memcmp(digits, w->low, width) < 0 || memcmp(digits, w->high, width) > 0) {
        return GF_HOOK_STALE;
    }
    return GF_HOOK_OK;
}

static void gf_hook_check(const gf_batch_ctx *ctx, gf_hook_item *it, const uint8_t digest[GF_SHA1_DIGEST_SIZE])
{
    char expected[GF_SIG_B64_LEN];
    gf_b64_encode_digest(digest, expected);
    if (!gf_ct_equal28(expected, it->sig)) {
        it->result = GF_HOOK_BAD_SIG;
        return;
    }
    /* the body's tail was just hashed: it is in cache now, not after the whole batch */
    it->result = (uint8_t)gf_tail_window_check((const gf_tail_window *)ctx->extra, it->body, it->len);
}

/* Bodies waiting for a partner: two bodies are hashed together (two lanes per call), but only
 * their common length goes through both lanes, so each body is paired with the waiting one
 * closest in length. Which body is hashed when does not change any answer. */
#define GF_HOOK_ROOM 4
#define GF_HOOK_CLOSE_ENOUGH 64 /* one SHA-1 block */

static size_t gf_len_diff(size_t a, size_t b)
{
    return a > b ? a - b : b - a;
}

static void gf_hooks_pair(const gf_batch_ctx *ctx, gf_hook_item *a, gf_hook_item *b)
{
    uint8_t da[GF_SHA1_DIGEST_SIZE], db[GF_SHA1_DIGEST_SIZE];
    gf_hmac_x2(ctx->key, a->body, a->len, b->body, b->len, da, db);
    gf_hook_check(ctx, a, da);
    gf_hook_check(ctx, b, db);
}

static void gf_hooks_range(void *arg, size_t begin, size_t end)
{
    const gf_batch_ctx *ctx = (const gf_batch_ctx *)arg;
    gf_hook_item *items = (gf_hook_item *)ctx->items;
    gf_hook_item *room[GF_HOOK_ROOM] = {NULL}; /* only room[0..waiting) is read; zeroed for the analyzers */
    uint8_t digest[GF_SHA1_DIGEST_SIZE];
    size_t waiting = 0, i, k;
    for (i = begin; i < end; i++) {
        gf_hook_item *it = &items[i];
        size_t best = 0;
        it->result = GF_HOOK_BAD_SIG;
        if (!it->has_sig) {
            continue; /* cannot match */
        }
        for (k = 1; k < waiting; k++) {
            if (gf_len_diff(room[k]->len, it->len) < gf_len_diff(room[best]->len, it->len)) {
                best = k;
            }
        }
        if (waiting == 0 || (waiting < GF_HOOK_ROOM && gf_len_diff(room[best]->len, it->len) > GF_HOOK_CLOSE_ENOUGH)) {
            room[waiting++] = it;
            continue;
        }
        gf_hooks_pair(ctx, room[best], it);
        room[best] = room[--waiting];
    }
    /* the rest: in pairs as they are, then the odd one alone */
    for (k = 0; k + 1 < waiting; k += 2) {
        gf_hooks_pair(ctx, room[k], room[k + 1]);
    }
    if (waiting % 2) {
        gf_hmac(ctx->key, room[waiting - 1]->body, room[waiting - 1]->len, digest);
        gf_hook_check(ctx, room[waiting - 1], digest);
    }
}

static void gf_hooks_ctx_init(gf_batch_ctx *ctx, const gf_hmac_key *key, gf_hook_item *items,
                              const gf_tail_window *w)
{
    ctx->key = key;
    ctx->items = items;
    ctx->extra = w;
}

void gf_batch_hooks(const gf_hmac_key *key, gf_hook_item *items, size_t n, size_t threads,
                    const gf_tail_window *w)
{
    gf_batch_ctx ctx;
    gf_hooks_ctx_init(&ctx, key, items, w);
    gf_parallel_for(gf_hooks_range, &ctx, n, threads);
}

gf_stream *gf_hooks_stream_start(const gf_hmac_key *key, gf_hook_item *items, size_t n,
                                 size_t threads, const gf_tail_window *w)
{
    gf_batch_ctx ctx;
    gf_hooks_ctx_init(&ctx, key, items, w);
    return gf_stream_start(gf_hooks_range, &ctx, n, threads);
}
