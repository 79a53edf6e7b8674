/* command.c — the session's commands other than imports: init, meetings, attendance and documents.
 * Each checks the request against the state and the rule set, then emits events; none changes state. */
#include "yishi/command.h"

#include "core/fold.h"
#include "core/text.h"
#include "yishi/alloc.h"
#include "yishi/meeting.h"
#include "yishi/poll.h"
#include "yishi/speech.h"

#include <string.h>

static ys_rc need_init(const ys_session *s, ys_err *err)
{
    if (!ys_session_initialized(s))
        return ys_fail(err, YS_STATE, NULL, "the session file has not been initialised (yishi init)");
    return YS_OK;
}

static ys_rc check_text(const char *field, const char *v, size_t max, bool required, ys_err *err)
{
    const char *why = ys_text_problem(v, max, required);
    return why ? ys_fail(err, YS_INVALID, field, "%s %s", field, why) : YS_OK;
}

ys_rc ys_cmd_init(const ys_session *s, const ys_ctx *c, const ys_init_args *a, ys_events *out, ys_err *err)
{
    ys_rc rc;
    if (ys_session_initialized(s))
        return ys_fail(err, YS_STATE, NULL, "the session is already initialised with rule set %s",
                       s->rules->id);
    if (!a->rules || !a->rules->source)
        return ys_fail(err, YS_INVALID, "rules", "a rule set is required");
    if ((rc = check_text("assembly", a->assembly, 128, true, err)) || (rc = check_text("term", a->term, 64, true, err)) ||
        (rc = check_text("name", a->name, 128, true, err)))
        return rc;
    json_t *p = json_pack("{s:s, s:s, s:s, s:s, s:s}", "assembly", a->assembly, "term", a->term, "name",
                          a->name, "rules_id", a->rules->id, "rules_text", a->rules->source);
    return ys_events_add(out, c->time, c->actor, "session.init", p, err);
}

ys_rc ys_cmd_meeting_open(const ys_session *s, const ys_ctx *c, ys_meeting_kind kind, const char *title,
                          const char *delegation, ys_events *out, ys_err *err)
{
    return ys_cmd_meeting_open_on(s, c, kind, title, delegation, NULL, NULL, out, err);
}

ys_rc ys_cmd_meeting_open_on(const ys_session *s, const ys_ctx *c, ys_meeting_kind kind, const char *title,
                             const char *delegation, const char *date, const char *half_day, ys_events *out,
                             ys_err *err)
{
    ys_rc rc;
    int delegation_id = 0, half;
    char day[11];
    if ((rc = need_init(s, err)) || (rc = check_text("title", title, 200, true, err)) ||
        (rc = ys__held_words(c, date, half_day, day, &half, err)))
        return rc;
    if (kind < YS_MEETING_PREPARATORY || kind > YS_MEETING_GROUP)
        return ys_fail(err, YS_INVALID, "kind", "unknown meeting kind");
    bool whole = kind == YS_MEETING_PREPARATORY || kind == YS_MEETING_PLENARY;
    if (whole && delegation)
        return ys_fail(err, YS_INVALID, "delegation", "a %s meeting is of the whole assembly, not of a delegation",
                       ys_meeting_kind_key(kind));
    if (!whole) {
        const ys_delegation *d = delegation ? ys_delegation_by_name(s, delegation) : NULL;
        if (!delegation)
            return ys_fail(err, YS_INVALID, "delegation", "a %s meeting needs the name of its delegation", ys_meeting_kind_key(kind));
        if (!d)
            return ys_fail(err, YS_NOT_FOUND, "delegation", "no delegation named '%s'", delegation);
        delegation_id = d->id;
    }
    for (size_t i = 0; whole && i < s->n_meetings; i++) {
        const ys_meeting *m = &s->meetings[i];
        if (m->open && (m->kind == YS_MEETING_PLENARY || m->kind == YS_MEETING_PREPARATORY))
            return ys_fail(err, YS_STATE, "kind", "meeting %d (%s) is still open; close it first", m->id, m->title);
    }
    json_t *p = json_pack("{s:i, s:s, s:s, s:i, s:s, s:s}", "id", (int)s->n_meetings + 1, "kind",
                          ys_meeting_kind_key(kind), "title", title, "delegation", delegation_id, "date", day,
                          "half_day", ys_half_day_key((ys_half_day)half));
    return ys_events_add(out, c->time, c->actor, "meeting.open", p, err);
}

