/* routes_poll.c — votes over the API: polls on a question (表决) and elections (选举). The chair opens and
 * closes, the secretariat prepares and enters tellers' totals, a delegate casts only their own vote; a
 * vote's receipt is the seq and hash of the event that records it. What a vote may do is the core's. */
#include "server/routes.h"

#include "yishi/alloc.h"
#include "yishi/key.h"
#include "yishi/number.h"
#include "yishi/poll.h"
#include "yishi/vballot.h"
#include "yishi/vstate.h"

#include <pthread.h>
#include <sodium.h>
#include <string.h>

/* The phase whose decryptions the view lists: the one under way, or once counted the last one made (the
 * blocks', the shuffled counts' or the aggregates'); while shuffling, none is under way. */
static ys_vphase decrypting_phase(const ys_vstate *v)
{
    if (v->phase != YS_VPHASE_COUNT)
        return v->phase;
    return v->n_later[1] ? YS_VPHASE_BLOCK : v->n_later[0] ? YS_VPHASE_MIX : YS_VPHASE_TALLY;
}

/* A verifiable vote's part: its key, the context once open (what a terminal encrypts under), the number of
 * ballots on the board, and after the close how far the trustees' decryption has got. */
static json_t *view_verifiable(const ys_session *s, const ys_vstate *v, int entitled, ys_poll_state state,
                               bool counted)
{
    const ys_key *key = ys_key_get(s, v->key);
    json_t *o = json_pack("{s:i, s:i, s:I}", "key", v->key, "threshold", key ? key->k : 0, "ballots",
                          (json_int_t)json_array_size(v->codes));
    if (o && v->vote) {
        char q[2 * YS_VHASH], joint[45] = "";
        sodium_bin2base64(q, sizeof q, ys_vvote_Q(v->vote), YS_VHASH, sodium_base64_VARIANT_ORIGINAL);
        if (key)
            ys_vkey_joint_key(key->v, joint, NULL);
        json_object_set_new(o, "context", json_pack("{s:I, s:I, s:I, s:s, s:s, s:s}", "V", (json_int_t)entitled,
                                                     "B", (json_int_t)ys_vvote_B(v->vote), "P",
                                                     (json_int_t)ys_vvote_P(v->vote), "Q", q, "joint_key", joint,
                                                     "session", s->session_id));
    }
    if (o && state == YS_POLL_CLOSED) {
        json_t *who = json_array(), *shufflers = json_array();
        int n = 0;
        ys_vphase ph = decrypting_phase(v);
        json_t *const *partials = ys__vstate_partials(v, ph, &n);
        for (int j = 0; key && who && ph != YS_VPHASE_SHUFFLE && j < key->n; j++)
            if (partials[j])
                json_array_append_new(who, json_integer(j + 1));
        for (int m = 0; shufflers && m < v->n_shuffles; m++)
            json_array_append_new(shufflers, json_integer(v->shuffled_by[m]));
        json_object_set_new(o, "decrypted_by", who);
        json_object_set_new(o, "shuffled_by", shufflers);
        json_object_set_new(o, "counted", json_boolean(counted));
        /* how far the count has got: the aggregates' decryption, the write-ins' shuffles, theirs */
        json_object_set_new(o, "phase", json_string(ys__vphase_word(v->phase)));
        json_object_set_new(o, "written_in", json_integer((json_int_t)v->written));
        json_object_set_new(o, "shuffles", json_integer(v->n_shuffles));
    }
    return o;
}

static json_t *view_poll(const ys_session *s, const ys_poll *p)
{
    json_t *o = json_pack("{s:i, s:o, s:s, s:s, s:s, s:b, s:b, s:o, s:s, s:o, s:i}", "id", p->id, "item",
                          p->item ? json_integer(p->item) : json_null(), "title", p->title, "majority",
                          ys_majority_word(p->majority), "method",
                          ys_method_word(p->method), "named", p->named, "changeable", p->changeable, "amends",
                          p->amends ? json_integer(p->amends) : json_null(), "state", ys_poll_state_word(p->state), "meeting",
                          p->meeting ? json_integer(p->meeting) : json_null(), "voted", p->voted);
    if (o && p->motion)
        json_object_set_new(o, "motion", json_integer(p->motion));
    if (o && p->opened_at[0])
        json_object_set_new(o, "opened_at", json_string(p->opened_at));
    if (o && p->v)
        json_object_set_new(o, "verifiable", view_verifiable(s, p->v, p->v->entitled, p->state, p->counted));
    /* Totals only once the vote is closed (and a verifiable one counted): while it is open nobody, chair
     * included, sees how it goes. */
    if (o && p->state == YS_POLL_CLOSED && p->counted) {
        char text[1024];
        ys_poll_announcement(p, text, sizeof text);
        json_object_update_new(o, json_pack("{s:s, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:b, s:b, s:s}", "closed_at",
                                            p->closed_at, "entitled", p->tally.entitled, "present", p->tally.present,
                                            "yes", p->tally.yes, "no", p->tally.no, "abstain", p->tally.abstain,
                                            "not_voted", p->tally.not_voted, "threshold", p->result.threshold,
                                            "quorate", p->result.quorate, "passed", p->result.passed,
                                            "announcement", text));
        json_object_set_new(o, "announced", json_boolean(p->announcement != NULL));
    }
    return o;
}

