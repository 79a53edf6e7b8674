/* publish.h — the public board handed to nginx + nchan (`--nchan-publish`): the public stream's frames,
 * published after commit from a thread of their own, and the lookup nginx asks to resume a watcher. */
#ifndef YS_SERVER_PUBLISH_H
#define YS_SERVER_PUBLISH_H

#include "server/server.h"

/* Starts publishing the public audience's frames to srv->cfg.nchan_publish (the URL of an nchan
 * publisher location) and, with srv->cfg.nchan_resume_port, answers resume lookups on 127.0.0.1:PORT.
 * Never blocks the writer: nchan being down only makes this thread retry. */
ys_rc ys_nchan_start(ys_srv *srv, ys_nchan **out, ys_err *err);
/* Publishes what is still pending (for at most a few seconds), then stops. */
void ys_nchan_stop(ys_nchan *n);

#endif
