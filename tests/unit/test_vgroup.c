/* test_vgroup.c — the arithmetic under the verifiable ballots: libdecaf's points and libsodium's agree on
 * every encoding (the browser uses libsodium), decoders refuse what is not canonical, the hash is
 * length-prefixed, and the test randomness is reproducible. */
#include "crypto/group.h"
#include "crypto/proof.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

/* q, little-endian: the first value that is not a scalar. */
static const uint8_t Q_LE[32] = { 0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
                                  0xa2, 0xde, 0xf9, 0xde, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10 };

static void same_encodings_as_libsodium(void **state)
{
    (void)state;
    ysv_rng rng;
    ysv_rng_test(&rng, "encodings");
    for (int i = 0; i < 50; i++) {
        ysv_scalar s;
        ysv_rng_scalar(&rng, &s);
        uint8_t sb[32], ours[32], theirs[32];
        ysv_scalar_encode(sb, &s);
        ysv_point p;
        ysv_mul_base(&p, &s);
        ysv_point_encode(ours, &p);
        assert_int_equal(crypto_scalarmult_ristretto255_base(theirs, sb), 0);
        assert_memory_equal(ours, theirs, 32);
        /* s·P for P another point, and the sum of two points */
        ysv_point p2, sum;
        ysv_mul(&p2, &p, &s);
        ysv_point_encode(ours, &p2);
        assert_int_equal(crypto_scalarmult_ristretto255(theirs, sb, theirs), 0);
        assert_memory_equal(ours, theirs, 32);
        ysv_point_add(&sum, &p, &p2);
        uint8_t pe[32], p2e[32];
        ysv_point_encode(pe, &p);
        ysv_point_encode(p2e, &p2);
        assert_int_equal(crypto_core_ristretto255_add(theirs, pe, p2e), 0);
        ysv_point_encode(ours, &sum);
        assert_memory_equal(ours, theirs, 32);
        /* hash to the group */
        uint8_t h[64];
        ysv_hash hh;
        ysv_hash_init(&hh, "test");
        ysv_hash_u64(&hh, (uint64_t)i);
        ysv_hash_final(&hh, h);
        ysv_point g;
        ysv_point_from_hash(&g, h);
        ysv_point_encode(ours, &g);
        crypto_core_ristretto255_from_hash(theirs, h);
        assert_memory_equal(ours, theirs, 32);
        /* the reduction of 64 bytes */
        ysv_scalar r;
        ysv_scalar_reduce(&r, h);
        ysv_scalar_encode(ours, &r);
        crypto_core_ristretto255_scalar_reduce(theirs, h);
        assert_memory_equal(ours, theirs, 32);
    }
}

static void decoders_refuse(void **state)
{
    (void)state;
    ysv_scalar s;
    assert_false(ysv_scalar_decode(&s, Q_LE));
    uint8_t below[32];
    memcpy(below, Q_LE, 32);
    below[0]--;
    assert_true(ysv_scalar_decode(&s, below));
    ysv_point p;
    uint8_t zero[32] = { 0 }, bad[32] = { 0 };
    assert_true(ysv_point_decode(&p, zero)); /* the identity */
    bad[0] = 1;                              /* odd: negative, not canonical */
    assert_false(ysv_point_decode(&p, bad));
    memset(bad, 0xff, 32);                   /* beyond p */
    assert_false(ysv_point_decode(&p, bad));
    char b64[YS_V_B64];
    uint8_t back[32];
    ysv_b64(b64, Q_LE);
    assert_int_equal(strlen(b64), 44);
    assert_true(ysv_unb64(back, b64));
    assert_memory_equal(back, Q_LE, 32);
    b64[43] = 'A'; /* the padding gone */
    assert_false(ysv_unb64(back, b64));
    assert_false(ysv_unb64(back, "AAAA"));
    assert_false(ysv_unb64(back, NULL));
}

