/* store.h — the one interface to where a session's log lives: an SQLite file, or one session among many
 * in a PostgreSQL database, chosen by the locator given to ys_store_open. A store appends chained events
 * with their projections (tables anyone can query) inside one transaction, and reads the log back in order. */
#ifndef YISHI_STORE_H
#define YISHI_STORE_H

#include "yishi/error.h"
#include "yishi/event.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct ys_store ys_store;

enum {
    YS_STORE_CREATE = 1 << 0,    /* create the file or session; refuse if it exists and holds a log */
    YS_STORE_READONLY = 1 << 1,  /* open read-only (verify, log, status) */
};

/* A store's locator is one string, so that everything above the store (the journal, the reader, verify,
 * the server's --file) passes it on without knowing the backend:
 *   - a path: an SQLite session file (":memory:" for one in memory);
 *   - a libpq URI, beginning postgresql:// or postgres://, with yishi's own parameter `session=ID` among
 *     its query parameters: session ID in that PostgreSQL database ("postgresql:///yishi?host=/run/pg&session=7").
 *     The store takes `session` out before it hands the URI to libpq, which refuses parameters it does not
 *     know. Without `session`, YS_STORE_CREATE makes a new session (its id from the database) and any other
 *     open is refused; ys_store_locator then names the session made. Such a create may name the congress the
 *     new session belongs to, `congress=NAME` (percent-encoded; a congress of that name is made if there is
 *     none), whose staff accounts then log in to it (auth.h); without it the session has a congress of its own.
 * A PostgreSQL store's writer holds an advisory lock on its session (see ys_store_open); its commits are
 * durable (synchronous_commit on) when ys_store_commit returns, as an SQLite file's are. */
bool ys_store_is_postgresql(const char *locator);
/* `url` (a libpq URI, without `session`) with session `session` added: ys_malloc'd, NULL without memory. */
char *ys_store_session_locator(const char *url, int64_t session);
/* Whether there is a store at `locator`: the file exists, or the database has that session. */
bool ys_store_exists(const char *locator);
/* Removes the store at `locator`: the file with its WAL and shared memory, or every row of the session
 * (its log too: the one deliberate way past the log's append-only trigger). Refused with YS_CONFLICT while
 * a writer holds a PostgreSQL session. A store half made by a create that failed goes so. */
ys_rc ys_store_discard(const char *locator, ys_err *err);

/* Calls fn for each session of the PostgreSQL database at `url` (a libpq URI; a `session` in it is ignored)
 * that holds a log, in the order of their ids, with the name of the congress it belongs to. A non-zero return
 * from fn stops the list and is returned. An SQLite locator is refused with YS_INVALID: a file is one session. */
typedef ys_rc (*ys_store_session_fn)(int64_t id, const char *congress, void *ud, ys_err *err);
ys_rc ys_store_list_sessions(const char *url, ys_store_session_fn fn, void *ud, ys_err *err);

/* One writer per session file: an exclusive lock on FILE-lock naming its holder's pid. ys_store_open
 * takes it for every file it opens for writing (not for YS_STORE_READONLY); a command that builds FILE
 * under another name and renames it (the demo) holds FILE's own. A file another process holds is
 * refused with YS_CONFLICT naming that process. The lock file is removed when the lock is released. */
typedef struct ys_store_lock ys_store_lock;
ys_rc ys_store_lock_take(const char *file, ys_store_lock **out, ys_err *err);
void ys_store_lock_release(ys_store_lock *lk);

/* Opens the store at `locator` (above). Without YS_STORE_CREATE the file or session must exist and hold
 * a yishi log of a schema version this program knows; older versions are migrated (a PostgreSQL database's
 * tables, shared by all its sessions, under a lock so that two programs starting at once migrate once).
 * Unless read-only, the store holds the writer's lock until it is closed: the file's (ys_store_lock_take),
 * or the session's advisory lock in PostgreSQL (pg_try_advisory_lock, on the writer's connection), so that
 * a second writer, in any process on any machine, is refused with YS_CONFLICT naming the session and the
 * holder. A PostgreSQL connection that is lost, or a database that cannot be reached, is YS_IO with
 * PostgreSQL's own message. */
ys_rc ys_store_open(const char *locator, int flags, ys_store **out, ys_err *err);
void ys_store_close(ys_store *st);

/* A store of the same backend as `like` with nothing in it, for verify to replay a log into and compare
 * projections with: an SQLite database in memory, or in PostgreSQL a new session in `like`'s database
 * inside a transaction that is never committed (its rows vanish when it is closed, or if the program dies).
 * It is already in its transaction: ys_store_begin is not called on it, nor ys_store_commit. */
ys_rc ys_store_open_scratch(ys_store *like, ys_store **out, ys_err *err);

/* The store's session in its database (PostgreSQL), 0 for an SQLite file; and the locator that names it
 * (for a session just created without a `session` parameter, one that now has it). Owned by the store. */
int64_t ys_store_session(const ys_store *st);
const char *ys_store_locator(const ys_store *st);

