/* test_vmix.c — the shuffle of tuples and its proof (docs/verifiable.md §9): an honest shuffle verifies and
 * re-encrypts a permutation of its input; any value changed, tuples swapped or one replaced is refused. */
#include "crypto/keys.h"
#include "crypto/mix.h"
#include "yishi/alloc.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

static const uint8_t QV[YS_V_HASH] = { 'm', 'i', 'x' };

typedef struct fixture {
    ysv_scalar x; /* the key's secret, to decrypt what the shuffle made */
    ysv_point K;
    size_t N, w;
    ysv_ct *in;
    ysv_rng rng;
} fixture;

/* N tuples of w: tuple i, ciphertext ℓ encrypts 100·i + ℓ. */
static void make(fixture *f, size_t N, size_t w, const char *seed)
{
    ysv_rng_test(&f->rng, seed);
    ysv_rng_scalar(&f->rng, &f->x);
    ysv_mul_base(&f->K, &f->x);
    f->N = N;
    f->w = w;
    f->in = ys_calloc(N * w, sizeof *f->in);
    for (size_t i = 0; i < N; i++)
        for (size_t l = 0; l < w; l++) {
            ysv_scalar r;
            ysv_rng_scalar(&f->rng, &r);
            ysv_encrypt_u64(&f->in[i * w + l], &f->K, 100 * i + l, &r);
        }
}

static void decrypts_to(const fixture *f, const ysv_ct *e, uint64_t v)
{
    ysv_point xa, M, want;
    ysv_mul(&xa, &e->a, &f->x);
    ysv_point_sub(&M, &e->b, &xa);
    ysv_mul_base_u64(&want, v);
    assert_true(ysv_point_eq(&M, &want));
}

static void prove(fixture *f, ysv_mix *m, const size_t *perm)
{
    assert_true(ysv_mix_prove(m, QV, 1, &f->K, f->in, f->N, f->w, perm, &f->rng));
}

static ys_rc verify(const fixture *f, const ysv_mix *m)
{
    ys_err err = { 0 };
    return ysv_mix_verify(m, QV, 1, &f->K, f->in, &err);
}

static void honest_shuffle_verifies(void **state)
{
    (void)state;
    fixture f;
    make(&f, 6, 3, "honest");
    const size_t perm[] = { 3, 0, 5, 1, 4, 2 };
    ysv_mix m;
    prove(&f, &m, perm);
    assert_int_equal(verify(&f, &m), YS_OK);
    for (size_t i = 0; i < 6; i++)
        for (size_t l = 0; l < 3; l++) {
            decrypts_to(&f, &m.out[i * 3 + l], 100 * perm[i] + l);
            assert_false(ysv_point_eq(&m.out[i * 3 + l].a, &f.in[perm[i] * 3 + l].a)); /* re-encrypted */
        }
    /* another shuffle number, context or key is another statement */
    ys_err err = { 0 };
    uint8_t q2[YS_V_HASH] = { 'x' };
    assert_int_equal(ysv_mix_verify(&m, QV, 2, &f.K, f.in, &err), YS_BAD_PROOF);
    assert_int_equal(ysv_mix_verify(&m, q2, 1, &f.K, f.in, &err), YS_BAD_PROOF);
    ysv_point K2;
    ysv_point_add(&K2, &f.K, &f.K);
    assert_int_equal(ysv_mix_verify(&m, QV, 1, &K2, f.in, &err), YS_BAD_PROOF);
    /* the output shuffled again: the second shuffle's input is the first's output */
    ysv_mix m2;
    const size_t perm2[] = { 5, 4, 3, 2, 1, 0 };
    assert_true(ysv_mix_prove(&m2, QV, 2, &f.K, m.out, 6, 3, perm2, &f.rng));
    assert_int_equal(ysv_mix_verify(&m2, QV, 2, &f.K, m.out, &err), YS_OK);
    assert_int_equal(ysv_mix_verify(&m2, QV, 2, &f.K, f.in, &err), YS_BAD_PROOF);
    decrypts_to(&f, &m2.out[0], 100 * perm[5]);
    ysv_mix_free(&m2);
    ysv_mix_free(&m);
    ys_free(f.in);
}

