/* postgres.c — the PostgreSQL backend of the store: one session among many in one database, its rows under
 * its session_id; the same log, checkpoints, blobs, ballot box and projections as an SQLite file, one
 * writer per session held by an advisory lock, and a batch one transaction committed with
 * synchronous_commit on. */
#include "store/backend.h"
#include "store/pg.h"
#include "store/schema_pg.h"

#include "yishi/alloc.h"

#include <libpq-fe.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TEXT_OF(x) #x
#define TEXT(x) TEXT_OF(x)
#define LOCK_CLASS 1498631241 /* "YSHI": the first key of yishi's advisory locks; the second is the session (0:
                                 the schema's migrations) */
#define PAGE_ROWS 512         /* events or ballots read per query of a scan */
#define PIPELINE_DEPTH 1024   /* statements of a batch sent before their results are read: well within what a
                                 socket's buffers hold of results, so that sending never waits on reading */
#define N_MIGRATIONS (int)(sizeof ys_pg_migrations / sizeof ys_pg_migrations[0])
#define OID_JSONB 3802
#define OID_TEXT 25
#define OID_INT4 23

typedef struct pg_store {
    ys_store base;
    PGconn *conn;
    char *conninfo;           /* the URI as libpq takes it: without yishi's `session` */
    char *locator;            /* the URI naming the session */
    char *congress;           /* the congress a session made by a create joins (`congress=NAME`), or NULL */
    char *organisation;       /* that congress's organisation (`organisation=NAME`), or NULL for none */
    int64_t session;
    char session_text[24];    /* the session as a statement's parameter */
    int schema_version;
    bool readonly, in_txn;
    bool locked;              /* holds the session's advisory lock */
    bool prepared;            /* the connection has its statements (and a writer's its lock): else reconnect */
    /* A batch's statements go out in a pipeline (PQsendQueryPrepared) and their results are read at the next
     * sync: when the pipeline is deep, before a read, and at the commit. The first that failed is kept. */
    int queued;
    ys_rc failed;
    ys_err failure;
    char last_status[32];     /* the command status of the last statement read: "COMMIT" for a commit */
} pg_store;

static const ys__store_ops pg_ops;

/* ---- the locator ---- */

/* `text` of `len` bytes with %XX decoded, ys_malloc'd; NULL without memory. */
static char *percent_decoded(const char *text, size_t len)
{
    char *out = ys_malloc(len + 1), *o = out;
    for (size_t i = 0; out && i < len; i++) {
        unsigned hi, lo;
        if (text[i] == '%' && i + 2 < len && sscanf(text + i + 1, "%1x%1x", &hi, &lo) == 2) {
            *o++ = (char)(hi << 4 | lo);
            i += 2;
        } else {
            *o++ = text[i] == '+' ? ' ' : text[i];
        }
    }
    if (out)
        *o = '\0';
    return out;
}

/* A `NAME=` parameter of yishi's own, taken percent-decoded into *out (the first one named counts). */
static bool take_named(const char *p, size_t len, const char *key, char **out, bool *nomem)
{
    size_t k = strlen(key);
    if (strncmp(p, key, k) != 0)
        return false;
    if (out && !*out && !(*out = percent_decoded(p + k, len - k)))
        *nomem = true;
    return true;
}

/* The URI without `session=ID`, `congress=NAME` and `organisation=NAME`, the ID (0 when it names none) and
 * the NAMEs. */
ys_rc ys__pg_split_locator(const char *locator, char **conninfo, int64_t *session, char **congress,
                           char **organisation, ys_err *err)
{
    const char *q = strchr(locator, '?');
    size_t n = strlen(locator);
    char *out = ys_malloc(n + 1);
    bool nomem = false;
    *session = 0;
    *conninfo = NULL;
    if (congress)
        *congress = NULL;
    if (organisation)
        *organisation = NULL;
    if (!out)
        return ys_fail(err, YS_NOMEM, NULL, "out of memory");
    size_t at = q ? (size_t)(q - locator) : n;
    bool query = false;
    memcpy(out, locator, at);
    for (const char *p = q ? q + 1 : NULL; p && *p;) {
        size_t len = strcspn(p, "&");
        if (strncmp(p, "session=", 8) == 0) {
            char *end;
            long long id = strtoll(p + 8, &end, 10);
            if (end != p + len || id < 1 || id > INT_MAX) {
                ys_free(out);
                return ys_fail(err, YS_INVALID, "session", "the locator's session=%.*s is not a session id (1 to %d)",
                               (int)(len - 8), p + 8, INT_MAX);
            }
            *session = id;
        } else if (take_named(p, len, "congress=", congress, &nomem) ||
                   take_named(p, len, "organisation=", organisation, &nomem)) {
            /* yishi's, not libpq's */
        } else if (len) {
            out[at++] = query ? '&' : '?';
            query = true;
            memcpy(out + at, p, len);
            at += len;
        }
        p += len + (p[len] == '&');
    }
    out[at] = '\0';
    *conninfo = out;
    if (nomem || (organisation && *organisation && !(congress && *congress))) {
        ys_free(*conninfo);
        *conninfo = NULL;
        if (congress)
            ys_free(*congress), *congress = NULL;
        if (organisation)
            ys_free(*organisation), *organisation = NULL;
        return nomem ? ys_fail(err, YS_NOMEM, NULL, "out of memory")
                     : ys_fail(err, YS_INVALID, "organisation", "organisation= names the organisation of the "
                               "congress a new session joins: name the congress too (congress=NAME)");
    }
    return YS_OK;
}

/* ---- talking to the server ---- */

/* PostgreSQL's message, without its last newline. */
static const char *message_of(PGconn *conn, const PGresult *res, char *buf, size_t cap)
{
    const char *m = res && *PQresultErrorMessage(res) ? PQresultErrorMessage(res) : PQerrorMessage(conn);
    snprintf(buf, cap, "%s", m && *m ? m : "no message");
    for (size_t n = strlen(buf); n && (buf[n - 1] == '\n' || buf[n - 1] == ' '); n--)
        buf[n - 1] = '\0';
    return buf;
}

/* A lost connection is an I/O error; a full disk on the server is no room, as for a file; the rest the store's. */
ys_rc ys__pg_fail(PGconn *conn, const PGresult *res, ys_err *err, const char *what)
{
    char msg[400];
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    message_of(conn, res, msg, sizeof msg);
    if (!conn || PQstatus(conn) == CONNECTION_BAD)
        return ys_fail(err, YS_UNREACHABLE, NULL, "%s: the connection to PostgreSQL is lost: %s", what, msg);
    if (state && strcmp(state, "53100") == 0)
        return ys_fail(err, YS_DISK_FULL, NULL, "%s: %s", what, msg);
    return ys_fail(err, YS_STORE, NULL, "%s: %s", what, msg);
}

