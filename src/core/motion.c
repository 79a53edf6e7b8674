/* motion.c — motions, amendments, inquiries, recall and suggestions (motion.h): drafted, co-signed,
 * submitted against the rule set's threshold and the presidium's deadline, decided, withdrawn, answered;
 * as commands and as the fold. */
#include "yishi/motion.h"

#include "core/fold.h"
#include "core/payload.h"
#include "core/text.h"
#include "yishi/alloc.h"
#include "yishi/poll.h"

#include <string.h>

/* ---- words ---- */

typedef struct word {
    const char *key, *zh;
} word;

static const word kinds[] = {
    [YS_MOTION] = {"motion", "议案"},           [YS_MOTION_AMENDMENT] = {"amendment", "修正案"},
    [YS_MOTION_INQUIRY] = {"inquiry", "质询案"}, [YS_MOTION_RECALL] = {"recall", "罢免案"},
    [YS_MOTION_SUGGESTION] = {"suggestion", "建议、批评和意见"},
    [YS_MOTION_NOMINATION] = {"nomination", "联名提名"},
};
static const word states[] = {
    [YS_MOTION_DRAFT] = {"draft", "征集联名"}, [YS_MOTION_SUBMITTED] = {"submitted", "已提出"},
    [YS_MOTION_DECIDED] = {"decided", "主席团已决定"}, [YS_MOTION_WITHDRAWN] = {"withdrawn", "已撤回"},
};
static const word decisions[] = {
    [YS_DECIDE_AGENDA] = {"agenda", "列入大会议程"},
    [YS_DECIDE_COMMITTEE] = {"committee", "先交有关的专门委员会审议"},
    [YS_DECIDE_SUGGESTION] = {"suggestion", "不列入大会议程，作为代表建议处理"},
    [YS_DECIDE_ORAL] = {"oral", "口头答复"},
    [YS_DECIDE_WRITTEN] = {"written", "书面答复"},
    [YS_DECIDE_REFER] = {"refer", "交有关机关办理"},
};
static const word bys[] = {
    [YS_BY_DELEGATES] = {"delegates", "代表联名"}, [YS_BY_PRESIDIUM] = {"presidium", "主席团"},
    [YS_BY_STANDING_COMMITTEE] = {"standing_committee", "常务委员会"},
};
static const word ratings[] = {
    [YS_SATISFIED] = {"satisfied", "满意"}, [YS_BASICALLY_SATISFIED] = {"basically", "基本满意"},
    [YS_UNSATISFIED] = {"unsatisfied", "不满意"},
};

#define WORDS(t) (t), sizeof(t) / sizeof(t)[0]

static const char *key_of(const word *t, size_t n, int v) { return v >= 1 && (size_t)v < n ? t[v].key : "?"; }
static const char *zh_of(const word *t, size_t n, int v) { return v >= 1 && (size_t)v < n ? t[v].zh : "?"; }

static int parse(const word *t, size_t n, const char *w)
{
    for (size_t i = 1; w && i < n; i++)
        if (!strcmp(w, t[i].key) || !strcmp(w, t[i].zh))
            return (int)i;
    return 0;
}

const char *ys_motion_kind_key(ys_motion_kind k) { return key_of(WORDS(kinds), k); }
const char *ys_motion_kind_zh(ys_motion_kind k) { return zh_of(WORDS(kinds), k); }
int ys_motion_kind_parse(const char *w) { return parse(WORDS(kinds), w); }
const char *ys_motion_state_key(ys_motion_state st) { return key_of(WORDS(states), st); }
const char *ys_motion_decision_key(ys_motion_decision d) { return key_of(WORDS(decisions), d); }
const char *ys_motion_decision_zh(ys_motion_decision d) { return zh_of(WORDS(decisions), d); }
int ys_motion_decision_parse(const char *w) { return parse(WORDS(decisions), w); }
const char *ys_motion_by_key(ys_motion_by b) { return key_of(WORDS(bys), b); }
int ys_motion_by_parse(const char *w) { return parse(WORDS(bys), w); }
const char *ys_satisfaction_key(ys_satisfaction r) { return key_of(WORDS(ratings), r); }
int ys_satisfaction_parse(const char *w) { return parse(WORDS(ratings), w); }

const char *ys_motion_rule(ys_motion_kind k)
{
    static const char *const rule[] = {[YS_MOTION] = "motion", [YS_MOTION_AMENDMENT] = "amendment",
                                       [YS_MOTION_INQUIRY] = "inquiry", [YS_MOTION_RECALL] = "recall",
                                       [YS_MOTION_SUGGESTION] = NULL, [YS_MOTION_NOMINATION] = "nomination"};
    return k >= YS_MOTION && k <= YS_MOTION_NOMINATION ? rule[k] : NULL;
}

