/* loops.h — the HTTP threads: each runs the event loop of a libmicrohttpd daemon of its own, all of them
 * on one listening socket. Internal to src/server; http.c starts the daemons and hands them over. */
#ifndef YS_SERVER_LOOPS_H
#define YS_SERVER_LOOPS_H

#include "yishi/error.h"

#include <microhttpd.h>
#include <sys/socket.h>

typedef struct ys_loops ys_loops;

/* A nonblocking socket listening on `ss` (SO_REUSEADDR, never SO_REUSEPORT, so that a port another server
 * listens on is refused rather than shared); -1 with err set when it cannot be had. */
int ys_listen_on(const struct sockaddr_storage *ss, const char *address, ys_err *err);
/* Runs each of the n daemons (started with MHD_USE_EPOLL, without MHD_USE_INTERNAL_POLLING_THREAD) on a
 * thread of its own until ys_loops_stop; the daemons stay the caller's. *out is set before the first thread
 * starts, so that the first connections may already be resumed. On failure *out is NULL. */
ys_rc ys_loops_start(struct MHD_Daemon *const *daemons, unsigned n, ys_loops **out, ys_err *err);
/* After MHD_resume_connection from any thread: the loop of the connection's daemon runs it again. */
void ys_loops_wake(ys_loops *l, const struct MHD_Daemon *daemon);
/* Ends every thread's loop and waits for it; then the daemons may be stopped. */
void ys_loops_stop(ys_loops *l);

#endif