/* Every element and scalar of a shuffle, in one list. */
static size_t all_values(ysv_mix *m, ysv_point **pts, size_t *np, ysv_scalar **scs)
{
    size_t n = 0, s = 0, N = m->N, w = m->w;
    for (size_t i = 0; i < N * w; i++) {
        pts[n++] = &m->out[i].a;
        pts[n++] = &m->out[i].b;
    }
    for (size_t i = 0; i < N; i++) {
        pts[n++] = &m->c[i];
        pts[n++] = &m->c_hat[i];
        pts[n++] = &m->t_hat[i];
    }
    pts[n++] = &m->t1;
    pts[n++] = &m->t2;
    pts[n++] = &m->t3;
    for (size_t l = 0; l < w; l++) {
        pts[n++] = &m->t4[l].a;
        pts[n++] = &m->t4[l].b;
        scs[s++] = &m->s4[l];
    }
    scs[s++] = &m->s1;
    scs[s++] = &m->s2;
    scs[s++] = &m->s3;
    for (size_t i = 0; i < N; i++) {
        scs[s++] = &m->s_hat[i];
        scs[s++] = &m->s_prime[i];
    }
    *np = n;
    return s;
}

static void any_value_changed_fails(void **state)
{
    (void)state;
    fixture f;
    make(&f, 4, 3, "tamper");
    const size_t perm[] = { 2, 3, 1, 0 };
    ysv_mix m;
    prove(&f, &m, perm);
    ysv_point *pts[128], G;
    ysv_scalar *scs[64], one;
    size_t np, ns = all_values(&m, pts, &np, scs);
    assert_int_equal(np, 4 * 3 * 2 + 4 * 3 + 3 + 6);
    ysv_point_base(&G);
    ysv_scalar_u64(&one, 1);
    for (size_t i = 0; i < np; i++) {
        ysv_point keep = *pts[i];
        ysv_point_add(pts[i], pts[i], &G);
        ys_err err = { 0 };
        assert_int_equal(ysv_mix_verify(&m, QV, 1, &f.K, f.in, &err), YS_BAD_PROOF);
        assert_non_null(strstr(err.msg, "equation"));
        *pts[i] = keep;
    }
    for (size_t i = 0; i < ns; i++) {
        ysv_scalar keep = *scs[i];
        ysv_scalar_add(scs[i], scs[i], &one);
        assert_int_equal(verify(&f, &m), YS_BAD_PROOF);
        *scs[i] = keep;
    }
    assert_int_equal(verify(&f, &m), YS_OK);
    /* the input changed (a ballot's block replaced before the shuffle) */
    ysv_point_add(&f.in[5].b, &f.in[5].b, &G);
    assert_int_equal(verify(&f, &m), YS_BAD_PROOF);
    ysv_mix_free(&m);
    ys_free(f.in);
}

/* A response changed with the challenge unchanged names its own equation. */
static void failing_equation_named(void **state)
{
    (void)state;
    fixture f;
    make(&f, 4, 2, "named");
    const size_t perm[] = { 1, 0, 3, 2 };
    ysv_mix m;
    prove(&f, &m, perm);
    ysv_scalar one;
    ysv_scalar_u64(&one, 1);
    ys_err err = { 0 };
    ysv_scalar_add(&m.s_hat[2], &m.s_hat[2], &one);
    assert_int_equal(ysv_mix_verify(&m, QV, 1, &f.K, f.in, &err), YS_BAD_PROOF);
    assert_non_null(strstr(err.msg, "s_hat/3"));
    ysv_scalar_sub(&m.s_hat[2], &m.s_hat[2], &one);
    ysv_scalar_add(&m.s4[1], &m.s4[1], &one);
    assert_int_equal(ysv_mix_verify(&m, QV, 1, &f.K, f.in, &err), YS_BAD_PROOF);
    assert_non_null(strstr(err.msg, "s4/2 (α)"));
    ysv_mix_free(&m);
    ys_free(f.in);
}