/* The decisions the presidium may take on each kind. */
static bool decision_fits(ys_motion_kind k, ys_motion_decision d)
{
    switch (k) {
    case YS_MOTION:
        return d == YS_DECIDE_AGENDA || d == YS_DECIDE_COMMITTEE || d == YS_DECIDE_SUGGESTION;
    case YS_MOTION_AMENDMENT:
    case YS_MOTION_RECALL:
        return d == YS_DECIDE_AGENDA;
    case YS_MOTION_INQUIRY:
        return d == YS_DECIDE_ORAL || d == YS_DECIDE_WRITTEN;
    case YS_MOTION_SUGGESTION:
        return d == YS_DECIDE_REFER;
    case YS_MOTION_NOMINATION: /* on the list once submitted: nothing is left to decide */
        return false;
    }
    return false;
}

const ys_motion *ys_motion_get(const ys_session *s, int id)
{
    return id >= 1 && (size_t)id <= s->n_motions ? &s->motions[id - 1] : NULL;
}

void ys_motions_free(ys_session *s)
{
    for (size_t i = 0; i < s->n_motions; i++) {
        ys_motion *m = &s->motions[i];
        char *owned[] = {m->title, m->grounds, m->plan, m->addressee, m->person, m->decision_note, m->answer,
                         m->answered_by};
        for (size_t k = 0; k < sizeof owned / sizeof owned[0]; k++)
            ys_free(owned[k]);
        ys_free(m->signatures);
    }
    ys_free(s->motions);
}

/* ---- the commands ---- */

static const ys_poll *poll_of(const ys_session *s, int id);

static bool signed_by(const ys_motion *m, int delegate)
{
    for (size_t i = 0; i < m->n_signatures; i++)
        if (m->signatures[i].delegate == delegate)
            return true;
    return false;
}

/* The time of a command is before the presidium's deadline for its kind, if one is set. */
static ys_rc before_deadline(const ys_session *s, const ys_ctx *c, ys_motion_kind k, ys_err *err)
{
    const char *until = s->motion_deadlines[k];
    if (until[0] && strcmp(c->time, until) > 0)
        return ys_fail(err, YS_STATE, "deadline", "the presidium's deadline for %s (%s) passed at %s",
                       ys_motion_kind_zh(k), ys_motion_kind_key(k), until);
    return YS_OK;
}

static ys_rc get_motion(const ys_session *s, int id, ys_motion_state want, const ys_motion **m, ys_err *err)
{
    if (!(*m = ys_motion_get(s, id)))
        return ys_fail(err, YS_NOT_FOUND, "motion", "no motion %d", id);
    if ((*m)->state != want)
        return ys_fail(err, YS_STATE, "motion", "%s %d 「%s」 is %s, not %s", ys_motion_kind_zh((*m)->kind), id,
                       (*m)->title, ys_motion_state_key((*m)->state), ys_motion_state_key(want));
    return YS_OK;
}

static const ys_delegate *entitled_delegate(const ys_session *s, const char *code, ys_err *err)
{
    const ys_delegate *d = code ? ys_delegate_by_code(s, code) : NULL;
    if (!d)
        ys_fail(err, YS_NOT_FOUND, "delegate", "no delegate with code '%s': only delegates sign", code ? code : "");
    else if (!d->entitled)
        ys_fail(err, YS_STATE, "delegate", "%s (%s) is no longer a delegate (代表资格终止)", d->name, d->code);
    return d && d->entitled ? d : NULL;
}

/* One text of a draft: required or not, within `max` bytes, on one line or several. */
static ys_rc check_text(const char *field, const char *what, const char *text, size_t max, bool required,
                        bool lines, ys_err *err)
{
    const char *why = lines ? (required && (!text || !*text) ? "is empty" : ys_text_problem_lines(text, max))
                            : ys_text_problem(text, max, required);
    return why ? ys_fail(err, YS_INVALID, field, "%s %s", what, why) : YS_OK;
}

