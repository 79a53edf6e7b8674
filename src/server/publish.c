/* publish.c — the public board at internet scale: every frame of the public stream, byte for byte as
 * yishi sends it, published to an nchan channel that nginx fans out, and the seq → nchan id lookup. */
#include "server/publish.h"
#include "server/log.h"

#include "yishi/alloc.h"
#include "yishi/buf.h"
#include "yishi/number.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* nchan numbers its messages itself ("TIME:TAG": the second it got one, and which of that second's), and
 * an HTTP publisher cannot choose them. So the frames go out through nchan's raw stream with yishi's own
 * `id: SEQ` lines, and a watcher who comes back with Last-Event-ID: SEQ is resumed at the nchan message
 * this table names. It never holds more than nchan still has (the count nchan gives with every publish). */
#define MAP_CAP 4096
#define FRAME_MAX (4u << 20)     /* as a stream client's buffer: a block this long is not one frame */
#define BACKOFF_MAX_MS 2000
#define FLUSH_SECONDS 3          /* how long stopping waits for nchan to take what is pending */

typedef struct map_entry {
    int64_t seq;
    char id[48];                 /* nchan's message id, "TIME:TAG" */
} map_entry;

struct ys_nchan {
    ys_srv *srv;
    pthread_t thread;
    bool started;
    pthread_mutex_t lock;        /* guards what follows, up to the thread's own part */
    pthread_cond_t cv;
    bool woken, stop;
    time_t stop_by;
    map_entry *map;              /* a ring of MAP_CAP, oldest at start */
    size_t start, n;
    int64_t upto;                /* nchan has every public frame up to this seq (-1: not known yet) */
    struct MHD_Daemon *lookup;
    /* The thread's own. */
    CURL *curl;
    bool curl_ready;             /* curl_global_init succeeded */
    struct curl_slist *headers;
    ys_sse_client *client;       /* a client of the public audience on the hub, like any watcher's */
    ys_buf in;                   /* stream text not yet cut into blocks */
    ys_buf reply;                /* nchan's answer */
    char etag[24];               /* of the last GET: the tag of nchan's message id */
};

/* ---- the map from our seq to nchan's ids ---- */

static void map_add(ys_nchan *n, int64_t seq, const char *id, long kept)
{
    if (n->n == MAP_CAP) {
        n->start = (n->start + 1) % MAP_CAP;
        n->n--;
    }
    map_entry *e = &n->map[(n->start + n->n) % MAP_CAP];
    e->seq = seq;
    snprintf(e->id, sizeof e->id, "%s", id);
    n->n++;
    for (; kept > 0 && n->n > (size_t)kept; n->n--)
        n->start = (n->start + 1) % MAP_CAP;
}

/* The nchan id after which a watcher who has seen `seq` goes on: the last frame published at or before it.
 * Not known when older than what nchan still holds, or newer than what it has yet. */
static bool map_find(ys_nchan *n, int64_t seq, char id[48])
{
    bool found = false;
    pthread_mutex_lock(&n->lock);
    if (n->n && seq <= n->upto && seq >= n->map[n->start].seq)
        for (size_t i = n->n; i-- > 0 && !found;) {
            const map_entry *e = &n->map[(n->start + i) % MAP_CAP];
            if (e->seq <= seq) {
                memcpy(id, e->id, sizeof e->id);
                found = true;
            }
        }
    pthread_mutex_unlock(&n->lock);
    return found;
}

static int64_t map_last_seq(ys_nchan *n)
{
    return n->n ? n->map[(n->start + n->n - 1) % MAP_CAP].seq : -1;
}

/* ---- talking to nchan's publisher location ---- */

static size_t on_body(char *p, size_t size, size_t k, void *ud)
{
    ys_nchan *n = ud;
    return ys_buf_add(&n->reply, p, size * k) ? 0 : size * k;
}

static size_t on_header(char *p, size_t size, size_t k, void *ud)
{
    ys_nchan *n = ud;
    size_t len = size * k;
    if (len > 6 && strncasecmp(p, "Etag: ", 6) == 0 && len - 6 < sizeof n->etag) {
        memcpy(n->etag, p + 6, len - 6);
        n->etag[strcspn(n->etag, "\r\n")] = '\0';
    }
    return len;
}

