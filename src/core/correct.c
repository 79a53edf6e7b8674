/* correct.c — corrections of delegates, agenda items and attendees (correct.h): the commands that check a
 * correction as the import would check the value, and the fold, which applies what the event sets only if
 * the record still holds what the event says it replaces, so a log edited out of order is refused. */
#include "yishi/correct.h"

#include "core/digest.h"
#include "core/fold.h"
#include "core/payload.h"
#include "core/text.h"

#include "yishi/alloc.h"

#include <string.h>

/* Field limits: the import's (import.c), so that no value a correction brings could not have been imported. */
#define NAME_MAX_BYTES 64
#define ETHNICITY_MAX_BYTES 32
#define TITLE_MAX_BYTES 300
#define PRESENTER_MAX_BYTES 120
#define AFFILIATION_MAX_BYTES 200
#define REASON_MAX_BYTES 200

/* ---- the commands: what changes, against the record ---- */

typedef struct change {
    json_t *set, *was;   /* the new values, and the record's before */
    ys_rc rc;
    ys_err *err;
} change;

static bool same_text(const char *a, const char *b) { return !strcmp(a ? a : "", b ? b : ""); }

static json_t *text_or_null(const char *v) { return v && *v ? json_string(v) : json_null(); }

/* Takes `to` and `from`: released when the change is already refused. */
static void put(change *ch, const char *field, json_t *to, json_t *from)
{
    if (ch->rc || !to || !from) {
        json_decref(to);
        json_decref(from);
        if (!ch->rc)
            ch->rc = ys_fail(ch->err, YS_NOMEM, NULL, "out of memory");
        return;
    }
    if (json_object_set_new(ch->set, field, to) | json_object_set_new(ch->was, field, from))
        ch->rc = ys_fail(ch->err, YS_NOMEM, NULL, "out of memory");
}

/* A text field: v (NULL: unchanged; "" clears it where `clears`) in place of `now`. */
static void text_field(change *ch, const char *field, const char *v, const char *now, size_t max, bool clears)
{
    if (ch->rc || !v)
        return;
    const char *why = *v || !clears ? ys_text_problem(v, max, true) : NULL;
    if (why)
        ch->rc = ys_fail(ch->err, YS_INVALID, field, "%s %s", field, why);
    else if (!same_text(v, now))
        put(ch, field, text_or_null(v), text_or_null(now));
}

/* A reference by id (0: none), `to` found for the name v, in place of `now`. */
static void ref_field(change *ch, const char *field, const char *v, int to, int now)
{
    if (ch->rc || !v || to == now)
        return;
    put(ch, field, json_integer(to), json_integer(now));
}

static void refuse_unknown(change *ch, const char *field, const char *v, bool found, const char *what)
{
    if (!ch->rc && v && *v && !found)
        ch->rc = ys_fail(ch->err, YS_NOT_FOUND, field, "%s '%.120s' is not in the session", what, v);
}

/* The event, once something differs: { key: id, reason, set, was }. */
static ys_rc emit(change *ch, const ys_ctx *c, const char *type, const char *key, int id, const char *reason,
                  const char *who, ys_events *out)
{
    const char *why = ys_text_problem(reason, REASON_MAX_BYTES, true);
    if (!ch->rc && why)
        ch->rc = ys_fail(ch->err, YS_INVALID, "reason", "a correction's reason %s", why);
    if (!ch->rc && !json_object_size(ch->set))
        ch->rc = ys_fail(ch->err, YS_CONFLICT, NULL, "nothing to correct: the record of %s already says so", who);
    if (ch->rc) {
        json_decref(ch->set);
        json_decref(ch->was);
        return ch->rc;
    }
    return ys_events_add(out, c->time, c->actor, type,
                         json_pack("{s:i, s:s, s:o, s:o}", key, id, "reason", reason, "set", ch->set, "was", ch->was),
                         ch->err);
}

static ys_rc begin(change *ch, const ys_session *s, ys_err *err)
{
    *ch = (change){.set = json_object(), .was = json_object(), .err = err};
    if (!ch->set || !ch->was)
        ch->rc = ys_fail(err, YS_NOMEM, NULL, "out of memory");
    else if (!ys_session_initialized(s))
        ch->rc = ys_fail(err, YS_STATE, NULL, "the session file has not been initialised (yishi init)");
    return ch->rc;
}

