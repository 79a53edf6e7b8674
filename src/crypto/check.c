/* check.c — what the server does with a cast ballot (docs/verifiable.md §6, §10): read it, check every proof
 * in one batch (or a burst of ballots in one), refuse an α repeated within it, keep what the tally needs and
 * add it to the aggregates (§8); and the check of a challenged ballot's audit. */
#include "crypto/ballot.h"
#include "crypto/msm.h"

#include "yishi/alloc.h"

#include <stdio.h>
#include <string.h>

struct ys_vcast {
    uint8_t h[YS_V_HASH];
    size_t C, P;
    ysv_ct *E;               /* C */
    ysv_ct *tuple;           /* U, D₁ … D_P */
    uint8_t (*alpha)[YS_V_BYTES];
    size_t nalpha;
};

struct ys_vtally {
    size_t C, P;
    ysv_ct *T;
    ysv_ct TW;
    uint64_t n;
};

/* ---- the proofs ---- */

/* ρ·(s·G − a − c·α) = O for block ciphertext i's proof of knowledge of its randomness. */
static void block_batch(ysv_batch *bt, size_t owner, const ys_vvote *v, const char *voter, const ysv_ballot *b,
                        size_t i, const char *field)
{
    ysv_hash ctx;
    ysv_point G;
    ysv_scalar c, rho, t;
    ysv_point_base(&G);
    int gi = ysv_batch_base(bt, &G);
    ysv_block_ctx(&ctx, v, voter, i + 1, &b->D[i].b);
    ysv_schnorr_challenge(&c, &ctx, &G, &b->D[i].a, &b->Dp[i].a);
    ysv_batch_eq(bt, owner, field);
    ysv_batch_weight(&rho);
    ysv_scalar_mul(&t, &rho, &b->Dp[i].s);
    ysv_batch_base_term(bt, &t, gi);
    ysv_scalar_neg(&t, &rho);
    ysv_batch_term(bt, &t, &b->Dp[i].a);
    ysv_scalar_mul(&t, &t, &c);
    ysv_batch_term(bt, &t, &b->D[i].a);
}

static void ballot_batch(ysv_batch *bt, size_t owner, const ys_vvote *v, const char *voter, const ysv_ballot *b)
{
    const uint64_t values[3] = { 0, 1, v->B };
    ysv_bctx x = { v->Q, voter, &v->K };
    char field[48], label[32];
    for (size_t c = 0; c < b->C; c++) {
        snprintf(field, sizeof field, "marks[%zu].proof", c);
        snprintf(label, sizeof label, "mark/%zu", c + 1);
        ysv_or_batch(bt, owner, field, &b->Ep[c], &x, label, &b->E[c], values, 3);
    }
    if (b->poll)
        return;
    if (b->P) {
        ysv_range_batch(bt, owner, "writein.count.range", b->Ur, &x, "writein", &b->U);
        for (size_t i = 0; i < b->P; i++) {
            snprintf(field, sizeof field, "writein.block[%zu].proof", i);
            block_batch(bt, owner, v, voter, b, i, field);
        }
    }
    ysv_ct L;
    ysv_range_batch(bt, owner, "no.range", b->Nr, &x, "no", &b->N);
    ysv_ballot_limit(&L, v, b);
    ysv_range_batch(bt, owner, "limit", b->Lr, &x, "limit", &L);
}

/* The first proof of a range that fails alone, as "<path>.proofs[i]". */
static ys_rc range_alone(const ysv_range *r, const ysv_bctx *x, const char *label, const ysv_ct *E,
                         const char *path, ys_err *err)
{
    int i = ysv_range_first_bad(r, x, label, E);
    if (i < 0)
        return YS_OK;
    char field[64];
    snprintf(field, sizeof field, "%s.proofs[%d]", path, i);
    return ys_fail(err, YS_BAD_PROOF, field, "the proof of bit %d of %s does not verify", i, path);
}

/* The baseline of the measurement: every proof checked by itself, as a verifier without batches would. */
static ys_rc ballot_alone(const ys_vvote *v, const char *voter, const ysv_ballot *b, ys_err *err)
{
    const uint64_t values[3] = { 0, 1, v->B };
    ysv_bctx x = { v->Q, voter, &v->K };
    ysv_point G;
    ysv_point_base(&G);
    char field[48], label[32];
    for (size_t c = 0; c < b->C; c++) {
        snprintf(field, sizeof field, "marks[%zu].proof", c);
        snprintf(label, sizeof label, "mark/%zu", c + 1);
        if (!ysv_or_verify(&b->Ep[c], &x, label, &b->E[c], values, 3))
            return ys_fail(err, YS_BAD_PROOF, field, "the proof of mark %zu does not verify", c + 1);
    }
    if (b->poll)
        return YS_OK;
    ys_rc rc;
    if (b->P && (rc = range_alone(b->Ur, &x, "writein", &b->U, "writein.count.range", err)))
        return rc;
    for (size_t i = 0; i < b->P; i++) {
        ysv_hash ctx;
        ysv_block_ctx(&ctx, v, voter, i + 1, &b->D[i].b);
        snprintf(field, sizeof field, "writein.block[%zu].proof", i);
        if (!ysv_schnorr_verify(&b->Dp[i], &ctx, &G, &b->D[i].a))
            return ys_fail(err, YS_BAD_PROOF, field, "the proof of block ciphertext %zu does not verify", i + 1);
    }
    ysv_ct L;
    ysv_ballot_limit(&L, v, b);
    if ((rc = range_alone(b->Nr, &x, "no", &b->N, "no.range", err)))
        return rc;
    return range_alone(b->Lr, &x, "limit", &L, "limit", err);
}

