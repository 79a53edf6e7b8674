/* test_key.c — the key ceremony as the session keeps it: three trustees and a threshold of two, each step
 * posted by the trustee it belongs to and refused from anyone else or out of turn, a forged proof refused
 * before it is logged, a complaint that ends the ceremony, and a file that replays and verifies (test_key_pg: a
 * PostgreSQL session). */
#include "storeutil.h"

#include "yishi/journal.h"
#include "yishi/key.h"
#include "yishi/vkey.h"

static const char *const LOGINS[] = {"zong", "jian1", "jian2"};

/* The trustees' own devices: each holds its secrets; the session holds only what they post. */
typedef struct devices {
    ys_vtrustee *t[3];
} devices;

static void run(ys_session *s, ys_rc want, ys_rc (*post)(ys_session *, ys_events *, ys_err *, void *), void *ud)
{
    ys_events evs;
    ys_err err = {0};
    ys_events_init(&evs);
    ys_rc rc = post(s, &evs, &err, ud);
    if (rc != want)
        fail_msg("got %s (%s), wanted %s", ys_rc_code(rc), err.msg, ys_rc_code(want));
    if (rc == YS_OK)
        assert_int_equal(test_apply(s, &evs), YS_OK);
    else
        ys_events_free(&evs);
}

static ys_session *with_key(void)
{
    ys_session *s = test_session("prc-county");
    ys_events evs;
    ys_err err = {0};
    ys_events_init(&evs);
    assert_int_equal(ys_cmd_key_create(s, &test_ctx, LOGINS, 3, 2, &evs, &err), YS_OK);
    assert_int_equal(test_apply(s, &evs), YS_OK);
    return s;
}

typedef struct step {
    int trustee;          /* 1 … 3 */
    const char *login;    /* who posts it */
    json_t *msg;
} step;

static ys_rc post_commit(ys_session *s, ys_events *evs, ys_err *err, void *ud)
{
    step *st = ud;
    return ys_cmd_key_commit(s, &test_ctx, 1, st->login, st->msg, evs, err);
}

static ys_rc post_shares(ys_session *s, ys_events *evs, ys_err *err, void *ud)
{
    step *st = ud;
    return ys_cmd_key_shares(s, &test_ctx, 1, st->login, st->msg, evs, err);
}

static ys_rc post_ready(ys_session *s, ys_events *evs, ys_err *err, void *ud)
{
    step *st = ud;
    return ys_cmd_key_ready(s, &test_ctx, 1, st->login, st->msg, evs, err);
}

static void commit_all(ys_session *s, devices *d)
{
    const ys_key *key = ys_key_get(s, 1);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(ys_vtrustee_new(key->v, (unsigned)i + 1, &d->t[i], NULL), YS_OK);
        step st = {i + 1, LOGINS[i], ys_vtrustee_commitment(d->t[i])};
        if (i == 0) { /* another trustee may not post it, nor may it be posted before its turn */
            step other = {1, LOGINS[1], st.msg};
            run(s, YS_FORBIDDEN, post_commit, &(step){1, "nobody", st.msg});
            run(s, YS_BAD_PROOF, post_commit, &other); /* jian1 posting zong's: proofs are of trustee 1 */
            json_t *none = json_array();
            run(s, YS_STATE, post_shares, &(step){1, LOGINS[0], none});
            json_decref(none);
        }
        run(s, YS_OK, post_commit, &st);
        if (i == 0)
            run(s, YS_CONFLICT, post_commit, &st);
        json_decref(st.msg);
    }
    assert_int_equal(ys_key_get(s, 1)->state, YS_KEY_SHARING);
}

static void share_all(ys_session *s, devices *d)
{
    const ys_key *key = ys_key_get(s, 1);
    for (int i = 0; i < 3; i++) {
        json_t *shares = NULL;
        assert_int_equal(ys_vtrustee_seal_shares(d->t[i], key->v, &shares, NULL), YS_OK);
        run(s, YS_OK, post_shares, &(step){i + 1, LOGINS[i], shares});
        json_decref(shares);
    }
    assert_int_equal(ys_key_get(s, 1)->state, YS_KEY_PUBLISHING);
}

