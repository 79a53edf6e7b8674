/* client.h — a running yishi server from the command line, over HTTP(S) with libcurl: what `yishi trustee`
 * uses from the trustee's own machine. JSON in and out; a refusal keeps the server's status, code and message. */
#ifndef YISHI_CLI_CLIENT_H
#define YISHI_CLI_CLIENT_H

#include "yishi/error.h"

#include <jansson.h>
#include <stdbool.h>

typedef struct ys_client {
    char url[512];       /* http(s)://host:port, without a trailing slash */
    char token[128];     /* the login's bearer token, "" for none */
    char cacert[1024];   /* a CA file for a hall's self-signed certificate, "" for the system's */
    long status;         /* the HTTP status of the last answer, 0 when there was none */
    bool refused;        /* the last call was refused by the server (not 2xx) */
    void *curl;          /* one connection, kept alive between requests */
} ys_client;

/* Sets up a client of the server at url (refused unless http:// or https://). ys_client_close frees it. */
ys_rc ys_client_open(ys_client *c, const char *url, const char *token, const char *cacert, ys_err *err);
void ys_client_close(ys_client *c);

/* Sends METHOD path (with body as JSON when not NULL) and, for a 2xx, gives the answer's JSON in *out (the
 * caller's; json_null() when it had none). A refusal returns the error of the server's `error` code, with
 * err->msg "METHOD path: STATUS CODE: the server's message" and err->field the server's field; no answer at
 * all is YS_IO with libcurl's reason (c->status stays 0). */
ys_rc ys_client_call(ys_client *c, const char *method, const char *path, const json_t *body, json_t **out,
                     ys_err *err);

/* Prints a failure as "yishi CMD: …" and returns its exit code (cli.h). After a refused call, the server's own
 * status, code, message and field, and 1 (3 for a 5xx); otherwise as ys_cli_fail (3 for no answer: YS_IO). */
int ys_client_fail(const char *cmd, const ys_client *c, ys_rc rc, const ys_err *err);

#endif
