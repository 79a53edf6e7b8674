/* setup.c — a session created from the secretariat's desk (`yishi serve --setup`): a one-time setup code,
 * the rule sets on offer, and POST /api/setup, which creates the file as `yishi init` and `yishi user add` do. */
#include "server/routes.h"

#include "yishi/alloc.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define CODE_BYTES 16                         /* 128 random bits: no rate of guessing reaches it */
#define CODE_HEX (2 * CODE_BYTES)
#define CODE_TEXT (CODE_HEX + CODE_HEX / 4)   /* groups of four hex digits with a '-' between, and a NUL */

struct ys_srv_setup {
    char code[CODE_HEX + 1];                  /* lower-case hex, as compared */
    char printed[CODE_TEXT];
    const ys_rules *const *rules;
    size_t n_rules;
    pthread_mutex_t lock;                     /* one setup at a time: the second sees the first's session */
};

ys_srv_setup *ys_srv_setup_new(const ys_rules *const *rules, size_t n_rules)
{
    unsigned char raw[CODE_BYTES];
    ys_srv_setup *s = sodium_init() < 0 ? NULL : ys_calloc(1, sizeof *s);
    if (!s)
        return NULL;
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(s->code, sizeof s->code, raw, sizeof raw);
    sodium_memzero(raw, sizeof raw);
    for (size_t i = 0, k = 0; i < CODE_HEX; i++) {
        if (i && i % 4 == 0)
            s->printed[k++] = '-';
        s->printed[k++] = s->code[i];
    }
    s->rules = rules;
    s->n_rules = n_rules;
    pthread_mutex_init(&s->lock, NULL);
    return s;
}

void ys_srv_setup_free(ys_srv_setup *s)
{
    if (!s)
        return;
    pthread_mutex_destroy(&s->lock);
    sodium_memzero(s, sizeof *s);
    ys_free(s);
}

const char *ys_srv_setup_code(const ys_srv_setup *s) { return s->printed; }

bool ys_srv_setup_route(const char *pattern) { return strcmp(pattern, "/api/setup") == 0; }

/* Whether `typed` is the code: its hex digits in either case, with any dashes and spaces the operator copied. */
static bool code_matches(const ys_srv_setup *s, const char *typed)
{
    char norm[CODE_HEX];
    size_t n = 0;
    for (const char *p = typed; *p; p++) {
        char c = *p >= 'A' && *p <= 'F' ? (char)(*p - 'A' + 'a') : *p;
        if (c == '-' || c == ' ')
            continue;
        if (n == CODE_HEX || !strchr("0123456789abcdef", c))
            return false;
        norm[n++] = c;
    }
    return n == CODE_HEX && sodium_memcmp(norm, s->code, CODE_HEX) == 0;
}

static bool pending(ys_srv *srv) { return srv->setup && atomic_load(&srv->pending); }

void ys_h_setup_state(const ys_srv_call *call, ys_srv_resp *resp)
{
    ys_srv_setup *s = call->srv->setup;
    if (!pending(call->srv)) {
        ys_srv_json(resp, 200, json_pack("{s:b}", "pending", 0));
        return;
    }
    json_t *list = json_array(), *o = json_pack("{s:b, s:o}", "pending", 1, "rules", list);
    for (size_t i = 0; o && i < s->n_rules; i++)
        if (json_array_append_new(list, json_pack("{s:s, s:s, s:s}", "id", s->rules[i]->id, "level",
                                                  s->rules[i]->level, "name", s->rules[i]->name))) {
            json_decref(o);
            o = NULL;
        }
    ys_srv_json(resp, 200, o);
}

static const ys_rules *offered(const ys_srv_setup *s, const char *id, ys_err *err)
{
    char ids[512] = "";
    for (size_t i = 0; i < s->n_rules; i++) {
        if (!strcmp(s->rules[i]->id, id))
            return s->rules[i];
        snprintf(ids + strlen(ids), sizeof ids - strlen(ids), "%s%s", i ? ", " : "", s->rules[i]->id);
    }
    ys_fail(err, YS_UNKNOWN_RULES, "rules", "no rule set '%.48s' here (there are: %s)", id, ids);
    return NULL;
}

/* The session file and its first account, or neither: a session nobody can log in to is no session.
 * On success the journal and the logins are the server's. */
