/* hall_votes.c — a run of votes as the hall benchmarks time it (hall_load, hall_vote): submitted, run, each
 * answer checked, latencies from the due time (no coordinated omission) and the server's CPU over the run. */
#include "hall_votes.h"

#include "hall_setup.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool check_receipt(const hc_req *r, size_t want_len)
{
    char hash[80];
    (void)want_len;
    return r->status == 201 && hc_json_int(r->resp, "seq") > 0 && hc_json_str(r->resp, "hash", hash, sizeof hash) &&
           strlen(hash) == 64;
}

void tally(result *res, hc_req *rs, int n, double t0, check_fn ok, size_t want_len)
{
    double *lat = malloc(sizeof *lat * (size_t)n), last = t0;
    memset(res, 0, sizeof *res);
    res->n = n;
    for (int i = 0; i < n; i++) {
        hc_req *r = &rs[i];
        if (r->fail == HC_OK && ok(r, want_len)) {
            lat[res->acked++] = r->done - r->due;
            last = r->done > last ? r->done : last;
            continue;
        }
        if (r->fail != HC_OK)
            res->fails[r->fail == HC_PENDING ? HC_TIMEOUT : r->fail]++;
        else
            res->bad++;
        if (!res->example[0])
            snprintf(res->example, sizeof res->example, "%s %d %.180s", hc_fail_name[r->fail < 0 ? HC_TIMEOUT : r->fail],
                     r->status, r->resp ? r->resp : "");
    }
    hc_sort(lat, (size_t)res->acked);
    res->wall = last - t0;
    res->rate = res->wall > 0 ? res->acked / res->wall : 0;
    res->p50 = hc_pct(lat, (size_t)res->acked, 50) * 1e3;
    res->p99 = hc_pct(lat, (size_t)res->acked, 99) * 1e3;
    res->p999 = hc_pct(lat, (size_t)res->acked, 99.9) * 1e3;
    res->max = res->acked ? lat[res->acked - 1] * 1e3 : NAN;
    free(lat);
}

int errors(const result *r)
{
    int e = r->bad;
    for (int f = 1; f < HC_NFAIL; f++)
        e += r->fails[f];
    return e;
}

void print_result(const char *what, const result *r)
{
    printf("%-11s %d of %d acknowledged in %.3f s: %.0f/s; latency p50 %.1f  p99 %.1f  p99.9 %.1f  max %.1f ms\n",
           what, r->acked, r->n, r->wall, r->rate, r->p50, r->p99, r->p999, r->max);
    if (r->cpu > 0)
        printf("            server: %.2f CPU s (%.0f%% of one core), RSS %.0f MiB, peak %.0f MiB\n", r->cpu,
               100 * r->cpu / (r->wall > 0 ? r->wall : 1), r->rss_mib, r->hwm_mib);
    for (int f = 1; f < HC_NFAIL; f++)
        if (r->fails[f])
            printf("  ERROR     %d requests: %s\n", r->fails[f], hc_fail_name[f]);
    if (r->bad)
        printf("  ERROR     %d answers without what was wanted\n", r->bad);
    if (r->example[0])
        printf("  ERROR     e.g. %s\n", r->example);
}

/* N votes on `conns` kept-alive connections: all due at once (rate 0) or one every 1/rate s. */
void votes(hc_loop *l, int conns, hc_req *rs, int n, double rate, pid_t pid, check_fn ok, size_t want_len,
                  double timeout, result *res)
{
    hall_proc before = {0}, after = {0};
    hall_proc_read(pid, &before);
    double t0 = hc_now() + 0.01;
    for (int i = 0; i < n; i++) {
        rs[i].due = rate > 0 ? t0 + i / rate : t0;
        hc_submit(l, i % conns, &rs[i]);
    }
    hc_run(l, t0 + (rate > 0 ? n / rate : 0) + timeout + 5, NULL, NULL);
    hall_proc_read(pid, &after);
    tally(res, rs, n, t0, ok, want_len);
    res->cpu = after.cpu - before.cpu;
    res->rss_mib = after.rss_kib / 1024.0;
    res->hwm_mib = after.hwm_kib / 1024.0;
}

/* Opens the vote connections before the clock: a GET on each, answered. */
void warm(hc_loop *l, int conns, const char *path, double timeout, int open_streams)
{
    hc_req *r = calloc((size_t)conns, sizeof *r);
    int fails[HC_NFAIL] = {0};
    for (int i = 0; i < conns; i++) {
        r[i] = (hc_req){.method = "GET", .path = path};
        hc_submit(l, i, &r[i]);
    }
    hc_run(l, hc_now() + timeout + 1, NULL, NULL);
    for (int i = 0; i < conns; i++) {
        fails[r[i].fail < 0 ? HC_TIMEOUT : r[i].fail]++;
        hc_req_clear(&r[i]);
    }
    printf("connections %d of %d vote connections open and answered\n", fails[HC_OK], conns);
    for (int f = 1; f < HC_NFAIL; f++)
        if (fails[f])
            printf("  ERROR     %d connections: %s\n", fails[f], hc_fail_name[f]);
    if (fails[HC_TIMEOUT])
        printf("  ERROR     the server held %d connections at once (%d streams and %d of these) and let the rest hang:\n"
               "            TCP accepted them, the server never read them (its connection limit?)\n",
               open_streams + fails[HC_OK], open_streams, fails[HC_OK]);
    free(r);
}


hc_req chair_call(hc_loop *l, int conn, const char *path, const char *token, const char *body, int want)
{
    hc_req r = {.method = "POST", .path = path, .token = token, .body = body};
    hc_submit(l, conn, &r);
    hc_run(l, hc_now() + 120, NULL, NULL);
    if (r.fail != HC_OK || r.status != want)
        hall_die("POST %s: %s %d %s", path, hc_fail_name[r.fail < 0 ? HC_TIMEOUT : r.fail], r.status,
                 r.resp ? r.resp : "");
    return r;
}