static json_t *view_election(const ys_session *s, const ys_session_election *e)
{
    json_t *cands = json_array();
    for (size_t i = 0; i < e->n_nominees; i++)
        json_array_append_new(cands, json_pack("{s:s, s:s}", "name", e->nominees[i].name, "by", e->nominees[i].by));
    /* The office as the hall reads it (省长), from the rule set in force: the pages show it, not the key. */
    const ys_office *office = s->rules ? ys_rules_office(s->rules, e->office) : NULL;
    json_t *o = json_pack("{s:i, s:o, s:s, s:s, s:s?, s:i, s:b, s:o, s:s, s:o, s:i, s:i, s:o}", "id", e->id, "item",
                          e->item ? json_integer(e->item) : json_null(), "kind",
                          e->kind == YS_PRELIMINARY ? "preliminary" : "election", "office", e->office, "office_name",
                          office ? office->name : NULL, "seats", e->seats,
                          "by_election", e->by_election, "round_of", e->round_of ? json_integer(e->round_of) : json_null(),
                          "state", ys_poll_state_word(e->state), "meeting", e->meeting ? json_integer(e->meeting) : json_null(),
                          "issued", e->issued, "returned", e->returned, "candidates", cands);
    if (o && e->v)
        json_object_set_new(o, "verifiable", view_verifiable(s, e->v, e->entitled, e->state, e->v->counted));
    if (o && e->state == YS_POLL_CLOSED && e->result)
        json_object_set(o, "result", e->result);
    if (o && e->announcement)
        json_object_set_new(o, "announcement", json_string(e->announcement));
    return o;
}

static void list_or_one(const ys_srv_call *call, ys_srv_resp *resp, bool polls, bool one)
{
    const ys_session *s = ys_srv_read_begin(call->srv);
    int id = one ? ys_h_param_id(call, 0) : 0;
    json_t *o = NULL;
    if (one && polls && ys_poll_get(s, id))
        o = view_poll(s, ys_poll_get(s, id));
    else if (one && !polls && ys_session_election_get(s, id))
        o = view_election(s, ys_session_election_get(s, id));
    else if (!one) {
        json_t *a = json_array();
        for (size_t i = 0; polls && i < s->n_polls; i++)
            json_array_append_new(a, view_poll(s, &s->polls[i]));
        for (size_t i = 0; !polls && i < s->n_elections; i++)
            json_array_append_new(a, view_election(s, &s->elections[i]));
        o = json_pack("{s:o}", polls ? "polls" : "elections", a);
    }
    ys_srv_read_end(call->srv);
    if (o)
        ys_srv_json(resp, 200, o);
    else
        ys_srv_errorf(resp, YS_NOT_FOUND, "id", "no %s %d", polls ? "poll" : "election", id);
}

void ys_h_polls(const ys_srv_call *call, ys_srv_resp *resp) { list_or_one(call, resp, true, false); }
/* A named poll's record once it is closed: who voted how (a 记名表决 is on the record). An anonymous poll has
 * none, its ballots being sealed apart from the voters; and while a vote is open nobody sees how it goes. */
static json_t *v_poll_votes(const ys_srv_call *call, const ys_session *s, ys_err *err)
{
    int id = ys_h_param_id(call, 0);
    const ys_poll *p = ys_poll_get(s, id);
    if (!p)
        return ys_fail(err, YS_NOT_FOUND, "id", "no poll %d", id), NULL;
    if (!p->named)
        return ys_fail(err, YS_NOT_FOUND, "id", "poll %d is anonymous: its votes are not linked to voters", id), NULL;
    if (p->state != YS_POLL_CLOSED)
        return ys_fail(err, YS_STATE, "id", "poll %d is %s: a named poll's votes are shown once it is closed", id,
                       ys_poll_state_phrase(p->state)), NULL;
    json_t *votes = json_array();
    for (size_t i = 0; votes && i < s->n_delegates && i < p->choice_cap; i++) {
        const ys_delegate *d = &s->delegates[i];
        if (p->choice[i] && json_array_append_new(votes, json_pack("{s:i, s:s, s:s, s:s}", "delegate", d->id, "code",
                                                                   d->code, "name", d->name, "choice",
                                                                   ys_choice_word((ys_choice)p->choice[i])))) {
            json_decref(votes);
            votes = NULL;
        }
    }
    json_t *o = votes ? json_pack("{s:i, s:i, s:o}", "poll", p->id, "voted", p->voted, "votes", votes) : NULL;
    if (!o)
        ys_fail(err, YS_NOMEM, NULL, "the votes of poll %d", id);
    return o;
}

