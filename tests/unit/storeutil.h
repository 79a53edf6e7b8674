/* storeutil.h — what the store tests need of either backend: a fresh store for the backend YISHI_TEST_STORE
 * names (a PostgreSQL URL: the _pg tests; unset: SQLite files), and SQL run on it behind the store's back. */
#ifndef YS_STOREUTIL_H
#define YS_STOREUTIL_H

#include "testutil.h"

#include "yishi/store.h"

#include <libpq-fe.h>
#include <sqlite3.h>

/* The PostgreSQL database the tests write to, or NULL for SQLite files. */
static inline const char *test_pg_url(void)
{
    const char *url = getenv("YISHI_TEST_STORE");
    return url && *url ? url : NULL;
}

/* A new empty store: an SQLite file name not yet taken, or a session made in the database (a create on it
 * then finds no log, as on a new file). ys_free it. */
static inline char *test_store_new(void)
{
    const char *url = test_pg_url();
    ys_store *st = NULL;
    ys_err err = {0};
    if (!url)
        return test_tmpfile();
    if (ys_store_open(url, YS_STORE_CREATE, &st, &err))
        fail_msg("cannot make a session in %s: %s", url, err.msg);
    char *locator = ys_strdup(ys_store_locator(st));
    ys_store_close(st);
    return locator;
}

static inline void test_store_remove(const char *locator)
{
    ys_err err = {0};
    if (!ys_store_is_postgresql(locator))
        test_rmfile(locator);
    else if (ys_store_discard(locator, &err))
        fail_msg("cannot remove %s: %s", locator, err.msg);
}

/* The session a locator names ("" for a file), as text. */
static inline void test_store_session(const char *locator, char out[24])
{
    const char *s = strstr(locator, "session=");
    snprintf(out, 24, "%s", s ? s + 8 : "");
}

/* Makes the session's rows look as a file's tables on this connection: a temporary view of each table with a
 * session_id, of this session's rows and without that column, in front of the table of the same name. */
static const char test_pg_session_views[] =
    "DO $$ DECLARE t text; cols text; BEGIN"
    " FOR t IN SELECT table_name FROM information_schema.columns WHERE table_schema = 'public'"
    " AND column_name = 'session_id' LOOP"
    " SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position) INTO cols"
    " FROM information_schema.columns WHERE table_schema = 'public' AND table_name = t AND column_name <> 'session_id';"
    " EXECUTE format('CREATE TEMP VIEW %I AS SELECT %s FROM public.%I WHERE session_id = {session}', t, cols, t);"
    " END LOOP; END $$";

/* Runs SQL on the store behind its back: `sqlite_sql` on a file, `pg_sql` (each {session} the session's id) on a
 * PostgreSQL session. Returns true when it succeeded; *value (if given) gets the first value it returned, ys_malloc'd,
 * or NULL. On PostgreSQL "SET session_replication_role = replica" goes past the log's trigger as DROP TRIGGER does
 * in a file. A `pg_sql` of NULL runs `sqlite_sql` there too, on the session's rows as test_pg_session_views shows
 * them: a read in SQL that both speak needs writing once. */
