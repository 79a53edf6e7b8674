/* hall_http.c — the benchmarks' HTTP/1.1 client on epoll: edge-triggered nonblocking sockets, one request
 * in flight per kept-alive connection, Content-Length, chunked and close-ended bodies, SSE lines per stream. */
#define _GNU_SOURCE
#include "hall_http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

const char *const hc_fail_name[HC_NFAIL] = {"answered", "connection refused", "closed by the server",
                                            "timed out", "not HTTP"};

enum { C_NONE, C_CONNECTING, C_BUSY, C_IDLE };            /* connection states */
enum { P_HEAD, P_BODY, P_CSIZE, P_CDATA, P_CCRLF, P_TRAILER }; /* parser states */
#define MAX_HEAD 65536

struct due {
    double t;
    int conn;
};

typedef struct conn {
    int fd, state, pstate;
    hc_req *head, *tail;   /* head is in flight when state is C_CONNECTING or C_BUSY */
    char *out;
    size_t out_len, out_off;
    char *in;
    size_t in_len, in_cap;
    long long remain;
    bool chunked, close_after, kicked;
    int status;
    char *body;
    size_t body_len, body_cap;
    double deadline;
    int err;               /* errno of the failure being reported */
    /* a stream: its number (-1 for a plain connection), its callback and the event being read */
    int stream;
    bool stream_open;
    hc_event_fn fn;
    void *ud;
    hc_req *sreq;          /* the stream's request, owned */
    char line[256];
    size_t line_len;
    long long ev_id;
    char ev_type[48];
} conn;

struct hc_loop {
    int ep, port;
    double timeout;
    conn *c;
    int n, cap;
    struct due *heap;      /* connections with a request queued and not started, earliest due first */
    int nheap, heap_cap;
    long pending;          /* requests queued or in flight */
    int streams, streams_open, streams_dropped, stream_fail[HC_NFAIL];
    struct in_addr source; /* 127.0.0.1 unless hc_set_source */
    bool bind_source;
    int connecting, connecting_max;
};

double hc_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

long hc_raise_nofile(void)
{
    struct rlimit r;
    if (getrlimit(RLIMIT_NOFILE, &r) != 0)
        return 1024;
    r.rlim_cur = r.rlim_max;
    setrlimit(RLIMIT_NOFILE, &r);
    getrlimit(RLIMIT_NOFILE, &r);
    return (long)r.rlim_cur;
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fprintf(stderr, "hall: out of memory\n");
        exit(1);
    }
    return q;
}

hc_loop *hc_new(int port, double timeout)
{
    hc_loop *l = xrealloc(NULL, sizeof *l);
    memset(l, 0, sizeof *l);
    l->ep = epoll_create1(EPOLL_CLOEXEC);
    l->port = port;
    l->timeout = timeout;
    return l;
}

static void conn_close(hc_loop *l, conn *c)
{
    if (c->state == C_CONNECTING)
        l->connecting--;
    if (c->fd >= 0) {
        epoll_ctl(l->ep, EPOLL_CTL_DEL, c->fd, NULL);
        close(c->fd);
    }
    c->fd = -1;
    c->state = C_NONE;
    c->in_len = 0;
    if (c->stream >= 0 && c->stream_open) {
        c->stream_open = false;
        l->streams_open--;
    }
}

void hc_set_source(hc_loop *l, const char *addr)
{
    l->bind_source = inet_pton(AF_INET, addr, &l->source) == 1;
    if (!l->bind_source) {
        fprintf(stderr, "hall: %s is not an IPv4 address\n", addr);
        exit(2);
    }
}

void hc_set_connecting_max(hc_loop *l, int k)
{
    l->connecting_max = k;
}

void hc_close_all(hc_loop *l)
{
    for (int i = 0; i < l->n; i++)
        conn_close(l, &l->c[i]);
}

void hc_free(hc_loop *l)
{
    if (!l)
        return;
    hc_close_all(l);
    for (int i = 0; i < l->n; i++) {
        free(l->c[i].out);
        free(l->c[i].in);
        free(l->c[i].body);
        free(l->c[i].sreq);
    }
    close(l->ep);
    free(l->c);
    free(l->heap);
    free(l);
}