/* What each kind must say (the statute's own words where it has them). */
static ys_rc check_draft(const ys_session *s, const ys_motion_draft *d, ys_err *err)
{
    bool inquiry = d->kind == YS_MOTION_INQUIRY, recall = d->kind == YS_MOTION_RECALL;
    ys_rc rc;
    bool nomination = d->kind == YS_MOTION_NOMINATION;
    if (d->kind < YS_MOTION || d->kind > YS_MOTION_NOMINATION)
        return ys_fail(err, YS_INVALID, "kind", "unknown kind (motion/议案, amendment/修正案, inquiry/质询案, "
                       "recall/罢免案, suggestion/建议, nomination/联名提名)");
    if (d->by != YS_BY_DELEGATES && !recall)
        return ys_fail(err, YS_INVALID, "by", "only a recall is put by the presidium or the standing committee "
                       "(第三十一条); a %s is put by delegates", ys_motion_kind_zh(d->kind));
    if ((rc = check_text("title", inquiry ? "the question (质询的问题)" : "案由 (the title)", d->title, 400,
                         !nomination, false, err)) ||
        (rc = check_text("grounds", recall ? "the reasons (罢免理由)" : inquiry ? "the content (质询的内容)" : "案据",
                         d->grounds, 20000, inquiry || recall, true, err)) ||
        (rc = check_text("plan", "方案", d->plan, 20000, false, true, err)) ||
        (rc = check_text("addressee", inquiry ? "the body questioned (质询对象)" : "the addressee", d->addressee, 300,
                         inquiry, false, err)) ||
        (rc = check_text("person", nomination ? "the candidate's name" : "the person to recall", d->person, 64,
                         recall || nomination, false, err)))
        return rc;
    if (nomination) {
        const ys_session_election *el = ys_session_election_get(s, d->election);
        if (!el)
            return ys_fail(err, YS_NOT_FOUND, "election", "a nomination names its election: no election %d", d->election);
        if (el->state != YS_POLL_CREATED)
            return ys_fail(err, YS_STATE, "election", "election %d takes no more nominations: its ballot has opened",
                           d->election);
    } else if (d->election)
        return ys_fail(err, YS_INVALID, "election", "only a nomination names an election");
    if (d->kind == YS_MOTION_AMENDMENT) {
        const ys_motion *m = ys_motion_get(s, d->amends);
        if (!m || m->kind != YS_MOTION)
            return ys_fail(err, YS_NOT_FOUND, "amends", "an amendment names the motion it amends: no motion %d",
                           d->amends);
        if (m->state == YS_MOTION_WITHDRAWN)
            return ys_fail(err, YS_STATE, "amends", "motion %d 「%s」 was withdrawn", m->id, m->title);
    } else if (d->amends)
        return ys_fail(err, YS_INVALID, "amends", "only an amendment amends a motion");
    return YS_OK;
}

ys_rc ys_cmd_motion_draft(const ys_session *s, const ys_ctx *c, const ys_motion_draft *d, ys_events *out,
                          ys_err *err)
{
    const ys_delegate *lead = NULL;
    ys_rc rc;
    if ((rc = check_draft(s, d, err)) || (rc = before_deadline(s, c, d->kind, err)))
        return rc;
    if (d->by == YS_BY_DELEGATES && !(lead = entitled_delegate(s, d->lead, err)))
        return err ? err->rc : YS_NOT_FOUND;
    char named[600];
    const char *title = d->title;
    if (d->kind == YS_MOTION_NOMINATION && (!title || !*title)) {
        snprintf(named, sizeof named, "提名%s为%s候选人", d->person,
                 ys_election_office_name(s, ys_session_election_get(s, d->election)));
        title = named;
    }
    json_t *p = json_pack("{s:i, s:s, s:s, s:s}", "id", (int)s->n_motions + 1, "kind", ys_motion_kind_key(d->kind),
                          "by", ys_motion_by_key(d->by), "title", title);
    const char *opt[][2] = {{"grounds", d->grounds}, {"plan", d->plan}, {"addressee", d->addressee},
                            {"person", d->person}};
    for (size_t i = 0; p && i < sizeof opt / sizeof opt[0]; i++)
        if (opt[i][1] && *opt[i][1] && json_object_set_new(p, opt[i][0], json_string(opt[i][1])))
            json_decref(p), p = NULL;
    if (p && ((lead && json_object_set_new(p, "lead", json_integer(lead->id))) ||
              (d->amends && json_object_set_new(p, "amends", json_integer(d->amends))) ||
              (d->election && json_object_set_new(p, "election", json_integer(d->election)))))
        json_decref(p), p = NULL;
    return ys_events_add(out, c->time, c->actor, "motion.draft", p, err);
}

/* 第二十六条: a delegate co-signs no more candidates than the election has seats, the names on its list and
 * the drafts still gathering signatures alike. */
static ys_rc nominations_left(const ys_session *s, const ys_motion *m, const ys_delegate *d, ys_err *err)
{
    const ys_session_election *el = ys_session_election_get(s, m->election);
    int signed_n = el ? ys_election_cosigned_by(el, d->code) : 0, limit = el ? ys_election_nomination_limit(el) : 0;
    for (size_t i = 0; i < s->n_motions; i++) {
        const ys_motion *o = &s->motions[i];
        signed_n += o->kind == YS_MOTION_NOMINATION && o->election == m->election && o->state == YS_MOTION_DRAFT &&
                    signed_by(o, d->id);
    }
    if (signed_n + 1 > limit)
        return ys_fail(err, YS_CONFLICT, "delegate", "%s (%s) has co-signed %d candidates for %d seats (地方组织法第二十六条: "
                       "「不得超过应选名额」)", d->name, d->code, signed_n, limit);
    return YS_OK;
}

