/* hall_vote.c — the verifiable ballot path of a national-sized hall against `yishi serve`: a key ceremony over
 * the API, ballots encrypted beforehand, a burst and open-loop runs, the trustees' decryption, yishi verify. */
#define _GNU_SOURCE
#include "hall_http.h"
#include "hall_setup.h"
#include "hall_votes.h"

#include "yishi/vballot.h"
#include "yishi/vkey.h"

#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TRUSTEES 3
#define THRESHOLD 2
#define MAX_RATES 8
#define COSIGNERS 30 /* prc-provincial: 30 delegates may nominate a candidate */

typedef struct shape {
    const char *label, *office;
    int seats, ncand;
    double rates[MAX_RATES]; /* the open-loop runs, ballots/s */
    int nrates;
} shape;

typedef struct opts {
    const char *yishi, *dir, *serve_threads;
    int port, conns, threads, n;
    double open_secs, timeout;
    bool burst_only, no_open_loop;
    shape shapes[2];
    int nshapes;
} opts;

/* The run: the server, the session's logins and the trustees' devices. */
typedef struct hall {
    const opts *o;
    hall_session s;
    hall_server srv;
    char session_id[80];
    int key_id;
    char trustee_token[TRUSTEES][64];
    ys_vtrustee *dev[TRUSTEES];
    char (*code)[32];           /* [s.n] the delegates' codes, in the order of their cards */
    int failures;               /* anything not as it should be: the exit status */
} hall;

static const char *const TRUSTEE_LOGINS[TRUSTEES] = {"trustee1", "trustee2", "trustee3"};

