/* gigya_fast C core: base64, percent-encoding, constant-time compare. */
#include "gf_codec.h"

#include <string.h>

static const char gf_b64_alphabet[64] = {
    'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O', 'P',
    'Q', 'R', 'S', 'T', 'U', 'V', 'W', 'X', 'Y', 'Z', 'a', 'b', 'c', 'd', 'e', 'f',
    'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p', 'q', 'r', 's', 't', 'u', 'v',
    'w', 'x', 'y', 'z', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '+', '/'};

size_t gf_b64_encode(const uint8_t *in, size_t n, char *out)
{
    char *o = out;
    size_t i = 0;
    for (; i + 3 <= n; i += 3) {
        uint32_t v = ((uint32_t)in[i] << 16) | ((uint32_t)in[i + 1] << 8) | (uint32_t)in[i + 2];
        *o++ = gf_b64_alphabet[(v >> 18) & 63];
        *o++ = gf_b64_alphabet[(v >> 12) & 63];
        *o++ = gf_b64_alphabet[(v >> 6) & 63];
        *o++ = gf_b64_alphabet[v & 63];
    }
    if (n - i == 1) {
        uint32_t v = (uint32_t)in[i] << 16;
        *o++ = gf_b64_alphabet[(v >> 18) & 63];
        *o++ = gf_b64_alphabet[(v >> 12) & 63];
        *o++ = '=';
        *o++ = '=';
    } else if (n - i == 2) {
        uint32_t v = ((uint32_t)in[i] << 16) | ((uint32_t)in[i + 1] << 8);
        *o++ = gf_b64_alphabet[(v >> 18) & 63];
        *o++ = gf_b64_alphabet[(v >> 12) & 63];
        *o++ = gf_b64_alphabet[(v >> 6) & 63];
        *o++ = '=';
    }
    return (size_t)(o - out);
}

#define GF_B64_GROUP(o, p)                                                             \
    do {                                                                               \
        uint32_t v_ = ((uint32_t)(p)[0] << 16) | ((uint32_t)(p)[1] << 8) | (uint32_t)(p)[2]; \
        (o)[0] = gf_b64_alphabet[v_ >> 18];                                            \
        (o)[1] = gf_b64_alphabet[(v_ >> 12) & 63];                                     \
        (o)[2] = gf_b64_alphabet[(v_ >> 6) & 63];                                      \
        (o)[3] = gf_b64_alphabet[v_ & 63];                                             \
    } while (0)

void gf_b64_encode_digest(const uint8_t in[20], char out[28])
{
    uint32_t v = ((uint32_t)in[18] << 16) | ((uint32_t)in[19] << 8);
    GF_B64_GROUP(out, in);
    GF_B64_GROUP(out + 4, in + 3);
    GF_B64_GROUP(out + 8, in + 6);
    GF_B64_GROUP(out + 12, in + 9);
    GF_B64_GROUP(out + 16, in + 12);
    GF_B64_GROUP(out + 20, in + 15);
    out[24] = gf_b64_alphabet[v >> 18];
    out[25] = gf_b64_alphabet[(v >> 12) & 63];
    out[26] = gf_b64_alphabet[(v >> 6) & 63];
    out[27] = '=';
}

/* 0..63 for alphabet symbols, 64 for anything else. */
static int gf_b64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
        return c - '0' + 52;
    }
    if (c == '+') {
        return 62;
    }
    if (c == '/') {
        return 63;
    }
    return 64;
}

