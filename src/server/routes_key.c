/* routes_key.c — the key ceremony of verifiable ballots over the API: the secretariat names the trustees,
 * and each trustee posts its own messages from its own device. Whose turn it is and what is checked are
 * the core's (key.c); here only who a login is, and that the named trustees are trustee accounts. */
#include "server/routes.h"

#include "yishi/auth.h"
#include "yishi/key.h"
#include "yishi/vkey.h"

#include <string.h>

static json_t *or_null(const json_t *j) { return j ? json_incref((json_t *)j) : json_null(); }

/* A key as the board shows it: its trustees and their progress, the joint key and public shares once
 * known, and every message posted, so that a trustee's device can check the others' and open its shares. */
static json_t *view_key(const ys_key *k)
{
    char joint[45] = "";
    json_t *trustees = json_array();
    for (int i = 0; trustees && i < k->n; i++) {
        const ys_key_trustee *t = &k->trustees[i];
        json_array_append_new(trustees, json_pack("{s:i, s:s, s:b, s:b, s:b, s:o, s:o, s:o}", "index", i + 1, "login",
                                                  t->login, "committed", t->committed, "shared", t->shared, "ready",
                                                  t->ready, "commitment", or_null(t->commitment), "shares",
                                                  or_null(t->shares), "public_share", or_null(t->public_share)));
    }
    bool known = ys_vkey_committed(k->v) && ys_vkey_joint_key(k->v, joint, NULL) == YS_OK;
    json_t *o = json_pack("{s:i, s:i, s:s, s:s, s:s?, s:s?, s:o}", "id", k->id, "threshold", k->k, "state",
                          ys_key_state_word(k->state), "created_at", k->created_at, "completed_at",
                          k->completed_at[0] ? k->completed_at : NULL, "joint_key", known ? joint : NULL, "trustees",
                          trustees);
    if (o && k->complaint)
        json_object_set_new(o, "complaint", json_pack("{s:i, s:i, s:s}", "by", k->complaint_by, "against",
                                                      k->complaint_against, "reason", k->complaint));
    return o;
}

static json_t *keys_view(const ys_srv_call *call, const ys_session *s, ys_err *err)
{
    (void)call, (void)err;
    json_t *a = json_array();
    for (size_t i = 0; a && i < s->n_keys; i++)
        json_array_append_new(a, view_key(&s->keys[i]));
    return json_pack("{s:o}", "keys", a);
}

static json_t *key_view(const ys_srv_call *call, const ys_session *s, ys_err *err)
{
    int id = ys_h_param_id(call, 0);
    const ys_key *k = ys_key_get(s, id);
    if (!k) {
        ys_fail(err, YS_NOT_FOUND, "id", "no key %d", id);
        return NULL;
    }
    return view_key(k);
}

void ys_h_keys(const ys_srv_call *call, ys_srv_resp *resp) { ys_h_read_view(call, resp, keys_view); }
void ys_h_key(const ys_srv_call *call, ys_srv_resp *resp) { ys_h_read_view(call, resp, key_view); }

/* ---- the secretariat starts a ceremony ---- */

/* Every login named is an account of the role trustee (yishi/auth.h says why). A server without logins
 * (memory mode) has no accounts to ask. */
static ys_rc check_trustee_accounts(ys_srv *srv, const json_t *logins, ys_err *err)
{
    const char *names[YS_VKEY_MAX_TRUSTEES];
    size_t n = json_array_size(logins);
    if (!srv->auth || n > YS_VKEY_MAX_TRUSTEES)
        return YS_OK; /* the core refuses too many */
    for (size_t i = 0; i < n; i++)
        names[i] = json_string_value(json_array_get(logins, i));
    return ys_auth_check_trustees(srv->auth, names, n, err);
}

static ys_rc run_create(ys_srv_cmd *cmd, const ys_session *s, const ys_ctx *c, ys_events *out, ys_err *err)
{
    const json_t *a = json_object_get(cmd->args, "trustees");
    size_t n = json_array_size(a);
    const char *logins[YS_VKEY_MAX_TRUSTEES + 1];
    if (n > YS_VKEY_MAX_TRUSTEES)
        return ys_fail(err, YS_INVALID, "trustees", "a key has 1 to %d trustees, not %zu", YS_VKEY_MAX_TRUSTEES, n);
    for (size_t i = 0; i < n; i++)
        logins[i] = json_string_value(json_array_get(a, i));
    return ys_cmd_key_create(s, c, logins, n, ys_h_arg_int(cmd, "threshold"), out, err);
}

