/* apitest.h — what the API tests share: a demo session file in a temporary directory, the real
 * `yishi serve` started on a free loopback port, and HTTP calls with libcurl that return status and JSON.
 * Header-only so each test program stays one file. */
#ifndef YS_APITEST_H
#define YS_APITEST_H

#include "yishi/alloc.h"

#include <curl/curl.h>
#include <jansson.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *api_yishi; /* the yishi binary, argv[1] */

typedef struct api_server {
    pid_t pid;
    int port;
    char base[64];
    char dir[256], file[320]; /* file: the session's file, or its PostgreSQL locator (api_on_postgresql) */
    char pg_db[64];     /* the database api_make_demo made for the session in PostgreSQL, "" for none */
    char store[400];    /* a PostgreSQL database served whole (--store) instead of the file, "" for none */
    char cainfo[320];   /* a CA file for https (the server's self-signed certificate), "" for none */
    char setup_code[64]; /* the one-time code `yishi serve --setup` prints, "" for none */
} api_server;

/* The test's own database in PostgreSQL, a copy of the template database tests/pg/demo_template.sh filled with
 * the demo (its locator in the file YISHI_TEST_PG_DEMO): CREATE DATABASE … TEMPLATE copies its files, where an
 * import would replay and verify the whole log again. s->file becomes the copy's session. */
static inline void api_copy_pg_demo(api_server *s, const char *locator_file)
{
    char template[400], cmd[1400];
    FILE *f = fopen(locator_file, "r");
    assert_non_null(f);
    assert_non_null(fgets(template, sizeof template, f));
    fclose(f);
    template[strcspn(template, "\n")] = '\0';
    const char *admin = getenv("YISHI_TEST_STORE"), *name = strstr(template, ":///"), *q = strchr(template, '?');
    assert_true(admin && name && q && name < q);
    name += 4;
    snprintf(s->pg_db, sizeof s->pg_db, "api_%s", strrchr(s->dir, '-') + 1);
    snprintf(cmd, sizeof cmd, "psql -qtA '%s' -c 'CREATE DATABASE \"%s\" TEMPLATE %.*s' >/dev/null", admin,
             s->pg_db, (int)(q - name), name);
    assert_int_equal(system(cmd), 0);
    snprintf(s->file, sizeof s->file, "postgresql:///%s%s", s->pg_db, q);
}

/* Whether the session is in PostgreSQL (the test programs' _pg runs) rather than in a file. */
static inline bool api_on_postgresql(const api_server *s)
{
    return s->pg_db[0] != '\0';
}

/* A session in PostgreSQL as the command line names it apart: the database's URL (without session=) and the
 * session's id, for --store URL --session ID. */
static inline void api_store_and_session(const api_server *s, char *url, size_t cap, char session[16])
{
    const char *at = strstr(s->file, "&session=");
    assert_non_null(at);
    snprintf(url, cap, "%.*s", (int)(at - s->file), s->file);
    snprintf(session, 16, "%s", at + strlen("&session="));
}

/* A new demo session (549 delegates, published demo logins) in a temporary directory: a copy of the one the
 * CTest fixture demo_template made for this build (YISHI_TEST_DEMO), since the demo's verifiable ballots take
 * seconds to encrypt; `yishi demo` itself when there is none (a test run by hand). In a _pg run (YISHI_TEST_PG_DEMO
 * set) the session is a copy of the same demo in PostgreSQL instead, served by its locator. */
static inline void api_make_demo(api_server *s)
{
    char cmd[1024];
    const char *made = getenv("YISHI_TEST_DEMO"), *in_pg = getenv("YISHI_TEST_PG_DEMO");
    s->store[0] = '\0'; /* a session to serve, not a whole database */
    s->pg_db[0] = '\0';
    snprintf(s->dir, sizeof s->dir, "/tmp/yishi-api-XXXXXX");
    assert_non_null(mkdtemp(s->dir));
    if (in_pg && *in_pg) {
        api_copy_pg_demo(s, in_pg);
        return;
    }
    snprintf(s->file, sizeof s->file, "%s/demo.db", s->dir);
    if (made && access(made, R_OK) == 0)
        snprintf(cmd, sizeof cmd, "cp '%s' '%s'", made, s->file);
    else
        snprintf(cmd, sizeof cmd, "'%s' demo -f '%s' >/dev/null", api_yishi, s->file);
    assert_int_equal(system(cmd), 0);
}

