/* gigya_fast C core: the envelope scan of gf_json.h. One pass, no allocation, an explicit
 * stack of container kinds instead of recursion. */
#include "gf_json.h"

#include <string.h>

enum { IN_OBJECT = 0, IN_ARRAY = 1 };

static int is_space(uint8_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int is_digit(uint8_t c)
{
    return c >= '0' && c <= '9';
}

static int is_hex(uint8_t c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static const uint8_t *skip_space(const uint8_t *p, const uint8_t *end)
{
    while (p < end && is_space(*p))
        p++;
    return p;
}

/* Length of the strict UTF-8 sequence starting at p (its lead byte >= 0x80), 0 if invalid. */
static size_t utf8_sequence(const uint8_t *p, const uint8_t *end)
{
    uint8_t c = p[0];
    size_t need, i;
    uint8_t low = 0x80, high = 0xBF; /* range of the second byte */
    if (c >= 0xC2 && c <= 0xDF) {
        need = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 3;
        if (c == 0xE0)
            low = 0xA0; /* no overlong form */
        else if (c == 0xED)
            high = 0x9F; /* no surrogate */
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        if (c == 0xF0)
            low = 0x90;
        else if (c == 0xF4)
            high = 0x8F; /* nothing above U+10FFFF */
    } else {
        return 0;
    }
    if ((size_t)(end - p) < need || p[1] < low || p[1] > high)
        return 0;
    for (i = 2; i < need; i++)
        if (p[i] < 0x80 || p[i] > 0xBF)
            return 0;
    return need;
}

/* p is just past the opening quote; returns the byte after the closing quote, or NULL.
 * *escaped is set when the string holds a backslash. */
static const uint8_t *scan_string(const uint8_t *p, const uint8_t *end, int *escaped)
{
    while (p < end) {
        uint8_t c = *p;
        if (c == '"')
            return p + 1;
        if (c == '\\') {
            *escaped = 1;
            if (end - p < 2)
                return NULL;
            c = p[1];
            if (c == 'u') {
                if (end - p < 6 || !is_hex(p[2]) || !is_hex(p[3]) || !is_hex(p[4]) || !is_hex(p[5]))
                    return NULL;
                p += 6;
            } else if (c == '"' || c == '\\' || c == '/' || c == 'b' || c == 'f' || c == 'n' || c == 'r'
                       || c == 't') {
                p += 2;
            } else {
                return NULL;
            }
        } else if (c < 0x20) {
            return NULL;
        } else if (c < 0x80) {
            p++;
        } else {
            size_t len = utf8_sequence(p, end);
            if (len == 0)
                return NULL;
            p += len;
        }
    }
    return NULL;
}

/* p is at the first byte of a number ('-' or a digit); returns the byte after it, or NULL.
 * *int_digits receives the digit count of an integer literal, or -1 for a fraction/exponent. */
static const uint8_t *scan_number(const uint8_t *p, const uint8_t *end, long *int_digits)
{
    const uint8_t *digits;
    if (*p == '-')
        p++;
    digits = p;
    if (p >= end)
        return NULL;
    if (*p == '0') {
        p++;
    } else if (*p >= '1' && *p <= '9') {
        while (p < end && is_digit(*p))
            p++;
    } else {
        return NULL;
    }
    *int_digits = (long)(p - digits);
    if (p < end && *p == '.') {
        p++;
        if (p >= end || !is_digit(*p))
            return NULL;
        while (p < end && is_digit(*p))
            p++;
        *int_digits = -1;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        if (p >= end || !is_digit(*p))
            return NULL;
        while (p < end && is_digit(*p))
            p++;
        *int_digits = -1;
    }
    return p;
}

/* p is at 't', 'f' or 'n': the length of the true, false or null written there, 0 if it is not. */
static size_t literal(const uint8_t *p, const uint8_t *end)
{
    const char *word = *p == 't' ? "true" : *p == 'f' ? "false" : "null";
    size_t len = strlen(word);
    return (size_t)(end - p) >= len && memcmp(p, word, len) == 0 ? len : 0;
}

int gf_envelope_code(const uint8_t *body, size_t n, int64_t *code)
{
    const uint8_t *p = body, *end = body + n;
    uint8_t stack[GF_ENVELOPE_MAX_DEPTH];
    int depth = 0;
    int have_code = 0;    /* the last top-level errorCode so far is a readable integer */
    int code_value = 0;   /* the value being scanned is a top-level errorCode's */
    int64_t found = 0;

    if (n == 0 || *p != '{')
        return 0;
    p++;
    stack[depth++] = IN_OBJECT;
    goto object_start;

object_start: /* just past '{' */
    p = skip_space(p, end);
    if (p < end && *p == '}') {
        p++;
        depth--;
        goto after_value;
    }
    /* fall through to a member */
member: /* at a key */
    {
        const uint8_t *key;
        int escaped = 0;
        if (p >= end || *p != '"')
            return 0;
        key = p + 1;
        p = scan_string(key, end, &escaped);
        if (p == NULL)
            return 0;
        if (depth == 1) {
            if (escaped)
                return 0; /* it might spell errorCode */
            code_value = (p - 1 - key) == 9 && memcmp(key, "errorCode", 9) == 0;
        }
        p = skip_space(p, end);
        if (p >= end || *p != ':')
            return 0;
        p = skip_space(p + 1, end);
    }
    /* fall through to its value */
value:
    {
        int reading_code = code_value;
        code_value = 0;
        if (p >= end)
            return 0;
        if (reading_code)
            have_code = 0;
        switch (*p) {
        case '{':
        case '[':
            if (depth == GF_ENVELOPE_MAX_DEPTH)
                return 0;
            stack[depth++] = *p == '{' ? IN_OBJECT : IN_ARRAY;
            if (*p++ == '{')
                goto object_start;
            p = skip_space(p, end);
            if (p < end && *p == ']') {
                p++;
                depth--;
                goto after_value;
            }
            goto value;
        case '"': {
            int escaped = 0;
            p = scan_string(p + 1, end, &escaped);
            if (p == NULL)
                return 0;
            break;
        }
        case 't':
        case 'f':
        case 'n': {
            size_t len = literal(p, end);
            if (len == 0)
                return 0;
            p += len;
            break;
        }
        default: {
            const uint8_t *start = p;
            long digits = 0;
            if (*p != '-' && !is_digit(*p))
                return 0;
            p = scan_number(p, end, &digits);
            if (p == NULL || digits > GF_ENVELOPE_MAX_INT_DIGITS)
                return 0;
            if (reading_code && digits >= 1 && digits <= GF_ENVELOPE_MAX_CODE_DIGITS) {
                const uint8_t *q = start;
                int negative = *q == '-';
                found = 0;
                if (negative)
                    q++;
                for (; q < p; q++)
                    found = found * 10 + (*q - '0');
                if (negative)
                    found = -found;
                have_code = 1;
            }
            break;
        }
        }
    }
after_value:
    p = skip_space(p, end);
    if (depth == 0) {
        if (p != end || !have_code)
            return 0;
        *code = found;
        return 1;
    }
    if (p >= end)
        return 0;
    if (*p == ',') {
        p = skip_space(p + 1, end);
        if (stack[depth - 1] == IN_OBJECT)
            goto member;
        goto value;
    }
    if (*p == (stack[depth - 1] == IN_OBJECT ? '}' : ']')) {
        p++;
        depth--;
        goto after_value;
    }
    return 0;
}
