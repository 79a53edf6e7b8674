/* reader_sqlite.c — reads of a session file on a read-only connection of their own, so that the server's
 * threads never share the writer's connection: a document's content by its hash. */
#include "yishi/reader.h"

#include "yishi/alloc.h"

#include <sqlite3.h>
#include <string.h>

ys_rc ys_read_blob(const char *path, const char *hash_hex, char **data, size_t *len, ys_err *err)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    ys_rc rc = YS_OK;
    *data = NULL;
    *len = 0;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        rc = ys_fail(err, YS_STORE, NULL, "%s: %s", path, sqlite3_errmsg(db));
        goto out;
    }
    sqlite3_busy_timeout(db, 5000);
    if (sqlite3_prepare_v2(db, "SELECT content FROM blobs WHERE hash = ?", -1, &q, NULL) != SQLITE_OK) {
        rc = ys_fail(err, YS_STORE, NULL, "reading a document: %s", sqlite3_errmsg(db));
        goto out;
    }
    sqlite3_bind_text(q, 1, hash_hex, -1, SQLITE_STATIC);
    int r = sqlite3_step(q);
    if (r == SQLITE_DONE) {
        rc = ys_fail(err, YS_NOT_FOUND, "hash", "no content with hash %.64s", hash_hex);
    } else if (r != SQLITE_ROW) {
        rc = ys_fail(err, YS_STORE, NULL, "reading a document: %s", sqlite3_errmsg(db));
    } else {
        size_t n = (size_t)sqlite3_column_bytes(q, 0);
        const void *p = sqlite3_column_blob(q, 0);
        if (!(*data = ys_malloc(n + 1))) {
            rc = ys_fail(err, YS_NOMEM, NULL, "out of memory reading a document");
            goto out;
        }
        if (n)
            memcpy(*data, p, n);
        (*data)[n] = '\0';
        *len = n;
    }
out:
    sqlite3_finalize(q);
    sqlite3_close(db);
    return rc;
}