ys_rc ys_cmd_motion_sign(const ys_session *s, const ys_ctx *c, int motion, const char *code, ys_events *out,
                         ys_err *err)
{
    const ys_motion *m;
    const ys_delegate *d;
    ys_rc rc;
    if ((rc = get_motion(s, motion, YS_MOTION_DRAFT, &m, err)) || (rc = before_deadline(s, c, m->kind, err)))
        return rc;
    if (!(d = entitled_delegate(s, code, err)))
        return err ? err->rc : YS_NOT_FOUND;
    if (signed_by(m, d->id))
        return ys_fail(err, YS_CONFLICT, "delegate", "%s (%s) has already signed %s %d", d->name, d->code,
                       ys_motion_kind_zh(m->kind), motion);
    if (m->kind == YS_MOTION_NOMINATION && (rc = nominations_left(s, m, d, err)))
        return rc;
    return ys_events_add(out, c->time, c->actor, "motion.sign",
                         json_pack("{s:i, s:i}", "motion", motion, "delegate", d->id), err);
}

/* The candidate goes on the list with the signers as its co-nominators: the election's own checks (the office's
 * threshold, the limit per nominator, a name not already on the list) decide, then the draft is submitted. */
static ys_rc submit_nomination(const ys_session *s, const ys_ctx *c, const ys_motion *m, ys_events *out, ys_err *err)
{
    const char **codes = ys_calloc(m->n_signatures ? m->n_signatures : 1, sizeof *codes);
    if (!codes)
        return ys_fail(err, YS_NOMEM, NULL, "out of memory");
    for (size_t i = 0; i < m->n_signatures; i++)
        codes[i] = s->delegates[m->signatures[i].delegate - 1].code;
    ys_rc rc = ys_cmd_election_nominate(s, c, m->election, m->person, codes, m->n_signatures, out, err);
    ys_free(codes);
    return rc ? rc : ys_events_add(out, c->time, c->actor, "motion.submit", json_pack("{s:i}", "motion", m->id), err);
}

ys_rc ys_cmd_motion_submit(const ys_session *s, const ys_ctx *c, int motion, ys_events *out, ys_err *err)
{
    const ys_motion *m;
    ys_rc rc;
    if ((rc = get_motion(s, motion, YS_MOTION_DRAFT, &m, err)) || (rc = before_deadline(s, c, m->kind, err)))
        return rc;
    if (m->kind == YS_MOTION_NOMINATION)
        return submit_nomination(s, c, m, out, err);
    const char *rule = ys_motion_rule(m->kind);
    const ys_threshold *t = rule ? ys_rules_threshold(s->rules, rule) : NULL;
    int n = (int)m->n_signatures;
    if (rule && (!t || !t->defined))
        return ys_fail(err, YS_STATE, "kind", "the rule set %s has no rule for %s ([%s])", s->rules->id,
                       ys_motion_kind_zh(m->kind), rule);
    if (t && !ys_threshold_met(t, n, s->entitled))
        return ys_fail(err, YS_INVALID, "signatures", "%d delegate%s signed; %s needs %d (%s)", n,
                       n == 1 ? " has" : "s have", ys_motion_kind_zh(m->kind), ys_threshold_min(t, s->entitled),
                       t->article);
    return ys_events_add(out, c->time, c->actor, "motion.submit", json_pack("{s:i}", "motion", motion), err);
}

/* "2024-01-24T10:00:00.000Z": the form of every event's time, so that times compare as strings. */
static bool is_event_time(const char *t)
{
    static const char form[] = "dddd-dd-ddTdd:dd:dd.dddZ";
    if (!t || strlen(t) != sizeof form - 1)
        return false;
    for (size_t i = 0; form[i]; i++)
        if (form[i] == 'd' ? (t[i] < '0' || t[i] > '9') : t[i] != form[i])
            return false;
    return true;
}

ys_rc ys_cmd_motion_deadline(const ys_session *s, const ys_ctx *c, ys_motion_kind kind, const char *until,
                             ys_events *out, ys_err *err)
{
    (void)s;
    if (kind < YS_MOTION || kind > YS_MOTION_NOMINATION)
        return ys_fail(err, YS_INVALID, "kind", "unknown kind of motion");
    if (until && *until && !is_event_time(until))
        return ys_fail(err, YS_INVALID, "until", "'%s' is not a time in UTC as 2024-01-24T10:00:00.000Z", until);
    return ys_events_add(out, c->time, c->actor, "motion.deadline",
                         json_pack("{s:s, s:s}", "kind", ys_motion_kind_key(kind), "until", until ? until : ""), err);
}

