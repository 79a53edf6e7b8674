/* reader.h — reads of a session file on read-only connections of their own, apart from the writer's: what
 * the server's threads look up while the writer commits (a document's content, a page of the log). */
#ifndef YISHI_READER_H
#define YISHI_READER_H

#include "yishi/error.h"
#include "yishi/store.h"

#include <stddef.h>

/* `n` read-only connections to the file (one per HTTP thread), each with its statements prepared once
 * and kept: a read opens nothing and parses no SQL. Thread-safe; a thread keeps to one connection, so
 * reads from different threads do not wait on each other. */
typedef struct ys_reader ys_reader;

ys_rc ys_reader_open(const char *path, unsigned n, ys_reader **out, ys_err *err);
void ys_reader_close(ys_reader *r);

/* The content stored under `hash_hex` (64 hex digits). *data is ys_malloc'd (ys_free it), NUL-terminated
 * after *len bytes. YS_NOT_FOUND when there is none. */
ys_rc ys_reader_blob(ys_reader *r, const char *hash_hex, char **data, size_t *len, ys_err *err);

/* ys_store_scan on one of the connections: fn for each event with seq > after, in order. */
ys_rc ys_reader_scan(ys_reader *r, int64_t after, ys_store_event_fn fn, void *ud, ys_err *err);

#endif
