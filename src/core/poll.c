/* poll.c — votes on a question (表决): creating, opening, voting, tellers' totals and closing, as
 * commands and as the fold. Whether a poll passes is the counting engine's (ys_count_vote). */
#include "yishi/poll.h"

#include "core/fold.h"
#include "core/payload.h"
#include "core/text.h"
#include "yishi/alloc.h"
#include "yishi/key.h"
#include "yishi/vstate.h"

#include <sodium.h>
#include <string.h>

/* The choices as the log writes them and as a person says them. */
static const struct {
    const char *word, *zh;
} choice_words[] = {
    [YS_CHOICE_YES] = {"yes", "赞成"},
    [YS_CHOICE_NO] = {"no", "反对"},
    [YS_CHOICE_ABSTAIN] = {"abstain", "弃权"},
};

static bool choice_known(ys_choice c) { return c >= YS_CHOICE_YES && c <= YS_CHOICE_ABSTAIN; }
const char *ys_choice_word(ys_choice c) { return choice_known(c) ? choice_words[c].word : "?"; }
const char *ys_choice_zh(ys_choice c) { return choice_known(c) ? choice_words[c].zh : "?"; }

int ys__choice_parse(const char *key)
{
    for (int i = YS_CHOICE_YES; key && i <= YS_CHOICE_ABSTAIN; i++)
        if (strcmp(choice_words[i].word, key) == 0)
            return i;
    return 0;
}

ys_rc ys_choice_parse(const char *word, ys_choice *out, ys_err *err)
{
    for (int i = YS_CHOICE_YES; word && i <= YS_CHOICE_ABSTAIN; i++)
        if (strcmp(choice_words[i].word, word) == 0 || strcmp(choice_words[i].zh, word) == 0) {
            *out = (ys_choice)i;
            return YS_OK;
        }
    return ys_fail(err, YS_INVALID, "choice", "'%s' is not a choice: yes (赞成), no (反对) or abstain (弃权)",
                   word ? word : "");
}

/* The ways a question is voted on; a secret ballot is for elections. */
static bool poll_method(ys_method m)
{
    return m == YS_METHOD_TERMINAL || m == YS_METHOD_SHOW_OF_HANDS || m == YS_METHOD_PAPER;
}

const ys_poll *ys_poll_get(const ys_session *s, int id)
{
    return id >= 1 && (size_t)id <= s->n_polls ? &s->polls[id - 1] : NULL;
}

void ys_polls_free(ys_session *s)
{
    for (size_t i = 0; i < s->n_polls; i++) {
        ys_free(s->polls[i].title);
        ys_free(s->polls[i].choice);
        ys_free(s->polls[i].announcement);
        ys_vstate_free(s->polls[i].v);
    }
    ys_free(s->polls);
}

const char *ys_vote_in_progress(const ys_session *s, char *buf, size_t cap)
{
    for (size_t i = 0; i < s->n_polls; i++)
        if (s->polls[i].state == YS_POLL_OPEN) {
            snprintf(buf, cap, "poll %d (%s)", s->polls[i].id, s->polls[i].title);
            return buf;
        }
    for (size_t i = 0; i < s->n_elections; i++)
        if (s->elections[i].state == YS_POLL_OPEN) {
            snprintf(buf, cap, "election %d (%s)", s->elections[i].id, ys_election_office_name(s, &s->elections[i]));
            return buf;
        }
    return NULL;
}

void ys_box_hash_add(uint8_t box[YS_HASH_BYTES], const uint8_t id[YS_HASH_BYTES], const char *content)
{
    uint8_t h[YS_HASH_BYTES];
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, sizeof h);
    crypto_generichash_update(&st, id, YS_HASH_BYTES);
    crypto_generichash_update(&st, (const uint8_t *)content, strlen(content));
    crypto_generichash_final(&st, h, sizeof h);
    ys__sum_add(box, h);
}

/* ---- commands ---- */

static const struct {
    const char *word, *phrase;
} state_words[] = {
    [YS_POLL_CREATED] = {"created", "not open yet"},
    [YS_POLL_OPEN] = {"open", "open"},
    [YS_POLL_CLOSED] = {"closed", "closed"},
};

static bool state_known(ys_poll_state st) { return st >= YS_POLL_CREATED && st <= YS_POLL_CLOSED; }
const char *ys_poll_state_word(ys_poll_state st) { return state_known(st) ? state_words[st].word : "?"; }
const char *ys_poll_state_phrase(ys_poll_state st) { return state_known(st) ? state_words[st].phrase : "?"; }

