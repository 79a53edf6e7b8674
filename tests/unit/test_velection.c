/* test_velection.c — a verifiable election held through the core: a key, an election on it, ballots encrypted
 * as the terminal does and checked as the server does, the close with the aggregates, two of three trustees
 * decrypting, and the count that equals the one the marks in the clear give; the box's ways refused; a
 * file that replays (the decryptions checked again) and verifies, with no mark in the clear in any table;
 * and an election with names written in, shuffled by two trustees and counted, each refusal on the way. */
#include "storeutil.h"
#include "vtestutil.h"


/* 30 × (甲 乙), 10 × (甲 丙), 5 × (乙 丙): 甲 40, 乙 35, 丙 15 of 45 ballots; elected 甲 and 乙 only if more
 * than half of all 60 delegates (31): 甲 40 and 乙 35 are. */
static void cast_all(ys_session *s)
{
    ys_err err = {0};
    for (int i = 1; i <= 45; i++) {
        const ys_vmark *m = i <= 30 ? VT_YES_YES_NO : i <= 40 ? VT_YES_ABS_YES : VT_NO_YES_YES;
        if (vt_cast(VT_TARGET(s), i, m, NULL, &err))
            fail_msg("D%d: %s", i, err.msg);
    }
}

/* The digest kept as the fold went is the one the whole state gives. */
static void digest_kept(const ys_session *s)
{
    uint8_t a[YS_HASH_BYTES], b[YS_HASH_BYTES];
    ys_session_digest(s, a);
    ys_session_digest_full(s, b);
    assert_memory_equal(a, b, YS_HASH_BYTES);
}

static int count_of(const json_t *result, const char *name, const char *what)
{
    size_t i;
    const json_t *c;
    json_array_foreach(json_object_get(result, "candidates"), i, c)
        if (!strcmp(json_string_value(json_object_get(c, "name")), name))
            return (int)json_integer_value(json_object_get(c, what));
    return -1;
}

static void held_and_counted(void **state)
{
    (void)state;
    ys_session *s = test_session("prc-provincial");
    vt_devices d = {0};
    vt_open_election(VT_TARGET(s), &d);
    cast_all(s);
    ys_err err = {0};
    ys_events evs;
    ys_events_init(&evs);
    /* the box's way is refused, and so is a second ballot */
    ys_ballot plain = {0};
    assert_int_equal(ys_cmd_election_vote(s, &test_ctx, 1, "D46", &plain, &evs, &err), YS_STATE);
    assert_int_equal(vt_cast(VT_TARGET(s), 1, VT_YES_YES_NO, NULL, &err), YS_CONFLICT);
    VT_OK(s, ys_cmd_election_close(s, &test_ctx, 1, &evs_, &err_));
    const ys_session_election *el = ys_session_election_get(s, 1);
    assert_null(el->result);
    assert_int_equal(ys_cmd_election_announce(s, &test_ctx, 1, &evs, &err), YS_STATE); /* not counted yet */
    vt_decrypt(VT_TARGET(s), &d, 2, YS_OK);
    assert_null(ys_session_election_get(s, 1)->result); /* one of two */
    vt_decrypt(VT_TARGET(s), &d, 2, YS_CONFLICT);
    vt_decrypt(VT_TARGET(s), &d, 3, YS_OK);
    el = ys_session_election_get(s, 1);
    assert_non_null(el->result);
    assert_int_equal(count_of(el->result, "甲", "yes"), 40);
    assert_int_equal(count_of(el->result, "甲", "no"), 5);
    assert_int_equal(count_of(el->result, "乙", "yes"), 35);
    assert_int_equal(count_of(el->result, "乙", "abstain"), 10);
    assert_int_equal(count_of(el->result, "丙", "yes"), 15);
    assert_int_equal(count_of(el->result, "丙", "no"), 30);
    json_t *elected = json_object_get(el->result, "elected");
    assert_int_equal(json_array_size(elected), 2);
    assert_string_equal(json_string_value(json_array_get(elected, 0)), "甲");
    assert_null(ys_election_to_decrypt(s, 1, &err)); /* counted: nothing more to decrypt */
    assert_int_equal(err.rc, YS_STATE);
    VT_OK(s, ys_cmd_election_announce(s, &test_ctx, 1, &evs_, &err_));
    digest_kept(s);
    vt_devices_free(&d);
    ys_session_free(s);
}

/* A resolution voted anonymously at the terminals, verifiably: 30 yes, 8 no, 4 abstain of 50 present and 60
 * entitled; passed by more than half of all (31). Its totals come only with two decryptions. */
