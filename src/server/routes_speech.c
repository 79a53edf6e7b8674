/* routes_speech.c — the speakers list over the API, and the chair's announcements of results. Who may
 * ask for the floor, who gives it and what was said are the core's rules; here only whose behalf a login
 * acts on: a delegate for themself, a delegation secretary in their delegation's meetings, a chair in
 * the meetings of the whole assembly. Who reads what each speaker said is the rule of view.c. */
#include "server/routes.h"

#include "yishi/number.h"
#include "yishi/poll.h"
#include "yishi/alloc.h"
#include "yishi/report.h"
#include "yishi/speech.h"

#include <string.h>

static json_t *view_speech(const ys_session *s, const ys_speech *sp, int order, bool said)
{
    const ys_delegate *d = &s->delegates[sp->delegate - 1];
    json_t *o = json_pack("{s:i, s:i, s:s, s:s, s:s, s:s, s:s, s:s}", "id", sp->id, "order", order, "code", d->code,
                          "name", d->name, "delegation", s->delegations[d->delegation - 1].name, "state",
                          ys_speech_state_word(sp->state), "kind", ys_speech_kind_key(sp->kind), "requested_at",
                          sp->requested_at);
    /* the order of the floor, which the bulletin follows, apart from the order of the requests */
    if (o && sp->spoke)
        json_object_set_new(o, "spoke", json_integer(sp->spoke));
    if (o && sp->topic)
        json_object_set_new(o, "topic", json_string(sp->topic));
    if (o && sp->started_at[0])
        json_object_set_new(o, "started_at", json_string(sp->started_at));
    if (o && sp->ended_at[0])
        json_object_set_new(o, "ended_at", json_string(sp->ended_at));
    if (o && said && sp->summary)
        json_object_set_new(o, "summary", json_string(sp->summary));
    return o;
}

void ys_h_speakers(const ys_srv_call *call, ys_srv_resp *resp)
{
    int meeting = ys_h_param_id(call, 0), order = 0;
    const ys_session *s = ys_srv_read_begin(call->srv);
    const ys_meeting *m = ys_meeting_get(s, meeting);
    ys_viewer v = ys_srv_viewer(s, call->who);
    json_t *o = NULL;
    if (m) {
        const ys_speech *now = ys_meeting_speaker(s, meeting);
        bool said = ys_srv_may_see(&v, YS_SECRET_SPEECH_SUMMARY, m->delegation);
        json_t *list = json_array();
        for (size_t i = 0; i < s->n_speeches; i++)
            if (s->speeches[i].meeting == meeting)
                json_array_append_new(list, view_speech(s, &s->speeches[i], ++order, said));
        o = json_pack("{s:i, s:o, s:o}", "meeting", meeting, "speaking", now ? json_integer(now->id) : json_null(),
                      "speakers", list);
    }
    ys_srv_read_end(call->srv);
    if (o)
        ys_srv_json(resp, 200, o);
    else
        ys_srv_errorf(resp, YS_NOT_FOUND, "id", "no meeting %d", meeting);
}

/* A chair presides over the whole assembly's meetings, a delegation secretary over their delegation's. */
static ys_rc may_preside(const ys_srv_cmd *cmd, const ys_session *s, int meeting, ys_err *err)
{
    const ys_meeting *m = ys_meeting_get(s, meeting);
    if (!m)
        return ys_fail(err, YS_NOT_FOUND, "meeting", "no meeting %d", meeting);
    if (cmd->who.role == YS_AUTH_CHAIR && m->delegation)
        return ys_fail(err, YS_FORBIDDEN, "meeting", "a chair presides over the meetings of the whole assembly");
    if (cmd->who.role == YS_AUTH_DELEGATION_SECRETARY &&
        (!m->delegation || strcmp(s->delegations[m->delegation - 1].name, cmd->who.delegation) != 0))
        return ys_fail(err, YS_FORBIDDEN, "meeting", "a delegation secretary of %s acts only in its meetings",
                       cmd->who.delegation);
    return YS_OK;
}

