/* apply.c — the fold: how each kind of event changes the session's state. Commands have already
 * validated what they emit, but a log read from disk may be corrupt, so every handler checks ids
 * and fields before it changes anything and refuses with YS_CORRUPT instead of crashing. */
#include "yishi/session.h"

#include "core/fold.h"
#include "core/map.h"
#include "core/payload.h"
#include "yishi/alloc.h"

#include <sodium.h>
#include <string.h>

#define ID_MAX 100000000LL

static ys_rc nomem(ys_err *err, const ys_event *ev) { return ys_fold_nomem(ev, err); }

ys_rc ys_fold_nomem(const ys_event *ev, ys_err *err)
{
    return ys_fail(err, YS_NOMEM, NULL, "out of memory applying event %lld", (long long)ev->seq);
}

int ys_fold_cover(uint8_t **v, size_t *cap, size_t need)
{
    if (*cap >= need)
        return 0;
    size_t ncap = need < 64 ? 64 : need * 2;
    uint8_t *nv = ys_realloc(*v, ncap);
    if (!nv)
        return -1;
    memset(nv + *cap, 0, ncap - *cap);
    *v = nv;
    *cap = ncap;
    return 0;
}

ys_rc ys_fold_next_id(const json_t *p, size_t n, ys_err *err)
{
    long long id;
    ys_rc rc = ys_pl_int(p, "id", 1, ID_MAX, &id, err);
    if (rc)
        return rc;
    if ((size_t)id != n + 1)
        return ys_fail(err, YS_CORRUPT, "id", "event gives id %lld where %zu was next", id, n + 1);
    return YS_OK;
}

ys_rc ys_fold_ref(const json_t *p, const char *key, size_t n, bool optional, int *out, ys_err *err)
{
    long long id = 0;
    *out = 0;
    ys_rc rc = ys_pl_int(p, key, optional ? 0 : 1, (long long)n, &id, err);
    if (rc)
        return ys_fail(err, YS_CORRUPT, key, "event refers to a %s that does not exist", key);
    *out = (int)id;
    return YS_OK;
}

static ys_rc apply_init(ys_session *s, const ys_event *ev, ys_err *err)
{
    const json_t *p = ev->payload;
    const char *assembly, *term, *name, *rules_text;
    ys_rc rc;
    if (ys_session_initialized(s))
        return ys_fail(err, YS_CORRUPT, NULL, "session.init after the session was initialised");
    if ((rc = ys_pl_str(p, "assembly", &assembly, err)) || (rc = ys_pl_str(p, "term", &term, err)) ||
        (rc = ys_pl_str(p, "name", &name, err)) || (rc = ys_pl_str(p, "rules_text", &rules_text, err)))
        return rc;
    ys_diags diags;
    ys_diags_init(&diags);
    ys_rules *rules = NULL;
    rc = ys_rules_parse(rules_text, strlen(rules_text), &rules, &diags);
    if (rc == YS_NOMEM) {
        ys_diags_free(&diags);
        return nomem(err, ev);
    }
    if (rc) {
        ys_fail(err, YS_CORRUPT, "rules_text", "the recorded rule set does not parse: %s",
                diags.n ? diags.v[0].msg : ys_rc_text_en(rc));
        ys_diags_free(&diags);
        return err ? err->rc : YS_CORRUPT;
    }
    ys_diags_free(&diags);
    s->assembly = ys_strdup(assembly);
    s->term = ys_strdup(term);
    s->name = ys_strdup(name);
    s->rules = rules;
    uint8_t h[YS_HASH_BYTES];
    crypto_generichash(h, sizeof h, (const uint8_t *)rules_text, strlen(rules_text), NULL, 0);
    ys_hash_hex(h, s->rules_digest);
    ys_hash_hex(ev->hash, s->session_id);
    if (!s->assembly || !s->term || !s->name)
        return nomem(err, ev);
    return YS_OK;
}

