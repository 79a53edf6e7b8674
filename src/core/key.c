/* key.c — the key ceremony of verifiable ballots as commands and as the fold (docs/verifiable.md §3): who
 * may post which message when; the proofs themselves are checked by src/crypto (vkey.h). */
#include "yishi/key.h"

#include "core/fold.h"
#include "core/payload.h"
#include "core/text.h"
#include "yishi/alloc.h"
#include "yishi/vkey.h"

#include <sodium.h>
#include <string.h>

#define SEALED_BYTES (112 + crypto_box_SEALBYTES) /* u64 ‖ u64 ‖ Qk ‖ share, sealed (§3) */

static const char *const state_words[] = {
    [YS_KEY_COMMITTING] = "committing", [YS_KEY_SHARING] = "sharing", [YS_KEY_PUBLISHING] = "publishing",
    [YS_KEY_COMPLETE] = "complete",     [YS_KEY_FAILED] = "failed",
};

const char *ys_key_state_word(ys_key_state st)
{
    return st >= YS_KEY_COMMITTING && st <= YS_KEY_FAILED ? state_words[st] : "?";
}

const ys_key *ys_key_get(const ys_session *s, int id)
{
    return id >= 1 && (size_t)id <= s->n_keys ? &s->keys[id - 1] : NULL;
}

int ys_key_trustee_index(const ys_key *key, const char *login)
{
    for (int i = 0; login && i < key->n; i++)
        if (!strcmp(key->trustees[i].login, login))
            return i + 1;
    return 0;
}

void ys__keys_free(ys_session *s)
{
    for (size_t i = 0; i < s->n_keys; i++) {
        ys_key *k = &s->keys[i];
        for (int t = 0; k->trustees && t < k->n; t++) {
            ys_free(k->trustees[t].login);
            json_decref(k->trustees[t].commitment);
            json_decref(k->trustees[t].shares);
            json_decref(k->trustees[t].public_share);
        }
        ys_free(k->trustees);
        ys_free(k->complaint);
        ys_vkey_free(k->v);
    }
    ys_free(s->keys);
}

/* ---- commands ---- */

ys_rc ys_cmd_key_create(const ys_session *s, const ys_ctx *c, const char *const *logins, size_t n, int k,
                        ys_events *out, ys_err *err)
{
    if (n < 1 || n > YS_VKEY_MAX_TRUSTEES)
        return ys_fail(err, YS_INVALID, "trustees", "a key has 1 to %d trustees, not %zu", YS_VKEY_MAX_TRUSTEES, n);
    if (k < 1 || (size_t)k > n)
        return ys_fail(err, YS_INVALID, "threshold", "the threshold is 1 to the number of trustees (%zu), not %d", n, k);
    for (size_t i = 0; i < s->n_keys; i++)
        if (s->keys[i].state < YS_KEY_COMPLETE)
            return ys_fail(err, YS_STATE, "key", "key %d's ceremony is still under way", s->keys[i].id);
    json_t *names = json_array();
    for (size_t i = 0; names && i < n; i++) {
        const char *why = ys_text_problem(logins[i], 80, true);
        for (size_t j = 0; !why && j < i; j++)
            if (!strcmp(logins[i], logins[j]))
                why = "is named twice";
        if (why) {
            json_decref(names);
            return ys_fail(err, YS_INVALID, "trustees", "trustee %zu's login %s", i + 1, why);
        }
        if (json_array_append_new(names, json_string(logins[i]))) {
            json_decref(names);
            names = NULL;
        }
    }
    return ys_events_add(out, c->time, c->actor, "key.create",
                         json_pack("{s:i, s:i, s:o}", "id", (int)s->n_keys + 1, "threshold", k, "trustees", names), err);
}

/* Key `id` in state `want`, and the index of `login` among its trustees. */
static ys_rc trustee_of(const ys_session *s, int id, ys_key_state want, const char *login, const ys_key **key,
                        int *index, ys_err *err)
{
    *key = ys_key_get(s, id);
    if (!*key)
        return ys_fail(err, YS_NOT_FOUND, "key", "no key %d", id);
    if (!(*index = ys_key_trustee_index(*key, login)))
        return ys_fail(err, YS_FORBIDDEN, "trustee", "%s is not a trustee of key %d", login ? login : "(nobody)", id);
    if ((*key)->state != want)
        return ys_fail(err, YS_STATE, "key", "key %d is %s, not %s", id, ys_key_state_word((*key)->state),
                       ys_key_state_word(want));
    return YS_OK;
}