static ys_rc get_poll(const ys_session *s, int id, ys_poll_state want, const ys_poll **out, ys_err *err)
{
    const ys_poll *p = ys_poll_get(s, id);
    *out = NULL;
    if (!p)
        return ys_fail(err, YS_NOT_FOUND, "poll", "no poll %d", id);
    if (p->state != want)
        return ys_fail(err, YS_STATE, "poll", "poll %d (%s) is %s", id, p->title,
                       ys_poll_state_phrase(p->state));
    *out = p;
    return YS_OK;
}

static ys_rc check_create(const ys_session *s, const ys_poll_args *a, ys_err *err)
{
    const char *why = ys_text_problem(a->title, 300, true);
    if (!ys_session_initialized(s))
        return ys_fail(err, YS_STATE, NULL, "the session has not been initialised");
    if (why)
        return ys_fail(err, YS_INVALID, "title", "title %s", why);
    if (a->item && ((size_t)a->item > s->n_items || a->item < 0))
        return ys_fail(err, YS_NOT_FOUND, "item", "no agenda item %d", a->item);
    if (a->item && s->items[a->item - 1].kind != YS_ITEM_VOTE)
        return ys_fail(err, YS_INVALID, "item", "agenda item %d (%s) is not a vote (表决)", a->item,
                       s->items[a->item - 1].title);
    if (a->majority == YS_MAJORITY_TWO_THIRDS && !s->rules->constitutional.defined)
        return ys_fail(err, YS_INVALID, "majority", "rule set %s has no two-thirds majority", s->rules->id);
    if (!poll_method(a->method))
        return ys_fail(err, YS_INVALID, "method", "a vote is by terminal, show_of_hands or paper");
    if (!(a->method & s->rules->resolution_methods))
        return ys_fail(err, YS_INVALID, "method", "rule set %s does not allow voting by %s", s->rules->id,
                       ys_method_word(a->method));
    if (a->named && a->method != YS_METHOD_TERMINAL)
        return ys_fail(err, YS_INVALID, "named", "only a vote at the terminals can be named");
    if (a->key && (a->named || a->method != YS_METHOD_TERMINAL))
        return ys_fail(err, YS_INVALID, "key", "a verifiable vote is anonymous, at the terminals");
    if (a->key && !ys_key_get(s, a->key))
        return ys_fail(err, YS_NOT_FOUND, "key", "no key %d", a->key);
    if (a->changeable && !a->named)
        return ys_fail(err, YS_INVALID, "changeable", "only a named vote can be changed: an anonymous vote "
                       "keeps no link between a delegate and a choice");
    return YS_OK;
}

/* An amendment is voted before what it amends: the poll it amends is one not opened yet. */
static ys_rc check_amends(const ys_session *s, const ys_poll_args *a, ys_err *err)
{
    if (a->amends) {
        const ys_poll *m = ys_poll_get(s, a->amends);
        if (!m)
            return ys_fail(err, YS_NOT_FOUND, "amends", "no poll %d to amend", a->amends);
        if (m->state != YS_POLL_CREATED)
            return ys_fail(err, YS_STATE, "amends", "poll %d has already been opened; amendments are voted first",
                           a->amends);
        if (m->amends)
            return ys_fail(err, YS_INVALID, "amends", "poll %d is itself an amendment", a->amends);
    }
    return YS_OK;
}

ys_rc ys_cmd_poll_create(const ys_session *s, const ys_ctx *c, const ys_poll_args *given, ys_events *out, ys_err *err)
{
    ys_poll_args args = *given, *a = &args;
    ys_rc rc = check_create(s, a, err);
    if (!rc && a->motion)
        rc = ys__motion_poll_check(s, a, &a->amends, err);
    if (rc || (rc = check_amends(s, a, err)))
        return rc;
    json_t *p = json_pack("{s:i, s:i, s:s, s:s, s:s, s:b, s:b, s:i}", "id", (int)s->n_polls + 1, "item", a->item,
                          "title", a->title, "majority", ys_majority_word(a->majority),
                          "method", ys_method_word(a->method), "named", a->named, "changeable", a->changeable,
                          "amends", a->amends);
    if (p && ((a->key && json_object_set_new(p, "key", json_integer(a->key))) ||
              (a->motion && json_object_set_new(p, "motion", json_integer(a->motion))))) {
        json_decref(p);
        p = NULL;
    }
    return ys_events_add(out, c->time, c->actor, "poll.create", p, err);
}