/* An open meeting of delegation id, or NULL. */
static const ys_meeting *open_meeting_of(const ys_session *s, int delegation)
{
    for (size_t i = 0; i < s->n_meetings; i++)
        if (s->meetings[i].open && s->meetings[i].delegation == delegation)
            return &s->meetings[i];
    return NULL;
}

static void delegation_field(change *ch, const ys_session *s, const ys_delegate *d, const char *v)
{
    const ys_delegation *to = v && *v ? ys_delegation_by_name(s, v) : NULL;
    if (!ch->rc && v && !*v)
        ch->rc = ys_fail(ch->err, YS_INVALID, "delegation", "every delegate belongs to a delegation");
    refuse_unknown(ch, "delegation", v, to, "delegation");
    const ys_meeting *m = to && to->id != d->delegation ? open_meeting_of(s, d->delegation) : NULL;
    if (!m && to && to->id != d->delegation)
        m = open_meeting_of(s, to->id);
    if (!ch->rc && m)
        ch->rc = ys_fail(ch->err, YS_STATE, "delegation", "meeting %d (%s) of %s is open: a delegate changes "
                         "delegation between its meetings", m->id, m->title, s->delegations[m->delegation - 1].name);
    ref_field(ch, "delegation", v, to ? to->id : 0, d->delegation);
}

ys_rc ys_cmd_delegate_correct(const ys_session *s, const ys_ctx *c, const char *code, const ys_delegate_fix *fix,
                              const char *reason, ys_events *out, ys_err *err)
{
    change ch;
    const ys_delegate *d = code ? ys_delegate_by_code(s, code) : NULL;
    if (begin(&ch, s, err) || (!d && (ch.rc = ys_fail(err, YS_NOT_FOUND, "delegate", "no delegate with code '%.40s'",
                                                    code ? code : ""))))
        return emit(&ch, c, "delegate.correct", "delegate", 0, reason, "", out);
    const char *gender = fix->gender ? ys_gender_parse(fix->gender) : NULL;
    const ys_post *post = fix->post && *fix->post ? ys_post_by_title(s, fix->post) : NULL;
    text_field(&ch, "name", fix->name, d->name, NAME_MAX_BYTES, false);
    if (!ch.rc && fix->gender && !gender)
        ch.rc = ys_fail(err, YS_INVALID, "gender", "gender '%.20s' is not 男 or 女 (M or F)", fix->gender);
    if (gender && strcmp(gender, d->gender == YS_GENDER_FEMALE ? "female" : "male"))
        put(&ch, "gender", json_string(gender), json_string(d->gender == YS_GENDER_FEMALE ? "female" : "male"));
    text_field(&ch, "ethnicity", fix->ethnicity, d->ethnicity, ETHNICITY_MAX_BYTES, false);
    delegation_field(&ch, s, d, fix->delegation);
    refuse_unknown(&ch, "post", fix->post, post, "post");
    ref_field(&ch, "post", fix->post, post ? post->id : 0, d->post);
    return emit(&ch, c, "delegate.correct", "delegate", d->id, reason, d->name, out);
}

