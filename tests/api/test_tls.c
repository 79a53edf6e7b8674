/* test_tls.c — `yishi serve --tls-cert --tls-key` with a self-signed certificate made at test time
 * (openssl, or GnuTLS's certtool): the API and a live stream answer over https, plain http to the same
 * port gets nothing, and a missing, unreadable or mismatched certificate stops the server with a clear error. */
#include "apitest.h"

static api_server srv;
static char cert[300], key[300], other_key[300];

static int run(const char *cmd)
{
    int rc = system(cmd);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* A certificate for 127.0.0.1 (as a subjectAltName IP, which libcurl checks) and its key, and a second
 * key that does not match it. */
static void make_cert(const char *dir)
{
    char cmd[4096];
    snprintf(cert, sizeof cert, "%s/cert.pem", dir);
    snprintf(key, sizeof key, "%s/key.pem", dir);
    snprintf(other_key, sizeof other_key, "%s/other-key.pem", dir);
    if (run("command -v openssl >/dev/null") == 0) {
        snprintf(cmd, sizeof cmd,
                 "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 "
                 "-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout '%s' -out '%s' 2>/dev/null && "
                 "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:prime256v1 -out '%s' 2>/dev/null",
                 key, cert, other_key);
    } else {
        snprintf(cmd, sizeof cmd,
                 "printf 'cn = 127.0.0.1\\nip_address = 127.0.0.1\\nexpiration_days = 2\\nsigning_key\\n"
                 "encryption_key\\ntls_www_server\\n' > '%s/cert.cfg' && "
                 "certtool --generate-privkey --ecc --outfile '%s' 2>/dev/null && "
                 "certtool --generate-self-signed --load-privkey '%s' --template '%s/cert.cfg' --outfile '%s' "
                 "2>/dev/null && certtool --generate-privkey --ecc --outfile '%s' 2>/dev/null",
                 dir, key, key, dir, cert, other_key);
    }
    if (run(cmd) != 0)
        fail_msg("cannot make a certificate: neither openssl nor certtool worked (scripts/install-deps)");
}

static int setup(void **state)
{
    (void)state;
    api_make_demo(&srv);
    make_cert(srv.dir);
    const char *const extra[] = {"--tls-cert", cert, "--tls-key", key, NULL};
    api_start(&srv, extra);
    snprintf(srv.cainfo, sizeof srv.cainfo, "%s", cert);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    assert_int_equal(api_stop(&srv, SIGTERM), 0);
    api_cleanup(&srv);
    return 0;
}

static void https_answers(void **state)
{
    (void)state;
    assert_int_equal(strncmp(srv.base, "https://", 8), 0); /* the server said it listens for https */
    api_resp r = api_call(&srv, "GET", "/api/status", NULL, NULL);
    api_expect(r, 200, NULL);
    assert_int_equal(api_int(&r, "present"), 533);
    api_free(&r);
    /* A write over TLS: a login, and a change that is committed and answered. */
    char *sec = api_login_staff(&srv, "secretariat", "demo-secretariat");
    r = api_call(&srv, "POST", "/api/polls", sec, "{\"title\":\"关于加密连接的测试决议\"}");
    api_expect(r, 201, NULL);
    assert_int_equal(strlen(api_str(&r, "hash")), 64);
    api_free(&r);
    /* The Origin check compares the scheme too: a page served over plain http is another origin. */
    char plain[96], own[96];
    snprintf(plain, sizeof plain, "Origin: http://127.0.0.1:%d", srv.port);
    snprintf(own, sizeof own, "Origin: https://127.0.0.1:%d", srv.port);
    const char *from_plain[] = {plain, NULL}, *from_own[] = {own, NULL};
    r = api_call_h(&srv, "POST", "/api/polls", sec, "{\"title\":\"来自明文页面\"}", from_plain);
    api_expect(r, 403, "forbidden");
    api_free(&r);
    r = api_call_h(&srv, "POST", "/api/polls", sec, "{\"title\":\"来自本站页面\"}", from_own);
    api_expect(r, 201, NULL);
    api_free(&r);
    ys_free(sec);
}

typedef struct tls_stream {
    api_buf b;
    char *sec;
    bool posted;
} tls_stream;

static size_t until_event(char *d, size_t s, size_t n, void *ud)
{
    tls_stream *t = ud;
    api_write(d, s, n, &t->b);
    return strstr(t->b.p, "event: poll.create\n") && strstr(strstr(t->b.p, "event: poll.create\n"), "\n\n")
               ? 0 : s * n; /* the event whole is enough: stop */
}

/* Once the greeting has come (the stream waits for more), a change to be sent on it. */
static int post_once_open(void *ud, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
    tls_stream *t = ud;
    (void)dt, (void)dn, (void)ut, (void)un;
    if (!t->posted && t->b.p && strstr(t->b.p, "\n\n")) {
        t->posted = true;
        api_resp r = api_call(&srv, "POST", "/api/polls", t->sec, "{\"title\":\"关于加密直播流的测试决议\"}");
        api_expect(r, 201, NULL);
        api_free(&r);
    }
    return 0;
}

/* A live stream over TLS gets its greeting and then a new event, encrypted like the rest (only
 * libmicrohttpd writes to a TLS stream; were anything written to the socket beside it, TLS would fail). */
static void https_stream(void **state)
{
    (void)state;
    char url[128];
    tls_stream t = {.sec = api_login_staff(&srv, "secretariat", "demo-secretariat")};
    CURL *c = curl_easy_init();
    snprintf(url, sizeof url, "%s/api/stream/public", srv.base);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CAINFO, srv.cainfo);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, until_event);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, post_once_open);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, &t);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
    CURLcode rc = curl_easy_perform(c);
    assert_int_equal(rc, CURLE_WRITE_ERROR); /* stopped by until_event, after the event came */
    assert_non_null(t.b.p);
    assert_non_null(strstr(t.b.p, "retry: 3000"));
    assert_true(t.posted);
    ys_free(t.b.p);
    ys_free(t.sec);
    curl_easy_cleanup(c);
}

