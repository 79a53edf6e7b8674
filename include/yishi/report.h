/* report.h — what a secretariat publishes, written from the session's state: the bulletin (简报) of a
 * deliberation, in the form the hall's secretariat and the newspapers use. Text only; no I/O. */
#ifndef YISHI_REPORT_H
#define YISHI_REPORT_H

#include "yishi/session.h"

/* A bulletin's text at most: far past the longest meeting's (a thousand speeches of the longest
 * summary, 20,000 bytes, come to 20 MB). */
#define YS_REPORT_MAX ((size_t)64 << 20)
/* The highest bulletin number (第N期) either the command line or the server takes. */
#define YS_REPORT_ISSUE_MAX 100000

/* The bulletin of a meeting: heading, when and which delegation met on what, attendance, the speakers
 * in the order they spoke, and, with `said`, the gist of what each said (who may read that is the
 * server's rule: without it, the rest of the bulletin). `meeting` 0 is the meeting open now; `issue` is
 * the bulletin's number (第N期).
 * Times are given in Beijing time (UTC+8). Returns a ys_malloc'd text, or NULL with err filled. */
char *ys_report_bulletin(const ys_session *s, int meeting, int issue, bool said, ys_err *err);

#endif
