/* writer.c — the one writer: HTTP threads queue commands; this thread takes all that wait as one batch,
 * runs each against the state the ones before it left, commits the batch with one sync (group commit),
 * answers each command, and then hands the committed events to the live streams, which send them on
 * their own thread. */
#include "server/server.h"

#include "yishi/alloc.h"

#include <string.h>

struct ys_srv_writer {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    ys_srv_cmd *head, *tail;
    size_t pending;
    bool stopping;
};

ys_srv_cmd *ys_srv_cmd_new(ys_srv_cmd_fn run, json_t *args, const ys_principal *who)
{
    ys_srv_cmd *cmd = ys_calloc(1, sizeof *cmd);
    if (!cmd) {
        json_decref(args);
        return NULL;
    }
    cmd->run = run;
    cmd->args = args;
    cmd->who = *who;
    cmd->ok_status = 201;
    return cmd;
}

void ys_srv_cmd_free(ys_srv_cmd *cmd)
{
    if (!cmd)
        return;
    json_decref(cmd->args);
    json_decref(cmd->diags);
    json_decref(cmd->events);
    ys_free(cmd->blob);
    if (cmd->checked_free)
        cmd->checked_free(cmd->checked);
    ys_free(cmd);
}

void ys_srv_cmd_response(const ys_srv_cmd *cmd, ys_srv_resp *r)
{
    if (cmd->rc) {
        ys_srv_error(r, cmd->rc, &cmd->err);
        if (cmd->diags && r->json)
            json_object_set(r->json, "errors", cmd->diags);
        return;
    }
    json_t *o = json_pack("{s:o, s:o, s:o}", "seq", cmd->last_seq ? json_integer(cmd->last_seq) : json_null(), "hash",
                          cmd->hash[0] ? json_string(cmd->hash) : json_null(), "events",
                          cmd->events ? json_incref(cmd->events) : json_array());
    ys_srv_json(r, cmd->ok_status, o);
}

/* The receipt's events: {"seq","type","payload"} of each chained event the command became. */
static void note_events(ys_srv_cmd *cmd, const ys_event *evs, size_t n)
{
    if (!cmd->events && !(cmd->events = json_array()))
        return;
    for (size_t i = 0; i < n; i++)
        json_array_append_new(cmd->events, json_pack("{s:I, s:s, s:O}", "seq", (json_int_t)evs[i].seq, "type",
                                                     evs[i].type, "payload", evs[i].payload));
    if (n)
        ys_hash_hex(evs[n - 1].hash, cmd->hash);
}

/* ---- memory mode ---- */

void ys_srv_cmd_run_memory(ys_srv *srv, ys_session *s, ys_srv_cmd *cmd)
{
    if (cmd->check && (cmd->rc = cmd->check(cmd, srv, &cmd->err)))
        return;
    char now[32];
    ys_events evs;
    ys_accept_sink sink = {.ballot_id = ys_ballot_random_id};
    ys_srv_time_text(now);
    ys_ctx ctx = {.time = now, .actor = cmd->who.actor};
    ys_events_init(&evs);
    int64_t before = s->seq;
    if (!(cmd->rc = cmd->run(cmd, s, &ctx, &evs, &cmd->err)))
        cmd->rc = ys_session_accept(s, evs.v, evs.n, &sink, &cmd->err);
    cmd->events = json_array();
    for (size_t i = 0; !cmd->rc && i < evs.n; i++)
        if (!evs.v[i].sealed)
            note_events(cmd, &evs.v[i], 1);
    if (!cmd->rc && s->seq > before) {
        cmd->first_seq = before + 1;
        cmd->last_seq = s->seq;
    }
    ys_events_free(&evs);
}

/* ---- the queue ---- */

ys_rc ys_srv_submit(ys_srv *srv, ys_srv_cmd *cmd)
{
    ys_srv_writer *w = srv->writer;
    pthread_mutex_lock(&w->lock);
    if (w->stopping) {
        pthread_mutex_unlock(&w->lock);
        return YS_UNAVAILABLE;
    }
    cmd->next = NULL;
    if (w->tail)
        w->tail->next = cmd;
    else
        w->head = cmd;
    w->tail = cmd;
    w->pending++;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
    return YS_OK;
}

size_t ys_srv_writer_pending(ys_srv *srv)
{
    if (!srv->writer) /* a setup still waiting: no session, no writer */
        return 0;
    pthread_mutex_lock(&srv->writer->lock);
    size_t n = srv->writer->pending;
    pthread_mutex_unlock(&srv->writer->lock);
    return n;
}

/* Takes up to `max` commands off the queue; NULL when stopping and nothing waits. */
static ys_srv_cmd *take_batch(ys_srv_writer *w, size_t max)
{
    pthread_mutex_lock(&w->lock);
    while (!w->head && !w->stopping)
        pthread_cond_wait(&w->wake, &w->lock);
    ys_srv_cmd *batch = w->head, *last = w->head;
    size_t n = batch ? 1 : 0;
    while (last && last->next && n < max) {
        last = last->next;
        n++;
    }
    if (last) {
        w->head = last->next;
        last->next = NULL;
        if (!w->head)
            w->tail = NULL;
    }
    w->pending -= n;
    pthread_mutex_unlock(&w->lock);
    return batch;
}

