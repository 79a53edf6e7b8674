/* held.h — the sentences the bulletin and the plenary report share: when a meeting was held, who someone is
 * (their post, then their name), the attendance with the absent named, the people in a role, and what an
 * agenda item taken up is called. Internal to src/report. */
#ifndef YS_REPORT_HELD_H
#define YS_REPORT_HELD_H

#include "yishi/buf.h"
#include "yishi/meeting.h"

/* 「1月23日下午」 from the meeting's date (the time it was opened, in Beijing, for a meeting from before
 * dates were recorded); `year` writes 「2024年1月23日」 without the half-day. */
void ys__rep_when(ys_buf *t, const ys_meeting *m, bool year);
/* 「省人大常委会副主任吴俊清」: the post, when there is one, then the name. */
void ys__rep_person(ys_buf *t, const ys_session *s, ys_person p);
/* The people of a role at the meeting, each as ys__rep_person (or the name alone), joined by 、; how many (t NULL: only counted). */
int ys__rep_people(ys_buf *t, const ys_session *s, const ys_meeting *m, ys_person_role role, bool posts);
/* 「应出席51人，出席49人，请假1人（甲），缺席1人（乙）。」 (and the quorum for the whole assembly). */
void ys__rep_attendance(ys_buf *t, const ys_session *s, const ys_meeting *m);
/* What a take-up concerns: the document, with its presenter before it when `presenter` (「省长金湘军作的」), or
 * the item's title when it names no document. */
void ys__rep_takeup(ys_buf *t, const ys_session *s, const ys_takeup *tu, bool presenter);

/* The paragraphs of a meeting of the whole assembly (plenary.c): when, who presided, the attendance and
 * quorum, 「大会审查了……」「大会听取了……」, the rostrum in protocol order and who attended by category. */
void ys__rep_plenary(ys_buf *t, const ys_session *s, const ys_meeting *m);

#endif