/* A consistent copy of the store's file at `out`, which must not exist: the snapshot of one read transaction,
 * taken while a server may be writing (VACUUM INTO), compacted, whole in one file without a WAL beside it, and
 * synced before this returns. A store opened read-only does it. On failure nothing is left at `out`.
 * SQLite's alone: a PostgreSQL store refuses with YS_UNSUPPORTED (pg_dump backs up its database; a session
 * goes to a file with export-session, issue 12). */
ys_rc ys_store_backup(ys_store *st, const char *out, ys_err *err);

/* Begins a transaction. On a store opened read-only it begins a snapshot instead: the reads that follow, up to
 * ys_store_rollback, see the store as one moment left it, whatever a writer commits meanwhile (a copy of a
 * session being served reads its log, box and checkpoints as of one commit). */
ys_rc ys_store_begin(ys_store *st, ys_err *err);
/* Appends one chained event and writes its projections. Within a transaction. */
ys_rc ys_store_append(ys_store *st, const ys_event *ev, ys_err *err);
/* Records the digest of the state after event `seq`, of the given version (ys_session_digest_of), for
 * verify to compare against. */
ys_rc ys_store_checkpoint(ys_store *st, int64_t seq, int version, const uint8_t digest[YS_HASH_BYTES], ys_err *err);
/* Stores content by its hash (documents); a second put of the same hash is a no-op. */
ys_rc ys_store_put_blob(ys_store *st, const char *hash_hex, const void *data, size_t len, ys_err *err);
/* The content stored under `hash_hex`: *data is ys_malloc'd (ys_free it), NUL-terminated after *len
 * bytes. YS_NOT_FOUND when there is none. */
ys_rc ys_store_get_blob(ys_store *st, const char *hash_hex, char **data, size_t *len, ys_err *err);
/* Commits with a durable sync (SQLite: WAL, synchronous=FULL; PostgreSQL: synchronous_commit on): when this
 * returns YS_OK, the events survive a crash. */
ys_rc ys_store_commit(ys_store *st, ys_err *err);
void ys_store_rollback(ys_store *st);

/* Calls fn for each event with seq > after, in order. The event is valid only during the call. A
 * non-zero return from fn stops the scan and is returned. */
typedef ys_rc (*ys_store_event_fn)(const ys_event *ev, void *ud, ys_err *err);
ys_rc ys_store_scan(ys_store *st, int64_t after, ys_store_event_fn fn, void *ud, ys_err *err);

/* Puts a sealed ballot into the ballot box under its random id (ev->hash): kind (ev->type), the poll
 * or election it belongs to, and its content; no seq, time, actor or order. */
ys_rc ys_store_put_sealed(ys_store *st, const ys_event *sealed, int64_t ref, ys_err *err);
/* Calls fn for each sealed ballot, in the order of their random ids. */
ys_rc ys_store_scan_sealed(ys_store *st, ys_store_event_fn fn, void *ud, ys_err *err);
/* The poll or election a sealed ballot belongs to, as its content names it (the `ref` of ys_store_put_sealed);
 * *election says which. 0 when it names neither. */
int64_t ys_store_sealed_ref(const ys_event *sealed, bool *election);

/* Calls fn for each stored content (ys_store_put_blob), in the order of their hashes; data is valid only during
 * the call. A non-zero return from fn stops the scan and is returned. */
typedef ys_rc (*ys_store_blob_fn)(const char *hash_hex, const void *data, size_t len, void *ud, ys_err *err);
ys_rc ys_store_scan_blobs(ys_store *st, ys_store_blob_fn fn, void *ud, ys_err *err);

/* Calls fn for each checkpoint in order of seq. */
typedef ys_rc (*ys_store_checkpoint_fn)(int64_t seq, int version, const uint8_t digest[YS_HASH_BYTES], void *ud,
                                        ys_err *err);
ys_rc ys_store_scan_checkpoints(ys_store *st, ys_store_checkpoint_fn fn, void *ud, ys_err *err);

/* Compares every projection table of `st` with those of `fresh` (a store of the same backend the same
 * events were appended to, ys_store_open_scratch): YS_OK when they hold the same rows (a PostgreSQL session's
 * rows, its session_id aside), else YS_CORRUPT naming the table and the first row that differs. Verify uses
 * it to catch a projection edited behind the log's back. */
ys_rc ys_store_compare_projections(ys_store *st, ys_store *fresh, ys_err *err);

/* Copies a session from `from` into `to`, a store just created (YS_STORE_CREATE) and empty, of either backend:
 * the log event by event with the same bytes and hashes (its projections written by `to`'s own statements), the
 * checkpoints, the ballot box and the stored documents. `from` is read in one snapshot (ys_store_begin), so
 * that a session being served is copied as of one commit; `to` is written in one transaction, so that it holds
 * the whole session or nothing. The logins (staff accounts, cards, tokens) are no part of the log and are not
 * copied. *events (if given) gets the number of events copied. */
ys_rc ys_store_copy(ys_store *from, ys_store *to, int64_t *events, ys_err *err);

/* The schema version (an SQLite file's PRAGMA user_version; a PostgreSQL database's yishi_schema, the two
 * numbered apart); this program migrates up to its own. */
int ys_store_schema_version(const ys_store *st);

#endif
