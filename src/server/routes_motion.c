/* routes_motion.c — motions, amendments, inquiries, recall and suggestions over the API (motion.h). What
 * may be done when is the core's; here only on whose behalf a login acts: a delegate drafts, signs,
 * submits, withdraws and rates for themself (their card is their signature), the secretariat enters
 * what came on paper for any delegate, and the presidium's deadline and decisions come from the chair's
 * console or the desk. */
#include "server/routes.h"

#include "yishi/motion.h"
#include "yishi/number.h"
#include "yishi/poll.h"

#include <string.h>

#define KIND_WORDS "motion, amendment, inquiry, recall, suggestion, nomination"

/* ---- reading ---- */

static json_t *str_or_null(const char *s) { return s ? json_string(s) : json_null(); }

static json_t *delegate_ref(const ys_session *s, int id)
{
    if (!id)
        return json_null();
    const ys_delegate *d = &s->delegates[id - 1];
    return json_pack("{s:s, s:s, s:s}", "code", d->code, "name", d->name, "delegation",
                     s->delegations[d->delegation - 1].name);
}

/* The number of signatures the rule set asks of the motion's kind, or null (a suggestion, a body's recall). */
static json_t *needed(const ys_session *s, const ys_motion *m)
{
    const char *rule = m->by == YS_BY_DELEGATES ? ys_motion_rule(m->kind) : NULL;
    const ys_session_election *el = m->kind == YS_MOTION_NOMINATION ? ys_session_election_get(s, m->election) : NULL;
    const ys_threshold *t = el ? ys_office_nomination(s->rules, ys_rules_office(s->rules, el->office))
                          : rule ? ys_rules_threshold(s->rules, rule) : NULL;
    if (!t || !t->defined)
        return json_null();
    return json_pack("{s:i, s:s}", "count", ys_threshold_min(t, s->entitled), "article", t->article);
}

static json_t *view_motion(const ys_session *s, const ys_motion *m, bool whole)
{
    json_t *o = json_pack("{s:i, s:s, s:s, s:s, s:s, s:o, s:i, s:o, s:s, s:o, s:o}", "id", m->id, "kind",
                          ys_motion_kind_key(m->kind), "kind_name", ys_motion_kind_zh(m->kind), "by",
                          ys_motion_by_key(m->by), "state", ys_motion_state_key(m->state), "lead",
                          delegate_ref(s, m->lead), "signatures", (int)m->n_signatures, "needed", needed(s, m),
                          "title", m->title, "decision",
                          m->decision ? json_string(ys_motion_decision_key(m->decision)) : json_null(), "amends",
                          m->amends ? json_integer(m->amends) : json_null());
    if (o && m->election)
        json_object_set_new(o, "election", json_integer(m->election));
    if (!o)
        return NULL;
    /* who has signed, by code, so that a terminal knows whether its delegate has */
    json_t *codes = json_array();
    for (size_t i = 0; i < m->n_signatures; i++)
        json_array_append_new(codes, json_string(s->delegates[m->signatures[i].delegate - 1].code));
    json_object_set_new(o, "signed_by", codes);
    if (!whole)
        return o;
    json_t *signers = json_array();
    for (size_t i = 0; i < m->n_signatures; i++) {
        json_t *d = delegate_ref(s, m->signatures[i].delegate);
        json_object_set_new(d, "at", json_string(m->signatures[i].at));
        json_array_append_new(signers, d);
    }
    json_object_set_new(o, "signers", signers);
    const char *const texts[][2] = {{"grounds", m->grounds}, {"plan", m->plan}, {"addressee", m->addressee},
                                    {"person", m->person}, {"decision_note", m->decision_note},
                                    {"answer", m->answer}, {"answered_by", m->answered_by}};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        json_object_set_new(o, texts[i][0], str_or_null(texts[i][1]));
    json_object_set_new(o, "decision_name", m->decision ? json_string(ys_motion_decision_zh(m->decision)) : json_null());
    json_object_set_new(o, "satisfaction", m->satisfaction ? json_string(ys_satisfaction_key(m->satisfaction)) : json_null());
    json_object_set_new(o, "withdrawn_with_consent", json_boolean(m->withdrawn_with_consent));
    const char *const times[][2] = {{"drafted_at", m->drafted_at}, {"submitted_at", m->submitted_at},
                                    {"decided_at", m->decided_at}, {"answered_at", m->answered_at}};
    for (size_t i = 0; i < sizeof times / sizeof times[0]; i++)
        json_object_set_new(o, times[i][0], times[i][1][0] ? json_string(times[i][1]) : json_null());
    return o;
}

