/* view.c — the session as the API shows it: JSON for each kind of thing in the state, and what each
 * audience of a live stream may see of each event type (the board never sees a vote's choice). */
#include "server/server.h"

#include "yishi/speech.h"

#include <string.h>

static json_t *str_or_null(const char *s) { return s ? json_string(s) : json_null(); }

json_t *ys_view_rules(const ys_rules *r)
{
    json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "id", r->id, "level", r->level, "name", r->name, "statute",
                          r->statute);
    json_t *q = json_pack("{s:s}", "article", r->quorum.article);
    if (q && r->quorum.den)
        json_object_set_new(q, "share", json_sprintf("%d/%d %s", r->quorum.num, r->quorum.den,
                                                     r->quorum.cmp == YS_CMP_AT_LEAST ? "at_least" : "more_than"));
    else if (q)
        json_object_set_new(q, "count", json_integer(r->quorum.count));
    json_object_set_new(o, "quorum", q);
    /* The offices it elects, as a page lists them to choose from: the key to send and the name to show. */
    json_t *offices = json_array();
    for (size_t i = 0; offices && i < r->n_offices; i++)
        json_array_append_new(offices, json_pack("{s:s, s:s, s:s}", "key", r->offices[i].key, "name",
                                                 r->offices[i].name, "article", r->offices[i].article));
    json_object_set_new(o, "offices", offices);
    json_object_set_new(o, "source", json_stringn(r->source ? r->source : "", r->source ? r->source_len : 0));
    return o;
}

json_t *ys_view_session(const ys_session *s)
{
    char title[512], head[YS_HASH_HEX];
    ys_session_title(s, title, sizeof title);
    ys_hash_hex(s->head, head);
    json_t *o = json_pack("{s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:I, s:s}", "id", s->session_id, "title", title,
                          "assembly", s->assembly, "term", s->term, "name", s->name, "rules",
                          s->rules ? s->rules->id : NULL, "seq", (json_int_t)s->seq, "head", head);
    json_t *n = json_pack("{s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i}", "delegations", (int)s->n_delegations,
                          "delegates", (int)s->n_delegates, "entitled", s->entitled, "attendees", (int)s->n_attendees,
                          "posts", (int)s->n_posts, "agenda", (int)s->n_items, "documents", (int)s->n_documents,
                          "meetings", (int)s->n_meetings);
    json_object_set_new(o, "counts", n);
    json_object_set_new(o, "current_meeting", s->current_meeting ? json_integer(s->current_meeting) : json_null());
    return o;
}

json_t *ys_view_delegation(const ys_session *s, const ys_delegation *d)
{
    (void)s;
    return json_pack("{s:i, s:s, s:i}", "id", d->id, "name", d->name, "members", d->members);
}

json_t *ys_view_delegate(const ys_session *s, const ys_delegate *d)
{
    json_t *roles = json_array();
    for (unsigned bit = 0; bit < 32; bit++)
        if (d->roles & (1u << bit))
            json_array_append_new(roles, json_string(ys_role_key(1u << bit)));
    json_t *o = json_pack("{s:i, s:s, s:s, s:s, s:s, s:i, s:s, s:o, s:o, s:o, s:b}", "id", d->id, "code", d->code,
                          "name", d->name, "gender", d->gender == YS_GENDER_FEMALE ? "female" : "male", "ethnicity",
                          d->ethnicity, "delegation", d->delegation, "delegation_name",
                          s->delegations[d->delegation - 1].name, "seat", str_or_null(d->seat), "roles", roles,
                          "post", d->post ? json_string(s->posts[d->post - 1].title) : json_null(), "entitled",
                          d->entitled);
    return o;
}

json_t *ys_view_attendance(const ys_attendance *a)
{
    json_t *o = json_pack("{s:i, s:i, s:i, s:i}", "entitled", a->entitled, "present", a->present, "on_leave",
                          a->on_leave, "absent", a->absent);
    json_object_set_new(o, "quorum", a->has_quorum ? json_integer(a->quorum) : json_null());
    json_object_set_new(o, "quorate", a->has_quorum ? json_boolean(a->quorate) : json_null());
    return o;
}

json_t *ys_view_meeting(const ys_session *s, const ys_meeting *m)
{
    ys_attendance a = ys_meeting_attendance(s, m);
    json_t *o = json_pack("{s:i, s:s, s:s, s:s, s:o, s:b, s:s, s:o}", "id", m->id, "kind", ys_meeting_kind_key(m->kind),
                          "kind_zh", ys_meeting_kind_zh(m->kind), "title", m->title, "delegation",
                          m->delegation ? json_string(s->delegations[m->delegation - 1].name) : json_null(), "open",
                          m->open, "opened_at", m->opened_at, "closed_at",
                          m->closed_at[0] ? json_string(m->closed_at) : json_null());
    json_object_set_new(o, "item", m->item ? json_integer(m->item) : json_null());
    json_object_set_new(o, "attendance", ys_view_attendance(&a));
    return o;
}