/* The delegate a request names: a delegate's own login, else the body's "delegate". */
static const char *speaker_of(const ys_srv_cmd *cmd)
{
    return cmd->who.role == YS_AUTH_DELEGATE ? cmd->who.name : ys_h_arg_str(cmd, "delegate");
}

/* The body's kind of speech (absent: a delegate's), or a refusal naming the words known. */
static ys_rc speech_kind_arg(const ys_srv_cmd *cmd, ys_speech_kind *out, ys_err *err)
{
    const char *kind = ys_h_arg_str(cmd, "kind");
    int k = kind ? ys_speech_kind_parse(kind) : YS_SPEECH_DELEGATE;
    if (!k)
        return ys_fail(err, YS_INVALID, "kind", "unknown kind of speech '%.40s' (speech, remarks)", kind);
    *out = (ys_speech_kind)k;
    return YS_OK;
}

static ys_rc run_request(ys_srv_cmd *cmd, const ys_session *s, const ys_ctx *c, ys_events *out, ys_err *err)
{
    int meeting = ys_h_arg_int(cmd, "meeting");
    ys_speech_kind kind = YS_SPEECH_DELEGATE;
    ys_rc rc = cmd->who.role == YS_AUTH_DELEGATE ? YS_OK : may_preside(cmd, s, meeting, err);
    if (!rc)
        rc = speech_kind_arg(cmd, &kind, err);
    return rc ? rc : ys_cmd_speech_request_as(s, c, meeting, speaker_of(cmd), ys_h_arg_str(cmd, "topic"), kind, out,
                                              err);
}

static ys_rc run_withdraw(ys_srv_cmd *cmd, const ys_session *s, const ys_ctx *c, ys_events *out, ys_err *err)
{
    int meeting = ys_h_arg_int(cmd, "meeting");
    ys_rc rc = cmd->who.role == YS_AUTH_DELEGATE ? YS_OK : may_preside(cmd, s, meeting, err);
    return rc ? rc : ys_cmd_speech_withdraw(s, c, meeting, speaker_of(cmd), out, err);
}

static ys_rc run_next(ys_srv_cmd *cmd, const ys_session *s, const ys_ctx *c, ys_events *out, ys_err *err)
{
    int meeting = ys_h_arg_int(cmd, "meeting");
    ys_speech_kind kind = YS_SPEECH_DELEGATE;
    ys_rc rc = may_preside(cmd, s, meeting, err);
    if (!rc)
        rc = speech_kind_arg(cmd, &kind, err);
    return rc ? rc : ys_cmd_speech_start_as(s, c, meeting, ys_h_arg_str(cmd, "delegate"), kind, out, err);
}

static ys_rc run_end(ys_srv_cmd *cmd, const ys_session *s, const ys_ctx *c, ys_events *out, ys_err *err)
{
    int meeting = ys_h_arg_int(cmd, "meeting");
    ys_rc rc = may_preside(cmd, s, meeting, err);
    return rc ? rc : ys_cmd_speech_end(s, c, meeting, ys_h_arg_str(cmd, "summary"), out, err);
}

/* A delegate asks for (or gives up) the floor only for themself: a body naming someone else is refused. */
static void for_oneself(const ys_srv_call *call, ys_srv_resp *resp, const ys_srv_field *f, ys_srv_cmd_fn run)
{
    ys_h_submit(call, resp, f, "meeting", run, 201);
    ys_srv_cmd *cmd = resp->cmd;
    const char *named = cmd ? ys_h_arg_str(cmd, "delegate") : NULL;
    const char *fail = NULL;
    if (!cmd)
        return;
    if (call->who->role == YS_AUTH_DELEGATE && named && strcmp(named, call->who->name) != 0)
        fail = "a delegate asks for the floor only for themself";
    else if (call->who->role != YS_AUTH_DELEGATE && !named)
        fail = "name the delegate (by code)";
    if (fail) {
        ys_srv_cmd_free(cmd);
        resp->cmd = NULL;
        ys_srv_errorf(resp, call->who->role == YS_AUTH_DELEGATE ? YS_FORBIDDEN : YS_BAD_FIELD, "delegate", "%s", fail);
    }
}

