/* gigya_fast C core: SHA-1, portable and SHA-NI compression, run-time dispatch. */
#include "gf_sha1.h"

#include <string.h>

/* ---- which accelerated path this compiler can build ---------------------------------------- */

#if defined(__x86_64__) || defined(_M_X64) || defined(__i386__) || defined(_M_IX86)
#  if defined(_MSC_VER) && !defined(__clang__)
#    define GF_SHANI_BUILD 1
#    define GF_SHANI_TARGET
#    include <intrin.h>
#    include <immintrin.h>
#  elif (defined(__GNUC__) && (__GNUC__ >= 5)) || defined(__clang__)
#    define GF_SHANI_BUILD 1
     /* Only the SHA-NI function is compiled for these extensions; nothing is built for
      * the build host's CPU (no native arch flag), so the rest runs on any x86-64. */
#    define GF_SHANI_TARGET __attribute__((target("sha,sse4.1,ssse3")))
#    include <cpuid.h>
#    include <immintrin.h>
#  endif
#endif

#ifndef GF_SHANI_BUILD
#  define GF_SHANI_BUILD 0
#endif

/* ---- portable compression ------------------------------------------------------------------ */

#define GF_ROL(x, n) ((uint32_t)(((x) << (n)) | ((x) >> (32 - (n)))))
#define GF_CH(b, c, d) ((d) ^ ((b) & ((c) ^ (d))))
#define GF_PARITY(b, c, d) ((b) ^ (c) ^ (d))
#define GF_MAJ(b, c, d) (((b) & (c)) | ((d) & ((b) | (c))))

/* Word i of the message schedule, kept in a 16-word ring (i is a constant after expansion). */
#define GF_SCHED(i)                                                                   \
    ((i) < 16 ? w[(i) & 15]                                                           \
              : (w[(i) & 15] = GF_ROL(w[((i) + 13) & 15] ^ w[((i) + 8) & 15] ^       \
                                      w[((i) + 2) & 15] ^ w[(i) & 15], 1)))

#define GF_ROUND(a, b, c, d, e, f, k, i)                                              \
    do {                                                                              \
        e += GF_ROL(a, 5) + f(b, c, d) + (uint32_t)(k) + GF_SCHED(i);                 \
        b = GF_ROL(b, 30);                                                            \
    } while (0)

#define GF_ROUND5(f, k, i)                                                            \
    GF_ROUND(a, b, c, d, e, f, k, (i));                                               \
    GF_ROUND(e, a, b, c, d, f, k, (i) + 1);                                           \
    GF_ROUND(d, e, a, b, c, f, k, (i) + 2);                                           \
    GF_ROUND(c, d, e, a, b, f, k, (i) + 3);                                           \
    GF_ROUND(b, c, d, e, a, f, k, (i) + 4)

static inline uint32_t gf_load_be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

static inline void gf_store_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* 80 rounds over the message words w[0..15] (w is overwritten by the schedule). */
static inline void gf_portable_rounds(uint32_t state[5], uint32_t w[16])
{
    uint32_t a = state[0], b = state[1], c = state[2], d = state[3], e = state[4];
    GF_ROUND5(GF_CH, 0x5A827999u, 0);
    GF_ROUND5(GF_CH, 0x5A827999u, 5);
    GF_ROUND5(GF_CH, 0x5A827999u, 10);
    GF_ROUND5(GF_CH, 0x5A827999u, 15);
    GF_ROUND5(GF_PARITY, 0x6ED9EBA1u, 20);
    GF_ROUND5(GF_PARITY, 0x6ED9EBA1u, 25);
    GF_ROUND5(GF_PARITY, 0x6ED9EBA1u, 30);
    GF_ROUND5(GF_PARITY, 0x6ED9EBA1u, 35);
    GF_ROUND5(GF_MAJ, 0x8F1BBCDCu, 40);
    GF_ROUND5(GF_MAJ, 0x8F1BBCDCu, 45);
    GF_ROUND5(GF_MAJ, 0x8F1BBCDCu, 50);
    GF_ROUND5(GF_MAJ, 0x8F1BBCDCu, 55);
    GF_ROUND5(GF_PARITY, 0xCA62C1D6u, 60);
    GF_ROUND5(GF_PARITY, 0xCA62C1D6u, 65);
    GF_ROUND5(GF_PARITY, 0xCA62C1D6u, 70);
    GF_ROUND5(GF_PARITY, 0xCA62C1D6u, 75);
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
    state[4] += e;
}

