/* speech.c — the speakers list: requests for the floor, the floor given in turn, speeches ended with
 * what was said; as commands and as the fold. Who spoke in which order is read off the list. */
#include "yishi/speech.h"

#include "core/fold.h"
#include "core/payload.h"
#include "core/text.h"
#include "yishi/alloc.h"
#include "yishi/meeting.h"

#include <string.h>

const ys_speech *ys_speech_get(const ys_session *s, int id)
{
    return id >= 1 && (size_t)id <= s->n_speeches ? &s->speeches[id - 1] : NULL;
}

static const char *const state_words[] = {
    [YS_SPEECH_WAITING] = "waiting",
    [YS_SPEECH_SPEAKING] = "speaking",
    [YS_SPEECH_DONE] = "spoke",
    [YS_SPEECH_WITHDRAWN] = "withdrawn",
};

const char *ys_speech_state_word(ys_speech_state st)
{
    return st >= YS_SPEECH_WAITING && st <= YS_SPEECH_WITHDRAWN ? state_words[st] : "?";
}

static const char *const kind_words[][2] = {
    [YS_SPEECH_DELEGATE] = {"speech", "发言"},
    [YS_SPEECH_REMARKS] = {"remarks", "讲话"},
};

const char *ys_speech_kind_key(ys_speech_kind k)
{
    return k >= YS_SPEECH_DELEGATE && k <= YS_SPEECH_REMARKS ? kind_words[k][0] : "?";
}

const char *ys_speech_kind_zh(ys_speech_kind k)
{
    return k >= YS_SPEECH_DELEGATE && k <= YS_SPEECH_REMARKS ? kind_words[k][1] : "?";
}

int ys_speech_kind_parse(const char *key)
{
    for (int k = YS_SPEECH_DELEGATE; key && k <= YS_SPEECH_REMARKS; k++)
        if (!strcmp(key, kind_words[k][0]) || !strcmp(key, kind_words[k][1]))
            return k;
    return 0;
}

const ys_speech *ys_meeting_speaker(const ys_session *s, int meeting)
{
    for (size_t i = s->n_speeches; i > 0; i--)
        if (s->speeches[i - 1].meeting == meeting && s->speeches[i - 1].state == YS_SPEECH_SPEAKING)
            return &s->speeches[i - 1];
    return NULL;
}

void ys_speeches_free(ys_session *s)
{
    for (size_t i = 0; i < s->n_speeches; i++) {
        ys_free(s->speeches[i].topic);
        ys_free(s->speeches[i].summary);
    }
    ys_free(s->speeches);
}

/* The request of `delegate` at `meeting` still waiting or speaking, or NULL. */
static const ys_speech *open_request(const ys_session *s, int meeting, int delegate)
{
    for (size_t i = 0; i < s->n_speeches; i++) {
        const ys_speech *sp = &s->speeches[i];
        if (sp->meeting == meeting && sp->delegate == delegate &&
            (sp->state == YS_SPEECH_WAITING || sp->state == YS_SPEECH_SPEAKING))
            return sp;
    }
    return NULL;
}

/* Meeting `meeting`, open; 0 is what a caller passes when no meeting is open. */
static ys_rc open_meeting(const ys_session *s, int meeting, const ys_meeting **m, ys_err *err)
{
    *m = ys_meeting_get(s, meeting);
    if (!meeting)
        return ys_fail(err, YS_STATE, "meeting", "no meeting is open");
    if (!*m)
        return ys_fail(err, YS_NOT_FOUND, "meeting", "no meeting %d", meeting);
    if (!(*m)->open)
        return ys_fail(err, YS_STATE, "meeting", "meeting %d (%s) is closed", meeting, (*m)->title);
    return YS_OK;
}

/* An open meeting and a delegate of it who is present, or one who leads or joins it from elsewhere (a
 * guest is not checked in: they are not counted in the meeting's attendance). */
