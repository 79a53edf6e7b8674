/* auth_sqlite.c — the logins of a session file in SQLite: staff accounts, delegate cards and session
 * tokens, beside the log and never in it. Passwords and PINs as argon2id, codes and tokens as BLAKE2b. */
#include "yishi/auth.h"

#include "yishi/alloc.h"
#include "yishi/event.h"

#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FAILURES_FREE 3        /* failures in a row before the account must wait */
#define LOCK_MAX_SECONDS 900   /* the longest wait: 15 minutes */
static const char card_alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; /* Crockford: no I, L, O, U */

struct ys_auth {
    sqlite3 *db;
    pthread_mutex_t lock;      /* one statement sequence at a time; hashing happens outside it */
    unsigned long long ops;
    size_t mem;
    /* A hash to verify against when a name is unknown, so that time does not tell names apart. */
    char dummy[crypto_pwhash_STRBYTES];
};

static const struct { const char *key, *zh; } role_names[] = {
#define YS__AUTH_ROLE(name, key, zh) {key, zh},
    YS_AUTH_ROLE_MAP(YS__AUTH_ROLE)
#undef YS__AUTH_ROLE
};

const char *ys_auth_role_key(ys_auth_role r) { return r < YS_AUTH_N_ROLES ? role_names[r].key : "unknown"; }
const char *ys_auth_role_zh(ys_auth_role r) { return r < YS_AUTH_N_ROLES ? role_names[r].zh : "未知"; }

int ys_auth_role_parse(const char *key)
{
    for (int i = 0; key && i < YS_AUTH_N_ROLES; i++)
        if (strcmp(role_names[i].key, key) == 0)
            return i;
    return -1;
}

static ys_rc db_fail(ys_auth *a, ys_err *err, const char *what)
{
    return ys_fail(err, YS_STORE, NULL, "%s: %s", what, sqlite3_errmsg(a->db));
}

bool ys_auth_weak_hashing(void)
{
    const char *v = getenv("YISHI_TEST_WEAK_PWHASH");
    return v && strcmp(v, "1") == 0;
}

ys_rc ys_auth_open(const char *path, ys_auth **out, ys_err *err)
{
    ys_auth *a = ys_calloc(1, sizeof *a);
    sqlite3_stmt *q = NULL;
    ys_rc rc = YS_OK;
    *out = NULL;
    if (!a || sodium_init() < 0) {
        ys_free(a);
        return ys_fail(err, YS_NOMEM, NULL, "out of memory opening the logins of %s", path);
    }
    pthread_mutex_init(&a->lock, NULL);
    bool fast = ys_auth_weak_hashing();
    a->ops = fast ? crypto_pwhash_OPSLIMIT_MIN : crypto_pwhash_OPSLIMIT_INTERACTIVE;
    a->mem = fast ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE;
    if (sqlite3_open_v2(path, &a->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, NULL) != SQLITE_OK) {
        rc = db_fail(a, err, path);
        goto fail;
    }
    if (crypto_pwhash_str(a->dummy, "no such account", 15, a->ops, a->mem) != 0) {
        rc = ys_fail(err, YS_NOMEM, NULL, "out of memory preparing the logins");
        goto fail;
    }
    sqlite3_busy_timeout(a->db, 10000);
    sqlite3_exec(a->db, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;", NULL, NULL, NULL);
    if (sqlite3_prepare_v2(a->db, "SELECT 1 FROM sqlite_master WHERE name = 'auth_tokens'", -1, &q, NULL) ||
        sqlite3_step(q) != SQLITE_ROW)
        rc = ys_fail(err, YS_STATE, "file", "%s has no login tables yet: open it once for writing (yishi serve)",
                     path);
    sqlite3_finalize(q);
    if (rc)
        goto fail;
    *out = a;
    return YS_OK;
fail:
    ys_auth_close(a);
    return rc;
}

void ys_auth_close(ys_auth *a)
{
    if (!a)
        return;
    sqlite3_close(a->db);
    pthread_mutex_destroy(&a->lock);
    ys_free(a);
}

/* Runs one statement with text parameters (NULL binds NULL); returns YS_OK when it is done. */
static ys_rc run(ys_auth *a, ys_err *err, const char *sql, int n, const char *const *params)
{
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(a->db, sql, -1, &q, NULL) != SQLITE_OK)
        return db_fail(a, err, "preparing a login statement");
    for (int i = 0; i < n; i++)
        sqlite3_bind_text(q, i + 1, params[i], -1, SQLITE_TRANSIENT);
    int r = sqlite3_step(q);
    sqlite3_finalize(q);
    if (r == SQLITE_CONSTRAINT)
        return ys_fail(err, YS_CONFLICT, "name", "%s", sqlite3_errmsg(a->db));
    return r == SQLITE_DONE || r == SQLITE_ROW ? YS_OK : db_fail(a, err, "writing the logins");
}

