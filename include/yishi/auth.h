/* auth.h — who may log in to the session server: staff accounts with passwords, delegate cards with a
 * printed code and a PIN the delegate sets, and session tokens. Kept in the session file beside the log,
 * never in it: credentials are no public record. Secrets are stored only as hashes. */
#ifndef YISHI_AUTH_H
#define YISHI_AUTH_H

#include "yishi/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The server's roles. An observer is anyone without a login; the role table of the server says what
 * each may call. */
#define YS_AUTH_ROLE_MAP(X)                                         \
    X(OBSERVER, "observer", "旁听/公众")                            \
    X(SECRETARIAT, "secretariat", "秘书处")                         \
    X(CHAIR, "chair", "执行主席")                                   \
    X(DELEGATION_SECRETARY, "delegation_secretary", "代表团秘书")   \
    X(DELEGATE, "delegate", "代表")                                 \
    X(TRUSTEE, "trustee", "监票人")

typedef enum ys_auth_role {
#define YS__AUTH_ROLE(name, key, zh) YS_AUTH_##name,
    YS_AUTH_ROLE_MAP(YS__AUTH_ROLE)
#undef YS__AUTH_ROLE
    YS_AUTH_N_ROLES
} ys_auth_role;

const char *ys_auth_role_key(ys_auth_role r);
const char *ys_auth_role_zh(ys_auth_role r);
int ys_auth_role_parse(const char *key);   /* -1 if unknown */

/* Who a request comes from. */
typedef struct ys_principal {
    ys_auth_role role;
    char name[96];          /* the account's name, or the delegate's code (代表证号) */
    char delegation[128];   /* a delegation secretary's delegation; "" otherwise */
    char actor[128];        /* as the log names it: "secretariat:张明", "delegate:140101001" */
    int64_t expires;        /* unix time the token ends */
} ys_principal;

#define YS_AUTH_TOKEN_TEXT 48   /* 256 random bits, base64url without padding, and the NUL */
#define YS_AUTH_CARD_TEXT 24    /* XXXX-XXXX-XXXX-XXXX and the NUL */
#define YS_AUTH_CSRF_TEXT 33    /* 128 bits in hex and the NUL */
#define YS_AUTH_PASSWORD_MIN 10 /* bytes */
#define YS_AUTH_PIN_MIN 6       /* digits, when a PIN is set (docs/design.md: why six) */
#define YS_AUTH_PIN_MAX 12

typedef struct ys_auth ys_auth;

/* Opens the logins of a session file for reading and writing; the file must already be at the schema
 * version that holds them (any yishi command that opens it for writing migrates it). Thread-safe:
 * the server's threads share one ys_auth. */
ys_rc ys_auth_open(const char *path, ys_auth **out, ys_err *err);
void ys_auth_close(ys_auth *a);

/* New argon2id hashes cost crypto_pwhash's INTERACTIVE limits, unless YISHI_TEST_WEAK_PWHASH=1 is set in
 * the environment: the minimum cost, for tests only, so that hundreds of test delegates can log in
 * quickly. Hashes made so stay weak; `yishi serve` warns loudly whenever it is set. */
bool ys_auth_weak_hashing(void);

/* Adds a staff account. A delegation secretary needs `delegation`, the others none. A password has
 * at least YS_AUTH_PASSWORD_MIN bytes. */
ys_rc ys_auth_add_account(ys_auth *a, const char *name, ys_auth_role role, const char *delegation,
                          const char *password, ys_err *err);
/* Sets a new password; every token of the account ends. */
ys_rc ys_auth_set_password(ys_auth *a, const char *name, const char *password, ys_err *err);

/* Issues a delegate's card: a new code (random unless `code` is given, as the demo does), which
 * replaces an older card, clears its PIN and ends its tokens. `out` receives the code as printed. */
ys_rc ys_auth_issue_card(ys_auth *a, const char *delegate_code, const char *code, char out[YS_AUTH_CARD_TEXT],
                         ys_err *err);
/* Issues the cards of n delegates in one transaction, all or none (codes may be NULL: all random); out[i]
 * receives the i-th card as printed. One sync for a whole hall instead of one per delegate. */
ys_rc ys_auth_issue_cards(ys_auth *a, const char *const *delegate_codes, const char *const *codes, size_t n,
                          char (*out)[YS_AUTH_CARD_TEXT], ys_err *err);

/* ---- slowing down guessing ----
 * Failed logins fill leaky buckets: each failure adds one, one drains away every `interval` seconds, and
 * an attempt goes ahead only while its buckets have room. An attempt is charged before its hash runs
 * and refunded when it succeeds, so parallel guesses are each counted and a success never empties a
 * bucket that others filled. Buckets are kept per client address (in the server's memory), per login
 * name or card code (in the file, for names and codes that do not exist exactly as for those that do),
 * and per known device. docs/design.md ("Logins") has the arithmetic. */
typedef enum ys_auth_bucket_kind {
    YS_AUTH_B_ADDRESS,  /* a client address without a known device */
    YS_AUTH_B_ACCOUNT,  /* a staff name, from devices that never logged in as it */
    YS_AUTH_B_CARD,     /* a card code, likewise */
    YS_AUTH_B_DEVICE,   /* a known device, instead of the two above */
    YS_AUTH_N_BUCKETS
} ys_auth_bucket_kind;