static ys_rc apply_post(ys_session *s, const ys_event *ev, ys_err *err)
{
    const char *title;
    long long rank;
    ys_rc rc;
    if ((rc = ys_fold_next_id(ev->payload, s->n_posts, err)) || (rc = ys_pl_str(ev->payload, "title", &title, err)) ||
        (rc = ys_pl_int(ev->payload, "rank", 1, 1000000, &rank, err)))
        return rc;
    if (ys_map_get(s->by_post, title))
        return ys_fail(err, YS_CORRUPT, "title", "post '%s' added twice", title);
    if (ys_grow((void **)&s->posts, &s->cap_posts, s->n_posts + 1, sizeof *s->posts))
        return nomem(err, ev);
    ys_post *po = &s->posts[s->n_posts];
    po->id = (int)s->n_posts + 1;
    po->rank = (int)rank;
    if (!(po->title = ys_strdup(title)) || ys_map_put(s->by_post, title, po->id)) {
        ys_free(po->title);
        return nomem(err, ev);
    }
    s->n_posts++;
    ys__rec_in(s, YS_REC_POST, po->id, 0);
    return YS_OK;
}

static ys_rc apply_delegation(ys_session *s, const ys_event *ev, ys_err *err)
{
    const char *name;
    ys_rc rc;
    if ((rc = ys_fold_next_id(ev->payload, s->n_delegations, err)) || (rc = ys_pl_str(ev->payload, "name", &name, err)))
        return rc;
    if (ys_map_get(s->by_delegation, name))
        return ys_fail(err, YS_CORRUPT, "name", "delegation '%s' added twice", name);
    if (ys_grow((void **)&s->delegations, &s->cap_delegations, s->n_delegations + 1, sizeof *s->delegations))
        return nomem(err, ev);
    ys_delegation *dl = &s->delegations[s->n_delegations];
    memset(dl, 0, sizeof *dl);
    dl->id = (int)s->n_delegations + 1;
    if (!(dl->name = ys_strdup(name)) || ys_map_put(s->by_delegation, name, dl->id)) {
        ys_free(dl->name);
        return nomem(err, ev);
    }
    s->n_delegations++;
    ys__rec_in(s, YS_REC_DELEGATION, dl->id, 0);
    return YS_OK;
}

static ys_rc read_roles(const json_t *p, unsigned *roles, ys_err *err)
{
    const json_t *arr = json_object_get(p, "roles");
    size_t i;
    const json_t *v;
    *roles = 0;
    if (!json_is_array(arr))
        return ys_fail(err, YS_CORRUPT, "roles", "event field 'roles' is not a list");
    json_array_foreach(arr, i, v) {
        unsigned bit = json_is_string(v) ? ys_role_parse(json_string_value(v)) : 0;
        if (!bit)
            return ys_fail(err, YS_CORRUPT, "roles", "unknown role in event");
        *roles |= bit;
    }
    return YS_OK;
}

static ys_rc apply_delegate(ys_session *s, const ys_event *ev, ys_err *err)
{
    const json_t *p = ev->payload;
    const char *code, *name, *gender, *ethnicity, *seat;
    int delegation, post;
    unsigned roles;
    ys_rc rc;
    if ((rc = ys_fold_next_id(p, s->n_delegates, err)) || (rc = ys_pl_str(p, "code", &code, err)) ||
        (rc = ys_pl_str(p, "name", &name, err)) || (rc = ys_pl_str(p, "gender", &gender, err)) ||
        (rc = ys_pl_str(p, "ethnicity", &ethnicity, err)) || (rc = ys_pl_str_opt(p, "seat", &seat, err)) ||
        (rc = ys_fold_ref(p, "delegation", s->n_delegations, false, &delegation, err)) ||
        (rc = ys_fold_ref(p, "post", s->n_posts, true, &post, err)) || (rc = read_roles(p, &roles, err)))
        return rc;
    if (strcmp(gender, "male") && strcmp(gender, "female"))
        return ys_fail(err, YS_CORRUPT, "gender", "gender '%s' in event", gender);
    if (ys_map_get(s->by_code, code))
        return ys_fail(err, YS_CORRUPT, "code", "delegate %s added twice", code);
    if (seat && ys_map_get(s->by_seat, seat))
        return ys_fail(err, YS_CORRUPT, "seat", "seat %s given twice", seat);
    if (ys_grow((void **)&s->delegates, &s->cap_delegates, s->n_delegates + 1, sizeof *s->delegates))
        return nomem(err, ev);
    ys_delegate *d = &s->delegates[s->n_delegates];
    memset(d, 0, sizeof *d);
    d->id = (int)s->n_delegates + 1;
    d->gender = gender[0] == 'f' ? YS_GENDER_FEMALE : YS_GENDER_MALE;
    d->delegation = delegation;
    d->roles = roles;
    d->post = post;
    d->entitled = true;
    d->code = ys_strdup(code);
    d->name = ys_strdup(name);
    d->ethnicity = ys_strdup(ethnicity);
    d->seat = ys_strdup(seat);
    if (!d->code || !d->name || !d->ethnicity || (seat && !d->seat) || ys_map_put(s->by_code, code, d->id) ||
        (seat && ys_map_put(s->by_seat, seat, d->id))) {
        ys_free(d->code), ys_free(d->name), ys_free(d->ethnicity), ys_free(d->seat);
        return nomem(err, ev);
    }
    s->n_delegates++;
    s->entitled++;
    ys__rec_out(s, YS_REC_DELEGATION, delegation, 0);
    s->delegations[delegation - 1].members++;
    ys__rec_in(s, YS_REC_DELEGATION, delegation, 0);
    ys__rec_in(s, YS_REC_DELEGATE, d->id, 0);
    return YS_OK;
}

