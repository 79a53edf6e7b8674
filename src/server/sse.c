/* sse.c — the hub of live streams (Server-Sent Events): each committed batch rendered on the hub's own
 * thread once per audience into a shared chunk, written by the hub itself to every waiting plain socket. */
#include "server/server.h"

#include "yishi/alloc.h"
#include "yishi/buf.h"
#include "yishi/poll.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>

#define QUEUE_MAX 64                  /* chunks a client may have waiting; one more and it is cut */
#define CLIENT_MAX_BEHIND (4u << 20)  /* bytes a client may be behind; more and it is cut */
#define PAGE_EVENTS 256               /* events per page read back from the file for a client resuming */
#define PAGE_CACHE 32                 /* pages kept rendered, for the many clients resuming from one id */
#define FLUSH_GAP_NS 50000000L        /* votes alone go out at most every 50 ms */

/* An event looks different to at most these audiences: observers and delegates (who see turnout, not
 * who voted), the secretariat, the chair, and a delegation secretary — who sees more of the events whose
 * secret is their own delegation's, rendered for that delegation apart (own_chunk). */
enum { A_PUBLIC, A_SECRETARIAT, A_CHAIR, A_DSEC, N_AUDIENCES };

/* Rendered stream text, shared by every client queueing it; freed by the last to let go. */
typedef struct chunk {
    atomic_int refs;
    bool fixed;                    /* a static chunk (the heartbeat): never freed */
    char *text;
    size_t len;
    struct frame_at {
        int64_t id;
        size_t off;
    } *frames;                     /* where each frame starts, by id: to resume inside a chunk */
    size_t n_frames;
} chunk;

/* An event handed over by the writer, with what the hub needs of the state it was committed to. */
typedef struct hub_event {
    ys_event ev;                   /* seq, time, type and a reference to the payload */
    int owner;                     /* whose its secret is (ys_srv_event_owner) */
    const struct vote_kind *vote;  /* a vote: shown as turnout to those who see no more; else NULL */
    int ballot;                    /* the poll or election it is a vote in */
    int voted;                     /* that one's turnout after this event; -1 unless last in its batch */
    bool last;                     /* the last vote in this ballot of what is rendered together */
} hub_event;

/* The events that say a delegate voted (those events.def shows as turnout). To those who see turnout
 * only, all of one poll's in a flush are one frame of the turnout after the last of them, under that
 * one's id. */
typedef struct vote_kind {
    const char *prefix, *turnout, *field;
} vote_kind;
static const vote_kind vote_kinds[] = {
    {"poll.", "poll.turnout", "poll"},
    {"election.", "election.turnout", "election"},
};

typedef struct batch {
    hub_event *evs;
    size_t n;
    bool urgent;                   /* holds more than votes: sent without waiting for the gap */
    struct batch *next;
} batch;

typedef struct own_chunk {
    int delegation;
    chunk *c;
} own_chunk;

/* What one pass of the hub's thread sent: events first..last, as each audience sees them. */
typedef struct flush {
    int64_t first, last;
    chunk *by[N_AUDIENCES];
    own_chunk *own;
    size_t n_own;
    struct flush *next;
} flush;

typedef struct page {
    int64_t index;                 /* events index*PAGE_EVENTS + 1 … (index+1)*PAGE_EVENTS */
    int audience, delegation;
    chunk *c;
    unsigned long used;
} page;

typedef struct queued {
    chunk *c;
    size_t off;
} queued;

struct ys_sse_client {
    ys_sse_hub *hub;
    ys_viewer audience;
    int fd;              /* its socket, to notice a client that has hung up and to cut one; -1 if none */
    bool may_send;       /* fd is a plain socket whose stream the hub may write itself (not TLS) */
    bool sending;        /* the hub writes to fd now; the reader (libmicrohttpd) is suspended and does not */
    queued q[QUEUE_MAX]; /* what it has not read yet, in order */
    size_t qhead, qn;
    size_t behind;       /* bytes of it */
    int64_t cursor;      /* every event up to this id is queued (or not the client's to see) */
    bool live;           /* fed by the hub's thread; else it catches up from the ring or the file */
    bool suspended, closed, cut;
    void (*resume)(void *);
    void *resume_ud;
    ys_sse_client *prev, *next;
};