/* Starts `yishi serve` on the file (or the store, when one is set) with extra arguments (NULL-terminated) and waits until it listens. */
static inline void api_start(api_server *s, const char *const *extra)
{
    int out[2];
    char line[512];
    const char *argv[32] = {api_yishi, "serve", s->store[0] ? "--store" : "-f", s->store[0] ? s->store : s->file,
                            "--listen", "127.0.0.1:0"};
    int n = 6;
    for (int i = 0; extra && extra[i] && n < 30; i++)
        argv[n++] = extra[i];
    argv[n] = NULL;
    assert_int_equal(pipe(out), 0);
    s->pid = fork();
    assert_true(s->pid >= 0);
    if (s->pid == 0) {
        /* A server outlives no test: when an assertion ends the test program, its servers go too (and
         * release the output pipe that ctest waits on). */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        dup2(out[1], 1);
        close(out[0]);
        close(out[1]);
        execv(api_yishi, (char *const *)argv);
        _exit(127);
    }
    close(out[1]);
    FILE *f = fdopen(out[0], "r");
    s->port = 0;
    bool tls = false;
    s->setup_code[0] = '\0';
    while (fgets(line, sizeof line, f)) {
        if (!strncmp(line, "setup code ", 11))
            sscanf(line + 11, "%63s", s->setup_code);
        const char *p = strstr(line, "listening on http");
        if (p && (p = strstr(p, "://127.0.0.1:"))) {
            tls = p[-1] == 's';
            s->port = atoi(p + strlen("://127.0.0.1:"));
            break;
        }
    }
    fclose(f);
    assert_true(s->port > 0);
    snprintf(s->base, sizeof s->base, "%s://127.0.0.1:%d", tls ? "https" : "http", s->port);
}

/* Sends `sig` and returns the exit status. */
static inline int api_stop(api_server *s, int sig)
{
    int status = 0;
    if (s->pid <= 0) /* never started (a setup that failed): kill(0) would signal the whole process group */
        return -1;
    kill(s->pid, sig);
    waitpid(s->pid, &status, 0);
    s->pid = 0;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static inline void api_cleanup(api_server *s)
{
    char cmd[600];
    if (api_on_postgresql(s)) {
        snprintf(cmd, sizeof cmd, "psql -qtA '%s' -c 'DROP DATABASE \"%s\" WITH (FORCE)' >/dev/null",
                 getenv("YISHI_TEST_STORE"), s->pg_db);
        if (system(cmd) != 0)
            fprintf(stderr, "cannot drop the database %s\n", s->pg_db);
        s->pg_db[0] = '\0';
    }
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", s->dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", s->dir);
}

/* The demo session served for a test program's whole group of tests, and its end. */
static inline int api_demo_up(api_server *s)
{
    api_make_demo(s);
    api_start(s, NULL);
    return 0;
}

static inline int api_demo_down(api_server *s)
{
    api_stop(s, SIGTERM);
    api_cleanup(s);
    return 0;
}

/* A test program's main: `PROGRAM PATH-TO-YISHI`, libcurl ready, the group run with its fixtures. */
#define api_run_tests(argc, argv, tests, setup, teardown) \
    api_run_group(argc, argv, #tests, tests, sizeof tests / sizeof tests[0], setup, teardown)

static inline int api_run_group(int argc, char **argv, const char *name, const struct CMUnitTest *tests, size_t n,
                                CMFixtureFunction setup, CMFixtureFunction teardown)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s PATH-TO-YISHI\n", argv[0]);
        return 2;
    }
    api_yishi = argv[1];
    curl_global_init(CURL_GLOBAL_ALL);
    int failed = _cmocka_run_group_tests(name, tests, n, setup, teardown);
    curl_global_cleanup();
    return failed;
}

/* ---- HTTP ---- */

typedef struct api_buf {
    char *p;
    size_t n;
} api_buf;

static size_t api_write(char *data, size_t size, size_t nmemb, void *ud)
{
    api_buf *b = ud;
    size_t k = size * nmemb;
    char *q = ys_realloc(b->p, b->n + k + 1);
    if (!q)
        return 0;
    b->p = q;
    memcpy(b->p + b->n, data, k);
    b->n += k;
    b->p[b->n] = '\0';
    return k;
}

typedef struct api_resp {
    long status;
    json_t *json;     /* NULL when the body is not JSON */
    char *body;
    size_t len;       /* of body, which may hold NULs */
    char headers[2048];
} api_resp;

static size_t api_header(char *data, size_t size, size_t nmemb, void *ud)
{
    api_resp *r = ud;
    size_t k = size * nmemb, have = strlen(r->headers);
    if (have + k + 1 < sizeof r->headers) {
        memcpy(r->headers + have, data, k);
        r->headers[have + k] = '\0';
    }
    return k;
}

