/* test_vverify.c — verify and yishi-verify on a file with a verifiable election, untampered and then rewritten
 * through SQL as an operator holding the file could (the event changed, every later hash recomputed, the
 * checkpoints after it dropped): a ballot's proof (of an election, of a poll), a ballot swapped for another voter's, a ballot of a delegate
 * issued none, a decryption, the count and the context's Q are each found and named; a copied ballot is refused;
 * and the same through `yishi log --export` and the yishi-verify program. A second file, whose election had names
 * written in: a shuffle's output and its proof, a block's decryption and a write-in's count are each named. */
#include "vtestutil.h"

#include "crypto/group.h"

#include <sodium.h>
#include <sqlite3.h>
#include <sys/wait.h>

static char *master;   /* the untampered file, made once */
static char *shuffled; /* one whose election had names written in, shuffled and counted */
static const char *source; /* which of them the tampering copies */

static int setup(void **state)
{
    (void)state;
    vt_devices d = {0};
    master = test_tmpfile();
    ys_journal *j = vt_file_counted(master, 6, &d);
    /* and a resolution on the same key, three ballots cast, closed and not yet decrypted */
    ys_poll_args a = {.title = "关于政府工作报告的决议", .method = YS_METHOD_TERMINAL, .key = 1};
    ys_err err = {0};
    VT_OK(j, ys_cmd_poll_create(s_, &test_ctx, &a, &evs_, &err_));
    VT_OK(j, ys_cmd_poll_open(s_, &test_ctx, 1, &evs_, &err_));
    for (int i = 1; i <= 3; i++)
        if (vt_cast_in(VT_TARGET(j), true, 1, i, &VT_YES_YES_NO[i - 1], NULL, &err))
            fail_msg("D%d: %s", i, err.msg);
    VT_OK(j, ys_cmd_poll_close(s_, &test_ctx, 1, &evs_, &err_));
    ys_journal_close(j);
    vt_devices_free(&d);
    source = master;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    test_rmfile(master);
    ys_free(master);
    return 0;
}

static char *copy_of_master(void)
{
    char *path = test_tmpfile(), cmd[512];
    snprintf(cmd, sizeof cmd, "cp %s %s", source, path);
    assert_int_equal(system(cmd), 0);
    return path;
}

static sqlite3 *db_open(const char *path)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    return db;
}

/* The seq of the n-th (0-based) event of a type. */
static int64_t seq_of(const char *path, const char *type, int n)
{
    sqlite3 *db = db_open(path);
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT seq FROM events WHERE type = ? ORDER BY seq LIMIT 1 OFFSET ?", -1, &q,
                                        NULL), SQLITE_OK);
    sqlite3_bind_text(q, 1, type, -1, SQLITE_STATIC);
    sqlite3_bind_int(q, 2, n);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    int64_t seq = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
    return seq;
}

static json_t *payload_of(const char *path, int64_t seq)
{
    sqlite3 *db = db_open(path);
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT payload FROM events WHERE seq = ?", -1, &q, NULL), SQLITE_OK);
    sqlite3_bind_int64(q, 1, seq);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    json_t *p = json_loads((const char *)sqlite3_column_text(q, 0), 0, NULL);
    sqlite3_finalize(q);
    sqlite3_close(db);
    assert_non_null(p);
    return p;
}

