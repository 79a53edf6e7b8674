/* journal.c — opening a session file (replaying its log into state), committing batches of events
 * durably, and verifying a file offline: chain, replay and state digests. */
#include "yishi/journal.h"

#include "yishi/alloc.h"
#include "yishi/poll.h"
#include "yishi/vaudit.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* An event read from the file, through the one accept path, which checks its link and hash. The copy is
 * shallow and only read: a recorded event is not chained again. */
static ys_rc replay_one(const ys_event *ev, void *ud, ys_err *err)
{
    ys_event copy = *ev;
    return ys_session_accept(ud, &copy, 1, NULL, err);
}

/* Whether the poll or election a sealed ballot belongs to is still open. */
static bool vote_is_open(const ys_session *s, const ys_event *sealed)
{
    bool election;
    int64_t ref = ys_store_sealed_ref(sealed, &election);
    if (election)
        return ys_session_election_get(s, (int)ref) && ys_session_election_get(s, (int)ref)->state == YS_POLL_OPEN;
    return ys_poll_get(s, (int)ref) && ys_poll_get(s, (int)ref)->state == YS_POLL_OPEN;
}

/* Ballots of votes still open go back into their running counts; closed ones were counted at close. */
static ys_rc load_open_ballot(const ys_event *sealed, void *ud, ys_err *err)
{
    ys_session *s = ud;
    return vote_is_open(s, sealed) ? replay_one(sealed, s, err) : YS_OK;
}

static ys_rc replay(ys_store *st, ys_session *s, ys_err *err)
{
    ys_rc rc = ys_store_scan(st, 0, replay_one, s, err);
    return rc ? rc : ys_store_scan_sealed(st, load_open_ballot, s, err);
}

ys_rc ys_journal_open(const char *path, int flags, ys_journal **out, ys_err *err)
{
    ys_journal *j = ys_calloc(1, sizeof *j);
    ys_rc rc;
    *out = NULL;
    if (sodium_init() < 0) {
        ys_free(j);
        return ys_fail(err, YS_IO, NULL, "libsodium cannot start (no source of randomness)");
    }
    if (!j || !(j->session = ys_session_new())) {
        ys_free(j);
        return ys_fail(err, YS_NOMEM, NULL, "out of memory opening %s", path);
    }
    if ((rc = ys_store_open(path, flags, &j->store, err)) || (rc = replay(j->store, j->session, err))) {
        ys_journal_close(j);
        return rc;
    }
    j->durable_seq = j->session->seq;
    *out = j;
    return YS_OK;
}

void ys_journal_close(ys_journal *j)
{
    if (!j)
        return;
    ys_store_close(j->store);
    ys_session_free(j->session);
    ys_events_free(&j->batch);
    ys_free(j);
}

/* Replays the file into a fresh state after a failed batch, so that the state and the log stay one. A store
 * that holds fewer events than were committed through this journal is not taken as the state (durable_seq). */
static void reload(ys_journal *j)
{
    ys_session *fresh = ys_session_new();
    ys_err_clear(&j->stale_err);
    if (!fresh)
        ys_fail(&j->stale_err, YS_NOMEM, NULL, "out of memory");
    else if (!replay(j->store, fresh, &j->stale_err) && fresh->seq < j->durable_seq)
        ys_fail(&j->stale_err, YS_CORRUPT, "store", "the store holds %lld events, fewer than the %lld this server saw "
                "committed (a failover to a standby that had not received them all?): nothing is accepted until "
                "the store that has them is back", (long long)fresh->seq, (long long)j->durable_seq);
    j->stale = j->stale_err.rc != YS_OK;
    if (j->stale) {
        ys_session_free(fresh);
        return;
    }
    ys_session_free(j->session);
    j->session = fresh;
}

/* Forgets the last batch's events, keeping the array for the next. */
static void batch_clear(ys_journal *j)
{
    for (size_t i = 0; i < j->batch.n; i++)
        ys_event_clear(&j->batch.v[i]);
    j->batch.n = 0;
}

