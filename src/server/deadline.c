/* deadline.c — the time limit on receiving a request: a connection that has not delivered a whole request
 * (TLS handshake, headers and body) within the limit is shut down, however often it sends a byte. */
#include "server/deadline.h"

#include "yishi/alloc.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <time.h>

#define TICK_MS 200 /* how late a cut may come: a fifth of a second on a limit of many seconds */

struct ys_deadline {
    ys_deadlines *all;
    int fd;
    bool armed;
    bool cut;           /* shut down by the reaper */
    bool receiving;     /* a request's head is in, its body not yet */
    struct timespec since;
    ys_deadline *prev, *next;
};

struct ys_deadlines {
    unsigned seconds;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    ys_deadline *head;
    bool stop;
    size_t cut;
    pthread_t thread;
};

static struct timespec now_mono(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t;
}

/* Shuts down every armed connection past its limit. Under the lock. The connection's own thread sees the
 * socket end (a read of 0, a failed write) and closes it as if the client had gone, which is what
 * libmicrohttpd expects from another thread: it owns the socket, this only ends its traffic. */
static void cut_expired(ys_deadlines *d)
{
    struct timespec now = now_mono();
    for (ys_deadline *e = d->head; e; e = e->next) {
        if (!e->armed || now.tv_sec - e->since.tv_sec < (time_t)d->seconds ||
            (now.tv_sec - e->since.tv_sec == (time_t)d->seconds && now.tv_nsec < e->since.tv_nsec))
            continue;
        shutdown(e->fd, SHUT_RDWR);
        e->armed = false;
        e->cut = true;
        d->cut++;
    }
}

static void *reaper_main(void *ud)
{
    ys_deadlines *d = ud;
    pthread_mutex_lock(&d->lock);
    while (!d->stop) {
        struct timespec until = now_mono();
        until.tv_nsec += TICK_MS * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        if (pthread_cond_timedwait(&d->wake, &d->lock, &until) == ETIMEDOUT)
            cut_expired(d);
    }
    pthread_mutex_unlock(&d->lock);
    return NULL;
}

ys_deadlines *ys_deadlines_new(unsigned seconds)
{
    ys_deadlines *d = ys_calloc(1, sizeof *d);
    pthread_condattr_t attr;
    if (!d)
        return NULL;
    d->seconds = seconds;
    pthread_mutex_init(&d->lock, NULL);
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC); /* a clock set back must not stall the cuts */
    pthread_cond_init(&d->wake, &attr);
    pthread_condattr_destroy(&attr);
    if (pthread_create(&d->thread, NULL, reaper_main, d) != 0) {
        pthread_cond_destroy(&d->wake);
        pthread_mutex_destroy(&d->lock);
        ys_free(d);
        return NULL;
    }
    return d;
}

void ys_deadlines_free(ys_deadlines *d)
{
    if (!d)
        return;
    pthread_mutex_lock(&d->lock);
    d->stop = true;
    pthread_cond_signal(&d->wake);
    pthread_mutex_unlock(&d->lock);
    pthread_join(d->thread, NULL);
    while (d->head) /* connections libmicrohttpd did not report closed: it has closed them by now */
        ys_deadline_remove(d->head);
    pthread_cond_destroy(&d->wake);
    pthread_mutex_destroy(&d->lock);
    ys_free(d);
}

ys_deadline *ys_deadline_add(ys_deadlines *d, int fd)
{
    ys_deadline *e = ys_calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->all = d;
    e->fd = fd;
    e->armed = true;
    e->since = now_mono();
    pthread_mutex_lock(&d->lock);
    e->next = d->head;
    if (d->head)
        d->head->prev = e;
    d->head = e;
    pthread_mutex_unlock(&d->lock);
    return e;
}

bool ys_deadline_arm(ys_deadline *e, bool armed)
{
    if (!e)
        return true;
    pthread_mutex_lock(&e->all->lock);
    bool live = !e->cut;
    e->armed = armed && live;
    e->since = now_mono();
    pthread_mutex_unlock(&e->all->lock);
    return live;
}

void ys_deadline_receiving(ys_deadline *e, bool receiving)
{
    if (!e)
        return;
    pthread_mutex_lock(&e->all->lock);
    e->receiving = receiving;
    pthread_mutex_unlock(&e->all->lock);
}

/* libmicrohttpd calls the request handler only when bytes arrive, so a client that sent a head and then
 * nothing cannot be answered from there. Its connection thread is waiting to read and writes nothing
 * until the request is whole, so the answer can go out on the socket from here; the shutdown then ends
 * the wait, and that thread closes the connection as if the client had gone. */
size_t ys_deadlines_refuse_receiving(ys_deadlines *d, const char *reply, size_t len)
{
    size_t n = 0;
    pthread_mutex_lock(&d->lock);
    for (ys_deadline *e = d->head; e; e = e->next) {
        if (!e->receiving)
            continue;
        if (reply) /* a client that is gone already needs only the shutdown */
            (void)send(e->fd, reply, len, MSG_NOSIGNAL | MSG_DONTWAIT);
        shutdown(e->fd, SHUT_RDWR);
        e->receiving = e->armed = false;
        e->cut = true;
        n++;
    }
    pthread_mutex_unlock(&d->lock);
    return n;
}

void ys_deadline_remove(ys_deadline *e)
{
    if (!e)
        return;
    ys_deadlines *d = e->all;
    /* Unlinked under the lock before libmicrohttpd closes the socket, so the reaper never shuts down a
     * descriptor number that a new connection has taken over. */
    pthread_mutex_lock(&d->lock);
    if (e->prev)
        e->prev->next = e->next;
    else
        d->head = e->next;
    if (e->next)
        e->next->prev = e->prev;
    pthread_mutex_unlock(&d->lock);
    ys_free(e);
}

size_t ys_deadlines_cut(ys_deadlines *d)
{
    pthread_mutex_lock(&d->lock);
    size_t n = d->cut;
    pthread_mutex_unlock(&d->lock);
    return n;
}
