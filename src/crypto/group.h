/* group.h — ristretto255 arithmetic for the verifiable ballots (docs/verifiable.md §1): points and scalars,
 * their canonical encodings, the protocol's hash, and where randomness comes from. Internal to src/crypto.
 *
 * The arithmetic is libdecaf's (its points stay in extended coordinates, so an addition costs 0.2 µs;
 * libsodium 1.0.18's ristretto255 API decodes and re-encodes on every addition, 18 µs, which rules out
 * multi-scalar multiplication). Both produce the same encodings (RFC 9496), so the browser's libsodium
 * and this code agree byte for byte; tests/vectors holds them to it. */
#ifndef YS_CRYPTO_GROUP_H
#define YS_CRYPTO_GROUP_H

#include "yishi/error.h"

#include <decaf/point_255.h>
#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define YS_V_BYTES 32        /* an encoded point or scalar */
#define YS_V_B64 45          /* its base64 and a NUL */
#define YS_V_HASH 64         /* H(tag; …): BLAKE2b-512 */

typedef struct ysv_point { decaf_255_point_t p; } ysv_point;
typedef struct ysv_scalar { decaf_255_scalar_t s; } ysv_scalar;

/* ---- points ---- */

void ysv_point_identity(ysv_point *out);
void ysv_point_base(ysv_point *out);
bool ysv_point_eq(const ysv_point *a, const ysv_point *b);
void ysv_point_add(ysv_point *out, const ysv_point *a, const ysv_point *b);
void ysv_point_sub(ysv_point *out, const ysv_point *a, const ysv_point *b);
void ysv_point_neg(ysv_point *out, const ysv_point *a);
/* s·G and s·P in constant time: for secrets (encryption randomness, a trustee's share). */
void ysv_mul_base(ysv_point *out, const ysv_scalar *s);
void ysv_mul(ysv_point *out, const ysv_point *p, const ysv_scalar *s);
/* a·G + b·P in variable time: for public values only (verification). */
void ysv_mul_base_add(ysv_point *out, const ysv_scalar *a, const ysv_point *p, const ysv_scalar *b);
/* v·G for a small non-negative integer (a plaintext). */
void ysv_mul_base_u64(ysv_point *out, uint64_t v);

void ysv_point_encode(uint8_t out[YS_V_BYTES], const ysv_point *p);
/* false for a non-canonical or invalid encoding; the identity (32 zero bytes) is valid. */
bool ysv_point_decode(ysv_point *out, const uint8_t in[YS_V_BYTES]);
/* The element RFC 9496 §4.3.4 derives from 64 uniform bytes. */
void ysv_point_from_hash(ysv_point *out, const uint8_t h[YS_V_HASH]);

/* ---- scalars ---- */

void ysv_scalar_zero(ysv_scalar *out);
void ysv_scalar_u64(ysv_scalar *out, uint64_t v);
void ysv_scalar_add(ysv_scalar *out, const ysv_scalar *a, const ysv_scalar *b);
void ysv_scalar_sub(ysv_scalar *out, const ysv_scalar *a, const ysv_scalar *b);
void ysv_scalar_mul(ysv_scalar *out, const ysv_scalar *a, const ysv_scalar *b);
void ysv_scalar_neg(ysv_scalar *out, const ysv_scalar *a);
/* false when a is zero (no inverse). */
bool ysv_scalar_invert(ysv_scalar *out, const ysv_scalar *a);
bool ysv_scalar_eq(const ysv_scalar *a, const ysv_scalar *b);
void ysv_scalar_encode(uint8_t out[YS_V_BYTES], const ysv_scalar *s);
/* false unless in is the canonical encoding of a scalar (< q). */
bool ysv_scalar_decode(ysv_scalar *out, const uint8_t in[YS_V_BYTES]);
/* A 512-bit little-endian integer mod q. */
void ysv_scalar_reduce(ysv_scalar *out, const uint8_t in[YS_V_HASH]);
/* Wipes a secret scalar. */
void ysv_scalar_wipe(ysv_scalar *s);

/* ---- base64 (RFC 4648 §4, padded), as the JSON of the board writes points and scalars ---- */

void ysv_b64(char out[YS_V_B64], const uint8_t in[YS_V_BYTES]);
/* false unless `in` is exactly the padded base64 of 32 bytes. */
bool ysv_unb64(uint8_t out[YS_V_BYTES], const char *in);

/* ---- the hash H(tag; x₁, …, xₙ) (§1): each part is length-prefixed ---- */

typedef struct ysv_hash { crypto_generichash_state st; } ysv_hash;

void ysv_hash_init(ysv_hash *h, const char *tag);
void ysv_hash_bytes(ysv_hash *h, const void *p, size_t n);
void ysv_hash_text(ysv_hash *h, const char *s);
void ysv_hash_u64(ysv_hash *h, uint64_t v);
void ysv_hash_point(ysv_hash *h, const ysv_point *p);
void ysv_hash_scalar(ysv_hash *h, const ysv_scalar *s);
void ysv_hash_final(ysv_hash *h, uint8_t out[YS_V_HASH]);
/* Hq: the hash reduced mod q; Hg: the point derived from it. */
void ysv_hash_final_scalar(ysv_hash *h, ysv_scalar *out);
void ysv_hash_final_point(ysv_hash *h, ysv_point *out);

/* ---- randomness ----
 * Provers draw every random scalar from a ysv_rng. The system's comes from libsodium; the test one is
 * Hq("yishi-test/rng"; seed, u64(i)) for the i-th draw, so that the C code and the browser's, drawing in
 * the order docs/verifiable.md §13 fixes, produce the same bytes. */
typedef struct ysv_rng {
    bool test;
    uint8_t seed[YS_V_HASH];
    uint64_t n;              /* draws so far */
} ysv_rng;

void ysv_rng_system(ysv_rng *r);
void ysv_rng_test(ysv_rng *r, const char *seed);
void ysv_rng_scalar(ysv_rng *r, ysv_scalar *out);

#endif
