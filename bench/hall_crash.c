/* hall_crash.c — the server killed (SIGKILL, SIGTERM) at random moments of vote bursts, and run out of room
 * (a full disk, a file-size limit): after each restart every acknowledged ballot is in the log once,
 * nothing uncast is counted, verify passes. With --store URL the session is in PostgreSQL (imported from the
 * file made as always, with its logins): the same kills and checks, the log read through the store; the rounds
 * without room are a file's and are not run there (a database's disk is its operators'). */
#define _GNU_SOURCE
#include "hall_http.h"
#include "hall_setup.h"
#include "yishi/alloc.h"
#include "yishi/store.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *const choice[3] = {"yes", "no", "abstain"};
static int failures;

#define CHECK(cond, ...)                                                                                            \
    do {                                                                                                            \
        if (!(cond) && failures++ < 30) { /* the first 30 say what; the count says how many */                    \
            printf("  FAIL  ");                                                                                     \
            printf(__VA_ARGS__);                                                                                    \
            printf("\n");                                                                                           \
        }                                                                                                           \
    } while (0)

typedef struct harness {
    hall_session s;
    hall_server srv;
    hc_loop *l;            /* one connection per delegate, and the chair's last */
    int voters;            /* delegates 0..voters-1 vote; the others never do */
    double burst_s;        /* how long an undisturbed burst takes, measured first */
    long acked_total, lost_answers;
    int before, inside, after; /* where the signals landed: before any answer, amid the answers, after all */
    int full_rounds[2];    /* rounds without room, by how (enum room) */
    int signals[2];        /* SIGKILLs and SIGTERMs sent */
    long counted_total;    /* votes the closes counted, each checked against the votes cast */
    int verifies;          /* `yishi verify` runs that passed */
} harness;

/* ---- the server's life ---- */

static void up(harness *h)
{
    if (!hall_serve(&h->srv, &h->s, 0, NULL))
        hall_die("yishi serve did not restart (see %s)", h->srv.err);
    hc_free(h->l);
    h->l = hc_new(h->srv.port, 30);
    for (int i = 0; i <= h->s.n; i++)
        hc_conn(h->l);
}

static hc_req call(harness *h, const char *path, const char *body, int want)
{
    hc_req r = {.method = "POST", .path = path, .token = h->s.chair, .body = body};
    hc_submit(h->l, h->s.n, &r);
    hc_run(h->l, hc_now() + 60, NULL, NULL);
    if (r.fail != HC_OK || (want && r.status != want))
        hall_die("POST %s: %s %d %s", path, hc_fail_name[r.fail < 0 ? HC_TIMEOUT : r.fail], r.status,
                 r.resp ? r.resp : "");
    return r;
}

static long long new_poll(harness *h, int round)
{
    char body[64], path[64];
    snprintf(body, sizeof body, "{\"title\":\"第%d次表决\"}", round);
    hc_req r = call(h, "/api/polls", body, 201);
    long long poll = hc_json_int(r.resp, "id");
    hc_req_clear(&r);
    snprintf(path, sizeof path, "/api/polls/%lld/open", poll);
    r = call(h, path, NULL, 200);
    hc_req_clear(&r);
    return poll;
}

/* ---- a burst, and what its answers promised ---- */

typedef struct ballot {
    hc_req r;
    char body[32];
    bool acked, refused;   /* 201 with a receipt; an error answer (the vote must not count) */
    long long seq;
    char hash[80];
} ballot;

typedef struct kill_at {
    double when;           /* seconds after the burst starts; then the moment itself */
    int sig;
} kill_at;

static void burst(harness *h, ballot *b, const char *path, int round, kill_at *k)
{
    double t0 = hc_now();
    for (int i = 0; i < h->voters; i++) {
        snprintf(b[i].body, sizeof b[i].body, "{\"choice\":\"%s\"}", choice[(i + round) % 3]);
        b[i].r = (hc_req){.method = "POST", .path = path, .token = h->s.token[i], .body = b[i].body, .due = t0};
        hc_submit(h->l, i, &b[i].r);
    }
    if (k) {
        /* the signal at its moment, even if the burst was all answered before: that is a moment too */
        k->when += t0;
        hc_run(h->l, k->when, NULL, NULL);
        if (hc_now() < k->when)
            usleep((useconds_t)((k->when - hc_now()) * 1e6));
        kill(h->srv.pid, k->sig);
    }
    hc_run(h->l, hc_now() + 40, NULL, NULL);
    for (int i = 0; i < h->voters; i++) {
        hc_req *r = &b[i].r;
        b[i].acked = r->fail == HC_OK && r->status == 201 && (b[i].seq = hc_json_int(r->resp, "seq")) > 0 &&
                     hc_json_str(r->resp, "hash", b[i].hash, sizeof b[i].hash);
        b[i].refused = r->fail == HC_OK && !b[i].acked;
        h->acked_total += b[i].acked;
        h->lost_answers += r->fail != HC_OK;
    }
}