static void hex_hash(const void *data, size_t len, char out[YS_HASH_HEX])
{
    uint8_t h[32];
    crypto_generichash(h, sizeof h, data, len, NULL, 0);
    sodium_bin2hex(out, YS_HASH_HEX, h, sizeof h);
}

static ys_rc hash_secret(ys_auth *a, const char *secret, char out[crypto_pwhash_STRBYTES], ys_err *err)
{
    if (crypto_pwhash_str(out, secret, strlen(secret), a->ops, a->mem) != 0)
        return ys_fail(err, YS_NOMEM, NULL, "out of memory hashing a password");
    return YS_OK;
}

static bool text_ok(const char *s, size_t max)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > max)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return false;
    return true;
}

ys_rc ys_auth_add_account(ys_auth *a, const char *name, ys_auth_role role, const char *delegation,
                          const char *password, ys_err *err)
{
    char hash[crypto_pwhash_STRBYTES], now[32];
    ys_rc rc;
    if (!text_ok(name, 80))
        return ys_fail(err, YS_INVALID, "name", "an account name is 1 to 80 bytes of text");
    if (role != YS_AUTH_SECRETARIAT && role != YS_AUTH_CHAIR && role != YS_AUTH_DELEGATION_SECRETARY)
        return ys_fail(err, YS_INVALID, "role", "a staff account is secretariat, chair or delegation_secretary");
    if ((role == YS_AUTH_DELEGATION_SECRETARY) != (delegation && *delegation))
        return ys_fail(err, YS_INVALID, "delegation", "a delegation secretary, and only one, names a delegation");
    if (!password || strlen(password) < YS_AUTH_PASSWORD_MIN || strlen(password) > 1024)
        return ys_fail(err, YS_INVALID, "password", "a password has %d to 1024 bytes", YS_AUTH_PASSWORD_MIN);
    if ((rc = hash_secret(a, password, hash, err)))
        return rc;
    time_t t = time(NULL);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
    const char *p[] = {name, ys_auth_role_key(role), delegation && *delegation ? delegation : NULL, hash, now};
    pthread_mutex_lock(&a->lock);
    rc = run(a, err, "INSERT INTO auth_accounts(name, role, delegation, password_hash, created_at)"
                     " VALUES (?, ?, ?, ?, ?)", 5, p);
    pthread_mutex_unlock(&a->lock);
    if (rc == YS_CONFLICT)
        ys_fail(err, YS_CONFLICT, "name", "there is already an account named '%s'", name);
    return rc;
}

ys_rc ys_auth_set_password(ys_auth *a, const char *name, const char *password, ys_err *err)
{
    char hash[crypto_pwhash_STRBYTES];
    ys_rc rc;
    if (!password || strlen(password) < YS_AUTH_PASSWORD_MIN || strlen(password) > 1024)
        return ys_fail(err, YS_INVALID, "password", "a password has %d to 1024 bytes", YS_AUTH_PASSWORD_MIN);
    if ((rc = hash_secret(a, password, hash, err)))
        return rc;
    const char *p[] = {hash, name};
    pthread_mutex_lock(&a->lock);
    rc = run(a, err, "UPDATE auth_accounts SET password_hash = ?, failures = 0, locked_until = 0 WHERE name = ?", 2, p);
    if (!rc && sqlite3_changes(a->db) == 0)
        rc = ys_fail(err, YS_NOT_FOUND, "name", "no account named '%s'", name);
    if (!rc)
        rc = run(a, err, "UPDATE auth_tokens SET revoked = 1 WHERE kind = 'account' AND subject = ?", 1, p + 1);
    pthread_mutex_unlock(&a->lock);
    return rc;
}

/* A card code as people type it: letters in any case, with or without dashes and spaces; I, L and O
 * read as 1, 1 and 0 (Crockford). Returns false if it cannot be a code. */