void ys_h_poll_votes(const ys_srv_call *call, ys_srv_resp *resp) { ys_h_read_view(call, resp, v_poll_votes); }

void ys_h_poll(const ys_srv_call *call, ys_srv_resp *resp) { list_or_one(call, resp, true, true); }
void ys_h_elections(const ys_srv_call *call, ys_srv_resp *resp) { list_or_one(call, resp, false, false); }
void ys_h_election(const ys_srv_call *call, ys_srv_resp *resp) { list_or_one(call, resp, false, true); }

/* ---- who has voted ---- */

static json_t *view_turnout(const ys_turnout *t)
{
    return json_pack("{s:i, s:i, s:i, s:i, s:i}", "entitled", t->entitled, "present", t->present, "absent", t->absent,
                     "voted", t->voted, "not_voted", t->not_voted);
}

/* The entitled delegates of a named poll split as the core places them: voted, not voted, absent. */
static json_t *voter_lists(const ys_session *s, const ys_poll *p)
{
    static const char *const keys[] = {[YS_VOTER_ABSENT] = "absent", [YS_VOTER_NOT_VOTED] = "not_voted",
                                       [YS_VOTER_VOTED] = "voted"};
    json_t *o = json_pack("{s:[], s:[], s:[]}", "voted", "not_voted", "absent");
    for (size_t i = 0; o && i < s->n_delegates; i++) {
        const ys_delegate *d = &s->delegates[i];
        if (!d->entitled)
            continue;
        json_t *one = json_pack("{s:i, s:s, s:s, s:s, s:o}", "id", d->id, "code", d->code, "name", d->name,
                                "delegation", s->delegations[d->delegation - 1].name, "seat",
                                d->seat ? json_string(d->seat) : json_null());
        if (json_array_append_new(json_object_get(o, keys[ys_poll_voter(s, p, d->id)]), one)) {
            json_decref(o);
            o = NULL;
        }
    }
    return o;
}

/* Who has voted in a poll: the counts, and for a named poll (whose voters the log keeps by name) who. */
static json_t *v_poll_voters(const ys_session *s, int id, ys_err *err)
{
    const ys_poll *p = ys_poll_get(s, id);
    ys_turnout t;
    if (!p) {
        ys_fail(err, YS_NOT_FOUND, "id", "no poll %d", id);
        return NULL;
    }
    if (ys_poll_turnout(s, p, &t, err))
        return NULL;
    json_t *o = json_pack("{s:i, s:b, s:s, s:i, s:o}", "poll", p->id, "named", p->named, "state",
                          ys_poll_state_word(p->state), "meeting", p->meeting, "counts", view_turnout(&t));
    if (o && p->named && json_object_update_new(o, voter_lists(s, p))) {
        json_decref(o);
        o = NULL;
    }
    if (!o)
        ys_fail(err, YS_NOMEM, NULL, "out of memory");
    return o;
}

/* An election's ballots are secret: how many have been handed in, never by whom. */
static json_t *v_election_voters(const ys_session *s, int id, ys_err *err)
{
    const ys_session_election *el = ys_session_election_get(s, id);
    ys_turnout t;
    if (!el) {
        ys_fail(err, YS_NOT_FOUND, "id", "no election %d", id);
        return NULL;
    }
    if (ys_election_turnout(el, &t, err))
        return NULL;
    json_t *o = json_pack("{s:i, s:s, s:i, s:o}", "election", el->id, "state", ys_poll_state_word(el->state),
                          "meeting", el->meeting, "counts", view_turnout(&t));
    if (!o)
        ys_fail(err, YS_NOMEM, NULL, "out of memory");
    return o;
}

static void voters(const ys_srv_call *call, ys_srv_resp *resp, json_t *(*fn)(const ys_session *, int, ys_err *))
{
    ys_err err = {0};
    json_t *o = fn(ys_srv_read_begin(call->srv), ys_h_param_id(call, 0), &err);
    ys_srv_read_end(call->srv);
    if (o)
        ys_srv_json(resp, 200, o);
    else
        ys_srv_error(resp, err.rc, &err);
}

void ys_h_poll_voters(const ys_srv_call *call, ys_srv_resp *resp) { voters(call, resp, v_poll_voters); }
void ys_h_election_voters(const ys_srv_call *call, ys_srv_resp *resp) { voters(call, resp, v_election_voters); }

