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
    /* A national hall: 3,000 seat terminals, each with a stream and a connection to vote on, the chair's
     * and the secretariat's desks and the boards, with room to spare. */
    if (!c->max_connections)
        c->max_connections = 20000;
    /* The terminals of a hall may all come from one address (a NAT): 3,000 terminals fit twice over;
     * a flood from one address does not take the whole server. */
    if (!c->max_per_address)
        c->max_per_address = 8000;
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