struct ys_sse_hub {
    ys_srv *srv;
    /* The hand-off has a lock of its own, so that the writer never waits while the hub sends. */
    pthread_mutex_t handoff;       /* queue, urgent, stop */
    pthread_cond_t wake;
    batch *queue, *queue_tail;     /* handed over, not yet sent */
    bool urgent;
    pthread_mutex_t lock;          /* clients, their queues and sockets, the ring */
    flush *oldest, *newest;        /* the ring: the last cfg.ring events as sent */
    size_t ring_events;
    int64_t last_seq;              /* the last event sent */
    ys_sse_client *clients;
    size_t n_clients;
    struct timespec flushed_at, beat_at;
    pthread_t thread;
    bool stop, started;
    bool closing;                  /* ys_sse_close_all has run: a stream attached now ends at once */
    pthread_mutex_t file_lock;     /* the file read back for resuming clients, and its rendered pages */
    ys_store *file;
    page pages[PAGE_CACHE];
    unsigned long page_clock;
};

static chunk heartbeat_chunk = {.fixed = true, .text = ": heartbeat\n\n", .len = 13};

/* ---- chunks ---- */

static void chunk_unref(chunk *c)
{
    if (!c || c->fixed || atomic_fetch_sub(&c->refs, 1) != 1)
        return;
    ys_free(c->text);
    ys_free(c->frames);
    ys_free(c);
}

static chunk *chunk_ref(chunk *c)
{
    if (c && !c->fixed)
        atomic_fetch_add(&c->refs, 1);
    return c;
}

typedef struct builder {
    ys_buf text;
    struct frame_at *frames;
    size_t n, cap;
    bool failed;
} builder;

static void builder_frame(builder *b, int64_t id, const char *type, const json_t *view)
{
    char *data = view ? ys_json_dumps(view, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 16;
        struct frame_at *f = ys_realloc(b->frames, cap * sizeof *f);
        if (f) {
            b->frames = f;
            b->cap = cap;
        }
    }
    if (!data || b->n == b->cap) {
        b->failed = true;
    } else {
        b->frames[b->n++] = (struct frame_at){id, b->text.len};
        ys_buf_addf(&b->text, "id: %lld\nevent: %s\ndata: %s\n\n", (long long)id, type, data);
    }
    ys_free(data);
}

/* The chunk built, or NULL when it holds nothing (or memory ran out: the stream misses nothing for it,
 * as the clients it would have gone to are cut, see deliver). */
static chunk *builder_done(builder *b, bool *failed)
{
    chunk *c = NULL;
    size_t len = 0;
    *failed = b->failed || b->text.rc;
    if (!*failed && b->n && (c = ys_calloc(1, sizeof *c)) && (c->text = ys_buf_take(&b->text, &len))) {
        atomic_init(&c->refs, 1);
        c->len = len;
        c->frames = b->frames;
        c->n_frames = b->n;
        b->frames = NULL;
    } else if (c) {
        ys_free(c);
        c = NULL;
        *failed = true;
    }
    ys_buf_free(&b->text);
    ys_free(b->frames);
    return c;
}

/* A chunk of one text without frames (a client's greeting). */
static chunk *chunk_of_text(const char *text)
{
    chunk *c = ys_calloc(1, sizeof *c);
    size_t n = strlen(text);
    if (c && !(c->text = ys_malloc(n + 1))) {
        ys_free(c);
        return NULL;
    }
    if (c) {
        atomic_init(&c->refs, 1);
        memcpy(c->text, text, n + 1);
        c->len = n;
    }
    return c;
}

/* Where the first frame after `after` starts; c->len when there is none. */
static size_t offset_after(const chunk *c, int64_t after)
{
    size_t lo = 0, hi = c->n_frames;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->frames[mid].id <= after)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < c->n_frames ? c->frames[lo].off : c->len;
}

/* ---- rendering: one chunk per audience for events rendered together ---- */

static const vote_kind *vote_kind_of(const char *type)
{
    const ys_event_type *t = ys_event_type_of(type);
    if (!t || t->view != YS_VIEW_TURNOUT)
        return NULL;
    for (size_t i = 0; i < sizeof vote_kinds / sizeof vote_kinds[0]; i++)
        if (strncmp(type, vote_kinds[i].prefix, strlen(vote_kinds[i].prefix)) == 0)
            return &vote_kinds[i];
    return NULL;
}

/* Marks, for each ballot voted in, the last of its votes among evs. Past MAX_BALLOTS ballots in one
 * rendering a ballot may get more than one mark: more turnout frames, never a missing one. */
#define MAX_BALLOTS 16
typedef struct ballot_key {
    const char *kind;
    int ballot;
} ballot_key;