static bool normalize_code(const char *in, char out[YS_AUTH_CARD_TEXT])
{
    size_t n = 0;
    for (const char *c = in; c && *c; c++) {
        int ch = toupper((unsigned char)*c);
        if (ch == '-' || ch == ' ')
            continue;
        ch = ch == 'I' || ch == 'L' ? '1' : ch == 'O' ? '0' : ch;
        if (!strchr(card_alphabet, ch) || n >= 16)
            return false;
        out[n++] = (char)ch;
    }
    out[n] = '\0';
    return n == 16;
}

static void format_code(const char *norm, char out[YS_AUTH_CARD_TEXT])
{
    snprintf(out, YS_AUTH_CARD_TEXT, "%.4s-%.4s-%.4s-%.4s", norm, norm + 4, norm + 8, norm + 12);
}

ys_rc ys_auth_issue_card(ys_auth *a, const char *delegate_code, const char *code, char out[YS_AUTH_CARD_TEXT],
                         ys_err *err)
{
    char norm[YS_AUTH_CARD_TEXT], hash[YS_HASH_HEX], now[32];
    ys_rc rc;
    if (!text_ok(delegate_code, 60))
        return ys_fail(err, YS_INVALID, "delegate", "a delegate code is 1 to 60 bytes of text");
    if (code && !normalize_code(code, norm))
        return ys_fail(err, YS_INVALID, "code", "a card code is 16 characters of %s", card_alphabet);
    if (!code) {
        uint8_t r[16];
        randombytes_buf(r, sizeof r);
        for (int i = 0; i < 16; i++)
            norm[i] = card_alphabet[r[i] & 31];
        norm[16] = '\0';
    }
    hex_hash(norm, strlen(norm), hash);
    time_t t = time(NULL);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
    const char *p[] = {delegate_code, hash, now};
    pthread_mutex_lock(&a->lock);
    rc = run(a, err, "INSERT OR REPLACE INTO auth_cards(delegate_code, card_hash, pin_hash, issued_at)"
                     " VALUES (?, ?, NULL, ?)", 3, p);
    if (!rc)
        rc = run(a, err, "UPDATE auth_tokens SET revoked = 1 WHERE kind = 'card' AND subject = ?", 1, p);
    pthread_mutex_unlock(&a->lock);
    if (rc == YS_CONFLICT)
        return ys_fail(err, YS_CONFLICT, "code", "that card code belongs to another delegate");
    if (!rc)
        format_code(norm, out);
    return rc;
}

void ys_auth_csrf(const char *token, char out[YS_AUTH_CSRF_TEXT])
{
    static const uint8_t key[crypto_generichash_KEYBYTES] = "yishi csrf token, derived";
    uint8_t h[16];
    crypto_generichash(h, sizeof h, (const uint8_t *)token, strlen(token), key, sizeof key);
    sodium_bin2hex(out, YS_AUTH_CSRF_TEXT, h, sizeof h);
}

/* ---- logging in ---- */

typedef struct credential {
    bool found;
    char secret_hash[crypto_pwhash_STRBYTES]; /* argon2id string, "" when no PIN is set */
    int failures;
    int64_t locked_until;
    ys_principal who;
} credential;

static void fill_actor(ys_principal *w)
{
    snprintf(w->actor, sizeof w->actor, "%s:%s", ys_auth_role_key(w->role), w->name);
}

static ys_rc read_account(ys_auth *a, const char *name, credential *c, ys_err *err)
{
    sqlite3_stmt *q = NULL;
    memset(c, 0, sizeof *c);
    if (sqlite3_prepare_v2(a->db, "SELECT role, ifnull(delegation, ''), password_hash, failures, locked_until"
                           " FROM auth_accounts WHERE name = ?", -1, &q, NULL) != SQLITE_OK)
        return db_fail(a, err, "reading an account");
    sqlite3_bind_text(q, 1, name, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(q) == SQLITE_ROW) {
        c->found = true;
        c->who.role = (ys_auth_role)ys_auth_role_parse((const char *)sqlite3_column_text(q, 0));
        snprintf(c->who.name, sizeof c->who.name, "%s", name);
        snprintf(c->who.delegation, sizeof c->who.delegation, "%s", (const char *)sqlite3_column_text(q, 1));
        snprintf(c->secret_hash, sizeof c->secret_hash, "%s", (const char *)sqlite3_column_text(q, 2));
        c->failures = sqlite3_column_int(q, 3);
        c->locked_until = sqlite3_column_int64(q, 4);
        fill_actor(&c->who);
    }
    sqlite3_finalize(q);
    return YS_OK;
}

