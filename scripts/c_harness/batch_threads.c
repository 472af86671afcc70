/* Stress harness for the C core's batch paths, without Python: builds a batch of UID and
 * webhook items (HMAC + tail timestamp window), computes the answers single-threaded, then re-runs the batch many times with
 * 2..8 threads (plain and streaming forms) and checks every answer, then aborts streams
 * part-way and checks that unpublished items are never touched. Built and run under ThreadSanitizer and under
 * AddressSanitizer + UBSan by scripts/sanitize.sh --c-harness (CPython cannot host TSan).
 *
 * It uses the C core's internal batch API (gf_batch.h, gf_hooks.h) and follows its changes.
 *
 * Usage: batch_threads [rounds] [items] [portable]   (exit 0 when every round matched; a third
 * argument "portable" forces the portable SHA-1 instead of SHA-NI) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gf_batch.h"
#include "gf_codec.h"
#include "gf_hmac.h"
#include "gf_hooks.h"
#include "gf_sha1.h"

static void make_sig(const gf_hmac_key *key, const char *msg, size_t len, char out[29])
{
    uint8_t digest[GF_SHA1_DIGEST_SIZE];
    gf_hmac(key, msg, len, digest);
    gf_b64_encode(digest, GF_SHA1_DIGEST_SIZE, out);
    out[28] = '\0';
}

int main(int argc, char **argv)
{
    size_t rounds = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 200;
    size_t n = argc > 2 ? (size_t)strtoul(argv[2], NULL, 10) : 5000;
    static const uint8_t secret[] = "hardening secret \x00\xff";
    gf_hmac_key key;
    gf_uid_item *uids = calloc(n, sizeof(*uids));
    gf_hook_item *msgs = calloc(n, sizeof(*msgs));
    gf_tail_window window;
    char *arena = calloc(n, 32); /* "1700000000_user-<i>" messages, 32 bytes apart */
    char (*sigs)[29] = calloc(n, sizeof(*sigs));
    char (*msg_text)[96] = calloc(n, sizeof(*msg_text));
    char (*msg_sigs)[29] = calloc(n, sizeof(*msg_sigs));
    uint8_t *expected_uid = calloc(n, 1), *expected_msg = calloc(n, 1);
    size_t i, r, failures = 0, positives = 0, streamed = 0, aborted = 0;

    if (!uids || !msgs || !arena || !sigs || !msg_text || !msg_sigs || !expected_uid || !expected_msg) {
        fputs("out of memory\n", stderr);
        return 2;
    }
    gf_sha1_select(argc > 3 && strcmp(argv[3], "portable") == 0);
    gf_hmac_init(&key, secret, sizeof(secret) - 1, NULL);
    for (i = 0; i < n; i++) {
        char *text = arena + i * 32;
        int len = snprintf(text, 32, "1700000000_user-%zu", i);
        make_sig(&key, text, (size_t)len, sigs[i]);
        if (i % 3 == 0) {
            sigs[i][5] = sigs[i][5] == 'A' ? 'B' : 'A'; /* tampered */
        }
        uids[i].msg = text;
        uids[i].msg_len = (size_t)len;
        uids[i].check = i % 7 != 0; /* every 7th: no candidate signature, answer already final */
        uids[i].result = 0;
        memcpy(uids[i].sig, sigs[i], GF_SIG_B64_LEN);

        /* timestamps inside the window, outside it, and a tail the C rule leaves undecided */
        len = snprintf(msg_text[i], sizeof(msg_text[i]), "{\"event\":%zu,\"pad\":\"%.*s\",\"timestamp\":%s}", i,
                       (int)(i % 20), "xxxxxxxxxxxxxxxxxxxx",
                       i % 5 == 1 ? "1699999000" : i % 5 == 2 ? " 1700000000" : "1700000000");
        make_sig(&key, msg_text[i], (size_t)len, msg_sigs[i]);
        if (i % 4 == 0) {
            msg_sigs[i][0] = msg_sigs[i][0] == 'A' ? 'B' : 'A';
        }
        msgs[i].body = (const uint8_t *)msg_text[i];
        msgs[i].len = (size_t)len;
        msgs[i].has_sig = i % 11 != 0;
        memcpy(msgs[i].sig, msg_sigs[i], GF_SIG_B64_LEN);
    }
    window.width = 10;
    memcpy(window.low, "1699999700", 10);
    memcpy(window.high, "1700000300", 10);
    gf_batch_uid(&key, uids, n, 1);
    gf_batch_hooks(&key, msgs, n, 1, &window);
    for (i = 0; i < n; i++) {
        expected_uid[i] = uids[i].result;
        expected_msg[i] = msgs[i].result;
        positives += uids[i].result + (msgs[i].result == GF_HOOK_OK);
    }
    for (r = 0; r < rounds; r++) {
        size_t threads = 2 + r % 7;
        for (i = 0; i < n; i++) {
            if (uids[i].check) {
                uids[i].result = 0xAA; /* items with check == 0 keep their final answer */
            }
            msgs[i].result = 0xAA;
        }
        if (r % 3 == 0) {
            gf_batch_uid(&key, uids, n, threads);
        } else {
            /* the streaming form: publish in uneven steps, then finish */
            gf_stream *st = gf_uid_stream_start(&key, uids, n, threads);
            if (st == NULL) {
                gf_batch_uid(&key, uids, n, threads);
            } else {
                size_t k;
                for (k = 0; k < n; k += 97 + r % 50) {
                    gf_stream_publish(st, k);
                }
                gf_stream_publish(st, n);
                gf_stream_finish(st);
                streamed++;
            }
        }
        if (r % 2 == 0) {
            gf_batch_hooks(&key, msgs, n, threads, &window);
        } else {
            gf_stream *st = gf_hooks_stream_start(&key, msgs, n, threads, &window);
            if (st == NULL) {
                gf_batch_hooks(&key, msgs, n, threads, &window);
            } else {
                size_t k;
                for (k = 0; k < n; k += 61 + r % 40) {
                    gf_stream_publish(st, k);
                }
                gf_stream_finish(st);
                streamed++;
            }
        }
        for (i = 0; i < n; i++) {
            if (uids[i].result != expected_uid[i] || msgs[i].result != expected_msg[i]) {
                failures++;
            }
        }
    }
    /* abort part-way: helpers stop, and no item past the published ones is touched */
    for (r = 0; r < rounds / 4 + 1; r++) {
        size_t half = n / 2 + r, threads = 2 + r % 7;
        gf_stream *st;
        for (i = 0; i < n; i++) {
            if (uids[i].check) {
                uids[i].result = 0xAA;
            }
        }
        st = gf_uid_stream_start(&key, uids, n, threads);
        if (st == NULL) {
            continue;
        }
        gf_stream_publish(st, half < n ? half : n);
        gf_stream_abort(st);
        aborted++;
        for (i = half; i < n; i++) {
            if (uids[i].check && uids[i].result != 0xAA) {
                failures++;
            }
        }
    }
    gf_hmac_wipe(&key);
    printf("batch_threads: %zu rounds x %zu items x 2 kinds (%zu streamed, %zu aborted), %zu valid per round, "
           "%zu mismatches\n",
           rounds, n, streamed, aborted, positives, failures);
    free(uids);
    free(msgs);
    free(arena);
    free(sigs);
    free(msg_text);
    free(msg_sigs);
    free(expected_uid);
    free(expected_msg);
    return failures != 0 || positives == 0;
}
