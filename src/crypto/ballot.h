/* ballot.h — the prover of a ballot without the terminal's checks, so that tests can make the ballots an
 * honest terminal refuses (a mark too many, a no count that lies) and show that they do not verify.
 * Internal to src/crypto and its tests. */
#ifndef YS_CRYPTO_BALLOT_H
#define YS_CRYPTO_BALLOT_H

#include "crypto/vote.h"

/* What a ballot encrypts: for each candidate the index of its value in {0, 1, B}; when P > 0 the block's
 * elements and the count W of names; the no count n that N encrypts; the value the limit's range proves. */
typedef struct ysv_plain {
    const unsigned *marks;
    const ysv_point *block;
    const char *const *names;    /* for the audit */
    uint64_t W, no, limit;
} ysv_plain;

/* Encrypts and proves p as it is (a false statement gives a proof that fails); *ballot and *audit as
 * ys_vballot_encrypt. */
ys_rc ysv_ballot_prove(const ys_vvote *v, const char *voter, const ysv_plain *p, ysv_rng *rng, json_t **ballot,
                       json_t **audit, ys_err *err);

#endif

/* ---- a ballot's ciphertexts and proofs, between ballot.c (made, written, read) and check.c ---- */

typedef struct ysv_ballot {
    size_t C, P;
    bool poll;
    ysv_ct *E;               /* C marks */
    ysv_or *Ep;
    ysv_ct U;                /* P > 0 */
    ysv_range *Ur;
    ysv_ct *D;               /* P */
    ysv_schnorr *Dp;
    ysv_ct N;                /* not a poll */
    ysv_range *Nr, *Lr;
} ysv_ballot;

ysv_ballot *ysv_ballot_new(const ys_vvote *v);
void ysv_ballot_free(ysv_ballot *b);
/* Λ = Σ E_c + U − B·N (§5). */
void ysv_ballot_limit(ysv_ct *out, const ys_vvote *v, const ysv_ballot *b);
/* The context of block ciphertext i (1-based) whose β is beta: tag yishi-v1/block, Q, voter, u64(i), β.
   β is hashed so that the proof of α's randomness also fixes the name it carries. */
void ysv_block_ctx(ysv_hash *h, const ys_vvote *v, const char *voter, size_t i, const ysv_point *beta);
/* Reads a ballot's JSON (§5), naming the first bad or missing field. Without `proofs` only the ciphertexts
 * are read, and the proofs need only be there: a replay's ballots were checked before they were logged,
 * and their proofs are three quarters of what reading them costs. */
ys_rc ysv_ballot_read(ysv_ballot *b, const ys_vvote *v, const json_t *j, bool proofs, ys_err *err);
/* h of §5 from a ballot's JSON already read (the encodings as they stand, none recomputed). */
void ysv_ballot_code(uint8_t h[YS_V_HASH], const ys_vvote *v, const char *voter, const json_t *j);
/* Every α sent in a ballot's JSON already read, in the code's order, with the field that holds it; *n of
 * them. ys_malloc'd arrays, or false when memory runs out. */
bool ysv_ballot_alphas(const ys_vvote *v, const json_t *j, uint8_t (**alpha)[YS_V_BYTES], char (**field)[48],
                       size_t *n);
/* base64 of the 64 bytes of a hash. */
json_t *ysv_hash_json(const uint8_t h[YS_V_HASH]);
bool ysv_hash_from_json(uint8_t h[YS_V_HASH], const json_t *j);
/* The check of ys_vballot_check for one ballot that also hands back what it read (*keep, to free with
 * ysv_ballot_free), for the audit's check. */
ys_rc ysv_ballot_check_keep(const ys_vvote *v, const char *voter, const json_t *ballot, ys_vcast **out,
                            ysv_ballot **keep, ys_err *err);
