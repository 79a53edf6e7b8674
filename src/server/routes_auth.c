/* routes_auth.c — logging in and out: a staff name and password or a delegate's card code and PIN give
 * a token (cookie for browsers, bearer for the rest); failures slow down per account and per address. */
#include "server/routes.h"

#include <string.h>

#define COOKIE_ATTRS "HttpOnly; SameSite=Strict; Path=/"

static const ys_srv_field login_fields[] = {
    {"name", YS_F_STRING, false}, {"password", YS_F_STRING, false},
    {"code", YS_F_STRING, false}, {"pin", YS_F_STRING, false}, {NULL, 0, false}};

static ys_rc do_login(ys_srv *srv, json_t *body, ys_login *out, ys_err *err)
{
    const char *name = json_string_value(json_object_get(body, "name"));
    const char *password = json_string_value(json_object_get(body, "password"));
    const char *code = json_string_value(json_object_get(body, "code"));
    const char *pin = json_string_value(json_object_get(body, "pin"));
    int ttl = srv->cfg.token_ttl;
    if (name && password && !code && !pin)
        return srv->auth ? ys_auth_login_password(srv->auth, name, password, ys_srv_now(), ttl, out, err)
                         : ys_fail(err, YS_UNAUTHORIZED, "name", "no logins in memory mode");
    if (code && pin && !name && !password)
        return srv->auth ? ys_auth_login_card(srv->auth, code, pin, ys_srv_now(), ttl, out, err)
                         : ys_fail(err, YS_UNAUTHORIZED, "code", "no logins in memory mode");
    return ys_fail(err, YS_BAD_FIELD, name || password ? "password" : "code",
                   "give either name and password, or code and pin");
}

void ys_h_login(const ys_srv_call *call, ys_srv_resp *resp)
{
    ys_srv *srv = call->srv;
    const char *addr = call->req->addr ? call->req->addr : "";
    json_t *body = NULL;
    ys_login in;
    ys_err err = {0};
    int wait = ys_srv_throttle_wait(srv->throttle, addr, ys_srv_now());
    if (wait > 0) {
        resp->retry_after = wait;
        ys_srv_errorf(resp, YS_RATE_LIMITED, NULL, "too many failed logins from %.60s; try again in %d s", addr, wait);
        return;
    }
    ys_rc rc = ys_srv_parse_body(call->req, login_fields, &body, &err);
    if (!rc)
        rc = do_login(srv, body, &in, &err);
    json_decref(body);
    if (rc == YS_UNAUTHORIZED)
        ys_srv_throttle_fail(srv->throttle, addr, ys_srv_now());
    if (rc == YS_RATE_LIMITED)
        resp->retry_after = in.retry_after;
    if (rc) {
        ys_srv_error(resp, rc, &err);
        return;
    }
    ys_srv_throttle_ok(srv->throttle, addr);
    snprintf(resp->set_cookie, sizeof resp->set_cookie, "yishi_token=%s; " COOKIE_ATTRS "; Max-Age=%d%s", in.token,
             srv->cfg.token_ttl, srv->cfg.tls_cert ? "; Secure" : "");
    ys_srv_json(resp, 200, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?, s:I, s:b}", "token", in.token, "csrf", in.csrf,
                                     "role", ys_auth_role_key(in.who.role), "name", in.who.name, "actor", in.who.actor,
                                     "delegation", in.who.delegation[0] ? in.who.delegation : NULL, "expires",
                                     (json_int_t)in.who.expires, "pin_set", in.pin_set));
}

void ys_h_logout(const ys_srv_call *call, ys_srv_resp *resp)
{
    ys_err err = {0};
    ys_rc rc = call->srv->auth ? ys_auth_logout(call->srv->auth, call->token, &err) : YS_OK;
    if (rc) {
        ys_srv_error(resp, rc, &err);
        return;
    }
    snprintf(resp->set_cookie, sizeof resp->set_cookie, "yishi_token=; " COOKIE_ATTRS "; Max-Age=0");
    ys_srv_json(resp, 200, json_pack("{s:b}", "ok", 1));
}

void ys_h_me(const ys_srv_call *call, ys_srv_resp *resp)
{
    const ys_principal *w = call->who;
    json_t *o = json_pack("{s:s, s:s, s:s, s:s?, s:I}", "role", ys_auth_role_key(w->role), "name", w->name, "actor",
                          w->actor, "delegation", w->delegation[0] ? w->delegation : NULL, "expires",
                          (json_int_t)w->expires);
    if (o && w->role == YS_AUTH_DELEGATE) {
        const ys_session *s = ys_srv_read_begin(call->srv);
        const ys_delegate *d = ys_delegate_by_code(s, w->name);
        json_object_set_new(o, "delegate", d ? ys_view_delegate(s, d) : json_null());
        ys_srv_read_end(call->srv);
    }
    ys_srv_json(resp, 200, o);
}
