/* msm.h — multi-scalar multiplication in variable time, and batches of verification equations
 * Σ kᵢ·Pᵢ = O checked with one of them (docs/verifiable.md §10). Internal to src/crypto; public values only.
 *
 * A verifier states each check (a proof, as it is named in an error) as a sum of terms that is O when the
 * check holds; a check of several equations multiplies each by a random weight (ysv_batch_weight) before
 * adding them into the check, so that any sum of checks is O only if each equation is, but with probability
 * 2^-128. ysv_batch_verify adds all checks up, so a ballot's hundreds of proofs cost one multi-scalar
 * multiplication; when the sum is not O it checks each owner's, then each check alone, to name the first
 * that fails. Terms on a shared base (G, the election key K) are merged into one term. */
#ifndef YS_CRYPTO_MSM_H
#define YS_CRYPTO_MSM_H

#include "crypto/group.h"

/* out = Σ k[i]·P[i], variable time (Pippenger's buckets with signed digits). Returns false when memory
 * runs out. */
bool ysv_msm(ysv_point *out, const ysv_scalar *k, const ysv_point *P, size_t n);

#define YSV_BATCH_BASES 4    /* shared bases a batch can merge terms on */
#define YSV_BATCH_LABEL 48

typedef struct ysv_term {
    ysv_scalar k;
    int base;                /* index of a shared base, or -1: the point is P */
    ysv_point P;
} ysv_term;

typedef struct ysv_eq {
    size_t first, n;         /* its terms: a check holds when their sum is O */
    size_t owner;            /* whose it is (a ballot of many), as the caller numbers them */
    char label[YSV_BATCH_LABEL]; /* what it checks, as the caller names it: "marks[3].proof" */
} ysv_eq;

typedef struct ysv_batch {
    ysv_point bases[YSV_BATCH_BASES];
    size_t nbases;
    ysv_term *terms;
    size_t nterms, capterms;
    ysv_eq *eqs;
    size_t neqs, capeqs;
    bool nomem;              /* a term or equation could not be added; verify then fails with -1 */
} ysv_batch;

void ysv_batch_init(ysv_batch *b);
/* Frees what the batch holds (not the batch itself), and leaves it empty for reuse. */
void ysv_batch_free(ysv_batch *b);
/* Registers a shared base and returns its index for ysv_batch_base_term (or an existing one's). */
int ysv_batch_base(ysv_batch *b, const ysv_point *P);
/* Starts an equation; the terms added next belong to it. The label is copied (and cut to fit). */
void ysv_batch_eq(ysv_batch *b, size_t owner, const char *label);
/* Adds k·P, or k times a shared base, to the check begun last. */
void ysv_batch_term(ysv_batch *b, const ysv_scalar *k, const ysv_point *P);
void ysv_batch_base_term(ysv_batch *b, const ysv_scalar *k, int base);
/* A fresh random weight of 128 bits, for one equation of a check (short, so its −z costs half a long one). */
void ysv_batch_weight(ysv_scalar *z);

/* Checks every check. Returns 1 when all hold, 0 when one does not, -1 when memory ran out. bad (an array
 * of nowners entries) gets, for each owner o, the index in b->eqs of its first check that fails, or
 * SIZE_MAX when all of its hold: a burst of ballots is checked together and each gets its own verdict. */
int ysv_batch_verify(const ysv_batch *b, size_t *bad, size_t nowners);

#endif