static json_t *v_motions(const ys_srv_call *call, const ys_session *s, ys_err *err)
{
    const char *k = ys_srv_arg(call->req, "kind");
    int kind = k ? ys_motion_kind_parse(k) : 0;
    if (k && !kind) {
        ys_fail(err, YS_INVALID, "kind", "no kind of motion '%.40s' (" KIND_WORDS ")", k);
        return NULL;
    }
    json_t *list = json_array(), *deadlines = json_object();
    for (size_t i = 0; i < s->n_motions; i++)
        if (!kind || s->motions[i].kind == (ys_motion_kind)kind)
            json_array_append_new(list, view_motion(s, &s->motions[i], false));
    for (int i = YS_MOTION; i <= YS_MOTION_KINDS; i++)
        if (s->motion_deadlines[i][0])
            json_object_set_new(deadlines, ys_motion_kind_key((ys_motion_kind)i), json_string(s->motion_deadlines[i]));
    return json_pack("{s:o, s:o}", "motions", list, "deadlines", deadlines);
}

static json_t *v_motion(const ys_srv_call *call, const ys_session *s, ys_err *err)
{
    int id = ys_h_param_id(call, 0);
    const ys_motion *m = ys_motion_get(s, id);
    if (!m) {
        ys_fail(err, YS_NOT_FOUND, "id", "no motion %d", id);
        return NULL;
    }
    return view_motion(s, m, true);
}

void ys_h_motions(const ys_srv_call *call, ys_srv_resp *resp) { ys_h_read_view(call, resp, v_motions); }
void ys_h_motion(const ys_srv_call *call, ys_srv_resp *resp) { ys_h_read_view(call, resp, v_motion); }

/* ---- on whose behalf ---- */

static bool is_delegate(const ys_srv_cmd *cmd) { return cmd->who.role == YS_AUTH_DELEGATE; }

/* The delegate a write names: a delegate's own login (a body naming another is refused), else the body's
 * `delegate` (the secretariat entering a signature from paper). NULL with err set. */
static const char *acting_delegate(const ys_srv_cmd *cmd, const char *key, ys_err *err)
{
    const char *named = ys_h_arg_str(cmd, key);
    if (is_delegate(cmd)) {
        if (named && strcmp(named, cmd->who.name) != 0) {
            ys_fail(err, YS_FORBIDDEN, key, "a delegate signs and drafts only as themself");
            return NULL;
        }
        return cmd->who.name;
    }
    if (!named)
        ys_fail(err, YS_BAD_FIELD, key, "name the delegate (by code)");
    return named;
}

/* Only the motion's lead acts on it from a terminal; staff act for anyone. */
static ys_rc lead_or_staff(const ys_srv_cmd *cmd, const ys_session *s, int id, ys_err *err)
{
    const ys_motion *m = ys_motion_get(s, id);
    if (!is_delegate(cmd) || !m)
        return YS_OK; /* the core says "no motion" */
    if (!m->lead || strcmp(s->delegates[m->lead - 1].code, cmd->who.name) != 0)
        return ys_fail(err, YS_FORBIDDEN, "id", "only the delegate who drafted %s %d acts on it",
                       ys_motion_kind_zh(m->kind), id);
    return YS_OK;
}

/* A word of the body parsed with `parse` into *out (0 when the body leaves it out); an unknown word is refused
 * naming the field and what it may be. */
