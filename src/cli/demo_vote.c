/* demo_vote.c — the demo's secret ballot held verifiably (docs/verifiable.md): its three scrutineers
 * (trustee1 … trustee3, threshold 2) hold the key ceremony, each delegate's ballot is encrypted and checked
 * as a terminal and the server do it, and two of the three decrypt the aggregates into the count, shuffling
 * and decrypting the write-ins first where names were written in (§9). The trustees' devices are this
 * process, for a demo; in a hall each is the trustee's own machine. */
#include "cli/cli.h"
#include "cli/demo_vote.h"

#include "yishi/key.h"
#include "yishi/poll.h"
#include "yishi/vballot.h"
#include "yishi/vkey.h"
#include "yishi/vstate.h"

#include <stdio.h>

static const char *const TRUSTEES[DEMO_TRUSTEES] = {"trustee1", "trustee2", "trustee3"};

static int run(ys_journal *j, ys_events *evs, ys_rc rc, const ys_err *err)
{
    return rc ? ys_cli_fail("demo", rc, err) : ys_cli_commit("demo", j, evs);
}

static ys_ctx trustee_ctx(char now[32], int i, char actor[96])
{
    ys_ctx c = ys_cli_ctx(now);
    snprintf(actor, 96, "trustee:%s", TRUSTEES[i]);
    c.actor = actor;
    return c;
}

/* Each trustee's step of the ceremony, in turn; `step` makes trustee i's message and posts it. */
typedef ys_rc (*ceremony_step)(ys_journal *j, ys_demo_trustees *t, int i, const ys_ctx *c, ys_events *evs, ys_err *err);

static ys_rc commit(ys_journal *j, ys_demo_trustees *t, int i, const ys_ctx *c, ys_events *evs, ys_err *err)
{
    ys_rc rc = ys_vtrustee_new(ys_key_get(j->session, t->key)->v, (unsigned)i + 1, &t->device[i], err);
    json_t *msg = rc ? NULL : ys_vtrustee_commitment(t->device[i]);
    if (!rc)
        rc = msg ? ys_cmd_key_commit(j->session, c, t->key, TRUSTEES[i], msg, evs, err) : YS_NOMEM;
    json_decref(msg);
    return rc;
}

static ys_rc share(ys_journal *j, ys_demo_trustees *t, int i, const ys_ctx *c, ys_events *evs, ys_err *err)
{
    json_t *shares = NULL;
    ys_rc rc = ys_vtrustee_seal_shares(t->device[i], ys_key_get(j->session, t->key)->v, &shares, err);
    if (!rc)
        rc = ys_cmd_key_shares(j->session, c, t->key, TRUSTEES[i], shares, evs, err);
    json_decref(shares);
    return rc;
}

static ys_rc publish(ys_journal *j, ys_demo_trustees *t, int i, const ys_ctx *c, ys_events *evs, ys_err *err)
{
    const ys_key *key = ys_key_get(j->session, t->key);
    ys_rc rc = YS_OK;
    json_t *msg = NULL;
    for (int from = 0; from < DEMO_TRUSTEES && !rc; from++)
        if (from != i)
            rc = ys_vtrustee_open_share(t->device[i], key->v, (unsigned)from + 1, key->trustees[from].shares, err);
    if (!rc)
        rc = ys_vtrustee_public_share(t->device[i], &msg, err);
    if (!rc)
        rc = ys_cmd_key_ready(j->session, c, t->key, TRUSTEES[i], msg, evs, err);
    json_decref(msg);
    return rc;
}

int ys_cli_demo_ceremony(ys_journal *j, ys_demo_trustees *t)
{
    static const ceremony_step steps[] = {commit, share, publish};
    char now[32], actor[96];
    ys_ctx c = ys_cli_ctx(now);
    ys_events evs;
    ys_err err = {0};
    int code;
    ys_events_init(&evs);
    t->key = (int)j->session->n_keys + 1;
    if ((code = run(j, &evs, ys_cmd_key_create(j->session, &c, TRUSTEES, DEMO_TRUSTEES, 2, &evs, &err), &err)))
        return code;
    for (size_t s = 0; s < sizeof steps / sizeof steps[0]; s++)
        for (int i = 0; i < DEMO_TRUSTEES; i++) {
            ys_ctx tc = trustee_ctx(now, i, actor);
            if ((code = run(j, &evs, steps[s](j, t, i, &tc, &evs, &err), &err)))
                return code;
        }
    return YS_EXIT_OK;
}

void ys_cli_demo_trustees_free(ys_demo_trustees *t)
{
    for (int i = 0; i < DEMO_TRUSTEES; i++)
        ys_vtrustee_free(t->device[i]);
}

