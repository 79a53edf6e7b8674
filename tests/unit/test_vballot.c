/* test_vballot.c — verifiable ballots (docs/verifiable.md §4–§6, §9, §13): the vectors regenerate byte for
 * byte; every value of a ballot changed in turn is refused and named; ballots that an honest terminal would
 * refuse (a mark or write-in too many, a lying no count) do not verify; audits, names and codes. */
#include "ballots_gen.h"
#include "crypto/ballot.h"

#include "yishi/alloc.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

/* Whether the file at path holds exactly text, read a block at a time. */
static bool file_is(const char *path, const char *text)
{
    FILE *f = fopen(path, "rb");
    char buf[4096];
    size_t n, at = 0, len = strlen(text);
    bool same = f != NULL;
    while (same && (n = fread(buf, 1, sizeof buf, f)) > 0) {
        same = at + n <= len && memcmp(buf, text + at, n) == 0;
        at += n;
    }
    if (f)
        fclose(f);
    return same && at == len;
}

static void vectors_regenerate(void **state)
{
    (void)state;
    ys_err err = { 0 };
    char *made = ys_vectors_text(&err);
    assert_non_null(made);
    assert_true(file_is(YS_VECTORS_DIR "/ballots.json", made));
    ys_free(made);
}

/* The vote and an honest ballot of case i. */
static ys_vvote *vote_of(size_t i)
{
    ys_vvote *v = NULL;
    assert_int_equal(ys_vcase_vote(&ys_vcases[i], &v, NULL, NULL), YS_OK);
    return v;
}

static json_t *ballot_of(const ys_vvote *v, size_t i, json_t **audit)
{
    const ys_vcase *c = &ys_vcases[i];
    json_t *b = NULL;
    ys_err err = { 0 };
    assert_int_equal(ys_vballot_encrypt(v, c->voter, c->marks, c->written, c->W, NULL, &b, audit, &err), YS_OK);
    return b;
}

/* Each case checks, its code is its audit's, its audit checks, and the tally counts it. */
static void honest_ballots_check(void **state)
{
    (void)state;
    for (size_t i = 0; i < ys_nvcases; i++) {
        ys_vvote *v = vote_of(i);
        json_t *audit = NULL, *b = ballot_of(v, i, &audit);
        ys_vcast *cast = NULL;
        ys_err err = { 0 };
        uint8_t h[YS_VHASH], code[YS_VHASH];
        assert_int_equal(ys_vballot_check(v, ys_vcases[i].voter, b, &cast, &err), YS_OK);
        assert_true(ysv_hash_from_json(h, json_object_get(audit, "code")));
        assert_memory_equal(ys_vcast_code(cast), h, YS_VHASH);
        assert_int_equal(ys_vaudit_check(v, audit, code, &err), YS_OK);
        assert_memory_equal(code, h, YS_VHASH);
        ys_vcast *again = NULL;
        assert_int_equal(ys_vballot_check_unbatched(v, ys_vcases[i].voter, b, &again, &err), YS_OK);
        ys_vtally *t = NULL;
        assert_int_equal(ys_vtally_new(&t, v, &err), YS_OK);
        ys_vtally_add(t, cast);
        ys_vtally_add(t, again);
        assert_int_equal(ys_vtally_count(t), 2);
        json_t *tj = ys_vtally_json(t);
        assert_int_equal(json_array_size(json_object_get(tj, "marks")), ys_vcases[i].C);
        assert_int_equal(json_object_get(tj, "writein") != NULL, ys_vvote_P(v) > 0);
        json_t *tuple = ys_vcast_tuple_json(cast);
        assert_int_equal(json_array_size(tuple), ys_vvote_P(v) ? ys_vvote_P(v) + 1 : 0);
        assert_true(ys_vcast_nalpha(cast) >= ys_vcases[i].C);
        json_decref(tuple);
        json_decref(tj);
        ys_vtally_free(t);
        ys_vcast_free(again);
        ys_vcast_free(cast);
        json_decref(b);
        json_decref(audit);
        ys_vvote_free(v);
    }
}

