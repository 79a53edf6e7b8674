/* router.c — from a request to a handler: match the path in the route table, find out who is asking,
 * check the role and the CSRF guard, parse bodies strictly; and the JSON error every refusal carries. */
#include "server/server.h"

#include "yishi/alloc.h"
#include "yishi/number.h"
#include "yishi/utf8.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define COOKIE_NAME "yishi_token"

/* ---- responses ---- */

void ys_srv_resp_free(ys_srv_resp *r)
{
    json_decref(r->json);
    ys_free(r->raw);
    r->json = NULL;
    r->raw = NULL;
}

void ys_srv_json(ys_srv_resp *r, int status, json_t *body)
{
    json_decref(r->json);
    r->status = body ? status : 500;
    r->json = body ? body : json_pack("{s:s, s:s}", "error", "out_of_memory", "message", "内存不足 / out of memory");
}

void ys_srv_error(ys_srv_resp *r, ys_rc rc, const ys_err *err)
{
    char msg[800];
    json_t *o = json_pack("{s:s, s:s}", "error", ys_rc_code(rc), "message", ys_err_text(rc, err, msg, sizeof msg));
    if (!o && err && err->msg[0]) /* a detail that quotes bytes which are not UTF-8 (a path): the table's text alone */
        o = json_pack("{s:s, s:s}", "error", ys_rc_code(rc), "message", ys_err_text(rc, NULL, msg, sizeof msg));
    if (o && err && err->field[0])
        json_object_set_new(o, "field", json_string(err->field));
    ys_srv_json(r, ys_rc_http(rc), o);
}

void ys_srv_errorf(ys_srv_resp *r, ys_rc rc, const char *field, const char *fmt, ...)
{
    ys_err err = {.rc = rc};
    va_list ap;
    snprintf(err.field, sizeof err.field, "%s", field ? field : "");
    va_start(ap, fmt);
    vsnprintf(err.msg, sizeof err.msg, fmt, ap);
    va_end(ap);
    ys_srv_error(r, rc, &err);
}

const char *ys_srv_arg(const ys_srv_req *req, const char *key)
{
    for (size_t i = 0; i < req->n_args; i++)
        if (req->args[i].key && strcmp(req->args[i].key, key) == 0)
            return req->args[i].value ? req->args[i].value : "";
    return NULL;
}

/* ---- time and state ---- */

int64_t ys_srv_now(void) { return (int64_t)time(NULL); }

void ys_srv_time_text(char out[32])
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ys_event_time(ts.tv_sec, ts.tv_nsec, out);
}

const ys_session *ys_srv_read_begin(ys_srv *srv)
{
    pthread_rwlock_rdlock(&srv->state_lock);
    return srv->journal ? srv->journal->session : srv->memory;
}

void ys_srv_read_end(ys_srv *srv) { pthread_rwlock_unlock(&srv->state_lock); }

ys_srv *ys_srv_new_memory(ys_session *s)
{
    ys_srv *srv = ys_calloc(1, sizeof *srv);
    if (!srv)
        return NULL;
    ys_serve_defaults(&srv->cfg);
    srv->memory = s;
    pthread_rwlock_init(&srv->state_lock, NULL);
    ys_srv_vcache_init(srv);
    srv->throttle = ys_srv_throttle_new();
    return srv;
}

void ys_srv_free_memory(ys_srv *srv)
{
    if (!srv)
        return;
    ys_srv_throttle_free(srv->throttle);
    ys_srv_vcache_free(srv);
    pthread_rwlock_destroy(&srv->state_lock);
    ys_free(srv);
}

/* ---- strict bodies ---- */

static bool type_ok(const json_t *v, ys_field_type t)
{
    switch (t) {
    case YS_F_STRING: return json_is_string(v);
    case YS_F_INT: return json_is_integer(v);
    case YS_F_BOOL: return json_is_boolean(v);
    case YS_F_ANY: return true;
    case YS_F_STRINGS: {
        size_t i;
        json_t *e;
        if (!json_is_array(v))
            return false;
        json_array_foreach(v, i, e)
            if (!json_is_string(e))
                return false;
        return true;
    }
    }
    return false;
}

static const char *type_words(ys_field_type t)
{
    switch (t) {
    case YS_F_STRING: return "a string";
    case YS_F_INT: return "an integer";
    case YS_F_BOOL: return "true or false";
    case YS_F_STRINGS: return "an array of strings";
    case YS_F_ANY: return "a value";
    }
    return "a value";
}

