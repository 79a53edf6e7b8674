/* test_journal.c — the session file: replaying the log gives the state that was built live (random
 * command sequences), verify catches a changed byte and names the event, the log is append-only, the
 * projections of meetings as held, motions and opinions hold what their events say (also in a file of
 * version 11, once migrated) and an edited row is named by its table, files that are not yishi sessions (or
 * are newer) are refused, a file has one writer at a time, and a state that cannot be rebuilt after a
 * failed write says why. Run again as test_journal_pg on a session in PostgreSQL (YISHI_TEST_STORE), where
 * the file's own cases have the database's counterparts. */
#include "storeutil.h"

#include "yishi/alloc.h"
#include "yishi/meeting.h"
#include "yishi/motion.h"
#include "yishi/opinion.h"
#include "yishi/poll.h"
#include "yishi/speech.h"

#include <sys/stat.h>
#include <sys/wait.h>

static uint64_t rng_state;
static uint64_t next_random(void)
{
    /* splitmix64: tiny, and the same sequence on every machine */
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}
static int pick(int n) { return (int)(next_random() % (uint64_t)n); }

static ys_journal *new_file(const char *path, const char *rules_name)
{
    ys_journal *j = NULL;
    ys_err err = {0};
    ys_events evs;
    ys_rules *r = test_rules(rules_name);
    ys_init_args a = {"测试县人民代表大会", "第十八届", "第三次会议", r};
    assert_int_equal(ys_journal_open(path, YS_STORE_CREATE, &j, &err), YS_OK);
    ys_events_init(&evs);
    assert_int_equal(ys_cmd_init(j->session, &test_ctx, &a, &evs, &err), YS_OK);
    assert_int_equal(ys_journal_commit(j, &evs, &err), YS_OK);
    ys_rules_free(r);
    return j;
}

/* A step of a vote at the current plenary: bring delegates in until it is quorate, create and open a
 * poll or an election, vote in it (named, anonymous or secret), close it. Sealed ballots go to the box,
 * so a reopened file must restore the counts of votes still open. */
static void vote_command(const ys_session *s, const char *code, ys_events *evs)
{
    ys_err err = {0};
    const ys_meeting *m = ys_current_meeting(s);
    int poll = (int)s->n_polls, election = (int)s->n_elections;
    const ys_poll *p = poll ? &s->polls[poll - 1] : NULL;
    const ys_session_election *el = election ? &s->elections[election - 1] : NULL;
    if (!m || m->kind != YS_MEETING_PLENARY)
        return;
    if (!ys_meeting_attendance(s, m).quorate) {
        for (size_t i = 0; i < s->n_delegates; i++)
            if (ys_meeting_presence(m, (int)i + 1) != YS_PRESENT)
                ys_cmd_attendance(s, &test_ctx, m->id, s->delegates[i].code, YS_PRESENT, NULL, evs, &err);
        return;
    }
    if (p && p->state == YS_POLL_OPEN) {
        if (pick(25))
            ys_cmd_poll_vote(s, &test_ctx, poll, code, (ys_choice)(1 + pick(3)), evs, &err);
        else
            ys_cmd_poll_close(s, &test_ctx, poll, evs, &err);
    } else if (el && el->state == YS_POLL_OPEN) {
        const char *const names[] = {"甲", "乙"};
        ys_ballot b = {.yes = names + pick(2), .n_yes = (size_t)pick(2), .write_in = names, .n_write_in = !pick(5)};
        if (pick(25))
            ys_cmd_election_vote(s, &test_ctx, election, code, &b, evs, &err);
        else
            ys_cmd_election_close(s, &test_ctx, election, evs, &err);
    } else if (p && p->state == YS_POLL_CREATED) {
        ys_cmd_poll_open(s, &test_ctx, poll, evs, &err);
    } else if (el && el->state == YS_POLL_CREATED && el->n_nominees < 2) {
        /* the presidium's one name for one seat, and ten delegates' (Art. 26, county level) */
        const char *const ten[] = {"D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8", "D9", "D10"};
        ys_cmd_election_nominate(s, &test_ctx, election, el->n_nominees ? "乙" : "甲", el->n_nominees ? ten : NULL,
                                 el->n_nominees ? 10 : 0, evs, &err);
    } else if (el && el->state == YS_POLL_CREATED) {
        ys_cmd_election_open(s, &test_ctx, election, evs, &err);
    } else if (p && p->state == YS_POLL_CLOSED && !p->announcement && pick(2)) {
        ys_cmd_poll_announce(s, &test_ctx, poll, evs, &err);
    } else if (el && el->state == YS_POLL_CLOSED && !el->announcement && pick(2)) {
        ys_cmd_election_announce(s, &test_ctx, election, evs, &err);
    } else if (pick(2)) {
        ys_poll_args a = {.title = "决议", .method = YS_METHOD_TERMINAL, .named = pick(2)};
        ys_cmd_poll_create(s, &test_ctx, &a, evs, &err);
    } else {
        ys_election_args a = {.kind = YS_ELECTION, .office = "governor", .seats = 1};
        ys_cmd_election_create(s, &test_ctx, &a, evs, &err);
    }
}

/* One random command; refused ones (a second check-in, no open meeting …) simply emit nothing. */
static void random_command(ys_journal *j)
{
    const ys_session *s = j->session;
    ys_events evs;
    ys_err err = {0};
    char code[16], title[64], hash[YS_HASH_HEX];
    ys_events_init(&evs);
    const ys_meeting *m = ys_current_meeting(s);
    do /* someone who may attend the current meeting */
        snprintf(code, sizeof code, "D%d", 1 + pick((int)s->n_delegates));
    while (m && m->delegation && ys_delegate_by_code(s, code)->delegation != m->delegation);
    switch (m ? pick(12) : 0) {
    case 0:
        snprintf(title, sizeof title, "第%d次会议", (int)s->n_meetings + 1);
        ys_cmd_meeting_open(s, &test_ctx, pick(2) ? YS_MEETING_PLENARY : YS_MEETING_DELEGATION, title,
                            pick(3) ? NULL : "第2代表团", &evs, &err);
        break;
    case 1:
        ys_cmd_meeting_close(s, &test_ctx, s->current_meeting, &evs, &err);
        break;
    case 2:
        snprintf(hash, sizeof hash, "%064x", pick(1 << 20));
        snprintf(title, sizeof title, "文件%d", pick(4));
        ys_cmd_document(s, &test_ctx, title, hash, pick(5000), pick(2) ? "修改稿" : NULL, &evs, &err);
        break;
    case 3:
        ys_cmd_speech_request(s, &test_ctx, s->current_meeting, code, pick(2) ? "审议报告" : NULL, &evs, &err);
        break;
    case 4:
        if (ys_cmd_speech_start(s, &test_ctx, s->current_meeting, pick(4) ? NULL : code, &evs, &err))
            ys_cmd_speech_end(s, &test_ctx, s->current_meeting, pick(2) ? "赞同报告。" : NULL, &evs, &err);
        break;
    case 5: case 6: case 7: case 8:
        vote_command(s, code, &evs);
        break;
    case 9:
        if (pick(30))
            ys_cmd_speech_withdraw(s, &test_ctx, s->current_meeting, code, &evs, &err);
        else /* rarely: a mandate ends, which takes the delegate out of the open meetings */
            ys_cmd_delegate_end(s, &test_ctx, code, "辞职", &evs, &err);
        break;
    default:
        ys_cmd_attendance(s, &test_ctx, s->current_meeting, code, (ys_presence)pick(3), "因公请假", &evs, &err);
    }
    assert_int_equal(ys_journal_commit(j, &evs, &err), YS_OK);
}

