/* audit.c — the check of a challenged ballot's audit (docs/verifiable.md §6): the ballot verifies, each
 * ciphertext is the encryption its opening says, and the code is the one the terminal showed. */
#include "crypto/ballot.h"

#include "yishi/alloc.h"

#include <stdio.h>
#include <string.h>

static bool ct_eq(const ysv_ct *x, const ysv_ct *y) { return ysv_point_eq(&x->a, &y->a) && ysv_point_eq(&x->b, &y->b); }

static ys_rc differs(ys_err *err, const char *field)
{
    return ys_fail(err, YS_BAD_PROOF, field, "the ballot's ciphertext is not what %s opens", field);
}

/* { "v": n, "r": r, "bits": [...] } at path opens E (value v ∈ [0, max]) and the range's bits; *value gets v. */
static ys_rc opening(uint64_t *value, const json_t *j, const char *path, uint64_t max, const ysv_point *K,
                     const ysv_ct *E, const ysv_range *range, ys_err *err)
{
    ysv_scalar r;
    ysv_ct e;
    const json_t *bits = json_object_get(j, "bits");
    json_int_t v = json_integer_value(json_object_get(j, "v"));
    if (!json_is_integer(json_object_get(j, "v")) || v < 0 || (uint64_t)v > max ||
        !ysv_scalar_from_json(&r, json_object_get(j, "r")) || !json_is_array(bits) ||
        json_array_size(bits) + 1 != range->L)
        return ys_fail(err, YS_BAD_FIELD, path, "%s is not an opening { v, r, bits }", path);
    *value = (uint64_t)v;
    ysv_encrypt_u64(&e, K, *value, &r);
    return ct_eq(&e, E) ? YS_OK : differs(err, path);
}

/* The bits of a range recomputed from the value they decompose and their randomness. */
static ys_rc range_bits(const json_t *bits, uint64_t value, const char *path, const ysv_point *K,
                        const ysv_range *range, ys_err *err)
{
    char f[64];
    for (unsigned i = 0; i + 1 < range->L; i++) {
        ysv_scalar r;
        ysv_ct e;
        snprintf(f, sizeof f, "%s.bits[%u]", path, i);
        if (!ysv_scalar_from_json(&r, json_array_get(bits, i)))
            return ys_fail(err, YS_BAD_FIELD, f, "%s is not a scalar", f);
        ysv_encrypt_u64(&e, K, ysv_range_bit(range->R, value, i) ? ysv_range_weight(range->R, i) : 0, &r);
        if (!ct_eq(&e, &range->bits[i]))
            return differs(err, f);
    }
    return YS_OK;
}

/* Each mark's { v, r }; *sum gets Σ v_c. */
static ys_rc open_marks(uint64_t *sum, const ys_vvote *v, const json_t *marks, const ysv_ballot *b, ys_err *err)
{
    *sum = 0;
    if (!json_is_array(marks) || json_array_size(marks) != v->C)
        return ys_fail(err, YS_BAD_FIELD, "marks", "the audit opens %zu marks", v->C);
    for (size_t c = 0; c < v->C; c++) {
        char f[48];
        ysv_scalar r;
        ysv_ct e;
        const json_t *m = json_array_get(marks, c);
        json_int_t x = json_integer_value(json_object_get(m, "v"));
        snprintf(f, sizeof f, "marks[%zu]", c);
        if ((x != 0 && x != 1 && (uint64_t)x != v->B) || !ysv_scalar_from_json(&r, json_object_get(m, "r")))
            return ys_fail(err, YS_BAD_FIELD, f, "%s is not an opening { v: 0, 1 or B, r }", f);
        ysv_encrypt_u64(&e, &v->K, (uint64_t)x, &r);
        if (!ct_eq(&e, &b->E[c]))
            return differs(err, f);
        *sum += (uint64_t)x;
    }
    return YS_OK;
}

