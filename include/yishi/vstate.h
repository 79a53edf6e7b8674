/* vstate.h — a verifiable vote as the session keeps it (docs/verifiable.md, docs/design.md "Verifiable votes
 * in the session"): the key its ballots are encrypted to, the context fixed at the open, the running
 * aggregates, every α cast (a copied ballot is refused), and after the close the trustees' partial
 * decryptions until the count. Elections and polls each hold one when their method is verifiable. */
#ifndef YISHI_VSTATE_H
#define YISHI_VSTATE_H

#include "yishi/command.h"
#include "yishi/vballot.h"
#include "yishi/vkey.h"

typedef struct ys_vseen ys_vseen; /* a set of α, by their first 16 bytes */

/* Where a vote's count stands after its close (docs/verifiable.md §8, §9). A poll stays in TALLY. */
typedef enum ys_vphase {
    YS_VPHASE_TALLY,    /* the trustees decrypt the aggregates (labels tally/c, tally/writein) */
    YS_VPHASE_SHUFFLE,  /* names were written in: k trustees shuffle the write-in tuples in turn */
    YS_VPHASE_MIX,      /* the trustees decrypt each shuffled tuple's count U (mix/i) */
    YS_VPHASE_BLOCK,    /* then the blocks of the tuples whose count is not 0 (block/i/p) */
    YS_VPHASE_COUNT,    /* everything needed is decrypted: the count comes */
} ys_vphase;

typedef struct ys_vstate {
    int key;                  /* the key (key.h) */
    ys_vvote *vote;           /* the context, from the open */
    ys_vtally *tally;         /* the aggregates, while open */
    ys_vseen *seen;           /* every α cast, while open */
    json_t *codes;            /* the code of every ballot cast, in the order cast (base64): the board's list */
    json_t *aggregates;       /* once closed: { "marks": [T…], "writein": T_W } as the close recorded them */
    json_t *partials[YS_VKEY_MAX_TRUSTEES]; /* trustee j's partial decryptions of the aggregates, or NULL */
    int n_partials;
    bool counted;             /* the count is in */
    int entitled;             /* V, as the open fixed it (a poll keeps it here; an election in its own record) */
    /* The write-ins (an election with P > 0): */
    ys_vphase phase;
    uint64_t written;         /* T_W decrypted: the names written in, once the aggregates are decrypted */
    uint64_t *values;         /* what the aggregates decrypt to (ys__vstate_decrypt), kept from their k-th
                                 decryption on when P > 0, so that the count does not decrypt them again */
    json_t *tuples;           /* (U, D₁ … D_P) of each ballot cast, in cast order; after shuffle m its output,
                                 the input of shuffle m + 1 (never changed in place: a reader may hold it) */
    int shuffled_by[YS_VKEY_MAX_TRUSTEES]; /* the trustee who made shuffle m, at m − 1 */
    int n_shuffles;
    json_t *later[2][YS_VKEY_MAX_TRUSTEES]; /* trustee j's partial decryptions of the mix ([0]) and blocks ([1]) */
    int n_later[2];
    uint64_t *counts;         /* W_i of each tuple of the last output, once the mix is decrypted */
} ys_vstate;

void ys_vstate_free(ys_vstate *v);

/* The context of a vote on key `key` (complete), as its open makes it: kind "election" or "poll", its id,
 * the delegates entitled now, the seats, the names on its list, whether write-ins are allowed. */
ys_rc ys__vvote_for(const ys_session *s, int key, bool poll, int id, int entitled, int seats,
                    const char *const *names, size_t n, bool writeins, ys_vvote **out, ys_err *err);

/* The open: a fresh state with the context, the aggregates and the set of α. */
ys_rc ys__vstate_open(ys_vstate *v, ys_vvote *vote, ys_err *err);
/* Whether any α of a checked ballot is already cast (a copy); the first such, for the message. */
bool ys__vstate_copied(const ys_vstate *v, const ys_vcast *c);
/* Records a cast ballot: its α and its ciphertexts into the aggregates. */
ys_rc ys__vstate_cast(ys_vstate *v, const ys_vcast *c, ys_err *err);