/* Opens a plenary with the first `present` delegates checked in, so that votes can open. */
static void quorate_plenary(ys_journal *j, int present)
{
    ys_events evs;
    ys_err err = {0};
    ys_events_init(&evs);
    assert_int_equal(ys_cmd_meeting_open(j->session, &test_ctx, YS_MEETING_PLENARY, "全体会议", NULL, &evs, &err), YS_OK);
    assert_int_equal(ys_journal_commit(j, &evs, &err), YS_OK);
    for (int i = 1; i <= present; i++) {
        char code[16];
        snprintf(code, sizeof code, "D%d", i);
        assert_int_equal(ys_cmd_attendance(j->session, &test_ctx, j->session->current_meeting, code, YS_PRESENT, NULL,
                                           &evs, &err), YS_OK);
    }
    assert_int_equal(ys_journal_commit(j, &evs, &err), YS_OK);
}

/* Where the random sequences start: 60 delegates in 5 delegations, 50 of them at a quorate plenary. */
static ys_journal *random_start(const char *path, uint64_t seed)
{
    rng_state = seed;
    ys_journal *j = new_file(path, "prc-county");
    char *csv = test_delegates_csv(60, 5);
    test_journal_import(j, YS_IMPORT_DELEGATES, csv);
    ys_free(csv);
    quorate_plenary(j, 50);
    return j;
}

static void digest_of_file(const char *path, uint8_t out[YS_HASH_BYTES])
{
    ys_journal *j = NULL;
    ys_err err = {0};
    assert_int_equal(ys_journal_open(path, YS_STORE_READONLY, &j, &err), YS_OK);
    ys_session_digest(j->session, out);
    ys_journal_close(j);
}

static void replay_equals_live(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 8; seed++) {
        char *path = test_store_new();
        uint8_t live[YS_HASH_BYTES], replayed[YS_HASH_BYTES];
        ys_verify_report rep;
        ys_err err = {0};
        ys_journal *j = random_start(path, seed);
        for (int i = 0; i < 300; i++) {
            random_command(j);
            if (i % 97 == 96) { /* the writer stops and starts again: open counts come back from the box */
                uint8_t before[YS_HASH_BYTES], after[YS_HASH_BYTES];
                ys_session_digest(j->session, before);
                ys_journal_close(j);
                assert_int_equal(ys_journal_open(path, 0, &j, &err), YS_OK);
                ys_session_digest(j->session, after);
                assert_memory_equal(before, after, YS_HASH_BYTES);
            }
        }
        ys_session_digest(j->session, live);
        int64_t seq = j->session->seq;
        int voted = 0;
        for (size_t k = 0; k < j->session->n_polls; k++)
            voted += j->session->polls[k].voted;
        for (size_t k = 0; k < j->session->n_elections; k++)
            voted += j->session->elections[k].returned;
        print_message("seed %llu: %lld events, %zu meetings, %zu polls, %zu elections, %d votes and ballots\n",
                      (unsigned long long)seed, (long long)seq, j->session->n_meetings, j->session->n_polls,
                      j->session->n_elections, voted);
        assert_true(voted > 10); /* the votes, secret ones included, were exercised */
        assert_true(seq > 60 + 5 + 150); /* most random commands were accepted, not refused */
        ys_journal_close(j);
        digest_of_file(path, replayed);
        assert_memory_equal(live, replayed, YS_HASH_BYTES);
        assert_int_equal(ys_journal_verify(path, &rep, &err), YS_OK);
        if (!rep.ok)
            fail_msg("seed %llu does not verify at event %lld: %s", (unsigned long long)seed, (long long)rep.bad_seq,
                     rep.reason);
        assert_int_equal(rep.events, seq);
        assert_memory_equal(rep.digest, live, YS_HASH_BYTES);
        test_store_remove(path);
        ys_free(path);
    }
}

static void assert_digest_kept(const ys_session *s)
{
    uint8_t kept[YS_HASH_BYTES], whole[YS_HASH_BYTES];
    ys_session_digest(s, kept);
    ys_session_digest_full(s, whole);
    if (memcmp(kept, whole, YS_HASH_BYTES) != 0)
        fail_msg("after event %lld the digest the fold kept is not the digest of the whole state", (long long)s->seq);
}

/* The digest the fold keeps record by record equals the one recomputed from the whole state, after every
 * commit of random sequences (replay_equals_live's generator) and after restarts that reload the open
 * votes' ballots; and a change the fold did not make shows as a difference. */
static void kept_digest_is_the_whole_states(void **state)
{
    (void)state;
    int ended = 0, announced = 0;
    for (uint64_t seed = 21; seed <= 28; seed++) {
        char *path = test_store_new();
        ys_err err = {0};
        ys_journal *j = random_start(path, seed);
        assert_digest_kept(j->session);
        for (int i = 0; i < 300; i++) {
            random_command(j);
            assert_digest_kept(j->session);
            if (i % 61 == 60) {
                ys_journal_close(j);
                assert_int_equal(ys_journal_open(path, 0, &j, &err), YS_OK);
                assert_digest_kept(j->session);
            }
        }
        ys_session *s = j->session;
        for (size_t k = 0; k < s->n_delegates; k++)
            ended += !s->delegates[k].entitled;
        for (size_t k = 0; k < s->n_polls; k++)
            announced += s->polls[k].announcement != NULL;
        for (size_t k = 0; k < s->n_elections; k++)
            announced += s->elections[k].announcement != NULL;
        print_message("seed %llu: %lld events; %d mandates ended, %d results announced so far\n",
                      (unsigned long long)seed, (long long)s->seq, ended, announced);
        uint8_t kept[YS_HASH_BYTES], whole[YS_HASH_BYTES];
        s->meetings[0].present++; /* behind the fold's back */
        ys_session_digest(s, kept);
        ys_session_digest_full(s, whole);
        assert_memory_not_equal(kept, whole, YS_HASH_BYTES);
        s->meetings[0].present--;
        ys_journal_close(j);
        test_store_remove(path);
        ys_free(path);
    }
    assert_true(ended > 0 && announced > 0); /* the rarer changes were exercised too */
}

/* A small session whose delegate Q7777 is added by a known event; returns that event's seq. */
static int64_t session_with_marker(const char *path)
{
    ys_journal *j = new_file(path, "prc-provincial");
    test_journal_import(j, YS_IMPORT_DELEGATES, "code,name,gender,ethnicity,delegation\nQ1,甲,男,汉族,太原\n"
                                        "Q7777,乙,女,汉族,大同\nQ3,丙,男,回族,大同\n");
    /* events: 1 init, 2 delegation 太原, 3 Q1, 4 delegation 大同, 5 Q7777 */
    int64_t marker = 5;
    assert_non_null(ys_delegate_by_code(j->session, "Q7777"));
    char *csv = test_delegates_csv(30, 3);
    test_journal_import(j, YS_IMPORT_DELEGATES, csv);
    ys_free(csv);
    ys_journal_close(j);
    return marker;
}