/* The server's base and `path`, as much as it takes (a cut URL would request another path). Free with ys_free. */
static inline char *api_url(const api_server *s, const char *path)
{
    size_t n = strlen(s->base) + strlen(path) + 1;
    char *url = ys_malloc(n);
    assert_non_null(url);
    snprintf(url, n, "%s%s", s->base, path);
    return url;
}

/* One request from the loopback address `from` (NULL: the default, 127.0.0.1; any of 127.0.0.0/8 makes
 * another client address for the server). `token` may be NULL; `extra` are more header lines
 * (NULL-terminated, may be NULL). */
static inline api_resp api_call_from(const api_server *s, const char *from, const char *method, const char *path,
                                     const char *token, const char *body, const char *const *extra)
{
    api_resp r = {0};
    api_buf b = {0};
    char auth[128], iface[80], *url = api_url(s, path);
    struct curl_slist *h = NULL;
    CURL *c = curl_easy_init();
    curl_easy_setopt(c, CURLOPT_URL, url); /* libcurl keeps its own copy */
    ys_free(url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_NOBODY, strcmp(method, "HEAD") == 0 ? 1L : 0L); /* else it waits for one */
    curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L); /* "/../x" is sent as written, not tidied by libcurl */
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, api_write);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, api_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &r);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
    /* With Expect: 100-continue, wait for the server's word before sending the body however loaded the
     * machine is (libcurl's default wait is 1 s). */
    curl_easy_setopt(c, CURLOPT_EXPECT_100_TIMEOUT_MS, 30000L);
    if (from) {
        snprintf(iface, sizeof iface, "host!%s", from);
        curl_easy_setopt(c, CURLOPT_INTERFACE, iface);
    }
    if (s->cainfo[0])
        curl_easy_setopt(c, CURLOPT_CAINFO, s->cainfo);
    if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
        h = curl_slist_append(h, "Content-Type: application/json");
    }
    if (token) {
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
        h = curl_slist_append(h, auth);
    }
    bool expect = false;
    for (int i = 0; extra && extra[i]; i++) {
        h = curl_slist_append(h, extra[i]);
        expect |= strncmp(extra[i], "Expect:", 7) == 0;
    }
    if (!expect) /* a body goes at once, as from a browser, unless a test asks for Expect: 100-continue */
        h = curl_slist_append(h, "Expect:");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    CURLcode rc = curl_easy_perform(c);
    if (rc == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
    r.body = b.p ? b.p : ys_strdup("");
    r.len = b.n;
    r.json = json_loads(r.body, 0, NULL);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    return r;
}

static inline api_resp api_call_h(const api_server *s, const char *method, const char *path, const char *token,
                                  const char *body, const char *const *extra)
{
    return api_call_from(s, NULL, method, path, token, body, extra);
}

static inline api_resp api_call(const api_server *s, const char *method, const char *path, const char *token,
                                const char *body)
{
    return api_call_h(s, method, path, token, body, NULL);
}

static inline void api_free(api_resp *r)
{
    json_decref(r->json);
    ys_free(r->body);
    r->json = NULL;
    r->body = NULL;
}

static inline const char *api_str(const api_resp *r, const char *key)
{
    return json_string_value(json_object_get(r->json, key));
}

static inline long long api_int(const api_resp *r, const char *key)
{
    return json_integer_value(json_object_get(r->json, key));
}

/* Asserts the status (and the error code, if given) of a response, printing its body when it differs. */
#define api_expect(r, want_status, want_code)                                                              \
    do {                                                                                                    \
        if ((r).status != (want_status) ||                                                                  \
            ((want_code) && (!api_str(&(r), "error") || strcmp(api_str(&(r), "error"), (want_code) ? (want_code) : "") != 0))) \
            fail_msg("%s:%d: got %ld %s, wanted %d %s", __FILE__, __LINE__, (r).status, (r).body, (int)(want_status), \
                     (want_code) ? (want_code) : "");                                                       \
    } while (0)

/* A POST whose answer must have this status (and error code, unless NULL). */
static inline void api_post_expect(const api_server *s, const char *path, const char *token, const char *body,
                                   int status, const char *code)
{
    api_resp r = api_call(s, "POST", path, token, body);
    api_expect(r, status, code);
    api_free(&r);
}

static inline size_t api_stop_reading(char *d, size_t s, size_t n, void *ud)
{
    (void)d, (void)s, (void)n, (void)ud;
    return 0; /* a stream never ends: its status line is all a caller wants */
}

/* ---- live streams ---- */

typedef struct api_sse_read {
    api_buf buf;
    int want;          /* frames with an id to read before stopping */
} api_sse_read;

static inline int api_count_ids(const char *s)
{
    int n = 0;
    for (const char *p = s; p && (p = strstr(p, "\nid: ")); p++)
        n++;
    return n + (s && !strncmp(s, "id: ", 4));
}