/* The log's events from `after` on, by seq: each one's hash (hex) and type. */
typedef struct logged {
    int64_t after, n;
    bool past;             /* the scan went past the range, and was stopped there */
    char (*hash)[YS_HASH_HEX];
    char (*type)[48];
} logged;

static ys_rc note_event(const ys_event *ev, void *ud, ys_err *err)
{
    logged *l = ud;
    int64_t k = ev->seq - l->after - 1;
    if (k >= l->n) {
        l->past = true;
        return ys_fail(err, YS_CONFLICT, "seq", "past event %lld", (long long)(l->after + l->n));
    }
    if (k < 0)
        return ys_fail(err, YS_CORRUPT, "seq", "event %lld before the range read", (long long)ev->seq);
    ys_hash_hex(ev->hash, l->hash[k]);
    snprintf(l->type[k], sizeof l->type[k], "%s", ev->type);
    return YS_OK;
}

/* Every acknowledged receipt is in the log, read through the store (the file or the session in PostgreSQL):
 * its seq with its hash, a poll.cast. */
static void check_receipts(harness *h, const ballot *b)
{
    int64_t lo = INT64_MAX, hi = 0;
    for (int i = 0; i < h->voters; i++)
        if (b[i].acked) {
            lo = b[i].seq < lo ? b[i].seq : lo;
            hi = b[i].seq > hi ? b[i].seq : hi;
        }
    if (!hi)
        return;
    ys_store *st = NULL;
    ys_err err = {0};
    logged l = {.after = lo - 1, .n = hi - lo + 1};
    l.hash = calloc((size_t)l.n, sizeof *l.hash);
    l.type = calloc((size_t)l.n, sizeof *l.type);
    if (!l.hash || !l.type)
        hall_die("out of memory");
    if ((ys_store_open(h->s.file, YS_STORE_READONLY, &st, &err) || ys_store_scan(st, l.after, note_event, &l, &err)) &&
        !l.past)
        hall_die("cannot read %s: %s", h->s.file, err.msg);
    ys_store_close(st);
    for (int i = 0; i < h->voters; i++) {
        if (!b[i].acked)
            continue;
        int64_t k = b[i].seq - lo;
        CHECK(strcmp(l.hash[k], b[i].hash) == 0 && strcmp(l.type[k], "poll.cast") == 0,
              "delegate %d's receipt %lld:%.12s… is not in the log after the restart", i, b[i].seq, b[i].hash);
    }
    free(l.hash);
    free(l.type);
}

/* Everyone who should vote votes again: an acknowledged or refused-then-… vote must answer as promised. */
static void revote(harness *h, ballot *b, const char *path, int round)
{
    ballot *again = calloc((size_t)h->voters, sizeof *again);
    burst(h, again, path, round, NULL);
    for (int i = 0; i < h->voters; i++) {
        hc_req *r = &again[i].r;
        CHECK(r->fail == HC_OK && (r->status == 201 || r->status == 409), "delegate %d's vote again: %s (%s) %d %s", i,
              hc_fail_name[r->fail < 0 ? HC_TIMEOUT : r->fail], r->err ? strerror(r->err) : "no errno", r->status,
              r->resp ? r->resp : "");
        CHECK(!(b[i].acked && r->status == 201), "delegate %d's acknowledged vote was not counted: voting again got 201", i);
        CHECK(!(b[i].refused && r->status == 409), "delegate %d's vote was refused (%d %s) but counted all the same", i,
              b[i].r.status, b[i].r.resp ? b[i].r.resp : "");
        hc_req_clear(r);
    }
    free(again);
}

