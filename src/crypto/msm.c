/* msm.c — Pippenger's bucket method for Σ kᵢ·Pᵢ in variable time, and the batch of verification equations
 * that it checks at once, falling back to one owner, then one equation at a time, to name what fails (§10). */
#include "crypto/msm.h"

#include "yishi/alloc.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* ---- the multi-scalar multiplication ---- */

/* Bits [pos, pos+c) of a 32-byte little-endian scalar (c ≤ 16; bits past the end read as 0). */
static unsigned window_bits(const uint8_t k[YS_V_BYTES], unsigned pos, unsigned c)
{
    uint32_t v = 0;
    unsigned byte = pos / 8;
    for (unsigned i = 0; i < 3 && byte + i < YS_V_BYTES; i++)
        v |= (uint32_t)k[byte + i] << (8 * i);
    return (v >> (pos % 8)) & ((1u << c) - 1);
}

static unsigned bit_length(const uint8_t k[YS_V_BYTES])
{
    for (int i = YS_V_BYTES - 1; i >= 0; i--)
        if (k[i])
            return 8 * (unsigned)i + 32 - (unsigned)__builtin_clz(k[i]);
    return 0;
}

/* Each scalar as its shorter of k and q − k (then its digits count negatively): a verifier's −z is as short
 * as its z. Returns the longest bit length. */
static unsigned normalize(uint8_t (*enc)[YS_V_BYTES], int8_t *sign, const ysv_scalar *k, size_t n)
{
    unsigned longest = 0;
    for (size_t i = 0; i < n; i++) {
        ysv_scalar neg;
        uint8_t nb[YS_V_BYTES];
        ysv_scalar_encode(enc[i], &k[i]);
        ysv_scalar_neg(&neg, &k[i]);
        ysv_scalar_encode(nb, &neg);
        unsigned lk = bit_length(enc[i]), ln = bit_length(nb);
        sign[i] = 1;
        if (ln < lk) {
            memcpy(enc[i], nb, YS_V_BYTES);
            sign[i] = -1;
            lk = ln;
        }
        if (lk > longest)
            longest = lk;
    }
    return longest;
}

/* The window that minimises (windows)·(n additions into buckets + 2^c to sum the buckets). */
static unsigned pick_window(size_t n, unsigned bits)
{
    unsigned best = 1;
    double best_cost = 0;
    for (unsigned c = 1; c <= 16; c++) {
        double cost = (double)((bits + c) / c) * ((double)n + (double)(1u << c));
        if (c == 1 || cost < best_cost) {
            best = c;
            best_cost = cost;
        }
    }
    return best;
}

/* Signed digits in [−2^(c−1), 2^(c−1)) of every scalar, window by window: digits[i·nw + w]. */
static void recode(int16_t *digits, const uint8_t (*enc)[YS_V_BYTES], const int8_t *sign, size_t n, unsigned c,
                   unsigned nw)
{
    int half = 1 << (c - 1), full = 1 << c;
    for (size_t i = 0; i < n; i++) {
        int carry = 0;
        for (unsigned w = 0; w < nw; w++) {
            int d = (int)window_bits(enc[i], w * c, c) + carry;
            carry = d >= half;
            if (carry)
                d -= full;
            digits[i * nw + w] = (int16_t)(d * sign[i]);
        }
    }
}

/* acc (when *have) += x, or acc = x. */
static void accumulate(ysv_point *acc, bool *have, const ysv_point *x)
{
    if (*have)
        ysv_point_add(acc, acc, x);
    else
        *acc = *x;
    *have = true;
}

