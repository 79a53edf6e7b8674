/* testutil.h — helpers the unit tests share: loading a shipped rule set, building a session from
 * CSV text, and temporary session files. Header-only so each test program stays one file. */
#ifndef YS_TESTUTIL_H
#define YS_TESTUTIL_H

#include "cli/rules_file.h"
#include "yishi/alloc.h"
#include "yishi/command.h"
#include "yishi/journal.h"

#include <jansson.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static ys_ctx test_ctx = {.time = "2024-01-23T07:00:00.000Z", .actor = "test"};

static inline ys_rules *test_rules(const char *name)
{
    ys_rules *r = NULL;
    ys_diags d;
    ys_err err = {0};
    ys_diags_init(&d);
    if (ys_rules_load(name, &r, &d, &err)) {
        ys_diags_print(&d, stderr, name);
        fail_msg("cannot load rule set %s: %s", name, err.msg);
    }
    ys_diags_free(&d);
    return r;
}

/* Accepts events into a session as the journal would (ys_session_accept), without a file. */
static inline ys_rc test_apply(ys_session *s, ys_events *evs)
{
    ys_err err = {0};
    ys_rc rc = ys_session_accept(s, evs->v, evs->n, NULL, &err);
    if (rc && rc != YS_NOMEM)
        print_error("apply: %s\n", err.msg);
    ys_events_free(evs);
    return rc;
}

/* Runs a command that fills `evs_` (with `err_` for its error) and applies what it emits to session `s`;
 * the test fails, naming the call, if the command is refused. */
#define TEST_OK(call)                                                                                                 \
    do {                                                                                                              \
        ys_events evs_;                                                                                               \
        ys_err err_ = {0};                                                                                            \
        ys_events_init(&evs_);                                                                                        \
        if (call)                                                                                                     \
            fail_msg("%s: %s", #call, err_.msg);                                                                      \
        assert_int_equal(test_apply(s, &evs_), YS_OK);                                                                \
    } while (0)

/* Runs a command (against the journal's session) that fills `evs_` (with `err_` for its error) and commits what it
 * emits to journal `j`; the test fails, naming the call, if the command is refused. */
#define TEST_COMMIT(j, call)                                                                                          \
    do {                                                                                                              \
        ys_events evs_;                                                                                               \
        ys_err err_ = {0};                                                                                            \
        ys_events_init(&evs_);                                                                                        \
        if (call)                                                                                                     \
            fail_msg("%s: %s", #call, err_.msg);                                                                      \
        assert_int_equal(ys_journal_commit((j), &evs_, &err_), YS_OK);                                                \
        ys_events_free(&evs_);                                                                                        \
    } while (0)

/* Runs a command that must be refused with `want`, emitting nothing and saying why; TEST_NO_SAYING also
 * checks that the reason holds `part` (the article it names, the field). */
#define TEST_NO_SAYING(want, part, call)                                                                              \
    do {                                                                                                              \
        ys_events evs_;                                                                                               \
        ys_err err_ = {0};                                                                                            \
        ys_events_init(&evs_);                                                                                        \
        assert_int_equal(call, want);                                                                                 \
        assert_int_equal(evs_.n, 0);                                                                                  \
        assert_true(err_.msg[0] != '\0');                                                                             \
        if (!strstr(err_.msg, part))                                                                                  \
            fail_msg("the refusal '%s' does not say '%s'", err_.msg, part);                                           \
    } while (0)
#define TEST_NO(want, call) TEST_NO_SAYING(want, "", call)

/* Imports CSV text through a journal: parsed, checked, committed. */
static inline void test_journal_import(ys_journal *j, ys_import_kind kind, const char *text)
{
    ys_csv *csv = NULL;
    ys_diags d;
    ys_events evs;
    ys_err err = {0};
    ys_diags_init(&d);
    ys_events_init(&evs);
    assert_int_equal(ys_csv_parse(text, strlen(text), &csv, &d), YS_OK);
    assert_int_equal(ys_cmd_import(j->session, &test_ctx, kind, csv, &evs, &d), YS_OK);
    assert_int_equal(ys_journal_commit(j, &evs, &err), YS_OK);
    ys_events_free(&evs);
    ys_csv_free(csv);
    ys_diags_free(&d);
}

static inline ys_session *test_session(const char *rules_name)
{
    ys_session *s = ys_session_new();
    ys_rules *r = test_rules(rules_name);
    ys_events evs;
    ys_err err = {0};
    ys_events_init(&evs);
    ys_init_args a = {"测试省人民代表大会", "第一届", "第一次会议", r};
    assert_int_equal(ys_cmd_init(s, &test_ctx, &a, &evs, &err), YS_OK);
    assert_int_equal(test_apply(s, &evs), YS_OK);
    ys_rules_free(r);
    return s;
}

/* Imports CSV text; returns the command's result, with the problems in *diags if given. */
static inline ys_rc test_import(ys_session *s, ys_import_kind kind, const char *text, ys_diags *diags)
{
    ys_csv *csv = NULL;
    ys_diags local;
    ys_events evs;
    ys_diags *d = diags ? diags : &local;
    ys_diags_init(&local);
    ys_events_init(&evs);
    ys_rc rc = ys_csv_parse(text, strlen(text), &csv, d);
    if (!rc)
        rc = ys_cmd_import(s, &test_ctx, kind, csv, &evs, d);
    if (!rc)
        rc = test_apply(s, &evs);
    else
        assert_int_equal(evs.n, 0); /* a refused import emits nothing */
    ys_events_free(&evs);
    ys_csv_free(csv);
    ys_diags_free(&local);
    return rc;
}

/* A CSV of n delegates in `delegations` delegations, codes D1…Dn, seats row-number. */
static inline char *test_delegates_csv(int n, int delegations)
{
    size_t cap = 128 + (size_t)n * 96;
    char *buf = ys_malloc(cap);
    size_t at = (size_t)snprintf(buf, cap, "code,name,gender,ethnicity,delegation,seat,roles,post\n");
    for (int i = 1; i <= n; i++)
        at += (size_t)snprintf(buf + at, cap - at, "D%d,代表%d,%s,汉族,第%d代表团,%d-%d,,\n", i, i,
                               i % 3 ? "男" : "女", i % delegations + 1, i / 30 + 1, i % 30 + 1);
    return buf;
}

static inline char *test_tmpfile(void)
{
    char *path = ys_strdup("/tmp/yishi-test-XXXXXX");
    int fd = mkstemp(path);
    close(fd);
    unlink(path);
    return path;
}

static inline void test_rmfile(const char *path)
{
    char side[512];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path), unlink(side);
    snprintf(side, sizeof side, "%s-shm", path), unlink(side);
}

/* Counts the jansson allocations that the fault injector fails. The counter sits in front of the
 * functions jansson was given at start and passes each call on, so it only ever counts if those are
 * ys_malloc's: with jansson's own malloc nothing fails and the count stays 0. */
static struct {
    json_malloc_t next;
    long failed;
} test_json_faults __attribute__((unused));

static inline void *test_json_counting_malloc(size_t n)
{
    void *p = test_json_faults.next(n);
    test_json_faults.failed += !p;
    return p;
}

static inline void test_json_count_faults(void)
{
    json_free_t free_fn;
    if (test_json_faults.next)
        return;
    json_get_alloc_funcs(&test_json_faults.next, &free_fn);
    json_set_alloc_funcs(test_json_counting_malloc, free_fn);
}

#endif