json_t *ys_view_document(const ys_document *d, bool versions)
{
    json_t *o = json_pack("{s:i, s:s, s:i}", "id", d->id, "title", d->title, "versions_count", (int)d->n_versions);
    if (!versions || !o)
        return o;
    json_t *v = json_array();
    for (size_t i = 0; i < d->n_versions; i++) {
        const ys_doc_version *dv = &d->versions[i];
        json_array_append_new(v, json_pack("{s:i, s:s, s:I, s:o, s:s}", "number", dv->number, "hash", dv->hash,
                                           "size", (json_int_t)dv->size, "note", str_or_null(dv->note), "time",
                                           dv->time));
    }
    json_object_set_new(o, "versions", v);
    return o;
}

json_t *ys_view_item(const ys_item *it)
{
    return json_pack("{s:i, s:i, s:s, s:s, s:s, s:o, s:o}", "id", it->id, "order", it->order, "kind",
                     ys_item_kind_key(it->kind), "kind_zh", ys_item_kind_zh(it->kind), "title", it->title, "presenter",
                     str_or_null(it->presenter), "document", it->document ? json_integer(it->document) : json_null());
}

/* ---- who may see what: the one table ---- */

ys_viewer ys_srv_viewer(const ys_session *s, const ys_principal *who)
{
    ys_viewer v = {who ? who->role : YS_AUTH_OBSERVER, 0};
    const ys_delegation *d = NULL;
    if (v.role == YS_AUTH_DELEGATION_SECRETARY && (d = ys_delegation_by_name(s, who->delegation)))
        v.delegation = d->id;
    return v;
}

bool ys_srv_viewer_is_staff(const ys_viewer *v) { return (YS_R_STAFF & (1u << v->role)) != 0; }

/* For each thing not everyone may see, the roles that see it anywhere, those that see it when it belongs
 * to their own delegation, and those that see it when it belongs to the whole assembly (docs/api.md,
 * "Who sees what"). A leave reason is the delegate's private matter: the secretariat, which keeps the
 * attendance, and the delegate's own delegation secretary. What a speaker said is the secretary's notes
 * for the bulletin: the secretariat and the chair (the presidium reads the bulletins), and the secretary
 * of the delegation whose meeting it was, or every delegation secretary for the whole assembly's. */
static const struct {
    unsigned anywhere, own, whole;
} may_see[] = {
    [YS_SECRET_LEAVE_REASON] = {YS_R_SECRETARIAT, YS_R_DSEC, 0},
    [YS_SECRET_SPEECH_SUMMARY] = {YS_R_SECRETARIAT | YS_R_CHAIR, YS_R_DSEC, YS_R_DSEC},
};

bool ys_srv_may_see(const ys_viewer *v, ys_secret what, int delegation)
{
    unsigned bit = 1u << v->role;
    if (may_see[what].anywhere & bit)
        return true;
    if (delegation == 0)
        return (may_see[what].whole & bit) != 0;
    return (may_see[what].own & bit) && v->delegation == delegation;
}

/* The delegation an attendance event's delegate belongs to. */
static int delegate_owner(const ys_session *s, const json_t *p)
{
    json_int_t id = json_integer_value(json_object_get(p, "delegate"));
    return id >= 1 && (size_t)id <= s->n_delegates ? s->delegates[id - 1].delegation : -1;
}

/* The delegation whose meeting a speech was at; 0 for the whole assembly's meetings. */
static int speech_owner(const ys_session *s, const json_t *p)
{
    const ys_speech *sp = ys_speech_get(s, (int)json_integer_value(json_object_get(p, "speech")));
    const ys_meeting *m = sp ? ys_meeting_get(s, sp->meeting) : NULL;
    return m ? m->delegation : -1;
}

/* Where each secret of the table above sits in an event, and whose it is. */
static const struct {
    const char *field;
    int (*owner)(const ys_session *s, const json_t *payload); /* -1: unknown, shown to `anywhere` only */
} secret_fields[] = {
    [YS_SECRET_LEAVE_REASON] = {"reason", delegate_owner},
    [YS_SECRET_SPEECH_SUMMARY] = {"summary", speech_owner},
};

/* The secret each event type carries, from the one table (include/yishi/events.def); -1 for none. */
#define SECRET_NONE (-1)
#define SECRET_LEAVE_REASON YS_SECRET_LEAVE_REASON
#define SECRET_SPEECH_SUMMARY YS_SECRET_SPEECH_SUMMARY
static const int event_secret[YS_EV_N] = {
#define YS_EVENT(id, type, apply, view, secret, tables, vote) [YS_EV_##id] = SECRET_##secret,
#include "yishi/events.def"
#undef YS_EVENT
};

static int secret_of(const ys_event *ev)
{
    const ys_event_type *t = ys_event_type_of(ev->type);
    return t ? event_secret[t - ys_event_types] : SECRET_NONE;
}

int ys_srv_event_owner(const ys_session *s, const ys_event *ev)
{
    int what = secret_of(ev);
    return what == SECRET_NONE ? -1 : secret_fields[what].owner(s, ev->payload);
}

