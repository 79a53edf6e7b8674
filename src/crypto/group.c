/* group.c — ristretto255 points and scalars over libdecaf, the protocol's length-prefixed BLAKE2b hash,
 * base64 of encodings, and the randomness provers draw (docs/verifiable.md §1). */
#include "crypto/group.h"

#include <string.h>

/* ---- points ---- */

void ysv_point_identity(ysv_point *out) { decaf_255_point_copy(out->p, decaf_255_point_identity); }
void ysv_point_base(ysv_point *out) { decaf_255_point_copy(out->p, decaf_255_point_base); }

bool ysv_point_eq(const ysv_point *a, const ysv_point *b)
{
    return decaf_255_point_eq(a->p, b->p) == DECAF_TRUE;
}

void ysv_point_add(ysv_point *out, const ysv_point *a, const ysv_point *b) { decaf_255_point_add(out->p, a->p, b->p); }
void ysv_point_sub(ysv_point *out, const ysv_point *a, const ysv_point *b) { decaf_255_point_sub(out->p, a->p, b->p); }
void ysv_point_neg(ysv_point *out, const ysv_point *a) { decaf_255_point_negate(out->p, a->p); }

void ysv_mul_base(ysv_point *out, const ysv_scalar *s)
{
    decaf_255_precomputed_scalarmul(out->p, decaf_255_precomputed_base, s->s);
}

void ysv_mul(ysv_point *out, const ysv_point *p, const ysv_scalar *s) { decaf_255_point_scalarmul(out->p, p->p, s->s); }

void ysv_mul_base_add(ysv_point *out, const ysv_scalar *a, const ysv_point *p, const ysv_scalar *b)
{
    decaf_255_base_double_scalarmul_non_secret(out->p, a->s, p->p, b->s);
}

void ysv_mul_base_u64(ysv_point *out, uint64_t v)
{
    ysv_scalar s;
    ysv_scalar_u64(&s, v);
    ysv_mul_base(out, &s);
}

void ysv_point_encode(uint8_t out[YS_V_BYTES], const ysv_point *p) { decaf_255_point_encode(out, p->p); }

bool ysv_point_decode(ysv_point *out, const uint8_t in[YS_V_BYTES])
{
    return decaf_255_point_decode(out->p, in, DECAF_TRUE) == DECAF_SUCCESS;
}

void ysv_point_from_hash(ysv_point *out, const uint8_t h[YS_V_HASH]) { decaf_255_point_from_hash_uniform(out->p, h); }

/* ---- scalars ---- */

void ysv_scalar_zero(ysv_scalar *out) { decaf_255_scalar_copy(out->s, decaf_255_scalar_zero); }
void ysv_scalar_u64(ysv_scalar *out, uint64_t v) { decaf_255_scalar_set_unsigned(out->s, v); }
void ysv_scalar_add(ysv_scalar *out, const ysv_scalar *a, const ysv_scalar *b) { decaf_255_scalar_add(out->s, a->s, b->s); }
void ysv_scalar_sub(ysv_scalar *out, const ysv_scalar *a, const ysv_scalar *b) { decaf_255_scalar_sub(out->s, a->s, b->s); }
void ysv_scalar_mul(ysv_scalar *out, const ysv_scalar *a, const ysv_scalar *b) { decaf_255_scalar_mul(out->s, a->s, b->s); }
void ysv_scalar_neg(ysv_scalar *out, const ysv_scalar *a) { decaf_255_scalar_sub(out->s, decaf_255_scalar_zero, a->s); }

bool ysv_scalar_invert(ysv_scalar *out, const ysv_scalar *a)
{
    return decaf_255_scalar_invert(out->s, a->s) == DECAF_SUCCESS;
}

bool ysv_scalar_eq(const ysv_scalar *a, const ysv_scalar *b) { return decaf_255_scalar_eq(a->s, b->s) == DECAF_TRUE; }
void ysv_scalar_encode(uint8_t out[YS_V_BYTES], const ysv_scalar *s) { decaf_255_scalar_encode(out, s->s); }

bool ysv_scalar_decode(ysv_scalar *out, const uint8_t in[YS_V_BYTES])
{
    return decaf_255_scalar_decode(out->s, in) == DECAF_SUCCESS;
}

