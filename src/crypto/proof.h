/* proof.h — ElGamal ciphertexts and the proofs of docs/verifiable.md §2, made and checked, and their JSON.
 * Internal to src/crypto; the ballot, the key ceremony, decryption and the shuffle are built from these.
 *
 * A proof's context (the tag and the parts hashed before its statement) is passed as a ysv_hash already
 * initialised with the tag and fed the context parts: the proof copies it and appends its statement and
 * commitments, so one context can serve many proofs. */
#ifndef YS_CRYPTO_PROOF_H
#define YS_CRYPTO_PROOF_H

#include "crypto/group.h"

#include <jansson.h>

/* (α, β) = (r·G, r·K + M) */
typedef struct ysv_ct {
    ysv_point a, b;
} ysv_ct;

void ysv_ct_add(ysv_ct *out, const ysv_ct *x, const ysv_ct *y);
void ysv_ct_sub(ysv_ct *out, const ysv_ct *x, const ysv_ct *y);
/* s·E, component-wise (public s; variable time is fine). */
void ysv_ct_mul(ysv_ct *out, const ysv_ct *e, const ysv_scalar *s);
void ysv_ct_zero(ysv_ct *out); /* (O, O) */
/* Encryptions of the integer v and of the element M under K with randomness r. */
void ysv_encrypt_u64(ysv_ct *out, const ysv_point *K, uint64_t v, const ysv_scalar *r);
void ysv_encrypt_point(ysv_ct *out, const ysv_point *K, const ysv_point *M, const ysv_scalar *r);
void ysv_hash_ct(ysv_hash *h, const ysv_ct *e); /* α then β */

/* Knowledge of x with X = x·B: { a, s }. ctx: the tag and its context parts (§2). */
typedef struct ysv_schnorr {
    ysv_point a;
    ysv_scalar s;
} ysv_schnorr;
void ysv_schnorr_prove(ysv_schnorr *out, const ysv_hash *ctx, const ysv_point *B, const ysv_point *X,
                       const ysv_scalar *x, ysv_rng *rng);
bool ysv_schnorr_verify(const ysv_schnorr *p, const ysv_hash *ctx, const ysv_point *B, const ysv_point *X);

/* Equal logarithms of X = x·G and D = x·α: { a, b, s }. */
typedef struct ysv_cp {
    ysv_point a, b;
    ysv_scalar s;
} ysv_cp;
void ysv_cp_prove(ysv_cp *out, const ysv_hash *ctx, const ysv_point *X, const ysv_point *alpha, const ysv_point *D,
                  const ysv_scalar *x, ysv_rng *rng);
bool ysv_cp_verify(const ysv_cp *p, const ysv_hash *ctx, const ysv_point *X, const ysv_point *alpha,
                   const ysv_point *D);

/* JSON of the board (§1): a point or scalar as base64, a ciphertext as [α, β], proofs as objects. The
 * readers return false, naming nothing: the caller knows which field it asked for and says so. */
json_t *ysv_point_json(const ysv_point *p);
json_t *ysv_scalar_json(const ysv_scalar *s);
json_t *ysv_ct_json(const ysv_ct *e);
json_t *ysv_schnorr_json(const ysv_schnorr *p);
json_t *ysv_cp_json(const ysv_cp *p);
bool ysv_point_from_json(ysv_point *out, const json_t *j);
bool ysv_scalar_from_json(ysv_scalar *out, const json_t *j);
bool ysv_ct_from_json(ysv_ct *out, const json_t *j);
bool ysv_schnorr_from_json(ysv_schnorr *out, const json_t *j);
bool ysv_cp_from_json(ysv_cp *out, const json_t *j);

/* The disjunctive proof (§2) that E encrypts one of values[0..m-1] under K, and the range proof [0, R]
 * built from it, are declared by whoever implements them below this line (the ballot's part). */

/* The challenge c = Hq(tag; ctx…, B, X, a) of a Schnorr proof, for verifiers that check it in a batch. */
void ysv_schnorr_challenge(ysv_scalar *c, const ysv_hash *ctx, const ysv_point *B, const ysv_point *X,
                           const ysv_point *a);

/* ---- src/crypto/orproof.c: the disjunctive and range proofs of a ballot (§2) ---- */

struct ysv_batch;

/* Where a ballot's proof belongs: the vote's context hash Q (§4), the voter's code, the election key K. */
typedef struct ysv_bctx {
    const uint8_t *Q;        /* YS_V_HASH bytes */
    const char *voter;
    const ysv_point *K;
} ysv_bctx;