ys_rc ys_srv_parse_body(const ys_srv_req *req, const ys_srv_field *fields, json_t **out, ys_err *err)
{
    json_error_t jerr;
    const char *key;
    json_t *v, *o;
    *out = NULL;
    if (req->body_len == 0) {
        if (!(o = json_object()))
            return ys_fail(err, YS_NOMEM, NULL, "out of memory reading the body");
    } else {
        ys_rc rc = ys_json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &o, &jerr);
        if (rc == YS_NOMEM)
            return ys_fail(err, YS_NOMEM, NULL, "out of memory reading the body");
        if (rc)
            return ys_fail(err, YS_INVALID, "body", "malformed JSON at line %d, column %d: %s", jerr.line,
                           jerr.column, jerr.text);
    }
    if (!json_is_object(o)) {
        json_decref(o);
        return ys_fail(err, YS_BAD_FIELD, "body", "the body must be a JSON object");
    }
    json_object_foreach(o, key, v) {
        const ys_srv_field *f = fields;
        while (f && f->name && strcmp(f->name, key) != 0)
            f++;
        if (!f || !f->name) {
            ys_fail(err, YS_BAD_FIELD, key, "unknown field '%.40s'", key);
            json_decref(o);
            return YS_BAD_FIELD;
        }
        long long n;
        if (f->type == YS_F_INT && ys_int_json(v, f->name, f->min, f->max, YS_BAD_FIELD, &n, err)) {
            json_decref(o);
            return YS_BAD_FIELD;
        }
        if (!type_ok(v, f->type)) {
            ys_fail(err, YS_BAD_FIELD, key, "'%s' must be %s", f->name, type_words(f->type));
            json_decref(o);
            return YS_BAD_FIELD;
        }
    }
    for (const ys_srv_field *f = fields; f && f->name; f++) {
        if (f->required && !json_object_get(o, f->name)) {
            ys_fail(err, YS_BAD_FIELD, f->name, "'%s' is required", f->name);
            json_decref(o);
            return YS_BAD_FIELD;
        }
    }
    *out = o;
    return YS_OK;
}

/* ---- matching ---- */

static bool segment_ok(const char *kind, size_t kind_len, const char *seg, size_t len)
{
    if (len == 0)
        return false;
    if (kind_len == 2 && strncmp(kind, "id", 2) == 0) {
        if (len > 9)
            return false;
        for (size_t i = 0; i < len; i++)
            if (!isdigit((unsigned char)seg[i]))
                return false;
        return true;
    }
    if (kind_len == 4 && strncmp(kind, "hash", 4) == 0) {
        if (len != YS_HASH_HEX - 1)
            return false;
        for (size_t i = 0; i < len; i++)
            if (!isxdigit((unsigned char)seg[i]))
                return false;
        return true;
    }
    return len < 200;
}

/* Matches `path` against a pattern; the {…} parts are copied into bufs and pointed to by params. */
static bool match(const char *pattern, const char *path, char bufs[YS_SRV_MAX_PARAMS][256],
                  const char *params[YS_SRV_MAX_PARAMS])
{
    size_t np = 0;
    const char *p = pattern, *s = path;
    while (*p && *s) {
        if (*p == '{') {
            const char *close = strchr(p, '}');
            size_t len = strcspn(s, "/");
            if (!close || np >= YS_SRV_MAX_PARAMS || !segment_ok(p + 1, (size_t)(close - p - 1), s, len))
                return false;
            snprintf(bufs[np], 256, "%.*s", (int)len, s);
            params[np] = bufs[np];
            np++;
            p = close + 1;
            s += len;
        } else if (*p++ != *s++) {
            return false;
        }
    }
    return *p == '\0' && *s == '\0';
}

/* ---- who is asking ---- */

bool ys_srv_cookie(const ys_srv_req *req, const char *name, char *out, size_t size)
{
    size_t n = strlen(name);
    out[0] = '\0';
    for (const char *c = req->cookie; c && (c = strstr(c, name)); c++) {
        if ((c != req->cookie && c[-1] != ' ' && c[-1] != ';') || c[n] != '=')
            continue;
        c += n + 1;
        size_t len = strcspn(c, "; ");
        if (len >= size)
            return false;
        snprintf(out, size, "%.*s", (int)len, c);
        return true;
    }
    return false;
}

/* The token from "Authorization: Bearer T", else from the cookie. Sets *by_cookie. */
static void find_token(const ys_srv_req *req, char out[YS_AUTH_TOKEN_TEXT], bool *by_cookie)
{
    out[0] = '\0';
    *by_cookie = false;
    if (req->authorization && strncmp(req->authorization, "Bearer ", 7) == 0) {
        snprintf(out, YS_AUTH_TOKEN_TEXT, "%s", req->authorization + 7);
        return;
    }
    *by_cookie = ys_srv_cookie(req, COOKIE_NAME, out, YS_AUTH_TOKEN_TEXT);
}