static ys_rc speaker_at(const ys_session *s, int meeting, const char *code, const ys_meeting **m,
                        const ys_delegate **d, ys_err *err)
{
    ys_rc rc = open_meeting(s, meeting, m, err);
    *d = code ? ys_delegate_by_code(s, code) : NULL;
    if (rc)
        return rc;
    if (!*d)
        return ys_fail(err, YS_NOT_FOUND, "delegate", "no delegate with code '%s'", code ? code : "");
    if (ys_meeting_guest(s, *m, (*d)->id))
        return YS_OK;
    if ((*m)->delegation && (*d)->delegation != (*m)->delegation)
        return ys_fail(err, YS_CONFLICT, "delegate", "%s (%s) is not a member of the %s, nor recorded as joining its "
                       "meeting", (*d)->name, (*d)->code, s->delegations[(*m)->delegation - 1].name);
    if (ys_meeting_presence(*m, (*d)->id) != YS_PRESENT)
        return ys_fail(err, YS_STATE, "delegate", "%s (%s) is not checked in at meeting %d", (*d)->name, (*d)->code,
                       meeting);
    return YS_OK;
}

ys_rc ys_cmd_speech_request(const ys_session *s, const ys_ctx *c, int meeting, const char *code, const char *topic,
                            ys_events *out, ys_err *err)
{
    return ys_cmd_speech_request_as(s, c, meeting, code, topic, YS_SPEECH_DELEGATE, out, err);
}

ys_rc ys_cmd_speech_request_as(const ys_session *s, const ys_ctx *c, int meeting, const char *code, const char *topic,
                               ys_speech_kind kind, ys_events *out, ys_err *err)
{
    const ys_meeting *m;
    const ys_delegate *d;
    const char *why = ys_text_problem(topic, 300, false);
    ys_rc rc = speaker_at(s, meeting, code, &m, &d, err);
    if (rc)
        return rc;
    if (why)
        return ys_fail(err, YS_INVALID, "topic", "topic %s", why);
    if (kind != YS_SPEECH_DELEGATE && kind != YS_SPEECH_REMARKS)
        return ys_fail(err, YS_INVALID, "kind", "unknown kind of speech (speech/发言, remarks/讲话)");
    if (open_request(s, meeting, d->id))
        return ys_fail(err, YS_CONFLICT, "delegate", "%s (%s) is already on the speakers list", d->name, d->code);
    json_t *p = json_pack("{s:i, s:i, s:i}", "id", (int)s->n_speeches + 1, "meeting", meeting, "delegate", d->id);
    /* a delegate's speech says nothing of its kind, as before kinds were recorded */
    if (p && ((topic && *topic && json_object_set_new(p, "topic", json_string(topic))) ||
              (kind != YS_SPEECH_DELEGATE && json_object_set_new(p, "kind", json_string(ys_speech_kind_key(kind)))))) {
        json_decref(p);
        p = NULL;
    }
    return ys_events_add(out, c->time, c->actor, "speech.request", p, err);
}

ys_rc ys_cmd_speech_withdraw(const ys_session *s, const ys_ctx *c, int meeting, const char *code, ys_events *out,
                             ys_err *err)
{
    const ys_delegate *d = code ? ys_delegate_by_code(s, code) : NULL;
    const ys_speech *sp = d ? open_request(s, meeting, d->id) : NULL;
    if (!meeting)
        return ys_fail(err, YS_STATE, "meeting", "no meeting is open");
    if (!d)
        return ys_fail(err, YS_NOT_FOUND, "delegate", "no delegate with code '%s'", code ? code : "");
    if (!sp || sp->state != YS_SPEECH_WAITING)
        return ys_fail(err, YS_STATE, "delegate", "%s (%s) is not waiting to speak at meeting %d", d->name, d->code,
                       meeting);
    return ys_events_add(out, c->time, c->actor, "speech.withdraw", json_pack("{s:i}", "speech", sp->id), err);
}

