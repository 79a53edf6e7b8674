/* keys.h — inside the trustees' cryptography (include/yishi/vkey.h): the key's record, the parts that tests
 * and the vectors drive with the test randomness, and the arithmetic of decryption. Internal to src/crypto. */
#ifndef YS_CRYPTO_KEYS_H
#define YS_CRYPTO_KEYS_H

#include "crypto/proof.h"
#include "yishi/vkey.h"

#define YSV_SHARE_PLAIN 112 /* u64(i) ‖ u64(j) ‖ Qk ‖ fᵢ(j) */
#define YSV_SHARE_SEALED (YSV_SHARE_PLAIN + crypto_box_SEALBYTES)

struct ys_vkey {
    unsigned n, k;
    uint64_t key_id;
    char session_id[65];
    char **logins;                               /* n */
    uint8_t qk[YS_VKEY_HASH];
    ysv_point *A;                                /* n·k: Aᵢ,ₘ at A[(i−1)·k + m] */
    uint8_t (*box)[crypto_box_PUBLICKEYBYTES];   /* n */
    ysv_point *X;                                /* n */
    bool committed[YS_VKEY_MAX_TRUSTEES], shared[YS_VKEY_MAX_TRUSTEES];
    unsigned n_committed, n_shared;
    ysv_point K;
};

/* Σ_m jᵐ·Aᵢ,ₘ: what fᵢ(j)·G must be (variable time: public values). */
void ysv_vkey_eval(const ys_vkey *key, unsigned i, unsigned j, ysv_point *out);
/* The contexts of the ceremony's proofs: Hq("yishi-v1/coef"; Qk, u64(i), u64(m)) and "yishi-v1/share". */
void ysv_coef_ctx(ysv_hash *h, const ys_vkey *key, unsigned i, unsigned m);
void ysv_share_ctx(ysv_hash *h, const ys_vkey *key, unsigned j);

/* A trustee whose randomness is rng (kept, so the proofs it makes later draw on in §13's order). With the
 * test randomness its box key pair is crypto_box_seed_keypair of the first 32 bytes of
 * H("yishi-test/box"; seed bytes), so that the vectors are whole. */
ys_rc ysv_trustee_new(const ys_vkey *key, unsigned index, const ysv_rng *rng, ys_vtrustee **out, ys_err *err);
/* The plaintext trustee t seals to j (for the vectors; sealing itself is not reproducible). */
void ysv_trustee_share_plain(const ys_vtrustee *t, unsigned j, uint8_t out[YSV_SHARE_PLAIN]);

/* ---- decryption ---- */

/* The context of a partial decryption's proof: "yishi-v1/decrypt"; Q, u64(j), label. */
void ysv_decrypt_ctx(ysv_hash *h, const uint8_t Q[YS_VKEY_HASH], unsigned j, const char *label);
/* Item i of a phase's list [ { "label", "ct" }, … ], named "cts/i" when it is not one. */
ys_rc ysv_labelled_ct(const json_t *cts, size_t i, ysv_ct *e, const char **label, ys_err *err);
/* λⱼ for j = trustees[at] within the set trustees[0 … count−1]. */
void ysv_lagrange(ysv_scalar *out, const unsigned *trustees, size_t count, size_t at);
/* M = β − Σ λⱼ·Dⱼ over any set of trustees (no check that it has k: the tests show what fewer give). */
void ysv_combine(ysv_point *M, const ysv_ct *e, const unsigned *trustees, size_t count, const ysv_point *D);

bool ysv_dlog_find(const ys_vdlog *t, const ysv_point *M, uint64_t *v);

#endif
