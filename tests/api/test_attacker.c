/* test_attacker.c — the operator of the hall laptop as an attacker on the verifiable secret ballot (issue 10):
 * while delegates cast, a copy of the session file, its -wal and -shm and a dump of the server's memory
 * (ptrace, /proc/PID/mem), searched for every secret the test knows; every table and every commit of the WAL
 * read for a mark in the clear or an order the board does not show; the same after the trustees' decryptions
 * and after a clean stop; and a ballot changed in the file while the vote is open, named by yishi verify.
 *
 * What the attacker can see, and why it does not link marks. The log is the board: each cast event names its
 * delegate and holds the ballot as the terminal sent it, ciphertexts and proofs, nothing else; the turnout
 * table names who voted and when. So the WAL's commits, one per cast, and the order of rows within a page
 * show who cast which ciphertext in which order — which the board shows anyway (GET …/codes, the log). The
 * test checks that this is all they show: every commit's state, rebuilt from the WAL frame by frame, holds
 * the cast ballots as a prefix of the board, in its order, and no row of any table gained a mark. What
 * would open a ciphertext is its randomness r (r·K is its mask), or a trustee's share x_j (x_j·α its partial
 * decryption; k of them the key): the test made all of them — r from each ballot's audit, the trustees'
 * coefficients, box keys and shares from their devices — and finds none, in the raw 32 bytes, base64 (as
 * the JSON writes it, and the URL-safe kind), or hex, in the file, the WAL or the memory; nor any ballot's
 * mask or partial decryption, before or after the count, where the aggregate's partials are (the scans
 * are checked by what they must find: the cast ballots' codes, the aggregate's partials). What it does not
 * show: a terminal that leaks its own marks, or k trustees who pool their shares.
 *
 * Run as test_attacker_pg, the session is in PostgreSQL and the attacker is its database's operator: each take
 * is the session exported at one commit (export-session, whose tables are read as above), pg_dump of the whole
 * database, and the database's own files — its folder under base/ and the WAL segments written since the test
 * began — searched for every secret; after the stop, those files again after a CHECKPOINT; the ballot changed
 * with psql. PostgreSQL's WAL is searched, not rebuilt commit by commit as SQLite's is. */
#include "vtest.h"

#include "crypto/group.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/stat.h>

static api_server srv;
static vt_key key;
static char *chair;
static json_t *voters; /* the codes of the delegates present, who cast */

/* ---- needles: byte strings searched for in a file or a memory dump ---- */

typedef struct needle {
    uint64_t head;            /* the first 8 bytes: the index's key */
    uint8_t bytes[96];
    size_t n;
    char what[128];
    bool found;
} needle;

typedef struct needles {
    needle *v;
    size_t n, cap;
    uint64_t bloom[(1u << 20) / 64];
} needles;

static uint32_t bloom_of(uint64_t head) { return (uint32_t)((head * 0x9E3779B97F4A7C15ull) >> 44); }

static void ns_add(needles *ns, const void *p, size_t n, const char *what, const char *how)
{
    if (ns->n == ns->cap) {
        ns->cap = ns->cap ? 2 * ns->cap : 256;
        ns->v = ys_realloc(ns->v, ns->cap * sizeof *ns->v);
        assert_non_null(ns->v);
    }
    needle *e = &ns->v[ns->n++];
    assert_true(n >= 8 && n <= sizeof e->bytes);
    memcpy(e->bytes, p, n);
    memcpy(&e->head, p, 8);
    e->n = n;
    e->found = false;
    snprintf(e->what, sizeof e->what, "%s (%s)", what, how);
}

