/* cmd_session_io.c — `yishi export-session` and `yishi import-session`: a session moved between a PostgreSQL
 * service and a file, whole (log, checkpoints, ballot box, documents) and with the same bytes and hashes, so
 * that a county laptop's file goes up to the provincial service and a service's session comes down to a file
 * anyone can verify offline. Both sides are verified before the command says it is done. The logins go along
 * only when asked (--with-logins): a file archived to be verified by anyone need not hold password hashes. */
#include "cli/cli.h"

#include "yishi/alloc.h"
#include "yishi/auth.h"
#include "yishi/store.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* Verifies the store at `locator` as `yishi verify` does; a store that does not is refused for `cmd`, naming it
 * `what` and ending with `then` (what came of it). Returns an exit code, with the report in *rep. */
static int verified(const char *cmd, const char *locator, const char *what, const char *then, ys_verify_report *rep)
{
    ys_err err = {0};
    ys_rc rc = ys_journal_verify(locator, rep, &err);
    if (rc)
        return ys_cli_fail(cmd, rc, &err);
    if (rep->ok)
        return YS_EXIT_OK;
    if (rep->bad_seq)
        fprintf(stderr, "yishi %s: %s does not verify at event %lld: %s; %s\n", cmd, what, (long long)rep->bad_seq,
                rep->reason, then);
    else
        fprintf(stderr, "yishi %s: %s does not verify: %s; %s\n", cmd, what, rep->reason, then);
    return YS_EXIT_REFUSED;
}

/* The session at `from` copied into a store created at `to` (a file's path, or a database's URL for a new
 * session); *made gets the locator of what was created (ys_free it), which the caller removes if it is not
 * kept. */
static int copy_session(const char *cmd, const char *from, const char *to, char **made, int64_t *events)
{
    ys_store *src = NULL, *dst = NULL;
    ys_err err = {0};
    ys_rc rc = ys_store_open(from, YS_STORE_READONLY, &src, &err);
    *made = NULL;
    if (!rc && !(rc = ys_store_open(to, YS_STORE_CREATE, &dst, &err))) {
        if (!(*made = ys_strdup(ys_store_locator(dst))))
            rc = ys_fail(&err, YS_NOMEM, NULL, "out of memory");
        if (!rc)
            rc = ys_store_copy(src, dst, events, &err);
    }
    ys_store_close(dst);
    ys_store_close(src);
    return rc ? ys_cli_fail(cmd, rc, &err) : YS_EXIT_OK;
}

/* --with-logins: the staff accounts and cards of the store at `from` copied into the one at `to`. */
static int copy_logins(const char *cmd, const char *from, const char *to, ys_auth_copied *n)
{
    ys_auth *src = NULL, *dst = NULL;
    ys_err err = {0};
    ys_rc rc = ys_auth_open(from, &src, &err);
    if (!rc)
        rc = ys_auth_open(to, &dst, &err);
    if (!rc)
        rc = ys_auth_copy(src, dst, n, &err);
    ys_auth_close(dst);
    ys_auth_close(src);
    return rc ? ys_cli_fail(cmd, rc, &err) : YS_EXIT_OK;
}

static void say_logins(const ys_auth_copied *n, const char *where)
{
    printf("logins: %ld staff accounts and %ld cards copied", n->accounts, n->cards);
    if (n->accounts_kept || n->cards_kept)
        printf("; kept as %s had them: %ld accounts, %ld cards", where, n->accounts_kept, n->cards_kept);
    printf("\n");
}

/* ---- export-session ---- */

typedef struct export_args {
    const char *url, *session, *file;
    bool with_logins;
} export_args;

static int export_options(int argc, char **argv, export_args *a)
{
    static const struct option longopts[] = {YS_CLI_FILE_OPTION, {"store", required_argument, NULL, 's'},
                                             {"session", required_argument, NULL, 'S'},
                                             {"with-logins", no_argument, NULL, 'L'}, {NULL, 0, NULL, 0}};
    int c;
    *a = (export_args){0};
    optind = 0;
    while ((c = getopt_long(argc, argv, "f:", longopts, NULL)) != -1) {
        if (c == 'f')
            a->file = optarg;
        else if (c == 's')
            a->url = optarg;
        else if (c == 'S')
            a->session = optarg;
        else if (c == 'L')
            a->with_logins = true;
        else
            return ys_cli_usage_error("export-session", "unknown option");
    }
    if (optind < argc)
        return ys_cli_usage_error("export-session", "unexpected argument '%s'", argv[optind]);
    if (!a->file)
        return ys_cli_usage_error("export-session", "name the file to write (-f FILE)");
    if (ys_store_is_postgresql(a->file))
        return ys_cli_usage_error("export-session", "-f names the new session file, not a database");
    return YS_EXIT_OK;
}

/* verify reads the file read-only, which leaves its WAL beside it: a writer's open and close checkpoint the
 * WAL into the file and remove it, so that the file is whole in itself when it takes its name. */