/* One request to the publisher location; its status, or 0 when nchan could not be reached. */
static long request(ys_nchan *n, const char *body, size_t len)
{
    long status = 0;
    ys_buf_free(&n->reply);
    ys_buf_init(&n->reply, 1u << 16);
    n->etag[0] = '\0';
    if (body) {
        curl_easy_setopt(n->curl, CURLOPT_POST, 1L);
        curl_easy_setopt(n->curl, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(n->curl, CURLOPT_POSTFIELDSIZE, (long)len);
    } else {
        curl_easy_setopt(n->curl, CURLOPT_HTTPGET, 1L);
    }
    if (curl_easy_perform(n->curl) == CURLE_OK)
        curl_easy_getinfo(n->curl, CURLINFO_RESPONSE_CODE, &status);
    return status;
}

/* Publishes one block; nchan answers with the message's id and how many messages the channel keeps. */
static ys_rc publish(ys_nchan *n, int64_t seq, const char *text, size_t len)
{
    long status = request(n, text, len);
    json_t *reply = status == 201 || status == 202 ? json_loads(n->reply.p ? n->reply.p : "", 0, NULL) : NULL;
    const char *id = json_string_value(json_object_get(reply, "last_message_id"));
    json_int_t kept = json_integer_value(json_object_get(reply, "messages"));
    if (id) {
        pthread_mutex_lock(&n->lock);
        map_add(n, seq, id, (long)kept);
        n->upto = seq;
        pthread_mutex_unlock(&n->lock);
    }
    json_decref(reply);
    return id ? YS_OK : YS_UNAVAILABLE;
}

/* Where to go on from, asked of nchan after every start and every failure: the seq of the last block it
 * holds (a frame or a heartbeat, which carries the seq it follows), so that nothing is sent twice and
 * nothing committed while nchan was away is skipped. An empty channel (nginx started afresh) goes on from
 * what this process published last, or from now. */
static ys_rc resume_point(ys_nchan *n, int64_t *after)
{
    long status = request(n, NULL, 0), when = 0;
    long long seq = -1;
    if (status != 200 && status != 304 && status != 404)
        return YS_UNAVAILABLE;
    if (status == 200 && n->reply.p && strncmp(n->reply.p, "id: ", 4) == 0)
        seq = strtoll(n->reply.p + 4, NULL, 10);
    curl_easy_getinfo(n->curl, CURLINFO_FILETIME, &when);
    const ys_session *s = ys_srv_read_begin(n->srv);
    bool ours = seq >= 0 && seq <= s->seq; /* a later seq is another session's channel */
    ys_srv_read_end(n->srv);
    pthread_mutex_lock(&n->lock);
    if (!ours || seq < map_last_seq(n))
        n->n = 0; /* nchan lost what it had, or holds something else: none of our ids is its any more */
    if (ours && seq > map_last_seq(n) && when > 0 && n->etag[0]) {
        char id[48]; /* a publish whose answer did not come back, or the last of an earlier run */
        snprintf(id, sizeof id, "%ld:%s", when, n->etag);
        map_add(n, seq, id, 0);
    }
    if (ours)
        n->upto = seq;
    *after = n->upto;
    pthread_mutex_unlock(&n->lock);
    if (!ours && seq >= 0)
        ys_log(YS_LOG_WARNING, "nchan's channel ends at event %lld, past this session's end: publishing "
                        "from here on, after it", seq);
    return YS_OK;
}

/* ---- cutting the stream into blocks ---- */

/* A frame ("id: SEQ\n…\n\n") goes out as it is. The hub's heartbeat goes out too, with the seq it follows
 * as its id: nchan sends nothing of its own on a raw stream, so this keeps watchers' connections alive,
 * and a watcher who has seen no frame yet learns where to resume. The greeting only moves `upto`. */
static ys_rc publish_block(ys_nchan *n, const char *text, size_t len)
{
    const char *hello = strstr(text, ": yishi live events after ");
    char beat[64];
    int64_t upto;
    if (strncmp(text, "id: ", 4) == 0)
        return publish(n, strtoll(text + 4, NULL, 10), text, len);
    if (hello >= text + len)
        hello = NULL; /* a later block's */
    pthread_mutex_lock(&n->lock);
    if (hello)
        n->upto = strtoll(hello + strlen(": yishi live events after "), NULL, 10);
    upto = n->upto;
    pthread_mutex_unlock(&n->lock);
    if (hello || upto < 0)
        return YS_OK;
    int k = snprintf(beat, sizeof beat, "id: %lld\n: heartbeat\n\n", (long long)upto);
    return publish(n, upto, beat, (size_t)k);
}

/* Publishes every whole block read so far and keeps the rest for the next read. */
static ys_rc publish_blocks(ys_nchan *n)
{
    size_t used = 0;
    const char *end;
    while ((end = strstr(n->in.p + used, "\n\n"))) {
        size_t len = (size_t)(end + 2 - (n->in.p + used));
        ys_rc rc = publish_block(n, n->in.p + used, len);
        if (rc)
            return rc;
        used += len;
    }
    memmove(n->in.p, n->in.p + used, n->in.len - used + 1);
    n->in.len -= used; /* the buffer's own content, shortened in place: its memory and max stay */
    return YS_OK;
}

/* ---- the thread ---- */

static void on_suspend(void *ud)
{
    ys_nchan *n = ud;
    pthread_mutex_lock(&n->lock);
    n->woken = false;
    pthread_mutex_unlock(&n->lock);
}

static void on_resume(void *ud)
{
    ys_nchan *n = ud;
    pthread_mutex_lock(&n->lock);
    n->woken = true;
    pthread_cond_signal(&n->cv);
    pthread_mutex_unlock(&n->lock);
}

/* Waits until the hub has more for us; false when stopping and there is nothing more. */
static bool wait_more(ys_nchan *n)
{
    pthread_mutex_lock(&n->lock);
    while (!n->woken && !n->stop)
        pthread_cond_wait(&n->cv, &n->lock);
    bool more = n->woken;
    pthread_mutex_unlock(&n->lock);
    return more;
}

/* Waits `ms` before trying nchan again; false when stopping (what nchan has not taken then stays in the
 * file, and the next start publishes it). */
static bool wait_retry(ys_nchan *n, unsigned ms)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += ms / 1000;
    until.tv_nsec += (long)(ms % 1000) * 1000000;
    if (until.tv_nsec >= 1000000000) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000;
    }
    pthread_mutex_lock(&n->lock);
    while (!n->stop && pthread_cond_timedwait(&n->cv, &n->lock, &until) != ETIMEDOUT)
        ;
    bool go_on = !n->stop;
    pthread_mutex_unlock(&n->lock);
    return go_on;
}