/* Changes one byte of the file where `needle` first occurs. */
static void flip_byte_in_file(const char *path, const char *needle, size_t offset_in_needle)
{
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    char *buf = ys_malloc((size_t)size);
    fseek(f, 0, SEEK_SET);
    assert_int_equal(fread(buf, 1, (size_t)size, f), (size_t)size);
    char *at = NULL;
    for (long i = 0; !at && i + (long)strlen(needle) <= size; i++)
        if (memcmp(buf + i, needle, strlen(needle)) == 0)
            at = buf + i;
    assert_non_null(at);
    fseek(f, (long)(at - buf) + (long)offset_in_needle, SEEK_SET);
    fputc(at[offset_in_needle] ^ 0x01, f);
    fclose(f);
    ys_free(buf);
}

static void verify_names_the_changed_event(void **state)
{
    (void)state;
    char *path = test_store_new();
    ys_verify_report rep;
    ys_err err = {0};
    int64_t marker = session_with_marker(path);
    assert_int_equal(ys_journal_verify(path, &rep, &err), YS_OK);
    assert_true(rep.ok);
    /* "Q7777" → "Q7767": one bit of one byte, in the events table's payload only */
    if (test_pg_url())
        assert_true(test_store_sql(path, NULL, "SET session_replication_role = replica; UPDATE events SET payload ="
                                   " replace(payload, '\"code\":\"Q7777\"', '\"code\":\"Q7767\"') WHERE session_id = {session}"));
    else
        flip_byte_in_file(path, "\"code\":\"Q7777\"", 11);
    assert_int_equal(ys_journal_verify(path, &rep, &err), YS_OK);
    assert_false(rep.ok);
    assert_int_equal(rep.bad_seq, marker);
    assert_non_null(strstr(rep.reason, "hash"));
    /* opening the file for work refuses it too */
    ys_journal *j = NULL;
    assert_int_equal(ys_journal_open(path, 0, &j, &err), YS_CORRUPT);
    assert_null(j);
    test_store_remove(path);
    ys_free(path);
}

/* SQL behind the journal's back, as test_store_sql, that must succeed (or fail: `ok` false). */
static void exec_sql(const char *path, const char *sqlite_sql, const char *pg_sql, bool ok)
{
    if (test_store_sql(path, sqlite_sql, pg_sql) != ok)
        fail_msg("%s did not %s", test_pg_url() && pg_sql ? pg_sql : sqlite_sql, ok ? "succeed" : "fail");
}

/* The whole-state digest of version 1 after each commit, as a file written before the incremental
 * digest holds it in its checkpoints. */
typedef struct old_checkpoints {
    int64_t seq[64];
    char hex[64][YS_HASH_HEX];
    int n;
} old_checkpoints;

static void note_v1(old_checkpoints *o, const ys_session *s)
{
    uint8_t d[YS_HASH_BYTES];
    assert_true(ys_session_digest_of(s, 1, d));
    assert_true(o->n < 64);
    o->seq[o->n] = s->seq;
    ys_hash_hex(d, o->hex[o->n++]);
}

/* What version 12 added (docs/files.md): a file of version 11 has none of it. */
#define UNDO_V12                                                                                                    \
    "DROP TABLE explanation_opinions; DROP TABLE document_explanations; DROP TABLE opinions;"                      \
    " DROP TABLE motion_deadlines; DROP TABLE motion_signatures; DROP TABLE motions; DROP TABLE meeting_takeups;"  \
    " DROP TABLE meeting_people; DROP TABLE bulletins; ALTER TABLE polls DROP COLUMN motion_id;"                   \
    " ALTER TABLE meetings DROP COLUMN half_day; ALTER TABLE meetings DROP COLUMN date;"

/* Makes the file look as one written before: schema version 6, and its checkpoints those of version 1. A
 * PostgreSQL session has had no older schema: it gets the old checkpoints alone (as one imported from an old
 * file would have). */
static void make_old(const char *path, const old_checkpoints *o)
{
    char sql[256], pg[256];
    exec_sql(path, "DELETE FROM checkpoints", "DELETE FROM checkpoints WHERE session_id = {session}", true);
    for (int i = 0; i < o->n; i++) {
        snprintf(sql, sizeof sql, "INSERT INTO checkpoints (seq, state_digest) VALUES (%lld, '%s')", (long long)o->seq[i],
                 o->hex[i]);
        snprintf(pg, sizeof pg, "INSERT INTO checkpoints (session_id, seq, state_digest) VALUES ({session}, %lld, '%s')",
                 (long long)o->seq[i], o->hex[i]);
        exec_sql(path, sql, pg, true);
    }
    if (test_pg_url())
        return;
    /* A file of version 6 has neither the checkpoints' digest version (7), the meetings' item (8), the hall (9),
     * the keys of verifiable ballots (11) nor the tables of meetings as held, motions and opinions (12); the
     * trustee role (10) changes a CHECK, which it survives. */
    exec_sql(path, UNDO_V12 " ALTER TABLE checkpoints DROP COLUMN digest_version; ALTER TABLE meetings DROP COLUMN item_id;"
             " DROP TABLE hall_seats; DROP TABLE key_trustees; DROP TABLE keys; PRAGMA user_version = 6", NULL, true);
}

/* bad_seq -1: any event. */
static void verify_expecting(const char *path, bool ok, int64_t bad_seq, const char *reason)
{
    ys_verify_report rep;
    ys_err err = {0};
    assert_int_equal(ys_journal_verify(path, &rep, &err), YS_OK);
    if (rep.ok != ok || (!ok && ((bad_seq >= 0 && rep.bad_seq != bad_seq) || !strstr(rep.reason, reason))))
        fail_msg("verify says %s at event %lld (%s)", rep.ok ? "ok" : "not ok", (long long)rep.bad_seq, rep.reason);
}

/* A file written before the incremental digest is migrated when opened for writing and still verifies:
 * its old checkpoints are compared with the digest of version 1, the new ones with the current version.
 * An edited checkpoint of either version is named by its batch, and one of an unknown version is refused. */
static void old_checkpoints_verify_with_their_version(void **state)
{
    (void)state;
    char *path = test_store_new(), sql[200], pg[200];
    old_checkpoints old = {0};
    ys_err err = {0};
    rng_state = 3;
    ys_journal *j = new_file(path, "prc-county");
    note_v1(&old, j->session);
    char *csv = test_delegates_csv(60, 5);
    test_journal_import(j, YS_IMPORT_DELEGATES, csv);
    ys_free(csv);
    note_v1(&old, j->session);
    quorate_plenary(j, 50);
    note_v1(&old, j->session);
    for (int i = 0; i < 40; i++) {
        random_command(j);
        if (old.seq[old.n - 1] != j->session->seq)
            note_v1(&old, j->session);
    }
    ys_journal_close(j);
    make_old(path, &old);
    assert_int_equal(ys_journal_open(path, 0, &j, &err), YS_OK); /* migrates */
    int64_t last_old = j->session->seq;
    for (int i = 0; i < 20; i++)
        random_command(j);
    int64_t end = j->session->seq;
    assert_true(end > last_old);
    ys_journal_close(j);
    verify_expecting(path, true, 0, "");
    /* an old checkpoint in the middle, edited: named from the event after the checkpoint before it */
#define SET_CHECKPOINT(column, value, seq)                                                                            \
    do {                                                                                                              \
        snprintf(sql, sizeof sql, "UPDATE checkpoints SET " column " = %s WHERE seq = %lld", value, (long long)(seq));  \
        snprintf(pg, sizeof pg, "UPDATE checkpoints SET " column " = %s WHERE session_id = {session} AND seq = %lld",  \
                 value, (long long)(seq));                                                                            \
        exec_sql(path, sql, pg, true);                                                                                \
    } while (0)
    char zeros[80], was[80];
    snprintf(zeros, sizeof zeros, "'%064d'", 0);
    snprintf(was, sizeof was, "'%s'", old.hex[2]);
    SET_CHECKPOINT("state_digest", zeros, old.seq[2]);
    verify_expecting(path, false, old.seq[1] + 1, "differs from the state recorded");
    SET_CHECKPOINT("state_digest", was, old.seq[2]);
    verify_expecting(path, true, 0, "");
    /* the new checkpoint at the end, edited */
    SET_CHECKPOINT("state_digest", zeros, end);
    verify_expecting(path, false, -1, "differs from the state recorded");
    exec_sql(path, "DELETE FROM checkpoints WHERE seq = (SELECT max(seq) FROM checkpoints)",
             "DELETE FROM checkpoints WHERE session_id = {session} AND seq = (SELECT max(seq) FROM checkpoints"
             " WHERE session_id = {session})", true);
    verify_expecting(path, true, 0, "");
    SET_CHECKPOINT("digest_version", "9", old.seq[1]);
#undef SET_CHECKPOINT
    verify_expecting(path, false, old.seq[1], "version 9");
    test_store_remove(path);
    ys_free(path);
}