/* Whether a result is what a command or a query gives; if not, the failure goes into err and it is cleared. */
static ys_rc check(PGconn *conn, PGresult *res, ys_err *err, const char *what)
{
    ExecStatusType s = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK)
        return YS_OK;
    ys_rc rc = ys__pg_fail(conn, res, err, what);
    PQclear(res);
    return rc;
}

static ys_rc run(PGconn *conn, const char *sql, ys_err *err, const char *what)
{
    PGresult *res = PQexec(conn, sql);
    ys_rc rc = check(conn, res, err, what);
    if (!rc)
        PQclear(res);
    return rc;
}

/* The first value of a query with text parameters, as text, ys_malloc'd into *value. */
static ys_rc value_of(PGconn *conn, const char *sql, int n, const char *const *params, char **value, ys_err *err,
                      const char *what)
{
    PGresult *res = PQexecParams(conn, sql, n, NULL, params, NULL, NULL, 0);
    ys_rc rc = check(conn, res, err, what);
    *value = NULL;
    if (rc)
        return rc;
    if (PQntuples(res) < 1 || PQnfields(res) < 1)
        rc = ys_fail(err, YS_STORE, NULL, "%s: no row", what);
    else if (!(*value = ys_strdup(PQgetvalue(res, 0, 0))))
        rc = ys_fail(err, YS_NOMEM, NULL, "out of memory %s", what);
    PQclear(res);
    return rc;
}

static ys_rc query_true(PGconn *conn, const char *sql, int n, const char *const *params, bool *out, ys_err *err,
                        const char *what)
{
    char *v = NULL;
    ys_rc rc = value_of(conn, sql, n, params, &v, err, what);
    *out = v && strcmp(v, "t") == 0;
    ys_free(v);
    return rc;
}

/* A connection whose commits are durable on the server before COMMIT returns, in UTF-8 (the payloads' bytes
 * go in and come out as they are); read-only when it is a reader's. Named "yishi pid N" in pg_stat_activity
 * (unless the URI names it), so that a refused writer can say who holds a session. */
ys_rc ys__pg_connect(const char *conninfo, bool readonly, PGconn **out, ys_err *err)
{
    char app[64];
    snprintf(app, sizeof app, "yishi pid %ld", (long)getpid());
    const char *const keys[] = {"dbname", "fallback_application_name", NULL};
    const char *const values[] = {conninfo, app, NULL};
    PGconn *conn = PQconnectdbParams(keys, values, 1);
    char msg[400];
    *out = NULL;
    if (!conn)
        return ys_fail(err, YS_NOMEM, NULL, "out of memory connecting to PostgreSQL");
    if (PQstatus(conn) != CONNECTION_OK) {
        ys_rc rc = ys_fail(err, YS_UNREACHABLE, "store", "cannot connect to PostgreSQL: %s",
                           message_of(conn, NULL, msg, sizeof msg));
        PQfinish(conn);
        return rc;
    }
    ys_rc rc = run(conn, "SET synchronous_commit = on; SET client_encoding = 'UTF8'; SET client_min_messages = warning",
                   err, "setting up the connection");
    if (!rc && readonly)
        rc = run(conn, "SET default_transaction_read_only = on", err, "setting up the connection");
    if (rc) {
        PQfinish(conn);
        return rc;
    }
    *out = conn;
    return YS_OK;
}

/* ---- the schema ---- */

/* The database's schema version, -1 when it has no yishi tables. */
ys_rc ys__pg_read_version(PGconn *conn, int *version, ys_err *err)
{
    bool has = false;
    char *v = NULL;
    ys_rc rc = query_true(conn, "SELECT to_regclass('yishi_schema') IS NOT NULL", 0, NULL, &has, err,
                          "reading the schema version");
    *version = -1;
    if (rc || !has)
        return rc;
    if (!(rc = value_of(conn, "SELECT version FROM yishi_schema", 0, NULL, &v, err, "reading the schema version")))
        *version = atoi(v);
    ys_free(v);
    return rc;
}

/* Runs the projections a migration brought over the events already in the database, for one that was of
 * version `from`: ys_pg_backfills says which types; each session's in the order of its log. */
static ys_rc backfill(pg_store *st, int from, ys_err *err)
{
    static const Oid types[] = {OID_JSONB, OID_TEXT, OID_INT4};
    char due[1024] = "";
    size_t at = 0;
    for (size_t b = 0; b < sizeof ys_pg_backfills / sizeof *ys_pg_backfills; b++)
        if (from < ys_pg_backfills[b].version)
            at += (size_t)snprintf(due + at, sizeof due - at, " %s", ys_pg_backfills[b].types);
    if (from < 1 || !at) /* a database made now has no events yet */
        return YS_OK;
    const char *const params[] = {due};
    PGresult *res = PQexecParams(st->conn, "SELECT session_id, type, payload, time FROM events"
                                 " WHERE $1 || ' ' LIKE '% ' || type || ' %' ORDER BY session_id, seq", 1, NULL, params,
                                 NULL, NULL, 0);
    ys_rc rc = check(st->conn, res, err, "reading the logs to fill the new tables");
    if (rc)
        return rc;
    for (int row = 0; !rc && row < PQntuples(res); row++) {
        const ys_event_type *t = ys_event_type_of(PQgetvalue(res, row, 1));
        if (!t || !ys__backfill_names(due, t->name))
            continue;
        const char *const values[] = {PQgetvalue(res, row, 2), PQgetvalue(res, row, 3), PQgetvalue(res, row, 0)};
        for (size_t k = 0; !rc && k < YS_PG_PROJ_MAX && ys_pg_projections[t - ys_event_types][k]; k++) {
            PGresult *r = PQexecParams(st->conn, ys_pg_projections[t - ys_event_types][k], 3, types, values, NULL,
                                       NULL, 0);
            if (!(rc = check(st->conn, r, err, t->name)))
                PQclear(r);
        }
    }
    PQclear(res);
    return rc;
}

/* Brings the database's tables to this program's schema in one transaction, under a lock, so that two
 * programs starting at once on a new database migrate it once; the backfill of new tables goes in it too. */
