/* sse.c — the hub of live streams (Server-Sent Events): committed events rendered once per audience, a
 * ring of the recent ones for clients that reconnect with Last-Event-ID (older ones are read back from
 * the file), a buffer per client that its connection drains, and heartbeats that find dead clients. */
#include "server/server.h"

#include "yishi/alloc.h"
#include "yishi/buf.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#define CLIENT_MAX_BUFFER (4u << 20) /* a client this far behind is dropped; it may resume by id */

/* An event looks different to at most these audiences: what a viewer sees depends on their role and,
 * for a delegation secretary, on whether the event's secret is their own delegation's (view.c). */
enum { F_PUBLIC, F_SECRETARIAT, F_CHAIR, F_DSEC_OTHER, F_DSEC_OWN, N_FRAMES };

typedef struct ring_entry {
    int64_t seq;
    int owner;              /* the delegation the event's secret belongs to (ys_srv_event_owner) */
    char *text[N_FRAMES];   /* the frame per audience; NULL when hidden from it; equal frames shared */
} ring_entry;

struct ys_sse_client {
    ys_sse_hub *hub;
    ys_viewer audience;
    int fd;              /* its socket, to notice a client that has hung up; -1 if none */
    ys_buf out;          /* frames not yet read, from out.p + off */
    size_t off;
    bool suspended, closed;
    void (*resume)(void *);
    void *resume_ud;
    ys_sse_client *prev, *next;
};

struct ys_sse_hub {
    ys_srv *srv;
    pthread_mutex_t lock;
    ring_entry *ring;
    size_t cap, start, n;
    int64_t last_seq;    /* the last event published */
    ys_sse_client *clients;
    size_t n_clients;
    pthread_t heartbeat;
    pthread_cond_t stop_cv;
    bool stop, heartbeat_started;
};

