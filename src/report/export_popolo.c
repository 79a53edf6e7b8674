/* export_popolo.c — the session as Popolo JSON with Open Civic Data's shapes for events and votes: who the
 * delegates are, which delegation each belongs to, the meetings, every vote with its counts, and the motions
 * with their sponsors and fate. */
#include "yishi/reports.h"

#include "yishi/meeting.h"
#include "yishi/motion.h"
#include "yishi/poll.h"

#include <stdio.h>
#include <string.h>

/* Builds objects, remembering the first failure, so that a half-made export is never returned. */
typedef struct pw {
    bool failed;
} pw;

static void put(pw *w, json_t *o, const char *key, json_t *v)
{
    if (!o || !v || json_object_set_new(o, key, v))
        w->failed = true;
}

static void push(pw *w, json_t *a, json_t *v)
{
    if (!a || !v || json_array_append_new(a, v))
        w->failed = true;
}

/* An id made of a prefix and a code or a number: "person/140100001", "vote/poll-8". */
static json_t *ids(const char *prefix, const char *code)
{
    char id[256];
    snprintf(id, sizeof id, "%s%s", prefix, code);
    return json_string(id);
}

static json_t *idn(const char *prefix, int n)
{
    char id[256];
    snprintf(id, sizeof id, "%s%d", prefix, n);
    return json_string(id);
}

static void persons(pw *w, json_t *out, const ys_session *s)
{
    for (size_t i = 0; i < s->n_delegates; i++) {
        const ys_delegate *d = &s->delegates[i];
        json_t *p = json_object();
        put(w, p, "id", ids("person/", d->code));
        put(w, p, "name", json_string(d->name));
        put(w, p, "gender", json_string(d->gender == YS_GENDER_FEMALE ? "female" : "male"));
        put(w, p, "identifiers", json_pack("[{s:s, s:s}]", "scheme", "yishi:code", "identifier", d->code));
        push(w, out, p);
    }
    for (size_t i = 0; i < s->n_attendees; i++) {
        const ys_attendee *a = &s->attendees[i];
        json_t *p = json_object();
        put(w, p, "id", idn("person/attendee-", a->id));
        put(w, p, "name", json_string(a->name));
        if (a->affiliation)
            put(w, p, "summary", json_string(a->affiliation));
        push(w, out, p);
    }
}

static void organizations(pw *w, json_t *out, const ys_session *s, const char *title)
{
    json_t *o = json_pack("{s:s, s:s, s:s}", "id", "organization/assembly", "name", s->assembly, "classification",
                          "legislature");
    put(w, o, "legislative_sessions", json_pack("[{s:s, s:s}]", "name", title, "identifier", s->session_id));
    push(w, out, o);
    for (size_t i = 0; i < s->n_delegations; i++) {
        char name[300];
        snprintf(name, sizeof name, "%s代表团", s->delegations[i].name);
        json_t *g = json_object();
        put(w, g, "id", idn("organization/delegation-", s->delegations[i].id));
        put(w, g, "name", json_string(name));
        put(w, g, "classification", json_string("delegation"));
        put(w, g, "parent_id", json_string("organization/assembly"));
        push(w, out, g);
    }
}

/* Each delegate is a member of the assembly on behalf of their delegation, and a member of that delegation (with
 * its head's or deputy head's role). */
static void memberships(pw *w, json_t *out, const ys_session *s)
{
    for (size_t i = 0; i < s->n_delegates; i++) {
        const ys_delegate *d = &s->delegates[i];
        json_t *m = json_object(), *g = json_object();
        put(w, m, "id", ids("membership/", d->code));
        put(w, m, "person_id", ids("person/", d->code));
        put(w, m, "organization_id", json_string("organization/assembly"));
        put(w, m, "on_behalf_of_id", idn("organization/delegation-", d->delegation));
        put(w, m, "role", json_string("代表"));
        if (d->post)
            put(w, m, "post_id", idn("post/", d->post));
        if (!d->entitled)
            put(w, m, "label", json_string("代表资格终止"));
        push(w, out, m);
        put(w, g, "id", ids("membership/delegation/", d->code));
        put(w, g, "person_id", ids("person/", d->code));
        put(w, g, "organization_id", idn("organization/delegation-", d->delegation));
        put(w, g, "role", json_string(d->roles & YS_ROLE_DELEGATION_HEAD          ? "团长"
                                      : d->roles & YS_ROLE_DELEGATION_DEPUTY_HEAD ? "副团长"
                                                                                  : "成员"));
        push(w, out, g);
    }
}

static void posts(pw *w, json_t *out, const ys_session *s)
{
    for (size_t i = 0; i < s->n_posts; i++)
        push(w, out, json_pack("{s:o, s:s, s:i}", "id", idn("post/", s->posts[i].id), "label",
                               s->posts[i].title, "rank", s->posts[i].rank));
}

