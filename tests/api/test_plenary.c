/* test_plenary.c — a whole plenary vote over HTTP (check-in, quorum, open, 500 delegates voting at once,
 * close: the result equals the ballots acknowledged), and SIGTERM with requests in flight: every 2xx
 * the server answered is in the log afterwards. Prints the figures it measured. */
#include "apitest.h"

#include <pthread.h>
#include <stdbool.h>

#define VOTERS 500
#define VOTE_THREADS 100

static api_server srv;
static char codes[600][32];
static int n_codes;

static void load_codes(void)
{
    api_resp r = api_call(&srv, "GET", "/api/delegates", NULL, NULL);
    api_expect(r, 200, NULL);
    json_t *a = json_object_get(r.json, "delegates");
    n_codes = 0;
    for (size_t i = 0; i < json_array_size(a) && n_codes < 600; i++)
        snprintf(codes[n_codes++], sizeof codes[0], "%s",
                 json_string_value(json_object_get(json_array_get(a, i), "code")));
    api_free(&r);
}

/* Keeps in `codes` only the delegates present at the meeting, so that each of them can go on leave. */
static void keep_present(int meeting)
{
    char path[64];
    snprintf(path, sizeof path, "/api/meetings/%d/attendance", meeting);
    api_resp r = api_call(&srv, "GET", path, NULL, NULL);
    api_expect(r, 200, NULL);
    json_t *a = json_object_get(r.json, "delegates");
    n_codes = 0;
    for (size_t i = 0; i < json_array_size(a) && n_codes < 600; i++)
        if (!strcmp(json_string_value(json_object_get(json_array_get(a, i), "presence")), "present"))
            snprintf(codes[n_codes++], sizeof codes[0], "%s",
                     json_string_value(json_object_get(json_array_get(a, i), "code")));
    api_free(&r);
}

/* ---- the plenary ---- */

typedef struct voter {
    int index;
    char *token;
    char choice[8];
    long status;
    double latency;
} voter;

static voter voters[VOTERS];
static int poll_id;
static pthread_barrier_t start_line;