ys_rc ys_cmd_motion_decide(const ys_session *s, const ys_ctx *c, int motion, ys_motion_decision decision,
                           const char *note, ys_events *out, ys_err *err)
{
    const ys_motion *m;
    ys_rc rc;
    if ((rc = get_motion(s, motion, YS_MOTION_SUBMITTED, &m, err)) ||
        (rc = check_text("note", "the note", note, 2000, false, true, err)))
        return rc;
    if (!decision_fits(m->kind, decision))
        return ys_fail(err, YS_INVALID, "decision", "%s is not a decision on %s", ys_motion_decision_key(decision),
                       ys_motion_kind_zh(m->kind));
    json_t *p = json_pack("{s:i, s:s}", "motion", motion, "decision", ys_motion_decision_key(decision));
    if (p && note && *note && json_object_set_new(p, "note", json_string(note)))
        json_decref(p), p = NULL;
    return ys_events_add(out, c->time, c->actor, "motion.decide", p, err);
}

ys_rc ys_cmd_motion_withdraw(const ys_session *s, const ys_ctx *c, int motion, bool presidium_consents,
                             ys_events *out, ys_err *err)
{
    const ys_motion *m = ys_motion_get(s, motion);
    if (!m)
        return ys_fail(err, YS_NOT_FOUND, "motion", "no motion %d", motion);
    if (m->state == YS_MOTION_WITHDRAWN)
        return ys_fail(err, YS_STATE, "motion", "%s %d was withdrawn already", ys_motion_kind_zh(m->kind), motion);
    bool on_agenda = m->state == YS_MOTION_DECIDED && m->decision == YS_DECIDE_AGENDA;
    if (m->state == YS_MOTION_DECIDED && !on_agenda)
        return ys_fail(err, YS_STATE, "motion", "%s %d is decided (%s): there is nothing left to withdraw",
                       ys_motion_kind_zh(m->kind), motion, ys_motion_decision_zh(m->decision));
    const ys_poll *vote = poll_of(s, motion);
    if (vote && vote->state != YS_POLL_CREATED) /* 「在交付大会表决前」 */
        return ys_fail(err, YS_STATE, "motion", "%s %d has been put to the vote (poll %d): it can no longer be "
                       "withdrawn", ys_motion_kind_zh(m->kind), motion, vote->id);
    if (on_agenda && !presidium_consents)
        return ys_fail(err, YS_STATE, "consent", "%s %d is on the agenda: it is withdrawn only with the presidium's "
                       "consent (地方组织法第二十二条第三款: 「经主席团同意」)", ys_motion_kind_zh(m->kind), motion);
    return ys_events_add(out, c->time, c->actor, "motion.withdraw",
                         json_pack("{s:i, s:b}", "motion", motion, "consent", on_agenda), err);
}

ys_rc ys_cmd_motion_answer(const ys_session *s, const ys_ctx *c, int motion, const char *by, const char *text,
                           ys_events *out, ys_err *err)
{
    const ys_motion *m;
    ys_rc rc;
    if ((rc = get_motion(s, motion, YS_MOTION_DECIDED, &m, err)) ||
        (rc = check_text("by", "who answers", by, 300, m->kind != YS_MOTION_RECALL, false, err)) ||
        (rc = check_text("text", "the answer", text, 50000, true, true, err)))
        return rc;
    json_t *p = json_pack("{s:i, s:s}", "motion", motion, "text", text);
    if (p && by && *by && json_object_set_new(p, "by", json_string(by)))
        json_decref(p), p = NULL;
    return ys_events_add(out, c->time, c->actor, "motion.answer", p, err);
}

ys_rc ys_cmd_motion_rate(const ys_session *s, const ys_ctx *c, int motion, const char *code, ys_satisfaction rating,
                         ys_events *out, ys_err *err)
{
    const ys_motion *m;
    const ys_delegate *d = code ? ys_delegate_by_code(s, code) : NULL;
    ys_rc rc;
    if ((rc = get_motion(s, motion, YS_MOTION_DECIDED, &m, err)))
        return rc;
    if (!m->answer)
        return ys_fail(err, YS_STATE, "motion", "%s %d has no answer yet to be satisfied with",
                       ys_motion_kind_zh(m->kind), motion);
    if (!d || d->id != m->lead)
        return ys_fail(err, YS_FORBIDDEN, "delegate", "only the delegate who drafted %s %d says whether the answer "
                       "satisfies", ys_motion_kind_zh(m->kind), motion);
    if (rating < YS_SATISFIED || rating > YS_UNSATISFIED)
        return ys_fail(err, YS_INVALID, "rating", "satisfied/满意, basically/基本满意 or unsatisfied/不满意");
    return ys_events_add(out, c->time, c->actor, "motion.rate",
                         json_pack("{s:i, s:s}", "motion", motion, "rating", ys_satisfaction_key(rating)), err);
}

