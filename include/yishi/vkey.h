/* vkey.h — the trustees' cryptography of the verifiable ballots (docs/verifiable.md §3, §8, §9): the key
 * ceremony on both sides, partial decryption and its combination, small logarithms, and the shuffle.
 *
 * Everything crosses this interface as the board's JSON (points, scalars and ciphertexts in base64, §1).
 * Objects are opaque and allocated with ys_malloc; each has its _free. Functions that return json_t give
 * the caller one reference (json_decref). Errors are ys_fail'ed into err with `field` naming the part of
 * the input that was wrong; a proof that does not verify is YS_BAD_PROOF. */
#ifndef YISHI_VKEY_H
#define YISHI_VKEY_H

#include "yishi/error.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define YS_VKEY_MAX_TRUSTEES 32
#define YS_VKEY_HASH 64 /* Qk and Q: H(…) is 64 bytes */

/* What the secretariat fixes when it starts a ceremony. Borrowed: the functions copy what they keep. */
typedef struct ys_vkey_params {
    const char *session_id;     /* 64 lowercase hex digits */
    uint64_t key_id;
    unsigned n, k;              /* 1 ≤ k ≤ n ≤ 32 */
    const char *const *logins;  /* n logins; trustee i is logins[i − 1] */
} ys_vkey_params;

/* ---- the public side: what the board says about one key (every checker holds one) ---- */

typedef struct ys_vkey ys_vkey;

/* Checks the parameters and computes Qk. *out is the caller's (ys_vkey_free). */
ys_rc ys_vkey_new(const ys_vkey_params *p, ys_vkey **out, ys_err *err);
void ys_vkey_free(ys_vkey *key);
unsigned ys_vkey_n(const ys_vkey *key);
unsigned ys_vkey_k(const ys_vkey *key);
void ys_vkey_qk(const ys_vkey *key, uint8_t out[YS_VKEY_HASH]);

/* Trustee i's commitment message { "commitments", "proofs", "box" }: checks every proof and records it.
 * Refused when i has already committed. */
ys_rc ys_vkey_add_commitment(ys_vkey *key, unsigned i, const json_t *msg, ys_err *err);
/* Trustee j's public share message { "share", "proof" }: once every trustee has committed, checks the
 * proof and Xⱼ against all the commitments, and records it. */
ys_rc ys_vkey_add_public_share(ys_vkey *key, unsigned j, const json_t *msg, ys_err *err);
/* The same checks without recording: what a command does before the event is logged. */
ys_rc ys_vkey_check_commitment(const ys_vkey *key, unsigned i, const json_t *msg, ys_err *err);
ys_rc ys_vkey_check_public_share(const ys_vkey *key, unsigned j, const json_t *msg, ys_err *err);
bool ys_vkey_committed(const ys_vkey *key);  /* all n commitments are in: K is known */
bool ys_vkey_complete(const ys_vkey *key);   /* all n public shares are in: the key may be used */
/* K = Σᵢ Aᵢ,₀ and Xⱼ as base64 (45 bytes with the NUL); YS_STATE before they are known. */
ys_rc ys_vkey_joint_key(const ys_vkey *key, char out[45], ys_err *err);
ys_rc ys_vkey_public_share(const ys_vkey *key, unsigned j, char out[45], ys_err *err);

/* ---- a trustee's side: its secrets, on its own device ---- */

typedef struct ys_vtrustee ys_vtrustee;

/* Trustee `index` of the ceremony of `key`: a fresh polynomial and box key pair. */
ys_rc ys_vtrustee_new(const ys_vkey *key, unsigned index, ys_vtrustee **out, ys_err *err);
void ys_vtrustee_free(ys_vtrustee *t); /* wipes the secrets */
unsigned ys_vtrustee_index(const ys_vtrustee *t);
/* { "commitments": [A₀…Aₖ₋₁], "proofs": [π₀…], "box": box public key } */
json_t *ys_vtrustee_commitment(const ys_vtrustee *t);
/* Once every trustee has committed (in key): [ { "to": j, "sealed": base64 }, … ] for each j ≠ index. */
ys_rc ys_vtrustee_seal_shares(const ys_vtrustee *t, const ys_vkey *key, json_t **out, ys_err *err);
/* Opens the share trustee `from` sealed to this one (its whole shares message; the entry "to" this
 * trustee is used) and checks it against from's commitments in key. A failure is a complaint against
 * `from`: the message names it, and YS_BAD_PROOF (a wrong share) or YS_BAD_FIELD (no share, or one that
 * does not open) says why. */