/* The plenary a vote may be opened at: open, and quorate under the rule set (Art. 14). */
ys_rc ys__quorate_plenary(const ys_session *s, const ys_meeting **out, ys_err *err)
{
    char what[400];
    const ys_meeting *m = ys_current_meeting(s);
    *out = NULL;
    if (!m || (m->kind != YS_MEETING_PLENARY && m->kind != YS_MEETING_PREPARATORY))
        for (size_t i = s->n_meetings; i > 0; i--)
            if (s->meetings[i - 1].open && s->meetings[i - 1].kind <= YS_MEETING_PLENARY) {
                m = &s->meetings[i - 1];
                break;
            }
    if (!m || !m->open || (m->kind != YS_MEETING_PLENARY && m->kind != YS_MEETING_PREPARATORY))
        return ys_fail(err, YS_STATE, "meeting", "no plenary meeting is open");
    ys_attendance a = ys_meeting_attendance(s, m);
    if (!a.quorate)
        return ys_fail(err, YS_STATE, "quorum", "meeting %d is not quorate: %d present, %d needed", m->id, a.present,
                       a.quorum);
    if (ys_vote_in_progress(s, what, sizeof what))
        return ys_fail(err, YS_STATE, "poll", "%s is still open; close it first", what);
    *out = m;
    return YS_OK;
}

ys_rc ys_cmd_poll_open(const ys_session *s, const ys_ctx *c, int poll, ys_events *out, ys_err *err)
{
    const ys_poll *p;
    const ys_meeting *m;
    ys_rc rc;
    if ((rc = get_poll(s, poll, YS_POLL_CREATED, &p, err)) || (rc = ys__quorate_plenary(s, &m, err)))
        return rc;
    for (size_t i = 0; i < s->n_polls; i++)
        if (s->polls[i].amends == poll && s->polls[i].state != YS_POLL_CLOSED)
            return ys_fail(err, YS_STATE, "poll", "amendment poll %d (%s) must be voted first", s->polls[i].id,
                           s->polls[i].title);
    if (p->motion && (rc = ys__motion_poll_open_check(s, p, err)))
        return rc;
    json_t *pl = json_pack("{s:i, s:i}", "poll", poll, "meeting", m->id);
    if (p->v && pl && (rc = ys__poll_v_open_payload(s, p, pl, err))) {
        json_decref(pl);
        return rc;
    }
    return ys_events_add(out, c->time, c->actor, "poll.open", pl, err);
}

/* A delegate who may vote now: entitled and checked in at the vote's meeting. */
const ys_delegate *ys__voter(const ys_session *s, int meeting, const char *code, ys_err *err)
{
    const ys_delegate *d = code ? ys_delegate_by_code(s, code) : NULL;
    if (!d) {
        ys_fail(err, YS_NOT_FOUND, "delegate", "no delegate with code '%s'", code ? code : "");
        return NULL;
    }
    if (!d->entitled) {
        ys_fail(err, YS_FORBIDDEN, "delegate", "%s is no longer a delegate", d->code);
        return NULL;
    }
    if (ys_meeting_presence(ys_meeting_get(s, meeting), d->id) != YS_PRESENT) {
        ys_fail(err, YS_FORBIDDEN, "delegate", "%s (%s) is not checked in at meeting %d", d->name, d->code, meeting);
        return NULL;
    }
    return d;
}

static uint8_t vote_of(const ys_poll *p, int delegate)
{
    return (size_t)delegate <= p->choice_cap ? p->choice[delegate - 1] : 0;
}