/* A close's answer: everyone in 0..voters-1 voted their choice once, nobody else. */
static void check_counts(harness *h, const char *resp, long long poll, int round)
{
    long long want[3] = {0};
    for (int i = 0; i < h->voters; i++)
        want[(i + round) % 3]++;
    long long yes = hc_json_int(resp, "yes"), no = hc_json_int(resp, "no"), ab = hc_json_int(resp, "abstain");
    CHECK(yes == want[0] && no == want[1] && ab == want[2],
          "poll %lld counts %lld/%lld/%lld, the delegates cast %lld/%lld/%lld", poll, yes, no, ab, want[0], want[1], want[2]);
    CHECK(hc_json_int(resp, "not_voted") == h->s.n - h->voters, "poll %lld: not_voted %lld, %d never voted", poll,
          hc_json_int(resp, "not_voted"), h->s.n - h->voters);
    h->counted_total += yes + no + ab;
}

static void check_totals(harness *h, long long poll, int round)
{
    char path[64];
    snprintf(path, sizeof path, "/api/polls/%lld/close", poll);
    hc_req r = call(h, path, NULL, 200);
    check_counts(h, r.resp, poll, round);
    hc_req_clear(&r);
}

static void clear_ballots(ballot *b, int n)
{
    for (int i = 0; i < n; i++)
        hc_req_clear(&b[i].r);
}

/* One round: a poll, a burst, the signal at a random moment of it, a restart and the checks. */
static void round_signal(harness *h, int round, int sig)
{
    char path[64];
    long long poll = new_poll(h, round);
    ballot *b = calloc((size_t)h->voters, sizeof *b);
    snprintf(path, sizeof path, "/api/polls/%lld/votes", poll);
    kill_at k = {.sig = sig, .when = h->burst_s * rand() / RAND_MAX};
    pid_t pid = h->srv.pid;
    burst(h, b, path, round, &k);
    int status = 0;
    waitpid(pid, &status, 0);
    h->srv.pid = 0;
    if (sig == SIGTERM)
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "round %d: SIGTERM ended the server with status %d", round,
              status);
    int acked = 0;
    for (int i = 0; i < h->voters; i++) {
        acked += b[i].acked;
        if (sig == SIGTERM && b[i].refused)
            CHECK(b[i].r.status == 503, "round %d: delegate %d got %d %s while the server stopped", round, i,
                  b[i].r.status, b[i].r.resp);
        else if (b[i].refused)
            CHECK(false, "round %d: delegate %d's vote got %d %s", round, i, b[i].r.status, b[i].r.resp);
    }
    h->before += acked == 0;
    h->inside += acked > 0 && acked < h->voters;
    h->after += acked == h->voters;
    check_receipts(h, b);
    up(h);
    revote(h, b, path, round);
    check_totals(h, poll, round);
    h->signals[sig == SIGTERM]++;
    printf("round %3d  %s after %5.1f ms: %3d of %d acknowledged before it, all counted once\n", round,
           sig == SIGKILL ? "SIGKILL" : "SIGTERM", (k.when - b[0].r.due) * 1e3, acked, h->voters);
    clear_ballots(b, h->voters);
    free(b);
}

/* ---- no room to write ---- */

/* How the room is taken: the session's file system filled (a tmpfs of its own, which needs root), or the
 * server's file-size limit (RLIMIT_FSIZE, lowered with prlimit) held to the size its files have now. */
typedef enum room { ROOM_TMPFS, ROOM_FSIZE } room;
static const char *const room_name[2] = {"disk full", "size limit"};

static char mounted[320];

static void unmount(void)
{
    if (mounted[0])
        umount2(mounted, MNT_DETACH);
}

/* Fills the file system of path to the last byte; returns the filler's name. */
static void fill(const char *dir, char *filler, size_t cap)
{
    static char zero[65536];
    snprintf(filler, cap, "%s/filler", dir);
    FILE *f = fopen(filler, "w");
    if (!f)
        hall_die("cannot write %s", filler);
    for (size_t k = sizeof zero; k > 0;)
        if (fwrite(zero, 1, k, f) != k || fflush(f) != 0) {
            clearerr(f);
            k /= 2;
        }
    fclose(f);
}

static long long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long long)st.st_size : 0;
}

/* The server may write no file past the size the larger of the session file and its WAL has now: the
 * WAL's reused space still takes a few batches, then every write is refused (EFBIG) as on a full disk. */