static bool past_flush(ys_nchan *n)
{
    pthread_mutex_lock(&n->lock);
    bool past = n->stop && time(NULL) >= n->stop_by;
    pthread_mutex_unlock(&n->lock);
    return past;
}

static void drop_client(ys_nchan *n)
{
    ys_sse_detach(n->client);
    n->client = NULL;
    ys_buf_free(&n->in);
    ys_buf_init(&n->in, FRAME_MAX);
}

static bool attach(ys_nchan *n)
{
    int64_t after;
    if (resume_point(n, &after))
        return false;
    n->client = ys_sse_attach(n->srv->hub, (ys_viewer){YS_AUTH_OBSERVER, 0}, after, -1, false);
    return n->client != NULL;
}

/* One step: attach, or read what the hub has for us and publish it. False when it failed. */
static bool step(ys_nchan *n, bool *idle)
{
    char chunk[16384];
    *idle = false;
    if (!n->client)
        return attach(n);
    long got = ys_sse_read(n->client, chunk, sizeof chunk, on_suspend, on_resume, n);
    if (got < 0) { /* cut for falling behind, or closed at shutdown: attaching again resumes after upto */
        drop_client(n);
        return true;
    }
    if (got == 0) {
        *idle = true;
        return true;
    }
    if (ys_buf_add(&n->in, chunk, (size_t)got) || publish_blocks(n)) {
        drop_client(n);
        return false;
    }
    return true;
}

static void *publish_main(void *ud)
{
    ys_nchan *n = ud;
    unsigned backoff = 0;
    for (;;) {
        bool idle;
        if (step(n, &idle)) {
            backoff = 0;
            if (idle ? !wait_more(n) : past_flush(n))
                break;
            continue;
        }
        if (!backoff)
            ys_log(YS_LOG_WARNING, "nchan at %s does not take the board's frames; retrying",
                    n->srv->cfg.nchan_publish);
        backoff = backoff ? (backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : backoff * 2) : 100;
        if (!wait_retry(n, backoff))
            break;
    }
    drop_client(n);
    return NULL;
}

/* ---- the lookup nginx asks before it resumes a watcher ---- */

/* GET /?after=SEQ: 200 with X-Nchan-Message-Id (nchan goes on after that message), or 404 when nchan no
 * longer has, or does not yet have, what follows SEQ; nginx then sends that watcher to yishi's own stream,
 * which reads the events back from the file. Loopback only: it is nginx's, not the internet's. */
static enum MHD_Result on_lookup(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                 const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
    ys_nchan *n = cls;
    const char *after = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "after");
    long long seq;
    char id[48];
    (void)url, (void)version, (void)upload, (void)upload_size, (void)con_cls;
    bool found = strcmp(method, "GET") == 0 && after &&
                 !ys_int_text(after, "after", 0, YS_SEQ_MAX, YS_INVALID, &seq, NULL) && map_find(n, seq, id);
    struct MHD_Response *r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    if (!r)
        return MHD_NO;
    if (found)
        MHD_add_response_header(r, "X-Nchan-Message-Id", id);
    /* The answer for a seq holds as long as nchan's memory does, which board-nchan clears with nginx's cache;
     * thousands of watchers coming back with one id after a blip then cost one lookup. */
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, found ? "max-age=7200" : "no-store");
    enum MHD_Result ok = MHD_queue_response(conn, found ? MHD_HTTP_OK : MHD_HTTP_NOT_FOUND, r);
    MHD_destroy_response(r);
    return ok;
}