/* A replaced login card changes nothing in the session; the log keeps that it happened, and by whom. */
static ys_rc apply_card_reissue(ys_session *s, const ys_event *ev, ys_err *err)
{
    int id;
    return ys_fold_ref(ev->payload, "delegate", s->n_delegates, false, &id, err);
}

static ys_rc apply_delegate_end(ys_session *s, const ys_event *ev, ys_err *err)
{
    int id;
    const char *reason;
    ys_rc rc;
    if ((rc = ys_fold_ref(ev->payload, "delegate", s->n_delegates, false, &id, err)) ||
        (rc = ys_pl_str(ev->payload, "reason", &reason, err)))
        return rc;
    ys_delegate *d = &s->delegates[id - 1];
    if (!d->entitled)
        return ys_fail(err, YS_CORRUPT, "delegate", "the mandate of delegate %d ended twice", id);
    ys__rec_out(s, YS_REC_DELEGATE, id, 0);
    ys__rec_out(s, YS_REC_DELEGATION, d->delegation, 0);
    d->entitled = false;
    s->entitled--;
    s->delegations[d->delegation - 1].members--;
    ys__rec_in(s, YS_REC_DELEGATE, id, 0);
    ys__rec_in(s, YS_REC_DELEGATION, d->delegation, 0);
    /* No longer counted at the meetings still open; closed meetings keep their record. */
    for (size_t i = 0; i < s->n_meetings; i++) {
        ys_meeting *m = &s->meetings[i];
        ys_presence was = ys_meeting_presence(m, id);
        if (!m->open || was == YS_ABSENT)
            continue;
        ys__rec_out(s, YS_REC_MEETING, m->id, 0);
        ys__rec_out(s, YS_REC_ATTENDANCE, m->id, id);
        m->present -= was == YS_PRESENT;
        m->on_leave -= was == YS_ON_LEAVE;
        m->presence[id - 1] = YS_ABSENT;
        ys__rec_in(s, YS_REC_MEETING, m->id, 0);
    }
    return YS_OK;
}

static ys_rc apply_attendee(ys_session *s, const ys_event *ev, ys_err *err)
{
    const json_t *p = ev->payload;
    const char *name, *kind, *affiliation;
    int post;
    ys_rc rc;
    if ((rc = ys_fold_next_id(p, s->n_attendees, err)) || (rc = ys_pl_str(p, "name", &name, err)) ||
        (rc = ys_pl_str(p, "kind", &kind, err)) || (rc = ys_pl_str_opt(p, "affiliation", &affiliation, err)) ||
        (rc = ys_fold_ref(p, "post", s->n_posts, true, &post, err)))
        return rc;
    if (strcmp(kind, "attendee") && strcmp(kind, "observer"))
        return ys_fail(err, YS_CORRUPT, "kind", "attendee kind '%s' in event", kind);
    if (ys_grow((void **)&s->attendees, &s->cap_attendees, s->n_attendees + 1, sizeof *s->attendees))
        return nomem(err, ev);
    ys_attendee *a = &s->attendees[s->n_attendees];
    a->id = (int)s->n_attendees + 1;
    a->kind = kind[0] == 'a' ? YS_ATTENDEE : YS_OBSERVER;
    a->post = post;
    a->name = ys_strdup(name);
    a->affiliation = ys_strdup(affiliation);
    if (!a->name || (affiliation && !a->affiliation)) {
        ys_free(a->name), ys_free(a->affiliation);
        return nomem(err, ev);
    }
    s->n_attendees++;
    ys__rec_in(s, YS_REC_ATTENDEE, a->id, 0);
    return YS_OK;
}