/* Σ over one window: points into buckets by digit, then Σ j·bucket[j] by running sums. */
static bool window_sum(ysv_point *out, ysv_point *bucket, bool *used, const int16_t *digits, unsigned w,
                       unsigned nw, const ysv_point *P, size_t n, size_t nb)
{
    memset(used, 0, nb * sizeof *used);
    for (size_t i = 0; i < n; i++) {
        int d = digits[i * nw + w];
        if (d == 0)
            continue;
        size_t j = (size_t)(d > 0 ? d : -d) - 1;
        if (!used[j]) {
            if (d > 0)
                bucket[j] = P[i];
            else
                ysv_point_neg(&bucket[j], &P[i]);
            used[j] = true;
        } else if (d > 0) {
            ysv_point_add(&bucket[j], &bucket[j], &P[i]);
        } else {
            ysv_point_sub(&bucket[j], &bucket[j], &P[i]);
        }
    }
    ysv_point run;
    bool have_run = false, have_out = false;
    for (size_t j = nb; j-- > 0;) {
        if (used[j])
            accumulate(&run, &have_run, &bucket[j]);
        if (have_run)
            accumulate(out, &have_out, &run);
    }
    return have_out;
}

bool ysv_msm(ysv_point *out, const ysv_scalar *k, const ysv_point *P, size_t n)
{
    bool ok = false;
    uint8_t (*enc)[YS_V_BYTES] = NULL;
    int8_t *sign = NULL;
    int16_t *digits = NULL;
    ysv_point *bucket = NULL;
    bool *used = NULL;
    ysv_point_identity(out);
    if (n == 0)
        return true;
    enc = ys_malloc(n * sizeof *enc);
    sign = ys_malloc(n);
    if (!enc || !sign)
        goto out;
    unsigned bits = normalize(enc, sign, k, n);
    unsigned c = pick_window(n, bits);
    unsigned nw = (bits + c - 1) / c + 1; /* one more for the last carry */
    size_t nb = (size_t)1 << (c - 1);
    digits = ys_malloc(n * nw * sizeof *digits);
    bucket = ys_malloc(nb * sizeof *bucket);
    used = ys_malloc(nb * sizeof *used);
    if (!digits || !bucket || !used)
        goto out;
    recode(digits, (const uint8_t(*)[YS_V_BYTES])enc, sign, n, c, nw);
    bool have = false;
    for (unsigned w = nw; w-- > 0;) {
        if (have)
            for (unsigned i = 0; i < c; i++)
                ysv_point_add(out, out, out);
        ysv_point sum;
        if (window_sum(&sum, bucket, used, digits, w, nw, P, n, nb))
            accumulate(out, &have, &sum);
    }
    if (!have)
        ysv_point_identity(out);
    ok = true;
out:
    ys_free(enc);
    ys_free(sign);
    ys_free(digits);
    ys_free(bucket);
    ys_free(used);
    return ok;
}

/* ---- the batch ---- */

void ysv_batch_init(ysv_batch *b) { memset(b, 0, sizeof *b); }

void ysv_batch_free(ysv_batch *b)
{
    ys_free(b->terms);
    ys_free(b->eqs);
    ysv_batch_init(b);
}

int ysv_batch_base(ysv_batch *b, const ysv_point *P)
{
    for (size_t i = 0; i < b->nbases; i++)
        if (ysv_point_eq(&b->bases[i], P))
            return (int)i;
    if (b->nbases == YSV_BATCH_BASES) {
        b->nomem = true;
        return -1;
    }
    b->bases[b->nbases] = *P;
    return (int)b->nbases++;
}

void ysv_batch_eq(ysv_batch *b, size_t owner, const char *label)
{
    if (ys_grow((void **)&b->eqs, &b->capeqs, b->neqs + 1, sizeof *b->eqs)) {
        b->nomem = true;
        return;
    }
    ysv_eq *e = &b->eqs[b->neqs++];
    e->first = b->nterms;
    e->n = 0;
    e->owner = owner;
    snprintf(e->label, sizeof e->label, "%s", label);
}

static ysv_term *new_term(ysv_batch *b)
{
    if (b->neqs == 0 || ys_grow((void **)&b->terms, &b->capterms, b->nterms + 1, sizeof *b->terms)) {
        b->nomem = true;
        return NULL;
    }
    b->eqs[b->neqs - 1].n++;
    return &b->terms[b->nterms++];
}