static ys_rc migrate(pg_store *st, ys_err *err)
{
    char bump[64];
    ys_rc rc = run(st->conn, "BEGIN; SELECT pg_advisory_xact_lock(" TEXT(LOCK_CLASS) ", 0)", err, "migrating the schema");
    if (!rc)
        rc = ys__pg_read_version(st->conn, &st->schema_version, err);
    if (!rc && st->schema_version > N_MIGRATIONS)
        rc = ys_fail(err, YS_INVALID, "store", "the database's yishi schema has version %d; this yishi knows up to %d",
                     st->schema_version, N_MIGRATIONS);
    int from = st->schema_version < 0 ? 0 : st->schema_version;
    for (int v = from; !rc && v < N_MIGRATIONS; v++)
        rc = run(st->conn, ys_pg_migrations[v], err, "migrating the schema");
    if (!rc && from < N_MIGRATIONS)
        rc = backfill(st, from, err);
    snprintf(bump, sizeof bump, "UPDATE yishi_schema SET version = %d; COMMIT", N_MIGRATIONS);
    if (!rc && st->schema_version < N_MIGRATIONS)
        rc = run(st->conn, bump, err, "migrating the schema");
    if (rc) {
        run(st->conn, "ROLLBACK", NULL, NULL);
        return rc;
    }
    if (st->schema_version == N_MIGRATIONS)
        rc = run(st->conn, "COMMIT", err, "migrating the schema");
    st->schema_version = N_MIGRATIONS;
    return rc;
}

static ys_rc prepare(pg_store *st, const char *name, const char *sql, int n, const Oid *types, ys_err *err)
{
    PGresult *res = PQprepare(st->conn, name, sql, n, types);
    ys_rc rc = check(st->conn, res, err, "preparing a statement");
    if (!rc)
        PQclear(res);
    return rc;
}

static ys_rc prepare_reads(pg_store *st, ys_err *err)
{
    ys_rc rc;
    if ((rc = prepare(st, "scan", "SELECT seq, time, actor, type, payload, prev_hash, hash FROM events"
                      " WHERE session_id = $1 AND seq > $2 ORDER BY seq LIMIT " TEXT(PAGE_ROWS), 0, NULL, err)) ||
        (rc = prepare(st, "box", "SELECT id, kind, content FROM ballot_box WHERE session_id = $1 AND id > $2"
                      " ORDER BY id LIMIT " TEXT(PAGE_ROWS), 0, NULL, err)) ||
        (rc = prepare(st, "cps", "SELECT seq, state_digest, digest_version FROM checkpoints WHERE session_id = $1"
                      " ORDER BY seq", 0, NULL, err)) ||
        (rc = prepare(st, "blob", "SELECT content FROM blobs WHERE session_id = $1 AND hash = $2", 0, NULL, err)) ||
        (rc = prepare(st, "blobs", "SELECT hash, content FROM blobs WHERE session_id = $1 AND hash COLLATE \"C\" > $2"
                      " ORDER BY hash COLLATE \"C\" LIMIT 64", 0, NULL, err)))
        return rc;
    return YS_OK;
}

static ys_rc prepare_writes(pg_store *st, ys_err *err)
{
    static const Oid projection_types[] = {OID_JSONB, OID_TEXT, OID_INT4};
    ys_rc rc;
    if ((rc = prepare(st, "event", "INSERT INTO events VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", 0, NULL, err)) ||
        (rc = prepare(st, "checkpoint", "INSERT INTO checkpoints (session_id, seq, state_digest, digest_version)"
                      " VALUES ($1, $2, $3, $4)", 0, NULL, err)) ||
        (rc = prepare(st, "put_blob", "INSERT INTO blobs VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING", 0, NULL,
                      err)) ||
        (rc = prepare(st, "seal", "INSERT INTO ballot_box VALUES ($1, $2, $3, $4, $5)", 0, NULL, err)) ||
        (rc = prepare(st, "commit", "COMMIT", 0, NULL, err)))
        return rc;
    for (size_t i = 0; i < YS_EV_N; i++)
        for (size_t k = 0; k < YS_PG_PROJ_MAX && ys_pg_projections[i][k]; k++) {
            char name[24];
            snprintf(name, sizeof name, "p%zu_%zu", i, k);
            if ((rc = prepare(st, name, ys_pg_projections[i][k], 3, projection_types, err)))
                return rc;
        }
    return YS_OK;
}

/* ---- one writer per session ---- */

/* "yishi pid 1234 (PostgreSQL backend 5678, from local)", or what pg_locks and pg_stat_activity tell: of this
 * database's locks only, for pg_locks lists the whole cluster's and an advisory lock is one database's. */
static void describe_holder(pg_store *st, char *out, size_t cap)
{
    const char *params[] = {st->session_text};
    PGresult *res = PQexecParams(st->conn, "SELECT l.pid, coalesce(a.application_name, ''),"
                                 " coalesce(host(a.client_addr), 'local') FROM pg_locks l LEFT JOIN pg_stat_activity a"
                                 " ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted AND l.classid = "
                                 TEXT(LOCK_CLASS) "::oid AND l.objid = $1::oid AND l.objsubid = 2 AND l.database ="
                                 " (SELECT oid FROM pg_database WHERE datname = current_database())", 1, NULL, params,
                                 NULL, NULL, 0);
    snprintf(out, cap, "another connection");
    if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) > 0)
        snprintf(out, cap, "%s (PostgreSQL backend pid %s, from %s)",
                 *PQgetvalue(res, 0, 1) ? PQgetvalue(res, 0, 1) : "a client", PQgetvalue(res, 0, 0),
                 PQgetvalue(res, 0, 2));
    PQclear(res);
}

/* Held on the writer's connection until it closes (or dies: the server lets go of a lost connection's locks). */
static ys_rc take_lock(pg_store *st, ys_err *err)
{
    const char *params[] = {st->session_text};
    bool got = false;
    char who[256];
    ys_rc rc = query_true(st->conn, "SELECT pg_try_advisory_lock(" TEXT(LOCK_CLASS) ", $1::int)", 1, params, &got, err,
                          "locking the session");
    st->locked = got;
    if (rc || got)
        return rc;
    describe_holder(st, who, sizeof who);
    return ys_fail(err, YS_CONFLICT, "session", "session %lld of database %s is open for writing by %s; one writer per "
                   "session (stop it, or use the server's API while it runs)", (long long)st->session,
                   PQdb(st->conn), who);
}

/* ---- open and close ---- */

static void pg_close(ys_store *base);