/* A secret of 32 bytes in every encoding the code writes one in. */
static void ns_secret(needles *ns, const uint8_t raw[32], const char *what)
{
    char b64[64], hex[65];
    ns_add(ns, raw, 32, what, "raw");
    sodium_bin2base64(b64, sizeof b64, raw, 32, sodium_base64_VARIANT_ORIGINAL);
    ns_add(ns, b64, strlen(b64), what, "base64");
    sodium_bin2base64(b64, sizeof b64, raw, 32, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    ns_add(ns, b64, strlen(b64), what, "base64url");
    sodium_bin2hex(hex, sizeof hex, raw, 32);
    ns_add(ns, hex, 64, what, "hex");
}

static void ns_secret_b64(needles *ns, const char *b64, const char *what)
{
    uint8_t raw[32];
    assert_true(ysv_unb64(raw, b64));
    ns_secret(ns, raw, what);
}

static void ns_secret_point(needles *ns, const ysv_point *p, const char *what)
{
    uint8_t raw[32];
    ysv_point_encode(raw, p);
    ns_secret(ns, raw, what);
}

static int by_head(const void *a, const void *b)
{
    uint64_t x = ((const needle *)a)->head, y = ((const needle *)b)->head;
    return x < y ? -1 : x > y;
}

static void ns_ready(needles *ns)
{
    qsort(ns->v, ns->n, sizeof *ns->v, by_head);
    memset(ns->bloom, 0, sizeof ns->bloom);
    for (size_t i = 0; i < ns->n; i++)
        ns->bloom[bloom_of(ns->v[i].head) / 64] |= 1ull << (bloom_of(ns->v[i].head) % 64);
}

/* Every place a needle stands in hay; each hit marks it found and, when `report`, is printed. */
static size_t ns_scan(needles *ns, const uint8_t *hay, size_t n, const char *where, bool report)
{
    size_t hits = 0;
    for (size_t i = 0; i + 8 <= n; i++) {
        uint64_t h;
        memcpy(&h, hay + i, 8);
        uint32_t b = bloom_of(h);
        if (!(ns->bloom[b / 64] >> (b % 64) & 1))
            continue;
        size_t lo = 0, hi = ns->n;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (ns->v[mid].head < h)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (; lo < ns->n && ns->v[lo].head == h; lo++) {
            needle *e = &ns->v[lo];
            if (i + e->n <= n && !memcmp(hay + i, e->bytes, e->n)) {
                if (report && hits < 20)
                    fprintf(stderr, "the attacker finds %s in %s at offset %zu\n", e->what, where, i);
                e->found = true;
                hits++;
            }
        }
    }
    return hits;
}

static void ns_free(needles *ns)
{
    ys_free(ns->v);
    memset(ns, 0, sizeof *ns);
}

/* Scans a whole file (missing or empty: nothing). */
static size_t ns_scan_file(needles *ns, const char *path, const char *where, bool report)
{
    int fd = open(path, O_RDONLY);
    struct stat st;
    size_t hits = 0;
    if (fd < 0)
        return 0;
    if (fstat(fd, &st) == 0 && st.st_size > 0) {
        void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        assert_true(p != MAP_FAILED);
        hits = ns_scan(ns, p, (size_t)st.st_size, where, report);
        munmap(p, (size_t)st.st_size);
    }
    close(fd);
    return hits;
}

static void ns_all_found(const needles *ns, const char *where)
{
    for (size_t i = 0; i < ns->n; i++)
        if (!ns->v[i].found)
            fail_msg("the scan of %s misses %s, which must be there: it would miss a secret too", where, ns->v[i].what);
}

static void ns_reset(needles *ns)
{
    for (size_t i = 0; i < ns->n; i++)
        ns->v[i].found = false;
}

/* ---- what the attacker takes: the files and the memory, with the server stopped by ptrace ---- */

typedef struct snap {
    char db[400], wal[410], shm[410], core[400];
    char dump[400]; /* a session in PostgreSQL: pg_dump of its whole database, "" for a file */
    size_t core_bytes;
} snap;

/* ---- a session in PostgreSQL: its export, and the files of its database ---- */

static time_t began; /* the test's start: the WAL segments written since are the ones searched */

/* The output of a shell command, its status checked: the first line, or "" */
static void run_line(const char *cmd, char *out, size_t cap)
{
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    if (!fgets(out, (int)cap, p))
        out[0] = '\0';
    out[strcspn(out, "\n")] = '\0';
    assert_int_equal(pclose(p), 0);
}

static void pg_sql(const char *sql, char *out, size_t cap)
{
    char url[400], id[16], cmd[2400];
    api_store_and_session(&srv, url, sizeof url, id);
    snprintf(cmd, sizeof cmd, "psql -qtA -v ON_ERROR_STOP=1 '%s' -c \"%s\"", url, sql);
    run_line(cmd, out, cap);
}

/* PostgreSQL compresses a long value before it writes it (TOAST), and a compressed secret would escape the search
 * of the files: the test's database keeps every text and bytea column uncompressed from here on. Even so a value
 * that crosses a page of the WAL or a TOAST chunk is cut in two there, so the raw files are searched for the
 * secrets alone; the controls are looked for in pg_dump's text of the whole database, which holds every row. */
static void pg_store_uncompressed(void)
{
    static const char sql[] =
        "DO $do$ DECLARE c record; BEGIN FOR c IN SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = 'public' AND data_type IN ('text', 'bytea') LOOP EXECUTE format("
        "'ALTER TABLE %I ALTER COLUMN %I SET STORAGE EXTERNAL', c.table_name, c.column_name); END LOOP; END $do$;\n";
    char url[400], id[16], file[320], cmd[1200], out[64];
    snprintf(file, sizeof file, "%s/uncompressed.sql", srv.dir);
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fputs(sql, f);
    fclose(f);
    api_store_and_session(&srv, url, sizeof url, id);
    snprintf(cmd, sizeof cmd, "psql -qtA -v ON_ERROR_STOP=1 '%s' -f '%s'", url, file);
    run_line(cmd, out, sizeof out);
}

/* The session as the database holds it at one commit, written to `to` (export-session reads one snapshot). */
static void pg_export(const char *to)
{
    char url[400], id[16], cmd[1400], out[512];
    api_store_and_session(&srv, url, sizeof url, id);
    snprintf(cmd, sizeof cmd, "rm -f '%s' && '%s' export-session --store '%s' --session %s -f '%s' | tail -n 1", to,
             api_yishi, url, id, to);
    run_line(cmd, out, sizeof out);
}

/* The whole database as pg_dump writes it, into the test's folder as takeN.sql. */
static void pg_dump(char *path, size_t cap, int n)
{
    char url[400], id[16], cmd[1400], out[64];
    api_store_and_session(&srv, url, sizeof url, id);
    snprintf(path, cap, "%s/take%d.sql", srv.dir, n);
    snprintf(cmd, sizeof cmd, "pg_dump -d '%s' -f '%s'", url, path);
    run_line(cmd, out, sizeof out);
}

/* The database's folder (data/base/OID) and the WAL's (data/pg_wal), from the host= of its URL. */
static void pg_folders(char base[400], char wal[400])
{
    char oid[32], name[128], dir[256];
    const char *host = strstr(srv.file, "host="), *db = strstr(srv.file, ":///");
    assert_true(host && db);
    snprintf(dir, sizeof dir, "%.*s", (int)strcspn(host + 5, "&"), host + 5);
    snprintf(name, sizeof name, "%.*s", (int)strcspn(db + 4, "?"), db + 4);
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT oid FROM pg_database WHERE datname = '%s'", name);
    pg_sql(sql, oid, sizeof oid);
    assert_true(oid[0] != '\0');
    snprintf(base, 400, "%s/data/base/%s", dir, oid);
    snprintf(wal, 400, "%s/data/pg_wal", dir);
}

/* Every regular file of `dir` written since the test began (all of them when `all`), scanned. */
static size_t ns_scan_dir(needles *ns, const char *dir, const char *where, bool report, bool all)
{
    DIR *d = opendir(dir);
    size_t hits = 0;
    char path[700];
    struct stat st;
    assert_non_null(d);
    for (struct dirent *e; (e = readdir(d));) {
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && (all || st.st_mtime >= began - 1))
            hits += ns_scan_file(ns, path, where, report);
    }
    closedir(d);
    return hits;
}

/* The database's files: its tables and indexes, and the WAL written since the test began. */
static size_t ns_scan_pg(needles *ns, const char *when, bool report)
{
    char base[400], wal[400], where[2][128];
    pg_folders(base, wal);
    snprintf(where[0], sizeof where[0], "the database's files %s", when);
    snprintf(where[1], sizeof where[1], "PostgreSQL's WAL %s", when);
    return ns_scan_dir(ns, base, where[0], report, true) + ns_scan_dir(ns, wal, where[1], report, false);
}

#define MAX_TIDS 512

/* Stops every thread of the server (PTRACE_SEIZE and PTRACE_INTERRUPT), those started meanwhile too; the
 * number stopped, or 0 when the kernel refuses ptrace (then the test skips). */
