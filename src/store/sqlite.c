/* sqlite.c — the SQLite backend of the store: a session file in WAL mode with synchronous=FULL,
 * an append-only events table, checkpoints, blobs, and projection tables written in the same
 * transaction as the events they come from. */
#include "store/backend.h"
#include "store/schema_sqlite.h"
#include "yishi/alloc.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#define YS_APPLICATION_ID 0x59534849 /* "YSHI": marks a file as a yishi session */
#define NO_ROOM_MARGIN (64u << 10) /* bytes: less room than this is none, for a batch of pages */
#define N_MIGRATIONS (int)(sizeof ys_sqlite_migrations / sizeof ys_sqlite_migrations[0])

typedef struct sq_store {
    ys_store base;
    sqlite3 *db;
    ys_store_lock *lock;         /* held while open for writing: one writer per file */
    int schema_version;
    bool in_txn;
    sqlite3_stmt *insert_event, *insert_checkpoint, *insert_blob, *insert_sealed;
    sqlite3_stmt *projection[YS_EV_N][YS_PROJ_MAX]; /* by event type, from schema_sqlite.h */
    sqlite3_stmt *scan_events, *get_blob; /* prepared on first use: a reader keeps them for its life */
    char *path;
} sq_store;

/* No room to write: a full file system, or a file of the session at the file-size limit (ulimit -f). */
static bool no_room(sq_store *st)
{
    const char *path = sqlite3_db_filename(st->db, "main");
    char wal[4200];
    struct rlimit lim;
    struct statvfs fs;
    struct stat a, b;
    if (!path || !*path)
        return false;
    snprintf(wal, sizeof wal, "%s-wal", path);
    if (getrlimit(RLIMIT_FSIZE, &lim) == 0 && lim.rlim_cur != RLIM_INFINITY &&
        ((stat(path, &a) == 0 && (rlim_t)a.st_size + NO_ROOM_MARGIN >= lim.rlim_cur) ||
         (stat(wal, &b) == 0 && (rlim_t)b.st_size + NO_ROOM_MARGIN >= lim.rlim_cur)))
        return true;
    return statvfs(path, &fs) == 0 && (uint64_t)fs.f_bavail * fs.f_frsize < NO_ROOM_MARGIN;
}

/* A full disk, a quota, or a file-size limit is the same to whoever wrote: nothing was written, and it
 * may work later. SQLite says SQLITE_FULL only for a short write; a write refused whole (EFBIG past
 * ulimit -f, ENOSPC) comes back as an I/O error without its errno, so then the files are looked at. */
static ys_rc db_rc(sq_store *st)
{
    int code = sqlite3_extended_errcode(st->db);
    if ((code & 0xff) == SQLITE_FULL || ((code & 0xff) == SQLITE_IOERR && no_room(st)))
        return YS_DISK_FULL;
    return YS_STORE;
}

static ys_rc db_fail(sq_store *st, ys_err *err, const char *what)
{
    return ys_fail(err, db_rc(st), NULL, "%s%s%s", what ? what : "", what ? ": " : "", sqlite3_errmsg(st->db));
}

static ys_rc exec(sq_store *st, const char *sql, ys_err *err)
{
    if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) == SQLITE_OK)
        return YS_OK;
    return db_fail(st, err, NULL);
}

static int pragma_int(sq_store *st, const char *sql)
{
    sqlite3_stmt *q = NULL;
    int v = -1;
    if (sqlite3_prepare_v2(st->db, sql, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
        v = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    return v;
}

static ys_rc prepare(sq_store *st, const char *sql, sqlite3_stmt **q, ys_err *err)
{
    if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, q, NULL) != SQLITE_OK)
        return db_fail(st, err, "preparing a statement");
    return YS_OK;
}

static ys_rc step_done(sq_store *st, sqlite3_stmt *q, ys_err *err, const char *what)
{
    int r = sqlite3_step(q);
    ys_rc rc = r == SQLITE_DONE ? YS_OK : db_fail(st, err, what);
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    return rc;
}