/* Memory mode has no logins: "test-ROLE[-NAME]" stands for one, so that the fuzzer reaches every route. */
static ys_rc test_principal(const char *token, ys_principal *who)
{
    memset(who, 0, sizeof *who);
    if (strncmp(token, "test-", 5) != 0 || !ys_utf8_valid(token, strlen(token)))
        return YS_UNAUTHORIZED; /* a real login's name is checked UTF-8; a stand-in's must be too */
    const char *rest = token + 5;
    for (int r = YS_AUTH_SECRETARIAT; r < YS_AUTH_N_ROLES; r++) {
        size_t n = strlen(ys_auth_role_key((ys_auth_role)r));
        if (strncmp(rest, ys_auth_role_key((ys_auth_role)r), n) == 0 && (rest[n] == '\0' || rest[n] == '-')) {
            who->role = (ys_auth_role)r;
            snprintf(who->name, sizeof who->name, "%s", rest[n] ? rest + n + 1 : "test");
            if (r == YS_AUTH_DELEGATION_SECRETARY)
                snprintf(who->delegation, sizeof who->delegation, "%s", who->name);
            snprintf(who->actor, sizeof who->actor, "%s:%s", ys_auth_role_key(who->role), who->name);
            return YS_OK;
        }
    }
    return YS_UNAUTHORIZED;
}

static ys_rc authenticate(ys_srv *srv, const char *token, ys_principal *who, ys_err *err)
{
    memset(who, 0, sizeof *who);
    who->role = YS_AUTH_OBSERVER;
    snprintf(who->actor, sizeof who->actor, "observer");
    if (!token[0] || atomic_load(&srv->pending)) /* before setup there are no logins, and no memory mode's */
        return YS_OK;
    if (!srv->auth) {
        if (test_principal(token, who))
            return ys_fail(err, YS_UNAUTHORIZED, "token", "not logged in");
        return YS_OK;
    }
    return ys_auth_check(srv->auth, token, ys_srv_now(), who, err);
}

static bool safe_method(const char *m) { return strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0; }

/* Splits "host[:port]" ("[v6]:port" too) at its port; a missing port is the scheme's default. */
static bool split_authority(const char *a, size_t len, size_t *host_len, long *port, long default_port)
{
    const char *colon = NULL;
    if (len && a[0] == '[') {
        const char *close = memchr(a, ']', len);
        if (!close)
            return false;
        colon = (size_t)(close + 1 - a) < len ? close + 1 : NULL;
        if (colon && *colon != ':')
            return false;
    } else {
        colon = memchr(a, ':', len);
    }
    *host_len = colon ? (size_t)(colon - a) : len;
    *port = default_port;
    if (!colon)
        return *host_len > 0;
    char digits[8];
    size_t n = len - *host_len - 1;
    if (n == 0 || n >= sizeof digits || strspn(colon + 1, "0123456789") < n)
        return false;
    memcpy(digits, colon + 1, n);
    digits[n] = '\0';
    *port = atol(digits);
    return *host_len > 0;
}

/* Whether a browser's Origin is this server's own: the same scheme (https when it serves TLS), host and
 * port as the Host it was reached at. http://hall:8443 is another origin than https://hall:8443. */
static bool same_origin(const char *origin, const char *host, bool tls)
{
    const char *scheme = tls ? "https://" : "http://";
    long default_port = tls ? 443 : 80, oport, hport;
    size_t olen, hlen, scheme_len = strlen(scheme);
    if (!origin || !host || strncmp(origin, scheme, scheme_len) != 0)
        return false;
    const char *oa = origin + scheme_len;
    return split_authority(oa, strlen(oa), &olen, &oport, default_port) &&
           split_authority(host, strlen(host), &hlen, &hport, default_port) && olen == hlen &&
           strncasecmp(oa, host, olen) == 0 && oport == hport;
}

/* Browsers send cookies by themselves, so a state-changing request that logs in by cookie must also
 * carry X-Yishi-CSRF, which a page can only know from the login answer. Any request whose Origin is
 * not this server's is refused too (SameSite=Strict already keeps the cookie off cross-site requests;
 * the Origin check also covers the login form). */
