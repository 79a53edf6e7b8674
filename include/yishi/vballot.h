/* vballot.h — a verifiable ballot (docs/verifiable.md §4–§6, §9): a vote's context, a ballot's encryption and
 * its check, the confirmation code, the audit of a challenged ballot, the running aggregates, and the names
 * of a write-in block. What the core calls to accept a cast ballot; the arithmetic is src/crypto's.
 *
 * Ownership: every ys_v… object is made by its _new (or by a function that says so) in ys_malloc'd memory and
 * freed by its _free, which takes NULL. JSON handed out is the caller's (json_decref); JSON handed in is only
 * read. Errors come as a ys_rc with err->field naming what failed as a path into the JSON ("marks[3].proof",
 * "no.range.proofs[2]", 0-based like the arrays), and nothing half-made: *out stays NULL on failure. */
#ifndef YISHI_VBALLOT_H
#define YISHI_VBALLOT_H

#include "yishi/error.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define YS_VHASH 64          /* Qk, Q, a code h */
#define YS_VPOINT 32         /* an encoded element */
#define YS_VCODE_TEXT 20     /* "7KQ2-M9XD-3H8P-W1ZC" and a NUL */
#define YS_VNAME_MAX 255     /* bytes of a write-in name */

/* ---- a vote's context (§4) ---- */

typedef struct ys_vvote ys_vvote;

typedef struct ys_vvote_spec {
    uint8_t key_hash[YS_VHASH];          /* Qk */
    uint8_t key[YS_VPOINT];              /* K */
    const uint8_t (*shares)[YS_VPOINT];  /* X₁ … Xₙ */
    size_t nshares;
    const char *session_id;              /* 64 hex digits */
    bool poll;                           /* kind: "poll", else "election" */
    uint64_t id;
    uint64_t entitled;                   /* V */
    uint64_t seats;                      /* S (a poll: 1; a preliminary: the formal candidates) */
    const char *const *names;            /* name₁ … name_C (a poll: the question) */
    size_t ncandidates;                  /* C */
    bool writeins;                       /* whether the statute allows write-ins (not a poll or preliminary) */
} ys_vvote_spec;

/* Computes B, P and Q from the spec, which need not outlive the vote. Refuses a key or share that is not a
 * canonical element, C or S of 0, S > C for a poll, and sizes beyond what a ballot can prove. */
ys_rc ys_vvote_new(ys_vvote **out, const ys_vvote_spec *spec, ys_err *err);
void ys_vvote_free(ys_vvote *v);
uint64_t ys_vvote_B(const ys_vvote *v);
uint64_t ys_vvote_P(const ys_vvote *v);
const uint8_t *ys_vvote_Q(const ys_vvote *v);   /* YS_VHASH bytes, the vote's */

/* ---- a ballot: encryption (§5) and the audit (§6) ---- */

typedef enum ys_vmark { YS_VMARK_ABSTAIN, YS_VMARK_YES, YS_VMARK_NO } ys_vmark;

/* Encrypts marks[0..C) and the write-ins (names not on the list; a write-in of a listed name is the
 * caller's yes mark) for voter. seed NULL draws from the system; a text draws from §13's test rng, for test
 * vectors only. *ballot gets the ballot's JSON (§5), *audit (unless audit is NULL) the audit of §6, which
 * holds the ballot, its code and every opening: never cast a ballot whose audit was shown. */
ys_rc ys_vballot_encrypt(const ys_vvote *v, const char *voter, const ys_vmark *marks, const char *const *writeins,
                         size_t nwriteins, const char *seed, json_t **ballot, json_t **audit, ys_err *err);

/* Checks an audit against the vote: the ballot verifies, every ciphertext is what its opening says and the
 * code is the one shown. code (may be NULL) gets h. YS_BAD_PROOF names what differs. */
ys_rc ys_vaudit_check(const ys_vvote *v, const json_t *audit, uint8_t code[YS_VHASH], ys_err *err);

/* ---- a cast ballot, checked (§6, §10) ---- */

typedef struct ys_vcast ys_vcast;

/* Checks a ballot's JSON for voter: its form, every proof (in one batch), no α repeated within it. On
 * success *out holds what the tally needs. */
