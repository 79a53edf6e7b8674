/* reports.h — the reports written from the log alone as documents (rdoc.h): the result announcements of the
 * votes and elections, the session summary, the roll calls of named votes; and the exports (Popolo / Open Civic
 * Data JSON, CSV of every list, Akoma Ntoso debates). No I/O: each returns what the caller writes or serves. */
#ifndef YISHI_REPORTS_H
#define YISHI_REPORTS_H

#include "yishi/rdoc.h"

#include <jansson.h>

/* A meeting's day in Beijing time (UTC+8) from its opening time: 「2024年1月23日下午」 (上午 before noon, 下午 until
 * 18:00, 晚上 after). The empty string for a time not in the log's form. */
void ys_report_day(const char *iso, char *out, size_t n);
/* The day a meeting was held, as the reports give it: its own date and half-day (meeting.h), entered when it
 * was scheduled or afterwards from paper; for a meeting from before dates were recorded, the day it opened. */
void ys_report_meeting_day(const ys_meeting *m, char *out, size_t n);
/* The same day as YYYY-MM-DD, for the open formats' dates ("" if the meeting has none). */
void ys_report_meeting_date(const ys_meeting *m, char out[11]);

/* The result announcements (Art. 59 of the NPC's rules of procedure: 「表决结果由会议主持人当场宣布」; elections,
 * the presidium's): every closed poll and election in the order they were held, each in the words it was announced
 * (as logged), or, not yet announced, in the words the announcement will use (ys_poll_announcement,
 * ys_election_announcement) marked so. `poll` or `election` (not both) keeps one; 0 for all. An unknown id is
 * YS_NOT_FOUND, one not closed YS_STATE. */
ys_rdoc *ys_report_results(const ys_session *s, int poll, int election, ys_err *err);

/* The session summary: each meeting with its day and attendance (应出席 / 出席 / 请假 / 缺席), every result, and the
 * motions' place. */
ys_rdoc *ys_report_summary(const ys_session *s, ys_err *err);

/* The roll call of a named poll (记名表决: choices logged with their voters): each entitled delegate by delegation
 * and how they voted, or that they did not vote or were absent. `poll` 0: every closed named poll. A poll that is
 * not named is YS_NOT_FOUND (its choices are not linked to voters); one not closed YS_STATE. */
ys_rdoc *ys_report_rollcall(const ys_session *s, int poll, ys_err *err);
/* The opinions on document `document` gathered by section for its drafting team, with whether a later version
 * took each up, and each version's explanation of changes (opinion.h). */
ys_rdoc *ys_report_opinions(const ys_session *s, int document, ys_err *err);

/* ---- exports ---- */

/* The session as Popolo (https://www.popoloproject.com) with Open Civic Data's ids for events and votes: persons,
 * organizations (the assembly and its delegations), memberships, posts, events (the meetings), vote_events with
 * counts (polls; elections with each candidate's counts), individual votes for named polls only; never a secret
 * ballot's content, never a leave's reason. NULL with err when out of memory. */
json_t *ys_export_popolo(const ys_session *s, ys_err *err);

/* The lists as CSV (RFC 4180, UTF-8, CRLF): delegates, delegations, attendees, meetings, attendance (one row per
 * meeting and delegate), polls, elections (one row per candidate, with the result). */
#define YS_EXPORT_CSV_LISTS(X) X(delegates) X(delegations) X(attendees) X(meetings) X(attendance) X(polls) X(elections)
/* The names of the lists, NULL-terminated. */
extern const char *const ys_export_csv_lists[];
/* One list's CSV, ys_malloc'd; an unknown list is YS_INVALID naming the lists. */
char *ys_export_csv(const ys_session *s, const char *list, size_t *len, ys_err *err);

/* The Akoma Ntoso 3.0 `debate` of a meeting's record: who presided over what (the meeting, its day, the session),
 * the speeches by person in the order given, with what each said when `said` (the caller's rule of who may read
 * it), and the votes taken at it with the quorum and the counts. Well-formed XML in UTF-8, everything escaped. */
char *ys_export_akn(const ys_session *s, int meeting, bool said, size_t *len, ys_err *err);

#endif
