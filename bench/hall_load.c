/* hall_load.c — a national hall's vote against `yishi serve`: N delegates with tokens ready, M streams of
 * each audience, a closed-loop burst and an open-loop vote; then nginx and raw SQLite as the limits. */
#define _GNU_SOURCE
#include "hall_board.h"
#include "hall_http.h"
#include "hall_setup.h"
#include "hall_votes.h"

#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

double hall_sqlite_limit(const char *dir, int rows, int batch); /* hall_sqlite.c */

typedef struct opts {
    const char *yishi, *dir, *nginx, *threads;
    int n, terminals, boards, staff, vote_conns;
    double rate, timeout;
    bool sqlite;
    /* public watchers through nginx + nchan: how many, from which first source address, the ports' base
     * (0: free ones), scripts/board-nchan and hall_watch */
    int watchers, board_ports;
    const char *watch_source, *board_script, *watch_bin;
} opts;

/* ---- the streams, read on their own thread ---- */

typedef struct watch {
    hc_loop *l;
    pthread_t thread;
    int n;
    double *t_open, *t_close;         /* per stream: when it got poll.open / poll.close, 0 before */
    _Atomic int opens, closes, open_streams, failed[HC_NFAIL];
    _Atomic long frames;
    _Atomic bool stop;
} watch;

static void on_event(void *ud, int s, long long id, const char *type, double t)
{
    watch *w = ud;
    (void)id;
    atomic_fetch_add(&w->frames, 1);
    if (strcmp(type, "poll.open") == 0 && w->t_open[s] == 0) {
        w->t_open[s] = t;
        atomic_fetch_add(&w->opens, 1);
    } else if (strcmp(type, "poll.close") == 0 && w->t_close[s] == 0) {
        w->t_close[s] = t;
        atomic_fetch_add(&w->closes, 1);
    }
}

static bool watch_tick(void *ud)
{
    watch *w = ud;
    atomic_store(&w->open_streams, hc_streams_open(w->l));
    for (int f = 0; f < HC_NFAIL; f++)
        atomic_store(&w->failed[f], hc_streams_failed(w->l, (hc_fail)f));
    return atomic_load(&w->stop);
}

static void *watch_main(void *ud)
{
    watch *w = ud;
    hc_run(w->l, INFINITY, watch_tick, w);
    return NULL;
}

static void watch_start(watch *w, const opts *o, const hall_session *s, int port)
{
    static const char pub[] = "/api/stream/public", own[] = "/api/stream";
    w->n = o->terminals + o->boards + o->staff;
    w->l = hc_new(port, o->timeout);
    w->t_open = calloc((size_t)w->n + 1, sizeof *w->t_open);
    w->t_close = calloc((size_t)w->n + 1, sizeof *w->t_close);
    for (int i = 0; i < o->terminals; i++)
        hc_stream(w->l, own, s->token[i % s->n], on_event, w);
    for (int i = 0; i < o->boards; i++)
        hc_stream(w->l, pub, NULL, on_event, w);
    for (int i = 0; i < o->staff; i++)
        hc_stream(w->l, own, s->secretariat, on_event, w);
    pthread_create(&w->thread, NULL, watch_main, w);
    double t0 = hc_now();
    int failed = 0;
    while (hc_now() - t0 < o->timeout + 1) {
        failed = 0;
        for (int f = 1; f < HC_NFAIL; f++)
            failed += atomic_load(&w->failed[f]);
        if (atomic_load(&w->open_streams) + failed >= w->n)
            break;
        usleep(20000);
    }
    printf("streams     %d of %d open after %.2f s (%d terminals, %d boards, %d staff)\n",
           atomic_load(&w->open_streams), w->n, hc_now() - t0, o->terminals, o->boards, o->staff);
    for (int f = 1; f < HC_NFAIL; f++)
        if (atomic_load(&w->failed[f]))
            printf("  ERROR     %d streams: %s%s\n", atomic_load(&w->failed[f]), hc_fail_name[f],
                   f == HC_BAD_ANSWER ? " (a status other than 200)" : "");
    if (atomic_load(&w->open_streams) + failed < w->n)
        printf("  ERROR     %d streams had no answer at all within %.0f s\n",
               w->n - atomic_load(&w->open_streams) - failed, o->timeout);
}