void ys_h_speech_request(const ys_srv_call *call, ys_srv_resp *resp)
{
    static const ys_srv_field f[] = {{"delegate", YS_F_STRING, false}, {"topic", YS_F_STRING, false},
                                     {"kind", YS_F_STRING, false}, {NULL, 0, false}};
    for_oneself(call, resp, f, run_request);
}

void ys_h_speech_withdraw(const ys_srv_call *call, ys_srv_resp *resp)
{
    static const ys_srv_field f[] = {{"delegate", YS_F_STRING, false}, {NULL, 0, false}};
    for_oneself(call, resp, f, run_withdraw);
}

void ys_h_speech_next(const ys_srv_call *call, ys_srv_resp *resp)
{
    static const ys_srv_field f[] = {{"delegate", YS_F_STRING, false}, {"kind", YS_F_STRING, false}, {NULL, 0, false}};
    ys_h_submit(call, resp, f, "meeting", run_next, 201);
}

void ys_h_speech_end(const ys_srv_call *call, ys_srv_resp *resp)
{
    static const ys_srv_field f[] = {{"summary", YS_F_STRING, false}, {NULL, 0, false}};
    ys_h_submit(call, resp, f, "meeting", run_end, 201);
}

/* ---- announcing results ---- */

YS_H_BY_ID(poll_announce, ys_cmd_poll_announce, 201)
YS_H_BY_ID(election_announce, ys_cmd_election_announce, 201)

/* ---- the bulletin (简报) ---- */

/* The bulletin that `yishi report bulletin` prints, from the same function; what each speaker said only
 * to those who may read it at that meeting (view.c), the rest to all staff. */
void ys_h_bulletin(const ys_srv_call *call, ys_srv_resp *resp)
{
    const char *mt = ys_srv_arg(call->req, "meeting"), *it = ys_srv_arg(call->req, "issue");
    const char *fm = ys_srv_arg(call->req, "format");
    long long meeting = 0, issue = 0; /* 0: the number the meeting's bulletin was issued with */
    ys_err err = {0};
    ys_rformat format = fm ? ys_rformat_parse(fm) : YS_RFORMAT_TEXT;
    if ((mt && ys_int_text(mt, "meeting", 1, YS_ID_MAX, YS_INVALID, &meeting, &err)) ||
        (it && ys_int_text(it, "issue", 1, YS_REPORT_ISSUE_MAX, YS_INVALID, &issue, &err)) ||
        (!format && ys_fail(&err, YS_INVALID, "format", "format must be text, html or pdf, not '%s'", fm))) {
        ys_srv_error(resp, YS_INVALID, &err);
        return;
    }
    const ys_session *s = ys_srv_read_begin(call->srv);
    const ys_meeting *m = ys_meeting_get(s, meeting ? (int)meeting : s->current_meeting);
    ys_viewer v = ys_srv_viewer(s, call->who);
    bool said = m && ys_srv_may_see(&v, YS_SECRET_SPEECH_SUMMARY, m->delegation);
    char *text = ys_report_bulletin(s, (int)meeting, (int)issue, said, &err);
    if (text && format == YS_RFORMAT_TEXT)
        text = ys_rdoc_text_footed(s, text); /* the log head it was made from, as every rendering ends */
    ys_rdoc *d = text && format != YS_RFORMAT_TEXT ? ys_rdoc_from_text(s, "简报", text) : NULL;
    ys_srv_read_end(call->srv);
    ys_h_send_text_report(resp, text, d, format, &err);
}