static ys_rc open_meeting(const ys_session *s, int meeting, const ys_meeting **out, ys_err *err)
{
    *out = NULL;
    const ys_meeting *m = ys_meeting_get(s, meeting);
    if (!m && !meeting)
        return ys_fail(err, YS_STATE, "meeting", "no meeting is open");
    if (!m)
        return ys_fail(err, YS_NOT_FOUND, "meeting", "no meeting %d", meeting);
    if (!m->open)
        return ys_fail(err, YS_STATE, "meeting", "meeting %d (%s) is closed", m->id, m->title);
    *out = m;
    return YS_OK;
}

ys_rc ys_cmd_meeting_close(const ys_session *s, const ys_ctx *c, int meeting, ys_events *out, ys_err *err)
{
    const ys_meeting *m;
    const ys_speech *sp;
    ys_rc rc;
    if ((rc = need_init(s, err)) || (rc = open_meeting(s, meeting, &m, err)))
        return rc;
    /* A meeting does not end under a vote or a speaker: the vote would lose its voters, the speech its end. */
    for (size_t i = 0; i < s->n_polls; i++)
        if (s->polls[i].state == YS_POLL_OPEN && s->polls[i].meeting == m->id)
            return ys_fail(err, YS_STATE, "meeting", "poll %d is open at meeting %d; close it first", s->polls[i].id,
                           m->id);
    for (size_t i = 0; i < s->n_elections; i++)
        if (s->elections[i].state == YS_POLL_OPEN && s->elections[i].meeting == m->id)
            return ys_fail(err, YS_STATE, "meeting", "election %d is open at meeting %d; close it first",
                           s->elections[i].id, m->id);
    if ((sp = ys_meeting_speaker(s, m->id)))
        return ys_fail(err, YS_STATE, "meeting", "%s still has the floor at meeting %d; end the speech first",
                       s->delegates[sp->delegate - 1].name, m->id);
    return ys_events_add(out, c->time, c->actor, "meeting.close", json_pack("{s:i}", "meeting", m->id), err);
}

ys_rc ys_cmd_meeting_item(const ys_session *s, const ys_ctx *c, int meeting, int item, ys_events *out, ys_err *err)
{
    const ys_meeting *m;
    ys_rc rc;
    if ((rc = need_init(s, err)) || (rc = open_meeting(s, meeting, &m, err)))
        return rc;
    if (item < 1 || (size_t)item > s->n_items)
        return ys_fail(err, YS_NOT_FOUND, "item", "no agenda item %d", item);
    if (m->item == item)
        return ys_fail(err, YS_CONFLICT, "item", "item %d (%s) is already under way at meeting %d", item,
                       s->items[item - 1].title, m->id);
    return ys_events_add(out, c->time, c->actor, "meeting.item", json_pack("{s:i, s:i}", "meeting", m->id, "item", item),
                         err);
}

static const char *presence_event(ys_presence p)
{
    return p == YS_PRESENT ? "attendance.checkin" : p == YS_ON_LEAVE ? "attendance.leave" : "attendance.absent";
}

static const char *presence_words(ys_presence p)
{
    return p == YS_PRESENT ? "checked in" : p == YS_ON_LEAVE ? "on leave" : "absent";
}

ys_rc ys_cmd_attendance(const ys_session *s, const ys_ctx *c, int meeting, const char *code,
                        ys_presence to, const char *reason, ys_events *out, ys_err *err)
{
    const ys_meeting *m;
    ys_rc rc;
    if ((rc = need_init(s, err)) || (rc = open_meeting(s, meeting, &m, err)))
        return rc;
    const ys_delegate *d = code ? ys_delegate_by_code(s, code) : NULL;
    if (!d)
        return ys_fail(err, YS_NOT_FOUND, "delegate", "no delegate with code '%s'", code ? code : "");
    if (!d->entitled)
        return ys_fail(err, YS_STATE, "delegate", "%s (%s) is no longer a delegate", d->name, d->code);
    if (m->delegation && d->delegation != m->delegation)
        return ys_fail(err, YS_CONFLICT, "delegate", "%s (%s) is not a member of the %s", d->name, d->code,
                       s->delegations[m->delegation - 1].name);
    if (ys_meeting_presence(m, d->id) == to)
        return ys_fail(err, YS_CONFLICT, "delegate", "%s (%s) is already %s at meeting %d", d->name, d->code,
                       presence_words(to), m->id);
    if (to == YS_ON_LEAVE && (rc = check_text("reason", reason, 200, false, err)))
        return rc;
    json_t *p = json_pack("{s:i, s:i}", "meeting", m->id, "delegate", d->id);
    if (p && to == YS_ON_LEAVE && reason && json_object_set_new(p, "reason", json_string(reason))) {
        json_decref(p);
        p = NULL;
    }
    return ys_events_add(out, c->time, c->actor, presence_event(to), p, err);
}

