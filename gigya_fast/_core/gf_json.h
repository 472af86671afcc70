/* gigya_fast C core: a validating scan of a CDC answer (a JSON object) that reads its
 * top-level errorCode without building anything. */
#ifndef GF_JSON_H
#define GF_JSON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Containers nested deeper than this are not scanned (the caller parses such a body itself). */
#define GF_ENVELOPE_MAX_DEPTH 64
/* Integer literals with more digits are not scanned: Python's int() may refuse them
 * (sys.set_int_max_str_digits accepts no limit below 640). */
#define GF_ENVELOPE_MAX_INT_DIGITS 640
/* An errorCode literal with more digits than this is not read (it would not fit in 64 bits). */
#define GF_ENVELOPE_MAX_CODE_DIGITS 18

/* 1, with *code set, when body[0..n) is a JSON object in the strict subset below whose last
 * top-level "errorCode" member (key written without escapes) is an integer literal of at
 * most GF_ENVELOPE_MAX_CODE_DIGITS digits; 0 otherwise.
 *
 * The subset (every body it accepts, Python's json module also accepts): the first byte is
 * '{'; whitespace is space, tab, CR, LF; strings hold no control character, only the JSON
 * escapes, and strict UTF-8 (no surrogates, no overlong forms); numbers follow the JSON
 * grammar, integer literals with at most GF_ENVELOPE_MAX_INT_DIGITS digits; no NaN or
 * Infinity; at most GF_ENVELOPE_MAX_DEPTH containers deep; no top-level key with a
 * backslash; nothing but whitespace after the object. */
int gf_envelope_code(const uint8_t *body, size_t n, int64_t *code);

#ifdef __cplusplus
}
#endif

#endif /* GF_JSON_H */
