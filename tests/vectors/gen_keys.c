/* gen_keys.c — writes tests/vectors/keys.json (docs/verifiable.md §13) from fixed seeds: a ceremony of 3
 * trustees with threshold 2 (each trustee's backup restored and backed up again), partial decryptions and
 * their combination, and a shuffle of 4 tuples of 3.
 * `gen_keys` prints it; `gen_keys --check FILE` regenerates it and compares byte for byte (a ctest). */
#include "crypto/keys.h"
#include "crypto/mix.h"
#include "yishi/alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SID "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"
static const char *const LOGINS[] = { "zhang.wei", "li.na", "wang.fang" };

static void fail(const char *what, const ys_err *err)
{
    fprintf(stderr, "gen_keys: %s: %s\n", what, err ? err->msg : "out of memory");
    exit(2);
}

static json_t *b64_json(const uint8_t *b, size_t n)
{
    char s[256];
    sodium_bin2base64(s, sizeof s, b, n, sodium_base64_VARIANT_ORIGINAL);
    return json_string(s);
}

static void set(json_t *o, const char *k, json_t *v)
{
    if (!v || json_object_set_new(o, k, v))
        fail(k, NULL);
}

/* Trustee t's backup, once restored by ys_vtrustee_restore and backed up again: the same JSON, so what the
 * vectors hold (and what another implementation makes byte for byte) is what the C code restores. */
static json_t *restored_backup(const ys_vkey *key, const ys_vtrustee *t)
{
    ys_err err = { 0 };
    ys_vtrustee *back = NULL;
    json_t *b = ys_vtrustee_backup(t), *again = NULL;
    if (!b || ys_vtrustee_restore(key, ys_vtrustee_index(t), b, &back, &err))
        fail("restore", &err);
    again = ys_vtrustee_backup(back);
    if (!again || !json_equal(b, again))
        fail("backup after restore", NULL);
    json_decref(again);
    ys_vtrustee_free(back);
    return b;
}

/* The ceremony: each trustee drawing from "keys/trustee/i". Fills the key and trustees. */
static json_t *ceremony(ys_vkey **key, ys_vtrustee **t)
{
    ys_err err = { 0 };
    ys_vkey_params p = { SID, 1, 3, 2, LOGINS };
    if (ys_vkey_new(&p, key, &err))
        fail("key", &err);
    json_t *c = json_object(), *trustees = json_array(), *shares[3];
    set(c, "session_id", json_string(SID));
    set(c, "key_id", json_integer(1));
    set(c, "n", json_integer(3));
    set(c, "k", json_integer(2));
    set(c, "logins", json_pack("[s, s, s]", LOGINS[0], LOGINS[1], LOGINS[2]));
    set(c, "qk", b64_json((*key)->qk, YS_VKEY_HASH));
    for (unsigned i = 1; i <= 3; i++) {
        char seed[32];
        snprintf(seed, sizeof seed, "keys/trustee/%u", i);
        ysv_rng rng;
        ysv_rng_test(&rng, seed);
        json_t *cm = NULL;
        if (ysv_trustee_new(*key, i, &rng, &t[i - 1], &err) || !(cm = ys_vtrustee_commitment(t[i - 1])) ||
            ys_vkey_add_commitment(*key, i, cm, &err))
            fail("commitment", &err);
        json_t *tj = json_object();
        set(tj, "index", json_integer(i));
        set(tj, "seed", json_string(seed));
        set(tj, "commitment", cm);
        if (json_array_append_new(trustees, tj))
            fail("trustees", NULL);
    }
    for (unsigned i = 1; i <= 3; i++) {
        json_t *plains = json_array();
        if (ys_vtrustee_seal_shares(t[i - 1], *key, &shares[i - 1], &err))
            fail("seal", &err);
        for (unsigned j = 1; j <= 3; j++) {
            uint8_t plain[YSV_SHARE_PLAIN];
            if (j == i)
                continue;
            ysv_trustee_share_plain(t[i - 1], j, plain);
            if (json_array_append_new(plains, json_pack("{s:i, s:o}", "to", (int)j, "plain", b64_json(plain, sizeof plain))))
                fail("plain", NULL);
        }
        set(json_array_get(trustees, i - 1), "share_plaintexts", plains);
    }
    for (unsigned j = 1; j <= 3; j++) {
        json_t *pub = NULL;
        for (unsigned i = 1; i <= 3; i++)
            if (i != j && ys_vtrustee_open_share(t[j - 1], *key, i, shares[i - 1], &err))
                fail("open", &err);
        if (ys_vtrustee_public_share(t[j - 1], &pub, &err) || ys_vkey_add_public_share(*key, j, pub, &err))
            fail("public share", &err);
        set(json_array_get(trustees, j - 1), "public_share", pub);
    }
    for (unsigned j = 1; j <= 3; j++)
        set(json_array_get(trustees, j - 1), "backup", restored_backup(*key, t[j - 1]));
    for (unsigned i = 0; i < 3; i++)
        json_decref(shares[i]);
    set(c, "trustees", trustees);
    set(c, "key", ysv_point_json(&(*key)->K));
    return c;
}

/* The vote's context of the vectors: Q = H("yishi-test/q"; "keys"). */
static void test_q(uint8_t Q[YS_VKEY_HASH])
{
    ysv_hash h;
    ysv_hash_init(&h, "yishi-test/q");
    ysv_hash_text(&h, "keys");
    ysv_hash_final(&h, Q);
}

