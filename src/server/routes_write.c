/* routes_write.c — the routes that change the session. Each parses its body strictly and becomes a
 * command for the writer; the command calls the core (ys_cmd_*), which decides. The only checks here
 * are whose behalf a login may act on: a delegate for themself, a delegation secretary for their own
 * delegation, a chair for the meetings of the whole assembly. */
#include "server/routes.h"

#include "yishi/alloc.h"
#include "yishi/meeting.h"
#include "yishi/number.h"

#include <sodium.h>
#include <string.h>

#define MAX_CODES 5000

const char *ys_h_arg_str(const ys_srv_cmd *cmd, const char *key)
{
    return json_string_value(json_object_get(cmd->args, key));
}

int ys_h_arg_int(const ys_srv_cmd *cmd, const char *key)
{
    return (int)json_integer_value(json_object_get(cmd->args, key));
}

bool ys_h_arg_bool(const ys_srv_cmd *cmd, const char *key)
{
    return json_is_true(json_object_get(cmd->args, key));
}

void ys_h_submit(const ys_srv_call *call, ys_srv_resp *resp, const ys_srv_field *fields, const char *id_key,
                 ys_srv_cmd_fn run, int ok_status)
{
    json_t *args = NULL;
    ys_err err = {0};
    ys_rc rc = ys_srv_parse_body(call->req, fields, &args, &err);
    if (rc) {
        ys_srv_error(resp, rc, &err);
        return;
    }
    if (id_key)
        json_object_set_new(args, id_key, json_integer(ys_h_param_id(call, 0)));
    ys_srv_cmd *cmd = ys_srv_cmd_new(run, args, call->who);
    if (!cmd) {
        ys_srv_errorf(resp, YS_NOMEM, NULL, "out of memory");
        return;
    }
    cmd->ok_status = ok_status;
    resp->cmd = cmd;
    resp->status = 202;
}

/* A delegation secretary acts only within their own delegation. */
static ys_rc own_delegation(const ys_srv_cmd *cmd, const ys_session *s, int delegation, ys_err *err)
{
    if (cmd->who.role != YS_AUTH_DELEGATION_SECRETARY)
        return YS_OK;
    if (delegation > 0 && (size_t)delegation <= s->n_delegations &&
        strcmp(s->delegations[delegation - 1].name, cmd->who.delegation) == 0)
        return YS_OK;
    return ys_fail(err, YS_FORBIDDEN, "delegation", "a delegation secretary of %s acts only for that delegation",
                   cmd->who.delegation);
}

/* ---- meetings ---- */

static ys_rc run_meeting_open(ys_srv_cmd *cmd, const ys_session *s, const ys_ctx *c, ys_events *out, ys_err *err)
{
    const char *kind_s = ys_h_arg_str(cmd, "kind"), *delegation = ys_h_arg_str(cmd, "delegation");
    int kind = ys_meeting_kind_parse(kind_s);
    if (!kind)
        return ys_fail(err, YS_INVALID, "kind", "unknown meeting kind '%.40s' (preparatory, plenary, delegation, group)",
                       kind_s);
    bool whole = kind == YS_MEETING_PREPARATORY || kind == YS_MEETING_PLENARY;
    if (cmd->who.role == YS_AUTH_CHAIR && !whole)
        return ys_fail(err, YS_FORBIDDEN, "kind", "a chair opens the meetings of the whole assembly");
    if (cmd->who.role == YS_AUTH_DELEGATION_SECRETARY) {
        const ys_delegation *d = delegation ? ys_delegation_by_name(s, delegation) : NULL;
        ys_rc rc = own_delegation(cmd, s, d ? d->id : 0, err);
        if (rc)
            return rc;
    }
    return ys_cmd_meeting_open_on(s, c, (ys_meeting_kind)kind, ys_h_arg_str(cmd, "title"), delegation,
                                  ys_h_arg_str(cmd, "date"), ys_h_arg_str(cmd, "half_day"), out, err);
}

void ys_h_meeting_open(const ys_srv_call *call, ys_srv_resp *resp)
{
    static const ys_srv_field f[] = {{"kind", YS_F_STRING, true}, {"title", YS_F_STRING, true},
                                     {"delegation", YS_F_STRING, false}, {"date", YS_F_STRING, false},
                                     {"half_day", YS_F_STRING, false}, {NULL, 0, false}};
    ys_h_submit(call, resp, f, NULL, run_meeting_open, 201);
}

/* Who leads a meeting: a chair those of the whole assembly, a delegation's secretary their delegation's. */
static ys_rc may_lead(const ys_srv_cmd *cmd, const ys_session *s, const ys_meeting *m, ys_err *err)
{
    if (m && cmd->who.role == YS_AUTH_CHAIR && m->delegation)
        return ys_fail(err, YS_FORBIDDEN, "meeting", "a chair leads the meetings of the whole assembly");
    return m ? own_delegation(cmd, s, m->delegation, err) : YS_OK;
}