ys_rc ys_journal_begin(ys_journal *j, ys_err *err)
{
    batch_clear(j);
    if (j->stale)
        reload(j);
    if (j->stale)
        return ys_fail(err, j->stale_err.rc ? j->stale_err.rc : YS_STORE, NULL, "the session's state could not be rebuilt from the store after a "
                       "failed write (%s); nothing more is accepted until it is", j->stale_err.msg);
    return ys_store_begin(j->store, err);
}

void ys_journal_abort(ys_journal *j)
{
    batch_clear(j);
    ys_store_rollback(j->store);
    reload(j);
}

void ys_ballot_random_id(void *ud, uint8_t id[YS_HASH_BYTES])
{
    (void)ud;
    randombytes_buf(id, YS_HASH_BYTES);
}

typedef struct adding {
    ys_journal *j;
    size_t done, total;
} adding;

/* An accepted event goes to the file: a chained one to the log with its projections; a sealed one into the
 * box under its random id, so that the log cannot tell which cast it came with. */
static ys_rc store_accepted(void *ud, const ys_event *ev, ys_err *err)
{
    adding *a = ud;
    bool election;
    ys_rc rc = ev->sealed ? ys_store_put_sealed(a->j->store, ev, ys_store_sealed_ref(ev, &election), err)
                          : ys_store_append(a->j->store, ev, err);
    if (!rc && a->j->progress && (++a->done % 64 == 0 || a->done == a->total))
        a->j->progress(a->done, a->total, a->j->progress_ud);
    return rc;
}

/* The batch keeps the chained events for the receipts and the streams; a sealed ballot's content is not
 * kept once it is in the box. Room is made first, so that keeping cannot fail after the writes. */
static void keep_committed(ys_journal *j, ys_events *evs)
{
    for (size_t i = 0; i < evs->n; i++) {
        if (evs->v[i].sealed)
            ys_event_clear(&evs->v[i]);
        else
            j->batch.v[j->batch.n++] = evs->v[i];
    }
    ys_free(evs->v);
    ys_events_init(evs);
}

ys_rc ys_journal_add(ys_journal *j, ys_events *evs, ys_err *err)
{
    adding a = {j, 0, evs->n};
    ys_accept_sink sink = {ys_ballot_random_id, store_accepted, &a};
    ys_rc rc = YS_OK;
    if (ys_grow((void **)&j->batch.v, &j->batch.cap, j->batch.n + evs->n, sizeof *j->batch.v))
        rc = ys_fail(err, YS_NOMEM, NULL, "out of memory keeping a batch of %zu events", evs->n);
    if (!rc)
        rc = ys_session_accept(j->session, evs->v, evs->n, &sink, err);
    if (rc) {
        ys_events_free(evs);
        ys_journal_abort(j);
        return rc;
    }
    keep_committed(j, evs);
    return YS_OK;
}

const ys_events *ys_journal_batch(const ys_journal *j) { return &j->batch; }

ys_rc ys_journal_end(ys_journal *j, ys_err *err)
{
    uint8_t digest[YS_HASH_BYTES];
    ys_session_digest(j->session, digest); /* kept by the fold: the same cost whatever the session's size */
    ys_rc rc = ys_store_checkpoint(j->store, j->session->seq, YS_DIGEST_VERSION, digest, err);
    if (!rc)
        rc = ys_store_commit(j->store, err);
    if (rc)
        ys_journal_abort(j);
    else
        j->durable_seq = j->session->seq;
    return rc;
}