/* "id: SEQ\nevent: TYPE\ndata: JSON\n\n", or NULL when the viewer may not see the event. */
static char *render(const ys_event *ev, const ys_viewer *v, int owner)
{
    json_t *view = ys_srv_event_view(ev, v, owner);
    if (!view)
        return NULL;
    char *data = ys_json_dumps(view, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(view);
    if (!data)
        return NULL;
    size_t n = strlen(data) + strlen(ev->type) + 64;
    char *frame = ys_malloc(n);
    if (frame)
        snprintf(frame, n, "id: %lld\nevent: %s\ndata: %s\n\n", (long long)ev->seq, ev->type, data);
    ys_free(data);
    return frame;
}

/* Appends to a client's buffer; a client too far behind is closed instead. Under the hub's lock. */
static void client_append(ys_sse_client *c, const char *text)
{
    size_t n = strlen(text);
    if (c->closed)
        return;
    if (c->off && c->off == c->out.len) {
        ys_buf_reset(&c->out);
        c->off = 0;
    }
    if (ys_buf_add(&c->out, text, n))
        c->closed = true;
}

static void client_wake(ys_sse_client *c)
{
    if (c->suspended) {
        c->suspended = false;
        c->resume(c->resume_ud);
    }
}

static int frame_of(const ys_viewer *v, int owner)
{
    switch (v->role) {
    case YS_AUTH_SECRETARIAT: return F_SECRETARIAT;
    case YS_AUTH_CHAIR: return F_CHAIR;
    case YS_AUTH_DELEGATION_SECRETARY: return owner > 0 && v->delegation == owner ? F_DSEC_OWN : F_DSEC_OTHER;
    default: return F_PUBLIC;
    }
}

/* Each audience's frame of an event; one that equals an earlier one is that one, shared. */
static void render_frames(const ys_event *ev, int owner, char *text[N_FRAMES])
{
    const ys_viewer as[N_FRAMES] = {[F_PUBLIC] = {YS_AUTH_OBSERVER, 0}, [F_SECRETARIAT] = {YS_AUTH_SECRETARIAT, 0},
                                    [F_CHAIR] = {YS_AUTH_CHAIR, 0}, [F_DSEC_OTHER] = {YS_AUTH_DELEGATION_SECRETARY, -1},
                                    [F_DSEC_OWN] = {YS_AUTH_DELEGATION_SECRETARY, owner}};
    for (int i = 0; i < N_FRAMES; i++) {
        text[i] = render(ev, &as[i], owner);
        for (int k = 0; k < i && text[i]; k++)
            if (text[k] && strcmp(text[k], text[i]) == 0) {
                ys_free(text[i]);
                text[i] = text[k];
                break;
            }
    }
}

static void frames_free(char *text[N_FRAMES])
{
    for (int i = N_FRAMES - 1; i >= 0; i--) {
        bool shared = false;
        for (int k = 0; k < i; k++)
            shared |= text[k] == text[i];
        if (!shared)
            ys_free(text[i]);
        text[i] = NULL; /* from the last: the earlier ones it is compared with are still set */
    }
}

/* Whose the event's secret is, read from the state (which only ever grows, so it knows the event). */
static int owner_of(ys_sse_hub *h, const ys_event *ev)
{
    const ys_session *s = ys_srv_read_begin(h->srv);
    int owner = ys_srv_event_owner(s, ev);
    ys_srv_read_end(h->srv);
    return owner;
}

static void ring_push(ys_sse_hub *h, int64_t seq, int owner, char *text[N_FRAMES])
{
    if (h->n == h->cap) {
        frames_free(h->ring[h->start].text);
        h->start = (h->start + 1) % h->cap;
        h->n--;
    }
    ring_entry *e = &h->ring[(h->start + h->n) % h->cap];
    e->seq = seq;
    e->owner = owner;
    memcpy(e->text, text, sizeof e->text);
    h->n++;
    h->last_seq = seq;
}

static ys_rc publish_one(const ys_event *ev, void *ud, ys_err *err)
{
    ys_sse_hub *h = ud;
    char *text[N_FRAMES];
    int owner = owner_of(h, ev);
    (void)err;
    render_frames(ev, owner, text);
    pthread_mutex_lock(&h->lock);
    for (ys_sse_client *c = h->clients; c; c = c->next) {
        const char *t = text[frame_of(&c->audience, owner)];
        if (t) {
            client_append(c, t);
            client_wake(c);
        }
    }
    ring_push(h, ev->seq, owner, text);
    pthread_mutex_unlock(&h->lock);
    return YS_OK;
}

void ys_sse_publish_batch(ys_sse_hub *hub, const ys_event *evs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        publish_one(&evs[i], hub, NULL);
}

/* ---- attaching: what a reconnecting client missed ---- */

typedef struct catch_up {
    ys_sse_client *c;
    int64_t upto;
} catch_up;

static ys_rc catch_up_one(const ys_event *ev, void *ud, ys_err *err)
{
    catch_up *cu = ud;
    (void)err;
    if (ev->seq > cu->upto)
        return YS_CONFLICT; /* the ring has the rest */
    char *t = render(ev, &cu->c->audience, owner_of(cu->c->hub, ev));
    if (t) {
        pthread_mutex_lock(&cu->c->hub->lock);
        client_append(cu->c, t);
        pthread_mutex_unlock(&cu->c->hub->lock);
        ys_free(t);
    }
    return YS_OK;
}

/* Events (after, upto] from the file, on a read-only connection of this thread's own. */
static void read_back(ys_sse_client *c, int64_t after, int64_t upto)
{
    ys_store *st = NULL;
    catch_up cu = {c, upto};
    const char *file = c->hub->srv->cfg.file;
    if (file && !ys_store_open(file, YS_STORE_READONLY, &st, NULL))
        ys_store_scan(st, after, catch_up_one, &cu, NULL);
    ys_store_close(st);
}

ys_sse_client *ys_sse_attach(ys_sse_hub *h, ys_viewer audience, int64_t after, int fd)
{
    ys_sse_client *c = ys_calloc(1, sizeof *c);
    char hello[96];
    if (!c)
        return NULL;
    c->hub = h;
    c->audience = audience;
    c->fd = fd;
    ys_buf_init(&c->out, CLIENT_MAX_BUFFER);
    pthread_mutex_lock(&h->lock);
    snprintf(hello, sizeof hello, "retry: 3000\n: yishi live events after %lld\n\n",
             (long long)(after >= 0 ? after : h->last_seq));
    client_append(c, hello);
    for (;;) {
        int64_t oldest = h->n ? h->ring[h->start].seq : h->last_seq + 1;
        if (after < 0 || after + 1 >= oldest || after >= h->last_seq)
            break;
        /* Older than the ring: read them back from the file, then look at the ring again, which may have
         * moved on meanwhile. */
        pthread_mutex_unlock(&h->lock);
        read_back(c, after, oldest - 1);
        after = oldest - 1;
        pthread_mutex_lock(&h->lock);
    }
    for (size_t i = 0; after >= 0 && i < h->n; i++) {
        const ring_entry *e = &h->ring[(h->start + i) % h->cap];
        const char *t = e->text[frame_of(&audience, e->owner)];
        if (e->seq > after && t)
            client_append(c, t);
    }
    c->next = h->clients;
    if (h->clients)
        h->clients->prev = c;
    h->clients = c;
    h->n_clients++;
    pthread_mutex_unlock(&h->lock);
    return c;
}

long ys_sse_read(ys_sse_client *c, char *buf, size_t max, void (*suspend)(void *), void (*resume)(void *),
                 void *ud)
{
    ys_sse_hub *h = c->hub;
    long n = 0;
    pthread_mutex_lock(&h->lock);
    if (c->out.len > c->off) {
        size_t k = c->out.len - c->off < max ? c->out.len - c->off : max;
        memcpy(buf, c->out.p + c->off, k);
        c->off += k;
        n = (long)k;
    } else if (c->closed) {
        n = -1;
    } else {
        /* Suspended under the lock, so that a publisher who sees `suspended` resumes after this. */
        c->suspended = true;
        c->resume = resume;
        c->resume_ud = ud;
        suspend(ud);
    }
    pthread_mutex_unlock(&h->lock);
    return n;
}

void ys_sse_detach(ys_sse_client *c)
{
    if (!c)
        return;
    ys_sse_hub *h = c->hub;
    pthread_mutex_lock(&h->lock);
    if (c->prev)
        c->prev->next = c->next;
    else if (h->clients == c)
        h->clients = c->next;
    if (c->next)
        c->next->prev = c->prev;
    h->n_clients--;
    pthread_mutex_unlock(&h->lock);
    ys_buf_free(&c->out);
    ys_free(c);
}

void ys_sse_close_all(ys_sse_hub *h)
{
    pthread_mutex_lock(&h->lock);
    for (ys_sse_client *c = h->clients; c; c = c->next) {
        c->closed = true;
        client_wake(c);
    }
    pthread_mutex_unlock(&h->lock);
}

size_t ys_sse_clients(ys_sse_hub *h)
{
    pthread_mutex_lock(&h->lock);
    size_t n = h->n_clients;
    pthread_mutex_unlock(&h->lock);
    return n;
}

/* ---- heartbeats ---- */

/* An end of file waiting on the socket: the client has hung up (or half-closed, which a live stream's
 * client never does while it still listens). libmicrohttpd does not read while it sends a response, so it
 * would not see this itself; peeking takes nothing from the socket. */
static bool hung_up(const ys_sse_client *c)
{
    char b;
    return c->fd >= 0 && recv(c->fd, &b, 1, MSG_PEEK | MSG_DONTWAIT) == 0;
}

/* A comment line now and then: proxies keep the stream open, and a client that has gone away makes the
 * write fail (at once, or once the kernel gives up on its acknowledgements, see http.c), so that its
 * connection is closed and dropped from the hub. A client that hung up is ended without a write. */
static void *heartbeat_main(void *ud)
{
    ys_sse_hub *h = ud;
    pthread_mutex_lock(&h->lock);
    while (!h->stop) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += h->srv->cfg.heartbeat;
        if (pthread_cond_timedwait(&h->stop_cv, &h->lock, &until) != ETIMEDOUT)
            continue;
        for (ys_sse_client *c = h->clients; c; c = c->next) {
            if (hung_up(c))
                c->closed = true;
            client_append(c, ": heartbeat\n\n");
            client_wake(c);
        }
    }
    pthread_mutex_unlock(&h->lock);
    return NULL;
}

