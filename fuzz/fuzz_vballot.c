/* fuzz_vballot.c — libFuzzer target for what the board's JSON of verifiable votes is read from: any bytes,
 * taken as a ballot of a fixed vote (the check a server makes before it logs one), as a trustee's partial
 * decryptions and as a shuffle of that vote, must be refused with a code or accepted, never a crash, a leak
 * or undefined behaviour. The vote's key is made once from a fixed seed. */
#include "yishi/alloc.h"
#include "yishi/vballot.h"
#include "yishi/vkey.h"

#include <jansson.h>
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static ys_vvote *vote;
static ys_vkey *key;
static const char *const LOGINS[] = {"a", "b"};
static const char SESSION[] = "00000000000000000000000000000000000000000000000000000000000000aa";

/* A key of two trustees (threshold 1), complete, and a 1-seat election of 2 candidates on it. */
static void setup(void)
{
    ys_vkey_params p = {.session_id = SESSION, .key_id = 1, .n = 2, .k = 1, .logins = LOGINS};
    ys_vtrustee *t[2] = {NULL, NULL};
    if (sodium_init() < 0 || ys_vkey_new(&p, &key, NULL))
        abort();
    for (unsigned i = 0; i < 2; i++) {
        json_t *c = NULL;
        if (ys_vtrustee_new(key, i + 1, &t[i], NULL) || !(c = ys_vtrustee_commitment(t[i])) ||
            ys_vkey_add_commitment(key, i + 1, c, NULL))
            abort();
        json_decref(c);
    }
    for (unsigned i = 0; i < 2; i++) {
        json_t *shares = NULL, *msg = NULL;
        if (ys_vtrustee_seal_shares(t[1 - i], key, &shares, NULL) ||
            ys_vtrustee_open_share(t[i], key, 2 - i, shares, NULL) || ys_vtrustee_public_share(t[i], &msg, NULL) ||
            ys_vkey_add_public_share(key, i + 1, msg, NULL))
            abort();
        json_decref(shares);
        json_decref(msg);
    }
    uint8_t shares[2][YS_VPOINT];
    char b64[45];
    size_t len;
    const char *names[] = {"甲", "乙"};
    ys_vvote_spec spec = {.shares = (const uint8_t(*)[YS_VPOINT])shares, .nshares = 2, .session_id = SESSION,
                          .id = 1, .entitled = 100, .seats = 1, .names = names, .ncandidates = 2, .writeins = true};
    ys_vkey_qk(key, spec.key_hash);
    if (ys_vkey_joint_key(key, b64, NULL) ||
        sodium_base642bin(spec.key, 32, b64, strlen(b64), NULL, &len, NULL, sodium_base64_VARIANT_ORIGINAL))
        abort();
    for (unsigned j = 0; j < 2; j++)
        if (ys_vkey_public_share(key, j + 1, b64, NULL) ||
            sodium_base642bin(shares[j], 32, b64, strlen(b64), NULL, &len, NULL, sodium_base64_VARIANT_ORIGINAL))
            abort();
    if (ys_vvote_new(&vote, &spec, NULL))
        abort();
    ys_vtrustee_free(t[0]);
    ys_vtrustee_free(t[1]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!vote)
        setup();
    json_t *j = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
    if (!j)
        return 0;
    ys_vcast *cast = NULL;
    ys_err err = {0};
    if (ys_vballot_check(vote, "D1", j, &cast, &err) == YS_OK && !cast)
        abort();
    ys_vcast_free(cast);
    if (ys_vballot_read(vote, "D1", j, &cast, &err) == YS_OK && !cast)
        abort();
    ys_vcast_free(cast);
    /* as the decryption of the vote's two aggregates, and as a shuffle of two tuples */
    json_t *cts = json_pack("[{s:s, s:[s, s]}]", "label", "tally/1", "ct", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    ys_vkey_check_partial(key, 1, ys_vvote_Q(vote), cts, j, &err);
    const json_t *ct = json_object_get(json_array_get(cts, 0), "ct");
    json_t *input = json_pack("[[O], [O]]", ct, ct);
    ys_vmix_verify(key, ys_vvote_Q(vote), 1, input, j, &err);
    json_decref(input);
    json_decref(cts);
    json_decref(j);
    return 0;
}
