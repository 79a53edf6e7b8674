/* backend.h — what a store backend gives the dispatch in store.c: one table of operations, filled by
 * sqlite.c and postgres.c, and the open of each. Nothing outside src/store includes it. */
#ifndef YS_STORE_BACKEND_H
#define YS_STORE_BACKEND_H

#include "yishi/store.h"

/* Every backend's store begins with this, so that store.c finds the operations of any store. */
typedef struct ys__store_ops ys__store_ops;
struct ys_store {
    const ys__store_ops *ops;
};

struct ys__store_ops {
    const char *name; /* "sqlite", "postgresql": in messages that compare two stores */
    void (*close)(ys_store *st);
    ys_rc (*backup)(ys_store *st, const char *out, ys_err *err);
    ys_rc (*scratch)(ys_store *like, ys_store **out, ys_err *err);
    ys_rc (*begin)(ys_store *st, ys_err *err);
    ys_rc (*append)(ys_store *st, const ys_event *ev, ys_err *err);
    ys_rc (*checkpoint)(ys_store *st, int64_t seq, int version, const uint8_t digest[YS_HASH_BYTES], ys_err *err);
    ys_rc (*put_blob)(ys_store *st, const char *hash_hex, const void *data, size_t len, ys_err *err);
    ys_rc (*get_blob)(ys_store *st, const char *hash_hex, char **data, size_t *len, ys_err *err);
    ys_rc (*commit)(ys_store *st, ys_err *err);
    void (*rollback)(ys_store *st);
    ys_rc (*scan)(ys_store *st, int64_t after, ys_store_event_fn fn, void *ud, ys_err *err);
    ys_rc (*put_sealed)(ys_store *st, const ys_event *sealed, int64_t ref, ys_err *err);
    ys_rc (*scan_sealed)(ys_store *st, ys_store_event_fn fn, void *ud, ys_err *err);
    ys_rc (*scan_checkpoints)(ys_store *st, ys_store_checkpoint_fn fn, void *ud, ys_err *err);
    ys_rc (*scan_blobs)(ys_store *st, ys_store_blob_fn fn, void *ud, ys_err *err);
    /* `fresh` is of the same backend: store.c checks it */
    ys_rc (*compare_projections)(ys_store *st, ys_store *fresh, ys_err *err);
    int (*schema_version)(const ys_store *st);
    int64_t (*session)(const ys_store *st);
    const char *(*locator)(const ys_store *st);
};

ys_rc ys__sqlite_open(const char *path, int flags, ys_store **out, ys_err *err);
bool ys__sqlite_exists(const char *path);
ys_rc ys__sqlite_discard(const char *path, ys_err *err);

ys_rc ys__pg_open(const char *locator, int flags, ys_store **out, ys_err *err);
bool ys__pg_exists(const char *locator);
ys_rc ys__pg_discard(const char *locator, ys_err *err);
ys_rc ys__pg_list_sessions(const char *url, ys_store_session_fn fn, void *ud, ys_err *err);

/* The two halves of an event read back from a store, which both backends check alike: the payload's
 * text parsed (JSON_REJECT_DUPLICATES), a malformed one reported as corruption of `what`. */
ys_rc ys__store_load_payload(ys_event *ev, const char *text, const char *what, ys_err *err);

/* How a projection table differs from what its events give, as both backends' verify says it: YS_CORRUPT with
 * the table, the row (from 1) and the column's two values (NULL for SQL's NULL); or more or fewer rows. */
ys_rc ys__projection_differs(ys_err *err, const char *table, long row, const char *column, const char *have,
                             const char *want);
ys_rc ys__projection_rows(ys_err *err, const char *table, bool more, long from_row);

/* Whether a migration's backfill list (event types apart by spaces) names event type `type`. */
bool ys__backfill_names(const char *types, const char *type);

#endif