static void mark_last_votes(hub_event *evs, size_t n)
{
    ballot_key seen[MAX_BALLOTS];
    size_t n_seen = 0;
    for (size_t i = n; i-- > 0;) {
        hub_event *e = &evs[i];
        size_t k = 0;
        while (e->vote && k < n_seen && !(seen[k].kind == e->vote->turnout && seen[k].ballot == e->ballot))
            k++;
        e->last = e->vote && k == n_seen;
        if (e->last && n_seen < MAX_BALLOTS)
            seen[n_seen++] = (ballot_key){e->vote->turnout, e->ballot};
    }
}

static int turnout_in(const ys_session *s, const hub_event *e)
{
    if (strcmp(e->vote->field, "poll") == 0) {
        const ys_poll *p = ys_poll_get(s, e->ballot);
        return p ? p->voted : 0;
    }
    const ys_session_election *el = ys_session_election_get(s, e->ballot);
    return el ? el->returned : 0;
}

/* Who voted in a named poll (记名表决) is public, as its record will be; what they chose is not, until the
 * close. So a turnout frame of a named poll also names the delegates whose votes it counts since the
 * poll's previous frame, which lets the hall's seat map light each seat as it votes. */
typedef struct named_voters {
    int ballot;
    json_t *ids;
} named_voters;

static void note_voter(named_voters *nv, size_t *n, const hub_event *e)
{
    const ys_event_type *t = ys_event_type_of(e->ev.type);
    if (!t || t->vote != YS_VOTE_NAMED)
        return;
    size_t k = 0;
    while (k < *n && nv[k].ballot != e->ballot)
        k++;
    if (k == *n) {
        if (*n == MAX_BALLOTS)
            return; /* the frame then says the turnout without the names: never a wrong one */
        nv[(*n)++] = (named_voters){e->ballot, json_array()};
    }
    json_array_append(nv[k].ids, json_object_get(e->ev.payload, "delegate"));
}

/* The names noted for the ballot, taken (the caller owns them); NULL when it is not a named poll. */
static json_t *take_voters(named_voters *nv, size_t n, int ballot)
{
    for (size_t k = 0; k < n; k++)
        if (nv[k].ballot == ballot && nv[k].ids) {
            json_t *ids = nv[k].ids;
            nv[k].ids = json_array();
            return ids;
        }
    return NULL;
}

static void add_turnout(builder *b, const hub_event *e, json_t *voters)
{
    json_t *view = json_pack("{s:I, s:s, s:s, s:{s:i, s:i, s:o*}}", "seq", (json_int_t)e->ev.seq, "time", e->ev.time,
                             "type", e->vote->turnout, "payload", e->vote->field, e->ballot, "voted", e->voted,
                             "delegates", voters);
    builder_frame(b, e->ev.seq, e->vote->turnout, view);
    json_decref(view);
}

static chunk *render(const hub_event *evs, size_t n, const ys_viewer *v, bool *failed)
{
    builder b = {0};
    bool turnout_only = !ys_srv_viewer_is_staff(v);
    named_voters voters[MAX_BALLOTS];
    size_t n_voters = 0;
    ys_buf_init(&b.text, SIZE_MAX);
    for (size_t i = 0; i < n; i++) {
        const hub_event *e = &evs[i];
        if (e->vote && turnout_only) {
            note_voter(voters, &n_voters, e);
            if (e->last && e->voted >= 0) /* voted is known for the last in each batch */
                add_turnout(&b, e, take_voters(voters, n_voters, e->ballot));
            continue;
        }
        json_t *view = ys_srv_event_view(&e->ev, v, e->owner);
        if (view)
            builder_frame(&b, e->ev.seq, e->ev.type, view);
        json_decref(view);
    }
    for (size_t k = 0; k < n_voters; k++)
        json_decref(voters[k].ids);
    return builder_done(&b, failed);
}

static ys_viewer viewer_of(int audience, int delegation)
{
    static const ys_auth_role roles[N_AUDIENCES] = {YS_AUTH_OBSERVER, YS_AUTH_SECRETARIAT, YS_AUTH_CHAIR,
                                                     YS_AUTH_DELEGATION_SECRETARY};
    return (ys_viewer){roles[audience], audience == A_DSEC ? delegation : 0};
}

static int audience_of(const ys_viewer *v)
{
    switch (v->role) {
    case YS_AUTH_SECRETARIAT: return A_SECRETARIAT;
    case YS_AUTH_CHAIR: return A_CHAIR;
    case YS_AUTH_DELEGATION_SECRETARY: return A_DSEC;
    default: return A_PUBLIC;
    }
}

static void hub_events_free(hub_event *evs, size_t n)
{
    for (size_t i = 0; evs && i < n; i++)
        json_decref(evs[i].ev.payload);
    ys_free(evs);
}

