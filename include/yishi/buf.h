/* buf.h — the one growable byte buffer of yishi, with a maximum size (as curl's dynbuf): reports,
 * CSV text, request bodies, stream buffers and files read whole all grow through it, never past a limit. */
#ifndef YISHI_BUF_H
#define YISHI_BUF_H

#include "yishi/error.h"

#include <stddef.h>

/* The content is p[0..len), always NUL-terminated once anything was added (p is NULL before).
 * The first failure sticks: the content is freed, every later add returns the same code, and rc
 * says so, so a writer may add many pieces and check once at the end. */
typedef struct ys_buf {
    char *p;
    size_t len, cap;
    size_t max;        /* the content is never longer than this many bytes */
    ys_rc rc;          /* YS_OK, or the first failure: YS_TOO_LARGE, YS_NOMEM (YS_INVALID: a bad format) */
} ys_buf;

/* An empty buffer whose content may grow to `max` bytes. Owns nothing until the first add. */
void ys_buf_init(ys_buf *b, size_t max);

/* Appends n bytes (YS_OK); past max YS_TOO_LARGE, out of memory YS_NOMEM. */
ys_rc ys_buf_add(ys_buf *b, const void *data, size_t n);
ys_rc ys_buf_addstr(ys_buf *b, const char *s);
ys_rc ys_buf_addf(ys_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Fails b as an add would (the content freed, rc kept), for a part written into another buffer that
 * failed: `ys_buf_fail(whole, part.rc)`. A b already failed keeps its first failure; rc YS_OK changes nothing. */
ys_rc ys_buf_fail(ys_buf *b, ys_rc rc);

/* Empties the content and keeps the memory (and the failure, if any). */
void ys_buf_reset(ys_buf *b);

/* Hands the content over (NUL-terminated, to ys_free(); an empty string when nothing was added)
 * and leaves b empty with the same max; NULL after a failure or when out of memory. */
char *ys_buf_take(ys_buf *b, size_t *len);

/* Frees the content; b may be initialised again. */
void ys_buf_free(ys_buf *b);

#endif