static void poll_held_and_counted(void **state)
{
    (void)state;
    ys_session *s = test_session("prc-provincial");
    vt_devices d = {0};
    vt_plenary(VT_TARGET(s), 60, 50);
    vt_ceremony(s, 1, &d);
    ys_poll_args a = {.title = "关于政府工作报告的决议", .method = YS_METHOD_TERMINAL, .key = 1};
    ys_events evs;
    ys_err err = {0};
    ys_events_init(&evs);
    ys_poll_args named = a;
    named.named = true;
    assert_int_equal(ys_cmd_poll_create(s, &test_ctx, &named, &evs, &err), YS_INVALID); /* verifiable is anonymous */
    VT_OK(s, ys_cmd_poll_create(s, &test_ctx, &a, &evs_, &err_));
    VT_OK(s, ys_cmd_poll_open(s, &test_ctx, 1, &evs_, &err_));
    assert_int_equal(ys_cmd_poll_vote(s, &test_ctx, 1, "D1", YS_CHOICE_YES, &evs, &err), YS_STATE);
    for (int i = 1; i <= 42; i++) {
        ys_vmark m = i <= 31 ? YS_VMARK_YES : i <= 38 ? YS_VMARK_NO : YS_VMARK_ABSTAIN;
        if (vt_cast_in(VT_TARGET(s), true, 1, i, &m, NULL, &err))
            fail_msg("D%d: %s", i, err.msg);
        if (i == 1)
            assert_int_equal(vt_cast_in(VT_TARGET(s), true, 1, i, &m, NULL, &err), YS_CONFLICT);
    }
    VT_OK(s, ys_cmd_poll_close(s, &test_ctx, 1, &evs_, &err_));
    assert_int_equal(ys_cmd_poll_announce(s, &test_ctx, 1, &evs, &err), YS_STATE);
    for (int t = 1; t <= 2; t++) {
        json_t *cts = ys_poll_to_decrypt(s, 1, &err), *partials = NULL;
        assert_non_null(cts);
        assert_int_equal(ys_vtrustee_decrypt(d.t[t - 1], ys_vvote_Q(ys_poll_get(s, 1)->v->vote), cts, &partials, &err),
                         YS_OK);
        VT_OK(s, ys_cmd_poll_decrypt(s, &test_ctx, 1, VT_LOGINS[t - 1], partials, &evs_, &err_));
        json_decref(partials);
        json_decref(cts);
    }
    const ys_poll *p = ys_poll_get(s, 1);
    assert_true(p->counted);
    assert_int_equal(p->tally.yes, 31);
    assert_int_equal(p->tally.no, 7);
    assert_int_equal(p->tally.abstain, 4);
    assert_int_equal(p->tally.not_voted, 8);
    assert_true(p->result.passed);
    VT_OK(s, ys_cmd_poll_announce(s, &test_ctx, 1, &evs_, &err_));
    digest_kept(s);
    vt_devices_free(&d);
    ys_session_free(s);
}

/* No table of the file holds a mark: every ballot is ciphertext, and the box is empty. */
static void no_mark_in_the_clear(const char *path)
{
    char *v = NULL;
    assert_true(test_store_sql_value(path, "SELECT count(*) FROM ballot_box", NULL, &v));
    assert_string_equal(v, "0");
    ys_free(v);
    assert_true(test_store_sql_value(path, "SELECT count(*) FROM events WHERE type = 'election.cast' AND "
                                     "(payload LIKE '%\"yes\"%' OR payload LIKE '%甲%')", NULL, &v));
    assert_string_equal(v, "0");
    ys_free(v);
}

static void replays_and_verifies(void **state)
{
    (void)state;
    char *path = test_store_new();
    ys_err err = {0};
    vt_devices d = {0};
    uint8_t live[YS_HASH_BYTES], replayed[YS_HASH_BYTES];
    ys_journal *j = vt_file_counted(path, 12, &d);
    assert_int_equal(count_of(ys_session_election_get(j->session, 1)->result, "甲", "yes"), 8);
    ys_session_digest(j->session, live);
    ys_journal_close(j);
    assert_int_equal(ys_journal_open(path, YS_STORE_READONLY, &j, &err), YS_OK);
    ys_session_digest(j->session, replayed);
    assert_memory_equal(live, replayed, YS_HASH_BYTES);
    ys_journal_close(j);
    ys_verify_report rep;
    assert_int_equal(ys_journal_verify(path, &rep, &err), YS_OK);
    if (!rep.ok)
        fail_msg("verify: %s at %lld", rep.reason, (long long)rep.bad_seq);
    assert_int_equal(rep.v_ballots, 12);
    assert_int_equal(rep.v_decryptions, 2);
    no_mark_in_the_clear(path);
    vt_devices_free(&d);
    test_store_remove(path);
    ys_free(path);
}

