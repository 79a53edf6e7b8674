/* vtestutil.h — what the tests of verifiable votes share: a key ceremony held to the end with the test as the
 * trustees' devices (their secrets stay in `devices`, as on their own machines), an election on the key, ballots
 * encrypted as the terminal does and checked as the server does, the trustees' decryptions, and a whole session
 * file with a counted election. Each step runs on a session in memory or on a journal (committed to its file). */
#ifndef YS_VTESTUTIL_H
#define YS_VTESTUTIL_H

#include "testutil.h"

#include "yishi/key.h"
#include "yishi/poll.h"
#include "yishi/vballot.h"
#include "yishi/vkey.h"
#include "yishi/vstate.h"

#define VT_TRUSTEES 3
static const char *const VT_LOGINS[VT_TRUSTEES] = {"zong", "jian1", "jian2"};

typedef struct vt_devices {
    ys_vtrustee *t[VT_TRUSTEES];
} vt_devices;

/* Where a command's events go: applied to a session in memory, or committed to a journal's file. */
typedef struct vt_target {
    ys_session *s;
    ys_journal *j;
} vt_target;

static inline vt_target vt_target_s(ys_session *s) { return (vt_target){s, NULL}; }
static inline vt_target vt_target_j(ys_journal *j) { return (vt_target){NULL, j}; }
static inline vt_target vt_target_t(vt_target t) { return t; }
#define VT_TARGET(x) _Generic((x), ys_session *: vt_target_s, ys_journal *: vt_target_j, vt_target: vt_target_t)(x)

/* The session as it is now (a journal's is replaced when a failed batch is rolled back). */
static inline ys_session *vt_s(vt_target t) { return t.j ? t.j->session : t.s; }

static inline ys_rc vt_take(vt_target t, ys_events *evs)
{
    ys_err err = {0};
    if (!t.j)
        return test_apply(t.s, evs);
    ys_rc rc = ys_journal_commit(t.j, evs, &err);
    if (rc)
        print_error("commit: %s\n", err.msg);
    return rc;
}

/* Runs a command on a session or a journal (x) and takes its events; fails the test, naming the call, if
 * refused. The call names the session as `s_`. */