static ys_rc word_arg(const ys_srv_cmd *cmd, const char *key, int (*parse)(const char *), const char *may, int *out,
                      ys_err *err)
{
    const char *w = ys_h_arg_str(cmd, key);
    *out = w ? parse(w) : 0;
    return w && !*out ? ys_fail(err, YS_INVALID, key, "%s '%.40s' is none of %s", key, w, may) : YS_OK;
}

/* ---- writing ---- */

static ys_rc run_draft(ys_srv_cmd *cmd, const ys_session *s, const ys_ctx *c, ys_events *out, ys_err *err)
{
    int kind, by;
    ys_rc rc;
    if ((rc = word_arg(cmd, "kind", ys_motion_kind_parse, KIND_WORDS, &kind, err)) ||
        (rc = word_arg(cmd, "by", ys_motion_by_parse, "delegates, presidium, standing_committee", &by, err)))
        return rc;
    if (by && by != YS_BY_DELEGATES && is_delegate(cmd))
        return ys_fail(err, YS_FORBIDDEN, "by", "a delegate drafts as a delegate");
    ys_motion_draft d = {.kind = kind ? (ys_motion_kind)kind : YS_MOTION,
                         .by = by ? (ys_motion_by)by : YS_BY_DELEGATES,
                         .amends = ys_h_arg_int(cmd, "amends"),
                         .election = ys_h_arg_int(cmd, "election"),
                         .title = ys_h_arg_str(cmd, "title"),
                         .grounds = ys_h_arg_str(cmd, "grounds"),
                         .plan = ys_h_arg_str(cmd, "plan"),
                         .addressee = ys_h_arg_str(cmd, "addressee"),
                         .person = ys_h_arg_str(cmd, "person")};
    if (d.by == YS_BY_DELEGATES && !(d.lead = acting_delegate(cmd, "lead", err)))
        return err->rc;
    return ys_cmd_motion_draft(s, c, &d, out, err);
}

void ys_h_motion_draft(const ys_srv_call *call, ys_srv_resp *resp)
{
    static const ys_srv_field f[] = {
        {"title", YS_F_STRING, false},     {"kind", YS_F_STRING, false},   {"by", YS_F_STRING, false},
        {"lead", YS_F_STRING, false},      {"grounds", YS_F_STRING, false}, {"plan", YS_F_STRING, false},
        {"addressee", YS_F_STRING, false}, {"person", YS_F_STRING, false},
        {"amends", YS_F_INT, false, 1, YS_ID_MAX}, {"election", YS_F_INT, false, 1, YS_ID_MAX}, {NULL, 0, false}};
    ys_h_submit(call, resp, f, NULL, run_draft, 201);
}

static ys_rc run_sign(ys_srv_cmd *cmd, const ys_session *s, const ys_ctx *c, ys_events *out, ys_err *err)
{
    const char *code = acting_delegate(cmd, "delegate", err);
    return code ? ys_cmd_motion_sign(s, c, ys_h_arg_int(cmd, "id"), code, out, err) : err->rc;
}

void ys_h_motion_sign(const ys_srv_call *call, ys_srv_resp *resp)
{
    static const ys_srv_field f[] = {{"delegate", YS_F_STRING, false}, {NULL, 0, false}};
    ys_h_submit(call, resp, f, "id", run_sign, 201);
}

static ys_rc run_submit(ys_srv_cmd *cmd, const ys_session *s, const ys_ctx *c, ys_events *out, ys_err *err)
{
    int id = ys_h_arg_int(cmd, "id");
    ys_rc rc = lead_or_staff(cmd, s, id, err);
    return rc ? rc : ys_cmd_motion_submit(s, c, id, out, err);
}

void ys_h_motion_submit(const ys_srv_call *call, ys_srv_resp *resp)
{
    static const ys_srv_field none[] = {{NULL, 0, false}};
    ys_h_submit(call, resp, none, "id", run_submit, 201);
}