static void hold_files(harness *h, struct rlimit *was)
{
    char wal[340];
    snprintf(wal, sizeof wal, "%s-wal", h->s.file);
    long long db = file_size(h->s.file), w = file_size(wal);
    if (prlimit(h->srv.pid, RLIMIT_FSIZE, NULL, was) != 0)
        hall_die("prlimit on the server (pid %d): %s", (int)h->srv.pid, strerror(errno));
    struct rlimit held = {.rlim_cur = (rlim_t)(db > w ? db : w), .rlim_max = was->rlim_max};
    if (prlimit(h->srv.pid, RLIMIT_FSIZE, &held, NULL) != 0)
        hall_die("prlimit on the server (pid %d): %s", (int)h->srv.pid, strerror(errno));
}

typedef struct taken {
    char filler[400];      /* ROOM_TMPFS: the file that fills the disk */
    struct rlimit was;     /* ROOM_FSIZE: the server's limit before */
} taken;

static void take_room(harness *h, room how, taken *t)
{
    if (how == ROOM_TMPFS)
        fill(h->s.dir, t->filler, sizeof t->filler);
    else
        hold_files(h, &t->was);
}

static void give_room(harness *h, room how, const taken *t)
{
    if (how == ROOM_TMPFS)
        unlink(t->filler);
    else if (prlimit(h->srv.pid, RLIMIT_FSIZE, &t->was, NULL) != 0)
        hall_die("prlimit on the server (pid %d): %s", (int)h->srv.pid, strerror(errno));
}

/* A refusal for want of room: 507 disk_full, as JSON. */
static bool no_room_error(const hc_req *r)
{
    return r->status == 507 && r->resp && strstr(r->resp, "\"error\":\"disk_full\"");
}

/* A chair's write without room: the status; anything but `ok` must be the disk_full error. */
static int try_post(harness *h, room how, const char *path, int ok, hc_req *out)
{
    hc_req r = call(h, path, NULL, 0);
    CHECK(r.status == ok || no_room_error(&r), "%s: POST %s got %d %s", room_name[how], path, r.status, r.resp);
    if (r.status != ok)
        printf("%-10s POST %s: %d %s\n", room_name[how], path, r.status, r.resp);
    if (out)
        *out = r;
    else
        hc_req_clear(&r);
    return r.status;
}

/* Votes without room until one is refused: SQLite reuses the WAL's space, so the first writes may fit.
 * Returns the poll the first refusal left unfinished (0 if none was), whether it is open, its ballots in b. */
static long long vote_until_refused(harness *h, room how, const long long *polls, int n, int round, ballot *b,
                                    bool *open, int *acked, int *refused)
{
    char path[64];
    for (int a = 0; a < n; a++) {
        memset(b, 0, sizeof *b * (size_t)h->voters);
        snprintf(path, sizeof path, "/api/polls/%lld/open", polls[a]);
        if (!(*open = try_post(h, how, path, 200, NULL) == 200))
            return ++*refused, polls[a];
        snprintf(path, sizeof path, "/api/polls/%lld/votes", polls[a]);
        burst(h, b, path, round + a, NULL);
        for (int i = 0; i < h->voters; i++) {
            *acked += b[i].acked;
            *refused += b[i].refused;
            CHECK(!b[i].refused || no_room_error(&b[i].r), "%s: delegate %d got %d %s", room_name[how], i,
                  b[i].r.status, b[i].r.resp);
            if (b[i].refused && *refused == 1)
                printf("%-10s a vote: %d %s\n", room_name[how], b[i].r.status, b[i].r.resp);
        }
        if (*refused)
            return polls[a];
        hc_req r;
        snprintf(path, sizeof path, "/api/polls/%lld/close", polls[a]);
        if (try_post(h, how, path, 200, &r) != 200) {
            hc_req_clear(&r);
            return ++*refused, polls[a];
        }
        check_counts(h, r.resp, polls[a], round + a);
        hc_req_clear(&r);
        for (int i = 0; i < h->voters; i++)
            hc_req_clear(&b[i].r);
    }
    return 0;
}

