/* http.c — libmicrohttpd in front of the router: collects a request (headers, query, a body up to the
 * limit), dispatches it, parks the connection while its command waits for the writer, and serves live
 * streams from the hub with suspend/resume instead of a thread per client. */
#include "server/http.h"
#include "server/log.h"

#include "server/deadline.h"
#include "server/loops.h"
#include "server/peers.h"
#include "server/tls.h"
#include "server/web.h"

#include "yishi/alloc.h"
#include "yishi/buf.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* One request on a connection, from its first call to its completion. */
typedef struct request {
    ys_srv *srv;                 /* the front: the connections, the draining */
    ys_srv *target;              /* the session the path names (the front itself when it serves one); NULL
                                    for the front's own paths, or a session that is not there */
    const char *path;            /* the path within the session: "/api/status" of "/s/7/api/status" */
    struct MHD_Connection *conn;
    ys_buf body;                 /* at most `limit` bytes */
    size_t limit;                /* cfg.max_body, or more for a route that takes more (body_limit) */
    bool too_large;
    ys_srv_cmd *cmd;             /* waiting for the writer */
    atomic_bool cmd_done;
    bool nul_in_url;             /* an encoded NUL (%00) in its path or query */
} request;

struct ys_http {
    struct MHD_Daemon **daemons; /* one per thread (loops.c), all on one listening socket */
    unsigned n_daemons;
    ys_loops *loops;
    int port;
    ys_deadlines *deadlines;
    ys_peers *peers;
    ys_srv *srv;                 /* its count of open connections, for GET /api/health */
    bool tls;
};

/* What the server keeps of a connection, from its start to its close. */
typedef struct conn_ctx {
    ys_http *http;
    ys_deadline *deadline;
    ys_peer_verdict verdict;     /* within the limits, or to be refused at its first request */
    bool counted;
    bool nul_in_url;             /* of the request being read: libmicrohttpd decodes it before we see it */
    char addr[64];
} conn_ctx;

/* Connections libmicrohttpd takes beyond --max-connections, to refuse them with a JSON answer. */
#define REFUSAL_ROOM 256

/* libmicrohttpd's memory for one connection, which holds the request head while it is read: above our
 * own limit on the head (cfg.max_header), so that a head too large is refused here, as JSON, and not by
 * libmicrohttpd, whose own answer is HTML (docs/api.md lists what it still answers itself). */
#define MHD_POOL_PER_HEAD 4

typedef struct stream {
    ys_sse_client *client;
    struct MHD_Connection *conn;
} stream;

static void add_headers(ys_srv *srv, struct MHD_Response *r, const ys_srv_resp *resp, const char *type)
{
    char n[24];
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    if (resp->set_cookie[0])
        MHD_add_response_header(r, MHD_HTTP_HEADER_SET_COOKIE, resp->set_cookie);
    if (resp->device_cookie[0])
        MHD_add_response_header(r, MHD_HTTP_HEADER_SET_COOKIE, resp->device_cookie);
    if (resp->allow)
        MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, resp->allow);
    if (resp->retry_after > 0) {
        snprintf(n, sizeof n, "%d", resp->retry_after);
        MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, n);
    }
    if (resp->close || atomic_load(&srv->draining))
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
}

/* The body when memory ran out before the answer could be written (ys_srv_json's, already as text). */
static const char nomem_body[] = "{\"error\":\"out_of_memory\",\"message\":\"内存不足 / out of memory\"}";

static enum MHD_Result send_resp(ys_srv *srv, struct MHD_Connection *conn, ys_srv_resp *resp)
{
    struct MHD_Response *r;
    const char *type = "application/json; charset=utf-8";
    char *text = NULL;
    if (resp->raw) {
        r = MHD_create_response_from_buffer(resp->raw_len, resp->raw, MHD_RESPMEM_MUST_COPY);
        type = resp->content_type;
    } else {
        text = resp->json ? ys_json_dumps(resp->json, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        if (!text)
            resp->status = 500; /* never the status of an answer that is not there */
        const char *body = text ? text : nomem_body;
        r = MHD_create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_MUST_COPY);
    }
    ys_free(text);
    if (!r) {
        ys_srv_resp_free(resp);
        return MHD_NO;
    }
    add_headers(srv, r, resp, type);
    enum MHD_Result ok = MHD_queue_response(conn, (unsigned)(resp->status ? resp->status : 500), r);
    MHD_destroy_response(r);
    ys_srv_resp_free(resp);
    return ok;
}

