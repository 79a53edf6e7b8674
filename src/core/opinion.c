/* opinion.c — the opinions a deliberation gathers on a document, and a version's explanation of the changes
 * it made with the opinions it took up (opinion.h); as commands and as the fold. */
#include "yishi/opinion.h"

#include "core/fold.h"
#include "core/payload.h"
#include "core/text.h"
#include "yishi/alloc.h"
#include "yishi/meeting.h"

#include <string.h>

const ys_opinion *ys_opinion_get(const ys_session *s, int id)
{
    return id >= 1 && (size_t)id <= s->n_opinions ? &s->opinions[id - 1] : NULL;
}

const ys_explanation *ys_explanation_of(const ys_session *s, int document, int version)
{
    for (size_t i = 0; i < s->n_explanations; i++)
        if (s->explanations[i].document == document && s->explanations[i].version == version)
            return &s->explanations[i];
    return NULL;
}

void ys_opinions_free(ys_session *s)
{
    for (size_t i = 0; i < s->n_opinions; i++) {
        ys_free(s->opinions[i].section);
        ys_free(s->opinions[i].text);
    }
    ys_free(s->opinions);
    for (size_t i = 0; i < s->n_explanations; i++) {
        ys_free(s->explanations[i].text);
        ys_free(s->explanations[i].taken);
    }
    ys_free(s->explanations);
}

/* ---- the commands ---- */

static ys_rc document_named(const ys_session *s, const char *title, const ys_document **d, ys_err *err)
{
    *d = title ? ys_document_by_title(s, title) : NULL;
    if (!*d)
        return ys_fail(err, YS_NOT_FOUND, "document", "no document titled '%s'", title ? title : "");
    if (!(*d)->n_versions)
        return ys_fail(err, YS_STATE, "document", "《%s》 has no version yet to deliberate", (*d)->title);
    return YS_OK;
}

/* The delegation an opinion comes from, and its delegate and meeting, checked against one another. */
static ys_rc origin(const ys_session *s, const ys_opinion_args *a, int *delegation, int *delegate, ys_err *err)
{
    const ys_meeting *m = a->meeting ? ys_meeting_get(s, a->meeting) : NULL;
    const ys_delegate *d = a->delegate ? ys_delegate_by_code(s, a->delegate) : NULL;
    const ys_delegation *named = a->delegation ? ys_delegation_by_name(s, a->delegation) : NULL;
    if (a->meeting && !m)
        return ys_fail(err, YS_NOT_FOUND, "meeting", "no meeting %d", a->meeting);
    if (a->delegate && !d)
        return ys_fail(err, YS_NOT_FOUND, "delegate", "no delegate with code '%s'", a->delegate);
    if (a->delegation && !named)
        return ys_fail(err, YS_NOT_FOUND, "delegation", "no delegation named '%s'", a->delegation);
    *delegation = named ? named->id : m && m->delegation ? m->delegation : d ? d->delegation : 0;
    *delegate = d ? d->id : 0;
    if (!*delegation)
        return ys_fail(err, YS_INVALID, "delegation", "an opinion comes from a delegation: name it, its delegate or "
                       "the delegation's meeting");
    if (m && m->delegation && m->delegation != *delegation)
        return ys_fail(err, YS_CONFLICT, "meeting", "meeting %d is the %s's, not the %s's", m->id,
                       s->delegations[m->delegation - 1].name, s->delegations[*delegation - 1].name);
    if (d && d->delegation != *delegation && !(m && ys_meeting_guest(s, m, d->id)))
        return ys_fail(err, YS_CONFLICT, "delegate", "%s (%s) is not of the %s, nor recorded as joining its meeting",
                       d->name, d->code, s->delegations[*delegation - 1].name);
    return YS_OK;
}

