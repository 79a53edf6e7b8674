/* test_vproof.c — the ballot's proofs (docs/verifiable.md §2) and batch verification (§10): the disjunctive
 * and range proofs verify for every honest value, alone and in a batch, and every changed value is refused. */
#include "crypto/msm.h"
#include "crypto/proof.h"

#include "yishi/alloc.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

static uint8_t Q[YS_V_HASH];
static ysv_point K;
static ysv_bctx X = { Q, "D0042", &K };

static int setup(void **state)
{
    (void)state;
    ysv_rng rng;
    ysv_scalar k;
    ysv_rng_test(&rng, "key");
    ysv_rng_scalar(&rng, &k);
    ysv_mul_base(&K, &k);
    memset(Q, 7, sizeof Q);
    return 0;
}

/* The proof alone and in a batch of one agree. */
static bool or_holds(const ysv_or *p, const ysv_bctx *x, const char *label, const ysv_ct *E, const uint64_t *v,
                     size_t m)
{
    ysv_batch b;
    size_t bad;
    ysv_batch_init(&b);
    ysv_or_batch(&b, 0, "p", p, x, label, E, v, m);
    int batched = ysv_batch_verify(&b, &bad, 1);
    ysv_batch_free(&b);
    bool alone = ysv_or_verify(p, x, label, E, v, m);
    assert_int_equal(batched, alone ? 1 : 0);
    return alone;
}

static void bump_point(ysv_point *p)
{
    ysv_point G;
    ysv_point_base(&G);
    ysv_point_add(p, p, &G);
}

static void bump_scalar(ysv_scalar *s)
{
    ysv_scalar one;
    ysv_scalar_u64(&one, 1);
    ysv_scalar_add(s, s, &one);
}

/* A three-way proof for each t verifies; every a, b, c, s changed, α or β changed, another voter, label or
 * set of values is refused; an encryption of a value not in the set cannot be proved. */
static void or_proof(void **state)
{
    (void)state;
    ysv_rng rng;
    ysv_rng_test(&rng, "or");
    const uint64_t values[3] = { 0, 1, 8 };
    for (size_t t = 0; t < 3; t++) {
        ysv_scalar r;
        ysv_ct E;
        ysv_or p;
        ysv_rng_scalar(&rng, &r);
        ysv_encrypt_u64(&E, &K, values[t], &r);
        ysv_or_prove(&p, &X, "mark/1", &E, values, 3, t, &r, &rng);
        assert_true(or_holds(&p, &X, "mark/1", &E, values, 3));
        for (size_t j = 0; j < 3; j++) {
            ysv_or bad = p;
            bump_point(&bad.a[j]);
            bad.enc = false;
            assert_false(or_holds(&bad, &X, "mark/1", &E, values, 3));
            bad = p;
            bump_point(&bad.b[j]);
            bad.enc = false;
            assert_false(or_holds(&bad, &X, "mark/1", &E, values, 3));
            bad = p;
            bump_scalar(&bad.s[j]);
            assert_false(or_holds(&bad, &X, "mark/1", &E, values, 3));
            if (j < 2) {
                bad = p;
                bump_scalar(&bad.c[j]);
                assert_false(or_holds(&bad, &X, "mark/1", &E, values, 3));
            }
        }
        ysv_ct E2 = E;
        bump_point(&E2.a);
        assert_false(or_holds(&p, &X, "mark/1", &E2, values, 3));
        E2 = E;
        bump_point(&E2.b);
        assert_false(or_holds(&p, &X, "mark/1", &E2, values, 3));
        ysv_bctx other = { Q, "D0043", &K };
        assert_false(or_holds(&p, &other, "mark/1", &E, values, 3));
        assert_false(or_holds(&p, &X, "mark/2", &E, values, 3));
        const uint64_t values2[3] = { 0, 1, 16 };
        assert_false(or_holds(&p, &X, "mark/1", &E, values2, 3));
        assert_false(ysv_or_verify(&p, &X, "mark/1", &E, values, 2));
    }
    /* 2 is not among the values: whichever branch the prover claims, the proof fails */
    ysv_scalar r;
    ysv_ct E;
    ysv_or p;
    ysv_rng_scalar(&rng, &r);
    ysv_encrypt_u64(&E, &K, 2, &r);
    for (size_t t = 0; t < 3; t++) {
        ysv_or_prove(&p, &X, "mark/1", &E, values, 3, t, &r, &rng);
        assert_false(or_holds(&p, &X, "mark/1", &E, values, 3));
    }
}