/* ---- the request deadline of a connection (deadline.c) ---- */

static void client_addr(struct MHD_Connection *conn, char out[64]);

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    ys_http *h = cls;
    conn_ctx *cx = *socket_context;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        if (!(cx = ys_calloc(1, sizeof *cx)))
            return;
        cx->http = h;
        cx->deadline = ci ? ys_deadline_add(h->deadlines, ci->connect_fd) : NULL;
        client_addr(conn, cx->addr);
        cx->verdict = ys_peers_add(h->peers, cx->addr);
        cx->counted = true;
        atomic_fetch_add(&h->srv->connections, 1);
        *socket_context = cx;
    } else if (cx) {
        ys_deadline_remove(cx->deadline);
        if (cx->counted) {
            ys_peers_remove(h->peers, cx->addr);
            atomic_fetch_sub(&h->srv->connections, 1);
        }
        ys_free(cx);
        *socket_context = NULL;
    }
}

static conn_ctx *conn_of(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

/* Resumes a parked connection from the writer's or the hub's thread, and wakes its daemon's loop, which
 * libmicrohttpd run from outside (loops.c) would not do. What the wake needs is read before the resume,
 * after which the connection may be finished and freed at any moment. */
static void resume(struct MHD_Connection *conn)
{
    const conn_ctx *cx = conn_of(conn);
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_DAEMON);
    ys_loops *loops = cx ? cx->http->loops : NULL;
    const struct MHD_Daemon *daemon = ci ? ci->daemon : NULL;
    MHD_resume_connection(conn);
    ys_loops_wake(loops, daemon);
}

/* False when the request deadline has cut the connection: see ys_deadline_arm. */
static bool request_deadline(struct MHD_Connection *conn, bool armed)
{
    conn_ctx *cx = conn_of(conn);
    if (!cx)
        return true;
    ys_deadline_receiving(cx->deadline, false);
    return ys_deadline_arm(cx->deadline, armed);
}

/* The head is in and the body on its way: what shutdown answers at once rather than wait for. */
static void request_receiving(struct MHD_Connection *conn)
{
    conn_ctx *cx = conn_of(conn);
    if (cx)
        ys_deadline_receiving(cx->deadline, true);
}

/* ---- live streams ---- */

static void stream_suspend(void *ud) { MHD_suspend_connection(((stream *)ud)->conn); }
static void stream_resume(void *ud) { resume(((stream *)ud)->conn); }

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    stream *st = cls;
    (void)pos;
    long n = ys_sse_read(st->client, buf, max, stream_suspend, stream_resume, st);
    return n < 0 ? MHD_CONTENT_READER_END_OF_STREAM : (ssize_t)n;
}

static void stream_free(void *cls)
{
    stream *st = cls;
    ys_sse_detach(st->client);
    ys_free(st);
}

/* A stream is written to for hours. A client that vanished from the hall Wi-Fi never acknowledges the
 * heartbeats, and one that stopped reading shows a zero window: either way the kernel gives up after two
 * heartbeats unanswered, the next write fails, and the stream is dropped, instead of TCP retrying for
 * a quarter of an hour while the hub buffers events for nobody. */
static void drop_unacknowledged(ys_srv *srv, int fd)
{
    unsigned ms = 2 * srv->cfg.heartbeat * 1000u;
    if (fd >= 0)
        setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &ms, sizeof ms);
}

/* The kernel would let a stream's send buffer grow to megabytes for a client that reads nothing, so
 * that thousands of such clients hold gigabytes and are never found to be behind. A fixed, small buffer
 * (the kernel doubles it) is ample for a stream's few frames a second and bounds what each may hold;
 * past it the client waits in the hub's queue, which cuts it when it is too far behind. */
#define STREAM_SNDBUF (32 << 10)

static void bound_send_buffer(int fd)
{
    int n = STREAM_SNDBUF;
    if (fd >= 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &n, sizeof n);
}

/* Each frame the hub writes goes out at once, not held back by Nagle for the client's acknowledgement of
 * the last (which a client that delays its acknowledgements sends only after 40 ms or more). */
