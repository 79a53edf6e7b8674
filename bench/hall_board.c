/* hall_board.c — nginx + nchan (scripts/board-nchan) in front of the benchmark's yishi serve, and the watcher
 * processes (hall_watch) on pipes: started, asked for their counts and times, and stopped. */
#define _GNU_SOURCE
#include "hall_board.h"

#include "hall_http.h"
#include "hall_setup.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

void hall_board_ports(hall_board *b, int base)
{
    b->port = base ? base : hall_free_port();
    b->pub = base ? base + 1 : hall_free_port();
    b->resume = base ? base + 2 : hall_free_port();
    snprintf(b->publish_url, sizeof b->publish_url, "http://127.0.0.1:%d/board/pub", b->pub);
    snprintf(b->resume_port, sizeof b->resume_port, "%d", b->resume);
}

/* nchan answers GET on the publisher location with the channel's last message: 200 once yishi's
 * publisher has sent one (a heartbeat at the latest). */
static bool nchan_has_frame(int port)
{
    hc_loop *l = hc_new(port, 2);
    hc_req r = {.method = "GET", .path = "/board/pub"};
    hc_submit(l, hc_conn(l), &r);
    hc_run(l, hc_now() + 3, NULL, NULL);
    bool ok = r.fail == HC_OK && r.status == 200;
    hc_req_clear(&r);
    hc_free(l);
    return ok;
}

bool hall_board_start(hall_board *b, const char *script, const char *dir, int yishi_port, int n, double secs)
{
    char listen[32], yishi[32], pub[8], workers[8], conns[8], out[400];
    /* one worker holds at most 20,000 files: 15,000 watchers each on average leave room for reuseport's
     * uneven spread; never fewer than the cores */
    b->workers = n / 15000 + 2;
    b->connections = 19000;
    snprintf(b->prefix, sizeof b->prefix, "%s/board", dir);
    snprintf(listen, sizeof listen, "127.0.0.1:%d", b->port);
    snprintf(yishi, sizeof yishi, "127.0.0.1:%d", yishi_port);
    snprintf(pub, sizeof pub, "%d", b->pub);
    snprintf(workers, sizeof workers, "%d", b->workers);
    snprintf(conns, sizeof conns, "%d", b->connections);
    snprintf(out, sizeof out, "%s/board.out", dir);
    b->nginx = fork();
    if (b->nginx < 0)
        return false;
    if (b->nginx == 0) {
        int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(fd, 1);
        dup2(fd, 2);
        execl("/bin/sh", "sh", script, "--listen", listen, "--yishi", yishi, "--publish-port", pub, "--resume-port",
              b->resume_port, "--prefix", b->prefix, "--workers", workers, "--connections", conns, (char *)NULL);
        _exit(127);
    }
    for (double t0 = hc_now(); hc_now() - t0 < secs; usleep(500000)) { /* the first frame is a heartbeat: 15 s */
        if (nchan_has_frame(b->pub))
            return true;
        if (waitpid(b->nginx, NULL, WNOHANG) == b->nginx) {
            b->nginx = 0;
            break;
        }
    }
    hall_sh("tail -n 5 '%s' '%s/logs/error.log' >&2", out, b->prefix);
    return false;
}

/* 127.0.0.x + k */
static void source_k(char *out, size_t cap, const char *first, int k)
{
    struct in_addr a;
    if (inet_pton(AF_INET, first, &a) != 1)
        hall_die("--watch-source %s is not an IPv4 address", first);
    a.s_addr = htonl(ntohl(a.s_addr) + (uint32_t)k);
    inet_ntop(AF_INET, &a, out, (socklen_t)cap);
}