/* Every audience's chunk of evs; a delegation secretary's own for each delegation whose secret is in
 * them. Sets *failed when memory ran out for any. */
static void render_flush(flush *f, hub_event *evs, size_t n, bool *failed)
{
    bool bad = false;
    *failed = false;
    mark_last_votes(evs, n);
    for (int a = 0; a < N_AUDIENCES; a++) {
        ys_viewer v = viewer_of(a, -1);
        f->by[a] = render(evs, n, &v, &bad);
        *failed |= bad;
    }
    for (size_t i = 0; i < n; i++) {
        bool seen = evs[i].owner <= 0;
        for (size_t k = 0; k < f->n_own && !seen; k++)
            seen = f->own[k].delegation == evs[i].owner;
        own_chunk *o = seen ? NULL : ys_realloc(f->own, (f->n_own + 1) * sizeof *o);
        if (seen)
            continue;
        if (!o) {
            *failed = true;
            continue;
        }
        f->own = o;
        ys_viewer v = viewer_of(A_DSEC, evs[i].owner);
        f->own[f->n_own++] = (own_chunk){evs[i].owner, render(evs, n, &v, &bad)};
        *failed |= bad;
    }
}

static void flush_free(flush *f)
{
    for (int a = 0; a < N_AUDIENCES; a++)
        chunk_unref(f->by[a]);
    for (size_t k = 0; k < f->n_own; k++)
        chunk_unref(f->own[k].c);
    ys_free(f->own);
    ys_free(f);
}

static chunk *chunk_for(const flush *f, const ys_viewer *v)
{
    int a = audience_of(v);
    for (size_t k = 0; a == A_DSEC && k < f->n_own; k++)
        if (f->own[k].delegation == v->delegation)
            return f->own[k].c;
    return f->by[a];
}

/* ---- a client's queue (under the hub's lock) ---- */

/* Hands the stream back to its reader, which copies what is queued (ys_sse_read). */
static void client_wake(ys_sse_client *c)
{
    if (c->suspended) {
        c->suspended = c->sending = false;
        c->resume(c->resume_ud);
    }
}

/* A client too slow to keep up is ended at once, whatever it has not read: it resumes by Last-Event-ID.
 * Shutting its socket down also ends a connection whose client reads nothing, which libmicrohttpd would
 * otherwise never write to, and so never close. */
static void client_cut(ys_sse_client *c)
{
    for (; c->qn; c->qn--, c->qhead = (c->qhead + 1) % QUEUE_MAX)
        chunk_unref(c->q[c->qhead].c);
    c->behind = 0;
    c->closed = c->cut = true;
    if (c->fd >= 0)
        shutdown(c->fd, SHUT_RDWR);
    client_wake(c);
}

/* Queues a reference to `ch` from `off`; cuts the client instead when it is too far behind. */
static void client_push(ys_sse_client *c, chunk *ch, size_t off)
{
    if (c->cut || off >= ch->len)
        return;
    if (c->qn == QUEUE_MAX || c->behind + (ch->len - off) > CLIENT_MAX_BEHIND) {
        client_cut(c);
        return;
    }
    c->q[(c->qhead + c->qn++) % QUEUE_MAX] = (queued){chunk_ref(ch), off};
    c->behind += ch->len - off;
}

/* Queues what the client has not had of events up to `last`, rendered in `ch` (NULL: nothing it sees). */
static void client_take(ys_sse_client *c, chunk *ch, int64_t last)
{
    if (ch)
        client_push(c, ch, offset_after(ch, c->cursor));
    if (last > c->cursor)
        c->cursor = last;
}

/* Lets go of the first `n` bytes queued, which have been sent. */
static void client_consume(ys_sse_client *c, size_t n)
{
    c->behind -= n;
    while (n) {
        queued *e = &c->q[c->qhead];
        size_t k = e->c->len - e->off < n ? e->c->len - e->off : n;
        e->off += k;
        n -= k;
        if (e->off == e->c->len) {
            chunk_unref(e->c);
            c->qhead = (c->qhead + 1) % QUEUE_MAX;
            c->qn--;
        }
    }
}

static size_t client_copy(ys_sse_client *c, char *buf, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < c->qn && n < max; i++) {
        const queued *e = &c->q[(c->qhead + i) % QUEUE_MAX];
        size_t k = e->c->len - e->off < max - n ? e->c->len - e->off : max - n;
        memcpy(buf + n, e->c->text + e->off, k);
        n += k;
    }
    client_consume(c, n);
    return n;
}