void gf_sha1_compress_portable(uint32_t state[5], const uint8_t *blocks, size_t nblocks)
{
    uint32_t w[16];
    while (nblocks--) {
        int i;
        for (i = 0; i < 16; i++) {
            w[i] = gf_load_be32(blocks + 4 * i);
        }
        gf_portable_rounds(state, w);
        blocks += GF_SHA1_BLOCK_SIZE;
    }
}

/* The HMAC outer block: a 20-byte digest after a 64-byte key block, padded. */
static void gf_sha1_outer_portable(uint32_t state[5], const uint32_t digest[5])
{
    uint32_t w[16];
    int i;
    for (i = 0; i < 5; i++) {
        w[i] = digest[i];
    }
    w[5] = 0x80000000u;
    for (i = 6; i < 15; i++) {
        w[i] = 0;
    }
    w[15] = (GF_SHA1_BLOCK_SIZE + GF_SHA1_DIGEST_SIZE) * 8;
    gf_portable_rounds(state, w);
}

/* ---- SHA-NI compression (Intel SHA extensions) ---------------------------------------------- */

#if GF_SHANI_BUILD

/* The ABCD register holds A in its top lane; E travels in the top lane of a second register.
 * Each _mm_sha1rnds4_epu32 performs four rounds; _mm_sha1nexte_epu32 derives the next E from
 * the A of four rounds earlier and adds the next four schedule words; msg1/msg2 extend the
 * schedule four words at a time: W[t..t+3] = msg2(msg1(W[t-16..], W[t-12..]) ^ W[t-8..], W[t-4..]). */
#define GF_NEXT_MSG(i)                                                                 \
    m[(i) & 3] = _mm_sha1msg2_epu32(                                                   \
        _mm_xor_si128(_mm_sha1msg1_epu32(m[(i) & 3], m[((i) + 1) & 3]), m[((i) + 2) & 3]), \
        m[((i) + 3) & 3])

#define GF_SHANI_GROUP(i, fn)                                                          \
    do {                                                                               \
        if ((i) >= 4) {                                                                \
            GF_NEXT_MSG(i);                                                            \
        }                                                                              \
        e = _mm_sha1nexte_epu32(prev, m[(i) & 3]);                                     \
        prev = abcd;                                                                   \
        abcd = _mm_sha1rnds4_epu32(abcd, e, fn);                                       \
    } while (0)

/* Compress nblocks 64-byte blocks; or, when digest is not NULL, the one HMAC outer block
 * (digest words, 0x80, zeros, bit length 672) built in registers, with no memory round trip. */