ys_rc ys_cmd_item_correct(const ys_session *s, const ys_ctx *c, int item, const ys_item_fix *fix, const char *reason,
                          ys_events *out, ys_err *err)
{
    change ch;
    const ys_item *it = item >= 1 && (size_t)item <= s->n_items ? &s->items[item - 1] : NULL;
    if (begin(&ch, s, err) || (!it && (ch.rc = ys_fail(err, YS_NOT_FOUND, "item", "no agenda item %d", item))))
        return emit(&ch, c, "item.correct", "item", 0, reason, "", out);
    int kind = fix->kind ? ys_item_kind_parse(fix->kind) : 0;
    const ys_document *doc = fix->document && *fix->document ? ys_document_by_title(s, fix->document) : NULL;
    char who[48];
    snprintf(who, sizeof who, "agenda item %d", it->id);
    text_field(&ch, "title", fix->title, it->title, TITLE_MAX_BYTES, false);
    if (!ch.rc && fix->kind && !kind)
        ch.rc = ys_fail(err, YS_INVALID, "kind", "an agenda item's kind is deliberate, examine, hear, vote or elect, "
                        "not '%.20s'", fix->kind);
    if (kind && kind != (int)it->kind)
        put(&ch, "kind", json_string(ys_item_kind_key((ys_item_kind)kind)), json_string(ys_item_kind_key(it->kind)));
    text_field(&ch, "presenter", fix->presenter, it->presenter, PRESENTER_MAX_BYTES, true);
    refuse_unknown(&ch, "document", fix->document, doc, "document");
    ref_field(&ch, "document", fix->document, doc ? doc->id : 0, it->document);
    return emit(&ch, c, "item.correct", "item", it->id, reason, who, out);
}

ys_rc ys_cmd_attendee_correct(const ys_session *s, const ys_ctx *c, int attendee, const ys_attendee_fix *fix,
                              const char *reason, ys_events *out, ys_err *err)
{
    change ch;
    const ys_attendee *a = attendee >= 1 && (size_t)attendee <= s->n_attendees ? &s->attendees[attendee - 1] : NULL;
    if (begin(&ch, s, err) || (!a && (ch.rc = ys_fail(err, YS_NOT_FOUND, "attendee", "no attendee %d", attendee))))
        return emit(&ch, c, "attendee.correct", "attendee", 0, reason, "", out);
    const ys_post *post = fix->post && *fix->post ? ys_post_by_title(s, fix->post) : NULL;
    const char *now = a->kind == YS_OBSERVER ? "observer" : "attendee";
    text_field(&ch, "name", fix->name, a->name, NAME_MAX_BYTES, false);
    if (!ch.rc && fix->kind && strcmp(fix->kind, "attendee") && strcmp(fix->kind, "observer"))
        ch.rc = ys_fail(err, YS_INVALID, "kind", "an attendee is an attendee (列席) or an observer (旁听), not '%.20s'",
                        fix->kind);
    if (fix->kind && strcmp(fix->kind, now))
        put(&ch, "kind", json_string(fix->kind), json_string(now));
    refuse_unknown(&ch, "post", fix->post, post, "post");
    ref_field(&ch, "post", fix->post, post ? post->id : 0, a->post);
    text_field(&ch, "affiliation", fix->affiliation, a->affiliation, AFFILIATION_MAX_BYTES, true);
    return emit(&ch, c, "attendee.correct", "attendee", a->id, reason, a->name, out);
}

/* ---- the fold ---- */

/* The event's set and was, each an object with the same keys, all of them among `allowed`. */
static ys_rc read_change(const ys_event *ev, const char *const *allowed, const json_t **set, const json_t **was,
                         ys_err *err)
{
    const char *reason, *k;
    const json_t *v;
    ys_rc rc = ys_pl_str(ev->payload, "reason", &reason, err);
    *set = json_object_get(ev->payload, "set");
    *was = json_object_get(ev->payload, "was");
    if (!rc && (!json_is_object(*set) || !json_object_size(*set) || !json_is_object(*was) ||
                json_object_size(*set) != json_object_size(*was)))
        return ys_fail(err, YS_CORRUPT, "set", "a correction's set and was must name the same fields");
    json_object_foreach((json_t *)*set, k, v) {
        bool known = false;
        for (size_t i = 0; allowed[i] && !known; i++)
            known = !strcmp(allowed[i], k);
        if (!rc && (!known || !json_object_get(*was, k)))
            rc = ys_fail(err, YS_CORRUPT, k, "a correction of '%s' is not one this log can hold", k);
    }
    return rc;
}

/* The record still holds what `was` says it replaces. */
static ys_rc held_text(const json_t *was, const char *k, const char *now, ys_err *err)
{
    const json_t *w = json_object_get(was, k);
    if (!w || (json_is_null(w) ? now && *now : !json_is_string(w) || !same_text(json_string_value(w), now)))
        return ys_fail(err, YS_CORRUPT, k, "the correction replaces a %s the record does not hold", k);
    return YS_OK;
}