int hc_conn(hc_loop *l)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->c = xrealloc(l->c, sizeof *l->c * (size_t)l->cap);
    }
    conn *c = &l->c[l->n];
    memset(c, 0, sizeof *c);
    c->fd = -1;
    c->stream = -1;
    return l->n++;
}

int hc_conns(const hc_loop *l)
{
    return l->n;
}

static void heap_swap(struct due *h, int a, int b)
{
    struct due t = h[a];
    h[a] = h[b];
    h[b] = t;
}

static void heap_pop(hc_loop *l)
{
    struct due *h = l->heap;
    h[0] = h[--l->nheap];
    for (int i = 0;;) {
        int m = i, a = 2 * i + 1, b = a + 1;
        if (a < l->nheap && h[a].t < h[m].t)
            m = a;
        if (b < l->nheap && h[b].t < h[m].t)
            m = b;
        if (m == i)
            break;
        heap_swap(h, i, m);
        i = m;
    }
}

/* Puts a connection whose head request is not started in the heap, once. */
static void kick(hc_loop *l, int i)
{
    if (l->c[i].kicked)
        return;
    if (l->nheap == l->heap_cap) {
        l->heap_cap = l->heap_cap ? l->heap_cap * 2 : 64;
        l->heap = xrealloc(l->heap, sizeof *l->heap * (size_t)l->heap_cap);
    }
    l->c[i].kicked = true;
    int k = l->nheap++;
    l->heap[k] = (struct due){l->c[i].head->due, i};
    for (; k > 0 && l->heap[(k - 1) / 2].t > l->heap[k].t; k = (k - 1) / 2)
        heap_swap(l->heap, k, (k - 1) / 2);
}

void hc_submit(hc_loop *l, int i, hc_req *r)
{
    conn *c = &l->c[i];
    r->next = NULL;
    r->fail = HC_PENDING;
    r->status = 0;
    if (c->tail)
        c->tail->next = r;
    else
        c->head = r;
    c->tail = r;
    l->pending++;
    if (c->state == C_NONE || c->state == C_IDLE)
        kick(l, i);
}

int hc_stream(hc_loop *l, const char *path, const char *token, hc_event_fn fn, void *ud)
{
    int i = hc_conn(l);
    conn *c = &l->c[i];
    c->stream = l->streams++;
    c->fn = fn;
    c->ud = ud;
    c->sreq = xrealloc(NULL, sizeof *c->sreq);
    *c->sreq = (hc_req){.method = "GET", .path = path, .token = token};
    hc_submit(l, i, c->sreq);
    l->pending--; /* a stream never finishes: hc_run does not wait for it */
    return c->stream;
}

int hc_streams_open(const hc_loop *l)
{
    return l->streams_open;
}

int hc_streams_failed(const hc_loop *l, hc_fail why)
{
    return l->stream_fail[why];
}

int hc_streams_dropped(const hc_loop *l)
{
    return l->streams_dropped;
}

/* ---- finishing a request ---- */

static void finish(hc_loop *l, int i, hc_fail why)
{
    conn *c = &l->c[i];
    hc_req *r = c->head;
    if (c->stream >= 0) {
        if (!c->stream_open && r)
            l->stream_fail[why == HC_OK ? HC_CLOSED : why]++;
        else
            l->stream_fail[HC_CLOSED]++;
        l->streams_dropped += c->stream_open;
        c->head = c->tail = NULL;
        conn_close(l, c);
        return;
    }
    r->fail = why;
    r->err = c->err;
    c->err = 0;
    r->done = hc_now();
    if (why == HC_OK) {
        r->status = c->status;
        r->resp = xrealloc(NULL, c->body_len + 1);
        memcpy(r->resp, c->body, c->body_len);
        r->resp[c->body_len] = '\0';
        r->resp_len = c->body_len;
    }
    c->head = r->next;
    if (!c->head)
        c->tail = NULL;
    l->pending--;
    if (why != HC_OK || c->close_after)
        conn_close(l, c);
    else
        c->state = C_IDLE;
    if (c->head)
        kick(l, i);
}

/* ---- the response parser ---- */