static ys_rc read_card(ys_auth *a, const char *card_hash, credential *c, ys_err *err)
{
    sqlite3_stmt *q = NULL;
    memset(c, 0, sizeof *c);
    if (sqlite3_prepare_v2(a->db, "SELECT delegate_code, ifnull(pin_hash, ''), failures, locked_until"
                           " FROM auth_cards WHERE card_hash = ?", -1, &q, NULL) != SQLITE_OK)
        return db_fail(a, err, "reading a card");
    sqlite3_bind_text(q, 1, card_hash, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(q) == SQLITE_ROW) {
        c->found = true;
        c->who.role = YS_AUTH_DELEGATE;
        snprintf(c->who.name, sizeof c->who.name, "%s", (const char *)sqlite3_column_text(q, 0));
        snprintf(c->secret_hash, sizeof c->secret_hash, "%s", (const char *)sqlite3_column_text(q, 1));
        c->failures = sqlite3_column_int(q, 2);
        c->locked_until = sqlite3_column_int64(q, 3);
        fill_actor(&c->who);
    }
    sqlite3_finalize(q);
    return YS_OK;
}

/* After FAILURES_FREE failures in a row the account waits 1, 2, 4 … seconds, at most LOCK_MAX_SECONDS;
 * computed in the UPDATE itself from the count before it, so that racing failures each count. */
static ys_rc record_failure(ys_auth *a, const char *table, const char *key_col, const char *key, int64_t now,
                            ys_err *err)
{
    char sql[512];
    sqlite3_stmt *q = NULL;
    ys_rc rc = YS_OK;
    snprintf(sql, sizeof sql, "UPDATE %s SET failures = failures + 1, locked_until = CASE WHEN failures + 1 >= %d"
             " THEN ?1 + min(%d, 1 << min(10, failures + 1 - %d)) ELSE 0 END WHERE %s = ?2", table,
             FAILURES_FREE, LOCK_MAX_SECONDS, FAILURES_FREE, key_col);
    pthread_mutex_lock(&a->lock);
    if (sqlite3_prepare_v2(a->db, sql, -1, &q, NULL) != SQLITE_OK) {
        rc = db_fail(a, err, "recording a failed login");
    } else {
        sqlite3_bind_int64(q, 1, now);
        sqlite3_bind_text(q, 2, key, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(q) != SQLITE_DONE)
            rc = db_fail(a, err, "recording a failed login");
    }
    sqlite3_finalize(q);
    pthread_mutex_unlock(&a->lock);
    return rc;
}