ys_rc ys_cmd_delegate_end(const ys_session *s, const ys_ctx *c, const char *code, const char *reason, ys_events *out,
                          ys_err *err)
{
    char vote[400];
    const ys_delegate *d = code ? ys_delegate_by_code(s, code) : NULL;
    ys_rc rc;
    if ((rc = need_init(s, err)) || (rc = check_text("reason", reason, 200, true, err)))
        return rc;
    if (!d)
        return ys_fail(err, YS_NOT_FOUND, "delegate", "no delegate with code '%s'", code ? code : "");
    if (!d->entitled)
        return ys_fail(err, YS_CONFLICT, "delegate", "the mandate of %s (%s) has already ended", d->name, d->code);
    if (ys_vote_in_progress(s, vote, sizeof vote))
        return ys_fail(err, YS_STATE, "delegate", "%s is open; the number of delegates cannot change under it", vote);
    return ys_events_add(out, c->time, c->actor, "delegate.end",
                         json_pack("{s:i, s:s}", "delegate", d->id, "reason", reason), err);
}

ys_rc ys_cmd_card_issue(const ys_session *s, const ys_ctx *c, const char *code, bool replaces, ys_events *out,
                        ys_err *err)
{
    const ys_delegate *d = code ? ys_delegate_by_code(s, code) : NULL;
    ys_rc rc = need_init(s, err);
    if (rc)
        return rc;
    if (!d)
        return ys_fail(err, YS_NOT_FOUND, "delegate", "no delegate with code '%s'", code ? code : "");
    if (!d->entitled)
        return ys_fail(err, YS_CONFLICT, "delegate", "%s (%s) is no longer a delegate", d->name, d->code);
    if (!replaces)
        return YS_OK;
    return ys_events_add(out, c->time, c->actor, "card.reissue", json_pack("{s:i}", "delegate", d->id), err);
}

ys_rc ys_cmd_document(const ys_session *s, const ys_ctx *c, const char *title, const char *hash_hex,
                      long long size, const char *note, ys_events *out, ys_err *err)
{
    uint8_t raw[YS_HASH_BYTES];
    ys_rc rc;
    if ((rc = need_init(s, err)) || (rc = check_text("title", title, 200, true, err)) ||
        (rc = check_text("note", note, 500, false, err)))
        return rc;
    if (ys_hash_from_hex(hash_hex, raw))
        return ys_fail(err, YS_INVALID, "hash", "a document hash is 64 hexadecimal digits");
    if (size < 0)
        return ys_fail(err, YS_INVALID, "size", "a document size cannot be negative");
    const ys_document *d = ys_document_by_title(s, title);
    int id = d ? d->id : (int)s->n_documents + 1;
    if (d && d->n_versions && strcmp(d->versions[d->n_versions - 1].hash, hash_hex) == 0)
        return ys_fail(err, YS_CONFLICT, "content", "version %d of '%s' already has this content",
                       d->versions[d->n_versions - 1].number, title);
    if (!d && (rc = ys_events_add(out, c->time, c->actor, "document.add",
                                  json_pack("{s:i, s:s}", "id", id, "title", title), err)))
        return rc;
    json_t *p = json_pack("{s:i, s:i, s:s, s:I}", "document", id, "number", d ? (int)d->n_versions + 1 : 1,
                          "hash", hash_hex, "size", (json_int_t)size);
    if (p && note && json_object_set_new(p, "note", json_string(note))) {
        json_decref(p);
        p = NULL;
    }
    return ys_events_add(out, c->time, c->actor, "document.version", p, err);
}