/* Writes what is queued to the client's socket, as much as it takes without waiting. The stream's body
 * is the bare event text (http.c sends it without chunked framing), so the reader can go on from any
 * byte: when the socket is full the rest is handed back to it, to be sent as the client drains it, and a
 * client that falls too far behind is cut there as before. A socket that fails is cut. */
#define SEND_IOV 16

static void client_send(ys_sse_client *c)
{
    bool full = false;
    while (c->qn && !full) {
        struct iovec iov[SEND_IOV];
        size_t n = 0, want = 0;
        for (; n < c->qn && n < SEND_IOV; n++) {
            const queued *e = &c->q[(c->qhead + n) % QUEUE_MAX];
            iov[n] = (struct iovec){e->c->text + e->off, e->c->len - e->off};
            want += iov[n].iov_len;
        }
        ssize_t k = sendmsg(c->fd, &(struct msghdr){.msg_iov = iov, .msg_iovlen = n}, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
            client_cut(c);
            return;
        }
        full = k < 0 || (size_t)k < want;
        client_consume(c, k > 0 ? (size_t)k : 0);
    }
    if (c->qn)
        client_wake(c);
}

/* What is queued goes out: written here to a stream the hub sends itself, else its reader is woken. */
static void client_flush(ys_sse_client *c)
{
    if (c->sending)
        client_send(c);
    else
        client_wake(c);
}

/* ---- the hand-off from the writer ---- */

/* Copies what the hub needs of the events, on the writer's thread between batches: the state is the
 * batch's, so each secret's owner and each ballot's turnout are as the batch left them. */
static batch *batch_new(ys_sse_hub *h, const ys_event *evs, size_t n)
{
    batch *b = ys_calloc(1, sizeof *b);
    if (!b || !(b->evs = ys_calloc(n ? n : 1, sizeof *b->evs))) {
        ys_free(b);
        return NULL;
    }
    const ys_session *s = ys_srv_read_begin(h->srv);
    for (size_t i = 0; i < n; i++) {
        if (evs[i].sealed || evs[i].seq <= 0)
            continue; /* a ballot's content never leaves the box */
        hub_event *e = &b->evs[b->n++];
        e->ev = evs[i];
        e->ev.payload = json_incref(evs[i].payload);
        e->ev.payload_text = NULL;
        e->owner = ys_srv_event_owner(s, &e->ev);
        e->vote = vote_kind_of(e->ev.type);
        e->ballot = e->vote ? (int)json_integer_value(json_object_get(e->ev.payload, e->vote->field)) : 0;
        b->urgent |= !e->vote;
    }
    mark_last_votes(b->evs, b->n);
    for (size_t i = 0; i < b->n; i++)
        b->evs[i].voted = b->evs[i].last ? turnout_in(s, &b->evs[i]) : -1;
    ys_srv_read_end(h->srv);
    return b;
}

void ys_sse_publish_batch(ys_sse_hub *h, const ys_event *evs, size_t n)
{
    batch *b = batch_new(h, evs, n);
    pthread_mutex_lock(&h->handoff);
    if (!b) {
        h->urgent = true; /* out of memory: the hub cuts every live client at the gap, see deliver */
    } else if (b->n) {
        if (h->queue_tail)
            h->queue_tail->next = b;
        else
            h->queue = b;
        h->queue_tail = b;
        h->urgent |= b->urgent;
        b = NULL;
    }
    pthread_cond_signal(&h->wake);
    pthread_mutex_unlock(&h->handoff);
    if (b)
        hub_events_free(b->evs, b->n);
    ys_free(b);
}

/* The queued batches as one array of events, in order; the batches are freed. */
static hub_event *take_events(batch *b, size_t *n)
{
    size_t total = 0, k = 0;
    for (batch *x = b; x; x = x->next)
        total += x->n;
    hub_event *all = ys_malloc(total * sizeof *all);
    while (b) {
        batch *next = b->next;
        if (all)
            memcpy(all + k, b->evs, b->n * sizeof *all);
        k += b->n;
        if (all)
            ys_free(b->evs);
        else
            hub_events_free(b->evs, b->n);
        ys_free(b);
        b = next;
    }
    *n = all ? total : 0;
    return all;
}

/* ---- the hub's thread ---- */

static void ring_push(ys_sse_hub *h, flush *f)
{
    if (h->newest)
        h->newest->next = f;
    else
        h->oldest = f;
    h->newest = f;
    h->ring_events += (size_t)(f->last - f->first + 1);
    while (h->oldest != f && h->ring_events > h->srv->cfg.ring) {
        flush *o = h->oldest;
        h->oldest = o->next;
        h->ring_events -= (size_t)(o->last - o->first + 1);
        flush_free(o);
    }
}

