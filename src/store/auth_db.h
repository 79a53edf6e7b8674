/* auth_db.h — what the logins (auth.c) ask of where they are kept: every statement they run, once per
 * backend (an SQLite file, a session in PostgreSQL), and a driver that runs them. The rules are auth.c's
 * alone; a backend only says where a row lives. Internal to src/store. */
#ifndef YS_STORE_AUTH_DB_H
#define YS_STORE_AUTH_DB_H

#include "yishi/error.h"

#include <stdbool.h>
#include <stdint.h>

/* Every statement of the logins, as X(NAME, SQLite, PostgreSQL). Both take the same text parameters in the
 * same order: SQLite's as ?, PostgreSQL's from $3 on, because there $1 is the session's id and $2 its
 * congress's (the driver passes both to every statement). Staff accounts are the congress's, so that one
 * login serves every session of a congress and none of another's; cards, tokens and devices are the
 * session's, so that a token of one session is refused at the next. The failed-login buckets are the
 * congress's: a name's bucket per session would let a guesser multiply the guesses by the sessions. BEGIN
 * is PostgreSQL's transaction-level lock on the congress, after a BEGIN of the driver's own: with it the
 * buckets of a congress change one transaction at a time, as SQLite's BEGIN IMMEDIATE has it in a file
 * (1498631242, "YSHJ", beside the store's "YSHI"). */
#define YS__PG_SESSIONS_OF_CONGRESS "(SELECT id FROM sessions WHERE congress_id = $2)"