static ys_rc start_lookup(ys_nchan *n, unsigned port, ys_err *err)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    n->lookup = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO, (uint16_t)port, NULL, NULL,
                                 on_lookup, n, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
                                 MHD_OPTION_CONNECTION_LIMIT, 256u, MHD_OPTION_CONNECTION_TIMEOUT, 30u,
                                 MHD_OPTION_END);
    if (!n->lookup)
        return ys_fail(err, YS_IO, "nchan-resume-port", "--nchan-resume-port %u: cannot listen on 127.0.0.1:%u "
                       "(in use?)", port, port);
    return YS_OK;
}

/* ---- start and stop ---- */

static ys_rc open_curl(ys_nchan *n, ys_err *err)
{
    if (curl_global_init(CURL_GLOBAL_DEFAULT))
        return ys_fail(err, YS_NOMEM, "nchan-publish", "cannot start libcurl for the nchan publisher");
    n->curl_ready = true;
    if (!(n->curl = curl_easy_init()))
        return ys_fail(err, YS_NOMEM, "nchan-publish", "out of memory for the nchan publisher");
    n->headers = curl_slist_append(NULL, "Accept: text/json");
    n->headers = curl_slist_append(n->headers, "Content-Type: text/event-stream; charset=utf-8");
    curl_easy_setopt(n->curl, CURLOPT_URL, n->srv->cfg.nchan_publish);
    curl_easy_setopt(n->curl, CURLOPT_HTTPHEADER, n->headers);
    curl_easy_setopt(n->curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(n->curl, CURLOPT_WRITEDATA, n);
    curl_easy_setopt(n->curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(n->curl, CURLOPT_HEADERDATA, n);
    curl_easy_setopt(n->curl, CURLOPT_FILETIME, 1L);
    curl_easy_setopt(n->curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(n->curl, CURLOPT_CONNECTTIMEOUT_MS, 2000L);
    curl_easy_setopt(n->curl, CURLOPT_TIMEOUT_MS, 5000L);
    curl_easy_setopt(n->curl, CURLOPT_PROTOCOLS_STR, "http,https");
    return n->headers ? YS_OK : ys_fail(err, YS_NOMEM, "nchan-publish", "out of memory for the nchan publisher");
}

ys_rc ys_nchan_start(ys_srv *srv, ys_nchan **out, ys_err *err)
{
    ys_nchan *n = ys_calloc(1, sizeof *n);
    ys_rc rc;
    *out = NULL;
    if (!n || !(n->map = ys_calloc(MAP_CAP, sizeof *n->map))) {
        ys_free(n);
        return ys_fail(err, YS_NOMEM, "nchan-publish", "out of memory for the nchan publisher");
    }
    n->srv = srv;
    n->upto = -1;
    pthread_mutex_init(&n->lock, NULL);
    pthread_cond_init(&n->cv, NULL);
    ys_buf_init(&n->in, FRAME_MAX);
    ys_buf_init(&n->reply, 1u << 16);
    if ((rc = open_curl(n, err)) ||
        (srv->cfg.nchan_resume_port && (rc = start_lookup(n, srv->cfg.nchan_resume_port, err))))
        goto fail;
    if (pthread_create(&n->thread, NULL, publish_main, n)) {
        rc = ys_fail(err, YS_NOMEM, "nchan-publish", "cannot start the nchan publisher's thread");
        goto fail;
    }
    n->started = true;
    *out = n;
    return YS_OK;
fail:
    ys_nchan_stop(n);
    return rc;
}

void ys_nchan_stop(ys_nchan *n)
{
    if (!n)
        return;
    pthread_mutex_lock(&n->lock);
    n->stop = true;
    n->stop_by = time(NULL) + FLUSH_SECONDS;
    pthread_cond_broadcast(&n->cv);
    pthread_mutex_unlock(&n->lock);
    if (n->started)
        pthread_join(n->thread, NULL);
    if (n->lookup)
        MHD_stop_daemon(n->lookup);
    curl_easy_cleanup(n->curl);
    curl_slist_free_all(n->headers);
    if (n->curl_ready)
        curl_global_cleanup();
    ys_buf_free(&n->in);
    ys_buf_free(&n->reply);
    pthread_mutex_destroy(&n->lock);
    pthread_cond_destroy(&n->cv);
    ys_free(n->map);
    ys_free(n);
}
