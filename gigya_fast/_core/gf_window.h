/* gigya_fast C core: the signature timestamp window, with Python's numeric semantics.
 *
 * The specification is `abs(now - int(text)) <= expiration` where now and expiration are a
 * Python int or float and text is 1..GF_MAX_TS_DIGITS ASCII digits. With ts < 10**15 < 2**53
 * every timestamp is exact as a double, so float arithmetic matches Python's `float - int`;
 * int/float comparisons are exact, as Python's are. Integers outside the ranges handled here
 * are left to Python by the caller. */
#ifndef GF_WINDOW_H
#define GF_WINDOW_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GF_MAX_TS_DIGITS 15
/* |now| up to 2**62 keeps now - ts inside int64. */
#define GF_NOW_INT_LIMIT ((int64_t)1 << 62)

enum { GF_NUM_INT = 1, GF_NUM_FLOAT = 2 };

typedef struct {
    int now_kind;
    int exp_kind;
    int64_t now_i;
    int64_t exp_i;
    double now_d;
    double exp_d;
} gf_window;

/* 1 and *out set when s is 1..15 ASCII digits. */
static inline int gf_parse_ts(const char *s, size_t n, int64_t *out)
{
    int64_t v = 0;
    size_t i;
    if (n == 0 || n > GF_MAX_TS_DIGITS) {
        return 0;
    }
    for (i = 0; i < n; i++) {
        unsigned d = (unsigned)(unsigned char)s[i] - (unsigned)'0';
        if (d > 9) {
            return 0;
        }
        v = v * 10 + (int64_t)d;
    }
    *out = v;
    return 1;
}

/* a <= e, exact (Python's int <= float). */
static inline int gf_int_le_double(int64_t a, double e)
{
    if (e != e) {
        return 0;
    }
    if (e >= 9223372036854775808.0) {
        return 1;
    }
    if (e < -9223372036854775808.0) {
        return 0;
    }
    return a <= (int64_t)floor(e);
}

/* x <= e, exact (Python's float <= int). */
static inline int gf_double_le_int(double x, int64_t e)
{
    if (x != x) {
        return 0;
    }
    if (x >= 9223372036854775808.0) {
        return 0;
    }
    if (x < -9223372036854775808.0) {
        return 1;
    }
    return (int64_t)ceil(x) <= e;
}

static inline int gf_in_window(const gf_window *w, int64_t ts)
{
    if (w->now_kind == GF_NUM_FLOAT) {
        double diff = fabs(w->now_d - (double)ts);
        return w->exp_kind == GF_NUM_FLOAT ? diff <= w->exp_d : gf_double_le_int(diff, w->exp_i);
    } else {
        int64_t d = w->now_i - ts;
        int64_t diff = d < 0 ? -d : d;
        return w->exp_kind == GF_NUM_INT ? diff <= w->exp_i : gf_int_le_double(diff, w->exp_d);
    }
}

/* time.time() as CPython computes it: integer nanoseconds of the system clock, then seconds
 * as a double (exact division when the nanoseconds are whole seconds). */
double gf_time_now(void);

/* gf_in_window with now = gf_time_now() (w's expiration set, its now filled here). Where the
 * system has a coarse wall clock (Linux: one vDSO read, no TSC arithmetic, at most one tick
 * behind), a timestamp more than GF_COARSE_MARGIN seconds inside or outside the window is
 * decided on it: the precise clock could not change that verdict. Only timestamps near the
 * edge read the precise clock. */
int gf_in_window_clock(gf_window *w, int64_t ts);

#ifdef __cplusplus
}
#endif

#endif /* GF_WINDOW_H */