#define YSV_OR_MAX 4         /* values a disjunctive proof may choose among (a mark needs 3) */
#define YSV_RANGE_BITS 16    /* a range [0, R] with R < 2^16 */
#define YSV_WHAT 64          /* room for the path of a bad field within a proof: "proofs[2].a[1]" */

/* { a: [a₁…aₘ], b: [b₁…bₘ], c: [c₁…cₘ₋₁], s: [s₁…sₘ] }; c[m-1] is derived, kept here once computed.
 * ea, eb hold the encodings of a and b when enc is set (by the prover and the reader), so that the challenge
 * and the JSON need not encode them again (10 µs each); whoever changes a or b clears enc. */
typedef struct ysv_or {
    size_t m;
    ysv_point a[YSV_OR_MAX], b[YSV_OR_MAX];
    ysv_scalar c[YSV_OR_MAX], s[YSV_OR_MAX];
    bool enc;
    uint8_t ea[YSV_OR_MAX][YS_V_BYTES], eb[YSV_OR_MAX][YS_V_BYTES];
} ysv_or;

/* Proves E = (r·G, r·K + values[t]·G) encrypts one of values[0..m-1] (2 ≤ m ≤ YSV_OR_MAX), under the label;
 * draws from rng in the order of §13. */
void ysv_or_prove(ysv_or *out, const ysv_bctx *x, const char *label, const ysv_ct *E, const uint64_t *values,
                  size_t m, size_t t, const ysv_scalar *r, ysv_rng *rng);
/* Checks it alone (2m equations, one after the other). */
bool ysv_or_verify(const ysv_or *p, const ysv_bctx *x, const char *label, const ysv_ct *E, const uint64_t *values,
                   size_t m);
/* Adds it to a batch as one check named field (its 2m equations, each weighted at random). */
void ysv_or_batch(struct ysv_batch *b, size_t owner, const char *field, const ysv_or *p, const ysv_bctx *x,
                  const char *label, const ysv_ct *E, const uint64_t *values, size_t m);
json_t *ysv_or_json(const ysv_or *p);
/* Reads a proof among m values; on failure writes the path of the bad part (e.g. "c[1]") into what. */
bool ysv_or_from_json(ysv_or *out, const json_t *j, size_t m, char what[YSV_WHAT]);

/* A value in [0, R] by its bits: E₀ … E_{L−2} sent, E_{L−1} = E − Σ of them; a proof for each of the L. */
typedef struct ysv_range {
    uint64_t R;
    unsigned L;
    ysv_ct bits[YSV_RANGE_BITS];   /* the L−1 sent */
    ysv_or proofs[YSV_RANGE_BITS]; /* the L */
} ysv_range;

/* L, the bit length of R (1 ≤ R < 2^16), and the weight wᵢ of bit i. */
unsigned ysv_range_len(uint64_t R);
uint64_t ysv_range_weight(uint64_t R, unsigned i);
/* Whether bit i is set in the decomposition of v ∈ [0, R] that §2 fixes. */
bool ysv_range_bit(uint64_t R, uint64_t v, unsigned i);
/* E_{L−1} = E − Σ of the bits sent. */
void ysv_range_last(ysv_ct *last, const ysv_range *p, const ysv_ct *E);
/* Proves that E = (r·G, r·K + v·G) has v ∈ [0, R]; bit_r (YSV_RANGE_BITS entries, or NULL) gets the
 * randomness of the bits sent, for an audit. */
void ysv_range_prove(ysv_range *out, const ysv_bctx *x, const char *label, const ysv_ct *E, uint64_t R, uint64_t v,
                     const ysv_scalar *r, ysv_rng *rng, ysv_scalar *bit_r);
bool ysv_range_verify(const ysv_range *p, const ysv_bctx *x, const char *label, const ysv_ct *E);
/* The first bit whose proof fails alone, or -1 when all hold. */
int ysv_range_first_bad(const ysv_range *p, const ysv_bctx *x, const char *label, const ysv_ct *E);
/* Adds the L proofs to a batch as checks named field + ".proofs[i]". */
void ysv_range_batch(struct ysv_batch *b, size_t owner, const char *field, const ysv_range *p, const ysv_bctx *x,
                     const char *label, const ysv_ct *E);
json_t *ysv_range_json(const ysv_range *p);
/* Reads { bits, proofs } for [0, R]; on failure writes the bad part's path ("bits[1]", "proofs[0].s[1]"). */
bool ysv_range_from_json(ysv_range *out, const json_t *j, uint64_t R, char what[YSV_WHAT]);

#endif