void ysv_batch_term(ysv_batch *b, const ysv_scalar *k, const ysv_point *P)
{
    ysv_term *t = new_term(b);
    if (!t)
        return;
    t->k = *k;
    t->base = -1;
    t->P = *P;
}

void ysv_batch_base_term(ysv_batch *b, const ysv_scalar *k, int base)
{
    if (base < 0) {
        b->nomem = true;
        return;
    }
    ysv_term *t = new_term(b);
    if (!t)
        return;
    t->k = *k;
    t->base = base;
    ysv_point_identity(&t->P);
}

void ysv_batch_weight(ysv_scalar *z)
{
    uint8_t w[YS_V_BYTES] = { 0 };
    randombytes_buf(w, 16);
    ysv_scalar_decode(z, w);
}

/* Σ of the terms of the checks [lo, hi) is O: 1 yes, 0 no, -1 when memory runs out. */
static int sum_holds(const ysv_batch *b, size_t lo, size_t hi)
{
    size_t cap = b->nbases, n = b->nbases;
    for (size_t e = lo; e < hi; e++)
        cap += b->eqs[e].n;
    ysv_scalar *k = ys_malloc(cap * sizeof *k);
    ysv_point *P = ys_malloc(cap * sizeof *P);
    int rc = -1;
    if (!k || !P)
        goto out;
    for (size_t i = 0; i < b->nbases; i++) {
        ysv_scalar_zero(&k[i]);
        P[i] = b->bases[i];
    }
    for (size_t t = b->eqs[lo].first; hi > lo && t < b->eqs[hi - 1].first + b->eqs[hi - 1].n; t++) {
        const ysv_term *term = &b->terms[t];
        if (term->base >= 0) {
            ysv_scalar_add(&k[term->base], &k[term->base], &term->k);
        } else {
            k[n] = term->k;
            P[n++] = term->P;
        }
    }
    ysv_point sum, o;
    if (!ysv_msm(&sum, k, P, n))
        goto out;
    ysv_point_identity(&o);
    rc = ysv_point_eq(&sum, &o);
out:
    ys_free(k);
    ys_free(P);
    return rc;
}

/* The first check in [lo, hi) that fails alone (SIZE_MAX if none), or -1 through *rc. */
static size_t first_failing(const ysv_batch *b, size_t lo, size_t hi, int *rc)
{
    for (size_t e = lo; e < hi; e++) {
        int h = sum_holds(b, e, e + 1);
        if (h < 0)
            *rc = -1;
        if (h <= 0)
            return e;
    }
    return SIZE_MAX;
}

int ysv_batch_verify(const ysv_batch *b, size_t *bad, size_t nowners)
{
    if (b->nomem)
        return -1;
    for (size_t o = 0; o < nowners; o++)
        bad[o] = SIZE_MAX;
    if (b->neqs == 0)
        return 1;
    int all = sum_holds(b, 0, b->neqs);
    if (all != 0)
        return all;
    /* Runs of checks of one owner (a ballot's are consecutive): each run as one sum, then one at a time. */
    int rc = 1;
    for (size_t lo = 0; lo < b->neqs;) {
        size_t hi = lo, owner = b->eqs[lo].owner;
        while (hi < b->neqs && b->eqs[hi].owner == owner)
            hi++;
        int run = hi - lo == 1 ? 0 : sum_holds(b, lo, hi);
        if (run < 0)
            return -1;
        size_t e = run ? SIZE_MAX : first_failing(b, lo, hi, &rc);
        if (rc < 0)
            return -1;
        if (e != SIZE_MAX) {
            rc = 0;
            if (owner < nowners && bad[owner] == SIZE_MAX)
                bad[owner] = e;
        }
        lo = hi;
    }
    return rc;
}