ys_rc ys_cmd_speech_start(const ys_session *s, const ys_ctx *c, int meeting, const char *code, ys_events *out,
                          ys_err *err)
{
    return ys_cmd_speech_start_as(s, c, meeting, code, YS_SPEECH_DELEGATE, out, err);
}

ys_rc ys_cmd_speech_start_as(const ys_session *s, const ys_ctx *c, int meeting, const char *code, ys_speech_kind kind,
                             ys_events *out, ys_err *err)
{
    const ys_speech *now = ys_meeting_speaker(s, meeting), *sp = NULL;
    const ys_meeting *m = ys_meeting_get(s, meeting);
    const ys_delegate *d;
    ys_rc rc;
    if (now)
        return ys_fail(err, YS_STATE, "meeting", "%s is still speaking; end that speech first",
                       s->delegates[now->delegate - 1].name);
    if (!code) { /* the first in the queue */
        for (size_t i = 0; !sp && i < s->n_speeches; i++)
            if (s->speeches[i].meeting == meeting && s->speeches[i].state == YS_SPEECH_WAITING)
                sp = &s->speeches[i];
        if ((rc = open_meeting(s, meeting, &m, err)))
            return rc;
        if (!sp)
            return ys_fail(err, YS_STATE, "meeting", "nobody is waiting to speak at meeting %d", meeting);
        return ys_events_add(out, c->time, c->actor, "speech.start", json_pack("{s:i}", "speech", sp->id), err);
    }
    if ((rc = speaker_at(s, meeting, code, &m, &d, err)))
        return rc;
    if (!(sp = open_request(s, meeting, d->id)) && (rc = ys_cmd_speech_request_as(s, c, meeting, code, NULL, kind, out, err)))
        return rc;
    return ys_events_add(out, c->time, c->actor, "speech.start",
                         json_pack("{s:i}", "speech", sp ? sp->id : (int)s->n_speeches + 1), err);
}

ys_rc ys_cmd_speech_end(const ys_session *s, const ys_ctx *c, int meeting, const char *summary, ys_events *out,
                        ys_err *err)
{
    const ys_speech *sp = ys_meeting_speaker(s, meeting);
    const char *why = ys_text_problem_lines(summary, 20000);
    if (!meeting)
        return ys_fail(err, YS_STATE, "meeting", "no meeting is open");
    if (!sp)
        return ys_fail(err, YS_STATE, "meeting", "nobody has the floor at meeting %d", meeting);
    if (why)
        return ys_fail(err, YS_INVALID, "summary", "summary %s", why);
    json_t *p = json_pack("{s:i}", "speech", sp->id);
    if (p && summary && *summary && json_object_set_new(p, "summary", json_string(summary))) {
        json_decref(p);
        p = NULL;
    }
    return ys_events_add(out, c->time, c->actor, "speech.end", p, err);
}

/* ---- the fold ---- */

static ys_rc speech_ref(ys_session *s, const json_t *p, ys_speech_state want, ys_speech **out, ys_err *err)
{
    int id;
    ys_rc rc = ys_fold_ref(p, "speech", s->n_speeches, false, &id, err);
    if (rc)
        return rc;
    *out = &s->speeches[id - 1];
    if ((*out)->state != want)
        return ys_fail(err, YS_CORRUPT, "speech", "speech %d is not in the state this event needs", id);
    ys__rec_out(s, YS_REC_SPEECH, id, 0); /* every event that names a speech changes it */
    return YS_OK;
}