/* The names, U and its bits, and each block ciphertext from the names' elements; *W gets the count. */
static ys_rc open_writein(uint64_t *W, const ys_vvote *v, const json_t *w, const ysv_ballot *b, ys_err *err)
{
    const json_t *names = json_object_get(w, "names"), *count = json_object_get(w, "count");
    const json_t *block = json_object_get(w, "block");
    size_t n = json_array_size(names);
    ys_rc rc = YS_OK;
    const char **list = ys_calloc(n ? n : 1, sizeof *list);
    ysv_point *M = ys_calloc(v->P, sizeof *M);
    if (!list || !M) {
        rc = ys_fail(err, YS_NOMEM, NULL, "audit");
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        if (!(list[i] = json_string_value(json_array_get(names, i)))) {
            rc = ys_fail(err, YS_BAD_FIELD, "writein.names", "the names are not texts");
            goto out;
        }
    if (!json_is_array(names) || !json_is_array(block) || json_array_size(block) != v->P) {
        rc = ys_fail(err, YS_BAD_FIELD, "writein", "the audit's writein is not { names, count, block }");
        goto out;
    }
    if ((rc = ysv_block_points(v, list, n, M, err)) ||
        (rc = opening(W, count, "writein.count", v->S, &v->K, &b->U, b->Ur, err)) ||
        (rc = range_bits(json_object_get(count, "bits"), *W, "writein.count", &v->K, b->Ur, err)))
        goto out;
    if (*W != n) {
        rc = ys_fail(err, YS_BAD_PROOF, "writein.count", "the count opens to %llu for %zu names",
                     (unsigned long long)*W, n);
        goto out;
    }
    for (size_t i = 0; i < v->P; i++) {
        char f[48];
        ysv_scalar r;
        ysv_ct e;
        snprintf(f, sizeof f, "writein.block[%zu]", i);
        if (!ysv_scalar_from_json(&r, json_array_get(block, i))) {
            rc = ys_fail(err, YS_BAD_FIELD, f, "%s is not a scalar", f);
            goto out;
        }
        ysv_encrypt_point(&e, &v->K, &M[i], &r);
        if (!ct_eq(&e, &b->D[i])) {
            rc = differs(err, f);
            goto out;
        }
    }
out:
    ys_free(list);
    ys_free(M);
    return rc;
}

static ys_rc open_all(const ys_vvote *v, const json_t *audit, const ysv_ballot *b, ys_err *err)
{
    uint64_t sum, W = 0, n;
    ys_rc rc = open_marks(&sum, v, json_object_get(audit, "marks"), b, err);
    if (rc || v->poll)
        return rc;
    if (v->P && (rc = open_writein(&W, v, json_object_get(audit, "writein"), b, err)))
        return rc;
    const json_t *no = json_object_get(audit, "no"), *limit = json_object_get(audit, "limit");
    if ((rc = opening(&n, no, "no", v->C, &v->K, &b->N, b->Nr, err)) ||
        (rc = range_bits(json_object_get(no, "bits"), n, "no", &v->K, b->Nr, err)))
        return rc;
    /* Λ encrypts Σ v_c + W − B·n, which the ballot proved lies in [0, S] */
    uint64_t value = sum + W - v->B * n;
    if (!json_is_array(json_object_get(limit, "bits")) ||
        json_array_size(json_object_get(limit, "bits")) + 1 != b->Lr->L)
        return ys_fail(err, YS_BAD_FIELD, "limit", "the audit's limit is not { bits }");
    return range_bits(json_object_get(limit, "bits"), value, "limit", &v->K, b->Lr, err);
}

ys_rc ys_vaudit_check(const ys_vvote *v, const json_t *audit, uint8_t code[YS_VHASH], ys_err *err)
{
    uint8_t shown[YS_V_HASH];
    const char *voter = json_string_value(json_object_get(audit, "voter"));
    const json_t *ballot = json_object_get(audit, "ballot");
    ys_vcast *cast = NULL;
    ysv_ballot *b = NULL;
    if (!voter || !ballot)
        return ys_fail(err, YS_MISSING_FIELD, voter ? "ballot" : "voter", "an audit holds its voter and ballot");
    if (!ysv_hash_from_json(shown, json_object_get(audit, "code")))
        return ys_fail(err, YS_BAD_FIELD, "code", "the code is not the base64 of 64 bytes");
    ys_rc rc = ysv_ballot_check_keep(v, voter, ballot, &cast, &b, err);
    if (rc == YS_OK && memcmp(ys_vcast_code(cast), shown, YS_V_HASH) != 0)
        rc = ys_fail(err, YS_BAD_PROOF, "code", "the code shown is not the ballot's");
    if (rc == YS_OK)
        rc = open_all(v, audit, b, err);
    if (rc == YS_OK && code)
        memcpy(code, shown, YS_V_HASH);
    ys_vcast_free(cast);
    ysv_ballot_free(b);
    return rc;
}
