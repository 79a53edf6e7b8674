/* store.h — the one interface to where a session's log lives. SQLite is the default backend; a
 * PostgreSQL backend fits behind the same calls. A store appends chained events with their
 * projections (tables anyone can query) inside one transaction, and reads the log back in order. */
#ifndef YISHI_STORE_H
#define YISHI_STORE_H

#include "yishi/error.h"
#include "yishi/event.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct ys_store ys_store;

enum {
    YS_STORE_CREATE = 1 << 0,    /* create the file; refuse if it exists and holds a log */
    YS_STORE_READONLY = 1 << 1,  /* open read-only (verify, log, status) */
};

/* One writer per session file: an exclusive lock on FILE-lock naming its holder's pid. ys_store_open
 * takes it for every file it opens for writing (not for YS_STORE_READONLY); a command that builds FILE
 * under another name and renames it (the demo) holds FILE's own. A file another process holds is
 * refused with YS_CONFLICT naming that process. The lock file is removed when the lock is released. */
typedef struct ys_store_lock ys_store_lock;
ys_rc ys_store_lock_take(const char *file, ys_store_lock **out, ys_err *err);
void ys_store_lock_release(ys_store_lock *lk);

/* Opens the store at `path` (an SQLite file). Without YS_STORE_CREATE the file must exist and hold
 * a yishi log of a schema version this program knows; older versions are migrated. Unless read-only,
 * the store holds the file's writer lock until it is closed. */
ys_rc ys_store_open(const char *path, int flags, ys_store **out, ys_err *err);
void ys_store_close(ys_store *st);

/* A consistent copy of the store's file at `out`, which must not exist: the snapshot of one read transaction,
 * taken while a server may be writing (VACUUM INTO), compacted, whole in one file without a WAL beside it, and
 * synced before this returns. A store opened read-only does it. On failure nothing is left at `out`. */
ys_rc ys_store_backup(ys_store *st, const char *out, ys_err *err);

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
/* Commits with a durable sync (WAL, synchronous=FULL): when this returns, the events survive a crash. */
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

/* Calls fn for each checkpoint in order of seq. */
typedef ys_rc (*ys_store_checkpoint_fn)(int64_t seq, int version, const uint8_t digest[YS_HASH_BYTES], void *ud,
                                        ys_err *err);
ys_rc ys_store_scan_checkpoints(ys_store *st, ys_store_checkpoint_fn fn, void *ud, ys_err *err);

/* Compares every projection table of `st` with those of `fresh` (a store the same events were appended
 * to): YS_OK when they hold the same rows, else YS_CORRUPT naming the table and the first row that
 * differs. Verify uses it to catch a projection edited behind the log's back. */
ys_rc ys_store_compare_projections(ys_store *st, ys_store *fresh, ys_err *err);

/* The file's schema version (PRAGMA user_version); this program migrates files up to its own. */
int ys_store_schema_version(const ys_store *st);

#endif