static void ring_clear(ys_sse_hub *h)
{
    while (h->oldest) {
        flush *o = h->oldest;
        h->oldest = o->next;
        flush_free(o);
    }
    h->newest = NULL;
    h->ring_events = 0;
}

/* Sends a flush to every live client and keeps it in the ring. When something is missing (memory ran
 * out, or the events do not follow the last ones sent), the live clients are cut instead and the ring
 * emptied: they resume from the file, which has everything. Under the hub's lock. */
static void deliver(ys_sse_hub *h, flush *f, bool failed)
{
    bool gap = failed || !f || f->first != h->last_seq + 1;
    for (ys_sse_client *c = h->clients; c; c = c->next) {
        if (!c->live || c->closed)
            continue;
        if (gap) {
            client_cut(c);
            continue;
        }
        client_take(c, chunk_for(f, &c->audience), f->last);
        client_flush(c);
    }
    if (gap)
        ring_clear(h);
    if (f) {
        h->last_seq = f->last;
        ring_push(h, f);
    }
}

/* Renders what was handed over and sends it. Called and returns under the hand-off's lock, which it lets
 * go meanwhile. */
static void send_queued(ys_sse_hub *h)
{
    batch *b = h->queue;
    bool failed = false;
    size_t n = 0;
    h->queue = h->queue_tail = NULL;
    h->urgent = false;
    pthread_mutex_unlock(&h->handoff);
    hub_event *evs = take_events(b, &n);
    flush *f = n ? ys_calloc(1, sizeof *f) : NULL;
    if (f) {
        f->first = evs[0].ev.seq;
        f->last = evs[n - 1].ev.seq;
        render_flush(f, evs, n, &failed);
    }
    hub_events_free(evs, n);
    pthread_mutex_lock(&h->lock);
    if (f || b)
        deliver(h, f, failed || (b && !f));
    pthread_mutex_unlock(&h->lock);
    pthread_mutex_lock(&h->handoff);
}

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
 * connection is closed and dropped from the hub. A client that hung up is ended without a write. Called
 * and returns under the hand-off's lock. */
static void heartbeat(ys_sse_hub *h)
{
    pthread_mutex_unlock(&h->handoff);
    pthread_mutex_lock(&h->lock);
    for (ys_sse_client *c = h->clients; c; c = c->next) {
        if (c->cut)
            continue;
        if (hung_up(c)) {
            client_cut(c);
            continue;
        }
        client_push(c, &heartbeat_chunk, 0);
        client_flush(c);
    }
    pthread_mutex_unlock(&h->lock);
    pthread_mutex_lock(&h->handoff);
}

static struct timespec add_ns(struct timespec t, long ns)
{
    t.tv_nsec += ns;
    t.tv_sec += t.tv_nsec / 1000000000L;
    t.tv_nsec %= 1000000000L;
    return t;
}

static bool before(struct timespec a, struct timespec b)
{
    return a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec < b.tv_nsec);
}

/* Sends what the writer handed over — at once when it holds more than votes, else FLUSH_GAP_NS after the
 * last send ended, all that came meanwhile together (so that the longer sending to every stream takes, the
 * more votes each send carries) — and beats the heartbeat. */
static void *hub_main(void *ud)
{
    ys_sse_hub *h = ud;
    pthread_mutex_lock(&h->handoff);
    while (!h->stop) {
        struct timespec now, due = add_ns(h->flushed_at, FLUSH_GAP_NS);
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (!before(now, h->beat_at)) {
            heartbeat(h);
            h->beat_at = add_ns(now, (long)h->srv->cfg.heartbeat * 1000000000L);
        } else if (h->queue && (h->urgent || !before(now, due))) {
            send_queued(h);
            clock_gettime(CLOCK_MONOTONIC, &h->flushed_at);
        } else {
            struct timespec until = h->queue && before(due, h->beat_at) ? due : h->beat_at;
            pthread_cond_timedwait(&h->wake, &h->handoff, &until);
        }
    }
    pthread_mutex_unlock(&h->handoff);
    return NULL;
}

/* ---- resuming: from the ring, or the file page by page ---- */

/* Queues what the ring has after the client's cursor, as far as its queue takes. Returns false when the
 * ring does not reach back to the cursor (the file has it). Under the hub's lock. */