GF_SHANI_TARGET
static void gf_sha1_shani(uint32_t state[5], const uint8_t *blocks, size_t nblocks, const uint32_t *digest)
{
    const __m128i reverse = _mm_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    __m128i abcd = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)(const void *)state), 0x1B);
    __m128i e0 = _mm_set_epi32((int)state[4], 0, 0, 0);

    while (nblocks--) {
        __m128i m[4];
        __m128i abcd_save = abcd, e0_save = e0, prev, e;

        if (digest) {
            m[0] = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)(const void *)digest), 0x1B);
            m[1] = _mm_set_epi32((int)digest[4], (int)0x80000000u, 0, 0);
            m[2] = _mm_setzero_si128();
            m[3] = _mm_set_epi32(0, 0, 0, (GF_SHA1_BLOCK_SIZE + GF_SHA1_DIGEST_SIZE) * 8);
        } else {
            m[0] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(blocks + 0)), reverse);
            m[1] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(blocks + 16)), reverse);
            m[2] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(blocks + 32)), reverse);
            m[3] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(blocks + 48)), reverse);
        }

        /* rounds 0-3: E comes from the saved state, not from a previous A */
        prev = abcd;
        abcd = _mm_sha1rnds4_epu32(abcd, _mm_add_epi32(e0, m[0]), 0);
        GF_SHANI_GROUP(1, 0);
        GF_SHANI_GROUP(2, 0);
        GF_SHANI_GROUP(3, 0);
        GF_SHANI_GROUP(4, 0);
        GF_SHANI_GROUP(5, 1);
        GF_SHANI_GROUP(6, 1);
        GF_SHANI_GROUP(7, 1);
        GF_SHANI_GROUP(8, 1);
        GF_SHANI_GROUP(9, 1);
        GF_SHANI_GROUP(10, 2);
        GF_SHANI_GROUP(11, 2);
        GF_SHANI_GROUP(12, 2);
        GF_SHANI_GROUP(13, 2);
        GF_SHANI_GROUP(14, 2);
        GF_SHANI_GROUP(15, 3);
        GF_SHANI_GROUP(16, 3);
        GF_SHANI_GROUP(17, 3);
        GF_SHANI_GROUP(18, 3);
        GF_SHANI_GROUP(19, 3);

        e0 = _mm_sha1nexte_epu32(prev, e0_save);
        abcd = _mm_add_epi32(abcd, abcd_save);
        if (!digest) {
            blocks += GF_SHA1_BLOCK_SIZE; /* (the outer block has no memory to advance) */
        }
    }

    _mm_storeu_si128((__m128i *)(void *)state, _mm_shuffle_epi32(abcd, 0x1B));
    state[4] = (uint32_t)_mm_extract_epi32(e0, 3);
}

/* Two independent one-block compressions interleaved: SHA-NI rounds are latency-bound, so
 * a second chain runs almost for free. Each lane takes a 64-byte block, or (block NULL) the
 * HMAC outer block of its digest words, exactly as gf_sha1_shani does for one lane. */
#define GF_SHANI_LOAD(m, block, digest)                                                      \
    do {                                                                                     \
        if (digest) {                                                                        \
            m[0] = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)(const void *)digest), 0x1B); \
            m[1] = _mm_set_epi32((int)digest[4], (int)0x80000000u, 0, 0);                    \
            m[2] = _mm_setzero_si128();                                                      \
            m[3] = _mm_set_epi32(0, 0, 0, (GF_SHA1_BLOCK_SIZE + GF_SHA1_DIGEST_SIZE) * 8);   \
        } else {                                                                             \
            m[0] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(block)), reverse); \
            m[1] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(block + 16)), reverse); \
            m[2] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(block + 32)), reverse); \
            m[3] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(block + 48)), reverse); \
        }                                                                                    \
    } while (0)

#define GF_SHANI_GROUP2(i, fn)                                                               \
    do {                                                                                     \
        if ((i) >= 4) {                                                                      \
            ma[(i) & 3] = _mm_sha1msg2_epu32(                                                \
                _mm_xor_si128(_mm_sha1msg1_epu32(ma[(i) & 3], ma[((i) + 1) & 3]), ma[((i) + 2) & 3]), \
                ma[((i) + 3) & 3]);                                                          \
            mb[(i) & 3] = _mm_sha1msg2_epu32(                                                \
                _mm_xor_si128(_mm_sha1msg1_epu32(mb[(i) & 3], mb[((i) + 1) & 3]), mb[((i) + 2) & 3]), \
                mb[((i) + 3) & 3]);                                                          \
        }                                                                                    \
        ea = _mm_sha1nexte_epu32(preva, ma[(i) & 3]);                                        \
        eb = _mm_sha1nexte_epu32(prevb, mb[(i) & 3]);                                        \
        preva = abcda;                                                                       \
        prevb = abcdb;                                                                       \
        abcda = _mm_sha1rnds4_epu32(abcda, ea, fn);                                          \
        abcdb = _mm_sha1rnds4_epu32(abcdb, eb, fn);                                          \
    } while (0)

