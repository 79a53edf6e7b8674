/* test_web.c — the pages without a server: the embedded table holds every file under web/ byte for byte
 * with its type and ETag, paths resolve to index.html files, and what would escape web/ is refused. */
#define _XOPEN_SOURCE 700 /* nftw */
#include "testutil.h"

#include "server/web.h"

#include <ftw.h>
#include <limits.h>
#include <sys/stat.h>

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *p = ys_malloc((size_t)n + 1);
    assert_non_null(p);
    assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return p;
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* Asserts that `path` (from `dir`, or embedded when NULL) answers 200 with exactly the bytes of `file`. */
static void expect_file(const char *dir, const char *path, const char *file)
{
    ys_web_answer a;
    size_t len;
    char etag[YS_WEB_ETAG];
    unsigned char *want = slurp(file, &len);
    ys_web_answer_request(dir, "GET", path, false, NULL, &a);
    if (a.status != 200 || a.len != len || memcmp(a.body, want, len) != 0)
        fail_msg("%s (%s): got %d with %zu bytes, wanted the %zu bytes of %s", path, dir ? dir : "embedded", a.status,
                 a.len, len, file);
    ys_web_etag(want, len, etag);
    assert_string_equal(a.etag, etag);
    assert_string_equal(a.type, ys_web_type(file));
    ys_web_answer_free(&a);
    ys_free(want);
}

static int expect_status(const char *dir, const char *method, const char *path, bool nul, const char *inm)
{
    ys_web_answer a;
    ys_web_answer_request(dir, method, path, nul, inm, &a);
    int status = a.status;
    if (status == 404)
        assert_string_equal(a.type, "text/plain; charset=utf-8");
    ys_web_answer_free(&a);
    return status;
}

/* ---- the embedded table against web/ ---- */

static size_t files_seen;

static int check_one(const char *fpath, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st, (void)ftw;
    const char *rel = fpath + strlen(YS_WEB_DIR);
    if (type != FTW_F || strstr(rel, "/."))
        return 0;
    expect_file(NULL, rel, fpath);
    files_seen++;
    return 0;
}

static void every_file_under_web_is_embedded(void **state)
{
    (void)state;
    files_seen = 0;
    assert_int_equal(nftw(YS_WEB_DIR, check_one, 16, FTW_PHYS), 0);
    assert_int_equal(files_seen, ys_web_n_files);
    for (size_t i = 1; i < ys_web_n_files; i++)
        assert_true(strcmp(ys_web_files[i - 1].path, ys_web_files[i].path) < 0);
    for (size_t i = 0; i < ys_web_n_files; i++) {
        char etag[YS_WEB_ETAG];
        ys_web_etag(ys_web_files[i].data, ys_web_files[i].len, etag);
        assert_string_equal(ys_web_files[i].etag, etag);
    }
}

static void pages_resolve_to_their_index(void **state)
{
    (void)state;
    expect_file(NULL, "/", YS_WEB_DIR "/index.html");
    expect_file(NULL, "/index.html", YS_WEB_DIR "/index.html");
    expect_file(NULL, "/board", YS_WEB_DIR "/board/index.html");
    expect_file(NULL, "/terminal", YS_WEB_DIR "/terminal/index.html");
    expect_file(NULL, "/terminal/", YS_WEB_DIR "/terminal/index.html");
    expect_file(YS_WEB_DIR, "/terminal/", YS_WEB_DIR "/terminal/index.html");
    expect_file(YS_WEB_DIR, "/board", YS_WEB_DIR "/board/index.html");
    assert_int_equal(expect_status(NULL, "GET", "/index.html/", false, NULL), 404);
    assert_int_equal(expect_status(NULL, "GET", "/no-such-page", false, NULL), 404);
    assert_int_equal(expect_status(NULL, "HEAD", "/", false, NULL), 200);
    assert_int_equal(expect_status(NULL, "POST", "/", false, NULL), 405);
    assert_int_equal(expect_status(NULL, "DELETE", "/index.html", false, NULL), 405);
}

