/* bench_log.c — what durability costs: a plenary of N delegates (2977 unless given) votes in an anonymous
 * poll and a secret election, every ballot committed with its own sync, or in group commits of 64 (with
 * each commit's time: what a ballot's acknowledgement waits for at the store); late check-ins committed one
 * at a time, and the state digest they checkpoint; then how long opening (replay) and verify take, and how
 * large the file is. The store is a file in DIR, or a new session in the PostgreSQL database DIR names
 * (postgresql://…), removed afterwards. Not a test. */
#include "cli/rules_file.h"
#include "yishi/alloc.h"
#include "yishi/command.h"
#include "yishi/journal.h"
#include "yishi/poll.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int DELEGATES = 2977;
#define LATE 200        /* delegates who check in late, each in a commit of its own */
#define VOTERS_MAX 3000 /* the votes are timed for a hall of up to this size; past it they are skipped */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* This thread's CPU time: a commit's own work without the wait for the disk, which load does not move. */
static double cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static ys_ctx ctx = {"2024-03-11T07:00:00.000Z", "bench"};

static void check(ys_rc rc, const ys_err *err, const char *what)
{
    if (rc) {
        fprintf(stderr, "bench_log: %s: %s\n", what, err->msg);
        exit(1);
    }
}

#define COMMITS_MAX 4096
static double commit_ms[COMMITS_MAX]; /* the commits of the batch being timed, each the store's whole cost */
static int n_commits = -1;            /* -1: not timing */

