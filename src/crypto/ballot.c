/* ballot.c — a ballot of docs/verifiable.md §5: encrypted and proved on the terminal (in the order of draws
 * that §13 fixes), written as JSON with its audit (§6), read back naming any bad field, and its code. */
#include "crypto/ballot.h"

#include "yishi/alloc.h"

#include <stdio.h>
#include <string.h>

/* ---- the ballot's memory ---- */

ysv_ballot *ysv_ballot_new(const ys_vvote *v)
{
    ysv_ballot *b = ys_calloc(1, sizeof *b);
    if (!b)
        return NULL;
    b->C = v->C;
    b->P = v->P;
    b->poll = v->poll;
    b->E = ys_calloc(b->C, sizeof *b->E);
    b->Ep = ys_calloc(b->C, sizeof *b->Ep);
    b->D = ys_calloc(b->P ? b->P : 1, sizeof *b->D);
    b->Dp = ys_calloc(b->P ? b->P : 1, sizeof *b->Dp);
    b->Ur = ys_calloc(1, sizeof *b->Ur);
    b->Nr = ys_calloc(1, sizeof *b->Nr);
    b->Lr = ys_calloc(1, sizeof *b->Lr);
    if (!b->E || !b->Ep || !b->D || !b->Dp || !b->Ur || !b->Nr || !b->Lr) {
        ysv_ballot_free(b);
        return NULL;
    }
    return b;
}

void ysv_ballot_free(ysv_ballot *b)
{
    if (!b)
        return;
    ys_free(b->E);
    ys_free(b->Ep);
    ys_free(b->D);
    ys_free(b->Dp);
    ys_free(b->Ur);
    ys_free(b->Nr);
    ys_free(b->Lr);
    ys_free(b);
}

void ysv_ballot_limit(ysv_ct *out, const ys_vvote *v, const ysv_ballot *b)
{
    ysv_ct bn;
    ysv_scalar B;
    ysv_ct_zero(out);
    for (size_t c = 0; c < b->C; c++)
        ysv_ct_add(out, out, &b->E[c]);
    if (b->P)
        ysv_ct_add(out, out, &b->U);
    ysv_scalar_u64(&B, v->B);
    ysv_ct_mul(&bn, &b->N, &B);
    ysv_ct_sub(out, out, &bn);
}

void ysv_block_ctx(ysv_hash *h, const ys_vvote *v, const char *voter, size_t i, const ysv_point *beta)
{
    ysv_hash_init(h, "yishi-v1/block");
    ysv_hash_bytes(h, v->Q, YS_V_HASH);
    ysv_hash_text(h, voter);
    ysv_hash_u64(h, i);
    ysv_hash_point(h, beta);
}

json_t *ysv_hash_json(const uint8_t h[YS_V_HASH])
{
    char s[sodium_base64_ENCODED_LEN(YS_V_HASH, sodium_base64_VARIANT_ORIGINAL)];
    sodium_bin2base64(s, sizeof s, h, YS_V_HASH, sodium_base64_VARIANT_ORIGINAL);
    return json_string(s);
}

bool ysv_hash_from_json(uint8_t h[YS_V_HASH], const json_t *j)
{
    size_t n = 0;
    const char *end = NULL, *s = json_string_value(j);
    if (!s || strlen(s) != sodium_base64_ENCODED_LEN(YS_V_HASH, sodium_base64_VARIANT_ORIGINAL) - 1)
        return false;
    return sodium_base642bin(h, YS_V_HASH, s, strlen(s), NULL, &n, &end, sodium_base64_VARIANT_ORIGINAL) == 0 &&
           n == YS_V_HASH && *end == '\0';
}

/* ---- the prover ---- */

/* What each ciphertext was made with: the audit's openings. */
typedef struct openings {
    ysv_scalar *rE, *rD, rU, rN;
    ysv_scalar bU[YSV_RANGE_BITS], bN[YSV_RANGE_BITS], bL[YSV_RANGE_BITS];
} openings;