static ys_rc new_token(ys_auth *a, const char *kind, const credential *c, int64_t now, int ttl, ys_login *out,
                       ys_err *err)
{
    uint8_t raw[32];
    char hash[YS_HASH_HEX], created[24], expires[24];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(out->token, sizeof out->token, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
    hex_hash(out->token, strlen(out->token), hash);
    ys_auth_csrf(out->token, out->csrf);
    out->who = c->who;
    out->who.expires = now + ttl;
    snprintf(created, sizeof created, "%lld", (long long)now);
    snprintf(expires, sizeof expires, "%lld", (long long)(now + ttl));
    const char *p[] = {hash, kind, c->who.name, created, expires};
    pthread_mutex_lock(&a->lock);
    ys_rc rc = run(a, err, "INSERT INTO auth_tokens(token_hash, kind, subject, created_at, expires_at)"
                           " VALUES (?, ?, ?, ?, ?)", 5, p);
    if (!rc) {
        /* Success clears the failure count; tokens that ended a day ago are of no use to anyone. */
        const char *table = strcmp(kind, "card") == 0 ? "UPDATE auth_cards SET failures = 0, locked_until = 0"
                                                        " WHERE delegate_code = ?"
                                                      : "UPDATE auth_accounts SET failures = 0, locked_until = 0"
                                                        " WHERE name = ?";
        const char *who[] = {c->who.name};
        rc = run(a, err, table, 1, who);
        snprintf(created, sizeof created, "%lld", (long long)(now - 86400));
        const char *old[] = {created};
        if (!rc)
            rc = run(a, err, "DELETE FROM auth_tokens WHERE expires_at < CAST(? AS INTEGER)", 1, old);
    }
    pthread_mutex_unlock(&a->lock);
    return rc;
}

static ys_rc refuse_locked(const credential *c, int64_t now, ys_login *out, ys_err *err)
{
    out->retry_after = (int)(c->locked_until - now);
    return ys_fail(err, YS_RATE_LIMITED, "name", "too many failed logins; try again in %d s", out->retry_after);
}

ys_rc ys_auth_login_password(ys_auth *a, const char *name, const char *password, int64_t now, int ttl,
                             ys_login *out, ys_err *err)
{
    credential c;
    ys_rc rc;
    memset(out, 0, sizeof *out);
    if (!name || !password)
        return ys_fail(err, YS_UNAUTHORIZED, "name", "wrong name or password");
    pthread_mutex_lock(&a->lock);
    rc = read_account(a, name, &c, err);
    pthread_mutex_unlock(&a->lock);
    if (rc)
        return rc;
    if (c.found && c.locked_until > now)
        return refuse_locked(&c, now, out, err);
    if (!c.found) {
        if (crypto_pwhash_str_verify(a->dummy, password, strlen(password)) == 0)
            return ys_fail(err, YS_STORE, NULL, "the decoy hash matched");
        return ys_fail(err, YS_UNAUTHORIZED, "name", "wrong name or password");
    }
    if (crypto_pwhash_str_verify(c.secret_hash, password, strlen(password)) != 0) {
        if ((rc = record_failure(a, "auth_accounts", "name", c.who.name, now, err)))
            return rc;
        return ys_fail(err, YS_UNAUTHORIZED, "password", "wrong name or password");
    }
    return new_token(a, "account", &c, now, ttl, out, err);
}

static bool pin_ok(const char *pin)
{
    size_t n = pin ? strlen(pin) : 0;
    if (n < YS_AUTH_PIN_MIN || n > YS_AUTH_PIN_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (pin[i] < '0' || pin[i] > '9')
            return false;
    return true;
}

/* The first login with a card sets its PIN; only one of two racing first logins can. */
static ys_rc set_pin(ys_auth *a, const credential *c, const char *pin, bool *won, ys_err *err)
{
    char hash[crypto_pwhash_STRBYTES];
    ys_rc rc = hash_secret(a, pin, hash, err);
    if (rc)
        return rc;
    const char *p[] = {hash, c->who.name};
    pthread_mutex_lock(&a->lock);
    rc = run(a, err, "UPDATE auth_cards SET pin_hash = ? WHERE delegate_code = ? AND pin_hash IS NULL", 2, p);
    *won = !rc && sqlite3_changes(a->db) == 1;
    pthread_mutex_unlock(&a->lock);
    return rc;
}

ys_rc ys_auth_login_card(ys_auth *a, const char *code, const char *pin, int64_t now, int ttl, ys_login *out,
                         ys_err *err)
{
    char norm[YS_AUTH_CARD_TEXT], hash[YS_HASH_HEX];
    credential c;
    ys_rc rc;
    bool won = false;
    memset(out, 0, sizeof *out);
    if (!code || !normalize_code(code, norm))
        return ys_fail(err, YS_UNAUTHORIZED, "code", "unknown card code");
    if (!pin_ok(pin))
        return ys_fail(err, YS_INVALID, "pin", "a PIN is %d to %d digits", YS_AUTH_PIN_MIN, YS_AUTH_PIN_MAX);
    hex_hash(norm, strlen(norm), hash);
    pthread_mutex_lock(&a->lock);
    rc = read_card(a, hash, &c, err);
    pthread_mutex_unlock(&a->lock);
    if (rc)
        return rc;
    if (!c.found)
        return ys_fail(err, YS_UNAUTHORIZED, "code", "unknown card code");
    if (c.locked_until > now)
        return refuse_locked(&c, now, out, err);
    if (!c.secret_hash[0]) {
        if ((rc = set_pin(a, &c, pin, &won, err)))
            return rc;
        if (won) {
            out->pin_set = true;
            rc = new_token(a, "card", &c, now, ttl, out, err);
            out->pin_set = true;
            return rc;
        }
        pthread_mutex_lock(&a->lock); /* someone else set it first: check against theirs */
        rc = read_card(a, hash, &c, err);
        pthread_mutex_unlock(&a->lock);
        if (rc)
            return rc;
    }
    if (crypto_pwhash_str_verify(c.secret_hash, pin, strlen(pin)) != 0) {
        if ((rc = record_failure(a, "auth_cards", "delegate_code", c.who.name, now, err)))
            return rc;
        return ys_fail(err, YS_UNAUTHORIZED, "pin", "wrong PIN");
    }
    return new_token(a, "card", &c, now, ttl, out, err);
}

ys_rc ys_auth_check(ys_auth *a, const char *token, int64_t now, ys_principal *out, ys_err *err)
{
    char hash[YS_HASH_HEX];
    sqlite3_stmt *q = NULL;
    ys_rc rc = YS_OK;
    memset(out, 0, sizeof *out);
    if (!token || !*token || strlen(token) >= YS_AUTH_TOKEN_TEXT)
        return ys_fail(err, YS_UNAUTHORIZED, "token", "not logged in");
    hex_hash(token, strlen(token), hash);
    pthread_mutex_lock(&a->lock);
    if (sqlite3_prepare_v2(a->db, "SELECT t.kind, t.subject, t.expires_at, a.role, ifnull(a.delegation, '')"
                           " FROM auth_tokens t LEFT JOIN auth_accounts a ON t.kind = 'account' AND a.name = t.subject"
                           " WHERE t.token_hash = ? AND t.revoked = 0", -1, &q, NULL) != SQLITE_OK) {
        rc = db_fail(a, err, "reading a token");
    } else {
        sqlite3_bind_text(q, 1, hash, -1, SQLITE_STATIC);
        if (sqlite3_step(q) != SQLITE_ROW || sqlite3_column_int64(q, 2) <= now) {
            rc = ys_fail(err, YS_UNAUTHORIZED, "token", "not logged in, or the login has expired");
        } else {
            bool card = strcmp((const char *)sqlite3_column_text(q, 0), "card") == 0;
            const char *role = (const char *)sqlite3_column_text(q, 3);
            out->role = card ? YS_AUTH_DELEGATE : role ? (ys_auth_role)ys_auth_role_parse(role) : YS_AUTH_OBSERVER;
            snprintf(out->name, sizeof out->name, "%s", (const char *)sqlite3_column_text(q, 1));
            snprintf(out->delegation, sizeof out->delegation, "%s", (const char *)sqlite3_column_text(q, 4));
            out->expires = sqlite3_column_int64(q, 2);
            fill_actor(out);
            if (out->role == YS_AUTH_OBSERVER) /* the account was removed under the token */
                rc = ys_fail(err, YS_UNAUTHORIZED, "token", "not logged in");
        }
    }
    sqlite3_finalize(q);
    pthread_mutex_unlock(&a->lock);
    return rc;
}

ys_rc ys_auth_logout(ys_auth *a, const char *token, ys_err *err)
{
    char hash[YS_HASH_HEX];
    if (!token)
        return ys_fail(err, YS_UNAUTHORIZED, "token", "not logged in");
    hex_hash(token, strlen(token), hash);
    const char *p[] = {hash};
    pthread_mutex_lock(&a->lock);
    ys_rc rc = run(a, err, "UPDATE auth_tokens SET revoked = 1 WHERE token_hash = ?", 1, p);
    pthread_mutex_unlock(&a->lock);
    return rc;
}

ys_rc ys_auth_list(ys_auth *a, ys_auth_list_fn fn, void *ud, ys_err *err)
{
    sqlite3_stmt *q = NULL;
    ys_rc rc = YS_OK;
    pthread_mutex_lock(&a->lock);
    if (sqlite3_prepare_v2(a->db, "SELECT 'account', name, role, ifnull(delegation, ''), 0 FROM auth_accounts"
                           " UNION ALL SELECT 'card', delegate_code, 'delegate', '', pin_hash IS NOT NULL"
                           " FROM auth_cards ORDER BY 1, 2", -1, &q, NULL) != SQLITE_OK) {
        rc = db_fail(a, err, "listing the logins");
    } else {
        while (sqlite3_step(q) == SQLITE_ROW)
            fn((const char *)sqlite3_column_text(q, 0), (const char *)sqlite3_column_text(q, 1),
               (const char *)sqlite3_column_text(q, 2), (const char *)sqlite3_column_text(q, 3),
               sqlite3_column_int(q, 4) != 0, ud);
    }
    sqlite3_finalize(q);
    pthread_mutex_unlock(&a->lock);
    return rc;
}