static ys_rc new_store(const char *locator, int flags, pg_store **out, ys_err *err)
{
    pg_store *st = ys_calloc(1, sizeof *st);
    *out = NULL;
    if (!st)
        return ys_fail(err, YS_NOMEM, NULL, "out of memory opening a PostgreSQL store");
    st->base.ops = &pg_ops;
    st->readonly = flags & YS_STORE_READONLY;
    ys_rc rc = ys__pg_split_locator(locator, &st->conninfo, &st->session, &st->congress, &st->organisation, err);
    snprintf(st->session_text, sizeof st->session_text, "%lld", (long long)st->session);
    if (!rc)
        rc = ys__pg_connect(st->conninfo, st->readonly, &st->conn, err);
    if (rc) {
        pg_close(&st->base);
        return rc;
    }
    *out = st;
    return YS_OK;
}

static ys_rc name_session(pg_store *st, int64_t session, ys_err *err)
{
    st->session = session;
    snprintf(st->session_text, sizeof st->session_text, "%lld", (long long)session);
    ys_free(st->locator);
    if (!(st->locator = ys_store_session_locator(st->conninfo, session)))
        return ys_fail(err, YS_NOMEM, NULL, "out of memory");
    return YS_OK;
}

/* Runs a statement whose result is no rows, naming `what` when it fails. */
static ys_rc run_params(PGconn *conn, const char *sql, int n, const char *const *params, ys_err *err, const char *what)
{
    PGresult *res = PQexecParams(conn, sql, n, NULL, params, NULL, NULL, 0);
    ys_rc rc = check(conn, res, err, what);
    if (!rc)
        PQclear(res);
    return rc;
}

/* A new row in sessions: the session's id, from the database. A session belongs to one congress, whose staff
 * accounts log in to it (auth.h): the one the locator names (`congress=NAME`, within `organisation=NAME` when
 * given; each made if the database has none of that name), else a congress of its own, "session ID", so that
 * no login of another reaches it. A scratch session (`scratch`, never committed) belongs to none. */
static ys_rc insert_session(pg_store *st, bool scratch, ys_err *err)
{
    char *id = NULL;
    const char *params[] = {st->congress, st->organisation};
    ys_rc rc = YS_OK;
    if (scratch)
        rc = value_of(st->conn, "INSERT INTO sessions DEFAULT VALUES RETURNING id", 0, NULL, &id, err,
                      "creating a session");
    else if (st->congress) { /* the organisation and the congress made once: the next session of it finds them */
        if (st->organisation)
            rc = run_params(st->conn, "INSERT INTO organisations (name) VALUES ($1) ON CONFLICT DO NOTHING", 1,
                            params + 1, err, "creating the congress's organisation");
        if (!rc)
            rc = run_params(st->conn, "INSERT INTO congresses (organisation_id, name) SELECT"
                            " (SELECT id FROM organisations WHERE name = $2::text), $1 ON CONFLICT DO NOTHING", 2,
                            params, err, "creating the session's congress");
        if (!rc)
            rc = value_of(st->conn, "INSERT INTO sessions (congress_id) SELECT c.id FROM congresses c WHERE"
                          " c.name = $1 AND c.organisation_id IS NOT DISTINCT FROM"
                          " (SELECT id FROM organisations WHERE name = $2::text) RETURNING id", 2, params, &id, err,
                          "creating a session");
    } else {
        rc = value_of(st->conn, "WITH n AS (SELECT nextval(pg_get_serial_sequence('sessions', 'id')) AS id),"
                      " c AS (INSERT INTO congresses (name) SELECT 'session ' || id FROM n RETURNING id)"
                      " INSERT INTO sessions (id, congress_id) SELECT n.id, c.id FROM n, c RETURNING id", 0, NULL, &id,
                      err, "creating a session");
    }
    if (!rc)
        rc = name_session(st, strtoll(id, NULL, 10), err);
    ys_free(id);
    return rc;
}

/* The schema: migrated by a writer (one that creates, or on a database that has yishi's tables), else it
 * must be this program's. */
static ys_rc open_schema(pg_store *st, int flags, ys_err *err)
{
    ys_rc rc = ys__pg_read_version(st->conn, &st->schema_version, err);
    if (rc)
        return rc;
    if (st->schema_version < 0 && !(flags & YS_STORE_CREATE))
        return ys_fail(err, YS_NOT_FOUND, "store", "database %s holds no yishi sessions (create one with yishi init)",
                       PQdb(st->conn));
    if (st->schema_version > N_MIGRATIONS)
        return ys_fail(err, YS_INVALID, "store", "the database's yishi schema has version %d; this yishi knows up to %d",
                       st->schema_version, N_MIGRATIONS);
    if (!st->readonly)
        return migrate(st, err);
    if (st->schema_version != N_MIGRATIONS)
        return ys_fail(err, YS_STATE, "store", "the database's yishi schema needs a migration; open a session in it "
                       "once for writing");
    return YS_OK;
}

/* The session the locator names must be there; YS_STORE_CREATE makes one when it names none, and refuses
 * one that holds a log. */
static ys_rc open_session(pg_store *st, int flags, ys_err *err)
{
    bool there = false;
    ys_rc rc;
    if (!st->session && (!(flags & YS_STORE_CREATE) || st->readonly))
        return ys_fail(err, YS_INVALID, "session", "a PostgreSQL locator names its session: add session=ID to the URI");
    if (!st->session)
        return (rc = insert_session(st, false, err)) ? rc : take_lock(st, err);
    if ((rc = name_session(st, st->session, err)))
        return rc;
    const char *params[] = {st->session_text};
    if ((rc = query_true(st->conn, "SELECT EXISTS (SELECT 1 FROM sessions WHERE id = $1::int)", 1, params, &there,
                         err, "looking for the session")))
        return rc;
    if (!there)
        return ys_fail(err, YS_NOT_FOUND, "session", "database %s has no session %lld", PQdb(st->conn),
                       (long long)st->session);
    if (!st->readonly && (rc = take_lock(st, err)))
        return rc;
    if (!(flags & YS_STORE_CREATE))
        return YS_OK;
    if ((rc = query_true(st->conn, "SELECT EXISTS (SELECT 1 FROM events WHERE session_id = $1::int)", 1, params,
                         &there, err, "looking for the session's log")))
        return rc;
    return there ? ys_fail(err, YS_CONFLICT, "session", "session %lld of database %s already holds a log",
                           (long long)st->session, PQdb(st->conn))
                 : YS_OK;
}