/* Runs a command on the session of journal `j` and commits what it emits (testutil.h's TEST_COMMIT). */
#define J_OK(call) TEST_COMMIT(j, call)

#define T0 "2024-01-23T07:00:00.000Z"
#define T1 "2024-01-24T02:00:00.000Z"
#define HASH_A "aa00000000000000000000000000000000000000000000000000000000000001"
#define HASH_B "bb00000000000000000000000000000000000000000000000000000000000002"

/* A session with a meeting as held (people in each role, one taken back; items taken up; the date entered
 * afterwards; bulletins), motions of each fate (decided and put to a poll, a suggestion answered twice and
 * rated, a draft withdrawn, the presidium's recall), the presidium's deadlines (one lifted), and opinions
 * with an explanation that took one up. Commands at T0, the decisions, answers and withdrawal at T1. */
static void held_motions_opinions(const char *path)
{
    ys_journal *j = new_file(path, "prc-provincial");
    ys_ctx later = {T1, "test"};
    char *csv = test_delegates_csv(20, 2); /* delegation 1: D1, D3 …; delegation 2: D2, D4 … */
    test_journal_import(j, YS_IMPORT_DELEGATES, csv);
    ys_free(csv);
    test_journal_import(j, YS_IMPORT_ATTENDEES, "name,kind,post,affiliation\n李正印,attendee,,省政协\n王一德,attendee,,两院院士\n");
    test_journal_import(j, YS_IMPORT_AGENDA, "order,kind,title,presenter,document\n1,deliberate,审议政府工作报告,,政府工作报告\n"
                        "2,hear,听取关于议事规则的说明,,\n");
    J_OK(ys_cmd_document(j->session, &test_ctx, "政府工作报告", HASH_A, 100, NULL, &evs_, &err_));
    J_OK(ys_cmd_meeting_open(j->session, &test_ctx, YS_MEETING_PLENARY, "全体会议", NULL, &evs_, &err_));
    J_OK(ys_cmd_meeting_open(j->session, &test_ctx, YS_MEETING_DELEGATION, "代表团全体会议",
                             j->session->delegations[0].name, &evs_, &err_));
    J_OK(ys_cmd_meeting_held(j->session, &test_ctx, 1, "2024-01-22", "上午", &evs_, &err_));
    J_OK(ys_cmd_meeting_person(j->session, &test_ctx, 1, YS_PERSON_PRESIDING, "D1", NULL, false, &evs_, &err_));
    J_OK(ys_cmd_meeting_person(j->session, &test_ctx, 1, YS_PERSON_ROSTRUM, "D2", NULL, false, &evs_, &err_));
    J_OK(ys_cmd_meeting_person(j->session, &test_ctx, 1, YS_PERSON_ROSTRUM, "attendee:2", "在晋两院院士", false, &evs_, &err_));
    J_OK(ys_cmd_meeting_person(j->session, &test_ctx, 1, YS_PERSON_ATTENDING, "李正印", NULL, false, &evs_, &err_));
    J_OK(ys_cmd_meeting_person(j->session, &test_ctx, 1, YS_PERSON_ROSTRUM, "D2", NULL, true, &evs_, &err_));
    J_OK(ys_cmd_meeting_person(j->session, &test_ctx, 2, YS_PERSON_LEADER, "D2", NULL, false, &evs_, &err_));
    J_OK(ys_cmd_meeting_person(j->session, &test_ctx, 2, YS_PERSON_JOINED, "D4", NULL, false, &evs_, &err_));
    J_OK(ys_cmd_meeting_person(j->session, &test_ctx, 2, YS_PERSON_ATTENDING, "attendee:1", NULL, false, &evs_, &err_));
    ys_takeup_args report = {.item = 1, .presenter = "attendee:1", .presents = "作报告"};
    ys_takeup_args hear = {.item = 2, .action = "听取", .body = "省人民政府"}, deliberate = {.item = 1};
    J_OK(ys_cmd_meeting_takeup(j->session, &test_ctx, 1, &report, &evs_, &err_));
    J_OK(ys_cmd_meeting_takeup(j->session, &test_ctx, 1, &hear, &evs_, &err_));
    J_OK(ys_cmd_meeting_takeup(j->session, &test_ctx, 2, &deliberate, &evs_, &err_));
    J_OK(ys_cmd_bulletin_issue(j->session, &test_ctx, 2, &evs_, &err_));
    J_OK(ys_cmd_bulletin_issue(j->session, &test_ctx, 1, &evs_, &err_));

    J_OK(ys_cmd_motion_deadline(j->session, &test_ctx, YS_MOTION, "2024-01-25T10:00:00.000Z", &evs_, &err_));
    J_OK(ys_cmd_motion_deadline(j->session, &test_ctx, YS_MOTION_INQUIRY, "2024-01-25T10:00:00.000Z", &evs_, &err_));
    J_OK(ys_cmd_motion_deadline(j->session, &test_ctx, YS_MOTION_INQUIRY, "", &evs_, &err_));
    ys_motion_draft motion = {.kind = YS_MOTION, .by = YS_BY_DELEGATES, .lead = "D1", .title = "关于制定条例的议案",
                              .grounds = "案据。", .plan = "方案。"};
    ys_motion_draft suggestion = {.kind = YS_MOTION_SUGGESTION, .by = YS_BY_DELEGATES, .lead = "D3",
                                  .title = "关于加强农村公路养护的建议", .addressee = "省交通运输厅"};
    ys_motion_draft withdrawn = {.kind = YS_MOTION, .by = YS_BY_DELEGATES, .lead = "D5", .title = "关于撤回的议案"};
    ys_motion_draft recall = {.kind = YS_MOTION_RECALL, .by = YS_BY_PRESIDIUM, .title = "关于罢免某某的代表职务的议案",
                              .grounds = "罢免理由。", .person = "某某"};
    J_OK(ys_cmd_motion_draft(j->session, &test_ctx, &motion, &evs_, &err_));
    for (int i = 2; i <= 10; i++) {
        char code[8];
        snprintf(code, sizeof code, "D%d", i);
        J_OK(ys_cmd_motion_sign(j->session, &test_ctx, 1, code, &evs_, &err_));
    }
    J_OK(ys_cmd_motion_submit(j->session, &test_ctx, 1, &evs_, &err_));
    J_OK(ys_cmd_motion_decide(j->session, &later, 1, YS_DECIDE_AGENDA, "由法制委员会审议", &evs_, &err_));
    ys_poll_args vote = {.title = "表决关于制定条例的议案", .method = YS_METHOD_TERMINAL, .motion = 1};
    J_OK(ys_cmd_poll_create(j->session, &later, &vote, &evs_, &err_));
    J_OK(ys_cmd_motion_draft(j->session, &test_ctx, &suggestion, &evs_, &err_));
    J_OK(ys_cmd_motion_submit(j->session, &test_ctx, 2, &evs_, &err_));
    J_OK(ys_cmd_motion_decide(j->session, &later, 2, YS_DECIDE_REFER, NULL, &evs_, &err_));
    J_OK(ys_cmd_motion_answer(j->session, &test_ctx, 2, "省交通运输厅", "已列入计划。", &evs_, &err_));
    J_OK(ys_cmd_motion_rate(j->session, &test_ctx, 2, "D3", YS_UNSATISFIED, &evs_, &err_));
    J_OK(ys_cmd_motion_answer(j->session, &later, 2, "省交通运输厅", "已完成养护。", &evs_, &err_)); /* 再作答复 */
    J_OK(ys_cmd_motion_rate(j->session, &later, 2, "D3", YS_SATISFIED, &evs_, &err_));
    J_OK(ys_cmd_motion_draft(j->session, &test_ctx, &withdrawn, &evs_, &err_));
    J_OK(ys_cmd_motion_withdraw(j->session, &later, 3, false, &evs_, &err_));
    J_OK(ys_cmd_motion_draft(j->session, &test_ctx, &recall, &evs_, &err_));

    ys_opinion_args voiced = {.document = "政府工作报告", .section = "第二部分", .text = "建议加大对县域经济的支持。",
                              .delegate = "D1", .meeting = 2};
    ys_opinion_args theirs = {.document = "政府工作报告", .section = "第三部分", .text = "建议增加生态保护内容。",
                              .delegation = j->session->delegations[1].name};
    int taken[] = {1};
    J_OK(ys_cmd_opinion_add(j->session, &test_ctx, &voiced, &evs_, &err_));
    J_OK(ys_cmd_opinion_add(j->session, &test_ctx, &theirs, &evs_, &err_));
    J_OK(ys_cmd_document(j->session, &later, "政府工作报告", HASH_B, 120, "第二稿", &evs_, &err_));
    J_OK(ys_cmd_document_explain(j->session, &later, "政府工作报告", 2, "在第二部分增加支持县域经济的内容。", taken, 1,
                                 &evs_, &err_));
    ys_journal_close(j);
}