static void sse_line(conn *c, double t)
{
    c->line[c->line_len] = '\0';
    if (c->line_len == 0) {
        if (c->ev_id || c->ev_type[0])
            c->fn(c->ud, c->stream, c->ev_id, c->ev_type, t);
        c->ev_id = 0;
        c->ev_type[0] = '\0';
    } else if (strncmp(c->line, "id: ", 4) == 0) {
        c->ev_id = atoll(c->line + 4);
    } else if (strncmp(c->line, "event: ", 7) == 0) {
        snprintf(c->ev_type, sizeof c->ev_type, "%s", c->line + 7);
    }
    c->line_len = 0;
}

static void deliver(conn *c, const char *p, size_t n, double t)
{
    if (c->stream >= 0) {
        for (size_t k = 0; k < n; k++) {
            if (p[k] == '\n')
                sse_line(c, t);
            else if (p[k] != '\r' && c->line_len < sizeof c->line - 1)
                c->line[c->line_len++] = p[k];
        }
        return;
    }
    if (c->body_len + n + 1 > c->body_cap) {
        c->body_cap = (c->body_len + n + 1) * 2;
        c->body = xrealloc(c->body, c->body_cap);
    }
    memcpy(c->body + c->body_len, p, n);
    c->body_len += n;
}

/* The status line and the three headers that matter; returns false if it is not an HTTP/1.x answer. */
static bool parse_head(conn *c, const char *h, size_t n)
{
    if (n < 12 || strncmp(h, "HTTP/1.", 7) != 0)
        return false;
    c->status = atoi(h + 9);
    c->chunked = c->close_after = false;
    c->remain = -1;
    c->body_len = 0;
    for (const char *p = memchr(h, '\n', n); p && p < h + n; p = memchr(p, '\n', (size_t)(h + n - p))) {
        p++;
        if (strncasecmp(p, "content-length:", 15) == 0)
            c->remain = atoll(p + 15);
        else if (strncasecmp(p, "transfer-encoding:", 18) == 0 && strncasecmp(p + 18, " chunked", 8) == 0)
            c->chunked = true;
        else if (strncasecmp(p, "connection:", 11) == 0 && strncasecmp(p + 11, " close", 6) == 0)
            c->close_after = true;
    }
    if (!c->chunked && c->remain < 0)
        c->remain = (c->status == 204 || c->status == 304) ? 0 : -1;
    return c->chunked || c->remain >= 0 || c->stream >= 0; /* a stream's body may end at the close */
}

static const char *find_crlf(const char *p, size_t n)
{
    for (size_t k = 0; k + 1 < n; k++)
        if (p[k] == '\r' && p[k + 1] == '\n')
            return p + k;
    return NULL;
}

/* Parses what is buffered; returns false when the answer is bad (the caller finishes with HC_BAD_ANSWER). */
static bool parse(hc_loop *l, int i, double t)
{
    conn *c = &l->c[i];
    size_t off = 0;
    for (;;) {
        const char *p = c->in + off, *e;
        size_t avail = c->in_len - off;
        if (c->pstate == P_HEAD) {
            const char *end = avail >= 4 ? memmem(p, avail, "\r\n\r\n", 4) : NULL;
            if (!end) {
                if (avail > MAX_HEAD)
                    return false;
                break;
            }
            if (!parse_head(c, p, (size_t)(end - p)))
                return false;
            off += (size_t)(end - p) + 4;
            c->pstate = c->chunked ? P_CSIZE : P_BODY;
            if (c->stream >= 0) {
                if (c->status != 200) {
                    l->stream_fail[HC_BAD_ANSWER]++;
                    c->head = c->tail = NULL;
                    conn_close(l, c);
                    return true;
                }
                c->stream_open = true;
                l->streams_open++;
            }
        } else if (c->pstate == P_BODY && c->remain < 0) { /* until the close */
            deliver(c, p, avail, t);
            off += avail;
            break;
        } else if (c->pstate == P_BODY || c->pstate == P_CDATA) {
            size_t k = (size_t)c->remain < avail ? (size_t)c->remain : avail;
            deliver(c, p, k, t);
            off += k;
            c->remain -= (long long)k;
            if (c->remain > 0)
                break;
            if (c->pstate == P_CDATA) {
                c->pstate = P_CCRLF;
                continue;
            }
            c->pstate = P_HEAD;
            c->in_len -= off;
            memmove(c->in, c->in + off, c->in_len);
            finish(l, i, HC_OK);
            return true; /* nothing may follow: one request in flight at a time */
        } else if (c->pstate == P_CCRLF) {
            if (avail < 2)
                break;
            off += 2;
            c->pstate = P_CSIZE;
        } else { /* P_CSIZE or P_TRAILER: a line */
            if (!(e = find_crlf(p, avail)))
                break;
            off += (size_t)(e - p) + 2;
            if (c->pstate == P_TRAILER) {
                if (e == p) {
                    c->remain = 0;
                    c->pstate = P_BODY;
                }
                continue;
            }
            c->remain = strtoll(p, NULL, 16);
            c->pstate = c->remain ? P_CDATA : P_TRAILER;
        }
    }
    c->in_len -= off;
    memmove(c->in, c->in + off, c->in_len);
    return true;
}

