/* loops.c — the HTTP threads, each running one libmicrohttpd daemon's loop on a shared listening socket,
 * because libmicrohttpd's own threads can sit on a burst of ready requests for up to the idle timeout. */
#include "server/loops.h"

#include "yishi/alloc.h"

#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

/* Why not MHD_USE_EPOLL_INTERNAL_THREAD with a thread pool: libmicrohttpd (0.9.75, as Debian ships it, and
 * every later release so far) drains epoll in a loop "while the last epoll_wait returned all 128 slots", and
 * each epoll_wait of that loop waits up to the time left to the nearest idle timeout. When one thread has
 * exactly 128 (or 256, …) connections ready at once — a hall voting after a restart — the second call
 * finds nothing new and the thread sleeps, up to a minute, with those requests read by nobody, until some
 * other event comes. MHD_run polls without waiting (its epoll_wait gets a timeout of 0), so here each
 * thread waits on the daemon's epoll descriptor itself and then runs the daemon. Run so, libmicrohttpd has
 * no wake-up channel of its own (it drops MHD_USE_ITC): whoever resumes a connection wakes its loop. */

typedef struct loop {
    ys_loops *all;
    struct MHD_Daemon *daemon;
    int wake_fd;           /* an eventfd: a connection of this daemon was resumed, or the loops stop */
    pthread_t thread;
    bool started;
} loop;

struct ys_loops {
    atomic_bool stop;
    unsigned n;
    loop *loops;
};

int ys_listen_on(const struct sockaddr_storage *ss, const char *address, ys_err *err)
{
    int fd = socket(ss->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), on = 1;
    socklen_t len = ss->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
    if (fd >= 0)
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (fd >= 0 && ss->ss_family == AF_INET6) /* [::] is IPv6 alone, as libmicrohttpd made it */
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
    if (fd >= 0 && bind(fd, (const struct sockaddr *)ss, len) == 0 && listen(fd, SOMAXCONN) == 0)
        return fd;
    int e = errno;
    if (fd >= 0)
        close(fd);
    ys_fail(err, YS_IO, "listen", "cannot listen on %s: %s", address,
            e == EADDRINUSE ? "the address is in use (another server listens there)" : strerror(e));
    return -1;
}

/* MHD_get_timeout is the time to the nearest connection timeout, 0 when some connection still has data
 * it has read and not yet handled; none (-1) when no connection has a timeout. */
static int wait_ms(struct MHD_Daemon *d)
{
    MHD_UNSIGNED_LONG_LONG ms = 0;
    if (MHD_get_timeout(d, &ms) != MHD_YES)
        return -1;
    return ms > INT_MAX ? INT_MAX : (int)ms;
}

static void *loop_main(void *ud)
{
    loop *t = ud;
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(t->daemon, MHD_DAEMON_INFO_EPOLL_FD);
    uint64_t woken;
    /* The daemon's epoll descriptor is readable while any of its sockets has an event for it. */
    struct pollfd p[2] = {{.fd = info ? info->epoll_fd : -1, .events = POLLIN}, {.fd = t->wake_fd, .events = POLLIN}};
    while (!atomic_load(&t->all->stop)) {
        poll(p, 2, wait_ms(t->daemon)); /* EINTR or not, the daemon is run and the wait computed again */
        /* Cleared before the run, so that a resume during the run leaves it set for the next wait. */
        if (read(t->wake_fd, &woken, sizeof woken) < 0 && errno != EAGAIN)
            break;
        if (!atomic_load(&t->all->stop))
            MHD_run(t->daemon);
    }
    return NULL;
}

ys_rc ys_loops_start(struct MHD_Daemon *const *daemons, unsigned n, ys_loops **out, ys_err *err)
{
    ys_loops *l = ys_calloc(1, sizeof *l);
    if (!(*out = l) || !(l->loops = ys_calloc(n ? n : 1, sizeof *l->loops)))
        goto fail;
    for (; l->n < n; l->n++) {
        l->loops[l->n] = (loop){.all = l, .daemon = daemons[l->n]};
        if ((l->loops[l->n].wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) < 0)
            goto fail;
    }
    for (unsigned i = 0; i < n; i++) {
        if (pthread_create(&l->loops[i].thread, NULL, loop_main, &l->loops[i]) != 0)
            goto fail;
        l->loops[i].started = true;
    }
    return YS_OK;
fail:
    ys_loops_stop(l);
    *out = NULL;
    return ys_fail(err, YS_NOMEM, NULL, "cannot start the HTTP threads");
}

static void wake(const loop *t)
{
    (void)!write(t->wake_fd, &(uint64_t){1}, sizeof(uint64_t));
}

void ys_loops_wake(ys_loops *l, const struct MHD_Daemon *daemon)
{
    for (unsigned i = 0; l && i < l->n; i++)
        if (l->loops[i].daemon == daemon)
            wake(&l->loops[i]);
}

void ys_loops_stop(ys_loops *l)
{
    if (!l)
        return;
    atomic_store(&l->stop, true);
    for (unsigned i = 0; i < l->n; i++)
        if (l->loops[i].started)
            wake(&l->loops[i]);
    for (unsigned i = 0; i < l->n; i++) {
        if (l->loops[i].started)
            pthread_join(l->loops[i].thread, NULL);
        close(l->loops[i].wake_fd);
    }
    ys_free(l->loops);
    ys_free(l);
}
