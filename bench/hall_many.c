/* hall_many.c — many congresses on one service: S sessions of N delegates, served by one `yishi serve` (every
 * session of a PostgreSQL database with --store, or S session files, -f each, without), all voting at once: a
 * poll open in every session and every delegate's vote sent in the same instant. Prints the aggregate
 * ballots/s, each session's acknowledgement latency (p50, p99: the median and the worst session's), and checks
 * that every close counted exactly the votes acknowledged. */
#define _GNU_SOURCE
#include "hall_http.h"
#include "hall_setup.h"

#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *const choice[3] = {"yes", "no", "abstain"};

typedef struct opts {
    const char *yishi, *dir, *store;
    int sessions, delegates, conns; /* conns: per session, for the votes */
    double spread;                  /* 0: every vote at one instant; else each session's votes evenly over that many s */
} opts;

typedef struct one_session {
    char base[40];            /* "/s/ID" */
    char login_path[64], polls_path[64], votes_path[80];
    char chair[64];
    char (*token)[64];        /* [delegates] */
    long long poll;
    hc_req *vote;             /* [delegates] */
    int acked;
    double p50, p99;
} one_session;

/* ---- the sessions and their server ---- */

/* The template file copied (a file each) or imported (a session each, with its logins) `o->sessions` times. */
static void make_sessions(const opts *o, const hall_session *t, char (*file)[400])
{
    for (int i = 0; i < o->sessions; i++) {
        if (o->store) {
            if (!hall_sh("'%s' import-session '%s' --store '%s' --with-logins >/dev/null", o->yishi, t->file, o->store))
                hall_die("import-session %d into %s failed", i + 1, o->store);
        } else {
            snprintf(file[i], sizeof file[i], "%s/session-%03d.db", o->dir, i + 1);
            if (!hall_sh("cp '%s' '%s'", t->file, file[i]))
                hall_die("cannot copy %s", t->file);
        }
    }
}

/* One `yishi serve` for all of them; its port. */
static int serve(const opts *o, char (*file)[400], pid_t *pid)
{
    const char **argv = calloc((size_t)(2 * o->sessions + 8), sizeof *argv);
    char out[400], err[400];
    int n = 0;
    if (!argv)
        hall_die("out of memory");
    argv[n++] = o->yishi;
    argv[n++] = "serve";
    if (o->store) {
        argv[n++] = "--store";
        argv[n++] = o->store;
    } else {
        for (int i = 0; i < o->sessions; i++) {
            argv[n++] = "-f";
            argv[n++] = file[i];
        }
    }
    argv[n++] = "--listen";
    argv[n++] = "127.0.0.1:0";
    snprintf(out, sizeof out, "%s/serve.out", o->dir);
    snprintf(err, sizeof err, "%s/serve.err", o->dir);
    if ((*pid = fork()) == 0) {
        freopen(out, "w", stdout);
        freopen(err, "a", stderr);
        execv(o->yishi, (char *const *)argv);
        _exit(127);
    }
    free(argv);
    for (double t0 = hc_now(); hc_now() - t0 < 300; usleep(20000)) {
        int port = hall_listening_port(out);
        if (port > 0)
            return port;
        if (waitpid(*pid, NULL, WNOHANG) == *pid)
            hall_die("yishi serve ended before it listened (see %s)", err);
    }
    hall_die("yishi serve did not listen within 300 s (see %s)", err);
    return 0;
}