void ys_h_key_create(const ys_srv_call *call, ys_srv_resp *resp)
{
    static const ys_srv_field f[] = {{"trustees", YS_F_STRINGS, true}, {"threshold", YS_F_INT, true, 1, 32},
                                     {NULL, 0, false}};
    ys_err err = {0};
    ys_h_submit(call, resp, f, NULL, run_create, 201);
    if (resp->cmd && check_trustee_accounts(call->srv, json_object_get(resp->cmd->args, "trustees"), &err)) {
        ys_srv_cmd_free(resp->cmd);
        resp->cmd = NULL;
        ys_srv_error(resp, err.rc, &err);
    }
}

/* ---- a trustee's own messages ---- */

/* The message is the body without the path's id: what the trustee's device made. */
static json_t *message_of(const ys_srv_cmd *cmd)
{
    json_t *m = json_copy(cmd->args);
    if (m)
        json_object_del(m, "id");
    return m;
}

static ys_rc run_commit(ys_srv_cmd *cmd, const ys_session *s, const ys_ctx *c, ys_events *out, ys_err *err)
{
    json_t *m = message_of(cmd);
    ys_rc rc = m ? ys_cmd_key_commit(s, c, ys_h_arg_int(cmd, "id"), cmd->who.name, m, out, err) : YS_NOMEM;
    json_decref(m);
    return rc;
}

static ys_rc run_ready(ys_srv_cmd *cmd, const ys_session *s, const ys_ctx *c, ys_events *out, ys_err *err)
{
    json_t *m = message_of(cmd);
    ys_rc rc = m ? ys_cmd_key_ready(s, c, ys_h_arg_int(cmd, "id"), cmd->who.name, m, out, err) : YS_NOMEM;
    json_decref(m);
    return rc;
}

static ys_rc run_shares(ys_srv_cmd *cmd, const ys_session *s, const ys_ctx *c, ys_events *out, ys_err *err)
{
    return ys_cmd_key_shares(s, c, ys_h_arg_int(cmd, "id"), cmd->who.name, json_object_get(cmd->args, "shares"), out,
                             err);
}

static ys_rc run_complaint(ys_srv_cmd *cmd, const ys_session *s, const ys_ctx *c, ys_events *out, ys_err *err)
{
    return ys_cmd_key_complain(s, c, ys_h_arg_int(cmd, "id"), cmd->who.name, ys_h_arg_int(cmd, "against"),
                               ys_h_arg_str(cmd, "reason"), out, err);
}

void ys_h_key_commit(const ys_srv_call *call, ys_srv_resp *resp)
{
    static const ys_srv_field f[] = {{"commitments", YS_F_ANY, true}, {"proofs", YS_F_ANY, true},
                                     {"box", YS_F_STRING, true}, {NULL, 0, false}};
    ys_h_submit(call, resp, f, "id", run_commit, 201);
}

void ys_h_key_shares(const ys_srv_call *call, ys_srv_resp *resp)
{
    static const ys_srv_field f[] = {{"shares", YS_F_ANY, true}, {NULL, 0, false}};
    ys_h_submit(call, resp, f, "id", run_shares, 201);
}

void ys_h_key_ready(const ys_srv_call *call, ys_srv_resp *resp)
{
    static const ys_srv_field f[] = {{"share", YS_F_STRING, true}, {"proof", YS_F_ANY, true}, {NULL, 0, false}};
    ys_h_submit(call, resp, f, "id", run_ready, 201);
}

void ys_h_key_complaint(const ys_srv_call *call, ys_srv_resp *resp)
{
    static const ys_srv_field f[] = {{"against", YS_F_INT, true, 1, 32}, {"reason", YS_F_STRING, true},
                                     {NULL, 0, false}};
    ys_h_submit(call, resp, f, "id", run_complaint, 201);
}