static inline size_t api_sse_write(char *d, size_t s, size_t n, void *ud)
{
    api_sse_read *r = ud;
    api_write(d, s, n, &r->buf);
    return api_count_ids(r->buf.p) >= r->want ? 0 : s * n;
}

/* GETs a stream (resuming after `last_id`, -1 for none), handing what comes to `fn` until it returns less
 * than it was given or 10 s pass; returns the status. */
static inline long api_stream_get(const api_server *s, const char *path, const char *token, long long last_id,
                                  size_t (*fn)(char *, size_t, size_t, void *), void *ud)
{
    char auth[128], last[64], *url = api_url(s, path);
    long status = 0;
    struct curl_slist *h = NULL;
    CURL *c = curl_easy_init();
    if (token) {
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
        h = curl_slist_append(h, auth);
    }
    if (last_id >= 0) {
        snprintf(last, sizeof last, "Last-Event-ID: %lld", last_id);
        h = curl_slist_append(h, last);
    }
    curl_easy_setopt(c, CURLOPT_URL, url);
    ys_free(url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, fn);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, ud);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
    curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    return status;
}

/* The status with which a live stream (SSE) answers: read up to its headers, then hang up. */
static inline long api_stream_status(const api_server *s, const char *path, const char *token)
{
    return api_stream_get(s, path, token, -1, api_stop_reading, NULL);
}

/* Reads a stream until `want` events have come (or 10 s pass); returns the text (free it). */
static inline char *api_read_stream(const api_server *s, const char *path, const char *token, long long last_id,
                                    int want)
{
    api_sse_read r = {{0}, want};
    api_stream_get(s, path, token, last_id, api_sse_write, &r);
    return r.buf.p ? r.buf.p : ys_strdup("");
}

/* Logs in and returns the token (free with ys_free). */
static inline char *api_login(const api_server *s, const char *body)
{
    api_resp r = api_call(s, "POST", "/api/login", NULL, body);
    api_expect(r, 200, NULL);
    char *t = ys_strdup(api_str(&r, "token"));
    api_free(&r);
    return t;
}

static inline char *api_login_staff(const api_server *s, const char *name, const char *password)
{
    char body[256];
    snprintf(body, sizeof body, "{\"name\":\"%s\",\"password\":\"%s\"}", name, password);
    return api_login(s, body);
}

/* Demo cards are DEMO and the delegate's code in twelve digits. */
static inline char *api_login_delegate(const api_server *s, const char *code, const char *pin)
{
    char body[256];
    snprintf(body, sizeof body, "{\"code\":\"DEMO%012lld\",\"pin\":\"%s\"}", atoll(code), pin);
    return api_login(s, body);
}

/* The last event's seq of the session at `base` ("" alone, "/s/ID" one of many). */
static inline long long api_seq_at(const api_server *s, const char *base)
{
    char path[64];
    snprintf(path, sizeof path, "%s/api/health", base);
    api_resp r = api_call(s, "GET", path, NULL, NULL);
    long long seq = api_int(&r, "seq");
    api_free(&r);
    return seq;
}

static inline long long api_seq(const api_server *s) { return api_seq_at(s, ""); }

/* Creates a poll (`body` as POST /api/polls takes it) and opens it, as `chair`; returns its id. */
static inline int api_open_poll(const api_server *s, const char *chair, const char *body)
{
    char path[96];
    api_resp r = api_call(s, "POST", "/api/polls", chair, body);
    api_expect(r, 201, NULL);
    int poll = (int)json_integer_value(json_object_get(json_object_get(json_array_get(json_object_get(r.json, "events"), 0),
                                                                       "payload"), "id"));
    api_free(&r);
    snprintf(path, sizeof path, "/api/polls/%d/open", poll);
    r = api_call(s, "POST", path, chair, NULL);
    api_expect(r, 200, NULL);
    api_free(&r);
    return poll;
}

static inline double api_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* How many live streams the server holds (GET /api/health). */
static inline long long api_streams(const api_server *s)
{
    api_resp r = api_call(s, "GET", "/api/health", NULL, NULL);
    api_expect(r, 200, NULL);
    long long n = api_int(&r, "streams");
    api_free(&r);
    return n;
}

/* Seconds until the server holds `want` streams, or -1 after `max` seconds. */
static inline double api_wait_streams(const api_server *s, long long want, double max)
{
    double t0 = api_now();
    while (api_now() - t0 < max) {
        if (api_streams(s) == want)
            return api_now() - t0;
        nanosleep(&(struct timespec){0, 100 * 1000 * 1000}, NULL);
    }
    return -1;
}

#endif
