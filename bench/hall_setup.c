/* hall_setup.c — a hall-sized session made through the yishi command line (init, import, meeting open,
 * checkin --all, user add, cards), the server's life, logins over the epoll client, and /proc readings. */
#define _GNU_SOURCE
#include "hall_setup.h"

#include "hall_http.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static hall_server *running; /* the server last started, ended by hall_die */

/* A server that stopped answering: its threads' stacks (if gdb is here) and the end of its stderr. */
static void post_mortem(const hall_server *srv)
{
    fprintf(stderr, "hall: the server (pid %d) as it was:\n", (int)srv->pid);
    hall_sh("command -v gdb >/dev/null && gdb -batch -p %d -ex 'thread apply all bt' 2>/dev/null | grep -E '^(Thread|#)' >&2",
            (int)srv->pid);
    hall_sh("tail -n 20 '%s' >&2", srv->err);
}

void hall_die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "hall: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    if (running && running->pid > 0) {
        post_mortem(running);
        kill(running->pid, SIGKILL);
        waitpid(running->pid, NULL, 0);
    }
    exit(1);
}

bool hall_sh(const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    return system(cmd) == 0;
}

static void write_delegates(const char *path, int n)
{
    FILE *f = fopen(path, "w");
    if (!f)
        hall_die("cannot write %s", path);
    fprintf(f, "code,name,gender,ethnicity,delegation\n");
    for (int i = 1; i <= n; i++)
        fprintf(f, "D%06d,代表%d,%s,汉族,代表团%d\n", i, i, i % 3 ? "男" : "女", i % 35 + 1);
    fclose(f);
}

/* `yishi cards` prints CODE, name, delegation and the card, tab-separated, in the order of the import. */
static void read_cards(hall_session *s, const char *path)
{
    char line[512];
    int k = 0;
    FILE *f = fopen(path, "r");
    if (!f)
        hall_die("cannot read %s", path);
    while (k < s->n && fgets(line, sizeof line, f)) {
        char *card = strrchr(line, '\t');
        if (!card)
            continue;
        card[strcspn(card, "\r\n")] = '\0';
        snprintf(s->card[k++], sizeof s->card[0], "%s", card + 1);
    }
    fclose(f);
    if (k != s->n)
        hall_die("yishi cards gave %d cards for %d delegates", k, s->n);
}

void hall_session_make(hall_session *s, const char *yishi, const char *dir, int n)
{
    hall_session_make_rules(s, yishi, dir, n, "prc-npc");
}

void hall_session_make_rules(hall_session *s, const char *yishi, const char *dir, int n, const char *rules)
{
    const char *y = yishi;
    const char *f = s->file;
    memset(s, 0, sizeof *s);
    s->yishi = yishi;
    s->n = n;
    snprintf(s->dir, sizeof s->dir, "%s", dir);
    snprintf(s->file, sizeof s->file, "%s/hall.db", dir);
    s->card = calloc((size_t)n, sizeof *s->card);
    s->token = calloc((size_t)n, sizeof *s->token);
    if (!s->card || !s->token)
        hall_die("out of memory");
    char csv[320], pw[320], cards[320];
    snprintf(csv, sizeof csv, "%s/delegates.csv", dir);
    snprintf(pw, sizeof pw, "%s/staff.pw", dir);
    snprintf(cards, sizeof cards, "%s/cards.txt", dir);
    write_delegates(csv, n);
    FILE *p = fopen(pw, "w");
    if (!p)
        hall_die("cannot write %s", pw);
    fputs(HALL_STAFF_PASSWORD, p);
    fclose(p);
    if (!hall_sh("rm -f '%s' '%s-wal' '%s-shm'", f, f, f) ||
        !hall_sh("'%s' init -f '%s' --rules %s >/dev/null", y, f, rules) ||
        !hall_sh("'%s' import delegates '%s' -f '%s' >/dev/null", y, csv, f) ||
        !hall_sh("'%s' meeting open --kind plenary --title 第一次全体会议 -f '%s' >/dev/null", y, f) ||
        !hall_sh("'%s' checkin --all -f '%s' >/dev/null", y, f) ||
        !hall_sh("'%s' user add --role chair --name chair --password-file '%s' -f '%s' >/dev/null", y, pw, f) ||
        !hall_sh("'%s' user add --role secretariat --name secretariat --password-file '%s' -f '%s' >/dev/null", y,
                 pw, f) ||
        !hall_sh("'%s' cards -f '%s' >'%s'", y, f, cards))
        hall_die("making the session with %s failed (is YISHI_RULES_DIR set?)", y);
    read_cards(s, cards);
}

void hall_session_free(hall_session *s)
{
    free(s->card);
    free(s->token);
    s->card = NULL;
    s->token = NULL;
}

/* ---- the server ---- */

int hall_listening_port(const char *out)
{
    char line[512];
    int port = 0;
    FILE *f = fopen(out, "r");
    while (f && !port && fgets(line, sizeof line, f)) {
        const char *p = strstr(line, "listening on http://127.0.0.1:");
        if (p)
            port = atoi(p + strlen("listening on http://127.0.0.1:"));
    }
    if (f)
        fclose(f);
    return port;
}