ys_rc ys_sse_hub_new(ys_srv *srv, ys_sse_hub **out, ys_err *err)
{
    ys_sse_hub *h = ys_calloc(1, sizeof *h);
    *out = NULL;
    if (!h || !(h->ring = ys_calloc(srv->cfg.ring ? srv->cfg.ring : 1, sizeof *h->ring))) {
        ys_free(h);
        return ys_fail(err, YS_NOMEM, NULL, "out of memory for the live streams");
    }
    h->srv = srv;
    h->cap = srv->cfg.ring ? srv->cfg.ring : 1;
    h->last_seq = srv->journal ? srv->journal->session->seq : srv->memory ? srv->memory->seq : 0;
    pthread_mutex_init(&h->lock, NULL);
    pthread_cond_init(&h->stop_cv, NULL);
    if (pthread_create(&h->heartbeat, NULL, heartbeat_main, h) == 0)
        h->heartbeat_started = true;
    *out = h;
    return YS_OK;
}

void ys_sse_hub_free(ys_sse_hub *h)
{
    if (!h)
        return;
    pthread_mutex_lock(&h->lock);
    h->stop = true;
    pthread_cond_broadcast(&h->stop_cv);
    pthread_mutex_unlock(&h->lock);
    if (h->heartbeat_started)
        pthread_join(h->heartbeat, NULL);
    for (size_t i = 0; i < h->n; i++)
        frames_free(h->ring[(h->start + i) % h->cap].text);
    ys_free(h->ring);
    pthread_mutex_destroy(&h->lock);
    pthread_cond_destroy(&h->stop_cv);
    ys_free(h);
}