/* ---- commands ---- */

/* The context of a vote is fixed from its open on, and a vote's id is never reused: each is made once under
 * the read lock and kept until the server stops, and the proofs are checked without the lock. A check never
 * waits for the writer, which holds the state for writing through a batch's commit, so that a burst of
 * ballots keeps the request threads checking while the writer syncs. A ballot for a vote closed since its
 * context was kept is checked, then refused by the writer, which sees the state. */
typedef ys_rc (*vvote_fn)(const ys_session *s, int id, ys_vvote **out, ys_err *err);

struct ys_srv_vcontext {
    vvote_fn make;               /* ys_poll_vvote or ys_election_vvote: whose id it is */
    int id;
    ys_vvote *vote;
    struct ys_srv_vcontext *next;
};

void ys_srv_vcache_init(ys_srv *srv)
{
    pthread_mutex_init(&srv->vcache_lock, NULL);
    srv->vcache = NULL;
}

void ys_srv_vcache_free(ys_srv *srv)
{
    while (srv->vcache) {
        struct ys_srv_vcontext *next = srv->vcache->next;
        ys_vvote_free(srv->vcache->vote);
        ys_free(srv->vcache);
        srv->vcache = next;
    }
    pthread_mutex_destroy(&srv->vcache_lock);
}

static const ys_vvote *vcache_find(ys_srv *srv, vvote_fn make, int id)
{
    const ys_vvote *v = NULL;
    pthread_mutex_lock(&srv->vcache_lock);
    for (const struct ys_srv_vcontext *c = srv->vcache; c && !v; c = c->next)
        if (c->make == make && c->id == id)
            v = c->vote;
    pthread_mutex_unlock(&srv->vcache_lock);
    return v;
}

/* The kept context, or one made now from the state and kept (unless another thread kept one meanwhile). */
static ys_rc vcontext(ys_srv *srv, vvote_fn make, int id, const ys_vvote **out, ys_err *err)
{
    if ((*out = vcache_find(srv, make, id)))
        return YS_OK;
    ys_vvote *v = NULL;
    const ys_session *s = ys_srv_read_begin(srv);
    ys_rc rc = make(s, id, &v, err);
    ys_srv_read_end(srv);
    if (rc)
        return rc;
    struct ys_srv_vcontext *c = ys_calloc(1, sizeof *c);
    if (!c) {
        ys_vvote_free(v);
        return ys_fail(err, YS_NOMEM, NULL, "out of memory");
    }
    pthread_mutex_lock(&srv->vcache_lock);
    for (const struct ys_srv_vcontext *o = srv->vcache; o && !*out; o = o->next)
        if (o->make == make && o->id == id)
            *out = o->vote;
    if (!*out) {
        *c = (struct ys_srv_vcontext){.make = make, .id = id, .vote = v, .next = srv->vcache};
        srv->vcache = c;
        *out = v;
        c = NULL;
        v = NULL;
    }
    pthread_mutex_unlock(&srv->vcache_lock);
    ys_vvote_free(v);
    ys_free(c);
    return YS_OK;
}

static ys_rc check_encrypted(ys_srv *srv, vvote_fn context, int id, const char *voter, const json_t *ballot,
                             ys_vcast **out, ys_err *err)
{
    const ys_vvote *v = NULL;
    ys_rc rc = vcontext(srv, context, id, &v, err);
    return rc ? rc : ys_vballot_check(v, voter, ballot, out, err);
}

static void free_cast(void *p) { ys_vcast_free(p); }

/* On a checker thread (checkers.c): the ballot's every proof, under the vote's kept context. */
static ys_rc check_cast(ys_srv_cmd *cmd, ys_srv *srv, vvote_fn context, ys_err *err)
{
    ys_vcast *checked = NULL;
    ys_rc rc = check_encrypted(srv, context, ys_h_arg_int(cmd, "id"), cmd->who.name,
                               json_object_get(cmd->args, "encrypted"), &checked, err);
    if (!rc)
        cmd->checked = checked, cmd->checked_free = free_cast;
    return rc;
}

static ys_rc check_poll_cast(ys_srv_cmd *cmd, ys_srv *srv, ys_err *err) { return check_cast(cmd, srv, ys_poll_vvote, err); }
static ys_rc check_election_cast(ys_srv_cmd *cmd, ys_srv *srv, ys_err *err)
{
    return check_cast(cmd, srv, ys_election_vvote, err);
}

/* An encrypted ballot in a command just made: checked by `check` before the writer runs it with `run`; a
 * ballot that does not verify is answered naming what failed, and never reaches the writer. */
