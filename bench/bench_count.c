/* bench_count.c — how fast the counting engine counts, and that it is linear in ballots: times
 * elections of growing size and reports time per ballot and peak memory (getrusage). Not a test. */
#include "yishi/alloc.h"
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

/* Ballots that mark yes for about 60-70% of the list (capped at the seats) and no for a few, so
 * that some candidates pass the threshold and some do not, as in a real count. */
static pool_ballot *make_pool(char **names, size_t n, int seats)
{
    pool_ballot *p = ys_calloc(POOL, sizeof *p);
    for (size_t i = 0; p && i < POOL; i++) {
        p[i].yes = ys_calloc(n, sizeof *p[i].yes);
        p[i].no = ys_calloc(n, sizeof *p[i].no);
        for (size_t c = 0; c < n; c++) {
            uint64_t k = rnd() % (n + n / 4);
            if (k < (size_t)seats && p[i].ny < (size_t)seats)
                p[i].yes[p[i].ny++] = names[c];
            else if (k >= n)
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
    char **names = ys_calloc(n_cand, sizeof *names);
    for (size_t i = 0; i < n_cand; i++) {
        names[i] = ys_malloc(16);
        snprintf(names[i], 16, "候选人%zu", i);
    }
    pool_ballot *pool = make_pool(names, n_cand, seats);
    ys_election_spec s = {.kind = YS_ELECTION, .office = office, .seats = seats,
                          .entitled = (int)ballots, .ballots_issued = (int)ballots,
                          .candidates = (const char *const *)names, .n_candidates = n_cand};
    ys_election *e = NULL;
    ys_election_result *res = NULL;
    ys_err err;
    double marks = 0;
    for (size_t i = 0; i < POOL; i++)
        marks += (double)(pool[i].ny + pool[i].nn);
    marks /= POOL;
    long before = peak_kb();
    double t0 = now();
    if (ys_election_new(&r, &s, &e, &err))
        return fprintf(stderr, "bench: %s\n", err.msg), 1;
    for (long i = 0; i < ballots; i++) {
        const pool_ballot *p = &pool[i % POOL];
        ys_ballot b = {(const char *const *)p->yes, p->ny, (const char *const *)p->no, p->nn, NULL, 0};
        if (ys_election_add(e, &b, NULL, &err))
            return fprintf(stderr, "bench: %s\n", err.msg), 1;
    }
    if (ys_election_result_get(e, &res, &err))
        return fprintf(stderr, "bench: %s\n", err.msg), 1;
    double secs = now() - t0;
    printf("%9ld ballots x %3zu candidates (%4.1f marks each): %7.3f s  %7.1f ns/ballot  "
           "%5.1f ns/mark  peak RSS %ld KiB (+%ld while counting)  %zu of %d elected\n",
           ballots, n_cand, marks, secs, secs * 1e9 / (double)ballots,
           secs * 1e9 / (double)ballots / marks, peak_kb(), peak_kb() - before, res->n_elected,
           seats);
    ys_election_result_free(res);
    ys_election_free(e);
    for (size_t i = 0; i < POOL; i++) {
        ys_free(pool[i].yes);
        ys_free(pool[i].no);
    }
    ys_free(pool);
    for (size_t i = 0; i < n_cand; i++)
        ys_free(names[i]);
    ys_free(names);
    return 0;
}

static void print_names(const char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        printf("%s\"%s\"", i ? "," : "", v[i]);
}

/* Writes the same election as a `yishi count` input, to time the whole command end to end. */
static int write_json(const char *office, int seats, size_t n_cand, long ballots)
{
    char **names = ys_calloc(n_cand, sizeof *names);
    for (size_t i = 0; i < n_cand; i++) {
        names[i] = ys_malloc(16);
        snprintf(names[i], 16, "候选人%zu", i);
    }
    pool_ballot *pool = make_pool(names, n_cand, seats);
    printf("{\"kind\":\"election\",\"rules\":\"prc-provincial\",\"office\":\"%s\",\"seats\":%d,"
           "\"entitled\":%ld,\"ballots_issued\":%ld,\"candidates\":[",
           office, seats, ballots, ballots);
    print_names((const char **)names, n_cand);
    printf("],\"ballots\":[\n");
    for (long i = 0; i < ballots; i++) {
        const pool_ballot *p = &pool[i % POOL];
        printf("%s{\"yes\":[", i ? ",\n" : "");
        print_names(p->yes, p->ny);
        printf("],\"no\":[");
        print_names(p->no, p->nn);
        printf("]}");
    }
    printf("]}\n");
    return 0; /* a one-shot generator: the process exit frees the pool */
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "json-3000") == 0)
        return write_json("sc_member", 85, 100, 3000);
    if (argc == 2 && strcmp(argv[1], "json-1000000") == 0)
        return write_json("vice_governor", 7, 10, 1000000);
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