json_t *ys_srv_event_redact(const ys_event *ev, json_t *payload, const ys_viewer *v, int owner)
{
    int what = secret_of(ev);
    if (!payload || what == SECRET_NONE)
        return payload;
    if (owner < 0 ? !(may_see[what].anywhere & (1u << v->role)) : !ys_srv_may_see(v, (ys_secret)what, owner))
        json_object_del(payload, secret_fields[what].field);
    return payload;
}

/* ---- live streams: what each audience sees of each event type ---- */

/* What one audience is shown of an event. */
typedef enum shown {
    SHOW_NOTHING,
    SHOW_ALL,
    SHOW_ALL_BUT_RULES, /* the rule set's text is long and public at GET /api/rules */
    SHOW_ALL_BUT_MIX,   /* a shuffle's output and proof are megabytes; the exported log has them */
    SHOW_WHO_VOTED,     /* a vote without its choice */
    SHOW_THAT_ONE_VOTED /* a vote without its choice and without who: the board's turnout */
} shown;

/* The one table of what each audience sees of each kind of event (events.def gives each type its kind).
 * A vote's choice is never streamed, to anyone, while it could sway others: a stream learns only that
 * someone voted and, if staff, who; the totals come with the close. */
static const shown shows[YS_VIEW_N][YS_AUTH_N_ROLES] = {
    /*                        observer (board)      secretariat         chair               delegation secretary  delegate             trustee (监票人) */
    [YS_VIEW_ALL] =           {SHOW_ALL,            SHOW_ALL,           SHOW_ALL,           SHOW_ALL,             SHOW_ALL,            SHOW_ALL},
    [YS_VIEW_ALL_BUT_RULES] = {SHOW_ALL_BUT_RULES,  SHOW_ALL_BUT_RULES, SHOW_ALL_BUT_RULES, SHOW_ALL_BUT_RULES,   SHOW_ALL_BUT_RULES,  SHOW_ALL_BUT_RULES},
    [YS_VIEW_ALL_BUT_MIX] =   {SHOW_ALL_BUT_MIX,    SHOW_ALL_BUT_MIX,   SHOW_ALL_BUT_MIX,   SHOW_ALL_BUT_MIX,     SHOW_ALL_BUT_MIX,    SHOW_ALL_BUT_MIX},
    [YS_VIEW_TURNOUT] =       {SHOW_THAT_ONE_VOTED, SHOW_WHO_VOTED,     SHOW_WHO_VOTED,     SHOW_WHO_VOTED,       SHOW_THAT_ONE_VOTED, SHOW_THAT_ONE_VOTED},
    [YS_VIEW_STAFF] =         {SHOW_NOTHING,        SHOW_ALL,           SHOW_ALL,           SHOW_ALL,             SHOW_NOTHING,        SHOW_NOTHING},
    [YS_VIEW_NEVER] =         {SHOW_NOTHING,        SHOW_NOTHING,       SHOW_NOTHING,       SHOW_NOTHING,         SHOW_NOTHING,        SHOW_NOTHING},
};

/* A copy of the payload without `drop`'s keys: a shallow copy, a shuffle's output is not worth copying to
 * be deleted. */
static json_t *payload_without(const json_t *payload, const char *const *drop)
{
    json_t *p = json_object(), *v;
    const char *k;
    json_object_foreach((json_t *)payload, k, v) {
        bool dropped = false;
        for (size_t i = 0; drop[i] && !dropped; i++)
            dropped = strcmp(k, drop[i]) == 0;
        if (!dropped && p && json_object_set_new(p, k, json_deep_copy(v))) {
            json_decref(p);
            return NULL;
        }
    }
    return p;
}

static json_t *shown_payload(const ys_event *ev, shown how)
{
    static const char *const mix[] = {"output", "proof", NULL};
    if (how == SHOW_ALL_BUT_MIX)
        return payload_without(ev->payload, mix);
    json_t *p = how == SHOW_NOTHING ? NULL : json_deep_copy(ev->payload);
    if (!p || how == SHOW_ALL)
        return p;
    if (how == SHOW_ALL_BUT_RULES) {
        json_object_del(p, "rules_text");
        return p;
    }
    json_object_del(p, "choice");
    json_object_del(p, "ballot"); /* an encrypted ballot: the board's API serves it, the stream only its code */
    if (how == SHOW_THAT_ONE_VOTED)
        json_object_del(p, "delegate");
    return p;
}

json_t *ys_srv_event_view(const ys_event *ev, const ys_viewer *v, int owner)
{
    const ys_event_type *t = ys_event_type_of(ev->type);
    /* A type the table does not know is shown to no one; a sealed ballot's content never leaves the box. */
    if (!t || ev->sealed || (unsigned)v->role >= YS_AUTH_N_ROLES)
        return NULL;
    json_t *payload = ys_srv_event_redact(ev, shown_payload(ev, shows[t->view][v->role]), v, owner);
    if (!payload)
        return NULL;
    return json_pack("{s:I, s:s, s:s, s:o}", "seq", (json_int_t)ev->seq, "time", ev->time, "type", ev->type,
                     "payload", payload);
}
