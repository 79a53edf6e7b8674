/* hall_votes.h — a run of votes as the hall benchmarks time it: requests due at once or at a rate on kept-alive
 * connections, each answer checked, latency from the due time, the server's CPU and RSS over the run. */
#ifndef HALL_VOTES_H
#define HALL_VOTES_H

#include "hall_http.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

typedef struct result {
    int n, acked, fails[HC_NFAIL], bad;  /* bad: answered, but not what was wanted */
    double wall, rate, p50, p99, p999, max;
    double cpu, rss_mib, hwm_mib;
    char example[256];                   /* the first bad answer or failure */
} result;

typedef bool (*check_fn)(const hc_req *r, size_t want_len);

/* A vote's receipt: 201 with a seq and a 64-hex hash. */
bool check_receipt(const hc_req *r, size_t want_len);
/* Latencies, rate and failures of rs[0..n) whose clock started at t0; answers `ok` did not take are bad. */
void tally(result *res, hc_req *rs, int n, double t0, check_fn ok, size_t want_len);
int errors(const result *r);
void print_result(const char *what, const result *r);
/* N votes on `conns` kept-alive connections: all due at once (rate 0) or one every 1/rate s; pid's CPU and
 * RSS over the run. */
void votes(hc_loop *l, int conns, hc_req *rs, int n, double rate, pid_t pid, check_fn ok, size_t want_len,
           double timeout, result *res);
/* Opens the vote connections before the clock: a GET on each, answered. */
void warm(hc_loop *l, int conns, const char *path, double timeout, int open_streams);
/* A staff command on connection conn, answered `want` or the run dies. */
hc_req chair_call(hc_loop *l, int conn, const char *path, const char *token, const char *body, int want);

#endif
