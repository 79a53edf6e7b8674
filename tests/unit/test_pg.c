/* test_pg.c — what PostgreSQL adds to the store: one writer per session whoever asks, sessions of one database
 * that never see each other's rows, a session's log copied from a file giving the same hashes, digests and
 * verify, the scratch session of verify leaving nothing behind, a removed session gone whole, and a lost
 * connection reported with PostgreSQL's message. Runs with YISHI_TEST_STORE naming the database (test_pg). */
#include "storeutil.h"

#include "yishi/poll.h"
#include "yishi/hall.h"
#include "yishi/speech.h"

static const char *url(void)
{
    if (!test_pg_url())
        fail_msg("test_pg needs YISHI_TEST_STORE, a PostgreSQL URL (ctest runs it with tests/pg/cluster.sh's)");
    return test_pg_url();
}

static ys_journal *new_session(const char *locator, const char *assembly)
{
    ys_journal *j = NULL;
    ys_err err = {0};
    ys_events evs;
    ys_rules *r = test_rules("prc-county");
    ys_init_args a = {assembly, "第十八届", "第三次会议", r};
    assert_int_equal(ys_journal_open(locator, YS_STORE_CREATE, &j, &err), YS_OK);
    ys_events_init(&evs);
    assert_int_equal(ys_cmd_init(j->session, &test_ctx, &a, &evs, &err), YS_OK);
    assert_int_equal(ys_journal_commit(j, &evs, &err), YS_OK);
    ys_rules_free(r);
    return j;
}

#define COMMIT TEST_COMMIT

