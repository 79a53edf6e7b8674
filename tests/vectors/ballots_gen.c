/* ballots_gen.c — the cases of tests/vectors/ballots.json and how each is made: its vote's inputs, the
 * key they share, the ballot encrypted with §13's test randomness, its code and its audit. */
#include "ballots_gen.h"

#include "crypto/proof.h"
#include "yishi/alloc.h"

#include <string.h>

#define SESSION "5e55104e1d0f2f6c0a6b0d1e7c4b3a29188f7e6d5c4b3a291807f6e5d4c3b2a1"
static const char *const TRUSTEES[3] = { "scrutineer1", "scrutineer2", "scrutineer3" };

static const char *const POLL[] = { "关于2027年预算的决议" };
static const char *const TWO[] = { "王芳", "李明" };
static const char *const FIVE[] = { "陈静", "刘洋", "杨帆", "黄磊", "周敏" };
static const char *const W1[] = { "张伟" };
static const char *const W2[] = { "赵强" };
static const ys_vmark M_POLL[] = { YS_VMARK_YES };
static const ys_vmark M_TWO[] = { YS_VMARK_ABSTAIN, YS_VMARK_NO };
static const ys_vmark M_FIVE[] = { YS_VMARK_YES, YS_VMARK_NO, YS_VMARK_ABSTAIN, YS_VMARK_YES, YS_VMARK_NO };
static const ys_vmark M_PRE[] = { YS_VMARK_YES, YS_VMARK_YES, YS_VMARK_NO, YS_VMARK_ABSTAIN, YS_VMARK_YES };

const ys_vcase ys_vcases[] = {
    { "poll", true, false, 1, 30, 1, POLL, 1, "D0001", "vectors/poll", M_POLL, NULL, 0 },
    { "election, 1 seat, a write-in", false, true, 2, 30, 1, TWO, 2, "D0002", "vectors/one-seat", M_TWO, W1, 1 },
    { "election, 5 candidates, 3 seats", false, true, 3, 30, 3, FIVE, 5, "D0003", "vectors/three-seats", M_FIVE, W2,
      1 },
    { "preliminary, 4 formal of 5", false, false, 4, 30, 4, FIVE, 5, "D0004", "vectors/preliminary", M_PRE, NULL,
      0 },
};
const size_t ys_nvcases = sizeof ys_vcases / sizeof *ys_vcases;

/* f(z) = a₀ + a₁·z: K = a₀·G, Xⱼ = f(j)·G, and Qk of §3 for key id 1 of 3 trustees, threshold 2. */
static void vectors_key(ys_vvote_spec *s, uint8_t X[3][YS_VPOINT])
{
    ysv_rng rng;
    ysv_scalar a0, a1, x, j;
    ysv_point P;
    ysv_rng_test(&rng, "vectors/key");
    ysv_rng_scalar(&rng, &a0);
    ysv_rng_scalar(&rng, &a1);
    ysv_mul_base(&P, &a0);
    ysv_point_encode(s->key, &P);
    for (uint64_t i = 1; i <= 3; i++) {
        ysv_scalar_u64(&j, i);
        ysv_scalar_mul(&x, &a1, &j);
        ysv_scalar_add(&x, &x, &a0);
        ysv_mul_base(&P, &x);
        ysv_point_encode(X[i - 1], &P);
    }
    ysv_hash h;
    ysv_hash_init(&h, "yishi-v1/key");
    ysv_hash_text(&h, SESSION);
    ysv_hash_u64(&h, 1);
    ysv_hash_u64(&h, 3);
    ysv_hash_u64(&h, 2);
    for (int i = 0; i < 3; i++)
        ysv_hash_text(&h, TRUSTEES[i]);
    ysv_hash_final(&h, s->key_hash);
}

static json_t *texts(const char *const *t, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        if (json_array_append_new(a, json_string(t[i]))) {
            json_decref(a);
            return NULL;
        }
    return a;
}

static json_t *b64(const uint8_t *p, size_t n)
{
    char s[128];
    sodium_bin2base64(s, sizeof s, p, n, sodium_base64_VARIANT_ORIGINAL);
    return json_string(s);
}

