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