ys_rc ys_cmd_opinion_add(const ys_session *s, const ys_ctx *c, const ys_opinion_args *a, ys_events *out, ys_err *err)
{
    const ys_document *doc;
    const char *why;
    int delegation = 0, delegate = 0;
    ys_rc rc;
    if ((rc = document_named(s, a->document, &doc, err)) || (rc = origin(s, a, &delegation, &delegate, err)))
        return rc;
    if ((why = ys_text_problem(a->section, 200, true)))
        return ys_fail(err, YS_INVALID, "section", "the section (第几部分、第几条) %s", why);
    if ((why = !a->text || !*a->text ? "is empty" : ys_text_problem_lines(a->text, 20000)))
        return ys_fail(err, YS_INVALID, "text", "the opinion %s", why);
    json_t *p = json_pack("{s:i, s:i, s:i, s:s, s:s, s:i}", "id", (int)s->n_opinions + 1, "document", doc->id,
                          "version", doc->versions[doc->n_versions - 1].number, "section", a->section, "text", a->text,
                          "delegation", delegation);
    if (p && ((delegate && json_object_set_new(p, "delegate", json_integer(delegate))) ||
              (a->meeting && json_object_set_new(p, "meeting", json_integer(a->meeting)))))
        json_decref(p), p = NULL;
    return ys_events_add(out, c->time, c->actor, "opinion.add", p, err);
}

/* The opinions a version takes up: of its document, voiced on an earlier version, none twice nor already
 * taken up. */
static ys_rc check_taken(const ys_session *s, const ys_document *doc, int version, const int *taken, size_t n,
                         ys_err *err)
{
    for (size_t i = 0; i < n; i++) {
        const ys_opinion *o = ys_opinion_get(s, taken[i]);
        if (!o || o->document != doc->id)
            return ys_fail(err, YS_NOT_FOUND, "taken_up", "no opinion %d on 《%s》", taken[i], doc->title);
        if (o->version >= version)
            return ys_fail(err, YS_INVALID, "taken_up", "opinion %d was voiced on version %d: version %d cannot "
                           "have taken it up", o->id, o->version, version);
        if (o->taken_up_in)
            return ys_fail(err, YS_CONFLICT, "taken_up", "opinion %d was taken up in version %d already", o->id,
                           o->taken_up_in);
        for (size_t k = 0; k < i; k++)
            if (taken[k] == taken[i])
                return ys_fail(err, YS_INVALID, "taken_up", "opinion %d is named twice", taken[i]);
    }
    return YS_OK;
}

ys_rc ys_cmd_document_explain(const ys_session *s, const ys_ctx *c, const char *document, int version,
                              const char *text, const int *taken, size_t n_taken, ys_events *out, ys_err *err)
{
    const ys_document *doc;
    const char *why;
    ys_rc rc;
    if ((rc = document_named(s, document, &doc, err)))
        return rc;
    if (version < 2 || (size_t)version > doc->n_versions)
        return ys_fail(err, YS_NOT_FOUND, "version", "《%s》 has versions 1 to %zu; an explanation of changes is of "
                       "version 2 or later", doc->title, doc->n_versions);
    if (ys_explanation_of(s, doc->id, version))
        return ys_fail(err, YS_CONFLICT, "version", "version %d of 《%s》 has its explanation already", version,
                       doc->title);
    if ((why = !text || !*text ? "is empty" : ys_text_problem_lines(text, 50000)))
        return ys_fail(err, YS_INVALID, "text", "the explanation %s", why);
    if ((rc = check_taken(s, doc, version, taken, n_taken, err)))
        return rc;
    json_t *ids = json_array();
    for (size_t i = 0; ids && i < n_taken; i++)
        if (json_array_append_new(ids, json_integer(taken[i])))
            json_decref(ids), ids = NULL;
    return ys_events_add(out, c->time, c->actor, "document.explain",
                         ids ? json_pack("{s:i, s:i, s:s, s:o}", "document", doc->id, "version", version, "text", text,
                                         "taken_up", ids)
                             : NULL,
                         err);
}

/* ---- the fold ---- */