/* ---- the fold ---- */

static ys_rc motion_ref(ys_session *s, const ys_event *ev, ys_motion **out, ys_err *err)
{
    int id;
    ys_rc rc = ys_fold_ref(ev->payload, "motion", s->n_motions, false, &id, err);
    if (rc)
        return rc;
    *out = &s->motions[id - 1];
    ys__rec_out(s, YS_REC_MOTION, id, 0); /* every event that names a motion changes it */
    return YS_OK;
}

static ys_rc fold_state(const ys_motion *m, ys_motion_state want, const char *type, ys_err *err)
{
    return m->state == want ? YS_OK
                            : ys_fail(err, YS_CORRUPT, "motion", "%s of motion %d, which is %s", type, m->id,
                                      ys_motion_state_key(m->state));
}

static ys_rc add_signature(ys_motion *m, int delegate, const char *at)
{
    if (ys_grow((void **)&m->signatures, &m->cap_signatures, m->n_signatures + 1, sizeof *m->signatures))
        return YS_NOMEM;
    ys_motion_signature *sig = &m->signatures[m->n_signatures++];
    sig->delegate = delegate;
    snprintf(sig->at, sizeof sig->at, "%s", at);
    return YS_OK;
}

/* Copies the optional string `key` of the payload into *dst (NULL when absent). */
static ys_rc dup_opt(const json_t *p, const char *key, char **dst, const ys_event *ev, ys_err *err)
{
    const char *v;
    ys_rc rc = ys_pl_str_opt(p, key, &v, err);
    if (rc)
        return rc;
    if (v && !(*dst = ys_strdup(v)))
        return ys_fold_nomem(ev, err);
    return YS_OK;
}

static ys_rc word_of(const json_t *p, const char *key, int (*parse_word)(const char *), int *out, ys_err *err)
{
    const char *w;
    ys_rc rc = ys_pl_str(p, key, &w, err);
    if (rc)
        return rc;
    if (!(*out = parse_word(w)))
        return ys_fail(err, YS_CORRUPT, key, "%s '%s' in event", key, w);
    return YS_OK;
}

/* A reference the payload may leave out (a body's recall has no lead, a motion amends nothing). */
static ys_rc ref_opt(const json_t *p, const char *key, size_t n, int *out, ys_err *err)
{
    *out = 0;
    return json_object_get(p, key) ? ys_fold_ref(p, key, n, false, out, err) : YS_OK;
}

ys_rc ys_apply_motion_draft(ys_session *s, const ys_event *ev, ys_err *err)
{
    const json_t *p = ev->payload;
    int kind, by, lead = 0, amends = 0, election = 0;
    ys_rc rc;
    if ((rc = ys_fold_next_id(p, s->n_motions, err)) || (rc = word_of(p, "kind", ys_motion_kind_parse, &kind, err)) ||
        (rc = word_of(p, "by", ys_motion_by_parse, &by, err)) ||
        (rc = ref_opt(p, "lead", s->n_delegates, &lead, err)) || (rc = ref_opt(p, "amends", s->n_motions, &amends, err)) ||
        (rc = ref_opt(p, "election", s->n_elections, &election, err)))
        return rc;
    if ((by == YS_BY_DELEGATES) != (lead != 0))
        return ys_fail(err, YS_CORRUPT, "lead", "a motion by %s %s a lead delegate in event", ys_motion_by_key(by),
                       lead ? "with" : "without");
    if (ys_grow((void **)&s->motions, &s->cap_motions, s->n_motions + 1, sizeof *s->motions))
        return ys_fold_nomem(ev, err);
    ys_motion *m = &s->motions[s->n_motions];
    memset(m, 0, sizeof *m);
    m->id = (int)s->n_motions + 1;
    s->n_motions++; /* from here on what it holds is freed with the session */
    m->kind = (ys_motion_kind)kind;
    m->by = (ys_motion_by)by;
    m->lead = lead;
    m->amends = amends;
    m->election = election;
    /* a body's recall is submitted as it is made: the body signs as one */
    m->state = by == YS_BY_DELEGATES ? YS_MOTION_DRAFT : YS_MOTION_SUBMITTED;
    snprintf(m->drafted_at, sizeof m->drafted_at, "%s", ev->time);
    if (by != YS_BY_DELEGATES)
        snprintf(m->submitted_at, sizeof m->submitted_at, "%s", ev->time);
    if ((rc = dup_opt(p, "title", &m->title, ev, err)) || (rc = dup_opt(p, "grounds", &m->grounds, ev, err)) ||
        (rc = dup_opt(p, "plan", &m->plan, ev, err)) || (rc = dup_opt(p, "addressee", &m->addressee, ev, err)) ||
        (rc = dup_opt(p, "person", &m->person, ev, err)))
        return rc;
    if (!m->title)
        return ys_fail(err, YS_CORRUPT, "title", "a motion without 案由 in event");
    if (lead && add_signature(m, lead, ev->time))
        return ys_fold_nomem(ev, err);
    ys__rec_in(s, YS_REC_MOTION, m->id, 0);
    return YS_OK;
}