static ys_rc run_meeting_close(ys_srv_cmd *cmd, const ys_session *s, const ys_ctx *c, ys_events *out, ys_err *err)
{
    const ys_meeting *m = ys_meeting_get(s, ys_h_arg_int(cmd, "meeting"));
    ys_rc rc = may_lead(cmd, s, m, err);
    return rc ? rc : ys_cmd_meeting_close(s, c, m ? m->id : -1, out, err);
}

static ys_rc run_meeting_item(ys_srv_cmd *cmd, const ys_session *s, const ys_ctx *c, ys_events *out, ys_err *err)
{
    const ys_meeting *m = ys_meeting_get(s, ys_h_arg_int(cmd, "meeting"));
    ys_rc rc = may_lead(cmd, s, m, err);
    return rc ? rc : ys_cmd_meeting_item(s, c, m ? m->id : -1, ys_h_arg_int(cmd, "item"), out, err);
}

void ys_h_meeting_item(const ys_srv_call *call, ys_srv_resp *resp)
{
    static const ys_srv_field f[] = {{"item", YS_F_INT, true, 1, YS_ID_MAX}, {NULL, 0, false}};
    ys_h_submit(call, resp, f, "meeting", run_meeting_item, 201);
}

void ys_h_meeting_close(const ys_srv_call *call, ys_srv_resp *resp)
{
    static const ys_srv_field f[] = {{NULL, 0, false}};
    ys_h_submit(call, resp, f, "meeting", run_meeting_close, 200);
}

/* ---- attendance ---- */

static ys_rc run_attendance(ys_srv_cmd *cmd, const ys_session *s, const ys_ctx *c, ys_events *out, ys_err *err)
{
    json_t *codes = json_object_get(cmd->args, "delegates"), *code;
    ys_presence to = (ys_presence)ys_h_arg_int(cmd, "presence");
    const char *reason = ys_h_arg_str(cmd, "reason");
    int meeting = ys_h_arg_int(cmd, "meeting");
    size_t i;
    ys_rc rc;
    if (!ys_meeting_get(s, meeting))
        return ys_fail(err, YS_NOT_FOUND, "meeting", "no meeting %d", meeting);
    json_array_foreach(codes, i, code) {
        const ys_delegate *d = ys_delegate_by_code(s, json_string_value(code));
        if (d && (rc = own_delegation(cmd, s, d->delegation, err)))
            return rc;
        if ((rc = ys_cmd_attendance(s, c, meeting, json_string_value(code), to, reason, out, err)))
            return rc;
    }
    return YS_OK;
}

/* One delegate ("delegate") or many ("delegates"); a delegate may name only themself, or no one. */
static void attendance(const ys_srv_call *call, ys_srv_resp *resp, ys_presence to)
{
    static const ys_srv_field f[] = {{"delegate", YS_F_STRING, false}, {"delegates", YS_F_STRINGS, false},
                                     {"reason", YS_F_STRING, false}, {NULL, 0, false}};
    static const ys_srv_field f_noreason[] = {{"delegate", YS_F_STRING, false},
                                              {"delegates", YS_F_STRINGS, false}, {NULL, 0, false}};
    ys_h_submit(call, resp, to == YS_ON_LEAVE ? f : f_noreason, "meeting", run_attendance, 201);
    ys_srv_cmd *cmd = resp->cmd;
    if (!cmd)
        return;
    json_t *one = json_object_get(cmd->args, "delegate"), *many = json_object_get(cmd->args, "delegates");
    const char *fail = NULL, *field = "delegates";
    ys_rc rc = YS_BAD_FIELD;
    if (one && many)
        fail = "give either delegate or delegates";
    else if (!one && !many && call->who->role != YS_AUTH_DELEGATE)
        fail = "name the delegate (by code)", field = "delegate";
    else if (many && (json_array_size(many) == 0 || json_array_size(many) > MAX_CODES))
        fail = "delegates lists 1 to 5000 codes";
    for (size_t i = 0; many && !fail && i < json_array_size(many); i++)
        for (size_t k = 0; k < i && !fail; k++)
            if (strcmp(json_string_value(json_array_get(many, i)), json_string_value(json_array_get(many, k))) == 0)
                fail = "a code appears twice in delegates";
    if (!fail && call->who->role == YS_AUTH_DELEGATE &&
        (many || (one && strcmp(json_string_value(one), call->who->name) != 0)))
        fail = "a delegate checks in only themself", field = "delegate", rc = YS_FORBIDDEN;
    if (fail) {
        ys_srv_cmd_free(cmd);
        resp->cmd = NULL;
        ys_srv_errorf(resp, rc, field, "%s", fail);
        return;
    }
    if (!many) {
        many = json_array();
        json_array_append_new(many, json_string(one ? json_string_value(one) : call->who->name));
        json_object_set_new(cmd->args, "delegates", many);
    }
    json_object_set_new(cmd->args, "presence", json_integer(to));
}