/* H(tag; x) hashes each part with its length: ("ab","c") and ("a","bc") differ; the bytes are those of §1. */
static void hash_is_length_prefixed(void **state)
{
    (void)state;
    uint8_t a[64], b[64], c[64];
    ysv_hash h;
    ysv_hash_init(&h, "t");
    ysv_hash_text(&h, "ab");
    ysv_hash_text(&h, "c");
    ysv_hash_final(&h, a);
    ysv_hash_init(&h, "t");
    ysv_hash_text(&h, "a");
    ysv_hash_text(&h, "bc");
    ysv_hash_final(&h, b);
    assert_memory_not_equal(a, b, 64);
    const uint8_t raw[] = { 0, 0, 0, 1, 't', 0, 0, 0, 2, 'a', 'b', 0, 0, 0, 1, 'c' };
    crypto_generichash(c, 64, raw, sizeof raw, NULL, 0);
    assert_memory_equal(a, c, 64);
}

static void test_randomness_repeats(void **state)
{
    (void)state;
    ysv_rng r1, r2, r3;
    ysv_rng_test(&r1, "seed");
    ysv_rng_test(&r2, "seed");
    ysv_rng_test(&r3, "other");
    ysv_scalar a, b, c;
    ysv_rng_scalar(&r1, &a);
    ysv_rng_scalar(&r2, &b);
    ysv_rng_scalar(&r3, &c);
    assert_true(ysv_scalar_eq(&a, &b));
    assert_false(ysv_scalar_eq(&a, &c));
    ysv_rng_scalar(&r1, &a);
    assert_false(ysv_scalar_eq(&a, &b));
    ysv_rng sys;
    ysv_rng_system(&sys);
    ysv_rng_scalar(&sys, &a);
    ysv_rng_scalar(&sys, &b);
    assert_false(ysv_scalar_eq(&a, &b));
}

static void scalar_field(void **state)
{
    (void)state;
    ysv_scalar a, b, c, inv, one;
    ysv_scalar_u64(&a, 7);
    ysv_scalar_u64(&b, 5);
    ysv_scalar_sub(&c, &b, &a); /* −2 */
    ysv_scalar_add(&c, &c, &a);
    assert_true(ysv_scalar_eq(&c, &b));
    assert_true(ysv_scalar_invert(&inv, &a));
    ysv_scalar_mul(&c, &inv, &a);
    ysv_scalar_u64(&one, 1);
    assert_true(ysv_scalar_eq(&c, &one));
    ysv_scalar_zero(&c);
    assert_false(ysv_scalar_invert(&inv, &c));
    /* a·G + b·P in variable time equals the constant-time way */
    ysv_point P, x, y, z;
    ysv_mul_base_u64(&P, 11);
    ysv_mul_base_add(&x, &a, &P, &b);
    ysv_mul_base_u64(&y, 7 + 5 * 11);
    assert_true(ysv_point_eq(&x, &y));
    ysv_mul_base_u64(&z, 0);
    ysv_point_identity(&y);
    assert_true(ysv_point_eq(&z, &y));
}

static void ctx_of(ysv_hash *h, const char *tag, uint64_t i)
{
    ysv_hash_init(h, tag);
    ysv_hash_u64(h, i);
}

/* A Schnorr proof and a Chaum–Pedersen proof verify, and fail when the statement, the context or any
 * value of the proof changes. */
