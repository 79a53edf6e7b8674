/* checkers.c — the threads that check what a command carries before the writer takes it: a verifiable
 * ballot's proofs (milliseconds of CPU each), a trustee's shuffle (seconds). The request's thread only reads
 * and parses, so that in a burst every request is read while its sender waits, and none sits unread in its
 * socket while the threads that should read it check others' proofs; the writer only decides and commits. */
#include "server/server.h"

#include "yishi/alloc.h"

#include <unistd.h>

struct ys_srv_checkers {
    pthread_t *threads;
    unsigned n;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    ys_srv_cmd *head, *tail;
    size_t pending;
    bool stopping;
};

/* The next command to check, in the order they came; NULL once stopping and none is left. */
static ys_srv_cmd *take(ys_srv_checkers *k)
{
    pthread_mutex_lock(&k->lock);
    while (!k->head && !k->stopping)
        pthread_cond_wait(&k->wake, &k->lock);
    ys_srv_cmd *cmd = k->head;
    if (cmd && !(k->head = cmd->next))
        k->tail = NULL;
    pthread_mutex_unlock(&k->lock);
    return cmd;
}

/* Checked, the command goes on to the writer; refused, it is answered at once with what failed. */
static void check_one(ys_srv *srv, ys_srv_cmd *cmd)
{
    ys_rc rc = cmd->check(cmd, srv, &cmd->err);
    if (!rc && ys_srv_submit(srv, cmd))
        rc = ys_fail(&cmd->err, YS_UNAVAILABLE, NULL, "the server is shutting down; try again soon");
    ys_srv_checkers *k = srv->checkers;
    pthread_mutex_lock(&k->lock);
    k->pending--; /* counted until the writer has it: drain waits for both */
    pthread_mutex_unlock(&k->lock);
    if (rc) {
        cmd->rc = rc;
        cmd->done(cmd, cmd->done_ud);
    }
}

static void *checker_main(void *arg)
{
    ys_srv *srv = arg;
    for (ys_srv_cmd *cmd; (cmd = take(srv->checkers));)
        check_one(srv, cmd);
    return NULL;
}

ys_rc ys_srv_check(ys_srv *srv, ys_srv_cmd *cmd)
{
    ys_srv_checkers *k = srv->checkers;
    pthread_mutex_lock(&k->lock);
    if (k->stopping) {
        pthread_mutex_unlock(&k->lock);
        return YS_UNAVAILABLE;
    }
    cmd->next = NULL;
    if (k->tail)
        k->tail->next = cmd;
    else
        k->head = cmd;
    k->tail = cmd;
    k->pending++;
    pthread_cond_signal(&k->wake);
    pthread_mutex_unlock(&k->lock);
    return YS_OK;
}

size_t ys_srv_checkers_pending(ys_srv *srv)
{
    ys_srv_checkers *k = srv->checkers;
    if (!k)
        return 0;
    pthread_mutex_lock(&k->lock);
    size_t n = k->pending;
    pthread_mutex_unlock(&k->lock);
    return n;
}

/* As many threads as cores unless told: checking is all arithmetic, and more threads than cores only queue. */
static unsigned how_many(unsigned asked)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    return asked ? asked : cores > 0 && cores < 256 ? (unsigned)cores : 1;
}

ys_rc ys_srv_checkers_start(ys_srv *srv, ys_err *err)
{
    ys_srv_checkers *k = ys_calloc(1, sizeof *k);
    unsigned n = how_many(srv->cfg.check_threads);
    if (!k || !(k->threads = ys_calloc(n, sizeof *k->threads))) {
        ys_free(k);
        return ys_fail(err, YS_NOMEM, NULL, "out of memory starting the checkers");
    }
    pthread_mutex_init(&k->lock, NULL);
    pthread_cond_init(&k->wake, NULL);
    srv->checkers = k;
    for (; k->n < n; k->n++)
        if (pthread_create(&k->threads[k->n], NULL, checker_main, srv) != 0)
            break;
    if (k->n)
        return YS_OK;
    ys_srv_checkers_stop(srv);
    return ys_fail(err, YS_NOMEM, NULL, "cannot start a checker thread");
}

void ys_srv_checkers_stop(ys_srv *srv)
{
    ys_srv_checkers *k = srv->checkers;
    if (!k)
        return;
    pthread_mutex_lock(&k->lock);
    k->stopping = true;
    pthread_cond_broadcast(&k->wake);
    pthread_mutex_unlock(&k->lock);
    for (unsigned i = 0; i < k->n; i++)
        pthread_join(k->threads[i], NULL); /* each checks what is left before it ends */
    pthread_mutex_destroy(&k->lock);
    pthread_cond_destroy(&k->wake);
    ys_free(k->threads);
    ys_free(k);
    srv->checkers = NULL;
}