ys_rc ys_vballot_check(const ys_vvote *v, const char *voter, const json_t *ballot, ys_vcast **out, ys_err *err);
/* n ballots in one batch (a burst): out[i] and errs[i] for each; returns YS_OK when all are, else the first
 * failure's code (each errs[i].rc says which). */
ys_rc ys_vballot_check_many(const ys_vvote *v, size_t n, const char *const *voters, const json_t *const *ballots,
                            ys_vcast **out, ys_err *errs);
/* The same check with each proof verified alone, not batched: the measurement's baseline (bench). */
ys_rc ys_vballot_check_unbatched(const ys_vvote *v, const char *voter, const json_t *ballot, ys_vcast **out,
                                 ys_err *err);
/* A ballot already checked (one read back from the log): its form and code, without its proofs. */
ys_rc ys_vballot_read(const ys_vvote *v, const char *voter, const json_t *ballot, ys_vcast **out, ys_err *err);
void ys_vcast_free(ys_vcast *c);

const uint8_t *ys_vcast_code(const ys_vcast *c);          /* h, YS_VHASH bytes */
/* Every α of the ciphertexts sent in the ballot (marks, U, block, N, the ranges' bits), for the server's
 * refusal of a copied ballot: i < ys_vcast_nalpha. */
size_t ys_vcast_nalpha(const ys_vcast *c);
const uint8_t *ys_vcast_alpha(const ys_vcast *c, size_t i); /* YS_VPOINT bytes */
/* The write-in tuple (U, D₁ … D_P) as a JSON array of ciphertexts (§9's shuffle input); NULL when P = 0 or
 * memory runs out. */
json_t *ys_vcast_tuple_json(const ys_vcast *c);

/* The first 10 bytes of h in Crockford's base32, in groups of four: "7KQ2-M9XD-3H8P-W1ZC". */
void ys_vcode_text(const uint8_t h[YS_VHASH], char out[YS_VCODE_TEXT]);

/* ---- the aggregates (§8) ---- */

typedef struct ys_vtally ys_vtally;

ys_rc ys_vtally_new(ys_vtally **out, const ys_vvote *v, ys_err *err);
void ys_vtally_free(ys_vtally *t);
/* Adds a cast ballot of the same vote. */
void ys_vtally_add(ys_vtally *t, const ys_vcast *c);
uint64_t ys_vtally_count(const ys_vtally *t);
/* { "marks": [T₁ … T_C], "writein": T_W } (no writein when P = 0); NULL when memory runs out. */
json_t *ys_vtally_json(const ys_vtally *t);

/* ---- the shuffle (§9) ---- */

/* Checks shuffle m (1 … k) of the vote's write-in tuples, { "output", "c", "c_hat", "t", "s" }, against its
 * input [[ct, …], …], with the vote's own K and Q: what a server checks on a thread of its own, holding only
 * the context (ys_vmix_verify in vkey.h does the same from a key). */
ys_rc ys_vmix_verify_vote(const ys_vvote *v, uint64_t m, const json_t *input, const json_t *shuffle, ys_err *err);

/* ---- the names of a write-in block (§5, §9) ---- */

typedef enum ys_vname_status {
    YS_VNAME_OK,
    YS_VNAME_EMPTY,
    YS_VNAME_BAD_UTF8,
    YS_VNAME_TOO_LONG,       /* more than 255 bytes */
    YS_VNAME_ON_LIST,        /* a candidate's name: no honest terminal writes one in */
    YS_VNAME_MISSING,        /* the block holds fewer names than its count */
} ys_vname_status;

typedef struct ys_vwritein {
    char *name;              /* the name when status is OK, else NULL */
    ys_vname_status status;
} ys_vwritein;

/* The P elements (P·32 bytes) that carry names, for a terminal: refuses (YS_INVALID, field "writeins[i]") a
 * name that is empty, not UTF-8, too long, on the list, written twice, or that does not fit. */
ys_rc ys_vblock_encode(const ys_vvote *v, const char *const *names, size_t n, uint8_t *out, ys_err *err);
/* Reads the first count names from the P decrypted elements (P·32 bytes), by §9's rules: *out gets count
 * entries, each usable or saying why not. Free with ys_vwriteins_free. */
ys_rc ys_vblock_decode(const ys_vvote *v, const uint8_t *elements, uint64_t count, ys_vwritein **out, ys_err *err);
void ys_vwriteins_free(ys_vwritein *w, size_t n);

#endif
