/* demo_vote.h — the demo's verifiable secret ballot (demo_vote.c): the key ceremony of its three trustees,
 * a delegate's encrypted ballot, and the trustees' decryption after the close. */
#ifndef YS_CLI_DEMO_VOTE_H
#define YS_CLI_DEMO_VOTE_H

#include "yishi/journal.h"
#include "yishi/vballot.h"

#define DEMO_TRUSTEES 3

typedef struct ys_vtrustee ys_vtrustee;
typedef struct ys_demo_trustees {
    int key;
    ys_vtrustee *device[DEMO_TRUSTEES];
} ys_demo_trustees;

/* The demo trustees (the accounts trustee1 … trustee3) make key t->key, threshold 2. */
int ys_cli_demo_ceremony(ys_journal *j, ys_demo_trustees *t);
void ys_cli_demo_trustees_free(ys_demo_trustees *t);
/* Poll or election `id`: a delegate's encrypted ballot (with a name written in, or NULL), and after the close
 * two trustees' decryption, with the write-ins' shuffles and their decryption when names were written in. */
ys_rc ys_cli_demo_cast(ys_journal *j, const ys_ctx *c, bool poll, int id, const char *code, const ys_vmark *marks,
                       const char *writein, ys_events *evs, ys_err *err);
int ys_cli_demo_decrypt(ys_journal *j, ys_demo_trustees *t, bool poll, int id);

#endif