static ys_rc apply_document(ys_session *s, const ys_event *ev, ys_err *err)
{
    const char *title;
    ys_rc rc;
    if ((rc = ys_fold_next_id(ev->payload, s->n_documents, err)) || (rc = ys_pl_str(ev->payload, "title", &title, err)))
        return rc;
    if (ys_map_get(s->by_document, title))
        return ys_fail(err, YS_CORRUPT, "title", "document '%s' added twice", title);
    if (ys_grow((void **)&s->documents, &s->cap_documents, s->n_documents + 1, sizeof *s->documents))
        return nomem(err, ev);
    ys_document *d = &s->documents[s->n_documents];
    memset(d, 0, sizeof *d);
    d->id = (int)s->n_documents + 1;
    if (!(d->title = ys_strdup(title)) || ys_map_put(s->by_document, title, d->id)) {
        ys_free(d->title);
        return nomem(err, ev);
    }
    s->n_documents++;
    ys__rec_in(s, YS_REC_DOCUMENT, d->id, 0);
    return YS_OK;
}

static ys_rc apply_document_version(ys_session *s, const ys_event *ev, ys_err *err)
{
    const json_t *p = ev->payload;
    const char *hash, *note;
    int doc_id;
    long long number, size;
    uint8_t raw[YS_HASH_BYTES];
    ys_rc rc;
    if ((rc = ys_fold_ref(p, "document", s->n_documents, false, &doc_id, err)) ||
        (rc = ys_pl_int(p, "number", 1, 100000, &number, err)) || (rc = ys_pl_str(p, "hash", &hash, err)) ||
        (rc = ys_pl_int(p, "size", 0, INT64_MAX, &size, err)) || (rc = ys_pl_str_opt(p, "note", &note, err)))
        return rc;
    ys_document *d = &s->documents[doc_id - 1];
    if ((size_t)number != d->n_versions + 1)
        return ys_fail(err, YS_CORRUPT, "number", "version %lld of '%s' out of order", number, d->title);
    if (ys_hash_from_hex(hash, raw))
        return ys_fail(err, YS_CORRUPT, "hash", "document hash is not 64 hex digits");
    if (ys_grow((void **)&d->versions, &d->cap_versions, d->n_versions + 1, sizeof *d->versions))
        return nomem(err, ev);
    ys_doc_version *v = &d->versions[d->n_versions];
    memset(v, 0, sizeof *v);
    v->number = (int)number;
    v->size = size;
    snprintf(v->hash, sizeof v->hash, "%s", hash);
    snprintf(v->time, sizeof v->time, "%s", ev->time);
    if (note && !(v->note = ys_strdup(note)))
        return nomem(err, ev);
    d->n_versions++;
    ys__rec_in(s, YS_REC_VERSION, doc_id, v->number);
    return YS_OK;
}

static ys_rc apply_item(ys_session *s, const ys_event *ev, ys_err *err)
{
    const json_t *p = ev->payload;
    const char *title, *kind, *presenter;
    long long order;
    int document;
    ys_rc rc;
    if ((rc = ys_fold_next_id(p, s->n_items, err)) || (rc = ys_pl_str(p, "title", &title, err)) ||
        (rc = ys_pl_str(p, "kind", &kind, err)) || (rc = ys_pl_str_opt(p, "presenter", &presenter, err)) ||
        (rc = ys_pl_int(p, "order", 1, 100000, &order, err)) ||
        (rc = ys_fold_ref(p, "document", s->n_documents, true, &document, err)))
        return rc;
    int k = ys_item_kind_parse(kind);
    if (!k)
        return ys_fail(err, YS_CORRUPT, "kind", "agenda item kind '%s' in event", kind);
    if (ys_grow((void **)&s->items, &s->cap_items, s->n_items + 1, sizeof *s->items))
        return nomem(err, ev);
    ys_item *it = &s->items[s->n_items];
    it->id = (int)s->n_items + 1;
    it->order = (int)order;
    it->kind = (ys_item_kind)k;
    it->document = document;
    it->title = ys_strdup(title);
    it->presenter = ys_strdup(presenter);
    if (!it->title || (presenter && !it->presenter)) {
        ys_free(it->title), ys_free(it->presenter);
        return nomem(err, ev);
    }
    s->n_items++;
    ys__rec_in(s, YS_REC_ITEM, it->id, 0);
    return YS_OK;
}