/* ---- tampering ---- */

typedef struct tamper {
    const ys_vvote *v;
    const char *voter;
    json_t *root;
    const uint8_t *code;
    unsigned Lw, Ln;         /* bit lengths of S and C */
    int changed;
} tamper;

/* What must fail when the value at path changes: the proof that covers it, as the check names it. */
static void expected_field(char out[64], const tamper *t, const char *path)
{
    unsigned i, k;
    if (sscanf(path, "marks[%u]", &i) == 1)
        snprintf(out, 64, "marks[%u].proof", i);
    else if (strncmp(path, "writein.count.ct", 16) == 0)
        snprintf(out, 64, "writein.count.range.proofs[%u]", t->Lw - 1);
    else if (sscanf(path, "writein.count.range.bits[%u]", &k) == 1 ||
             sscanf(path, "writein.count.range.proofs[%u]", &k) == 1)
        snprintf(out, 64, "writein.count.range.proofs[%u]", k);
    else if (sscanf(path, "writein.block[%u]", &i) == 1)
        snprintf(out, 64, "writein.block[%u].proof", i);
    else if (strncmp(path, "no.ct", 5) == 0)
        snprintf(out, 64, "no.range.proofs[%u]", t->Ln - 1);
    else if (sscanf(path, "no.range.bits[%u]", &k) == 1 || sscanf(path, "no.range.proofs[%u]", &k) == 1)
        snprintf(out, 64, "no.range.proofs[%u]", k);
    else if (sscanf(path, "limit.bits[%u]", &k) == 1 || sscanf(path, "limit.proofs[%u]", &k) == 1)
        snprintf(out, 64, "limit.proofs[%u]", k);
    else
        fail_msg("no expectation for %s", path);
}

/* Another valid value of the same kind: the point plus G, or the scalar (a proof's c or s) plus 1. */
static json_t *other_value(const char *s, bool scalar)
{
    uint8_t b[YS_V_BYTES];
    ysv_point p, G;
    ysv_scalar x, one;
    assert_true(ysv_unb64(b, s));
    if (!scalar) {
        assert_true(ysv_point_decode(&p, b));
        ysv_point_base(&G);
        ysv_point_add(&p, &p, &G);
        return ysv_point_json(&p);
    }
    assert_true(ysv_scalar_decode(&x, b));
    ysv_scalar_u64(&one, 1);
    ysv_scalar_add(&x, &x, &one);
    return ysv_scalar_json(&x);
}

static void check_changed(tamper *t, const char *path)
{
    ys_vcast *cast = NULL;
    ys_err err = { 0 };
    ys_rc rc = ys_vballot_check(t->v, t->voter, t->root, &cast, &err);
    t->changed++;
    char want[64];
    expected_field(want, t, path);
    if (rc != YS_BAD_PROOF || strcmp(err.field, want) != 0)
        fail_msg("%s changed: rc %d field '%s', expected '%s'", path, rc, err.field, want);
    assert_null(cast);
}

/* Changes each string under j in turn, checks, and puts it back. */
static void walk(tamper *t, json_t *j, const char *path)
{
    char sub[96];
    if (json_is_object(j)) {
        const char *k;
        json_t *val;
        json_object_foreach(j, k, val) {
            snprintf(sub, sizeof sub, "%s%s%s", path, *path ? "." : "", k);
            if (json_is_string(val)) { /* a Schnorr proof's a and s */
                json_t *old = json_incref(val);
                json_object_set_new(j, k, other_value(json_string_value(val), strcmp(k, "s") == 0));
                check_changed(t, sub);
                json_object_set_new(j, k, old);
            } else {
                walk(t, val, sub);
            }
        }
    } else if (json_is_array(j)) {
        for (size_t i = 0; i < json_array_size(j); i++) {
            snprintf(sub, sizeof sub, "%s[%zu]", path, i);
            json_t *e = json_array_get(j, i);
            if (json_is_string(e)) {
                json_t *old = json_incref(e);
                bool scalar = strstr(sub, ".s[") || strstr(sub, ".c[");
                json_array_set_new(j, i, other_value(json_string_value(e), scalar));
                check_changed(t, sub);
                json_array_set_new(j, i, old);
            } else {
                walk(t, e, sub);
            }
        }
    }
}