static size_t seize_server(pid_t pid, pid_t *tids)
{
    char path[64];
    size_t n = 0;
    for (bool more = true; more;) {
        more = false;
        snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
        DIR *d = opendir(path);
        assert_non_null(d);
        for (struct dirent *e; (e = readdir(d));) {
            pid_t tid = (pid_t)atoi(e->d_name);
            bool have = tid <= 0;
            for (size_t i = 0; i < n && !have; i++)
                have = tids[i] == tid;
            if (have || n == MAX_TIDS)
                continue;
            if (ptrace(PTRACE_SEIZE, tid, NULL, NULL) != 0) {
                if (errno == EPERM && n == 0) {
                    closedir(d);
                    return 0;
                }
                continue; /* a thread that has just ended */
            }
            int st;
            assert_int_equal(ptrace(PTRACE_INTERRUPT, tid, NULL, NULL), 0);
            assert_int_equal(waitpid(tid, &st, __WALL), tid);
            tids[n++] = tid;
            more = true;
        }
        closedir(d);
    }
    return n;
}

static void release_server(const pid_t *tids, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ptrace(PTRACE_DETACH, tids[i], NULL, NULL);
}

/* Writes every readable mapping of pid into core, as an attacker's dump would hold it; what cannot be read
 * (a guard page) is left out. Mappings larger than 1 GiB are reservations, not data (the sanitizers' shadow),
 * and are left out too. */
static size_t dump_memory(pid_t pid, const char *core)
{
    char path[64], line[512], perms[8];
    unsigned long lo, hi;
    size_t total = 0;
    snprintf(path, sizeof path, "/proc/%d/maps", (int)pid);
    FILE *maps = fopen(path, "r");
    snprintf(path, sizeof path, "/proc/%d/mem", (int)pid);
    int mem = open(path, O_RDONLY), out = open(core, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_non_null(maps);
    assert_true(mem >= 0 && out >= 0);
    uint8_t *buf = ys_malloc(1 << 20);
    assert_non_null(buf);
    while (fgets(line, sizeof line, maps)) {
        if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) != 3 || perms[0] != 'r' || strstr(line, "[vvar") ||
            strstr(line, "[vsyscall]") || hi - lo > (1ul << 30))
            continue;
        for (unsigned long at = lo; at < hi;) {
            size_t want = hi - at < (1u << 20) ? hi - at : (1u << 20);
            ssize_t got = pread(mem, buf, want, (off_t)at);
            if (got <= 0) { /* a page that does not read: skip it alone */
                at += 4096;
                continue;
            }
            assert_int_equal(write(out, buf, (size_t)got), got);
            total += (size_t)got;
            at += (unsigned long)got;
        }
    }
    ys_free(buf);
    fclose(maps);
    close(mem);
    close(out);
    return total;
}

static void copy_file(const char *from, const char *to)
{
    char cmd[1600];
    snprintf(cmd, sizeof cmd, "test ! -e '%s' || cp '%s' '%s'", from, from, to);
    assert_int_equal(system(cmd), 0);
}

/* The attacker's take number `n`: the file, its -wal and -shm, and the memory, all at one instant. */
static void snapshot(int n, snap *s)
{
    pid_t tids[MAX_TIDS];
    char from[400];
    size_t nt = seize_server(srv.pid, tids);
    if (!nt) {
        fprintf(stderr, "ptrace of the server is refused (EPERM): the kernel forbids it here (kernel.yama.ptrace_scope "
                        "or a seccomp policy), so no memory dump can be taken\n");
        skip();
    }
    snprintf(s->db, sizeof s->db, "%s/take%d.db", srv.dir, n);
    snprintf(s->wal, sizeof s->wal, "%s-wal", s->db);
    snprintf(s->shm, sizeof s->shm, "%s-shm", s->db);
    snprintf(s->core, sizeof s->core, "%s/take%d.core", srv.dir, n);
    s->dump[0] = '\0';
    if (api_on_postgresql(&srv)) { /* the database's own files are searched in search() */
        pg_export(s->db);
        pg_dump(s->dump, sizeof s->dump, n);
    } else {
        copy_file(srv.file, s->db);
        snprintf(from, sizeof from, "%s-wal", srv.file);
        copy_file(from, s->wal);
        snprintf(from, sizeof from, "%s-shm", srv.file);
        copy_file(from, s->shm);
    }
    s->core_bytes = dump_memory(srv.pid, s->core);
    release_server(tids, nt);
    assert_true(s->core_bytes > (1u << 20));
}

/* Nothing of `secrets` in the file, the WAL or the memory; all of `controls` in the file or the WAL, and
 * (unless mem_controls is NULL) all of mem_controls in the memory. */
static void search(needles *secrets, needles *controls, needles *mem_controls, const snap *s)
{
    size_t hits = ns_scan_file(secrets, s->db, "the session file", true) + ns_scan_file(secrets, s->wal, "the WAL", true) +
                  ns_scan_file(secrets, s->shm, "the -shm", true) + ns_scan_file(secrets, s->core, "the memory dump", true);
    if (s->dump[0])
        hits += ns_scan_file(secrets, s->dump, "pg_dump of the database", true) +
                ns_scan_pg(secrets, "during the vote", true);
    if (hits)
        fail_msg("the attacker finds %zu secrets (above)", hits);
    ns_reset(controls);
    ns_scan_file(controls, s->db, "the session file", false);
    ns_scan_file(controls, s->wal, "the WAL", false);
    ns_all_found(controls, "the session file and its WAL");
    if (s->dump[0]) { /* and the whole database, as pg_dump reads it, holds them too */
        ns_reset(controls);
        ns_scan_file(controls, s->dump, "pg_dump of the database", false);
        ns_all_found(controls, "pg_dump of the database");
    }
    if (mem_controls) {
        ns_reset(mem_controls);
        ns_scan_file(mem_controls, s->core, "the memory dump", false);
        ns_all_found(mem_controls, "the memory dump");
    }
}

/* ---- the vote under attack ---- */

#define MAX_BALLOTS 48

typedef struct vote {
    bool poll;
    const char *noun;              /* "election" or "poll" */
    int id;
    const char *const *names;      /* the list (a poll: its question) */
    size_t ncand;
    size_t n;                      /* ballots */
    ys_vmark marks[MAX_BALLOTS][2];
    char *tokens[MAX_BALLOTS];
    json_t *ballots[MAX_BALLOTS], *audits[MAX_BALLOTS];
    char codes[MAX_BALLOTS][2 * YS_VHASH]; /* the board's, base64 */
    long long open_seq, end_seq;   /* its events: (open_seq, end_seq], end_seq 0 until counted */
    char base[400];                /* a copy of the file made at the open */
    int yes[2], no[2];             /* the totals the marks give */
} vote;