/* The paths of the sessions served, from the front's list. */
static void session_paths(int port, one_session *s, int n)
{
    hc_loop *l = hc_new(port, 60);
    hc_req r = {.method = "GET", .path = "/api/sessions"};
    hc_submit(l, hc_conn(l), &r);
    hc_run(l, hc_now() + 60, NULL, NULL);
    json_t *j = r.fail == HC_OK && r.status == 200 ? json_loads(r.resp, 0, NULL) : NULL;
    json_t *list = json_object_get(j, "sessions");
    if ((int)json_array_size(list) != n)
        hall_die("the service lists %zu sessions, not %d: %s", json_array_size(list), n, r.resp ? r.resp : "");
    for (int i = 0; i < n; i++) {
        const char *path = json_string_value(json_object_get(json_array_get(list, (size_t)i), "path"));
        snprintf(s[i].base, sizeof s[i].base, "%.*s", (int)strlen(path) - 1, path); /* without the last / */
        snprintf(s[i].login_path, sizeof s[i].login_path, "%s/api/login", s[i].base);
        snprintf(s[i].polls_path, sizeof s[i].polls_path, "%s/api/polls", s[i].base);
    }
    json_decref(j);
    hc_req_clear(&r);
    hc_free(l);
}

/* ---- logins, polls, the burst ---- */

/* Every delegate of every session and each session's chair logged in over 64 connections. */
static void login_all(const opts *o, const hall_session *t, one_session *s, int port)
{
    int per = o->delegates + 1, total = o->sessions * per, conns = 64;
    hc_req *r = calloc((size_t)total, sizeof *r);
    char(*body)[128] = calloc((size_t)total, sizeof *body);
    hc_loop *l = hc_new(port, 300);
    if (!r || !body)
        hall_die("out of memory");
    for (int c = 0; c < conns; c++)
        hc_conn(l);
    for (int k = 0; k < total; k++) {
        int i = k % o->sessions, d = k / o->sessions; /* the sessions' logins interleaved */
        if (d < o->delegates)
            snprintf(body[k], sizeof body[k], "{\"code\":\"%s\",\"pin\":\"274951\"}", t->card[d]);
        else
            snprintf(body[k], sizeof body[k], "{\"name\":\"chair\",\"password\":\"%s\"}", HALL_STAFF_PASSWORD);
        r[k] = (hc_req){.method = "POST", .path = s[i].login_path, .body = body[k]};
        hc_submit(l, k % conns, &r[k]);
    }
    double t0 = hc_now();
    if (hc_run(l, t0 + 3600, NULL, NULL) != 0)
        hall_die("the logins did not finish within an hour");
    for (int k = 0; k < total; k++) {
        int i = k % o->sessions, d = k / o->sessions;
        char *to = d < o->delegates ? s[i].token[d] : s[i].chair;
        if (r[k].fail != HC_OK || r[k].status != 200 || !hc_json_str(r[k].resp, "token", to, 64))
            hall_die("login %d of %s: %s, status %d: %s", d, s[i].base, hc_fail_name[r[k].fail], r[k].status,
                     r[k].resp ? r[k].resp : "");
        hc_req_clear(&r[k]);
    }
    fprintf(stderr, "hall_many: %d logins in %.1f s\n", total, hc_now() - t0);
    hc_free(l);
    free(r);
    free(body);
}

static hc_req chair_call(hc_loop *l, const one_session *s, const char *path, const char *body, int want)
{
    hc_req r = {.method = "POST", .path = path, .token = s->chair, .body = body};
    hc_submit(l, 0, &r);
    hc_run(l, hc_now() + 60, NULL, NULL);
    if (r.fail != HC_OK || r.status != want)
        hall_die("%s: %s, status %d: %s", path, hc_fail_name[r.fail], r.status, r.resp ? r.resp : "");
    return r;
}

static void open_polls(const opts *o, one_session *s, int port)
{
    hc_loop *l = hc_new(port, 60);
    char path[96];
    hc_conn(l);
    for (int i = 0; i < o->sessions; i++) {
        hc_req r = chair_call(l, &s[i], s[i].polls_path, "{\"title\":\"关于本次会议议程的决定\"}", 201);
        s[i].poll = hc_json_int(r.resp, "id");
        hc_req_clear(&r);
        snprintf(path, sizeof path, "%s/%lld/open", s[i].polls_path, s[i].poll);
        r = chair_call(l, &s[i], path, NULL, 200);
        hc_req_clear(&r);
        snprintf(s[i].votes_path, sizeof s[i].votes_path, "%s/%lld/votes", s[i].polls_path, s[i].poll);
    }
    hc_free(l);
}