static void push_each_write(int fd)
{
    int on = 1;
    if (fd >= 0)
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
}

/* A stream's body is the bare event text, ended by closing the connection, without HTTP/1.1's chunked
 * framing: so that the hub can write new frames to a plain socket itself while the connection is
 * suspended, and hand it back to libmicrohttpd at any byte when the socket is full (sse.c). Over TLS
 * libmicrohttpd does all the writing. */
static enum MHD_Result send_stream(ys_srv *srv, struct MHD_Connection *conn, ys_srv_resp *resp)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    int fd = ci ? ci->connect_fd : -1;
    stream *st = ys_calloc(1, sizeof *st);
    /* The hub may peek at the socket, and write to it while the connection is suspended, until the
     * stream's response is freed, which libmicrohttpd does before it closes the socket. */
    if (!st || !srv->hub ||
        !(st->client = ys_sse_attach(srv->hub, resp->audience, resp->stream_after, fd, !srv->cfg.tls_cert))) {
        ys_free(st);
        ys_srv_errorf(resp, YS_NOMEM, NULL, "cannot open a live stream");
        return send_resp(srv, conn, resp);
    }
    st->conn = conn;
    drop_unacknowledged(srv, fd);
    bound_send_buffer(fd);
    push_each_write(fd);
    struct MHD_Response *r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16384, stream_read, st, stream_free);
    if (!r || MHD_set_response_options(r, MHD_RF_HTTP_1_0_COMPATIBLE_STRICT, MHD_RO_END) != MHD_YES) {
        if (r)
            MHD_destroy_response(r); /* frees st */
        else
            stream_free(st);
        return MHD_NO;
    }
    add_headers(srv, r, resp, "text/event-stream; charset=utf-8");
    MHD_add_response_header(r, "X-Accel-Buffering", "no");
    enum MHD_Result ok = MHD_queue_response(conn, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    ys_srv_resp_free(resp);
    return ok;
}

/* ---- commands: the connection waits, parked, for the writer ---- */

static void command_done(ys_srv_cmd *cmd, void *ud)
{
    request *rq = ud;
    (void)cmd;
    atomic_store(&rq->cmd_done, true);
    resume(rq->conn);
}

static enum MHD_Result start_command(request *rq, ys_srv_resp *resp)
{
    ys_srv_cmd *cmd = resp->cmd;
    resp->cmd = NULL;
    ys_srv_resp_free(resp);
    rq->cmd = cmd;
    cmd->done = command_done;
    cmd->done_ud = rq;
    /* Suspended before it is queued, so that the writer's resume always comes after the suspend. */
    MHD_suspend_connection(rq->conn);
    if (cmd->check ? ys_srv_check(rq->target, cmd) : ys_srv_submit(rq->target, cmd)) {
        cmd->rc = ys_fail(&cmd->err, YS_UNAVAILABLE, NULL, "the server is shutting down; try again soon");
        command_done(cmd, rq);
    }
    return MHD_YES;
}

static enum MHD_Result finish_command(request *rq)
{
    ys_srv_resp resp = {0};
    ys_srv_cmd_response(rq->cmd, &resp);
    if (!rq->cmd->rc && rq->cmd->then)
        rq->cmd->then(rq->cmd, rq->target, &resp);
    ys_srv_cmd_free(rq->cmd);
    rq->cmd = NULL;
    return send_resp(rq->srv, rq->conn, &resp);
}

/* ---- collecting a request ---- */

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    ys_srv_req *req = cls;
    (void)kind;
    if (req->n_args < YS_SRV_MAX_ARGS) {
        req->args[req->n_args].key = key;
        req->args[req->n_args].value = value;
        req->n_args++;
    }
    return MHD_YES;
}

static const char *header(struct MHD_Connection *conn, const char *name)
{
    return MHD_lookup_connection_value(conn, MHD_HEADER_KIND, name);
}

static void client_addr(struct MHD_Connection *conn, char out[64])
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = ci ? ci->client_addr : NULL;
    strcpy(out, "unknown");
    if (sa && sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out, 64);
    else if (sa && sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out, 64);
}

/* ---- the pages (web.c) ---- */

