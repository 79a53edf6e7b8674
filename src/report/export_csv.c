/* export_csv.c — every list of a session as CSV (RFC 4180, UTF-8, CRLF): what a secretariat opens in a
 * spreadsheet or hands on, each field quoted when it holds a comma, a quote, a line end or edge spaces, and a
 * text that a spreadsheet would take for a formula (=, +, -, @, a tab or a carriage return first) led by an
 * apostrophe, so that a name or a summary typed by anyone is never run on the secretariat's machine. */
#include "report/report_int.h"

#include "yishi/alloc.h"
#include "yishi/buf.h"
#include "yishi/poll.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define YS__LIST_NAME(name) #name,
const char *const ys_export_csv_lists[] = {YS_EXPORT_CSV_LISTS(YS__LIST_NAME) NULL};
#undef YS__LIST_NAME

/* What a spreadsheet starts a formula with (OWASP, "CSV injection"). */
static bool formula_like(const char *v)
{
    return *v && strchr("=+-@\t\r", *v);
}

static void field(ys_buf *t, const char *v, bool text)
{
    size_t n = strlen(v);
    bool guard = text && formula_like(v);
    if (n && !guard && strcspn(v, ",\"\r\n") == n && v[0] != ' ' && v[n - 1] != ' ') {
        ys_buf_add(t, v, n);
        return;
    }
    ys_buf_addstr(t, guard ? "\"'" : "\"");
    for (const char *p = v; *p; p++) {
        size_t run = strcspn(p, "\"");
        ys_buf_add(t, p, run);
        p += run;
        if (!*p)
            break;
        ys_buf_addstr(t, "\"\"");
    }
    ys_buf_addstr(t, "\"");
}

/* One record: `fmt` names each field's type, s a string (NULL: empty), d an int, b a bool (true / false). */
static void record(ys_buf *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    for (const char *f = fmt; *f; f++) {
        char num[32];
        const char *v = num;
        if (f != fmt)
            ys_buf_addstr(t, ",");
        if (*f == 's') {
            v = va_arg(ap, const char *);
            v = v ? v : "";
        } else if (*f == 'd')
            snprintf(num, sizeof num, "%d", va_arg(ap, int));
        else
            v = va_arg(ap, int) ? "true" : "false";
        field(t, v, *f == 's');
    }
    va_end(ap);
    ys_buf_addstr(t, "\r\n");
}

static void header(ys_buf *t, const char *names)
{
    ys_buf_addstr(t, names);
    ys_buf_addstr(t, "\r\n");
}

static void delegates(ys_buf *t, const ys_session *s)
{
    header(t, "code,name,gender,ethnicity,delegation,seat,roles,post,entitled");
    for (size_t i = 0; i < s->n_delegates; i++) {
        const ys_delegate *d = &s->delegates[i];
        char roles[256] = "";
        for (unsigned bit = 1; bit && bit <= d->roles; bit <<= 1)
            if ((d->roles & bit) && ys_role_key(bit))
                snprintf(roles + strlen(roles), sizeof roles - strlen(roles), "%s%s", *roles ? ";" : "", ys_role_key(bit));
        record(t, "ssssssssb", d->code, d->name, ys_gender_zh(d->gender), d->ethnicity,
               s->delegations[d->delegation - 1].name, d->seat, roles, d->post ? s->posts[d->post - 1].title : NULL,
               d->entitled);
    }
}

static void delegations(ys_buf *t, const ys_session *s)
{
    header(t, "id,name,members");
    for (size_t i = 0; i < s->n_delegations; i++)
        record(t, "dsd", s->delegations[i].id, s->delegations[i].name, s->delegations[i].members);
}

static void attendees(ys_buf *t, const ys_session *s)
{
    header(t, "id,name,kind,post,affiliation");
    for (size_t i = 0; i < s->n_attendees; i++) {
        const ys_attendee *a = &s->attendees[i];
        record(t, "dssss", a->id, a->name, a->kind == YS_OBSERVER ? "observer" : "attendee",
               a->post ? s->posts[a->post - 1].title : NULL, a->affiliation);
    }
}

static void meetings(ys_buf *t, const ys_session *s)
{
    header(t, "id,kind,title,delegation,day,opened_at,closed_at,entitled,present,on_leave,absent,quorum,quorate");
    for (size_t i = 0; i < s->n_meetings; i++) {
        const ys_meeting *m = &s->meetings[i];
        ys_attendance a = ys_meeting_attendance(s, m);
        char day[64], quorum[16] = "";
        ys_report_meeting_day(m, day, sizeof day);
        if (a.has_quorum)
            snprintf(quorum, sizeof quorum, "%d", a.quorum);
        record(t, "dssssssddddss", m->id, ys_meeting_kind_key(m->kind), m->title,
               m->delegation ? s->delegations[m->delegation - 1].name : NULL, day, m->opened_at, m->closed_at,
               a.entitled, a.present, a.on_leave, a.absent, quorum, a.has_quorum ? (ys__meeting_quorate(&a) ? "true" : "false") : "");
    }
}

/* Who of each meeting's base (all delegates for the assembly's meetings, the delegation's for its own) was present,
 * on leave or absent; never why (a leave's reason is not public). */