/* ---- sockets ---- */

static void build_request(conn *c, const hc_req *r)
{
    size_t blen = r->body ? strlen(r->body) : 0;
    size_t need = strlen(r->path) + (r->token ? strlen(r->token) : 0) + blen + 256;
    c->out = xrealloc(c->out, need);
    int n = snprintf(c->out, need, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%s%s%s", r->method, r->path,
                     r->token ? "Authorization: Bearer " : "", r->token ? r->token : "", r->token ? "\r\n" : "");
    if (r->body)
        n += snprintf(c->out + n, need - (size_t)n, "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                      blen, r->body);
    else if (strcmp(r->method, "GET") != 0)
        n += snprintf(c->out + n, need - (size_t)n, "Content-Length: 0\r\n\r\n");
    else
        n += snprintf(c->out + n, need - (size_t)n, "\r\n");
    c->out_len = (size_t)n;
    c->out_off = 0;
}

static void do_read(hc_loop *l, int i);

static void do_write(hc_loop *l, int i)
{
    conn *c = &l->c[i];
    while (c->state == C_BUSY && c->out_off < c->out_len) {
        ssize_t k = send(c->fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL);
        if (k > 0)
            c->out_off += (size_t)k;
        else if (k < 0 && errno == EAGAIN)
            return;
        else if (k < 0 && errno == EINTR)
            continue;
        else {
            c->err = k < 0 ? errno : 0;
            finish(l, i, HC_CLOSED);
            return;
        }
    }
}

static void do_read(hc_loop *l, int i)
{
    conn *c = &l->c[i];
    while (c->fd >= 0) {
        if (c->in_cap - c->in_len < 16384) {
            c->in_cap = c->in_cap ? c->in_cap * 2 : 32768;
            c->in = xrealloc(c->in, c->in_cap);
        }
        ssize_t k = recv(c->fd, c->in + c->in_len, c->in_cap - c->in_len, 0);
        if (k > 0) {
            c->in_len += (size_t)k;
            if (c->state != C_BUSY) { /* bytes nobody asked for */
                c->in_len = 0;
                continue;
            }
            if (!parse(l, i, hc_now()))
                finish(l, i, HC_BAD_ANSWER);
        } else if (k < 0 && errno == EAGAIN) {
            return;
        } else if (k < 0 && errno == EINTR) {
            continue;
        } else {
            c->err = k < 0 ? errno : 0;
            if (c->state == C_BUSY || c->state == C_CONNECTING)
                finish(l, i, HC_CLOSED);
            else
                conn_close(l, c); /* an idle connection the server ended */
            return;
        }
    }
}

static bool do_connect(hc_loop *l, int i)
{
    conn *c = &l->c[i];
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)l->port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c->fd < 0) {
        fprintf(stderr, "hall: socket: %s (raise ulimit -n)\n", strerror(errno));
        return false;
    }
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (l->bind_source) {
        struct sockaddr_in src = {.sin_family = AF_INET, .sin_addr = l->source};
        setsockopt(c->fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
        if (bind(c->fd, (struct sockaddr *)&src, sizeof src) != 0) {
            c->err = errno;
            return false;
        }
    }
    struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, .data.u32 = (uint32_t)i};
    epoll_ctl(l->ep, EPOLL_CTL_ADD, c->fd, &ev);
    if (connect(c->fd, (struct sockaddr *)&a, sizeof a) != 0 && errno != EINPROGRESS) {
        c->err = errno;
        return false;
    }
    c->state = C_CONNECTING;
    l->connecting++;
    return true;
}