ys_rc ys_cmd_poll_vote(const ys_session *s, const ys_ctx *c, int poll, const char *code, ys_choice choice,
                       ys_events *out, ys_err *err)
{
    const ys_poll *p;
    ys_rc rc = get_poll(s, poll, YS_POLL_OPEN, &p, err);
    if (rc)
        return rc;
    if (p->method != YS_METHOD_TERMINAL)
        return ys_fail(err, YS_STATE, "poll", "poll %d is by %s: the tellers enter the totals", poll,
                       ys_method_word(p->method));
    if (choice < YS_CHOICE_YES || choice > YS_CHOICE_ABSTAIN)
        return ys_fail(err, YS_INVALID, "choice", "a vote is yes, no or abstain");
    if (p->v)
        return ys_fail(err, YS_STATE, "poll", "poll %d is verifiable: its ballots are encrypted on the delegate's "
                       "terminal, never entered in the clear", poll);
    const ys_delegate *d = ys__voter(s, p->meeting, code, err);
    if (!d)
        return err ? err->rc : YS_FORBIDDEN;
    uint8_t before = vote_of(p, d->id);
    if (before && !p->changeable)
        return ys_fail(err, YS_CONFLICT, "delegate", "%s (%s) has already voted in poll %d", d->name, d->code, poll);
    if (before == choice)
        return ys_fail(err, YS_CONFLICT, "choice", "%s (%s) has already voted %s", d->name, d->code,
                       ys_choice_word(choice));
    if (p->named)
        return ys_events_add(out, c->time, c->actor, "poll.vote",
                             json_pack("{s:i, s:i, s:s}", "poll", poll, "delegate", d->id, "choice", ys_choice_word(choice)),
                             err);
    if ((rc = ys_events_add(out, c->time, c->actor, "poll.cast", json_pack("{s:i, s:i}", "poll", poll, "delegate", d->id),
                            err)))
        return rc;
    return ys_events_add_sealed(out, "poll.ballot", json_pack("{s:i, s:s}", "poll", poll, "choice", ys_choice_word(choice)),
                                err);
}

/* The tellers' totals are entered once; a second entry must say it corrects the first, and why. */
static ys_rc check_correction(const ys_poll *p, const ys_totals_args *a, ys_err *err)
{
    const char *why = a->correct ? ys_text_problem(a->reason, 500, true) : NULL;
    if (!a->correct && a->reason)
        return ys_fail(err, YS_INVALID, "reason", "a reason goes with a correction of totals already entered");
    if (!p->totals_entered && a->correct)
        return ys_fail(err, YS_STATE, "correct", "poll %d has no totals yet to correct", p->id);
    if (p->totals_entered && !a->correct)
        return ys_fail(err, YS_CONFLICT, "correct",
                       "the totals of poll %d are already entered (yes %d, no %d, abstain %d); to replace them, "
                       "enter a correction with its reason", p->id, p->yes, p->no, p->abstain);
    if (why)
        return ys_fail(err, YS_INVALID, "reason", "the reason for the correction %s", why);
    if (a->correct && p->yes == a->yes && p->no == a->no && p->abstain == a->abstain)
        return ys_fail(err, YS_CONFLICT, "correct", "the totals of poll %d are already yes %d, no %d, abstain %d",
                       p->id, p->yes, p->no, p->abstain);
    return YS_OK;
}

ys_rc ys_cmd_poll_totals(const ys_session *s, const ys_ctx *c, int poll, const ys_totals_args *a, ys_events *out,
                         ys_err *err)
{
    const ys_poll *p;
    ys_rc rc = get_poll(s, poll, YS_POLL_OPEN, &p, err);
    if (rc)
        return rc;
    if (p->method == YS_METHOD_TERMINAL)
        return ys_fail(err, YS_STATE, "poll", "poll %d is voted at the terminals; its totals are counted, not entered",
                       poll);
    ys_attendance at = ys_meeting_attendance(s, ys_meeting_get(s, p->meeting));
    if (a->yes < 0 || a->no < 0 || a->abstain < 0)
        return ys_fail(err, YS_INVALID, "yes", "totals cannot be negative");
    if ((long)a->yes + a->no + a->abstain > at.present)
        return ys_fail(err, YS_INVALID, "yes", "%ld votes counted but only %d delegates are present",
                       (long)a->yes + a->no + a->abstain, at.present);
    if ((rc = check_correction(p, a, err)))
        return rc;
    json_t *pl = json_pack("{s:i, s:i, s:i, s:i}", "poll", poll, "yes", a->yes, "no", a->no, "abstain", a->abstain);
    if (pl && a->correct &&
        json_object_update_new(pl, json_pack("{s:b, s:s, s:{s:i, s:i, s:i}}", "correct", 1, "reason", a->reason,
                                             "replaces", "yes", p->yes, "no", p->no, "abstain", p->abstain))) {
        json_decref(pl);
        pl = NULL;
    }
    return ys_events_add(out, c->time, c->actor, "poll.totals", pl, err);
}

/* Present for the vote: checked in now, or checked in when they voted. */
ys_voter_state ys_poll_voter(const ys_session *s, const ys_poll *p, int id)
{
    if (vote_of(p, id))
        return YS_VOTER_VOTED;
    return ys_meeting_presence(ys_meeting_get(s, p->meeting), id) == YS_PRESENT ? YS_VOTER_NOT_VOTED
                                                                               : YS_VOTER_ABSENT;
}