static int round_full(harness *h, int round, room how)
{
    enum { POLLS = 40 };
    char path[64];
    taken t;
    long long polls[POLLS];
    int acked = 0, refused = 0, a;
    bool open = false;
    for (a = 0; a < POLLS; a++) {
        char body[64];
        snprintf(body, sizeof body, "{\"title\":\"第%d次表决\"}", round + a);
        hc_req r = call(h, "/api/polls", body, 201);
        polls[a] = hc_json_int(r.resp, "id");
        hc_req_clear(&r);
    }
    ballot *b = calloc((size_t)h->voters, sizeof *b);
    take_room(h, how, &t);
    long long poll = vote_until_refused(h, how, polls, POLLS, round, b, &open, &acked, &refused);
    CHECK(waitpid(h->srv.pid, NULL, WNOHANG) == 0, "%s: the server died", room_name[how]);
    CHECK(refused > 0, "%s: none of %d polls' writes was refused (%d votes acknowledged)", room_name[how], POLLS, acked);
    give_room(h, how, &t);
    if (poll) {
        for (a = 0; polls[a] != poll; a++)
            ;
        snprintf(path, sizeof path, "/api/polls/%lld/open", poll);
        if (!open) {
            hc_req r = call(h, path, NULL, 200);
            hc_req_clear(&r);
        }
        snprintf(path, sizeof path, "/api/polls/%lld/votes", poll);
        revote(h, b, path, round + a);
        check_totals(h, poll, round + a);
    }
    hall_stop(&h->srv, SIGTERM);
    check_receipts(h, b);
    up(h);
    printf("round %3d  %s: %d acknowledged, %d refused with disk_full; with room back all counted once\n", round,
           room_name[how], acked, refused);
    h->full_rounds[how]++;
    clear_ballots(b, h->voters);
    free(b);
    return POLLS;
}

/* A session on a small tmpfs of its own; false when this process may not mount one (not root). */
static bool on_tmpfs(const char *dir, char *out, size_t cap)
{
    snprintf(out, cap, "%s/small-disk", dir);
    mkdir(out, 0700);
    if (mount("tmpfs", out, "tmpfs", 0, "size=24m") != 0) {
        printf("disk full  skipped: cannot mount a tmpfs here (%s); run as root (the size-limit rounds run)\n",
               strerror(errno));
        return false;
    }
    snprintf(mounted, sizeof mounted, "%s", out);
    atexit(unmount);
    return true;
}

/* ---- the run ---- */

static const char *store; /* --store: the PostgreSQL database the session is imported into, or NULL */

/* The session file made in dir imported into the store with its logins; the session's locator replaces the file. */
static void into_store(harness *h)
{
    char cmd[1400], line[600], locator[sizeof h->s.file] = "";
    snprintf(cmd, sizeof cmd, "'%s' import-session '%s' --store '%s' --with-logins", h->s.yishi, h->s.file, store);
    FILE *p = popen(cmd, "r");
    while (p && fgets(line, sizeof line, p)) {
        const char *at = strstr(line, ": postgresql://");
        if (!strncmp(line, "imported ", 9) && at)
            snprintf(locator, sizeof locator, "%.*s", (int)strcspn(at + 2, "\n"), at + 2);
    }
    if (!p || pclose(p) != 0 || !locator[0])
        hall_die("import-session of %s into %s failed", h->s.file, store);
    snprintf(h->s.file, sizeof h->s.file, "%s", locator);
}

static void setup(harness *h, const char *yishi, const char *dir, int n)
{
    hall_session_make(&h->s, yishi, dir, n);
    if (store)
        into_store(h);
    h->voters = n - n / 10;
    up(h);
    hall_login_all(&h->s, h->srv.port, 32);
}

static void verify(harness *h)
{
    hall_stop(&h->srv, SIGTERM);
    bool ok = hall_sh("'%s' verify -f '%s' >/dev/null", h->s.yishi, h->s.file);
    CHECK(ok, "yishi verify fails on %s", h->s.file);
    h->verifies += ok;
    up(h);
}

/* An undisturbed round first: how long a burst takes, so the kills land inside bursts. */
static void calibrate(harness *h)
{
    char path[64];
    long long poll = new_poll(h, 0);
    ballot *b = calloc((size_t)h->voters, sizeof *b);
    snprintf(path, sizeof path, "/api/polls/%lld/votes", poll);
    double t0 = hc_now();
    burst(h, b, path, 0, NULL);
    h->burst_s = hc_now() - t0;
    for (int i = 0; i < h->voters; i++)
        CHECK(b[i].acked, "undisturbed, delegate %d's vote got %d %s", i, b[i].r.status, b[i].r.resp);
    check_totals(h, poll, 0);
    printf("burst      %d votes in %.1f ms undisturbed; signals land within that time of a burst's start\n", h->voters, h->burst_s * 1e3);
    clear_ballots(b, h->voters);
    free(b);
}

/* `full` rounds without room on a fresh session in `where`: each a poll on the way to full, the refusals,
 * the room given back, every refused vote taken, a restart; then verify. */