/* Every event from `from` on gets the hash its (new) content and the (new) hash before it give. */
static void rechain(sqlite3 *db, int64_t from)
{
    sqlite3_stmt *q = NULL, *u = NULL;
    uint8_t prev[YS_HASH_BYTES];
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT seq, time, actor, type, payload, prev_hash FROM events WHERE seq >= ? "
                                            "ORDER BY seq", -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "UPDATE events SET prev_hash = ?, hash = ? WHERE seq = ?", -1, &u, NULL),
                     SQLITE_OK);
    sqlite3_bind_int64(q, 1, from);
    for (bool first = true; sqlite3_step(q) == SQLITE_ROW; first = false) {
        ys_event ev = {.seq = sqlite3_column_int64(q, 0)};
        char hex[2][YS_HASH_HEX];
        snprintf(ev.time, sizeof ev.time, "%s", sqlite3_column_text(q, 1));
        snprintf(ev.actor, sizeof ev.actor, "%s", sqlite3_column_text(q, 2));
        snprintf(ev.type, sizeof ev.type, "%s", sqlite3_column_text(q, 3));
        ev.payload_text = (char *)sqlite3_column_text(q, 4);
        if (first)
            assert_int_equal(ys_hash_from_hex((const char *)sqlite3_column_text(q, 5), prev), 0);
        memcpy(ev.prev_hash, prev, YS_HASH_BYTES);
        ys_event_hash(&ev, prev);
        ys_hash_hex(ev.prev_hash, hex[0]);
        ys_hash_hex(prev, hex[1]);
        sqlite3_bind_text(u, 1, hex[0], -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(u, 2, hex[1], -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(u, 3, ev.seq);
        assert_int_equal(sqlite3_step(u), SQLITE_DONE);
        sqlite3_reset(u);
    }
    sqlite3_finalize(q);
    sqlite3_finalize(u);
}

/* Writes event seq's payload anew (canonical, as the core writes it) and rechains the log from it. */
static void rewrite(const char *path, int64_t seq, const json_t *payload)
{
    sqlite3 *db = db_open(path);
    sqlite3_stmt *u = NULL;
    char *text = ys_json_canonical(payload);
    assert_int_equal(sqlite3_exec(db, "BEGIN; DROP TRIGGER events_append_only_update", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "UPDATE events SET payload = ? WHERE seq = ?", -1, &u, NULL), SQLITE_OK);
    sqlite3_bind_text(u, 1, text, -1, SQLITE_STATIC);
    sqlite3_bind_int64(u, 2, seq);
    assert_int_equal(sqlite3_step(u), SQLITE_DONE);
    sqlite3_finalize(u);
    rechain(db, seq);
    char sql[128];
    snprintf(sql, sizeof sql, "DELETE FROM checkpoints WHERE seq >= %lld; COMMIT", (long long)seq);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    ys_free(text);
}

static void verify_names(const char *path, int64_t seq, const char *what, const char *also)
{
    ys_verify_report rep;
    ys_err err = {0};
    assert_int_equal(ys_journal_verify(path, &rep, &err), YS_OK);
    if (rep.ok)
        fail_msg("%s verifies, but it should not at event %lld", path, (long long)seq);
    if (rep.bad_seq != seq || !strstr(rep.reason, what) || (also && !strstr(rep.reason, also)))
        fail_msg("verify names event %lld (%s); expected event %lld with '%s'", (long long)rep.bad_seq, rep.reason,
                 (long long)seq, what);
}

/* The code of a ballot for voter, as the board lists it, from the context the file's election opened with. */
static json_t *code_for(const char *path, const char *voter, const json_t *ballot)
{
    ys_journal *j = NULL;
    ys_vcast *c = NULL;
    char b64[2 * YS_VHASH];
    assert_int_equal(ys_journal_open(path, YS_STORE_READONLY, &j, NULL), YS_OK);
    assert_int_equal(ys_vballot_read(ys_session_election_get(j->session, 1)->v->vote, voter, ballot, &c, NULL), YS_OK);
    sodium_bin2base64(b64, sizeof b64, ys_vcast_code(c), YS_VHASH, sodium_base64_VARIANT_ORIGINAL);
    ys_vcast_free(c);
    ys_journal_close(j);
    return json_string(b64);
}

static void untampered_verifies(void **state)
{
    (void)state;
    ys_verify_report rep;
    ys_err err = {0};
    assert_int_equal(ys_journal_verify(master, &rep, &err), YS_OK);
    if (!rep.ok)
        fail_msg("%s", rep.reason);
    assert_int_equal(rep.v_ballots, 9);
    assert_int_equal(rep.v_decryptions, 2);
}

/* A change to one event: its type and which of them (0-based), and the edit of its payload. */
typedef struct tamper {
    const char *type;
    int nth;
    void (*edit)(const char *path, json_t *payload);
} tamper;

/* A copy of the file with one event changed and the log rechained after it: the path, and the event's seq. */
static char *tampered(const tamper *t, int64_t *seq)
{
    char *path = copy_of_master();
    *seq = seq_of(path, t->type, t->nth);
    json_t *p = payload_of(path, *seq);
    t->edit(path, p);
    rewrite(path, *seq, p);
    json_decref(p);
    return path;
}

static void verify_names_tampered(const tamper *t, const char *what, const char *also)
{
    int64_t seq;
    char *path = tampered(t, &seq);
    verify_names(path, seq, what, also);
    test_rmfile(path);
    ys_free(path);
}

/* One response scalar of a mark's proof, replaced by another valid scalar: the second mark's of an election
 * ballot, a poll ballot's one. */
static void edit_proof_of(json_t *p, size_t mark)
{
    json_t *m = json_array_get(json_object_get(json_object_get(p, "ballot"), "marks"), mark);
    json_t *s = json_object_get(json_object_get(m, "proof"), "s");
    json_array_set(s, 0, json_array_get(s, 1));
}

static void edit_proof(const char *path, json_t *p)
{
    (void)path;
    edit_proof_of(p, 1);
}
static const tamper PROOF = {"election.cast", 1, edit_proof};

static void a_proof_changed(void **state)
{
    (void)state;
    verify_names_tampered(&PROOF, "marks[1].proof", "delegate D2");
}

/* One bit of a mark's ciphertext (β of the first mark of the first ballot), the first whose change leaves a
 * point: what an operator changing a ballot in the file does, rechaining the log to hide it. */
static void edit_ciphertext(const char *path, json_t *p)
{
    (void)path;
    json_t *ct = json_object_get(json_array_get(json_object_get(json_object_get(p, "ballot"), "marks"), 0), "ct");
    uint8_t raw[32];
    char b64[YS_V_B64];
    ysv_point pt;
    assert_true(ysv_unb64(raw, json_string_value(json_array_get(ct, 1))));
    for (int i = 0; i < 256; i++) {
        raw[i / 8] ^= (uint8_t)(1u << (i % 8));
        if (ysv_point_decode(&pt, raw))
            break;
        raw[i / 8] ^= (uint8_t)(1u << (i % 8));
    }
    ysv_b64(b64, raw);
    json_array_set_new(ct, 1, json_string(b64));
}
static const tamper CIPHERTEXT = {"election.cast", 0, edit_ciphertext};

static void a_ciphertext_changed(void **state)
{
    (void)state;
    verify_names_tampered(&CIPHERTEXT, "marks[0]", "delegate D1");
}

static void edit_poll_proof(const char *path, json_t *p)
{
    (void)path;
    edit_proof_of(p, 0);
}

static void a_poll_proof_changed(void **state)
{
    (void)state;
    verify_names_tampered(&(tamper){"poll.cast", 1, edit_poll_proof}, "poll 1, the ballot of delegate D2: marks[0].proof",
                          NULL);
}

/* D4's ballot in D3's cast, with the code it would have for D3: D3's proofs do not hold for it. */
static void edit_swap(const char *path, json_t *p3)
{
    json_t *p4 = payload_of(path, seq_of(path, "election.cast", 3));
    json_object_set(p3, "ballot", json_object_get(p4, "ballot"));
    json_object_set_new(p3, "code", code_for(path, "D3", json_object_get(p4, "ballot")));
    json_decref(p4);
}

static void a_ballot_swapped(void **state)
{
    (void)state;
    verify_names_tampered(&(tamper){"election.cast", 2, edit_swap}, "marks[0].proof", "delegate D3");
}

static void edit_voter(const char *path, json_t *p)
{
    (void)path;
    json_object_set_new(p, "delegate", json_integer(51)); /* D51 came in after the ballots were issued */
}

static void a_ballot_of_one_issued_none(void **state)
{
    (void)state;
    verify_names_tampered(&(tamper){"election.cast", 4, edit_voter}, "delegate D51 could not cast a ballot in election 1",
                          "was not present when the ballots of election 1 were issued");
}

/* The second trustee's first partial decryption, replaced by its second. */
static void edit_partial(const char *path, json_t *p)
{
    (void)path;
    json_t *partials = json_object_get(p, "partials");
    json_object_set(json_array_get(partials, 0), "d", json_object_get(json_array_get(partials, 1), "d"));
}

static void a_decryption_changed(void **state)
{
    (void)state;
    verify_names_tampered(&(tamper){"election.decrypt", 1, edit_partial}, "trustee 2", NULL);
}

/* One ballot moved from abstain to yes for the first candidate. */
static void edit_count(const char *path, json_t *p)
{
    (void)path;
    json_t *first = json_array_get(json_object_get(p, "counts"), 0);
    json_object_set_new(first, "yes", json_integer(json_integer_value(json_object_get(first, "yes")) + 1));
    json_object_set_new(first, "abstain", json_integer(json_integer_value(json_object_get(first, "abstain")) - 1));
}

static void the_count_changed(void **state)
{
    (void)state;
    verify_names_tampered(&(tamper){"election.count", 0, edit_count}, "count is not what its decryptions give", NULL);
}

static void edit_q(const char *path, json_t *p)
{
    char q[2 * YS_VHASH];
    uint8_t other[YS_VHASH] = {1};
    (void)path;
    sodium_bin2base64(q, sizeof q, other, sizeof other, sodium_base64_VARIANT_ORIGINAL);
    json_object_set_new(json_object_get(p, "verifiable"), "Q", json_string(q));
}

static void the_context_changed(void **state)
{
    (void)state;
    verify_names_tampered(&(tamper){"election.open", 0, edit_q}, "context (B, P, Q)", NULL);
}

/* A cast that repeats another's ciphertexts (made outside the command, which refuses it) is refused by the fold,
 * even with the code it would have for its own voter. */
static void a_copied_ballot_is_refused(void **state)
{
    (void)state;
    ys_session *s = test_session("prc-provincial");
    vt_devices d = {0};
    json_t *ballot = NULL;
    ys_err err = {0};
    ys_vcast *c = NULL;
    char code[2 * YS_VHASH];
    vt_open_election(VT_TARGET(s), &d);
    assert_int_equal(vt_cast(VT_TARGET(s), 1, VT_YES_YES_NO, &ballot, &err), YS_OK);
    assert_int_equal(ys_vballot_read(ys_session_election_get(s, 1)->v->vote, "D2", ballot, &c, NULL), YS_OK);
    sodium_bin2base64(code, sizeof code, ys_vcast_code(c), YS_VHASH, sodium_base64_VARIANT_ORIGINAL);
    ys_events evs;
    ys_events_init(&evs);
    assert_int_equal(ys_events_add(&evs, test_ctx.time, "delegate:D2", "election.cast",
                                   json_pack("{s:i, s:i, s:O, s:s}", "election", 1, "delegate", 2, "ballot", ballot,
                                             "code", code), &err), YS_OK);
    assert_int_equal(ys_session_accept(s, evs.v, evs.n, NULL, &err), YS_CORRUPT);
    assert_non_null(strstr(err.msg, "repeats a ciphertext already cast"));
    assert_int_equal(ys_session_election_get(s, 1)->returned, 1);
    ys_events_free(&evs);
    ys_vcast_free(c);
    json_decref(ballot);
    vt_devices_free(&d);
    ys_session_free(s);
}

/* ---- yishi log --export and yishi-verify, the programs ---- */

/* Runs a shell command; its exit status, and what it printed (at most cap - 1 bytes) in out. */
static int run(const char *cmd, char *out, size_t cap)
{
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t n = fread(out, 1, cap - 1, p);
    out[n] = '\0';
    while (fgetc(p) != EOF)
        ;
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The board of a session file: `yishi log --export`, into path.jsonl (the caller frees the name). */
static char *export_of(const char *path)
{
    char cmd[1024], out[256];
    char *board = ys_malloc(strlen(path) + 8);
    sprintf(board, "%s.jsonl", path);
    snprintf(cmd, sizeof cmd, "%s log -f %s --export > %s", YS_YISHI_BIN, path, board);
    assert_int_equal(run(cmd, out, sizeof out), 0);
    return board;
}

static int check_board(const char *board, char *out, size_t cap)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s %s 2>&1", YS_VERIFY_BIN, board);
    return run(cmd, out, cap);
}

static void expect_in(const char *out, const char *what)
{
    if (!strstr(out, what))
        fail_msg("yishi-verify printed no '%s':\n%s", what, out);
}

static void the_board_verifies(void **state)
{
    (void)state;
    static char out[8192];
    char *board = export_of(master);
    assert_int_equal(check_board(board, out, sizeof out), 0);
    expect_in(out, "every proof of 9 ballots holds, of 2 trustees' decryptions and of 0 shuffles");
    expect_in(out, "election 1 (vice_governor, 2 seats): counted; 6 ballots cast of 50 issued, every proof of 6 checked; "
                   "decrypted by zong, jian1 (key 1)");
    expect_in(out, "甲  yes 4  no 2  abstain 0");
    expect_in(out, "elected: ");
    expect_in(out, "poll 1 (关于政府工作报告的决议): closed; 3 ballots cast, every proof of 3 checked; decrypted by nobody");
    unlink(board);
    ys_free(board);
}

/* Line `line` of a board written anew, changed by edit (which may drop it by returning false). */
static void edit_line(const char *board, int line, bool (*edit)(char *text))
{
    char *tmp = ys_malloc(strlen(board) + 8), buf[1 << 16];
    sprintf(tmp, "%s.new", board);
    FILE *in = fopen(board, "r"), *out = fopen(tmp, "w");
    assert_true(in && out);
    for (int n = 1; fgets(buf, sizeof buf, in); n += buf[strlen(buf) - 1] == '\n')
        if (n != line || edit(buf))
            fputs(buf, out);
    fclose(in);
    fclose(out);
    assert_int_equal(rename(tmp, board), 0);
    ys_free(tmp);
}

static bool new_actor(char *text)
{
    static const char was[] = "\"actor\":\"test\"", now[] = "\"actor\":\"tset\"";
    char *at = strstr(text, was);
    assert_non_null(at);
    memcpy(at, now, sizeof now - 1);
    return true;
}

static bool dropped(char *text)
{
    (void)text;
    return false;
}

static void a_changed_board_is_named(void **state)
{
    (void)state;
    static char out[8192];
    char want[128];
    int64_t seq;
    char *path = tampered(&PROOF, &seq), *board = export_of(path);
    /* rechained: the proof is named */
    assert_int_equal(check_board(board, out, sizeof out), 1);
    snprintf(want, sizeof want, "DOES NOT VERIFY at event %lld: ", (long long)seq);
    expect_in(out, want);
    expect_in(out, "delegate D2: marks[1].proof does not verify");
    /* a line changed and not rechained, or a line taken out: the chain is named */
    edit_line(board, 7, new_actor);
    assert_int_equal(check_board(board, out, sizeof out), 1);
    expect_in(out, "DOES NOT VERIFY at event 7: event 7 (");
    expect_in(out, "does not match its hash");
    edit_line(board, 7, dropped);
    assert_int_equal(check_board(board, out, sizeof out), 1);
    expect_in(out, "event 8 does not link to event 6");
    unlink(board);
    ys_free(board);
    test_rmfile(path);
    ys_free(path);
}

/* ---- the write-ins: shuffles and the blocks' decryption ---- */

static int setup_shuffled(void **state)
{
    (void)state;
    vt_devices d = {0};
    shuffled = test_tmpfile();
    ys_journal_close(vt_file_shuffled(shuffled, 9, &d));
    vt_devices_free(&d);
    source = shuffled;
    return 0;
}

static int teardown_shuffled(void **state)
{
    (void)state;
    test_rmfile(shuffled);
    ys_free(shuffled);
    return 0;
}

static void shuffled_verifies(void **state)
{
    (void)state;
    ys_verify_report rep;
    ys_err err = {0};
    assert_int_equal(ys_journal_verify(shuffled, &rep, &err), YS_OK);
    if (!rep.ok)
        fail_msg("%s", rep.reason);
    assert_int_equal(rep.v_ballots, 9);
    assert_int_equal(rep.v_decryptions, 6);
    assert_int_equal(rep.v_shuffles, 2);
}

/* Two α of the first shuffle's output exchanged: a re-encryption no longer of the input. */
static void edit_output(const char *path, json_t *p)
{
    (void)path;
    json_t *out = json_object_get(p, "output");
    json_t *a = json_array_get(json_array_get(out, 0), 0), *b = json_array_get(json_array_get(out, 1), 0);
    json_t *keep = json_incref(json_array_get(a, 0));
    json_array_set(a, 0, json_array_get(b, 0));
    json_array_set_new(b, 0, keep);
}

static void a_shuffle_output_changed(void **state)
{
    (void)state;
    verify_names_tampered(&(tamper){"election.shuffle", 0, edit_output},
                          "election 1, shuffle 1 by trustee zong: ", "does not hold");
}

/* One response of the second shuffle's proof replaced by another valid scalar. */
static void edit_shuffle_proof(const char *path, json_t *p)
{
    (void)path;
    json_t *s = json_object_get(json_object_get(p, "proof"), "s");
    json_object_set(s, "s1", json_object_get(s, "s2"));
}

static void a_shuffle_proof_changed(void **state)
{
    (void)state;
    verify_names_tampered(&(tamper){"election.shuffle", 1, edit_shuffle_proof},
                          "election 1, shuffle 2 by trustee jian1: ", NULL);
}

/* The first trustee's decryption of the blocks (the fifth decryption: two of the aggregates, two of the mix
 * before it), its first partial replaced by its second. */
static void a_block_decryption_changed(void **state)
{
    (void)state;
    verify_names_tampered(&(tamper){"election.decrypt", 4, edit_partial}, "election 1, trustee 1 (block)", NULL);
}

/* A write-in's votes raised by one. */
static void edit_writein_count(const char *path, json_t *p)
{
    (void)path;
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(json_object_get(p, "result"), "candidates"), i, c)
        if (json_is_true(json_object_get(c, "write_in")))
            json_object_set_new(c, "yes", json_integer(json_integer_value(json_object_get(c, "yes")) + 1));
}