/* The turnout of an open poll as the state has it now: what the close records, and the console shows. */
static void count_turnout(const ys_session *s, const ys_poll *p, ys_turnout *out)
{
    *out = (ys_turnout){.entitled = s->entitled, .voted = p->voted};
    for (size_t i = 0; i < s->n_delegates; i++)
        out->present += ys_poll_voter(s, p, (int)i + 1) != YS_VOTER_ABSENT;
    out->not_voted = out->present - p->voted;
    out->absent = out->entitled - out->present;
}

ys_rc ys_poll_turnout(const ys_session *s, const ys_poll *p, ys_turnout *out, ys_err *err)
{
    memset(out, 0, sizeof *out);
    if (p->state == YS_POLL_CREATED)
        return ys_fail(err, YS_STATE, "poll", "poll %d is not open yet: it has no meeting and no voters", p->id);
    if (p->method != YS_METHOD_TERMINAL)
        return ys_fail(err, YS_STATE, "poll", "poll %d is by %s: no one votes at a terminal, so no one is known to "
                       "have voted", p->id, ys_method_word(p->method));
    if (p->state == YS_POLL_OPEN) {
        count_turnout(s, p, out);
        return YS_OK;
    }
    const ys_vote_tally *t = &p->tally;
    *out = (ys_turnout){.entitled = t->entitled, .present = t->present, .absent = t->entitled - t->present,
                        .voted = t->present - t->not_voted, .not_voted = t->not_voted};
    return YS_OK;
}

ys_rc ys_cmd_poll_close(const ys_session *s, const ys_ctx *c, int poll, ys_events *out, ys_err *err)
{
    const ys_poll *p;
    ys_rc rc = get_poll(s, poll, YS_POLL_OPEN, &p, err);
    if (rc)
        return rc;
    ys_turnout now;
    count_turnout(s, p, &now);
    if (p->v)
        return ys_events_add(out, c->time, c->actor, "poll.close", ys__poll_v_close_payload(p, &now), err);
    ys_vote_tally t = {.entitled = now.entitled, .present = now.present, .yes = p->yes, .no = p->no,
                       .abstain = p->abstain, .majority = p->majority, .method = p->method};
    t.not_voted = t.present - t.yes - t.no - t.abstain;
    ys_vote_result r;
    if ((rc = ys_count_vote(s->rules, &t, &r, err)))
        return rc;
    char box[YS_HASH_HEX];
    ys_hash_hex(p->box, box);
    json_t *pl = json_pack("{s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:b}", "poll", poll, "entitled", t.entitled, "present",
                           t.present, "yes", t.yes, "no", t.no, "abstain", t.abstain, "not_voted", t.not_voted,
                           "passed", r.passed);
    if (pl && !p->named && p->method == YS_METHOD_TERMINAL && json_object_set_new(pl, "box", json_string(box))) {
        json_decref(pl);
        pl = NULL;
    }
    return ys_events_add(out, c->time, c->actor, "poll.close", pl, err);
}

ys_rc ys_cmd_poll_announce(const ys_session *s, const ys_ctx *c, int poll, ys_events *out, ys_err *err)
{
    const ys_poll *p;
    char text[1024];
    ys_rc rc = get_poll(s, poll, YS_POLL_CLOSED, &p, err);
    if (rc)
        return rc;
    if (p->announcement)
        return ys_fail(err, YS_CONFLICT, "poll", "the result of poll %d has already been announced", poll);
    if (!p->counted)
        return ys_fail(err, YS_STATE, "poll", "poll %d is still being counted: its trustees' decryptions are not all "
                       "in", poll);
    ys_poll_announcement(p, text, sizeof text);
    return ys_events_add(out, c->time, c->actor, "poll.announce", json_pack("{s:i, s:s}", "poll", poll, "text", text),
                         err);
}

size_t ys_poll_announcement(const ys_poll *p, char *buf, size_t cap)
{
    return ys_vote_announcement(&p->tally, &p->result, buf, cap);
}

/* ---- the fold ---- */

ys_rc ys__poll_ref(ys_session *s, const json_t *pl, ys_poll_state want, ys_poll **out, ys_err *err)
{
    int id;
    *out = NULL;
    ys_rc rc = ys_fold_ref(pl, "poll", s->n_polls, false, &id, err);
    if (rc)
        return rc;
    *out = &s->polls[id - 1];
    if ((*out)->state != want)
        return ys_fail(err, YS_CORRUPT, "poll", "poll %d is not in the state this event needs", id);
    return YS_OK;
}

