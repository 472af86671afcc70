/* gigya_fast C core: HMAC-SHA1 with precomputed midstates. */
#include "gf_hmac.h"

#include <string.h>

static const uint32_t gf_sha1_iv[5] = {0x67452301u, 0xEFCDAB89u, 0x98BADCFEu, 0x10325476u, 0xC3D2E1F0u};

void gf_hmac_init(gf_hmac_key *key, const uint8_t *secret, size_t len, gf_sha1_compress_fn fn)
{
    uint8_t block[GF_SHA1_BLOCK_SIZE];
    uint8_t pad[GF_SHA1_BLOCK_SIZE];
    size_t i;

    key->compress = fn ? fn : gf_sha1_active();
    key->outer_step = gf_sha1_outer_for(key->compress);
    key->backend = key->compress == gf_sha1_compress_portable ? GF_SHA1_PORTABLE : GF_SHA1_SHANI;
    memset(block, 0, sizeof(block));
    if (len > GF_SHA1_BLOCK_SIZE) {
        gf_sha1(secret, len, block, key->compress);
    } else if (len) {
        memcpy(block, secret, len);
    }
    for (i = 0; i < GF_SHA1_BLOCK_SIZE; i++) {
        pad[i] = (uint8_t)(block[i] ^ 0x36u);
    }
    memcpy(key->inner, gf_sha1_iv, sizeof(gf_sha1_iv));
    key->compress(key->inner, pad, 1);
    for (i = 0; i < GF_SHA1_BLOCK_SIZE; i++) {
        pad[i] = (uint8_t)(block[i] ^ 0x5Cu);
    }
    memcpy(key->outer, gf_sha1_iv, sizeof(gf_sha1_iv));
    key->compress(key->outer, pad, 1);
    gf_wipe(block, sizeof(block));
    gf_wipe(pad, sizeof(pad));
}

void gf_hmac_begin(const gf_hmac_key *key, gf_sha1_ctx *ctx)
{
    memcpy(ctx->h, key->inner, sizeof(key->inner));
    ctx->used = 0;
    ctx->total = GF_SHA1_BLOCK_SIZE;
    ctx->compress = key->compress;
}

static inline void gf_store_words_be(uint8_t *out, const uint32_t w[5])
{
    int i;
    for (i = 0; i < 5; i++) {
        /* byte-wise (any host endianness); compilers merge these into one swapped store */
        out[4 * i] = (uint8_t)(w[i] >> 24);
        out[4 * i + 1] = (uint8_t)(w[i] >> 16);
        out[4 * i + 2] = (uint8_t)(w[i] >> 8);
        out[4 * i + 3] = (uint8_t)w[i];
    }
}

/* The outer hash is always one block after the outer midstate: the inner digest, 0x80,
 * zeros and the bit length (64 + 20) * 8; the backend builds it in registers. */
static void gf_hmac_outer(const gf_hmac_key *key, const uint32_t inner[5], uint8_t out[GF_SHA1_DIGEST_SIZE])
{
    uint32_t state[5];
    memcpy(state, key->outer, sizeof(state));
    key->outer_step(state, inner);
    gf_store_words_be(out, state);
}

void gf_hmac_end(const gf_hmac_key *key, gf_sha1_ctx *ctx, uint8_t out[GF_SHA1_DIGEST_SIZE])
{
    uint8_t digest[GF_SHA1_DIGEST_SIZE];
    gf_sha1_final(ctx, digest); /* ctx->h keeps the inner hash as words */
    gf_hmac_outer(key, ctx->h, out);
}

/* Finish a single inner block whose first len (<= 55) bytes hold the message:
 * 0x80, zeros, and the big-endian bit length of key block + message. */
static inline void gf_pad_short_block(uint8_t block[GF_SHA1_BLOCK_SIZE], size_t len)
{
    uint64_t bits = (uint64_t)(GF_SHA1_BLOCK_SIZE + len) * 8u;
    block[len] = 0x80;
    memset(block + len + 1, 0, GF_SHA1_BLOCK_SIZE - 8 - len - 1);
    /* byte-wise (merged into one store by the compiler) */
    block[56] = (uint8_t)(bits >> 56);
    block[57] = (uint8_t)(bits >> 48);
    block[58] = (uint8_t)(bits >> 40);
    block[59] = (uint8_t)(bits >> 32);
    block[60] = (uint8_t)(bits >> 24);
    block[61] = (uint8_t)(bits >> 16);
    block[62] = (uint8_t)(bits >> 8);
    block[63] = (uint8_t)bits;
}

/* The single inner block of a message of at most 55 bytes (after the key block). */
static void gf_short_block(uint8_t block[GF_SHA1_BLOCK_SIZE], const void *msg, size_t len)
{
    if (len) {
        memcpy(block, msg, len);
    }
    gf_pad_short_block(block, len);
}