static ys_rc held_ref(const json_t *was, const char *k, int now, ys_err *err)
{
    const json_t *w = json_object_get(was, k);
    if (!json_is_integer(w) || json_integer_value(w) != now)
        return ys_fail(err, YS_CORRUPT, k, "the correction replaces a %s the record does not hold", k);
    return YS_OK;
}

/* A text field's new value into *slot (a NULL value clears it where `clears`). */
static ys_rc set_text(char **slot, const json_t *set, const char *k, bool clears, ys_err *err)
{
    const json_t *v = json_object_get(set, k);
    if (!v)
        return YS_OK;
    if (!json_is_string(v) && !(clears && json_is_null(v)))
        return ys_fail(err, YS_CORRUPT, k, "a corrected %s is no text", k);
    char *copy = json_is_string(v) ? ys_strdup(json_string_value(v)) : NULL;
    if (json_is_string(v) && !copy)
        return ys_fail(err, YS_NOMEM, NULL, "out of memory");
    ys_free(*slot);
    *slot = copy;
    return YS_OK;
}

/* A reference's new id into *slot: 1 … n, or 0 where `optional`. */
static ys_rc set_ref(int *slot, const json_t *set, const char *k, size_t n, bool optional, ys_err *err)
{
    int id = *slot;
    ys_rc rc = json_object_get(set, k) ? ys_fold_ref(set, k, n, optional, &id, err) : YS_OK;
    if (!rc)
        *slot = id;
    return rc;
}

static ys_rc delegate_held(const ys_delegate *d, const json_t *was, ys_err *err)
{
    const char *gender = d->gender == YS_GENDER_FEMALE ? "female" : "male";
    ys_rc rc = YS_OK;
    if (!rc && json_object_get(was, "name"))
        rc = held_text(was, "name", d->name, err);
    if (!rc && json_object_get(was, "gender"))
        rc = held_text(was, "gender", gender, err);
    if (!rc && json_object_get(was, "ethnicity"))
        rc = held_text(was, "ethnicity", d->ethnicity, err);
    if (!rc && json_object_get(was, "delegation"))
        rc = held_ref(was, "delegation", d->delegation, err);
    if (!rc && json_object_get(was, "post"))
        rc = held_ref(was, "post", d->post, err);
    return rc;
}

/* A member moves: both delegations' counts of their entitled members. */
static void move_member(ys_session *s, ys_delegate *d, int to)
{
    int from = d->delegation;
    ys__rec_out(s, YS_REC_DELEGATION, from, 0);
    ys__rec_out(s, YS_REC_DELEGATION, to, 0);
    if (d->entitled)
        s->delegations[from - 1].members--, s->delegations[to - 1].members++;
    d->delegation = to;
    ys__rec_in(s, YS_REC_DELEGATION, from, 0);
    ys__rec_in(s, YS_REC_DELEGATION, to, 0);
}

ys_rc ys_apply_delegate_correct(ys_session *s, const ys_event *ev, ys_err *err)
{
    static const char *const fields[] = {"name", "gender", "ethnicity", "delegation", "post", NULL};
    const json_t *set, *was, *g;
    int id, to = 0;
    ys_rc rc;
    if ((rc = ys_fold_ref(ev->payload, "delegate", s->n_delegates, false, &id, err)) ||
        (rc = read_change(ev, fields, &set, &was, err)) || (rc = delegate_held(&s->delegates[id - 1], was, err)))
        return rc;
    ys_delegate *d = &s->delegates[id - 1];
    to = d->delegation;
    if ((g = json_object_get(set, "gender")) && !ys_gender_parse(json_string_value(g) ? json_string_value(g) : ""))
        return ys_fail(err, YS_CORRUPT, "gender", "a corrected gender is male or female");
    if ((rc = set_ref(&to, set, "delegation", s->n_delegations, false, err)))
        return rc;
    int post = d->post;
    if ((rc = set_ref(&post, set, "post", s->n_posts, true, err)))
        return rc;
    ys__rec_out(s, YS_REC_DELEGATE, id, 0);
    if (!(rc = set_text(&d->name, set, "name", false, err)) && !(rc = set_text(&d->ethnicity, set, "ethnicity", false, err))) {
        if (g)
            d->gender = json_string_value(g)[0] == 'f' ? YS_GENDER_FEMALE : YS_GENDER_MALE;
        d->post = post;
        if (to != d->delegation)
            move_member(s, d, to);
    }
    ys__rec_in(s, YS_REC_DELEGATE, id, 0);
    return rc;
}

