/* routes_logins.c — the secretariat's desk for logins while the server runs (and holds the file): adding a
 * staff account, and issuing a delegate's login card or replacing a lost one, which is logged first. */
#include "server/routes.h"

#include "yishi/alloc.h"
#include "yishi/card.h"
#include "yishi/number.h"

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

/* The logins as JSON, collected before anything else is looked at (the logins' lock is never held while
 * waiting for the state's): staff accounts by name {"role","delegation","created"}, cards by the
 * delegate's code {"pin_set","issued"}. Never a hash. */
typedef struct logins_seen {
    json_t *accounts, *cards;
    bool nomem;
} logins_seen;

static void note_login(const char *kind, const char *name, const char *role, const char *delegation, bool pin_set,
                       const char *since, void *ud)
{
    logins_seen *l = ud;
    bool card = !strcmp(kind, "card");
    json_t *o = card ? json_pack("{s:b, s:s?}", "pin_set", pin_set, "issued", since)
                     : json_pack("{s:s, s:s?, s:s?}", "role", role, "delegation", delegation[0] ? delegation : NULL,
                                 "created", since);
    l->nomem |= json_object_set_new(card ? l->cards : l->accounts, name, o) != 0;
}

static ys_rc list_logins(ys_auth *a, logins_seen *out, ys_err *err)
{
    *out = (logins_seen){json_object(), json_object(), false};
    ys_rc rc = out->accounts && out->cards ? ys_auth_list(a, note_login, out, err) : YS_NOMEM;
    if (!rc && out->nomem)
        rc = YS_NOMEM;
    if (rc == YS_NOMEM)
        ys_fail(err, YS_NOMEM, NULL, "out of memory listing the logins");
    if (rc) {
        json_decref(out->accounts);
        json_decref(out->cards);
        *out = (logins_seen){0};
    }
    return rc;
}

static void logins_free(logins_seen *l)
{
    json_decref(l->accounts);
    json_decref(l->cards);
}

