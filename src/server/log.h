/* log.h — the server's log: lines on standard error at syslog's levels (yishi/server.h), filtered by
 * --log-level, with the priority prefix the journal reads when systemd runs the server. */
#ifndef YISHI_SERVER_LOG_H
#define YISHI_SERVER_LOG_H

#include "yishi/server.h"

#include <stdbool.h>

/* Sets the level (0: notice) and whether standard error goes to the journal; once, before threads start. */
void ys_log_init(int level);
bool ys_log_enabled(int level);
void ys_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
