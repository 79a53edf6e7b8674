/* store.c — the store interface's dispatch: a locator chooses the backend when a store is opened (a libpq
 * URI PostgreSQL, anything else an SQLite file), and every call after goes through that store's operations. */
#include "store/backend.h"

#include "yishi/alloc.h"

#include <stdio.h>
#include <string.h>

bool ys_store_is_postgresql(const char *locator)
{
    return strncmp(locator, "postgresql://", 13) == 0 || strncmp(locator, "postgres://", 11) == 0;
}

char *ys_store_session_locator(const char *url, int64_t session)
{
    size_t n = strlen(url) + 48;
    char *out = ys_malloc(n);
    if (out)
        snprintf(out, n, "%s%csession=%lld", url, strchr(url, '?') ? '&' : '?', (long long)session);
    return out;
}

ys_rc ys_store_open(const char *locator, int flags, ys_store **out, ys_err *err)
{
    *out = NULL;
    return ys_store_is_postgresql(locator) ? ys__pg_open(locator, flags, out, err)
                                           : ys__sqlite_open(locator, flags, out, err);
}

bool ys_store_exists(const char *locator)
{
    return ys_store_is_postgresql(locator) ? ys__pg_exists(locator) : ys__sqlite_exists(locator);
}

ys_rc ys_store_discard(const char *locator, ys_err *err)
{
    return ys_store_is_postgresql(locator) ? ys__pg_discard(locator, err) : ys__sqlite_discard(locator, err);
}

ys_rc ys_store_list_sessions(const char *url, ys_store_session_fn fn, void *ud, ys_err *err)
{
    if (!ys_store_is_postgresql(url))
        return ys_fail(err, YS_INVALID, "store", "%s is not a PostgreSQL database (postgresql://…): a session file is "
                       "one session", url);
    return ys__pg_list_sessions(url, fn, ud, err);
}

void ys_store_close(ys_store *st)
{
    if (st)
        st->ops->close(st);
}

ys_rc ys_store_open_scratch(ys_store *like, ys_store **out, ys_err *err)
{
    *out = NULL;
    return like->ops->scratch(like, out, err);
}

ys_rc ys_store_backup(ys_store *st, const char *out, ys_err *err) { return st->ops->backup(st, out, err); }
ys_rc ys_store_begin(ys_store *st, ys_err *err) { return st->ops->begin(st, err); }
ys_rc ys_store_append(ys_store *st, const ys_event *ev, ys_err *err) { return st->ops->append(st, ev, err); }
ys_rc ys_store_commit(ys_store *st, ys_err *err) { return st->ops->commit(st, err); }
void ys_store_rollback(ys_store *st) { st->ops->rollback(st); }
int ys_store_schema_version(const ys_store *st) { return st->ops->schema_version(st); }
int64_t ys_store_session(const ys_store *st) { return st->ops->session(st); }
const char *ys_store_locator(const ys_store *st) { return st->ops->locator(st); }

ys_rc ys_store_checkpoint(ys_store *st, int64_t seq, int version, const uint8_t digest[YS_HASH_BYTES], ys_err *err)
{
    return st->ops->checkpoint(st, seq, version, digest, err);
}

ys_rc ys_store_put_blob(ys_store *st, const char *hash_hex, const void *data, size_t len, ys_err *err)
{
    return st->ops->put_blob(st, hash_hex, data, len, err);
}

ys_rc ys_store_get_blob(ys_store *st, const char *hash_hex, char **data, size_t *len, ys_err *err)
{
    *data = NULL;
    *len = 0;
    return st->ops->get_blob(st, hash_hex, data, len, err);
}

ys_rc ys_store_scan(ys_store *st, int64_t after, ys_store_event_fn fn, void *ud, ys_err *err)
{
    return st->ops->scan(st, after, fn, ud, err);
}

ys_rc ys_store_put_sealed(ys_store *st, const ys_event *sealed, int64_t ref, ys_err *err)
{
    return st->ops->put_sealed(st, sealed, ref, err);
}

ys_rc ys_store_scan_sealed(ys_store *st, ys_store_event_fn fn, void *ud, ys_err *err)
{
    return st->ops->scan_sealed(st, fn, ud, err);
}

ys_rc ys_store_scan_blobs(ys_store *st, ys_store_blob_fn fn, void *ud, ys_err *err)
{
    return st->ops->scan_blobs(st, fn, ud, err);
}

int64_t ys_store_sealed_ref(const ys_event *sealed, bool *election)
{
    const json_t *v = json_object_get(sealed->payload, "poll");
    *election = !v;
    if (!v)
        v = json_object_get(sealed->payload, "election");
    return json_is_integer(v) ? json_integer_value(v) : 0;
}

ys_rc ys_store_scan_checkpoints(ys_store *st, ys_store_checkpoint_fn fn, void *ud, ys_err *err)
{
    return st->ops->scan_checkpoints(st, fn, ud, err);
}

ys_rc ys_store_compare_projections(ys_store *st, ys_store *fresh, ys_err *err)
{
    if (st->ops != fresh->ops)
        return ys_fail(err, YS_STORE, NULL, "projections of a %s store cannot be compared with a %s store's",
                       st->ops->name, fresh->ops->name);
    return st->ops->compare_projections(st, fresh, err);
}

ys_rc ys__store_load_payload(ys_event *ev, const char *text, const char *what, ys_err *err)
{
    json_error_t jerr;
    if (!(ev->payload_text = ys_strdup(text)))
        return ys_fail(err, YS_NOMEM, NULL, "out of memory reading %s", what);
    ys_rc rc = ys_json_loadb(text, strlen(text), JSON_REJECT_DUPLICATES, &ev->payload, &jerr);
    if (rc == YS_NOMEM)
        return ys_fail(err, YS_NOMEM, NULL, "out of memory reading %s", what);
    if (rc)
        return ys_fail(err, YS_CORRUPT, "payload", "%s is not JSON: %s", what, jerr.text);
    return YS_OK;
}

ys_rc ys__projection_differs(ys_err *err, const char *table, long row, const char *column, const char *have,
                             const char *want)
{
    return ys_fail(err, YS_CORRUPT, table, "projection table %s, row %ld, column %s holds '%s' where its events give '%s'",
                   table, row, column, have ? have : "NULL", want ? want : "NULL");
}

ys_rc ys__projection_rows(ys_err *err, const char *table, bool more, long from_row)
{
    return ys_fail(err, YS_CORRUPT, table, "projection table %s has %s rows than its events give (from row %ld)", table,
                   more ? "more" : "fewer", from_row);
}

bool ys__backfill_names(const char *types, const char *type)
{
    size_t n = strlen(type);
    for (const char *p = strstr(types, type); p; p = strstr(p + 1, type))
        if ((p == types || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return true;
    return false;
}
