/* buf.c — the growable buffer with a maximum (see buf.h): growth by doubling through ys_grow,
 * the limit checked before any copy, and a failure that sticks so callers check once. */
#include "yishi/buf.h"

#include "yishi/alloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void ys_buf_init(ys_buf *b, size_t max) { *b = (ys_buf){.max = max}; }

static ys_rc give_up(ys_buf *b, ys_rc rc)
{
    ys_free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
    b->rc = rc;
    return rc;
}

ys_rc ys_buf_fail(ys_buf *b, ys_rc rc)
{
    return b->rc ? b->rc : rc ? give_up(b, rc) : YS_OK;
}

/* Room for n more bytes and the NUL after them. */
static ys_rc make_room(ys_buf *b, size_t n)
{
    if (b->rc)
        return b->rc;
    if (n > b->max || b->len > b->max - n)
        return give_up(b, YS_TOO_LARGE);
    if (ys_grow((void **)&b->p, &b->cap, b->len + n + 1, 1))
        return give_up(b, YS_NOMEM);
    return YS_OK;
}

ys_rc ys_buf_add(ys_buf *b, const void *data, size_t n)
{
    ys_rc rc = make_room(b, n);
    if (rc)
        return rc;
    if (n)
        memcpy(b->p + b->len, data, n);
    b->len += n;
    b->p[b->len] = '\0';
    return YS_OK;
}

ys_rc ys_buf_addstr(ys_buf *b, const char *s) { return ys_buf_add(b, s, strlen(s)); }

ys_rc ys_buf_addf(ys_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int need = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (b->rc)
        return b->rc;
    if (need < 0)
        return give_up(b, YS_INVALID);
    ys_rc rc = make_room(b, (size_t)need);
    if (rc)
        return rc;
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    b->len += (size_t)need;
    return YS_OK;
}

void ys_buf_reset(ys_buf *b)
{
    b->len = 0;
    if (b->p)
        b->p[0] = '\0';
}

char *ys_buf_take(ys_buf *b, size_t *len)
{
    if (b->rc || ys_buf_add(b, "", 0)) /* "" when nothing was added */
        return NULL;
    char *p = b->p;
    if (len)
        *len = b->len;
    ys_buf_init(b, b->max);
    return p;
}

void ys_buf_free(ys_buf *b)
{
    ys_free(b->p);
    ys_buf_init(b, b->max);
}
