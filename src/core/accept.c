/* accept.c — the one path by which events enter a session: chained after the head (or, read from a file,
 * checked to link), applied, sealed ballots given their ids and counted, each handed to the caller's sink. */
#include "yishi/session.h"

#include "yishi/poll.h"

#include <sodium.h>
#include <string.h>

/* Ballot ids for a session that keeps no box: unique (the head moves with every cast that comes before
 * its ballot, and `at` tells apart the ballots of one batch) but derived from the log, so never secret. */
static void derived_id(const ys_session *s, size_t at, uint8_t id[YS_HASH_BYTES])
{
    uint64_t n = (uint64_t)at;
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, YS_HASH_BYTES);
    crypto_generichash_update(&st, s->head, YS_HASH_BYTES);
    crypto_generichash_update(&st, (const uint8_t *)&n, sizeof n);
    crypto_generichash_final(&st, id, YS_HASH_BYTES);
}

static bool has_id(const ys_event *ev)
{
    static const uint8_t zero[YS_HASH_BYTES];
    return memcmp(ev->hash, zero, YS_HASH_BYTES) != 0;
}

static ys_rc accept_sealed(ys_session *s, ys_event *ev, size_t at, const ys_accept_sink *sink, ys_err *err)
{
    if (!has_id(ev)) {
        if (sink && sink->ballot_id)
            sink->ballot_id(sink->ud, ev->hash);
        else
            derived_id(s, at, ev->hash);
    }
    if (!ev->payload_text && !(ev->payload_text = ys_json_canonical(ev->payload)))
        return ys_fail(err, YS_NOMEM, NULL, "out of memory sealing a ballot");
    return ys_session_apply_sealed(s, ev, err);
}

/* An event from the file must link to the head and match its hash before it is applied; what does not
 * apply is the file's fault, and says which event (memory running out says nothing about the file). */
static ys_rc accept_recorded(ys_session *s, const ys_event *ev, ys_err *err)
{
    uint8_t h[YS_HASH_BYTES];
    if (memcmp(ev->prev_hash, s->head, YS_HASH_BYTES) != 0)
        return ys_fail(err, YS_CORRUPT, "prev_hash", "event %lld does not link to event %lld: the log was changed",
                       (long long)ev->seq, (long long)s->seq);
    ys_event_hash(ev, h);
    if (memcmp(h, ev->hash, YS_HASH_BYTES) != 0)
        return ys_fail(err, YS_CORRUPT, "hash", "event %lld (%s) does not match its hash: it was changed",
                       (long long)ev->seq, ev->type);
    ys_rc rc = ys_session_apply(s, ev, err);
    if (!rc || rc == YS_NOMEM)
        return rc;
    if (err) { /* copies: ys_fail writes the buffers it would read */
        char why[sizeof err->msg], field[sizeof err->field];
        snprintf(why, sizeof why, "%s", err->msg);
        snprintf(field, sizeof field, "%s", err->field);
        ys_fail(err, YS_CORRUPT, field, "event %lld (%s) cannot be applied: %s", (long long)ev->seq, ev->type, why);
    }
    return YS_CORRUPT;
}

static ys_rc accept_one(ys_session *s, ys_event *ev, size_t at, const ys_accept_sink *sink, ys_err *err)
{
    if (ev->sealed)
        return accept_sealed(s, ev, at, sink, err);
    if (ev->seq)
        return accept_recorded(s, ev, err);
    ys_rc rc = ys_event_chain(ev, s->seq, s->head, err);
    return rc ? rc : ys_session_apply(s, ev, err);
}

ys_rc ys_session_accept(ys_session *s, ys_event *evs, size_t n, const ys_accept_sink *sink, ys_err *err)
{
    for (size_t i = 0; i < n; i++) {
        ys_rc rc = accept_one(s, &evs[i], i, sink, err);
        if (!rc && sink && sink->accepted)
            rc = sink->accepted(sink->ud, &evs[i], err);
        if (rc)
            return rc;
    }
    return YS_OK;
}
