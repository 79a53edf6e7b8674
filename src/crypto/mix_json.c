/* mix_json.c — a shuffle as the board carries it (docs/verifiable.md §9), read with every wrong field named,
 * and the shuffle's entry points in include/yishi/vkey.h. */
#include "crypto/keys.h"
#include "crypto/mix.h"
#include "crypto/vote.h"

#include "yishi/alloc.h"

#include <string.h>

json_t *ysv_points_json(const ysv_point *p, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        if (json_array_append_new(a, ysv_point_json(&p[i])) != 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

json_t *ysv_scalars_json(const ysv_scalar *s, const bool *have, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        if (json_array_append_new(a, !have || have[i] ? ysv_scalar_json(&s[i]) : json_null()) != 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

static json_t *cts_json(const ysv_ct *e, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        if (json_array_append_new(a, ysv_ct_json(&e[i])) != 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

json_t *ysv_tuples_json(const ysv_ct *e, size_t N, size_t w)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < N; i++)
        if (json_array_append_new(a, cts_json(&e[i * w], w)) != 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

json_t *ysv_mix_json(const ysv_mix *m)
{
    json_t *t = json_pack("{s:o, s:o, s:o, s:o, s:o}", "t1", ysv_point_json(&m->t1), "t2", ysv_point_json(&m->t2), "t3",
                          ysv_point_json(&m->t3), "t4", cts_json(m->t4, m->w), "t_hat", ysv_points_json(m->t_hat, m->N));
    json_t *s = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "s1", ysv_scalar_json(&m->s1), "s2", ysv_scalar_json(&m->s2),
                          "s3", ysv_scalar_json(&m->s3), "s4", ysv_scalars_json(m->s4, NULL, m->w), "s_hat",
                          ysv_scalars_json(m->s_hat, NULL, m->N), "s_prime", ysv_scalars_json(m->s_prime, NULL, m->N));
    return json_pack("{s:o, s:o, s:o, s:o, s:o}", "output", ysv_tuples_json(m->out, m->N, m->w), "c",
                     ysv_points_json(m->c, m->N), "c_hat", ysv_points_json(m->c_hat, m->N), "t", t, "s", s);
}

/* ---- reading ---- */

/* obj[name] as an array of exactly n, or NULL having named it. */
static const json_t *array_of(const json_t *obj, const char *name, size_t n, ys_err *err)
{
    const json_t *a = json_object_get(obj, name);
    if (!json_is_array(a) || json_array_size(a) != n) {
        ys_fail(err, YS_BAD_FIELD, name, "%s must be an array of %zu", name, n);
        return NULL;
    }
    return a;
}

static ys_rc bad_item(const char *name, size_t i, const char *what, ys_err *err)
{
    char field[48];
    snprintf(field, sizeof field, "%s/%zu", name, i);
    return ys_fail(err, YS_BAD_FIELD, field, "%s %zu is not %s", name, i, what);
}

static ys_rc read_points(const json_t *obj, const char *name, ysv_point *out, size_t n, ys_err *err)
{
    const json_t *a = array_of(obj, name, n, err);
    if (!a)
        return YS_BAD_FIELD;
    for (size_t i = 0; i < n; i++)
        if (!ysv_point_from_json(&out[i], json_array_get(a, i)))
            return bad_item(name, i, "an element", err);
    return YS_OK;
}

static ys_rc read_scalars(const json_t *obj, const char *name, ysv_scalar *out, size_t n, ys_err *err)
{
    const json_t *a = array_of(obj, name, n, err);
    if (!a)
        return YS_BAD_FIELD;
    for (size_t i = 0; i < n; i++)
        if (!ysv_scalar_from_json(&out[i], json_array_get(a, i)))
            return bad_item(name, i, "a scalar", err);
    return YS_OK;
}

static ys_rc read_cts(const json_t *obj, const char *name, ysv_ct *out, size_t n, ys_err *err)
{
    const json_t *a = array_of(obj, name, n, err);
    if (!a)
        return YS_BAD_FIELD;
    for (size_t i = 0; i < n; i++)
        if (!ysv_ct_from_json(&out[i], json_array_get(a, i)))
            return bad_item(name, i, "a ciphertext [α, β]", err);
    return YS_OK;
}

static ys_rc read_one(const json_t *obj, const char *name, ysv_point *p, ysv_scalar *s, ys_err *err)
{
    const json_t *v = json_object_get(obj, name);
    if (p ? ysv_point_from_json(p, v) : ysv_scalar_from_json(s, v))
        return YS_OK;
    return ys_fail(err, YS_BAD_FIELD, name, "%s is not %s", name, p ? "an element" : "a scalar");
}

static ys_rc tuples_into(const json_t *j, const char *field, ysv_ct *out, size_t N, size_t w, ys_err *err)
{
    for (size_t i = 0; i < N; i++) {
        const json_t *t = json_array_get(j, i);
        char f[48];
        snprintf(f, sizeof f, "%s/%zu", field, i);
        if (!json_is_array(t) || json_array_size(t) != w)
            return ys_fail(err, YS_BAD_FIELD, f, "tuple %zu must be an array of %zu ciphertexts", i, w);
        for (size_t l = 0; l < w; l++)
            if (!ysv_ct_from_json(&out[i * w + l], json_array_get(t, l)))
                return ys_fail(err, YS_BAD_FIELD, f, "ciphertext %zu of tuple %zu is not [α, β]", l, i);
    }
    return YS_OK;
}

ys_rc ysv_tuples_from_json(const json_t *j, const char *field, ysv_ct **out, size_t *N, size_t *w, ys_err *err)
{
    *out = NULL;
    if (!json_is_array(j) || json_array_size(j) == 0 || json_array_size(json_array_get(j, 0)) == 0)
        return ys_fail(err, YS_BAD_FIELD, field, "%s must be a non-empty array of tuples of ciphertexts", field);
    *N = json_array_size(j);
    *w = json_array_size(json_array_get(j, 0));
    if (!(*out = ys_calloc(*N * *w, sizeof **out)))
        return ys_fail(err, YS_NOMEM, NULL, "out of memory reading %s", field);
    ys_rc rc = tuples_into(j, field, *out, *N, *w, err);
    if (rc) {
        ys_free(*out);
        *out = NULL;
    }
    return rc;
}

static ys_rc read_t(ysv_mix *m, const json_t *t, ys_err *err)
{
    ys_rc rc;
    if (!json_is_object(t) || json_object_size(t) != 5)
        return ys_fail(err, YS_BAD_FIELD, "t", "t is { t1, t2, t3, t4, t_hat }");
    if ((rc = read_one(t, "t1", &m->t1, NULL, err)) || (rc = read_one(t, "t2", &m->t2, NULL, err)) ||
        (rc = read_one(t, "t3", &m->t3, NULL, err)) || (rc = read_cts(t, "t4", m->t4, m->w, err)))
        return rc;
    return read_points(t, "t_hat", m->t_hat, m->N, err);
}

static ys_rc read_s(ysv_mix *m, const json_t *s, ys_err *err)
{
    ys_rc rc;
    if (!json_is_object(s) || json_object_size(s) != 6)
        return ys_fail(err, YS_BAD_FIELD, "s", "s is { s1, s2, s3, s4, s_hat, s_prime }");
    if ((rc = read_one(s, "s1", NULL, &m->s1, err)) || (rc = read_one(s, "s2", NULL, &m->s2, err)) ||
        (rc = read_one(s, "s3", NULL, &m->s3, err)) || (rc = read_scalars(s, "s4", m->s4, m->w, err)) ||
        (rc = read_scalars(s, "s_hat", m->s_hat, m->N, err)))
        return rc;
    return read_scalars(s, "s_prime", m->s_prime, m->N, err);
}

ys_rc ysv_mix_from_json(ysv_mix *m, const json_t *j, size_t N, size_t w, ys_err *err)
{
    if (!ysv_mix_alloc(m, N, w))
        return ys_fail(err, YS_NOMEM, NULL, "out of memory reading a shuffle");
    ys_rc rc;
    const json_t *out = json_object_get(j, "output");
    if (!json_is_object(j) || json_object_size(j) != 5)
        rc = ys_fail(err, YS_BAD_FIELD, "shuffle", "a shuffle is { output, c, c_hat, t, s }");
    else if (!json_is_array(out) || json_array_size(out) != N)
        rc = ys_fail(err, YS_BAD_FIELD, "output", "the output must be an array of %zu tuples", N);
    else if (!(rc = tuples_into(out, "output", m->out, N, w, err)) && !(rc = read_points(j, "c", m->c, N, err)) &&
             !(rc = read_points(j, "c_hat", m->c_hat, N, err)) && !(rc = read_t(m, json_object_get(j, "t"), err)))
        rc = read_s(m, json_object_get(j, "s"), err);
    if (rc)
        ysv_mix_free(m);
    return rc;
}

/* ---- include/yishi/vkey.h ---- */

static ys_rc key_known(const ys_vkey *key, ys_err *err)
{
    if (!ys_vkey_committed(key))
        return ys_fail(err, YS_STATE, "key", "no shuffle before the key is known");
    return YS_OK;
}

/* A uniform permutation (Fisher–Yates) from the system's randomness. */
static void random_permutation(size_t *perm, size_t N)
{
    for (size_t i = 0; i < N; i++)
        perm[i] = i;
    for (size_t i = N; i-- > 1;) {
        size_t j = randombytes_uniform((uint32_t)i + 1), t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
}

ys_rc ys_vmix_prove(const ys_vkey *key, const uint8_t Q[YS_VKEY_HASH], uint64_t m, const json_t *input, json_t **out,
                    ys_err *err)
{
    *out = NULL;
    ysv_ct *in = NULL;
    size_t N = 0, w = 0, *perm = NULL;
    ys_rc rc = key_known(key, err);
    if (rc || (rc = ysv_tuples_from_json(input, "input", &in, &N, &w, err)))
        return rc;
    if (N > UINT32_MAX) {
        ys_free(in);
        return ys_fail(err, YS_TOO_LARGE, "input", "too many tuples to shuffle");
    }
    ysv_mix mix;
    ysv_rng rng;
    ysv_rng_system(&rng);
    rc = YS_NOMEM;
    if ((perm = ys_malloc(N * sizeof *perm))) {
        random_permutation(perm, N);
        if (ysv_mix_prove(&mix, Q, m, &key->K, in, N, w, perm, &rng)) {
            if ((*out = ysv_mix_json(&mix)))
                rc = YS_OK;
            ysv_mix_free(&mix);
        }
        sodium_memzero(perm, N * sizeof *perm);
    }
    if (rc)
        ys_fail(err, YS_NOMEM, NULL, "out of memory for a shuffle");
    ys_free(perm);
    ys_free(in);
    return rc;
}

static ys_rc verify_with(const ysv_point *K, const uint8_t Q[YS_VKEY_HASH], uint64_t m, const json_t *input,
                         const json_t *shuffle, ys_err *err)
{
    ysv_ct *in = NULL;
    size_t N = 0, w = 0;
    ys_rc rc = ysv_tuples_from_json(input, "input", &in, &N, &w, err);
    if (rc)
        return rc;
    ysv_mix mix;
    if (!(rc = ysv_mix_from_json(&mix, shuffle, N, w, err))) {
        rc = ysv_mix_verify(&mix, Q, m, K, in, err);
        ysv_mix_free(&mix);
    }
    ys_free(in);
    return rc;
}

ys_rc ys_vmix_verify(const ys_vkey *key, const uint8_t Q[YS_VKEY_HASH], uint64_t m, const json_t *input,
                     const json_t *shuffle, ys_err *err)
{
    ys_rc rc = key_known(key, err);
    return rc ? rc : verify_with(&key->K, Q, m, input, shuffle, err);
}

ys_rc ys_vmix_verify_vote(const ys_vvote *v, uint64_t m, const json_t *input, const json_t *shuffle, ys_err *err)
{
    return verify_with(&v->K, v->Q, m, input, shuffle, err);
}
