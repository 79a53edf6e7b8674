/* auth.c — who may log in: staff accounts, delegate cards and session tokens, beside the log and never in
 * it; passwords and PINs as argon2id, codes and tokens as BLAKE2b. The rules are here once; where the rows
 * live (an SQLite file, a session of a congress in PostgreSQL) is auth_db.h's statements and drivers. */
#include "yishi/auth.h"

#include "store/auth_db.h"
#include "store/auth_tokens.h"
#include "yishi/alloc.h"
#include "yishi/event.h"
#include "yishi/store.h"

#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char card_alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; /* Crockford: no I, L, O, U */

#define Q(name) YS__AUTH_Q_##name

struct ys_auth {
    ys__auth_db *db;
    pthread_mutex_t lock;      /* one statement sequence at a time; hashing happens outside it */
    ys_tokens *tokens;         /* the live tokens: checked without the lock, and without SQL */
    unsigned long long ops;
    size_t mem;
    /* Hashes to verify against when a name or card is unknown, so that time does not tell them apart. */
    char decoy_password[crypto_pwhash_STRBYTES], decoy_pin[crypto_pwhash_STRBYTES];
    int64_t pruned_at;         /* the login clock when what had run out was last dropped (under the lock) */
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

/* Runs statement `k` with text parameters (NULL binds NULL); `changes`, if not NULL, receives how many rows
 * it changed. Under the lock (or while the logins are opened, before they are shared). */
static ys_rc run_counted(ys_auth *a, ys_err *err, ys__auth_q k, int n, const char *const *params, long *changes)
{
    return a->db->run(a->db, k, n, params, NULL, NULL, changes, err);
}

static ys_rc run(ys_auth *a, ys_err *err, ys__auth_q k, int n, const char *const *params)
{
    return run_counted(a, err, k, n, params, NULL);
}

/* The first row of a statement, its columns copied (each at most a hash string or a name long). */
#define ROW_COLS 6
typedef struct row {
    bool found;
    bool null[ROW_COLS];
    char col[ROW_COLS][crypto_pwhash_STRBYTES + 32];
} row;

static void first_row(const char *const *cols, int n, void *ud)
{
    row *r = ud;
    if (r->found)
        return;
    r->found = true;
    for (int i = 0; i < n && i < ROW_COLS; i++) {
        r->null[i] = cols[i] == NULL;
        snprintf(r->col[i], sizeof r->col[i], "%s", cols[i] ? cols[i] : "");
    }
}

/* A column into a field of its own size, cut if it is longer (no field of the logins is). */
static void take(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    n = n < cap ? n : cap - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static ys_rc fetch(ys_auth *a, ys_err *err, ys__auth_q k, int n, const char *const *params, row *r)
{
    memset(r, 0, sizeof *r);
    return a->db->run(a->db, k, n, params, first_row, r, NULL, err);
}

/* The BLAKE2b of a token, as the table in memory keys it and as the file stores it (hex). */
static void token_hash(const char *token, uint8_t h[YS_HASH_BYTES], char hex[YS_HASH_HEX])
{
    crypto_generichash(h, YS_HASH_BYTES, (const uint8_t *)token, strlen(token), NULL, 0);
    sodium_bin2hex(hex, YS_HASH_HEX, h, YS_HASH_BYTES);
}

bool ys_auth_weak_hashing(void)
{
    const char *v = getenv("YISHI_TEST_WEAK_PWHASH");
    return v && strcmp(v, "1") == 0;
}

/* A hash of a random secret, to verify against when a name or a card is unknown. */
static ys_rc decoy_at(unsigned long long ops, size_t mem, char out[crypto_pwhash_STRBYTES], ys_err *err)
{
    uint8_t raw[16];
    char secret[33];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(secret, sizeof secret, raw, sizeof raw);
    if (crypto_pwhash_str(out, secret, strlen(secret), ops, mem) != 0)
        return ys_fail(err, YS_NOMEM, NULL, "out of memory preparing the logins");
    return YS_OK;
}

/* A decoy at the cost of the newest real hash that statement `k` selects (the store's hashes may have been
 * made at another cost than this process would use), else at this process's. */
static ys_rc make_decoy(ys_auth *a, ys__auth_q k, char out[crypto_pwhash_STRBYTES], ys_err *err)
{
    unsigned long long ops = a->ops;
    size_t mem = a->mem;
    unsigned long m = 0, t = 0;
    row r;
    ys_err none = {0}; /* a hash that cannot be read leaves the decoy at this process's cost */
    if (!fetch(a, &none, k, 0, NULL, &r) && r.found &&
        sscanf(r.col[0], "$argon2id$v=%*d$m=%lu,t=%lu", &m, &t) == 2 && m && t) {
        ops = t;
        mem = (size_t)m * 1024;
    }
    return decoy_at(ops, mem, out, err);
}

/* Reads the tokens not logged out nor ended into memory, with who holds them: a restart keeps the logins.
 * A token of an account that is gone is left out, as it would be refused. */
typedef struct token_load {
    ys_auth *a;
    int64_t now;
    bool nomem;
} token_load;

static void load_token(const char *const *c, int n, void *ud)
{
    token_load *l = ud;
    uint8_t h[YS_HASH_BYTES];
    size_t len = 0;
    if (n < 6 || !c[0] || !c[1] || !c[2] || !c[3])
        return;
    bool card = atoi(c[1]) != 0;
    ys_principal who = {.role = card ? YS_AUTH_DELEGATE : c[4] ? (ys_auth_role)ys_auth_role_parse(c[4]) : YS_AUTH_OBSERVER,
                        .expires = strtoll(c[3], NULL, 10)};
    if (who.role == YS_AUTH_OBSERVER || (int)who.role < 0 ||
        sodium_hex2bin(h, sizeof h, c[0], strlen(c[0]), NULL, &len, NULL) != 0 || len != sizeof h)
        return;
    snprintf(who.name, sizeof who.name, "%s", c[2]);
    snprintf(who.delegation, sizeof who.delegation, "%s", c[5] ? c[5] : "");
    if (ys_tokens_put(l->a->tokens, h, card, &who, l->now))
        l->nomem = true;
}

static ys_rc load_tokens(ys_auth *a, ys_err *err)
{
    char now[24];
    token_load l = {.a = a, .now = (int64_t)time(NULL)};
    snprintf(now, sizeof now, "%lld", (long long)l.now);
    const char *p[] = {now};
    ys_rc rc = a->db->run(a->db, Q(TOKENS_LIVE), 1, p, load_token, &l, NULL, err);
    if (!rc && l.nomem)
        rc = ys_fail(err, YS_NOMEM, NULL, "out of memory reading the tokens");
    return rc;
}

/* The logins of the store at `path`: a session file, or (a PostgreSQL locator) a session of a congress in
 * its database; the backend is chosen by the locator as the store's is. */
ys_rc ys_auth_open(const char *path, ys_auth **out, ys_err *err)
{
    *out = NULL;
    ys_auth *a = ys_calloc(1, sizeof *a);
    ys_rc rc = YS_OK;
    if (!a || sodium_init() < 0) {
        ys_free(a);
        return ys_fail(err, YS_NOMEM, NULL, "out of memory opening the logins of %s", path);
    }
    pthread_mutex_init(&a->lock, NULL);
    if (!(a->tokens = ys_tokens_new())) {
        rc = ys_fail(err, YS_NOMEM, NULL, "out of memory opening the logins of %s", path);
        goto fail;
    }
    bool fast = ys_auth_weak_hashing();
    a->ops = fast ? crypto_pwhash_OPSLIMIT_MIN : crypto_pwhash_OPSLIMIT_INTERACTIVE;
    a->mem = fast ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE;
    rc = ys_store_is_postgresql(path) ? ys__auth_pg_open(path, &a->db, err) : ys__auth_sqlite_open(path, &a->db, err);
    if (!rc)
        rc = make_decoy(a, Q(DECOY_PASSWORD), a->decoy_password, err);
    if (!rc)
        rc = make_decoy(a, Q(DECOY_PIN), a->decoy_pin, err);
    if (!rc)
        rc = load_tokens(a, err);
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
    if (a->db)
        a->db->close(a->db);
    pthread_mutex_destroy(&a->lock);
    ys_tokens_free(a->tokens);
    ys_free(a);
}

static void hex_hash(const void *data, size_t len, char out[YS_HASH_HEX])
{
    uint8_t h[32];
    crypto_generichash(h, sizeof h, data, len, NULL, 0);
    sodium_bin2hex(out, YS_HASH_HEX, h, sizeof h);
}

/* Hashes a new password or PIN at this process's cost; the decoy of its kind follows, so that it keeps
 * the cost of the newest real hash. Outside the lock. */
static ys_rc hash_secret(ys_auth *a, const char *secret, char out[crypto_pwhash_STRBYTES],
                         char decoy[crypto_pwhash_STRBYTES], ys_err *err)
{
    char now[crypto_pwhash_STRBYTES];
    ys_err ignored = {0}; /* a decoy that cannot be remade stays as it was */
    if (crypto_pwhash_str(out, secret, strlen(secret), a->ops, a->mem) != 0)
        return ys_fail(err, YS_NOMEM, NULL, "out of memory hashing a password");
    pthread_mutex_lock(&a->lock);
    memcpy(now, decoy, sizeof now);
    pthread_mutex_unlock(&a->lock);
    if (crypto_pwhash_str_needs_rehash(now, a->ops, a->mem) == 0 || decoy_at(a->ops, a->mem, now, &ignored))
        return YS_OK;
    pthread_mutex_lock(&a->lock);
    memcpy(decoy, now, sizeof now);
    pthread_mutex_unlock(&a->lock);
    return YS_OK;
}

/* Now as UTC ISO 8601; gmtime_r, because the server's threads share this code. */
static void utc_now(char out[32])
{
    struct tm tm;
    time_t t = time(NULL);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
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

/* The key of a login name's or a card's bucket and known devices: "account:" or "card:" and the BLAKE2b of
 * the name or of the card code as stored (so a card's key is "card:" and its card_hash). A hash, so that a
 * name of any length, or one that does not exist, gets a key alike. */
static void subject_key(bool card, const char *s, char out[8 + YS_HASH_HEX])
{
    char h[YS_HASH_HEX];
    hex_hash(s, strlen(s), h);
    snprintf(out, 8 + YS_HASH_HEX, "%s:%s", card ? "card" : "account", h);
}

/* Forgets the failures of a subject and of the devices known for it, and with `devices` the devices
 * too. Under the lock. */
static ys_rc forget_subject(ys_auth *a, const char *key, bool devices, ys_err *err)
{
    const char *p[] = {key};
    ys_rc rc = run(a, err, Q(SUBJECT_FORGET), 1, p);
    return rc || !devices ? rc : run(a, err, Q(DEVICES_FORGET), 1, p);
}

/* The subject key of the card a delegate holds now; "" if none. Under the lock. */
static ys_rc card_key(ys_auth *a, const char *delegate_code, char key[8 + YS_HASH_HEX], ys_err *err)
{
    const char *p[] = {delegate_code};
    row r;
    ys_rc rc = fetch(a, err, Q(CARD_KEY), 1, p, &r);
    take(key, 8 + YS_HASH_HEX, !rc && r.found ? r.col[0] : "");
    return rc;
}

ys_rc ys_auth_add_account(ys_auth *a, const char *name, ys_auth_role role, const char *delegation,
                          const char *password, ys_err *err)
{
    char hash[crypto_pwhash_STRBYTES], now[32];
    ys_rc rc;
    if (!text_ok(name, 80))
        return ys_fail(err, YS_INVALID, "name", "an account name is 1 to 80 bytes of text");
    if (role != YS_AUTH_SECRETARIAT && role != YS_AUTH_CHAIR && role != YS_AUTH_DELEGATION_SECRETARY &&
        role != YS_AUTH_TRUSTEE)
        return ys_fail(err, YS_INVALID, "role", "a staff account is secretariat, chair, delegation_secretary or trustee");
    if ((role == YS_AUTH_DELEGATION_SECRETARY) != (delegation && *delegation))
        return ys_fail(err, YS_INVALID, "delegation", "a delegation secretary, and only one, names a delegation");
    if (!password || strlen(password) < YS_AUTH_PASSWORD_MIN || strlen(password) > 1024)
        return ys_fail(err, YS_INVALID, "password", "a password has %d to 1024 bytes", YS_AUTH_PASSWORD_MIN);
    if ((rc = hash_secret(a, password, hash, a->decoy_password, err)))
        return rc;
    utc_now(now);
    const char *p[] = {name, ys_auth_role_key(role), delegation && *delegation ? delegation : NULL, hash, now};
    pthread_mutex_lock(&a->lock);
    rc = run(a, err, Q(ACCOUNT_ADD), 5, p);
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
    row busy;
    pthread_mutex_lock(&a->lock);
    rc = fetch(a, err, Q(CONGRESS_BUSY), 0, NULL, &busy);
    pthread_mutex_unlock(&a->lock);
    if (rc)
        return rc;
    if (busy.found)
        return ys_fail(err, YS_CONFLICT, "session", "session %s of the same congress is being served: a new password "
                       "ends the account's logins at every session of its congress, so stop its server first",
                       busy.col[0]);
    if ((rc = hash_secret(a, password, hash, a->decoy_password, err)))
        return rc;
    char key[8 + YS_HASH_HEX];
    subject_key(false, name, key);
    const char *p[] = {hash, name, key};
    pthread_mutex_lock(&a->lock);
    long changed = 0;
    rc = run_counted(a, err, Q(ACCOUNT_PASSWORD), 2, p, &changed);
    if (!rc && changed == 0)
        rc = ys_fail(err, YS_NOT_FOUND, "name", "no account named '%s'", name);
    if (!rc) { /* the old password's logins end at once, even if the file could not be told so */
        ys_tokens_drop_subject(a->tokens, false, name);
        rc = run(a, err, Q(TOKENS_REVOKE_ACCOUNT), 1, p + 1);
    }
    if (!rc) /* a new password is a fresh start: no device is known, no failure counts */
        rc = forget_subject(a, key, true, err);
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

/* One card, inside the caller's transaction and under the logins' lock. */
static ys_rc issue_card_locked(ys_auth *a, const char *delegate_code, const char *code, char out[YS_AUTH_CARD_TEXT],
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
    utc_now(now);
    const char *p[] = {delegate_code, hash, now};
    char old[8 + YS_HASH_HEX];
    rc = card_key(a, delegate_code, old, err); /* a new card is a fresh start: its old devices are unknown */
    if (!rc && old[0])
        rc = forget_subject(a, old, true, err);
    if (!rc)
        rc = run(a, err, Q(CARD_ISSUE), 3, p);
    if (!rc) { /* the old card's logins end at once, as the password's do (even if the batch then fails) */
        ys_tokens_drop_subject(a->tokens, true, delegate_code);
        rc = run(a, err, Q(TOKENS_REVOKE_CARD), 1, p);
    }
    if (rc == YS_CONFLICT)
        return ys_fail(err, YS_CONFLICT, "code", "that card code belongs to another delegate");
    if (!rc)
        format_code(norm, out);
    return rc;
}

static ys_rc txn_begin(ys_auth *a, ys_err *err) { return run(a, err, Q(BEGIN), 0, NULL); }

static ys_rc txn_end(ys_auth *a, ys_rc rc, ys_err *err)
{
    ys_err ignored = {0};
    if (!rc)
        rc = run(a, err, Q(COMMIT), 0, NULL);
    if (rc)
        run(a, &ignored, Q(ROLLBACK), 0, NULL);
    return rc;
}

ys_rc ys_auth_issue_cards(ys_auth *a, const char *const *delegate_codes, const char *const *codes, size_t n,
                          char (*out)[YS_AUTH_CARD_TEXT], ys_err *err)
{
    pthread_mutex_lock(&a->lock);
    ys_rc rc = txn_begin(a, err);
    for (size_t i = 0; !rc && i < n; i++)
        rc = issue_card_locked(a, delegate_codes[i], codes ? codes[i] : NULL, out[i], err);
    rc = txn_end(a, rc, err);
    pthread_mutex_unlock(&a->lock);
    return rc;
}

ys_rc ys_auth_issue_card(ys_auth *a, const char *delegate_code, const char *code, char out[YS_AUTH_CARD_TEXT],
                         ys_err *err)
{
    return ys_auth_issue_cards(a, &delegate_code, code ? &code : NULL, 1, (char (*)[YS_AUTH_CARD_TEXT])out, err);
}

void ys_auth_csrf(const char *token, char out[YS_AUTH_CSRF_TEXT])
{
    static const uint8_t key[crypto_generichash_KEYBYTES] = "yishi csrf token, derived";
    uint8_t h[16];
    crypto_generichash(h, sizeof h, (const uint8_t *)token, strlen(token), key, sizeof key);
    sodium_bin2hex(out, YS_AUTH_CSRF_TEXT, h, sizeof h);
}

/* ---- buckets of failed logins ---- */

static const struct { int capacity, interval; } bucket_limits[YS_AUTH_N_BUCKETS] = {
    [YS_AUTH_B_ADDRESS] = {30, 10},   /* a hall's terminals may share one address: lenient */
    [YS_AUTH_B_ACCOUNT] = {10, 300},  /* 288 guesses a day at a password, from all unknown devices together */
    [YS_AUTH_B_CARD] = {5, 7200},     /* 12 a day at a PIN: at most 173 in a fortnight, of 10^6 PINs */
    [YS_AUTH_B_DEVICE] = {10, 300},
};

int ys_auth_bucket_capacity(ys_auth_bucket_kind k) { return bucket_limits[k].capacity; }

int ys_auth_bucket_interval(ys_auth_bucket_kind k)
{
    const char *v = getenv("YISHI_TEST_LOGIN_LEAK");
    int test = v ? atoi(v) : 0;
    return test > 0 ? test : bucket_limits[k].interval;
}

void ys_auth_bucket_drain(ys_auth_bucket *b, ys_auth_bucket_kind k, int64_t now)
{
    if (now <= b->at)
        return; /* a clock that went back drains nothing */
    b->level -= (double)(now - b->at) / ys_auth_bucket_interval(k);
    if (b->level < 0)
        b->level = 0;
    b->at = now;
}

int ys_auth_bucket_take(ys_auth_bucket *b, ys_auth_bucket_kind k, int64_t now)
{
    ys_auth_bucket_drain(b, k, now);
    double over = b->level + 1 - ys_auth_bucket_capacity(k);
    if (over > 1e-9) {
        double need = over * ys_auth_bucket_interval(k);
        int wait = (int)need;
        return wait < need || wait < 1 ? wait + 1 : wait;
    }
    b->level += 1;
    return 0;
}

void ys_auth_bucket_refund(ys_auth_bucket *b, ys_auth_bucket_kind k, int64_t now)
{
    ys_auth_bucket_drain(b, k, now);
    b->level = b->level > 1 ? b->level - 1 : 0;
}


static ys_rc bucket_read(ys_auth *a, const char *key, ys_auth_bucket *b, ys_err *err)
{
    const char *p[] = {key};
    row r;
    ys_rc rc = fetch(a, err, Q(BUCKET_READ), 1, p, &r);
    *b = (ys_auth_bucket){0, 0};
    if (!rc && r.found)
        *b = (ys_auth_bucket){strtod(r.col[0], NULL), strtoll(r.col[1], NULL, 10)};
    return rc;
}

/* Charges (or, with `refund`, gives back) one attempt to the bucket at `key`. *wait: 0, or the seconds
 * until the bucket has room, and then nothing is charged. Under the lock, in a transaction, so that
 * parallel attempts from this process or another are each counted. */
static ys_rc bucket_step(ys_auth *a, const char *key, ys_auth_bucket_kind k, bool refund, int64_t now, int *wait,
                         ys_err *err)
{
    ys_auth_bucket b;
    char level[32], at[24];
    *wait = 0;
    ys_rc rc = bucket_read(a, key, &b, err);
    if (rc)
        return rc;
    if (refund)
        ys_auth_bucket_refund(&b, k, now);
    else if ((*wait = ys_auth_bucket_take(&b, k, now)))
        return YS_OK;
    snprintf(level, sizeof level, "%.17g", b.level); /* the double as it is, back from its text */
    snprintf(at, sizeof at, "%lld", (long long)b.at);
    const char *p[] = {key, level, at};
    return run(a, err, Q(BUCKET_WRITE), 3, p);
}

/* ---- logging in ---- */

typedef struct credential {
    bool found;
    char secret_hash[crypto_pwhash_STRBYTES]; /* argon2id string, "" when no PIN is set */
    ys_principal who;
} credential;

/* One attempt, and what it is charged to: its known device's bucket, or its name's or card's. */
typedef struct attempt {
    const ys_login_try *t;
    bool card;
    char subject[8 + YS_HASH_HEX];      /* subject_key() */
    char device[8 + YS_HASH_HEX];       /* "device:" and the BLAKE2b of the device token; "" for none */
    ys_auth_bucket_kind kind;           /* of the bucket charged */
    const char *charged;                /* its key */
} attempt;

static void attempt_init(attempt *at, const ys_login_try *t)
{
    char norm[YS_AUTH_CARD_TEXT], h[YS_HASH_HEX];
    memset(at, 0, sizeof *at);
    at->t = t;
    at->card = t->code != NULL;
    /* a code that cannot be one still gets a bucket, like any unknown card */
    subject_key(at->card, !at->card ? t->name : normalize_code(t->code, norm) ? norm : t->code, at->subject);
    if (t->device && *t->device && strlen(t->device) < YS_AUTH_TOKEN_TEXT) {
        hex_hash(t->device, strlen(t->device), h);
        snprintf(at->device, sizeof at->device, "device:%s", h);
    }
    at->kind = at->card ? YS_AUTH_B_CARD : YS_AUTH_B_ACCOUNT;
    at->charged = at->subject;
}

/* Whether the device logged in as the subject within YS_AUTH_DEVICE_TTL and its bucket has room. */
static bool device_known(ys_auth *a, const attempt *at)
{
    bool known = false;
    ys_auth_bucket b;
    ys_err err = {0};
    char since[24];
    row r;
    if (!at->device[0])
        return false;
    snprintf(since, sizeof since, "%lld", (long long)(at->t->now - YS_AUTH_DEVICE_TTL));
    const char *p[] = {at->device + strlen("device:"), at->subject, since};
    pthread_mutex_lock(&a->lock);
    known = !fetch(a, &err, Q(DEVICE_KNOWN), 3, p, &r) && r.found;
    if (known && !bucket_read(a, at->device, &b, &err))
        known = ys_auth_bucket_take(&b, YS_AUTH_B_DEVICE, at->t->now) == 0;
    pthread_mutex_unlock(&a->lock);
    return known;
}

/* A name and a password, or a code and a PIN, and nothing else. */
static bool shape_ok(const ys_login_try *t)
{
    return t->code ? t->pin && !t->name && !t->password : t->name && t->password && !t->pin;
}

bool ys_auth_known_device(ys_auth *a, const ys_login_try *t)
{
    attempt at;
    if (!shape_ok(t))
        return false;
    attempt_init(&at, t);
    return device_known(a, &at);
}

/* Charges the attempt before any hash runs: to its known device, else (or when the device's bucket
 * filled meanwhile) to its name or card. */
static ys_rc charge(ys_auth *a, attempt *at, ys_login *out, ys_err *err)
{
    int wait = 0;
    bool known = device_known(a, at);
    pthread_mutex_lock(&a->lock);
    ys_rc rc = txn_begin(a, err);
    if (!rc && known) {
        rc = bucket_step(a, at->device, YS_AUTH_B_DEVICE, false, at->t->now, &wait, err);
        if (!rc && !wait) {
            at->kind = YS_AUTH_B_DEVICE;
            at->charged = at->device;
        }
    }
    if (!rc && at->charged == at->subject)
        rc = bucket_step(a, at->subject, at->kind, false, at->t->now, &wait, err);
    rc = txn_end(a, rc, err);
    pthread_mutex_unlock(&a->lock);
    if (!rc && wait) {
        out->retry_after = wait;
        return ys_fail(err, YS_RATE_LIMITED, NULL, "%s", YS_AUTH_RATE_LIMITED_TEXT);
    }
    return rc;
}

static ys_rc refund(ys_auth *a, const attempt *at, ys_err *err)
{
    int wait;
    return bucket_step(a, at->charged, at->kind, true, at->t->now, &wait, err);
}

static void fill_actor(ys_principal *w)
{
    snprintf(w->actor, sizeof w->actor, "%s:%s", ys_auth_role_key(w->role), w->name);
}

static ys_rc read_account(ys_auth *a, const char *name, credential *c, ys_err *err)
{
    const char *p[] = {name};
    row r;
    ys_rc rc = fetch(a, err, Q(ACCOUNT_READ), 1, p, &r);
    memset(c, 0, sizeof *c);
    if (!rc && r.found) {
        c->found = true;
        c->who.role = (ys_auth_role)ys_auth_role_parse(r.col[0]);
        snprintf(c->who.name, sizeof c->who.name, "%s", name);
        take(c->who.delegation, sizeof c->who.delegation, r.col[1]);
        take(c->secret_hash, sizeof c->secret_hash, r.col[2]);
        fill_actor(&c->who);
    }
    return rc;
}

static ys_rc read_card(ys_auth *a, const char *card_hash, credential *c, ys_err *err)
{
    const char *p[] = {card_hash};
    row r;
    ys_rc rc = fetch(a, err, Q(CARD_READ), 1, p, &r);
    memset(c, 0, sizeof *c);
    if (!rc && r.found) {
        c->found = true;
        c->who.role = YS_AUTH_DELEGATE;
        take(c->who.name, sizeof c->who.name, r.col[0]);
        take(c->secret_hash, sizeof c->secret_hash, r.col[1]);
        fill_actor(&c->who);
    }
    return rc;
}

static ys_rc read_credential(ys_auth *a, const attempt *at, credential *c, ys_err *err)
{
    pthread_mutex_lock(&a->lock);
    ys_rc rc = at->card ? read_card(a, at->subject + strlen("card:"), c, err) : read_account(a, at->t->name, c, err);
    pthread_mutex_unlock(&a->lock);
    return rc;
}

/* What a login may type as a PIN: digits, at most YS_AUTH_PIN_MAX (shorter ones set before PINs had
 * YS_AUTH_PIN_MIN digits still log in). */
static bool pin_digits(const char *pin)
{
    size_t n = pin ? strlen(pin) : 0;
    return n >= 1 && n <= YS_AUTH_PIN_MAX && strspn(pin, "0123456789") == n;
}

/* What a new PIN must be: at least YS_AUTH_PIN_MIN digits, and none of the PINs a thief tries first:
 * one digit repeated, or a run up or down (123456, 987654, 890123). */
static bool pin_strong(const char *pin)
{
    size_t n = strlen(pin);
    bool same = true, up = true, down = true;
    for (size_t i = 1; i < n; i++) {
        int d = (pin[i] - pin[i - 1] + 10) % 10;
        same = same && d == 0;
        up = up && d == 1;
        down = down && d == 9;
    }
    return n >= YS_AUTH_PIN_MIN && !same && !up && !down;
}

/* The first login with a card sets its PIN; only one of two racing first logins can. */
static ys_rc set_pin(ys_auth *a, const credential *c, const char *pin, bool *won, ys_err *err)
{
    char hash[crypto_pwhash_STRBYTES];
    if (!pin_strong(pin))
        return ys_fail(err, YS_INVALID, "pin", "choose a PIN of %d to %d digits, not one digit repeated nor a run"
                       " such as 123456", YS_AUTH_PIN_MIN, YS_AUTH_PIN_MAX);
    ys_rc rc = hash_secret(a, pin, hash, a->decoy_pin, err);
    if (rc)
        return rc;
    const char *p[] = {hash, c->who.name};
    pthread_mutex_lock(&a->lock);
    long changed = 0;
    rc = run_counted(a, err, Q(CARD_PIN), 2, p, &changed);
    *won = !rc && changed == 1;
    pthread_mutex_unlock(&a->lock);
    return rc;
}

/* Checks the secret against the credential's hash, or against the decoy of the same cost when there is
 * none, so that a missing name or card takes the time a wrong secret takes and answers alike. */
static ys_rc check_secret(ys_auth *a, const attempt *at, credential *c, ys_login *out, ys_err *err)
{
    ys_rc rc = read_credential(a, at, c, err);
    bool won = false;
    if (!rc && at->card && c->found && !c->secret_hash[0]) {
        if ((rc = set_pin(a, c, at->t->pin, &won, err)) || won) {
            out->pin_set = won;
            return rc;
        }
        rc = read_credential(a, at, c, err); /* someone else set it first: check against theirs */
    }
    if (rc)
        return rc;
    const char *secret = at->card ? at->t->pin : at->t->password;
    if (!c->found) {
        pthread_mutex_lock(&a->lock);
        memcpy(c->secret_hash, at->card ? a->decoy_pin : a->decoy_password, sizeof c->secret_hash);
        pthread_mutex_unlock(&a->lock);
    }
    if (crypto_pwhash_str_verify(c->secret_hash, secret, strlen(secret)) == 0 && c->found)
        return YS_OK;
    return at->card ? ys_fail(err, YS_UNAUTHORIZED, "pin", "wrong card code or PIN")
                    : ys_fail(err, YS_UNAUTHORIZED, "password", "wrong name or password");
}

/* A new token in the file; `h` receives its hash, for the table in memory once the file holds it. */
static ys_rc new_token(ys_auth *a, const char *kind, const credential *c, int64_t now, int ttl, ys_login *out,
                       uint8_t h[YS_HASH_BYTES], ys_err *err)
{
    uint8_t raw[32];
    char hash[YS_HASH_HEX], created[24], expires[24];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(out->token, sizeof out->token, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
    token_hash(out->token, h, hash);
    ys_auth_csrf(out->token, out->csrf);
    out->who = c->who;
    out->who.expires = now + ttl;
    snprintf(created, sizeof created, "%lld", (long long)now);
    snprintf(expires, sizeof expires, "%lld", (long long)(now + ttl));
    const char *p[] = {hash, kind, c->who.name, created, expires};
    return run(a, err, Q(TOKEN_ADD), 5, p);
}

/* Remembers that the device logged in as the subject: the device token it presented, if this file
 * knows it (a browser used for several logins keeps one), else a new one. */
static ys_rc remember_device(ys_auth *a, const attempt *at, ys_login *out, ys_err *err)
{
    char hash[YS_HASH_HEX], used[24];
    bool keep = false;
    row r;
    snprintf(used, sizeof used, "%lld", (long long)at->t->now);
    ys_err none = {0}; /* a device that cannot be looked up is a new one */
    const char *d[] = {at->device + strlen("device:")};
    if (at->device[0])
        keep = !fetch(a, &none, Q(DEVICE_ANY), 1, d, &r) && r.found;
    if (keep) {
        snprintf(out->device, sizeof out->device, "%s", at->t->device);
    } else {
        uint8_t raw[32];
        randombytes_buf(raw, sizeof raw);
        sodium_bin2base64(out->device, sizeof out->device, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    }
    hex_hash(out->device, strlen(out->device), hash);
    const char *p[] = {hash, at->subject, used};
    return run(a, err, Q(DEVICE_REMEMBER), 3, p);
}

/* What has run out is dropped at most once a minute: the three deletes scan their tables (no index on
 * the times), which at every login made a hall's logins quadratic (100,000 delegates: 15 logins a second
 * once 40,000 had logged in). Nothing reads what is left a little longer: tokens are checked in memory
 * with their expiry, an old bucket has leaked empty, and a device counts only when seen lately. */
#define PRUNE_EVERY 60

static ys_rc prune(ys_auth *a, int64_t now, ys_err *err)
{
    char day[24], devices[24];
    if (now < a->pruned_at + PRUNE_EVERY) /* a clock set back only puts the next drop off */
        return YS_OK;
    snprintf(day, sizeof day, "%lld", (long long)(now - 86400));
    snprintf(devices, sizeof devices, "%lld", (long long)(now - YS_AUTH_DEVICE_TTL));
    const char *old[] = {day}, *gone[] = {devices};
    ys_rc rc = run(a, err, Q(TOKENS_OLD), 1, old);
    if (!rc)
        rc = run(a, err, Q(BUCKETS_OLD), 1, old);
    if (!rc)
        rc = run(a, err, Q(DEVICES_OLD), 1, gone);
    if (!rc)
        a->pruned_at = now;
    return rc;
}

/* A success, in one transaction: the token, the charge given back, the device remembered; and what
 * has run out is dropped (tokens that ended a day ago, buckets a day untouched and so empty, devices
 * not seen for YS_AUTH_DEVICE_TTL), once a minute. Once the file holds the token, the table in memory
 * has it too. */
static ys_rc succeed(ys_auth *a, const attempt *at, const credential *c, ys_login *out, ys_err *err)
{
    uint8_t h[YS_HASH_BYTES];
    pthread_mutex_lock(&a->lock);
    ys_rc rc = txn_begin(a, err);
    if (!rc)
        rc = new_token(a, at->card ? "card" : "account", c, at->t->now, at->t->ttl, out, h, err);
    if (!rc)
        rc = refund(a, at, err);
    if (!rc)
        rc = remember_device(a, at, out, err);
    if (!rc)
        rc = prune(a, at->t->now, err);
    rc = txn_end(a, rc, err);
    pthread_mutex_unlock(&a->lock);
    if (!rc && ys_tokens_put(a->tokens, h, at->card, &out->who, at->t->now))
        rc = ys_fail(err, YS_NOMEM, NULL, "out of memory keeping a login");
    if (rc) /* a token not handed out is never used; the file's copy, if any, ends with its expiry */
        sodium_memzero(out->token, sizeof out->token);
    return rc;
}

ys_rc ys_auth_login(ys_auth *a, const ys_login_try *t, ys_login *out, ys_err *err)
{
    attempt at;
    credential c;
    ys_err ignored = {0};
    memset(out, 0, sizeof *out);
    if (!shape_ok(t))
        return ys_fail(err, YS_BAD_FIELD, t->code || t->pin ? "code" : "password",
                       "give either name and password, or code and pin");
    if (t->code && !pin_digits(t->pin))
        return ys_fail(err, YS_INVALID, "pin", "a PIN is digits only, at most %d", YS_AUTH_PIN_MAX);
    attempt_init(&at, t);
    ys_rc rc = charge(a, &at, out, err);
    if (!rc)
        rc = check_secret(a, &at, &c, out, err);
    if (!rc)
        return succeed(a, &at, &c, out, err);
    if (rc != YS_UNAUTHORIZED && rc != YS_RATE_LIMITED) { /* no guess was judged: nothing to charge */
        pthread_mutex_lock(&a->lock);
        ys_rc r = txn_begin(a, &ignored);
        txn_end(a, r ? r : refund(a, &at, &ignored), &ignored);
        pthread_mutex_unlock(&a->lock);
    }
    return rc;
}

ys_rc ys_auth_unlock(ys_auth *a, const char *name, bool card, ys_err *err)
{
    char key[8 + YS_HASH_HEX] = "";
    credential c = {0};
    ys_rc rc;
    if (!name)
        return ys_fail(err, YS_INVALID, "name", "unlock needs an account name or a delegate's code");
    pthread_mutex_lock(&a->lock);
    rc = card ? card_key(a, name, key, err) : read_account(a, name, &c, err);
    if (!rc && !card && c.found)
        subject_key(false, name, key);
    if (!rc && !key[0])
        rc = ys_fail(err, YS_NOT_FOUND, "name", card ? "delegate %s holds no card" : "no account named '%s'", name);
    if (!rc)
        rc = forget_subject(a, key, false, err);
    pthread_mutex_unlock(&a->lock);
    return rc;
}
/* No SQL and no shared lock: the table in memory knows every live token (see auth_tokens.h). */
ys_rc ys_auth_check(ys_auth *a, const char *token, int64_t now, ys_principal *out, ys_err *err)
{
    uint8_t h[YS_HASH_BYTES];
    char hex[YS_HASH_HEX];
    memset(out, 0, sizeof *out);
    if (!token || !*token || strlen(token) >= YS_AUTH_TOKEN_TEXT)
        return ys_fail(err, YS_UNAUTHORIZED, "token", "not logged in");
    token_hash(token, h, hex);
    if (!ys_tokens_get(a->tokens, h, now, out)) {
        memset(out, 0, sizeof *out);
        return ys_fail(err, YS_UNAUTHORIZED, "token", "not logged in, or the login has expired");
    }
    fill_actor(out);
    return YS_OK;
}

ys_rc ys_auth_logout(ys_auth *a, const char *token, ys_err *err)
{
    uint8_t h[YS_HASH_BYTES];
    char hash[YS_HASH_HEX];
    if (!token)
        return ys_fail(err, YS_UNAUTHORIZED, "token", "not logged in");
    token_hash(token, h, hash);
    ys_tokens_drop(a->tokens, h); /* refused from now on, even if the file cannot be written */
    const char *p[] = {hash};
    pthread_mutex_lock(&a->lock);
    ys_rc rc = run(a, err, Q(TOKEN_REVOKE), 1, p);
    pthread_mutex_unlock(&a->lock);
    return rc;
}

typedef struct list_call {
    ys_auth_list_fn fn;
    void *ud;
} list_call;

static void list_row(const char *const *c, int n, void *ud)
{
    list_call *l = ud;
    if (n >= 6)
        l->fn(c[0] ? c[0] : "", c[1] ? c[1] : "", c[2] ? c[2] : "", c[3] ? c[3] : "", c[4] && atoi(c[4]) != 0,
              c[5] ? c[5] : "", l->ud);
}

ys_rc ys_auth_list(ys_auth *a, ys_auth_list_fn fn, void *ud, ys_err *err)
{
    list_call call = {fn, ud};
    pthread_mutex_lock(&a->lock);
    ys_rc rc = a->db->run(a->db, Q(LIST), 0, NULL, list_row, &call, NULL, err);
    pthread_mutex_unlock(&a->lock);
    return rc;
}

/* ---- a session's logins moved to another store ---- */

typedef struct copying_logins {
    ys_auth *to;
    ys__auth_q insert;
    long copied, kept;
    ys_rc rc;
    ys_err *err;
} copying_logins;

static void copy_login_row(const char *const *c, int n, void *ud)
{
    copying_logins *cl = ud;
    long changed = 0;
    if (cl->rc)
        return;
    cl->rc = run_counted(cl->to, cl->err, cl->insert, n, c, &changed);
    if (!cl->rc)
        *(changed ? &cl->copied : &cl->kept) += 1;
}

static ys_rc copy_login_rows(ys_auth *from, ys__auth_q rows, copying_logins *cl, ys_err *err)
{
    ys_rc rc = from->db->run(from->db, rows, 0, NULL, copy_login_row, cl, NULL, err);
    return rc ? rc : cl->rc;
}

ys_rc ys_auth_copy(ys_auth *from, ys_auth *to, ys_auth_copied *out, ys_err *err)
{
    copying_logins accounts = {.to = to, .insert = Q(ACCOUNT_COPY), .err = err};
    copying_logins cards = {.to = to, .insert = Q(CARD_COPY), .err = err};
    pthread_mutex_lock(&from->lock);
    pthread_mutex_lock(&to->lock);
    ys_rc rc = txn_begin(to, err);
    if (!rc) {
        rc = copy_login_rows(from, Q(ACCOUNT_ROWS), &accounts, err);
        if (!rc)
            rc = copy_login_rows(from, Q(CARD_ROWS), &cards, err);
        rc = txn_end(to, rc, err);
    }
    pthread_mutex_unlock(&to->lock);
    pthread_mutex_unlock(&from->lock);
    if (!rc && out)
        *out = (ys_auth_copied){accounts.copied, accounts.kept, cards.copied, cards.kept};
    return rc;
}

typedef struct trustee_accounts {
    const char *const *wanted;
    size_t n;
    bool found[64];
} trustee_accounts;

static void note_trustee(const char *kind, const char *name, const char *role, const char *delegation, bool pin_set,
                         const char *since, void *ud)
{
    (void)delegation, (void)pin_set, (void)since;
    trustee_accounts *t = ud;
    if (strcmp(kind, "account") != 0 || strcmp(role, "trustee") != 0)
        return;
    for (size_t i = 0; i < t->n; i++)
        if (t->wanted[i] && !strcmp(t->wanted[i], name))
            t->found[i] = true;
}

ys_rc ys_auth_check_trustees(ys_auth *a, const char *const *logins, size_t n, ys_err *err)
{
    trustee_accounts t = {.wanted = logins, .n = n};
    if (n > sizeof t.found / sizeof t.found[0])
        return ys_fail(err, YS_INVALID, "trustees", "a key has at most 32 trustees, not %zu", n);
    ys_rc rc = ys_auth_list(a, note_trustee, &t, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < n; i++)
        if (!t.found[i])
            return ys_fail(err, YS_NOT_FOUND, "trustees", "%s is not an account of the role trustee (yishi user add "
                           "--role trustee)", logins[i] ? logins[i] : "(no login)");
    return YS_OK;
}