/* 30 × (甲 乙 against 丙), 6 × (甲, and 丁 written in), 2 × (丁 and 戊 written in), 7 × (乙 丙): 甲 36, 乙 37, 丙 7
 * against 30, and the write-ins 丁 8, 戊 2 of 10 names. */
static void cast_writeins(vt_target t)
{
    static const ys_vmark none[3] = {YS_VMARK_ABSTAIN, YS_VMARK_ABSTAIN, YS_VMARK_ABSTAIN};
    static const ys_vmark jia[3] = {YS_VMARK_YES, YS_VMARK_ABSTAIN, YS_VMARK_ABSTAIN};
    static const ys_vmark yi_bing[3] = {YS_VMARK_ABSTAIN, YS_VMARK_YES, YS_VMARK_YES};
    static const char *const ding[] = {"丁"}, *const ding_wu[] = {"丁", "戊"};
    ys_err err = {0};
    for (int i = 1; i <= 45; i++) {
        ys_rc rc = i <= 30   ? vt_cast(t, i, VT_YES_YES_NO, NULL, &err)
                   : i <= 36 ? vt_cast_writein(t, false, 1, i, jia, ding, 1, NULL, &err)
                   : i <= 38 ? vt_cast_writein(t, false, 1, i, none, ding_wu, 2, NULL, &err)
                             : vt_cast(t, i, yi_bing, NULL, &err);
        if (rc)
            fail_msg("D%d: %s", i, err.msg);
    }
}

/* A shuffle whose output's first α is another tuple's: the proof no longer holds. */
static void swap_alpha(json_t *sh)
{
    json_t *out = json_object_get(sh, "output");
    json_t *a = json_array_get(json_array_get(json_array_get(out, 0), 0), 0);
    json_t *b = json_array_get(json_array_get(json_array_get(out, 1), 0), 0);
    json_t *keep = json_string(json_string_value(a));
    json_string_set(a, json_string_value(b));
    json_string_set(b, json_string_value(keep));
    json_decref(keep);
}

static void expect_no_decryption(vt_target t)
{
    ys_err err = {0};
    assert_null(ys_election_to_decrypt(vt_s(t), 1, &err));
    assert_int_equal(err.rc, YS_STATE);
    assert_non_null(strstr(err.msg, "shuffle"));
}