/* JSON: written as §2 says, read back equal; wrong counts and bad values are refused and named. */
static void or_json(void **state)
{
    (void)state;
    ysv_rng rng;
    ysv_rng_test(&rng, "or-json");
    const uint64_t values[3] = { 0, 1, 8 };
    ysv_scalar r;
    ysv_ct E;
    ysv_or p, back;
    char what[YSV_WHAT];
    ysv_rng_scalar(&rng, &r);
    ysv_encrypt_u64(&E, &K, 8, &r);
    ysv_or_prove(&p, &X, "l", &E, values, 3, 2, &r, &rng);
    json_t *j = ysv_or_json(&p);
    assert_non_null(j);
    assert_int_equal(json_array_size(json_object_get(j, "a")), 3);
    assert_int_equal(json_array_size(json_object_get(j, "c")), 2);
    assert_true(ysv_or_from_json(&back, j, 3, what));
    assert_true(ysv_or_verify(&back, &X, "l", &E, values, 3));
    assert_false(ysv_or_from_json(&back, j, 2, what));
    assert_string_equal(what, "a");
    json_array_set_new(json_object_get(j, "s"), 1, json_string("not base64"));
    assert_false(ysv_or_from_json(&back, j, 3, what));
    assert_string_equal(what, "s[1]");
    json_array_set_new(json_object_get(j, "b"), 0, json_integer(3));
    assert_false(ysv_or_from_json(&back, j, 3, what));
    assert_string_equal(what, "b[0]");
    json_object_set_new(j, "x", json_null());
    assert_false(ysv_or_from_json(&back, j, 3, what));
    json_decref(j);
}

/* The weights of §2 make every subset sum lie in [0, R], and the decomposition covers every value. */
static void range_weights(void **state)
{
    (void)state;
    for (uint64_t R = 1; R < 300; R++) {
        unsigned L = ysv_range_len(R);
        uint64_t total = 0;
        for (unsigned i = 0; i < L; i++)
            total += ysv_range_weight(R, i);
        assert_int_equal(total, R);
        for (uint64_t v = 0; v <= R; v++) {
            uint64_t sum = 0;
            for (unsigned i = 0; i < L; i++)
                if (ysv_range_bit(R, v, i))
                    sum += ysv_range_weight(R, i);
            assert_int_equal(sum, v);
        }
    }
}

static bool range_holds(const ysv_range *p, const ysv_ct *E, const char *label)
{
    ysv_batch b;
    size_t bad;
    ysv_batch_init(&b);
    ysv_range_batch(&b, 0, "r", p, &X, label, E);
    int batched = ysv_batch_verify(&b, &bad, 1);
    ysv_batch_free(&b);
    bool alone = ysv_range_verify(p, &X, label, E);
    assert_int_equal(batched, alone ? 1 : 0);
    return alone;
}

/* Every v in [0, R] proves, for R of one bit, a power of two less one and others; R + 1 does not; each value
 * of the range changed is refused, and the batch names the proof of that bit. */
static void range_proof(void **state)
{
    (void)state;
    ysv_rng rng;
    ysv_rng_test(&rng, "range");
    const uint64_t Rs[] = { 1, 2, 3, 5, 7, 12 };
    for (size_t k = 0; k < sizeof Rs / sizeof *Rs; k++) {
        uint64_t R = Rs[k];
        for (uint64_t v = 0; v <= R + 1; v++) {
            ysv_scalar r, bit_r[YSV_RANGE_BITS];
            ysv_ct E;
            ysv_range p;
            ysv_rng_scalar(&rng, &r);
            ysv_encrypt_u64(&E, &K, v, &r);
            ysv_range_prove(&p, &X, "no", &E, R, v > R ? R : v, &r, &rng, bit_r);
            assert_int_equal(range_holds(&p, &E, "no"), v <= R);
            for (unsigned i = 0; v <= R && i + 1 < p.L; i++) { /* the audit's randomness recomputes the bits */
                ysv_ct again;
                ysv_encrypt_u64(&again, &K, ysv_range_bit(R, v, i) ? ysv_range_weight(R, i) : 0, &bit_r[i]);
                assert_true(ysv_point_eq(&again.a, &p.bits[i].a) && ysv_point_eq(&again.b, &p.bits[i].b));
            }
        }
    }
    /* tamper, R = 12: L = 4, three bits sent */
    ysv_scalar r;
    ysv_ct E;
    ysv_range p;
    ysv_rng_scalar(&rng, &r);
    ysv_encrypt_u64(&E, &K, 9, &r);
    ysv_range_prove(&p, &X, "limit", &E, 12, 9, &r, &rng, NULL);
    assert_true(range_holds(&p, &E, "limit"));
    assert_false(range_holds(&p, &E, "no"));
    for (unsigned i = 0; i < p.L; i++) {
        ysv_range bad = p;
        bump_scalar(&bad.proofs[i].s[1]);
        ysv_batch b;
        size_t first;
        ysv_batch_init(&b);
        ysv_range_batch(&b, 0, "no.range", &bad, &X, "limit", &E);
        assert_int_equal(ysv_batch_verify(&b, &first, 1), 0);
        char want[32];
        snprintf(want, sizeof want, "no.range.proofs[%u]", i);
        assert_string_equal(b.eqs[first].label, want);
        ysv_batch_free(&b);
        if (i + 1 < p.L) {
            bad = p;
            bump_point(&bad.bits[i].b);
            assert_false(range_holds(&bad, &E, "limit"));
        }
    }
    /* JSON round trip and naming */
    char what[YSV_WHAT];
    ysv_range back;
    json_t *j = ysv_range_json(&p);
    assert_true(ysv_range_from_json(&back, j, 12, what));
    assert_true(range_holds(&back, &E, "limit"));
    assert_false(ysv_range_from_json(&back, j, 16, what)); /* L = 5: one bit too few */
    assert_string_equal(what, "bits");
    json_array_set_new(json_object_get(json_array_get(json_object_get(j, "proofs"), 2), "a"), 1, json_string("x"));
    assert_false(ysv_range_from_json(&back, j, 12, what));
    assert_string_equal(what, "proofs[2].a[1]");
    json_decref(j);
}