static const char *voter(size_t i) { return json_string_value(json_array_get(voters, i)); }

/* A text cell that holds a mark the way a ballot in the clear would (the box's content, a vote's choice). */
static bool holds_a_mark(const char *text, const vote *v)
{
    static const char *const words[] = {"\"yes\"", "\"no\"", "\"abstain\"", "\"choice\"", "赞成", "反对", "弃权"};
    if (!text)
        return false;
    if (!strcmp(text, "yes") || !strcmp(text, "no") || !strcmp(text, "abstain"))
        return true;
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strstr(text, words[i]))
            return true;
    for (size_t i = 0; !v->poll && i < v->ncand; i++)
        if (strstr(text, v->names[i]))
            return true;
    return false;
}

/* The k-th cast event: exactly the board's row (the vote, the delegate, the ballot as sent, its code). */
static void is_board_row(const vote *v, size_t k, const json_t *p)
{
    if (k >= v->n)
        fail_msg("more cast events than ballots sent");
    if (json_object_size(p) != 4 || json_integer_value(json_object_get(p, v->noun)) != v->id ||
        !json_is_integer(json_object_get(p, "delegate")) || !json_equal(json_object_get(p, "ballot"), v->ballots[k]) ||
        !json_is_string(json_object_get(p, "code")) || strcmp(json_string_value(json_object_get(p, "code")), v->codes[k]))
        fail_msg("cast event %zu is not the board's row of ballot %zu: %s", k, k, json_dumps(p, JSON_COMPACT));
}

/* After the open, the log holds the casts (in the board's order) and then the close, the decryptions and
 * the count; the number of casts. */
static size_t check_events(sqlite3 *db, const vote *v)
{
    sqlite3_stmt *q = NULL;
    char cast[32], after[3][32];
    size_t k = 0;
    snprintf(cast, sizeof cast, "%s.cast", v->noun);
    snprintf(after[0], sizeof after[0], "%s.close", v->noun);
    snprintf(after[1], sizeof after[1], "%s.decrypt", v->noun);
    snprintf(after[2], sizeof after[2], "%s.count", v->noun);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT type, payload FROM events WHERE seq > ? AND (? = 0 OR seq <= ?) "
                                            "ORDER BY seq", -1, &q, NULL), SQLITE_OK);
    sqlite3_bind_int64(q, 1, v->open_seq);
    sqlite3_bind_int64(q, 2, v->end_seq);
    sqlite3_bind_int64(q, 3, v->end_seq);
    for (bool closed = false; sqlite3_step(q) == SQLITE_ROW;) {
        const char *type = (const char *)sqlite3_column_text(q, 0);
        json_t *p = json_loads((const char *)sqlite3_column_text(q, 1), 0, NULL);
        assert_non_null(p);
        if (!strcmp(type, cast) && !closed)
            is_board_row(v, k++, p);
        else if (!strcmp(type, after[0]) || (closed && (!strcmp(type, after[1]) || !strcmp(type, after[2]))))
            closed = true;
        else
            fail_msg("an event %s in the log of the %s: %s", type, v->noun, json_dumps(p, JSON_COMPACT));
        json_decref(p);
    }
    sqlite3_finalize(q);
    return k;
}

/* Every row that a table other than the log gained since the open: none holds a mark, and the box none at
 * all. Once counted, the vote's own row and results hold the totals, which are checked instead. */
static void check_tables(sqlite3 *db, const vote *v)
{
    sqlite3_stmt *t = NULL, *q = NULL;
    char sql[512];
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name != 'events'"
                                            " AND name IN (SELECT name FROM base.sqlite_master)", -1, &t, NULL), SQLITE_OK);
    while (sqlite3_step(t) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(t, 0);
        bool totals = !strcmp(name, v->poll ? "polls" : "elections") || !strcmp(name, "election_results");
        snprintf(sql, sizeof sql, "SELECT * FROM main.\"%s\" EXCEPT SELECT * FROM base.\"%s\"", name, name);
        assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
        while (sqlite3_step(q) == SQLITE_ROW) {
            if (!strcmp(name, "ballot_box"))
                fail_msg("a row in the ballot box: %s", sqlite3_column_text(q, 3));
            for (int c = 0; !totals && c < sqlite3_column_count(q); c++)
                if (holds_a_mark((const char *)sqlite3_column_text(q, c), v))
                    fail_msg("table %s gained a row holding a mark in the clear: %s", name, sqlite3_column_text(q, c));
        }
        sqlite3_finalize(q);
    }
    sqlite3_finalize(t);
}

/* The file at `path` (with its WAL, if any) as the attacker reads it: the casts it holds. */
static size_t check_state(const char *path, const vote *v)
{
    sqlite3 *db = NULL;
    char sql[512];
    /* read-only: closing would otherwise fold the WAL copy into the file copy */
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    snprintf(sql, sizeof sql, "ATTACH '%s' AS base", v->base);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    size_t k = check_events(db, v);
    check_tables(db, v);
    sqlite3_close(db);
    return k;
}

static uint32_t be32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }

/* How many frames of the WAL a checkpoint has copied into the main file (the -shm's nBackfill): the
 * states of the commits up to there cannot be rebuilt over it, and are in it. */
static uint32_t backfilled(const snap *s)
{
    uint32_t n = 0;
    int fd = open(s->shm, O_RDONLY);
    if (fd >= 0 && pread(fd, &n, 4, 96) != 4)
        n = 0;
    if (fd >= 0)
        close(fd);
    return n;
}

/* Rebuilds the state of every commit in the WAL, frame by frame over a copy of the main file, and reads
 * each: the casts in each commit's state are a prefix of the board, growing in its order. */
