/* vboard.h — what a trustee checks before it decrypts anything (docs/verifiable.md §8, §10): the cast ballots of a
 * vote as the board shows them, each checked, summed into the aggregates as the session sums them, and each
 * ciphertext it is asked to decrypt compared, by its label, with what those ballots make. */
#ifndef YISHI_VBOARD_H
#define YISHI_VBOARD_H

#include "yishi/vballot.h"
#include "yishi/vkey.h"

typedef struct ys_vboard ys_vboard;

/* The context (§4) of a vote encrypted to `key` (complete): kind poll or election, its id, V, S, the names on
 * its list and whether the statute takes write-ins. What a vote's open makes, and what a trustee makes from the
 * key it has checked to see whether the board's Q is that vote's. */
ys_rc ys_vvote_for_key(const ys_vkey *key, const char *session_id, bool poll, uint64_t id, uint64_t entitled,
                       uint64_t seats, const char *const *names, size_t n, bool writeins, ys_vvote **out,
                       ys_err *err);

/* One cast ballot as the board lists it: the voter (the delegate's code, which its proofs are bound to), its code
 * h as logged (base64), the ballot's JSON, and the event that logged it (for messages). All borrowed. */
typedef struct ys_vboard_ballot {
    int64_t seq;
    const char *voter;
    const char *code;
    const json_t *ballot;
} ys_vboard_ballot;

/* A board of the vote `vote`, which it takes (ys_vvote_free'd with the board, also on failure), whose key
 * needs `k` trustees: the write-ins are k times shuffled before anything of theirs is decrypted. */
ys_rc ys_vboard_new(ys_vboard **out, ys_vvote *vote, unsigned k, ys_err *err);
void ys_vboard_free(ys_vboard *b);
const ys_vvote *ys_vboard_vote(const ys_vboard *b);

/* The next n ballots in cast order: every proof (in batches), the code the board gives is the ballot's, no α
 * repeated within it or cast before. YS_BAD_PROOF naming the event, the voter and the field of the first that
 * does not hold (err->field as ys_vballot_check's, or "code", "ballot"); nothing of a refused call is added. */
ys_rc ys_vboard_add(ys_vboard *b, size_t n, const ys_vboard_ballot *ballots, ys_err *err);
uint64_t ys_vboard_count(const ys_vboard *b);

/* Shuffle m of the write-ins (§9) as the board gives it (GET …/shuffles?m=M: its output and proof), made by
 * trustee `trustee`: once every ballot is added, m must be the next, by a trustee who has made none of the
 * others, and its proof must hold against the ballots' tuples (m = 1) or the last shuffle's output, under the
 * vote's own K and Q. Its output is then the tuples the next shuffle, and the mix, start from. YS_BAD_PROOF
 * naming the shuffle and what does not hold; nothing of a refused one is kept. */
ys_rc ys_vboard_shuffle(ys_vboard *b, int m, int trustee, const json_t *output, const json_t *proof, ys_err *err);
int ys_vboard_shuffles(const ys_vboard *b);
/* What the next shuffle takes: the ballots' tuples (U, D₁ … D_P) in cast order, or the last checked output. */
const json_t *ys_vboard_tuples(const ys_vboard *b);

/* Whether each of cts ([ { "label", "ct": [α, β] }, … ], what GET …/decrypt hands a trustee) is exactly what the
 * ballots added make of its label: tally/c the sum of the marks E_c, tally/writein the sum of the counts U;
 * once the k shuffles are checked, mix/i the count U of tuple i of the last output and block/i/p its p-th.
 * YS_BAD_PROOF naming cts[i] and its label for the first that is not (or whose label names nothing). */
ys_rc ys_vboard_match(const ys_vboard *b, const json_t *cts, ys_err *err);

#endif