static double cpu_now(clockid_t clock)
{
    struct timespec t;
    clock_gettime(clock, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* ---- the API, one call at a time ---- */

/* method path with body (taken, may be NULL) as token, on a connection of its own (an idle one may have been
 * closed by the server); dies unless the status is `want`. The answer's JSON is the caller's; *ms (if given)
 * gets the call's wall time, the connect included. */
static json_t *api(hall *h, const char *method, const char *path, const char *token, json_t *body, int want,
                   double *ms)
{
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    hc_req r = {.method = method, .path = path, .token = token, .body = text};
    hc_loop *l = hc_new(h->srv.port, 600);
    double t0 = hc_now();
    hc_submit(l, hc_conn(l), &r);
    hc_run(l, t0 + 600, NULL, NULL);
    hc_free(l);
    if (ms)
        *ms = (hc_now() - t0) * 1e3;
    if (r.fail != HC_OK || r.status != want)
        hall_die("%s %s: %s %d (wanted %d) %.300s", method, path, hc_fail_name[r.fail < 0 ? HC_TIMEOUT : r.fail],
                 r.status, want, r.resp ? r.resp : "");
    json_t *j = json_loads(r.resp ? r.resp : "null", JSON_DECODE_ANY, NULL);
    hc_req_clear(&r);
    free(text);
    if (!j)
        hall_die("%s %s: the answer is not JSON", method, path);
    return j;
}

static int created_id(json_t *made)
{
    int id = (int)json_integer_value(
        json_object_get(json_object_get(json_array_get(json_object_get(made, "events"), 0), "payload"), "id"));
    json_decref(made);
    return id;
}

/* ---- the key ceremony, the trustees' devices in this process ---- */

static char key_path_buf[96];
static const char *key_path(const hall *h, const char *rest)
{
    snprintf(key_path_buf, sizeof key_path_buf, "/api/keys/%d%s", h->key_id, rest);
    return key_path_buf;
}

static const json_t *trustee_of(const json_t *key, int i)
{
    return json_array_get(json_object_get(key, "trustees"), (size_t)i);
}

/* The key as a device sees it from GET /api/keys/{id}: commitments, then public shares. */
static ys_vkey *device_view(hall *h)
{
    ys_vkey_params p = {.session_id = h->session_id, .key_id = (uint64_t)h->key_id, .n = TRUSTEES, .k = THRESHOLD,
                        .logins = TRUSTEE_LOGINS};
    ys_vkey *v = NULL;
    ys_err err = {0};
    if (ys_vkey_new(&p, &v, &err))
        hall_die("the key's parameters: %s", err.msg);
    json_t *key = api(h, "GET", key_path(h, ""), NULL, NULL, 200, NULL);
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < TRUSTEES; i++) {
            const json_t *m = json_object_get(trustee_of(key, i), pass ? "public_share" : "commitment");
            if (json_is_object(m) && (pass ? ys_vkey_add_public_share(v, (unsigned)i + 1, m, &err)
                                           : ys_vkey_add_commitment(v, (unsigned)i + 1, m, &err)))
                hall_die("trustee %d's %s does not check: %s", i + 1, pass ? "public share" : "commitment", err.msg);
        }
    json_decref(key);
    return v;
}

static void ceremony(hall *h)
{
    double t0 = hc_now(), device = 0;
    ys_err err = {0};
    h->key_id = created_id(api(h, "POST", "/api/keys", h->s.secretariat,
                               json_pack("{s:[s,s,s], s:i}", "trustees", "trustee1", "trustee2", "trustee3", "threshold",
                                         THRESHOLD), 201, NULL));
    ys_vkey *v = device_view(h);
    for (int i = 0; i < TRUSTEES; i++) {
        json_t *login = api(h, "POST", "/api/login", NULL, json_pack("{s:s, s:s}", "name", TRUSTEE_LOGINS[i],
                                                                      "password", HALL_STAFF_PASSWORD), 200, NULL);
        snprintf(h->trustee_token[i], sizeof h->trustee_token[i], "%s", json_string_value(json_object_get(login, "token")));
        json_decref(login);
        double c0 = cpu_now(CLOCK_PROCESS_CPUTIME_ID);
        if (ys_vtrustee_new(v, (unsigned)i + 1, &h->dev[i], &err))
            hall_die("trustee %d: %s", i + 1, err.msg);
        json_t *c = ys_vtrustee_commitment(h->dev[i]);
        device += cpu_now(CLOCK_PROCESS_CPUTIME_ID) - c0;
        json_decref(api(h, "POST", key_path(h, "/commit"), h->trustee_token[i], c, 201, NULL));
    }
    ys_vkey_free(v);
    v = device_view(h);
    for (int i = 0; i < TRUSTEES; i++) {
        json_t *shares = NULL;
        double c0 = cpu_now(CLOCK_PROCESS_CPUTIME_ID);
        if (ys_vtrustee_seal_shares(h->dev[i], v, &shares, &err))
            hall_die("trustee %d's shares: %s", i + 1, err.msg);
        device += cpu_now(CLOCK_PROCESS_CPUTIME_ID) - c0;
        json_decref(api(h, "POST", key_path(h, "/shares"), h->trustee_token[i], json_pack("{s:o}", "shares", shares),
                        201, NULL));
    }
    json_t *key = api(h, "GET", key_path(h, ""), NULL, NULL, 200, NULL);
    for (int j = 0; j < TRUSTEES; j++) {
        json_t *msg = NULL;
        double c0 = cpu_now(CLOCK_PROCESS_CPUTIME_ID);
        for (int i = 0; i < TRUSTEES; i++)
            if (i != j && ys_vtrustee_open_share(h->dev[j], v, (unsigned)i + 1,
                                                 json_object_get(trustee_of(key, i), "shares"), &err))
                hall_die("trustee %d cannot open trustee %d's share: %s", j + 1, i + 1, err.msg);
        if (ys_vtrustee_public_share(h->dev[j], &msg, &err))
            hall_die("trustee %d's public share: %s", j + 1, err.msg);
        device += cpu_now(CLOCK_PROCESS_CPUTIME_ID) - c0;
        json_decref(api(h, "POST", key_path(h, "/ready"), h->trustee_token[j], msg, 201, NULL));
    }
    json_decref(key);
    ys_vkey_free(v);
    key = api(h, "GET", key_path(h, ""), NULL, NULL, 200, NULL);
    const char *state = json_string_value(json_object_get(key, "state"));
    printf("ceremony    key %d of %d trustees (threshold %d) %s in %.2f s over the API; the devices' CPU %.0f ms\n",
           h->key_id, TRUSTEES, THRESHOLD, state ? state : "?", hc_now() - t0, device * 1e3);
    if (!state || strcmp(state, "complete"))
        hall_die("the key is not complete after the ceremony");
    json_decref(key);
}

/* ---- an election, its ballots encrypted beforehand ---- */

typedef struct election {
    const shape *sh;
    int id, n;                  /* its number; the ballots cast (the first n delegates) */
    char **names;               /* [ncand] */
    ys_vvote *v;
    char path[96];              /* /api/elections/ID/ballots */
    char **body;                /* [n] {"encrypted": BALLOT}, compact */
    long *expect;               /* [3 * ncand] yes, no, abstain per candidate */
    double enc_cpu, enc_wall;   /* the encryption: CPU summed over the threads, and wall */
    size_t bytes;
} election;

/* Delegate i's mark for candidate c: the 1-seat vote splits 6:3:1 between the two and abstaining; in the
 * members' election each ballot says yes to seats − 2 candidates, no to 10, and abstains on the rest. */
static ys_vmark mark_of(const shape *sh, int i, int c)
{
    if (sh->seats == 1) {
        int k = i % 10;
        return k == 9 ? YS_VMARK_ABSTAIN : (k < 6) == (c == 0) ? YS_VMARK_YES : YS_VMARK_NO;
    }
    int r = ((c - i) % sh->ncand + sh->ncand) % sh->ncand;
    return r < sh->seats - 2 ? YS_VMARK_YES : r < sh->seats + 8 ? YS_VMARK_NO : YS_VMARK_ABSTAIN;
}

static bool unb64(uint8_t *out, size_t cap, const char *b64)
{
    size_t n = 0;
    return b64 && sodium_base642bin(out, cap, b64, strlen(b64), NULL, &n, NULL, sodium_base64_VARIANT_ORIGINAL) == 0 &&
           n == cap;
}

/* The context a terminal encrypts under, from the API (the key's shares, the session, the list), checked
 * against the Q the election shows. */
static ys_vvote *terminal_context(hall *h, election *e)
{
    ys_vkey *k = device_view(h);
    char path[64], b64[45];
    ys_err err = {0};
    snprintf(path, sizeof path, "/api/elections/%d", e->id);
    json_t *el = api(h, "GET", path, NULL, NULL, 200, NULL);
    const json_t *ctx = json_object_get(json_object_get(el, "verifiable"), "context");
    uint8_t shares[TRUSTEES][YS_VPOINT], q[YS_VHASH];
    ys_vvote_spec spec = {.shares = (const uint8_t(*)[YS_VPOINT])shares, .nshares = TRUSTEES,
                          .session_id = json_string_value(json_object_get(ctx, "session")), .id = (uint64_t)e->id,
                          .entitled = (uint64_t)json_integer_value(json_object_get(ctx, "V")),
                          .seats = (uint64_t)e->sh->seats, .names = (const char *const *)e->names,
                          .ncandidates = (size_t)e->sh->ncand, .writeins = true};
    ys_vkey_qk(k, spec.key_hash);
    bool ok = !ys_vkey_joint_key(k, b64, &err) && unb64(spec.key, YS_VPOINT, b64);
    for (unsigned j = 1; ok && j <= TRUSTEES; j++)
        ok = !ys_vkey_public_share(k, j, b64, &err) && unb64(shares[j - 1], YS_VPOINT, b64);
    ys_vvote *v = NULL;
    if (!ok || !ctx || ys_vvote_new(&v, &spec, &err))
        hall_die("election %d: no context to encrypt under (%s)", e->id, err.msg);
    if (!unb64(q, YS_VHASH, json_string_value(json_object_get(ctx, "Q"))) || memcmp(q, ys_vvote_Q(v), YS_VHASH))
        hall_die("election %d: the context made from the API is not the Q the election shows", e->id);
    printf("context     election %d: V %lld, B %lld, P %lld (write-ins allowed)\n", e->id,
           (long long)json_integer_value(json_object_get(ctx, "V")), (long long)ys_vvote_B(v), (long long)ys_vvote_P(v));
    json_decref(el);
    ys_vkey_free(k);
    return v;
}

/* The k-th group of co-signers: delegates 30k + 1 … 30k + 30. */
static json_t *cosigners(const hall *h, int k)
{
    json_t *a = json_array();
    for (int i = 0; i < COSIGNERS; i++)
        json_array_append_new(a, json_string(h->code[(k * COSIGNERS + i) % h->s.n]));
    return a;
}

static void election_make(hall *h, election *e, const shape *sh, int n)
{
    char path[96];
    memset(e, 0, sizeof *e);
    e->sh = sh;
    e->n = n;
    e->id = created_id(api(h, "POST", "/api/elections", h->s.chair,
                           json_pack("{s:s, s:i, s:i}", "office", sh->office, "seats", sh->seats, "key", h->key_id), 201,
                           NULL));
    e->names = calloc((size_t)sh->ncand, sizeof *e->names);
    snprintf(path, sizeof path, "/api/elections/%d/nominations", e->id);
    for (int c = 0; c < sh->ncand; c++) {
        char name[64];
        snprintf(name, sizeof name, "候选人%d-%02d", e->id, c + 1);
        e->names[c] = strdup(name);
        json_t *body = json_pack("{s:s}", "name", name);
        if (c >= sh->seats) /* the presidium names as many as the seats (Art. 26); COSIGNERS delegates the rest */
            json_object_set_new(body, "cosigners", cosigners(h, c - sh->seats));
        json_decref(api(h, "POST", path, h->s.chair, body, 201, NULL));
    }
    snprintf(path, sizeof path, "/api/elections/%d/open", e->id);
    json_decref(api(h, "POST", path, h->s.chair, NULL, 200, NULL));
    e->v = terminal_context(h, e);
    snprintf(e->path, sizeof e->path, "/api/elections/%d/ballots", e->id);
}

typedef struct enc_job {
    election *e;
    char (*code)[32];
    _Atomic int next;
    _Atomic long failed;
    pthread_mutex_t lock;
    double cpu;
} enc_job;

/* A terminal's work, on every core: ballot i is delegate i's (their card holds their code). */
static void *encrypt_some(void *ud)
{
    enc_job *j = ud;
    election *e = j->e;
    ys_vmark *marks = calloc((size_t)e->sh->ncand, sizeof *marks);
    double cpu = 0;
    for (int i; (i = atomic_fetch_add(&j->next, 1)) < e->n;) {
        char voter[32];
        json_t *ballot = NULL;
        ys_err err = {0};
        snprintf(voter, sizeof voter, "%s", j->code[i]);
        for (int c = 0; c < e->sh->ncand; c++)
            marks[c] = mark_of(e->sh, i, c);
        double c0 = cpu_now(CLOCK_THREAD_CPUTIME_ID);
        if (ys_vballot_encrypt(e->v, voter, marks, NULL, 0, NULL, &ballot, NULL, &err)) {
            atomic_fetch_add(&j->failed, 1);
            continue;
        }
        cpu += cpu_now(CLOCK_THREAD_CPUTIME_ID) - c0;
        json_t *body = json_pack("{s:o}", "encrypted", ballot);
        e->body[i] = json_dumps(body, JSON_COMPACT);
        json_decref(body);
    }
    pthread_mutex_lock(&j->lock);
    j->cpu += cpu;
    pthread_mutex_unlock(&j->lock);
    free(marks);
    return NULL;
}

static void election_encrypt(const hall *h, election *e)
{
    enc_job j = {.e = e, .code = h->code, .lock = PTHREAD_MUTEX_INITIALIZER};
    pthread_t t[64];
    int k = h->o->threads < 64 ? h->o->threads : 64;
    e->body = calloc((size_t)e->n, sizeof *e->body);
    e->expect = calloc((size_t)e->sh->ncand * 3, sizeof *e->expect);
    double t0 = hc_now();
    for (int i = 0; i < k; i++)
        pthread_create(&t[i], NULL, encrypt_some, &j);
    for (int i = 0; i < k; i++)
        pthread_join(t[i], NULL);
    e->enc_wall = hc_now() - t0;
    e->enc_cpu = j.cpu;
    if (j.failed)
        hall_die("election %d: %ld ballots could not be encrypted", e->id, (long)j.failed);
    for (int i = 0; i < e->n; i++) {
        e->bytes += strlen(e->body[i]);
        for (int c = 0; c < e->sh->ncand; c++)
            e->expect[3 * c + (mark_of(e->sh, i, c) == YS_VMARK_YES ? 0 : mark_of(e->sh, i, c) == YS_VMARK_NO ? 1 : 2)]++;
    }
    printf("encrypted   %d ballots on %d threads in %.1f s: %.2f ms of CPU a ballot, %zu bytes a ballot (compact JSON)\n",
           e->n, k, e->enc_wall, 1e3 * e->enc_cpu / e->n, e->bytes / (size_t)e->n);
}

static void election_free(election *e)
{
    for (int c = 0; e->names && c < e->sh->ncand; c++)
        free(e->names[c]);
    for (int i = 0; e->body && i < e->n; i++)
        free(e->body[i]);
    free(e->names);
    free(e->body);
    free(e->expect);
    ys_vvote_free(e->v);
}

/* ---- casting ---- */

/* Seconds the server's threads have waited on a run queue for a core (the second field of each
 * /proc/PID/task/N/schedstat): on a machine shared with other work, the latency the server did not cause. */
static double runqueue_wait(pid_t pid)
{
    char path[64];
    double sum = 0;
    snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
    DIR *d = opendir(path);
    for (struct dirent *e; d && (e = readdir(d));) {
        char stat[128];
        unsigned long long run = 0, wait = 0;
        snprintf(stat, sizeof stat, "/proc/%d/task/%.20s/schedstat", (int)pid, e->d_name);
        FILE *f = e->d_name[0] != '.' ? fopen(stat, "r") : NULL;
        if (f && fscanf(f, "%llu %llu", &run, &wait) == 2)
            sum += (double)wait * 1e-9;
        if (f)
            fclose(f);
    }
    if (d)
        closedir(d);
    return sum;
}

static void cast(hall *h, election *e, double rate, result *res)
{
    hc_loop *l = hc_new(h->srv.port, h->o->timeout);
    int conns = h->o->conns < e->n ? h->o->conns : e->n;
    hc_req *rs = calloc((size_t)e->n, sizeof *rs);
    for (int c = 0; c < conns; c++)
        hc_conn(l);
    warm(l, conns, "/api/health", h->o->timeout, 0);
    for (int i = 0; i < e->n; i++)
        rs[i] = (hc_req){.method = "POST", .path = e->path, .token = h->s.token[i], .body = e->body[i]};
    double waited = runqueue_wait(h->srv.pid);
    votes(l, conns, rs, e->n, rate, h->srv.pid, check_receipt, 0, h->o->timeout, res);
    waited = runqueue_wait(h->srv.pid) - waited;
    char what[64];
    snprintf(what, sizeof what, rate > 0 ? "open %.0f/s" : "burst", rate);
    print_result(what, res);
    printf("            server: %.2f ms of CPU a ballot; its threads waited %.2f s in all for a core (run queue)\n",
           1e3 * res->cpu / e->n, waited);
    for (int i = 0; i < e->n; i++)
        hc_req_clear(&rs[i]);
    free(rs);
    hc_free(l);
    h->failures += errors(res);
}

/* ---- the close, the trustees, the count ---- */

static bool counted_as_cast(const election *e, const json_t *el)
{
    const json_t *cands = json_object_get(json_object_get(el, "result"), "candidates");
    for (int c = 0; c < e->sh->ncand; c++) {
        const json_t *r = json_array_get(cands, (size_t)c);
        if (json_integer_value(json_object_get(r, "yes")) != e->expect[3 * c] ||
            json_integer_value(json_object_get(r, "no")) != e->expect[3 * c + 1] ||
            json_integer_value(json_object_get(r, "abstain")) != e->expect[3 * c + 2])
            return false;
    }
    return json_is_true(json_object_get(json_object_get(el, "verifiable"), "counted"));
}

static void decrypt_and_count(hall *h, election *e)
{
    char path[96];
    double ms;
    hall_proc before = {0}, after = {0};
    snprintf(path, sizeof path, "/api/elections/%d/close", e->id);
    hall_proc_read(h->srv.pid, &before);
    json_decref(api(h, "POST", path, h->s.chair, NULL, 200, &ms));
    hall_proc_read(h->srv.pid, &after);
    printf("close       answered in %.1f ms (the aggregates summed as ballots came in); server CPU %.2f s\n", ms,
           after.cpu - before.cpu);
    snprintf(path, sizeof path, "/api/elections/%d/decrypt", e->id);
    for (int t = 0; t < THRESHOLD; t++) {
        uint8_t Q[YS_VHASH];
        json_t *job = api(h, "GET", path, NULL, NULL, 200, &ms), *partials = NULL;
        ys_err err = {0};
        const json_t *cts = json_object_get(job, "ciphertexts");
        if (!unb64(Q, YS_VHASH, json_string_value(json_object_get(job, "Q"))))
            hall_die("GET %s: no Q", path);
        double c0 = cpu_now(CLOCK_PROCESS_CPUTIME_ID);
        if (ys_vtrustee_decrypt(h->dev[t], Q, cts, &partials, &err))
            hall_die("trustee %d cannot decrypt: %s", t + 1, err.msg);
        double dev = cpu_now(CLOCK_PROCESS_CPUTIME_ID) - c0, post;
        hall_proc_read(h->srv.pid, &before);
        json_decref(api(h, "POST", path, h->trustee_token[t], json_pack("{s:o}", "partials", partials), 201, &post));
        hall_proc_read(h->srv.pid, &after);
        printf("decrypt     trustee %d: %zu ciphertexts fetched in %.1f ms, decrypted on its device in %.1f ms, "
               "POST answered in %.1f ms%s (server CPU %.0f ms)\n", t + 1, json_array_size(cts), ms, dev * 1e3, post,
               t == THRESHOLD - 1 ? " with the count" : "", (after.cpu - before.cpu) * 1e3);
        json_decref(job);
    }
    snprintf(path, sizeof path, "/api/elections/%d", e->id);
    json_t *el = api(h, "GET", path, NULL, NULL, 200, NULL);
    bool ok = counted_as_cast(e, el);
    const json_t *elected = json_object_get(json_object_get(el, "result"), "elected");
    printf("count       %s: every candidate's yes, no and abstain %s the ballots encrypted; %zu elected\n",
           ok ? "counted" : "ERROR", ok ? "equal to" : "NOT equal to", json_array_size(elected));
    h->failures += !ok;
    json_decref(el);
}

/* Every cast ballot's proofs, read from its text, on one core: the ballots' part of a verification, timed
 * apart from the replay (yishi verify before its audit checked no proofs). */
static double check_all_ballots(hall *h, const election *e)
{
    double t0 = cpu_now(CLOCK_THREAD_CPUTIME_ID);
    long bad = 0;
    for (int i = 0; i < e->n; i++) {
        char voter[32];
        ys_vcast *c = NULL;
        json_t *body = json_loads(e->body[i], 0, NULL);
        snprintf(voter, sizeof voter, "%s", h->code[i]);
        bad += !body || ys_vballot_check(e->v, voter, json_object_get(body, "encrypted"), &c, NULL) != YS_OK;
        ys_vcast_free(c);
        json_decref(body);
    }
    double t = cpu_now(CLOCK_THREAD_CPUTIME_ID) - t0;
    printf("proofs      every ballot's proofs checked again on one core: %.1f s, %.0f ballots/s%s\n", t, e->n / t,
           bad ? " — ERROR: some did not verify" : "");
    h->failures += bad > 0;
    return t;
}

/* ---- the session, the server, verify ---- */

/* Runs a command; its wall and CPU seconds (its own and its children's). */
static int timed(const char *cmd, double *wall, double *cpu)
{
    struct rusage r0, r1;
    getrusage(RUSAGE_CHILDREN, &r0);
    double t0 = hc_now();
    int rc = system(cmd);
    *wall = hc_now() - t0;
    getrusage(RUSAGE_CHILDREN, &r1);
    *cpu = (double)(r1.ru_utime.tv_sec - r0.ru_utime.tv_sec + r1.ru_stime.tv_sec - r0.ru_stime.tv_sec) +
           (double)(r1.ru_utime.tv_usec - r0.ru_utime.tv_usec + r1.ru_stime.tv_usec - r0.ru_stime.tv_usec) * 1e-6;
    return rc;
}

static double verify(hall *h, const char *when)
{
    char cmd[1024];
    double wall, cpu;
    snprintf(cmd, sizeof cmd, "'%s' verify -f '%s' >'%s/verify.out' 2>&1", h->s.yishi, h->s.file, h->s.dir);
    int rc = timed(cmd, &wall, &cpu);
    printf("verify      %s: yishi verify %s in %.2f s (CPU %.2f s)\n", when, rc == 0 ? "passed" : "FAILED", wall, cpu);
    if (rc) {
        hall_sh("tail -n 5 '%s/verify.out'", h->s.dir);
        h->failures++;
    }
    return cpu;
}

/* 2,977 delegates (the NPC's number) under prc-provincial, all checked in, with the three trustees' accounts. */
static void session_make(hall *h)
{
    double t0 = hc_now();
    char pw[320];
    hall_session_make_rules(&h->s, h->o->yishi, h->o->dir, h->o->n, "prc-provincial");
    snprintf(pw, sizeof pw, "%s/staff.pw", h->o->dir);
    for (int t = 0; t < TRUSTEES; t++)
        if (!hall_sh("'%s' user add --role trustee --name %s --password-file '%s' -f '%s' >/dev/null", h->s.yishi,
                     TRUSTEE_LOGINS[t], pw, h->s.file))
            hall_die("cannot add the trustee %s", TRUSTEE_LOGINS[t]);
    h->code = calloc((size_t)h->s.n, sizeof *h->code);
    for (int i = 0; i < h->s.n; i++) /* hall_setup's import: D000001 … in the order of the cards */
        snprintf(h->code[i], sizeof h->code[0], "D%06d", i + 1);
    printf("session     %d delegates (prc-provincial), all checked in, made in %.1f s\n", h->s.n, hc_now() - t0);
}

/* Starts the server; false (said so) if it did not listen within hall_serve's 60 s, which dies unless `may_fail`. */
static bool serve(hall *h, bool may_fail)
{
    const char *extra[4] = {NULL};
    if (h->o->serve_threads) {
        extra[0] = "--threads";
        extra[1] = h->o->serve_threads;
    }
    double t0 = hc_now();
    if (!hall_serve(&h->srv, &h->s, h->o->port, extra)) {
        if (!may_fail)
            hall_die("yishi serve did not start (see %s)", h->srv.err);
        printf("open        yishi serve NOT listening %.0f s after its start (the file still being replayed?)\n",
               hc_now() - t0);
        h->failures++;
        return false;
    }
    printf("open        yishi serve listening %.2f s after its start (the file replayed into memory)\n", hc_now() - t0);
    return true;
}

static void session_id(hall *h)
{
    json_t *sess = api(h, "GET", "/api/session", NULL, NULL, 200, NULL);
    snprintf(h->session_id, sizeof h->session_id, "%s", json_string_value(json_object_get(sess, "id")));
    json_decref(sess);
}

/* ---- one shape: its burst, then its open-loop runs ---- */

static void run_shape(hall *h, const shape *sh)
{
    election e;
    result res;
    printf("\n== %s (%s, %d seats, %d candidates) ==\n", sh->label, sh->office, sh->seats, sh->ncand);
    election_make(h, &e, sh, h->s.n);
    election_encrypt(h, &e);
    cast(h, &e, 0, &res);
    decrypt_and_count(h, &e);
    check_all_ballots(h, &e);
    election_free(&e);
    for (int r = 0; !h->o->no_open_loop && r < sh->nrates; r++) {
        int n = (int)lround(sh->rates[r] * h->o->open_secs);
        printf("-- %s, open loop at %.0f ballots/s --\n", sh->label, sh->rates[r]);
        election_make(h, &e, sh, n < h->s.n ? n : h->s.n);
        election_encrypt(h, &e);
        cast(h, &e, sh->rates[r], &res);
        decrypt_and_count(h, &e);
        election_free(&e);
    }
}

/* ---- options ---- */

static void usage(void)
{
    fprintf(stderr, "usage: hall_vote --yishi PATH --dir DIR [--delegates N] [--port P] [--conns N] [--threads T] [--serve-threads T]\n"
                    "                 [--rates-1 R,R…] [--rates-60 R,R…] [--open-secs S] [--timeout S] [--only 1|60]\n"
                    "                 [--no-open-loop]\n");
    exit(2);
}

static int parse_rates(shape *sh, const char *text)
{
    char *end;
    sh->nrates = 0;
    for (const char *p = text; *p && sh->nrates < MAX_RATES; p = *end == ',' ? end + 1 : end) {
        double r = strtod(p, &end);
        if (end == p || r <= 0)
            return -1;
        sh->rates[sh->nrates++] = r;
    }
    return 0;
}

static void parse_opts(opts *o, int argc, char **argv)
{
    static const shape one = {"1 seat, 2 candidates", "sc_chair", 1, 2, {100, 200, 400}, 3};
    static const shape members = {"72 candidates for 60 seats", "sc_member", 60, 72, {30, 60, 100}, 3};
    /* prc-provincial: sc_chair is 2 for 1 (extra exactly 1), sc_member 66 to 72 for 60 (1/10 to 1/5 more) */
    *o = (opts){.n = 2977, .conns = 3000, .threads = (int)sysconf(_SC_NPROCESSORS_ONLN), .open_secs = 10, .timeout = 120,
                .shapes = {one, members}, .nshapes = 2};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--no-open-loop")) {
            o->no_open_loop = true;
            continue;
        }
        if (!v)
            usage();
        i++;
        if (!strcmp(a, "--yishi")) o->yishi = v;
        else if (!strcmp(a, "--dir")) o->dir = v;
        else if (!strcmp(a, "--port")) o->port = atoi(v);
        else if (!strcmp(a, "--conns")) o->conns = atoi(v);
        else if (!strcmp(a, "--delegates")) o->n = atoi(v);
        else if (!strcmp(a, "--threads")) o->threads = atoi(v);
        else if (!strcmp(a, "--serve-threads")) o->serve_threads = v;
        else if (!strcmp(a, "--open-secs")) o->open_secs = atof(v);
        else if (!strcmp(a, "--timeout")) o->timeout = atof(v);
        else if (!strcmp(a, "--rates-1") && !parse_rates(&o->shapes[0], v)) continue;
        else if (!strcmp(a, "--rates-60") && !parse_rates(&o->shapes[1], v)) continue;
        else if (!strcmp(a, "--only") && (!strcmp(v, "1") || !strcmp(v, "60"))) {
            o->shapes[0] = o->shapes[!strcmp(v, "60")];
            o->nshapes = 1;
        } else
            usage();
    }
    if (!o->yishi || !o->dir || o->n < 2 * COSIGNERS || o->conns < 1 || o->threads < 1 || o->open_secs <= 0)
        usage();
}