static void a_writein_count_changed(void **state)
{
    (void)state;
    verify_names_tampered(&(tamper){"election.count", 0, edit_writein_count}, "count is not what its decryptions give",
                          NULL);
}

static void the_shuffled_board_verifies(void **state)
{
    (void)state;
    static char out[8192];
    char *board = export_of(shuffled);
    assert_int_equal(check_board(board, out, sizeof out), 0);
    expect_in(out, "every proof of 9 ballots holds, of 6 trustees' decryptions and of 2 shuffles");
    expect_in(out, "3 names written in: 2 shuffles, every proof checked");
    expect_in(out, "丁  yes 3");
    unlink(board);
    ys_free(board);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(untampered_verifies),
        cmocka_unit_test(a_proof_changed),
        cmocka_unit_test(a_ciphertext_changed),
        cmocka_unit_test(a_poll_proof_changed),
        cmocka_unit_test(a_ballot_swapped),
        cmocka_unit_test(a_ballot_of_one_issued_none),
        cmocka_unit_test(a_decryption_changed),
        cmocka_unit_test(the_count_changed),
        cmocka_unit_test(the_context_changed),
        cmocka_unit_test(a_copied_ballot_is_refused),
        cmocka_unit_test(the_board_verifies),
        cmocka_unit_test(a_changed_board_is_named),
    };
    const struct CMUnitTest writeins[] = {
        cmocka_unit_test(shuffled_verifies),
        cmocka_unit_test(a_shuffle_output_changed),
        cmocka_unit_test(a_shuffle_proof_changed),
        cmocka_unit_test(a_block_decryption_changed),
        cmocka_unit_test(a_writein_count_changed),
        cmocka_unit_test(the_shuffled_board_verifies),
    };
    int failed = cmocka_run_group_tests(tests, setup, teardown);
    return failed + cmocka_run_group_tests(writeins, setup_shuffled, teardown_shuffled);
}