static void check_wal(const snap *s, const vote *v)
{
    char work[420];
    if (s->dump[0]) /* a session in PostgreSQL: the export is one commit, and PostgreSQL's WAL was searched */
        return;
    int fd = open(s->wal, O_RDONLY);
    struct stat st;
    uint32_t done = backfilled(s), frame = 0;
    if (fd < 0)
        return; /* checkpointed away: the main file holds it all */
    assert_int_equal(fstat(fd, &st), 0);
    uint8_t *wal = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    assert_true(st.st_size >= 32 && wal != MAP_FAILED);
    uint32_t page = be32(wal + 8);
    snprintf(work, sizeof work, "%s.commit", s->db);
    copy_file(s->db, work);
    size_t casts = 0, commits = 0;
    for (size_t at = 32; at + 24 + page <= (size_t)st.st_size; at += 24 + page) {
        const uint8_t *h = wal + at;
        frame++;
        if (memcmp(h + 8, wal + 16, 8)) /* another generation's salt: not part of this WAL */
            break;
        int w = open(work, O_WRONLY);
        assert_true(w >= 0);
        assert_int_equal(pwrite(w, h + 24, page, (off_t)(be32(h) - 1) * page), (ssize_t)page);
        assert_int_equal(pwrite(w, "\1\1", 2, 18), 2); /* a rollback-journal file: read without a WAL of its own */
        if (be32(h + 4))
            assert_int_equal(ftruncate(w, (off_t)be32(h + 4) * page), 0);
        close(w);
        if (!be32(h + 4) || frame <= done)
            continue;
        size_t k = check_state(work, v);
        if (k < casts)
            fail_msg("commit %zu of the WAL holds %zu casts, one before it %zu", commits, k, casts);
        casts = k;
        commits++;
    }
    fprintf(stderr, "the WAL: %u frames, %zu commits rebuilt and read (%u already in the file)\n", frame, commits, done);
    munmap(wal, (size_t)st.st_size);
    unlink(work);
}

/* ---- the secrets the test knows ---- */

/* Every scalar of an audit that the ballot does not show: the randomness of each ciphertext sent. */
static void audit_secrets(needles *ns, const json_t *j, const char *path)
{
    const char *k;
    json_t *e;
    size_t i;
    char sub[128];
    if (json_is_object(j))
        json_object_foreach((json_t *)j, k, e) {
            if (strcmp(k, "ballot") && strcmp(k, "code")) {
                snprintf(sub, sizeof sub, "%s.%s", path, k);
                audit_secrets(ns, e, sub);
            }
        }
    else if (json_is_array(j))
        json_array_foreach(j, i, e) {
            snprintf(sub, sizeof sub, "%s[%zu]", path, i);
            audit_secrets(ns, e, sub);
        }
    else if (json_is_string(j) && json_string_length(j) == 44)
        ns_secret_b64(ns, json_string_value(j), path);
}

/* Whether raw is one of the values (points, scalars) a ballot shows. */
static bool shown_in(const json_t *j, const uint8_t raw[32])
{
    const char *k;
    json_t *e;
    size_t i;
    uint8_t mine[32];
    if (json_is_object(j))
        json_object_foreach((json_t *)j, k, e) if (shown_in(e, raw)) return true;
    if (json_is_array(j))
        json_array_foreach(j, i, e) if (shown_in(e, raw)) return true;
    return json_is_string(j) && ysv_unb64(mine, json_string_value(j)) && !memcmp(mine, raw, 32);
}

static void scalar_of(ysv_scalar *s, const char *b64)
{
    uint8_t raw[32];
    assert_true(ysv_unb64(raw, b64) && ysv_scalar_decode(s, raw));
}

/* Trustee t's secrets, from its device's backup: the coefficients, the box key, the shares received, and
 * x_t their sum (into x). */
static void trustee_secrets(needles *ns, int t, ysv_scalar *x)
{
    json_t *b = ys_vtrustee_backup(key.dev[t]), *e;
    char what[96];
    size_t i;
    assert_non_null(b);
    json_array_foreach(json_object_get(b, "coefficients"), i, e) {
        snprintf(what, sizeof what, "trustee %d's coefficient %zu", t + 1, i);
        ns_secret_b64(ns, json_string_value(e), what);
    }
    snprintf(what, sizeof what, "trustee %d's box secret key", t + 1);
    ns_secret_b64(ns, json_string_value(json_object_get(b, "box_secret")), what);
    ysv_scalar_zero(x);
    json_array_foreach(json_object_get(b, "received"), i, e) {
        ysv_scalar f;
        snprintf(what, sizeof what, "the share trustee %zu sent trustee %d", i + 1, t + 1);
        ns_secret_b64(ns, json_string_value(e), what);
        scalar_of(&f, json_string_value(e));
        ysv_scalar_add(x, x, &f);
    }
    uint8_t raw[32];
    ysv_scalar_encode(raw, x);
    snprintf(what, sizeof what, "trustee %d's share of the key", t + 1);
    ns_secret(ns, raw, what);
    json_decref(b);
}

static void joint_key(ysv_point *K)
{
    ys_vkey *k = vt_device_view(&srv, &key);
    char b64[45];
    uint8_t raw[32];
    assert_int_equal(ys_vkey_joint_key(k, b64, NULL), YS_OK);
    assert_true(ysv_unb64(raw, b64) && ysv_point_decode(K, raw));
    ys_vkey_free(k);
}

/* Every secret: the trustees', each ballot's randomness, and each ballot's decryption — the mask r·K of each
 * ciphertext and each trustee's x_t·α of each α sent. */
static void all_secrets(needles *ns, const vote *v, const ys_vvote *ctx)
{
    ysv_scalar x[3];
    ysv_point K, p;
    char what[160];
    joint_key(&K);
    for (int t = 0; t < 3; t++)
        trustee_secrets(ns, t, &x[t]);
    for (size_t b = 0; b < v->n; b++) {
        size_t before = ns->n;
        snprintf(what, sizeof what, "%s ballot %zu's randomness", v->noun, b);
        audit_secrets(ns, v->audits[b], what);
        for (size_t i = before, end = ns->n; i < end; i += 4) { /* each r just added, raw first of its four encodings */
            ysv_scalar r;
            assert_true(ysv_scalar_decode(&r, ns->v[i].bytes));
            ysv_mul(&p, &K, &r);
            uint8_t raw[32];
            ysv_point_encode(raw, &p);
            /* An encryption of 0 is (r·G, r·K): its mask is its β, which the board shows and which says
             * nothing without r. */
            if (shown_in(v->ballots[b], raw))
                continue;
            snprintf(what, sizeof what, "the mask r·K of %s", ns->v[i].what);
            ns_secret(ns, raw, what);
        }
        ys_vcast *c = NULL;
        assert_int_equal(ys_vballot_read(ctx, voter(b), v->ballots[b], &c, NULL), YS_OK);
        for (size_t a = 0; a < ys_vcast_nalpha(c); a++)
            for (int t = 0; t < 3; t++) {
                ysv_point alpha;
                assert_true(ysv_point_decode(&alpha, ys_vcast_alpha(c, a)));
                ysv_mul(&p, &alpha, &x[t]);
                snprintf(what, sizeof what, "trustee %d's decryption of α %zu of %s ballot %zu", t + 1, a, v->noun, b);
                ns_secret_point(ns, &p, what);
            }
        ys_vcast_free(c);
    }
    for (int t = 0; t < 3; t++)
        ysv_scalar_wipe(&x[t]);
    ns_ready(ns);
}