int main(int argc, char **argv)
{
    opts o;
    hall h = {.o = &o};
    parse_opts(&o, argc, argv);
    if (sodium_init() < 0)
        hall_die("libsodium did not start");
    setvbuf(stdout, NULL, _IOLBF, 0);
    long files = hc_raise_nofile();
    if (files < o.conns + 64)
        hall_die("%d connections do not fit in %ld files", o.conns, files);
    session_make(&h);
    double verify_before = verify(&h, "the session as made");
    serve(&h, false);
    session_id(&h);
    hall_login_all(&h.s, h.srv.port, 64);
    ceremony(&h);
    for (int k = 0; k < o.nshapes; k++)
        run_shape(&h, &o.shapes[k]);
    printf("\nstop        yishi serve ended with status %d\n", hall_stop(&h.srv, SIGTERM));
    double verify_all = verify(&h, "after the elections");
    printf("verify      the elections' share of verify's CPU: %.2f s\n", verify_all - verify_before);
    if (serve(&h, true))
        hall_stop(&h.srv, SIGTERM);
    for (int t = 0; t < TRUSTEES; t++)
        ys_vtrustee_free(h.dev[t]);
    hall_session_free(&h.s);
    free(h.code);
    printf("%s\n", h.failures ? "ERRORS: see above" : "no errors");
    return h.failures ? 1 : 0;
}