static void watch_reset(watch *w)
{
    memset(w->t_open, 0, sizeof *w->t_open * (size_t)w->n);
    memset(w->t_close, 0, sizeof *w->t_close * (size_t)w->n);
    atomic_store(&w->opens, 0);
    atomic_store(&w->closes, 0);
    atomic_store(&w->frames, 0);
}

static void watch_stop(watch *w)
{
    atomic_store(&w->stop, true);
    pthread_join(w->thread, NULL);
    hc_free(w->l);
    free(w->t_open);
    free(w->t_close);
}

/* Waits until every open stream has counted `what` (or `secs` pass); returns how many have. */
static int watch_wait(watch *w, _Atomic int *what, double secs)
{
    for (double t0 = hc_now(); hc_now() - t0 < secs; usleep(1000))
        if (atomic_load(what) >= atomic_load(&w->open_streams))
            break;
    return atomic_load(what);
}

/* The spread of times[s] - from over the streams that have one: p50 and max, in ms into out[2]. */
static void spread(const double *times, int n, double from, double *out)
{
    double *v = malloc(sizeof *v * (size_t)(n + 1));
    size_t k = 0;
    for (int i = 0; i < n; i++)
        if (times[i] > 0)
            v[k++] = times[i] - from;
    hc_sort(v, k);
    out[0] = k ? hc_pct(v, k, 50) * 1e3 : NAN;
    out[1] = k ? v[k - 1] * 1e3 : NAN;
    free(v);
}

/* ---- yishi ---- */

/* nginx's answer: 200 with a body the length of yishi's. */
static bool check_limit(const hc_req *r, size_t want_len)
{
    return r->status == 200 && r->resp_len == want_len;
}

/* What the watchers through nginx + nchan saw of one poll. */
typedef struct board_result {
    int watchers, got, wrong_id;
    double open_last;                       /* the last watcher's poll.open, ms after the open's 200 */
    double p50, p99, max, min;              /* poll.close, ms after the close's 200 (negative: before it) */
    double cpu, rss_mib;                    /* nginx, master and workers, over the poll */
    double watch_cpu;                       /* the watcher processes, over the poll */
} board_result;

typedef struct hall_run {
    const opts *o;
    hall_board *board;     /* NULL without watchers */
    board_result board_burst, board_open_loop;
    hall_proc nginx0;
    double watch_cpu0;
    hall_session *s;
    hall_server *srv;
    watch *w;
    hc_loop *l;
    int chair;             /* the chair's connection */
    char (*bodies)[32];
    char paths[64];
    result burst, open_loop;
    double close_burst[2], close_open[2], open_ms[2];  /* p50 and last stream, ms */
    size_t answer_len;     /* a vote's answer, for nginx's body */
} hall_run;

/* ms after `from` of the watchers' poll.close (or poll.open) that are set: p50, p99, first and last into
 * out[4]; returns how many. */
static int spread4(const hall_board_seen *seen, int n, bool close, double from, double *out)
{
    double *v = malloc(sizeof *v * (size_t)(n + 1));
    size_t k = 0;
    for (int i = 0; i < n; i++) {
        double t = close ? seen[i].t_close : seen[i].t_open;
        if (t > 0)
            v[k++] = (t - from) * 1e3;
    }
    hc_sort(v, k);
    out[0] = hc_pct(v, k, 50);
    out[1] = hc_pct(v, k, 99);
    out[2] = k ? v[0] : NAN;
    out[3] = k ? v[k - 1] : NAN;
    free(v);
    return (int)k;
}

static hall_board_seen *board_seen(hall_board *b)
{
    hall_board_seen *seen = calloc((size_t)b->n, sizeof *seen);
    if (!seen)
        hall_die("out of memory");
    hall_board_times(b, seen);
    return seen;
}

static double watchers_cpu(const hall_board *b)
{
    double cpu = 0;
    for (int k = 0; k < b->procs; k++) {
        hall_proc p = {0};
        hall_proc_read(b->w[k].pid, &p);
        cpu += p.cpu;
    }
    return cpu;
}

static void board_before(hall_run *h)
{
    if (!h->board)
        return;
    hall_board_arm(h->board);
    hall_proc_read(h->board->nginx, &h->nginx0);
    h->watch_cpu0 = watchers_cpu(h->board);
}