#define YS_AUTH_SQL_MAP(X)                                                                                     \
    X(BEGIN, "BEGIN IMMEDIATE", "SELECT pg_advisory_xact_lock(1498631242, $2)")                                \
    X(COMMIT, "COMMIT", "COMMIT")                                                                              \
    X(ROLLBACK, "ROLLBACK", "ROLLBACK")                                                                        \
    X(ACCOUNT_ADD,                                                                                             \
      "INSERT INTO auth_accounts(name, role, delegation, password_hash, created_at) VALUES (?, ?, ?, ?, ?)",   \
      "INSERT INTO auth_accounts(congress_id, name, role, delegation, password_hash, created_at)"              \
      " VALUES ($2, $3, $4, $5, $6, $7)")                                                                      \
    X(ACCOUNT_PASSWORD, "UPDATE auth_accounts SET password_hash = ? WHERE name = ?",                           \
      "UPDATE auth_accounts SET password_hash = $3 WHERE congress_id = $2 AND name = $4")                      \
    X(ACCOUNT_READ, "SELECT role, ifnull(delegation, ''), password_hash FROM auth_accounts WHERE name = ?",    \
      "SELECT role, coalesce(delegation, ''), password_hash FROM auth_accounts WHERE congress_id = $2"         \
      " AND name = $3")                                                                                        \
    /* Replaces the delegate's own card only: OR REPLACE would also delete another delegate's row that     \
     * holds the same code, where a code that is taken must be refused. */                                    \
    X(CARD_ISSUE,                                                                                              \
      "INSERT INTO auth_cards(delegate_code, card_hash, pin_hash, issued_at) VALUES (?, ?, NULL, ?)"           \
      " ON CONFLICT(delegate_code) DO UPDATE SET card_hash = excluded.card_hash, pin_hash = NULL,"             \
      " issued_at = excluded.issued_at",                                                                       \
      "INSERT INTO auth_cards(session_id, delegate_code, card_hash, pin_hash, issued_at)"                      \
      " VALUES ($1, $3, $4, NULL, $5) ON CONFLICT (session_id, delegate_code) DO UPDATE"                       \
      " SET card_hash = excluded.card_hash, pin_hash = NULL, issued_at = excluded.issued_at")                  \
    X(CARD_KEY, "SELECT 'card:' || card_hash FROM auth_cards WHERE delegate_code = ?",                         \
      "SELECT 'card:' || card_hash FROM auth_cards WHERE session_id = $1 AND delegate_code = $3")              \
    X(CARD_READ, "SELECT delegate_code, ifnull(pin_hash, '') FROM auth_cards WHERE card_hash = ?",             \
      "SELECT delegate_code, coalesce(pin_hash, '') FROM auth_cards WHERE session_id = $1 AND card_hash = $3") \
    X(CARD_PIN, "UPDATE auth_cards SET pin_hash = ? WHERE delegate_code = ? AND pin_hash IS NULL",             \
      "UPDATE auth_cards SET pin_hash = $3 WHERE session_id = $1 AND delegate_code = $4 AND pin_hash IS NULL") \
    X(TOKEN_ADD,                                                                                               \
      "INSERT INTO auth_tokens(token_hash, kind, subject, created_at, expires_at)"                             \
      " VALUES (?, ?, ?, CAST(? AS INTEGER), CAST(? AS INTEGER))",                                             \
      "INSERT INTO auth_tokens(session_id, token_hash, kind, subject, created_at, expires_at)"                 \
      " VALUES ($1, $3, $4, $5, $6::bigint, $7::bigint)")                                                      \
    X(TOKEN_REVOKE, "UPDATE auth_tokens SET revoked = 1 WHERE token_hash = ?",                                 \
      "UPDATE auth_tokens SET revoked = 1 WHERE session_id = $1 AND token_hash = $3")                          \
    /* a new password ends the account's tokens at every session of its congress */                           \
    X(TOKENS_REVOKE_ACCOUNT, "UPDATE auth_tokens SET revoked = 1 WHERE kind = 'account' AND subject = ?",      \
      "UPDATE auth_tokens SET revoked = 1 WHERE kind = 'account' AND subject = $3"                             \
      " AND session_id IN " YS__PG_SESSIONS_OF_CONGRESS)                                                       \
    X(TOKENS_REVOKE_CARD, "UPDATE auth_tokens SET revoked = 1 WHERE kind = 'card' AND subject = ?",            \
      "UPDATE auth_tokens SET revoked = 1 WHERE session_id = $1 AND kind = 'card' AND subject = $3")           \
    X(TOKENS_OLD, "DELETE FROM auth_tokens WHERE expires_at < CAST(? AS INTEGER)",                             \
      "DELETE FROM auth_tokens WHERE session_id = $1 AND expires_at < $3::bigint")                             \
    X(TOKENS_LIVE,                                                                                             \
      "SELECT t.token_hash, t.kind = 'card', t.subject, t.expires_at, a.role, ifnull(a.delegation, '')"        \
      " FROM auth_tokens t LEFT JOIN auth_accounts a ON t.kind = 'account' AND a.name = t.subject"             \
      " WHERE t.revoked = 0 AND t.expires_at > CAST(? AS INTEGER)",                                            \
      "SELECT t.token_hash, (t.kind = 'card')::int, t.subject, t.expires_at, a.role,"                          \
      " coalesce(a.delegation, '') FROM auth_tokens t LEFT JOIN auth_accounts a ON t.kind = 'account'"         \
      " AND a.congress_id = $2 AND a.name = t.subject WHERE t.session_id = $1 AND t.revoked = 0"               \
      " AND t.expires_at > $3::bigint")                                                                        \
    X(BUCKET_READ, "SELECT level, at FROM auth_throttle WHERE key = ?",                                        \
      "SELECT level, at FROM auth_throttle WHERE congress_id = $2 AND key = $3")                               \
    X(BUCKET_WRITE,                                                                                            \
      "INSERT OR REPLACE INTO auth_throttle(key, level, at) VALUES (?, CAST(? AS REAL), CAST(? AS INTEGER))",  \
      "INSERT INTO auth_throttle(congress_id, key, level, at) VALUES ($2, $3, $4::float8, $5::bigint)"         \
      " ON CONFLICT (congress_id, key) DO UPDATE SET level = excluded.level, at = excluded.at")                \
    X(BUCKETS_OLD, "DELETE FROM auth_throttle WHERE at < CAST(? AS INTEGER)",                                  \
      "DELETE FROM auth_throttle WHERE congress_id = $2 AND at < $3::bigint")                                  \
    X(SUBJECT_FORGET,                                                                                          \
      "DELETE FROM auth_throttle WHERE key = ?1 OR key IN"                                                     \
      " (SELECT 'device:' || device_hash FROM auth_devices WHERE subject = ?1)",                               \
      "DELETE FROM auth_throttle WHERE congress_id = $2 AND (key = $3 OR key IN (SELECT 'device:' ||"          \
      " device_hash FROM auth_devices WHERE session_id IN " YS__PG_SESSIONS_OF_CONGRESS " AND subject = $3))") \
    X(DEVICES_FORGET, "DELETE FROM auth_devices WHERE subject = ?",                                            \
      "DELETE FROM auth_devices WHERE session_id IN " YS__PG_SESSIONS_OF_CONGRESS " AND subject = $3")         \
    X(DEVICE_KNOWN,                                                                                            \
      "SELECT 1 FROM auth_devices WHERE device_hash = ? AND subject = ? AND used_at > CAST(? AS INTEGER)",     \
      "SELECT 1 FROM auth_devices WHERE session_id = $1 AND device_hash = $3 AND subject = $4"                 \
      " AND used_at > $5::bigint")                                                                             \
    X(DEVICE_ANY, "SELECT 1 FROM auth_devices WHERE device_hash = ?",                                          \
      "SELECT 1 FROM auth_devices WHERE session_id = $1 AND device_hash = $3")                                 \
    X(DEVICE_REMEMBER,                                                                                         \
      "INSERT OR REPLACE INTO auth_devices(device_hash, subject, used_at) VALUES (?, ?, CAST(? AS INTEGER))",  \
      "INSERT INTO auth_devices(session_id, device_hash, subject, used_at) VALUES ($1, $3, $4, $5::bigint)"    \
      " ON CONFLICT (session_id, device_hash, subject) DO UPDATE SET used_at = excluded.used_at")              \
    X(DEVICES_OLD, "DELETE FROM auth_devices WHERE used_at < CAST(? AS INTEGER)",                              \
      "DELETE FROM auth_devices WHERE session_id = $1 AND used_at < $3::bigint")                               \
    /* another session of the congress that a writer holds (a server keeps its tokens in memory, and would not \
     * hear of a new password): a file is one session */                                                       \
    X(CONGRESS_BUSY, "SELECT 0 WHERE 0",                                                                       \
      "SELECT s.id FROM sessions s JOIN pg_locks l ON l.locktype = 'advisory' AND l.granted"                   \
      " AND l.classid = 1498631241::oid AND l.objid = s.id::oid AND l.objsubid = 2 AND l.database ="           \
      " (SELECT oid FROM pg_database WHERE datname = current_database())"                                      \
      " WHERE s.congress_id = $2 AND s.id <> $1 LIMIT 1")                                                      \
    /* the hash a decoy copies the cost of: the newest real one of its kind */                                 \
    X(DECOY_PASSWORD, "SELECT password_hash FROM auth_accounts ORDER BY id DESC LIMIT 1",                      \
      "SELECT password_hash FROM auth_accounts WHERE congress_id = $2 ORDER BY id DESC LIMIT 1")               \
    X(DECOY_PIN, "SELECT pin_hash FROM auth_cards WHERE pin_hash IS NOT NULL ORDER BY rowid DESC LIMIT 1",     \
      "SELECT pin_hash FROM auth_cards WHERE session_id = $1 AND pin_hash IS NOT NULL"                         \
      " ORDER BY issued_at DESC, delegate_code DESC LIMIT 1")                                                  \
    /* the rows a session's logins move with (ys_auth_copy): an account the congress has already is kept */ \
    X(ACCOUNT_ROWS, "SELECT name, role, delegation, password_hash, created_at FROM auth_accounts ORDER BY id",  \
      "SELECT name, role, delegation, password_hash, created_at FROM auth_accounts WHERE congress_id = $2"      \
      " ORDER BY id")                                                                                          \
    X(ACCOUNT_COPY,                                                                                            \
      "INSERT INTO auth_accounts(name, role, delegation, password_hash, created_at) VALUES (?, ?, ?, ?, ?)"    \
      " ON CONFLICT DO NOTHING",                                                                               \
      "INSERT INTO auth_accounts(congress_id, name, role, delegation, password_hash, created_at)"              \
      " VALUES ($2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING")                                               \
    X(CARD_ROWS, "SELECT delegate_code, card_hash, pin_hash, issued_at FROM auth_cards ORDER BY delegate_code", \
      "SELECT delegate_code, card_hash, pin_hash, issued_at FROM auth_cards WHERE session_id = $1"             \
      " ORDER BY delegate_code")                                                                               \
    X(CARD_COPY,                                                                                               \
      "INSERT INTO auth_cards(delegate_code, card_hash, pin_hash, issued_at) VALUES (?, ?, ?, ?)"              \
      " ON CONFLICT DO NOTHING",                                                                               \
      "INSERT INTO auth_cards(session_id, delegate_code, card_hash, pin_hash, issued_at)"                      \
      " VALUES ($1, $3, $4, $5, $6) ON CONFLICT DO NOTHING")                                                   \
    X(LIST,                                                                                                    \
      "SELECT 'account', name, role, ifnull(delegation, ''), 0, created_at FROM auth_accounts"                 \
      " UNION ALL SELECT 'card', delegate_code, 'delegate', '', pin_hash IS NOT NULL, issued_at"               \
      " FROM auth_cards ORDER BY 1, 2",                                                                        \
      "SELECT * FROM (SELECT 'account' AS kind, name AS who, role, coalesce(delegation, ''), 0, created_at"    \
      " FROM auth_accounts WHERE congress_id = $2 UNION ALL SELECT 'card', delegate_code, 'delegate', '',"     \
      " (pin_hash IS NOT NULL)::int, issued_at FROM auth_cards WHERE session_id = $1) l"                       \
      " ORDER BY kind, who COLLATE \"C\"")