ys_rc ys__pg_open(const char *locator, int flags, ys_store **out, ys_err *err)
{
    pg_store *st = NULL;
    ys_rc rc = new_store(locator, flags, &st, err);
    if (rc)
        return rc;
    if ((rc = open_schema(st, flags, err)) || (rc = open_session(st, flags, err)) || (rc = prepare_reads(st, err)) ||
        (!st->readonly && (rc = prepare_writes(st, err)))) {
        pg_close(&st->base);
        return rc;
    }
    st->prepared = true;
    *out = &st->base;
    return YS_OK;
}

/* Reads the results of what the pipeline sent, up to the sync that ends them, keeping the first failure (the
 * statements after it were aborted: PostgreSQL skips to the sync). Leaves the connection out of pipeline mode. */
static ys_rc drain(pg_store *st, ys_err *err)
{
    if (PQpipelineStatus(st->conn) == PQ_PIPELINE_OFF)
        return YS_OK;
    bool synced = !st->queued || PQpipelineSync(st->conn);
    while (synced && st->queued && PQstatus(st->conn) == CONNECTION_OK) {
        PGresult *res = PQgetResult(st->conn);
        if (!res)
            continue; /* the end of one statement's results */
        ExecStatusType s = PQresultStatus(res);
        if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK)
            snprintf(st->last_status, sizeof st->last_status, "%s", PQcmdStatus(res));
        else if (s != PGRES_PIPELINE_SYNC && s != PGRES_PIPELINE_ABORTED && !st->failed)
            st->failed = ys__pg_fail(st->conn, res, &st->failure, "writing a batch");
        PQclear(res);
        if (s == PGRES_PIPELINE_SYNC)
            st->queued = 0;
    }
    if (st->queued && !st->failed)
        st->failed = ys__pg_fail(st->conn, NULL, &st->failure, "writing a batch");
    st->queued = 0;
    PQexitPipelineMode(st->conn);
    if (st->failed && err)
        *err = st->failure;
    return st->failed;
}

static void pg_rollback(ys_store *base)
{
    pg_store *st = (pg_store *)base;
    if (st->conn) {
        drain(st, NULL);
        if (PQtransactionStatus(st->conn) != PQTRANS_IDLE)
            run(st->conn, "ROLLBACK", NULL, NULL);
    }
    st->in_txn = false;
    st->failed = YS_OK;
}

/* The session's lock is let go of before the connection ends: the server ends a connection's backend, and
 * with it its locks, only a moment after the client has gone, and a writer that closes and opens again (or
 * hands the session to another) must find it free. A scratch store's transaction goes with its rollback. */
static void pg_close(ys_store *base)
{
    pg_store *st = (pg_store *)base;
    if (st->in_txn)
        pg_rollback(base);
    if (st->locked) {
        const char *params[] = {st->session_text};
        bool let_go;
        query_true(st->conn, "SELECT pg_advisory_unlock(" TEXT(LOCK_CLASS) ", $1::int)", 1, params, &let_go, NULL, "");
    }
    PQfinish(st->conn);
    ys_free(st->conninfo);
    ys_free(st->locator);
    ys_free(st->congress);
    ys_free(st->organisation);
    ys_free(st);
}

static ys_rc pg_scratch(ys_store *like, ys_store **out, ys_err *err)
{
    pg_store *model = (pg_store *)like, *st = NULL;
    ys_rc rc = new_store(model->conninfo, 0, &st, err);
    if (rc)
        return rc;
    st->schema_version = model->schema_version;
    if (!(rc = run(st->conn, "BEGIN", err, "beginning a scratch session"))) {
        st->in_txn = true;
        rc = insert_session(st, true, err);
    }
    if (!rc)
        rc = prepare_reads(st, err);
    if (!rc)
        rc = prepare_writes(st, err);
    if (rc) {
        pg_close(&st->base);
        return rc;
    }
    st->prepared = true;
    *out = &st->base;
    return YS_OK;
}

bool ys__pg_exists(const char *locator)
{
    pg_store *st = NULL;
    int version = -1;
    bool there = false;
    if (new_store(locator, YS_STORE_READONLY, &st, NULL))
        return false;
    if (st->session && !ys__pg_read_version(st->conn, &version, NULL) && version >= 0) {
        const char *params[] = {st->session_text};
        query_true(st->conn, "SELECT EXISTS (SELECT 1 FROM sessions WHERE id = $1::int)", 1, params, &there, NULL, "");
    }
    pg_close(&st->base);
    return there;
}

/* Every row of the session goes with its row in sessions (ON DELETE CASCADE); the log's trigger lets this
 * one session's events go because yishi.discard names it. */
ys_rc ys__pg_discard(const char *locator, ys_err *err)
{
    pg_store *st = NULL;
    int version = -1;
    bool free_to_go = false;
    char sql[160];
    ys_rc rc = new_store(locator, 0, &st, err);
    if (rc)
        return rc;
    if (!st->session)
        rc = ys_fail(err, YS_INVALID, "session", "a PostgreSQL locator names its session: add session=ID to the URI");
    if (!rc && !(rc = ys__pg_read_version(st->conn, &version, err)) && version >= 0) {
        const char *params[] = {st->session_text};
        snprintf(sql, sizeof sql, "SET LOCAL yishi.discard = '%lld'; DELETE FROM sessions WHERE id = %lld",
                 (long long)st->session, (long long)st->session);
        if (!(rc = run(st->conn, "BEGIN", err, "removing a session")))
            rc = query_true(st->conn, "SELECT pg_try_advisory_xact_lock(" TEXT(LOCK_CLASS) ", $1::int)", 1, params,
                            &free_to_go, err, "locking the session");
        if (!rc && !free_to_go)
            rc = ys_fail(err, YS_CONFLICT, "session", "session %lld is open for writing; it is not removed while it is",
                         (long long)st->session);
        if (!rc && !(rc = run(st->conn, sql, err, "removing a session")))
            rc = run(st->conn, "COMMIT", err, "removing a session");
        if (rc)
            run(st->conn, "ROLLBACK", NULL, NULL);
    }
    pg_close(&st->base);
    return rc;
}

int ys__pg_schema_latest(void) { return N_MIGRATIONS; }