GF_SHANI_TARGET
static void gf_sha1_shani_x2(uint32_t sa[5], const uint8_t *blocka, const uint32_t *digesta,
                             uint32_t sb[5], const uint8_t *blockb, const uint32_t *digestb,
                             size_t nblocks)
{
    const __m128i reverse = _mm_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    __m128i abcda = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)(const void *)sa), 0x1B);
    __m128i abcdb = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)(const void *)sb), 0x1B);
    __m128i e0a = _mm_set_epi32((int)sa[4], 0, 0, 0);
    __m128i e0b = _mm_set_epi32((int)sb[4], 0, 0, 0);

    while (nblocks--) {
        __m128i savea = abcda, saveb = abcdb, e0a_save = e0a, e0b_save = e0b, preva, prevb, ea, eb;
        __m128i ma[4], mb[4];

        GF_SHANI_LOAD(ma, blocka, digesta);
        GF_SHANI_LOAD(mb, blockb, digestb);
        preva = abcda;
        prevb = abcdb;
        abcda = _mm_sha1rnds4_epu32(abcda, _mm_add_epi32(e0a, ma[0]), 0);
        abcdb = _mm_sha1rnds4_epu32(abcdb, _mm_add_epi32(e0b, mb[0]), 0);
        GF_SHANI_GROUP2(1, 0);
        GF_SHANI_GROUP2(2, 0);
        GF_SHANI_GROUP2(3, 0);
        GF_SHANI_GROUP2(4, 0);
        GF_SHANI_GROUP2(5, 1);
        GF_SHANI_GROUP2(6, 1);
        GF_SHANI_GROUP2(7, 1);
        GF_SHANI_GROUP2(8, 1);
        GF_SHANI_GROUP2(9, 1);
        GF_SHANI_GROUP2(10, 2);
        GF_SHANI_GROUP2(11, 2);
        GF_SHANI_GROUP2(12, 2);
        GF_SHANI_GROUP2(13, 2);
        GF_SHANI_GROUP2(14, 2);
        GF_SHANI_GROUP2(15, 3);
        GF_SHANI_GROUP2(16, 3);
        GF_SHANI_GROUP2(17, 3);
        GF_SHANI_GROUP2(18, 3);
        GF_SHANI_GROUP2(19, 3);
        e0a = _mm_sha1nexte_epu32(preva, e0a_save);
        e0b = _mm_sha1nexte_epu32(prevb, e0b_save);
        abcda = _mm_add_epi32(abcda, savea);
        abcdb = _mm_add_epi32(abcdb, saveb);
        if (!digesta) {
            blocka += GF_SHA1_BLOCK_SIZE;
        }
        if (!digestb) {
            blockb += GF_SHA1_BLOCK_SIZE;
        }
    }
    _mm_storeu_si128((__m128i *)(void *)sa, _mm_shuffle_epi32(abcda, 0x1B));
    sa[4] = (uint32_t)_mm_extract_epi32(e0a, 3);
    _mm_storeu_si128((__m128i *)(void *)sb, _mm_shuffle_epi32(abcdb, 0x1B));
    sb[4] = (uint32_t)_mm_extract_epi32(e0b, 3);
}

static void gf_sha1_compress_shani(uint32_t state[5], const uint8_t *blocks, size_t nblocks)
{
    gf_sha1_shani(state, blocks, nblocks, NULL);
}

static void gf_sha1_outer_shani(uint32_t state[5], const uint32_t digest[5])
{
    gf_sha1_shani(state, NULL, 1, digest);
}

