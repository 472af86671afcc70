/* gigya_fast C core: the wall clock, as Python's time.time() reads it. */
#if !defined(_WIN32) && !defined(__APPLE__) && !defined(_POSIX_C_SOURCE)
#  define _POSIX_C_SOURCE 200809L /* clock_gettime under strict -std=c99 */
#endif
#include "gf_window.h"

#if defined(_WIN32)
#  ifndef WIN32_LEAN_AND_MEAN
#    define WIN32_LEAN_AND_MEAN
#  endif
#  include <windows.h>
#else
#  include <time.h>
#endif

/* Whole seconds of margin around the window's edges for decisions on the coarse clock: far
 * more than a tick (1-10 ms) plus the fraction of a second dropped below. */
#define GF_COARSE_MARGIN 2

double gf_time_now(void)
{
    int64_t ns;
#if defined(_WIN32)
    FILETIME ft;
    ULARGE_INTEGER large;
    GetSystemTimeAsFileTime(&ft);
    large.u.LowPart = ft.dwLowDateTime;
    large.u.HighPart = ft.dwHighDateTime;
    /* 100 ns units since 1601-01-01 */
    ns = ((int64_t)large.QuadPart - 116444736000000000LL) * 100;
#else
    struct timespec ts;
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0) {
        return (double)time(NULL);
    }
    ns = (int64_t)ts.tv_sec * 1000000000 + (int64_t)ts.tv_nsec;
#endif
    if (ns % 1000000000 == 0) {
        return (double)(ns / 1000000000);
    }
    return (double)ns / 1e9;
}

int gf_in_window_clock(gf_window *w, int64_t ts)
{
#if defined(CLOCK_REALTIME_COARSE)
    struct timespec coarse;
    /* integer seconds: now is within [coarse.tv_sec, coarse.tv_sec + 1 + a tick) */
    if (w->exp_kind == GF_NUM_INT && w->exp_i < ((int64_t)1 << 40)
        && clock_gettime(CLOCK_REALTIME_COARSE, &coarse) == 0) {
        int64_t diff = (int64_t)coarse.tv_sec - ts;
        if (diff < 0) {
            diff = -diff;
        }
        if (diff <= w->exp_i - GF_COARSE_MARGIN) {
            return 1;
        }
        if (diff >= w->exp_i + GF_COARSE_MARGIN) {
            return 0;
        }
    }
#endif
    w->now_kind = GF_NUM_FLOAT;
    w->now_d = gf_time_now();
    return gf_in_window(w, ts);
}