static inline bool test_store_sql_value(const char *locator, const char *sqlite_sql, const char *pg_sql, char **value)
{
    char session[24], sql[4096], *at = sql;
    bool ok;
    if (value)
        *value = NULL;
    if (!ys_store_is_postgresql(locator)) {
        sqlite3 *db = NULL;
        sqlite3_stmt *q = NULL;
        assert_int_equal(sqlite3_open(locator, &db), SQLITE_OK);
        if (!value) {
            ok = sqlite3_exec(db, sqlite_sql, NULL, NULL, NULL) == SQLITE_OK;
        } else {
            ok = sqlite3_prepare_v2(db, sqlite_sql, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW;
            if (ok && sqlite3_column_text(q, 0))
                *value = ys_strdup((const char *)sqlite3_column_text(q, 0));
            sqlite3_finalize(q);
        }
        sqlite3_close(db);
        return ok;
    }
    test_store_session(locator, session);
    char *owned = NULL;
    if (!pg_sql) {
        snprintf(sql, sizeof sql, "%s; %s", test_pg_session_views, sqlite_sql);
        pg_sql = owned = ys_strdup(sql);
    }
    for (const char *p = pg_sql; *p && at < sql + sizeof sql - 24;)
        if (strncmp(p, "{session}", 9) == 0) {
            at += snprintf(at, 24, "%s", session);
            p += 9;
        } else {
            *at++ = *p++;
        }
    *at = '\0';
    char *conninfo = ys_strdup(locator);
    conninfo[strstr(conninfo, "session=") - conninfo - 1] = '\0';
    PGconn *conn = PQconnectdb(conninfo);
    assert_int_equal(PQstatus(conn), CONNECTION_OK);
    PQclear(PQexec(conn, "SET client_min_messages = warning"));
    PGresult *res = PQexec(conn, sql);
    ok = PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK;
    if (ok && value && PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) > 0 && !PQgetisnull(res, 0, 0))
        *value = ys_strdup(PQgetvalue(res, 0, 0));
    if (!ok)
        print_message("(PostgreSQL says: %s)\n", PQresultErrorMessage(res));
    PQclear(res);
    PQfinish(conn);
    ys_free(conninfo);
    ys_free(owned);
    return ok;
}

static inline bool test_store_sql(const char *locator, const char *sqlite_sql, const char *pg_sql)
{
    return test_store_sql_value(locator, sqlite_sql, pg_sql, NULL);
}

/* Appends text to a growing ys_malloc'd buffer. */
static inline void test_rows_put(char **out, size_t *at, size_t *cap, const char *text)
{
    size_t n = strlen(text);
    while (*at + n + 1 > *cap)
        *out = ys_realloc(*out, *cap *= 2);
    memcpy(*out + *at, text, n + 1);
    *at += n;
}

/* The rows of a query in SQL that both backends speak, one a line, columns apart by '|', SQL's NULL as `null`: an
 * SQLite file's, or a PostgreSQL session's through test_pg_session_views (so without session_id). ys_free it. */
static inline char *test_store_rows(const char *locator, const char *select, const char *null)
{
    size_t cap = 1 << 12, at = 0;
    char *out = ys_malloc(cap);
    out[0] = '\0';
    if (!ys_store_is_postgresql(locator)) {
        sqlite3 *db = NULL;
        sqlite3_stmt *q = NULL;
        assert_int_equal(sqlite3_open_v2(locator, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
        if (sqlite3_prepare_v2(db, select, -1, &q, NULL) != SQLITE_OK)
            fail_msg("%s: %s", select, sqlite3_errmsg(db));
        while (sqlite3_step(q) == SQLITE_ROW)
            for (int c = 0; c < sqlite3_column_count(q); c++) {
                const char *v = (const char *)sqlite3_column_text(q, c);
                test_rows_put(&out, &at, &cap, v ? v : null);
                test_rows_put(&out, &at, &cap, c + 1 < sqlite3_column_count(q) ? "|" : "\n");
            }
        sqlite3_finalize(q);
        sqlite3_close(db);
        return out;
    }
    char session[24], views[2048], *conninfo = ys_strdup(locator);
    const char *from = test_pg_session_views, *mark = strstr(from, "{session}");
    test_store_session(locator, session);
    conninfo[strstr(conninfo, "session=") - conninfo - 1] = '\0';
    PGconn *conn = PQconnectdb(conninfo);
    assert_int_equal(PQstatus(conn), CONNECTION_OK);
    snprintf(views, sizeof views, "%.*s%s%s", (int)(mark - from), from, session, mark + strlen("{session}"));
    PQclear(PQexec(conn, "SET client_min_messages = warning"));
    PQclear(PQexec(conn, views));
    PGresult *res = PQexec(conn, select);
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        fail_msg("%s: %s", select, PQresultErrorMessage(res));
    for (int r = 0; r < PQntuples(res); r++)
        for (int c = 0; c < PQnfields(res); c++) {
            test_rows_put(&out, &at, &cap, PQgetisnull(res, r, c) ? null : PQgetvalue(res, r, c));
            test_rows_put(&out, &at, &cap, c + 1 < PQnfields(res) ? "|" : "\n");
        }
    PQclear(res);
    PQfinish(conn);
    ys_free(conninfo);
    return out;
}

#endif
