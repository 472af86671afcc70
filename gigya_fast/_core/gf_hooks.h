/* gigya_fast C core: batch verification of webhook notifications (HMAC header + replay
 * window). Runs without the Python GIL over buffers the caller keeps alive. */
#ifndef GF_HOOKS_H
#define GF_HOOKS_H

#include <stddef.h>
#include <stdint.h>

#include "gf_batch.h"
#include "gf_hmac.h"
#include "gf_window.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Outcome of one notification. */
enum {
    GF_HOOK_BAD_SIG = 0,   /* the HMAC header does not match the body */
    GF_HOOK_OK = 1,        /* HMAC matches; inside the window (or no window) */
    GF_HOOK_STALE = 2,     /* HMAC matches; the tail timestamp is outside the window */
    GF_HOOK_UNDECIDED = 3  /* HMAC matches; the body's tail is not the compact form */
};

typedef struct {
    const uint8_t *body;
    size_t len;
    uint8_t has_sig;            /* 0: the header cannot match (wrong length or not ASCII) */
    uint8_t result;             /* GF_HOOK_* */
    char sig[GF_SIG_B64_LEN];
} gf_hook_item;

/* The replay window as two equal-width digit strings: a body ending in
 * [{,]"timestamp":<width digits>} is inside when low <= digits <= high (equal-width
 * digit strings order like their numbers). width 0: no window, every match is OK;
 * width < 0: a window this module cannot decide (every match is UNDECIDED). */
typedef struct {
    int width;
    char low[GF_MAX_TS_DIGITS];
    char high[GF_MAX_TS_DIGITS];
} gf_tail_window;

/* The window's verdict on one body whose HMAC matched: GF_HOOK_OK, _STALE or _UNDECIDED. */
int gf_tail_window_check(const gf_tail_window *w, const uint8_t *body, size_t len);

void gf_batch_hooks(const gf_hmac_key *key, gf_hook_item *items, size_t n, size_t threads,
                    const gf_tail_window *w);

/* The streaming form (see gf_stream_start); *w must stay valid until finish or abort. */
gf_stream *gf_hooks_stream_start(const gf_hmac_key *key, gf_hook_item *items, size_t n,
                                 size_t threads, const gf_tail_window *w);

#ifdef __cplusplus
}
#endif

#endif /* GF_HOOKS_H */
