/* gigya_fast C core: HMAC-SHA1 (RFC 2104) from cached inner/outer midstates. */
#ifndef GF_HMAC_H
#define GF_HMAC_H

#include "gf_sha1.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    uint32_t inner[5];  /* SHA-1 state after the block key ^ ipad */
    uint32_t outer[5];  /* SHA-1 state after the block key ^ opad */
    gf_sha1_compress_fn compress;
    gf_sha1_outer_fn outer_step;
    int backend;        /* GF_SHA1_PORTABLE or GF_SHA1_SHANI: what compress is */
} gf_hmac_key;

/* Derive the midstates; keys longer than 64 bytes are hashed first. fn NULL: active backend. */
void gf_hmac_init(gf_hmac_key *key, const uint8_t *secret, size_t len, gf_sha1_compress_fn fn);

/* Start a message: ctx continues from the inner midstate. */
void gf_hmac_begin(const gf_hmac_key *key, gf_sha1_ctx *ctx);

/* Finish a message started with gf_hmac_begin. */
void gf_hmac_end(const gf_hmac_key *key, gf_sha1_ctx *ctx, uint8_t out[GF_SHA1_DIGEST_SIZE]);

/* HMAC of the concatenation of nparts pieces (no copy into a joined buffer; a message of
 * up to 55 bytes is hashed as one prepared block). */
void gf_hmac_parts(const gf_hmac_key *key, const void *const *parts, const size_t *lens, size_t nparts,
                   uint8_t out[GF_SHA1_DIGEST_SIZE]);

/* Two HMACs of messages of at most GF_HMAC_SHORT bytes each, computed together (on SHA-NI
 * the two hash chains are interleaved). */
#define GF_HMAC_SHORT (GF_SHA1_BLOCK_SIZE - 9)
void gf_hmac_short_x2(const gf_hmac_key *key, const void *msga, size_t lena, const void *msgb, size_t lenb,
                      uint8_t outa[GF_SHA1_DIGEST_SIZE], uint8_t outb[GF_SHA1_DIGEST_SIZE]);

/* Two HMACs of messages of any length, their common full blocks hashed together. */
void gf_hmac_x2(const gf_hmac_key *key, const void *msga, size_t lena, const void *msgb, size_t lenb,
                uint8_t outa[GF_SHA1_DIGEST_SIZE], uint8_t outb[GF_SHA1_DIGEST_SIZE]);

/* One-shot HMAC of a contiguous message. */
void gf_hmac(const gf_hmac_key *key, const void *msg, size_t len, uint8_t out[GF_SHA1_DIGEST_SIZE]);

void gf_hmac_wipe(gf_hmac_key *key);

/* Every extension module links its own copy of the core. A key made by another module (a
 * Signer's, in the webhook batch kernel) is rebound to this copy's functions of the same
 * backend before use: its pointers would run the other copy's code, whose SHA-NI step this
 * copy's two-lane dispatch does not recognise (it would fall back to one lane at a time). */
void gf_hmac_rebind(gf_hmac_key *key);

#ifdef __cplusplus
}
#endif

#endif /* GF_HMAC_H */