/* The watchers after the open's 200 at t_ack: waits for poll.open on all of them. */
static void board_opened(hall_run *h, double t_ack, board_result *br)
{
    hall_board_counts st;
    if (!h->board)
        return;
    hall_board_wait(h->board, 'o', h->o->timeout, &st);
    double q[4];
    hall_board_seen *seen = board_seen(h->board);
    int have = spread4(seen, h->board->n, false, t_ack, q);
    br->open_last = q[3];
    printf("poll.open   on %d of %d watchers through nginx: p50 %.1f  p99 %.1f  last %.1f ms after the 200\n", have,
           st.open, q[0], q[1], q[3]);
    free(seen);
}

/* The watchers after the close's 200 at t_ack (its event's seq): every open one should get that poll.close. */
static void board_closed(hall_run *h, double t_ack, long long seq, board_result *br)
{
    hall_board_counts st;
    hall_proc p = {0};
    if (!h->board)
        return;
    hall_board_wait(h->board, 'c', 60, &st);
    hall_proc_read(h->board->nginx, &p);
    int n = h->board->n;
    double q[4];
    hall_board_seen *seen = board_seen(h->board);
    for (int i = 0; i < n; i++)
        if (seen[i].t_close > 0 && seen[i].id_close != seq) {
            br->wrong_id++;
            seen[i].t_close = 0;
        }
    br->got = spread4(seen, n, true, t_ack, q);
    br->watchers = n;
    br->p50 = q[0], br->p99 = q[1], br->min = q[2], br->max = q[3];
    br->cpu = p.cpu - h->nginx0.cpu;
    br->watch_cpu = watchers_cpu(h->board) - h->watch_cpu0;
    br->rss_mib = p.rss_kib / 1024.0;
    printf("board       poll.close (id %lld) on %d of %d watchers (%d open): p50 %.1f  p99 %.1f  max %.1f ms after the "
           "200 (first %.1f)\n", seq, br->got, n, st.open, br->p50, br->p99, br->max, br->min);
    printf("            nginx + nchan: %.2f CPU s over the poll, RSS %.0f MiB (master and %d workers summed, their shared "
           "memory counted in each); %ld frames on the watchers during the poll (%.1f µs of nginx's CPU each), "
           "the watchers' processes %.2f CPU s\n", br->cpu, br->rss_mib, h->board->workers, st.frames,
           st.frames ? br->cpu / (double)st.frames * 1e6 : 0.0, br->watch_cpu);
    if (br->wrong_id)
        printf("  ERROR     %d watchers got a poll.close with another id\n", br->wrong_id);
    if (br->got < n)
        printf("  ERROR     %d watchers did not get the result within 60 s (%d dropped, %d never opened)\n",
               n - br->got, st.dropped, st.failed);
    free(seen);
}