ys_rc ys_journal_create(const char *path, const ys_ctx *ctx, const ys_init_args *a, ys_journal **out, ys_err *err)
{
    ys_journal *j = NULL;
    ys_events evs;
    bool existed = ys_store_exists(path);
    /* The names a session takes when none are given: the rule set's assembly, its first term and session. */
    ys_init_args named = {.assembly = a->assembly ? a->assembly : a->rules->name, .term = a->term ? a->term : "第一届",
                          .name = a->name ? a->name : "第一次会议", .rules = a->rules};
    ys_events_init(&evs);
    *out = NULL;
    ys_rc rc = ys_journal_open(path, YS_STORE_CREATE, &j, err);
    if (!rc && !(rc = ys_cmd_init(j->session, ctx, &named, &evs, err)))
        rc = ys_journal_commit(j, &evs, err);
    ys_events_free(&evs);
    if (rc) {
        /* a file or session of our own, half made: no trace of it is left (a session made without an id
         * in the locator is named by the store's) */
        char *made = j && !existed ? ys_strdup(ys_store_locator(j->store)) : NULL;
        ys_journal_close(j);
        if (!existed)
            ys_journal_discard(made ? made : path);
        ys_free(made);
        return rc;
    }
    *out = j;
    return YS_OK;
}

void ys_journal_discard(const char *path) { ys_store_discard(path, NULL); }

ys_rc ys_journal_commit(ys_journal *j, ys_events *evs, ys_err *err)
{
    return ys_journal_commit_blobs(j, evs, NULL, 0, err);
}

ys_rc ys_journal_commit_blobs(ys_journal *j, ys_events *evs, const ys_blob *blobs, size_t n_blobs, ys_err *err)
{
    ys_rc rc = YS_OK;
    if (evs->n == 0) {
        ys_events_free(evs);
        return YS_OK;
    }
    if ((rc = ys_journal_begin(j, err))) {
        ys_events_free(evs);
        return rc;
    }
    for (size_t i = 0; i < n_blobs && !rc; i++)
        rc = ys_store_put_blob(j->store, blobs[i].hash_hex, blobs[i].data, blobs[i].len, err);
    if (rc) {
        ys_events_free(evs);
        ys_journal_abort(j);
        return rc;
    }
    if ((rc = ys_journal_add(j, evs, err)))
        return rc;
    return ys_journal_end(j, err);
}

/* ---- verify ---- */

typedef struct checkpoint {
    int64_t seq;
    int version;
    uint8_t digest[YS_HASH_BYTES];
} checkpoint;

typedef struct verifier {
    ys_session *s;
    ys_receipt *receipt;      /* a receipt to look for on the way, or NULL */
    ys_store *fresh;          /* the projections rebuilt from the events, in a scratch store */
    ys_verify_report *rep;
    ys_vaudit *audit;         /* the verifiable ballots' proofs, checked beside the replay */
    checkpoint *cps;
    size_t n_cps, cap_cps, next_cp;
    int64_t last_good_cp;
} verifier;

static ys_rc collect_checkpoint(int64_t seq, int version, const uint8_t digest[YS_HASH_BYTES], void *ud, ys_err *err)
{
    verifier *v = ud;
    if (ys_grow((void **)&v->cps, &v->cap_cps, v->n_cps + 1, sizeof *v->cps))
        return ys_fail(err, YS_NOMEM, NULL, "out of memory reading checkpoints");
    v->cps[v->n_cps].seq = seq;
    v->cps[v->n_cps].version = version;
    memcpy(v->cps[v->n_cps].digest, digest, YS_HASH_BYTES);
    v->n_cps++;
    return YS_OK;
}

static ys_rc stop_at(verifier *v, int64_t seq, const char *reason)
{
    v->rep->ok = false;
    v->rep->bad_seq = seq;
    snprintf(v->rep->reason, sizeof v->rep->reason, "%s", reason);
    return YS_CORRUPT;
}

/* A vote is the delegate's own when its actor is their login; anything else was entered for them. */
static void count_proxy_vote(verifier *v, const ys_event *ev)
{
    char own[96];
    const ys_event_type *t = ys_event_type_of(ev->type);
    if (!t || (t->vote != YS_VOTE_NAMED && t->vote != YS_VOTE_CAST))
        return;
    json_int_t id = json_integer_value(json_object_get(ev->payload, "delegate"));
    if (id < 1 || (size_t)id > v->s->n_delegates)
        return;
    snprintf(own, sizeof own, "delegate:%s", v->s->delegates[id - 1].code);
    v->rep->proxy_votes += strcmp(ev->actor, own) != 0;
}