static void every_value_changed_is_refused(void **state)
{
    (void)state;
    for (size_t i = 0; i < ys_nvcases; i++) {
        ys_vvote *v = vote_of(i);
        json_t *b = ballot_of(v, i, NULL);
        ys_vcast *cast = NULL;
        assert_int_equal(ys_vballot_check(v, ys_vcases[i].voter, b, &cast, NULL), YS_OK);
        tamper t = { v, ys_vcases[i].voter, b, ys_vcast_code(cast), ysv_range_len(ys_vcases[i].S),
                     ysv_range_len(ys_vcases[i].C), 0 };
        walk(&t, b, "");
        assert_true(t.changed >= 13 * (int)ys_vcases[i].C); /* at least each mark's 2 + 11 */
        ys_vcast_free(cast);
        json_decref(b);
        ys_vvote_free(v);
    }
}

/* A ballot proved for one voter does not verify for another. */
static void another_voters_code(void **state)
{
    (void)state;
    ys_vvote *v = vote_of(2);
    json_t *b = ballot_of(v, 2, NULL);
    ys_vcast *cast = NULL;
    ys_err err = { 0 };
    assert_int_equal(ys_vballot_check(v, "D0009", b, &cast, &err), YS_BAD_PROOF);
    assert_string_equal(err.field, "marks[0].proof");
    assert_null(cast);
    assert_int_equal(ys_vballot_check(v, "", b, &cast, &err), YS_MISSING_FIELD);
    json_decref(b);
    ys_vvote_free(v);
}

/* The prover without the terminal's checks: whatever it claims, the ballot does not verify. */
static void refuse_forged(const ys_vvote *v, const unsigned *marks, const char *const *names, uint64_t W,
                          uint64_t no, uint64_t limit, const char *prefix)
{
    ysv_point block[8];
    ysv_rng rng;
    json_t *b = NULL;
    ys_vcast *cast = NULL;
    ys_err err = { 0 };
    const char *fit[8] = { "甲", "乙", "丙", "丁" };
    if (ys_vvote_P(v))
        assert_int_equal(ysv_block_points(v, fit, 1, block, &err), YS_OK); /* the elements of some name */
    ysv_rng_test(&rng, "forged");
    ysv_plain p = { marks, block, names, W, no, limit };
    assert_int_equal(ysv_ballot_prove(v, "D0003", &p, &rng, &b, NULL, &err), YS_OK);
    assert_int_equal(ys_vballot_check(v, "D0003", b, &cast, &err), YS_BAD_PROOF);
    if (strncmp(err.field, prefix, strlen(prefix)) != 0)
        fail_msg("refused at '%s', expected '%s…'", err.field, prefix);
    json_decref(b);
}

static void too_many_cannot_verify(void **state)
{
    (void)state;
    ys_vvote *v = vote_of(2); /* 5 candidates, 3 seats, B = 32 */
    const char *names[4] = { "甲", "乙", "丙", "丁" };
    const unsigned four_yes[5] = { 1, 1, 1, 1, 0 }, three_yes[5] = { 1, 1, 1, 0, 2 }, two_no[5] = { 1, 2, 0, 2, 0 };
    refuse_forged(v, four_yes, names, 0, 0, 4, "limit");       /* a yes mark too many */
    refuse_forged(v, three_yes, names, 1, 1, 4, "limit");      /* a write-in too many */
    refuse_forged(v, two_no, names, 0, 1, 1 + 32, "limit");    /* says one no for two */
    refuse_forged(v, two_no, names, 0, 3, 1, "limit");         /* says three for two, and claims Λ is 1 */
    refuse_forged(v, two_no, names, 4, 2, 5, "writein.count"); /* four names for three seats */
    const unsigned bad_mark[5] = { 1, 0, 0, 0, 0 };
    ys_vvote_free(v);
    v = vote_of(1); /* 1 seat */
    refuse_forged(v, bad_mark, names, 1, 0, 2, "limit");       /* a yes and a write-in for one seat */
    ys_vvote_free(v);
}

