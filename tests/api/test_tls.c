/* test_tls.c — `yishi serve --tls-cert --tls-key` with a self-signed certificate made at test time
 * (openssl, or GnuTLS's certtool): the API and a live stream answer over https, plain http to the same
 * port gets nothing, and a missing, unreadable or mismatched certificate stops the server with a clear error;
 * SIGHUP loads a renewed certificate while connections go on, and the server tells systemd (sd_notify) when
 * it is ready, reloading and stopping. */
#include "apitest.h"

#include <sys/socket.h>
#include <sys/un.h>

static api_server srv;
static char cert[300], key[300], other_key[300], renewed_cert[320], renewed_key[320], first_cert[320];

static int run(const char *cmd)
{
    int rc = system(cmd);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* A certificate for 127.0.0.1 (as a subjectAltName IP, which libcurl checks) and its key. */
static void make_pair(const char *dir, const char *c, const char *k)
{
    char cmd[4096];
    if (run("command -v openssl >/dev/null") == 0)
        snprintf(cmd, sizeof cmd,
                 "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 "
                 "-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout '%s' -out '%s' 2>/dev/null",
                 k, c);
    else
        snprintf(cmd, sizeof cmd,
                 "printf 'cn = 127.0.0.1\\nip_address = 127.0.0.1\\nexpiration_days = 2\\nsigning_key\\n"
                 "encryption_key\\ntls_www_server\\n' > '%s/cert.cfg' && "
                 "certtool --generate-privkey --ecc --outfile '%s' 2>/dev/null && "
                 "certtool --generate-self-signed --load-privkey '%s' --template '%s/cert.cfg' --outfile '%s' "
                 "2>/dev/null",
                 dir, k, k, dir, c);
    if (run(cmd) != 0)
        fail_msg("cannot make a certificate: neither openssl nor certtool worked (scripts/install-deps)");
}

/* The certificate the server starts with, a second pair its renewal brings, and a key of neither. */
static void make_certs(const char *dir)
{
    snprintf(cert, sizeof cert, "%s/cert.pem", dir);
    snprintf(key, sizeof key, "%s/key.pem", dir);
    snprintf(other_key, sizeof other_key, "%s/other-key.pem", dir);
    snprintf(renewed_cert, sizeof renewed_cert, "%s/renewed-cert.pem", dir);
    snprintf(renewed_key, sizeof renewed_key, "%s/renewed-key.pem", dir);
    snprintf(first_cert, sizeof first_cert, "%s/first-cert.pem", dir);
    char other_cert[320];
    snprintf(other_cert, sizeof other_cert, "%s/other-cert.pem", dir);
    make_pair(dir, cert, key);
    make_pair(dir, renewed_cert, renewed_key);
    make_pair(dir, other_cert, other_key);
    char cmd[800];
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", cert, first_cert); /* cert.pem is replaced by the renewal */
    assert_int_equal(run(cmd), 0);
}

/* What the server tells systemd (sd_notify), on a datagram socket named by NOTIFY_SOCKET as systemd does. */
static int notify_fd = -1;

static void notify_listen(const char *dir)
{
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    assert_true(strlen(dir) + sizeof "/notify" <= sizeof a.sun_path);
    memcpy(a.sun_path, dir, strlen(dir));
    memcpy(a.sun_path + strlen(dir), "/notify", sizeof "/notify");
    notify_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    assert_true(notify_fd >= 0);
    assert_int_equal(bind(notify_fd, (struct sockaddr *)&a, sizeof a), 0);
    struct timeval wait = {20, 0};
    setsockopt(notify_fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
    setenv("NOTIFY_SOCKET", a.sun_path, 1);
}

/* Reads what the server sends until a message holds `what` (a line such as READY=1); fails after 20 s. */
static void notify_expect(const char *what)
{
    char msg[1024];
    for (;;) {
        ssize_t n = recv(notify_fd, msg, sizeof msg - 1, 0);
        if (n < 0) {
            fail_msg("the server did not tell systemd %s within 20 s", what);
            return;
        }
        msg[(size_t)n] = '\0';
        print_message("sd_notify: %s\n", msg);
        if (strstr(msg, what))
            return;
    }
}

static int setup(void **state)
{
    (void)state;
    api_make_demo(&srv);
    make_certs(srv.dir);
    notify_listen(srv.dir);
    const char *const extra[] = {"--tls-cert", cert, "--tls-key", key, NULL};
    api_start(&srv, extra);
    unsetenv("NOTIFY_SOCKET"); /* the servers the tests start by hand are not this one */
    notify_expect("READY=1");
    snprintf(srv.cainfo, sizeof srv.cainfo, "%s", cert);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    kill(srv.pid, SIGTERM);
    notify_expect("STOPPING=1");
    assert_int_equal(api_stop(&srv, 0), 0);
    close(notify_fd);
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
    /* And the server is none the worse for it; its health names the certificate's end (made for 2 days). */
    api_resp r = api_call(&srv, "GET", "/api/health", NULL, NULL);
    api_expect(r, 200, NULL);
    json_t *tls = json_object_get(r.json, "tls");
    assert_non_null(tls);
    json_int_t left = json_integer_value(json_object_get(tls, "seconds_left"));
    assert_true(left > 86400 && left <= 2 * 86400);
    assert_int_equal(strlen(json_string_value(json_object_get(tls, "not_after"))), 20);
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

/* One GET /api/status on the handle, trusting `ca`. */
static CURLcode status_with(CURL *c, const char *ca)
{
    char url[128];
    snprintf(url, sizeof url, "%s/api/status", srv.base);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CAINFO, ca);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
    return curl_easy_perform(c);
}

static CURLcode fresh_status_with(const char *ca)
{
    CURL *c = curl_easy_init();
    CURLcode rc = status_with(c, ca);
    curl_easy_cleanup(c);
    return rc;
}

/* Puts a file in the place of another, as a renewal does. */
static void put(const char *from, const char *to)
{
    char cmd[800];
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", from, to);
    assert_int_equal(run(cmd), 0);
}

static void sighup(void)
{
    kill(srv.pid, SIGHUP);
    notify_expect("RELOADING=1");
    notify_expect("READY=1");
}

/* A renewed certificate put in place of the old and SIGHUP (systemctl reload): new connections get it, a
 * connection opened before goes on, and a renewal whose key is not the certificate's keeps the pair in use. */
static void reload_on_sighup(void **state)
{
    (void)state;
    CURL *kept = curl_easy_init();
    assert_int_equal(status_with(kept, first_cert), CURLE_OK);
    put(renewed_cert, cert);
    put(renewed_key, key);
    sighup();
    CURLcode rc = fresh_status_with(first_cert);
    print_message("a client that trusts only the first certificate, after the reload: %s\n", curl_easy_strerror(rc));
    assert_int_not_equal(rc, CURLE_OK);
    assert_int_equal(fresh_status_with(renewed_cert), CURLE_OK);
    long connects = -1;
    assert_int_equal(status_with(kept, first_cert), CURLE_OK);
    curl_easy_getinfo(kept, CURLINFO_NUM_CONNECTS, &connects);
    assert_int_equal(connects, 0); /* the same connection, on the TLS session it began with */
    curl_easy_cleanup(kept);

    put(other_key, key);
    sighup();
    assert_int_equal(fresh_status_with(renewed_cert), CURLE_OK);
    put(renewed_key, key);
    snprintf(srv.cainfo, sizeof srv.cainfo, "%s", renewed_cert);
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
        cmocka_unit_test(plain_http_refused), cmocka_unit_test(bad_tls_files), cmocka_unit_test(reload_on_sighup),
    };
    int failed = cmocka_run_group_tests(tests, setup, teardown);
    curl_global_cleanup();
    return failed;
}