static void take_encrypted(ys_srv_resp *resp, ys_srv_cmd_fn run,
                           ys_rc (*check)(ys_srv_cmd *cmd, ys_srv *srv, ys_err *err))
{
    ys_srv_cmd *cmd = resp->cmd;
    if (json_object_size(cmd->args) != 2) { /* the id and the ballot */
        ys_err err = {0};
        ys_srv_cmd_free(cmd);
        resp->cmd = NULL;
        ys_srv_error(resp, ys_fail(&err, YS_BAD_FIELD, "encrypted",
                                   "an encrypted ballot comes alone, without marks in the clear"), &err);
        return;
    }
    cmd->run = run;
    cmd->check = check;
}

static ys_rc run_poll_create(ys_srv_cmd *cmd, const ys_session *s, const ys_ctx *c, ys_events *out, ys_err *err)
{
    const char *majority = ys_h_arg_str(cmd, "majority"), *method = ys_h_arg_str(cmd, "method");
    ys_poll_args a = {.item = ys_h_arg_int(cmd, "item"), .title = ys_h_arg_str(cmd, "title"), .named = ys_h_arg_bool(cmd, "named"),
                      .changeable = ys_h_arg_bool(cmd, "changeable"), .amends = ys_h_arg_int(cmd, "amends"),
                      .key = ys_h_arg_int(cmd, "key"), .motion = ys_h_arg_int(cmd, "motion")};
    a.majority = YS_MAJORITY_SIMPLE;
    if (majority && !ys_majority_parse(majority, &a.majority))
        return ys_fail(err, YS_INVALID, "majority", "majority is simple or two_thirds");
    a.method = method ? ys_method_parse(method) : YS_METHOD_TERMINAL;
    if (!a.method)
        return ys_fail(err, YS_INVALID, "method", "unknown method '%.40s' (terminal, show_of_hands or paper)", method);
    return ys_cmd_poll_create(s, c, &a, out, err);
}

void ys_h_poll_create(const ys_srv_call *call, ys_srv_resp *resp)
{
    static const ys_srv_field f[] = {{"title", YS_F_STRING, true}, {"item", YS_F_INT, false, 1, YS_ID_MAX},
                                     {"majority", YS_F_STRING, false}, {"method", YS_F_STRING, false},
                                     {"named", YS_F_BOOL, false}, {"changeable", YS_F_BOOL, false},
                                     {"amends", YS_F_INT, false, 1, YS_ID_MAX}, {"key", YS_F_INT, false, 1, YS_ID_MAX},
                                     {"motion", YS_F_INT, false, 1, YS_ID_MAX}, {NULL, 0, false}};
    ys_h_submit(call, resp, f, NULL, run_poll_create, 201);
}



YS_H_BY_ID(poll_open, ys_cmd_poll_open, 200)
YS_H_BY_ID(poll_close, ys_cmd_poll_close, 200)
YS_H_BY_ID(election_open, ys_cmd_election_open, 200)
YS_H_BY_ID(election_close, ys_cmd_election_close, 200)

static ys_rc run_poll_totals(ys_srv_cmd *cmd, const ys_session *s, const ys_ctx *c, ys_events *out, ys_err *err)
{
    ys_totals_args t = {.yes = ys_h_arg_int(cmd, "yes"), .no = ys_h_arg_int(cmd, "no"),
                        .abstain = ys_h_arg_int(cmd, "abstain"), .correct = ys_h_arg_bool(cmd, "correct"),
                        .reason = ys_h_arg_str(cmd, "reason")};
    return ys_cmd_poll_totals(s, c, ys_h_arg_int(cmd, "id"), &t, out, err);
}

void ys_h_poll_totals(const ys_srv_call *call, ys_srv_resp *resp)
{
    static const ys_srv_field f[] = {{"yes", YS_F_INT, true, 0, YS_COUNT_MAX}, {"no", YS_F_INT, true, 0, YS_COUNT_MAX},
                                     {"abstain", YS_F_INT, true, 0, YS_COUNT_MAX}, {"correct", YS_F_BOOL, false},
                                     {"reason", YS_F_STRING, false}, {NULL, 0, false}};
    ys_h_submit(call, resp, f, "id", run_poll_totals, 201);
}

/* A delegate's own vote: the code is the login's, never the body's, so no one votes for anyone else. */
static ys_rc run_poll_vote(ys_srv_cmd *cmd, const ys_session *s, const ys_ctx *c, ys_events *out, ys_err *err)
{
    ys_choice choice;
    ys_rc rc = ys_choice_parse(ys_h_arg_str(cmd, "choice"), &choice, err);
    return rc ? rc : ys_cmd_poll_vote(s, c, ys_h_arg_int(cmd, "id"), cmd->who.name, choice, out, err);
}