/* One poll: create, open (timed to every stream), N votes, close (timed to every stream). */
static void one_poll(hall_run *h, const char *what, double rate, result *res, double *close_ms, board_result *br)
{
    char path[64], title[64];
    snprintf(title, sizeof title, "{\"title\":\"%s\"}", what);
    board_before(h);
    double t = hc_now();
    hc_req c = chair_call(h->l, h->chair, "/api/polls", h->s->chair, title, 201);
    long long poll = hc_json_int(c.resp, "id");
    printf("poll.create answered in %.2f ms (one command committed alone, its sync included)\n", (c.done - t) * 1e3);
    hc_req_clear(&c);
    watch_reset(h->w);
    snprintf(path, sizeof path, "/api/polls/%lld/open", poll);
    t = hc_now();
    c = chair_call(h->l, h->chair, path, h->s->chair, NULL, 200);
    double t_ack = c.done;
    hc_req_clear(&c);
    int have = watch_wait(h->w, &h->w->opens, h->o->timeout);
    spread(h->w->t_open, h->w->n, t, h->open_ms);
    printf("poll.open   on %d streams: p50 %.1f ms, last %.1f ms after the POST\n", have, h->open_ms[0], h->open_ms[1]);
    board_opened(h, t_ack, br);
    hc_req *rs = calloc((size_t)h->s->n, sizeof *rs);
    snprintf(h->paths, sizeof h->paths, "/api/polls/%lld/votes", poll);
    for (int i = 0; i < h->s->n; i++)
        rs[i] = (hc_req){.method = "POST", .path = h->paths, .token = h->s->token[i], .body = "{\"choice\":\"yes\"}"};
    if (h->board) /* its waits can leave the vote connections idle past the server's idle timeout (60 s) */
        warm(h->l, h->o->vote_conns, "/api/health", h->o->timeout, atomic_load(&h->w->open_streams));
    long frames0 = atomic_load(&h->w->frames);
    votes(h->l, h->o->vote_conns, rs, h->s->n, rate, h->srv->pid, check_receipt, 0, h->o->timeout, res);
    print_result(what, res);
    size_t len = 0;
    for (int i = 0; i < h->s->n; i++) {
        len = rs[i].resp_len > len && res->acked ? rs[i].resp_len : len;
        hc_req_clear(&rs[i]);
    }
    h->answer_len = len ? len : h->answer_len;
    free(rs);
    snprintf(path, sizeof path, "/api/polls/%lld/close", poll);
    t = hc_now();
    c = chair_call(h->l, h->chair, path, h->s->chair, NULL, 200);
    double answered = c.done - t;
    long long yes = hc_json_int(c.resp, "yes"), seq = hc_json_int(c.resp, "seq");
    t_ack = c.done;
    hc_req_clear(&c);
    have = watch_wait(h->w, &h->w->closes, 60);
    spread(h->w->t_close, h->w->n, t, close_ms);
    printf("poll.close  answered in %.1f ms; result on %d of %d streams: p50 %.1f ms, last %.1f ms after the POST\n",
           answered * 1e3, have, atomic_load(&h->w->open_streams), close_ms[0], close_ms[1]);
    printf("            %ld frames on the streams during the vote (%.0f per stream)\n",
           atomic_load(&h->w->frames) - frames0, (double)(atomic_load(&h->w->frames) - frames0) / (h->w->n ? h->w->n : 1));
    board_closed(h, t_ack, seq, br);
    if (yes < res->acked)
        printf("  ERROR     the close counts %lld yes, but %d votes were acknowledged\n", yes, res->acked);
    else if (yes > res->acked)
        printf("  note      the close counts %lld yes: %lld votes the server took without their voter hearing back\n",
               yes, yes - res->acked);
}

static hall_board *board_running; /* stopped at exit, hall_die's too */

static void board_atexit(void)
{
    if (board_running)
        hall_board_stop(board_running);
}

/* yishi serve on the session, publishing to nginx + nchan when there are watchers; says how long the open
 * (the replay of the file) took. */
static void serve(hall_run *h)
{
    const char *extra[12] = {NULL};
    char per_address[16];
    int k = 0;
    /* every connection of this generator comes from 127.0.0.1, as a hall's terminals behind one gateway */
    snprintf(per_address, sizeof per_address, "%d",
             h->o->terminals + h->o->boards + h->o->staff + h->o->vote_conns + 64);
    extra[k++] = "--max-per-address";
    extra[k++] = per_address;
    if (h->o->threads) {
        extra[k++] = "--threads";
        extra[k++] = h->o->threads;
    }
    if (h->board) {
        hall_board_ports(h->board, h->o->board_ports);
        extra[k++] = "--nchan-publish";
        extra[k++] = h->board->publish_url;
        extra[k++] = "--nchan-resume-port";
        extra[k++] = h->board->resume_port;
    }
    double t0 = hc_now();
    if (!hall_serve(h->srv, h->s, 0, extra))
        hall_die("yishi serve did not start (see %s)", h->srv->err);
    printf("open        yishi serve listening %.2f s after its start (the file replayed into memory)\n", hc_now() - t0);
    if (!h->board)
        return;
    board_running = h->board;
    atexit(board_atexit);
    if (!hall_board_start(h->board, h->o->board_script, h->o->dir, h->srv->port, h->o->watchers, 60))
        hall_die("nginx + nchan did not start, or yishi's first frame never reached it (see %s/board.out)", h->o->dir);
    printf("board       nginx + nchan on 127.0.0.1:%d, %d workers of %d connections each; yishi publishing to it\n",
           h->board->port, h->board->workers, h->board->connections);
}