/* The rows of a query, one a line, columns joined by '|', NULL as '-' (test_store_rows: on either backend). */
static void assert_rows(const char *path, const char *sql, const char *want)
{
    char *got = test_store_rows(path, sql, "-");
    if (strcmp(got, want) != 0)
        fail_msg("%s gives\n%s\nnot\n%s", sql, got, want);
    ys_free(got);
}

/* Each table of held_motions_opinions, in the order verify compares it (ys_sqlite_projection_tables). */
static void assert_new_tables(const char *path)
{
    assert_rows(path, "SELECT id, kind, date, half_day FROM meetings ORDER BY id",
                "1|plenary|2024-01-22|morning\n2|delegation|2024-01-23|afternoon\n");
    assert_rows(path, "SELECT * FROM meeting_people ORDER BY meeting_id, role, delegate_id, attendee_id",
                "1|attending|-|1|-|" T0 "\n1|presiding|1|-|-|" T0 "\n1|rostrum|-|2|在晋两院院士|" T0 "\n"
                "2|attending|-|1|-|" T0 "\n2|joined|4|-|-|" T0 "\n2|leader|2|-|-|" T0 "\n");
    assert_rows(path, "SELECT * FROM meeting_takeups ORDER BY meeting_id, position",
                "1|1|1|deliberate|1|1|-|1|report|-|" T0 "\n1|2|2|hear|-|-|-|-|-|省人民政府|" T0 "\n"
                "2|1|1|deliberate|1|1|-|-|-|-|" T0 "\n");
    assert_rows(path, "SELECT * FROM bulletins ORDER BY number", "1|2|" T0 "\n2|1|" T0 "\n");
    assert_rows(path, "SELECT * FROM motions ORDER BY id",
                "1|motion|delegates|1|-|-|关于制定条例的议案|案据。|方案。|-|-|decided|" T0 "|" T0 "|agenda|由法制委员会审议|" T1
                "|-|-|-|-|-|-\n"
                "2|suggestion|delegates|3|-|-|关于加强农村公路养护的建议|-|-|省交通运输厅|-|decided|" T0 "|" T0 "|refer|-|" T1
                "|-|-|已完成养护。|省交通运输厅|" T1 "|satisfied\n"
                "3|motion|delegates|5|-|-|关于撤回的议案|-|-|-|-|withdrawn|" T0 "|-|-|-|-|" T1 "|0|-|-|-|-\n"
                "4|recall|presidium|-|-|-|关于罢免某某的代表职务的议案|罢免理由。|-|-|某某|submitted|" T0 "|" T0
                "|-|-|-|-|-|-|-|-|-\n");
    assert_rows(path, "SELECT motion_id, position, delegate_id FROM motion_signatures ORDER BY motion_id, position",
                "1|1|1\n1|2|2\n1|3|3\n1|4|4\n1|5|5\n1|6|6\n1|7|7\n1|8|8\n1|9|9\n1|10|10\n2|1|3\n3|1|5\n");
    assert_rows(path, "SELECT DISTINCT time FROM motion_signatures", T0 "\n");
    assert_rows(path, "SELECT * FROM motion_deadlines ORDER BY kind",
                "inquiry|-|" T0 "\nmotion|2024-01-25T10:00:00.000Z|" T0 "\n");
    assert_rows(path, "SELECT id, motion_id FROM polls ORDER BY id", "1|1\n");
    assert_rows(path, "SELECT * FROM opinions ORDER BY id",
                "1|1|1|第二部分|建议加大对县域经济的支持。|1|1|2|2|" T0 "\n2|1|1|第三部分|建议增加生态保护内容。|2|-|-|-|" T0 "\n");
    assert_rows(path, "SELECT * FROM document_explanations ORDER BY document_id, version",
                "1|2|在第二部分增加支持县域经济的内容。|" T1 "\n");
    assert_rows(path, "SELECT * FROM explanation_opinions ORDER BY opinion_id", "1|1|2\n");
}

static void copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    char buf[65536];
    size_t n;
    assert_non_null(in);
    assert_non_null(out);
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        assert_int_equal(fwrite(buf, 1, n, out), n);
    fclose(in);
    assert_int_equal(fclose(out), 0);
}

/* A store of held_motions_opinions to edit: a copy of the file, or (a session's rows being no file to copy) a
 * session of its own in PostgreSQL, made again. */
static char *held_motions_opinions_again(const char *path)
{
    char *again = test_store_new();
    if (test_pg_url())
        held_motions_opinions(again);
    else
        copy_file(path, again);
    return again;
}

/* The projections of meetings as held, motions and opinions hold what their events say, verify agrees, and
 * an edited row of each of their tables is named by it. An edit is SQL that both backends run on the session's
 * rows (test_store_sql), but for a row inserted, which in PostgreSQL names its session. */