static bool catch_up_ring(ys_sse_hub *h, ys_sse_client *c)
{
    if (c->cursor >= h->last_seq) {
        c->live = true;
        return true;
    }
    if (!h->oldest || c->cursor + 1 < h->oldest->first)
        return false;
    for (flush *f = h->oldest; f && c->qn < QUEUE_MAX && c->behind < CLIENT_MAX_BEHIND / 2 && !c->cut; f = f->next)
        if (f->last > c->cursor)
            client_take(c, chunk_for(f, &c->audience), f->last);
    return true;
}

typedef struct page_read {
    hub_event *evs;
    size_t n;
    int64_t upto;
} page_read;

static ys_rc page_event(const ys_event *ev, void *ud, ys_err *err)
{
    page_read *p = ud;
    (void)err;
    if (ev->seq > p->upto)
        return YS_CONFLICT; /* the page is full */
    hub_event *e = &p->evs[p->n++];
    memset(e, 0, sizeof *e);
    e->ev = *ev;
    e->ev.payload = json_incref(ev->payload);
    e->ev.payload_text = NULL;
    e->vote = vote_kind_of(ev->type);
    e->ballot = e->vote ? (int)json_integer_value(json_object_get(ev->payload, e->vote->field)) : 0;
    return YS_OK;
}

/* Renders page `index` of the file for one audience into *out (NULL: nothing it sees), with owners and
 * turnout from the state now, which is at least as far as the page (so a turnout frame says the newest
 * turnout known, never less than at its id). *last is the last event the page holds; *whole whether it
 * holds all PAGE_EVENTS. False when the file cannot be read or memory runs out. Under file_lock. */
static bool page_render(ys_sse_hub *h, int64_t index, const ys_viewer *v, chunk **out, int64_t *last, bool *whole)
{
    page_read p = {ys_calloc(PAGE_EVENTS, sizeof *p.evs), 0, (index + 1) * PAGE_EVENTS};
    bool failed = !p.evs;
    ys_rc rc = YS_OK;
    if (!failed && !h->file)
        failed = ys_store_open(h->srv->cfg.file, YS_STORE_READONLY, &h->file, NULL) != YS_OK;
    if (!failed)
        rc = ys_store_scan(h->file, index * PAGE_EVENTS, page_event, &p, NULL);
    if (!failed && (rc == YS_OK || rc == YS_CONFLICT) && p.n) {
        const ys_session *s = ys_srv_read_begin(h->srv);
        mark_last_votes(p.evs, p.n);
        for (size_t i = 0; i < p.n; i++) {
            p.evs[i].owner = ys_srv_event_owner(s, &p.evs[i].ev);
            p.evs[i].voted = p.evs[i].last ? turnout_in(s, &p.evs[i]) : -1;
        }
        ys_srv_read_end(h->srv);
        *out = render(p.evs, p.n, v, &failed);
        *last = p.evs[p.n - 1].ev.seq;
        *whole = *last == p.upto;
    } else {
        failed = true;
    }
    hub_events_free(p.evs, p.n);
    return !failed;
}

/* Page `index` for the client's audience, from the cache or rendered (and cached once whole). */
static bool page_get(ys_sse_hub *h, int64_t index, const ys_viewer *v, chunk **out, int64_t *last)
{
    int a = audience_of(v), d = a == A_DSEC ? v->delegation : 0;
    page *victim = &h->pages[0];
    bool whole = false;
    for (size_t i = 0; i < PAGE_CACHE; i++) {
        page *p = &h->pages[i];
        if (p->used && p->index == index && p->audience == a && p->delegation == d) {
            p->used = ++h->page_clock;
            *out = chunk_ref(p->c);
            *last = (index + 1) * PAGE_EVENTS;
            return true;
        }
        if (p->used < victim->used)
            victim = p;
    }
    if (!page_render(h, index, v, out, last, &whole))
        return false;
    if (whole) {
        chunk_unref(victim->c);
        *victim = (page){index, a, d, chunk_ref(*out), ++h->page_clock};
    }
    return true;
}

/* Queues the next page of what the client missed, read back from the file (outside the hub's lock);
 * a client whose page cannot be read is cut, to try again by reconnecting. Without a file (memory mode)
 * it goes on with what the ring has. */
static void catch_up_file(ys_sse_hub *h, ys_sse_client *c, int64_t cursor)
{
    int64_t last = -1;
    chunk *ch = NULL;
    bool ok = true;
    if (h->srv->cfg.file) {
        pthread_mutex_lock(&h->file_lock);
        ok = page_get(h, cursor / PAGE_EVENTS, &c->audience, &ch, &last) && last > cursor;
        pthread_mutex_unlock(&h->file_lock);
    }
    pthread_mutex_lock(&h->lock);
    if (!h->srv->cfg.file)
        last = h->oldest ? h->oldest->first - 1 : h->last_seq;
    if (!ok)
        client_cut(c);
    else if (c->cursor == cursor)
        client_take(c, ch, last);
    pthread_mutex_unlock(&h->lock);
    chunk_unref(ch);
}

