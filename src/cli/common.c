/* common.c — what every subcommand of the yishi command shares: failure messages and exit codes,
 * the clock, opening a session file and committing events to it. */
#include "cli/cli.h"

#include "yishi/store.h"
#include "yishi/utf8.h"
#include "yishi/number.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <getopt.h>
#include <stdarg.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/* In both languages of the error table and then the detail, as the server says it. */
int ys_cli_fail(const char *cmd, ys_rc rc, const ys_err *err)
{
    char msg[800];
    fprintf(stderr, "yishi %s: %s\n", cmd, ys_err_text(rc, err, msg, sizeof msg));
    switch (rc) {
    case YS_OK: return YS_EXIT_OK;
    case YS_IO: case YS_STORE: case YS_NOMEM: case YS_DISK_FULL: return YS_EXIT_FAILED;
    default: return YS_EXIT_REFUSED;
    }
}

int ys_cli_unreadable(const char *cmd, const char *path)
{
    ys_err err;
    ys_fail(&err, YS_IO, "file", "cannot read %s: %s", path, strerror(errno));
    ys_cli_fail(cmd, YS_IO, &err);
    return YS_EXIT_USAGE;
}

int ys_cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    ys_err err = {.rc = YS_INVALID};
    va_start(ap, fmt);
    vsnprintf(err.msg, sizeof err.msg, fmt, ap);
    va_end(ap);
    err.msg[ys_utf8_cut(err.msg, sizeof err.msg - 1)] = '\0';
    ys_cli_fail(cmd, YS_INVALID, &err);
    ys_cli_usage(stderr, cmd);
    return YS_EXIT_USAGE;
}

int ys_cli_int(const char *cmd, const char *option, const char *text, long long min, long long max, long long *out)
{
    ys_err err = {0};
    if (ys_int_text(text, option, min, max, YS_INVALID, out, &err))
        return ys_cli_usage_error(cmd, "%s", err.msg);
    return YS_EXIT_OK;
}

void ys_cli_now(char out[32])
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ys_event_time(ts.tv_sec, ts.tv_nsec, out);
}

ys_ctx ys_cli_ctx(char time_buf[32])
{
    static char actor[96];
    const char *user = getenv("USER");
    snprintf(actor, sizeof actor, "cli:%s", user && *user ? user : "secretariat");
    ys_cli_now(time_buf);
    return (ys_ctx){.time = time_buf, .actor = actor};
}

ys_journal *ys_cli_open(const char *cmd, const char *path, int flags, int *exit_code)
{
    ys_journal *j = NULL;
    ys_err err = {0};
    ys_rc rc = ys_journal_open(path, flags, &j, &err);
    if (rc) {
        *exit_code = ys_cli_fail(cmd, rc, &err);
        return NULL;
    }
    *exit_code = YS_EXIT_OK;
    return j;
}

int ys_cli_commit(const char *cmd, ys_journal *j, ys_events *evs)
{
    ys_err err = {0};
    ys_rc rc = ys_journal_commit(j, evs, &err);
    return rc ? ys_cli_fail(cmd, rc, &err) : YS_EXIT_OK;
}

void ys_cli_discard(const char *path) { ys_journal_discard(path); }

int ys_cli_simple_options(const char *cmd, int argc, char **argv, int positionals, const char **file, bool *json)
{
    static const struct option with_json[] = {YS_CLI_FILE_OPTION, {"json", no_argument, NULL, 'j'}, {NULL, 0, NULL, 0}};
    static const struct option file_only[] = {YS_CLI_FILE_OPTION, {NULL, 0, NULL, 0}};
    int c;
    *file = YS_DEFAULT_FILE;
    optind = 0;
    while ((c = getopt_long(argc, argv, "f:", json ? with_json : file_only, NULL)) != -1) {
        if (c == 'f')
            *file = optarg;
        else if (c == 'j' && json)
            *json = true;
        else
            return ys_cli_usage_error(cmd, "unknown option");
    }
    if (positionals >= 0 && argc - optind > positionals)
        return ys_cli_usage_error(cmd, "unexpected argument '%s'", argv[optind + positionals]);
    return YS_EXIT_OK;
}

int ys_cli_store_session(const char *cmd, const char *url, const char *session, char **out)
{
    char *end = NULL;
    long long id = session ? strtoll(session, &end, 10) : 0;
    *out = NULL;
    if (!url || !session)
        return ys_cli_usage_error(cmd, "--store and --session go together");
    if (!ys_store_is_postgresql(url))
        return ys_cli_usage_error(cmd, "--store takes a PostgreSQL URL (postgresql://…); a file is -f FILE");
    if (strstr(url, "session="))
        return ys_cli_usage_error(cmd, "the session is given by --session, not in the URL");
    if (*end || id < 1 || id > 2147483647)
        return ys_cli_usage_error(cmd, "--session takes a session's id (1 or more), not '%s'", session);
    if (!(*out = ys_store_session_locator(url, id)))
        return ys_cli_fail(cmd, YS_NOMEM, NULL);
    return YS_EXIT_OK;
}

int ys_cli_take_name(const char *cmd, const char *building, const char *file)
{
    char wal[4200], dir[4200];
    ys_err err = {0};
    snprintf(wal, sizeof wal, "%s-wal", building);
    if (access(wal, F_OK) == 0) {
        ys_fail(&err, YS_IO, "file", "the WAL of %s was not checkpointed on close", building);
        return ys_cli_fail(cmd, YS_IO, &err);
    }
    if (rename(building, file) != 0) {
        ys_fail(&err, YS_IO, "file", "cannot rename %s to %s: %s", building, file, strerror(errno));
        return ys_cli_fail(cmd, YS_IO, &err);
    }
    snprintf(dir, sizeof dir, "%s", file);
    int fd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) { /* the rename itself survives a crash */
        fsync(fd);
        close(fd);
    }
    return YS_EXIT_OK;
}