ys_rc ys_apply_opinion_add(ys_session *s, const ys_event *ev, ys_err *err)
{
    const json_t *p = ev->payload;
    const char *section, *text;
    int document, delegation, delegate = 0, meeting = 0;
    long long version;
    ys_rc rc;
    if ((rc = ys_fold_next_id(p, s->n_opinions, err)) || (rc = ys_fold_ref(p, "document", s->n_documents, false, &document, err)) ||
        (rc = ys_pl_int(p, "version", 1, (long long)s->documents[document - 1].n_versions, &version, err)) ||
        (rc = ys_pl_str(p, "section", &section, err)) || (rc = ys_pl_str(p, "text", &text, err)) ||
        (rc = ys_fold_ref(p, "delegation", s->n_delegations, false, &delegation, err)) ||
        (json_object_get(p, "delegate") && (rc = ys_fold_ref(p, "delegate", s->n_delegates, false, &delegate, err))) ||
        (json_object_get(p, "meeting") && (rc = ys_fold_ref(p, "meeting", s->n_meetings, false, &meeting, err))))
        return rc;
    if (ys_grow((void **)&s->opinions, &s->cap_opinions, s->n_opinions + 1, sizeof *s->opinions))
        return ys_fold_nomem(ev, err);
    ys_opinion *o = &s->opinions[s->n_opinions];
    memset(o, 0, sizeof *o);
    o->id = (int)s->n_opinions + 1;
    s->n_opinions++;
    o->document = document, o->version = (int)version, o->delegation = delegation, o->delegate = delegate;
    o->meeting = meeting;
    snprintf(o->at, sizeof o->at, "%s", ev->time);
    if (!(o->section = ys_strdup(section)) || !(o->text = ys_strdup(text)))
        return ys_fold_nomem(ev, err);
    ys__rec_in(s, YS_REC_OPINION, o->id, 0);
    return YS_OK;
}

ys_rc ys_apply_document_explain(ys_session *s, const ys_event *ev, ys_err *err)
{
    const json_t *p = ev->payload, *ids = json_object_get(ev->payload, "taken_up"), *v;
    const char *text;
    int document;
    long long version;
    size_t i;
    ys_rc rc;
    if ((rc = ys_fold_ref(p, "document", s->n_documents, false, &document, err)) ||
        (rc = ys_pl_int(p, "version", 2, (long long)s->documents[document - 1].n_versions, &version, err)) ||
        (rc = ys_pl_str(p, "text", &text, err)))
        return rc;
    if (!json_is_array(ids))
        return ys_fail(err, YS_CORRUPT, "taken_up", "an explanation without its list of opinions in event");
    if (ys_explanation_of(s, document, (int)version))
        return ys_fail(err, YS_CORRUPT, "version", "a second explanation of version %lld in event", version);
    if (ys_grow((void **)&s->explanations, &s->cap_explanations, s->n_explanations + 1, sizeof *s->explanations))
        return ys_fold_nomem(ev, err);
    ys_explanation *x = &s->explanations[s->n_explanations];
    memset(x, 0, sizeof *x);
    s->n_explanations++;
    x->document = document, x->version = (int)version;
    snprintf(x->at, sizeof x->at, "%s", ev->time);
    if (!(x->text = ys_strdup(text)) || (json_array_size(ids) && !(x->taken = ys_calloc(json_array_size(ids), sizeof *x->taken))))
        return ys_fold_nomem(ev, err);
    json_array_foreach(ids, i, v) {
        json_int_t id = json_integer_value(v);
        if (!json_is_integer(v) || id < 1 || (size_t)id > s->n_opinions || s->opinions[id - 1].taken_up_in ||
            s->opinions[id - 1].document != document)
            return ys_fail(err, YS_CORRUPT, "taken_up", "an opinion taken up that cannot be, in event");
        ys__rec_out(s, YS_REC_OPINION, (int)id, 0);
        s->opinions[id - 1].taken_up_in = (int)version;
        ys__rec_in(s, YS_REC_OPINION, (int)id, 0);
        x->taken[x->n_taken++] = (int)id;
    }
    ys__rec_in(s, YS_REC_EXPLANATION, (int)s->n_explanations, 0);
    return YS_OK;
}