/* The multi-scalar multiplication equals the sum of products, for sizes that pick every window width up to
 * 8, scalars long and short (and negative), and repeated points. */
static void msm_equals_products(void **state)
{
    (void)state;
    ysv_rng rng;
    ysv_rng_test(&rng, "msm");
    const size_t sizes[] = { 1, 2, 3, 7, 30, 100, 700 };
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        size_t n = sizes[k];
        ysv_scalar *s = ys_malloc(n * sizeof *s);
        ysv_point *P = ys_malloc(n * sizeof *P), want, got, x;
        assert_non_null(s);
        assert_non_null(P);
        ysv_point_identity(&want);
        for (size_t i = 0; i < n; i++) {
            ysv_scalar t;
            ysv_rng_scalar(&rng, &t);
            ysv_mul_base(&P[i], &t);
            if (i % 5 == 1)
                P[i] = P[i - 1];
            ysv_rng_scalar(&rng, &s[i]);
            if (i % 3 == 1)
                ysv_scalar_u64(&s[i], i);
            if (i % 3 == 2) {
                ysv_scalar_u64(&t, i * 977);
                ysv_scalar_neg(&s[i], &t);
            }
            ysv_mul(&x, &P[i], &s[i]);
            ysv_point_add(&want, &want, &x);
        }
        assert_true(ysv_msm(&got, s, P, n));
        assert_true(ysv_point_eq(&got, &want));
        ys_free(s);
        ys_free(P);
    }
    ysv_point o, got;
    ysv_point_identity(&o);
    assert_true(ysv_msm(&got, NULL, NULL, 0));
    assert_true(ysv_point_eq(&got, &o));
}

/* A batch of many owners: all hold together; one bad proof is named for its owner only. */
static void batch_of_owners(void **state)
{
    (void)state;
    ysv_rng rng;
    ysv_rng_test(&rng, "owners");
    const uint64_t values[3] = { 0, 1, 8 };
    enum { OWNERS = 5, EACH = 4 };
    ysv_ct E[OWNERS][EACH];
    ysv_or p[OWNERS][EACH];
    for (size_t o = 0; o < OWNERS; o++)
        for (size_t i = 0; i < EACH; i++) {
            ysv_scalar r;
            ysv_rng_scalar(&rng, &r);
            ysv_encrypt_u64(&E[o][i], &K, values[(o + i) % 3], &r);
            ysv_or_prove(&p[o][i], &X, "m", &E[o][i], values, 3, (o + i) % 3, &r, &rng);
        }
    bump_scalar(&p[3][2].s[0]);
    bump_point(&p[1][3].a[2]);
    p[1][3].enc = false;
    ysv_batch b;
    size_t bad[OWNERS];
    ysv_batch_init(&b);
    for (size_t o = 0; o < OWNERS; o++)
        for (size_t i = 0; i < EACH; i++) {
            char name[16];
            snprintf(name, sizeof name, "m%zu", i);
            ysv_or_batch(&b, o, name, &p[o][i], &X, "m", &E[o][i], values, 3);
        }
    assert_int_equal(ysv_batch_verify(&b, bad, OWNERS), 0);
    assert_int_equal(bad[0], SIZE_MAX);
    assert_string_equal(b.eqs[bad[1]].label, "m3");
    assert_int_equal(bad[2], SIZE_MAX);
    assert_string_equal(b.eqs[bad[3]].label, "m2");
    assert_int_equal(bad[4], SIZE_MAX);
    ysv_batch_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(or_proof),          cmocka_unit_test(or_json),
        cmocka_unit_test(range_weights),     cmocka_unit_test(range_proof),
        cmocka_unit_test(msm_equals_products), cmocka_unit_test(batch_of_owners),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