/* libmicrohttpd's own decoding of the path and the query, which also notes a decoded NUL: the C string the
 * handler is given would end there, so that "/x.js%00.png" would be taken for "/x.js". */
static size_t unescape(void *cls, struct MHD_Connection *conn, char *s)
{
    (void)cls;
    size_t n = MHD_http_unescape(s);
    conn_ctx *cx;
    if (strlen(s) != n && (cx = conn_of(conn)))
        cx->nul_in_url = true;
    return n;
}

static enum MHD_Result send_page(request *rq, const char *url, const char *method)
{
    ys_web_answer a;
    ys_web_answer_request(rq->srv->cfg.web_dir, method, url, rq->nul_in_url,
                          header(rq->conn, MHD_HTTP_HEADER_IF_NONE_MATCH), &a);
    bool body = a.status != 304;
    struct MHD_Response *r = MHD_create_response_from_buffer(body ? a.len : 0, body ? (void *)a.body : NULL,
                                                             a.owned ? MHD_RESPMEM_MUST_COPY : MHD_RESPMEM_PERSISTENT);
    ys_web_answer_free(&a);
    if (!r)
        return MHD_NO;
    if (body)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, a.type);
    if (a.etag[0])
        MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, a.etag);
    /* Revalidated on every load, so that a new binary's pages are taken at once; the ETag saves the bytes. */
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "Content-Security-Policy", YS_WEB_CSP);
    if (a.status == 405)
        MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
    if (atomic_load(&rq->srv->draining))
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
    enum MHD_Result ok = MHD_queue_response(rq->conn, (unsigned)a.status, r);
    MHD_destroy_response(r);
    return ok;
}

static enum MHD_Result dispatch(request *rq, const char *method)
{
    struct MHD_Connection *conn = rq->conn;
    char addr[64];
    ys_srv_resp resp;
    ys_srv_req req = {.method = method, .path = rq->path, .body = rq->body.p, .body_len = rq->body.len};
    client_addr(conn, addr);
    req.addr = addr;
    req.authorization = header(conn, MHD_HTTP_HEADER_AUTHORIZATION);
    req.cookie = header(conn, MHD_HTTP_HEADER_COOKIE);
    req.csrf = header(conn, "X-Yishi-CSRF");
    req.origin = header(conn, "Origin");
    req.host = header(conn, MHD_HTTP_HEADER_HOST);
    req.last_event_id = header(conn, "Last-Event-ID");
    MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect_arg, &req);
    /* Read whole: from here on the server is the one that is late. A request read after its connection
     * was cut (a busy server reads late what the client sent in time) is dropped unread: a ballot cast on
     * it could never be acknowledged, and the client that sends it again must not find it cast. */
    if (!request_deadline(conn, false))
        return MHD_NO;
    /* the pages are the same for every session; each finds its session's API from its own address */
    bool elsewhere = !rq->target && !strncmp(rq->path, "/s/", 3); /* a session this service does not serve */
    if (!ys_web_is_api(rq->path) && !elsewhere)
        return send_page(rq, rq->path, method);
    if (!rq->target) {
        ys_srv_front_dispatch(rq->srv, &req, &resp);
        return send_resp(rq->srv, conn, &resp);
    }
    ys_srv_dispatch(rq->target, &req, &resp);
    if (resp.cmd)
        return start_command(rq, &resp);
    if (resp.stream)
        return send_stream(rq->target, conn, &resp);
    return send_resp(rq->srv, conn, &resp);
}

static enum MHD_Result too_large(request *rq)
{
    ys_srv_resp resp = {0};
    ys_srv_errorf(&resp, YS_TOO_LARGE, "body", "a request body is at most %zu bytes", rq->limit);
    return send_resp(rq->srv, rq->conn, &resp);
}

static enum MHD_Result refuse_head(request *rq, ys_rc rc, const char *field, const char *why)
{
    ys_srv_resp resp = {0};
    ys_srv_errorf(&resp, rc, field, "%s", why);
    return send_resp(rq->srv, rq->conn, &resp);
}

/* What is wrong with a request's head, checked before its body is read. libmicrohttpd leaves these to
 * us (it is not in its pedantic mode, and its memory is above our limit) so that the answer is JSON. A
 * chunked body is refused outright: libmicrohttpd would parse the chunks itself, and answer a bad one
 * with its own HTML. */