static ys_rc run_poll_encrypted(ys_srv_cmd *cmd, const ys_session *s, const ys_ctx *c, ys_events *out, ys_err *err)
{
    return ys_cmd_poll_cast(s, c, ys_h_arg_int(cmd, "id"), cmd->who.name, json_object_get(cmd->args, "encrypted"),
                            cmd->checked, out, err);
}

void ys_h_poll_vote(const ys_srv_call *call, ys_srv_resp *resp)
{
    static const ys_srv_field f[] = {{"choice", YS_F_STRING, false}, {"encrypted", YS_F_ANY, false}, {NULL, 0, false}};
    ys_h_submit(call, resp, f, "id", run_poll_vote, 201);
    ys_srv_cmd *cmd = resp->cmd;
    if (cmd && json_object_get(cmd->args, "encrypted"))
        take_encrypted(resp, run_poll_encrypted, check_poll_cast);
}

/* ---- elections ---- */

static ys_rc run_election_create(ys_srv_cmd *cmd, const ys_session *s, const ys_ctx *c, ys_events *out, ys_err *err)
{
    const char *kind = ys_h_arg_str(cmd, "kind");
    if (kind && strcmp(kind, "election") && strcmp(kind, "preliminary"))
        return ys_fail(err, YS_INVALID, "kind", "kind is election or preliminary");
    ys_election_args a = {.item = ys_h_arg_int(cmd, "item"), .office = ys_h_arg_str(cmd, "office"), .seats = ys_h_arg_int(cmd, "seats"),
                          .office_seats = ys_h_arg_int(cmd, "office_seats"), .by_election = ys_h_arg_bool(cmd, "by_election"),
                          .kind = kind && !strcmp(kind, "preliminary") ? YS_PRELIMINARY : YS_ELECTION,
                          .key = ys_h_arg_int(cmd, "key")};
    return ys_cmd_election_create(s, c, &a, out, err);
}

void ys_h_election_create(const ys_srv_call *call, ys_srv_resp *resp)
{
    static const ys_srv_field f[] = {{"office", YS_F_STRING, true}, {"seats", YS_F_INT, true, 1, YS_COUNT_MAX},
                                     {"item", YS_F_INT, false, 1, YS_ID_MAX}, {"kind", YS_F_STRING, false},
                                     {"office_seats", YS_F_INT, false, 1, YS_COUNT_MAX}, {"by_election", YS_F_BOOL, false},
                                     {"key", YS_F_INT, false, 1, YS_ID_MAX}, {NULL, 0, false}};
    ys_h_submit(call, resp, f, NULL, run_election_create, 201);
}

