/* reader.c — reads of a store on read-only connections of their own, so that the server's threads never
 * share the writer's connection: a few stores opened for reading (of either backend), one for each thread. */
#include "yishi/reader.h"

#include "yishi/alloc.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

typedef struct conn {
    pthread_mutex_t lock; /* taken by its own thread only, unless there are more threads than connections */
    ys_store *st;
} conn;

struct ys_reader {
    unsigned n;
    atomic_uint next;     /* hands each thread the connection it keeps */
    conn c[];
};

ys_rc ys_reader_open(const char *path, unsigned n, ys_reader **out, ys_err *err)
{
    ys_reader *r = ys_calloc(1, sizeof *r + (n ? n : 1) * sizeof(conn));
    ys_rc rc = YS_OK;
    *out = NULL;
    if (!r)
        return ys_fail(err, YS_NOMEM, NULL, "out of memory opening %s for reading", path);
    for (r->n = 0; r->n < (n ? n : 1) && !rc; r->n++) {
        pthread_mutex_init(&r->c[r->n].lock, NULL);
        rc = ys_store_open(path, YS_STORE_READONLY, &r->c[r->n].st, err);
    }
    if (rc) {
        ys_reader_close(r);
        return rc;
    }
    *out = r;
    return YS_OK;
}

void ys_reader_close(ys_reader *r)
{
    if (!r)
        return;
    for (unsigned i = 0; i < r->n; i++) {
        ys_store_close(r->c[i].st);
        pthread_mutex_destroy(&r->c[i].lock);
    }
    ys_free(r);
}

/* The calling thread's connection, locked: the same one at every call. */
static conn *take(ys_reader *r)
{
    static _Thread_local unsigned mine;
    static _Thread_local bool given;
    if (!given) {
        mine = atomic_fetch_add(&r->next, 1);
        given = true;
    }
    conn *c = &r->c[mine % r->n];
    pthread_mutex_lock(&c->lock);
    return c;
}

ys_rc ys_reader_blob(ys_reader *r, const char *hash_hex, char **data, size_t *len, ys_err *err)
{
    conn *c = take(r);
    ys_rc rc = ys_store_get_blob(c->st, hash_hex, data, len, err);
    pthread_mutex_unlock(&c->lock);
    return rc;
}

ys_rc ys_reader_scan(ys_reader *r, int64_t after, ys_store_event_fn fn, void *ud, ys_err *err)
{
    conn *c = take(r);
    ys_rc rc = ys_store_scan(c->st, after, fn, ud, err);
    pthread_mutex_unlock(&c->lock);
    return rc;
}