ys_rc ys_apply_item_correct(ys_session *s, const ys_event *ev, ys_err *err)
{
    static const char *const fields[] = {"title", "kind", "presenter", "document", NULL};
    const json_t *set, *was, *k;
    int id;
    ys_rc rc;
    if ((rc = ys_fold_ref(ev->payload, "item", s->n_items, false, &id, err)) ||
        (rc = read_change(ev, fields, &set, &was, err)))
        return rc;
    ys_item *it = &s->items[id - 1];
    int document = it->document, kind = it->kind;
    if ((json_object_get(was, "title") && (rc = held_text(was, "title", it->title, err))) ||
        (json_object_get(was, "kind") && (rc = held_text(was, "kind", ys_item_kind_key(it->kind), err))) ||
        (json_object_get(was, "presenter") && (rc = held_text(was, "presenter", it->presenter, err))) ||
        (json_object_get(was, "document") && (rc = held_ref(was, "document", it->document, err))) ||
        (rc = set_ref(&document, set, "document", s->n_documents, true, err)))
        return rc;
    if ((k = json_object_get(set, "kind")) && !(kind = ys_item_kind_parse(json_string_value(k) ? json_string_value(k) : "")))
        return ys_fail(err, YS_CORRUPT, "kind", "a corrected agenda item's kind is not one yishi knows");
    ys__rec_out(s, YS_REC_ITEM, id, 0);
    if (!(rc = set_text(&it->title, set, "title", false, err)) && !(rc = set_text(&it->presenter, set, "presenter", true, err)))
        it->document = document, it->kind = (ys_item_kind)kind;
    ys__rec_in(s, YS_REC_ITEM, id, 0);
    return rc;
}

ys_rc ys_apply_attendee_correct(ys_session *s, const ys_event *ev, ys_err *err)
{
    static const char *const fields[] = {"name", "kind", "post", "affiliation", NULL};
    const json_t *set, *was, *k;
    int id;
    ys_rc rc;
    if ((rc = ys_fold_ref(ev->payload, "attendee", s->n_attendees, false, &id, err)) ||
        (rc = read_change(ev, fields, &set, &was, err)))
        return rc;
    ys_attendee *a = &s->attendees[id - 1];
    int post = a->post;
    if ((json_object_get(was, "name") && (rc = held_text(was, "name", a->name, err))) ||
        (json_object_get(was, "kind") &&
         (rc = held_text(was, "kind", a->kind == YS_OBSERVER ? "observer" : "attendee", err))) ||
        (json_object_get(was, "post") && (rc = held_ref(was, "post", a->post, err))) ||
        (json_object_get(was, "affiliation") && (rc = held_text(was, "affiliation", a->affiliation, err))) ||
        (rc = set_ref(&post, set, "post", s->n_posts, true, err)))
        return rc;
    const char *kind = (k = json_object_get(set, "kind")) ? json_string_value(k) : NULL;
    if (k && (!kind || (strcmp(kind, "attendee") && strcmp(kind, "observer"))))
        return ys_fail(err, YS_CORRUPT, "kind", "a corrected attendee's kind is attendee or observer");
    ys__rec_out(s, YS_REC_ATTENDEE, id, 0);
    if (!(rc = set_text(&a->name, set, "name", false, err)) &&
        !(rc = set_text(&a->affiliation, set, "affiliation", true, err))) {
        a->post = post;
        if (kind)
            a->kind = kind[0] == 'o' ? YS_OBSERVER : YS_ATTENDEE;
    }
    ys__rec_in(s, YS_REC_ATTENDEE, id, 0);
    return rc;
}