static void run_yishi(hall_run *h)
{
    serve(h);
    hall_login_all(h->s, h->srv->port, 64);
    watch w = {0};
    h->w = &w;
    watch_start(&w, h->o, h->s, h->srv->port);
    if (h->board)
        /* yishi's heartbeat is 15 s, and nchan sends a watcher its headers with the first frame */
        hall_board_watch(h->board, h->o->watch_bin, h->o->watchers, h->o->watch_source, h->o->timeout + 20, 25);
    hall_proc p = {0};
    hall_proc_read(h->srv->pid, &p);
    printf("server      RSS %.0f MiB with %d delegates logged in and every stream open, before any vote\n",
           p.rss_kib / 1024.0, h->s->n);
    h->l = hc_new(h->srv->port, h->o->timeout);
    for (int i = 0; i <= h->o->vote_conns; i++)
        hc_conn(h->l);
    h->chair = h->o->vote_conns;
    warm(h->l, h->o->vote_conns, "/api/health", h->o->timeout, atomic_load(&w.open_streams));
    printf("-- closed loop: all %d delegates vote at once on %d connections\n", h->s->n, h->o->vote_conns);
    one_poll(h, "burst", 0, &h->burst, h->close_burst, &h->board_burst);
    printf("-- open loop: %d votes at %.0f/s, latency from each vote's scheduled time\n", h->s->n, h->o->rate);
    one_poll(h, "open loop", h->o->rate, &h->open_loop, h->close_open, &h->board_open_loop);
    hc_free(h->l);
    watch_stop(&w);
    if (h->board) {
        hall_board_stop(h->board);
        hall_sh("n=$(grep -c 'nchan at .* does not take' '%s'); [ \"$n\" -eq 0 ] || "
                "echo \"  note      yishi's publisher found nchan not taking its frames $n times, and retried\"",
                h->srv->err);
    }
    int st = hall_stop(h->srv, SIGTERM);
    if (st != 0)
        printf("  ERROR     yishi serve exited with %d on SIGTERM\n", st);
    struct stat sb = {0};
    stat(h->s->file, &sb);
    double t0 = hc_now();
    if (!hall_sh("'%s' verify -f '%s' >/dev/null", h->s->yishi, h->s->file))
        printf("  ERROR     yishi verify fails on the file\n");
    else
        printf("verify      yishi verify passed in %.2f s (a file of %.1f MiB)\n", hc_now() - t0,
               (double)sb.st_size / 1048576);
}

/* ---- nginx, the limit of HTTP on this machine ---- */

static pid_t start_nginx(const opts *o, int port, size_t body_len)
{
    char conf[400], body[4096];
    snprintf(conf, sizeof conf, "%s/nginx.conf", o->dir);
    size_t k = body_len < sizeof body - 1 ? body_len : sizeof body - 1;
    memset(body, 'x', k);
    body[k] = '\0';
    FILE *f = fopen(conf, "w");
    if (!f)
        hall_die("cannot write %s", conf);
    fprintf(f,
            "worker_processes auto; daemon off; pid %s/nginx.pid; error_log %s/nginx.err;\n"
            "worker_rlimit_nofile 40000;\nevents { worker_connections 20000; }\n"
            "http { access_log off; keepalive_requests 10000000; keepalive_timeout 300s;\n"
            "  client_body_temp_path %s/nginx-body; proxy_temp_path %s/nginx-proxy;\n"
            "  fastcgi_temp_path %s/nginx-fcgi; uwsgi_temp_path %s/nginx-uwsgi; scgi_temp_path %s/nginx-scgi;\n"
            "  server { listen 127.0.0.1:%d; location / { default_type application/json; return 200 '%s'; } } }\n",
            o->dir, o->dir, o->dir, o->dir, o->dir, o->dir, o->dir, port, body);
    fclose(f);
    pid_t pid = fork();
    if (pid == 0) {
        execl(o->nginx, o->nginx, "-p", o->dir, "-c", conf, "-e", "stderr", (char *)NULL);
        _exit(127);
    }
    hc_loop *l = hc_new(port, 1);
    for (double t0 = hc_now(); hc_now() - t0 < 10; usleep(20000)) {
        hc_req r = {.method = "GET", .path = "/"};
        hc_submit(l, hc_conn(l), &r);
        hc_run(l, hc_now() + 1, NULL, NULL);
        hc_req_clear(&r);
        if (r.status == 200) {
            hc_free(l);
            return pid;
        }
    }
    hc_free(l);
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    return 0;
}