/* What the trustees decrypt after the close: [ { "label", "ct" } ] for each candidate's aggregate and the
 * write-in count (§8's labels tally/c and tally/writein). NULL when memory runs out. */
json_t *ys__vstate_tally_cts(const ys_vstate *v);
/* What phase `ph` decrypts (TALLY, MIX or BLOCK): the aggregates, the count U of each tuple of the last
 * shuffle's output (mix/i, i from 1), or each block ciphertext of the tuples whose count is not 0
 * (block/i/p, p = 1 … P). NULL when memory runs out. */
json_t *ys__vstate_cts(const ys_vstate *v, ys_vphase ph);
/* The phase's word on the board ("tally", "mix", "block", "shuffle", "count"). */
const char *ys__vphase_word(ys_vphase ph);
/* The plaintext elements of phase ph's ciphertexts, [ base64 of M, … ], from the first k trustees' partial
 * decryptions (trustee `also`'s being `its`, not yet in the state; 0 for none). */
typedef struct ys_key ys_key;
ys_rc ys__vstate_combine(const ys_vstate *v, const ys_key *key, ys_vphase ph, int also, const json_t *its,
                         json_t **out, ys_err *err);
/* What anyone checks a closed vote's count by: { what: id, "Q", "ciphertexts" (as ys__vstate_tally_cts),
 * "partials": [ { "trustee": j, "partial": [ … ] } ] of those who have decrypted, "counted" }. NULL when
 * memory runs out. */
json_t *ys__vstate_tally_json(const ys_vstate *v, const ys_key *key, const char *what, int id, bool counted);

/* The numbers the aggregates encrypt, from the partial decryptions of the first k trustees who posted
 * them, counting trustee `also` with `its` (a decryption not yet in the state; 0 for none): values[c] =
 * yes_c + B·no_c for each candidate, then (with write-ins) the number of names written in. `entitled` is V. */
ys_rc ys__vstate_decrypt(const ys_vstate *v, const ys_key *key, int entitled, int also, const json_t *its,
                         uint64_t *values, size_t n, ys_err *err);
/* What the open records of the context (§4): the key, B, P and Q; a verifier recomputes them. */
json_t *ys__vstate_context_json(const ys_vstate *v);
/* A ballot's code h as the log writes it (base64 of its 64 bytes). */
void ys__vstate_code_text(const ys_vcast *c, char out[2 * YS_VHASH]);
/* The replay of a cast: the ballot of the payload's delegate read back (no proofs), its code compared,
 * and added. `what` and `id` name the vote in a message. */
ys_rc ys__vstate_replay_cast(const ys_session *s, ys_vstate *v, const json_t *payload, const char *what, int id,
                             ys_err *err);
/* The replay of a trustee's partial decryptions (ev): checked again and recorded, the vote's record (`rec`,
 * YS_REC_POLL or YS_REC_ELECTION, and its id) kept in the state digest. */
ys_rc ys__vstate_replay_partial(ys_session *s, ys_vstate *v, bool counted, const ys_event *ev, int rec, int id,
                                ys_err *err);
/* A trustee's partial decryptions of the phase the vote is in, checked before they are logged: `login` one
 * of key's trustees, who has not decrypted in this phase, fewer than k so far, every proof holding.
 * *trustee gets its index. */
ys_rc ys__vstate_check_partial(const ys_vstate *v, const ys_key *key, const char *login, const json_t *partials,
                               int *trustee, ys_err *err);
/* The partial decryptions of phase ph (TALLY, MIX or BLOCK) and how many there are. */
json_t *const *ys__vstate_partials(const ys_vstate *v, ys_vphase ph, int *n);

#endif