static int by_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Every vote of every session due at one instant (or, with --spread, each session's evenly over that time, as
 * delegates press within a vote's seconds), o->conns connections per session; returns the seconds from the
 * first to the last answer. */
static double burst(const opts *o, one_session *s, int port)
{
    hc_loop *l = hc_new(port, 120);
    int conns = o->sessions * o->conns;
    for (int c = 0; c < conns; c++)
        hc_conn(l);
    double t0 = hc_now() + 0.5, last = t0;
    for (int d = 0; d < o->delegates; d++)
        for (int i = 0; i < o->sessions; i++) {
            s[i].vote[d] = (hc_req){.method = "POST", .path = s[i].votes_path, .token = s[i].token[d],
                                    .body = d % 3 == 0 ? "{\"choice\":\"yes\"}"
                                            : d % 3 == 1 ? "{\"choice\":\"no\"}"
                                                         : "{\"choice\":\"abstain\"}",
                                    .due = t0 + o->spread * d / o->delegates};
            hc_submit(l, i * o->conns + d % o->conns, &s[i].vote[d]);
        }
    hc_run(l, t0 + 600, NULL, NULL);
    double *lat = calloc((size_t)o->delegates, sizeof *lat);
    for (int i = 0; i < o->sessions; i++) {
        int k = 0;
        for (int d = 0; d < o->delegates; d++) {
            hc_req *r = &s[i].vote[d];
            if (r->fail == HC_OK && r->status == 201) {
                lat[k++] = r->done - r->due;
                last = r->done > last ? r->done : last;
            }
        }
        s[i].acked = k;
        hc_sort(lat, (size_t)k);
        s[i].p50 = k ? hc_pct(lat, (size_t)k, 50) : 0;
        s[i].p99 = k ? hc_pct(lat, (size_t)k, 99) : 0;
    }
    free(lat);
    hc_free(l);
    return last - t0;
}

/* Each poll closed: its count is the votes acknowledged, choice by choice. */
static int close_polls(const opts *o, one_session *s, int port)
{
    hc_loop *l = hc_new(port, 60);
    char path[96];
    int wrong = 0;
    hc_conn(l);
    for (int i = 0; i < o->sessions; i++) {
        long long want[3] = {0};
        for (int d = 0; d < o->delegates; d++)
            if (s[i].vote[d].fail == HC_OK && s[i].vote[d].status == 201)
                want[d % 3]++;
        snprintf(path, sizeof path, "%s/%lld/close", s[i].polls_path, s[i].poll);
        hc_req r = chair_call(l, &s[i], path, NULL, 200);
        for (int c = 0; c < 3; c++)
            if (hc_json_int(r.resp, choice[c]) != want[c] && wrong++ < 10)
                printf("  FAIL  %s: %s counted %lld, acknowledged %lld\n", s[i].base, choice[c],
                       hc_json_int(r.resp, choice[c]), want[c]);
        hc_req_clear(&r);
    }
    hc_free(l);
    return wrong;
}

/* ---- the run ---- */

static void usage(void)
{
    fprintf(stderr, "usage: hall_many --yishi PATH --dir DIR [--store URL] [--sessions S] [--delegates N] "
                    "[--conns C] [--spread SECONDS]\n  --store: a database of the run's own; every session in it is served\n");
    exit(2);
}

static void parse(opts *o, int argc, char **argv)
{
    *o = (opts){.sessions = 100, .delegates = 500, .conns = 4, .spread = 0};
    for (int i = 1; i + 1 < argc; i += 2) {
        const char *a = argv[i], *v = argv[i + 1];
        if (!strcmp(a, "--yishi")) o->yishi = v;
        else if (!strcmp(a, "--dir")) o->dir = v;
        else if (!strcmp(a, "--store")) o->store = v;
        else if (!strcmp(a, "--sessions")) o->sessions = atoi(v);
        else if (!strcmp(a, "--delegates")) o->delegates = atoi(v);
        else if (!strcmp(a, "--conns")) o->conns = atoi(v);
        else if (!strcmp(a, "--spread")) o->spread = atof(v);
        else usage();
    }
    if (!o->yishi || !o->dir || o->sessions < 1 || o->delegates < 10 || o->conns < 1 || o->spread < 0)
        usage();
}

int main(int argc, char **argv)
{
    opts o;
    parse(&o, argc, argv);
    signal(SIGPIPE, SIG_IGN);
    setvbuf(stdout, NULL, _IOLBF, 0);
    setenv("YISHI_TEST_WEAK_PWHASH", "1", 0); /* the cheapest argon2id for the logins before the clock */
    hc_raise_nofile();
    char tdir[300];
    mkdir(o.dir, 0755);
    snprintf(tdir, sizeof tdir, "%s/template", o.dir);
    mkdir(tdir, 0755);
    hall_session t;
    hall_session_make(&t, o.yishi, tdir, o.delegates);
    char(*file)[400] = calloc((size_t)o.sessions, sizeof *file);
    one_session *s = calloc((size_t)o.sessions, sizeof *s);
    if (!file || !s)
        hall_die("out of memory");
    for (int i = 0; i < o.sessions; i++) {
        s[i].token = calloc((size_t)o.delegates, sizeof *s[i].token);
        s[i].vote = calloc((size_t)o.delegates, sizeof *s[i].vote);
        if (!s[i].token || !s[i].vote)
            hall_die("out of memory");
    }
    double t0 = hc_now();
    make_sessions(&o, &t, file);
    fprintf(stderr, "hall_many: %d sessions made in %.1f s\n", o.sessions, hc_now() - t0);
    pid_t pid;
    int port = serve(&o, file, &pid);
    session_paths(port, s, o.sessions);
    login_all(&o, &t, s, port);
    open_polls(&o, s, port);
    double took = burst(&o, s, port);
    int wrong = close_polls(&o, s, port);
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);

    long acked = 0;
    double *p50 = calloc((size_t)o.sessions, sizeof *p50), *p99 = calloc((size_t)o.sessions, sizeof *p99);
    for (int i = 0; i < o.sessions; i++) {
        acked += s[i].acked;
        p50[i] = s[i].p50;
        p99[i] = s[i].p99;
    }
    qsort(p50, (size_t)o.sessions, sizeof *p50, by_double);
    qsort(p99, (size_t)o.sessions, sizeof *p99, by_double);
    long want = (long)o.sessions * o.delegates;
    char when[64] = "all at once";
    if (o.spread > 0)
        snprintf(when, sizeof when, "each session's over %.0f s", o.spread);
    printf("%s: %d sessions x %d delegates on one server, %d connections each, the votes %s\n",
           o.store ? "postgresql" : "sqlite files", o.sessions, o.delegates, o.conns, when);
    printf("  %ld of %ld votes acknowledged in %.2f s: %.0f ballots/s in all\n", acked, want, took, acked / took);
    printf("  per session, ms: p50 median %.1f (worst %.1f); p99 median %.1f, worst %.1f\n", p50[o.sessions / 2] * 1e3,
           p50[o.sessions - 1] * 1e3, p99[o.sessions / 2] * 1e3, p99[o.sessions - 1] * 1e3);
    printf("  the closes: %s\n", wrong ? "COUNTS DIFFER (above)" : "every count is the votes acknowledged");
    for (int i = 0; i < o.sessions; i++) {
        for (int d = 0; d < o.delegates; d++)
            hc_req_clear(&s[i].vote[d]);
        free(s[i].token);
        free(s[i].vote);
    }
    free(s);
    free(file);
    free(p50);
    free(p99);
    hall_session_free(&t);
    return wrong || acked != want ? 1 : 0;
}
