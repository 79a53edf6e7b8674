/* key.h — the key of verifiable ballots as a record of the session (docs/verifiable.md §3): the secretariat
 * names the trustees (监票人) and the threshold; each trustee, from its own device, commits, sends the
 * others their sealed shares and publishes its public share; a complaint ends the ceremony. The arithmetic
 * is src/crypto's (vkey.h); here is who may post what, when, and what the log keeps. */
#ifndef YISHI_KEY_H
#define YISHI_KEY_H

#include "yishi/command.h"

#include <jansson.h>

typedef struct ys_vkey ys_vkey;

typedef enum ys_key_state {
    YS_KEY_COMMITTING = 1, /* waiting for every trustee's commitment */
    YS_KEY_SHARING,        /* every trustee has committed: waiting for their sealed shares */
    YS_KEY_PUBLISHING,     /* every share is out: waiting for the public shares */
    YS_KEY_COMPLETE,       /* the key may be used */
    YS_KEY_FAILED,         /* a complaint: hold the ceremony again */
} ys_key_state;

typedef struct ys_key_trustee {
    char *login;              /* the trustee's account; trustee i is trustees[i − 1] */
    bool committed, shared, ready;
    json_t *commitment;       /* what it posted, as posted: { commitments, proofs, box } */
    json_t *shares;           /* the sealed shares it sent, [ { "to", "sealed" } ], for the others to open */
    json_t *public_share;     /* { share, proof } */
} ys_key_trustee;

typedef struct ys_key {
    int id;
    int n, k;
    ys_key_trustee *trustees;
    ys_key_state state;
    int n_committed, n_shared, n_ready;
    int complaint_by, complaint_against; /* trustee indices, once a complaint is made */
    char *complaint;          /* its reason */
    char created_at[32], completed_at[32];
    ys_vkey *v;               /* the public side: commitments, public shares, the joint key */
} ys_key;

/* The state as a word for the API and the command line: "committing", "sharing", "publishing",
 * "complete", "failed"; "?" when out of range. */
const char *ys_key_state_word(ys_key_state st);

const ys_key *ys_key_get(const ys_session *s, int id);
/* The index (1 … n) of `login` among key's trustees, 0 when it is none of them. */
int ys_key_trustee_index(const ys_key *key, const char *login);

/* The secretariat starts a ceremony: n trustees' logins (distinct, 1 ≤ n ≤ 32) and the threshold k
 * (1 ≤ k ≤ n). One ceremony at a time. */
ys_rc ys_cmd_key_create(const ys_session *s, const ys_ctx *c, const char *const *logins, size_t n, int k,
                        ys_events *out, ys_err *err);
/* Trustee `login`'s commitment message, checked (every proof) before it is logged. */
ys_rc ys_cmd_key_commit(const ys_session *s, const ys_ctx *c, int key, const char *login, const json_t *msg,
                        ys_events *out, ys_err *err);
/* Its sealed shares for every other trustee, once all have committed. */
ys_rc ys_cmd_key_shares(const ys_session *s, const ys_ctx *c, int key, const char *login, const json_t *shares,
                        ys_events *out, ys_err *err);
/* Its public share, once every share is out, checked against all the commitments. */
ys_rc ys_cmd_key_ready(const ys_session *s, const ys_ctx *c, int key, const char *login, const json_t *msg,
                       ys_events *out, ys_err *err);
/* Trustee `login` found the share `against` sent it wrong (or unopenable): the ceremony fails. */
ys_rc ys_cmd_key_complain(const ys_session *s, const ys_ctx *c, int key, const char *login, int against,
                          const char *reason, ys_events *out, ys_err *err);

#endif