/* The board's codes of ballots [0, n): what the file and the memory must hold. */
static void code_controls(needles *ns, const vote *v, size_t n)
{
    for (size_t b = 0; b < n; b++) {
        char what[64];
        snprintf(what, sizeof what, "the code of %s ballot %zu", v->noun, b);
        ns_add(ns, v->codes[b], strlen(v->codes[b]), what, "base64");
    }
    ns_ready(ns);
}

/* ---- the vote, cast ---- */

static void encrypt_all(vote *v, const ys_vvote *ctx)
{
    for (size_t b = 0; b < v->n; b++) {
        ys_vcast *c = NULL;
        assert_int_equal(ys_vballot_encrypt(ctx, voter(b), v->marks[b], NULL, 0, NULL, &v->ballots[b], &v->audits[b], NULL),
                         YS_OK);
        assert_int_equal(ys_vballot_read(ctx, voter(b), v->ballots[b], &c, NULL), YS_OK);
        sodium_bin2base64(v->codes[b], sizeof v->codes[b], ys_vcast_code(c), YS_VHASH, sodium_base64_VARIANT_ORIGINAL);
        ys_vcast_free(c);
        for (size_t m = 0; m < v->ncand; m++) {
            v->yes[m] += v->marks[b][m] == YS_VMARK_YES;
            v->no[m] += v->marks[b][m] == YS_VMARK_NO;
        }
    }
}

static long cast(const vote *v, size_t b)
{
    char path[96], *body = NULL;
    json_t *j = json_pack("{s:O}", "encrypted", v->ballots[b]);
    snprintf(path, sizeof path, "/api/%ss/%d/%s", v->noun, v->id, v->poll ? "votes" : "ballots");
    body = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    api_resp r = api_call(&srv, "POST", path, v->tokens[b], body);
    free(body);
    long status = r.status;
    api_free(&r);
    return status;
}

/* Ballots [from, n) cast by a process of their own, as terminals do while the attacker takes the dump. */
static pid_t cast_burst(const vote *v, size_t from)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        for (size_t b = from; b < v->n; b++)
            if (cast(v, b) != 201)
                _exit(1);
        _exit(0);
    }
    return pid;
}

