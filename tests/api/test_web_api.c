/* test_web_api.c — the pages from the real `yishi serve`: every embedded file at its path with its type,
 * ETag and security headers, the page routes, 304 and HEAD, escapes refused, --web from disk; /api as before. */
#include "apitest.h"

#include "server/web.h"

#include <ctype.h>
#include <limits.h>
#include <sys/stat.h>

static api_server srv;

/* The value of header `name` in r (case-insensitive name), copied to out; false when it has none. */
static bool header_value(const api_resp *r, const char *name, char *out, size_t size)
{
    size_t n = strlen(name);
    for (const char *p = strchr(r->headers, '\n'); p; p = strchr(p + 1, '\n')) {
        size_t i = 0;
        while (i < n && p[1 + i] && tolower((unsigned char)p[1 + i]) == tolower((unsigned char)name[i]))
            i++;
        if (i == n && p[1 + n] == ':') {
            const char *v = p + 2 + n + strspn(p + 2 + n, " ");
            snprintf(out, size, "%.*s", (int)strcspn(v, "\r\n"), v);
            return true;
        }
    }
    return false;
}

static void expect_header(const api_resp *r, const char *name, const char *want)
{
    char got[512];
    if (!header_value(r, name, got, sizeof got))
        fail_msg("no %s header in %s", name, r->headers);
    if (strcmp(got, want) != 0)
        fail_msg("%s: got '%s', wanted '%s'", name, got, want);
}

/* What every page answer carries, whatever its status. */
static void expect_page_headers(const api_resp *r)
{
    expect_header(r, "Content-Security-Policy", YS_WEB_CSP);
    expect_header(r, "X-Content-Type-Options", "nosniff");
    expect_header(r, "Referrer-Policy", "no-referrer");
    expect_header(r, "Cache-Control", "no-cache");
}

static api_resp get(const api_server *s, const char *method, const char *path, const char *if_none_match)
{
    char inm[128];
    const char *extra[] = {inm, NULL};
    snprintf(inm, sizeof inm, "If-None-Match: %s", if_none_match ? if_none_match : "");
    return api_call_h(s, method, path, NULL, NULL, if_none_match ? extra : NULL);
}

/* `path` answers 200 with exactly the bytes `data`, of this type, with this ETag. */
static void expect_served(const api_server *s, const char *path, const unsigned char *data, size_t len,
                          const char *type, const char *etag)
{
    api_resp r = get(s, "GET", path, NULL);
    if (r.status != 200 || r.len != len || memcmp(r.body, data, len) != 0)
        fail_msg("GET %s: got %ld with %zu bytes, wanted 200 with %zu", path, r.status, r.len, len);
    expect_header(&r, "Content-Type", type);
    expect_header(&r, "ETag", etag);
    expect_page_headers(&r);
    api_free(&r);
}

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *p = ys_malloc((size_t)n + 1);
    assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return p;
}

static void every_embedded_file_at_its_path(void **state)
{
    (void)state;
    assert_true(ys_web_n_files > 0);
    for (size_t i = 0; i < ys_web_n_files; i++) {
        const ys_web_file *f = &ys_web_files[i];
        expect_served(&srv, f->path, f->data, f->len, f->type, f->etag);
    }
}

/* The front page is web/index.html byte for byte, and each page its folder's index.html. */
static void pages_at_their_addresses(void **state)
{
    (void)state;
    static const struct { const char *path, *file; } pages[] = {
        {"/", "/index.html"}, {"/terminal", "/terminal/index.html"}, {"/terminal/", "/terminal/index.html"},
        {"/board", "/board/index.html"}, {"/board/", "/board/index.html"},
    };
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        char file[PATH_MAX], etag[YS_WEB_ETAG];
        size_t len;
        snprintf(file, sizeof file, "%s%s", YS_WEB_DIR, pages[i].file);
        unsigned char *want = slurp(file, &len);
        ys_web_etag(want, len, etag);
        expect_served(&srv, pages[i].path, want, len, "text/html; charset=utf-8", etag);
        ys_free(want);
    }
}

static void not_modified_and_head(void **state)
{
    (void)state;
    char etag[64], length[32];
    api_resp r = get(&srv, "GET", "/", NULL);
    assert_true(header_value(&r, "ETag", etag, sizeof etag));
    size_t len = r.len;
    api_free(&r);
    r = get(&srv, "GET", "/", etag);
    assert_int_equal(r.status, 304);
    assert_int_equal(r.len, 0);
    expect_header(&r, "ETag", etag);
    expect_page_headers(&r);
    api_free(&r);
    r = get(&srv, "GET", "/", "\"00000000000000000000000000000000\"");
    assert_int_equal(r.status, 200);
    api_free(&r);
    r = get(&srv, "HEAD", "/", NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.len, 0);
    assert_true(header_value(&r, "Content-Length", length, sizeof length));
    assert_int_equal(atol(length), len);
    expect_header(&r, "Content-Type", "text/html; charset=utf-8");
    expect_header(&r, "ETag", etag);
    api_free(&r);
}

