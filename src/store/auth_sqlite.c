/* auth_sqlite.c — where a session file keeps its logins: the SQLite driver of auth_db.h, its statements
 * each prepared once, when first used, and kept for the life of the connection. */
#include "store/auth_db.h"

#include "yishi/alloc.h"

#include <sqlite3.h>
#include <stdlib.h>

static const char *const lite_sql[YS__AUTH_N_Q] = {
#define YS__AUTH_SQL(name, lite, pg) lite,
    YS_AUTH_SQL_MAP(YS__AUTH_SQL)
#undef YS__AUTH_SQL
};

typedef struct lite_db {
    ys__auth_db base;
    sqlite3 *db;
    sqlite3_stmt *q[YS__AUTH_N_Q];
} lite_db;

static ys_rc lite_fail(lite_db *l, ys_err *err, const char *what)
{
    return ys_fail(err, YS_STORE, NULL, "%s: %s", what, sqlite3_errmsg(l->db));
}

static ys_rc lite_run(ys__auth_db *base, ys__auth_q k, int n, const char *const *params, ys__auth_row_fn fn,
                      void *ud, long *changes, ys_err *err)
{
    lite_db *l = (lite_db *)base;
    const char *cols[8];
    ys_rc rc = YS_OK;
    int r;
    if (!l->q[k] && sqlite3_prepare_v3(l->db, lite_sql[k], -1, SQLITE_PREPARE_PERSISTENT, &l->q[k], NULL) != SQLITE_OK)
        return lite_fail(l, err, "preparing a login statement");
    sqlite3_stmt *q = l->q[k];
    for (int i = 0; i < n; i++)
        sqlite3_bind_text(q, i + 1, params[i], -1, SQLITE_STATIC);
    while ((r = sqlite3_step(q)) == SQLITE_ROW) {
        int nc = sqlite3_column_count(q);
        nc = nc > 8 ? 8 : nc;
        for (int i = 0; i < nc; i++)
            cols[i] = (const char *)sqlite3_column_text(q, i);
        if (fn)
            fn(cols, nc, ud);
    }
    if (r == SQLITE_CONSTRAINT)
        rc = ys_fail(err, YS_CONFLICT, "name", "%s", sqlite3_errmsg(l->db));
    else if (r != SQLITE_DONE)
        rc = lite_fail(l, err, "writing the logins");
    if (!rc && changes)
        *changes = sqlite3_changes(l->db);
    sqlite3_reset(q); /* no read stays open between calls */
    sqlite3_clear_bindings(q);
    return rc;
}

static void lite_close(ys__auth_db *base)
{
    lite_db *l = (lite_db *)base;
    for (int k = 0; k < YS__AUTH_N_Q; k++)
        sqlite3_finalize(l->q[k]);
    sqlite3_close(l->db);
    ys_free(l);
}

ys_rc ys__auth_sqlite_open(const char *path, ys__auth_db **out, ys_err *err)
{
    lite_db *l = ys_calloc(1, sizeof *l);
    sqlite3_stmt *q = NULL;
    ys_rc rc = YS_OK;
    *out = NULL;
    if (!l)
        return ys_fail(err, YS_NOMEM, NULL, "out of memory opening the logins of %s", path);
    l->base = (ys__auth_db){lite_run, lite_close};
    if (sqlite3_open_v2(path, &l->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, NULL) != SQLITE_OK) {
        rc = lite_fail(l, err, path);
        goto fail;
    }
    sqlite3_busy_timeout(l->db, 10000);
    sqlite3_exec(l->db, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;", NULL, NULL, NULL);
    if (sqlite3_prepare_v2(l->db, "SELECT 1 FROM sqlite_master WHERE name = 'auth_devices'", -1, &q, NULL) ||
        sqlite3_step(q) != SQLITE_ROW)
        rc = ys_fail(err, YS_STATE, "file", "%s has no login tables yet: open it once for writing (yishi serve)",
                     path);
    sqlite3_finalize(q);
    if (rc)
        goto fail;
    *out = &l->base;
    return YS_OK;
fail:
    lite_close(&l->base);
    return rc;
}