static void events(pw *w, json_t *out, const ys_session *s)
{
    for (size_t i = 0; i < s->n_meetings; i++) {
        const ys_meeting *m = &s->meetings[i];
        ys_attendance a = ys_meeting_attendance(s, m);
        json_t *e = json_object();
        put(w, e, "id", idn("event/meeting-", m->id));
        put(w, e, "name", json_string(m->title));
        put(w, e, "classification", json_string(ys_meeting_kind_key(m->kind)));
        put(w, e, "organization_id", m->delegation ? idn("organization/delegation-", m->delegation)
                                                   : json_string("organization/assembly"));
        /* The moment it opened, if it opened on the day it was held; a meeting recorded from paper has its day */
        char held[11], opened[11];
        int half;
        ys_report_meeting_date(m, held);
        bool on_the_day = ys_beijing_day(m->opened_at, opened, &half) && !strcmp(opened, held);
        put(w, e, "start_date", json_string(on_the_day ? m->opened_at : held));
        if (*m->closed_at && on_the_day)
            put(w, e, "end_date", json_string(m->closed_at));
        put(w, e, "status", json_string(m->open ? "in_progress" : "completed"));
        put(w, e, "attendance", json_pack("{s:i, s:i, s:i, s:i}", "entitled", a.entitled, "present", a.present,
                                          "on_leave", a.on_leave, "absent", a.absent));
        push(w, out, e);
    }
}

static json_t *count(const char *option, int value)
{
    return json_pack("{s:s, s:i}", "option", option, "value", value);
}

/* A closed poll: its counts and result once counted; its voters' choices only when it is named. */
static json_t *poll_event(pw *w, const ys_session *s, const ys_poll *p)
{
    json_t *e = json_object(), *counts = json_array();
    put(w, e, "id", idn("vote/poll-", p->id));
    put(w, e, "motion", json_pack("{s:o, s:s}", "id", idn("motion/poll-", p->id), "text", p->title));
    put(w, e, "organization_id", json_string("organization/assembly"));
    put(w, e, "event_id", idn("event/meeting-", p->meeting));
    put(w, e, "classification", json_string(p->amends ? "amendment" : "motion"));
    put(w, e, "start_date", json_string(p->opened_at));
    put(w, e, "end_date", json_string(p->closed_at));
    put(w, e, "counts", counts);
    if (!p->counted) {
        put(w, e, "result", json_string("pending"));
        return e;
    }
    put(w, e, "result", json_string(p->result.passed ? "pass" : "fail"));
    put(w, e, "quorum", json_pack("{s:i, s:b}", "required", p->result.quorum, "met", p->result.quorate));
    put(w, e, "threshold", json_integer(p->result.threshold));
    push(w, counts, count("yes", p->tally.yes));
    push(w, counts, count("no", p->tally.no));
    push(w, counts, count("abstain", p->tally.abstain));
    push(w, counts, count("not voting", p->tally.not_voted));
    push(w, counts, count("absent", p->tally.entitled - p->tally.present));
    if (!p->named)
        return e;
    json_t *votes = json_array();
    for (size_t i = 0; i < s->n_delegates && i < p->choice_cap; i++)
        if (p->choice[i])
            push(w, votes, json_pack("{s:o, s:s}", "voter_id", ids("person/", s->delegates[i].code), "option",
                                     ys_choice_word((ys_choice)p->choice[i])));
    put(w, e, "votes", votes);
    return e;
}

/* A closed election: the ballots and each candidate's counts as the close recorded them; a secret ballot's
 * content is never more than those sums. */
static json_t *election_event(pw *w, const ys_session *s, const ys_session_election *el)
{
    json_t *e = json_object(), *counts = json_array();
    char text[300];
    snprintf(text, sizeof text, "%s%s", el->kind == YS_PRELIMINARY ? "预选" : el->by_election ? "补选" : "选举",
             ys_election_office_name(s, el));
    put(w, e, "id", idn("vote/election-", el->id));
    put(w, e, "motion", json_pack("{s:o, s:s}", "id", idn("motion/election-", el->id), "text", text));
    put(w, e, "organization_id", json_string("organization/assembly"));
    put(w, e, "event_id", idn("event/meeting-", el->meeting));
    put(w, e, "classification", json_string(el->kind == YS_PRELIMINARY ? "preliminary election" : "election"));
    put(w, e, "start_date", json_string(el->opened_at));
    put(w, e, "end_date", json_string(el->closed_at));
    put(w, e, "counts", counts);
    const json_t *res = el->result;
    if (!res) {
        put(w, e, "result", json_string("pending"));
        return e;
    }
    put(w, e, "result", json_string(json_is_true(json_object_get(res, "valid")) ? "valid" : "void"));
    put(w, e, "ballots", json_pack("{s:i, s:O, s:O, s:O}", "issued", el->issued, "returned",
                                   json_object_get(res, "ballots_returned"), "valid", json_object_get(res, "ballots_valid"),
                                   "void", json_object_get(res, "ballots_void")));
    put(w, e, el->kind == YS_PRELIMINARY ? "formal" : "elected",
        json_deep_copy(json_object_get(res, el->kind == YS_PRELIMINARY ? "formal" : "elected")));
    size_t i;
    const json_t *c;
    json_array_foreach(json_object_get(res, "candidates"), i, c) {
        static const char *const options[] = {"yes", "no", "abstain"};
        for (size_t k = 0; k < 3; k++)
            push(w, counts, json_pack("{s:s, s:O, s:O}", "option", options[k], "value", json_object_get(c, options[k]),
                                      "candidate", json_object_get(c, "name")));
    }
    return e;
}