static void attendance(ys_buf *t, const ys_session *s)
{
    static const char *const words[] = {[YS_ABSENT] = "absent", [YS_PRESENT] = "present", [YS_ON_LEAVE] = "on_leave"};
    header(t, "meeting,code,name,delegation,presence");
    for (size_t i = 0; i < s->n_meetings; i++) {
        const ys_meeting *m = &s->meetings[i];
        for (size_t k = 0; k < s->n_delegates; k++) {
            const ys_delegate *d = &s->delegates[k];
            ys_presence pr = ys_meeting_presence(m, d->id);
            if ((!d->entitled && pr != YS_PRESENT) || (m->delegation && d->delegation != m->delegation))
                continue;
            record(t, "dssss", m->id, d->code, d->name, s->delegations[d->delegation - 1].name,
                   words[pr <= YS_ON_LEAVE ? pr : YS_ABSENT]);
        }
    }
}

static void polls(ys_buf *t, const ys_session *s)
{
    header(t, "id,title,meeting,item,method,named,majority,state,opened_at,closed_at,entitled,present,yes,no,abstain,"
              "not_voted,threshold,result,announced");
    for (size_t i = 0; i < s->n_polls; i++) {
        const ys_poll *p = &s->polls[i];
        const ys_vote_tally *v = &p->tally;
        char n[7][16] = {""};
        if (p->counted) { /* the numbers only once counted: a verifiable poll's wait for its trustees */
            int vals[7] = {v->entitled, v->present, v->yes, v->no, v->abstain, v->not_voted, p->result.threshold};
            for (int k = 0; k < 7; k++)
                snprintf(n[k], sizeof n[k], "%d", vals[k]);
        }
        record(t, "dsddsbssssssssssssb", p->id, p->title, p->meeting, p->item, ys_method_word(p->method), p->named,
               ys_majority_word(p->majority), ys_poll_state_word(p->state), p->opened_at, p->closed_at, n[0], n[1], n[2],
               n[3], n[4], n[5], n[6], p->counted ? (p->result.passed ? "pass" : "fail") : NULL, p->announcement != NULL);
    }
}

static long long num(const json_t *o, const char *key)
{
    return (long long)json_integer_value(json_object_get(o, key));
}

/* One row per candidate with the election's ballots beside it; an election not yet counted, one row without. */
static void elections(ys_buf *t, const ys_session *s)
{
    header(t, "election,office,kind,by_election,seats,meeting,state,issued,returned,valid_ballots,void_ballots,valid,"
              "candidate,yes,no,abstain,write_in,elected");
    for (size_t i = 0; i < s->n_elections; i++) {
        const ys_session_election *el = &s->elections[i];
        const json_t *res = el->result, *c;
        const char *kind = el->kind == YS_PRELIMINARY ? "preliminary" : el->round == YS_ROUND_FURTHER ? "further_round"
                           : el->round == YS_ROUND_RUNOFF                                            ? "runoff"
                                                                                                     : "election";
        size_t k;
        if (!res || !json_array_size(json_object_get(res, "candidates"))) {
            record(t, "dssbddsdssssssssss", el->id, ys_election_office_name(s, el), kind, el->by_election, el->seats,
                   el->meeting, ys_poll_state_word(el->state), el->issued, "", "", "", "", "", "", "", "", "", "");
            continue;
        }
        json_array_foreach(json_object_get(res, "candidates"), k, c) {
            char n[7][24];
            long long vals[7] = {num(res, "ballots_returned"), num(res, "ballots_valid"), num(res, "ballots_void"),
                                 num(c, "yes"), num(c, "no"), num(c, "abstain"), 0};
            for (int q = 0; q < 6; q++)
                snprintf(n[q], sizeof n[q], "%lld", vals[q]);
            bool chosen = json_is_true(json_object_get(c, el->kind == YS_PRELIMINARY ? "formal" : "elected"));
            record(t, "dssbddsdssssssssbb", el->id, ys_election_office_name(s, el), kind, el->by_election, el->seats,
                   el->meeting, ys_poll_state_word(el->state), el->issued, n[0], n[1], n[2],
                   json_is_true(json_object_get(res, "valid")) ? "true" : "false", json_string_value(json_object_get(c, "name")),
                   n[3], n[4], n[5], json_is_true(json_object_get(c, "write_in")), chosen);
        }
    }
}

char *ys_export_csv(const ys_session *s, const char *list, size_t *len, ys_err *err)
{
    static void (*const writers[])(ys_buf *, const ys_session *) = {
#define YS__LIST_FN(name) name,
        YS_EXPORT_CSV_LISTS(YS__LIST_FN)
#undef YS__LIST_FN
    };
    for (size_t i = 0; ys_export_csv_lists[i]; i++)
        if (list && strcmp(list, ys_export_csv_lists[i]) == 0) {
            ys_buf t;
            ys_buf_init(&t, YS_RDOC_MAX * 4);
            writers[i](&t, s);
            char *out = ys_buf_take(&t, len);
            if (!out)
                ys_fail(err, t.rc, "list", "the %s list cannot be written: %s", list, ys_rc_text_en(t.rc));
            return out;
        }
    ys_fail(err, YS_INVALID, "list", "no list '%s': the lists are delegates, delegations, attendees, meetings, "
            "attendance, polls, elections", list ? list : "");
    return NULL;
}