/* A payload of the key and the trustee, with the message's fields beside them. */
static json_t *message_payload(int key, int index, const json_t *msg)
{
    json_t *p = json_is_object(msg) ? json_deep_copy(msg) : NULL;
    if (p && (json_object_set_new(p, "key", json_integer(key)) || json_object_set_new(p, "trustee", json_integer(index)))) {
        json_decref(p);
        p = NULL;
    }
    return p;
}

ys_rc ys_cmd_key_commit(const ys_session *s, const ys_ctx *c, int id, const char *login, const json_t *msg,
                        ys_events *out, ys_err *err)
{
    const ys_key *key = NULL;
    int i = 0;
    ys_rc rc;
    if ((rc = trustee_of(s, id, YS_KEY_COMMITTING, login, &key, &i, err)))
        return rc;
    if (key->trustees[i - 1].committed)
        return ys_fail(err, YS_CONFLICT, "trustee", "%s has already committed to key %d", login, id);
    if ((rc = ys_vkey_check_commitment(key->v, (unsigned)i, msg, err)))
        return rc;
    return ys_events_add(out, c->time, c->actor, "key.commit", message_payload(id, i, msg), err);
}

/* Exactly one sealed share for each other trustee, each of the size §3 gives it. */
static ys_rc check_shares(const ys_key *key, int from, const json_t *shares, ys_err *err)
{
    bool seen[YS_VKEY_MAX_TRUSTEES + 1] = {false};
    size_t i;
    const json_t *v;
    if (!json_is_array(shares) || json_array_size(shares) != (size_t)key->n - 1)
        return ys_fail(err, YS_BAD_FIELD, "shares", "one sealed share for each of the other %d trustees", key->n - 1);
    json_array_foreach(shares, i, v) {
        json_int_t to = json_integer_value(json_object_get(v, "to"));
        const char *sealed = json_string_value(json_object_get(v, "sealed"));
        uint8_t bin[SEALED_BYTES];
        size_t len = 0;
        if (!json_is_object(v) || json_object_size(v) != 2 || to < 1 || to > key->n || to == from || seen[to])
            return ys_fail(err, YS_BAD_FIELD, "shares", "share %zu is not to another trustee, once", i + 1);
        if (!sealed || sodium_base642bin(bin, sizeof bin, sealed, strlen(sealed), NULL, &len, NULL,
                                         sodium_base64_VARIANT_ORIGINAL) || len != SEALED_BYTES)
            return ys_fail(err, YS_BAD_FIELD, "shares", "share %zu to trustee %lld is not %d sealed bytes in base64",
                           i + 1, (long long)to, SEALED_BYTES);
        seen[to] = true;
    }
    return YS_OK;
}

ys_rc ys_cmd_key_shares(const ys_session *s, const ys_ctx *c, int id, const char *login, const json_t *shares,
                        ys_events *out, ys_err *err)
{
    const ys_key *key = NULL;
    int i = 0;
    ys_rc rc;
    if ((rc = trustee_of(s, id, YS_KEY_SHARING, login, &key, &i, err)))
        return rc;
    if (key->trustees[i - 1].shared)
        return ys_fail(err, YS_CONFLICT, "trustee", "%s has already sent its shares of key %d", login, id);
    if ((rc = check_shares(key, i, shares, err)))
        return rc;
    return ys_events_add(out, c->time, c->actor, "key.shares",
                         json_pack("{s:i, s:i, s:O}", "key", id, "trustee", i, "shares", shares), err);
}

ys_rc ys_cmd_key_ready(const ys_session *s, const ys_ctx *c, int id, const char *login, const json_t *msg,
                       ys_events *out, ys_err *err)
{
    const ys_key *key = NULL;
    int i = 0;
    ys_rc rc;
    if ((rc = trustee_of(s, id, YS_KEY_PUBLISHING, login, &key, &i, err)))
        return rc;
    if (key->trustees[i - 1].ready)
        return ys_fail(err, YS_CONFLICT, "trustee", "%s has already published its share of key %d", login, id);
    if ((rc = ys_vkey_check_public_share(key->v, (unsigned)i, msg, err)))
        return rc;
    return ys_events_add(out, c->time, c->actor, "key.ready", message_payload(id, i, msg), err);
}

