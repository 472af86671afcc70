/* gigya_fast C core: SHA-1 (FIPS 180-4) with a portable path and an x86 SHA-NI path.
 *
 * The compression function is chosen once at run time (CPUID) by gf_sha1_select();
 * every context records the function it uses, so tests can drive either backend. */
#ifndef GF_SHA1_H
#define GF_SHA1_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GF_SHA1_DIGEST_SIZE 20
#define GF_SHA1_BLOCK_SIZE 64

enum { GF_SHA1_PORTABLE = 0, GF_SHA1_SHANI = 1 };

/* Process nblocks consecutive 64-byte blocks into state[5]. */
typedef void (*gf_sha1_compress_fn)(uint32_t state[5], const uint8_t *blocks, size_t nblocks);

typedef struct {
    uint32_t h[5];
    uint32_t used;          /* bytes waiting in buf (0..63) */
    uint64_t total;         /* bytes hashed so far, including buf */
    gf_sha1_compress_fn compress;
    uint8_t buf[GF_SHA1_BLOCK_SIZE];
} gf_sha1_ctx;

/* One compression of the HMAC outer block (a 20-byte digest, given as its five big-endian
 * words, after the 64-byte key block) into state. */
typedef void (*gf_sha1_outer_fn)(uint32_t state[5], const uint32_t digest[5]);

/* The outer-block step of the same backend as fn. */
gf_sha1_outer_fn gf_sha1_outer_for(gf_sha1_compress_fn fn);

/* Two independent one-block steps with fn's backend (interleaved on SHA-NI). For each lane,
 * digest NULL: compress its 64-byte block; else: the HMAC outer block of the digest words. */
void gf_sha1_x2(gf_sha1_compress_fn fn, uint32_t sa[5], const uint8_t *blocka, const uint32_t *digesta,
                uint32_t sb[5], const uint8_t *blockb, const uint32_t *digestb);

/* nblocks consecutive 64-byte blocks into each of two states (interleaved on SHA-NI). */
void gf_sha1_x2_blocks(gf_sha1_compress_fn fn, uint32_t sa[5], const uint8_t *blocksa, uint32_t sb[5],
                       const uint8_t *blocksb, size_t nblocks);

/* 1 when this build has a SHA-NI path and the CPU supports SHA, SSE4.1 and SSSE3. */
int gf_sha1_shani_supported(void);

/* Choose the active backend (SHA-NI when supported unless force_portable); returns it. */
int gf_sha1_select(int force_portable);

/* The active backend (GF_SHA1_PORTABLE or GF_SHA1_SHANI). */
int gf_sha1_active_backend(void);

/* The compression function of a backend, or NULL when it is unavailable here. */
gf_sha1_compress_fn gf_sha1_compressor(int backend);

/* The active compression function. */
gf_sha1_compress_fn gf_sha1_active(void);

void gf_sha1_compress_portable(uint32_t state[5], const uint8_t *blocks, size_t nblocks);

/* Streaming interface; fn == NULL means the active backend. */
void gf_sha1_init(gf_sha1_ctx *ctx, gf_sha1_compress_fn fn);
void gf_sha1_update(gf_sha1_ctx *ctx, const void *data, size_t len);
void gf_sha1_final(gf_sha1_ctx *ctx, uint8_t out[GF_SHA1_DIGEST_SIZE]);

/* One-shot digest with a given compression function (NULL: active). */
void gf_sha1(const void *data, size_t len, uint8_t out[GF_SHA1_DIGEST_SIZE], gf_sha1_compress_fn fn);

/* Overwrite memory in a way the optimiser keeps. */
void gf_wipe(void *p, size_t n);

#ifdef __cplusplus
}
#endif

#endif /* GF_SHA1_H */
