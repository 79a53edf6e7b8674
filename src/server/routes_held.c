/* routes_held.c — a meeting as held over the API: its date and half-day, the people in their roles, the
 * items taken up, its bulletin's number, the record read back, and the plenary report as text. The core
 * decides; here only whose behalf a login acts on: a chair in the whole assembly's meetings, a delegation
 * secretary in their delegation's, the secretariat in all. */
#include "server/routes.h"

#include "yishi/meeting.h"
#include "yishi/number.h"
#include "yishi/report.h"

#include <string.h>

static ys_rc may_record(const ys_srv_cmd *cmd, const ys_session *s, int meeting, const ys_meeting **m, ys_err *err)
{
    if (!(*m = ys_meeting_get(s, meeting)))
        return ys_fail(err, YS_NOT_FOUND, "meeting", "no meeting %d", meeting);
    if (cmd->who.role == YS_AUTH_CHAIR && (*m)->delegation)
        return ys_fail(err, YS_FORBIDDEN, "meeting", "a chair records the meetings of the whole assembly");
    if (cmd->who.role == YS_AUTH_DELEGATION_SECRETARY &&
        (!(*m)->delegation || strcmp(s->delegations[(*m)->delegation - 1].name, cmd->who.delegation) != 0))
        return ys_fail(err, YS_FORBIDDEN, "meeting", "a delegation secretary of %s records only its meetings",
                       cmd->who.delegation);
    return YS_OK;
}

static ys_rc run_held(ys_srv_cmd *cmd, const ys_session *s, const ys_ctx *c, ys_events *out, ys_err *err)
{
    const ys_meeting *m;
    ys_rc rc = may_record(cmd, s, ys_h_arg_int(cmd, "meeting"), &m, err);
    return rc ? rc : ys_cmd_meeting_held(s, c, m->id, ys_h_arg_str(cmd, "date"), ys_h_arg_str(cmd, "half_day"), out, err);
}

void ys_h_meeting_held(const ys_srv_call *call, ys_srv_resp *resp)
{
    static const ys_srv_field f[] = {{"date", YS_F_STRING, true}, {"half_day", YS_F_STRING, true}, {NULL, 0, false}};
    ys_h_submit(call, resp, f, "meeting", run_held, 201);
}

static ys_rc run_person(ys_srv_cmd *cmd, const ys_session *s, const ys_ctx *c, ys_events *out, ys_err *err)
{
    const ys_meeting *m;
    const char *role = ys_h_arg_str(cmd, "role");
    int r = ys_person_role_parse(role);
    ys_rc rc = may_record(cmd, s, ys_h_arg_int(cmd, "meeting"), &m, err);
    if (rc)
        return rc;
    if (!r)
        return ys_fail(err, YS_INVALID, "role", "unknown role '%.40s' (presiding, leader, joined, attending, rostrum)",
                       role);
    return ys_cmd_meeting_person(s, c, m->id, (ys_person_role)r, ys_h_arg_str(cmd, "person"), ys_h_arg_str(cmd, "group"),
                                 ys_h_arg_bool(cmd, "remove"), out, err);
}

void ys_h_meeting_person(const ys_srv_call *call, ys_srv_resp *resp)
{
    static const ys_srv_field f[] = {{"role", YS_F_STRING, true}, {"person", YS_F_STRING, true},
                                     {"group", YS_F_STRING, false}, {"remove", YS_F_BOOL, false}, {NULL, 0, false}};
    ys_h_submit(call, resp, f, "meeting", run_person, 201);
}

static ys_rc run_takeup(ys_srv_cmd *cmd, const ys_session *s, const ys_ctx *c, ys_events *out, ys_err *err)
{
    const ys_meeting *m;
    ys_rc rc = may_record(cmd, s, ys_h_arg_int(cmd, "meeting"), &m, err);
    ys_takeup_args a = {ys_h_arg_int(cmd, "item"), ys_h_arg_str(cmd, "action"), ys_h_arg_str(cmd, "document"),
                        ys_h_arg_int(cmd, "version"), ys_h_arg_str(cmd, "presenter"), ys_h_arg_str(cmd, "presents"),
                        ys_h_arg_str(cmd, "body")};
    return rc ? rc : ys_cmd_meeting_takeup(s, c, m->id, &a, out, err);
}

void ys_h_meeting_takeup(const ys_srv_call *call, ys_srv_resp *resp)
{
    static const ys_srv_field f[] = {
        {"item", YS_F_INT, true, 1, YS_ID_MAX}, {"action", YS_F_STRING, false}, {"document", YS_F_STRING, false},
        {"version", YS_F_INT, false, 1, YS_ID_MAX}, {"presenter", YS_F_STRING, false}, {"presents", YS_F_STRING, false},
        {"body", YS_F_STRING, false}, {NULL, 0, false}};
    ys_h_submit(call, resp, f, "meeting", run_takeup, 201);
}