static ys_rc csrf_guard(const ys_srv_req *req, bool tls, const char *token, bool by_cookie, ys_err *err)
{
    if (safe_method(req->method))
        return YS_OK;
    if (req->origin && strcmp(req->origin, "null") != 0) {
        if (!same_origin(req->origin, req->host, tls))
            return ys_fail(err, YS_FORBIDDEN, "origin", "a request from another site (Origin %.100s, not %s://%.100s)",
                           req->origin, tls ? "https" : "http", req->host ? req->host : "?");
    } else if (req->origin) {
        return ys_fail(err, YS_FORBIDDEN, "origin", "a request from an opaque origin");
    }
    if (!by_cookie)
        return YS_OK;
    char want[YS_AUTH_CSRF_TEXT];
    ys_auth_csrf(token, want);
    if (!req->csrf || strcmp(req->csrf, want) != 0)
        return ys_fail(err, YS_FORBIDDEN, "X-Yishi-CSRF", "a browser request that changes something needs the "
                       "X-Yishi-CSRF header from the login");
    return YS_OK;
}

static const ys_srv_route *find_route(const ys_srv_req *req, char bufs[YS_SRV_MAX_PARAMS][256],
                                      const char *params[YS_SRV_MAX_PARAMS], bool *path_known)
{
    *path_known = false;
    for (size_t i = 0; i < ys_srv_n_routes; i++) {
        const ys_srv_route *rt = &ys_srv_routes[i];
        if (!match(rt->pattern, req->path, bufs, params))
            continue;
        *path_known = true;
        if (strcmp(rt->method, req->method) == 0 || (strcmp(req->method, "HEAD") == 0 && strcmp(rt->method, "GET") == 0))
            return rt;
    }
    return NULL;
}

static void allowed_methods(const ys_srv_req *req, ys_srv_resp *resp)
{
    static __thread char allow[64];
    char bufs[YS_SRV_MAX_PARAMS][256];
    const char *params[YS_SRV_MAX_PARAMS];
    allow[0] = '\0';
    for (size_t i = 0; i < ys_srv_n_routes; i++)
        if (match(ys_srv_routes[i].pattern, req->path, bufs, params) && strlen(allow) + 8 < sizeof allow)
            snprintf(allow + strlen(allow), sizeof allow - strlen(allow), "%s%s", allow[0] ? ", " : "",
                     ys_srv_routes[i].method);
    resp->allow = allow;
}

/* Who may call the route, and whether the request passes the CSRF guard; fills resp when not. */
static bool admit(ys_srv *srv, const ys_srv_req *req, const ys_srv_route *rt, const char *token, bool by_cookie,
                  ys_principal *who, ys_srv_resp *resp)
{
    ys_err err = {0};
    if (authenticate(srv, token, who, &err)) {
        ys_srv_error(resp, YS_UNAUTHORIZED, &err);
        return false;
    }
    if (!(rt->roles & (1u << who->role))) {
        if (who->role == YS_AUTH_OBSERVER)
            ys_srv_errorf(resp, YS_UNAUTHORIZED, NULL, "log in first (POST /api/login)");
        else
            ys_srv_errorf(resp, YS_FORBIDDEN, "role", "a %s may not %s %s", ys_auth_role_key(who->role), rt->method,
                          rt->pattern);
        return false;
    }
    if (csrf_guard(req, srv->cfg.tls_cert != NULL, token, by_cookie, &err)) {
        ys_srv_error(resp, err.rc, &err);
        return false;
    }
    if (atomic_load(&srv->draining) && !safe_method(req->method)) {
        ys_srv_errorf(resp, YS_UNAVAILABLE, NULL, "the server is shutting down; try again soon");
        return false;
    }
    return true;
}

void ys_srv_dispatch(ys_srv *srv, const ys_srv_req *req, ys_srv_resp *resp)
{
    char bufs[YS_SRV_MAX_PARAMS][256], token[YS_AUTH_TOKEN_TEXT];
    ys_srv_call call = {.srv = srv, .req = req};
    ys_principal who;
    bool known = false, by_cookie = false;
    memset(resp, 0, sizeof *resp);
    resp->stream_after = -1;
    const ys_srv_route *rt = req->method && req->path ? find_route(req, bufs, call.params, &known) : NULL;
    if (!rt && !known) {
        ys_srv_errorf(resp, YS_NOT_FOUND, "path", "no route %.200s", req->path ? req->path : "");
        return;
    }
    if (!rt) {
        allowed_methods(req, resp);
        ys_srv_errorf(resp, YS_BAD_METHOD, "method", "%.10s is not allowed on %.200s (allowed: %s)", req->method,
                      req->path, resp->allow);
        return;
    }
    if (atomic_load(&srv->pending) && !ys_srv_setup_route(rt->pattern)) {
        ys_srv_errorf(resp, YS_NOT_SET_UP, NULL, "the secretariat creates it at /desk with the setup code that "
                      "yishi serve --setup printed (POST /api/setup)");
        return;
    }
    find_token(req, token, &by_cookie);
    if (!admit(srv, req, rt, token, by_cookie, &who, resp))
        return;
    call.who = &who;
    call.token = token;
    rt->fn(&call, resp);
}
