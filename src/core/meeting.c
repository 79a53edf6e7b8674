/* meeting.c — a meeting as it was held: its date and half-day, the people in each role (presiding, leading,
 * joining, attending, on the rostrum), the agenda items it took up, and the bulletins' numbers; as commands
 * and as the fold. Who spoke, and in which order, is speech.c's. */
#include "yishi/meeting.h"

#include "core/fold.h"
#include "core/payload.h"
#include "core/text.h"
#include "yishi/alloc.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* ---- words ---- */

static const char *const half_words[][3] = {
    [YS_HALF_MORNING] = {"morning", "上午", "am"},
    [YS_HALF_AFTERNOON] = {"afternoon", "下午", "pm"},
    [YS_HALF_EVENING] = {"evening", "晚上", "evening"},
};

int ys_half_day_parse(const char *word)
{
    for (int h = YS_HALF_MORNING; word && h <= YS_HALF_EVENING; h++)
        for (int k = 0; k < 3; k++)
            if (!strcmp(word, half_words[h][k]))
                return h;
    return 0;
}

const char *ys_half_day_key(ys_half_day h) { return h >= 1 && h <= 3 ? half_words[h][0] : "?"; }
const char *ys_half_day_zh(ys_half_day h) { return h >= 1 && h <= 3 ? half_words[h][1] : ""; }

static const struct { const char *key, *zh; } roles[] = {
#define YS__PROLE(name, n, key, zh) [n] = {key, zh},
    YS_PERSON_ROLE_MAP(YS__PROLE)
#undef YS__PROLE
};
#define N_ROLES ((int)(sizeof roles / sizeof *roles))

int ys_person_role_parse(const char *key)
{
    for (int r = 1; key && r < N_ROLES; r++)
        if (!strcmp(key, roles[r].key) || !strcmp(key, roles[r].zh))
            return r;
    return 0;
}

const char *ys_person_role_key(ys_person_role r) { return (int)r >= 1 && (int)r < N_ROLES ? roles[r].key : "?"; }
const char *ys_person_role_zh(ys_person_role r) { return (int)r >= 1 && (int)r < N_ROLES ? roles[r].zh : "?"; }

static int presents_parse(const char *key)
{
    if (!key)
        return 0;
    if (!strcmp(key, "report") || !strcmp(key, "作报告"))
        return YS_PRESENTS_REPORT;
    if (!strcmp(key, "explain") || !strcmp(key, "作说明"))
        return YS_PRESENTS_EXPLAIN;
    return 0;
}

static const char *presents_key(ys_presents p) { return p == YS_PRESENTS_EXPLAIN ? "explain" : "report"; }

/* ---- dates: a calendar day, and the ctx's time in Beijing ---- */

static bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* YYYY-MM-DD, a day that exists, from 1949 on (the congresses' years) to 2999. */
static bool calendar_date(const char *t)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, mo, d, n = 0;
    if (!t || strlen(t) != 10 || t[4] != '-' || t[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (t[i] < '0' || t[i] > '9'))
            return false;
    if (sscanf(t, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10 || y < 1949 || y > 2999 || mo < 1 || mo > 12)
        return false;
    return d >= 1 && d <= days[mo - 1] + (mo == 2 && leap(y));
}

/* The date and half-day in Beijing (UTC+8, no summer time) of an event time "2024-01-23T07:00:00.000Z". */
bool ys_beijing_day(const char *iso, char date[11], int *half)
{
    struct tm tm = {0};
    if (!iso || sscanf(iso, "%4d-%2d-%2dT%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min) != 5)
        return false;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    time_t t = timegm(&tm) + 8 * 3600;
    gmtime_r(&t, &tm);
    char text[32];
    snprintf(text, sizeof text, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    snprintf(date, 11, "%.10s", text);
    *half = tm.tm_hour < 12 ? YS_HALF_MORNING : tm.tm_hour < 18 ? YS_HALF_AFTERNOON : YS_HALF_EVENING;
    return calendar_date(date);
}

/* The date and half-day a command was given, each defaulting to the ctx's time in Beijing. */
ys_rc ys__held_words(const ys_ctx *c, const char *date, const char *half_day, char out[11], int *half, ys_err *err)
{
    int now_half = 0;
    char now[11] = "";
    if (date && !calendar_date(date))
        return ys_fail(err, YS_INVALID, "date", "'%.40s' is not a date: give the day as YYYY-MM-DD (2024-01-23)", date);
    if (half_day && !ys_half_day_parse(half_day))
        return ys_fail(err, YS_INVALID, "half_day",
                       "unknown half-day '%.40s' (上午/morning, 下午/afternoon, 晚上/evening)", half_day);
    if ((!date || !half_day) && !ys_beijing_day(c->time, now, &now_half))
        return ys_fail(err, YS_INVALID, "time", "the command's time '%.40s' is not a time", c->time);
    snprintf(out, 11, "%s", date ? date : now);
    *half = half_day ? ys_half_day_parse(half_day) : now_half;
    return YS_OK;
}

/* ---- people: delegates and attendees ---- */

ys_rc ys_person_find(const ys_session *s, const char *spec, const char *field, ys_person *out, ys_err *err)
{
    const ys_delegate *d = spec ? ys_delegate_by_code(s, spec) : NULL;
    int n = 0, id = 0;
    *out = (ys_person){0, 0};
    if (d) {
        out->delegate = d->id;
        return YS_OK;
    }
    if (spec && sscanf(spec, "attendee:%d%n", &id, &n) == 1 && spec[n] == '\0') {
        if (id < 1 || (size_t)id > s->n_attendees)
            return ys_fail(err, YS_NOT_FOUND, field, "no attendee %d on the attendees list", id);
        out->attendee = id;
        return YS_OK;
    }
    n = 0;
    for (size_t i = 0; spec && i < s->n_delegates; i++)
        if (!strcmp(s->delegates[i].name, spec) && ++n)
            out->delegate = (int)i + 1;
    for (size_t i = 0; spec && i < s->n_attendees; i++)
        if (!strcmp(s->attendees[i].name, spec) && ++n)
            out->attendee = (int)i + 1;
    if (n == 1)
        return YS_OK;
    *out = (ys_person){0, 0};
    if (n > 1)
        return ys_fail(err, YS_CONFLICT, field, "'%.60s' is the name of %d people: give a delegate's code or attendee:ID",
                       spec, n);
    return ys_fail(err, YS_NOT_FOUND, field,
                   "'%.60s' is neither a delegate nor on the attendees list (a delegate's code or name, attendee:ID or "
                   "an attendee's name)", spec ? spec : "");
}

const char *ys_person_name(const ys_session *s, ys_person p)
{
    return p.delegate ? s->delegates[p.delegate - 1].name : p.attendee ? s->attendees[p.attendee - 1].name : "";
}

static int person_post(const ys_session *s, ys_person p)
{
    return p.delegate ? s->delegates[p.delegate - 1].post : p.attendee ? s->attendees[p.attendee - 1].post : 0;
}

const char *ys_person_post(const ys_session *s, ys_person p)
{
    int post = person_post(s, p);
    return post ? s->posts[post - 1].title : NULL;
}

int ys_person_rank(const ys_session *s, ys_person p)
{
    int post = person_post(s, p);
    return post ? s->posts[post - 1].rank : INT_MAX;
}

static bool same_person(ys_person a, ys_person b) { return a.delegate == b.delegate && a.attendee == b.attendee; }

const ys_meeting_person *ys_meeting_person_in(const ys_meeting *m, ys_person_role role, ys_person p)
{
    for (size_t i = 0; i < m->n_people; i++)
        if (m->people[i].role == role && same_person(m->people[i].who, p))
            return &m->people[i];
    return NULL;
}

bool ys_meeting_guest(const ys_session *s, const ys_meeting *m, int delegate)
{
    ys_person p = {delegate, 0};
    bool member = !m->delegation || s->delegates[delegate - 1].delegation == m->delegation;
    return ys_meeting_person_in(m, YS_PERSON_JOINED, p) || (!member && ys_meeting_person_in(m, YS_PERSON_LEADER, p));
}

int ys_meeting_bulletin(const ys_session *s, int meeting)
{
    for (size_t i = s->n_bulletins; i > 0; i--)
        if (s->bulletins[i - 1].meeting == meeting)
            return s->bulletins[i - 1].number;
    return 0;
}

/* ---- commands ---- */

static ys_rc meeting_of(const ys_session *s, int meeting, const ys_meeting **m, ys_err *err)
{
    if (!ys_session_initialized(s))
        return ys_fail(err, YS_STATE, NULL, "the session file has not been initialised (yishi init)");
    if (!(*m = ys_meeting_get(s, meeting)))
        return meeting ? ys_fail(err, YS_NOT_FOUND, "meeting", "no meeting %d", meeting)
                       : ys_fail(err, YS_STATE, "meeting", "no meeting is open: name the meeting");
    return YS_OK;
}

ys_rc ys_cmd_meeting_held(const ys_session *s, const ys_ctx *c, int meeting, const char *date, const char *half_day,
                          ys_events *out, ys_err *err)
{
    const ys_meeting *m;
    char day[11];
    int half;
    ys_rc rc;
    if ((rc = meeting_of(s, meeting, &m, err)))
        return rc;
    if (!date || !half_day)
        return ys_fail(err, YS_INVALID, !date ? "date" : "half_day", "give both the date and the half-day it was held");
    if ((rc = ys__held_words(c, date, half_day, day, &half, err)))
        return rc;
    if (!strcmp(m->date, day) && m->half_day == half)
        return ys_fail(err, YS_CONFLICT, "date", "meeting %d is already recorded as held on %s %s", m->id, day,
                       ys_half_day_zh((ys_half_day)half));
    return ys_events_add(out, c->time, c->actor, "meeting.held",
                         json_pack("{s:i, s:s, s:s}", "meeting", m->id, "date", day, "half_day",
                                   ys_half_day_key((ys_half_day)half)), err);
}

/* Who may be in which role: the whole assembly's meetings have a rostrum and no one joins them (every delegate
 * is a member); a delegation's members are counted by check-in, so only others join or attend it. */
static ys_rc role_allowed(const ys_session *s, const ys_meeting *m, ys_person_role role, ys_person p, ys_err *err)
{
    bool whole = !m->delegation;
    const ys_delegate *d = p.delegate ? &s->delegates[p.delegate - 1] : NULL;
    bool member = d && (whole || d->delegation == m->delegation);
    const char *name = ys_person_name(s, p);
    if (d && !d->entitled)
        return ys_fail(err, YS_STATE, "person", "%s (%s) is no longer a delegate", d->name, d->code);
    if (whole && (role == YS_PERSON_LEADER || role == YS_PERSON_JOINED))
        return ys_fail(err, YS_INVALID, "role", "no one %s a meeting of the whole assembly: that is a delegation's",
                       role == YS_PERSON_LEADER ? "leads the delegates of" : "joins");
    if (!whole && role == YS_PERSON_ROSTRUM)
        return ys_fail(err, YS_INVALID, "role", "a delegation's meeting has no rostrum: that is a plenary's");
    if (member && (role == YS_PERSON_JOINED || role == YS_PERSON_ATTENDING))
        return ys_fail(err, YS_CONFLICT, "person", "%s is a delegate of this meeting: check them in instead", name);
    return YS_OK;
}

static json_t *person_payload(int meeting, const char *role, ys_person p)
{
    return json_pack("{s:i, s:s, s:i}", "meeting", meeting, "role", role, p.delegate ? "delegate" : "attendee",
                     p.delegate ? p.delegate : p.attendee);
}

ys_rc ys_cmd_meeting_person(const ys_session *s, const ys_ctx *c, int meeting, ys_person_role role, const char *who,
                            const char *group, bool remove, ys_events *out, ys_err *err)
{
    const ys_meeting *m;
    ys_person p;
    const char *why = ys_text_problem(group, 100, false);
    ys_rc rc;
    if ((rc = meeting_of(s, meeting, &m, err)))
        return rc;
    if ((int)role < 1 || (int)role >= N_ROLES)
        return ys_fail(err, YS_INVALID, "role", "unknown role (presiding, leader, joined, attending, rostrum)");
    if ((rc = ys_person_find(s, who, "person", &p, err)))
        return rc;
    const ys_meeting_person *was = ys_meeting_person_in(m, role, p);
    if (remove && !was)
        return ys_fail(err, YS_NOT_FOUND, "person", "%s is not recorded as %s at meeting %d", ys_person_name(s, p),
                       ys_person_role_key(role), m->id);
    if (!remove && was)
        return ys_fail(err, YS_CONFLICT, "person", "%s is already recorded as %s at meeting %d", ys_person_name(s, p),
                       ys_person_role_key(role), m->id);
    if (why)
        return ys_fail(err, YS_INVALID, "group", "group %s", why);
    if (group && *group && role != YS_PERSON_ROSTRUM)
        return ys_fail(err, YS_INVALID, "group", "only the rostrum has groups");
    if (!remove && (rc = role_allowed(s, m, role, p, err)))
        return rc;
    json_t *pl = person_payload(m->id, ys_person_role_key(role), p);
    if (pl && ((remove && json_object_set_new(pl, "remove", json_true())) ||
               (!remove && group && *group && json_object_set_new(pl, "group", json_string(group))))) {
        json_decref(pl);
        pl = NULL;
    }
    return ys_events_add(out, c->time, c->actor, "meeting.person", pl, err);
}

/* The document a take-up names (a title or an id), or the item's own; its version, the latest by default. */
static ys_rc takeup_document(const ys_session *s, const ys_item *it, const ys_takeup_args *a, int *doc, int *version,
                             ys_err *err)
{
    const ys_document *d = NULL;
    int id = 0, n = 0;
    if (a->document && sscanf(a->document, "%d%n", &id, &n) == 1 && a->document[n] == '\0')
        d = id >= 1 && (size_t)id <= s->n_documents ? &s->documents[id - 1] : NULL;
    else if (a->document)
        d = ys_document_by_title(s, a->document);
    else if (it->document)
        d = &s->documents[it->document - 1];
    if (a->document && !d)
        return ys_fail(err, YS_NOT_FOUND, "document", "no document '%.80s'", a->document);
    *doc = d ? d->id : 0;
    *version = a->version ? a->version : d ? (int)d->n_versions : 0;
    if (!d && a->version)
        return ys_fail(err, YS_INVALID, "version", "a version needs a document");
    if (d && a->version && (a->version < 1 || (size_t)a->version > d->n_versions))
        return ys_fail(err, YS_NOT_FOUND, "version", "'%s' has no version %d (it has %zu)", d->title, a->version,
                       d->n_versions);
    return YS_OK;
}

static ys_rc takeup_payload(const ys_session *s, int meeting, const ys_takeup_args *a, json_t **out, ys_err *err)
{
    const ys_item *it = &s->items[a->item - 1];
    int action = a->action ? ys_item_kind_parse(a->action) : (int)it->kind, doc = 0, version = 0, presents = 0;
    const char *why = ys_text_problem(a->body, 100, false);
    ys_person p = {0, 0};
    ys_rc rc;
    for (int k = YS_ITEM_DELIBERATE; a->action && !action && k <= YS_ITEM_ELECT; k++)
        action = !strcmp(a->action, ys_item_kind_zh((ys_item_kind)k)) ? k : 0;
    if (!action)
        return ys_fail(err, YS_INVALID, "action", "unknown way to take up an item '%.40s' (审议/deliberate, 审查/examine, "
                       "听取/hear, 表决/vote, 选举/elect)", a->action);
    if (a->presents && !(presents = presents_parse(a->presents)))
        return ys_fail(err, YS_INVALID, "presents", "unknown '%.40s' (作报告/report, 作说明/explain)", a->presents);
    if (why)
        return ys_fail(err, YS_INVALID, "body", "body %s", why);
    if ((rc = takeup_document(s, it, a, &doc, &version, err)) ||
        (a->presenter && (rc = ys_person_find(s, a->presenter, "presenter", &p, err))))
        return rc;
    if (presents && !a->presenter)
        return ys_fail(err, YS_INVALID, "presents", "who presents it? name the presenter");
    json_t *o = json_pack("{s:i, s:i, s:s}", "meeting", meeting, "item", a->item, "action",
                          ys_item_kind_key((ys_item_kind)action));
    if (o && ((doc && (json_object_set_new(o, "document", json_integer(doc)) ||
                       json_object_set_new(o, "version", json_integer(version)))) ||
              (a->presenter && (json_object_set_new(o, p.delegate ? "delegate" : "attendee",
                                                    json_integer(p.delegate ? p.delegate : p.attendee)) ||
                                json_object_set_new(o, "presents",
                                                    json_string(presents_key((ys_presents)presents))))) ||
              (a->body && *a->body && json_object_set_new(o, "body", json_string(a->body))))) {
        json_decref(o);
        o = NULL;
    }
    *out = o;
    return YS_OK;
}

ys_rc ys_cmd_meeting_takeup(const ys_session *s, const ys_ctx *c, int meeting, const ys_takeup_args *a, ys_events *out,
                            ys_err *err)
{
    const ys_meeting *m;
    json_t *p = NULL;
    ys_rc rc;
    if ((rc = meeting_of(s, meeting, &m, err)))
        return rc;
    if (a->item < 1 || (size_t)a->item > s->n_items)
        return ys_fail(err, YS_NOT_FOUND, "item", "no agenda item %d", a->item);
    for (size_t i = 0; i < m->n_takeups; i++)
        if (m->takeups[i].item == a->item)
            return ys_fail(err, YS_CONFLICT, "item", "meeting %d has already taken up item %d (%s)", m->id, a->item,
                           s->items[a->item - 1].title);
    if ((rc = takeup_payload(s, m->id, a, &p, err)))
        return rc;
    return ys_events_add(out, c->time, c->actor, "meeting.takeup", p, err);
}

ys_rc ys_cmd_bulletin_issue(const ys_session *s, const ys_ctx *c, int meeting, ys_events *out, ys_err *err)
{
    const ys_meeting *m;
    ys_rc rc = meeting_of(s, meeting, &m, err);
    if (rc)
        return rc;
    return ys_events_add(out, c->time, c->actor, "bulletin.issue",
                         json_pack("{s:i, s:i}", "number", (int)s->n_bulletins + 1, "meeting", m->id), err);
}

/* ---- the fold ---- */

static ys_rc read_held(const json_t *p, bool required, char date[11], int *half, ys_err *err)
{
    const char *d, *h;
    ys_rc rc = required ? ys_pl_str(p, "date", &d, err) : ys_pl_str_opt(p, "date", &d, err);
    if (rc || (rc = required ? ys_pl_str(p, "half_day", &h, err) : ys_pl_str_opt(p, "half_day", &h, err)))
        return rc;
    if (!d && !h)
        return YS_OK;
    if (!d || !h || !calendar_date(d) || !(*half = ys_half_day_parse(h)))
        return ys_fail(err, YS_CORRUPT, "date", "a meeting's date or half-day in an event is not one");
    snprintf(date, 11, "%s", d);
    return YS_OK;
}

ys_rc ys__meeting_open_held(ys_meeting *m, const json_t *payload, ys_err *err)
{
    return read_held(payload, false, m->date, &m->half_day, err);
}

static ys_rc meeting_ref(ys_session *s, const json_t *p, ys_meeting **out, ys_err *err)
{
    int id;
    ys_rc rc = ys_fold_ref(p, "meeting", s->n_meetings, false, &id, err);
    if (rc)
        return rc;
    *out = &s->meetings[id - 1];
    ys__rec_out(s, YS_REC_HELD, id, 0); /* every event that names a meeting here changes it as held */
    return YS_OK;
}

ys_rc ys_apply_meeting_held(ys_session *s, const ys_event *ev, ys_err *err)
{
    ys_meeting *m;
    char date[11] = "";
    int half = 0;
    ys_rc rc;
    if ((rc = read_held(ev->payload, true, date, &half, err)) || (rc = meeting_ref(s, ev->payload, &m, err)))
        return rc;
    memcpy(m->date, date, sizeof m->date);
    m->half_day = half;
    ys__rec_in(s, YS_REC_HELD, m->id, 0);
    return YS_OK;
}

/* A person an event names: a delegate or an attendee, exactly one (both 0 when optional and absent). */
static ys_rc read_person(ys_session *s, const json_t *p, bool optional, ys_person *out, ys_err *err)
{
    ys_rc rc;
    *out = (ys_person){0, 0};
    if ((json_object_get(p, "delegate") && (rc = ys_fold_ref(p, "delegate", s->n_delegates, false, &out->delegate, err))) ||
        (json_object_get(p, "attendee") && (rc = ys_fold_ref(p, "attendee", s->n_attendees, false, &out->attendee, err))))
        return rc;
    if ((out->delegate && out->attendee) || (!optional && !out->delegate && !out->attendee))
        return ys_fail(err, YS_CORRUPT, "delegate", "an event names not one person but %s",
                       out->delegate ? "two" : "none");
    return YS_OK;
}

static ys_rc read_remove(const json_t *p, bool *remove, ys_err *err)
{
    const json_t *v = json_object_get(p, "remove");
    if (v && !json_is_boolean(v))
        return ys_fail(err, YS_CORRUPT, "remove", "event field 'remove' is not true or false");
    *remove = json_is_true(v);
    return YS_OK;
}

static ys_rc person_out(ys_meeting *m, ys_person_role role, ys_person who, ys_err *err)
{
    const ys_meeting_person *was = ys_meeting_person_in(m, role, who);
    if (!was)
        return ys_fail(err, YS_CORRUPT, "person", "an event takes back a person not recorded in that role");
    size_t i = (size_t)(was - m->people);
    ys_free(m->people[i].group);
    memmove(&m->people[i], &m->people[i + 1], (m->n_people - i - 1) * sizeof *m->people);
    m->n_people--;
    return YS_OK;
}

ys_rc ys_apply_meeting_person(ys_session *s, const ys_event *ev, ys_err *err)
{
    const json_t *p = ev->payload;
    const char *role_key, *group;
    ys_meeting *m;
    ys_person who = {0, 0};
    bool remove = false;
    ys_rc rc;
    if ((rc = ys_pl_str(p, "role", &role_key, err)) || (rc = ys_pl_str_opt(p, "group", &group, err)) ||
        (rc = read_remove(p, &remove, err)) || (rc = read_person(s, p, false, &who, err)))
        return rc;
    int role = ys_person_role_parse(role_key);
    if (!role)
        return ys_fail(err, YS_CORRUPT, "role", "role '%s' in event", role_key);
    if ((rc = meeting_ref(s, p, &m, err)))
        return rc;
    if (remove)
        rc = person_out(m, (ys_person_role)role, who, err);
    else if (ys_meeting_person_in(m, (ys_person_role)role, who))
        rc = ys_fail(err, YS_CORRUPT, "person", "a person recorded twice in one role at meeting %d", m->id);
    else if (ys_grow((void **)&m->people, &m->cap_people, m->n_people + 1, sizeof *m->people))
        rc = ys_fold_nomem(ev, err);
    else {
        m->people[m->n_people] = (ys_meeting_person){(ys_person_role)role, who, ys_strdup(group)};
        if (group && !m->people[m->n_people].group)
            return ys_fold_nomem(ev, err);
        m->n_people++;
    }
    if (rc)
        return rc;
    ys__rec_in(s, YS_REC_HELD, m->id, 0);
    return YS_OK;
}

static ys_rc read_takeup(ys_session *s, const json_t *p, ys_takeup *t, ys_err *err)
{
    const char *action, *presents, *body;
    long long version = 0;
    ys_rc rc;
    if ((rc = ys_fold_ref(p, "item", s->n_items, false, &t->item, err)) || (rc = ys_pl_str(p, "action", &action, err)) ||
        (json_object_get(p, "document") && (rc = ys_fold_ref(p, "document", s->n_documents, false, &t->document, err))) ||
        (rc = ys_pl_str_opt(p, "presents", &presents, err)) || (rc = ys_pl_str_opt(p, "body", &body, err)) ||
        (rc = read_person(s, p, true, &t->presenter, err)) ||
        (t->document && (rc = ys_pl_int(p, "version", 0, (long long)s->documents[t->document - 1].n_versions, &version,
                                        err))))
        return rc;
    t->version = (int)version;
    t->action = (ys_item_kind)ys_item_kind_parse(action);
    t->presents = (ys_presents)presents_parse(presents);
    if (!t->action || (presents && !t->presents) || (!presents != !(t->presenter.delegate || t->presenter.attendee)))
        return ys_fail(err, YS_CORRUPT, "action", "a take-up's action or presenter in an event is not one");
    t->body = (char *)body;
    return YS_OK;
}

ys_rc ys_apply_meeting_takeup(ys_session *s, const ys_event *ev, ys_err *err)
{
    ys_takeup t = {0};
    ys_meeting *m;
    ys_rc rc;
    if ((rc = read_takeup(s, ev->payload, &t, err)))
        return rc;
    if ((rc = meeting_ref(s, ev->payload, &m, err)))
        return rc;
    for (size_t i = 0; i < m->n_takeups; i++)
        if (m->takeups[i].item == t.item)
            return ys_fail(err, YS_CORRUPT, "item", "item %d taken up twice at meeting %d", t.item, m->id);
    if (ys_grow((void **)&m->takeups, &m->cap_takeups, m->n_takeups + 1, sizeof *m->takeups))
        return ys_fold_nomem(ev, err);
    if (t.body && !(t.body = ys_strdup(t.body)))
        return ys_fold_nomem(ev, err);
    m->takeups[m->n_takeups++] = t;
    ys__rec_in(s, YS_REC_HELD, m->id, 0);
    return YS_OK;
}

ys_rc ys_apply_bulletin_issue(ys_session *s, const ys_event *ev, ys_err *err)
{
    long long number;
    int meeting;
    ys_rc rc;
    if ((rc = ys_pl_int(ev->payload, "number", 1, INT_MAX, &number, err)) ||
        (rc = ys_fold_ref(ev->payload, "meeting", s->n_meetings, false, &meeting, err)))
        return rc;
    if ((size_t)number != s->n_bulletins + 1)
        return ys_fail(err, YS_CORRUPT, "number", "bulletin %lld issued where %zu was next", number, s->n_bulletins + 1);
    if (ys_grow((void **)&s->bulletins, &s->cap_bulletins, s->n_bulletins + 1, sizeof *s->bulletins))
        return ys_fold_nomem(ev, err);
    ys_bulletin_issue *b = &s->bulletins[s->n_bulletins++];
    b->number = (int)number;
    b->meeting = meeting;
    snprintf(b->time, sizeof b->time, "%s", ev->time);
    ys__rec_in(s, YS_REC_BULLETIN, b->number, 0);
    return YS_OK;
}

void ys__meeting_held_free(ys_meeting *m)
{
    for (size_t i = 0; i < m->n_people; i++)
        ys_free(m->people[i].group);
    for (size_t i = 0; i < m->n_takeups; i++)
        ys_free(m->takeups[i].body);
    ys_free(m->people);
    ys_free(m->takeups);
}