ys_rc ys_apply_motion_sign(ys_session *s, const ys_event *ev, ys_err *err)
{
    ys_motion *m;
    int delegate;
    ys_rc rc;
    if ((rc = motion_ref(s, ev, &m, err)) || (rc = fold_state(m, YS_MOTION_DRAFT, "a signature", err)) ||
        (rc = ys_fold_ref(ev->payload, "delegate", s->n_delegates, false, &delegate, err)))
        return rc;
    if (signed_by(m, delegate))
        return ys_fail(err, YS_CORRUPT, "delegate", "delegate %d signs motion %d twice", delegate, m->id);
    if (add_signature(m, delegate, ev->time))
        return ys_fold_nomem(ev, err);
    ys__rec_in(s, YS_REC_MOTION, m->id, 0);
    return YS_OK;
}

ys_rc ys_apply_motion_submit(ys_session *s, const ys_event *ev, ys_err *err)
{
    ys_motion *m;
    ys_rc rc;
    if ((rc = motion_ref(s, ev, &m, err)) || (rc = fold_state(m, YS_MOTION_DRAFT, "a submission", err)))
        return rc;
    m->state = YS_MOTION_SUBMITTED;
    snprintf(m->submitted_at, sizeof m->submitted_at, "%s", ev->time);
    ys__rec_in(s, YS_REC_MOTION, m->id, 0);
    return YS_OK;
}

ys_rc ys_apply_motion_deadline(ys_session *s, const ys_event *ev, ys_err *err)
{
    const char *until;
    int kind;
    ys_rc rc;
    if ((rc = word_of(ev->payload, "kind", ys_motion_kind_parse, &kind, err)) ||
        (rc = ys_pl_str(ev->payload, "until", &until, err)))
        return rc;
    if (strlen(until) >= sizeof s->motion_deadlines[kind])
        return ys_fail(err, YS_CORRUPT, "until", "a deadline of %zu bytes in event", strlen(until));
    ys__rec_out(s, YS_REC_MOTION_DEADLINE, kind, 0);
    snprintf(s->motion_deadlines[kind], sizeof s->motion_deadlines[kind], "%s", until);
    ys__rec_in(s, YS_REC_MOTION_DEADLINE, kind, 0);
    return YS_OK;
}

ys_rc ys_apply_motion_decide(ys_session *s, const ys_event *ev, ys_err *err)
{
    ys_motion *m;
    int decision;
    ys_rc rc;
    if ((rc = motion_ref(s, ev, &m, err)) || (rc = fold_state(m, YS_MOTION_SUBMITTED, "a decision", err)) ||
        (rc = word_of(ev->payload, "decision", ys_motion_decision_parse, &decision, err)) ||
        (rc = dup_opt(ev->payload, "note", &m->decision_note, ev, err)))
        return rc;
    m->decision = (ys_motion_decision)decision;
    m->state = YS_MOTION_DECIDED;
    snprintf(m->decided_at, sizeof m->decided_at, "%s", ev->time);
    ys__rec_in(s, YS_REC_MOTION, m->id, 0);
    return YS_OK;
}

ys_rc ys_apply_motion_withdraw(ys_session *s, const ys_event *ev, ys_err *err)
{
    ys_motion *m;
    bool consent;
    ys_rc rc;
    if ((rc = motion_ref(s, ev, &m, err)) || (rc = ys_pl_bool(ev->payload, "consent", &consent, err)))
        return rc;
    if (m->state == YS_MOTION_WITHDRAWN)
        return ys_fail(err, YS_CORRUPT, "motion", "motion %d withdrawn twice", m->id);
    m->state = YS_MOTION_WITHDRAWN;
    m->withdrawn_with_consent = consent;
    ys__rec_in(s, YS_REC_MOTION, m->id, 0);
    return YS_OK;
}

ys_rc ys_apply_motion_answer(ys_session *s, const ys_event *ev, ys_err *err)
{
    ys_motion *m;
    ys_rc rc;
    if ((rc = motion_ref(s, ev, &m, err)) || (rc = fold_state(m, YS_MOTION_DECIDED, "an answer", err)))
        return rc;
    ys_free(m->answer), ys_free(m->answered_by); /* a second answer (再作答复) replaces the first */
    m->answer = m->answered_by = NULL;
    m->satisfaction = 0;
    if ((rc = dup_opt(ev->payload, "text", &m->answer, ev, err)) || (rc = dup_opt(ev->payload, "by", &m->answered_by, ev, err)))
        return rc;
    if (!m->answer)
        return ys_fail(err, YS_CORRUPT, "text", "an answer without its text in event");
    snprintf(m->answered_at, sizeof m->answered_at, "%s", ev->time);
    ys__rec_in(s, YS_REC_MOTION, m->id, 0);
    return YS_OK;
}

