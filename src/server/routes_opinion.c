/* routes_opinion.c — the opinions on a document over the API (opinion.h): staff read them (the drafting
 * team's working papers, as a speech's summary is staff's); the secretariat or a delegation's secretary, for
 * its own delegation, records them; the secretariat records a version's explanation of changes. */
#include "server/routes.h"

#include "yishi/alloc.h"
#include "yishi/opinion.h"

#include <string.h>

static json_t *view_opinion(const ys_session *s, const ys_opinion *o)
{
    const ys_delegate *d = o->delegate ? &s->delegates[o->delegate - 1] : NULL;
    return json_pack("{s:i, s:i, s:s, s:s, s:s, s:o, s:o, s:o, s:s}", "id", o->id, "version", o->version, "section",
                     o->section, "text", o->text, "delegation", s->delegations[o->delegation - 1].name, "delegate",
                     d ? json_pack("{s:s, s:s}", "code", d->code, "name", d->name) : json_null(), "meeting",
                     o->meeting ? json_integer(o->meeting) : json_null(), "taken_up_in",
                     o->taken_up_in ? json_integer(o->taken_up_in) : json_null(), "at", o->at);
}

static json_t *v_opinions(const ys_srv_call *call, const ys_session *s, ys_err *err)
{
    int id = ys_h_param_id(call, 0);
    if (id < 1 || (size_t)id > s->n_documents) {
        ys_fail(err, YS_NOT_FOUND, "id", "no document %d", id);
        return NULL;
    }
    json_t *opinions = json_array(), *explanations = json_array();
    for (size_t i = 0; i < s->n_opinions; i++)
        if (s->opinions[i].document == id)
            json_array_append_new(opinions, view_opinion(s, &s->opinions[i]));
    for (size_t i = 0; i < s->n_explanations; i++) {
        const ys_explanation *x = &s->explanations[i];
        if (x->document != id)
            continue;
        json_t *taken = json_array();
        for (size_t k = 0; k < x->n_taken; k++)
            json_array_append_new(taken, json_integer(x->taken[k]));
        json_array_append_new(explanations, json_pack("{s:i, s:s, s:o, s:s}", "version", x->version, "text", x->text,
                                                      "taken_up", taken, "at", x->at));
    }
    return json_pack("{s:i, s:s, s:o, s:o}", "document", id, "title", s->documents[id - 1].title, "opinions", opinions,
                     "explanations", explanations);
}

void ys_h_opinions(const ys_srv_call *call, ys_srv_resp *resp) { ys_h_read_view(call, resp, v_opinions); }

static const char *document_title(const ys_session *s, int id)
{
    return id >= 1 && (size_t)id <= s->n_documents ? s->documents[id - 1].title : NULL;
}

static ys_rc run_add(ys_srv_cmd *cmd, const ys_session *s, const ys_ctx *c, ys_events *out, ys_err *err)
{
    const char *title = document_title(s, ys_h_arg_int(cmd, "document"));
    ys_opinion_args a = {.document = title, .section = ys_h_arg_str(cmd, "section"), .text = ys_h_arg_str(cmd, "text"),
                         .delegate = ys_h_arg_str(cmd, "delegate"), .delegation = ys_h_arg_str(cmd, "delegation"),
                         .meeting = ys_h_arg_int(cmd, "meeting")};
    bool dsec = cmd->who.role == YS_AUTH_DELEGATION_SECRETARY;
    if (!title)
        return ys_fail(err, YS_NOT_FOUND, "id", "no document %d", ys_h_arg_int(cmd, "document"));
    if (dsec && !a.delegation)
        a.delegation = cmd->who.delegation; /* a delegation's secretary records their delegation's */
    if (dsec && strcmp(a.delegation, cmd->who.delegation) != 0)
        return ys_fail(err, YS_FORBIDDEN, "delegation", "a delegation secretary of %s records only its opinions",
                       cmd->who.delegation);
    return ys_cmd_opinion_add(s, c, &a, out, err);
}

void ys_h_opinion_add(const ys_srv_call *call, ys_srv_resp *resp)
{
    static const ys_srv_field f[] = {{"section", YS_F_STRING, true},    {"text", YS_F_STRING, true},
                                     {"delegate", YS_F_STRING, false},  {"delegation", YS_F_STRING, false},
                                     {"meeting", YS_F_INT, false, 1, 999999999}, {NULL, 0, false}};
    ys_h_submit(call, resp, f, "document", run_add, 201);
}

#define TAKEN_MAX 4096

static ys_rc run_explain(ys_srv_cmd *cmd, const ys_session *s, const ys_ctx *c, ys_events *out, ys_err *err)
{
    const json_t *list = json_object_get(cmd->args, "taken_up"), *v;
    const char *title = document_title(s, ys_h_arg_int(cmd, "document"));
    int taken[TAKEN_MAX];
    size_t n = 0, i;
    if (!title)
        return ys_fail(err, YS_NOT_FOUND, "id", "no document %d", ys_h_arg_int(cmd, "document"));
    if (list && (!json_is_array(list) || json_array_size(list) > TAKEN_MAX))
        return ys_fail(err, YS_BAD_FIELD, "taken_up", "taken_up is a list of at most %d opinion numbers", TAKEN_MAX);
    json_array_foreach(list, i, v) {
        if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 999999999)
            return ys_fail(err, YS_BAD_FIELD, "taken_up", "taken_up[%zu] is not an opinion's number", i);
        taken[n++] = (int)json_integer_value(v);
    }
    return ys_cmd_document_explain(s, c, title, ys_h_arg_int(cmd, "version"), ys_h_arg_str(cmd, "text"), taken, n, out,
                                   err);
}

void ys_h_document_explain(const ys_srv_call *call, ys_srv_resp *resp)
{
    static const ys_srv_field f[] = {{"version", YS_F_INT, true, 1, 999999999}, {"text", YS_F_STRING, true},
                                     {"taken_up", YS_F_ANY, false}, {NULL, 0, false}};
    ys_h_submit(call, resp, f, "document", run_explain, 201);
}
