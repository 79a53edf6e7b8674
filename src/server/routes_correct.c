/* routes_correct.c — corrections of the record over the API (correct.h): a delegate, an agenda item, an
 * attendee, each with its reason. The secretariat's; what may change and how it is checked is the core's. */
#include "server/routes.h"

#include "yishi/correct.h"

static ys_rc run_delegate(ys_srv_cmd *cmd, const ys_session *s, const ys_ctx *c, ys_events *out, ys_err *err)
{
    int id = ys_h_arg_int(cmd, "delegate");
    if (id < 1 || (size_t)id > s->n_delegates)
        return ys_fail(err, YS_NOT_FOUND, "id", "no delegate %d", id);
    ys_delegate_fix fix = {ys_h_arg_str(cmd, "name"), ys_h_arg_str(cmd, "gender"), ys_h_arg_str(cmd, "ethnicity"),
                           ys_h_arg_str(cmd, "delegation"), ys_h_arg_str(cmd, "post")};
    return ys_cmd_delegate_correct(s, c, s->delegates[id - 1].code, &fix, ys_h_arg_str(cmd, "reason"), out, err);
}

void ys_h_delegate_correct(const ys_srv_call *call, ys_srv_resp *resp)
{
    static const ys_srv_field f[] = {{"reason", YS_F_STRING, true},     {"name", YS_F_STRING, false},
                                     {"gender", YS_F_STRING, false},    {"ethnicity", YS_F_STRING, false},
                                     {"delegation", YS_F_STRING, false}, {"post", YS_F_STRING, false},
                                     {NULL, 0, false}};
    ys_h_submit(call, resp, f, "delegate", run_delegate, 201);
}

static ys_rc run_item(ys_srv_cmd *cmd, const ys_session *s, const ys_ctx *c, ys_events *out, ys_err *err)
{
    ys_item_fix fix = {ys_h_arg_str(cmd, "title"), ys_h_arg_str(cmd, "kind"), ys_h_arg_str(cmd, "presenter"),
                       ys_h_arg_str(cmd, "document")};
    return ys_cmd_item_correct(s, c, ys_h_arg_int(cmd, "item"), &fix, ys_h_arg_str(cmd, "reason"), out, err);
}

void ys_h_item_correct(const ys_srv_call *call, ys_srv_resp *resp)
{
    static const ys_srv_field f[] = {{"reason", YS_F_STRING, true},    {"title", YS_F_STRING, false},
                                     {"kind", YS_F_STRING, false},      {"presenter", YS_F_STRING, false},
                                     {"document", YS_F_STRING, false}, {NULL, 0, false}};
    ys_h_submit(call, resp, f, "item", run_item, 201);
}

static ys_rc run_attendee(ys_srv_cmd *cmd, const ys_session *s, const ys_ctx *c, ys_events *out, ys_err *err)
{
    ys_attendee_fix fix = {ys_h_arg_str(cmd, "name"), ys_h_arg_str(cmd, "kind"), ys_h_arg_str(cmd, "post"),
                           ys_h_arg_str(cmd, "affiliation")};
    return ys_cmd_attendee_correct(s, c, ys_h_arg_int(cmd, "attendee"), &fix, ys_h_arg_str(cmd, "reason"), out, err);
}

void ys_h_attendee_correct(const ys_srv_call *call, ys_srv_resp *resp)
{
    static const ys_srv_field f[] = {{"reason", YS_F_STRING, true}, {"name", YS_F_STRING, false},
                                     {"kind", YS_F_STRING, false},   {"post", YS_F_STRING, false},
                                     {"affiliation", YS_F_STRING, false}, {NULL, 0, false}};
    ys_h_submit(call, resp, f, "attendee", run_attendee, 201);
}