static void spawn(hall_board *b, hall_watcher *w, const char *bin, double timeout)
{
    int in[2], out[2];
    char port[8], n[16], to[16];
    snprintf(port, sizeof port, "%d", b->port);
    snprintf(n, sizeof n, "%d", w->n);
    snprintf(to, sizeof to, "%.0f", timeout);
    if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0 || (w->pid = fork()) < 0)
        hall_die("cannot start %s: %s", bin, strerror(errno));
    if (w->pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        execl(bin, bin, "--port", port, "--watchers", n, "--source", w->source, "--timeout", to, (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    w->to = fdopen(in[1], "w");
    w->from = fdopen(out[0], "r");
    setvbuf(w->to, NULL, _IOLBF, 0);
}

static void ask(hall_board *b, const char *cmd)
{
    for (int k = 0; k < b->procs; k++)
        if (fprintf(b->w[k].to, "%s\n", cmd) < 0)
            hall_die("watcher process %d (pid %d) is gone", k, (int)b->w[k].pid);
}

static void answer(hall_watcher *w, char *line, size_t cap, const char *want)
{
    if (!fgets(line, (int)cap, w->from) || strncmp(line, want, strlen(want)) != 0)
        hall_die("watcher process %d did not answer '%s' (%s)", (int)w->pid, want, line);
}

void hall_board_status(hall_board *b, hall_board_counts *st)
{
    char line[256];
    memset(st, 0, sizeof *st);
    ask(b, "status");
    for (int k = 0; k < b->procs; k++) {
        hall_board_counts one = {0};
        answer(&b->w[k], line, sizeof line, "status ");
        sscanf(line + 7, "%d %d %d %ld %d %d", &one.open, &one.failed, &one.dropped, &one.frames, &one.opens,
               &one.closes);
        st->open += one.open;
        st->failed += one.failed;
        st->dropped += one.dropped;
        st->frames += one.frames;
        st->opens += one.opens;
        st->closes += one.closes;
    }
}

void hall_board_watch(hall_board *b, const char *bin, int n, const char *first, double timeout, double stall)
{
    b->n = n;
    b->procs = (n + HALL_WATCH_PER_PROC - 1) / HALL_WATCH_PER_PROC;
    b->w = calloc((size_t)b->procs, sizeof *b->w);
    if (!b->w)
        hall_die("out of memory");
    double t0 = hc_now();
    for (int k = 0; k < b->procs; k++) {
        b->w[k].n = n / b->procs + (k < n % b->procs);
        source_k(b->w[k].source, sizeof b->w[k].source, first, k);
        spawn(b, &b->w[k], bin, timeout);
    }
    /* nchan sends a watcher its headers with the first frame after it subscribed (a heartbeat at the
     * latest): wait while they keep coming, up to a heartbeat and a half after the last one came */
    hall_board_counts st;
    int last = -1;
    double since = hc_now();
    do {
        usleep(200000);
        hall_board_status(b, &st);
        if (st.open + st.failed + st.dropped != last)
            last = st.open + st.failed + st.dropped, since = hc_now();
    } while (last < n && hc_now() - since < stall);
    printf("watchers    %d of %d open on nginx + nchan after %.1f s (%d processes from %s on, %d nginx workers)\n",
           st.open, n, hc_now() - t0, b->procs, first, b->workers);
    if (st.failed)
        printf("  ERROR     %d watchers failed before their headers (refused, closed, timed out or not 200)\n", st.failed);
    if (st.dropped)
        printf("  ERROR     %d watchers were open and then ended\n", st.dropped);
    if (last < n)
        printf("  ERROR     %d watchers had no headers, and none came for %.0f s\n", n - last, stall);
}

void hall_board_arm(hall_board *b)
{
    char line[64];
    ask(b, "arm");
    for (int k = 0; k < b->procs; k++)
        answer(&b->w[k], line, sizeof line, "armed");
}

void hall_board_wait(hall_board *b, char what, double secs, hall_board_counts *st)
{
    double t0 = hc_now();
    for (;;) {
        hall_board_status(b, st);
        int have = what == 'o' ? st->opens : st->closes;
        if (have >= st->open || hc_now() - t0 > secs)
            return;
        usleep(20000);
    }
}

int hall_board_times(hall_board *b, hall_board_seen *out)
{
    char line[256];
    int i = 0;
    ask(b, "times");
    for (int k = 0; k < b->procs; k++) {
        answer(&b->w[k], line, sizeof line, "times ");
        int m = atoi(line + 6);
        for (int j = 0; j < m; j++, i++) {
            if (!fgets(line, sizeof line, b->w[k].from) ||
                sscanf(line, "%lf %lld %lf %lld", &out[i].t_open, &out[i].id_open, &out[i].t_close,
                       &out[i].id_close) != 4)
                hall_die("watcher process %d: a bad line of times", (int)b->w[k].pid);
        }
    }
    return i;
}

void hall_board_stop(hall_board *b)
{
    for (int k = 0; k < b->procs; k++) {
        fprintf(b->w[k].to, "quit\n");
        fclose(b->w[k].to);
        fclose(b->w[k].from);
        waitpid(b->w[k].pid, NULL, 0);
    }
    free(b->w);
    b->w = NULL;
    b->procs = 0;
    if (b->nginx > 0) {
        hall_sh("f='%s/logs/error.log'; [ -s \"$f\" ] && { echo \"  note      nginx's error log has $(wc -l <\"$f\") "
                "lines, $(grep -c 'exited on signal' \"$f\") of them a worker that ended on a signal; the last:\"; "
                "tail -n 3 \"$f\" | cut -c1-300; }; true", b->prefix);
        kill(b->nginx, SIGTERM);
        waitpid(b->nginx, NULL, 0);
        b->nginx = 0;
    }
}
