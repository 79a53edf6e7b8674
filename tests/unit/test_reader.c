/* test_reader.c — the server's read connections: statements kept across reads still see every commit
 * the writer makes after them, a scan within a scan works, and more threads than connections share them. */
#include "storeutil.h"

#include "yishi/reader.h"

#include <pthread.h>

static ys_rc count_event(const ys_event *ev, void *ud, ys_err *err)
{
    (void)ev, (void)err;
    (*(int *)ud)++;
    return YS_OK;
}

static int events_read(ys_reader *r)
{
    int n = 0;
    ys_err err = {0};
    assert_int_equal(ys_reader_scan(r, 0, count_event, &n, &err), YS_OK);
    return n;
}

/* A session file with its init event, and `n` delegates imported in a second batch. */
static ys_journal *session_file(const char *path)
{
    ys_journal *j = NULL;
    ys_err err = {0};
    ys_events evs;
    ys_rules *rules = test_rules("prc-county");
    ys_init_args a = {"测试县人民代表大会", "第十八届", "第三次会议", rules};
    assert_int_equal(ys_journal_open(path, YS_STORE_CREATE, &j, &err), YS_OK);
    ys_events_init(&evs);
    assert_int_equal(ys_cmd_init(j->session, &test_ctx, &a, &evs, &err), YS_OK);
    assert_int_equal(ys_journal_commit(j, &evs, &err), YS_OK);
    ys_rules_free(rules);
    return j;
}

static void reads_see_every_commit(void **state)
{
    (void)state;
    char *path = test_store_new(), *data = NULL, *csv = test_delegates_csv(20, 2);
    size_t len = 0;
    ys_err err = {0};
    ys_reader *r = NULL;
    ys_journal *j = session_file(path);
    assert_int_equal(ys_reader_open(path, 2, &r, &err), YS_OK);
    int before = events_read(r);
    assert_true(before > 0);
    static const char hash[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    assert_int_equal(ys_reader_blob(r, hash, &data, &len, &err), YS_NOT_FOUND);
    assert_int_equal(ys_store_begin(j->store, &err), YS_OK);
    assert_int_equal(ys_store_put_blob(j->store, hash, "第一稿", strlen("第一稿"), &err), YS_OK);
    assert_int_equal(ys_store_commit(j->store, &err), YS_OK);
    assert_int_equal(ys_reader_blob(r, hash, &data, &len, &err), YS_OK);
    assert_int_equal(len, strlen("第一稿"));
    assert_string_equal(data, "第一稿");
    ys_free(data);
    static const char second[] = "1123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    assert_int_equal(ys_store_begin(j->store, &err), YS_OK);
    assert_int_equal(ys_store_put_blob(j->store, second, "第二稿", strlen("第二稿"), &err), YS_OK);
    assert_int_equal(ys_store_commit(j->store, &err), YS_OK);
    assert_int_equal(ys_reader_blob(r, second, &data, &len, &err), YS_OK); /* the read before it has ended */
    ys_free(data);
    ys_events evs;
    ys_diags d;
    ys_csv *rows = NULL;
    ys_diags_init(&d);
    ys_events_init(&evs);
    assert_int_equal(ys_csv_parse(csv, strlen(csv), &rows, &d), YS_OK);
    assert_int_equal(ys_cmd_import(j->session, &test_ctx, YS_IMPORT_DELEGATES, rows, &evs, &d), YS_OK);
    size_t added = evs.n;
    assert_int_equal(ys_journal_commit(j, &evs, &err), YS_OK);
    ys_csv_free(rows);
    ys_diags_free(&d);
    assert_true(added >= 20);
    assert_int_equal(events_read(r), before + (int)added); /* the kept statement holds no old snapshot */
    ys_reader_close(r);
    ys_journal_close(j);
    test_store_remove(path);
    ys_free(path);
    ys_free(csv);
}

/* A scan from within a scan's callback, on the same connection (the store then prepares a second
 * statement instead of resetting the one in use). */
static ys_rc nested_scan(const ys_event *ev, void *ud, ys_err *err)
{
    ys_store *st = ud;
    int n = 0;
    if (ev->seq == 1 && ys_store_scan(st, 0, count_event, &n, err) == YS_OK)
        assert_true(n > 0);
    return YS_OK;
}

static void a_scan_within_a_scan(void **state)
{
    (void)state;
    char *path = test_store_new();
    ys_err err = {0};
    ys_journal *j = session_file(path);
    int n = 0;
    assert_int_equal(ys_store_scan(j->store, 0, nested_scan, j->store, &err), YS_OK);
    assert_int_equal(ys_store_scan(j->store, 0, count_event, &n, &err), YS_OK);
    assert_true(n > 0);
    ys_journal_close(j);
    test_store_remove(path);
    ys_free(path);
}

typedef struct reads {
    ys_reader *r;
    int events, failures;
} reads;

static void *read_often(void *ud)
{
    reads *w = ud;
    for (int i = 0; i < 200; i++) {
        int n = 0;
        ys_err err = {0};
        if (ys_reader_scan(w->r, 0, count_event, &n, &err) != YS_OK || n != w->events)
            w->failures++;
    }
    return NULL;
}

static void more_threads_than_connections(void **state)
{
    (void)state;
    char *path = test_store_new();
    ys_err err = {0};
    ys_reader *r = NULL;
    ys_journal *j = session_file(path);
    assert_int_equal(ys_reader_open(path, 2, &r, &err), YS_OK);
    pthread_t th[5];
    reads w[5];
    for (int i = 0; i < 5; i++) {
        w[i] = (reads){r, events_read(r), 0};
        assert_int_equal(pthread_create(&th[i], NULL, read_often, &w[i]), 0);
    }
    for (int i = 0; i < 5; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(w[i].failures, 0);
    }
    ys_reader_close(r);
    ys_journal_close(j);
    test_store_remove(path);
    ys_free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_see_every_commit),
        cmocka_unit_test(a_scan_within_a_scan),
        cmocka_unit_test(more_threads_than_connections),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