typedef enum ys__auth_q {
#define YS__AUTH_Q(name, lite, pg) YS__AUTH_Q_##name,
    YS_AUTH_SQL_MAP(YS__AUTH_Q)
#undef YS__AUTH_Q
    YS__AUTH_N_Q
} ys__auth_q;

/* One row of a statement's result: n columns as text, NULL for SQL's NULL; valid only during the call. */
typedef void (*ys__auth_row_fn)(const char *const *cols, int n, void *ud);

typedef struct ys__auth_db ys__auth_db;
struct ys__auth_db {
    /* Runs statement k with n text parameters (NULL binds NULL), fn (if any) called for each row, *changes
     * (if asked) the rows it changed. A unique key violated is YS_CONFLICT. The caller holds the logins'
     * lock: a driver needs none of its own. */
    ys_rc (*run)(ys__auth_db *db, ys__auth_q k, int n, const char *const *params, ys__auth_row_fn fn, void *ud,
                 long *changes, ys_err *err);
    void (*close)(ys__auth_db *db);
};

/* The logins of a session file; of a session in PostgreSQL (the locator names it, store.h). */
ys_rc ys__auth_sqlite_open(const char *path, ys__auth_db **out, ys_err *err);
ys_rc ys__auth_pg_open(const char *locator, ys__auth_db **out, ys_err *err);

#endif
