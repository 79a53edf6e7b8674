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
/* 「金湘军省长」: the name, then the last of the titles the post joins with 、 (省委副书记、省长: 省长), as a
 * paper names someone whose work it refers to. The name alone without a post. */
void ys__rep_name_title(ys_buf *t, const ys_session *s, ys_person p);
/* 「省人大代表」: what a delegate of this assembly is called, from its name (全国人民代表大会: 全国人大代表;
 * 山西省人民代表大会: 省人大代表; …区人民代表大会: 区人大代表); 「代表」 for an assembly of another name. */
void ys__rep_deputy(ys_buf *t, const ys_session *s);

/* How a take-up names who presented it. */
typedef enum ys__presenter {
    YS__NO_PRESENTER,   /* 「政府工作报告」 */
    YS__POST_NAME,      /* 「省人大常委会副主任贺天才作的……」: a plenary's record */
    YS__NAME_TITLE,     /* 「金湘军省长作的……」: a delegation's bulletin */
} ys__presenter;
/* What a take-up concerns: the document, with its presenter before it as `how` says, or the item's title when
 * it names no document. */
void ys__rep_takeup(ys_buf *t, const ys_session *s, const ys_takeup *tu, ys__presenter how);

/* The paragraphs of a meeting of the whole assembly (plenary.c): when, who presided, the attendance and
 * quorum, 「大会审查了……」「大会听取了……」, the rostrum in protocol order and who attended by category. */
void ys__rep_plenary(ys_buf *t, const ys_session *s, const ys_meeting *m);

#endif