static void openings_free(openings *o, const ys_vvote *v)
{
    for (size_t i = 0; o->rE && i < v->C; i++)
        ysv_scalar_wipe(&o->rE[i]);
    for (size_t i = 0; o->rD && i < v->P; i++)
        ysv_scalar_wipe(&o->rD[i]);
    ys_free(o->rE);
    ys_free(o->rD);
    sodium_memzero(o, sizeof *o);
}

static void prove_marks(ysv_ballot *b, openings *o, const ys_vvote *v, const ysv_bctx *x, const ysv_plain *p,
                        ysv_rng *rng)
{
    const uint64_t values[3] = { 0, 1, v->B };
    for (size_t c = 0; c < v->C; c++) {
        char label[32];
        snprintf(label, sizeof label, "mark/%zu", c + 1);
        ysv_rng_scalar(rng, &o->rE[c]);
        ysv_encrypt_u64(&b->E[c], &v->K, values[p->marks[c]], &o->rE[c]);
        ysv_or_prove(&b->Ep[c], x, label, &b->E[c], values, 3, p->marks[c], &o->rE[c], rng);
    }
}

static void prove_writein(ysv_ballot *b, openings *o, const ys_vvote *v, const ysv_bctx *x, const ysv_plain *p,
                          ysv_rng *rng)
{
    ysv_point G;
    ysv_point_base(&G);
    ysv_rng_scalar(rng, &o->rU);
    ysv_encrypt_u64(&b->U, &v->K, p->W, &o->rU);
    ysv_range_prove(b->Ur, x, "writein", &b->U, v->S, p->W, &o->rU, rng, o->bU);
    for (size_t i = 0; i < v->P; i++) {
        ysv_hash ctx;
        ysv_rng_scalar(rng, &o->rD[i]);
        ysv_encrypt_point(&b->D[i], &v->K, &p->block[i], &o->rD[i]);
        ysv_block_ctx(&ctx, v, x->voter, i + 1, &b->D[i].b);
        ysv_schnorr_prove(&b->Dp[i], &ctx, &G, &b->D[i].a, &o->rD[i], rng);
    }
}

/* N and its range, then Λ's range with Λ's randomness Σ r_c + r_U − B·r_N. */
static void prove_limit(ysv_ballot *b, openings *o, const ys_vvote *v, const ysv_bctx *x, const ysv_plain *p,
                        ysv_rng *rng)
{
    ysv_ct L;
    ysv_scalar rL, t, B;
    ysv_rng_scalar(rng, &o->rN);
    ysv_encrypt_u64(&b->N, &v->K, p->no, &o->rN);
    ysv_range_prove(b->Nr, x, "no", &b->N, v->C, p->no, &o->rN, rng, o->bN);
    ysv_scalar_zero(&rL);
    for (size_t c = 0; c < v->C; c++)
        ysv_scalar_add(&rL, &rL, &o->rE[c]);
    if (v->P)
        ysv_scalar_add(&rL, &rL, &o->rU);
    ysv_scalar_u64(&B, v->B);
    ysv_scalar_mul(&t, &B, &o->rN);
    ysv_scalar_sub(&rL, &rL, &t);
    ysv_ballot_limit(&L, v, b);
    ysv_range_prove(b->Lr, x, "limit", &L, v->S, p->limit, &rL, rng, o->bL);
    ysv_scalar_wipe(&rL);
    ysv_scalar_wipe(&t);
}

/* { "ct": E, key: proof } */
static json_t *pair_json(const ysv_ct *e, const char *key, json_t *proof)
{
    return json_pack("{s:o, s:o}", "ct", ysv_ct_json(e), key, proof);
}