void gf_hmac_short_x2(const gf_hmac_key *key, const void *msga, size_t lena, const void *msgb, size_t lenb,
                      uint8_t outa[GF_SHA1_DIGEST_SIZE], uint8_t outb[GF_SHA1_DIGEST_SIZE])
{
    uint8_t blocka[GF_SHA1_BLOCK_SIZE], blockb[GF_SHA1_BLOCK_SIZE];
    uint32_t sa[5], sb[5], ia[5], ib[5];
    gf_short_block(blocka, msga, lena);
    gf_short_block(blockb, msgb, lenb);
    memcpy(sa, key->inner, sizeof(sa));
    memcpy(sb, key->inner, sizeof(sb));
    gf_sha1_x2(key->compress, sa, blocka, NULL, sb, blockb, NULL);
    memcpy(ia, sa, sizeof(ia));
    memcpy(ib, sb, sizeof(ib));
    memcpy(sa, key->outer, sizeof(sa));
    memcpy(sb, key->outer, sizeof(sb));
    gf_sha1_x2(key->compress, sa, NULL, ia, sb, NULL, ib);
    gf_store_words_be(outa, sa);
    gf_store_words_be(outb, sb);
}

void gf_hmac_x2(const gf_hmac_key *key, const void *msga, size_t lena, const void *msgb, size_t lenb,
                uint8_t outa[GF_SHA1_DIGEST_SIZE], uint8_t outb[GF_SHA1_DIGEST_SIZE])
{
    const uint8_t *pa = (const uint8_t *)msga;
    const uint8_t *pb = (const uint8_t *)msgb;
    size_t na = lena / GF_SHA1_BLOCK_SIZE, nb = lenb / GF_SHA1_BLOCK_SIZE;
    size_t common = na < nb ? na : nb;
    gf_sha1_ctx ca, cb;
    uint8_t digest[GF_SHA1_DIGEST_SIZE];
    uint32_t ia[5], ib[5], sa[5], sb[5];

    /* the full blocks both messages have, two chains at once; then each one's rest */
    gf_hmac_begin(key, &ca);
    gf_hmac_begin(key, &cb);
    gf_sha1_x2_blocks(key->compress, ca.h, pa, cb.h, pb, common);
    ca.total += (uint64_t)common * GF_SHA1_BLOCK_SIZE;
    cb.total += (uint64_t)common * GF_SHA1_BLOCK_SIZE;
    common *= GF_SHA1_BLOCK_SIZE;
    gf_sha1_update(&ca, pa + common, lena - common);
    gf_sha1_update(&cb, pb + common, lenb - common);
    gf_sha1_final(&ca, digest);
    gf_sha1_final(&cb, digest);
    memcpy(ia, ca.h, sizeof(ia));
    memcpy(ib, cb.h, sizeof(ib));
    memcpy(sa, key->outer, sizeof(sa));
    memcpy(sb, key->outer, sizeof(sb));
    gf_sha1_x2(key->compress, sa, NULL, ia, sb, NULL, ib);
    gf_store_words_be(outa, sa);
    gf_store_words_be(outb, sb);
}

/* Copy n bytes with a few fixed-size (single instruction) moves instead of a library call:
 * short messages are the common case and a call costs more than the copy. */
static inline void gf_small_copy(uint8_t *dst, const uint8_t *src, size_t n)
{
    size_t i;
    if (n >= 8) {
        for (i = 0; i + 8 <= n; i += 8) {
            memcpy(dst + i, src + i, 8);
        }
        memcpy(dst + n - 8, src + n - 8, 8); /* the tail, overlapping what is already there */
    } else if (n >= 4) {
        memcpy(dst, src, 4);
        memcpy(dst + n - 4, src + n - 4, 4);
    } else {
        for (i = 0; i < n; i++) {
            dst[i] = src[i];
        }
    }
}

void gf_hmac_parts(const gf_hmac_key *key, const void *const *parts, const size_t *lens, size_t nparts,
                   uint8_t out[GF_SHA1_DIGEST_SIZE])
{
    size_t i, total = 0;
    for (i = 0; i < nparts; i++) {
        total += lens[i];
    }
    if (total <= GF_SHA1_BLOCK_SIZE - 9) {
        /* one inner block: message, 0x80, zeros, bit length of key block + message */
        uint8_t block[GF_SHA1_BLOCK_SIZE];
        uint32_t state[5];
        size_t at = 0;
        for (i = 0; i < nparts; i++) {
            gf_small_copy(block + at, (const uint8_t *)parts[i], lens[i]);
            at += lens[i];
        }
        gf_pad_short_block(block, total);
        memcpy(state, key->inner, sizeof(state));
        key->compress(state, block, 1);
        gf_hmac_outer(key, state, out);
    } else {
        gf_sha1_ctx ctx;
        gf_hmac_begin(key, &ctx);
        for (i = 0; i < nparts; i++) {
            gf_sha1_update(&ctx, parts[i], lens[i]);
        }
        gf_hmac_end(key, &ctx, out);
    }
}

void gf_hmac(const gf_hmac_key *key, const void *msg, size_t len, uint8_t out[GF_SHA1_DIGEST_SIZE])
{
    gf_sha1_ctx ctx;
    if (len <= GF_SHA1_BLOCK_SIZE - 9) {
        gf_hmac_parts(key, &msg, &len, 1, out); /* one prepared block */
        return;
    }
    gf_hmac_begin(key, &ctx);
    gf_sha1_update(&ctx, msg, len);
    gf_hmac_end(key, &ctx, out);
}

void gf_hmac_wipe(gf_hmac_key *key)
{
    gf_wipe(key->inner, sizeof(key->inner));
    gf_wipe(key->outer, sizeof(key->outer));
}

void gf_hmac_rebind(gf_hmac_key *key)
{
    gf_sha1_compress_fn fn = gf_sha1_compressor(key->backend);
    key->compress = fn ? fn : gf_sha1_compress_portable;
    key->outer_step = gf_sha1_outer_for(key->compress);
}
