/* trustee_board.h — what `yishi trustee decrypt` checks before it decrypts: the vote's board read from the server
 * page by page, every ballot's proofs, and that what the server asks it to decrypt is the sum of those ballots. */
#ifndef YISHI_CLI_TRUSTEE_BOARD_H
#define YISHI_CLI_TRUSTEE_BOARD_H

#include "cli/client.h"

#include "yishi/vballot.h"
#include "yishi/vkey.h"

/* The vote as the trustee knows it: kind, id, its path (/api/elections/ID), whether its statute takes write-ins,
 * the number of ballots the vote's own view says were cast, and the shuffles of their write-ins it says are made. */
typedef struct ys_trustee_vote {
    bool poll;
    long long id;
    const char *path;
    bool writeins;
    long long cast;
    long long shuffles;
} ys_trustee_vote;

/* Reads GET path/board to its end, remakes the vote's context from `key` (checked complete) and the session id
 * and compares it with the Q, B and P the board gives, checks every ballot (ys_vboard_add), the number of them
 * against the vote's, and every shuffle of their write-ins on the log (GET path/shuffles?m=…, each from the one
 * before); then that each of job's ciphertexts (GET path/decrypt) is what they make of its label and that job's
 * Q is the context's. Q gets the context's Q, the one to decrypt under. YS_BAD_PROOF names the first thing that
 * differs: nothing is to be decrypted then. Prints what it checked. */
ys_rc ys_trustee_board_check(ys_client *c, const ys_trustee_vote *v, const ys_vkey *key, const char *session_id,
                             const json_t *job, uint8_t Q[YS_VHASH], ys_err *err);
/* The same reading, for what GET path/shuffle hands over: its m the next after the shuffles checked, its Q the
 * context's, its K the key's, and its input exactly the tuples the board's ballots (m = 1) or the last shuffle
 * checked make, so that this trustee's permutation is applied to the ballots cast and to nothing else. */
ys_rc ys_trustee_board_check_shuffle(ys_client *c, const ys_trustee_vote *v, const ys_vkey *key,
                                     const char *session_id, const json_t *job, uint8_t Q[YS_VHASH], ys_err *err);

#endif