ys_rc ys_apply_poll_create(ys_session *s, const ys_event *ev, ys_err *err)
{
    const json_t *pl = ev->payload;
    const char *title, *majority, *method;
    int item, amends, motion = 0;
    bool named, changeable;
    ys_rc rc;
    if ((rc = ys_fold_next_id(pl, s->n_polls, err)) || (rc = ys_pl_str(pl, "title", &title, err)) ||
        (rc = ys_pl_str(pl, "majority", &majority, err)) || (rc = ys_pl_str(pl, "method", &method, err)) ||
        (rc = ys_pl_bool(pl, "named", &named, err)) || (rc = ys_pl_bool(pl, "changeable", &changeable, err)) ||
        (rc = ys_fold_ref(pl, "item", s->n_items, true, &item, err)) ||
        (rc = ys_fold_ref(pl, "amends", s->n_polls, true, &amends, err)) ||
        (json_object_get(pl, "motion") && (rc = ys_fold_ref(pl, "motion", s->n_motions, false, &motion, err))))
        return rc;
    ys_majority maj;
    ys_method how = ys_method_parse(method);
    if (!poll_method(how) || !ys_majority_parse(majority, &maj))
        return ys_fail(err, YS_CORRUPT, "method", "poll event with unknown method or majority");
    if (ys_grow((void **)&s->polls, &s->cap_polls, s->n_polls + 1, sizeof *s->polls))
        return ys_fold_nomem(ev, err);
    ys_poll *p = &s->polls[s->n_polls];
    memset(p, 0, sizeof *p);
    p->id = (int)s->n_polls + 1;
    p->item = item;
    p->majority = maj;
    p->method = how;
    p->named = named;
    p->changeable = changeable;
    p->amends = amends;
    p->motion = motion;
    p->state = YS_POLL_CREATED;
    if (!(p->title = ys_strdup(title)))
        return ys_fold_nomem(ev, err);
    s->n_polls++;
    if ((rc = ys__poll_v_create(s, p, pl, err)))
        return rc;
    ys__rec_in(s, YS_REC_POLL, p->id, 0);
    return YS_OK;
}

ys_rc ys_apply_poll_open(ys_session *s, const ys_event *ev, ys_err *err)
{
    ys_poll *p;
    int meeting;
    ys_rc rc;
    if ((rc = ys__poll_ref(s, ev->payload, YS_POLL_CREATED, &p, err)) ||
        (rc = ys_fold_ref(ev->payload, "meeting", s->n_meetings, false, &meeting, err)))
        return rc;
    if (p->v && (rc = ys__poll_v_open(s, p, ev->payload, err)))
        return rc;
    ys__rec_out(s, YS_REC_POLL, p->id, 0);
    p->state = YS_POLL_OPEN;
    p->meeting = meeting;
    snprintf(p->opened_at, sizeof p->opened_at, "%s", ev->time);
    ys__rec_in(s, YS_REC_POLL, p->id, 0);
    return YS_OK;
}

static void tally_add(ys_poll *p, int choice, int by)
{
    if (choice == YS_CHOICE_YES)
        p->yes += by;
    else if (choice == YS_CHOICE_NO)
        p->no += by;
    else if (choice == YS_CHOICE_ABSTAIN)
        p->abstain += by;
}

/* A vote changes the poll (its count) and the voter's own record. */
static void voter_out(ys_session *s, const ys_poll *p, int delegate)
{
    ys__rec_out(s, YS_REC_POLL, p->id, 0);
    ys__rec_out(s, YS_REC_CHOICE, p->id, delegate);
}

static void voter_in(ys_session *s, const ys_poll *p, int delegate)
{
    ys__rec_in(s, YS_REC_CHOICE, p->id, delegate);
    ys__rec_in(s, YS_REC_POLL, p->id, 0);
}

static ys_rc voter_ref(ys_session *s, const ys_event *ev, ys_poll **p, int *delegate, ys_err *err)
{
    ys_rc rc;
    if ((rc = ys__poll_ref(s, ev->payload, YS_POLL_OPEN, p, err)) ||
        (rc = ys_fold_ref(ev->payload, "delegate", s->n_delegates, false, delegate, err)))
        return rc;
    if (ys_fold_cover(&(*p)->choice, &(*p)->choice_cap, s->n_delegates))
        return ys_fold_nomem(ev, err);
    return YS_OK;
}

