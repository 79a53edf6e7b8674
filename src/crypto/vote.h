/* vote.h — what src/crypto's ballot code knows of a vote (docs/verifiable.md §4): the struct behind
 * ys_vvote, and the elements that carry a block's names (§5). Internal to src/crypto. */
#ifndef YS_CRYPTO_VOTE_H
#define YS_CRYPTO_VOTE_H

#include "crypto/proof.h"
#include "yishi/vballot.h"

struct ys_vvote {
    uint8_t Q[YS_V_HASH];
    ysv_point K;
    bool poll;
    uint64_t V, S, C, P, B;
    char **names;            /* C of them */
};

/* The P elements of the block that carries names[0..n) (each checked as ys_vblock_encode says). */
ys_rc ysv_block_points(const ys_vvote *v, const char *const *names, size_t n, ysv_point *M, ys_err *err);

#endif