static ys_rc verify_one(const ys_event *ev, void *ud, ys_err *err)
{
    verifier *v = ud;
    ys_err why = {0};
    int64_t bad = 0;
    v->rep->events++;
    ys_rc rc = ys_vaudit_replay(v->audit, v->s, ev, &bad, &why);
    if (rc == YS_NOMEM)
        return ys_fail(err, rc, NULL, "%s", why.msg);
    if (rc)
        return stop_at(v, bad ? bad : ev->seq, why.msg);
    if (ys_store_append(v->fresh, ev, &why))
        return stop_at(v, ev->seq, why.msg);
    count_proxy_vote(v, ev);
    if (v->receipt && ev->seq == v->receipt->seq) {
        v->receipt->found = memcmp(ev->hash, v->receipt->hash, YS_HASH_BYTES) == 0;
        snprintf(v->receipt->type, sizeof v->receipt->type, "%s", ev->type);
    }
    while (v->next_cp < v->n_cps && v->cps[v->next_cp].seq == ev->seq) {
        uint8_t digest[YS_HASH_BYTES];
        char msg[256];
        /* A checkpoint of the current version costs nothing to compare; one of version 1 (an older file)
         * costs a pass over the state, as it did when it was written. */
        if (!ys_session_digest_of(v->s, v->cps[v->next_cp].version, digest)) {
            snprintf(msg, sizeof msg, "the checkpoint at event %lld holds a state digest of version %d, which this "
                     "yishi does not know", (long long)ev->seq, v->cps[v->next_cp].version);
            return stop_at(v, ev->seq, msg);
        }
        if (memcmp(digest, v->cps[v->next_cp].digest, YS_HASH_BYTES) != 0) {
            snprintf(msg, sizeof msg, "the state replayed through event %lld differs from the state recorded "
                     "when events %lld to %lld were committed", (long long)ev->seq,
                     (long long)v->last_good_cp + 1, (long long)ev->seq);
            return stop_at(v, v->last_good_cp + 1, msg);
        }
        v->rep->checkpoints++;
        v->last_good_cp = ev->seq;
        v->next_cp++;
    }
    return YS_OK;
}

/* The ballots whose batch was still waiting when the log ended; then what the audit checked. */
static ys_rc audit_finish(verifier *v, ys_err *err)
{
    ys_err why = {0};
    int64_t bad = 0;
    ys_rc rc = ys_vaudit_finish(v->audit, &bad, &why);
    if (rc == YS_NOMEM)
        return ys_fail(err, rc, NULL, "%s", why.msg);
    if (rc)
        return stop_at(v, bad, why.msg);
    v->rep->v_ballots = ys_vaudit_ballots(v->audit);
    v->rep->v_decryptions = ys_vaudit_decryptions(v->audit);
    v->rep->v_shuffles = ys_vaudit_shuffles(v->audit);
    return YS_OK;
}

typedef struct recounter {
    ys_session *s;
    ys_recount *r;
} recounter;

static ys_rc recount_one(const ys_event *sealed, void *ud, ys_err *err)
{
    recounter *rc = ud;
    return vote_is_open(rc->s, sealed) ? replay_one(sealed, rc->s, err) : ys_recount_add(rc->r, sealed, err);
}

/* Every closed anonymous poll and election is counted again from the ballot box. */
static ys_rc recount(ys_store *st, verifier *v, ys_err *err)
{
    recounter rc = {.s = v->s};
    ys_err why = {0};
    int64_t bad = 0;
    ys_rc r = ys_recount_new(v->s, &rc.r, err);
    if (r)
        return r;
    r = ys_store_scan_sealed(st, recount_one, &rc, &why);
    if (!r)
        r = ys_recount_check(rc.r, &bad, &why);
    ys_recount_free(rc.r);
    if (r == YS_NOMEM || r == YS_STORE)
        return ys_fail(err, r, NULL, "%s", why.msg);
    if (r)
        stop_at(v, bad ? bad : v->s->seq, why.msg);
    return r;
}

