/* gigya_fast C core: base64 (RFC 4648, standard alphabet), RFC 3986 percent-encoding,
 * constant-time comparison. */
#ifndef GF_CODEC_H
#define GF_CODEC_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Base64 with '=' padding; out needs gf_b64_encoded_len(n) bytes (no terminator written). */
#define gf_b64_encoded_len(n) ((((n) + 2) / 3) * 4)
size_t gf_b64_encode(const uint8_t *in, size_t n, char *out);

/* base64 of a 20-byte digest (27 symbols and one '='), unrolled. */
void gf_b64_encode_digest(const uint8_t in[20], char out[28]);

enum { GF_B64_OK = 0, GF_B64_BAD_LENGTH = 1, GF_B64_BAD_CHAR = 2 };

/* Strict decoding: length a multiple of 4, standard alphabet only, '=' padding only at the
 * very end (one or two). Unused low bits of the last symbol are ignored, as Python does.
 * out needs (n / 4) * 3 bytes; *outlen receives the decoded size. */
int gf_b64_decode_strict(const char *in, size_t n, uint8_t *out, size_t *outlen);

/* Length of the percent-encoding of n bytes (A-Z a-z 0-9 - . _ ~ kept, others %XX). */
size_t gf_pct_encoded_len(const uint8_t *in, size_t n);

/* Percent-encode into out (gf_pct_encoded_len bytes); returns bytes written. */
size_t gf_pct_encode(const uint8_t *in, size_t n, char *out);

/* The same without the exact length: out must have room for 3 * n bytes (the encoder
 * writes three bytes per input byte, branch-free, and advances by one or three). */
size_t gf_pct_encode_fast(const uint8_t *in, size_t n, char *out);

/* 1 when the byte is an RFC 3986 unreserved character. */
int gf_pct_unreserved(uint8_t c);

/* 1 when equal; the time does not depend on the contents (lengths may differ: early 0). */
int gf_ct_equal(const void *a, size_t alen, const void *b, size_t blen);

/* gf_ct_equal of two 28-byte strings (a base64 HMAC-SHA1 signature), inline: four loads and
 * an OR of the differences, no branch on the contents. */
static inline int gf_ct_equal28(const void *a, const void *b)
{
    const unsigned char *x = (const unsigned char *)a;
    const unsigned char *y = (const unsigned char *)b;
    uint64_t x0, x1, x2, y0, y1, y2;
    uint32_t x3, y3;
    volatile uint64_t diff;
    memcpy(&x0, x, 8);
    memcpy(&x1, x + 8, 8);
    memcpy(&x2, x + 16, 8);
    memcpy(&x3, x + 24, 4);
    memcpy(&y0, y, 8);
    memcpy(&y1, y + 8, 8);
    memcpy(&y2, y + 16, 8);
    memcpy(&y3, y + 24, 4);
    diff = (x0 ^ y0) | (x1 ^ y1) | (x2 ^ y2) | (uint64_t)(x3 ^ y3);
    return diff == 0;
}

#ifdef __cplusplus
}
#endif

#endif /* GF_CODEC_H */