/* Strings of a JSON array as a C array borrowed from it; *n its length. NULL for none. */
static const char **strings(json_t *a, size_t *n, ys_err *err)
{
    *n = json_array_size(a);
    if (!*n)
        return NULL;
    const char **v = ys_calloc(*n, sizeof *v);
    if (!v) {
        ys_fail(err, YS_NOMEM, NULL, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < *n; i++)
        v[i] = json_string_value(json_array_get(a, i));
    return v;
}

static ys_rc run_nominate(ys_srv_cmd *cmd, const ys_session *s, const ys_ctx *c, ys_events *out, ys_err *err)
{
    size_t n = 0;
    json_t *cos = json_object_get(cmd->args, "cosigners");
    const char **codes = strings(cos, &n, err);
    if (n && !codes)
        return YS_NOMEM;
    ys_rc rc = ys_cmd_election_nominate(s, c, ys_h_arg_int(cmd, "id"), ys_h_arg_str(cmd, "name"), cos ? codes : NULL, n, out, err);
    ys_free(codes);
    return rc;
}

void ys_h_election_nominate(const ys_srv_call *call, ys_srv_resp *resp)
{
    static const ys_srv_field f[] = {{"name", YS_F_STRING, true}, {"cosigners", YS_F_STRINGS, false},
                                     {NULL, 0, false}};
    ys_h_submit(call, resp, f, "id", run_nominate, 201);
}



static ys_rc run_next_round(ys_srv_cmd *cmd, const ys_session *s, const ys_ctx *c, ys_events *out, ys_err *err)
{
    return ys_cmd_election_next_round(s, c, ys_h_arg_int(cmd, "id"), ys_h_arg_bool(cmd, "runoff"), out, err);
}
void ys_h_election_next(const ys_srv_call *call, ys_srv_resp *resp)
{
    static const ys_srv_field f[] = {{"runoff", YS_F_BOOL, false}, {NULL, 0, false}};
    ys_h_submit(call, resp, f, "id", run_next_round, 201);
}

/* A secret ballot: the log records that this delegate voted; the marks go sealed into the box. */
static ys_rc run_ballot(ys_srv_cmd *cmd, const ys_session *s, const ys_ctx *c, ys_events *out, ys_err *err)
{
    ys_ballot b = {0};
    const char **yes = strings(json_object_get(cmd->args, "yes"), &b.n_yes, err);
    const char **no = strings(json_object_get(cmd->args, "no"), &b.n_no, err);
    const char **wi = strings(json_object_get(cmd->args, "write_in"), &b.n_write_in, err);
    ys_rc rc = YS_NOMEM;
    if ((!b.n_yes || yes) && (!b.n_no || no) && (!b.n_write_in || wi)) {
        b.yes = yes;
        b.no = no;
        b.write_in = wi;
        rc = ys_cmd_election_vote(s, c, ys_h_arg_int(cmd, "id"), cmd->who.name, &b, out, err);
    }
    ys_free(yes);
    ys_free(no);
    ys_free(wi);
    return rc;
}

/* An encrypted ballot, checked before it is queued (ys_h_election_ballot). */
static ys_rc run_encrypted(ys_srv_cmd *cmd, const ys_session *s, const ys_ctx *c, ys_events *out, ys_err *err)
{
    return ys_cmd_election_cast(s, c, ys_h_arg_int(cmd, "id"), cmd->who.name, json_object_get(cmd->args, "encrypted"),
                                cmd->checked, out, err);
}

void ys_h_election_ballot(const ys_srv_call *call, ys_srv_resp *resp)
{
    static const ys_srv_field f[] = {{"yes", YS_F_STRINGS, false}, {"no", YS_F_STRINGS, false},
                                     {"write_in", YS_F_STRINGS, false}, {"encrypted", YS_F_ANY, false},
                                     {NULL, 0, false}};
    ys_h_submit(call, resp, f, "id", run_ballot, 201);
    ys_srv_cmd *cmd = resp->cmd;
    if (cmd && json_object_get(cmd->args, "encrypted"))
        take_encrypted(resp, run_encrypted, check_election_cast);
}

/* ---- a verifiable vote's board and its decryption ---- */

/* The verifiable state of poll or election `id`, or NULL. */
static const ys_vstate *vstate_of(const ys_session *s, bool poll, int id)
{
    const ys_poll *p = poll ? ys_poll_get(s, id) : NULL;
    const ys_session_election *e = poll ? NULL : ys_session_election_get(s, id);
    return p ? p->v : e ? e->v : NULL;
}

static json_t *codes_of(const ys_srv_call *call, const ys_session *s, bool poll, ys_err *err)
{
    int id = ys_h_param_id(call, 0);
    const ys_vstate *v = vstate_of(s, poll, id);
    if (!v) {
        ys_fail(err, YS_NOT_FOUND, "id", "no verifiable %s %d", poll ? "poll" : "election", id);
        return NULL;
    }
    return json_pack("{s:i, s:O}", poll ? "poll" : "election", id, "codes", v->codes ? v->codes : json_array());
}

static json_t *election_codes(const ys_srv_call *call, const ys_session *s, ys_err *err)
{
    return codes_of(call, s, false, err);
}

static json_t *poll_codes(const ys_srv_call *call, const ys_session *s, ys_err *err)
{
    return codes_of(call, s, true, err);
}

void ys_h_election_codes(const ys_srv_call *call, ys_srv_resp *resp) { ys_h_read_view(call, resp, election_codes); }
void ys_h_poll_codes(const ys_srv_call *call, ys_srv_resp *resp) { ys_h_read_view(call, resp, poll_codes); }

/* What the trustees decrypt, with the context Q their proofs are bound to. */
static json_t *to_decrypt(const ys_srv_call *call, const ys_session *s, bool poll, ys_err *err)
{
    int id = ys_h_param_id(call, 0);
    json_t *cts = poll ? ys_poll_to_decrypt(s, id, err) : ys_election_to_decrypt(s, id, err);
    if (!cts)
        return NULL;
    char q[2 * YS_VHASH];
    sodium_bin2base64(q, sizeof q, ys_vvote_Q(vstate_of(s, poll, id)->vote), YS_VHASH, sodium_base64_VARIANT_ORIGINAL);
    return json_pack("{s:i, s:s, s:s, s:o}", poll ? "poll" : "election", id, "phase",
                     ys__vphase_word(vstate_of(s, poll, id)->phase), "Q", q, "ciphertexts", cts);
}

static json_t *election_to_decrypt(const ys_srv_call *call, const ys_session *s, ys_err *err)
{
    return to_decrypt(call, s, false, err);
}

static json_t *poll_to_decrypt(const ys_srv_call *call, const ys_session *s, ys_err *err)
{
    return to_decrypt(call, s, true, err);
}

void ys_h_election_to_decrypt(const ys_srv_call *call, ys_srv_resp *resp) { ys_h_read_view(call, resp, election_to_decrypt); }
void ys_h_poll_to_decrypt(const ys_srv_call *call, ys_srv_resp *resp) { ys_h_read_view(call, resp, poll_to_decrypt); }

static json_t *tally_view(const ys_srv_call *call, const ys_session *s, ys_err *err)
{
    return ys_election_tally(s, ys_h_param_id(call, 0), err);
}

static json_t *poll_tally_view(const ys_srv_call *call, const ys_session *s, ys_err *err)
{
    return ys_poll_tally(s, ys_h_param_id(call, 0), err);
}

/* The aggregates and every partial decryption, from the state: the board checks the count with them. */
void ys_h_election_tally(const ys_srv_call *call, ys_srv_resp *resp) { ys_h_read_view(call, resp, tally_view); }
void ys_h_poll_tally(const ys_srv_call *call, ys_srv_resp *resp) { ys_h_read_view(call, resp, poll_tally_view); }

static ys_rc run_decrypt(ys_srv_cmd *cmd, const ys_session *s, const ys_ctx *c, ys_events *out, ys_err *err)
{
    return ys_cmd_election_decrypt(s, c, ys_h_arg_int(cmd, "id"), cmd->who.name, json_object_get(cmd->args, "partials"),
                                   out, err);
}

static ys_rc run_poll_decrypt(ys_srv_cmd *cmd, const ys_session *s, const ys_ctx *c, ys_events *out, ys_err *err)
{
    return ys_cmd_poll_decrypt(s, c, ys_h_arg_int(cmd, "id"), cmd->who.name, json_object_get(cmd->args, "partials"),
                               out, err);
}

/* ---- the write-ins' shuffles ---- */

static json_t *to_shuffle(const ys_srv_call *call, const ys_session *s, ys_err *err)
{
    return ys_election_to_shuffle(s, ys_h_param_id(call, 0), call->who->name, err);
}

/* What the trustee shuffles next: m, the input tuples, K and Q. */
void ys_h_election_to_shuffle(const ys_srv_call *call, ys_srv_resp *resp) { ys_h_read_view(call, resp, to_shuffle); }

static void free_shuffle(void *p) { ys_vshuffle_free(p); }

static ys_rc run_shuffle(ys_srv_cmd *cmd, const ys_session *s, const ys_ctx *c, ys_events *out, ys_err *err)
{
    return ys_cmd_election_shuffle(s, c, ys_h_arg_int(cmd, "id"), cmd->who.name, ys_h_arg_int(cmd, "m"),
                                   json_object_get(cmd->args, "output"), json_object_get(cmd->args, "proof"),
                                   cmd->checked, out, err);
}

/* On a checker thread: the shuffle's proof against the input the state held when it was begun (seconds, for
 * a hall's election). */
static ys_rc check_shuffle(ys_srv_cmd *cmd, ys_srv *srv, ys_err *err)
{
    (void)srv;
    return ys_vshuffle_check(cmd->checked, json_object_get(cmd->args, "output"), json_object_get(cmd->args, "proof"),
                             err);
}

/* A trustee's shuffle: refused at once under the read lock when it is not the trustee's turn, its proof
 * checked with no lock held, then the writer only checks the turn again and appends. */
void ys_h_election_shuffle(const ys_srv_call *call, ys_srv_resp *resp)
{
    static const ys_srv_field f[] = {{"m", YS_F_INT, true, 1, YS_VKEY_MAX_TRUSTEES}, {"output", YS_F_ANY, true},
                                     {"proof", YS_F_ANY, true}, {NULL, 0, false}};
    ys_h_submit(call, resp, f, "id", run_shuffle, 201);
    ys_srv_cmd *cmd = resp->cmd;
    if (!cmd)
        return;
    ys_err err = {0};
    ys_vshuffle *sh = NULL;
    const ys_session *s = ys_srv_read_begin(call->srv);
    ys_rc rc = ys_election_shuffle_begin(s, ys_h_arg_int(cmd, "id"), call->who->name, ys_h_arg_int(cmd, "m"), &sh, &err);
    ys_srv_read_end(call->srv);
    if (rc) {
        ys_srv_cmd_free(cmd);
        resp->cmd = NULL;
        ys_srv_error(resp, rc, &err);
        return;
    }
    cmd->checked = sh;
    cmd->checked_free = free_shuffle;
    cmd->check = check_shuffle;
}

static const ys_srv_field decrypt_fields[] = {{"partials", YS_F_ANY, true}, {NULL, 0, false}};

void ys_h_election_decrypt(const ys_srv_call *call, ys_srv_resp *resp)
{
    ys_h_submit(call, resp, decrypt_fields, "id", run_decrypt, 201);
}

void ys_h_poll_decrypt(const ys_srv_call *call, ys_srv_resp *resp)
{
    ys_h_submit(call, resp, decrypt_fields, "id", run_poll_decrypt, 201);
}
