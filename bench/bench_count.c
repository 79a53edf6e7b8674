/* bench_count.c — how fast the counting engine counts, and that it is linear in ballots: times
 * elections of growing size and reports time per ballot and peak memory (getrusage). Not a test. */
#include "yishi/count.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#define POOL 4096 /* distinct random ballots, handed to the engine in turn */

static ys_office offices[] = {
    {.key = "sc_member", .extra_min = {.num = 1, .den = 10, .round = YS_ROUND_CEIL},
     .extra_max = {.num = 1, .den = 5, .round = YS_ROUND_FLOOR}, .further_contested = true},
    {.key = "vice_governor", .extra_min = {.count = 1}, .extra_max = {.count = 3},
     .further_contested = true},
};

static ys_rules bench_rules(void)
{
    ys_rules r = {.id = "bench"};
    r.election = (ys_threshold){.defined = true, .num = 1, .den = 2, .cmp = YS_CMP_MORE_THAN};
    r.offices = offices;
    r.n_offices = 2;
    return r;
}

static uint64_t rng = 88172645463325252ULL;
static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

typedef struct pool_ballot {
    const char **yes, **no;
    size_t ny, nn;
} pool_ballot;

/* Ballots marking about seats × 0.9 yes and a few no, favouring the list's first names. */
static pool_ballot *make_pool(char **names, size_t n, int seats)
{
    pool_ballot *p = calloc(POOL, sizeof *p);
    for (size_t i = 0; p && i < POOL; i++) {
        p[i].yes = calloc(n, sizeof *p[i].yes);
        p[i].no = calloc(n, sizeof *p[i].no);
        for (size_t c = 0; c < n; c++) {
            uint64_t k = rnd() % (n + n / 2);
            if (k < (size_t)seats && p[i].ny < (size_t)seats)
                p[i].yes[p[i].ny++] = names[c];
            else if (k > n)
                p[i].no[p[i].nn++] = names[c];
        }
    }
    return p;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static long peak_kb(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

static int bench(const char *office, int seats, size_t n_cand, long ballots)
{
    ys_rules r = bench_rules();
    char **names = calloc(n_cand, sizeof *names);
    for (size_t i = 0; i < n_cand; i++) {
        names[i] = malloc(16);
        snprintf(names[i], 16, "候选人%zu", i);
    }
    pool_ballot *pool = make_pool(names, n_cand, seats);
    ys_election_spec s = {.kind = YS_ELECTION, .office = office, .seats = seats,
                          .entitled = (int)ballots, .ballots_issued = (int)ballots,
                          .candidates = (const char *const *)names, .n_candidates = n_cand};
    ys_election *e = NULL;
    ys_election_result *res = NULL;
    ys_err err;
    long before = peak_kb();
    double t0 = now();
    if (ys_election_new(&r, &s, &e, NULL, &err))
        return fprintf(stderr, "bench: %s\n", err.msg), 1;
    for (long i = 0; i < ballots; i++) {
        const pool_ballot *p = &pool[i % POOL];
        ys_ballot b = {(const char *const *)p->yes, p->ny, (const char *const *)p->no, p->nn, NULL, 0};
        if (ys_election_add(e, &b, NULL, NULL, &err))
            return fprintf(stderr, "bench: %s\n", err.msg), 1;
    }
    if (ys_election_result_get(e, &res, &err))
        return fprintf(stderr, "bench: %s\n", err.msg), 1;
    double secs = now() - t0;
    printf("%9ld ballots x %3zu candidates: %8.3f s  %7.1f ns/ballot  %5.1f ns/mark  "
           "peak RSS %ld KiB (+%ld while counting), %zu elected\n",
           ballots, n_cand, secs, secs * 1e9 / (double)ballots,
           secs * 1e9 / (double)ballots / (double)n_cand, peak_kb(), peak_kb() - before,
           res->n_elected);
    ys_election_result_free(res);
    ys_election_free(e);
    for (size_t i = 0; i < POOL; i++) {
        free(pool[i].yes);
        free(pool[i].no);
    }
    free(pool);
    for (size_t i = 0; i < n_cand; i++)
        free(names[i]);
    free(names);
    return 0;
}

int main(int argc, char **argv)
{
    /* "quick": the two sizes the issue names only; default: also the steps that show linearity. */
    int quick = argc > 1 && strcmp(argv[1], "quick") == 0;
    int rc = bench("sc_member", 85, 100, 3000);
    if (!quick) {
        rc |= bench("sc_member", 85, 100, 30000);
        rc |= bench("sc_member", 85, 100, 300000);
        rc |= bench("vice_governor", 7, 10, 250000);
        rc |= bench("vice_governor", 7, 10, 500000);
    }
    rc |= bench("vice_governor", 7, 10, 1000000);
    return rc;
}
