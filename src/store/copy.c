/* copy.c — a session copied from one store to another, of either backend, through the store interface alone:
 * the log, checkpoints, ballot box and documents read in one snapshot and written in one transaction, so that
 * a county laptop's file goes into a provincial database (or a database's session into a file) whole. */
#include "yishi/store.h"

typedef struct copying {
    ys_store *to;
    int64_t events, last_seq;
} copying;

static ys_rc copy_event(const ys_event *ev, void *ud, ys_err *err)
{
    copying *c = ud;
    if (ev->seq != c->last_seq + 1) /* verify names it too; a copy keeps the numbering it finds, or none */
        return ys_fail(err, YS_CORRUPT, "seq", "the log jumps from event %lld to %lld", (long long)c->last_seq,
                       (long long)ev->seq);
    c->last_seq = ev->seq;
    c->events++;
    return ys_store_append(c->to, ev, err);
}

static ys_rc copy_ballot(const ys_event *sealed, void *ud, ys_err *err)
{
    copying *c = ud;
    bool election;
    return ys_store_put_sealed(c->to, sealed, ys_store_sealed_ref(sealed, &election), err);
}

static ys_rc copy_checkpoint(int64_t seq, int version, const uint8_t digest[YS_HASH_BYTES], void *ud, ys_err *err)
{
    copying *c = ud;
    return ys_store_checkpoint(c->to, seq, version, digest, err);
}

static ys_rc copy_blob(const char *hash_hex, const void *data, size_t len, void *ud, ys_err *err)
{
    copying *c = ud;
    return ys_store_put_blob(c->to, hash_hex, data, len, err);
}

/* An empty `to` is one whose log has no first event. */
static ys_rc refuse_event(const ys_event *ev, void *ud, ys_err *err)
{
    (void)ud;
    return ys_fail(err, YS_CONFLICT, "store", "the store copied into already holds a log (event %lld)",
                   (long long)ev->seq);
}

ys_rc ys_store_copy(ys_store *from, ys_store *to, int64_t *events, ys_err *err)
{
    copying c = {to, 0, 0};
    ys_rc rc = ys_store_scan(to, 0, refuse_event, NULL, err);
    if (rc)
        return rc;
    if ((rc = ys_store_begin(from, err)))
        return rc;
    if (!(rc = ys_store_begin(to, err))) {
        if ((rc = ys_store_scan(from, 0, copy_event, &c, err)) || (rc = ys_store_scan_sealed(from, copy_ballot, &c, err)) ||
            (rc = ys_store_scan_checkpoints(from, copy_checkpoint, &c, err)) ||
            (rc = ys_store_scan_blobs(from, copy_blob, &c, err)) || (rc = ys_store_commit(to, err)))
            ys_store_rollback(to);
    }
    ys_store_rollback(from); /* the snapshot's end */
    if (!rc && events)
        *events = c.events;
    return rc;
}