static ys_rc create(ys_srv *srv, const ys_rules *rules, const json_t *body, ys_err *err)
{
    char now[32], actor[128];
    const char *name = json_string_value(json_object_get(body, "name"));
    ys_journal *j = NULL;
    ys_auth *auth = NULL;
    ys_srv_time_text(now);
    snprintf(actor, sizeof actor, "secretariat:%.100s", name);
    ys_ctx ctx = {.time = now, .actor = actor};
    ys_init_args a = {.assembly = json_string_value(json_object_get(body, "assembly")),
                      .term = json_string_value(json_object_get(body, "term")),
                      .name = json_string_value(json_object_get(body, "session")), .rules = rules};
    ys_rc rc = ys_journal_create(srv->cfg.file, &ctx, &a, &j, err);
    if (rc)
        return rc;
    if (!(rc = ys_auth_open(srv->cfg.file, &auth, err)))
        rc = ys_auth_add_account(auth, name, YS_AUTH_SECRETARIAT, NULL,
                                 json_string_value(json_object_get(body, "password")), err);
    if (!rc) {
        srv->journal = j;
        srv->auth = auth;
        if (!(rc = srv->open_session(srv, err)))
            return YS_OK;
        srv->journal = NULL; /* open_session closed what it had opened of the rest */
        srv->auth = NULL;
    }
    ys_auth_close(auth);
    ys_journal_close(j);
    ys_journal_discard(srv->cfg.file);
    return rc;
}

/* A wrong code is charged to the client's address as a failed login is, before it is compared. */
static ys_rc check_code(ys_srv *srv, const ys_srv_call *call, const char *code, ys_srv_resp *resp, ys_err *err)
{
    const char *addr = call->req->addr ? call->req->addr : "";
    int64_t now = ys_srv_now();
    int wait = ys_srv_throttle_take(srv->throttle, addr, now);
    if (wait > 0) {
        resp->retry_after = wait;
        return ys_fail(err, YS_RATE_LIMITED, "code", "too many wrong setup codes from this address");
    }
    if (!code_matches(srv->setup, code))
        return ys_fail(err, YS_FORBIDDEN, "code", "not the setup code that yishi serve --setup printed");
    ys_srv_throttle_refund(srv->throttle, addr, now);
    return YS_OK;
}

void ys_h_setup(const ys_srv_call *call, ys_srv_resp *resp)
{
    static const ys_srv_field f[] = {{"code", YS_F_STRING, true}, {"rules", YS_F_STRING, true},
                                     {"assembly", YS_F_STRING, false}, {"term", YS_F_STRING, false},
                                     {"session", YS_F_STRING, false}, {"name", YS_F_STRING, true},
                                     {"password", YS_F_STRING, true}, {NULL, 0, false}};
    ys_srv *srv = call->srv;
    json_t *body = NULL;
    ys_err err = {0};
    const ys_rules *rules = NULL;
    ys_rc rc = ys_srv_parse_body(call->req, f, &body, &err);
    if (!rc && !srv->setup)
        rc = ys_fail(&err, YS_CONFLICT, NULL, "this server serves a session already; setup is for yishi serve --setup");
    if (rc)
        goto out;
    pthread_mutex_lock(&srv->setup->lock);
    if (!atomic_load(&srv->pending))
        rc = ys_fail(&err, YS_CONFLICT, NULL, "the session is set up already; log in at /desk");
    if (!rc)
        rc = check_code(srv, call, json_string_value(json_object_get(body, "code")), resp, &err);
    if (!rc && !(rules = offered(srv->setup, json_string_value(json_object_get(body, "rules")), &err)))
        rc = err.rc;
    if (!rc && !(rc = create(srv, rules, body, &err)))
        atomic_store(&srv->pending, false);
    pthread_mutex_unlock(&srv->setup->lock);
    if (!rc) {
        const ys_session *s = ys_srv_read_begin(srv);
        json_t *view = ys_view_session(s);
        ys_srv_read_end(srv);
        ys_srv_json(resp, 201, json_pack("{s:o, s:{s:s, s:s}}", "session", view, "account", "name",
                                         json_string_value(json_object_get(body, "name")), "role", "secretariat"));
        printf("yishi serve: session created by %s under rule set %s; serving it\n",
               json_string_value(json_object_get(body, "name")), rules->id);
        fflush(stdout);
    }
out:
    if (rc)
        ys_srv_error(resp, rc, &err);
    json_decref(body);
}