static ys_rc apply_meeting_open(ys_session *s, const ys_event *ev, ys_err *err)
{
    const json_t *p = ev->payload;
    const char *title, *kind;
    int delegation;
    ys_rc rc;
    if ((rc = ys_fold_next_id(p, s->n_meetings, err)) || (rc = ys_pl_str(p, "title", &title, err)) ||
        (rc = ys_pl_str(p, "kind", &kind, err)) ||
        (rc = ys_fold_ref(p, "delegation", s->n_delegations, true, &delegation, err)))
        return rc;
    int k = ys_meeting_kind_parse(kind);
    if (!k)
        return ys_fail(err, YS_CORRUPT, "kind", "meeting kind '%s' in event", kind);
    if (ys_grow((void **)&s->meetings, &s->cap_meetings, s->n_meetings + 1, sizeof *s->meetings))
        return nomem(err, ev);
    ys_meeting *m = &s->meetings[s->n_meetings];
    memset(m, 0, sizeof *m);
    m->id = (int)s->n_meetings + 1;
    m->kind = (ys_meeting_kind)k;
    m->delegation = delegation;
    m->open = true;
    snprintf(m->opened_at, sizeof m->opened_at, "%s", ev->time);
    if ((rc = ys__meeting_open_held(m, p, err)))
        return rc;
    if (!(m->title = ys_strdup(title)))
        return nomem(err, ev);
    s->n_meetings++;
    s->current_meeting = m->id;
    ys__rec_in(s, YS_REC_MEETING, m->id, 0);
    ys__rec_in(s, YS_REC_HELD, m->id, 0);
    return YS_OK;
}

static ys_rc open_meeting_ref(ys_session *s, const json_t *p, ys_meeting **out, ys_err *err)
{
    int id;
    ys_rc rc = ys_fold_ref(p, "meeting", s->n_meetings, false, &id, err);
    if (rc)
        return rc;
    *out = &s->meetings[id - 1];
    if (!(*out)->open)
        return ys_fail(err, YS_CORRUPT, "meeting", "meeting %d is closed", id);
    return YS_OK;
}

static ys_rc apply_meeting_item(ys_session *s, const ys_event *ev, ys_err *err)
{
    ys_meeting *m;
    int item;
    ys_rc rc = open_meeting_ref(s, ev->payload, &m, err);
    if (rc || (rc = ys_fold_ref(ev->payload, "item", s->n_items, false, &item, err)))
        return rc;
    ys__rec_out(s, YS_REC_MEETING, m->id, 0);
    m->item = item;
    ys__rec_in(s, YS_REC_MEETING, m->id, 0);
    return YS_OK;
}

static ys_rc apply_meeting_close(ys_session *s, const ys_event *ev, ys_err *err)
{
    ys_meeting *m;
    ys_rc rc = open_meeting_ref(s, ev->payload, &m, err);
    if (rc)
        return rc;
    ys__rec_out(s, YS_REC_MEETING, m->id, 0);
    m->open = false;
    snprintf(m->closed_at, sizeof m->closed_at, "%s", ev->time);
    ys__rec_in(s, YS_REC_MEETING, m->id, 0);
    if (s->current_meeting == m->id) {
        /* The most recently opened meeting still open becomes current again. */
        s->current_meeting = 0;
        for (size_t i = s->n_meetings; i > 0; i--)
            if (s->meetings[i - 1].open) {
                s->current_meeting = (int)i;
                break;
            }
    }
    return YS_OK;
}

/* Keeps the reason of a leave (or forgets it when the delegate's attendance changes); -1 out of memory. */
static int note_reason(ys_meeting *m, size_t n_delegates, int delegate, const char *reason)
{
    if (!reason && (size_t)delegate > m->reasons_cap)
        return 0;
    if (m->reasons_cap < n_delegates) {
        char **nv = ys_realloc(m->reasons, n_delegates * sizeof *nv);
        if (!nv)
            return -1;
        memset(nv + m->reasons_cap, 0, (n_delegates - m->reasons_cap) * sizeof *nv);
        m->reasons = nv;
        m->reasons_cap = n_delegates;
    }
    char *copy = reason ? ys_strdup(reason) : NULL;
    if (reason && !copy)
        return -1;
    ys_free(m->reasons[delegate - 1]);
    m->reasons[delegate - 1] = copy;
    return 0;
}