ys_rc ys_cmd_key_complain(const ys_session *s, const ys_ctx *c, int id, const char *login, int against,
                          const char *reason, ys_events *out, ys_err *err)
{
    const ys_key *key = ys_key_get(s, id);
    int i = 0;
    ys_rc rc;
    const char *why = ys_text_problem(reason, 500, true);
    if (!key)
        return ys_fail(err, YS_NOT_FOUND, "key", "no key %d", id);
    if ((rc = trustee_of(s, id, key->state == YS_KEY_SHARING ? YS_KEY_SHARING : YS_KEY_PUBLISHING, login, &key, &i, err)))
        return rc;
    if (against < 1 || against > key->n || against == i)
        return ys_fail(err, YS_INVALID, "against", "a complaint is against another of the %d trustees", key->n);
    if (why)
        return ys_fail(err, YS_INVALID, "reason", "the reason %s", why);
    return ys_events_add(out, c->time, c->actor, "key.complaint",
                         json_pack("{s:i, s:i, s:i, s:s}", "key", id, "trustee", i, "against", against, "reason", reason),
                         err);
}

/* ---- the fold ---- */

static ys_rc new_key(ys_session *s, const ys_event *ev, const json_t *names, int k, ys_key *key, ys_err *err)
{
    size_t n = json_array_size(names);
    const char **logins = ys_calloc(n + 1, sizeof *logins);
    key->trustees = ys_calloc(n + 1, sizeof *key->trustees);
    if (!logins || !key->trustees) {
        ys_free(logins);
        return ys_fold_nomem(ev, err);
    }
    key->n = (int)n;
    for (size_t i = 0; i < n; i++) {
        logins[i] = json_string_value(json_array_get(names, i));
        if (!logins[i] || !(key->trustees[i].login = ys_strdup(logins[i]))) {
            ys_free(logins);
            return logins[i] ? ys_fold_nomem(ev, err) : ys_fail(err, YS_CORRUPT, "trustees", "a trustee's login is not text");
        }
    }
    ys_vkey_params params = {.session_id = s->session_id, .key_id = (uint64_t)key->id, .n = (unsigned)n,
                             .k = (unsigned)k, .logins = logins};
    ys_rc rc = ys_vkey_new(&params, &key->v, err);
    ys_free(logins);
    return rc == YS_NOMEM ? rc : rc ? ys_fail(err, YS_CORRUPT, "trustees", "key %d: %s", key->id, err ? err->msg : "")
                                    : YS_OK;
}

ys_rc ys_apply_key_create(ys_session *s, const ys_event *ev, ys_err *err)
{
    const json_t *p = ev->payload;
    long long k;
    ys_rc rc;
    if ((rc = ys_fold_next_id(p, s->n_keys, err)) || (rc = ys_pl_int(p, "threshold", 1, YS_VKEY_MAX_TRUSTEES, &k, err)))
        return rc;
    const json_t *names = json_object_get(p, "trustees");
    if (!json_is_array(names) || json_array_size(names) < (size_t)k || json_array_size(names) > YS_VKEY_MAX_TRUSTEES)
        return ys_fail(err, YS_CORRUPT, "trustees", "a key of threshold %lld needs %lld to %d trustees", k, k,
                       YS_VKEY_MAX_TRUSTEES);
    if (ys_grow((void **)&s->keys, &s->cap_keys, s->n_keys + 1, sizeof *s->keys))
        return ys_fold_nomem(ev, err);
    ys_key *key = &s->keys[s->n_keys++];
    memset(key, 0, sizeof *key);
    key->id = (int)s->n_keys;
    key->k = (int)k;
    key->state = YS_KEY_COMMITTING;
    snprintf(key->created_at, sizeof key->created_at, "%s", ev->time);
    if ((rc = new_key(s, ev, names, (int)k, key, err)))
        return rc;
    ys__rec_in(s, YS_REC_KEY, key->id, 0);
    return YS_OK;
}

/* The key and trustee an event names, the key in state `want`; the key's record leaves the digest. */
static ys_rc key_ref(ys_session *s, const json_t *p, ys_key_state want, ys_key **key, int *index, ys_err *err)
{
    int id;
    long long i;
    ys_rc rc = ys_fold_ref(p, "key", s->n_keys, false, &id, err);
    if (rc)
        return rc;
    *key = &s->keys[id - 1];
    if ((rc = ys_pl_int(p, "trustee", 1, (*key)->n, &i, err)))
        return rc;
    if ((*key)->state != want)
        return ys_fail(err, YS_CORRUPT, "key", "key %d is %s, not %s", id, ys_key_state_word((*key)->state),
                       ys_key_state_word(want));
    *index = (int)i;
    ys__rec_out(s, YS_REC_KEY, id, 0);
    return YS_OK;
}

/* The message of an event without the key and trustee the payload adds: what the trustee sent. */
static json_t *message_of(const json_t *p)
{
    json_t *m = json_copy((json_t *)p);
    if (m) {
        json_object_del(m, "key");
        json_object_del(m, "trustee");
    }
    return m;
}

