/* reader.h — reads of a session file on a connection of their own, apart from the writer's: what the
 * server's threads look up while the writer commits (a document's content by its hash). */
#ifndef YISHI_READER_H
#define YISHI_READER_H

#include "yishi/error.h"

#include <stddef.h>

/* The content stored under `hash_hex` (64 hex digits). *data is ys_malloc'd (ys_free it), NUL-terminated
 * after *len bytes. YS_NOT_FOUND when there is none. */
ys_rc ys_read_blob(const char *path, const char *hash_hex, char **data, size_t *len, ys_err *err);

#endif