static void held_motions_and_opinions_are_projected(void **state)
{
    (void)state;
    static const char *const edits[][3] = {
        {"UPDATE meetings SET half_day = 'evening' WHERE id = 1", NULL, "projection table meetings, row 1, column half_day"},
        {"UPDATE meeting_people SET group_name = NULL WHERE role = 'rostrum'", NULL, "projection table meeting_people"},
        {"DELETE FROM meeting_people WHERE role = 'joined'", NULL, "projection table meeting_people, row 5"},
        {"UPDATE meeting_takeups SET action = 'vote' WHERE item_id = 2", NULL, "projection table meeting_takeups"},
        {"UPDATE bulletins SET meeting_id = 1 WHERE number = 1", NULL, "projection table bulletins"},
        {"UPDATE motions SET satisfaction = 'unsatisfied' WHERE id = 2", NULL, "projection table motions, row 2"},
        {"UPDATE motion_signatures SET delegate_id = 11 WHERE motion_id = 1 AND position = 10", NULL,
         "projection table motion_signatures"},
        {"UPDATE motion_deadlines SET deadline = NULL WHERE kind = 'motion'", NULL, "projection table motion_deadlines"},
        {"UPDATE polls SET motion_id = NULL", NULL, "projection table polls"},
        {"UPDATE opinions SET text = '改过的意见' WHERE id = 2", NULL, "改过的意见"},
        {"UPDATE opinions SET taken_up_in = NULL WHERE id = 1", NULL,
         "projection table opinions, row 1, column taken_up_in"},
        {"UPDATE document_explanations SET text = '改过的说明'", NULL, "projection table document_explanations"},
        {"INSERT INTO explanation_opinions VALUES (2, 1, 2)", "INSERT INTO explanation_opinions VALUES ({session}, 2, 1, 2)",
         "projection table explanation_opinions has more rows"},
    };
    char *path = test_store_new();
    held_motions_opinions(path);
    assert_new_tables(path);
    verify_expecting(path, true, 0, "");
    for (size_t i = 0; i < sizeof edits / sizeof *edits; i++) {
        char *edited = held_motions_opinions_again(path);
        exec_sql(edited, edits[i][0], edits[i][1], true);
        verify_expecting(edited, false, 0, edits[i][2]);
        test_store_remove(edited);
        ys_free(edited);
    }
    test_store_remove(path);
    ys_free(path);
}

/* A file of version 11 holds these events with none of their tables: migrated, it has them filled from its
 * log (meeting.open's date and poll.create's motion by the migration's SQL, the new types by running their
 * projections over its events), and it verifies. */
static void a_file_of_version_11_is_filled_when_migrated(void **state)
{
    (void)state;
    if (test_pg_url()) /* a PostgreSQL database has had no schema older than its first */
        return;
    char *path = test_tmpfile();
    ys_journal *j = NULL;
    ys_err err = {0};
    held_motions_opinions(path);
    exec_sql(path, UNDO_V12 " PRAGMA user_version = 11", NULL, true);
    assert_int_equal(ys_journal_open(path, YS_STORE_READONLY, &j, &err), YS_STATE); /* a migration is due */
    assert_int_equal(ys_journal_open(path, 0, &j, &err), YS_OK);
    assert_int_equal(ys_store_schema_version(j->store), 12);
    ys_journal_close(j);
    assert_new_tables(path);
    verify_expecting(path, true, 0, "");
    test_rmfile(path);
    ys_free(path);
}

static void log_is_append_only(void **state)
{
    (void)state;
    char *path = test_store_new();
    ys_verify_report rep;
    ys_err err = {0};
    session_with_marker(path);
    exec_sql(path, "UPDATE events SET actor = 'someone' WHERE seq = 3",
             "UPDATE events SET actor = 'someone' WHERE session_id = {session} AND seq = 3", false);
    exec_sql(path, "DELETE FROM events WHERE seq = 3", "DELETE FROM events WHERE session_id = {session} AND seq = 3", false);
    /* past the triggers, a rewritten hash still breaks the link to the next event */
    exec_sql(path, "DROP TRIGGER events_append_only_update;"
                   "UPDATE events SET payload = replace(payload, '乙', '丁'),"
                   " hash = '00000000000000000000000000000000000000000000000000000000000000ff' WHERE seq = 5",
             "SET session_replication_role = replica; UPDATE events SET payload = replace(payload, '乙', '丁'),"
             " hash = '00000000000000000000000000000000000000000000000000000000000000ff'"
             " WHERE session_id = {session} AND seq = 5", true);
    assert_int_equal(ys_journal_verify(path, &rep, &err), YS_OK);
    assert_false(rep.ok);
    assert_int_equal(rep.bad_seq, 5);
    test_store_remove(path);
    ys_free(path);
}

static void edited_projections_are_noticed(void **state)
{
    (void)state;
    char *path = test_store_new();
    ys_verify_report rep;
    ys_err err = {0};
    session_with_marker(path);
    exec_sql(path, "UPDATE delegates SET seat = '9-9' WHERE code = 'Q7777'",
             "UPDATE delegates SET seat = '9-9' WHERE session_id = {session} AND code = 'Q7777'", true);
    assert_int_equal(ys_journal_verify(path, &rep, &err), YS_OK);
    assert_false(rep.ok);
    assert_int_equal(rep.bad_seq, 0);
    assert_non_null(strstr(rep.reason, "projection table delegates"));
    assert_non_null(strstr(rep.reason, "9-9"));
    exec_sql(path, "UPDATE delegates SET seat = NULL WHERE code = 'Q7777'; INSERT INTO delegations VALUES (99, '假团')",
             "UPDATE delegates SET seat = NULL WHERE session_id = {session} AND code = 'Q7777';"
             " INSERT INTO delegations VALUES ({session}, 99, '假团')", true);
    assert_int_equal(ys_journal_verify(path, &rep, &err), YS_OK);
    assert_false(rep.ok);
    assert_non_null(strstr(rep.reason, "delegations has more rows"));
    test_store_remove(path);
    ys_free(path);
}

static void removed_events_are_noticed(void **state)
{
    (void)state;
    char *path = test_store_new();
    ys_verify_report rep;
    ys_err err = {0};
    session_with_marker(path);
    exec_sql(path, "DROP TRIGGER events_append_only_delete; DELETE FROM events WHERE seq = (SELECT max(seq) FROM events)",
             "SET session_replication_role = replica; DELETE FROM events WHERE session_id = {session}"
             " AND seq = (SELECT max(seq) FROM events WHERE session_id = {session})", true);
    assert_int_equal(ys_journal_verify(path, &rep, &err), YS_OK);
    assert_false(rep.ok);
    assert_non_null(strstr(rep.reason, "removed"));
    test_store_remove(path);
    ys_free(path);
}

static void projections_are_queryable(void **state)
{
    (void)state;
    char *path = test_store_new();
    session_with_marker(path);
    char *v = NULL;
    assert_true(test_store_sql_value(path, "SELECT d.name || ' ' || g.name FROM delegates d JOIN delegations g"
                                     " ON g.id = d.delegation_id WHERE d.code = 'Q7777'",
                                     "SELECT d.name || ' ' || g.name FROM delegates d JOIN delegations g"
                                     " ON g.session_id = d.session_id AND g.id = d.delegation_id"
                                     " WHERE d.session_id = {session} AND d.code = 'Q7777'", &v));
    assert_string_equal(v, "乙 大同");
    ys_free(v);
    /* a file is in WAL mode; a PostgreSQL session's rows all carry its id */
    assert_true(test_store_sql_value(path, "PRAGMA journal_mode", "SELECT count(*) FROM delegates WHERE session_id ="
                                     " {session}", &v));
    assert_string_equal(v, test_pg_url() ? "33" : "wal");
    ys_free(v);
    test_store_remove(path);
    ys_free(path);
}