static json_t *ballot_json(const ysv_ballot *b)
{
    json_t *j = json_object(), *marks = json_array(), *block = NULL;
    if (!j || !marks || json_object_set_new(j, "marks", marks))
        goto fail;
    for (size_t c = 0; c < b->C; c++)
        if (json_array_append_new(marks, pair_json(&b->E[c], "proof", ysv_or_json(&b->Ep[c]))))
            goto fail;
    if (b->poll)
        return j;
    if (b->P) {
        if (!(block = json_array()))
            goto fail;
        for (size_t i = 0; i < b->P; i++)
            if (json_array_append_new(block, pair_json(&b->D[i], "proof", ysv_schnorr_json(&b->Dp[i])))) {
                json_decref(block);
                goto fail;
            }
        if (json_object_set_new(j, "writein", json_pack("{s:o, s:o}", "count",
                                                        pair_json(&b->U, "range", ysv_range_json(b->Ur)), "block",
                                                        block)))
            goto fail;
    }
    if (json_object_set_new(j, "no", pair_json(&b->N, "range", ysv_range_json(b->Nr))) ||
        json_object_set_new(j, "limit", ysv_range_json(b->Lr)))
        goto fail;
    return j;
fail:
    json_decref(j);
    return NULL;
}

static json_t *scalars_json(const ysv_scalar *s, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        if (json_array_append_new(a, ysv_scalar_json(&s[i]))) {
            json_decref(a);
            return NULL;
        }
    return a;
}

/* { "v": value, "r": r, "bits": [the range's bits' r] } */
static json_t *opening_json(uint64_t value, const ysv_scalar *r, const ysv_scalar *bits, uint64_t R)
{
    return json_pack("{s:I, s:o, s:o}", "v", (json_int_t)value, "r", ysv_scalar_json(r), "bits",
                     scalars_json(bits, ysv_range_len(R) - 1));
}

static json_t *names_json(const char *const *names, uint64_t n)
{
    json_t *a = json_array();
    for (uint64_t i = 0; a && i < n; i++)
        if (json_array_append_new(a, json_string(names[i]))) {
            json_decref(a);
            return NULL;
        }
    return a;
}

/* The audit of §6: the ballot and code, then each ciphertext's value and randomness. */
static json_t *audit_json(const ys_vvote *v, const char *voter, json_t *ballot, const uint8_t h[YS_V_HASH],
                          const openings *o, const ysv_plain *p)
{
    const uint64_t values[3] = { 0, 1, v->B };
    json_t *j = json_pack("{s:s, s:o, s:O, s:[]}", "voter", voter, "code", ysv_hash_json(h), "ballot", ballot,
                          "marks");
    json_t *marks = json_object_get(j, "marks");
    for (size_t c = 0; marks && c < v->C; c++)
        if (json_array_append_new(marks, json_pack("{s:I, s:o}", "v", (json_int_t)values[p->marks[c]], "r",
                                                   ysv_scalar_json(&o->rE[c]))))
            goto fail;
    if (!j || v->poll)
        return j;
    if (v->P && json_object_set_new(j, "writein",
                                    json_pack("{s:o, s:o, s:o}", "names", names_json(p->names, p->W), "count",
                                              opening_json(p->W, &o->rU, o->bU, v->S), "block",
                                              scalars_json(o->rD, v->P))))
        goto fail;
    if (json_object_set_new(j, "no", opening_json(p->no, &o->rN, o->bN, v->C)) ||
        json_object_set_new(j, "limit", json_pack("{s:o}", "bits", scalars_json(o->bL, ysv_range_len(v->S) - 1))))
        goto fail;
    return j;
fail:
    json_decref(j);
    return NULL;
}

ys_rc ysv_ballot_prove(const ys_vvote *v, const char *voter, const ysv_plain *p, ysv_rng *rng, json_t **ballot,
                       json_t **audit, ys_err *err)
{
    ys_rc rc = YS_NOMEM;
    openings o = { 0 };
    ysv_ballot *b = ysv_ballot_new(v);
    json_t *j = NULL;
    *ballot = NULL;
    if (audit)
        *audit = NULL;
    o.rE = ys_calloc(v->C, sizeof *o.rE);
    o.rD = ys_calloc(v->P ? v->P : 1, sizeof *o.rD);
    if (!b || !o.rE || !o.rD)
        goto out;
    ysv_bctx x = { v->Q, voter, &v->K };
    prove_marks(b, &o, v, &x, p, rng);
    if (v->P)
        prove_writein(b, &o, v, &x, p, rng);
    if (!v->poll)
        prove_limit(b, &o, v, &x, p, rng);
    if (!(j = ballot_json(b)))
        goto out;
    uint8_t h[YS_V_HASH];
    ysv_ballot_code(h, v, voter, j);
    if (audit && !(*audit = audit_json(v, voter, j, h, &o, p)))
        goto out;
    *ballot = j;
    j = NULL;
    rc = YS_OK;
out:
    json_decref(j);
    openings_free(&o, v);
    ysv_ballot_free(b);
    return rc == YS_OK ? rc : ys_fail(err, rc, NULL, "encrypting a ballot");
}