/* Malformed ballots are refused naming the field. */
static void malformed_json(void **state)
{
    (void)state;
    ys_vvote *v = vote_of(2);
    json_t *good = ballot_of(v, 2, NULL);
    struct {
        const char *path;    /* what to break: a JSON pointer-like path */
        json_t *value;       /* NULL: remove */
        ys_rc rc;
        const char *field;
        bool in_a_proof;     /* a replay, which reads no proof, takes the ballot */
    } cases[] = {
        { "no", NULL, YS_MISSING_FIELD, "no", false },
        { "extra", json_true(), YS_UNKNOWN_FIELD, "extra", false },
        { "marks", json_string("x"), YS_BAD_FIELD, "marks", false },
        { "marks.1.ct", json_string("x"), YS_BAD_FIELD, "marks[1].ct", false },
        { "marks.1.ct.0", json_string("not base64!"), YS_BAD_FIELD, "marks[1].ct", false },
        { "marks.1.proof.s.2", json_integer(5), YS_BAD_FIELD, "marks[1].proof.s[2]", true },
        { "limit.proofs.0.a.1", json_string("//////////////////////////////////////////8="), YS_BAD_FIELD,
          "limit.proofs[0].a[1]", true },
        { "no.range.bits", json_array(), YS_BAD_FIELD, "no.range.bits", true },
        { "writein.block.1.proof", json_object(), YS_BAD_FIELD, "writein.block[1].proof", true },
        { "writein.count.ct", NULL, YS_MISSING_FIELD, "writein.count.ct", false },
        { "marks.0.proof", NULL, YS_MISSING_FIELD, "marks[0].proof", false },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        json_t *b = json_deep_copy(good), *at = b, *parent = NULL;
        char path[64], *save = NULL, *last = NULL;
        snprintf(path, sizeof path, "%s", cases[i].path);
        for (char *tok = strtok_r(path, ".", &save); tok; tok = strtok_r(NULL, ".", &save)) {
            parent = at;
            last = tok;
            at = json_is_array(at) ? json_array_get(at, (size_t)atoi(tok)) : json_object_get(at, tok);
        }
        if (json_is_array(parent))
            json_array_set_new(parent, (size_t)atoi(last), cases[i].value);
        else if (cases[i].value)
            json_object_set_new(parent, last, cases[i].value);
        else
            json_object_del(parent, last);
        ys_vcast *cast = NULL;
        ys_err err = { 0 };
        ys_rc rc = ys_vballot_check(v, "D0003", b, &cast, &err);
        if (rc != cases[i].rc || strcmp(err.field, cases[i].field) != 0)
            fail_msg("%s: rc %d field '%s'", cases[i].path, rc, err.field);
        assert_null(cast);
        err = (ys_err){ 0 };
        rc = ys_vballot_read(v, "D0003", b, &cast, &err);
        if (cases[i].in_a_proof ? rc != YS_OK : rc != cases[i].rc || strcmp(err.field, cases[i].field) != 0)
            fail_msg("%s read without its proofs: rc %d field '%s'", cases[i].path, rc, err.field);
        ys_vcast_free(cast);
        json_decref(b);
    }
    json_decref(good);
    ys_vvote_free(v);
}