typedef struct ys_auth_bucket {
    double level;       /* failures not yet drained away */
    int64_t at;         /* unix time of `level` */
} ys_auth_bucket;

/* The capacity of a kind of bucket, and the seconds in which one failure drains away (every interval
 * is YISHI_TEST_LOGIN_LEAK seconds when that is set: for tests only, like YISHI_TEST_WEAK_PWHASH). */
int ys_auth_bucket_capacity(ys_auth_bucket_kind k);
int ys_auth_bucket_interval(ys_auth_bucket_kind k);
/* Lets the failures since b->at drain away. */
void ys_auth_bucket_drain(ys_auth_bucket *b, ys_auth_bucket_kind k, int64_t now);
/* Charges one attempt to `b`: returns 0, or the seconds until it has room (and charges nothing). */
int ys_auth_bucket_take(ys_auth_bucket *b, ys_auth_bucket_kind k, int64_t now);
/* Gives back the charge of an attempt that succeeded. */
void ys_auth_bucket_refund(ys_auth_bucket *b, ys_auth_bucket_kind k, int64_t now);

/* The detail of every refusal for a full bucket, whichever bucket it was: they must not tell apart. */
#define YS_AUTH_RATE_LIMITED_TEXT "too many failed logins; wait as long as Retry-After says"

#define YS_AUTH_DEVICE_TTL (30 * 86400) /* a device stays known for 30 days after its last login */

/* A login attempt: a staff name and password, or a card's code and a PIN; and the device token the
 * client holds (from an earlier login on it), if any. */
typedef struct ys_login_try {
    const char *name, *password;
    const char *code, *pin;
    const char *device;     /* NULL: none */
    int64_t now;
    int ttl;                /* seconds a token lives */
} ys_login_try;

typedef struct ys_login {
    ys_principal who;
    char token[YS_AUTH_TOKEN_TEXT];
    char csrf[YS_AUTH_CSRF_TEXT];
    char device[YS_AUTH_TOKEN_TEXT]; /* the device token to keep: the one presented, or a new one */
    bool pin_set;           /* a card login that set the PIN (the first one) */
    int retry_after;        /* seconds, when refused with YS_RATE_LIMITED */
} ys_login;

/* Whether the attempt comes from a device that logged in as that name or card before (and whose own
 * bucket has room): such an attempt is charged to the device, never to the address or the name. */
bool ys_auth_known_device(ys_auth *a, const ys_login_try *t);

/* Logs in. Wrong credentials give YS_UNAUTHORIZED with one message whether or not the name or the card
 * exists, after the same argon2id work (a decoy hash of the same cost stands in for a missing one). A
 * full bucket gives YS_RATE_LIMITED and out->retry_after, alike for names that exist and names that do
 * not. The first login with a card sets its PIN: YS_AUTH_PIN_MIN to YS_AUTH_PIN_MAX digits, not one
 * digit repeated nor a run such as 123456 (YS_INVALID otherwise). A success remembers the device. */
ys_rc ys_auth_login(ys_auth *a, const ys_login_try *t, ys_login *out, ys_err *err);

/* Empties the name's bucket (a staff name, or a delegate's code for their card): `yishi user unlock`. */
ys_rc ys_auth_unlock(ys_auth *a, const char *name, bool card, ys_err *err);

/* Who holds `token`: YS_UNAUTHORIZED if it is unknown, expired or logged out. */
ys_rc ys_auth_check(ys_auth *a, const char *token, int64_t now, ys_principal *out, ys_err *err);
ys_rc ys_auth_logout(ys_auth *a, const char *token, ys_err *err);

/* The CSRF token of a session token: a keyed BLAKE2b of it, so nothing more is stored and a page
 * that cannot read the cookie cannot compute it. */
void ys_auth_csrf(const char *token, char out[YS_AUTH_CSRF_TEXT]);

/* Lists the staff accounts and the cards: fn gets (kind "account"|"card", name, role key, delegation,
 * whether a PIN is set, when the account was created or the card issued) for each. */
typedef void (*ys_auth_list_fn)(const char *kind, const char *name, const char *role, const char *delegation,
                                bool pin_set, const char *since, void *ud);
ys_rc ys_auth_list(ys_auth *a, ys_auth_list_fn fn, void *ud, ys_err *err);

/* Whether each of the n logins is an account of the role trustee (监票人): YS_NOT_FOUND naming the first that
 * is not, field "trustees". A key ceremony named with someone who cannot log in as a trustee would never
 * complete; the core cannot see the accounts (they are beside the log), so the server and `yishi key
 * create` both ask here before they start one. */
ys_rc ys_auth_check_trustees(ys_auth *a, const char *const *logins, size_t n, ys_err *err);

/* The staff accounts and the cards of `from` copied into `to`, in one transaction of `to`: what a session's
 * logins are when it moves to another store (import-session, export-session --with-logins), so that the cards
 * handed out keep working there. Hashes are copied as they are; a secret is never seen. An account whose name
 * `to` has already (its congress's own, in PostgreSQL) is kept as it is there, and so is a card of a delegate
 * that has one. Tokens, remembered devices and failed-login counts stay behind. */
typedef struct ys_auth_copied {
    long accounts, accounts_kept, cards, cards_kept;
} ys_auth_copied;
ys_rc ys_auth_copy(ys_auth *from, ys_auth *to, ys_auth_copied *out, ys_err *err);

#endif
