/* bench_vkey.c — what the trustees' cryptography costs on one core (CPU time): the key ceremony of 5 with
 * threshold 3, partial decryption, the small-logarithm table, and shuffles of 3,000 write-in blocks. Not a test.
 * `bench_vkey [quick]`: quick shuffles 300 tuples instead of 3,000. */
#include "crypto/keys.h"
#include "crypto/mix.h"
#include "yishi/alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static long peak_kib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static void die(const char *what, ys_rc rc, const ys_err *err)
{
    fprintf(stderr, "bench_vkey: %s: %s (%s)\n", what, ys_rc_code(rc), err->msg);
    exit(1);
}

#define CHECK(what, call)                                                                                        \
    do {                                                                                                         \
        ys_rc rc_ = (call);                                                                                      \
        if (rc_)                                                                                                 \
            die(what, rc_, &err);                                                                                \
    } while (0)

static const char *const LOGINS[] = { "t1", "t2", "t3", "t4", "t5" };
#define SID "b3c4b3c4b3c4b3c4b3c4b3c4b3c4b3c4b3c4b3c4b3c4b3c4b3c4b3c4b3c4b3c4"

/* The whole ceremony as the board and each trustee see it; per-step times in µs. */
static ys_vkey *ceremony(ys_vtrustee **t, unsigned n, unsigned k)
{
    ys_err err = { 0 };
    ys_vkey_params p = { SID, 1, n, k, LOGINS };
    ys_vkey *board = NULL;
    json_t *commit[5], *shares[5], *pub[5];
    CHECK("key", ys_vkey_new(&p, &board, &err));
    double t0 = cpu_now();
    for (unsigned i = 1; i <= n; i++) {
        CHECK("trustee", ys_vtrustee_new(board, i, &t[i - 1], &err));
        commit[i - 1] = ys_vtrustee_commitment(t[i - 1]);
    }
    double t1 = cpu_now();
    for (unsigned i = 1; i <= n; i++)
        CHECK("commitment", ys_vkey_add_commitment(board, i, commit[i - 1], &err));
    double t2 = cpu_now();
    for (unsigned i = 1; i <= n; i++)
        CHECK("seal", ys_vtrustee_seal_shares(t[i - 1], board, &shares[i - 1], &err));
    double t3 = cpu_now();
    for (unsigned j = 1; j <= n; j++)
        for (unsigned i = 1; i <= n; i++)
            if (i != j)
                CHECK("open", ys_vtrustee_open_share(t[j - 1], board, i, shares[i - 1], &err));
    double t4 = cpu_now();
    for (unsigned j = 1; j <= n; j++)
        CHECK("public share", ys_vtrustee_public_share(t[j - 1], &pub[j - 1], &err));
    double t5 = cpu_now();
    for (unsigned j = 1; j <= n; j++)
        CHECK("public share check", ys_vkey_add_public_share(board, j, pub[j - 1], &err));
    double t6 = cpu_now();
    printf("ceremony n=%u k=%u: %.1f ms in all (every trustee's side and one checker's)\n", n, k, (t6 - t0) * 1e3);
    printf("  per trustee: commitment %.0f µs, sealing %u shares %.0f µs, opening and checking %u %.0f µs, "
           "public share %.0f µs\n",
           (t1 - t0) / n * 1e6, n - 1, (t3 - t2) / n * 1e6, n - 1, (t4 - t3) / n * 1e6, (t5 - t4) / n * 1e6);
    printf("  per checker: a commitment %.0f µs, a public share %.0f µs; the whole ceremony %.1f ms\n",
           (t2 - t1) / n * 1e6, (t6 - t5) / n * 1e6, ((t2 - t1) + (t6 - t5)) * 1e3);
    for (unsigned i = 0; i < n; i++) {
        json_decref(commit[i]);
        json_decref(shares[i]);
        json_decref(pub[i]);
    }
    return board;
}