static void publish_all(ys_session *s, devices *d)
{
    const ys_key *key = ys_key_get(s, 1);
    for (int j = 0; j < 3; j++) {
        for (int i = 0; i < 3; i++)
            if (i != j)
                assert_int_equal(ys_vtrustee_open_share(d->t[j], key->v, (unsigned)i + 1, key->trustees[i].shares, NULL),
                                 YS_OK);
        json_t *msg = NULL;
        assert_int_equal(ys_vtrustee_public_share(d->t[j], &msg, NULL), YS_OK);
        if (j == 0) { /* a public share that is not the trustee's own is refused before it is logged */
            json_t *forged = json_deep_copy(msg);
            json_object_set_new(forged, "share", json_string("4vKuCmq8TnGohKlhxQBRX1jjC2qlgt2NtqZZReCNLXY=")); /* G */
            run(s, YS_BAD_PROOF, post_ready, &(step){1, LOGINS[0], forged});
            json_decref(forged);
        }
        run(s, YS_OK, post_ready, &(step){j + 1, LOGINS[j], msg});
        json_decref(msg);
    }
    assert_int_equal(ys_key_get(s, 1)->state, YS_KEY_COMPLETE);
    assert_true(ys_vkey_complete(ys_key_get(s, 1)->v));
}

static void devices_free(devices *d)
{
    for (int i = 0; i < 3; i++)
        ys_vtrustee_free(d->t[i]);
}

static void whole_ceremony(void **state)
{
    (void)state;
    ys_session *s = with_key();
    devices d = {0};
    commit_all(s, &d);
    share_all(s, &d);
    publish_all(s, &d);
    char joint[45];
    assert_int_equal(ys_vkey_joint_key(ys_key_get(s, 1)->v, joint, NULL), YS_OK);
    uint8_t a[YS_HASH_BYTES], b[YS_HASH_BYTES];
    ys_session_digest(s, a);
    ys_session_digest_full(s, b);
    assert_memory_equal(a, b, YS_HASH_BYTES);
    /* one ceremony at a time, but a new one once this is complete */
    ys_events evs;
    ys_events_init(&evs);
    assert_int_equal(ys_cmd_key_create(s, &test_ctx, LOGINS, 2, 2, &evs, NULL), YS_OK);
    ys_events_free(&evs);
    devices_free(&d);
    ys_session_free(s);
}

static void bad_ceremonies_refused(void **state)
{
    (void)state;
    ys_session *s = with_key();
    ys_events evs;
    ys_err err = {0};
    ys_events_init(&evs);
    static const char *const twice[] = {"a", "a"};
    assert_int_equal(ys_cmd_key_create(s, &test_ctx, LOGINS, 3, 2, &evs, &err), YS_STATE); /* one is under way */
    ys_session_free(s);
    s = test_session("prc-county");
    assert_int_equal(ys_cmd_key_create(s, &test_ctx, twice, 2, 1, &evs, &err), YS_INVALID);
    assert_int_equal(ys_cmd_key_create(s, &test_ctx, LOGINS, 3, 4, &evs, &err), YS_INVALID);
    assert_string_equal(err.field, "threshold");
    assert_int_equal(ys_cmd_key_create(s, &test_ctx, LOGINS, 3, 0, &evs, &err), YS_INVALID);
    assert_int_equal(ys_cmd_key_create(s, &test_ctx, LOGINS, 0, 1, &evs, &err), YS_INVALID);
    assert_int_equal(evs.n, 0);
    ys_session_free(s);
}

static ys_rc post_complaint(ys_session *s, ys_events *evs, ys_err *err, void *ud)
{
    step *st = ud;
    return ys_cmd_key_complain(s, &test_ctx, 1, st->login, st->trustee, "the share does not match", evs, err);
}

/* A share that does not open, or does not match, is a complaint; the key fails and a new ceremony may start. */
static void complaint_ends_it(void **state)
{
    (void)state;
    ys_session *s = with_key();
    devices d = {0};
    commit_all(s, &d);
    share_all(s, &d);
    const ys_key *key = ys_key_get(s, 1);
    /* trustee 2's shares, as trustee 3 would try them against trustee 1's: the wrong sender is found */
    ys_err err = {0};
    assert_int_not_equal(ys_vtrustee_open_share(d.t[2], key->v, 1, key->trustees[1].shares, &err), YS_OK);
    run(s, YS_INVALID, post_complaint, &(step){3, LOGINS[2], NULL}); /* against oneself */
    run(s, YS_OK, post_complaint, &(step){1, LOGINS[2], NULL});
    key = ys_key_get(s, 1);
    assert_int_equal(key->state, YS_KEY_FAILED);
    assert_int_equal(key->complaint_by, 3);
    assert_int_equal(key->complaint_against, 1);
    ys_events evs;
    ys_events_init(&evs);
    assert_int_equal(ys_cmd_key_create(s, &test_ctx, LOGINS, 3, 2, &evs, NULL), YS_OK);
    ys_events_free(&evs);
    devices_free(&d);
    ys_session_free(s);
}

