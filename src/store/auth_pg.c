/* auth_pg.c — where a session in PostgreSQL keeps its logins: the driver of auth_db.h on a connection of its
 * own, every statement prepared once with the session and its congress as $1 and $2. The accounts are the
 * congress's; cards, tokens and devices the session's (schema_pg.h, version 3). */
#include "store/auth_db.h"
#include "store/pg.h"

#include "yishi/alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OID_INT4 23
#define OID_TEXT 25
#define MAX_PARAMS 8

static const char *const pg_sql[YS__AUTH_N_Q] = {
#define YS__AUTH_SQL(name, lite, pg) pg,
    YS_AUTH_SQL_MAP(YS__AUTH_SQL)
#undef YS__AUTH_SQL
};

typedef struct pg_auth {
    ys__auth_db base;
    PGconn *conn;
    char *conninfo;
    char session[24], congress[24];
    bool prepared[YS__AUTH_N_Q];
    bool in_txn;
} pg_auth;

/* A connection lost between transactions is made again once, before the next begins or the next statement
 * outside one; within a transaction the failure stands, and the transaction with it. */
static void reconnect(pg_auth *p)
{
    PGconn *fresh = NULL;
    if (PQstatus(p->conn) != CONNECTION_BAD || p->in_txn || ys__pg_connect(p->conninfo, false, &fresh, NULL))
        return;
    PQfinish(p->conn);
    p->conn = fresh;
    memset(p->prepared, 0, sizeof p->prepared);
}

static ys_rc prepare(pg_auth *p, ys__auth_q k, int n, ys_err *err)
{
    Oid types[MAX_PARAMS + 2] = {OID_INT4, OID_INT4};
    for (int i = 0; i < n; i++)
        types[i + 2] = OID_TEXT;
    char name[16];
    snprintf(name, sizeof name, "a%d", (int)k);
    PGresult *res = PQprepare(p->conn, name, pg_sql[k], n + 2, types);
    ys_rc rc = PQresultStatus(res) == PGRES_COMMAND_OK ? YS_OK : ys__pg_fail(p->conn, res, err, "preparing a login statement");
    PQclear(res);
    p->prepared[k] = !rc;
    return rc;
}

static ys_rc pg_run(ys__auth_db *base, ys__auth_q k, int n, const char *const *params, ys__auth_row_fn fn, void *ud,
                    long *changes, ys_err *err)
{
    pg_auth *p = (pg_auth *)base;
    const char *values[MAX_PARAMS + 2] = {p->session, p->congress};
    const char *cols[8];
    char name[16];
    ys_rc rc;
    if (n > MAX_PARAMS)
        return ys_fail(err, YS_STORE, NULL, "a login statement with %d parameters", n);
    reconnect(p);
    if (k == YS__AUTH_Q_BEGIN) { /* and then the congress's lock, which is the statement */
        PGresult *res = PQexec(p->conn, "BEGIN");
        rc = PQresultStatus(res) == PGRES_COMMAND_OK ? YS_OK : ys__pg_fail(p->conn, res, err, "beginning a login");
        PQclear(res);
        if (rc)
            return rc;
        p->in_txn = true;
    } else if (k == YS__AUTH_Q_COMMIT || k == YS__AUTH_Q_ROLLBACK) {
        p->in_txn = false;
    }
    bool plain = k == YS__AUTH_Q_COMMIT || k == YS__AUTH_Q_ROLLBACK; /* no parameters to take */
    if (!plain && !p->prepared[k] && (rc = prepare(p, k, n, err)))
        return rc;
    if (n)
        memcpy(values + 2, params, (size_t)n * sizeof *params);
    snprintf(name, sizeof name, "a%d", (int)k);
    PGresult *res = plain ? PQexec(p->conn, pg_sql[k]) : PQexecPrepared(p->conn, name, n + 2, values, NULL, NULL, 0);
    ExecStatusType s = PQresultStatus(res);
    const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK) {
        rc = YS_OK;
        int nc = PQnfields(res) > 8 ? 8 : PQnfields(res);
        for (int row = 0; fn && row < PQntuples(res); row++) {
            for (int c = 0; c < nc; c++)
                cols[c] = PQgetisnull(res, row, c) ? NULL : PQgetvalue(res, row, c);
            fn(cols, nc, ud);
        }
        if (changes)
            *changes = atol(PQcmdTuples(res));
        /* COMMIT of a transaction that failed on the way answers ROLLBACK: only "COMMIT" is success */
        if (k == YS__AUTH_Q_COMMIT && strcmp(PQcmdStatus(res), "COMMIT") != 0)
            rc = ys_fail(err, YS_STORE, NULL, "writing the logins: PostgreSQL rolled them back");
    } else if (state && strcmp(state, "23505") == 0) { /* unique_violation */
        rc = ys_fail(err, YS_CONFLICT, "name", "%s", PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY));
    } else {
        rc = ys__pg_fail(p->conn, res, err, "writing the logins");
    }
    PQclear(res);
    return rc;
}

static void pg_close(ys__auth_db *base)
{
    pg_auth *p = (pg_auth *)base;
    PQfinish(p->conn);
    ys_free(p->conninfo);
    ys_free(p);
}

/* The session's congress, which must be there: a database at the logins' schema, the session in it. */
static ys_rc find_congress(pg_auth *p, int64_t session, ys_err *err)
{
    int version = -1;
    ys_rc rc = ys__pg_read_version(p->conn, &version, err);
    if (rc)
        return rc;
    if (version < 2)
        return ys_fail(err, YS_STATE, "store", "database %s has no login tables yet: open a session in it once for "
                       "writing (yishi status, yishi serve)", PQdb(p->conn));
    const char *values[] = {p->session};
    PGresult *res = PQexecParams(p->conn, "SELECT coalesce(congress_id, 0) FROM sessions WHERE id = $1::int", 1, NULL,
                                 values, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        rc = ys__pg_fail(p->conn, res, err, "finding the session's congress");
    else if (PQntuples(res) == 0)
        rc = ys_fail(err, YS_NOT_FOUND, "session", "database %s has no session %lld", PQdb(p->conn), (long long)session);
    else if (!strcmp(PQgetvalue(res, 0, 0), "0"))
        rc = ys_fail(err, YS_STATE, "session", "session %lld belongs to no congress, so no one can log in to it",
                     (long long)session);
    else
        snprintf(p->congress, sizeof p->congress, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    return rc;
}

ys_rc ys__auth_pg_open(const char *locator, ys__auth_db **out, ys_err *err)
{
    pg_auth *p = ys_calloc(1, sizeof *p);
    int64_t session = 0;
    *out = NULL;
    if (!p)
        return ys_fail(err, YS_NOMEM, NULL, "out of memory opening the logins");
    p->base = (ys__auth_db){pg_run, pg_close};
    ys_rc rc = ys__pg_split_locator(locator, &p->conninfo, &session, NULL, NULL, err);
    if (!rc && !session)
        rc = ys_fail(err, YS_INVALID, "session", "a PostgreSQL locator names its session: add session=ID to the URI");
    snprintf(p->session, sizeof p->session, "%lld", (long long)session);
    if (!rc)
        rc = ys__pg_connect(p->conninfo, false, &p->conn, err);
    if (!rc)
        rc = find_congress(p, session, err);
    if (rc) {
        pg_close(&p->base);
        return rc;
    }
    *out = &p->base;
    return YS_OK;
}