static ys_rc has_card(ys_auth *a, const char *code, bool *out, ys_err *err)
{
    logins_seen l;
    ys_rc rc = list_logins(a, &l, err);
    *out = !rc && json_object_get(l.cards, code);
    logins_free(&l);
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

/* A card as it is printed: the delegate, the code, what its QR code encodes, the SVG page. NULL: no memory. */
static json_t *card_json(const ys_session *s, const ys_delegate *d, const char *card)
{
    char *svg = ys_card_svg(card, d->code, d->name);
    json_t *o = svg ? json_pack("{s:o, s:s, s:s, s:s}", "delegate", ys_view_delegate(s, d), "card", card, "qr", card,
                                "svg", svg)
                    : NULL;
    ys_free(svg);
    return o;
}

/* The card and how it is printed, added to the answer. */
static void card_answer(ys_srv *srv, int id, const char *card, bool replaced, ys_srv_resp *r)
{
    const ys_session *s = ys_srv_read_begin(srv);
    json_t *more = card_json(s, &s->delegates[id - 1], card);
    ys_srv_read_end(srv);
    /* The card exists now; an answer without it would leave the delegate with a card nobody can print. */
    if (more && (json_object_set_new(more, "replaced", json_boolean(replaced)) || r->status != 201)) {
        json_decref(more);
        more = NULL;
    }
    if (!more || json_object_update_new(r->json, more))
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

/* ---- the desk's lists: staff accounts, and who holds a card ---- */

void ys_h_users(const ys_srv_call *call, ys_srv_resp *resp)
{
    logins_seen l = {0};
    ys_err err = {0};
    ys_rc rc = need_logins(call->srv, &err);
    if (!rc)
        rc = list_logins(call->srv->auth, &l, &err);
    json_t *a = rc ? NULL : json_array();
    const char *name;
    json_t *v;
    json_object_foreach(l.accounts, name, v) {
        if (json_object_set_new(v, "name", json_string(name)) || json_array_append(a, v))
            rc = ys_fail(&err, YS_NOMEM, NULL, "out of memory");
    }
    logins_free(&l);
    if (!rc && a)
        ys_srv_json(resp, 200, json_pack("{s:o}", "users", a));
    else {
        json_decref(a);
        ys_srv_error(resp, rc ? rc : YS_NOMEM, &err);
    }
}

/* Each entitled delegate, whether they hold a card and whether its PIN is set: never the card's code. */
static json_t *card_holders(const ys_session *s, const json_t *cards)
{
    json_t *a = json_array();
    int with = 0, pins = 0;
    for (size_t i = 0; a && i < s->n_delegates; i++) {
        const ys_delegate *d = &s->delegates[i];
        const json_t *c = json_object_get(cards, d->code);
        if (!d->entitled)
            continue;
        with += c != NULL;
        pins += json_is_true(json_object_get(c, "pin_set"));
        if (json_array_append_new(a, json_pack("{s:i, s:s, s:s, s:s, s:b, s:b, s:O?}", "id", d->id, "code", d->code,
                                               "name", d->name, "delegation", s->delegations[d->delegation - 1].name,
                                               "card", c != NULL, "pin_set", json_is_true(json_object_get(c, "pin_set")),
                                               "issued", json_object_get(c, "issued")))) {
            json_decref(a);
            a = NULL;
        }
    }
    return json_pack("{s:o, s:i, s:i, s:i}", "delegates", a, "entitled", s->entitled, "with_card", with, "pin_set", pins);
}

void ys_h_cards(const ys_srv_call *call, ys_srv_resp *resp)
{
    logins_seen l = {0};
    ys_err err = {0};
    ys_rc rc = need_logins(call->srv, &err);
    if (!rc)
        rc = list_logins(call->srv->auth, &l, &err);
    if (rc) {
        ys_srv_error(resp, rc, &err);
        return;
    }
    json_t *o = card_holders(ys_srv_read_begin(call->srv), l.cards);
    ys_srv_read_end(call->srv);
    logins_free(&l);
    ys_srv_json(resp, 200, o);
}

/* ---- cards for printing, many at once ---- */

/* Whom a POST /api/cards asks for: the entitled delegates of a delegation, those named, or all. */
typedef struct card_batch {
    const char **codes;       /* of the delegates to issue a card to, borrowed from the state's copy below */
    int *ids;
    size_t n;
    json_t *skipped;          /* those who hold a card already */
} card_batch;

static bool wanted(const json_t *named, int delegation, const ys_delegate *d)
{
    size_t i;
    json_t *v;
    if (delegation && d->delegation != delegation)
        return false;
    json_array_foreach(named, i, v)
        if (!strcmp(json_string_value(v), d->code))
            return true;
    return !named;
}

/* Every code named must be a delegate whose mandate runs: a card for anyone else is a mistake to say. */
static ys_rc check_named(const ys_session *s, const json_t *named, ys_err *err)
{
    size_t i;
    json_t *v;
    json_array_foreach(named, i, v) {
        const ys_delegate *d = ys_delegate_by_code(s, json_string_value(v));
        if (!d)
            return ys_fail(err, YS_NOT_FOUND, "delegates", "no delegate with code '%.40s'", json_string_value(v));
        if (!d->entitled)
            return ys_fail(err, YS_STATE, "delegates", "the mandate of %s %s has ended: no card", d->code, d->name);
    }
    return YS_OK;
}

/* Picks, under the read lock, who gets a card (the ids and codes are copied into b) and who is skipped. */
static ys_rc pick(const ys_session *s, const json_t *body, const json_t *cards, card_batch *b, ys_err *err)
{
    const json_t *named = json_object_get(body, "delegates");
    int delegation = (int)json_integer_value(json_object_get(body, "delegation"));
    ys_rc rc;
    if (delegation && (size_t)delegation > s->n_delegations)
        return ys_fail(err, YS_NOT_FOUND, "delegation", "no delegation %d", delegation);
    if ((rc = check_named(s, named, err)))
        return rc;
    b->ids = ys_calloc(s->n_delegates + 1, sizeof *b->ids);
    b->codes = ys_calloc(s->n_delegates + 1, sizeof *b->codes);
    if (!b->ids || !b->codes || !(b->skipped = json_array()))
        return ys_fail(err, YS_NOMEM, NULL, "out of memory");
    for (size_t i = 0; i < s->n_delegates; i++) {
        const ys_delegate *d = &s->delegates[i];
        if (!d->entitled || !wanted(named, delegation, d))
            continue;
        if (!json_object_get(cards, d->code)) {
            b->ids[b->n] = d->id;
            if (!(b->codes[b->n++] = ys_strdup(d->code)))
                return ys_fail(err, YS_NOMEM, NULL, "out of memory");
        } else if (json_array_append_new(b->skipped, json_pack("{s:i, s:s, s:s, s:s}", "id", d->id, "code", d->code,
                                                                "name", d->name, "delegation",
                                                                s->delegations[d->delegation - 1].name)))
            return ys_fail(err, YS_NOMEM, NULL, "out of memory");
    }
    return YS_OK;
}

static void batch_free(card_batch *b)
{
    for (size_t i = 0; b->codes && i < b->n; i++)
        ys_free((char *)b->codes[i]);
    ys_free(b->codes);
    ys_free(b->ids);
    json_decref(b->skipped);
}

/* The new cards, each as the single-card route prints it, and who was skipped. */
static json_t *batch_answer(ys_srv *srv, card_batch *b, char (*made)[YS_AUTH_CARD_TEXT])
{
    json_t *a = json_array();
    const ys_session *s = ys_srv_read_begin(srv);
    for (size_t i = 0; a && i < b->n; i++)
        if (json_array_append_new(a, card_json(s, &s->delegates[b->ids[i] - 1], made[i]))) {
            json_decref(a);
            a = NULL;
        }
    ys_srv_read_end(srv);
    json_t *o = json_pack("{s:i, s:o, s:O}", "issued", (int)b->n, "cards", a, "skipped", b->skipped);
    return o;
}

/* Issues a card to each chosen delegate who has none, in one transaction (all or none): as `yishi cards`,
 * but never replacing one, so that the desk can print a delegation's or the hall's cards at any time. */
void ys_h_cards_issue(const ys_srv_call *call, ys_srv_resp *resp)
{
    static const ys_srv_field f[] = {{"delegation", YS_F_INT, false, 1, YS_ID_MAX}, {"delegates", YS_F_STRINGS, false},
                                     {NULL, 0, false}};
    json_t *body = NULL;
    logins_seen l = {0};
    card_batch b = {0};
    char (*made)[YS_AUTH_CARD_TEXT] = NULL;
    ys_err err = {0};
    ys_rc rc = ys_srv_parse_body(call->req, f, &body, &err);
    if (!rc && json_object_get(body, "delegation") && json_object_get(body, "delegates"))
        rc = ys_fail(&err, YS_BAD_FIELD, "delegates", "give a delegation, or delegates, or neither for all");
    if (!rc)
        rc = need_logins(call->srv, &err);
    pthread_mutex_lock(&card_lock);
    if (!rc)
        rc = list_logins(call->srv->auth, &l, &err);
    if (!rc) {
        rc = pick(ys_srv_read_begin(call->srv), body, l.cards, &b, &err);
        ys_srv_read_end(call->srv);
    }
    if (!rc && !(made = ys_calloc(b.n + 1, sizeof *made)))
        rc = ys_fail(&err, YS_NOMEM, NULL, "out of memory");
    if (!rc && b.n)
        rc = ys_auth_issue_cards(call->srv->auth, b.codes, NULL, b.n, made, &err);
    pthread_mutex_unlock(&card_lock);
    json_t *o = rc ? NULL : batch_answer(call->srv, &b, made);
    if (o)
        ys_srv_json(resp, b.n ? 201 : 200, o);
    else if (rc)
        ys_srv_error(resp, rc, &err);
    else /* the cards exist now; the desk must be told, so that it lists them again and reissues */
        ys_srv_errorf(resp, YS_NOMEM, NULL, "out of memory after %zu cards were made: GET /api/cards lists them; "
                      "reissue each to print it", b.n);
    if (made)
        sodium_memzero(made, (b.n + 1) * sizeof *made);
    ys_free(made);
    batch_free(&b);
    logins_free(&l);
    json_decref(body);
}
