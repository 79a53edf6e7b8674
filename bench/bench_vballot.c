/* bench_vballot.c — what a verifiable ballot costs (docs/verifiable.md §5, §10): for 3,000 entitled, a 1-seat
 * election with write-ins and a 72-candidate 60-seat one, the terminal's encryption, the server's check one
 * proof at a time and batched (alone and in bursts), ballots/s on one core, and bytes per ballot. Not a test. */
#include "crypto/group.h"
#include "yishi/alloc.h"
#include "yishi/vballot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BALLOTS 24           /* distinct ballots per vote, encrypted before the checks are timed */
#define BURST 12             /* ballots per ys_vballot_check_many */

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static ys_vvote *make_vote(size_t C, uint64_t S)
{
    static char names[128][32];
    const char *list[128];
    for (size_t i = 0; i < C; i++) {
        snprintf(names[i], sizeof names[i], "候选人%zu", i + 1);
        list[i] = names[i];
    }
    uint8_t X[3][32];
    ys_vvote_spec s = { .shares = (const uint8_t(*)[32])X, .nshares = 3, .session_id = "bench", .id = 1,
                        .entitled = 3000, .seats = S, .names = list, .ncandidates = C, .writeins = true };
    ysv_rng rng;
    ysv_scalar k;
    ysv_point P;
    ysv_rng_system(&rng);
    for (int i = 0; i <= 3; i++) {
        ysv_rng_scalar(&rng, &k);
        ysv_mul_base(&P, &k);
        ysv_point_encode(i < 3 ? X[i] : s.key, &P);
    }
    randombytes_buf(s.key_hash, sizeof s.key_hash);
    ys_vvote *v = NULL;
    ys_err err = { 0 };
    if (ys_vvote_new(&v, &s, &err)) {
        fprintf(stderr, "vote: %s %s\n", err.field, err.msg);
        exit(1);
    }
    return v;
}

/* Ballot i: about S·(2/3) yes marks spread over the list, some no, one write-in on every other ballot. */
static json_t *make_ballot(const ys_vvote *v, size_t C, uint64_t S, size_t i, double *t)
{
    ys_vmark marks[128];
    uint64_t yes = 0;
    for (size_t c = 0; c < C; c++) {
        unsigned r = (unsigned)((c * 7 + i * 13) % 6);
        marks[c] = r < 4 && yes + 1 < S + (S == 1) ? YS_VMARK_YES : r == 4 ? YS_VMARK_NO : YS_VMARK_ABSTAIN;
        yes += marks[c] == YS_VMARK_YES;
    }
    const char *w[] = { "张伟" };
    size_t nw = i % 2 == 0 && yes < S ? 1 : 0;
    json_t *b = NULL;
    ys_err err = { 0 };
    double t0 = now();
    if (ys_vballot_encrypt(v, "D0001", marks, w, nw, NULL, &b, NULL, &err)) {
        fprintf(stderr, "encrypt: %s %s\n", err.field, err.msg);
        exit(1);
    }
    *t += now() - t0;
    return b;
}

static void run(const char *title, size_t C, uint64_t S)
{
    ys_vvote *v = make_vote(C, S);
    json_t *b[BALLOTS];
    double enc = 0, one = 0, batched = 0, burst = 0, read = 0;
    size_t bytes = 0;
    for (size_t i = 0; i < BALLOTS; i++) {
        b[i] = make_ballot(v, C, S, i, &enc);
        char *s = json_dumps(b[i], JSON_COMPACT);
        bytes += strlen(s);
        ys_free(s);
    }
    for (size_t i = 0; i < BALLOTS; i++) {
        ys_vcast *c = NULL;
        double t0 = now();
        if (ys_vballot_check_unbatched(v, "D0001", b[i], &c, NULL) != YS_OK)
            exit(2);
        one += now() - t0;
        ys_vcast_free(c);
        t0 = now();
        if (ys_vballot_check(v, "D0001", b[i], &c, NULL) != YS_OK)
            exit(2);
        batched += now() - t0;
        ys_vcast_free(c);
        t0 = now();
        if (ys_vballot_read(v, "D0001", b[i], &c, NULL) != YS_OK) /* what the writer's fold and a replay do */
            exit(2);
        read += now() - t0;
        ys_vcast_free(c);
    }
    const char *voters[BURST];
    ys_vcast *out[BURST];
    ys_err errs[BURST];
    for (size_t i = 0; i < BURST; i++)
        voters[i] = "D0001";
    for (size_t k = 0; k + BURST <= BALLOTS; k += BURST) {
        double t0 = now();
        if (ys_vballot_check_many(v, BURST, voters, (const json_t *const *)b + k, out, errs) != YS_OK)
            exit(2);
        burst += now() - t0;
        for (size_t i = 0; i < BURST; i++)
            ys_vcast_free(out[i]);
    }
    double n = BALLOTS;
    printf("%s: C=%zu S=%llu P=%llu B=%llu\n", title, C, (unsigned long long)S, (unsigned long long)ys_vvote_P(v),
           (unsigned long long)ys_vvote_B(v));
    printf("  encryption            %8.2f ms per ballot\n", 1e3 * enc / n);
    printf("  check, one at a time  %8.2f ms per ballot  (%6.0f ballots/s)\n", 1e3 * one / n, n / one);
    printf("  check, batched        %8.2f ms per ballot  (%6.0f ballots/s)\n", 1e3 * batched / n, n / batched);
    printf("  check, bursts of %2d   %8.2f ms per ballot  (%6.0f ballots/s)\n", BURST, 1e3 * burst / n, n / burst);
    printf("  read (fold, replay)   %8.2f ms per ballot  (3,000 in %.1f s)\n", 1e3 * read / n, 3000 * read / n);
    printf("  3,000 ballots checked %8.1f s batched (%.1f s one at a time)\n", 3000 * batched / n, 3000 * one / n);
    printf("  bytes per ballot      %8zu (compact JSON)\n", bytes / BALLOTS);
    for (size_t i = 0; i < BALLOTS; i++)
        json_decref(b[i]);
    ys_vvote_free(v);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    run("1-seat election, 2 candidates, write-ins", 2, 1);
    run("members' election, 72 candidates, 60 seats", 72, 60);
    return 0;
}
