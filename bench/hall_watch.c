/* hall_watch.c — one process of public board watchers for the hall benchmark: W EventSource streams to nginx +
 * nchan's /board/stream from one 127.0.0.x source address, told by hall_load over stdin what to report. */
#define _GNU_SOURCE
#include "hall_board.h"
#include "hall_http.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The commands, one a line on stdin (hall_load is the only reader of the answers, on stdout):
 *   status  → "status OPEN FAILED DROPPED FRAMES OPENS CLOSES"  (FRAMES received, and OPENS, CLOSES: streams
 *             that have had poll.open / poll.close, since the last arm)
 *   arm     → forgets the frames, poll.open and poll.close seen so far; answers "armed"
 *   times   → "times N", then N lines "T_OPEN ID_OPEN T_CLOSE ID_CLOSE", one per stream (0 0 when none):
 *             CLOCK_MONOTONIC seconds, the same clock as hall_load's, and the frame's `id:`
 *   quit, or the end of stdin → exits. */

typedef hall_board_seen seen;

typedef struct watchers {
    hc_loop *l;
    int n, opens, closes;
    long frames;
    seen *s;
    char cmd[256];
    size_t cmd_len;
    bool quit;
} watchers;

static void on_frame(void *ud, int stream, long long id, const char *type, double t)
{
    watchers *w = ud;
    seen *s = &w->s[stream];
    w->frames++;
    if (s->t_open == 0 && strcmp(type, "poll.open") == 0) {
        s->t_open = t;
        s->id_open = id;
        w->opens++;
    } else if (s->t_close == 0 && strcmp(type, "poll.close") == 0) {
        s->t_close = t;
        s->id_close = id;
        w->closes++;
    }
}

static void command(watchers *w, const char *cmd)
{
    if (strcmp(cmd, "status") == 0) {
        int failed = 0;
        for (int f = 1; f < HC_NFAIL; f++)
            failed += hc_streams_failed(w->l, (hc_fail)f);
        printf("status %d %d %d %ld %d %d\n", hc_streams_open(w->l), failed - hc_streams_dropped(w->l),
               hc_streams_dropped(w->l), w->frames, w->opens, w->closes);
    } else if (strcmp(cmd, "arm") == 0) {
        memset(w->s, 0, sizeof *w->s * (size_t)w->n);
        w->opens = w->closes = 0;
        w->frames = 0;
        printf("armed\n");
    } else if (strcmp(cmd, "times") == 0) {
        printf("times %d\n", w->n);
        for (int i = 0; i < w->n; i++)
            printf("%.6f %lld %.6f %lld\n", w->s[i].t_open, w->s[i].id_open, w->s[i].t_close, w->s[i].id_close);
    } else if (strcmp(cmd, "quit") == 0) {
        w->quit = true;
    } else {
        fprintf(stderr, "hall_watch: unknown command '%s'\n", cmd);
    }
    fflush(stdout);
}

/* Called by hc_run between its epoll waits (at least every 50 ms): reads what hall_load sent. */
static bool tick(void *ud)
{
    watchers *w = ud;
    char buf[256];
    ssize_t k;
    while ((k = read(0, buf, sizeof buf)) > 0) {
        for (ssize_t j = 0; j < k; j++) {
            if (buf[j] != '\n') {
                if (w->cmd_len < sizeof w->cmd - 1)
                    w->cmd[w->cmd_len++] = buf[j];
                continue;
            }
            w->cmd[w->cmd_len] = '\0';
            w->cmd_len = 0;
            command(w, w->cmd);
        }
    }
    if (k == 0 || (k < 0 && errno != EAGAIN && errno != EINTR))
        w->quit = true; /* hall_load is gone */
    return w->quit;
}

static void usage(void)
{
    fprintf(stderr, "usage: hall_watch --port P --watchers W [--source 127.0.0.N] [--path /board/stream]\n"
                    "       [--timeout S] [--connecting K]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    const char *source = NULL, *path = "/board/stream";
    int port = 0, n = 0, connecting = 500;
    double timeout = 60;
    for (int i = 1; i + 1 < argc; i += 2) {
        const char *a = argv[i], *v = argv[i + 1];
        if (strcmp(a, "--port") == 0) port = atoi(v);
        else if (strcmp(a, "--watchers") == 0) n = atoi(v);
        else if (strcmp(a, "--source") == 0) source = v;
        else if (strcmp(a, "--path") == 0) path = v;
        else if (strcmp(a, "--timeout") == 0) timeout = atof(v);
        else if (strcmp(a, "--connecting") == 0) connecting = atoi(v);
        else usage();
    }
    if (argc % 2 == 0 || port <= 0 || n <= 0)
        usage();
    signal(SIGPIPE, SIG_IGN);
    long files = hc_raise_nofile();
    if (n + 16 > files) {
        fprintf(stderr, "hall_watch: %d watchers need %d open files, the limit here is %ld (ulimit -Hn)\n", n, n + 16,
                files);
        return 1;
    }
    fcntl(0, F_SETFL, fcntl(0, F_GETFL) | O_NONBLOCK);
    watchers w = {.n = n, .s = calloc((size_t)n, sizeof(seen)), .l = hc_new(port, timeout)};
    if (!w.s)
        return 1;
    if (source)
        hc_set_source(w.l, source);
    hc_set_connecting_max(w.l, connecting);
    for (int i = 0; i < n; i++)
        hc_stream(w.l, path, NULL, on_frame, &w);
    hc_run(w.l, INFINITY, tick, &w);
    hc_free(w.l);
    free(w.s);
    return 0;
}