static int settle_wal(const char *path)
{
    ys_store *st = NULL;
    ys_err err = {0};
    ys_rc rc = ys_store_open(path, 0, &st, &err);
    ys_store_close(st);
    return rc ? ys_cli_fail("export-session", rc, &err) : YS_EXIT_OK;
}

/* Written under FILE-exporting, verified, and renamed to FILE only then: FILE is the whole session or is not
 * there. FILE's writer lock is held throughout, so that no other command takes the name meanwhile. */
static int export_to(const char *from, const char *file, const char *building, bool with_logins)
{
    char *made = NULL;
    int64_t events = 0;
    ys_verify_report rep;
    ys_auth_copied logins = {0};
    ys_cli_discard(building); /* what an export killed half-way left */
    int code = copy_session("export-session", from, building, &made, &events);
    if (!code && with_logins)
        code = copy_logins("export-session", from, building, &logins);
    if (!code)
        code = verified("export-session", building, "the copy", "nothing was kept", &rep);
    if (!code)
        code = settle_wal(building);
    if (!code)
        code = ys_cli_take_name("export-session", building, file);
    if (made && code)
        ys_cli_discard(building);
    ys_free(made);
    if (code)
        return code;
    char digest[YS_HASH_HEX];
    ys_hash_hex(rep.digest, digest);
    printf("exported %s to %s: %lld events, state digest %s, verified\n", from, file, (long long)events, digest);
    if (with_logins)
        say_logins(&logins, "the file");
    return YS_EXIT_OK;
}

int ys_cli_export_session(int argc, char **argv)
{
    export_args a;
    char *from = NULL, building[4096];
    ys_store_lock *lock = NULL;
    ys_err err = {0};
    struct stat sb;
    int code = export_options(argc, argv, &a);
    if (!code)
        code = ys_cli_store_session("export-session", a.url, a.session, &from);
    if (code)
        return code;
    ys_rc rc = YS_OK;
    if ((size_t)snprintf(building, sizeof building, "%s-exporting", a.file) >= sizeof building)
        code = ys_cli_usage_error("export-session", "the file name is too long");
    else if ((rc = ys_store_lock_take(a.file, &lock, &err)))
        code = ys_cli_fail("export-session", rc, &err);
    else if (lstat(a.file, &sb) == 0)
        code = ys_cli_fail("export-session", ys_fail(&err, YS_CONFLICT, "file", "%s exists; export-session writes "
                                                     "a new file", a.file), &err);
    else
        code = export_to(from, a.file, building, a.with_logins);
    ys_store_lock_release(lock);
    ys_free(from);
    return code;
}

/* ---- import-session ---- */

static int import_options(int argc, char **argv, const char **file, const char **url, bool *with_logins)
{
    static const struct option longopts[] = {{"store", required_argument, NULL, 's'},
                                             {"with-logins", no_argument, NULL, 'L'}, {NULL, 0, NULL, 0}};
    int c;
    *url = NULL;
    *with_logins = false;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c == 's')
            *url = optarg;
        else if (c == 'L')
            *with_logins = true;
        else
            return ys_cli_usage_error("import-session", "unknown option");
    }
    if (optind != argc - 1)
        return ys_cli_usage_error("import-session", optind == argc ? "name the session file to import (FILE)"
                                                                    : "one file at a time");
    *file = argv[optind];
    if (!*url)
        return ys_cli_usage_error("import-session", "name the database to import into (--store URL)");
    if (!ys_store_is_postgresql(*url))
        return ys_cli_usage_error("import-session", "--store takes a PostgreSQL URL (postgresql://…)");
    if (strstr(*url, "session="))
        return ys_cli_usage_error("import-session", "the file becomes a new session: the URL names none");
    if (ys_store_is_postgresql(*file))
        return ys_cli_usage_error("import-session", "FILE is a session file, not a database");
    return YS_EXIT_OK;
}

int ys_cli_import_session(int argc, char **argv)
{
    const char *file = NULL, *url = NULL;
    char *made = NULL;
    int64_t events = 0;
    ys_verify_report rep;
    ys_auth_copied logins = {0};
    bool with_logins;
    int code = import_options(argc, argv, &file, &url, &with_logins);
    if (code)
        return code;
    if ((code = verified("import-session", file, file, "nothing was imported", &rep)))
        return code;
    code = copy_session("import-session", file, url, &made, &events);
    if (!code)
        code = verified("import-session", made, "the imported session", "it was removed again", &rep);
    if (!code && with_logins)
        code = copy_logins("import-session", file, made, &logins);
    if (code && made) {
        ys_err err = {0};
        if (ys_store_discard(made, &err))
            ys_cli_fail("import-session", err.rc, &err);
    }
    if (!code) {
        char digest[YS_HASH_HEX];
        ys_hash_hex(rep.digest, digest);
        printf("imported %s as session %s: %s\n%lld events, state digest %s, verified\n", file,
               strstr(made, "session=") + 8, made, (long long)events, digest);
        if (with_logins)
            say_logins(&logins, "its congress");
    }
    ys_free(made);
    return code;
}
