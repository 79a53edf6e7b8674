/* journal.h — a session file opened for work: the store and the state replayed from it. Commits
 * accept a batch of events (ys_session_accept: chain, apply, seal), append them with their projections
 * and a checkpoint of the state digest, and sync once: the batch is durable when ys_journal_commit returns. */
#ifndef YISHI_JOURNAL_H
#define YISHI_JOURNAL_H

#include "yishi/command.h"
#include "yishi/event.h"
#include "yishi/session.h"
#include "yishi/store.h"

typedef struct ys_journal {
    ys_store *store;
    ys_session *session;
    /* Called while a commit writes its events (for a progress bar); may be NULL. */
    void (*progress)(size_t done, size_t total, void *ud);
    void *progress_ud;
    /* A failed batch left the state half-applied and it could not be rebuilt from the file (memory ran
     * out, the file could not be read, or it no longer verifies): no batch begins until a rebuild
     * succeeds. `stale_err` says why the last rebuild failed. */
    bool stale;
    ys_err stale_err;
    ys_events batch;    /* the chained events of the current batch (ys_journal_batch) */
    /* The last event this journal saw committed: a rebuild from a store that holds fewer (a database failed
     * over to a standby that had not received them) is refused, never taken as the state, so that an answered
     * write is not silently forgotten. */
    int64_t durable_seq;
} ys_journal;

/* Opens (flags: YS_STORE_CREATE / YS_STORE_READONLY) and replays the log, checking the hash chain.
 * A log whose chain or replay fails is refused with YS_CORRUPT naming the event. */
ys_rc ys_journal_open(const char *path, int flags, ys_journal **out, ys_err *err);
void ys_journal_close(ys_journal *j);

/* A new session file at `path` (refused when one is there) holding a session initialised under a->rules:
 * its session.init event committed. Names left NULL are the rule set's assembly, 第一届 and 第一次会议.
 * On success *out is the open journal; on failure a file that was not there before is removed.
 * `yishi init`, `yishi demo` and the server's setup (POST /api/setup) all create a session so. */
ys_rc ys_journal_create(const char *path, const ys_ctx *ctx, const ys_init_args *a, ys_journal **out, ys_err *err);
/* Removes a session file with its WAL and shared memory, or a PostgreSQL session (ys_store_discard): one whose
 * creation could not be finished. */
void ys_journal_discard(const char *path);

/* Content stored by its hash beside the log (a document version's text). */
typedef struct ys_blob {
    const char *hash_hex;
    const void *data;
    size_t len;
} ys_blob;

/* Commits `evs` (emptied on return, committed or not) and any blobs they refer to, in one
 * transaction. All or nothing: on failure neither the file nor the state has changed. */
ys_rc ys_journal_commit(ys_journal *j, ys_events *evs, ys_err *err);
ys_rc ys_journal_commit_blobs(ys_journal *j, ys_events *evs, const ys_blob *blobs, size_t n_blobs, ys_err *err);

/* A batch by hand, for a writer that applies many commands and syncs once (group commit):
 * begin; add the events of each accepted command in turn (each sees the state the ones before left);
 * end, which writes a checkpoint and commits durably. add empties `evs` whatever it returns. When add
 * or end fails, the batch is rolled back and the state replayed from the file: every command of the
 * batch must then be answered with the failure. */
ys_rc ys_journal_begin(ys_journal *j, ys_err *err);
ys_rc ys_journal_add(ys_journal *j, ys_events *evs, ys_err *err);
ys_rc ys_journal_end(ys_journal *j, ys_err *err);
void ys_journal_abort(ys_journal *j);

/* The chained events of the batch begun last, in order, as committed (seq, time, actor, payload, hash),
 * so that the receipts and the live streams are made from memory and nothing is read back from the file.
 * Sealed ballots are not among them. Owned by the journal; valid until the next ys_journal_begin, abort
 * or close; empty after a failed batch. */
const ys_events *ys_journal_batch(const ys_journal *j);

/* 256 random bits (libsodium): the id of a ballot going into the box; a ys_accept_sink's ballot_id. */
void ys_ballot_random_id(void *ud, uint8_t id[YS_HASH_BYTES]);

typedef struct ys_verify_report {
    bool ok;
    int64_t events;           /* events read */
    int64_t checkpoints;      /* checkpoints compared */
    int64_t bad_seq;          /* the first event that does not match; 0 if none, or if what does not
                                 match is a projection table rather than an event */
    char reason[640];
    uint8_t digest[YS_HASH_BYTES]; /* digest of the replayed state */
    int64_t proxy_votes;      /* votes and ballots whose actor is not the voter's own login
                                 ("delegate:CODE"): recorded by an operator, which an audit should see */
    int64_t v_ballots;        /* verifiable ballots whose every proof was checked (docs/verifiable.md §10) */
    int64_t v_decryptions;    /* trustees' partial decryptions checked */
    int64_t v_shuffles;       /* write-in shuffles whose proofs were checked */
} ys_verify_report;

/* Recomputes the chain and replays the whole log into a new state, comparing the state digest with
 * every checkpoint; checks every proof of every verifiable ballot (vaudit.h); recounts every closed anonymous poll and election from the ballot box; rebuilds the
 * projection tables and compares them. Returns YS_OK when it could read the file; rep->ok says whether
 * it verified. */
ys_rc ys_journal_verify(const char *path, ys_verify_report *rep, ys_err *err);

/* A receipt (the seq and hash a delegate was given for a ballot) checked against a file that verifies:
 * true if event `seq` has that hash; *type gets the event's type. */
typedef struct ys_receipt {
    int64_t seq;
    uint8_t hash[YS_HASH_BYTES];
    bool found;             /* the event exists and has that hash */
    char type[48];
    uint8_t head[YS_HASH_BYTES]; /* the log's last hash, which the chain binds the receipt to */
    int64_t head_seq;
} ys_receipt;
ys_rc ys_journal_verify_receipt(const char *path, ys_receipt *receipt, ys_verify_report *rep, ys_err *err);

#endif