void ysv_scalar_reduce(ysv_scalar *out, const uint8_t in[YS_V_HASH]) { decaf_255_scalar_decode_long(out->s, in, YS_V_HASH); }
void ysv_scalar_wipe(ysv_scalar *s) { decaf_255_scalar_destroy(s->s); }

/* ---- base64 ---- */

void ysv_b64(char out[YS_V_B64], const uint8_t in[YS_V_BYTES])
{
    sodium_bin2base64(out, YS_V_B64, in, YS_V_BYTES, sodium_base64_VARIANT_ORIGINAL);
}

bool ysv_unb64(uint8_t out[YS_V_BYTES], const char *in)
{
    size_t n = 0;
    const char *end = NULL;
    if (!in || strlen(in) != YS_V_B64 - 1)
        return false;
    if (sodium_base642bin(out, YS_V_BYTES, in, YS_V_B64 - 1, NULL, &n, &end, sodium_base64_VARIANT_ORIGINAL) != 0)
        return false;
    return n == YS_V_BYTES && *end == '\0';
}

/* ---- the hash ---- */

static void put_len(ysv_hash *h, size_t n)
{
    uint8_t b[4] = { (uint8_t)(n >> 24), (uint8_t)(n >> 16), (uint8_t)(n >> 8), (uint8_t)n };
    crypto_generichash_update(&h->st, b, sizeof b);
}

void ysv_hash_init(ysv_hash *h, const char *tag)
{
    crypto_generichash_init(&h->st, NULL, 0, YS_V_HASH);
    ysv_hash_text(h, tag);
}

void ysv_hash_bytes(ysv_hash *h, const void *p, size_t n)
{
    put_len(h, n);
    if (n)
        crypto_generichash_update(&h->st, p, n);
}

void ysv_hash_text(ysv_hash *h, const char *s) { ysv_hash_bytes(h, s, strlen(s)); }

void ysv_hash_u64(ysv_hash *h, uint64_t v)
{
    uint8_t b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (56 - 8 * i));
    ysv_hash_bytes(h, b, sizeof b);
}

void ysv_hash_point(ysv_hash *h, const ysv_point *p)
{
    uint8_t b[YS_V_BYTES];
    ysv_point_encode(b, p);
    ysv_hash_bytes(h, b, sizeof b);
}

void ysv_hash_scalar(ysv_hash *h, const ysv_scalar *s)
{
    uint8_t b[YS_V_BYTES];
    ysv_scalar_encode(b, s);
    ysv_hash_bytes(h, b, sizeof b);
}

void ysv_hash_final(ysv_hash *h, uint8_t out[YS_V_HASH]) { crypto_generichash_final(&h->st, out, YS_V_HASH); }

void ysv_hash_final_scalar(ysv_hash *h, ysv_scalar *out)
{
    uint8_t b[YS_V_HASH];
    ysv_hash_final(h, b);
    ysv_scalar_reduce(out, b);
}

void ysv_hash_final_point(ysv_hash *h, ysv_point *out)
{
    uint8_t b[YS_V_HASH];
    ysv_hash_final(h, b);
    ysv_point_from_hash(out, b);
}

/* ---- randomness ---- */

void ysv_rng_system(ysv_rng *r)
{
    memset(r, 0, sizeof *r);
}

void ysv_rng_test(ysv_rng *r, const char *seed)
{
    memset(r, 0, sizeof *r);
    r->test = true;
    ysv_hash h;
    ysv_hash_init(&h, "yishi-test/seed");
    ysv_hash_text(&h, seed);
    ysv_hash_final(&h, r->seed);
}

void ysv_rng_scalar(ysv_rng *r, ysv_scalar *out)
{
    uint8_t b[YS_V_HASH];
    if (r->test) {
        ysv_hash h;
        ysv_hash_init(&h, "yishi-test/rng");
        ysv_hash_bytes(&h, r->seed, sizeof r->seed);
        ysv_hash_u64(&h, r->n);
        ysv_hash_final(&h, b);
    } else {
        randombytes_buf(b, sizeof b);
    }
    r->n++;
    ysv_scalar_reduce(out, b);
    sodium_memzero(b, sizeof b);
}
