/* cli.h — what the yishi command's subcommands share: the table that dispatches them,
 * option parsing helpers, and opening a session file. */
#ifndef YISHI_CLI_H
#define YISHI_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "yishi/command.h"
#include "yishi/journal.h"

/* Exit codes: 0 done; 1 refused (bad input, wrong state, a log that does not verify); 2 usage (a wrong
 * command line, or a file named on it that cannot be read); 3 the session file, the disk or memory failed. */
enum { YS_EXIT_OK = 0, YS_EXIT_REFUSED = 1, YS_EXIT_USAGE = 2, YS_EXIT_FAILED = 3 };

#define YS_DEFAULT_FILE "yishi.db"
/* yishi serve's configuration file when --config names none: SYSCONFDIR/yishi/yishi.conf (/etc for /usr). */
#ifndef YS_CONFIG_FILE
#define YS_CONFIG_FILE "/etc/yishi/yishi.conf"
#endif

typedef struct ys_cli_command {
    const char *name;
    const char *summary;
    const char *usage;   /* printed by --help, after "usage: yishi " */
    int (*run)(int argc, char **argv);
} ys_cli_command;

/* True if argv holds -h or --help; then the caller prints its usage and exits 0. */
bool ys_cli_wants_help(int argc, char **argv);
void ys_cli_usage(FILE *out, const char *name);

/* The largest file a command reads whole: SQLite keeps no value longer than this (SQLITE_MAX_LENGTH). */
#define YS_CLI_FILE_MAX ((size_t)1000000000)

/* Reads a whole file ("-" is standard input). Returns a NUL-terminated buffer to ys_free(), or NULL
 * with errno set (EFBIG past YS_CLI_FILE_MAX). */
char *ys_cli_read_file(const char *path, size_t *len);

/* Prints "yishi CMD: message" for a failure and returns the exit code that fits rc. */
int ys_cli_fail(const char *cmd, ys_rc rc, const ys_err *err);
/* Prints that a file named on the command line cannot be read (errno says why) and returns YS_EXIT_USAGE. */
int ys_cli_unreadable(const char *cmd, const char *path);
/* Prints a usage error and returns YS_EXIT_USAGE. */
int ys_cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* An option's whole number within [min, max] (yishi/number.h) into *out; otherwise a usage error naming the
 * option and its range. Returns an exit code. */
int ys_cli_int(const char *cmd, const char *option, const char *text, long long min, long long max, long long *out);

/* The clock and the actor of commands given on this terminal. */
void ys_cli_now(char out[32]);
ys_ctx ys_cli_ctx(char time_buf[32]);

/* Opens a session file, replaying it; prints what went wrong and returns NULL if it cannot. */
ys_journal *ys_cli_open(const char *cmd, const char *path, int flags, int *exit_code);
/* Removes a session file this command created and could not finish, with its WAL and index. */
void ys_cli_discard(const char *path);
/* Commits events, printing what went wrong; returns an exit code. */
int ys_cli_commit(const char *cmd, ys_journal *j, ys_events *evs);

/* Parses "-f FILE" / "--file FILE" / "--file=FILE" options shared by every command that works on a
 * session file; the remaining arguments are left in argv order. Used with getopt_long. */
#define YS_CLI_FILE_OPTION {"file", required_argument, NULL, 'f'}

/* Options of the commands that take only -f FILE (and --json when `json` is not NULL), and at most
 * `positionals` further arguments (-1: any number), which stay at argv[optind…]. Returns an exit code. */
int ys_cli_simple_options(const char *cmd, int argc, char **argv, int positionals, const char **file, bool *json);

/* --store URL --session ID: the locator of session ID in that PostgreSQL database (store.h), ys_malloc'd into
 * *out; a usage error (for `cmd`) when one is missing, the URL is no PostgreSQL URL or already names a session,
 * or ID is no session's id. Returns an exit code. */
int ys_cli_store_session(const char *cmd, const char *url, const char *session, char **out);

/* A session file built under the name `building` takes the name `file` (which the caller holds the writer's lock
 * of, and has seen free), the rename synced. Closed, the file's WAL has been checkpointed into it and removed; one
 * left over would be taken by SQLite for the WAL of whatever file comes to have that name, so none may be.
 * Returns an exit code, printing what went wrong for `cmd`. */
int ys_cli_take_name(const char *cmd, const char *building, const char *file);

/* Creates a session file under `rules` (NULL names take defaults). On success and with `out`, the
 * file stays open for more commands; on failure a file that did not exist before is removed. */
int ys_cli_create_session(const char *cmd, const char *path, const ys_rules *rules, const char *assembly,
                          const char *term, const char *name, ys_journal **out);

/* Imports one CSV list, given as text named `name` in messages, into an open session file; used by
 * import and demo. `quiet` leaves out the progress bar and the summary line. */
int ys_cli_import_text(ys_journal *j, ys_import_kind kind, const char *name, const char *text, size_t len,
                       bool quiet);

int ys_cli_init(int argc, char **argv);
int ys_cli_import(int argc, char **argv);
int ys_cli_meeting(int argc, char **argv);
/* `yishi meeting` of a meeting as held (cmd_held.c): the verbs it takes, and the command. */
bool ys_cli_held_verb(const char *verb);
int ys_cli_held(int argc, char **argv);
int ys_cli_checkin(int argc, char **argv);
int ys_cli_leave(int argc, char **argv);
int ys_cli_status(int argc, char **argv);
int ys_cli_log(int argc, char **argv);
int ys_cli_verify(int argc, char **argv);
int ys_cli_backup(int argc, char **argv);
int ys_cli_export_session(int argc, char **argv);
int ys_cli_import_session(int argc, char **argv);
int ys_cli_demo(int argc, char **argv);
int ys_cli_doc(int argc, char **argv);
int ys_cli_count(int argc, char **argv);
int ys_cli_poll(int argc, char **argv);
int ys_cli_election(int argc, char **argv);
int ys_cli_key(int argc, char **argv);
int ys_cli_trustee(int argc, char **argv);
int ys_cli_speech(int argc, char **argv);
int ys_cli_motion(int argc, char **argv);
int ys_cli_opinion(int argc, char **argv);
int ys_cli_delegate(int argc, char **argv);
int ys_cli_correct(int argc, char **argv);
int ys_cli_hall(int argc, char **argv);
int ys_cli_report(int argc, char **argv);
int ys_cli_export(int argc, char **argv);

#endif