static void *login_and_vote(void *ud)
{
    int t = (int)(intptr_t)ud;
    char path[64];
    for (int i = t; i < VOTERS; i += VOTE_THREADS)
        voters[i].token = api_login_delegate(&srv, codes[i], "202401");
    pthread_barrier_wait(&start_line); /* everyone logged in: now all vote at once */
    snprintf(path, sizeof path, "/api/polls/%d/votes", poll_id);
    for (int i = t; i < VOTERS; i += VOTE_THREADS) {
        char body[64];
        snprintf(body, sizeof body, "{\"choice\":\"%s\"}", voters[i].choice);
        double t0 = api_now();
        api_resp r = api_call(&srv, "POST", path, voters[i].token, body);
        voters[i].latency = api_now() - t0;
        voters[i].status = r.status;
        if (r.status == 201 && (api_int(&r, "seq") <= 0 || !api_str(&r, "hash") || strlen(api_str(&r, "hash")) != 64))
            voters[i].status = -1; /* a 201 without its receipt */
        api_free(&r);
    }
    return NULL;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int open_plenary(const char *chair, const char *sec)
{
    api_resp r = api_call(&srv, "POST", "/api/meetings/6/close", chair, NULL);
    api_expect(r, 200, NULL);
    api_free(&r);
    r = api_call(&srv, "POST", "/api/meetings", chair, "{\"kind\":\"plenary\",\"title\":\"第四次全体会议\"}");
    api_expect(r, 201, NULL);
    int meeting = (int)json_integer_value(json_object_get(json_object_get(json_array_get(json_object_get(r.json, "events"), 0),
                                                                          "payload"), "id"));
    api_free(&r);
    /* The secretariat checks in the first 520 at once: one request, one command, 520 events. */
    size_t cap = 64 + 520 * 16;
    char *body = ys_malloc(cap), path[64];
    size_t k = (size_t)snprintf(body, cap, "{\"delegates\":[");
    for (int i = 0; i < 520; i++)
        k += (size_t)snprintf(body + k, cap - k, "%s\"%s\"", i ? "," : "", codes[i]);
    snprintf(body + k, cap - k, "]}");
    snprintf(path, sizeof path, "/api/meetings/%d/checkin", meeting);
    r = api_call(&srv, "POST", path, sec, body);
    api_expect(r, 201, NULL);
    assert_int_equal(json_array_size(json_object_get(r.json, "events")), 520);
    api_free(&r);
    ys_free(body);
    return meeting;
}

static void plenary(void **state)
{
    (void)state;
    pthread_t threads[VOTE_THREADS];
    char path[64];
    char *chair = api_login_staff(&srv, "chair", "demo-chair"), *sec = api_login_staff(&srv, "secretariat", "demo-secretariat");
    load_codes();
    assert_true(n_codes >= 520);
    open_plenary(chair, sec);
    api_resp r = api_call(&srv, "GET", "/api/status", NULL, NULL);
    assert_int_equal(api_int(&r, "present"), 520);
    assert_true(json_is_true(json_object_get(r.json, "quorate")));
    api_free(&r);
    poll_id = api_open_poll(&srv, chair, "{\"title\":\"关于政府工作报告的决议（草案）\"}");
    for (int i = 0; i < VOTERS; i++)
        snprintf(voters[i].choice, sizeof voters[i].choice, "%s", i % 10 < 7 ? "yes" : i % 10 < 9 ? "no" : "abstain");
    pthread_barrier_init(&start_line, NULL, VOTE_THREADS + 1);
    for (int t = 0; t < VOTE_THREADS; t++)
        pthread_create(&threads[t], NULL, login_and_vote, (void *)(intptr_t)t);
    pthread_barrier_wait(&start_line);
    double t0 = api_now();
    for (int t = 0; t < VOTE_THREADS; t++)
        pthread_join(threads[t], NULL);
    double elapsed = api_now() - t0;
    int acked[3] = {0}, ok = 0;
    double lat[VOTERS];
    for (int i = 0; i < VOTERS; i++) {
        if (voters[i].status == 201) {
            ok++;
            acked[voters[i].choice[0] == 'y' ? 0 : voters[i].choice[0] == 'n' ? 1 : 2]++;
        } else {
            fail_msg("voter %d (%s) got %ld", i, codes[i], voters[i].status);
        }
        lat[i] = voters[i].latency;
        ys_free(voters[i].token);
    }
    qsort(lat, VOTERS, sizeof lat[0], cmp_double);
    printf("plenary: %d ballots acknowledged in %.3f s (%.0f ballots/s, group commit), latency p50 %.1f ms, "
           "p99 %.1f ms, max %.1f ms\n", ok, elapsed, ok / elapsed, lat[VOTERS / 2] * 1e3, lat[VOTERS * 99 / 100] * 1e3,
           lat[VOTERS - 1] * 1e3);
    snprintf(path, sizeof path, "/api/polls/%d/close", poll_id);
    r = api_call(&srv, "POST", path, chair, NULL);
    api_expect(r, 200, NULL);
    api_free(&r);
    snprintf(path, sizeof path, "/api/polls/%d", poll_id);
    r = api_call(&srv, "GET", path, NULL, NULL);
    assert_string_equal(api_str(&r, "state"), "closed");
    assert_int_equal(api_int(&r, "yes"), acked[0]);
    assert_int_equal(api_int(&r, "no"), acked[1]);
    assert_int_equal(api_int(&r, "abstain"), acked[2]);
    assert_int_equal(api_int(&r, "voted"), ok);
    assert_int_equal(api_int(&r, "present"), 520);
    assert_int_equal(api_int(&r, "not_voted"), 520 - ok);
    assert_true(json_is_true(json_object_get(r.json, "passed"))); /* 350 yes of 549: more than half of all */
    printf("plenary: %s\n", api_str(&r, "announcement"));
    api_free(&r);
    r = api_call(&srv, "GET", "/api/verify", sec, NULL);
    assert_true(json_is_true(json_object_get(r.json, "ok")));
    api_free(&r);
    ys_free(chair);
    ys_free(sec);
}

/* ---- SIGTERM with requests in flight ---- */

#define TERM_THREADS 16

typedef struct acked {
    long long seq[4096];
    char type[4096][24];
    int n;
    long odd_status;   /* an answer that was neither done (201) nor stopping (503, or no answer) */
    char odd_body[256];
} acked;

static acked acks[TERM_THREADS];
static char *term_token;

/* Toggles its own delegates between leave and present until the server stops answering. */
static void *toggle(void *ud)
{
    int t = (int)(intptr_t)ud;
    acked *a = &acks[t];
    for (int round = 0; a->n < 4096; round++) {
        const char *code = codes[t * 20 + round % 20];
        bool leave = (round / 20) % 2 == 0;
        char body[96];
        snprintf(body, sizeof body, leave ? "{\"delegate\":\"%s\",\"reason\":\"因公\"}" : "{\"delegate\":\"%s\"}", code);
        api_resp r = api_call(&srv, "POST", leave ? "/api/meetings/6/leave" : "/api/meetings/6/checkin", term_token, body);
        long status = r.status;
        if (status == 201) {
            a->seq[a->n] = api_int(&r, "seq");
            snprintf(a->type[a->n], sizeof a->type[0], "%s", leave ? "attendance.leave" : "attendance.checkin");
            a->n++;
        }
        if (status != 201 && status != 0 && status != 503 && !a->odd_status) {
            a->odd_status = status;
            snprintf(a->odd_body, sizeof a->odd_body, "%s", r.body);
        }
        api_free(&r);
        if (status == 0 || status == 503)
            break; /* refused or gone: the server is stopping */
    }
    return NULL;
}

static void sigterm_in_flight(void **state)
{
    (void)state;
    pthread_t threads[TERM_THREADS];
    char cmd[1024], line[4096];
    api_make_demo(&srv);
    api_start(&srv, NULL);
    keep_present(6);
    assert_true(n_codes >= TERM_THREADS * 20);
    term_token = api_login_staff(&srv, "secretariat", "demo-secretariat");
    for (int t = 0; t < TERM_THREADS; t++)
        pthread_create(&threads[t], NULL, toggle, (void *)(intptr_t)t);
    usleep(700 * 1000);
    assert_int_equal(api_stop(&srv, SIGTERM), 0);
    for (int t = 0; t < TERM_THREADS; t++)
        pthread_join(threads[t], NULL);
    ys_free(term_token);
    for (int t = 0; t < TERM_THREADS; t++) /* stopping refuses (503) or hangs up; it never fails a write */
        if (acks[t].odd_status)
            fail_msg("client %d got %ld while the server stopped: %s", t, acks[t].odd_status, acks[t].odd_body);
    /* Every acknowledged change is in the log, at the seq its answer named, of the type asked for. */
    static char seen[200000][24];
    snprintf(cmd, sizeof cmd, "'%s' log -f '%s' --json", api_yishi, srv.file);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    long long last = 0;
    while (fgets(line, sizeof line, p)) {
        json_t *ev = json_loads(line, 0, NULL);
        long long seq = json_integer_value(json_object_get(ev, "seq"));
        if (seq > 0 && seq < 200000)
            snprintf(seen[seq], sizeof seen[0], "%s", json_string_value(json_object_get(ev, "type")));
        last = seq > last ? seq : last;
        json_decref(ev);
    }
    assert_int_equal(pclose(p), 0);
    int total = 0;
    for (int t = 0; t < TERM_THREADS; t++)
        for (int i = 0; i < acks[t].n; i++, total++)
            if (acks[t].seq[i] <= 0 || acks[t].seq[i] >= 200000 || strcmp(seen[acks[t].seq[i]], acks[t].type[i]) != 0)
                fail_msg("acknowledged seq %lld (%s) is not in the log", acks[t].seq[i], acks[t].type[i]);
    printf("sigterm: %d changes acknowledged by 16 clients before and while stopping; all %d in the log (last %lld)\n",
           total, total, last);
    assert_true(total > 0);
    api_cleanup(&srv);
}

static int setup(void **state)
{
    (void)state;
    api_make_demo(&srv);
    api_start(&srv, NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    int code = api_stop(&srv, SIGTERM);
    api_cleanup(&srv);
    return code;
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(plenary, setup, teardown),
        cmocka_unit_test(sigterm_in_flight),
    };
    return api_run_tests(argc, argv, tests, NULL, NULL);
}