static void swapped_or_replaced_fails(void **state)
{
    (void)state;
    fixture f;
    make(&f, 5, 3, "swap");
    const size_t perm[] = { 4, 2, 0, 1, 3 };
    ysv_mix m;
    prove(&f, &m, perm);
    ysv_ct keep[3];
    memcpy(keep, &m.out[3], sizeof keep);
    memcpy(&m.out[3], &m.out[6], sizeof keep); /* tuples 1 and 2 swapped */
    memcpy(&m.out[6], keep, sizeof keep);
    assert_int_equal(verify(&f, &m), YS_BAD_PROOF);
    memcpy(&m.out[6], &m.out[3], sizeof keep);
    memcpy(&m.out[3], keep, sizeof keep);
    assert_int_equal(verify(&f, &m), YS_OK);
    /* tuple 4 replaced by encryptions of another name */
    for (size_t l = 0; l < 3; l++) {
        ysv_scalar r;
        ysv_rng_scalar(&f.rng, &r);
        ysv_encrypt_u64(&m.out[4 * 3 + l], &f.K, 999, &r);
    }
    assert_int_equal(verify(&f, &m), YS_BAD_PROOF);
    ysv_mix_free(&m);
    ys_free(f.in);
}

/* The board's JSON through include/yishi/vkey.h, with a key from a ceremony of one. */
static void json_and_public_api(void **state)
{
    (void)state;
    static const char *const logins[] = { "wang" };
    ys_vkey_params p = { "00000000000000000000000000000000000000000000000000000000000000ff", 1, 1, 1, logins };
    ys_vkey *key = NULL;
    ys_vtrustee *t = NULL;
    ys_err err = { 0 };
    assert_int_equal(ys_vkey_new(&p, &key, &err), YS_OK);
    json_t *input = json_array(), *shuffle = NULL;
    assert_int_equal(ys_vmix_prove(key, QV, 1, input, &shuffle, &err), YS_STATE);
    assert_int_equal(ys_vtrustee_new(key, 1, &t, &err), YS_OK);
    json_t *cm = ys_vtrustee_commitment(t);
    assert_int_equal(ys_vkey_add_commitment(key, 1, cm, &err), YS_OK);
    assert_int_equal(ys_vmix_prove(key, QV, 1, input, &shuffle, &err), YS_BAD_FIELD);
    assert_string_equal(err.field, "input");
    fixture f;
    make(&f, 7, 2, "json");
    f.K = key->K;
    json_decref(input);
    input = ysv_tuples_json(f.in, 7, 2);
    assert_int_equal(ys_vmix_prove(key, QV, 1, input, &shuffle, &err), YS_OK);
    assert_int_equal(ys_vmix_verify(key, QV, 1, input, shuffle, &err), YS_OK);
    /* the JSON reads back to the same values */
    ysv_mix m;
    assert_int_equal(ysv_mix_from_json(&m, shuffle, 7, 2, &err), YS_OK);
    json_t *again = ysv_mix_json(&m);
    assert_true(json_equal(again, shuffle));
    json_decref(again);
    ysv_mix_free(&m);
    /* a changed output, a missing field, a short array */
    json_t *bad = json_deep_copy(shuffle);
    json_array_set(json_array_get(json_object_get(bad, "output"), 3), 1,
                   json_array_get(json_array_get(json_object_get(bad, "output"), 3), 0));
    assert_int_equal(ys_vmix_verify(key, QV, 1, input, bad, &err), YS_BAD_PROOF);
    json_object_del(json_object_get(bad, "s"), "s2");
    assert_int_equal(ys_vmix_verify(key, QV, 1, input, bad, &err), YS_BAD_FIELD);
    assert_string_equal(err.field, "s");
    json_decref(bad);
    bad = json_deep_copy(shuffle);
    json_array_remove(json_object_get(json_object_get(bad, "t"), "t_hat"), 0);
    assert_int_equal(ys_vmix_verify(key, QV, 1, input, bad, &err), YS_BAD_FIELD);
    assert_string_equal(err.field, "t_hat");
    json_decref(bad);
    bad = json_deep_copy(shuffle);
    json_array_set_new(json_object_get(bad, "c"), 2, json_string("AAAA"));
    assert_int_equal(ys_vmix_verify(key, QV, 1, input, bad, &err), YS_BAD_FIELD);
    assert_string_equal(err.field, "c/2");
    json_decref(bad);
    json_decref(shuffle);
    json_decref(input);
    json_decref(cm);
    ys_free(f.in);
    ys_vtrustee_free(t);
    ys_vkey_free(key);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(honest_shuffle_verifies),
        cmocka_unit_test(any_value_changed_fails),
        cmocka_unit_test(failing_equation_named),
        cmocka_unit_test(swapped_or_replaced_fails),
        cmocka_unit_test(json_and_public_api),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