static void run_nginx(const hall_run *h, result *burst, result *open_loop)
{
    int port = hall_free_port();
    pid_t pid = start_nginx(h->o, port, h->answer_len);
    if (!pid) {
        printf("nginx       did not start (%s); no limit measured\n", h->o->nginx);
        return;
    }
    hc_loop *l = hc_new(port, h->o->timeout);
    for (int i = 0; i < h->o->vote_conns; i++)
        hc_conn(l);
    warm(l, h->o->vote_conns, "/", h->o->timeout, 0);
    hc_req *rs = calloc((size_t)h->s->n, sizeof *rs);
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < h->s->n; i++)
            rs[i] = (hc_req){.method = "POST", .path = h->paths, .token = h->s->token[i], .body = "{\"choice\":\"yes\"}"};
        result *r = pass ? open_loop : burst;
        votes(l, h->o->vote_conns, rs, h->s->n, pass ? h->o->rate : 0, pid, check_limit, h->answer_len, h->o->timeout, r);
        print_result(pass ? "nginx open" : "nginx burst", r);
        for (int i = 0; i < h->s->n; i++)
            hc_req_clear(&rs[i]);
    }
    free(rs);
    hc_free(l);
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
}

/* ---- the report ---- */

static int board_errors(const board_result *r)
{
    return r->watchers - r->got + r->wrong_id;
}

static void summary(const hall_run *h, const result *nb, const result *no, const double *sq)
{
    const result *b = &h->burst, *ol = &h->open_loop;
    printf("\n== summary: %d delegates, %d terminal streams, %d boards, %d staff streams, %d vote connections\n",
           h->s->n, h->o->terminals, h->o->boards, h->o->staff, h->o->vote_conns);
    printf("yishi burst        %8.0f ballots/s   p50 %7.1f  p99 %7.1f  p99.9 %7.1f  max %7.1f ms   errors %d\n",
           b->rate, b->p50, b->p99, b->p999, b->max, errors(b));
    printf("yishi open loop    %8.0f ballots/s   p50 %7.1f  p99 %7.1f  p99.9 %7.1f  max %7.1f ms   errors %d\n",
           ol->rate, ol->p50, ol->p99, ol->p999, ol->max, errors(ol));
    printf("result on the last stream after the close: burst %.1f ms, open loop %.1f ms\n", h->close_burst[1],
           h->close_open[1]);
    if (nb->n) {
        printf("nginx burst        %8.0f req/s       p50 %7.1f  p99 %7.1f  p99.9 %7.1f  max %7.1f ms   errors %d\n",
               nb->rate, nb->p50, nb->p99, nb->p999, nb->max, errors(nb));
        printf("nginx open loop    %8.0f req/s       p50 %7.1f  p99 %7.1f  p99.9 %7.1f  max %7.1f ms   errors %d\n",
               no->rate, no->p50, no->p99, no->p999, no->max, errors(no));
        printf("ratio burst rate yishi/nginx %.3f; open-loop p99 yishi/nginx %.1f×\n", b->rate / nb->rate,
               ol->p99 / no->p99);
    }
    for (int k = 0; h->board && k < 2; k++) {
        const board_result *r = k ? &h->board_open_loop : &h->board_burst;
        printf("board %-9s  result on %d of %d watchers   p50 %7.1f  p99 %7.1f  max %7.1f ms after the close's 200; "
               "errors %d (poll.open on the last after %.1f ms)\n", k ? "open loop" : "burst", r->got, r->watchers, r->p50,
               r->p99, r->max, board_errors(r), r->open_last);
    }
    if (sq[1] > 0)
        printf("sqlite %.0f rows/s one sync each, %.0f/s in batches of 64, %.0f/s in batches of 1024; "
               "yishi burst/sqlite(64) %.3f\n", sq[0], sq[1], sq[2], b->rate / sq[1]);
}

static void usage(void)
{
    fprintf(stderr, "usage: hall_load --yishi PATH --dir DIR [--delegates N] [--terminals M] [--boards B] [--staff S]\n"
                    "       [--vote-conns K] [--rate VOTES_PER_S] [--timeout S] [--threads N] [--nginx PATH] [--no-sqlite]\n"
                    "       [--watchers W --board-nchan scripts/board-nchan --watch-bin hall_watch [--watch-source 127.0.0.2]\n"
                    "        [--board-ports BASE]]\n");
    exit(2);
}