static ys_rc prepare_all(sq_store *st, ys_err *err)
{
    ys_rc rc;
    if ((rc = prepare(st, "INSERT INTO events VALUES (?,?,?,?,?,?,?)", &st->insert_event, err)) ||
        (rc = prepare(st, "INSERT INTO checkpoints (seq, state_digest, digest_version) VALUES (?,?,?)",
                             &st->insert_checkpoint, err)) ||
        (rc = prepare(st, "INSERT OR IGNORE INTO blobs VALUES (?,?,?)", &st->insert_blob, err)) ||
        (rc = prepare(st, "INSERT INTO ballot_box VALUES (?,?,?,?)", &st->insert_sealed, err)))
        return rc;
    for (size_t i = 0; i < YS_EV_N; i++)
        for (size_t k = 0; k < YS_PROJ_MAX && ys_sqlite_projections[i][k]; k++)
            if ((rc = prepare(st, ys_sqlite_projections[i][k], &st->projection[i][k], err)))
                return rc;
    return YS_OK;
}

/* Runs the projections a migration brought over the events already in the file, in order, for a file that
 * was of version `from`: ys_sqlite_backfills says which types. */
static ys_rc backfill(sq_store *st, int from, ys_err *err)
{
    bool due[YS_EV_N] = {false}, any = false;
    for (size_t b = 0; b < sizeof ys_sqlite_backfills / sizeof *ys_sqlite_backfills; b++)
        for (size_t i = 0; from < ys_sqlite_backfills[b].version && i < YS_EV_N; i++)
            any |= due[i] |= ys__backfill_names(ys_sqlite_backfills[b].types, ys_event_types[i].name);
    if (!any)
        return YS_OK;
    sqlite3_stmt *q = NULL;
    ys_rc rc = prepare(st, "SELECT type, payload, time FROM events ORDER BY seq", &q, err);
    int r = SQLITE_DONE;
    while (!rc && (r = sqlite3_step(q)) == SQLITE_ROW) {
        const ys_event_type *t = ys_event_type_of((const char *)sqlite3_column_text(q, 0));
        if (!t || !due[t - ys_event_types])
            continue;
        for (size_t k = 0; !rc && k < YS_PROJ_MAX && st->projection[t - ys_event_types][k]; k++) {
            sqlite3_stmt *p = st->projection[t - ys_event_types][k];
            sqlite3_bind_text(p, 1, (const char *)sqlite3_column_text(q, 1), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(p, 2, (const char *)sqlite3_column_text(q, 2), -1, SQLITE_TRANSIENT);
            rc = step_done(st, p, err, t->name);
        }
    }
    if (!rc && r != SQLITE_DONE)
        rc = db_fail(st, err, "reading the session log to fill the new tables");
    sqlite3_finalize(q);
    return rc;
}

/* Brings the file to the newest schema this program knows and prepares the statements: every migration
 * still to run and the backfill of their new tables in one transaction, so that the file is either of the
 * newest version with its tables filled or as it was. */
static ys_rc migrate(sq_store *st, ys_err *err)
{
    int from = st->schema_version;
    char bump[96];
    ys_rc rc;
    if (from == N_MIGRATIONS)
        return prepare_all(st, err);
    if ((rc = exec(st, "BEGIN IMMEDIATE", err)))
        return rc;
    for (int v = from; !rc && v < N_MIGRATIONS; v++)
        rc = exec(st, ys_sqlite_migrations[v], err);
    snprintf(bump, sizeof bump, "PRAGMA user_version = %d; PRAGMA application_id = %d;", N_MIGRATIONS,
             YS_APPLICATION_ID);
    if (rc || (rc = exec(st, bump, err)) || (rc = prepare_all(st, err)) || (rc = backfill(st, from, err)) ||
        (rc = exec(st, "COMMIT", err))) {
        exec(st, "ROLLBACK", NULL);
        return rc;
    }
    st->schema_version = N_MIGRATIONS;
    return YS_OK;
}

static ys_rc check_identity(sq_store *st, int flags, ys_err *err)
{
    int app = pragma_int(st, "PRAGMA application_id");
    int objects = pragma_int(st, "SELECT count(*) FROM sqlite_master");
    st->schema_version = pragma_int(st, "PRAGMA user_version");
    if (objects < 0 && sqlite3_errcode(st->db) == SQLITE_NOTADB)
        return ys_fail(err, YS_INVALID, "file", "%s is not a yishi session file (it is not an SQLite database)",
                       sqlite3_db_filename(st->db, "main"));
    if (objects < 0)
        return db_fail(st, err, "reading the file");
    if (objects == 0 && !(flags & YS_STORE_CREATE))
        return ys_fail(err, YS_NOT_FOUND, "file", "%s holds no session (create one with yishi init or yishi demo)",
                       sqlite3_db_filename(st->db, "main"));
    if (objects > 0 && app != YS_APPLICATION_ID)
        return ys_fail(err, YS_INVALID, "file", "%s is an SQLite file but not a yishi session",
                       sqlite3_db_filename(st->db, "main"));
    if (objects > 0 && (flags & YS_STORE_CREATE))
        return ys_fail(err, YS_CONFLICT, "file", "%s already holds a session", sqlite3_db_filename(st->db, "main"));
    if (st->schema_version > N_MIGRATIONS)
        return ys_fail(err, YS_INVALID, "file", "the session file has schema version %d; this yishi knows up to %d",
                       st->schema_version, N_MIGRATIONS);
    return YS_OK;
}

static const ys__store_ops sq_ops;
static void sq_close(ys_store *base);
static void sq_rollback(ys_store *base);
static ys_rc sq_begin(ys_store *base, ys_err *err);

ys_rc ys__sqlite_open(const char *path, int flags, ys_store **out, ys_err *err)
{
    sq_store *st = ys_calloc(1, sizeof *st);
    ys_rc rc = YS_NOMEM;
    int oflags = (flags & YS_STORE_READONLY) ? SQLITE_OPEN_READONLY
                 : (flags & YS_STORE_CREATE) ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
                                             : SQLITE_OPEN_READWRITE;
    *out = NULL;
    if (!st || !(st->path = ys_strdup(path))) {
        ys_free(st);
        return ys_fail(err, rc, NULL, "out of memory opening %s", path);
    }
    st->base.ops = &sq_ops;
    if (!(flags & YS_STORE_CREATE) && strcmp(path, ":memory:") != 0 && access(path, F_OK) != 0) {
        rc = ys_fail(err, YS_NOT_FOUND, "file", "no session file %s (create one with yishi init or yishi demo)", path);
        goto fail;
    }
    if (!(flags & YS_STORE_READONLY) && strcmp(path, ":memory:") != 0 &&
        (rc = ys_store_lock_take(path, &st->lock, err)))
        goto fail;

    if (sqlite3_open_v2(path, &st->db, oflags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        rc = db_fail(st, err, path);
        goto fail;
    }
    sqlite3_busy_timeout(st->db, 5000);
    sqlite3_extended_result_codes(st->db, 1);
    if ((rc = check_identity(st, flags, err)))
        goto fail;
    if (!(flags & YS_STORE_READONLY)) {
        /* WAL with FULL sync: a commit that returned is on disk, and readers never block the writer. */
        if ((rc = exec(st, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;", err)) ||
            (rc = migrate(st, err)))
            goto fail;
    } else if (st->schema_version != N_MIGRATIONS) {
        rc = ys_fail(err, YS_STATE, "file", "the session file needs a schema migration; open it once for writing");
        goto fail;
    }
    *out = &st->base;
    return YS_OK;
fail:
    sq_close(&st->base);
    return rc;
}

static void sq_close(ys_store *base)
{
    sq_store *st = (sq_store *)base;
    if (st->in_txn)
        sq_rollback(&st->base);
    sqlite3_finalize(st->insert_event);
    sqlite3_finalize(st->insert_checkpoint);
    sqlite3_finalize(st->insert_blob);
    sqlite3_finalize(st->insert_sealed);
    sqlite3_finalize(st->scan_events);
    sqlite3_finalize(st->get_blob);
    for (size_t i = 0; i < YS_EV_N; i++)
        for (size_t k = 0; k < YS_PROJ_MAX; k++)
            sqlite3_finalize(st->projection[i][k]);
    sqlite3_close(st->db);
    ys_store_lock_release(st->lock); /* after the close, which checkpoints the WAL into the file */
    ys_free(st->path);
    ys_free(st);
}

static int64_t sq_session(const ys_store *base)
{
    (void)base;
    return 0;
}

static const char *sq_locator(const ys_store *base) { return ((const sq_store *)base)->path; }

static ys_rc sq_scratch(ys_store *like, ys_store **out, ys_err *err)
{
    (void)like;
    ys_rc rc = ys__sqlite_open(":memory:", YS_STORE_CREATE, out, err);
    if (!rc && (rc = sq_begin(*out, err))) {
        sq_close(*out);
        *out = NULL;
    }
    return rc;
}

bool ys__sqlite_exists(const char *path) { return access(path, F_OK) == 0; }

ys_rc ys__sqlite_discard(const char *path, ys_err *err)
{
    static const char *const sides[] = {"", "-wal", "-shm"};
    char name[4096];
    for (size_t i = 0; i < sizeof sides / sizeof sides[0]; i++)
        if ((size_t)snprintf(name, sizeof name, "%s%s", path, sides[i]) < sizeof name && unlink(name) != 0 &&
            errno != ENOENT && i == 0)
            return ys_fail(err, YS_IO, "file", "cannot remove %s: %s", path, strerror(errno));
    return YS_OK;
}

static int sq_schema_version(const ys_store *base) { return ((const sq_store *)base)->schema_version; }

/* Compares two statements' rows column by column, as text; the first difference goes into err. */
static ys_rc compare_rows(sqlite3_stmt *a, sqlite3_stmt *b, const char *table, ys_err *err)
{
    for (long row = 1;; row++) {
        int ra = sqlite3_step(a), rb = sqlite3_step(b);
        if (ra == SQLITE_DONE && rb == SQLITE_DONE)
            return YS_OK;
        if (ra != SQLITE_ROW || rb != SQLITE_ROW)
            return ys__projection_rows(err, table, ra == SQLITE_ROW, row);
        for (int c = 0; c < sqlite3_column_count(a); c++) {
            const char *va = (const char *)sqlite3_column_text(a, c), *vb = (const char *)sqlite3_column_text(b, c);
            if ((va == NULL) != (vb == NULL) || (va && strcmp(va, vb) != 0))
                return ys__projection_differs(err, table, row, sqlite3_column_name(a, c), va, vb);
        }
    }
}

static ys_rc sq_compare_projections(ys_store *base, ys_store *other, ys_err *err)
{
    sq_store *st = (sq_store *)base, *fresh = (sq_store *)other;
    ys_rc rc = YS_OK;
    for (size_t i = 0; !rc && i < sizeof ys_sqlite_projection_tables / sizeof *ys_sqlite_projection_tables; i++) {
        char sql[160], table[48];
        sqlite3_stmt *a = NULL, *b = NULL;
        snprintf(sql, sizeof sql, "SELECT * FROM %s", ys_sqlite_projection_tables[i]);
        snprintf(table, sizeof table, "%.*s", (int)strcspn(ys_sqlite_projection_tables[i], " "),
                 ys_sqlite_projection_tables[i]);
        if (sqlite3_prepare_v2(st->db, sql, -1, &a, NULL) || sqlite3_prepare_v2(fresh->db, sql, -1, &b, NULL))
            rc = ys_fail(err, YS_CORRUPT, table, "projection table %s cannot be read: %s", table,
                         sqlite3_errmsg(a ? fresh->db : st->db));
        else
            rc = compare_rows(a, b, table, err);
        sqlite3_finalize(a);
        sqlite3_finalize(b);
    }
    return rc;
}

/* fsync of a file, or of a folder after a name was put in it. */
static ys_rc sync_path(const char *path, ys_err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    bool ok = fd >= 0 && fsync(fd) == 0;
    int e = errno;
    if (fd >= 0)
        close(fd);
    return ok ? YS_OK : ys_fail(err, YS_IO, "out", "cannot sync %s: %s", path, strerror(e));
}

/* VACUUM INTO writes a new file (an empty one will do) from one read transaction and does not sync it. */
static ys_rc vacuum_into(sq_store *st, const char *path, ys_err *err)
{
    sqlite3_stmt *q = NULL;
    ys_rc rc = prepare(st, "VACUUM INTO ?1", &q, err);
    if (rc)
        return rc;
    sqlite3_bind_text(q, 1, path, -1, SQLITE_STATIC);
    if (sqlite3_step(q) != SQLITE_DONE)
        rc = db_fail(st, err, path);
    sqlite3_finalize(q);
    return rc ? rc : sync_path(path, err);
}

static ys_rc sq_backup(ys_store *base, const char *out, ys_err *err)
{
    sq_store *st = (sq_store *)base;
    size_t n = strlen(out) + sizeof ".XXXXXX";
    char *tmp = ys_malloc(n), *dir = NULL;
    ys_rc rc = YS_OK;
    int fd = -1;
    if (!tmp)
        return ys_fail(err, YS_NOMEM, NULL, "out of memory");
    snprintf(tmp, n, "%s.XXXXXX", out);
    if (access(out, F_OK) == 0) {
        rc = ys_fail(err, YS_CONFLICT, "out", "%s exists; a backup never replaces a file", out);
        goto done;
    }
    if ((fd = mkstemp(tmp)) < 0) {
        rc = ys_fail(err, YS_IO, "out", "cannot create %s: %s", tmp, strerror(errno));
        goto done;
    }
    close(fd);
    if ((rc = vacuum_into(st, tmp, err)))
        goto done;
    /* link, not rename: a file that appeared at `out` meanwhile is never replaced */
    if (link(tmp, out) != 0) {
        rc = ys_fail(err, errno == EEXIST ? YS_CONFLICT : YS_IO, "out", "cannot write %s: %s", out, strerror(errno));
        goto done;
    }
    const char *slash = strrchr(out, '/');
    dir = slash ? ys_strndup(out, slash == out ? 1 : (size_t)(slash - out)) : ys_strdup(".");
    rc = dir ? sync_path(dir, err) : ys_fail(err, YS_NOMEM, NULL, "out of memory");
    if (rc)
        unlink(out);
done:
    if (fd >= 0)
        unlink(tmp);
    ys_free(dir);
    ys_free(tmp);
    return rc;
}

/* A writer's transaction takes the write lock at once; a reader's is a snapshot from its first read (WAL). */
static ys_rc sq_begin(ys_store *base, ys_err *err)
{
    sq_store *st = (sq_store *)base;
    ys_rc rc = exec(st, sqlite3_db_readonly(st->db, "main") == 1 ? "BEGIN" : "BEGIN IMMEDIATE", err);
    if (!rc)
        st->in_txn = true;
    return rc;
}

static ys_rc sq_commit(ys_store *base, ys_err *err)
{
    sq_store *st = (sq_store *)base;
    ys_rc rc = exec(st, "COMMIT", err);
    if (rc)
        sq_rollback(&st->base);
    st->in_txn = false;
    return rc;
}

static void sq_rollback(ys_store *base)
{
    sq_store *st = (sq_store *)base;
    if (sqlite3_get_autocommit(st->db) == 0)
        exec(st, "ROLLBACK", NULL);
    st->in_txn = false;
}

static ys_rc project(sq_store *st, const ys_event *ev, ys_err *err)
{
    const ys_event_type *t = ys_event_type_of(ev->type);
    if (!t || t->vote == YS_VOTE_BALLOT)
        return ys_fail(err, YS_STORE, "type", "no projection for event type '%s'", ev->type);
    for (size_t k = 0; k < YS_PROJ_MAX; k++) {
        sqlite3_stmt *q = st->projection[t - ys_event_types][k];
        if (!q)
            break;
        sqlite3_bind_text(q, 1, ev->payload_text, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 2, ev->time, -1, SQLITE_STATIC);
        ys_rc rc = step_done(st, q, err, ev->type);
        if (rc)
            return rc;
    }
    return YS_OK;
}

static ys_rc sq_append(ys_store *base, const ys_event *ev, ys_err *err)
{
    sq_store *st = (sq_store *)base;
    char prev[YS_HASH_HEX], hash[YS_HASH_HEX];
    sqlite3_stmt *q = st->insert_event;
    ys_rc rc;
    if (!st->in_txn)
        return ys_fail(err, YS_STORE, NULL, "append outside a transaction");
    ys_hash_hex(ev->prev_hash, prev);
    ys_hash_hex(ev->hash, hash);
    sqlite3_bind_int64(q, 1, ev->seq);
    sqlite3_bind_text(q, 2, ev->time, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, ev->actor, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 4, ev->type, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 5, ev->payload_text, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 6, prev, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 7, hash, -1, SQLITE_TRANSIENT);
    if ((rc = step_done(st, q, err, "appending to the session log")))
        return rc;
    return project(st, ev, err);
}

static ys_rc sq_checkpoint(ys_store *base, int64_t seq, int version, const uint8_t digest[YS_HASH_BYTES], ys_err *err)
{
    sq_store *st = (sq_store *)base;
    char hex[YS_HASH_HEX];
    ys_hash_hex(digest, hex);
    sqlite3_bind_int64(st->insert_checkpoint, 1, seq);
    sqlite3_bind_text(st->insert_checkpoint, 2, hex, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st->insert_checkpoint, 3, version);
    return step_done(st, st->insert_checkpoint, err, "writing a checkpoint");
}

static ys_rc sq_put_blob(ys_store *base, const char *hash_hex, const void *data, size_t len, ys_err *err)
{
    sq_store *st = (sq_store *)base;
    sqlite3_bind_text(st->insert_blob, 1, hash_hex, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st->insert_blob, 2, (sqlite3_int64)len);
    sqlite3_bind_blob64(st->insert_blob, 3, data, len, SQLITE_STATIC);
    return step_done(st, st->insert_blob, err, "storing a document");
}

static ys_rc sq_put_sealed(ys_store *base, const ys_event *sealed, int64_t ref, ys_err *err)
{
    sq_store *st = (sq_store *)base;
    char id[YS_HASH_HEX];
    sqlite3_stmt *q = st->insert_sealed;
    if (!st->in_txn)
        return ys_fail(err, YS_STORE, NULL, "sealed ballot outside a transaction");
    ys_hash_hex(sealed->hash, id);
    sqlite3_bind_text(q, 1, id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 2, sealed->type, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 3, ref);
    sqlite3_bind_text(q, 4, sealed->payload_text, -1, SQLITE_STATIC);
    return step_done(st, q, err, "putting a ballot into the box");
}

static ys_rc sq_scan_sealed(ys_store *base, ys_store_event_fn fn, void *ud, ys_err *err)
{
    sq_store *st = (sq_store *)base;
    sqlite3_stmt *q = NULL;
    ys_rc rc = YS_OK;
    int r;
    if (sqlite3_prepare_v2(st->db, "SELECT id, kind, content FROM ballot_box ORDER BY id", -1, &q, NULL))
        return db_fail(st, err, "reading the ballot box");
    while (!rc && (r = sqlite3_step(q)) == SQLITE_ROW) {
        ys_event ev = {.sealed = true};
        const char *kind = (const char *)sqlite3_column_text(q, 1);
        const char *content = (const char *)sqlite3_column_text(q, 2);
        snprintf(ev.type, sizeof ev.type, "%s", kind ? kind : "");
        if (ys_hash_from_hex((const char *)sqlite3_column_text(q, 0), ev.hash) || !content)
            rc = ys_fail(err, YS_CORRUPT, "ballot_box", "a ballot in the box has a malformed id or no content");
        else
            rc = ys__store_load_payload(&ev, content, "a ballot in the box", err);
        if (!rc)
            rc = fn(&ev, ud, err);
        ys_event_clear(&ev);
    }
    if (!rc && r != SQLITE_DONE)
        rc = db_fail(st, err, "reading the ballot box");
    sqlite3_finalize(q);
    return rc;
}

/* Reads one events row; a malformed hash column is reported as corruption of that event. */
static ys_rc read_event(sqlite3_stmt *q, ys_event *ev, ys_err *err)
{
    const char *cols[4];
    memset(ev, 0, sizeof *ev);
    ev->seq = sqlite3_column_int64(q, 0);
    for (int i = 0; i < 4; i++)
        cols[i] = (const char *)sqlite3_column_text(q, i + 1);
    if (!cols[0] || !cols[1] || !cols[2] || !cols[3])
        return ys_fail(err, YS_CORRUPT, "event", "event %lld has an empty column", (long long)ev->seq);
    snprintf(ev->time, sizeof ev->time, "%s", cols[0]);
    snprintf(ev->actor, sizeof ev->actor, "%s", cols[1]);
    snprintf(ev->type, sizeof ev->type, "%s", cols[2]);
    if (ys_hash_from_hex((const char *)sqlite3_column_text(q, 5), ev->prev_hash) ||
        ys_hash_from_hex((const char *)sqlite3_column_text(q, 6), ev->hash))
        return ys_fail(err, YS_CORRUPT, "hash", "event %lld has a malformed hash", (long long)ev->seq);
    char what[64];
    snprintf(what, sizeof what, "event %lld's payload", (long long)ev->seq);
    return ys__store_load_payload(ev, cols[3], what, err);
}

/* The store's own statement, prepared once; a scan from within a scan's callback gets one of its own. */
static ys_rc kept_statement(sq_store *st, sqlite3_stmt **kept, const char *sql, sqlite3_stmt **q, ys_err *err)
{
    if (*kept && !sqlite3_stmt_busy(*kept)) {
        *q = *kept;
        return YS_OK;
    }
    ys_rc rc = prepare(st, sql, q, err);
    if (!rc && !*kept)
        *kept = *q;
    return rc;
}

static void give_back(sqlite3_stmt *kept, sqlite3_stmt *q)
{
    if (q != kept) {
        sqlite3_finalize(q);
        return;
    }
    sqlite3_reset(q); /* ends the read, so that a kept statement never holds back the WAL */
    sqlite3_clear_bindings(q);
}

static ys_rc sq_get_blob(ys_store *base, const char *hash_hex, char **data, size_t *len, ys_err *err)
{
    sq_store *st = (sq_store *)base;
    sqlite3_stmt *q = NULL;
    *data = NULL;
    *len = 0;
    ys_rc rc = kept_statement(st, &st->get_blob, "SELECT content FROM blobs WHERE hash = ?", &q, err);
    if (rc)
        return rc;
    sqlite3_bind_text(q, 1, hash_hex, -1, SQLITE_STATIC);
    int r = sqlite3_step(q);
    if (r == SQLITE_DONE) {
        rc = ys_fail(err, YS_NOT_FOUND, "hash", "no content with hash %.64s", hash_hex);
    } else if (r != SQLITE_ROW) {
        rc = db_fail(st, err, "reading a document");
    } else {
        size_t n = (size_t)sqlite3_column_bytes(q, 0);
        const void *p = sqlite3_column_blob(q, 0);
        if (!(*data = ys_malloc(n + 1))) {
            rc = ys_fail(err, YS_NOMEM, NULL, "out of memory reading a document");
        } else {
            if (n)
                memcpy(*data, p, n);
            (*data)[n] = '\0';
            *len = n;
        }
    }
    give_back(st->get_blob, q);
    return rc;
}

static ys_rc sq_scan(ys_store *base, int64_t after, ys_store_event_fn fn, void *ud, ys_err *err)
{
    sq_store *st = (sq_store *)base;
    sqlite3_stmt *q = NULL;
    int r;
    ys_rc rc = kept_statement(st, &st->scan_events, "SELECT seq, time, actor, type, payload, prev_hash, hash"
                              " FROM events WHERE seq > ? ORDER BY seq", &q, err);
    if (rc)
        return rc;
    sqlite3_bind_int64(q, 1, after);
    while (!rc && (r = sqlite3_step(q)) == SQLITE_ROW) {
        ys_event ev;
        rc = read_event(q, &ev, err);
        if (!rc)
            rc = fn(&ev, ud, err);
        ys_event_clear(&ev);
    }
    if (!rc && r != SQLITE_DONE)
        rc = db_fail(st, err, "reading the session log");
    give_back(st->scan_events, q);
    return rc;
}

static ys_rc sq_scan_checkpoints(ys_store *base, ys_store_checkpoint_fn fn, void *ud, ys_err *err)
{
    sq_store *st = (sq_store *)base;
    sqlite3_stmt *q = NULL;
    ys_rc rc = YS_OK;
    int r;
    if (sqlite3_prepare_v2(st->db, "SELECT seq, state_digest, digest_version FROM checkpoints ORDER BY seq", -1, &q, NULL))
        return db_fail(st, err, "reading checkpoints");
    while (!rc && (r = sqlite3_step(q)) == SQLITE_ROW) {
        uint8_t digest[YS_HASH_BYTES];
        int64_t seq = sqlite3_column_int64(q, 0);
        if (ys_hash_from_hex((const char *)sqlite3_column_text(q, 1), digest))
            rc = ys_fail(err, YS_CORRUPT, "checkpoint", "checkpoint at event %lld is malformed", (long long)seq);
        else
            rc = fn(seq, sqlite3_column_int(q, 2), digest, ud, err);
    }
    if (!rc && r != SQLITE_DONE)
        rc = db_fail(st, err, "reading checkpoints");
    sqlite3_finalize(q);
    return rc;
}

static ys_rc sq_scan_blobs(ys_store *base, ys_store_blob_fn fn, void *ud, ys_err *err)
{
    sq_store *st = (sq_store *)base;
    sqlite3_stmt *q = NULL;
    ys_rc rc = YS_OK;
    int r;
    if (sqlite3_prepare_v2(st->db, "SELECT hash, content FROM blobs ORDER BY hash", -1, &q, NULL))
        return db_fail(st, err, "reading the documents");
    while (!rc && (r = sqlite3_step(q)) == SQLITE_ROW) {
        const char *hash = (const char *)sqlite3_column_text(q, 0);
        const void *data = sqlite3_column_blob(q, 1);
        if (!hash)
            rc = ys_fail(err, YS_CORRUPT, "blobs", "a stored document has no hash");
        else
            rc = fn(hash, data ? data : "", (size_t)sqlite3_column_bytes(q, 1), ud, err);
    }
    if (!rc && r != SQLITE_DONE)
        rc = db_fail(st, err, "reading the documents");
    sqlite3_finalize(q);
    return rc;
}

static const ys__store_ops sq_ops = {
    .name = "sqlite",
    .close = sq_close,
    .backup = sq_backup,
    .scratch = sq_scratch,
    .begin = sq_begin,
    .append = sq_append,
    .checkpoint = sq_checkpoint,
    .put_blob = sq_put_blob,
    .get_blob = sq_get_blob,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .scan = sq_scan,
    .put_sealed = sq_put_sealed,
    .scan_sealed = sq_scan_sealed,
    .scan_checkpoints = sq_scan_checkpoints,
    .scan_blobs = sq_scan_blobs,
    .compare_projections = sq_compare_projections,
    .schema_version = sq_schema_version,
    .session = sq_session,
    .locator = sq_locator,
};