/* A connection over the limits is answered once, as JSON, and closed. */
static enum MHD_Result refuse_connection(request *rq, ys_peer_verdict v)
{
    ys_srv_resp resp = {0};
    const ys_serve_config *cfg = &rq->srv->cfg;
    if (v == YS_PEER_ADDRESS_FULL)
        ys_srv_errorf(&resp, YS_TOO_MANY_CONNECTIONS, NULL, "at most %u connections from one address "
                      "(--max-per-address)", cfg->max_per_address);
    else
        ys_srv_errorf(&resp, YS_SERVER_FULL, NULL, "the server holds its %u connections (--max-connections)",
                      cfg->max_connections);
    resp.retry_after = 5;
    resp.close = true;
    return send_resp(rq->srv, rq->conn, &resp);
}

static enum MHD_Result check_head(request *rq, const char *version)
{
    struct MHD_Connection *conn = rq->conn;
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE);
    const conn_ctx *cx = conn_of(conn);
    char why[96];
    if (!cx) /* out of memory at its start: it could be neither counted nor woken when resumed */
        return refuse_connection(rq, YS_PEER_SERVER_FULL);
    if (cx->verdict != YS_PEER_OK)
        return refuse_connection(rq, cx->verdict);
    if (ci && ci->header_size > rq->srv->cfg.max_header) {
        snprintf(why, sizeof why, "a request's line and headers are at most %zu bytes", rq->srv->cfg.max_header);
        return refuse_head(rq, YS_HEADERS_TOO_LARGE, "headers", why);
    }
    if (strcmp(version, MHD_HTTP_VERSION_1_0) != 0 && !header(conn, MHD_HTTP_HEADER_HOST))
        return refuse_head(rq, YS_INVALID, "Host", "an HTTP/1.1 request needs a Host header");
    if (header(conn, MHD_HTTP_HEADER_TRANSFER_ENCODING))
        return refuse_head(rq, YS_LENGTH_REQUIRED, "Transfer-Encoding",
                           "send a request body with Content-Length; chunked bodies are not taken");
    /* A body announced too large is refused before it is read. */
    if (rq->too_large)
        return too_large(rq);
    request_receiving(conn);
    return MHD_YES;
}

/* A trustee's shuffle of the write-ins carries every ballot's tuple re-encrypted with its proof: about 2.6 kB
 * a ballot at a hall's size (25 ciphertexts), 8 MB for 3,000 ballots, beyond the limit of any other body. */
#define YS_SHUFFLE_BODY_MAX (32u << 20)

static size_t body_limit(const ys_serve_config *cfg, const char *url, const char *method)
{
    size_t n = strlen(url);
    bool shuffle = !strcmp(method, "POST") && !strncmp(url, "/api/elections/", 15) && n > 9 &&
                   !strcmp(url + n - 9, "/shuffles");
    return shuffle && cfg->max_body < YS_SHUFFLE_BODY_MAX ? YS_SHUFFLE_BODY_MAX : cfg->max_body;
}

