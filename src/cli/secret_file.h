/* secret_file.h — the files a trustee keeps on their own machine: the secrets of `yishi trustee` (the backup
 * JSON of docs/verifiable.md §3, the trustee page's too) and the login; mode 0600, written whole or not at all. */
#ifndef YISHI_CLI_SECRET_FILE_H
#define YISHI_CLI_SECRET_FILE_H

#include "yishi/error.h"

#include <jansson.h>
#include <stdbool.h>

/* Reads path as one JSON object into *out (the caller's). Refused: a file that does not exist (YS_NOT_FOUND),
 * one that others than its owner may read or write (YS_FORBIDDEN: it holds secrets), one that is not JSON
 * (YS_BAD_JSON, with the line and column) or not an object. The text read is wiped. */
ys_rc ys_secret_file_read(const char *path, json_t **out, ys_err *err);

/* Writes j to path with mode 0600, atomically: a temporary file beside it, synced, renamed over path, and the
 * folder synced; on any failure path is as it was and the temporary file is gone. The text is wiped. */
ys_rc ys_secret_file_write(const char *path, const json_t *j, ys_err *err);

bool ys_secret_file_exists(const char *path);

#endif
