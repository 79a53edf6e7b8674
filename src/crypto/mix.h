/* mix.h — the shuffle of tuples of ciphertexts and its proof (docs/verifiable.md §9, Terelius–Wikström
 * in the form of Haenni et al.), on arrays; include/yishi/vkey.h gives it as the board's JSON.
 * Internal to src/crypto. */
#ifndef YS_CRYPTO_MIX_H
#define YS_CRYPTO_MIX_H

#include "crypto/proof.h"

/* A shuffle's output and proof. Tuple i (0-based) of the output is out[i·w … i·w + w − 1]. */
typedef struct ysv_mix {
    size_t N, w;
    ysv_ct *out;                      /* N·w */
    ysv_point *c, *c_hat, *t_hat;     /* N each: c₁…c_N, ĉ₁…ĉ_N, t̂₁…t̂_N */
    ysv_point t1, t2, t3;
    ysv_ct *t4;                       /* w */
    ysv_scalar s1, s2, s3;
    ysv_scalar *s4;                   /* w */
    ysv_scalar *s_hat, *s_prime;      /* N each */
} ysv_mix;

/* Allocates the arrays for N tuples of w (false when memory runs out; then nothing is held). */
bool ysv_mix_alloc(ysv_mix *m, size_t N, size_t w);
void ysv_mix_free(ysv_mix *m);

/* Shuffle number `num` of the vote with context Q: output tuple i is input tuple perm[i] re-encrypted
 * (perm is ψ, 0-based). Draws in §13's order. False when memory runs out. */
bool ysv_mix_prove(ysv_mix *m, const uint8_t Q[YS_V_HASH], uint64_t num, const ysv_point *K, const ysv_ct *in,
                   size_t N, size_t w, const size_t *perm, ysv_rng *rng);
/* YS_OK, or YS_BAD_PROOF naming the first equation of §9 that does not hold. */
ys_rc ysv_mix_verify(const ysv_mix *m, const uint8_t Q[YS_V_HASH], uint64_t num, const ysv_point *K,
                     const ysv_ct *in, ys_err *err);

/* { "output", "c", "c_hat", "t": { t1, t2, t3, t4, t_hat }, "s": { s1, s2, s3, s4, s_hat, s_prime } } */
json_t *ysv_mix_json(const ysv_mix *m);
/* Reads a shuffle of N tuples of w (allocating m), naming the field that is wrong. */
ys_rc ysv_mix_from_json(ysv_mix *m, const json_t *j, size_t N, size_t w, ys_err *err);
/* N tuples of w ciphertexts, [[ct, …], …], into *out (ys_malloc'd, N·w); w from the first tuple. */
ys_rc ysv_tuples_from_json(const json_t *j, const char *field, ysv_ct **out, size_t *N, size_t *w, ys_err *err);
json_t *ysv_tuples_json(const ysv_ct *e, size_t N, size_t w);
/* Arrays of points and of scalars (have: which to write, the others as null; NULL for all). */
json_t *ysv_points_json(const ysv_point *p, size_t n);
json_t *ysv_scalars_json(const ysv_scalar *s, const bool *have, size_t n);

#endif