static request *new_request(ys_srv *srv, struct MHD_Connection *conn, const char *url, const char *method)
{
    request *rq = ys_calloc(1, sizeof *rq);
    if (!rq)
        return NULL;
    rq->srv = srv;
    rq->conn = conn;
    rq->path = url;
    rq->target = ys_srv_session_of(srv, url, &rq->path);
    rq->limit = body_limit(&srv->cfg, rq->path, method);
    ys_buf_init(&rq->body, rq->limit);
    const char *cl = header(conn, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (cl && strtoull(cl, NULL, 10) > rq->limit)
        rq->too_large = true;
    conn_ctx *cx = conn_of(conn);
    rq->nul_in_url = cx && cx->nul_in_url;
    atomic_fetch_add(&srv->in_flight, 1);
    return rq;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
    ys_srv *srv = cls;
    request *rq = *con_cls;
    if (!rq) {
        if (!(*con_cls = rq = new_request(srv, conn, url, method)))
            return MHD_NO;
        return check_head(rq, version);
    }
    if (rq->cmd)
        return atomic_load(&rq->cmd_done) ? finish_command(rq) : MHD_YES;
    if (*upload_size) {
        ys_rc rc = rq->too_large ? YS_OK : ys_buf_add(&rq->body, upload, *upload_size);
        if (rc == YS_NOMEM)
            return MHD_NO;
        if (rc == YS_TOO_LARGE)
            rq->too_large = true;
        *upload_size = 0;
        return MHD_YES;
    }
    if (rq->too_large)
        return too_large(rq);
    return dispatch(rq, method);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode code)
{
    ys_srv *srv = cls;
    request *rq = *con_cls;
    (void)code;
    request_deadline(conn, true); /* a kept-alive connection has the same time for its next request */
    conn_ctx *cx = conn_of(conn);
    if (cx)
        cx->nul_in_url = false;
    if (!rq)
        return;
    ys_srv_cmd_free(rq->cmd); /* only when the client left while its command was answered */
    ys_buf_free(&rq->body);
    ys_free(rq);
    *con_cls = NULL;
    atomic_fetch_sub(&srv->in_flight, 1);
}

/* ---- the daemon ---- */

static ys_rc parse_listen(const char *listen, struct sockaddr_storage *ss, bool *v6, ys_err *err)
{
    char host[128];
    const char *colon = strrchr(listen, ':');
    memset(ss, 0, sizeof *ss);
    if (!colon || colon == listen || (size_t)(colon - listen) >= sizeof host)
        return ys_fail(err, YS_INVALID, "listen", "--listen takes HOST:PORT, e.g. 127.0.0.1:8080");
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || port < 0 || port > 65535 || colon[1] == '\0')
        return ys_fail(err, YS_INVALID, "listen", "the port in '%s' is not 0 to 65535", listen);
    snprintf(host, sizeof host, "%.*s", (int)(colon - listen), listen);
    *v6 = host[0] == '[';
    if (*v6) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
        host[strlen(host) - 1] = '\0';
        a->sin6_family = AF_INET6;
        a->sin6_port = htons((uint16_t)port);
        if (inet_pton(AF_INET6, host + 1, &a->sin6_addr) != 1)
            return ys_fail(err, YS_INVALID, "listen", "'%s' is not an IPv6 address", host + 1);
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)ss;
        a->sin_family = AF_INET;
        a->sin_port = htons((uint16_t)port);
        if (inet_pton(AF_INET, strcmp(host, "localhost") == 0 ? "127.0.0.1" : host, &a->sin_addr) != 1)
            return ys_fail(err, YS_INVALID, "listen", "'%s' is not an IPv4 address", host);
    }
    return YS_OK;
}

static void log_mhd(void *cls, const char *fmt, va_list ap)
{
    char msg[512];
    (void)cls;
    vsnprintf(msg, sizeof msg, fmt, ap);
    /* A live stream's client going away is how streams end; not worth a line each. */
    if (strstr(msg, "no longer available for sending"))
        return;
    ys_log(YS_LOG_WARNING, "libmicrohttpd: %s", msg);
}

static int socket_port(int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
        return -1;
    return ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                          : ((struct sockaddr_in *)&ss)->sin_port);
}

/* One daemon on its own descriptor of the listening socket (libmicrohttpd closes it when it stops), with
 * its share of the connections; NULL if libmicrohttpd would not start. */
static struct MHD_Daemon *start_daemon(ys_srv *srv, ys_http *h, unsigned n, int listen_fd, bool v6, bool tls)
{
    unsigned flags = MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ITC | MHD_USE_ERROR_LOG |
                     (v6 ? MHD_USE_IPv6 : 0) | (tls ? MHD_USE_TLS : 0);
    unsigned share = (ys_http_connections_held(&srv->cfg) + n - 1) / n;
    int fd = dup(listen_fd);
    /* The pair is asked for at each handshake, so that SIGHUP can replace it while the daemons run (tls.c). */
    struct MHD_OptionItem with_tls[] = {
        {tls ? MHD_OPTION_HTTPS_CERT_CALLBACK : MHD_OPTION_END, 0, (void *)ys_tls_retrieve},
        {MHD_OPTION_END, 0, NULL}};
    if (fd < 0)
        return NULL;
    return MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, srv, MHD_OPTION_EXTERNAL_LOGGER, log_mhd, NULL, MHD_OPTION_LISTEN_SOCKET, fd,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, h, MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
        MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
        MHD_OPTION_CONNECTION_LIMIT, share, MHD_OPTION_CONNECTION_TIMEOUT, srv->cfg.idle_timeout,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)MHD_POOL_PER_HEAD * srv->cfg.max_header, MHD_OPTION_ARRAY, with_tls,
        MHD_OPTION_END);
}