/* ---- the cast ballot ---- */

void ys_vcast_free(ys_vcast *c)
{
    if (!c)
        return;
    ys_free(c->E);
    ys_free(c->tuple);
    ys_free(c->alpha);
    ys_free(c);
}

const uint8_t *ys_vcast_code(const ys_vcast *c) { return c->h; }
size_t ys_vcast_nalpha(const ys_vcast *c) { return c->nalpha; }
const uint8_t *ys_vcast_alpha(const ys_vcast *c, size_t i) { return c->alpha[i]; }

json_t *ys_vcast_tuple_json(const ys_vcast *c)
{
    json_t *a = c->P ? json_array() : NULL;
    for (size_t i = 0; a && i <= c->P; i++)
        if (json_array_append_new(a, ysv_ct_json(&c->tuple[i]))) {
            json_decref(a);
            return NULL;
        }
    return a;
}

/* An α sent twice within one ballot is refused as a copy would be: the second is named. */
static ys_rc distinct_alphas(const ys_vcast *c, char (*field)[48], ys_err *err)
{
    for (size_t i = 1; i < c->nalpha; i++)
        for (size_t j = 0; j < i; j++)
            if (memcmp(c->alpha[i], c->alpha[j], YS_V_BYTES) == 0)
                return ys_fail(err, YS_BAD_PROOF, field[i], "%s repeats the α of %s", field[i], field[j]);
    return YS_OK;
}

static ys_rc make_cast(ys_vcast **out, const ys_vvote *v, const char *voter, const ysv_ballot *b, const json_t *j,
                       ys_err *err)
{
    char (*field)[48] = NULL;
    ys_vcast *c = ys_calloc(1, sizeof *c);
    ys_rc rc = YS_NOMEM;
    *out = NULL;
    if (!c || !(c->E = ys_malloc(b->C * sizeof *c->E)) || !(c->tuple = ys_malloc((b->P + 1) * sizeof *c->tuple)) ||
        !ysv_ballot_alphas(v, j, &c->alpha, &field, &c->nalpha))
        goto out;
    c->C = b->C;
    c->P = b->P;
    memcpy(c->E, b->E, b->C * sizeof *c->E);
    c->tuple[0] = b->U;
    memcpy(c->tuple + 1, b->D, b->P * sizeof *c->tuple);
    if ((rc = distinct_alphas(c, field, err)))
        goto out;
    ysv_ballot_code(c->h, v, voter, j);
    *out = c;
    c = NULL;
out:
    ys_free(field);
    ys_vcast_free(c);
    return rc == YS_NOMEM ? ys_fail(err, rc, NULL, "checking a ballot") : rc;
}

/* Reads n ballots, checks their proofs (batched: all in one sum; else each alone), makes the casts. */
static ys_rc check_ballots(const ys_vvote *v, size_t n, const char *const *voters, const json_t *const *ballots,
                           ys_vcast **out, ys_err *errs, bool batched, ysv_ballot **keep)
{
    ysv_ballot **b = ys_calloc(n ? n : 1, sizeof *b);
    size_t *bad = ys_calloc(n ? n : 1, sizeof *bad);
    ysv_batch bt;
    ys_rc first = YS_OK;
    ysv_batch_init(&bt);
    for (size_t i = 0; i < n; i++) {
        out[i] = NULL;
        ys_err_clear(&errs[i]);
        if (!b || !bad || !(b[i] = ysv_ballot_new(v)))
            ys_fail(&errs[i], YS_NOMEM, NULL, "checking a ballot");
        else if (!voters[i] || !*voters[i])
            ys_fail(&errs[i], YS_MISSING_FIELD, "voter", "a ballot needs its voter's code");
        else if (ysv_ballot_read(b[i], v, ballots[i], true, &errs[i]) == YS_OK && batched)
            ballot_batch(&bt, i, v, voters[i], b[i]);
        else if (errs[i].rc == YS_OK)
            ballot_alone(v, voters[i], b[i], &errs[i]);
    }
    if (batched && bad) {
        int h = ysv_batch_verify(&bt, bad, n);
        for (size_t i = 0; i < n; i++)
            if (h < 0 && errs[i].rc == YS_OK)
                ys_fail(&errs[i], YS_NOMEM, NULL, "checking a ballot");
            else if (h == 0 && bad[i] != SIZE_MAX)
                ys_fail(&errs[i], YS_BAD_PROOF, bt.eqs[bad[i]].label, "%s does not verify", bt.eqs[bad[i]].label);
    }
    for (size_t i = 0; i < n; i++) {
        if (errs[i].rc == YS_OK)
            make_cast(&out[i], v, voters[i], b[i], ballots[i], &errs[i]);
        if (errs[i].rc != YS_OK && first == YS_OK)
            first = errs[i].rc;
        if (keep && i == 0)
            *keep = b[0];
        else if (b)
            ysv_ballot_free(b[i]);
    }
    ysv_batch_free(&bt);
    ys_free(b);
    ys_free(bad);
    return first;
}