static void parse_opts(opts *o, int argc, char **argv)
{
    *o = (opts){.n = 3000, .terminals = 3000, .boards = 10, .staff = 5, .vote_conns = 0, .rate = 300, .timeout = 30,
                .sqlite = true, .watch_source = "127.0.0.2"};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--no-sqlite") == 0) {
            o->sqlite = false;
            continue;
        }
        if (!v)
            usage();
        i++;
        if (strcmp(a, "--yishi") == 0) o->yishi = v;
        else if (strcmp(a, "--dir") == 0) o->dir = v;
        else if (strcmp(a, "--nginx") == 0) o->nginx = v;
        else if (strcmp(a, "--threads") == 0) o->threads = v;
        else if (strcmp(a, "--delegates") == 0) o->n = atoi(v);
        else if (strcmp(a, "--terminals") == 0) o->terminals = atoi(v);
        else if (strcmp(a, "--boards") == 0) o->boards = atoi(v);
        else if (strcmp(a, "--staff") == 0) o->staff = atoi(v);
        else if (strcmp(a, "--vote-conns") == 0) o->vote_conns = atoi(v);
        else if (strcmp(a, "--rate") == 0) o->rate = atof(v);
        else if (strcmp(a, "--timeout") == 0) o->timeout = atof(v);
        else if (strcmp(a, "--watchers") == 0) o->watchers = atoi(v);
        else if (strcmp(a, "--watch-source") == 0) o->watch_source = v;
        else if (strcmp(a, "--board-ports") == 0) o->board_ports = atoi(v);
        else if (strcmp(a, "--board-nchan") == 0) o->board_script = v;
        else if (strcmp(a, "--watch-bin") == 0) o->watch_bin = v;
        else usage();
    }
    if (!o->yishi || !o->dir || o->n < 1 || o->rate <= 0 || o->watchers < 0)
        usage();
    if (o->watchers && (!o->board_script || !o->watch_bin))
        hall_die("--watchers needs --board-nchan (scripts/board-nchan) and --watch-bin (hall_watch)");
    if (o->vote_conns <= 0 || o->vote_conns > o->n)
        o->vote_conns = o->n;
}

int main(int argc, char **argv)
{
    opts o;
    hall_session s;
    hall_server srv = {0};
    result nb = {0}, no = {0};
    double sq[3] = {0};
    parse_opts(&o, argc, argv);
    signal(SIGPIPE, SIG_IGN);
    setvbuf(stdout, NULL, _IOLBF, 0);
    /* the cheapest argon2id for the thousands of PINs set up before the clock; votes do not hash */
    setenv("YISHI_TEST_WEAK_PWHASH", "1", 0);
    long files = hc_raise_nofile(), need = (long)o.terminals + o.boards + o.staff + o.vote_conns + 100;
    if (need > files)
        hall_die("%ld connections need %ld open files, the limit here is %ld (ulimit -Hn)", need - 100, need, files);
    printf("hall_load: %d delegates, %d + %d + %d streams, %d vote connections, open loop at %.0f/s; %ld files allowed\n",
           o.n, o.terminals, o.boards, o.staff, o.vote_conns, o.rate, files);
    if (o.watchers)
        printf("           %d public watchers through nginx + nchan, in processes of at most %d\n", o.watchers,
               HALL_WATCH_PER_PROC);
    double t0 = hc_now();
    hall_session_make(&s, o.yishi, o.dir, o.n);
    printf("session     %d delegates made with the yishi command line in %.1f s\n", o.n, hc_now() - t0);
    hall_board board = {0};
    hall_run h = {.o = &o, .s = &s, .srv = &srv, .answer_len = 200, .board = o.watchers ? &board : NULL};
    printf("== yishi serve\n");
    run_yishi(&h);
    if (o.nginx) {
        printf("== nginx return 200 with a body of %zu bytes (a vote's answer), the same load without streams\n",
               h.answer_len);
        run_nginx(&h, &nb, &no);
    }
    if (o.sqlite) {
        printf("== SQLite alone: the rows of a vote (event, sealed ballot, projection), WAL, one sync per batch\n");
        sq[0] = hall_sqlite_limit(o.dir, o.n < 1000 ? o.n : 1000, 1);
        sq[1] = hall_sqlite_limit(o.dir, o.n, 64);
        sq[2] = hall_sqlite_limit(o.dir, o.n, 1024);
    }
    summary(&h, &nb, &no, sq);
    hall_session_free(&s);
    int errs = errors(&h.burst) + errors(&h.open_loop) + board_errors(&h.board_burst) + board_errors(&h.board_open_loop);
    return errs ? 1 : 0;
}