/* The terminal's checks: a mark per candidate, write-ins only where allowed and that fit, no more yes marks
 * and write-ins than seats. */
ys_rc ys_vballot_encrypt(const ys_vvote *v, const char *voter, const ys_vmark *marks, const char *const *writeins,
                         size_t nwriteins, const char *seed, json_t **ballot, json_t **audit, ys_err *err)
{
    *ballot = NULL;
    if (audit)
        *audit = NULL;
    if (nwriteins && !v->P)
        return ys_fail(err, YS_WRITE_IN_NOT_ALLOWED, "writeins", "this vote allows no write-ins");
    uint64_t yes = 0, no = 0;
    unsigned *idx = ys_calloc(v->C, sizeof *idx);
    ysv_point *block = ys_calloc(v->P ? v->P : 1, sizeof *block);
    ys_rc rc = YS_OK;
    if (!idx || !block) {
        rc = ys_fail(err, YS_NOMEM, NULL, "encrypting a ballot");
        goto out;
    }
    for (size_t c = 0; c < v->C; c++) {
        if (marks[c] > YS_VMARK_NO) {
            rc = ys_fail(err, YS_BAD_VALUE, "marks", "mark %zu is not abstain, yes or no", c + 1);
            goto out;
        }
        idx[c] = (unsigned)marks[c];
        yes += marks[c] == YS_VMARK_YES;
        no += marks[c] == YS_VMARK_NO;
    }
    if (yes + nwriteins > v->S) {
        rc = ys_fail(err, YS_BAD_VALUE, "limit", "%llu yes marks and %zu names written in for %llu seats",
                     (unsigned long long)yes, nwriteins, (unsigned long long)v->S);
        goto out;
    }
    if (v->P && (rc = ysv_block_points(v, writeins, nwriteins, block, err)))
        goto out;
    ysv_rng rng;
    if (seed)
        ysv_rng_test(&rng, seed);
    else
        ysv_rng_system(&rng);
    ysv_plain p = { idx, block, writeins, nwriteins, no, yes + nwriteins };
    rc = ysv_ballot_prove(v, voter, &p, &rng, ballot, audit, err);
out:
    ys_free(idx);
    ys_free(block);
    return rc;
}

/* ---- reading a ballot ---- */

/* An object of exactly the keys listed (NULL-terminated), each present. */
static ys_rc keys(const json_t *j, const char *path, const char *const *want, ys_err *err)
{
    size_t n = 0;
    if (!json_is_object(j))
        return ys_fail(err, YS_WRONG_TYPE, path, "%s is not an object", path);
    for (; want[n]; n++)
        if (!json_object_get(j, want[n])) {
            char f[64];
            snprintf(f, sizeof f, "%s%s%s", path, *path ? "." : "", want[n]);
            return ys_fail(err, YS_MISSING_FIELD, f, "%s is missing", f);
        }
    if (json_object_size(j) != n) {
        const char *k;
        const json_t *val;
        json_object_foreach((json_t *)j, k, val) {
            size_t i = 0;
            while (want[i] && strcmp(want[i], k) != 0)
                i++;
            if (!want[i]) {
                char f[64];
                snprintf(f, sizeof f, "%s%s%.32s", path, *path ? "." : "", k);
                return ys_fail(err, YS_UNKNOWN_FIELD, f, "%s is not a field of a ballot", f);
            }
        }
    }
    return YS_OK;
}

static ys_rc bad(ys_err *err, const char *path, const char *sub, const char *what)
{
    char f[64];
    snprintf(f, sizeof f, "%s%s%.40s", path, sub && *sub ? "." : "", sub ? sub : "");
    return ys_fail(err, YS_BAD_FIELD, f, "%s is not %s", f, what);
}

