/* cmd_server.h — the yishi commands of the session server: serve, user (staff accounts) and cards
 * (delegates' login cards), and the demo's logins that `yishi demo` creates. */
#ifndef YISHI_CLI_CMD_SERVER_H
#define YISHI_CLI_CMD_SERVER_H

#include <stdio.h>

int ys_cli_serve(int argc, char **argv);
int ys_cli_user(int argc, char **argv);
int ys_cli_cards(int argc, char **argv);

/* Adds the demo's staff accounts (the delegation secretary's of `delegation`, logging in as `secretary`
 * with the password demo-SECRETARY) and a card for every delegate, all with published demo credentials, and
 * prints how to log in to `out`, with the cards of `cards` delegates spread through the list (at least the
 * first). Returns an exit code. Demo only: never on a real session. */
int ys_cli_demo_logins(const char *file, const char *delegation, const char *secretary, int cards, FILE *out);

#endif