ys_rc ys_vtrustee_open_share(ys_vtrustee *t, const ys_vkey *key, unsigned from, const json_t *shares,
                             ys_err *err);
/* Once every other trustee's share is open: xⱼ, and { "share": Xⱼ, "proof": π }. */
ys_rc ys_vtrustee_public_share(ys_vtrustee *t, json_t **out, ys_err *err);
/* The secrets as JSON for a file the trustee keeps, and back. The backup must be of the ceremony of key
 * and of trustee `index` (YS_CONFLICT otherwise). */
json_t *ys_vtrustee_backup(const ys_vtrustee *t);
ys_rc ys_vtrustee_restore(const ys_vkey *key, unsigned index, const json_t *backup, ys_vtrustee **out,
                          ys_err *err);

/* ---- decryption (§8) ---- */

/* What is decrypted in one phase: [ { "label": text, "ct": [α, β] }, … ]. Q is the vote's context. */
/* Trustee j's partial decryptions: [ { "d": Dⱼ, "proof": { a, b, s } }, … ], one per ciphertext. */
ys_rc ys_vtrustee_decrypt(ys_vtrustee *t, const uint8_t Q[YS_VKEY_HASH], const json_t *cts, json_t **out,
                          ys_err *err);
/* Checks trustee j's partial decryptions of cts against Xⱼ (field "partial/N" names the first wrong one). */
ys_rc ys_vkey_check_partial(const ys_vkey *key, unsigned j, const uint8_t Q[YS_VKEY_HASH], const json_t *cts,
                            const json_t *partial, ys_err *err);
/* M = β − Σ λⱼ·Dⱼ for each ciphertext, from exactly k trustees' checked partials (trustees[i] made
 * partials[i]): [ base64 of M, … ]. */
ys_rc ys_vkey_combine(const ys_vkey *key, const json_t *cts, size_t count, const unsigned *trustees,
                      const json_t *const *partials, json_t **out, ys_err *err);

/* Small logarithms v of M = v·G for 0 ≤ v ≤ bound, by baby-step giant-step. The table is made once for a
 * bound and serves any number of look-ups. NULL when memory runs out. */
typedef struct ys_vdlog ys_vdlog;
ys_vdlog *ys_vdlog_new(uint64_t bound);
void ys_vdlog_free(ys_vdlog *t);
/* M as base64; YS_BAD_PROOF when no v within the bound (the decryption is wrong). */
ys_rc ys_vdlog_find(const ys_vdlog *t, const char *m_b64, uint64_t *v, ys_err *err);
/* A table for at least `bound`, made on first need and kept for the process's life: a session's votes all
 * ask for about the same bound (B·V + V), and a national one's table takes 0.15 s to make. Safe from any
 * thread; never free it. NULL when memory runs out. */
const ys_vdlog *ys_vdlog_shared(uint64_t bound);
/* ys_vdlog_find within `bound`, which may be less than the table's. */
ys_rc ys_vdlog_find_upto(const ys_vdlog *t, uint64_t bound, const char *m_b64, uint64_t *v, ys_err *err);

/* ---- the shuffle (§9) ---- */

/* input: N tuples of w ciphertexts, [[ct, …], …]. Shuffle number m (1 … k) of the vote with context Q,
 * by a random permutation: { "output", "c", "c_hat", "t", "s" } as the event carries it. */
ys_rc ys_vmix_prove(const ys_vkey *key, const uint8_t Q[YS_VKEY_HASH], uint64_t m, const json_t *input,
                    json_t **out, ys_err *err);
ys_rc ys_vmix_verify(const ys_vkey *key, const uint8_t Q[YS_VKEY_HASH], uint64_t m, const json_t *input,
                     const json_t *shuffle, ys_err *err);

#endif
