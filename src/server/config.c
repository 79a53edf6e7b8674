/* config.c — the server's defaults: limits, timeouts and sizes for every option `yishi serve` leaves out.
 * Apart from serve.c so that the fuzzer's memory-mode server has them without libmicrohttpd. */
#include "yishi/server.h"

void ys_serve_defaults(ys_serve_config *c)
{
    if (!c->listen)
        c->listen = "127.0.0.1:8080";
    if (!c->token_ttl)
        c->token_ttl = 12 * 3600;
    if (!c->max_body)
        c->max_body = 1u << 20;
    if (!c->max_header)
        c->max_header = 32u << 10;
    if (!c->max_connections)
        c->max_connections = 4096;
    if (!c->threads)
        c->threads = 4;
    if (!c->idle_timeout)
        c->idle_timeout = 60;
    if (!c->heartbeat)
        c->heartbeat = 15;
    if (!c->request_timeout)
        c->request_timeout = 30;
    if (!c->ring)
        c->ring = 8192;
    if (!c->max_batch)
        c->max_batch = 4096;
}
