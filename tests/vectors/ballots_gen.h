/* ballots_gen.h — the test vectors of verifiable ballots (tests/vectors/ballots.json, docs/verifiable.md §13):
 * made from fixed seeds by ballots_gen.c, for the generator program and for the test that compares. */
#ifndef YS_TEST_BALLOTS_GEN_H
#define YS_TEST_BALLOTS_GEN_H

#include "yishi/vballot.h"

/* One case: a vote's inputs, a voter, a seed, the marks and the write-ins. */
typedef struct ys_vcase {
    const char *name;
    bool poll, writeins;
    uint64_t id, V, S;
    const char *const *names;
    size_t C;
    const char *voter, *seed;
    const ys_vmark *marks;
    const char *const *written;
    size_t W;
} ys_vcase;

extern const ys_vcase ys_vcases[];
extern const size_t ys_nvcases;

/* The vote of a case, under the vectors' key (a 2-of-3 key from the seed "vectors/key"). The caller frees. */
ys_rc ys_vcase_vote(const ys_vcase *c, ys_vvote **out, json_t **context, ys_err *err);
/* The whole file's text, as JSON.stringify(value, null, 2) writes it, and a newline; ys_free it. */
char *ys_vectors_text(ys_err *err);

#endif