/* ---- one batch ---- */

/* After the commit, from the batch's events in memory: each command's receipt. */
static void hand_out(ys_srv_cmd *batch, const ys_events *committed)
{
    int64_t start = committed->n ? committed->v[0].seq - 1 : 0;
    for (ys_srv_cmd *c = batch; c; c = c->next)
        if (!c->rc && c->last_seq)
            note_events(c, committed->v + (c->first_seq - start - 1), (size_t)(c->last_seq - c->first_seq + 1));
}

/* A failed batch is undone whole (the journal reloads the state from the file): every command that
 * had been accepted, and every one not yet run, is answered with that failure. */
static void fail_rest(ys_srv_cmd *from, ys_rc rc, const ys_err *err)
{
    for (ys_srv_cmd *c = from; c; c = c->next)
        if (!c->rc) {
            c->rc = rc;
            c->err = *err;
            c->first_seq = c->last_seq = 0;
        }
}

/* Runs one command inside the open batch. Returns non-zero only when the batch itself failed. */
static ys_rc run_one(ys_srv *srv, ys_srv_cmd *cmd, bool *begun, ys_err *err)
{
    ys_journal *j = srv->journal;
    char now[32];
    ys_events evs;
    ys_rc rc;
    ys_srv_time_text(now);
    ys_ctx ctx = {.time = now, .actor = cmd->who.actor};
    ys_events_init(&evs);
    if ((cmd->rc = cmd->run(cmd, j->session, &ctx, &evs, &cmd->err)) || evs.n == 0) {
        ys_events_free(&evs);
        return YS_OK; /* refused: this command alone gets its error */
    }
    if (!*begun && (rc = ys_journal_begin(j, err))) {
        ys_events_free(&evs);
        return rc;
    }
    *begun = true;
    if (cmd->blob && (rc = ys_store_put_blob(j->store, cmd->blob_hash, cmd->blob, cmd->blob_len, err))) {
        ys_events_free(&evs);
        ys_journal_abort(j);
        return rc;
    }
    int64_t before = j->session->seq;
    if ((rc = ys_journal_add(j, &evs, err)))
        return rc; /* the journal has rolled back and reloaded */
    cmd->first_seq = before + 1;
    cmd->last_seq = j->session->seq;
    return YS_OK;
}

static void run_batch(ys_srv *srv, ys_srv_cmd *batch)
{
    ys_journal *j = srv->journal;
    ys_err err = {0};
    ys_rc rc = YS_OK;
    bool begun = false;
    pthread_rwlock_wrlock(&srv->state_lock);
    for (ys_srv_cmd *c = batch; c && !rc; c = c->next)
        if ((rc = run_one(srv, c, &begun, &err)))
            fail_rest(batch, rc, &err);
    if (!rc && begun && (rc = ys_journal_end(j, &err)))
        fail_rest(batch, rc, &err);
    pthread_rwlock_unlock(&srv->state_lock);
    if (begun || rc)
        atomic_store(&srv->store_rc, (int)rc);
    if (!rc && begun)
        hand_out(batch, ys_journal_batch(j));
    while (batch) {
        ys_srv_cmd *next = batch->next;
        batch->next = NULL;
        batch->done(batch, batch->done_ud); /* may free the command */
        batch = next;
    }
    /* The answers are out; now the streams, from the same events, still the journal's until the next batch. */
    if (!rc && begun && srv->hub)
        ys_sse_publish_batch(srv->hub, ys_journal_batch(j)->v, ys_journal_batch(j)->n);
}

static void *writer_main(void *ud)
{
    ys_srv *srv = ud;
    ys_srv_cmd *batch;
    while ((batch = take_batch(srv->writer, srv->cfg.max_batch)))
        run_batch(srv, batch);
    return NULL;
}

ys_rc ys_srv_writer_start(ys_srv *srv, ys_err *err)
{
    ys_srv_writer *w = ys_calloc(1, sizeof *w);
    if (!w)
        return ys_fail(err, YS_NOMEM, NULL, "out of memory starting the writer");
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->wake, NULL);
    srv->writer = w;
    if (pthread_create(&w->thread, NULL, writer_main, srv) != 0) {
        srv->writer = NULL;
        ys_free(w);
        return ys_fail(err, YS_NOMEM, NULL, "cannot start the writer thread");
    }
    return YS_OK;
}

void ys_srv_writer_stop(ys_srv *srv)
{
    ys_srv_writer *w = srv->writer;
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    w->stopping = true;
    pthread_cond_broadcast(&w->wake);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL); /* take_batch still hands out what waits before it stops */
    pthread_mutex_destroy(&w->lock);
    pthread_cond_destroy(&w->wake);
    ys_free(w);
    srv->writer = NULL;
}