/* Starts the head request of a connection whose turn it is. */
static void start(hc_loop *l, int i, double t)
{
    conn *c = &l->c[i];
    hc_req *r = c->head;
    r->sent = t;
    c->deadline = t + l->timeout;
    c->pstate = P_HEAD;
    build_request(c, r);
    if (c->state == C_NONE) {
        if (!do_connect(l, i))
            finish(l, i, HC_REFUSED);
        return; /* the write follows EPOLLOUT */
    }
    c->state = C_BUSY;
    do_write(l, i);
}

static void on_event(hc_loop *l, int i, uint32_t ev)
{
    conn *c = &l->c[i];
    if (c->state == C_CONNECTING) {
        int err = 0;
        socklen_t len = sizeof err;
        getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err || (ev & (EPOLLERR | EPOLLHUP))) {
            c->err = err;
            finish(l, i, err == ECONNREFUSED ? HC_REFUSED : HC_CLOSED);
            return;
        }
        if (!(ev & EPOLLOUT))
            return;
        c->state = C_BUSY;
        l->connecting--;
    }
    if (ev & EPOLLOUT)
        do_write(l, i);
    if (ev & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
        do_read(l, i);
}

/* Requests past their deadline fail; checked a few times a second. */
static void check_timeouts(hc_loop *l, double t)
{
    for (int i = 0; i < l->n; i++) {
        conn *c = &l->c[i];
        bool waiting = c->state == C_CONNECTING || c->state == C_BUSY;
        if (waiting && !c->stream_open && c->deadline < t)
            finish(l, i, HC_TIMEOUT);
    }
}

/* Starts the queued heads that are due; returns when the next one is (or +inf). */
static double start_due(hc_loop *l, double t)
{
    while (l->nheap > 0 && l->heap[0].t <= t) {
        int i = l->heap[0].conn;
        conn *c = &l->c[i];
        if (c->state == C_NONE && l->connecting_max > 0 && l->connecting >= l->connecting_max)
            return t + 0.001; /* the next connect waits for one in flight to finish */
        heap_pop(l);
        c->kicked = false;
        if (c->head && c->state != C_CONNECTING && c->state != C_BUSY)
            start(l, i, t);
    }
    return l->nheap > 0 ? l->heap[0].t : INFINITY;
}

long hc_run(hc_loop *l, double until, bool (*stop)(void *), void *ud)
{
    struct epoll_event evs[512];
    double last_check = 0;
    for (;;) {
        double t = hc_now();
        if (stop && stop(ud))
            break;
        if (!stop && l->pending == 0)
            break;
        if (t >= until)
            break;
        double next = start_due(l, t);
        if (t - last_check > 0.05) {
            check_timeouts(l, t);
            last_check = t;
        }
        double wait = next - t;
        wait = wait < 0.05 ? wait : 0.05;
        wait = wait > 0 ? wait : 0;
        int n = epoll_wait(l->ep, evs, 512, (int)ceil(wait * 1e3));
        for (int j = 0; j < n; j++)
            on_event(l, (int)evs[j].data.u32, evs[j].events);
    }
    return l->pending;
}

void hc_req_clear(hc_req *r)
{
    free(r->resp);
    r->resp = NULL;
    r->resp_len = 0;
}

/* ---- reading answers ---- */

static const char *json_val(const char *json, const char *key)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *p = json ? strstr(json, pat) : NULL;
    if (!p)
        return NULL;
    p += strlen(pat);
    while (*p == ' ')
        p++;
    return p;
}

bool hc_json_str(const char *json, const char *key, char *out, size_t cap)
{
    const char *p = json_val(json, key), *e;
    if (!p || *p != '"' || !(e = strchr(p + 1, '"')) || (size_t)(e - p - 1) >= cap)
        return false;
    memcpy(out, p + 1, (size_t)(e - p - 1));
    out[e - p - 1] = '\0';
    return true;
}

long long hc_json_int(const char *json, const char *key)
{
    const char *p = json_val(json, key);
    return p ? atoll(p) : 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

void hc_sort(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
}

double hc_pct(const double *v, size_t n, double p)
{
    if (n == 0)
        return NAN;
    size_t k = (size_t)ceil(p / 100.0 * (double)n);
    return v[k == 0 ? 0 : (k > n ? n - 1 : k - 1)];
}