/* Through a file: the ceremony replays to the same state (the proofs checked again), and verifies. */
static void replays_and_verifies(void **state)
{
    (void)state;
    char *path = test_store_new();
    ys_journal *j = NULL;
    ys_err err = {0};
    ys_rules *r = test_rules("prc-county");
    ys_init_args a = {"测试县人民代表大会", "第十八届", "第三次会议", r};
    ys_events evs;
    uint8_t live[YS_HASH_BYTES], replayed[YS_HASH_BYTES];
    assert_int_equal(ys_journal_open(path, YS_STORE_CREATE, &j, &err), YS_OK);
    ys_events_init(&evs);
    assert_int_equal(ys_cmd_init(j->session, &test_ctx, &a, &evs, &err), YS_OK);
    assert_int_equal(ys_journal_commit(j, &evs, &err), YS_OK);
    assert_int_equal(ys_cmd_key_create(j->session, &test_ctx, LOGINS, 3, 2, &evs, &err), YS_OK);
    assert_int_equal(ys_journal_commit(j, &evs, &err), YS_OK);
    ys_session *s = j->session;
    devices d = {0};
    const ys_key *key = ys_key_get(s, 1);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(ys_vtrustee_new(key->v, (unsigned)i + 1, &d.t[i], NULL), YS_OK);
        json_t *m = ys_vtrustee_commitment(d.t[i]);
        assert_int_equal(ys_cmd_key_commit(s, &test_ctx, 1, LOGINS[i], m, &evs, &err), YS_OK);
        assert_int_equal(ys_journal_commit(j, &evs, &err), YS_OK);
        json_decref(m);
    }
    for (int i = 0; i < 3; i++) {
        json_t *m = NULL;
        assert_int_equal(ys_vtrustee_seal_shares(d.t[i], ys_key_get(s, 1)->v, &m, NULL), YS_OK);
        assert_int_equal(ys_cmd_key_shares(s, &test_ctx, 1, LOGINS[i], m, &evs, &err), YS_OK);
        assert_int_equal(ys_journal_commit(j, &evs, &err), YS_OK);
        json_decref(m);
    }
    for (int t = 0; t < 3; t++) {
        key = ys_key_get(s, 1);
        for (int i = 0; i < 3; i++)
            if (i != t)
                assert_int_equal(ys_vtrustee_open_share(d.t[t], key->v, (unsigned)i + 1, key->trustees[i].shares, NULL), YS_OK);
        json_t *m = NULL;
        assert_int_equal(ys_vtrustee_public_share(d.t[t], &m, NULL), YS_OK);
        assert_int_equal(ys_cmd_key_ready(s, &test_ctx, 1, LOGINS[t], m, &evs, &err), YS_OK);
        assert_int_equal(ys_journal_commit(j, &evs, &err), YS_OK);
        json_decref(m);
    }
    ys_session_digest(j->session, live);
    ys_journal_close(j);
    assert_int_equal(ys_journal_open(path, YS_STORE_READONLY, &j, &err), YS_OK);
    ys_session_digest(j->session, replayed);
    assert_memory_equal(live, replayed, YS_HASH_BYTES);
    assert_int_equal(ys_key_get(j->session, 1)->state, YS_KEY_COMPLETE);
    ys_journal_close(j);
    ys_verify_report rep;
    assert_int_equal(ys_journal_verify(path, &rep, &err), YS_OK);
    if (!rep.ok)
        fail_msg("verify: %s at %lld", rep.reason, (long long)rep.bad_seq);
    devices_free(&d);
    ys_rules_free(r);
    test_store_remove(path);
    ys_free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(whole_ceremony),
        cmocka_unit_test(bad_ceremonies_refused),
        cmocka_unit_test(complaint_ends_it),
        cmocka_unit_test(replays_and_verifies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