ys_rc ys_vballot_check(const ys_vvote *v, const char *voter, const json_t *ballot, ys_vcast **out, ys_err *err)
{
    ys_err e;
    ys_rc rc = check_ballots(v, 1, &voter, &ballot, out, &e, true, NULL);
    if (err)
        *err = e;
    return rc;
}

ys_rc ys_vballot_check_many(const ys_vvote *v, size_t n, const char *const *voters, const json_t *const *ballots,
                            ys_vcast **out, ys_err *errs)
{
    return check_ballots(v, n, voters, ballots, out, errs, true, NULL);
}

ys_rc ys_vballot_check_unbatched(const ys_vvote *v, const char *voter, const json_t *ballot, ys_vcast **out,
                                 ys_err *err)
{
    ys_err e;
    ys_rc rc = check_ballots(v, 1, &voter, &ballot, out, &e, false, NULL);
    if (err)
        *err = e;
    return rc;
}

/* The log's ballots were checked before they were logged: a replay reads them (their form, points and code,
 * and the α's distinct) without their proofs, which yishi verify checks. */
ys_rc ys_vballot_read(const ys_vvote *v, const char *voter, const json_t *ballot, ys_vcast **out, ys_err *err)
{
    ysv_ballot *b = ysv_ballot_new(v);
    ys_rc rc = b ? ysv_ballot_read(b, v, ballot, false, err) : ys_fail(err, YS_NOMEM, NULL, "reading a ballot");
    *out = NULL;
    if (!rc)
        rc = make_cast(out, v, voter, b, ballot, err);
    ysv_ballot_free(b);
    return rc;
}

/* ---- the aggregates ---- */

ys_rc ys_vtally_new(ys_vtally **out, const ys_vvote *v, ys_err *err)
{
    ys_vtally *t = ys_calloc(1, sizeof *t);
    *out = NULL;
    if (!t || !(t->T = ys_malloc(v->C * sizeof *t->T))) {
        ys_free(t);
        return ys_fail(err, YS_NOMEM, NULL, "aggregates");
    }
    t->C = v->C;
    t->P = v->P;
    for (size_t c = 0; c < t->C; c++)
        ysv_ct_zero(&t->T[c]);
    ysv_ct_zero(&t->TW);
    *out = t;
    return YS_OK;
}

void ys_vtally_free(ys_vtally *t)
{
    if (t)
        ys_free(t->T);
    ys_free(t);
}

void ys_vtally_add(ys_vtally *t, const ys_vcast *c)
{
    for (size_t i = 0; i < t->C && i < c->C; i++)
        ysv_ct_add(&t->T[i], &t->T[i], &c->E[i]);
    if (t->P)
        ysv_ct_add(&t->TW, &t->TW, &c->tuple[0]);
    t->n++;
}

uint64_t ys_vtally_count(const ys_vtally *t) { return t->n; }

json_t *ys_vtally_json(const ys_vtally *t)
{
    json_t *j = json_object(), *marks = json_array();
    if (!j || !marks || json_object_set_new(j, "marks", marks))
        goto fail;
    for (size_t c = 0; c < t->C; c++)
        if (json_array_append_new(marks, ysv_ct_json(&t->T[c])))
            goto fail;
    if (t->P && json_object_set_new(j, "writein", ysv_ct_json(&t->TW)))
        goto fail;
    return j;
fail:
    json_decref(j);
    return NULL;
}

ys_rc ysv_ballot_check_keep(const ys_vvote *v, const char *voter, const json_t *ballot, ys_vcast **out,
                            ysv_ballot **keep, ys_err *err)
{
    ys_err e;
    *keep = NULL;
    ys_rc rc = check_ballots(v, 1, &voter, &ballot, out, &e, true, keep);
    if (err)
        *err = e;
    return rc;
}