static void decryption(ys_vkey *board, ys_vtrustee **t)
{
    enum { CTS = 200 };
    ys_err err = { 0 };
    uint8_t Q[YS_VKEY_HASH] = { 'b' };
    ysv_rng rng;
    ysv_rng_test(&rng, "bench");
    json_t *cts = json_array();
    for (int i = 0; i < CTS; i++) {
        ysv_scalar r;
        ysv_ct e;
        char label[32];
        ysv_rng_scalar(&rng, &r);
        ysv_encrypt_u64(&e, &board->K, (uint64_t)i * 4096 + 7, &r);
        snprintf(label, sizeof label, "tally/%d", i + 1);
        json_array_append_new(cts, json_pack("{s:s, s:o}", "label", label, "ct", ysv_ct_json(&e)));
    }
    json_t *partial[3];
    unsigned set[3] = { 1, 3, 5 };
    double t0 = cpu_now();
    for (int j = 0; j < 3; j++)
        CHECK("decrypt", ys_vtrustee_decrypt(t[set[j] - 1], Q, cts, &partial[j], &err));
    double t1 = cpu_now();
    for (int j = 0; j < 3; j++)
        CHECK("check", ys_vkey_check_partial(board, set[j], Q, cts, partial[j], &err));
    double t2 = cpu_now();
    json_t *plain = NULL;
    CHECK("combine", ys_vkey_combine(board, cts, 3, set, (const json_t *const *)partial, &plain, &err));
    double t3 = cpu_now();
    printf("decryption, per ciphertext (JSON included): partial decryption %.0f µs, its check %.0f µs, "
           "combining 3 %.0f µs\n",
           (t1 - t0) / (3 * CTS) * 1e6, (t2 - t1) / (3 * CTS) * 1e6, (t3 - t2) / CTS * 1e6);
    uint64_t bound = 4096 * 3000 + 3000;
    double t4 = cpu_now();
    ys_vdlog *dl = ys_vdlog_new(bound);
    double t5 = cpu_now();
    uint64_t v = 0;
    for (int i = 0; i < CTS; i++)
        CHECK("dlog", ys_vdlog_find(dl, json_string_value(json_array_get(plain, (size_t)i)), &v, &err));
    double t6 = cpu_now();
    ysv_point M;
    ysv_mul_base_u64(&M, bound);
    if (!ysv_dlog_find(dl, &M, &v) || v != bound)
        die("dlog of the bound", YS_BAD_PROOF, &err);
    double t7 = cpu_now();
    printf("small logarithms within %llu: table %.0f ms, a look-up %.2f ms on average over values up to %d, "
           "%.2f ms for the bound itself\n",
           (unsigned long long)bound, (t5 - t4) * 1e3, (t6 - t5) / CTS * 1e3, CTS * 4096, (t7 - t6) * 1e3);
    ys_vdlog_free(dl);
    json_decref(plain);
    for (int j = 0; j < 3; j++)
        json_decref(partial[j]);
    json_decref(cts);
}

static void shuffle(const ysv_point *K, size_t N, size_t w)
{
    ys_err err = { 0 };
    uint8_t Q[YS_VKEY_HASH] = { 'q' };
    ysv_rng rng;
    ysv_rng_system(&rng);
    ysv_ct *in = ys_malloc(N * w * sizeof *in);
    size_t *perm = ys_malloc(N * sizeof *perm);
    for (size_t i = 0; i < N * w; i++) {
        ysv_scalar r;
        ysv_rng_scalar(&rng, &r);
        ysv_encrypt_u64(&in[i], K, i, &r);
    }
    for (size_t i = 0; i < N; i++)
        perm[i] = (i * 7919) % N; /* 7919 is prime, N is not a multiple of it: a permutation */
    ysv_mix m, back;
    double t0 = cpu_now();
    if (!ysv_mix_prove(&m, Q, 1, K, in, N, w, perm, &rng))
        die("prove", YS_NOMEM, &err);
    double t1 = cpu_now();
    CHECK("verify", ysv_mix_verify(&m, Q, 1, K, in, &err));
    double t2 = cpu_now();
    json_t *j = ysv_mix_json(&m);
    double t3 = cpu_now();
    CHECK("read", ysv_mix_from_json(&back, j, N, w, &err));
    double t4 = cpu_now();
    char *text = json_dumps(j, JSON_COMPACT);
    printf("shuffle N=%zu w=%zu: prove %.2f s, verify %.2f s; JSON %.1f MB, written in %.2f s, read in %.2f s; "
           "peak RSS %ld MiB\n",
           N, w, t1 - t0, t2 - t1, (double)strlen(text) / 1e6, t3 - t2, t4 - t3, peak_kib() / 1024);
    ys_free(text);
    json_decref(j);
    ysv_mix_free(&back);
    ysv_mix_free(&m);
    ys_free(perm);
    ys_free(in);
}

int main(int argc, char **argv)
{
    bool quick = argc > 1 && strcmp(argv[1], "quick") == 0;
    ys_vtrustee *t[5];
    ys_vkey *board = ceremony(t, 5, 3);
    decryption(board, t);
    size_t N = quick ? 300 : 3000;
    shuffle(&board->K, N, 3);
    shuffle(&board->K, N, 25);
    for (int i = 0; i < 5; i++)
        ys_vtrustee_free(t[i]);
    ys_vkey_free(board);
    return 0;
}