#define VT_OK(x, call)                                                                                                \
    do {                                                                                                              \
        vt_target t_ = VT_TARGET(x);                                                                                  \
        ys_session *s_ = vt_s(t_);                                                                                    \
        ys_events evs_;                                                                                               \
        ys_err err_ = {0};                                                                                            \
        (void)s_;                                                                                                     \
        ys_events_init(&evs_);                                                                                        \
        if (call)                                                                                                     \
            fail_msg("%s: %s", #call, err_.msg);                                                                      \
        assert_int_equal(vt_take(t_, &evs_), YS_OK);                                                                  \
    } while (0)

static inline void vt_import(vt_target t, ys_import_kind kind, const char *text)
{
    ys_csv *csv = NULL;
    ys_diags diags;
    ys_diags_init(&diags);
    assert_int_equal(ys_csv_parse(text, strlen(text), &csv, &diags), YS_OK);
    VT_OK(t, ys_cmd_import(s_, &test_ctx, kind, csv, &evs_, &diags));
    ys_csv_free(csv);
    ys_diags_free(&diags);
}

/* n delegates D1…Dn, an agenda item to elect on, a plenary open with D1…D<present> present. */
static inline void vt_plenary(vt_target t, int n, int present)
{
    char *csv = test_delegates_csv(n, 12);
    vt_import(t, YS_IMPORT_DELEGATES, csv);
    ys_free(csv);
    vt_import(t, YS_IMPORT_AGENDA, "order,kind,title\n1,elect,选举副省长\n");
    VT_OK(t, ys_cmd_meeting_open(s_, &test_ctx, YS_MEETING_PLENARY, "全体会议", NULL, &evs_, &err_));
    for (int i = 1; i <= present; i++) {
        char code[16];
        snprintf(code, sizeof code, "D%d", i);
        VT_OK(t, ys_cmd_attendance(s_, &test_ctx, 1, code, YS_PRESENT, NULL, &evs_, &err_));
    }
}

/* Key `id` made by three trustees with threshold 2: each commits, shares and publishes from its device. */
static inline void vt_ceremony_on(vt_target t, int id, vt_devices *d)
{
    VT_OK(t, ys_cmd_key_create(s_, &test_ctx, VT_LOGINS, VT_TRUSTEES, 2, &evs_, &err_));
    for (int i = 0; i < VT_TRUSTEES; i++) {
        assert_int_equal(ys_vtrustee_new(ys_key_get(vt_s(t), id)->v, (unsigned)i + 1, &d->t[i], NULL), YS_OK);
        json_t *m = ys_vtrustee_commitment(d->t[i]);
        VT_OK(t, ys_cmd_key_commit(s_, &test_ctx, id, VT_LOGINS[i], m, &evs_, &err_));
        json_decref(m);
    }
    for (int i = 0; i < VT_TRUSTEES; i++) {
        json_t *m = NULL;
        assert_int_equal(ys_vtrustee_seal_shares(d->t[i], ys_key_get(vt_s(t), id)->v, &m, NULL), YS_OK);
        VT_OK(t, ys_cmd_key_shares(s_, &test_ctx, id, VT_LOGINS[i], m, &evs_, &err_));
        json_decref(m);
    }
    for (int j = 0; j < VT_TRUSTEES; j++) {
        const ys_key *key = ys_key_get(vt_s(t), id);
        for (int i = 0; i < VT_TRUSTEES; i++)
            if (i != j)
                assert_int_equal(ys_vtrustee_open_share(d->t[j], key->v, (unsigned)i + 1, key->trustees[i].shares, NULL),
                                 YS_OK);
        json_t *m = NULL;
        assert_int_equal(ys_vtrustee_public_share(d->t[j], &m, NULL), YS_OK);
        VT_OK(t, ys_cmd_key_ready(s_, &test_ctx, id, VT_LOGINS[j], m, &evs_, &err_));
        json_decref(m);
    }
    assert_int_equal(ys_key_get(vt_s(t), id)->state, YS_KEY_COMPLETE);
}
#define vt_ceremony(x, id, d) vt_ceremony_on(VT_TARGET(x), id, d)

static inline void vt_devices_free(vt_devices *d)
{
    for (int i = 0; i < VT_TRUSTEES; i++)
        ys_vtrustee_free(d->t[i]);
}

/* Election 1: two vice-governors among three (Art. 27: seats + 1), on key 1; 丙 nominated by 30 delegates. */
static inline void vt_election_on_key(vt_target t)
{
    ys_election_args a = {.item = 1, .kind = YS_ELECTION, .office = "vice_governor", .seats = 2, .key = 1};
    VT_OK(t, ys_cmd_election_create(s_, &test_ctx, &a, &evs_, &err_));
    VT_OK(t, ys_cmd_election_nominate(s_, &test_ctx, 1, "甲", NULL, 0, &evs_, &err_));
    VT_OK(t, ys_cmd_election_nominate(s_, &test_ctx, 1, "乙", NULL, 0, &evs_, &err_));
    const char *codes[30];
    char buf[30][8];
    for (int i = 0; i < 30; i++) {
        snprintf(buf[i], sizeof buf[i], "D%d", i + 1);
        codes[i] = buf[i];
    }
    VT_OK(t, ys_cmd_election_nominate(s_, &test_ctx, 1, "丙", codes, 30, &evs_, &err_));
}

static const ys_vmark VT_YES_YES_NO[3] = {YS_VMARK_YES, YS_VMARK_YES, YS_VMARK_NO};
static const ys_vmark VT_YES_ABS_YES[3] = {YS_VMARK_YES, YS_VMARK_ABSTAIN, YS_VMARK_YES};
static const ys_vmark VT_NO_YES_YES[3] = {YS_VMARK_NO, YS_VMARK_YES, YS_VMARK_YES};

/* The terminal's part (encrypt) and the server's (check, then cast) for delegate D<voter> in poll or election
 * `id`; the ballot's JSON in *keep when keep is not NULL. */
static inline ys_rc vt_cast_writein(vt_target t, bool poll, int id, int voter, const ys_vmark *marks,
                                    const char *const *names, size_t n, json_t **keep, ys_err *err);

static inline ys_rc vt_cast_in(vt_target t, bool poll, int id, int voter, const ys_vmark *marks, json_t **keep,
                               ys_err *err)
{
    return vt_cast_writein(t, poll, id, voter, marks, NULL, 0, keep, err);
}

/* The same with names written in (另选他人). */
static inline ys_rc vt_cast_writein(vt_target t, bool poll, int id, int voter, const ys_vmark *marks,
                                    const char *const *names, size_t n, json_t **keep, ys_err *err)
{
    char code[16];
    ys_vvote *v = NULL;
    json_t *ballot = NULL;
    ys_vcast *checked = NULL;
    ys_events evs;
    ys_events_init(&evs);
    snprintf(code, sizeof code, "D%d", voter);
    ys_rc rc = poll ? ys_poll_vvote(vt_s(t), id, &v, err) : ys_election_vvote(vt_s(t), id, &v, err);
    if (!rc)
        rc = ys_vballot_encrypt(v, code, marks, names, n, NULL, &ballot, NULL, err);
    if (!rc)
        rc = ys_vballot_check(v, code, ballot, &checked, err);
    if (!rc)
        rc = poll ? ys_cmd_poll_cast(vt_s(t), &test_ctx, id, code, ballot, checked, &evs, err)
                  : ys_cmd_election_cast(vt_s(t), &test_ctx, id, code, ballot, checked, &evs, err);
    if (!rc)
        rc = vt_take(t, &evs);
    else
        ys_events_free(&evs);
    ys_vcast_free(checked);
    if (keep)
        *keep = ballot;
    else
        json_decref(ballot);
    ys_vvote_free(v);
    return rc;
}

/* A ballot of delegate D<voter> in election 1. */
static inline ys_rc vt_cast(vt_target t, int voter, const ys_vmark *marks, json_t **keep, ys_err *err)
{
    return vt_cast_in(t, false, 1, voter, marks, keep, err);
}

/* Trustee `trustee` decrypts election 1's aggregates on its device and posts them: the command returns `want`. */
static inline void vt_decrypt(vt_target t, vt_devices *d, int trustee, ys_rc want)
{
    ys_err err = {0};
    json_t *cts = ys_election_to_decrypt(vt_s(t), 1, &err), *partials = NULL;
    if (!cts && err.rc == want && want) /* nothing to decrypt now: the command would refuse it too */
        return;
    assert_non_null(cts);
    const ys_session_election *el = ys_session_election_get(vt_s(t), 1);
    assert_int_equal(ys_vtrustee_decrypt(d->t[trustee - 1], ys_vvote_Q(el->v->vote), cts, &partials, &err), YS_OK);
    ys_events evs;
    ys_events_init(&evs);
    ys_rc rc = ys_cmd_election_decrypt(vt_s(t), &test_ctx, 1, VT_LOGINS[trustee - 1], partials, &evs, &err);
    if (rc != want)
        fail_msg("trustee %d: %s (%s)", trustee, ys_rc_code(rc), err.msg);
    if (!rc)
        assert_int_equal(vt_take(t, &evs), YS_OK);
    else
        ys_events_free(&evs);
    json_decref(partials);
    json_decref(cts);
}

/* Trustee `trustee` makes shuffle m of election 1's write-ins on its device (docs/verifiable.md §9) and posts
 * it, checked as the server checks it (begun under the state, checked apart, then the command): the command, or
 * the check, returns `want`. `tamper`, when not NULL, changes the shuffle before it is posted. */
static inline void vt_shuffle(vt_target t, int trustee, int m, void (*tamper)(json_t *sh), ys_rc want)
{
    ys_err err = {0};
    const ys_session_election *el = ys_session_election_get(vt_s(t), 1);
    const ys_key *key = ys_key_get(vt_s(t), el->v->key);
    json_t *sh = NULL, *view = ys_election_to_shuffle(vt_s(t), 1, VT_LOGINS[trustee - 1], &err);
    json_t *from = el->v->tuples; /* what is shuffled even when the view is refused, for the refusals' tests */
    if (view) {
        assert_int_equal(json_integer_value(json_object_get(view, "m")), el->v->n_shuffles + 1);
        assert_true(json_equal(json_object_get(view, "input"), from));
    }
    json_decref(view);
    assert_int_equal(ys_vmix_prove(key->v, ys_vvote_Q(el->v->vote), (uint64_t)(m < 1 ? 1 : m), from, &sh, &err), YS_OK);
    if (tamper)
        tamper(sh);
    json_t *output = json_incref(json_object_get(sh, "output"));
    json_object_del(sh, "output");
    ys_vshuffle *checked = NULL;
    ys_rc rc = ys_election_shuffle_begin(vt_s(t), 1, VT_LOGINS[trustee - 1], m, &checked, &err);
    if (!rc)
        rc = ys_vshuffle_check(checked, output, sh, &err);
    ys_events evs;
    ys_events_init(&evs);
    if (!rc)
        rc = ys_cmd_election_shuffle(vt_s(t), &test_ctx, 1, VT_LOGINS[trustee - 1], m, output, sh, checked, &evs, &err);
    if (rc != want)
        fail_msg("shuffle %d by trustee %d: %s (%s)", m, trustee, ys_rc_code(rc), err.msg);
    if (!rc)
        assert_int_equal(vt_take(t, &evs), YS_OK);
    else
        ys_events_free(&evs);
    ys_vshuffle_free(checked);
    json_decref(output);
    json_decref(sh);
}

/* What comes before the ballots: 60 delegates, 50 present; key 1; election 1 on it, opened. */
static inline void vt_open_election(vt_target t, vt_devices *d)
{
    vt_plenary(t, 60, 50);
    vt_ceremony(t, 1, d);
    vt_election_on_key(t);
    VT_OK(t, ys_cmd_election_open(s_, &test_ctx, 1, &evs_, &err_));
}

/* A new session file at `path`, open, under the provincial rules. */
static inline ys_journal *vt_journal_new(const char *path)
{
    ys_journal *j = NULL;
    ys_err err = {0};
    ys_rules *r = test_rules("prc-provincial");
    ys_init_args a = {"测试省人民代表大会", "第一届", "第一次会议", r};
    if (ys_journal_create(path, &test_ctx, &a, &j, &err))
        fail_msg("%s: %s", path, err.msg);
    ys_rules_free(r);
    return j;
}

/* A session file at `path` holding election 1 (vt_open_election; D51 arrives after the open) counted: `ballots`
 * ballots cast by D1 … (every third one 丙 乙 against 甲, the others 甲 乙 against 丙), closed, decrypted by trustees 1 and 2.
 * Returns the journal, open; the trustees' devices are in d. */
static inline ys_journal *vt_file_counted(const char *path, int ballots, vt_devices *d)
{
    ys_journal *j = vt_journal_new(path);
    ys_err err = {0};
    vt_target t = VT_TARGET(j);
    vt_open_election(t, d);
    VT_OK(t, ys_cmd_attendance(s_, &test_ctx, 1, "D51", YS_PRESENT, NULL, &evs_, &err_)); /* late: issued no ballot */
    for (int i = 1; i <= ballots; i++)
        if (vt_cast(t, i, i % 3 ? VT_YES_YES_NO : VT_NO_YES_YES, NULL, &err))
            fail_msg("D%d: %s", i, err.msg);
    VT_OK(t, ys_cmd_election_close(s_, &test_ctx, 1, &evs_, &err_));
    vt_decrypt(t, d, 1, YS_OK);
    vt_decrypt(t, d, 2, YS_OK);
    assert_non_null(ys_session_election_get(j->session, 1)->result);
    return j;
}

/* A session file at `path` holding election 1 counted through its write-ins: `ballots` ballots cast by D1 …, the
 * first three each 甲 with 丁 written in, the others 甲 乙; closed, decrypted by trustees 1 and 2, shuffled by 1
 * then 2, the shuffled counts decrypted by 1 and 2, and the blocks by 1 and 2. Returns the journal, open. */
static inline ys_journal *vt_file_shuffled(const char *path, int ballots, vt_devices *d)
{
    static const ys_vmark jia[3] = {YS_VMARK_YES, YS_VMARK_ABSTAIN, YS_VMARK_ABSTAIN};
    static const char *const ding[] = {"丁"};
    ys_journal *j = vt_journal_new(path);
    ys_err err = {0};
    vt_target t = VT_TARGET(j);
    vt_open_election(t, d);
    for (int i = 1; i <= ballots; i++)
        if (i <= 3 ? vt_cast_writein(t, false, 1, i, jia, ding, 1, NULL, &err) : vt_cast(t, i, VT_YES_YES_NO, NULL, &err))
            fail_msg("D%d: %s", i, err.msg);
    VT_OK(t, ys_cmd_election_close(s_, &test_ctx, 1, &evs_, &err_));
    vt_decrypt(t, d, 1, YS_OK);
    vt_decrypt(t, d, 2, YS_OK);
    vt_shuffle(t, 1, 1, NULL, YS_OK);
    vt_shuffle(t, 2, 2, NULL, YS_OK);
    for (int phase = 0; phase < 2; phase++)
        vt_decrypt(t, d, 1, YS_OK), vt_decrypt(t, d, 2, YS_OK);
    assert_true(ys_session_election_get(j->session, 1)->v->counted);
    return j;
}

#endif