static void rounds_without_room(harness *h, const char *yishi, const char *where, int n, int full, room how,
                                int *round)
{
    hall_session_free(&h->s);
    hc_free(h->l);
    h->l = NULL;
    mkdir(where, 0700);
    setup(h, yishi, where, n);
    for (int k = 0; k < full; k++)
        *round += round_full(h, *round, how);
    verify(h);
    hall_stop(&h->srv, SIGTERM);
}

static void usage(void)
{
    fprintf(stderr, "usage: hall_crash --yishi PATH --dir DIR [--store URL] [--delegates N] [--kills K] [--terms T] "
                    "[--full F] [--seed S]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    const char *yishi = NULL, *dir = NULL;
    int n = 200, kills = 20, terms = 5, full = 1;
    unsigned seed = (unsigned)getpid();
    for (int i = 1; i + 1 < argc; i += 2) {
        const char *a = argv[i], *v = argv[i + 1];
        if (strcmp(a, "--yishi") == 0) yishi = v;
        else if (strcmp(a, "--dir") == 0) dir = v;
        else if (strcmp(a, "--store") == 0) store = v;
        else if (strcmp(a, "--delegates") == 0) n = atoi(v);
        else if (strcmp(a, "--kills") == 0) kills = atoi(v);
        else if (strcmp(a, "--terms") == 0) terms = atoi(v);
        else if (strcmp(a, "--full") == 0) full = atoi(v);
        else if (strcmp(a, "--seed") == 0) seed = (unsigned)atol(v);
        else usage();
    }
    if (!yishi || !dir || n < 10)
        usage();
    signal(SIGPIPE, SIG_IGN);
    setvbuf(stdout, NULL, _IOLBF, 0);
    /* the cheapest argon2id for the thousands of PINs set up before the clock; votes do not hash */
    setenv("YISHI_TEST_WEAK_PWHASH", "1", 0);
    hc_raise_nofile();
    srand(seed);
    printf("hall_crash: %d delegates (%d vote), %d SIGKILL, %d SIGTERM, %d rounds each of a full disk and a file-size "
           "limit, seed %u, %s\n", n, n - n / 10, kills, terms, store ? 0 : full, seed,
           store ? "the session in PostgreSQL" : "the session in a file");
    harness h = {0};
    char disk[320], limited[320], work[300];
    /* a fresh directory of its own under dir, removed when everything passed */
    mkdir(dir, 0755);
    snprintf(work, sizeof work, "%s/crash-XXXXXX", dir);
    if (!mkdtemp(work))
        hall_die("cannot make a directory under %s", dir);
    dir = work;
    double t0 = hc_now();
    setup(&h, yishi, dir, n);
    calibrate(&h);
    int round = 1;
    for (int k = 0; k < kills; k++, round++) {
        round_signal(&h, round, SIGKILL);
        if (k % 50 == 49)
            verify(&h);
    }
    for (int k = 0; k < terms; k++, round++)
        round_signal(&h, round, SIGTERM);
    verify(&h);
    hall_stop(&h.srv, SIGTERM);
    /* A full disk needs a tmpfs of its own (root); a file-size limit needs nothing, so it runs everywhere. Both
     * are a file's: a session in PostgreSQL is written by the database's server. */
    if (store)
        full = 0;
    if (full > 0 && on_tmpfs(dir, disk, sizeof disk))
        rounds_without_room(&h, yishi, disk, n, full, ROOM_TMPFS, &round);
    snprintf(limited, sizeof limited, "%s/size-limit", dir);
    if (full > 0)
        rounds_without_room(&h, yishi, limited, n, full, ROOM_FSIZE, &round);
    printf("signals    %d SIGKILL and %d SIGTERM: %d before the first answer, %d amid the answers, %d after the last\n",
           h.signals[0], h.signals[1], h.before, h.inside, h.after);
    printf("no room    %d rounds of a full disk, %d of a file-size limit\n", h.full_rounds[ROOM_TMPFS],
           h.full_rounds[ROOM_FSIZE]);
    printf("%s: %ld ballots acknowledged, %ld counted at the closes (each as cast), %ld answers lost to the signals, "
           "%d verify passed, %d failures, %.1f s\n", failures ? "FAILED" : "passed", h.acked_total, h.counted_total,
           h.lost_answers, h.verifies, failures, hc_now() - t0);
    hc_free(h.l);
    hall_session_free(&h.s);
    unmount();
    mounted[0] = '\0';
    if (!failures)
        hall_sh("rm -rf '%s'", work);
    return failures ? 1 : 0;
}