ys_rc ys_apply_motion_rate(ys_session *s, const ys_event *ev, ys_err *err)
{
    ys_motion *m;
    int rating;
    ys_rc rc;
    if ((rc = motion_ref(s, ev, &m, err)) || (rc = word_of(ev->payload, "rating", ys_satisfaction_parse, &rating, err)))
        return rc;
    if (!m->answer)
        return ys_fail(err, YS_CORRUPT, "motion", "a rating of motion %d, which has no answer", m->id);
    m->satisfaction = (ys_satisfaction)rating;
    ys__rec_in(s, YS_REC_MOTION, m->id, 0);
    return YS_OK;
}

/* ---- the vote that decides a motion ---- */

/* The poll that decides motion `id`, or NULL. */
static const ys_poll *poll_of(const ys_session *s, int id)
{
    for (size_t i = 0; i < s->n_polls; i++)
        if (s->polls[i].motion == id)
            return &s->polls[i];
    return NULL;
}

const ys_poll *ys_motion_poll(const ys_session *s, int id) { return poll_of(s, id); }

static bool on_agenda(const ys_motion *m)
{
    return m->state == YS_MOTION_DECIDED && m->decision == YS_DECIDE_AGENDA;
}

ys_rc ys__motion_poll_check(const ys_session *s, const ys_poll_args *a, int *amends, ys_err *err)
{
    const ys_motion *m = ys_motion_get(s, a->motion);
    if (!m)
        return ys_fail(err, YS_NOT_FOUND, "motion", "no motion %d", a->motion);
    if (m->kind != YS_MOTION && m->kind != YS_MOTION_AMENDMENT && m->kind != YS_MOTION_RECALL)
        return ys_fail(err, YS_INVALID, "motion", "%s %d is not put to the vote", ys_motion_kind_zh(m->kind), m->id);
    if (!on_agenda(m))
        return ys_fail(err, YS_STATE, "motion", "%s %d 「%s」 is not on the agenda: the presidium places it there "
                       "before the congress votes on it", ys_motion_kind_zh(m->kind), m->id, m->title);
    if (poll_of(s, m->id))
        return ys_fail(err, YS_CONFLICT, "motion", "%s %d is decided by poll %d already", ys_motion_kind_zh(m->kind),
                       m->id, poll_of(s, m->id)->id);
    /* 罢免: by all delegates' majority (地方组织法第三十一条: 提请全体会议表决), and secretly, as the vote on a person is */
    if (m->kind == YS_MOTION_RECALL && (a->named || a->majority != YS_MAJORITY_SIMPLE))
        return ys_fail(err, YS_INVALID, "named", "a recall is voted by secret ballot, by more than half of all "
                       "delegates: not named, of the simple majority");
    if (m->kind == YS_MOTION_RECALL && a->method == YS_METHOD_SHOW_OF_HANDS)
        return ys_fail(err, YS_INVALID, "method", "a recall is voted by secret ballot: at the terminals or on paper, "
                       "not by a show of hands");
    if (m->kind != YS_MOTION_AMENDMENT)
        return a->amends ? ys_fail(err, YS_INVALID, "amends", "only an amendment's poll amends another") : YS_OK;
    /* 修正案: voted before the motion it amends (粤规第六十一条), so the motion's poll is there to amend */
    const ys_poll *target = poll_of(s, m->amends);
    if (!target)
        return ys_fail(err, YS_STATE, "motion", "create the poll of motion %d first: its amendment %d is voted "
                       "before it", m->amends, m->id);
    if (a->amends && a->amends != target->id)
        return ys_fail(err, YS_INVALID, "amends", "amendment %d amends motion %d, decided by poll %d, not poll %d", m->id,
                       m->amends, target->id, a->amends);
    *amends = target->id;
    return YS_OK;
}

ys_rc ys__motion_poll_open_check(const ys_session *s, const ys_poll *p, ys_err *err)
{
    for (size_t i = 0; i < s->n_motions; i++) {
        const ys_motion *am = &s->motions[i];
        if (am->kind != YS_MOTION_AMENDMENT || am->amends != p->motion || !on_agenda(am))
            continue;
        const ys_poll *its = poll_of(s, am->id);
        if (!its || its->state != YS_POLL_CLOSED)
            return ys_fail(err, YS_STATE, "poll", "amendment %d 「%s」 of motion %d is on the agenda and must be voted "
                           "first", am->id, am->title, p->motion);
    }
    return YS_OK;
}