/* Without the certificate as a CA the client refuses the server: the answers above were really checked. */
static void https_unknown_ca_refused(void **state)
{
    (void)state;
    char url[128];
    CURL *c = curl_easy_init();
    snprintf(url, sizeof url, "%s/api/status", srv.base);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CAINFO, "/dev/null");
    curl_easy_setopt(c, CURLOPT_CAPATH, NULL);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
    CURLcode rc = curl_easy_perform(c);
    assert_true(rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CACERT_BADFILE || rc == CURLE_SSL_CONNECT_ERROR);
    curl_easy_cleanup(c);
}

static size_t discard(char *d, size_t s, size_t n, void *ud)
{
    (void)d;
    (void)ud;
    return s * n;
}

static void plain_http_refused(void **state)
{
    (void)state;
    char url[128];
    long status = 0;
    CURL *c = curl_easy_init();
    snprintf(url, sizeof url, "http://127.0.0.1:%d/api/status", srv.port);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
    CURLcode rc = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    print_message("plain http to the TLS port: %s\n", curl_easy_strerror(rc));
    assert_true(rc != CURLE_OK);
    assert_true(status != 200);
    curl_easy_cleanup(c);
    /* And the server is none the worse for it. */
    api_resp r = api_call(&srv, "GET", "/api/health", NULL, NULL);
    api_expect(r, 200, NULL);
    api_free(&r);
}

/* Runs `yishi serve` with TLS files that will not do; returns its exit code and its output in `out`. */
static int serve_with(const char *c, const char *k, char *out, size_t max)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "timeout 20 '%s' serve -f '%s' --listen 127.0.0.1:0 %s%s%s %s%s%s 2>&1", api_yishi,
             srv.file, c ? "--tls-cert '" : "", c ? c : "", c ? "'" : "", k ? "--tls-key '" : "", k ? k : "",
             k ? "'" : "");
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t n = fread(out, 1, max - 1, p);
    out[n] = '\0';
    int rc = pclose(p);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static void bad_tls_files(void **state)
{
    (void)state;
    char out[4096], missing[400], junk[400];
    snprintf(missing, sizeof missing, "%s/no-such-cert.pem", srv.dir);
    snprintf(junk, sizeof junk, "%s/demo.db", srv.dir); /* a file, but not PEM */

    int rc = serve_with(missing, key, out, sizeof out);
    print_message("missing certificate: exit %d: %s", rc, out);
    assert_true(rc != 0 && rc != 124);
    assert_non_null(strstr(out, "no-such-cert.pem"));
    assert_null(strstr(out, "listening"));

    rc = serve_with(cert, junk, out, sizeof out);
    print_message("a key that is not PEM: exit %d: %s", rc, out);
    assert_true(rc != 0 && rc != 124);
    assert_non_null(strstr(out, "--tls-key"));
    assert_null(strstr(out, "listening"));

    rc = serve_with(cert, other_key, out, sizeof out);
    print_message("a key of another certificate: exit %d: %s", rc, out);
    assert_true(rc != 0 && rc != 124);
    assert_non_null(strstr(out, "other-key.pem"));
    assert_null(strstr(out, "listening"));

    rc = serve_with(cert, NULL, out, sizeof out);
    print_message("a certificate without a key: exit %d: %s", rc, out);
    assert_true(rc != 0 && rc != 124);
    assert_non_null(strstr(out, "--tls-key"));
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s YISHI\n", argv[0]);
        return 2;
    }
    api_yishi = argv[1];
    curl_global_init(CURL_GLOBAL_ALL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(https_answers),      cmocka_unit_test(https_stream),  cmocka_unit_test(https_unknown_ca_refused),
        cmocka_unit_test(plain_http_refused), cmocka_unit_test(bad_tls_files),
    };
    int failed = cmocka_run_group_tests(tests, setup, teardown);
    curl_global_cleanup();
    return failed;
}