static void types_and_paths(void **state)
{
    (void)state;
    assert_string_equal(ys_web_type("/a/b.html"), "text/html; charset=utf-8");
    assert_string_equal(ys_web_type("/lib/api.js"), "text/javascript; charset=utf-8");
    assert_string_equal(ys_web_type("/x.CSS"), "text/css; charset=utf-8");
    assert_string_equal(ys_web_type("/seat.svg"), "image/svg+xml; charset=utf-8");
    assert_string_equal(ys_web_type("/vendor/preact/LICENSE"), "text/plain; charset=utf-8");
    assert_string_equal(ys_web_type("/v.1/blob"), "text/plain; charset=utf-8");
    assert_string_equal(ys_web_type("/a.unknown"), "application/octet-stream");
    assert_true(ys_web_is_api("/api/health"));
    assert_true(ys_web_is_api("/api"));
    assert_false(ys_web_is_api("/apis"));
    assert_false(ys_web_is_api("/"));
    static const char *const good[] = {"/", "/a", "/a/", "/lib/api.js", "/vendor/x-1.2/a.b.js", "/中文.html"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        if (!ys_web_path_ok(good[i]))
            fail_msg("%s refused", good[i]);
}

/* ---- what is refused, embedded and from a folder ---- */

static const char *const bad_paths[] = {
    "", "index.html", "/..", "/../CMakeLists.txt", "/board/../index.html", "/./index.html", "/.hidden",
    "//index.html", "/board//index.html", "/a\\..\\index.html", "/\x01", "/index.html\x7f",
};

static void escapes_are_refused(void **state)
{
    (void)state;
    char tmp[] = "/tmp/yishi-web-XXXXXX", out[] = "/tmp/yishi-out-XXXXXX", p[PATH_MAX], q[PATH_MAX];
    assert_non_null(mkdtemp(tmp));
    assert_non_null(mkdtemp(out));
    snprintf(p, sizeof p, "%s/secret.txt", out);
    write_text(p, "outside\n");
    snprintf(p, sizeof p, "%s/index.html", tmp);
    write_text(p, "<!doctype html><title>t</title>\n");
    snprintf(p, sizeof p, "%s/.hidden", tmp);
    write_text(p, "hidden\n");
    snprintf(q, sizeof q, "%s/secret.txt", out);
    snprintf(p, sizeof p, "%s/link-out.txt", tmp);
    assert_int_equal(symlink(q, p), 0);
    snprintf(p, sizeof p, "%s/dir-out", tmp);
    assert_int_equal(symlink(out, p), 0);
    snprintf(p, sizeof p, "%s/link-in.html", tmp);
    assert_int_equal(symlink("index.html", p), 0);
    snprintf(p, sizeof p, "%s/fifo", tmp);
    assert_int_equal(mkfifo(p, 0600), 0);
    for (size_t i = 0; i < sizeof bad_paths / sizeof bad_paths[0]; i++) {
        if (expect_status(NULL, "GET", bad_paths[i], false, NULL) != 404 ||
            expect_status(tmp, "GET", bad_paths[i], false, NULL) != 404)
            fail_msg("'%s' was not refused", bad_paths[i]);
        assert_false(ys_web_path_ok(bad_paths[i]));
    }
    assert_int_equal(expect_status(tmp, "GET", "/link-out.txt", false, NULL), 404);
    assert_int_equal(expect_status(tmp, "GET", "/dir-out/secret.txt", false, NULL), 404);
    assert_int_equal(expect_status(tmp, "GET", "/fifo", false, NULL), 404);
    assert_int_equal(expect_status(tmp, "GET", "/index.html", true, NULL), 404); /* an encoded NUL */
    assert_int_equal(expect_status(NULL, "GET", "/index.html", true, NULL), 404);
    snprintf(p, sizeof p, "%s/index.html", tmp);
    expect_file(tmp, "/link-in.html", p);
    assert_int_equal(expect_status("/no/such/folder", "GET", "/index.html", false, NULL), 404);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s'", tmp, out);
    assert_int_equal(system(cmd), 0);
}

/* --web reads on every request: an edit shows at once, with a new ETag. */
static void folder_is_read_each_time(void **state)
{
    (void)state;
    char tmp[] = "/tmp/yishi-web-XXXXXX", p[PATH_MAX];
    ys_web_answer a;
    assert_non_null(mkdtemp(tmp));
    snprintf(p, sizeof p, "%s/app.js", tmp);
    write_text(p, "export const v = 1;\n");
    expect_file(tmp, "/app.js", p);
    ys_web_answer_request(tmp, "GET", "/app.js", false, NULL, &a);
    char first[YS_WEB_ETAG];
    snprintf(first, sizeof first, "%s", a.etag);
    ys_web_answer_free(&a);
    assert_int_equal(expect_status(tmp, "GET", "/app.js", false, first), 304);
    write_text(p, "export const v = 2;\n");
    expect_file(tmp, "/app.js", p);
    assert_int_equal(expect_status(tmp, "GET", "/app.js", false, first), 200);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    assert_int_equal(system(cmd), 0);
}

static void if_none_match(void **state)
{
    (void)state;
    ys_web_answer a;
    char list[160], weak[64];
    ys_web_answer_request(NULL, "GET", "/", false, NULL, &a);
    const char *etag = a.etag;
    assert_int_equal(expect_status(NULL, "GET", "/", false, etag), 304);
    assert_int_equal(expect_status(NULL, "HEAD", "/", false, etag), 304);
    snprintf(weak, sizeof weak, "W/%s", etag);
    assert_int_equal(expect_status(NULL, "GET", "/", false, weak), 304);
    snprintf(list, sizeof list, "\"0123\", %s", etag);
    assert_int_equal(expect_status(NULL, "GET", "/", false, list), 304);
    assert_int_equal(expect_status(NULL, "GET", "/", false, "*"), 304);
    assert_int_equal(expect_status(NULL, "GET", "/", false, "\"0123\""), 200);
    assert_int_equal(expect_status(NULL, "GET", "/", false, ""), 200);
    assert_int_equal(expect_status(NULL, "GET", "/no-such-page", false, "*"), 404);
    ys_web_answer_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_file_under_web_is_embedded),
        cmocka_unit_test(pages_resolve_to_their_index),
        cmocka_unit_test(types_and_paths),
        cmocka_unit_test(escapes_are_refused),
        cmocka_unit_test(folder_is_read_each_time),
        cmocka_unit_test(if_none_match),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