static void commit(ys_journal *j, ys_events *evs)
{
    ys_err err = {0};
    double t0 = now();
    check(ys_journal_commit(j, evs, &err), &err, "commit");
    if (n_commits >= 0 && n_commits < COMMITS_MAX)
        commit_ms[n_commits++] = (now() - t0) * 1e3;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The timed commits' median and 99th percentile, in ms; timing stops. */
static void commit_figures(double *p50, double *p99)
{
    int n = n_commits > 0 ? n_commits : 1;
    qsort(commit_ms, (size_t)n, sizeof *commit_ms, by_value);
    *p50 = commit_ms[n / 2];
    *p99 = commit_ms[(n * 99) / 100 < n ? (n * 99) / 100 : n - 1];
    n_commits = -1;
}

static void discard(const char *locator)
{
    ys_err err = {0};
    if (ys_store_exists(locator))
        check(ys_store_discard(locator, &err), &err, "removing the bench's store");
}

/* A new session: a file in `dir` (a path of its own, gone first), or a new one in the database `dir` names;
 * `path` gets its locator. */
static ys_journal *setup(const char *dir, char *path, size_t path_cap)
{
    bool pg = ys_store_is_postgresql(dir);
    ys_journal *j = NULL;
    ys_rules *r = NULL;
    ys_diags d;
    ys_err err = {0};
    ys_events evs;
    ys_diags_init(&d);
    ys_events_init(&evs);
    check(ys_rules_load("prc-npc", &r, &d, &err), &err, "rules");
    if (!pg) {
        snprintf(path, path_cap, "%s/bench-log.db", dir);
        discard(path);
    }
    check(ys_journal_open(pg ? dir : path, YS_STORE_CREATE, &j, &err), &err, "open");
    if (pg)
        snprintf(path, path_cap, "%s", ys_store_locator(j->store));
    ys_init_args a = {"全国人民代表大会", "第十四届", "第二次会议", r};
    check(ys_cmd_init(j->session, &ctx, &a, &evs, &err), &err, "init");
    commit(j, &evs);
    ys_rules_free(r);
    size_t cap = 128 + DELEGATES * 80, at = 0;
    char *csv = ys_malloc(cap);
    at += (size_t)snprintf(csv, cap, "code,name,gender,ethnicity,delegation\n");
    for (int i = 1; i <= DELEGATES; i++)
        at += (size_t)snprintf(csv + at, cap - at, "N%d,代表%d,%s,汉族,第%d代表团\n", i, i, i % 4 ? "男" : "女", i % 35 + 1);
    ys_csv *c = NULL;
    check(ys_csv_parse(csv, at, &c, &d), &err, "csv");
    check(ys_cmd_import(j->session, &ctx, YS_IMPORT_DELEGATES, c, &evs, &d), &err, "import");
    commit(j, &evs);
    ys_csv_free(c);
    ys_free(csv);
    check(ys_cmd_meeting_open(j->session, &ctx, YS_MEETING_PLENARY, "全体会议", NULL, &evs, &err), &err, "meeting");
    commit(j, &evs);
    for (int i = 1; i <= DELEGATES - LATE; i++) {
        char code[16];
        snprintf(code, sizeof code, "N%d", i);
        check(ys_cmd_attendance(j->session, &ctx, 1, code, YS_PRESENT, NULL, &evs, &err), &err, "checkin");
    }
    commit(j, &evs);
    return j;
}

static void late_checkin(ys_journal *j, ys_events *evs, int i)
{
    char code[16];
    ys_err err = {0};
    snprintf(code, sizeof code, "N%d", i);
    check(ys_cmd_attendance(j->session, &ctx, 1, code, YS_PRESENT, NULL, evs, &err), &err, "late checkin");
    commit(j, evs);
}

/* The last LATE delegates check in one by one, each check-in its own commit (a sync and a checkpoint);
 * and what the checkpoint's digest costs now, beside the whole-state digest every commit paid before.
 * The first of them is not timed: it pays once for the setup before it (freeing the batch of the whole
 * roll's events, the first BEGIN after that transaction), 90 ms at 100,000 delegates, which is not what
 * a commit costs. */
static void late_checkins(ys_journal *j)
{
    ys_events evs;
    uint8_t d[YS_HASH_BYTES];
    ys_events_init(&evs);
    late_checkin(j, &evs, DELEGATES - LATE + 1);
    double t0 = now(), c0 = cpu();
    for (int i = DELEGATES - LATE + 2; i <= DELEGATES; i++)
        late_checkin(j, &evs, i);
    double tc = (now() - t0) / (LATE - 1), cc = (cpu() - c0) / (LATE - 1);
    t0 = now();
    for (int i = 0; i < 1000; i++)
        ys_session_digest(j->session, d);
    double tkept = (now() - t0) / 1000;
    t0 = now();
    for (int i = 0; i < 10; i++)
        ys_session_digest_of(j->session, 1, d);
    double tv1 = (now() - t0) / 10;
    t0 = now();
    for (int i = 0; i < 10; i++)
        ys_session_digest_full(j->session, d);
    double tfull = (now() - t0) / 10;
    printf("%d delegates: a late check-in, committed alone: %.3f ms (%.3f ms CPU); its checkpoint's digest (kept): "
           "%.4f ms; the whole-state digest of version 1: %.3f ms; version 2 recomputed whole: %.3f ms\n",
           DELEGATES, tc * 1e3, cc * 1e3, tkept * 1e3, tv1 * 1e3, tfull * 1e3);
}

/* Every delegate votes; `batch` votes share one commit (1 = a sync per ballot). */
static double vote_poll(ys_journal *j, int poll, int batch)
{
    ys_events evs;
    ys_err err = {0};
    ys_poll_args a = {.title = "表决", .method = YS_METHOD_TERMINAL};
    ys_events_init(&evs);
    check(ys_cmd_poll_create(j->session, &ctx, &a, &evs, &err), &err, "poll");
    commit(j, &evs);
    check(ys_cmd_poll_open(j->session, &ctx, poll, &evs, &err), &err, "open");
    commit(j, &evs);
    double t0 = now();
    n_commits = 0;
    for (int i = 1; i <= DELEGATES; i++) {
        char code[16];
        snprintf(code, sizeof code, "N%d", i);
        check(ys_cmd_poll_vote(j->session, &ctx, poll, code, (ys_choice)(1 + i % 3), &evs, &err), &err, "vote");
        if (i % batch == 0 || i == DELEGATES)
            commit(j, &evs);
    }
    double t = now() - t0, p50, p99;
    commit_figures(&p50, &p99);
    printf("  poll, commits of %d ballot%s: median %.2f ms, p99 %.2f ms each\n", batch, batch == 1 ? "" : "s", p50, p99);
    check(ys_cmd_poll_close(j->session, &ctx, poll, &evs, &err), &err, "close");
    commit(j, &evs);
    return t;
}

static double vote_election(ys_journal *j, int batch)
{
    static const char *const names[] = {"甲", "乙", "丙", "丁", "戊", "己", "庚", "辛"};
    ys_events evs;
    ys_err err = {0};
    ys_election_args a = {.kind = YS_ELECTION, .office = "sc_vice_chair", .seats = 7};
    ys_events_init(&evs);
    const ys_office *o = ys_rules_office(j->session->rules, "sc_vice_chair");
    if (!o)
        a.office = j->session->rules->offices[0].key;
    check(ys_cmd_election_create(j->session, &ctx, &a, &evs, &err), &err, "election");
    commit(j, &evs);
    for (int k = 0; k < 8; k++) { /* the engine is fed through events directly: nominations are not what is timed */
        check(ys_events_add(&evs, ctx.time, ctx.actor, "election.nominate",
                            json_pack("{s:i, s:s, s:s}", "election", 1, "name", names[k], "by", "presidium"), &err),
              &err, "nominate");
    }
    commit(j, &evs);
    if (ys_cmd_election_open(j->session, &ctx, 1, &evs, &err)) {
        printf("  (election skipped: %s)\n", err.msg);
        return 0;
    }
    commit(j, &evs);
    double t0 = now();
    for (int i = 1; i <= DELEGATES; i++) {
        char code[16];
        snprintf(code, sizeof code, "N%d", i);
        ys_ballot b = {.yes = names + i % 2, .n_yes = 7, .no = names + (i % 2 ? 0 : 7), .n_no = 1};
        check(ys_cmd_election_vote(j->session, &ctx, 1, code, &b, &evs, &err), &err, "ballot");
        if (i % batch == 0 || i == DELEGATES)
            commit(j, &evs);
    }
    double t = now() - t0;
    check(ys_cmd_election_close(j->session, &ctx, 1, &evs, &err), &err, "close");
    commit(j, &evs);
    return t;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : ".";
    bool pg = ys_store_is_postgresql(dir);
    char path[4096];
    if (argc > 2 && (DELEGATES = atoi(argv[2])) <= LATE) {
        fprintf(stderr, "bench_log: give more than %d delegates\n", LATE);
        return 2;
    }
    printf("store: %s\n", pg ? "PostgreSQL (a session in the database given)" : "SQLite (a file)");
    for (int round = 0; round < 2 && DELEGATES <= VOTERS_MAX; round++) {
        int batch = round ? 64 : 1;
        ys_journal *j = setup(dir, path, sizeof path);
        late_checkins(j);
        double tp = vote_poll(j, 1, batch);
        double te = vote_election(j, batch);
        printf("%-28s poll: %d ballots in %.2f s (%.0f/s)   election: %.2f s (%.0f/s)\n",
               batch == 1 ? "a sync per ballot" : "group commit of 64", DELEGATES, tp, DELEGATES / tp, te,
               te > 0 ? DELEGATES / te : 0);
        ys_journal_close(j);
        if (!round)
            discard(path);
    }
    if (DELEGATES > VOTERS_MAX) {
        ys_journal *j = setup(dir, path, sizeof path);
        late_checkins(j);
        ys_journal_close(j);
    }
    struct stat st = {0};
    if (!pg)
        stat(path, &st);
    ys_journal *j = NULL;
    ys_err err = {0};
    double t0 = now();
    check(ys_journal_open(path, YS_STORE_READONLY, &j, &err), &err, "reopen");
    double topen = now() - t0;
    int64_t events = j->session->seq;
    ys_journal_close(j);
    ys_verify_report rep;
    t0 = now();
    check(ys_journal_verify(path, &rep, &err), &err, "verify");
    double tverify = now() - t0;
    printf("%s: %lld events, %.1f MiB; open (replay): %.3f s; verify (chain, replay, recount, projections): %.3f s%s\n",
           pg ? "session" : "file", (long long)events, (double)st.st_size / (1 << 20), topen, tverify,
           rep.ok ? "" : " — DID NOT VERIFY");
    discard(path);
    return rep.ok ? 0 : 1;
}
