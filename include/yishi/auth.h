/* auth.h — who may log in to the session server: staff accounts with passwords, delegate cards with a
 * printed code and a PIN the delegate sets, and session tokens. Kept in the session file beside the log,
 * never in it: credentials are no public record. Secrets are stored only as hashes. */
#ifndef YISHI_AUTH_H
#define YISHI_AUTH_H

#include "yishi/error.h"

#include <stdbool.h>
#include <stdint.h>

/* The server's roles. An observer is anyone without a login; the role table of the server says what
 * each may call. */
#define YS_AUTH_ROLE_MAP(X)                                         \
    X(OBSERVER, "observer", "旁听/公众")                            \
    X(SECRETARIAT, "secretariat", "秘书处")                         \
    X(CHAIR, "chair", "执行主席")                                   \
    X(DELEGATION_SECRETARY, "delegation_secretary", "代表团秘书")   \
    X(DELEGATE, "delegate", "代表")

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
#define YS_AUTH_PIN_MIN 4       /* digits */
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

typedef struct ys_login {
    ys_principal who;
    char token[YS_AUTH_TOKEN_TEXT];
    char csrf[YS_AUTH_CSRF_TEXT];
    bool pin_set;           /* a card login that set the PIN (the first one) */
    int retry_after;        /* seconds, when refused with YS_RATE_LIMITED */
} ys_login;

/* Logs in; a token lives `ttl` seconds from `now`. Wrong credentials give YS_UNAUTHORIZED; after
 * three failures in a row the account waits 1, 2, 4 … seconds (at most 15 minutes) before it may try
 * again, refused meanwhile with YS_RATE_LIMITED and out->retry_after. */
ys_rc ys_auth_login_password(ys_auth *a, const char *name, const char *password, int64_t now, int ttl,
                             ys_login *out, ys_err *err);
/* A delegate's card: the printed code and a PIN. The first login sets the PIN. */
ys_rc ys_auth_login_card(ys_auth *a, const char *code, const char *pin, int64_t now, int ttl, ys_login *out,
                         ys_err *err);

/* Who holds `token`: YS_UNAUTHORIZED if it is unknown, expired or logged out. */
ys_rc ys_auth_check(ys_auth *a, const char *token, int64_t now, ys_principal *out, ys_err *err);
ys_rc ys_auth_logout(ys_auth *a, const char *token, ys_err *err);

/* The CSRF token of a session token: a keyed BLAKE2b of it, so nothing more is stored and a page
 * that cannot read the cookie cannot compute it. */
void ys_auth_csrf(const char *token, char out[YS_AUTH_CSRF_TEXT]);

/* Lists the staff accounts and the cards: fn gets (kind "account"|"card", name, role key, delegation,
 * whether a PIN is set) for each. */
typedef void (*ys_auth_list_fn)(const char *kind, const char *name, const char *role, const char *delegation,
                                bool pin_set, void *ud);
ys_rc ys_auth_list(ys_auth *a, ys_auth_list_fn fn, void *ud, ys_err *err);

#endif
