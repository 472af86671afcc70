/* gigya_fast C core: everything the Cython module uses. Plain C99, no Python API. */
#ifndef GF_CORE_H
#define GF_CORE_H

#include "gf_sha1.h"
#include "gf_hmac.h"
#include "gf_codec.h"
#include "gf_batch.h"
#include "gf_hooks.h"
#include "gf_window.h"

#if defined(_WIN32)
#  define GF_THREADS_NAME "win32"
#else
#  define GF_THREADS_NAME "pthreads"
#endif

#endif /* GF_CORE_H */
