/* hall_sqlite.c — the limit of the disk and SQLite for a vote: the rows one anonymous ballot becomes in a
 * session file (its event, its sealed ballot, its projection) and a checkpoint per batch, one sync each batch. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hall_http.h"
#include "hall_setup.h"

double hall_sqlite_limit(const char *dir, int rows, int batch);

static const char schema[] =
    "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
    "CREATE TABLE events(seq INTEGER PRIMARY KEY, time TEXT NOT NULL, actor TEXT NOT NULL,"
    "  type TEXT NOT NULL, payload TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"
    "CREATE TABLE checkpoints(seq INTEGER PRIMARY KEY, state_digest TEXT NOT NULL);"
    "CREATE TABLE ballot_box(id TEXT PRIMARY KEY, kind TEXT NOT NULL, ref INTEGER NOT NULL,"
    "  content TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE poll_votes(poll_id INTEGER NOT NULL, delegate_id INTEGER NOT NULL, choice TEXT,"
    "  time TEXT NOT NULL, PRIMARY KEY (poll_id, delegate_id));";

static void hex(char *out, int n)
{
    static const char d[] = "0123456789abcdef";
    for (int i = 0; i < n; i++)
        out[i] = d[rand() & 15];
    out[n] = '\0';
}

static void step(sqlite3 *db, sqlite3_stmt *q)
{
    if (sqlite3_step(q) != SQLITE_DONE)
        hall_die("sqlite: %s", sqlite3_errmsg(db));
    sqlite3_reset(q);
}

/* The rows of ballot i: the poll.cast event, the sealed ballot, the poll_votes projection. */
static void ballot(sqlite3 *db, sqlite3_stmt *const *q, int i)
{
    char payload[64], actor[32], h1[65], h2[65], id[65];
    snprintf(payload, sizeof payload, "{\"delegate\":%d,\"poll\":1}", i + 1);
    snprintf(actor, sizeof actor, "delegate:D%06d", i + 1);
    hex(h1, 64), hex(h2, 64), hex(id, 64);
    sqlite3_bind_int64(q[0], 1, i + 1);
    sqlite3_bind_text(q[0], 2, "2026-12-01T09:00:00.000Z", -1, SQLITE_STATIC);
    sqlite3_bind_text(q[0], 3, actor, -1, SQLITE_STATIC);
    sqlite3_bind_text(q[0], 4, "poll.cast", -1, SQLITE_STATIC);
    sqlite3_bind_text(q[0], 5, payload, -1, SQLITE_STATIC);
    sqlite3_bind_text(q[0], 6, h1, -1, SQLITE_STATIC);
    sqlite3_bind_text(q[0], 7, h2, -1, SQLITE_STATIC);
    step(db, q[0]);
    sqlite3_bind_text(q[1], 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(q[1], 2, "poll.ballot", -1, SQLITE_STATIC);
    sqlite3_bind_int(q[1], 3, 1);
    sqlite3_bind_text(q[1], 4, "{\"choice\":\"yes\",\"poll\":1}", -1, SQLITE_STATIC);
    step(db, q[1]);
    sqlite3_bind_int(q[2], 1, i + 1);
    sqlite3_bind_text(q[2], 2, "2026-12-01T09:00:00.000Z", -1, SQLITE_STATIC);
    step(db, q[2]);
}

/* Rows per second for `rows` ballots committed `batch` at a time, in a fresh file in dir. */
double hall_sqlite_limit(const char *dir, int rows, int batch)
{
    char path[400], digest[65];
    sqlite3 *db = NULL;
    sqlite3_stmt *q[4] = {NULL};
    static const char *const sql[4] = {"INSERT INTO events VALUES (?,?,?,?,?,?,?)",
                                       "INSERT INTO ballot_box VALUES (?,?,?,?)",
                                       "INSERT INTO poll_votes VALUES (1,?,NULL,?)",
                                       "INSERT INTO checkpoints VALUES (?,?)"};
    snprintf(path, sizeof path, "%s/limit.db", dir);
    hall_sh("rm -f '%s' '%s-wal' '%s-shm'", path, path, path);
    if (sqlite3_open(path, &db) != SQLITE_OK || sqlite3_exec(db, schema, NULL, NULL, NULL) != SQLITE_OK)
        hall_die("sqlite: %s", sqlite3_errmsg(db));
    for (int k = 0; k < 4; k++)
        if (sqlite3_prepare_v2(db, sql[k], -1, &q[k], NULL) != SQLITE_OK)
            hall_die("sqlite: %s", sqlite3_errmsg(db));
    double t0 = hc_now();
    for (int i = 0; i < rows;) {
        sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
        for (int k = 0; k < batch && i < rows; k++, i++)
            ballot(db, q, i);
        hex(digest, 64);
        sqlite3_bind_int64(q[3], 1, i);
        sqlite3_bind_text(q[3], 2, digest, -1, SQLITE_STATIC);
        step(db, q[3]);
        if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
            hall_die("sqlite: %s", sqlite3_errmsg(db));
    }
    double rate = rows / (hc_now() - t0);
    printf("sqlite      %d ballots in batches of %d: %.0f ballots/s\n", rows, batch, rate);
    for (int k = 0; k < 4; k++)
        sqlite3_finalize(q[k]);
    sqlite3_close(db);
    hall_sh("rm -f '%s' '%s-wal' '%s-shm'", path, path, path);
    return rate;
}