/* A database of the tests' own beside the fixture's, named after this process: `url` with its database changed. */
static char *other_database(const char *url, char name[64])
{
    const char *at = strstr(url, "///yishi?");
    assert_non_null(at);
    snprintf(name, 64, "yishi_other_%ld", (long)getpid());
    size_t n = strlen(url) + 80;
    char *out = ys_malloc(n);
    snprintf(out, n, "%.*s///%s?%s", (int)(at - url), url, name, at + strlen("///yishi?"));
    return out;
}

/* The database's counterparts of a foreign or newer file: a session that is not there, a locator that names
 * none, a database without yishi's tables or with a newer schema, and a server that cannot be reached. */
static void foreign_and_future_databases_are_refused(const char *url)
{
    ys_journal *j = NULL;
    ys_err err = {0};
    char name[64], sql[160], *loc = ys_store_session_locator(url, 999999);
    assert_int_equal(ys_journal_open(loc, 0, &j, &err), YS_NOT_FOUND);
    assert_non_null(strstr(err.msg, "no session 999999"));
    ys_free(loc);
    assert_int_equal(ys_journal_open(url, 0, &j, &err), YS_INVALID);
    assert_non_null(strstr(err.msg, "session=ID"));
    size_t n = strlen(url) + 32;
    loc = ys_malloc(n);
    snprintf(loc, n, "%s&session=abc", url);
    assert_int_equal(ys_journal_open(loc, 0, &j, &err), YS_INVALID);
    ys_free(loc);
    char *path = test_store_new();
    session_with_marker(path);
    assert_int_equal(ys_journal_open(path, YS_STORE_CREATE, &j, &err), YS_CONFLICT);
    assert_non_null(strstr(err.msg, "already holds a log"));
    test_store_remove(path);
    ys_free(path);
    char *other = other_database(url, name), *admin = ys_store_session_locator(url, 1);
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
    assert_true(test_store_sql(admin, NULL, sql));
    assert_int_equal(ys_journal_open(other, YS_STORE_READONLY, &j, &err), YS_NOT_FOUND);
    assert_non_null(strstr(err.msg, "holds no yishi sessions"));
    path = ys_store_session_locator(other, 1);
    ys_store *st = NULL;
    assert_int_equal(ys_store_open(other, YS_STORE_CREATE, &st, &err), YS_OK); /* makes the tables */
    ys_store_close(st);
    assert_true(test_store_sql(path, NULL, "UPDATE yishi_schema SET version = 99"));
    assert_int_equal(ys_journal_open(path, 0, &j, &err), YS_INVALID);
    assert_non_null(strstr(err.msg, "schema has version 99"));
    snprintf(sql, sizeof sql, "DROP DATABASE %s", name);
    assert_true(test_store_sql(admin, NULL, sql));
    ys_free(admin);
    ys_free(path);
    ys_free(other);
    assert_int_equal(ys_journal_open("postgresql:///yishi?host=/nonexistent-dir&session=1", 0, &j, &err), YS_UNREACHABLE);
    assert_non_null(strstr(err.msg, "cannot connect to PostgreSQL"));
}

static void foreign_and_future_files_are_refused(void **state)
{
    (void)state;
    if (test_pg_url()) {
        foreign_and_future_databases_are_refused(test_pg_url());
        return;
    }
    char *path = test_store_new();
    ys_journal *j = NULL;
    ys_err err = {0};
    exec_sql(path, "CREATE TABLE t(x)", NULL, true);
    assert_int_equal(ys_journal_open(path, 0, &j, &err), YS_INVALID);
    assert_non_null(strstr(err.msg, "not a yishi session"));
    assert_int_equal(ys_journal_open(path, YS_STORE_CREATE, &j, &err), YS_INVALID);
    test_store_remove(path);
    session_with_marker(path);
    exec_sql(path, "PRAGMA user_version = 99", NULL, true);
    assert_int_equal(ys_journal_open(path, 0, &j, &err), YS_INVALID);
    assert_non_null(strstr(err.msg, "schema version 99"));
    test_store_remove(path);
    assert_int_equal(ys_journal_open(path, 0, &j, &err), YS_NOT_FOUND);
    assert_int_equal(ys_journal_open("/nonexistent-dir/x.db", YS_STORE_CREATE, &j, &err), YS_IO); /* its lock file */
    ys_free(path);
}

static void refused_commands_leave_the_file_alone(void **state)
{
    (void)state;
    char *path = test_store_new();
    ys_err err = {0};
    ys_events evs;
    ys_journal *j = new_file(path, "prc-township");
    int64_t before = j->session->seq;
    uint8_t was[YS_HASH_BYTES], is[YS_HASH_BYTES];
    digest_of_file(path, was);
    ys_csv *csv = NULL;
    ys_diags d;
    ys_diags_init(&d);
    ys_events_init(&evs);
    const char *text = "code,name,gender,ethnicity,delegation\nT1,甲,男,汉族,一组\nT1,乙,男,汉族,一组\n";
    assert_int_equal(ys_csv_parse(text, strlen(text), &csv, &d), YS_OK);
    assert_int_equal(ys_cmd_import(j->session, &test_ctx, YS_IMPORT_DELEGATES, csv, &evs, &d), YS_INVALID);
    assert_int_equal(evs.n, 0); /* a refused import emits nothing, so there is nothing to commit */
    assert_int_equal(ys_journal_commit(j, &evs, &err), YS_OK);
    assert_int_equal(j->session->seq, before);
    assert_int_equal(j->session->n_delegates, 0);
    ys_csv_free(csv);
    ys_diags_free(&d);
    ys_journal_close(j);
    digest_of_file(path, is);
    assert_memory_equal(was, is, YS_HASH_BYTES);
    test_store_remove(path);
    ys_free(path);
}

/* What a reopened file holds: its last seq, and how many delegates and delegations. */
typedef struct file_state {
    int64_t seq;
    size_t delegates, delegations;
} file_state;

static file_state state_of_file(const char *path)
{
    ys_journal *j = NULL;
    ys_err err = {0};
    assert_int_equal(ys_journal_open(path, YS_STORE_READONLY, &j, &err), YS_OK);
    file_state fs = {j->session->seq, j->session->n_delegates, j->session->n_delegations};
    ys_journal_close(j);
    return fs;
}

/* A batch whose n-th allocation fails, for every n until one succeeds: a failure is reported as out of
 * memory and leaves the file as it was, and the state in memory is the file's (one failed allocation
 * never stops the rebuild); the batch that succeeds is in the file whole. */