/* A delegate's terminal and the server: the marks encrypted for this delegate, checked, cast. */
ys_rc ys_cli_demo_cast(ys_journal *j, const ys_ctx *c, bool poll, int id, const char *code, const ys_vmark *marks,
                       const char *writein, ys_events *evs, ys_err *err)
{
    ys_vvote *v = NULL;
    ys_vcast *checked = NULL;
    json_t *ballot = NULL;
    ys_rc rc = poll ? ys_poll_vvote(j->session, id, &v, err) : ys_election_vvote(j->session, id, &v, err);
    if (!rc)
        rc = ys_vballot_encrypt(v, code, marks, &writein, writein ? 1 : 0, NULL, &ballot, NULL, err);
    /* The server checks every proof of a ballot it receives; the demo made these itself, and reads them
     * as a replay does, which keeps `yishi demo` quick. yishi verify checks them all. */
    if (!rc)
        rc = ys_vballot_read(v, code, ballot, &checked, err);
    if (!rc)
        rc = poll ? ys_cmd_poll_cast(j->session, c, id, code, ballot, checked, evs, err)
                  : ys_cmd_election_cast(j->session, c, id, code, ballot, checked, evs, err);
    ys_vcast_free(checked);
    json_decref(ballot);
    ys_vvote_free(v);
    return rc;
}

/* Two of the three decrypt what the vote asks for now, the second's decryption bringing the next phase or the
 * count. */
static int decrypt_phase(ys_journal *j, ys_demo_trustees *t, bool poll, int id)
{
    char now[32], actor[96];
    ys_events evs;
    ys_err err = {0};
    int code = YS_EXIT_OK;
    ys_events_init(&evs);
    for (int i = 0; i < 2 && !code; i++) {
        ys_ctx c = trustee_ctx(now, i, actor);
        json_t *cts = poll ? ys_poll_to_decrypt(j->session, id, &err) : ys_election_to_decrypt(j->session, id, &err);
        json_t *partials = NULL;
        const ys_vstate *v = poll ? ys_poll_get(j->session, id)->v : ys_session_election_get(j->session, id)->v;
        ys_rc rc = cts ? ys_vtrustee_decrypt(t->device[i], ys_vvote_Q(v->vote), cts, &partials, &err) : err.rc;
        if (!rc)
            rc = poll ? ys_cmd_poll_decrypt(j->session, &c, id, TRUSTEES[i], partials, &evs, &err)
                      : ys_cmd_election_decrypt(j->session, &c, id, TRUSTEES[i], partials, &evs, &err);
        code = run(j, &evs, rc, &err);
        json_decref(cts);
        json_decref(partials);
    }
    return code;
}

/* Trustee i's shuffle m of the write-in tuples, made on its device and posted (the command checks its proof). */
static int shuffle(ys_journal *j, ys_demo_trustees *t, int id, int i, int m)
{
    char now[32], actor[96];
    ys_ctx c = trustee_ctx(now, i, actor);
    ys_events evs;
    ys_err err = {0};
    ys_events_init(&evs);
    json_t *view = ys_election_to_shuffle(j->session, id, TRUSTEES[i], &err), *sh = NULL, *output = NULL;
    const ys_session_election *el = ys_session_election_get(j->session, id);
    ys_rc rc = view ? ys_vmix_prove(ys_key_get(j->session, t->key)->v, ys_vvote_Q(el->v->vote), (uint64_t)m,
                                    json_object_get(view, "input"), &sh, &err)
                    : err.rc;
    if (!rc) {
        output = json_incref(json_object_get(sh, "output"));
        json_object_del(sh, "output");
        rc = ys_cmd_election_shuffle(j->session, &c, id, TRUSTEES[i], m, output, sh, NULL, &evs, &err);
    }
    json_decref(view);
    json_decref(output);
    json_decref(sh);
    return run(j, &evs, rc, &err);
}

/* The aggregates decrypted; where names were written in, two trustees shuffle the write-ins in turn, and the
 * shuffled counts and then the blocks that hold names are decrypted, the last bringing the count. */
int ys_cli_demo_decrypt(ys_journal *j, ys_demo_trustees *t, bool poll, int id)
{
    int code = decrypt_phase(j, t, poll, id);
    const ys_vstate *v = poll ? NULL : ys_session_election_get(j->session, id)->v;
    if (code || !v || v->phase != YS_VPHASE_SHUFFLE)
        return code;
    for (int i = 0; i < 2 && !code; i++)
        code = shuffle(j, t, id, i, i + 1);
    for (int phase = 0; phase < 2 && !code; phase++) /* the mix, then the blocks */
        code = decrypt_phase(j, t, false, id);
    return code;
}