/* Ciphertexts of small numbers (r from "keys/ballots"), decrypted by trustees 1 and 3. */
static json_t *decryption(const ys_vkey *key, ys_vtrustee **t, const uint8_t Q[YS_VKEY_HASH])
{
    static const uint64_t values[] = { 0, 1, 4099, 12291000 };
    static const char *const labels[] = { "tally/1", "tally/2", "tally/3", "tally/writein" };
    ys_err err = { 0 };
    ysv_rng rng;
    ysv_rng_test(&rng, "keys/ballots");
    json_t *d = json_object(), *cts = json_array(), *vals = json_array(), *parts = json_array(), *p[2] = { NULL };
    for (size_t i = 0; i < 4; i++) {
        ysv_scalar r;
        ysv_ct e;
        ysv_rng_scalar(&rng, &r);
        ysv_encrypt_u64(&e, &key->K, values[i], &r);
        if (json_array_append_new(cts, json_pack("{s:s, s:o}", "label", labels[i], "ct", ysv_ct_json(&e))) ||
            json_array_append_new(vals, json_integer((json_int_t)values[i])))
            fail("cts", NULL);
    }
    const unsigned set_[2] = { 1, 3 };
    for (int j = 0; j < 2; j++) {
        if (ys_vtrustee_decrypt(t[set_[j] - 1], Q, cts, &p[j], &err) ||
            ys_vkey_check_partial(key, set_[j], Q, cts, p[j], &err))
            fail("decrypt", &err);
        if (json_array_append_new(parts, json_pack("{s:i, s:O}", "trustee", (int)set_[j], "partial", p[j])))
            fail("partials", NULL);
    }
    json_t *plain = NULL;
    if (ys_vkey_combine(key, cts, 2, set_, (const json_t *const *)p, &plain, &err))
        fail("combine", &err);
    set(d, "q", b64_json(Q, YS_VKEY_HASH));
    set(d, "seed", json_string("keys/ballots"));
    set(d, "cts", cts);
    set(d, "partials", parts);
    set(d, "combined", plain);
    set(d, "values", vals);
    json_decref(p[0]);
    json_decref(p[1]);
    return d;
}

/* Shuffle 1 of 4 tuples of 3 (inputs encrypt 100·i + ℓ with r from "keys/mix-input"; the prover draws from
 * "keys/mix"). */
static json_t *shuffle(const ys_vkey *key, const uint8_t Q[YS_VKEY_HASH])
{
    enum { N = 4, W = 3 };
    static const size_t perm[N] = { 2, 0, 3, 1 };
    ysv_ct in[N * W];
    ysv_rng rng;
    ysv_rng_test(&rng, "keys/mix-input");
    for (size_t i = 0; i < N; i++)
        for (size_t l = 0; l < W; l++) {
            ysv_scalar r;
            ysv_rng_scalar(&rng, &r);
            ysv_encrypt_u64(&in[i * W + l], &key->K, 100 * (i + 1) + l + 1, &r);
        }
    ysv_mix m;
    ysv_rng_test(&rng, "keys/mix");
    if (!ysv_mix_prove(&m, Q, 1, &key->K, in, N, W, perm, &rng))
        fail("shuffle", NULL);
    ys_err err = { 0 };
    if (ysv_mix_verify(&m, Q, 1, &key->K, in, &err))
        fail("shuffle", &err);
    json_t *s = json_object();
    set(s, "q", b64_json(Q, YS_VKEY_HASH));
    set(s, "m", json_integer(1));
    set(s, "input_seed", json_string("keys/mix-input"));
    set(s, "seed", json_string("keys/mix"));
    set(s, "input", ysv_tuples_json(in, N, W));
    set(s, "permutation", json_pack("[i, i, i, i]", (int)perm[0] + 1, (int)perm[1] + 1, (int)perm[2] + 1,
                                    (int)perm[3] + 1));
    set(s, "shuffle", ysv_mix_json(&m));
    ysv_mix_free(&m);
    return s;
}

static char *generate(void)
{
    ys_vkey *key = NULL;
    ys_vtrustee *t[3] = { NULL };
    uint8_t Q[YS_VKEY_HASH];
    test_q(Q);
    json_t *v = json_object();
    set(v, "about", json_string("docs/verifiable.md §13: written by tests/vectors/gen_keys.c; do not edit"));
    set(v, "ceremony", ceremony(&key, t));
    set(v, "decryption", decryption(key, t, Q));
    set(v, "shuffle", shuffle(key, Q));
    char *text = json_dumps(v, JSON_INDENT(1));
    if (!text)
        fail("dump", NULL);
    json_decref(v);
    for (int i = 0; i < 3; i++)
        ys_vtrustee_free(t[i]);
    ys_vkey_free(key);
    return text;
}

static int check(const char *path, const char *text)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return 1;
    }
    size_t n = strlen(text), at = 0;
    int ch;
    while ((ch = fgetc(f)) != EOF && at < n && ch == (unsigned char)text[at])
        at++;
    bool same = ch == '\n' && at == n && fgetc(f) == EOF;
    fclose(f);
    if (!same)
        fprintf(stderr, "%s differs from what gen_keys makes at byte %zu\n", path, at);
    return same ? 0 : 1;
}

int main(int argc, char **argv)
{
    char *text = generate();
    int rc = 0;
    if (argc == 3 && strcmp(argv[1], "--check") == 0)
        rc = check(argv[2], text);
    else
        printf("%s\n", text);
    ys_free(text);
    return rc;
}
