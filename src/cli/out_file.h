/* out_file.h — where a command's output goes: standard output, or a file written whole or not at all. */
#ifndef YISHI_CLI_OUT_FILE_H
#define YISHI_CLI_OUT_FILE_H

#include <stddef.h>

/* Writes len bytes to path (NULL or "-": standard output) through a temporary file beside it, synced and renamed
 * over path, so that a reader never sees half a report. Returns the command's exit code, the failure said. */
int ys_cli_write_out(const char *cmd, const char *path, const char *bytes, size_t len);

#endif
