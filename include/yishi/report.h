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

/* The bulletin of a meeting: heading, when (the meeting's date and half-day) and which delegation met on
 * what, the leaders who deliberated with it, who presided, joined and attended, the attendance with the
 * absent named, the speakers in the order they took the floor, with `said` the gist of what each said (who
 * may read that is the server's rule: without it, the rest of the bulletin), and a leader's remarks.
 * `meeting` 0 is the meeting open now; `issue` the bulletin's number (第N期), 0 for the number last issued
 * to the meeting (bulletin.issue; 「未编号」 when none was). A meeting of the whole assembly is written as
 * its plenary report under the bulletin's heading. Returns a ys_malloc'd text, or NULL with err filled. */
char *ys_report_bulletin(const ys_session *s, int meeting, int issue, bool said, ys_err *err);

/* The report of a meeting of the whole assembly, as the papers print it: when it met and who presided, the
 * attendance and quorum, 「大会审查了……的报告」「大会听取了……作的关于……的说明」 from the items it took up,
 * 「在主席台就座的还有：……」 in protocol order (posts' ranks; equal ranks as entered), each named group of the
 * rostrum (「在晋两院院士……也在主席台就座」), and 「……等列席会议」 by the attendees' categories (their
 * affiliations). `meeting` 0 is the meeting open now; a delegation's meeting is refused (YS_INVALID). */
char *ys_report_plenary(const ys_session *s, int meeting, ys_err *err);

#endif