/* Whatever would reach outside web/, or a file not there, is a small text 404, never HTML. */
static void escapes_refused(void **state)
{
    (void)state;
    static const char *const paths[] = {
        "/../CMakeLists.txt", "/board/../../CMakeLists.txt", "/%2e%2e/CMakeLists.txt", "/%2E%2E/CMakeLists.txt",
        "/board/%2e%2e/%2e%2e/CMakeLists.txt", "/.%2e/CMakeLists.txt", "/%2f..%2fCMakeLists.txt",
        "/index.html%00.png", "/index.html%00", "/board%00/index.html", "/%5c..%5cCMakeLists.txt", "//index.html",
        "/.hidden", "/no-such-file.js", "/board/no-such.js", "/index.html/",
    };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        api_resp r = get(&srv, "GET", paths[i], NULL);
        if (r.status != 404)
            fail_msg("GET %s: got %ld, wanted 404", paths[i], r.status);
        expect_header(&r, "Content-Type", "text/plain; charset=utf-8");
        expect_page_headers(&r);
        assert_null(strchr(r.body, '<'));
        api_free(&r);
    }
    api_resp r = api_call(&srv, "POST", "/", NULL, "{}");
    assert_int_equal(r.status, 405);
    expect_header(&r, "Allow", "GET, HEAD");
    api_free(&r);
    /* An encoded NUL in the query of an API request is the API's affair, as before. */
    r = api_call(&srv, "GET", "/api/health?x=%00", NULL, NULL);
    api_expect(r, 200, NULL);
    api_free(&r);
    r = api_call(&srv, "GET", "/index.html", NULL, NULL); /* the connection's NUL is forgotten after */
    assert_int_equal(r.status, 200);
    api_free(&r);
}

/* The API answers as it did: JSON, no-store, its own 404. */
static void api_unchanged(void **state)
{
    (void)state;
    api_resp r = api_call(&srv, "GET", "/api/health", NULL, NULL);
    api_expect(r, 200, NULL);
    expect_header(&r, "Content-Type", "application/json; charset=utf-8");
    expect_header(&r, "Cache-Control", "no-store");
    api_free(&r);
    r = api_call(&srv, "GET", "/api/no-such-route", NULL, NULL);
    api_expect(r, 404, "not_found");
    api_free(&r);
    r = api_call(&srv, "GET", "/api", NULL, NULL);
    api_expect(r, 404, "not_found");
    api_free(&r);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* --web DIR: the folder's files, read on each request, and nothing outside it. */
static void web_folder_from_disk(void **state)
{
    (void)state;
    api_server w = {0};
    char dir[PATH_MAX], p[PATH_MAX + 32], etag[YS_WEB_ETAG];
    snprintf(w.file, sizeof w.file, "%s", srv.file);
    snprintf(dir, sizeof dir, "%s/web", srv.dir);
    assert_int_equal(mkdir(dir, 0700), 0);
    snprintf(p, sizeof p, "%s/board", dir);
    assert_int_equal(mkdir(p, 0700), 0);
    snprintf(p, sizeof p, "%s/board/index.html", dir);
    write_text(p, "<!doctype html><title>board one</title>\n");
    snprintf(p, sizeof p, "%s/link-out", dir);
    assert_int_equal(symlink(YS_WEB_DIR "/index.html", p), 0);
    int code = api_stop(&srv, SIGTERM); /* one server per file: this one gives it to the --web one */
    assert_int_equal(code, 0);
    const char *extra[] = {"--web", dir, NULL};
    api_start(&w, extra);
    const char *one = "<!doctype html><title>board one</title>\n", *two = "<!doctype html><title>board two</title>\n";
    ys_web_etag((const unsigned char *)one, strlen(one), etag);
    expect_served(&w, "/board", (const unsigned char *)one, strlen(one), "text/html; charset=utf-8", etag);
    snprintf(p, sizeof p, "%s/board/index.html", dir);
    write_text(p, two);
    ys_web_etag((const unsigned char *)two, strlen(two), etag);
    expect_served(&w, "/board/", (const unsigned char *)two, strlen(two), "text/html; charset=utf-8", etag);
    static const char *const refused[] = {"/link-out", "/", "/../demo.db", "/%2e%2e/demo.db", "/board/%2e%2e/%2e%2e/demo.db"};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        api_resp r = get(&w, "GET", refused[i], NULL);
        if (r.status != 404)
            fail_msg("--web: GET %s: got %ld, wanted 404", refused[i], r.status);
        api_free(&r);
    }
    assert_int_equal(api_stop(&w, SIGTERM), 0);
    /* A folder that is not there stops the server before it starts, saying so. */
    char cmd[PATH_MAX * 2];
    snprintf(cmd, sizeof cmd, "'%s' serve -f '%s' --listen 127.0.0.1:0 --web '%s/none' 2>&1 | grep -q -- '--web'",
             api_yishi, srv.file, srv.dir);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "'%s' serve -f '%s' --listen 127.0.0.1:0 --web '%s/none' 2>/dev/null", api_yishi,
             srv.file, srv.dir);
    int status = system(cmd);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 2); /* a usage error: the command line named no folder */
    api_start(&srv, NULL); /* for the teardown */
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
        cmocka_unit_test(every_embedded_file_at_its_path),
        cmocka_unit_test(pages_at_their_addresses),
        cmocka_unit_test(not_modified_and_head),
        cmocka_unit_test(escapes_refused),
        cmocka_unit_test(api_unchanged),
        cmocka_unit_test(web_folder_from_disk),
    };
    return api_run_tests(argc, argv, tests, setup, teardown);
}
