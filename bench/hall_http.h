/* hall_http.h — the benchmarks' HTTP/1.1 client: raw nonblocking sockets on one epoll loop, kept-alive
 * connections each carrying a queue of requests, a small response parser, and Server-Sent Event streams. */
#ifndef HALL_HTTP_H
#define HALL_HTTP_H

#include <stdbool.h>
#include <stddef.h>

/* How a request ended. Everything but HC_OK is an error the benchmark reports by name. */
typedef enum hc_fail {
    HC_PENDING = -1, /* not finished yet */
    HC_OK = 0,       /* an answer arrived (any status) */
    HC_REFUSED,      /* connect() failed: the server is not listening or its backlog is full */
    HC_CLOSED,       /* the server closed the connection (or reset it) before the whole answer */
    HC_TIMEOUT,      /* no whole answer within the timeout after it was due */
    HC_BAD_ANSWER,   /* what came back is not HTTP/1.1 as this parser knows it */
    HC_NFAIL
} hc_fail;

extern const char *const hc_fail_name[HC_NFAIL];

typedef struct hc_req {
    const char *method, *path, *token, *body; /* borrowed; token and body may be NULL */
    double due;       /* monotonic seconds: not sent before, and latency counts from here */
    double sent, done;
    int status;       /* 0 until an answer */
    hc_fail fail;
    int err;          /* the errno behind a failure; 0 for an orderly end (EOF) or a timeout */
    char *resp;       /* the answer's body (malloc'd, NUL-terminated), freed by hc_req_clear */
    size_t resp_len;
    struct hc_req *next; /* the connection's queue */
} hc_req;

/* A stream's event: its id (0 if none), its type ("" if none) and when its last line arrived. */
typedef void (*hc_event_fn)(void *ud, int stream, long long id, const char *type, double t);

typedef struct hc_loop hc_loop;

double hc_now(void);
/* Raises RLIMIT_NOFILE to its hard limit; returns the soft limit now in force. */
long hc_raise_nofile(void);

/* A loop for connections to 127.0.0.1:port; `timeout` seconds per request (and per stream's headers). */
hc_loop *hc_new(int port, double timeout);
void hc_free(hc_loop *l);
/* Connects from this source address (any port: bind before connect, the port picked at connect), not
 * 127.0.0.1: one source address has about 28,000 ports towards one server. */
void hc_set_source(hc_loop *l, const char *addr);
/* At most k connects in flight at once (0: no limit), so that tens of thousands of streams opened at once
 * do not overflow the server's listen queue (its SYNs dropped, retried only after a second). */
void hc_set_connecting_max(hc_loop *l, int k);
/* A new connection (connected lazily, when it has something to send); returns its index. */
int hc_conn(hc_loop *l);
int hc_conns(const hc_loop *l);
/* Queues a request on a connection; requests on one connection go one after another (no pipelining). */
void hc_submit(hc_loop *l, int conn, hc_req *r);
/* Opens a stream `path` (with a token or NULL): events go to fn; returns the stream's number. */
int hc_stream(hc_loop *l, const char *path, const char *token, hc_event_fn fn, void *ud);
/* Streams whose headers arrived with 200 and that are still open; and the failures among the others. */
int hc_streams_open(const hc_loop *l);
int hc_streams_failed(const hc_loop *l, hc_fail why);
/* Streams that were open and then ended (they are also counted as closed by hc_streams_failed). */
int hc_streams_dropped(const hc_loop *l);
/* Runs until every queued request is finished, or until `until` (monotonic seconds), or until stop
 * (if given) returns true. Returns the requests still unfinished. */
long hc_run(hc_loop *l, double until, bool (*stop)(void *), void *ud);
/* Closes every connection (streams too). */
void hc_close_all(hc_loop *l);

void hc_req_clear(hc_req *r);
/* Tiny readers of the flat JSON answers yishi gives: the value of "key" (first occurrence). */
bool hc_json_str(const char *json, const char *key, char *out, size_t cap);
long long hc_json_int(const char *json, const char *key);

/* p-th percentile (0..100) of n sorted values. */
double hc_pct(const double *sorted, size_t n, double p);
void hc_sort(double *v, size_t n);

#endif