static ys_rc run_bulletin_issue(ys_srv_cmd *cmd, const ys_session *s, const ys_ctx *c, ys_events *out, ys_err *err)
{
    const ys_meeting *m;
    ys_rc rc = may_record(cmd, s, ys_h_arg_int(cmd, "meeting"), &m, err);
    return rc ? rc : ys_cmd_bulletin_issue(s, c, m->id, out, err);
}

void ys_h_bulletin_issue(const ys_srv_call *call, ys_srv_resp *resp)
{
    static const ys_srv_field f[] = {{NULL, 0, false}};
    ys_h_submit(call, resp, f, "meeting", run_bulletin_issue, 201);
}

static json_t *person_json(const ys_session *s, ys_person p)
{
    const char *post = ys_person_post(s, p);
    json_t *o = json_pack("{s:s, s:o}", "name", ys_person_name(s, p), "post", post ? json_string(post) : json_null());
    if (o && p.delegate)
        json_object_set_new(o, "delegate", json_string(s->delegates[p.delegate - 1].code));
    if (o && p.attendee)
        json_object_set_new(o, "attendee", json_integer(p.attendee));
    return o;
}

static json_t *takeup_json(const ys_session *s, const ys_takeup *t)
{
    json_t *o = json_pack("{s:i, s:s, s:s, s:o, s:i, s:o, s:o, s:o}", "item", t->item, "action",
                          ys_item_kind_key(t->action), "action_zh", ys_item_kind_zh(t->action), "document",
                          t->document ? json_string(s->documents[t->document - 1].title) : json_null(), "version",
                          t->version, "presenter",
                          t->presenter.delegate || t->presenter.attendee ? person_json(s, t->presenter) : json_null(),
                          "presents", t->presents ? json_string(t->presents == YS_PRESENTS_EXPLAIN ? "explain" : "report")
                                                  : json_null(),
                          "body", t->body ? json_string(t->body) : json_null());
    return o;
}

/* The record as held: date, half-day, each person with their role (and rostrum group), the take-ups. */
static json_t *v_held(const ys_srv_call *call, const ys_session *s, ys_err *err)
{
    const ys_meeting *m = ys_meeting_get(s, ys_h_param_id(call, 0));
    if (!m) {
        ys_fail(err, YS_NOT_FOUND, "id", "no meeting %d", ys_h_param_id(call, 0));
        return NULL;
    }
    json_t *people = json_array(), *takeups = json_array();
    for (size_t i = 0; people && i < m->n_people; i++) {
        json_t *p = person_json(s, m->people[i].who);
        if (p && (json_object_set_new(p, "role", json_string(ys_person_role_key(m->people[i].role))) ||
                  (m->people[i].group && json_object_set_new(p, "group", json_string(m->people[i].group)))))
            json_decref(p), p = NULL;
        json_array_append_new(people, p);
    }
    for (size_t i = 0; takeups && i < m->n_takeups; i++)
        json_array_append_new(takeups, takeup_json(s, &m->takeups[i]));
    int issued = ys_meeting_bulletin(s, m->id);
    return json_pack("{s:i, s:o, s:o, s:o, s:o, s:o}", "meeting", m->id, "date",
                     m->date[0] ? json_string(m->date) : json_null(), "half_day",
                     m->half_day ? json_string(ys_half_day_key((ys_half_day)m->half_day)) : json_null(), "people",
                     people, "takeups", takeups, "bulletin", issued ? json_integer(issued) : json_null());
}
void ys_h_meeting_held_view(const ys_srv_call *call, ys_srv_resp *resp) { ys_h_read_view(call, resp, v_held); }

/* The plenary report that `yishi report plenary` prints, from the same function. */
void ys_h_report_plenary(const ys_srv_call *call, ys_srv_resp *resp)
{
    const char *mt = ys_srv_arg(call->req, "meeting"), *fm = ys_srv_arg(call->req, "format");
    long long meeting = 0;
    ys_err err = {0};
    ys_rformat format = fm ? ys_rformat_parse(fm) : YS_RFORMAT_TEXT;
    if ((mt && ys_int_text(mt, "meeting", 1, YS_ID_MAX, YS_INVALID, &meeting, &err)) ||
        (!format && ys_fail(&err, YS_INVALID, "format", "format must be text, html or pdf, not '%s'", fm))) {
        ys_srv_error(resp, YS_INVALID, &err);
        return;
    }
    const ys_session *s = ys_srv_read_begin(call->srv);
    char *text = ys_report_plenary(s, (int)meeting, &err);
    if (text && format == YS_RFORMAT_TEXT)
        text = ys_rdoc_text_footed(s, text); /* the log head it was made from, as every rendering ends */
    ys_rdoc *d = text && format != YS_RFORMAT_TEXT ? ys_rdoc_from_text(s, "大会报告", text) : NULL;
    ys_srv_read_end(call->srv);
    ys_h_send_text_report(resp, text, d, format, &err);
}