/* { "ct": E, key: … } at path: E read, the other returned in *other. */
static ys_rc read_pair(ysv_ct *e, const json_t **other, const json_t *j, const char *path, const char *key,
                       ys_err *err)
{
    const char *want[] = { "ct", key, NULL };
    ys_rc rc = keys(j, path, want, err);
    if (rc)
        return rc;
    char f[64];
    snprintf(f, sizeof f, "%s.ct", path);
    if (!ysv_ct_from_json(e, json_object_get(j, "ct")))
        return bad(err, f, NULL, "a ciphertext of two canonical elements");
    *other = json_object_get(j, key);
    return YS_OK;
}

static ys_rc read_range(ysv_range *r, const json_t *j, uint64_t R, bool proofs, const char *path, ys_err *err)
{
    char what[YSV_WHAT];
    if (!proofs)
        return j ? YS_OK : ys_fail(err, YS_BAD_FIELD, path, "%s is missing", path);
    if (!ysv_range_from_json(r, j, R, what))
        return bad(err, path, what, "a range proof's part");
    return YS_OK;
}

static ys_rc read_marks(ysv_ballot *b, const json_t *marks, bool proofs, ys_err *err)
{
    if (!json_is_array(marks) || json_array_size(marks) != b->C)
        return ys_fail(err, YS_BAD_FIELD, "marks", "marks is not an array of %zu marks", b->C);
    for (size_t c = 0; c < b->C; c++) {
        char path[32], what[YSV_WHAT];
        const json_t *proof;
        snprintf(path, sizeof path, "marks[%zu]", c);
        ys_rc rc = read_pair(&b->E[c], &proof, json_array_get(marks, c), path, "proof", err);
        if (rc)
            return rc;
        strcat(path, ".proof");
        if (proofs && !ysv_or_from_json(&b->Ep[c], proof, 3, what))
            return bad(err, path, what, "a proof's part");
    }
    return YS_OK;
}

static ys_rc read_writein(ysv_ballot *b, const ys_vvote *v, const json_t *w, bool proofs, ys_err *err)
{
    const char *want[] = { "count", "block", NULL };
    const json_t *range, *block, *proof;
    ys_rc rc = keys(w, "writein", want, err);
    if (rc || (rc = read_pair(&b->U, &range, json_object_get(w, "count"), "writein.count", "range", err)) ||
        (rc = read_range(b->Ur, range, v->S, proofs, "writein.count.range", err)))
        return rc;
    block = json_object_get(w, "block");
    if (!json_is_array(block) || json_array_size(block) != b->P)
        return ys_fail(err, YS_BAD_FIELD, "writein.block", "the block is not an array of %zu", b->P);
    for (size_t i = 0; i < b->P; i++) {
        char path[40];
        snprintf(path, sizeof path, "writein.block[%zu]", i);
        if ((rc = read_pair(&b->D[i], &proof, json_array_get(block, i), path, "proof", err)))
            return rc;
        if (proofs && !ysv_schnorr_from_json(&b->Dp[i], proof))
            return bad(err, path, "proof", "a proof of knowledge");
    }
    return YS_OK;
}

ys_rc ysv_ballot_read(ysv_ballot *b, const ys_vvote *v, const json_t *j, bool proofs, ys_err *err)
{
    const char *poll[] = { "marks", NULL }, *prelim[] = { "marks", "no", "limit", NULL },
               *full[] = { "marks", "writein", "no", "limit", NULL };
    const json_t *range;
    ys_rc rc = keys(j, "", v->poll ? poll : v->P ? full : prelim, err);
    if (rc || (rc = read_marks(b, json_object_get(j, "marks"), proofs, err)) || v->poll)
        return rc;
    if (v->P && (rc = read_writein(b, v, json_object_get(j, "writein"), proofs, err)))
        return rc;
    if ((rc = read_pair(&b->N, &range, json_object_get(j, "no"), "no", "range", err)) ||
        (rc = read_range(b->Nr, range, v->C, proofs, "no.range", err)))
        return rc;
    return read_range(b->Lr, json_object_get(j, "limit"), v->S, proofs, "limit", err);
}