/* The tables anyone may query must say what the events say: rebuilt from the log, they are compared
 * row by row, so a projection edited behind the log's back is named. */
static ys_rc compare_projections(ys_store *st, verifier *v)
{
    ys_err why = {0};
    ys_rc rc = ys_store_compare_projections(st, v->fresh, &why);
    if (rc)
        stop_at(v, 0, why.msg);
    return rc;
}

/* The digest the fold kept along the way must be the one the whole state gives: if it is not, a change
 * of the state escaped it, and the checkpoints it wrote say nothing. */
static ys_rc check_kept_digest(verifier *v)
{
    uint8_t kept[YS_HASH_BYTES], whole[YS_HASH_BYTES];
    ys_session_digest(v->s, kept);
    ys_session_digest_full(v->s, whole);
    if (memcmp(kept, whole, YS_HASH_BYTES) != 0)
        return stop_at(v, v->s->seq, "the state digest kept while replaying differs from the digest of the whole "
                       "replayed state: this yishi's fold misses a change (a fault in yishi, not in the file)");
    return YS_OK;
}

static ys_rc verify(const char *path, ys_receipt *receipt, ys_verify_report *rep, ys_err *err);

ys_rc ys_journal_verify(const char *path, ys_verify_report *rep, ys_err *err)
{
    return verify(path, NULL, rep, err);
}

ys_rc ys_journal_verify_receipt(const char *path, ys_receipt *receipt, ys_verify_report *rep, ys_err *err)
{
    receipt->found = false;
    receipt->type[0] = '\0';
    return verify(path, receipt, rep, err);
}

static ys_rc verify(const char *path, ys_receipt *receipt, ys_verify_report *rep, ys_err *err)
{
    verifier v = {.rep = rep, .receipt = receipt};
    ys_store *st = NULL;
    ys_rc rc;
    memset(rep, 0, sizeof *rep);
    if ((rc = ys_store_open(path, YS_STORE_READONLY, &st, err)))
        return rc;
    if (!(v.s = ys_session_new())) {
        rc = ys_fail(err, YS_NOMEM, NULL, "out of memory verifying %s", path);
        goto out;
    }
    if ((rc = ys_store_scan_checkpoints(st, collect_checkpoint, &v, err)))
        goto out;
    if ((rc = ys_store_open_scratch(st, &v.fresh, err)) || (rc = ys_vaudit_new(&v.audit, err)))
        goto out;
    rep->ok = true;
    rc = ys_store_scan(st, 0, verify_one, &v, err);
    if (rc == YS_CORRUPT && rep->ok) /* an event that could not even be read */
        stop_at(&v, rep->events + 1, err ? err->msg : "an event cannot be read");
    if (!rc && v.next_cp < v.n_cps)
        rc = stop_at(&v, v.cps[v.next_cp].seq, "a checkpoint names an event that is not in the log: events were removed");
    if (!rc)
        rc = audit_finish(&v, err);
    if (!rc)
        rc = recount(st, &v, err);
    if (!rc)
        rc = compare_projections(st, &v);
    if (!rc)
        rc = check_kept_digest(&v);
    if (rc == YS_CORRUPT && !rep->ok)
        rc = YS_OK; /* the file was read; the report says what does not verify */
    if (!rc)
        ys_session_digest_full(v.s, rep->digest);
    if (!rc && receipt) {
        receipt->head_seq = v.s->seq;
        memcpy(receipt->head, v.s->head, YS_HASH_BYTES);
    }
out:
    ys_free(v.cps);
    ys_vaudit_free(v.audit);
    ys_session_free(v.s);
    ys_store_close(v.fresh);
    ys_store_close(st);
    return rc;
}