/* A copy of the file as it stands (SQLite's backup, which reads through the server's WAL). */
static void backup_now(const char *to)
{
    if (api_on_postgresql(&srv)) {
        pg_export(to);
        return;
    }
    sqlite3 *from = NULL, *dst = NULL;
    assert_int_equal(sqlite3_open_v2(srv.file, &from, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_open(to, &dst), SQLITE_OK);
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", from, "main");
    assert_non_null(b);
    assert_int_equal(sqlite3_backup_step(b, -1), SQLITE_DONE);
    sqlite3_backup_finish(b);
    assert_int_equal(sqlite3_exec(dst, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(dst);
    sqlite3_close(from);
}

static void open_vote(vote *v)
{
    char path[96];
    snprintf(path, sizeof path, "/api/%ss/%d/open", v->noun, v->id);
    api_post_expect(&srv, path, chair, v->poll ? NULL : "{}", 200, NULL);
    v->open_seq = api_seq(&srv);
    snprintf(v->base, sizeof v->base, "%s/%s-open.db", srv.dir, v->noun);
    backup_now(v->base);
}

/* Casts half the ballots, then the rest in a burst during which the attacker takes the file, the WAL and
 * the memory: nothing secret in them, the casts acknowledged there, and every commit only the board. */
static void attack_while_casting(vote *v, needles *secrets)
{
    size_t half = v->n / 2;
    for (size_t b = 0; b < half; b++)
        assert_int_equal(cast(v, b), 201);
    pid_t burst = cast_burst(v, half);
    while (api_seq(&srv) < v->open_seq + (long long)half + 3)
        nanosleep(&(struct timespec){0, 2 * 1000 * 1000}, NULL);
    snap s;
    snapshot(v->poll ? 1 : 0, &s);
    int st;
    assert_int_equal(waitpid(burst, &st, 0), burst);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    size_t k = check_state(s.db, v);
    fprintf(stderr, "taken during the burst: %zu of %zu %s ballots on the board, a memory dump of %zu MB\n", k, v->n,
            v->noun, s.core_bytes >> 20);
    assert_true(k >= half + 3);
    needles controls = {0};
    code_controls(&controls, v, k);
    search(secrets, &controls, &controls, &s);
    unlink(s.core); /* hundreds of MB under the sanitizers */
    check_wal(&s, v);
    ns_free(&controls);
}

/* After the close and two trustees' decryptions: the count is the marks', the aggregate's partial
 * decryptions are in the file and the memory, and still no ballot's decryption nor any secret. */
static void attack_after_count(vote *v, needles *secrets)
{
    char base[64];
    snprintf(base, sizeof base, "/api/%ss/%d", v->noun, v->id);
    char path[96];
    snprintf(path, sizeof path, "%s/close", base);
    api_post_expect(&srv, path, chair, v->poll ? NULL : "{}", 200, NULL);
    json_t *partials = vt_decrypt(&srv, &key, base, 1, 2);
    needles controls = {0};
    size_t i, j;
    json_t *ps, *d;
    json_array_foreach(partials, i, ps) json_array_foreach(ps, j, d) {
        char what[96];
        snprintf(what, sizeof what, "trustee %zu's partial decryption %zu of the aggregates", i + 2, j);
        const char *b64 = json_string_value(json_object_get(d, "d"));
        ns_add(&controls, b64, strlen(b64), what, "base64");
    }
    ns_ready(&controls);
    json_decref(partials);
    v->end_seq = api_seq(&srv);
    json_t *view = vt_get(&srv, base);
    if (v->poll) {
        assert_int_equal(json_integer_value(json_object_get(view, "yes")), v->yes[0]);
        assert_int_equal(json_integer_value(json_object_get(view, "no")), v->no[0]);
    } else
        for (size_t c = 0; c < v->ncand; c++) {
            const json_t *r = json_array_get(json_object_get(json_object_get(view, "result"), "candidates"), c);
            assert_int_equal(json_integer_value(json_object_get(r, "yes")), v->yes[c]);
            assert_int_equal(json_integer_value(json_object_get(r, "no")), v->no[c]);
        }
    json_decref(view);
    snap s;
    snapshot(v->poll ? 3 : 2, &s);
    assert_int_equal(check_state(s.db, v), v->n);
    search(secrets, &controls, &controls, &s);
    unlink(s.core); /* hundreds of MB under the sanitizers */
    check_wal(&s, v);
    ns_free(&controls);
}

static void vote_free(vote *v)
{
    for (size_t b = 0; b < v->n; b++) {
        json_decref(v->ballots[b]);
        json_decref(v->audits[b]);
        ys_free(v->tokens[b]);
    }
}

static vote *held[2]; /* the election and the poll, for the check after the stop */
static needles held_secrets[2];

static void attack(vote *v, int seats)
{
    for (size_t b = 0; b < v->n; b++)
        v->tokens[b] = api_login_delegate(&srv, voter(b), "202401");
    open_vote(v);
    ys_vvote *ctx = vt_terminal_context(&srv, &key, v->poll, v->id, v->names, v->ncand, seats);
    encrypt_all(v, ctx);
    needles *secrets = &held_secrets[v->poll];
    all_secrets(secrets, v, ctx);
    attack_while_casting(v, secrets);
    attack_after_count(v, secrets);
    ys_vvote_free(ctx);
    held[v->poll] = v;
}

/* ---- the tests ---- */

static int group_setup(void **state)
{
    (void)state;
    began = time(NULL);
    api_make_demo(&srv);
    if (api_on_postgresql(&srv))
        pg_store_uncompressed();
    api_start(&srv, NULL);
    vt_ceremony(&srv, &key);
    chair = api_login_staff(&srv, "chair", "demo-chair");
    json_t *att = vt_get(&srv, "/api/meetings/6/attendance"), *d;
    size_t i;
    voters = json_array();
    json_array_foreach(json_object_get(att, "delegates"), i, d)
        if (!strcmp(json_string_value(json_object_get(d, "presence")), "present") && json_array_size(voters) < MAX_BALLOTS)
            json_array_append(voters, json_object_get(d, "code"));
    json_decref(att);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    if (srv.pid > 0)
        api_stop(&srv, SIGTERM);
    for (int i = 0; i < 2; i++) {
        if (held[i])
            vote_free(held[i]);
        ns_free(&held_secrets[i]);
    }
    json_decref(voters);
    ys_free(chair);
    vt_key_free(&key);
    api_cleanup(&srv);
    return 0;
}

static vote the_election = {.noun = "election", .names = (const char *const[]){"张三", "李四"}, .ncand = 2, .n = 40};
static vote the_poll = {.poll = true, .noun = "poll", .names = (const char *const[]){"关于代表资格审查的决议"}, .ncand = 1,
                        .n = 24};

static void an_election(void **state)
{
    (void)state;
    vote *v = &the_election;
    json_t *made = vt_post(&srv, "/api/elections", chair,
                           json_pack("{s:s, s:i, s:b, s:i}", "office", "sc_member", "seats", 2, "by_election", 1, "key", key.id),
                           201, NULL);
    v->id = vt_made_id(made);
    json_decref(made);
    char path[96];
    snprintf(path, sizeof path, "/api/elections/%d/nominations", v->id);
    for (size_t c = 0; c < v->ncand; c++) {
        char body[64];
        snprintf(body, sizeof body, "{\"name\":\"%s\"}", v->names[c]);
        api_post_expect(&srv, path, chair, body, 201, NULL);
    }
    /* two seats: every combination of marks */
    static const ys_vmark pattern[][2] = {{YS_VMARK_YES, YS_VMARK_NO},      {YS_VMARK_NO, YS_VMARK_YES},
                                          {YS_VMARK_YES, YS_VMARK_YES},     {YS_VMARK_NO, YS_VMARK_ABSTAIN},
                                          {YS_VMARK_ABSTAIN, YS_VMARK_YES}, {YS_VMARK_YES, YS_VMARK_ABSTAIN},
                                          {YS_VMARK_NO, YS_VMARK_NO},       {YS_VMARK_ABSTAIN, YS_VMARK_ABSTAIN},
                                          {YS_VMARK_YES, YS_VMARK_NO}};
    for (size_t b = 0; b < v->n; b++)
        memcpy(v->marks[b], pattern[(b * 5 + b / 9) % 9], sizeof v->marks[b]);
    attack(v, 2);
}

static void a_poll(void **state)
{
    (void)state;
    vote *v = &the_poll;
    json_t *made = vt_post(&srv, "/api/polls", chair, json_pack("{s:s, s:i}", "title", v->names[0], "key", key.id), 201, NULL);
    v->id = vt_made_id(made);
    json_decref(made);
    for (size_t b = 0; b < v->n; b++)
        v->marks[b][0] = (ys_vmark)((b * 7 + b / 5) % 3);
    attack(v, 1);
}

/* After a clean stop the WAL is folded into the main file: the file alone still holds no secret, and the
 * casts in the board's order. */
static void the_file_after_a_clean_stop(void **state)
{
    (void)state;
    assert_int_equal(api_stop(&srv, SIGTERM), 0);
    srv.pid = 0;
    for (int i = 0; i < 2; i++) {
        if (!held[i])
            skip();
        if (api_on_postgresql(&srv)) { /* written out of PostgreSQL's buffers into the database's files first */
            char out[64], copy[400];
            pg_sql("CHECKPOINT", out, sizeof out);
            assert_int_equal(ns_scan_pg(&held_secrets[i], "after the stop", true), 0);
            snprintf(copy, sizeof copy, "%s/stopped.db", srv.dir);
            pg_export(copy);
            assert_int_equal(check_state(copy, held[i]), held[i]->n);
            continue;
        }
        size_t hits = ns_scan_file(&held_secrets[i], srv.file, "the stopped server's file", true);
        char wal[340];
        snprintf(wal, sizeof wal, "%s-wal", srv.file);
        hits += ns_scan_file(&held_secrets[i], wal, "the stopped server's WAL", true);
        assert_int_equal(hits, 0);
        assert_int_equal(check_state(srv.file, held[i]), held[i]->n);
    }
}

/* ---- a ballot changed in the file while the vote is open ---- */

/* β of the first mark of the ballot in event seq, with one byte changed so that it is still a point (else
 * the ciphertext would be refused as no point at all, a weaker test): the old and new base64. */
static void changed_beta(const json_t *payload, char old[45], char new[45])
{
    const char *b = json_string_value(json_array_get(
        json_object_get(json_array_get(json_object_get(json_object_get(payload, "ballot"), "marks"), 0), "ct"), 1));
    uint8_t raw[32];
    ysv_point p;
    snprintf(old, 45, "%s", b);
    assert_true(ysv_unb64(raw, b));
    for (int i = 0; i < 32 * 8; i++) {
        raw[i / 8] ^= (uint8_t)(1u << (i % 8));
        if (ysv_point_decode(&p, raw)) {
            ysv_b64(new, raw);
            return;
        }
        raw[i / 8] ^= (uint8_t)(1u << (i % 8));
    }
    fail_msg("no one-bit change of %s is a point", b);
}

/* What an operator with sqlite3 does to the live file: the log's trigger dropped, one ballot rewritten,
 * the trigger put back. */
static void change_in_file(long long seq, const char *old, const char *new)
{
    if (api_on_postgresql(&srv)) { /* base64 holds no quote: the values go into the SQL as they are */
        char url[400], id[16], cmd[2400], out[64];
        api_store_and_session(&srv, url, sizeof url, id);
        snprintf(cmd, sizeof cmd, "psql -qtA -v ON_ERROR_STOP=1 '%s' -c 'BEGIN' -c 'ALTER TABLE events DISABLE TRIGGER "
                 "events_append_only' -c \"WITH changed AS (UPDATE events SET payload = replace(payload, '%s', '%s') "
                 "WHERE session_id = %s AND seq = %lld RETURNING 1) SELECT count(*) FROM changed\" -c 'ALTER TABLE "
                 "events ENABLE TRIGGER events_append_only' -c 'COMMIT'", url, old, new, id, seq);
        run_line(cmd, out, sizeof out);
        assert_string_equal(out, "1");
        return;
    }
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_open(srv.file, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 10000);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT sql FROM sqlite_master WHERE name = 'events_append_only_update'", -1,
                                        &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    char *trigger = ys_strdup((const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE; DROP TRIGGER events_append_only_update", NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "UPDATE events SET payload = replace(payload, ?, ?) WHERE seq = ?", -1, &q,
                                        NULL), SQLITE_OK);
    sqlite3_bind_text(q, 1, old, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, new, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 3, seq);
    assert_int_equal(sqlite3_step(q), SQLITE_DONE);
    assert_int_equal(sqlite3_changes(db), 1);
    sqlite3_finalize(q);
    assert_int_equal(sqlite3_exec(db, trigger, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    ys_free(trigger);
}

/* `yishi verify -f FILE` names event seq. */
static void verify_names(long long seq)
{
    char cmd[600], out[4096] = "", want[64];
    snprintf(cmd, sizeof cmd, "'%s' verify -f '%s' 2>&1", api_yishi, srv.file);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = '\0';
    int st = pclose(p);
    snprintf(want, sizeof want, "DOES NOT VERIFY at event %lld:", seq);
    if (st == 0 || !strstr(out, want))
        fail_msg("yishi verify does not name event %lld: %s", seq, out);
    fprintf(stderr, "%s", out);
}

/* The last attack: a cast ballot's ciphertext changed in the file while the vote is open. yishi
 * verify names the event; the count is of the ballots as they were checked, not as the file now says. And
 * a mark in the clear sent to the open poll is refused. */
static vote the_changed = {.poll = true, .noun = "poll", .names = (const char *const[]){"关于选举办法的决定"}, .ncand = 1,
                           .n = 3};

static void a_ballot_changed_in_the_file_is_named(void **state)
{
    (void)state;
    vote v = the_changed;
    if (!srv.pid)
        api_start(&srv, NULL);
    json_t *made = vt_post(&srv, "/api/polls", chair, json_pack("{s:s, s:i}", "title", v.names[0], "key", key.id), 201, NULL);
    v.id = vt_made_id(made);
    json_decref(made);
    static const ys_vmark marks[3] = {YS_VMARK_YES, YS_VMARK_YES, YS_VMARK_NO};
    for (size_t b = 0; b < v.n; b++) {
        v.marks[b][0] = marks[b];
        v.tokens[b] = api_login_delegate(&srv, voter(b), "202401");
    }
    open_vote(&v);
    ys_vvote *ctx = vt_terminal_context(&srv, &key, true, v.id, v.names, 1, 1);
    encrypt_all(&v, ctx);
    /* while it is open, a terminal that sends a mark in the clear is refused, and nothing is logged */
    char votes[96];
    snprintf(votes, sizeof votes, "/api/polls/%d/votes", v.id);
    api_post_expect(&srv, votes, v.tokens[0], "{\"choice\":\"yes\"}", 409, "wrong_state");
    assert_int_equal(api_seq(&srv), v.open_seq);
    for (size_t b = 0; b < v.n; b++)
        assert_int_equal(cast(&v, b), 201);
    long long seq = v.open_seq + 2; /* the second ballot */
    char old[45], new[45];
    json_t *p = json_pack("{s:O}", "ballot", v.ballots[1]);
    changed_beta(p, old, new);
    json_decref(p);
    change_in_file(seq, old, new);
    verify_names(seq);
    char base[64];
    snprintf(base, sizeof base, "/api/polls/%d", v.id);
    char path[96];
    snprintf(path, sizeof path, "%s/close", base);
    api_post_expect(&srv, path, chair, NULL, 200, NULL);
    json_decref(vt_decrypt(&srv, &key, base, 0, 2));
    json_t *view = vt_get(&srv, base);
    assert_int_equal(json_integer_value(json_object_get(view, "yes")), 2);
    assert_int_equal(json_integer_value(json_object_get(view, "no")), 1);
    json_decref(view);
    verify_names(seq);
    ys_vvote_free(ctx);
    vote_free(&v);
}

int main(int argc, char **argv)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {cmocka_unit_test(an_election), cmocka_unit_test(a_poll),
                                       cmocka_unit_test(the_file_after_a_clean_stop),
                                       cmocka_unit_test(a_ballot_changed_in_the_file_is_named)};
    return api_run_tests(argc, argv, tests, group_setup, group_teardown);
}