void ys_h_checkin(const ys_srv_call *call, ys_srv_resp *resp) { attendance(call, resp, YS_PRESENT); }
void ys_h_leave(const ys_srv_call *call, ys_srv_resp *resp) { attendance(call, resp, YS_ON_LEAVE); }
void ys_h_absent(const ys_srv_call *call, ys_srv_resp *resp) { attendance(call, resp, YS_ABSENT); }

/* ---- the end of a mandate ---- */

static ys_rc run_delegate_end(ys_srv_cmd *cmd, const ys_session *s, const ys_ctx *c, ys_events *out, ys_err *err)
{
    int id = ys_h_arg_int(cmd, "delegate");
    if (id < 1 || (size_t)id > s->n_delegates)
        return ys_fail(err, YS_NOT_FOUND, "id", "no delegate %d", id);
    return ys_cmd_delegate_end(s, c, s->delegates[id - 1].code, ys_h_arg_str(cmd, "reason"), out, err);
}

void ys_h_delegate_end(const ys_srv_call *call, ys_srv_resp *resp)
{
    static const ys_srv_field f[] = {{"reason", YS_F_STRING, true}, {NULL, 0, false}};
    ys_h_submit(call, resp, f, "delegate", run_delegate_end, 201);
}

/* ---- documents and imports ---- */

static ys_rc run_document(ys_srv_cmd *cmd, const ys_session *s, const ys_ctx *c, ys_events *out, ys_err *err)
{
    return ys_cmd_document(s, c, ys_h_arg_str(cmd, "title"), cmd->blob_hash, (long long)cmd->blob_len,
                           ys_h_arg_str(cmd, "note"), out, err);
}

void ys_h_document_add(const ys_srv_call *call, ys_srv_resp *resp)
{
    static const ys_srv_field f[] = {{"title", YS_F_STRING, true}, {"content", YS_F_STRING, true},
                                     {"note", YS_F_STRING, false}, {NULL, 0, false}};
    uint8_t h[YS_HASH_BYTES];
    ys_h_submit(call, resp, f, NULL, run_document, 201);
    ys_srv_cmd *cmd = resp->cmd;
    if (!cmd)
        return;
    json_t *content = json_object_get(cmd->args, "content");
    cmd->blob_len = json_string_length(content);
    cmd->blob = ys_strndup(json_string_value(content), cmd->blob_len);
    if (!cmd->blob) {
        ys_srv_cmd_free(cmd);
        resp->cmd = NULL;
        ys_srv_errorf(resp, YS_NOMEM, NULL, "out of memory");
        return;
    }
    crypto_generichash(h, sizeof h, (const uint8_t *)cmd->blob, cmd->blob_len, NULL, 0);
    ys_hash_hex(h, cmd->blob_hash);
    json_object_del(cmd->args, "content");
}

static json_t *diags_json(const ys_diags *d)
{
    json_t *a = json_array();
    for (size_t i = 0; i < d->n; i++)
        json_array_append_new(a, json_pack("{s:i, s:s, s:s}", "line", d->v[i].line, "field", d->v[i].field, "message",
                                           d->v[i].msg));
    return a;
}

static ys_rc run_import(ys_srv_cmd *cmd, const ys_session *s, const ys_ctx *c, ys_events *out, ys_err *err)
{
    const char *kind_s = ys_h_arg_str(cmd, "kind"), *text = ys_h_arg_str(cmd, "csv");
    int kind = ys_import_kind_parse(kind_s);
    ys_csv *csv = NULL;
    ys_diags d;
    if (!kind)
        return ys_fail(err, YS_NOT_FOUND, "kind", "no import of '%.40s' (posts, delegates, attendees, agenda, hall)", kind_s);
    ys_diags_init(&d);
    ys_rc rc = ys_csv_parse(text, json_string_length(json_object_get(cmd->args, "csv")), &csv, &d);
    if (!rc)
        rc = ys_cmd_import(s, c, (ys_import_kind)kind, csv, out, &d);
    if (rc) {
        cmd->diags = diags_json(&d);
        ys_fail(err, rc, "csv", "%zu bad row(s); nothing imported", ys_diags_count(&d));
    }
    ys_csv_free(csv);
    ys_diags_free(&d);
    return rc;
}

void ys_h_import(const ys_srv_call *call, ys_srv_resp *resp)
{
    static const ys_srv_field f[] = {{"csv", YS_F_STRING, true}, {NULL, 0, false}};
    ys_h_submit(call, resp, f, NULL, run_import, 201);
    if (resp->cmd)
        json_object_set_new(resp->cmd->args, "kind", json_string(call->params[0]));
}