ys_rc ys_apply_poll_vote(ys_session *s, const ys_event *ev, ys_err *err)
{
    ys_poll *p;
    int delegate, choice;
    const char *key;
    ys_rc rc;
    if ((rc = voter_ref(s, ev, &p, &delegate, err)) || (rc = ys_pl_str(ev->payload, "choice", &key, err)))
        return rc;
    if (!(choice = ys__choice_parse(key)) || !p->named)
        return ys_fail(err, YS_CORRUPT, "choice", "a named vote with choice '%s' in poll %d", key, p->id);
    uint8_t before = p->choice[delegate - 1];
    if (before && !p->changeable)
        return ys_fail(err, YS_CORRUPT, "delegate", "a second vote by delegate %d in poll %d", delegate, p->id);
    voter_out(s, p, delegate);
    tally_add(p, before, -1);
    tally_add(p, choice, +1);
    p->voted += !before;
    p->choice[delegate - 1] = (uint8_t)choice;
    voter_in(s, p, delegate);
    return YS_OK;
}

ys_rc ys_apply_poll_cast(ys_session *s, const ys_event *ev, ys_err *err)
{
    ys_poll *p;
    int delegate;
    ys_rc rc = voter_ref(s, ev, &p, &delegate, err);
    if (rc)
        return rc;
    if (p->named || p->choice[delegate - 1])
        return ys_fail(err, YS_CORRUPT, "delegate", "delegate %d cannot cast a ballot in poll %d", delegate, p->id);
    if ((p->v != NULL) != (json_object_get(ev->payload, "ballot") != NULL))
        return ys_fail(err, YS_CORRUPT, "ballot", "poll %d: a cast %s", p->id,
                       p->v ? "without its encrypted ballot" : "with an encrypted ballot in a poll that has a box");
    if (p->v && (rc = ys__poll_v_cast(s, p, ev->payload, err)))
        return rc;
    voter_out(s, p, delegate);
    p->choice[delegate - 1] = 1;
    p->voted++;
    voter_in(s, p, delegate);
    return YS_OK;
}

/* A correction names the totals it replaces, which must be the ones in force. Logs written before
 * corrections existed may hold a second entry without one; it replaces the first, as it did then. */
static ys_rc apply_correction(const ys_poll *p, const json_t *pl, ys_err *err)
{
    const json_t *was = json_object_get(pl, "replaces");
    const char *reason;
    bool correct = false;
    long long yes, no, abstain;
    ys_rc rc;
    if (json_object_get(pl, "correct") && (rc = ys_pl_bool(pl, "correct", &correct, err)))
        return rc;
    if (!correct)
        return YS_OK;
    if ((rc = ys_pl_str(pl, "reason", &reason, err)) ||
        (rc = ys_pl_int(was, "yes", 0, YS_COUNT_MAX_DELEGATES, &yes, err)) ||
        (rc = ys_pl_int(was, "no", 0, YS_COUNT_MAX_DELEGATES, &no, err)) ||
        (rc = ys_pl_int(was, "abstain", 0, YS_COUNT_MAX_DELEGATES, &abstain, err)))
        return rc;
    if (!p->totals_entered || yes != p->yes || no != p->no || abstain != p->abstain)
        return ys_fail(err, YS_CORRUPT, "replaces", "a correction of poll %d replaces totals it did not have", p->id);
    return YS_OK;
}

ys_rc ys_apply_poll_totals(ys_session *s, const ys_event *ev, ys_err *err)
{
    ys_poll *p;
    long long yes, no, abstain;
    ys_rc rc;
    if ((rc = ys__poll_ref(s, ev->payload, YS_POLL_OPEN, &p, err)) ||
        (rc = ys_pl_int(ev->payload, "yes", 0, YS_COUNT_MAX_DELEGATES, &yes, err)) ||
        (rc = ys_pl_int(ev->payload, "no", 0, YS_COUNT_MAX_DELEGATES, &no, err)) ||
        (rc = ys_pl_int(ev->payload, "abstain", 0, YS_COUNT_MAX_DELEGATES, &abstain, err)) ||
        (rc = apply_correction(p, ev->payload, err)))
        return rc;
    ys__rec_out(s, YS_REC_POLL, p->id, 0);
    p->yes = (int)yes, p->no = (int)no, p->abstain = (int)abstain;
    p->totals_entered = true;
    ys__rec_in(s, YS_REC_POLL, p->id, 0);
    return YS_OK;
}