/* A burst: each ballot gets its own verdict from one batch. */
static void many_in_one_batch(void **state)
{
    (void)state;
    ys_vvote *v = vote_of(2);
    const ys_vcase *c = &ys_vcases[2];
    enum { N = 4 };
    json_t *b[N];
    const char *voters[N] = { "D0003", "D0003", "D0003", "D0003" };
    for (int i = 0; i < N; i++)
        b[i] = ballot_of(v, 2, NULL);
    voters[2] = "D0007"; /* checked under someone else's code */
    ys_vcast *out[N];
    ys_err errs[N];
    assert_int_equal(ys_vballot_check_many(v, N, voters, (const json_t *const *)b, out, errs), YS_BAD_PROOF);
    for (int i = 0; i < N; i++) {
        assert_int_equal(errs[i].rc, i == 2 ? YS_BAD_PROOF : YS_OK);
        assert_int_equal(out[i] != NULL, i != 2);
        ys_vcast_free(out[i]);
        json_decref(b[i]);
    }
    (void)c;
    ys_vvote_free(v);
}

/* An audit whose openings or code are not the ballot's is refused, naming what differs. */
static void audits(void **state)
{
    (void)state;
    ys_vvote *v = vote_of(2);
    json_t *audit = NULL, *b = ballot_of(v, 2, &audit);
    ys_err err = { 0 };
    struct {
        const char *what;
        const char *field;
    } cases[] = { { "mark", "marks[0]" }, { "name", "writein.block[0]" }, { "no", "no" }, { "code", "code" },
                  { "limit", "limit.bits[0]" } };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        json_t *a = json_deep_copy(audit);
        if (i == 0)
            json_object_set_new(json_array_get(json_object_get(a, "marks"), 0), "v", json_integer(0));
        else if (i == 1)
            json_array_set_new(json_object_get(json_object_get(a, "writein"), "names"), 0, json_string("赵刚"));
        else if (i == 2)
            json_object_set_new(json_object_get(a, "no"), "v", json_integer(1));
        else if (i == 3)
            json_object_set(a, "code", json_object_get(json_object_get(json_object_get(a, "ballot"), "no"), "ct"));
        else
            json_array_set(json_object_get(json_object_get(a, "limit"), "bits"), 0,
                           json_object_get(json_array_get(json_object_get(a, "marks"), 0), "r"));
        ys_rc rc = ys_vaudit_check(v, a, NULL, &err);
        if (rc == YS_OK || strcmp(err.field, cases[i].field) != 0)
            fail_msg("%s: rc %d field '%s'", cases[i].what, rc, err.field);
        json_decref(a);
    }
    json_decref(b);
    json_decref(audit);
    ys_vvote_free(v);
}

/* ---- names and codes ---- */