static void commits_survive_allocation_failures(void **state)
{
    (void)state;
    char *path = test_store_new();
    char *csv = test_delegates_csv(20, 2);
    ys_journal *j = new_file(path, "prc-county");
    ys_journal_close(j);
    const file_state empty = state_of_file(path);
    assert_int_equal(empty.delegates, 0);
    long n = 1;
    for (ys_rc rc = YS_NOMEM; rc; n++) {
        ys_err err = {0};
        ys_csv *c = NULL;
        ys_diags d;
        ys_events evs;
        ys_diags_init(&d);
        ys_events_init(&evs);
        if (n == 3000)
            fail_msg("the import never committed, even with 3000 allocations allowed");
        assert_int_equal(ys_journal_open(path, 0, &j, &err), YS_OK);
        assert_int_equal(ys_csv_parse(csv, strlen(csv), &c, &d), YS_OK);
        ys_alloc_fail_after(n);
        rc = ys_cmd_import(j->session, &test_ctx, YS_IMPORT_DELEGATES, c, &evs, &d);
        if (!rc)
            rc = ys_journal_commit(j, &evs, &err);
        ys_alloc_fail_after(0);
        ys_events_free(&evs);
        ys_csv_free(c);
        ys_diags_free(&d);
        if (rc != YS_OK && rc != YS_NOMEM)
            fail_msg("allocation %ld failed and the import answered %s: %s", n, ys_rc_code(rc), err.msg);
        uint8_t live[YS_HASH_BYTES], disk[YS_HASH_BYTES];
        assert_false(j->stale);
        ys_session_digest(j->session, live);
        ys_journal_close(j);
        digest_of_file(path, disk);
        assert_memory_equal(live, disk, YS_HASH_BYTES); /* never half a batch */
        file_state now = state_of_file(path);
        if (rc) { /* nothing of the batch reached the file */
            assert_int_equal(now.seq, empty.seq);
            assert_int_equal(now.delegates, 0);
            assert_int_equal(now.delegations, 0);
        } else { /* all of it did */
            assert_int_equal(now.delegates, 20);
            assert_int_equal(now.delegations, 2);
            assert_int_equal(now.seq, empty.seq + 2 + 20);
        }
    }
    print_message("the import committed once %ld allocations were allowed\n", n - 1);
    assert_true(n > 50); /* the failures before it reached the import and the commit */
    ys_free(csv);
    test_store_remove(path);
    ys_free(path);
}

/* ---- one writer per file ---- */

/* A file's writer holds FILE-lock; a PostgreSQL session's holds the session's advisory lock on its connection,
 * which a refused writer names by the holder's pid and PostgreSQL backend. */
static void second_writer_is_refused(void **state)
{
    (void)state;
    char *path = test_store_new(), pid[32], lock[600], session[40];
    ys_journal *j = new_file(path, "prc-county"), *other = NULL, *reader = NULL;
    ys_store_lock *lk = NULL;
    ys_err err = {0};
    bool pg = test_pg_url() != NULL;
    snprintf(pid, sizeof pid, "pid %ld", (long)getpid());
    snprintf(lock, sizeof lock, "%s-lock", path);
    snprintf(session, sizeof session, "session %lld ", (long long)ys_store_session(j->store));
    /* flock locks belong to the open file, and advisory locks to the connection, so even this process's second
     * open is refused */
    assert_int_equal(ys_journal_open(path, 0, &other, &err), YS_CONFLICT);
    assert_null(other);
    assert_non_null(strstr(err.msg, pid));
    assert_non_null(strstr(err.msg, "open for writing"));
    if (pg) {
        assert_non_null(strstr(err.msg, session));
        assert_non_null(strstr(err.msg, "PostgreSQL backend pid"));
        assert_int_equal(ys_store_discard(path, &err), YS_CONFLICT); /* nor is a session removed under its writer */
    } else {
        assert_int_equal(ys_store_lock_take(path, &lk, &err), YS_CONFLICT);
    }
    assert_int_equal(ys_journal_open(path, YS_STORE_READONLY, &reader, &err), YS_OK);
    assert_int_equal(reader->session->seq, j->session->seq);
    ys_journal_close(reader);
    assert_int_equal(access(lock, F_OK), pg ? -1 : 0);
    ys_journal_close(j);
    assert_int_not_equal(access(lock, F_OK), 0); /* the holder removes it when it lets go */
    assert_int_equal(ys_journal_open(path, 0, &other, &err), YS_OK);
    ys_journal_close(other);
    test_store_remove(path);
    ys_free(path);
}

/* A lock file whose holder died (it is still there, nobody holds it) is taken over; a PostgreSQL session's
 * writer that dies without closing lets go of its lock with its connection. */
static void a_dead_holders_lock_is_taken(void **state)
{
    (void)state;
    char *path = test_store_new(), lock[600];
    ys_journal *j = new_file(path, "prc-county");
    ys_err err = {0};
    ys_journal_close(j);
    if (test_pg_url()) {
        int status = 0;
        pid_t child = fork();
        assert_true(child >= 0);
        if (child == 0) /* a writer that dies holding the session */
            _exit(ys_journal_open(path, 0, &j, &err) == YS_OK ? 0 : 1);
        assert_int_equal(waitpid(child, &status, 0), child);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        for (int tries = 0; ys_journal_open(path, 0, &j, &err) == YS_CONFLICT && tries < 50; tries++)
            usleep(20000); /* the server notices the closed socket at once, or nearly */
        assert_non_null(j);
        ys_journal_close(j);
        test_store_remove(path);
        ys_free(path);
        return;
    }
    snprintf(lock, sizeof lock, "%s-lock", path);
    FILE *f = fopen(lock, "w");
    fprintf(f, "999999\n");
    fclose(f);
    assert_int_equal(ys_journal_open(path, 0, &j, &err), YS_OK);
    ys_journal_close(j);
    test_store_remove(path);
    ys_free(path);
}

/* An event written behind the journal's back (past the lock, with sqlite3 or libpq) makes the next commit fail;
 * the state rebuilt from the file then does not verify, and that is what the next begin says. */
static void a_failed_rebuild_names_its_cause(void **state)
{
    (void)state;
    char *path = test_store_new();
    ys_journal *j = new_file(path, "prc-county");
    ys_err err = {0};
    ys_events evs;
    exec_sql(path, "INSERT INTO events VALUES (2, '2024-01-23T07:00:00.000Z', 'someone', 'meeting.open', '{}', "
                   "'00', '00')", "INSERT INTO events VALUES ({session}, 2, '2024-01-23T07:00:00.000Z', 'someone',"
                   " 'meeting.open', '{}', '00', '00')", true);
    ys_events_init(&evs);
    assert_int_equal(ys_cmd_meeting_open(j->session, &test_ctx, YS_MEETING_PLENARY, "第一次全体会议", NULL, &evs, &err),
                     YS_OK);
    assert_int_not_equal(ys_journal_commit(j, &evs, &err), YS_OK);
    assert_true(j->stale);
    assert_int_equal(ys_journal_begin(j, &err), YS_CORRUPT);
    assert_null(strstr(err.msg, "out of memory"));
    assert_non_null(strstr(err.msg, "could not be rebuilt"));
    assert_non_null(strstr(err.msg, "event 2"));
    ys_journal_close(j);
    test_store_remove(path);
    ys_free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(replay_equals_live),
        cmocka_unit_test(kept_digest_is_the_whole_states),
        cmocka_unit_test(old_checkpoints_verify_with_their_version),
        cmocka_unit_test(held_motions_and_opinions_are_projected),
        cmocka_unit_test(a_file_of_version_11_is_filled_when_migrated),
        cmocka_unit_test(verify_names_the_changed_event),
        cmocka_unit_test(log_is_append_only),
        cmocka_unit_test(removed_events_are_noticed),
        cmocka_unit_test(edited_projections_are_noticed),
        cmocka_unit_test(projections_are_queryable),
        cmocka_unit_test(foreign_and_future_files_are_refused),
        cmocka_unit_test(refused_commands_leave_the_file_alone),
        cmocka_unit_test(commits_survive_allocation_failures),
        cmocka_unit_test(second_writer_is_refused),
        cmocka_unit_test(a_dead_holders_lock_is_taken),
        cmocka_unit_test(a_failed_rebuild_names_its_cause),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