static void vote_events(pw *w, json_t *out, const ys_session *s)
{
    for (size_t i = 0; i < s->n_polls; i++)
        if (s->polls[i].state == YS_POLL_CLOSED)
            push(w, out, poll_event(w, s, &s->polls[i]));
    for (size_t i = 0; i < s->n_elections; i++)
        if (s->elections[i].state == YS_POLL_CLOSED)
            push(w, out, election_event(w, s, &s->elections[i]));
}

/* The motions as Popolo motions (OCD's bills are laws; these are what delegates put to the congress): the
 * sponsors in the order they signed, the classification, when each step came, and what became of it. */
static json_t *motion_object(pw *w, const ys_session *s, const ys_motion *m)
{
    json_t *o = json_object(), *sponsors = json_array();
    put(w, o, "id", idn("motion/", m->id));
    put(w, o, "organization_id", json_string("organization/assembly"));
    put(w, o, "classification", json_string(ys_motion_kind_key(m->kind)));
    put(w, o, "text", json_string(m->title));
    if (m->by != YS_BY_DELEGATES)
        put(w, o, "creator", json_string(ys_motion_by_key(m->by)));
    else
        put(w, o, "creator_id", ids("person/", s->delegates[m->lead - 1].code));
    for (size_t i = 0; i < m->n_signatures; i++)
        push(w, sponsors, json_pack("{s:o, s:s}", "person_id", ids("person/", s->delegates[m->signatures[i].delegate - 1].code),
                                    "date", m->signatures[i].at));
    put(w, o, "sponsors", sponsors);
    put(w, o, "date", json_string(m->drafted_at));
    if (m->submitted_at[0])
        put(w, o, "submitted_date", json_string(m->submitted_at));
    if (m->amends)
        put(w, o, "amends", idn("motion/", m->amends));
    put(w, o, "status", json_string(ys_motion_state_key(m->state)));
    if (m->decision)
        put(w, o, "result", json_pack("{s:s, s:s, s:s}", "decision", ys_motion_decision_key(m->decision), "text",
                                      ys_motion_decision_zh(m->decision), "date", m->decided_at));
    if (m->answer)
        put(w, o, "answer", json_pack("{s:s?, s:s, s:s, s:s?}", "by", m->answered_by, "text", m->answer, "date",
                                      m->answered_at, "satisfaction",
                                      m->satisfaction ? ys_satisfaction_key(m->satisfaction) : NULL));
    return o;
}

json_t *ys_export_popolo(const ys_session *s, ys_err *err)
{
    pw w = {0};
    char title[512], head[YS_HASH_HEX];
    ys_session_title(s, title, sizeof title);
    ys_hash_hex(s->head, head);
    json_t *o = json_pack("{s:{s:s, s:I, s:s}, s:[], s:[], s:[], s:[], s:[], s:[]}", "meta", "session", title, "log_seq",
                          (json_int_t)s->seq, "log_head", head, "persons", "organizations", "memberships", "posts",
                          "events", "vote_events");
    if (!o) {
        ys_fail(err, YS_NOMEM, "export", "out of memory for the Popolo export");
        return NULL;
    }
    persons(&w, json_object_get(o, "persons"), s);
    organizations(&w, json_object_get(o, "organizations"), s, title);
    memberships(&w, json_object_get(o, "memberships"), s);
    posts(&w, json_object_get(o, "posts"), s);
    events(&w, json_object_get(o, "events"), s);
    vote_events(&w, json_object_get(o, "vote_events"), s);
    json_t *motions = json_array();
    for (size_t i = 0; i < s->n_motions; i++)
        push(&w, motions, motion_object(&w, s, &s->motions[i]));
    put(&w, o, "motions", motions);
    if (w.failed) {
        json_decref(o);
        ys_fail(err, YS_NOMEM, "export", "out of memory for the Popolo export");
        return NULL;
    }
    return o;
}