static void schnorr_and_cp(void **state)
{
    (void)state;
    ysv_rng rng;
    ysv_rng_test(&rng, "proofs");
    ysv_scalar x, r;
    ysv_point G, X, alpha, D, other;
    ysv_rng_scalar(&rng, &x);
    ysv_rng_scalar(&rng, &r);
    ysv_point_base(&G);
    ysv_mul_base(&X, &x);
    ysv_mul_base(&alpha, &r);
    ysv_mul(&D, &alpha, &x);
    ysv_mul_base_u64(&other, 5);
    ysv_hash ctx, ctx2;
    ctx_of(&ctx, "yishi-v1/share", 1);
    ctx_of(&ctx2, "yishi-v1/share", 2);

    ysv_schnorr sp;
    ysv_schnorr_prove(&sp, &ctx, &G, &X, &x, &rng);
    assert_true(ysv_schnorr_verify(&sp, &ctx, &G, &X));
    assert_false(ysv_schnorr_verify(&sp, &ctx2, &G, &X));
    assert_false(ysv_schnorr_verify(&sp, &ctx, &G, &other));
    ysv_schnorr bad = sp;
    ysv_point_add(&bad.a, &bad.a, &G);
    assert_false(ysv_schnorr_verify(&bad, &ctx, &G, &X));
    bad = sp;
    ysv_scalar one;
    ysv_scalar_u64(&one, 1);
    ysv_scalar_add(&bad.s, &bad.s, &one);
    assert_false(ysv_schnorr_verify(&bad, &ctx, &G, &X));
    /* to another base: x·α */
    ysv_schnorr_prove(&sp, &ctx, &alpha, &D, &x, &rng);
    assert_true(ysv_schnorr_verify(&sp, &ctx, &alpha, &D));
    assert_false(ysv_schnorr_verify(&sp, &ctx, &G, &D));

    ysv_cp cp;
    ysv_cp_prove(&cp, &ctx, &X, &alpha, &D, &x, &rng);
    assert_true(ysv_cp_verify(&cp, &ctx, &X, &alpha, &D));
    assert_false(ysv_cp_verify(&cp, &ctx2, &X, &alpha, &D));
    assert_false(ysv_cp_verify(&cp, &ctx, &X, &alpha, &other)); /* a wrong partial decryption */
    ysv_cp cbad = cp;
    ysv_point_add(&cbad.b, &cbad.b, &G);
    assert_false(ysv_cp_verify(&cbad, &ctx, &X, &alpha, &D));
    cbad = cp;
    ysv_scalar_add(&cbad.s, &cbad.s, &one);
    assert_false(ysv_cp_verify(&cbad, &ctx, &X, &alpha, &D));

    /* through JSON and back */
    json_t *j = ysv_cp_json(&cp);
    ysv_cp back;
    assert_true(ysv_cp_from_json(&back, j));
    assert_true(ysv_cp_verify(&back, &ctx, &X, &alpha, &D));
    json_object_set_new(j, "extra", json_true());
    assert_false(ysv_cp_from_json(&back, j));
    json_decref(j);
    j = ysv_schnorr_json(&sp);
    json_object_set_new(j, "s", json_string("not base64"));
    assert_false(ysv_schnorr_from_json(&sp, j));
    json_decref(j);
}

/* Encryption: what decrypts with the secret is what was encrypted, and ciphertexts add up. */
static void elgamal(void **state)
{
    (void)state;
    ysv_rng rng;
    ysv_rng_test(&rng, "elgamal");
    ysv_scalar x, r1, r2;
    ysv_point K, m, xa, got;
    ysv_rng_scalar(&rng, &x);
    ysv_rng_scalar(&rng, &r1);
    ysv_rng_scalar(&rng, &r2);
    ysv_mul_base(&K, &x);
    ysv_ct e1, e2, sum;
    ysv_encrypt_u64(&e1, &K, 3, &r1);
    ysv_encrypt_u64(&e2, &K, 4, &r2);
    ysv_ct_add(&sum, &e1, &e2);
    ysv_mul(&xa, &sum.a, &x);
    ysv_point_sub(&got, &sum.b, &xa);
    ysv_mul_base_u64(&m, 7);
    assert_true(ysv_point_eq(&got, &m));
    json_t *j = ysv_ct_json(&sum);
    ysv_ct back;
    assert_true(ysv_ct_from_json(&back, j));
    assert_true(ysv_point_eq(&back.a, &sum.a) && ysv_point_eq(&back.b, &sum.b));
    json_decref(j);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_encodings_as_libsodium),
        cmocka_unit_test(decoders_refuse),
        cmocka_unit_test(hash_is_length_prefixed),
        cmocka_unit_test(test_randomness_repeats),
        cmocka_unit_test(scalar_field),
        cmocka_unit_test(schnorr_and_cp),
        cmocka_unit_test(elgamal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
