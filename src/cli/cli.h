/* cli.h — what the yishi command's subcommands share: the table that dispatches them,
 * option parsing helpers, and opening a session file. */
#ifndef YISHI_CLI_H
#define YISHI_CLI_H

#include <stdbool.h>
#include <stdio.h>

/* Exit codes: 0 done, 1 refused (bad input, wrong state), 2 usage or input that cannot be used. */
enum { YS_EXIT_OK = 0, YS_EXIT_REFUSED = 1, YS_EXIT_USAGE = 2 };

typedef struct ys_cli_command {
    const char *name;
    const char *summary;
    const char *usage;   /* printed by --help, after "usage: yishi " */
    int (*run)(int argc, char **argv);
} ys_cli_command;

/* True if argv holds -h or --help; then the caller prints its usage and exits 0. */
bool ys_cli_wants_help(int argc, char **argv);
void ys_cli_usage(FILE *out, const char *name);

/* Reads a whole file ("-" is standard input). Returns a NUL-terminated buffer to ys_free(), or NULL
 * with errno set. */
char *ys_cli_read_file(const char *path, size_t *len);

int ys_cli_count(int argc, char **argv);

#endif