static void gf_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t regs[4])
{
#if defined(_MSC_VER) && !defined(__clang__)
    int r[4];
    __cpuidex(r, (int)leaf, (int)subleaf);
    regs[0] = (uint32_t)r[0];
    regs[1] = (uint32_t)r[1];
    regs[2] = (uint32_t)r[2];
    regs[3] = (uint32_t)r[3];
#else
    unsigned int a, b, c, d;
    __cpuid_count(leaf, subleaf, a, b, c, d);
    regs[0] = a;
    regs[1] = b;
    regs[2] = c;
    regs[3] = d;
#endif
}

static int gf_detect_shani(void)
{
    uint32_t regs[4];
    gf_cpuid(0, 0, regs);
    if (regs[0] < 7) {
        return 0;
    }
    gf_cpuid(1, 0, regs);
    if (!(regs[2] & (1u << 19)) /* SSE4.1 */ || !(regs[2] & (1u << 9)) /* SSSE3 */) {
        return 0;
    }
    gf_cpuid(7, 0, regs);
    return (regs[1] & (1u << 29)) != 0; /* SHA */
}

#endif /* GF_SHANI_BUILD */

/* ---- dispatch ------------------------------------------------------------------------------- */

static int gf_shani_state = -1; /* -1 unknown, 0 no, 1 yes; set under the GIL at import */
static gf_sha1_compress_fn gf_active_fn = gf_sha1_compress_portable;
static int gf_active_backend = GF_SHA1_PORTABLE;

int gf_sha1_shani_supported(void)
{
    if (gf_shani_state < 0) {
#if GF_SHANI_BUILD
        gf_shani_state = gf_detect_shani();
#else
        gf_shani_state = 0;
#endif
    }
    return gf_shani_state;
}

gf_sha1_compress_fn gf_sha1_compressor(int backend)
{
    if (backend == GF_SHA1_PORTABLE) {
        return gf_sha1_compress_portable;
    }
#if GF_SHANI_BUILD
    if (backend == GF_SHA1_SHANI && gf_sha1_shani_supported()) {
        return gf_sha1_compress_shani;
    }
#endif
    return NULL;
}

/* Any backend: two lanes one after the other. */
static void gf_sha1_x2_serial(gf_sha1_compress_fn compress, gf_sha1_outer_fn outer, uint32_t sa[5],
                              const uint8_t *blocka, const uint32_t *digesta, uint32_t sb[5],
                              const uint8_t *blockb, const uint32_t *digestb)
{
    if (digesta) {
        outer(sa, digesta);
    } else {
        compress(sa, blocka, 1);
    }
    if (digestb) {
        outer(sb, digestb);
    } else {
        compress(sb, blockb, 1);
    }
}

void gf_sha1_x2(gf_sha1_compress_fn fn, uint32_t sa[5], const uint8_t *blocka, const uint32_t *digesta,
                uint32_t sb[5], const uint8_t *blockb, const uint32_t *digestb)
{
#if GF_SHANI_BUILD
    if (fn == gf_sha1_compress_shani) {
        gf_sha1_shani_x2(sa, blocka, digesta, sb, blockb, digestb, 1);
        return;
    }
#endif
    gf_sha1_x2_serial(fn, gf_sha1_outer_for(fn), sa, blocka, digesta, sb, blockb, digestb);
}

void gf_sha1_x2_blocks(gf_sha1_compress_fn fn, uint32_t sa[5], const uint8_t *blocksa, uint32_t sb[5],
                       const uint8_t *blocksb, size_t nblocks)
{
    if (!nblocks) {
        return;
    }
#if GF_SHANI_BUILD
    if (fn == gf_sha1_compress_shani) {
        gf_sha1_shani_x2(sa, blocksa, NULL, sb, blocksb, NULL, nblocks);
        return;
    }
#endif
    fn(sa, blocksa, nblocks);
    fn(sb, blocksb, nblocks);
}

