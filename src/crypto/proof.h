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

#endif