ys_rc ys_http_start(ys_srv *srv, bool tls, ys_http **out, ys_err *err)
{
    struct sockaddr_storage ss;
    bool v6 = false;
    ys_rc rc = parse_listen(srv->cfg.listen, &ss, &v6, err);
    unsigned n = srv->cfg.threads ? srv->cfg.threads : 1;
    ys_http *h = NULL;
    int fd = -1;
    *out = NULL;
    if (rc)
        return rc;
    if (!(h = ys_calloc(1, sizeof *h)) || !(h->deadlines = ys_deadlines_new(srv->request_timeout)) ||
        !(h->peers = ys_peers_new(srv->cfg.max_connections, srv->cfg.max_per_address)) ||
        !(h->daemons = ys_calloc(n, sizeof *h->daemons))) {
        rc = ys_fail(err, YS_NOMEM, NULL, "out of memory starting HTTP");
        goto out;
    }
    h->tls = tls;
    h->srv = srv;
    if ((fd = ys_listen_on(&ss, srv->cfg.listen, err)) < 0) {
        rc = YS_IO;
        goto out;
    }
    h->port = socket_port(fd);
    for (; h->n_daemons < n; h->n_daemons++)
        if (!(h->daemons[h->n_daemons] = start_daemon(srv, h, n, fd, v6, tls))) {
            rc = ys_fail(err, YS_IO, "listen", "cannot listen on %s: libmicrohttpd could not start (see its "
                         "message above)", srv->cfg.listen);
            goto out;
        }
    rc = ys_loops_start(h->daemons, n, &h->loops, err);
out:
    if (fd >= 0)
        close(fd); /* each daemon holds a descriptor of the socket of its own */
    if (rc)
        ys_http_stop(h);
    else
        *out = h;
    return rc;
}

unsigned ys_http_connections_held(const ys_serve_config *cfg)
{
    return cfg->max_connections + REFUSAL_ROOM;
}

int ys_http_port(ys_http *h)
{
    return h->port;
}

size_t ys_http_cut(ys_http *h)
{
    return ys_deadlines_cut(h->deadlines);
}

size_t ys_http_refuse_unread(ys_http *h)
{
    ys_srv_resp resp = {0};
    char head[256], *reply = NULL, *body;
    ys_srv_errorf(&resp, YS_UNAVAILABLE, NULL, "the server is shutting down; send it again soon");
    body = resp.json ? ys_json_dumps(resp.json, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    size_t n = 0, blen = body ? strlen(body) : 0;
    int hlen = snprintf(head, sizeof head, "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json; "
                        "charset=utf-8\r\nContent-Length: %zu\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
                        blen);
    /* Over TLS the reply would have to be encrypted by the connection's own thread: those are only closed. */
    if (body && !h->tls && (reply = ys_malloc((size_t)hlen + blen))) {
        memcpy(reply, head, (size_t)hlen);
        memcpy(reply + hlen, body, blen);
    }
    n = ys_deadlines_refuse_receiving(h->deadlines, reply, reply ? (size_t)hlen + blen : 0);
    ys_free(reply);
    ys_free(body);
    ys_srv_resp_free(&resp);
    return n;
}

void ys_http_quiesce(ys_http *h)
{
    for (unsigned i = 0; i < h->n_daemons; i++) {
        int fd = h->daemons[i] ? MHD_quiesce_daemon(h->daemons[i]) : -1;
        if (fd >= 0)
            close(fd);
    }
}

void ys_http_stop(ys_http *h)
{
    if (!h)
        return;
    ys_loops_stop(h->loops); /* the threads first: a daemon is stopped by the thread that stops it */
    for (unsigned i = 0; h->daemons && i < h->n_daemons; i++)
        if (h->daemons[i])
            MHD_stop_daemon(h->daemons[i]);
    ys_free(h->daemons);
    ys_deadlines_free(h->deadlines); /* after the daemons: their connections are closed and reported by now */
    ys_peers_free(h->peers);
    ys_free(h);
}
