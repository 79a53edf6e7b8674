/* trustee_board.h — what `yishi trustee decrypt` checks before it decrypts: the vote's board read from the server
 * page by page, every ballot's proofs, and that what the server asks it to decrypt is the sum of those ballots. */
#ifndef YISHI_CLI_TRUSTEE_BOARD_H
#define YISHI_CLI_TRUSTEE_BOARD_H

#include "cli/client.h"

#include "yishi/vballot.h"
#include "yishi/vkey.h"

/* The vote as the trustee knows it: kind, id, its path (/api/elections/ID), whether its statute takes write-ins,
 * and the number of ballots the vote's own view says were cast. */
typedef struct ys_trustee_vote {
    bool poll;
    long long id;
    const char *path;
    bool writeins;
    long long cast;
} ys_trustee_vote;

/* Reads GET path/board to its end, remakes the vote's context from `key` (checked complete) and the session id
 * and compares it with the Q, B and P the board gives, checks every ballot (ys_vboard_add), the number of them
 * against the vote's, then that each of job's ciphertexts (GET path/decrypt) is their sum and that job's Q is the
 * context's. Q gets the context's Q, the one to decrypt under. YS_BAD_PROOF names the first thing that differs:
 * nothing is to be decrypted then. Prints what it checked. */
ys_rc ys_trustee_board_check(ys_client *c, const ys_trustee_vote *v, const ys_vkey *key, const char *session_id,
                             const json_t *job, uint8_t Q[YS_VHASH], ys_err *err);

#endif