/* The election held to its count through the shuffles, with every refusal on the way. */
static void held_through_the_shuffles(vt_target t, vt_devices *d)
{
    ys_err err = {0};
    ys_events evs;
    ys_events_init(&evs);
    vt_shuffle(t, 1, 1, NULL, YS_STATE); /* before the close */
    VT_OK(t, ys_cmd_election_close(s_, &test_ctx, 1, &evs_, &err_));
    vt_shuffle(t, 1, 1, NULL, YS_STATE); /* before the aggregates are decrypted */
    vt_decrypt(t, d, 1, YS_OK);
    vt_decrypt(t, d, 3, YS_OK);
    const ys_session_election *el = ys_session_election_get(vt_s(t), 1);
    assert_null(el->result); /* names were written in: the count waits for the shuffles */
    assert_int_equal(el->v->phase, YS_VPHASE_SHUFFLE);
    assert_int_equal(el->v->written, 10);
    expect_no_decryption(t);
    vt_decrypt(t, d, 2, YS_STATE);
    json_t *none = json_array();
    assert_int_equal(ys_cmd_election_decrypt(vt_s(t), &test_ctx, 1, VT_LOGINS[1], none, &evs, &err), YS_STATE);
    json_decref(none);
    assert_null(ys_election_to_shuffle(vt_s(t), 1, "D1", &err)); /* no trustee */
    assert_int_equal(err.rc, YS_FORBIDDEN);
    vt_shuffle(t, 2, 2, NULL, YS_CONFLICT);   /* shuffle 2 before 1 */
    vt_shuffle(t, 2, 3, NULL, YS_INVALID);    /* k is 2 */
    vt_shuffle(t, 2, 1, swap_alpha, YS_BAD_PROOF);
    vt_shuffle(t, 2, 1, NULL, YS_OK);
    assert_int_equal(ys_session_election_get(vt_s(t), 1)->v->n_shuffles, 1);
    expect_no_decryption(t);
    vt_shuffle(t, 2, 2, NULL, YS_CONFLICT);   /* trustee 2 has shuffled */
    assert_null(ys_election_to_shuffle(vt_s(t), 1, VT_LOGINS[1], &err));
    assert_int_equal(err.rc, YS_CONFLICT);
    vt_shuffle(t, 3, 2, NULL, YS_OK);
    vt_shuffle(t, 1, 3, NULL, YS_STATE);      /* the two are made */
    json_t *mix = ys_election_to_decrypt(vt_s(t), 1, &err);
    assert_int_equal(json_array_size(mix), 45);
    assert_string_equal(json_string_value(json_object_get(json_array_get(mix, 44), "label")), "mix/45");
    json_decref(mix);
    vt_decrypt(t, d, 1, YS_OK);
    vt_decrypt(t, d, 1, YS_CONFLICT);
    vt_decrypt(t, d, 2, YS_OK);
    el = ys_session_election_get(vt_s(t), 1);
    assert_int_equal(el->v->phase, YS_VPHASE_BLOCK);
    json_t *blocks = ys_election_to_decrypt(vt_s(t), 1, &err);
    assert_int_equal(json_array_size(blocks), 8 * ys_vvote_P(el->v->vote)); /* the 8 ballots that wrote names in */
    assert_memory_equal(json_string_value(json_object_get(json_array_get(blocks, 0), "label")), "block/", 6);
    json_decref(blocks);
    assert_null(el->result);
    vt_decrypt(t, d, 3, YS_OK);
    assert_null(ys_session_election_get(vt_s(t), 1)->result);
    vt_decrypt(t, d, 1, YS_OK);
    el = ys_session_election_get(vt_s(t), 1);
    assert_true(el->v->counted);
    assert_int_equal(count_of(el->result, "甲", "yes"), 36);
    assert_int_equal(count_of(el->result, "乙", "yes"), 37);
    assert_int_equal(count_of(el->result, "丙", "no"), 30);
    assert_int_equal(count_of(el->result, "丁", "yes"), 8);
    assert_int_equal(count_of(el->result, "戊", "yes"), 2);
    json_t *elected = json_object_get(el->result, "elected");
    assert_int_equal(json_array_size(elected), 2);
    assert_null(ys_election_to_shuffle(vt_s(t), 1, VT_LOGINS[0], &err));
    assert_int_equal(err.rc, YS_STATE);
}

static void writeins_shuffled_and_counted(void **state)
{
    (void)state;
    ys_session *s = test_session("prc-provincial");
    vt_devices d = {0};
    vt_open_election(VT_TARGET(s), &d);
    cast_writeins(VT_TARGET(s));
    held_through_the_shuffles(VT_TARGET(s), &d);
    digest_kept(s);
    vt_devices_free(&d);
    ys_session_free(s);
}

/* The same on a file: reopened, it replays to the same state (no shuffle's proof checked again), and verify
 * checks every shuffle and decryption. */
static void writeins_replay_and_verify(void **state)
{
    (void)state;
    char *path = test_store_new();
    ys_err err = {0};
    vt_devices d = {0};
    ys_journal *j = vt_journal_new(path);
    vt_open_election(VT_TARGET(j), &d);
    cast_writeins(VT_TARGET(j));
    held_through_the_shuffles(VT_TARGET(j), &d);
    uint8_t live[YS_HASH_BYTES], replayed[YS_HASH_BYTES];
    ys_session_digest(j->session, live);
    ys_journal_close(j);
    assert_int_equal(ys_journal_open(path, YS_STORE_READONLY, &j, &err), YS_OK);
    ys_session_digest(j->session, replayed);
    assert_memory_equal(live, replayed, YS_HASH_BYTES);
    assert_int_equal(count_of(ys_session_election_get(j->session, 1)->result, "丁", "yes"), 8);
    ys_journal_close(j);
    ys_verify_report rep;
    assert_int_equal(ys_journal_verify(path, &rep, &err), YS_OK);
    if (!rep.ok)
        fail_msg("verify: %s at %lld", rep.reason, (long long)rep.bad_seq);
    assert_int_equal(rep.v_ballots, 45);
    assert_int_equal(rep.v_decryptions, 6);
    assert_int_equal(rep.v_shuffles, 2);
    vt_devices_free(&d);
    test_store_remove(path);
    ys_free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(held_and_counted),
        cmocka_unit_test(poll_held_and_counted),
        cmocka_unit_test(replays_and_verifies),
        cmocka_unit_test(writeins_shuffled_and_counted),
        cmocka_unit_test(writeins_replay_and_verify),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