static ys_rc set_presence(ys_session *s, const ys_event *ev, ys_presence to, ys_err *err)
{
    ys_meeting *m;
    int delegate;
    const char *reason = NULL;
    ys_rc rc;
    if ((rc = open_meeting_ref(s, ev->payload, &m, err)) ||
        (rc = ys_fold_ref(ev->payload, "delegate", s->n_delegates, false, &delegate, err)) ||
        (to == YS_ON_LEAVE && (rc = ys_pl_str_opt(ev->payload, "reason", &reason, err))))
        return rc;
    if (ys_fold_cover(&m->presence, &m->presence_cap, s->n_delegates))
        return nomem(err, ev);
    ys_presence from = (ys_presence)m->presence[delegate - 1];
    if (from == to)
        return ys_fail(err, YS_CORRUPT, "delegate", "delegate already has that attendance");
    ys__rec_out(s, YS_REC_MEETING, m->id, 0);
    ys__rec_out(s, YS_REC_ATTENDANCE, m->id, delegate);
    if (note_reason(m, s->n_delegates, delegate, reason))
        return nomem(err, ev);
    m->present += (to == YS_PRESENT) - (from == YS_PRESENT);
    m->on_leave += (to == YS_ON_LEAVE) - (from == YS_ON_LEAVE);
    m->presence[delegate - 1] = (uint8_t)to;
    ys__rec_in(s, YS_REC_ATTENDANCE, m->id, delegate);
    ys__rec_in(s, YS_REC_MEETING, m->id, 0);
    return YS_OK;
}

static ys_rc apply_checkin(ys_session *s, const ys_event *ev, ys_err *err) { return set_presence(s, ev, YS_PRESENT, err); }
static ys_rc apply_leave(ys_session *s, const ys_event *ev, ys_err *err) { return set_presence(s, ev, YS_ON_LEAVE, err); }
static ys_rc apply_absent(ys_session *s, const ys_event *ev, ys_err *err) { return set_presence(s, ev, YS_ABSENT, err); }

/* The fold of each type, in the order of the one table (include/yishi/events.def). */
static const ys_apply_fn handlers[YS_EV_N] = {
#define YS_EVENT(id, type, apply, view, secret, tables, vote) [YS_EV_##id] = apply,
#include "yishi/events.def"
#undef YS_EVENT
};

ys_rc ys_session_apply(ys_session *s, const ys_event *ev, ys_err *err)
{
    if (ev->seq != s->seq + 1)
        return ys_fail(err, YS_CORRUPT, "seq", "event %lld follows event %lld", (long long)ev->seq,
                       (long long)s->seq);
    if (!json_is_object(ev->payload))
        return ys_fail(err, YS_CORRUPT, "payload", "event %lld has no payload object", (long long)ev->seq);
    if (!ys_session_initialized(s) && strcmp(ev->type, "session.init") != 0)
        return ys_fail(err, YS_CORRUPT, "type", "event %lld (%s) comes before session.init",
                       (long long)ev->seq, ev->type);
    const ys_event_type *t = ys_event_type_of(ev->type);
    if (!t || t->vote == YS_VOTE_BALLOT)
        return ys_fail(err, YS_CORRUPT, "type", "unknown event type '%s'", ev->type);
    ys_rc rc = handlers[t - ys_event_types](s, ev, err);
    if (rc)
        return rc;
    s->seq = ev->seq;
    memcpy(s->head, ev->hash, YS_HASH_BYTES);
    return YS_OK;
}

ys_rc ys_session_apply_sealed(ys_session *s, const ys_event *sealed, ys_err *err)
{
    const ys_event_type *t = ys_event_type_of(sealed->type);
    if (!json_is_object(sealed->payload) || !sealed->payload_text)
        return ys_fail(err, YS_CORRUPT, "ballot", "a sealed ballot without content");
    if (!t || t->vote != YS_VOTE_BALLOT)
        return ys_fail(err, YS_CORRUPT, "type", "unknown kind of sealed ballot '%s'", sealed->type);
    return handlers[t - ys_event_types](s, sealed, err);
}
