/* routes_logins.c — the secretariat's desk for logins while the server runs (and holds the file): adding a
 * staff account, and issuing a delegate's login card or replacing a lost one, which is logged first. */
#include "server/routes.h"

#include "yishi/alloc.h"
#include "yishi/card.h"

#include <sodium.h>
#include <string.h>

static ys_rc need_logins(const ys_srv *srv, ys_err *err)
{
    return srv->auth ? YS_OK : ys_fail(err, YS_NOT_FOUND, NULL, "no logins in memory mode");
}

/* ---- staff accounts ---- */

static bool known_delegation(ys_srv *srv, const char *name)
{
    bool known = ys_delegation_by_name(ys_srv_read_begin(srv), name) != NULL;
    ys_srv_read_end(srv);
    return known;
}

/* Adds a staff account: as `yishi user add`, which the server's lock on the file keeps out meanwhile.
 * Not logged, as no login is: the password stays in the logins table, hashed. */
void ys_h_user_add(const ys_srv_call *call, ys_srv_resp *resp)
{
    static const ys_srv_field f[] = {{"name", YS_F_STRING, true}, {"role", YS_F_STRING, true},
                                     {"password", YS_F_STRING, true}, {"delegation", YS_F_STRING, false},
                                     {NULL, 0, false}};
    json_t *body = NULL;
    ys_err err = {0};
    ys_rc rc = ys_srv_parse_body(call->req, f, &body, &err);
    const char *name = json_string_value(json_object_get(body, "name"));
    const char *role = json_string_value(json_object_get(body, "role"));
    const char *delegation = json_string_value(json_object_get(body, "delegation"));
    int r = role ? ys_auth_role_parse(role) : -1;
    if (!rc)
        rc = need_logins(call->srv, &err);
    if (!rc && delegation && !known_delegation(call->srv, delegation))
        rc = ys_fail(&err, YS_NOT_FOUND, "delegation", "no delegation named '%.60s' in this session", delegation);
    if (!rc) /* the store says which roles are staff, and that only a delegation secretary names a delegation */
        rc = ys_auth_add_account(call->srv->auth, name, r < 0 ? YS_AUTH_OBSERVER : (ys_auth_role)r, delegation,
                                 json_string_value(json_object_get(body, "password")), &err);
    if (rc)
        ys_srv_error(resp, rc, &err);
    else
        ys_srv_json(resp, 201, json_pack("{s:s, s:s, s:s?}", "name", name, "role", role, "delegation", delegation));
    json_decref(body);
}

/* ---- delegates' cards ---- */

/* Card checks and cards made by this server, one at a time: two requests for a delegate's first card must
 * not both see none, and the second silently replace the first. */
static pthread_mutex_t card_lock = PTHREAD_MUTEX_INITIALIZER;

typedef struct card_probe {
    const char *code;
    bool found;
} card_probe;

static void probe_card(const char *kind, const char *name, const char *role, const char *delegation, bool pin_set,
                       void *ud)
{
    card_probe *p = ud;
    (void)role, (void)delegation, (void)pin_set;
    if (!strcmp(kind, "card") && !strcmp(name, p->code))
        p->found = true;
}

static ys_rc has_card(ys_auth *a, const char *code, bool *out, ys_err *err)
{
    card_probe p = {code, false};
    ys_rc rc = ys_auth_list(a, probe_card, &p, err);
    *out = p.found;
    return rc;
}

/* On the writer: a card that replaces one is refused unless asked for ("reissue"), else logged. */
static ys_rc run_card(ys_srv_cmd *cmd, const ys_session *s, const ys_ctx *c, ys_events *out, ys_err *err)
{
    int id = ys_h_arg_int(cmd, "delegate");
    bool replaces = ys_h_arg_bool(cmd, "replaces");
    if (id < 1 || (size_t)id > s->n_delegates)
        return ys_fail(err, YS_NOT_FOUND, "id", "no delegate %d", id);
    const ys_delegate *d = &s->delegates[id - 1];
    if (replaces && !ys_h_arg_bool(cmd, "reissue"))
        return ys_fail(err, YS_CONFLICT, "reissue", "%s %s (%s) already has a card; {\"reissue\": true} replaces it, "
                       "and the card printed before stops working", d->code, d->name,
                       s->delegations[d->delegation - 1].name);
    return ys_cmd_card_issue(s, c, d->code, replaces, out, err);
}