static ys_rc run_withdraw(ys_srv_cmd *cmd, const ys_session *s, const ys_ctx *c, ys_events *out, ys_err *err)
{
    int id = ys_h_arg_int(cmd, "id");
    bool consent = ys_h_arg_bool(cmd, "consent");
    ys_rc rc = lead_or_staff(cmd, s, id, err);
    if (!rc && consent && is_delegate(cmd))
        rc = ys_fail(err, YS_FORBIDDEN, "consent", "the presidium's consent is given from the desk or the chair's console");
    return rc ? rc : ys_cmd_motion_withdraw(s, c, id, consent, out, err);
}

void ys_h_motion_withdraw(const ys_srv_call *call, ys_srv_resp *resp)
{
    static const ys_srv_field f[] = {{"consent", YS_F_BOOL, false}, {NULL, 0, false}};
    ys_h_submit(call, resp, f, "id", run_withdraw, 201);
}

static ys_rc run_decide(ys_srv_cmd *cmd, const ys_session *s, const ys_ctx *c, ys_events *out, ys_err *err)
{
    int d;
    ys_rc rc = word_arg(cmd, "decision", ys_motion_decision_parse, "agenda, committee, suggestion, oral, written, refer",
                        &d, err);
    return rc ? rc
              : ys_cmd_motion_decide(s, c, ys_h_arg_int(cmd, "id"), (ys_motion_decision)d, ys_h_arg_str(cmd, "note"),
                                     out, err);
}

void ys_h_motion_decide(const ys_srv_call *call, ys_srv_resp *resp)
{
    static const ys_srv_field f[] = {{"decision", YS_F_STRING, true}, {"note", YS_F_STRING, false}, {NULL, 0, false}};
    ys_h_submit(call, resp, f, "id", run_decide, 201);
}

static ys_rc run_answer(ys_srv_cmd *cmd, const ys_session *s, const ys_ctx *c, ys_events *out, ys_err *err)
{
    return ys_cmd_motion_answer(s, c, ys_h_arg_int(cmd, "id"), ys_h_arg_str(cmd, "by"), ys_h_arg_str(cmd, "text"),
                                out, err);
}

void ys_h_motion_answer(const ys_srv_call *call, ys_srv_resp *resp)
{
    static const ys_srv_field f[] = {{"text", YS_F_STRING, true}, {"by", YS_F_STRING, false}, {NULL, 0, false}};
    ys_h_submit(call, resp, f, "id", run_answer, 201);
}

static ys_rc run_rate(ys_srv_cmd *cmd, const ys_session *s, const ys_ctx *c, ys_events *out, ys_err *err)
{
    const char *code = acting_delegate(cmd, "delegate", err);
    int r;
    ys_rc rc = code ? word_arg(cmd, "rating", ys_satisfaction_parse, "satisfied, basically, unsatisfied", &r, err)
                    : err->rc;
    return rc ? rc : ys_cmd_motion_rate(s, c, ys_h_arg_int(cmd, "id"), code, (ys_satisfaction)r, out, err);
}

void ys_h_motion_rate(const ys_srv_call *call, ys_srv_resp *resp)
{
    static const ys_srv_field f[] = {{"rating", YS_F_STRING, true}, {"delegate", YS_F_STRING, false}, {NULL, 0, false}};
    ys_h_submit(call, resp, f, "id", run_rate, 201);
}

static ys_rc run_deadline(ys_srv_cmd *cmd, const ys_session *s, const ys_ctx *c, ys_events *out, ys_err *err)
{
    int kind;
    ys_rc rc = word_arg(cmd, "kind", ys_motion_kind_parse, KIND_WORDS, &kind, err);
    return rc ? rc : ys_cmd_motion_deadline(s, c, (ys_motion_kind)kind, ys_h_arg_str(cmd, "until"), out, err);
}

void ys_h_motion_deadline(const ys_srv_call *call, ys_srv_resp *resp)
{
    static const ys_srv_field f[] = {{"kind", YS_F_STRING, true}, {"until", YS_F_STRING, true}, {NULL, 0, false}};
    ys_h_submit(call, resp, f, NULL, run_deadline, 201);
}