/* The hall, a seat move, a document and a speech besides: the projections the votes do not write. */
static void hold_the_rest(ys_journal *j)
{
    static const char hall[] = "seat,tier,block,row,number,tier_name,delegation\n3-1,2,楼座,1,1,二层,\n"
                               "1-2,1,右区,1,1,一层,\n01-01,1,左区,1,1,,第1代表团\n2-1,1,右区,2,1,,\n1-3,1,右区,1,2,,\n";
    static const char hash[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    const ys_session *s = j->session;
    test_journal_import(j, YS_IMPORT_HALL, hall);
    COMMIT(j, ys_cmd_delegate_seat(s, &test_ctx, "D1", "1-3", true, &evs_, &err_));
    COMMIT(j, ys_cmd_document(s, &test_ctx, "政府工作报告", hash, 1200, "征求意见稿", &evs_, &err_));
    COMMIT(j, ys_cmd_speech_request(s, &test_ctx, s->current_meeting, "D3", "审议报告", &evs_, &err_));
    COMMIT(j, ys_cmd_speech_start(s, &test_ctx, s->current_meeting, NULL, &evs_, &err_));
    COMMIT(j, ys_cmd_speech_end(s, &test_ctx, s->current_meeting, "赞同报告。", &evs_, &err_));
}

/* A session with delegates at a plenary, an anonymous vote and a secret election closed (their ballots in the
 * box), and an anonymous vote still open; the hall, a document and a speech: the rows of a session and its box. */
static void hold_votes(ys_journal *j)
{
    char *csv = test_delegates_csv(24, 3), code[16];
    const ys_session *s = j->session;
    test_journal_import(j, YS_IMPORT_DELEGATES, csv);
    ys_free(csv);
    COMMIT(j, ys_cmd_meeting_open(s, &test_ctx, YS_MEETING_PLENARY, "第一次全体会议", NULL, &evs_, &err_));
    for (int i = 1; i <= 24; i++) {
        snprintf(code, sizeof code, "D%d", i);
        COMMIT(j, ys_cmd_attendance(s, &test_ctx, s->current_meeting, code, YS_PRESENT, NULL, &evs_, &err_));
    }
    hold_the_rest(j);
    ys_election_args ea = {.kind = YS_ELECTION, .office = "governor", .seats = 1};
    const char *const ten[] = {"D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8", "D9", "D10"};
    COMMIT(j, ys_cmd_election_create(s, &test_ctx, &ea, &evs_, &err_));
    int election = (int)s->n_elections;
    COMMIT(j, ys_cmd_election_nominate(s, &test_ctx, election, "甲", NULL, 0, &evs_, &err_));
    COMMIT(j, ys_cmd_election_nominate(s, &test_ctx, election, "乙", ten, 10, &evs_, &err_));
    COMMIT(j, ys_cmd_election_open(s, &test_ctx, election, &evs_, &err_));
    const char *const names[] = {"甲", "乙"};
    for (int i = 1; i <= 22; i++) {
        ys_ballot b = {.yes = names + i % 2, .n_yes = 1};
        snprintf(code, sizeof code, "D%d", i);
        COMMIT(j, ys_cmd_election_vote(s, &test_ctx, election, code, &b, &evs_, &err_));
    }
    COMMIT(j, ys_cmd_election_close(s, &test_ctx, election, &evs_, &err_));
    for (int round = 0; round < 2; round++) { /* the second poll is left open, its ballots in the box */
        ys_poll_args pa = {.title = "决议", .method = YS_METHOD_TERMINAL, .named = false};
        COMMIT(j, ys_cmd_poll_create(s, &test_ctx, &pa, &evs_, &err_));
        int poll = (int)s->n_polls;
        COMMIT(j, ys_cmd_poll_open(s, &test_ctx, poll, &evs_, &err_));
        for (int i = 1; i <= 20; i++) {
            snprintf(code, sizeof code, "D%d", i);
            COMMIT(j, ys_cmd_poll_vote(s, &test_ctx, poll, code, (ys_choice)(1 + i % 3), &evs_, &err_));
        }
        if (round == 0)
            COMMIT(j, ys_cmd_poll_close(s, &test_ctx, poll, &evs_, &err_));
    }
}

/* A table's rows as text, one line each, columns apart by '|', NULL as "∅" (test_store_rows). ys_free it. */
static char *rows_of(const char *locator, const char *select) { return test_store_rows(locator, select, "∅"); }

/* Every projection table of the file and of the session holds the same rows, as text, but an election's result,
 * JSON text in a file and jsonb (spaced otherwise) in PostgreSQL. */
static void same_projections(const char *file, const char *session)
{
    static const char *const selects[] = {
        "SELECT assembly, term, name, rules_id, initialized_at FROM session", "SELECT * FROM posts ORDER BY id", "SELECT * FROM delegations ORDER BY id",
        "SELECT * FROM delegates ORDER BY id", "SELECT * FROM attendees ORDER BY id",
        "SELECT * FROM documents ORDER BY id", "SELECT * FROM document_versions ORDER BY document_id, number",
        "SELECT * FROM agenda ORDER BY id", "SELECT * FROM meetings ORDER BY id",
        "SELECT * FROM attendance ORDER BY meeting_id, delegate_id", "SELECT * FROM polls ORDER BY id",
        "SELECT * FROM poll_votes ORDER BY poll_id, delegate_id",
        ("SELECT id, item_id, kind, office, seats, by_election, round_of, state, meeting_id, opened_at, closed_at,"
         " ballots_issued, ballots_returned, ballots_void, valid, threshold, announcement FROM elections ORDER BY id"),
        "SELECT * FROM candidates ORDER BY election_id, position", "SELECT * FROM speeches ORDER BY id",
        "SELECT * FROM election_turnout ORDER BY election_id, delegate_id",
        "SELECT * FROM election_results ORDER BY election_id, name", "SELECT * FROM hall_seats ORDER BY seat",
        "SELECT * FROM keys ORDER BY id", "SELECT * FROM key_trustees ORDER BY key_id, trustee",
        "SELECT * FROM bulletins ORDER BY number", "SELECT * FROM meeting_takeups ORDER BY meeting_id, position",
        "SELECT * FROM meeting_people ORDER BY meeting_id, role, coalesce(delegate_id, 0), coalesce(attendee_id, 0)",
        "SELECT * FROM motions ORDER BY id", "SELECT * FROM motion_signatures ORDER BY motion_id, position",
        "SELECT * FROM motion_deadlines ORDER BY kind", "SELECT * FROM opinions ORDER BY id",
        "SELECT * FROM document_explanations ORDER BY document_id, version",
        "SELECT * FROM explanation_opinions ORDER BY opinion_id",
        "SELECT * FROM checkpoints ORDER BY seq", "SELECT id, kind, ref, content FROM ballot_box ORDER BY id",
        "SELECT hash, size FROM blobs ORDER BY hash",
    };
    for (size_t i = 0; i < sizeof selects / sizeof *selects; i++) {
        char *a = rows_of(file, selects[i]), *b = rows_of(session, selects[i]);
        if (strcmp(a, b) != 0)
            fail_msg("%s differs:\nfile:\n%s\nPostgreSQL:\n%s", selects[i], a, b);
        ys_free(a);
        ys_free(b);
    }
}

/* ---- a file's log, copied into a session ---- */

typedef struct hashes {
    int64_t n;
    char (*hex)[YS_HASH_HEX];
    char **payloads;
} hashes;

static ys_rc note_hash(const ys_event *ev, void *ud, ys_err *err)
{
    hashes *h = ud;
    (void)err;
    h->hex = realloc(h->hex, (size_t)(h->n + 1) * sizeof *h->hex);
    h->payloads = realloc(h->payloads, (size_t)(h->n + 1) * sizeof *h->payloads);
    ys_hash_hex(ev->hash, h->hex[h->n]);
    h->payloads[h->n++] = strdup(ev->payload_text);
    return YS_OK;
}

static void hashes_free(hashes *h)
{
    for (int64_t i = 0; i < h->n; i++)
        free(h->payloads[i]);
    free(h->payloads);
    free(h->hex);
}

/* A session's log read from a file and copied to a PostgreSQL session (ys_store_copy), its ballots, checkpoints
 * and documents with it: the same events, byte for byte; the same hashes; the same digest when replayed; the same
 * rows in every projection table, written by PostgreSQL's statements from the same payloads; the same documents;
 * and it verifies there. A copy into a store that holds a log is refused. */
static void a_files_log_is_the_same_in_postgresql(void **state)
{
    (void)state;
    char *file = test_tmpfile(), *session = NULL;
    ys_err err = {0};
    ys_journal *j = new_session(file, "测试县人民代表大会"), *pg = NULL;
    hold_votes(j);
    uint8_t digest[YS_HASH_BYTES], pg_digest[YS_HASH_BYTES];
    ys_session_digest(j->session, digest);
    static const char content[] = "政府工作报告\0第二稿"; /* a document's bytes, a NUL among them */
    char *got = NULL;
    size_t got_len = 0;
    assert_int_equal(ys_store_begin(j->store, &err), YS_OK);
    assert_int_equal(ys_store_put_blob(j->store, "ab00000000000000000000000000000000000000000000000000000000000001",
                                       content, sizeof content, &err), YS_OK);
    assert_int_equal(ys_store_commit(j->store, &err), YS_OK);
    ys_store *to = NULL, *from = NULL;
    int64_t copied = 0;
    assert_int_equal(ys_store_open(url(), YS_STORE_CREATE, &to, &err), YS_OK);
    assert_int_equal(ys_store_open(file, YS_STORE_READONLY, &from, &err), YS_OK);
    session = ys_strdup(ys_store_locator(to));
    assert_int_equal(ys_store_copy(from, to, &copied, &err), YS_OK);
    assert_int_equal(copied, j->session->seq);
    assert_int_equal(ys_store_copy(from, to, NULL, &err), YS_CONFLICT); /* into a store that holds a log: refused */
    assert_int_equal(ys_store_get_blob(to, "ab00000000000000000000000000000000000000000000000000000000000001", &got,
                                       &got_len, &err), YS_OK);
    assert_int_equal(got_len, sizeof content);
    assert_memory_equal(got, content, sizeof content);
    ys_free(got);
    ys_store_close(from);
    ys_store_close(to);
    print_message("copied %lld events, with the ballot box, checkpoints and documents, to %s\n", (long long)copied,
                  session);
    assert_int_equal(ys_journal_open(session, YS_STORE_READONLY, &pg, &err), YS_OK);
    ys_session_digest(pg->session, pg_digest);
    assert_memory_equal(digest, pg_digest, YS_HASH_BYTES);
    assert_int_equal(pg->session->seq, j->session->seq);
    hashes a = {0}, b = {0};
    assert_int_equal(ys_store_scan(j->store, 0, note_hash, &a, &err), YS_OK);
    assert_int_equal(ys_store_scan(pg->store, 0, note_hash, &b, &err), YS_OK);
    assert_int_equal(a.n, b.n);
    for (int64_t i = 0; i < a.n; i++) {
        assert_string_equal(a.hex[i], b.hex[i]);
        assert_string_equal(a.payloads[i], b.payloads[i]);
    }
    hashes_free(&a);
    hashes_free(&b);
    ys_journal_close(pg);
    ys_journal_close(j);
    same_projections(file, session);
    ys_verify_report rep;
    assert_int_equal(ys_journal_verify(session, &rep, &err), YS_OK);
    if (!rep.ok)
        fail_msg("the copy does not verify at event %lld: %s", (long long)rep.bad_seq, rep.reason);
    assert_memory_equal(rep.digest, digest, YS_HASH_BYTES);
    test_store_remove(session);
    test_rmfile(file);
    ys_free(session);
    ys_free(file);
}

/* ---- sessions in one database ---- */

static ys_rc count_event(const ys_event *ev, void *ud, ys_err *err)
{
    (void)ev, (void)err;
    (*(int *)ud)++;
    return YS_OK;
}

/* Two sessions in one database, each with its own log numbered from 1, its own rows and its own writer. */
static void sessions_do_not_see_each_other(void **state)
{
    (void)state;
    char *one = test_store_new(), *two = test_store_new(), *v = NULL;
    ys_err err = {0};
    ys_journal *a = new_session(one, "甲县人民代表大会"), *b = new_session(two, "乙县人民代表大会");
    char *csv = test_delegates_csv(30, 3);
    test_journal_import(a, YS_IMPORT_DELEGATES, csv);
    ys_free(csv);
    assert_int_not_equal(ys_store_session(a->store), ys_store_session(b->store));
    assert_int_equal(b->session->seq, 1); /* both logs begin at 1 */
    assert_int_equal(b->session->n_delegates, 0);
    int na = 0, nb = 0;
    assert_int_equal(ys_store_scan(a->store, 0, count_event, &na, &err), YS_OK);
    assert_int_equal(ys_store_scan(b->store, 0, count_event, &nb, &err), YS_OK);
    assert_int_equal(na, a->session->seq);
    assert_int_equal(nb, 1);
    assert_true(test_store_sql_value(two, NULL, "SELECT count(*) FROM delegates WHERE session_id = {session}", &v));
    assert_string_equal(v, "0");
    ys_free(v);
    assert_true(test_store_sql_value(two, NULL, "SELECT assembly FROM session WHERE session_id = {session}", &v));
    assert_string_equal(v, "乙县人民代表大会");
    ys_free(v);
    /* each is its own writer's: a second writer of either is refused, the other session is not in its way */
    ys_journal *again = NULL;
    assert_int_equal(ys_journal_open(one, 0, &again, &err), YS_CONFLICT);
    ys_journal_close(b);
    assert_int_equal(ys_journal_open(two, 0, &again, &err), YS_OK);
    ys_journal_close(again);
    ys_verify_report rep;
    assert_int_equal(ys_journal_verify(one, &rep, &err), YS_OK);
    assert_true(rep.ok);
    assert_int_equal(ys_journal_verify(two, &rep, &err), YS_OK);
    assert_true(rep.ok);
    ys_journal_close(a);
    test_store_remove(one);
    test_store_remove(two);
    ys_free(one);
    ys_free(two);
}

/* verify replays into a session of its own inside a transaction never committed: nothing of it stays. A
 * removed session leaves no row in any table; a backup is a file's, and a session's store says so. */
static void verify_and_removal_leave_nothing(void **state)
{
    (void)state;
    char *loc = test_store_new(), *before = NULL, *after = NULL, *rows = NULL;
    ys_err err = {0};
    ys_journal *j = new_session(loc, "测试县人民代表大会");
    hold_votes(j);
    assert_int_equal(ys_store_backup(j->store, "/tmp/never-written.db", &err), YS_UNSUPPORTED);
    assert_non_null(strstr(err.msg, "pg_dump"));
    ys_journal_close(j);
    const char *count = "SELECT (SELECT count(*) FROM sessions) || ' ' || (SELECT count(*) FROM events)";
    assert_true(test_store_sql_value(loc, NULL, count, &before));
    ys_verify_report rep;
    assert_int_equal(ys_journal_verify(loc, &rep, &err), YS_OK);
    assert_true(rep.ok);
    assert_true(test_store_sql_value(loc, NULL, count, &after));
    assert_string_equal(before, after);
    test_store_remove(loc);
    assert_false(ys_store_exists(loc));
    assert_true(test_store_sql_value(loc, NULL, "SELECT (SELECT count(*) FROM events WHERE session_id = {session})"
                                     " + (SELECT count(*) FROM ballot_box WHERE session_id = {session})"
                                     " + (SELECT count(*) FROM delegates WHERE session_id = {session})"
                                     " + (SELECT count(*) FROM checkpoints WHERE session_id = {session})", &rows));
    assert_string_equal(rows, "0");
    ys_journal *gone = NULL;
    assert_int_equal(ys_journal_open(loc, 0, &gone, &err), YS_NOT_FOUND);
    ys_free(before);
    ys_free(after);
    ys_free(rows);
    ys_free(loc);
}

/* The writer's connection cut by the server: the batch fails as the database being unreachable (503 over the
 * API), saying what PostgreSQL said, and nothing of it is written; the next batch connects again, takes the
 * session's lock again and is written; the log holds the second and not the first. */
static void a_lost_connection_fails_the_batch_and_the_next_reconnects(void **state)
{
    (void)state;
    char *loc = test_store_new(), sql[200], *count = NULL;
    ys_err err = {0};
    ys_journal *j = new_session(loc, "测试县人民代表大会"), *second = NULL;
    int64_t before = j->session->seq;
    snprintf(sql, sizeof sql, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name ="
             " 'yishi pid %ld'", (long)getpid());
    assert_true(test_store_sql(loc, NULL, sql));
    ys_events evs;
    ys_events_init(&evs);
    assert_int_equal(ys_cmd_meeting_open(j->session, &test_ctx, YS_MEETING_PLENARY, "全体会议", NULL, &evs, &err), YS_OK);
    assert_int_equal(ys_journal_commit(j, &evs, &err), YS_UNREACHABLE);
    assert_non_null(strstr(err.msg, "the connection to PostgreSQL is lost: "));
    assert_non_null(strstr(err.msg, "terminat")); /* PostgreSQL's own words follow */
    assert_int_equal(j->session->seq, before);
    ys_events_init(&evs);
    assert_int_equal(ys_cmd_meeting_open(j->session, &test_ctx, YS_MEETING_PLENARY, "第一次全体会议", NULL, &evs, &err),
                     YS_OK);
    assert_int_equal(ys_journal_commit(j, &evs, &err), YS_OK);
    assert_int_equal(j->session->seq, before + 1);
    assert_true(test_store_sql_value(loc, NULL, "SELECT count(*) FROM events WHERE session_id = {session}"
                                     " AND payload LIKE '%第一次全体会议%'", &count));
    assert_string_equal(count, "1");
    assert_int_equal(ys_journal_open(loc, 0, &second, &err), YS_CONFLICT); /* its lock is held again */
    ys_free(count);
    ys_journal_close(j);
    test_store_remove(loc);
    ys_free(loc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_files_log_is_the_same_in_postgresql),
        cmocka_unit_test(sessions_do_not_see_each_other),
        cmocka_unit_test(verify_and_removal_leave_nothing),
        cmocka_unit_test(a_lost_connection_fails_the_batch_and_the_next_reconnects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
