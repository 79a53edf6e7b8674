/* http.h — the HTTP side of the server (libmicrohttpd): start listening, learn the port, stop taking new
 * connections, stop. Internal to src/server; the fuzzer calls the router without it. */
#ifndef YS_SERVER_HTTP_H
#define YS_SERVER_HTTP_H

#include "server/server.h"

typedef struct ys_http ys_http;

/* Listens on srv->cfg.listen, with TLS on the pair ys_tls_load loaded when `tls`. */
ys_rc ys_http_start(ys_srv *srv, bool tls, ys_http **out, ys_err *err);
int ys_http_port(ys_http *h);
/* The connections libmicrohttpd may hold for cfg: --max-connections and the room to refuse more. */
unsigned ys_http_connections_held(const ys_serve_config *cfg);
/* How many connections were cut for taking longer than srv->request_timeout to send a request. */
size_t ys_http_cut(ys_http *h);
/* Stops accepting; connections already open go on. */
void ys_http_quiesce(ys_http *h);
/* At shutdown: answers 503 at once to every client whose request body has not all come, and closes its
 * connection, instead of waiting the request timeout for it. Returns how many. */
size_t ys_http_refuse_unread(ys_http *h);
void ys_http_stop(ys_http *h);

#endif