/* The sessions that hold a log (a session whose create failed half-way holds none, and is not one). */
ys_rc ys__pg_list_sessions(const char *url, ys_store_session_fn fn, void *ud, ys_err *err)
{
    char *conninfo = NULL;
    int64_t session = 0;
    int version = -1;
    PGconn *conn = NULL;
    ys_rc rc = ys__pg_split_locator(url, &conninfo, &session, NULL, NULL, err);
    if (!rc)
        rc = ys__pg_connect(conninfo, true, &conn, err);
    if (!rc && !(rc = ys__pg_read_version(conn, &version, err)) && version < 0)
        rc = ys_fail(err, YS_NOT_FOUND, "store", "database %s holds no yishi sessions (create one with yishi init)",
                     PQdb(conn));
    PGresult *res = NULL;
    if (!rc) {
        res = PQexec(conn, "SELECT s.id, coalesce(c.name, '') FROM sessions s LEFT JOIN congresses c"
                     " ON c.id = s.congress_id WHERE EXISTS (SELECT 1 FROM events e WHERE e.session_id = s.id)"
                     " ORDER BY s.id");
        if ((rc = check(conn, res, err, "listing the sessions")))
            res = NULL; /* check cleared it */
    }
    for (int i = 0; !rc && i < PQntuples(res); i++)
        rc = fn(strtoll(PQgetvalue(res, i, 0), NULL, 10), PQgetvalue(res, i, 1), ud, err);
    PQclear(res);
    PQfinish(conn);
    ys_free(conninfo);
    return rc;
}

static int pg_schema_version(const ys_store *base) { return ((const pg_store *)base)->schema_version; }
static int64_t pg_session(const ys_store *base) { return ((const pg_store *)base)->session; }
static const char *pg_locator(const ys_store *base) { return ((const pg_store *)base)->locator; }

static ys_rc pg_backup(ys_store *base, const char *out, ys_err *err)
{
    (void)base;
    return ys_fail(err, YS_UNSUPPORTED, "store", "a backup to %s is an SQLite file's; a PostgreSQL database is backed "
                   "up with pg_dump or pg_basebackup, and one session goes to a file with yishi export-session", out);
}

/* A connection lost between batches (PostgreSQL restarted, or failed over to a standby that a URI with several
 * hosts and target_session_attrs=read-write finds) is made again when the store is next used: the same
 * settings, the statements prepared again, and a writer's lock on the session taken again, which is refused if
 * another writer took it meanwhile. Within a batch a lost connection fails the batch, whose commit nobody was
 * told of; the journal then replays the log from the database (reload), and that read reconnects. */
static ys_rc reconnect(pg_store *st, ys_err *err)
{
    PGconn *conn = NULL;
    if (st->conn && PQstatus(st->conn) == CONNECTION_OK && st->prepared)
        return YS_OK;
    ys_rc rc = ys__pg_connect(st->conninfo, st->readonly, &conn, err);
    if (rc)
        return rc;
    PQfinish(st->conn);
    st->conn = conn;
    st->locked = false;
    st->queued = 0;
    if ((!st->readonly && (rc = take_lock(st, err))) || (rc = prepare_reads(st, err)) ||
        (!st->readonly && (rc = prepare_writes(st, err))))
        return rc;
    st->prepared = true;
    return YS_OK;
}

/* A read of the writer's own within a batch sees what the batch wrote: the pipeline is read to its end first.
 * Outside a batch, a lost connection is made again. */
static ys_rc settle(pg_store *st, ys_err *err) { return st->in_txn ? drain(st, err) : reconnect(st, err); }

/* ---- writing ---- */

/* A reader's transaction is a snapshot: every statement in it sees the database as the first did. */
static ys_rc pg_begin(ys_store *base, ys_err *err)
{
    pg_store *st = (pg_store *)base;
    ys_rc rc = reconnect(st, err);
    if (!rc)
        rc = run(st->conn, st->readonly ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN", err,
                 "beginning a batch");
    st->failed = YS_OK;
    if (!rc)
        st->in_txn = true;
    return rc;
}

/* One statement of a batch, into the pipeline: its result is read at the next sync, so that a batch costs a
 * round trip per PIPELINE_DEPTH statements rather than one each. Outside a batch it runs at once. */
static ys_rc send(pg_store *st, const char *name, int n, const char *const *values, const int *lengths,
                  const int *formats, ys_err *err, const char *what)
{
    if (!st->in_txn) {
        PGresult *res = PQexecPrepared(st->conn, name, n, values, lengths, formats, 0);
        ys_rc rc = check(st->conn, res, err, what);
        if (!rc)
            PQclear(res);
        return rc;
    }
    if (st->failed) /* PostgreSQL would skip it: the batch fails at its end */
        return YS_OK;
    if (PQpipelineStatus(st->conn) == PQ_PIPELINE_OFF && !PQenterPipelineMode(st->conn))
        return ys__pg_fail(st->conn, NULL, err, what);
    if (!PQsendQueryPrepared(st->conn, name, n, values, lengths, formats, 0))
        return ys__pg_fail(st->conn, NULL, err, what);
    return ++st->queued < PIPELINE_DEPTH ? YS_OK : drain(st, err);
}

/* The batch's statements and COMMIT go in one pipeline. COMMIT of a transaction that failed on the way answers
 * ROLLBACK, not an error: only "COMMIT" is success. */
static ys_rc pg_commit(ys_store *base, ys_err *err)
{
    pg_store *st = (pg_store *)base;
    st->last_status[0] = '\0';
    ys_rc rc = st->failed ? st->failed : send(st, "commit", 0, NULL, NULL, NULL, err, "committing");
    if (!rc)
        rc = drain(st, err);
    else if (st->failed && err)
        *err = st->failure;
    if (!rc && strcmp(st->last_status, "COMMIT") != 0)
        rc = ys_fail(err, YS_STORE, NULL, "committing: PostgreSQL rolled the batch back (%s)", st->last_status);
    if (rc)
        pg_rollback(base);
    st->in_txn = false;
    st->failed = YS_OK;
    return rc;
}

static ys_rc project(pg_store *st, const ys_event *ev, ys_err *err)
{
    const ys_event_type *t = ys_event_type_of(ev->type);
    if (!t || t->vote == YS_VOTE_BALLOT)
        return ys_fail(err, YS_STORE, "type", "no projection for event type '%s'", ev->type);
    size_t i = (size_t)(t - ys_event_types);
    const char *const values[] = {ev->payload_text, ev->time, st->session_text};
    for (size_t k = 0; k < YS_PG_PROJ_MAX && ys_pg_projections[i][k]; k++) {
        char name[24];
        snprintf(name, sizeof name, "p%zu_%zu", i, k);
        ys_rc rc = send(st, name, 3, values, NULL, NULL, err, ev->type);
        if (rc)
            return rc;
    }
    return YS_OK;
}

