/* held.c — the sentences the bulletin and the plenary report share (held.h): when, who, the attendance with
 * the absent named, and what an agenda item taken up is called. */
#include "report/held.h"

#include <stdio.h>
#include <string.h>

void ys__rep_when(ys_buf *t, const ys_meeting *m, bool year)
{
    int y = 0, mo = 0, d = 0, half = m->half_day;
    char opened[11] = "";
    /* a meeting opened before dates were recorded: the day it was opened */
    if (!m->date[0] && ys_beijing_day(m->opened_at, opened, &half))
        sscanf(opened, "%4d-%2d-%2d", &y, &mo, &d);
    else
        sscanf(m->date, "%4d-%2d-%2d", &y, &mo, &d);
    if (year)
        ys_buf_addf(t, "%d年%d月%d日", y, mo, d);
    else
        ys_buf_addf(t, "%d月%d日%s", mo, d, ys_half_day_zh((ys_half_day)half));
}

void ys__rep_person(ys_buf *t, const ys_session *s, ys_person p)
{
    const char *post = ys_person_post(s, p);
    ys_buf_addf(t, "%s%s", post ? post : "", ys_person_name(s, p));
}

int ys__rep_people(ys_buf *t, const ys_session *s, const ys_meeting *m, ys_person_role role, bool posts)
{
    int n = 0;
    for (size_t i = 0; i < m->n_people; i++) {
        if (m->people[i].role != role || (n++, !t))
            continue;
        ys_buf_addstr(t, n > 1 ? "、" : "");
        if (posts)
            ys__rep_person(t, s, m->people[i].who);
        else
            ys_buf_addstr(t, ys_person_name(s, m->people[i].who));
    }
    return n;
}

/* 「，请假2人（甲、乙）」: the count of the meeting's own delegates in one presence, and their names. */
static void named(ys_buf *t, const ys_session *s, const ys_meeting *m, ys_presence which, const char *word, int count)
{
    int n = 0;
    if (!count)
        return;
    ys_buf_addf(t, "，%s%d人（", word, count);
    for (size_t i = 0; i < s->n_delegates; i++) {
        const ys_delegate *d = &s->delegates[i];
        if (d->entitled && (!m->delegation || d->delegation == m->delegation) &&
            ys_meeting_presence(m, d->id) == which)
            ys_buf_addf(t, "%s%s", n++ ? "、" : "", d->name);
    }
    ys_buf_addstr(t, "）");
}

void ys__rep_attendance(ys_buf *t, const ys_session *s, const ys_meeting *m)
{
    ys_attendance a = ys_meeting_attendance(s, m);
    ys_buf_addf(t, "应出席%d人，出席%d人", a.entitled, a.present);
    named(t, s, m, YS_ON_LEAVE, "请假", a.on_leave);
    named(t, s, m, YS_ABSENT, "缺席", a.absent - a.on_leave); /* a.absent counts those on leave too */
    ys_buf_addstr(t, "。");
    /* whether it was quorate as held, closed or not (ys_attendance says so of open meetings only) */
    if (a.has_quorum)
        ys_buf_addstr(t, ys_threshold_met(&s->rules->quorum, a.present, a.entitled) ? "出席人数符合法定人数。"
                                                                                   : "出席人数不足法定人数。");
}

void ys__rep_name_title(ys_buf *t, const ys_session *s, ys_person p)
{
    const char *post = ys_person_post(s, p), *last = post;
    for (const char *sep = post ? strstr(post, "、") : NULL; sep; sep = strstr(sep, "、"))
        last = sep += strlen("、");
    ys_buf_addf(t, "%s%s", ys_person_name(s, p), last ? last : "");
}

void ys__rep_deputy(ys_buf *t, const ys_session *s)
{
    static const char congress[] = "人民代表大会";
    const char *a = s->assembly ? s->assembly : "", *end = strstr(a, congress);
    if (!strncmp(a, "全国", strlen("全国")))
        ys_buf_addstr(t, "全国人大代表");
    else if (end && end > a) {
        const char *level = end - 1; /* the character before 人民代表大会: 省, 市, 县, 区, 乡, 镇 … */
        while (level > a && ((unsigned char)*level & 0xC0) == 0x80)
            level--;
        ys_buf_addf(t, "%.*s人大代表", (int)(end - level), level);
    } else
        ys_buf_addstr(t, "代表");
}

void ys__rep_takeup(ys_buf *t, const ys_session *s, const ys_takeup *tu, ys__presenter how)
{
    if (how != YS__NO_PRESENTER && (tu->presenter.delegate || tu->presenter.attendee)) {
        if (how == YS__NAME_TITLE)
            ys__rep_name_title(t, s, tu->presenter);
        else
            ys__rep_person(t, s, tu->presenter);
        ys_buf_addstr(t, "作的");
    }
    ys_buf_addstr(t, tu->document ? s->documents[tu->document - 1].title : s->items[tu->item - 1].title);
}