ys_rc ys_apply_speech_request(ys_session *s, const ys_event *ev, ys_err *err)
{
    const json_t *p = ev->payload;
    const char *topic, *kind;
    int meeting, delegate, k = YS_SPEECH_DELEGATE;
    ys_rc rc;
    if ((rc = ys_fold_next_id(p, s->n_speeches, err)) || (rc = ys_fold_ref(p, "meeting", s->n_meetings, false, &meeting, err)) ||
        (rc = ys_fold_ref(p, "delegate", s->n_delegates, false, &delegate, err)) ||
        (rc = ys_pl_str_opt(p, "topic", &topic, err)) || (rc = ys_pl_str_opt(p, "kind", &kind, err)))
        return rc;
    if (kind && !(k = ys_speech_kind_parse(kind)))
        return ys_fail(err, YS_CORRUPT, "kind", "speech kind '%s' in event", kind);
    if (open_request(s, meeting, delegate))
        return ys_fail(err, YS_CORRUPT, "delegate", "a second open request of delegate %d at meeting %d", delegate, meeting);
    if (ys_grow((void **)&s->speeches, &s->cap_speeches, s->n_speeches + 1, sizeof *s->speeches))
        return ys_fold_nomem(ev, err);
    ys_speech *sp = &s->speeches[s->n_speeches];
    memset(sp, 0, sizeof *sp);
    sp->id = (int)s->n_speeches + 1;
    sp->meeting = meeting;
    sp->delegate = delegate;
    sp->state = YS_SPEECH_WAITING;
    sp->kind = (ys_speech_kind)k;
    snprintf(sp->requested_at, sizeof sp->requested_at, "%s", ev->time);
    if (topic && !(sp->topic = ys_strdup(topic)))
        return ys_fold_nomem(ev, err);
    s->n_speeches++;
    ys__rec_in(s, YS_REC_SPEECH, sp->id, 0);
    return YS_OK;
}

ys_rc ys_apply_speech_withdraw(ys_session *s, const ys_event *ev, ys_err *err)
{
    ys_speech *sp;
    ys_rc rc = speech_ref(s, ev->payload, YS_SPEECH_WAITING, &sp, err);
    if (rc)
        return rc;
    sp->state = YS_SPEECH_WITHDRAWN;
    ys__rec_in(s, YS_REC_SPEECH, sp->id, 0);
    return YS_OK;
}

ys_rc ys_apply_speech_start(ys_session *s, const ys_event *ev, ys_err *err)
{
    ys_speech *sp;
    ys_rc rc = speech_ref(s, ev->payload, YS_SPEECH_WAITING, &sp, err);
    if (rc)
        return rc;
    if (ys_meeting_speaker(s, sp->meeting))
        return ys_fail(err, YS_CORRUPT, "speech", "two speakers at once at meeting %d", sp->meeting);
    /* the order spoken is the meeting's, as held (the speech's own record is as before it was kept) */
    ys__rec_out(s, YS_REC_HELD, sp->meeting, 0);
    int before = 0;
    for (size_t i = 0; i < s->n_speeches; i++)
        before += s->speeches[i].meeting == sp->meeting && s->speeches[i].spoke > 0;
    sp->spoke = before + 1;
    sp->state = YS_SPEECH_SPEAKING;
    snprintf(sp->started_at, sizeof sp->started_at, "%s", ev->time);
    ys__rec_in(s, YS_REC_SPEECH, sp->id, 0);
    ys__rec_in(s, YS_REC_HELD, sp->meeting, 0);
    return YS_OK;
}

ys_rc ys_apply_speech_end(ys_session *s, const ys_event *ev, ys_err *err)
{
    ys_speech *sp;
    const char *summary;
    ys_rc rc;
    if ((rc = speech_ref(s, ev->payload, YS_SPEECH_SPEAKING, &sp, err)) ||
        (rc = ys_pl_str_opt(ev->payload, "summary", &summary, err)))
        return rc;
    if (summary && !(sp->summary = ys_strdup(summary)))
        return ys_fold_nomem(ev, err);
    sp->state = YS_SPEECH_DONE;
    snprintf(sp->ended_at, sizeof sp->ended_at, "%s", ev->time);
    ys__rec_in(s, YS_REC_SPEECH, sp->id, 0);
    return YS_OK;
}