static ys_rc pg_append(ys_store *base, const ys_event *ev, ys_err *err)
{
    pg_store *st = (pg_store *)base;
    char seq[24], prev[YS_HASH_HEX], hash[YS_HASH_HEX];
    if (!st->in_txn)
        return ys_fail(err, YS_STORE, NULL, "append outside a transaction");
    snprintf(seq, sizeof seq, "%lld", (long long)ev->seq);
    ys_hash_hex(ev->prev_hash, prev);
    ys_hash_hex(ev->hash, hash);
    const char *const values[] = {st->session_text, seq, ev->time, ev->actor, ev->type, ev->payload_text, prev, hash};
    ys_rc rc = send(st, "event", 8, values, NULL, NULL, err, "appending to the session log");
    return rc ? rc : project(st, ev, err);
}

static ys_rc pg_checkpoint(ys_store *base, int64_t seq, int version, const uint8_t digest[YS_HASH_BYTES], ys_err *err)
{
    pg_store *st = (pg_store *)base;
    char seq_text[24], version_text[16], hex[YS_HASH_HEX];
    snprintf(seq_text, sizeof seq_text, "%lld", (long long)seq);
    snprintf(version_text, sizeof version_text, "%d", version);
    ys_hash_hex(digest, hex);
    const char *const values[] = {st->session_text, seq_text, hex, version_text};
    return send(st, "checkpoint", 4, values, NULL, NULL, err, "writing a checkpoint");
}

static ys_rc pg_put_blob(ys_store *base, const char *hash_hex, const void *data, size_t len, ys_err *err)
{
    pg_store *st = (pg_store *)base;
    char size[24];
    if (len > INT_MAX)
        return ys_fail(err, YS_TOO_LARGE, "content", "a document of %zu bytes is more than PostgreSQL takes", len);
    snprintf(size, sizeof size, "%zu", len);
    const char *const values[] = {st->session_text, hash_hex, size, data ? data : ""}; /* NULL would be SQL NULL */
    const int lengths[] = {0, 0, 0, (int)len}, formats[] = {0, 0, 0, 1};
    return send(st, "put_blob", 4, values, lengths, formats, err, "storing a document");
}

static ys_rc pg_put_sealed(ys_store *base, const ys_event *sealed, int64_t ref, ys_err *err)
{
    pg_store *st = (pg_store *)base;
    char id[YS_HASH_HEX], ref_text[24];
    if (!st->in_txn)
        return ys_fail(err, YS_STORE, NULL, "sealed ballot outside a transaction");
    ys_hash_hex(sealed->hash, id);
    snprintf(ref_text, sizeof ref_text, "%lld", (long long)ref);
    const char *const values[] = {st->session_text, id, sealed->type, ref_text, sealed->payload_text};
    return send(st, "seal", 5, values, NULL, NULL, err, "putting a ballot into the box");
}

/* ---- reading ---- */

/* One page of a scan: rows after `after` (a seq or a ballot's id, as text). */
static PGresult *page(pg_store *st, const char *name, const char *after, ys_err *err, const char *what)
{
    const char *const values[] = {st->session_text, after};
    if (settle(st, err))
        return NULL;
    PGresult *res = PQexecPrepared(st->conn, name, 2, values, NULL, NULL, 0);
    return check(st->conn, res, err, what) ? NULL : res;
}

static ys_rc read_event(const PGresult *res, int row, ys_event *ev, ys_err *err)
{
    char what[64];
    memset(ev, 0, sizeof *ev);
    ev->seq = strtoll(PQgetvalue(res, row, 0), NULL, 10);
    snprintf(ev->time, sizeof ev->time, "%s", PQgetvalue(res, row, 1));
    snprintf(ev->actor, sizeof ev->actor, "%s", PQgetvalue(res, row, 2));
    snprintf(ev->type, sizeof ev->type, "%s", PQgetvalue(res, row, 3));
    if (ys_hash_from_hex(PQgetvalue(res, row, 5), ev->prev_hash) || ys_hash_from_hex(PQgetvalue(res, row, 6), ev->hash))
        return ys_fail(err, YS_CORRUPT, "hash", "event %lld has a malformed hash", (long long)ev->seq);
    snprintf(what, sizeof what, "event %lld's payload", (long long)ev->seq);
    return ys__store_load_payload(ev, PQgetvalue(res, row, 4), what, err);
}

static ys_rc pg_scan(ys_store *base, int64_t after, ys_store_event_fn fn, void *ud, ys_err *err)
{
    pg_store *st = (pg_store *)base;
    ys_rc rc = YS_OK;
    for (int n = PAGE_ROWS; !rc && n == PAGE_ROWS;) {
        char from[24];
        snprintf(from, sizeof from, "%lld", (long long)after);
        PGresult *res = page(st, "scan", from, err, "reading the session log");
        if (!res)
            return err ? err->rc : YS_STORE;
        n = PQntuples(res);
        for (int i = 0; !rc && i < n; i++) {
            ys_event ev;
            rc = read_event(res, i, &ev, err);
            if (!rc)
                rc = fn(&ev, ud, err);
            after = ev.seq;
            ys_event_clear(&ev);
        }
        PQclear(res);
    }
    return rc;
}

static ys_rc pg_scan_sealed(ys_store *base, ys_store_event_fn fn, void *ud, ys_err *err)
{
    pg_store *st = (pg_store *)base;
    char after[YS_HASH_HEX] = "";
    ys_rc rc = YS_OK;
    for (int n = PAGE_ROWS; !rc && n == PAGE_ROWS;) {
        PGresult *res = page(st, "box", after, err, "reading the ballot box");
        if (!res)
            return err ? err->rc : YS_STORE;
        n = PQntuples(res);
        for (int i = 0; !rc && i < n; i++) {
            ys_event ev = {.sealed = true};
            snprintf(ev.type, sizeof ev.type, "%s", PQgetvalue(res, i, 1));
            snprintf(after, sizeof after, "%s", PQgetvalue(res, i, 0));
            if (ys_hash_from_hex(after, ev.hash))
                rc = ys_fail(err, YS_CORRUPT, "ballot_box", "a ballot in the box has a malformed id");
            else
                rc = ys__store_load_payload(&ev, PQgetvalue(res, i, 2), "a ballot in the box", err);
            if (!rc)
                rc = fn(&ev, ud, err);
            ys_event_clear(&ev);
        }
        PQclear(res);
    }
    return rc;
}