/* The card and how it is printed, added to the answer: the code, what its QR code encodes, the SVG. */
static void card_answer(ys_srv *srv, int id, const char *card, bool replaced, ys_srv_resp *r)
{
    const ys_session *s = ys_srv_read_begin(srv);
    const ys_delegate *d = &s->delegates[id - 1];
    char *svg = ys_card_svg(card, d->code, d->name);
    json_t *more = svg ? json_pack("{s:o, s:s, s:s, s:s, s:b}", "delegate", ys_view_delegate(s, d), "card", card, "qr",
                                   card, "svg", svg, "replaced", replaced)
                       : NULL;
    ys_srv_read_end(srv);
    ys_free(svg);
    /* The card exists now; an answer without it would leave the delegate with a card nobody can print. */
    if (!more || r->status != 201 || json_object_update_new(r->json, more))
        ys_srv_errorf(r, YS_NOMEM, NULL, "out of memory after the card was made: issue it again, with reissue");
}

/* Once the log has what happened (card.reissue), the card is made: the printed one stops working. */
static void card_make(ys_srv_cmd *cmd, ys_srv *srv, ys_srv_resp *r)
{
    const char *code = ys_h_arg_str(cmd, "code");
    bool replaces = ys_h_arg_bool(cmd, "replaces"), had = false;
    char card[YS_AUTH_CARD_TEXT];
    ys_err err = {0};
    pthread_mutex_lock(&card_lock);
    ys_rc rc = has_card(srv->auth, code, &had, &err);
    if (!rc && had && !replaces)
        rc = ys_fail(&err, YS_CONFLICT, "reissue", "a card was issued to %s meanwhile; {\"reissue\": true} replaces it",
                     code);
    if (!rc)
        rc = ys_auth_issue_card(srv->auth, code, NULL, card, &err);
    pthread_mutex_unlock(&card_lock);
    if (rc)
        ys_srv_error(r, rc, &err);
    else
        card_answer(srv, ys_h_arg_int(cmd, "delegate"), card, replaces, r);
    sodium_memzero(card, sizeof card);
}

/* Issues a delegate's card, or with "reissue" replaces the one they have: as `yishi cards [--reissue]`. */
void ys_h_card(const ys_srv_call *call, ys_srv_resp *resp)
{
    static const ys_srv_field f[] = {{"reissue", YS_F_BOOL, false}, {NULL, 0, false}};
    ys_err err = {0};
    bool had = false;
    ys_rc rc = need_logins(call->srv, &err);
    if (rc) {
        ys_srv_error(resp, rc, &err);
        return;
    }
    ys_h_submit(call, resp, f, "delegate", run_card, 201);
    ys_srv_cmd *cmd = resp->cmd;
    if (!cmd)
        return;
    int id = ys_h_arg_int(cmd, "delegate");
    const ys_session *s = ys_srv_read_begin(call->srv);
    bool known = id >= 1 && (size_t)id <= s->n_delegates; /* an unknown one is the writer's 404 */
    char *code = known ? ys_strdup(s->delegates[id - 1].code) : NULL;
    ys_srv_read_end(call->srv);
    if (known && !code)
        rc = ys_fail(&err, YS_NOMEM, NULL, "out of memory");
    if (code) { /* whether a card is replaced, and so logged, is known only to the logins */
        pthread_mutex_lock(&card_lock);
        rc = has_card(call->srv->auth, code, &had, &err);
        pthread_mutex_unlock(&card_lock);
        if (!rc && (json_object_set_new(cmd->args, "code", json_string(code)) ||
                    json_object_set_new(cmd->args, "replaces", json_boolean(had))))
            rc = ys_fail(&err, YS_NOMEM, NULL, "out of memory");
        cmd->then = card_make;
    }
    ys_free(code);
    if (rc) {
        ys_srv_cmd_free(cmd);
        resp->cmd = NULL;
        ys_srv_error(resp, rc, &err);
    }
}