gf_sha1_outer_fn gf_sha1_outer_for(gf_sha1_compress_fn fn)
{
#if GF_SHANI_BUILD
    if (fn == gf_sha1_compress_shani) {
        return gf_sha1_outer_shani;
    }
#endif
    (void)fn;
    return gf_sha1_outer_portable;
}

int gf_sha1_select(int force_portable)
{
    if (!force_portable && gf_sha1_shani_supported()) {
        gf_active_fn = gf_sha1_compressor(GF_SHA1_SHANI);
        gf_active_backend = GF_SHA1_SHANI;
    } else {
        gf_active_fn = gf_sha1_compress_portable;
        gf_active_backend = GF_SHA1_PORTABLE;
    }
    return gf_active_backend;
}

int gf_sha1_active_backend(void)
{
    return gf_active_backend;
}

gf_sha1_compress_fn gf_sha1_active(void)
{
    return gf_active_fn;
}

/* ---- streaming ------------------------------------------------------------------------------ */

void gf_sha1_init(gf_sha1_ctx *ctx, gf_sha1_compress_fn fn)
{
    ctx->h[0] = 0x67452301u;
    ctx->h[1] = 0xEFCDAB89u;
    ctx->h[2] = 0x98BADCFEu;
    ctx->h[3] = 0x10325476u;
    ctx->h[4] = 0xC3D2E1F0u;
    ctx->used = 0;
    ctx->total = 0;
    ctx->compress = fn ? fn : gf_active_fn;
}

void gf_sha1_update(gf_sha1_ctx *ctx, const void *data, size_t len)
{
    const uint8_t *p = (const uint8_t *)data;
    ctx->total += (uint64_t)len;
    if (ctx->used) {
        size_t room = GF_SHA1_BLOCK_SIZE - ctx->used;
        if (len < room) {
            memcpy(ctx->buf + ctx->used, p, len);
            ctx->used += (uint32_t)len;
            return;
        }
        memcpy(ctx->buf + ctx->used, p, room);
        ctx->compress(ctx->h, ctx->buf, 1);
        p += room;
        len -= room;
        ctx->used = 0;
    }
    if (len >= GF_SHA1_BLOCK_SIZE) {
        size_t n = len / GF_SHA1_BLOCK_SIZE;
        ctx->compress(ctx->h, p, n);
        p += n * GF_SHA1_BLOCK_SIZE;
        len -= n * GF_SHA1_BLOCK_SIZE;
    }
    if (len) {
        memcpy(ctx->buf, p, len);
        ctx->used = (uint32_t)len;
    }
}

void gf_sha1_final(gf_sha1_ctx *ctx, uint8_t out[GF_SHA1_DIGEST_SIZE])
{
    uint64_t bits = ctx->total * 8u;
    uint32_t used = ctx->used;
    int i;
    ctx->buf[used++] = 0x80;
    if (used > GF_SHA1_BLOCK_SIZE - 8) {
        memset(ctx->buf + used, 0, GF_SHA1_BLOCK_SIZE - used);
        ctx->compress(ctx->h, ctx->buf, 1);
        used = 0;
    }
    memset(ctx->buf + used, 0, GF_SHA1_BLOCK_SIZE - 8 - used);
    gf_store_be32(ctx->buf + 56, (uint32_t)(bits >> 32));
    gf_store_be32(ctx->buf + 60, (uint32_t)bits);
    ctx->compress(ctx->h, ctx->buf, 1);
    for (i = 0; i < 5; i++) {
        gf_store_be32(out + 4 * i, ctx->h[i]);
    }
}

void gf_sha1(const void *data, size_t len, uint8_t out[GF_SHA1_DIGEST_SIZE], gf_sha1_compress_fn fn)
{
    gf_sha1_ctx ctx;
    gf_sha1_init(&ctx, fn);
    gf_sha1_update(&ctx, data, len);
    gf_sha1_final(&ctx, out);
}

void gf_wipe(void *p, size_t n)
{
    volatile uint8_t *v = (volatile uint8_t *)p;
    while (n--) {
        *v++ = 0;
    }
}