int gf_b64_decode_strict(const char *in, size_t n, uint8_t *out, size_t *outlen)
{
    size_t i, o = 0;
    *outlen = 0;
    if (n % 4) {
        return GF_B64_BAD_LENGTH;
    }
    for (i = 0; i < n; i += 4) {
        int v0 = gf_b64_value((unsigned char)in[i]);
        int v1 = gf_b64_value((unsigned char)in[i + 1]);
        int v2 = gf_b64_value((unsigned char)in[i + 2]);
        int v3 = gf_b64_value((unsigned char)in[i + 3]);
        int last = (i + 4 == n);
        if (v0 == 64 || v1 == 64) {
            return GF_B64_BAD_CHAR;
        }
        if (v2 == 64 || v3 == 64) {
            /* only "xx==" or "xxx=" in the final group */
            if (!last) {
                return GF_B64_BAD_CHAR;
            }
            if (v2 == 64) {
                if (in[i + 2] != '=' || in[i + 3] != '=') {
                    return GF_B64_BAD_CHAR;
                }
                out[o++] = (uint8_t)((v0 << 2) | (v1 >> 4));
            } else {
                if (in[i + 3] != '=') {
                    return GF_B64_BAD_CHAR;
                }
                out[o++] = (uint8_t)((v0 << 2) | (v1 >> 4));
                out[o++] = (uint8_t)(((v1 & 15) << 4) | (v2 >> 2));
            }
            break;
        }
        out[o++] = (uint8_t)((v0 << 2) | (v1 >> 4));
        out[o++] = (uint8_t)(((v1 & 15) << 4) | (v2 >> 2));
        out[o++] = (uint8_t)(((v2 & 3) << 6) | v3);
    }
    *outlen = o;
    return GF_B64_OK;
}

/* Unreserved bytes of RFC 3986: A-Z a-z 0-9 - . _ ~ */
static const uint8_t gf_unreserved[256] = {
    /* 0x00 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    /* 0x10 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    /* 0x20 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0,
    /* 0x30 */ 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0,
    /* 0x40 */ 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    /* 0x50 */ 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1,
    /* 0x60 */ 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    /* 0x70 */ 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 0,
    /* 0x80-0xFF: never */
};

int gf_pct_unreserved(uint8_t c)
{
    return gf_unreserved[c];
}

size_t gf_pct_encoded_len(const uint8_t *in, size_t n)
{
    size_t i, extra = 0;
    for (i = 0; i < n; i++) {
        extra += (size_t)(1 - gf_unreserved[in[i]]);
    }
    return n + 2 * extra;
}

static const char gf_hex_upper[16] = {'0', '1', '2', '3', '4', '5', '6', '7',
                                      '8', '9', 'A', 'B', 'C', 'D', 'E', 'F'};

size_t gf_pct_encode(const uint8_t *in, size_t n, char *out)
{
    char *o = out;
    size_t i;
    for (i = 0; i < n; i++) {
        uint8_t c = in[i];
        if (gf_unreserved[c]) {
            *o++ = (char)c;
        } else {
            o[0] = '%';
            o[1] = gf_hex_upper[c >> 4];
            o[2] = gf_hex_upper[c & 15];
            o += 3;
        }
    }
    return (size_t)(o - out);
}

size_t gf_pct_encode_fast(const uint8_t *in, size_t n, char *out)
{
    char *o = out;
    size_t i;
    for (i = 0; i < n; i++) {
        uint8_t c = in[i];
        size_t keep = gf_unreserved[c];
        o[0] = keep ? (char)c : '%';
        o[1] = gf_hex_upper[c >> 4];
        o[2] = gf_hex_upper[c & 15];
        o += 3 - 2 * keep;
    }
    return (size_t)(o - out);
}

int gf_ct_equal(const void *a, size_t alen, const void *b, size_t blen)
{
    const uint8_t *x = (const uint8_t *)a;
    const uint8_t *y = (const uint8_t *)b;
    uint64_t diff = 0;
    volatile uint64_t result;
    size_t i = 0;
    if (alen != blen) {
        return 0;
    }
    /* OR of all differences, eight bytes at a time: no data-dependent branch or exit */
    for (; i + 8 <= alen; i += 8) {
        uint64_t u, v;
        memcpy(&u, x + i, 8);
        memcpy(&v, y + i, 8);
        diff |= u ^ v;
    }
    for (; i < alen; i++) {
        diff |= (uint64_t)(x[i] ^ y[i]);
    }
    result = diff;
    return result == 0;
}