static ys_rc pg_scan_checkpoints(ys_store *base, ys_store_checkpoint_fn fn, void *ud, ys_err *err)
{
    pg_store *st = (pg_store *)base;
    const char *const values[] = {st->session_text};
    ys_rc rc = settle(st, err);
    if (rc)
        return rc;
    PGresult *res = PQexecPrepared(st->conn, "cps", 1, values, NULL, NULL, 0);
    if ((rc = check(st->conn, res, err, "reading checkpoints")))
        return rc;
    for (int i = 0; !rc && i < PQntuples(res); i++) {
        uint8_t digest[YS_HASH_BYTES];
        int64_t seq = strtoll(PQgetvalue(res, i, 0), NULL, 10);
        if (ys_hash_from_hex(PQgetvalue(res, i, 1), digest))
            rc = ys_fail(err, YS_CORRUPT, "checkpoint", "checkpoint at event %lld is malformed", (long long)seq);
        else
            rc = fn(seq, atoi(PQgetvalue(res, i, 2)), digest, ud, err);
    }
    PQclear(res);
    return rc;
}

static ys_rc pg_get_blob(ys_store *base, const char *hash_hex, char **data, size_t *len, ys_err *err)
{
    pg_store *st = (pg_store *)base;
    const char *const values[] = {st->session_text, hash_hex};
    ys_rc rc = settle(st, err);
    if (rc)
        return rc;
    PGresult *res = PQexecPrepared(st->conn, "blob", 2, values, NULL, NULL, 1); /* bytea as its bytes */
    rc = check(st->conn, res, err, "reading a document");
    if (rc)
        return rc;
    if (PQntuples(res) == 0) {
        rc = ys_fail(err, YS_NOT_FOUND, "hash", "no content with hash %.64s", hash_hex);
    } else {
        size_t n = (size_t)PQgetlength(res, 0, 0);
        if (!(*data = ys_malloc(n + 1))) {
            rc = ys_fail(err, YS_NOMEM, NULL, "out of memory reading a document");
        } else {
            memcpy(*data, PQgetvalue(res, 0, 0), n);
            (*data)[n] = '\0';
            *len = n;
        }
    }
    PQclear(res);
    return rc;
}

/* In pages of 64 (documents may be large), each page's contents as their bytes. */
static ys_rc pg_scan_blobs(ys_store *base, ys_store_blob_fn fn, void *ud, ys_err *err)
{
    pg_store *st = (pg_store *)base;
    char after[YS_HASH_HEX + 64] = "";
    ys_rc rc = settle(st, err);
    for (int n = 64; !rc && n == 64;) {
        const char *const values[] = {st->session_text, after};
        const int formats[] = {0, 0};
        PGresult *res = PQexecPrepared(st->conn, "blobs", 2, values, NULL, formats, 1);
        if ((rc = check(st->conn, res, err, "reading the documents")))
            return rc;
        n = PQntuples(res);
        for (int i = 0; !rc && i < n; i++) {
            /* the hash comes back as text's bytes, without a NUL in the binary format */
            snprintf(after, sizeof after, "%.*s", PQgetlength(res, i, 0), PQgetvalue(res, i, 0));
            rc = fn(after, PQgetvalue(res, i, 1), (size_t)PQgetlength(res, i, 1), ud, err);
        }
        PQclear(res);
    }
    return rc;
}

/* ---- verify's comparison ---- */

static PGresult *session_rows(pg_store *st, size_t table, ys_err *err)
{
    char sql[200];
    const char *const values[] = {st->session_text};
    if (settle(st, err))
        return NULL;
    snprintf(sql, sizeof sql, "SELECT * FROM %s WHERE session_id = $1 ORDER BY %s", ys_pg_projection_tables[table].table,
             ys_pg_projection_tables[table].order);
    PGresult *res = PQexecParams(st->conn, sql, 1, NULL, values, NULL, NULL, 0);
    return check(st->conn, res, err, "reading a projection table") ? NULL : res;
}

/* The rows as text, column by column but for session_id, which differs between the two sessions. */
static ys_rc compare_rows(const PGresult *a, const PGresult *b, const char *table, ys_err *err)
{
    int na = PQntuples(a), nb = PQntuples(b);
    for (int row = 0; row < na && row < nb; row++)
        for (int c = 0; c < PQnfields(a); c++) {
            if (strcmp(PQfname(a, c), "session_id") == 0)
                continue;
            const char *va = PQgetisnull(a, row, c) ? NULL : PQgetvalue(a, row, c);
            const char *vb = PQgetisnull(b, row, c) ? NULL : PQgetvalue(b, row, c);
            if ((va == NULL) != (vb == NULL) || (va && strcmp(va, vb) != 0))
                return ys__projection_differs(err, table, row + 1, PQfname(a, c), va, vb);
        }
    return na == nb ? YS_OK : ys__projection_rows(err, table, na > nb, (na < nb ? na : nb) + 1);
}

static ys_rc pg_compare_projections(ys_store *base, ys_store *other, ys_err *err)
{
    pg_store *st = (pg_store *)base, *fresh = (pg_store *)other;
    ys_rc rc = YS_OK;
    for (size_t i = 0; !rc && i < sizeof ys_pg_projection_tables / sizeof *ys_pg_projection_tables; i++) {
        ys_err why = {0};
        PGresult *a = session_rows(st, i, &why), *b = a ? session_rows(fresh, i, &why) : NULL;
        if (!a || !b)
            rc = ys_fail(err, YS_CORRUPT, ys_pg_projection_tables[i].table, "projection table %s cannot be read: %s",
                         ys_pg_projection_tables[i].table, why.msg);
        else
            rc = compare_rows(a, b, ys_pg_projection_tables[i].table, err);
        PQclear(a);
        PQclear(b);
    }
    return rc;
}

static const ys__store_ops pg_ops = {
    .name = "postgresql",
    .close = pg_close,
    .backup = pg_backup,
    .scratch = pg_scratch,
    .begin = pg_begin,
    .append = pg_append,
    .checkpoint = pg_checkpoint,
    .put_blob = pg_put_blob,
    .get_blob = pg_get_blob,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .scan = pg_scan,
    .put_sealed = pg_put_sealed,
    .scan_sealed = pg_scan_sealed,
    .scan_checkpoints = pg_scan_checkpoints,
    .scan_blobs = pg_scan_blobs,
    .compare_projections = pg_compare_projections,
    .schema_version = pg_schema_version,
    .session = pg_session,
    .locator = pg_locator,
};