bool hall_serve(hall_server *srv, const hall_session *s, int port, const char *const *extra)
{
    char listen[64];
    const char *argv[40] = {s->yishi, "serve", "-f", s->file, "--listen", listen};
    int n = 6;
    snprintf(listen, sizeof listen, "127.0.0.1:%d", port);
    for (int i = 0; extra && extra[i] && n < 38; i++)
        argv[n++] = extra[i];
    snprintf(srv->out, sizeof srv->out, "%s/serve.out", s->dir);
    snprintf(srv->err, sizeof srv->err, "%s/serve.err", s->dir);
    unlink(srv->out); /* the last server's line must not be taken for this one's */
    srv->pid = fork();
    if (srv->pid < 0)
        return false;
    if (srv->pid == 0) {
        int o = open(srv->out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int e = open(srv->err, O_WRONLY | O_CREAT | O_APPEND, 0644);
        dup2(o, 1);
        dup2(e, 2);
        execv(s->yishi, (char *const *)argv);
        _exit(127);
    }
    for (double t0 = hc_now(); hc_now() - t0 < 60;) {
        if ((srv->port = hall_listening_port(srv->out)) > 0) {
            running = srv;
            return true;
        }
        if (waitpid(srv->pid, NULL, WNOHANG) == srv->pid) {
            srv->pid = 0;
            return false;
        }
        usleep(10000);
    }
    kill(srv->pid, SIGKILL); /* not listening after a minute: not left running */
    waitpid(srv->pid, NULL, 0);
    srv->pid = 0;
    return false;
}

int hall_stop(hall_server *srv, int sig)
{
    int status = 0;
    if (srv->pid <= 0)
        return -1;
    kill(srv->pid, sig);
    while (waitpid(srv->pid, &status, 0) < 0 && errno == EINTR)
        ;
    srv->pid = 0;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int hall_free_port(void)
{
    struct sockaddr_in a = {.sin_family = AF_INET};
    socklen_t len = sizeof a;
    int fd = socket(AF_INET, SOCK_STREAM, 0), port = 0;
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) == 0 && getsockname(fd, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    close(fd);
    return port;
}

/* ---- logins ---- */

static void login_one(hc_req *r, char *body, size_t cap, const char *card, const char *staff)
{
    if (staff)
        snprintf(body, cap, "{\"name\":\"%s\",\"password\":\"%s\"}", staff, HALL_STAFF_PASSWORD);
    else
        snprintf(body, cap, "{\"code\":\"%s\",\"pin\":\"274951\"}", card);
    *r = (hc_req){.method = "POST", .path = "/api/login", .body = body, .due = 0};
}

void hall_login_all(hall_session *s, int port, int conns)
{
    int n = s->n + 2;
    hc_req *r = calloc((size_t)n, sizeof *r);
    char(*body)[128] = calloc((size_t)n, sizeof *body);
    hc_loop *l = hc_new(port, 120);
    if (!r || !body)
        hall_die("out of memory");
    for (int c = 0; c < conns; c++)
        hc_conn(l);
    for (int i = 0; i < n; i++) {
        const char *staff = i == s->n ? "chair" : i == s->n + 1 ? "secretariat" : NULL;
        login_one(&r[i], body[i], sizeof body[i], i < s->n ? s->card[i] : NULL, staff);
        hc_submit(l, i % conns, &r[i]);
    }
    double t0 = hc_now();
    if (hc_run(l, t0 + 3600, NULL, NULL) != 0)
        hall_die("logins did not finish within an hour");
    for (int i = 0; i < n; i++) {
        char *to = i < s->n ? s->token[i] : i == s->n ? s->chair : s->secretariat;
        if (r[i].fail != HC_OK || r[i].status != 200 || !hc_json_str(r[i].resp, "token", to, 64))
            hall_die("login %d: %s, status %d: %s", i, hc_fail_name[r[i].fail], r[i].status, r[i].resp ? r[i].resp : "");
        hc_req_clear(&r[i]);
    }
    fprintf(stderr, "hall: %d logins in %.1f s (%.0f/s), tokens ready\n", n, hc_now() - t0, n / (hc_now() - t0));
    hc_free(l);
    free(r);
    free(body);
}

/* ---- /proc ---- */

static bool proc_one(pid_t pid, double *cpu, long *ppid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    size_t k = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[k] = '\0';
    char *p = strrchr(buf, ')');
    unsigned long ut = 0, st = 0;
    long pp = 0;
    /* after the name: state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime */
    if (!p || sscanf(p + 2, "%*c %ld %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &pp, &ut, &st) != 3)
        return false;
    *cpu = (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
    *ppid = pp;
    return true;
}

static long status_kib(pid_t pid, const char *key)
{
    char path[64], line[256];
    long v = 0;
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, key, strlen(key)) == 0)
            v = atol(line + strlen(key));
    if (f)
        fclose(f);
    return v;
}

bool hall_proc_read(pid_t pid, hall_proc *p)
{
    long ppid;
    if (!proc_one(pid, &p->cpu, &ppid))
        return false;
    p->rss_kib = status_kib(pid, "VmRSS:");
    p->hwm_kib = status_kib(pid, "VmHWM:");
    DIR *d = opendir("/proc");
    struct dirent *e;
    while (d && (e = readdir(d))) {
        double cpu;
        pid_t child = (pid_t)atoi(e->d_name);
        if (child > 0 && child != pid && proc_one(child, &cpu, &ppid) && ppid == pid) {
            p->cpu += cpu;
            p->rss_kib += status_kib(child, "VmRSS:");
            p->hwm_kib += status_kib(child, "VmHWM:");
        }
    }
    if (d)
        closedir(d);
    return true;
}