static json_t *context_json(const ys_vcase *c, const ys_vvote_spec *s, const uint8_t X[3][YS_VPOINT],
                            const ys_vvote *v)
{
    return json_pack("{s:o, s:o, s:[o, o, o], s:s, s:s, s:I, s:I, s:I, s:o, s:b, s:I, s:I, s:o}", "Qk",
                     b64(s->key_hash, YS_VHASH), "K", b64(s->key, YS_VPOINT), "X", b64(X[0], YS_VPOINT),
                     b64(X[1], YS_VPOINT), b64(X[2], YS_VPOINT), "session", SESSION, "kind",
                     c->poll ? "poll" : "election", "id", (json_int_t)c->id, "V", (json_int_t)c->V, "S",
                     (json_int_t)c->S, "names", texts(c->names, c->C), "writeins", c->writeins, "B",
                     (json_int_t)ys_vvote_B(v), "P", (json_int_t)ys_vvote_P(v), "Q", b64(ys_vvote_Q(v), YS_VHASH));
}

ys_rc ys_vcase_vote(const ys_vcase *c, ys_vvote **out, json_t **context, ys_err *err)
{
    uint8_t X[3][YS_VPOINT];
    ys_vvote_spec s = { .shares = (const uint8_t(*)[YS_VPOINT])X, .nshares = 3, .session_id = SESSION,
                        .poll = c->poll, .id = c->id, .entitled = c->V, .seats = c->S, .names = c->names,
                        .ncandidates = c->C, .writeins = c->writeins };
    vectors_key(&s, X);
    ys_rc rc = ys_vvote_new(out, &s, err);
    if (rc == YS_OK && context && !(*context = context_json(c, &s, (const uint8_t(*)[YS_VPOINT])X, *out))) {
        ys_vvote_free(*out);
        *out = NULL;
        rc = ys_fail(err, YS_NOMEM, NULL, "vectors");
    }
    return rc;
}

static json_t *marks_json(const ys_vmark *m, size_t n)
{
    static const char *const words[] = { "abstain", "yes", "no" };
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        if (json_array_append_new(a, json_string(words[m[i]]))) {
            json_decref(a);
            return NULL;
        }
    return a;
}

static json_t *case_json(const ys_vcase *c, ys_err *err)
{
    ys_vvote *v = NULL;
    json_t *context = NULL, *ballot = NULL, *audit = NULL, *out = NULL;
    if (ys_vcase_vote(c, &v, &context, err) ||
        ys_vballot_encrypt(v, c->voter, c->marks, c->written, c->W, c->seed, &ballot, &audit, err))
        goto done;
    char display[YS_VCODE_TEXT];
    uint8_t h[YS_VHASH];
    if (ys_vaudit_check(v, audit, h, err))
        goto done;
    ys_vcode_text(h, display);
    out = json_pack("{s:s, s:O, s:s, s:s, s:o, s:o, s:O, s:O, s:s, s:O}", "name", c->name, "context", context,
                    "voter", c->voter, "seed", c->seed, "marks", marks_json(c->marks, c->C), "writeins",
                    texts(c->written, c->W), "ballot", ballot, "code", json_object_get(audit, "code"), "display",
                    display, "audit", audit);
    if (!out)
        ys_fail(err, YS_NOMEM, NULL, "vectors");
done:
    json_decref(context);
    json_decref(ballot);
    json_decref(audit);
    ys_vvote_free(v);
    return out;
}

char *ys_vectors_text(ys_err *err)
{
    json_t *cases = json_array();
    char *text = NULL;
    for (size_t i = 0; cases && i < ys_nvcases; i++) {
        json_t *c = case_json(&ys_vcases[i], err);
        if (!c || json_array_append_new(cases, c))
            goto done;
    }
    json_t *all = json_pack("{s:s, s:O}", "about",
                            "docs/verifiable.md §13: ballots from fixed seeds; regenerate with the vballot_vectors "
                            "target",
                            "ballots", cases);
    char *dumped = all ? json_dumps(all, JSON_INDENT(2)) : NULL;
    json_decref(all);
    if (dumped && (text = ys_malloc(strlen(dumped) + 2))) {
        strcpy(text, dumped);
        strcat(text, "\n");
    }
    ys_free(dumped);
    if (!text)
        ys_fail(err, YS_NOMEM, NULL, "vectors");
done:
    json_decref(cases);
    return text;
}