/* A sealed poll ballot: only its choice is summed; nothing records whose it was. */
ys_rc ys__apply_poll_ballot(ys_session *s, const ys_event *sealed, ys_err *err)
{
    ys_poll *p;
    const char *key;
    int choice;
    ys_rc rc;
    if ((rc = ys__poll_ref(s, sealed->payload, YS_POLL_OPEN, &p, err)) ||
        (rc = ys_pl_str(sealed->payload, "choice", &key, err)))
        return rc;
    if (!(choice = ys__choice_parse(key)) || p->named)
        return ys_fail(err, YS_CORRUPT, "choice", "a sealed ballot with choice '%s' in poll %d", key, p->id);
    if (p->n_box >= p->voted)
        return ys_fail(err, YS_CORRUPT, "poll", "poll %d has more ballots in its box than delegates who voted", p->id);
    ys__rec_out(s, YS_REC_POLL, p->id, 0); /* a no-op for a sealed poll, whose box is out of the digest while open */
    tally_add(p, choice, +1);
    p->n_box++;
    ys_box_hash_add(p->box, sealed->hash, sealed->payload_text);
    ys__rec_in(s, YS_REC_POLL, p->id, 0);
    return YS_OK;
}

ys_rc ys_apply_poll_close(ys_session *s, const ys_event *ev, ys_err *err)
{
    const json_t *pl = ev->payload;
    ys_poll *p;
    long long v[6];
    static const char *const keys[] = {"entitled", "present", "yes", "no", "abstain", "not_voted"};
    const char *box;
    ys_rc rc = ys__poll_ref(s, pl, YS_POLL_OPEN, &p, err);
    if (!rc && p->v)
        return ys__poll_v_close(s, p, ev, err);
    for (int i = 0; i < 6 && !rc; i++)
        rc = ys_pl_int(pl, keys[i], 0, YS_COUNT_MAX_DELEGATES, &v[i], err);
    if (!rc)
        rc = ys_pl_str_opt(pl, "box", &box, err);
    if (rc)
        return rc;
    /* A named vote is recounted from its vote events; a sealed one is taken from the close event, and
     * verify recounts it from the ballot box. */
    if (p->named && (v[2] != p->yes || v[3] != p->no || v[4] != p->abstain))
        return ys_fail(err, YS_CORRUPT, "yes", "the totals closing poll %d differ from its votes", p->id);
    ys__rec_out(s, YS_REC_POLL, p->id, 0);
    if (box && ys_hash_from_hex(box, p->box))
        return ys_fail(err, YS_CORRUPT, "box", "malformed ballot box hash");
    p->tally = (ys_vote_tally){.entitled = (int)v[0], .present = (int)v[1], .yes = (int)v[2], .no = (int)v[3],
                               .abstain = (int)v[4], .not_voted = (int)v[5], .majority = p->majority, .method = p->method};
    p->yes = (int)v[2], p->no = (int)v[3], p->abstain = (int)v[4];
    if (ys_count_vote(s->rules, &p->tally, &p->result, err))
        return ys_fail(err, YS_CORRUPT, "poll", "the totals closing poll %d cannot be counted: %s", p->id,
                       err ? err->msg : "");
    p->state = YS_POLL_CLOSED;
    p->counted = true;
    p->closed_seq = ev->seq;
    snprintf(p->closed_at, sizeof p->closed_at, "%s", ev->time);
    ys__rec_in(s, YS_REC_POLL, p->id, 0);
    return YS_OK;
}

ys_rc ys_apply_poll_announce(ys_session *s, const ys_event *ev, ys_err *err)
{
    ys_poll *p;
    const char *text;
    ys_rc rc;
    if ((rc = ys__poll_ref(s, ev->payload, YS_POLL_CLOSED, &p, err)) || (rc = ys_pl_str(ev->payload, "text", &text, err)))
        return rc;
    if (p->announcement || !p->counted)
        return ys_fail(err, YS_CORRUPT, "poll", "poll %d announced twice, or before its count", p->id);
    ys__rec_out(s, YS_REC_POLL, p->id, 0);
    if (!(p->announcement = ys_strdup(text)))
        return ys_fold_nomem(ev, err);
    ys__rec_in(s, YS_REC_POLL, p->id, 0);
    return YS_OK;
}