/* ---- the code ---- */

/* Calls fn on each ciphertext of a ballot's JSON in the code's order, with its field. */
typedef void ct_fn(void *arg, const json_t *ct, const char *field);

static void code_order(const ys_vvote *v, const json_t *j, ct_fn *fn, void *arg)
{
    char f[48];
    const json_t *marks = json_object_get(j, "marks"), *w = json_object_get(j, "writein");
    const json_t *count = json_object_get(w, "count"), *block = json_object_get(w, "block");
    const json_t *no = json_object_get(j, "no");
    for (size_t c = 0; c < v->C; c++) {
        snprintf(f, sizeof f, "marks[%zu].ct", c);
        fn(arg, json_object_get(json_array_get(marks, c), "ct"), f);
    }
    if (v->P) {
        fn(arg, json_object_get(count, "ct"), "writein.count.ct");
        for (size_t i = 0; i < v->P; i++) {
            snprintf(f, sizeof f, "writein.block[%zu].ct", i);
            fn(arg, json_object_get(json_array_get(block, i), "ct"), f);
        }
    }
    if (v->poll)
        return;
    fn(arg, json_object_get(no, "ct"), "no.ct");
    const json_t *bits[3] = { json_object_get(json_object_get(count, "range"), "bits"),
                              json_object_get(json_object_get(no, "range"), "bits"),
                              json_object_get(json_object_get(j, "limit"), "bits") };
    const char *names[3] = { "writein.count.range", "no.range", "limit" };
    for (int r = v->P ? 0 : 1; r < 3; r++)
        for (size_t k = 0; k < json_array_size(bits[r]); k++) {
            snprintf(f, sizeof f, "%s.bits[%zu]", names[r], k);
            fn(arg, json_array_get(bits[r], k), f);
        }
}

static void hash_b64(ysv_hash *h, const json_t *s)
{
    uint8_t b[YS_V_BYTES];
    ysv_unb64(b, json_string_value(s));
    ysv_hash_bytes(h, b, sizeof b);
}

static void hash_ct(void *arg, const json_t *ct, const char *field)
{
    (void)field;
    hash_b64(arg, json_array_get(ct, 0));
    hash_b64(arg, json_array_get(ct, 1));
}

void ysv_ballot_code(uint8_t h[YS_V_HASH], const ys_vvote *v, const char *voter, const json_t *j)
{
    ysv_hash hh;
    ysv_hash_init(&hh, "yishi-v1/code");
    ysv_hash_bytes(&hh, v->Q, YS_V_HASH);
    ysv_hash_text(&hh, voter);
    code_order(v, j, hash_ct, &hh);
    ysv_hash_final(&hh, h);
}

typedef struct alphas {
    uint8_t (*alpha)[YS_V_BYTES];
    char (*field)[48];
    size_t n;
} alphas;

static void count_ct(void *arg, const json_t *ct, const char *field)
{
    (void)ct;
    (void)field;
    ((alphas *)arg)->n++;
}

static void keep_alpha(void *arg, const json_t *ct, const char *field)
{
    alphas *a = arg;
    ysv_unb64(a->alpha[a->n], json_string_value(json_array_get(ct, 0)));
    snprintf(a->field[a->n], sizeof a->field[a->n], "%s", field);
    a->n++;
}

bool ysv_ballot_alphas(const ys_vvote *v, const json_t *j, uint8_t (**alpha)[YS_V_BYTES], char (**field)[48],
                       size_t *n)
{
    alphas a = { 0 };
    code_order(v, j, count_ct, &a);
    *alpha = ys_malloc(a.n * sizeof **alpha);
    *field = ys_malloc(a.n * sizeof **field);
    if (!*alpha || !*field) {
        ys_free(*alpha);
        ys_free(*field);
        *alpha = NULL;
        *field = NULL;
        return false;
    }
    *n = a.n;
    a.alpha = *alpha;
    a.field = *field;
    a.n = 0;
    code_order(v, j, keep_alpha, &a);
    return true;
}