static void names_in_the_block(void **state)
{
    (void)state;
    ys_vvote *v = vote_of(2); /* P = 2: 60 bytes */
    uint8_t el[2 * YS_VPOINT];
    ys_err err = { 0 };
    const char *two[] = { "欧阳娜娜", "司马相如" };
    assert_int_equal(ys_vblock_encode(v, two, 2, el, &err), YS_OK);
    for (int i = 0; i < 2; i++) /* byte 0 even, byte 31 zero */
        assert_true(el[YS_VPOINT * i] % 2 == 0 && el[YS_VPOINT * i + 31] == 0);
    ys_vwritein *w = NULL;
    assert_int_equal(ys_vblock_decode(v, el, 3, &w, &err), YS_OK);
    assert_string_equal(w[0].name, "欧阳娜娜");
    assert_string_equal(w[1].name, "司马相如");
    assert_int_equal(w[2].status, YS_VNAME_EMPTY);
    ys_vwriteins_free(w, 3);
    /* refused by the terminal */
    const char *listed[] = { "陈静" }, *twice[] = { "甲", "甲" }, *empty[] = { "" }, *bad[] = { "\xff\xfe" };
    const char *big[] = { "一二三四五六七八九十一二三四五六七八九十一" }; /* 63 bytes: more than the block */
    assert_int_equal(ys_vblock_encode(v, listed, 1, el, &err), YS_INVALID);
    assert_string_equal(err.field, "writeins[0]");
    assert_int_equal(ys_vblock_encode(v, twice, 2, el, &err), YS_INVALID);
    assert_string_equal(err.field, "writeins[1]");
    assert_int_equal(ys_vblock_encode(v, empty, 1, el, &err), YS_INVALID);
    assert_int_equal(ys_vblock_encode(v, bad, 1, el, &err), YS_INVALID);
    assert_int_equal(ys_vblock_encode(v, big, 1, el, &err), YS_TOO_LARGE);
    /* a dishonest block (§9): a listed name, bad UTF-8, a name running off the end, a missing one */
    memset(el, 0, sizeof el);
    memcpy(el + 1, "\xe9\x99\x88\xe9\x9d\x99", 6);      /* 陈静, on the list */
    memcpy(el + 8, "\xff\x41", 2);                       /* not UTF-8 */
    memset(el + 11, 'a', 20);
    memset(el + YS_VPOINT + 1, 'b', 30);                 /* 50 bytes to the end, no zero */
    assert_int_equal(ys_vblock_decode(v, el, 3, &w, &err), YS_OK);
    assert_int_equal(w[0].status, YS_VNAME_ON_LIST);
    assert_int_equal(w[1].status, YS_VNAME_BAD_UTF8);
    assert_int_equal(w[2].status, YS_VNAME_OK);
    assert_int_equal(strlen(w[2].name), 50);
    ys_vwriteins_free(w, 3);
    assert_int_equal(ys_vblock_decode(v, el, 4, &w, &err), YS_BAD_VALUE); /* more than S */
    ys_vvote_free(v);
    v = vote_of(1); /* S = 1, P = 2 */
    memset(el, 'c', sizeof el);
    assert_int_equal(ys_vblock_decode(v, el, 1, &w, &err), YS_OK);
    assert_int_equal(w[0].status, YS_VNAME_OK); /* 60 bytes: fits 255 */
    ys_vwriteins_free(w, 1);
    ys_vvote_free(v);
}

static void codes_and_contexts(void **state)
{
    (void)state;
    uint8_t h[YS_VHASH] = { 0 };
    char s[YS_VCODE_TEXT];
    ys_vcode_text(h, s);
    assert_string_equal(s, "0000-0000-0000-0000");
    memset(h, 0xff, sizeof h);
    ys_vcode_text(h, s);
    assert_string_equal(s, "ZZZZ-ZZZZ-ZZZZ-ZZZZ");
    const uint8_t x[10] = { 0x00, 0x44, 0x32, 0x14, 0xc7, 0x42, 0x54, 0xb6, 0x35, 0xcf };
    memcpy(h, x, sizeof x);
    ys_vcode_text(h, s);
    assert_string_equal(s, "0123-4567-89AB-CDEF"); /* 5 bits each, the first bit first */
    /* §4: B and P */
    ys_vvote *v = vote_of(2);
    assert_int_equal(ys_vvote_B(v), 32);
    assert_int_equal(ys_vvote_P(v), 2);
    ys_vvote_free(v);
    v = vote_of(3);
    assert_int_equal(ys_vvote_P(v), 0);
    ys_vvote_free(v);
    ys_vvote_spec spec = { .session_id = "s", .names = NULL, .ncandidates = 0 };
    ys_err err = { 0 };
    memset(spec.key, 0xff, sizeof spec.key);
    assert_int_equal(ys_vvote_new(&v, &spec, &err), YS_BAD_FIELD);
    assert_string_equal(err.field, "K");
    assert_null(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(vectors_regenerate),
        cmocka_unit_test(honest_ballots_check),
        cmocka_unit_test(every_value_changed_is_refused),
        cmocka_unit_test(another_voters_code),
        cmocka_unit_test(too_many_cannot_verify),
        cmocka_unit_test(malformed_json),
        cmocka_unit_test(many_in_one_batch),
        cmocka_unit_test(audits),
        cmocka_unit_test(names_in_the_block),
        cmocka_unit_test(codes_and_contexts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
