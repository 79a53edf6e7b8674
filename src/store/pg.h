/* pg.h — what the PostgreSQL store (postgres.c) shares with the logins kept beside it (auth_pg.c): the
 * locator taken apart, a connection set up as the store's are, and PostgreSQL's failures as yishi's. Internal
 * to src/store. */
#ifndef YS_STORE_PG_H
#define YS_STORE_PG_H

#include "yishi/error.h"

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

/* The URI without yishi's own parameters (ys_malloc'd into *conninfo), the session it names (0: none) and,
 * if `congress` is not NULL, the congress a session made by a create joins (`congress=NAME`) and the
 * organisation that congress belongs to (`organisation=NAME`), each percent-decoded, NULL when none is named
 * (ys_free them). An organisation without a congress is refused. */
ys_rc ys__pg_split_locator(const char *locator, char **conninfo, int64_t *session, char **congress,
                           char **organisation, ys_err *err);
/* A connection whose commits are durable before COMMIT returns, in UTF-8, named "yishi pid N". */
ys_rc ys__pg_connect(const char *conninfo, bool readonly, PGconn **out, ys_err *err);
/* A lost connection is YS_IO, a full disk YS_DISK_FULL, the rest YS_STORE; with PostgreSQL's message. */
ys_rc ys__pg_fail(PGconn *conn, const PGresult *res, ys_err *err, const char *what);
/* The database's yishi schema version, -1 when it has none. */
ys_rc ys__pg_read_version(PGconn *conn, int *version, ys_err *err);
/* The version this program migrates a database to. */
int ys__pg_schema_latest(void);

#endif
