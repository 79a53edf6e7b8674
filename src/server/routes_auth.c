/* routes_auth.c — logging in and out: a staff name and password or a delegate's card code and PIN give
 * a token (cookie for browsers, bearer for the rest) and a device token; failures slow down per address,
 * per name or card, and per known device; the secretariat can unlock. */
#include "server/routes.h"

#include <string.h>

/* A session's cookies are its own: Path is its base ("/s/7/" on a service of many sessions), so that a
 * browser logged in to one session neither sends nor loses its login at another's. */
#define COOKIE_ATTRS "HttpOnly; SameSite=Strict; Path=%s/"

#define DEVICE_COOKIE "yishi_device"

static const ys_srv_field login_fields[] = {
    {"name", YS_F_STRING, false}, {"password", YS_F_STRING, false}, {"code", YS_F_STRING, false},
    {"pin", YS_F_STRING, false}, {"device", YS_F_STRING, false}, {NULL, 0, false}};

/* Logs in, charging the client's address unless the attempt comes from a device known for that login
 * (which the auth store charges instead): an attacker's address fills up, the owner's device does not. */
static ys_rc do_login(ys_srv *srv, const char *addr, const ys_login_try *t, ys_login *out, ys_err *err)
{
    int64_t now = t->now;
    if (!srv->auth)
        return ys_fail(err, YS_UNAUTHORIZED, NULL, "no logins in memory mode");
    bool known = ys_auth_known_device(srv->auth, t);
    int wait = known ? 0 : ys_srv_throttle_take(srv->throttle, addr, now);
    if (wait > 0) {
        out->retry_after = wait;
        return ys_fail(err, YS_RATE_LIMITED, NULL, "%s", YS_AUTH_RATE_LIMITED_TEXT);
    }
    ys_rc rc = ys_auth_login(srv->auth, t, out, err);
    if (!known && rc != YS_UNAUTHORIZED)
        ys_srv_throttle_refund(srv->throttle, addr, now);
    return rc;
}

static void login_cookies(const ys_srv *srv, const ys_login *in, ys_srv_resp *resp)
{
    const char *secure = srv->cfg.tls_cert ? "; Secure" : "";
    snprintf(resp->set_cookie, sizeof resp->set_cookie, "yishi_token=%s; " COOKIE_ATTRS "; Max-Age=%d%s", in->token,
             srv->base, srv->cfg.token_ttl, secure);
    /* Only the login route reads the device token. */
    snprintf(resp->device_cookie, sizeof resp->device_cookie,
             DEVICE_COOKIE "=%s; HttpOnly; SameSite=Strict; Path=%s/api/login; Max-Age=%d%s", in->device, srv->base,
             YS_AUTH_DEVICE_TTL, secure);
}

void ys_h_login(const ys_srv_call *call, ys_srv_resp *resp)
{
    ys_srv *srv = call->srv;
    const char *addr = call->req->addr ? call->req->addr : "";
    json_t *body = NULL;
    ys_login in = {0};
    ys_err err = {0};
    char cookie[YS_AUTH_TOKEN_TEXT];
    ys_rc rc = ys_srv_parse_body(call->req, login_fields, &body, &err);
    if (!rc) {
        const char *device = json_string_value(json_object_get(body, "device"));
        ys_login_try t = {json_string_value(json_object_get(body, "name")),
                          json_string_value(json_object_get(body, "password")),
                          json_string_value(json_object_get(body, "code")),
                          json_string_value(json_object_get(body, "pin")),
                          device ? device : ys_srv_cookie(call->req, DEVICE_COOKIE, cookie, sizeof cookie) ? cookie : NULL,
                          ys_srv_now(), srv->cfg.token_ttl};
        rc = do_login(srv, addr, &t, &in, &err);
    }
    json_decref(body);
    if (rc == YS_RATE_LIMITED)
        resp->retry_after = in.retry_after;
    if (rc) {
        ys_srv_error(resp, rc, &err);
        return;
    }
    login_cookies(srv, &in, resp);
    ys_srv_json(resp, 200, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?, s:I, s:b, s:s}", "token", in.token, "csrf",
                                     in.csrf, "role", ys_auth_role_key(in.who.role), "name", in.who.name, "actor",
                                     in.who.actor, "delegation", in.who.delegation[0] ? in.who.delegation : NULL,
                                     "expires", (json_int_t)in.who.expires, "pin_set", in.pin_set, "device",
                                     in.device));
}

static const ys_srv_field unlock_fields[] = {
    {"name", YS_F_STRING, false}, {"delegate", YS_F_STRING, false}, {"address", YS_F_STRING, false},
    {NULL, 0, false}};

/* The secretariat empties the failed-login bucket of a staff name, a delegate's card or an address. */
void ys_h_login_unlock(const ys_srv_call *call, ys_srv_resp *resp)
{
    json_t *body = NULL;
    ys_err err = {0};
    ys_rc rc = ys_srv_parse_body(call->req, unlock_fields, &body, &err);
    const char *name = json_string_value(json_object_get(body, "name"));
    const char *delegate = json_string_value(json_object_get(body, "delegate"));
    const char *address = json_string_value(json_object_get(body, "address"));
    if (!rc && (!!name + !!delegate + !!address) != 1)
        rc = ys_fail(&err, YS_BAD_FIELD, "name", "give one of name, delegate or address");
    else if (!rc && address)
        ys_srv_throttle_clear(call->srv->throttle, address, ys_srv_now());
    else if (!rc)
        rc = call->srv->auth ? ys_auth_unlock(call->srv->auth, name ? name : delegate, delegate != NULL, &err)
                             : ys_fail(&err, YS_NOT_FOUND, "name", "no logins in memory mode");
    json_decref(body);
    if (rc)
        ys_srv_error(resp, rc, &err);
    else
        ys_srv_json(resp, 200, json_pack("{s:b}", "ok", 1));
}

void ys_h_logout(const ys_srv_call *call, ys_srv_resp *resp)
{
    ys_err err = {0};
    ys_rc rc = call->srv->auth ? ys_auth_logout(call->srv->auth, call->token, &err) : YS_OK;
    if (rc) {
        ys_srv_error(resp, rc, &err);
        return;
    }
    snprintf(resp->set_cookie, sizeof resp->set_cookie, "yishi_token=; " COOKIE_ATTRS "; Max-Age=0", call->srv->base);
    ys_srv_json(resp, 200, json_pack("{s:b}", "ok", 1));
}

void ys_h_me(const ys_srv_call *call, ys_srv_resp *resp)
{
    const ys_principal *w = call->who;
    char csrf[YS_AUTH_CSRF_TEXT];
    /* A page reloaded keeps its cookie but not the login's answer: it gets the CSRF value back here, which
     * only a page of this origin can read. */
    ys_auth_csrf(call->token, csrf);
    json_t *o = json_pack("{s:s, s:s, s:s, s:s?, s:I, s:s}", "role", ys_auth_role_key(w->role), "name", w->name,
                          "actor", w->actor, "delegation", w->delegation[0] ? w->delegation : NULL, "expires",
                          (json_int_t)w->expires, "csrf", csrf);
    if (o && w->role == YS_AUTH_DELEGATE) {
        const ys_session *s = ys_srv_read_begin(call->srv);
        const ys_delegate *d = ys_delegate_by_code(s, w->name);
        json_object_set_new(o, "delegate", d ? ys_view_delegate(s, d) : json_null());
        ys_srv_read_end(call->srv);
    }
    ys_srv_json(resp, 200, o);
}