/* ---- clients ---- */

ys_sse_client *ys_sse_attach(ys_sse_hub *h, ys_viewer audience, int64_t after, int fd, bool may_send)
{
    ys_sse_client *c = ys_calloc(1, sizeof *c);
    char hello[96];
    if (!c)
        return NULL;
    c->hub = h;
    c->audience = audience;
    c->fd = fd;
    c->may_send = may_send && fd >= 0;
    pthread_mutex_lock(&h->lock);
    /* A stream asked for while the server stops ends after its greeting: a connection left suspended
     * would stop libmicrohttpd from stopping. */
    c->closed = h->closing;
    c->cursor = after >= 0 ? after : h->last_seq;
    c->live = c->cursor >= h->last_seq;
    snprintf(hello, sizeof hello, "retry: 3000\n: yishi live events after %lld\n\n", (long long)c->cursor);
    chunk *greeting = chunk_of_text(hello);
    if (greeting)
        client_push(c, greeting, 0);
    chunk_unref(greeting);
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
    for (;;) {
        if (c->qn) {
            n = (long)client_copy(c, buf, max);
            break;
        }
        if (c->closed) {
            n = -1;
            break;
        }
        if (!c->live) {
            int64_t cursor = c->cursor;
            if (!catch_up_ring(h, c)) {
                pthread_mutex_unlock(&h->lock);
                catch_up_file(h, c, cursor);
                pthread_mutex_lock(&h->lock);
            }
            continue;
        }
        /* Suspended under the lock, so that a publisher who sees `suspended` resumes after this. Its reader
         * has sent all it copied before (libmicrohttpd asks for more only then) and touches the socket no
         * more until resumed: from here the hub may write to it itself. */
        c->suspended = true;
        c->sending = c->may_send;
        c->resume = resume;
        c->resume_ud = ud;
        suspend(ud);
        break;
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
    for (; c->qn; c->qn--, c->qhead = (c->qhead + 1) % QUEUE_MAX)
        chunk_unref(c->q[c->qhead].c);
    pthread_mutex_unlock(&h->lock);
    ys_free(c);
}

void ys_sse_close_all(ys_sse_hub *h)
{
    pthread_mutex_lock(&h->lock);
    h->closing = true;
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

ys_rc ys_sse_hub_new(ys_srv *srv, ys_sse_hub **out, ys_err *err)
{
    ys_sse_hub *h = ys_calloc(1, sizeof *h);
    pthread_condattr_t ca;
    *out = NULL;
    if (!h)
        return ys_fail(err, YS_NOMEM, NULL, "out of memory for the live streams");
    h->srv = srv;
    h->last_seq = srv->journal ? srv->journal->session->seq : srv->memory ? srv->memory->seq : 0;
    pthread_mutex_init(&h->handoff, NULL);
    pthread_mutex_init(&h->lock, NULL);
    pthread_mutex_init(&h->file_lock, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&h->wake, &ca);
    pthread_condattr_destroy(&ca);
    clock_gettime(CLOCK_MONOTONIC, &h->flushed_at);
    h->beat_at = add_ns(h->flushed_at, (long)srv->cfg.heartbeat * 1000000000L);
    if (pthread_create(&h->thread, NULL, hub_main, h) != 0) {
        ys_sse_hub_free(h);
        return ys_fail(err, YS_NOMEM, NULL, "cannot start the live streams' thread");
    }
    h->started = true;
    *out = h;
    return YS_OK;
}

void ys_sse_hub_free(ys_sse_hub *h)
{
    if (!h)
        return;
    pthread_mutex_lock(&h->handoff);
    h->stop = true;
    pthread_cond_broadcast(&h->wake);
    pthread_mutex_unlock(&h->handoff);
    if (h->started)
        pthread_join(h->thread, NULL);
    for (batch *b = h->queue, *next; b; b = next) {
        next = b->next;
        hub_events_free(b->evs, b->n);
        ys_free(b);
    }
    ring_clear(h);
    for (size_t i = 0; i < PAGE_CACHE; i++)
        chunk_unref(h->pages[i].c);
    ys_store_close(h->file);
    pthread_mutex_destroy(&h->handoff);
    pthread_mutex_destroy(&h->lock);
    pthread_mutex_destroy(&h->file_lock);
    pthread_cond_destroy(&h->wake);
    ys_free(h);
}