static ys_rc corrupt_unless(ys_rc rc, const ys_key *key, const char *what, ys_err *err)
{
    if (!rc || rc == YS_NOMEM)
        return rc;
    return ys_fail(err, YS_CORRUPT, err && err->field[0] ? err->field : "key", "key %d: %s does not hold: %s", key->id,
                   what, err ? err->msg : "");
}

ys_rc ys_apply_key_commit(ys_session *s, const ys_event *ev, ys_err *err)
{
    ys_key *key;
    int i = 0;
    ys_rc rc = key_ref(s, ev->payload, YS_KEY_COMMITTING, &key, &i, err);
    if (rc)
        return rc;
    json_t *msg = message_of(ev->payload);
    rc = msg ? ys_vkey_add_commitment(key->v, (unsigned)i, msg, err) : ys_fold_nomem(ev, err);
    if ((rc = corrupt_unless(rc, key, "a commitment", err))) {
        json_decref(msg);
        return rc;
    }
    key->trustees[i - 1].commitment = msg;
    key->trustees[i - 1].committed = true;
    if (++key->n_committed == key->n)
        key->state = YS_KEY_SHARING;
    ys__rec_in(s, YS_REC_KEY, key->id, 0);
    return YS_OK;
}

ys_rc ys_apply_key_shares(ys_session *s, const ys_event *ev, ys_err *err)
{
    ys_key *key;
    int i = 0;
    ys_rc rc = key_ref(s, ev->payload, YS_KEY_SHARING, &key, &i, err);
    if (rc)
        return rc;
    const json_t *shares = json_object_get(ev->payload, "shares");
    if (key->trustees[i - 1].shared || (rc = check_shares(key, i, shares, err)))
        return ys_fail(err, YS_CORRUPT, "shares", "key %d: trustee %d's shares are not as the ceremony needs", key->id,
                       i);
    if (!(key->trustees[i - 1].shares = json_deep_copy(shares)))
        return ys_fold_nomem(ev, err);
    key->trustees[i - 1].shared = true;
    if (++key->n_shared == key->n)
        key->state = YS_KEY_PUBLISHING;
    ys__rec_in(s, YS_REC_KEY, key->id, 0);
    return YS_OK;
}

ys_rc ys_apply_key_ready(ys_session *s, const ys_event *ev, ys_err *err)
{
    ys_key *key;
    int i = 0;
    ys_rc rc = key_ref(s, ev->payload, YS_KEY_PUBLISHING, &key, &i, err);
    if (rc)
        return rc;
    json_t *msg = message_of(ev->payload);
    rc = msg ? ys_vkey_add_public_share(key->v, (unsigned)i, msg, err) : ys_fold_nomem(ev, err);
    if ((rc = corrupt_unless(rc, key, "a public share", err))) {
        json_decref(msg);
        return rc;
    }
    key->trustees[i - 1].public_share = msg;
    key->trustees[i - 1].ready = true;
    if (++key->n_ready == key->n) {
        key->state = YS_KEY_COMPLETE;
        snprintf(key->completed_at, sizeof key->completed_at, "%s", ev->time);
    }
    ys__rec_in(s, YS_REC_KEY, key->id, 0);
    return YS_OK;
}

ys_rc ys_apply_key_complaint(ys_session *s, const ys_event *ev, ys_err *err)
{
    int id;
    long long by, against;
    const char *reason;
    ys_rc rc = ys_fold_ref(ev->payload, "key", s->n_keys, false, &id, err);
    if (rc)
        return rc;
    ys_key *key = &s->keys[id - 1];
    if ((rc = ys_pl_int(ev->payload, "trustee", 1, key->n, &by, err)) ||
        (rc = ys_pl_int(ev->payload, "against", 1, key->n, &against, err)) ||
        (rc = ys_pl_str(ev->payload, "reason", &reason, err)))
        return rc;
    if (key->state != YS_KEY_SHARING && key->state != YS_KEY_PUBLISHING)
        return ys_fail(err, YS_CORRUPT, "key", "a complaint about key %d, which is %s", id, ys_key_state_word(key->state));
    ys__rec_out(s, YS_REC_KEY, id, 0);
    if (!(key->complaint = ys_strdup(reason)))
        return ys_fold_nomem(ev, err);
    key->complaint_by = (int)by;
    key->complaint_against = (int)against;
    key->state = YS_KEY_FAILED;
    ys__rec_in(s, YS_REC_KEY, id, 0);
    return YS_OK;
}
