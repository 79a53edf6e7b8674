/* bulletin.c — the bulletin (简报) of a deliberation: which delegation met, when, on what, who was there,
 * and who spoke in which order with the gist of what they said — the paragraphs a provincial paper
 * prints as 「审议中，常书铭、刘星……等代表先后发言」. */
#include "yishi/report.h"

#include "yishi/alloc.h"
#include "yishi/buf.h"
#include "yishi/speech.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* "2024-01-23T07:00:00.000Z" in Beijing time: the month, the day and 上午/下午/晚上. */
static void beijing(const char *iso, int *month, int *day, const char **part)
{
    struct tm tm = {0};
    *month = *day = 0;
    *part = "";
    if (sscanf(iso, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
               &tm.tm_sec) != 6)
        return;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    time_t t = timegm(&tm) + 8 * 3600;
    gmtime_r(&t, &tm);
    *month = tm.tm_mon + 1;
    *day = tm.tm_mday;
    *part = tm.tm_hour < 12 ? "上午" : tm.tm_hour < 18 ? "下午" : "晚上";
}

/* What the meeting took up, as the speakers asked to speak on it: 「审议政府工作报告」. */
static const char *first_topic(const ys_session *s, int meeting)
{
    for (size_t i = 0; i < s->n_speeches; i++)
        if (s->speeches[i].meeting == meeting && s->speeches[i].topic)
            return s->speeches[i].topic;
    return NULL;
}

/* 「甲、乙、丙等代表先后发言」 in the order they spoke. */
static int speakers_line(ys_buf *t, const ys_session *s, int meeting)
{
    int n = 0;
    for (size_t i = 0; i < s->n_speeches; i++) {
        const ys_speech *sp = &s->speeches[i];
        if (sp->meeting == meeting && sp->state == YS_SPEECH_DONE)
            ys_buf_addf(t, "%s%s", n++ ? "、" : "审议中，", s->delegates[sp->delegate - 1].name);
    }
    if (n)
        ys_buf_addf(t, "%s代表先后发言。\n\n", n > 1 ? "等" : "");
    return n;
}

static void what_was_said(ys_buf *t, const ys_session *s, int meeting)
{
    for (size_t i = 0; i < s->n_speeches; i++) {
        const ys_speech *sp = &s->speeches[i];
        if (sp->meeting == meeting && sp->state == YS_SPEECH_DONE && sp->summary)
            ys_buf_addf(t, "%s代表说：%s\n\n", s->delegates[sp->delegate - 1].name, sp->summary);
    }
}

char *ys_report_bulletin(const ys_session *s, int meeting, int issue, bool said, ys_err *err)
{
    const ys_meeting *m = ys_meeting_get(s, meeting ? meeting : s->current_meeting);
    ys_buf t;
    char title[512];
    int month, day;
    const char *part;
    if (!m) {
        if (meeting)
            ys_fail(err, YS_NOT_FOUND, "meeting", "no meeting %d", meeting);
        else
            ys_fail(err, YS_STATE, "meeting", "no meeting is open: name the meeting of the bulletin");
        return NULL;
    }
    meeting = m->id;
    ys_buf_init(&t, YS_REPORT_MAX);
    ys_session_title(s, title, sizeof title);
    beijing(m->opened_at, &month, &day, &part);
    ys_attendance a = ys_meeting_attendance(s, m);
    ys_buf_addf(&t, "%s\n简  报\n（第%d期）\n%s秘书处编\n\n", title, issue, title);
    ys_buf_addf(&t, "%s\n\n", m->title);
    ys_buf_addf(&t, "%d月%d日%s，", month, day, part);
    if (m->kind == YS_MEETING_DELEGATION || m->kind == YS_MEETING_GROUP)
        ys_buf_addf(&t, "%s代表团举行%s", s->delegations[m->delegation - 1].name,
                    m->kind == YS_MEETING_GROUP ? "小组会议" : "全体会议");
    else
        ys_buf_addf(&t, "大会举行%s", m->kind == YS_MEETING_PREPARATORY ? "预备会议" : m->title);
    const char *topic = first_topic(s, meeting);
    ys_buf_addf(&t, "%s%s。", topic ? "，" : "", topic ? topic : "");
    ys_buf_addf(&t, "应出席%d人，出席%d人", a.entitled, a.present);
    if (a.on_leave)
        ys_buf_addf(&t, "，请假%d人", a.on_leave);
    ys_buf_addstr(&t, "。\n\n");
    if (!speakers_line(&t, s, meeting))
        ys_buf_addstr(&t, "会上没有代表发言。\n\n");
    if (said)
        what_was_said(&t, s, meeting);
    char *text = ys_buf_take(&t, NULL);
    if (!text) /* t.rc says why: out of memory, or past YS_REPORT_MAX */
        ys_fail(err, t.rc, "meeting", "the bulletin of meeting %d cannot be written: %s", meeting,
                ys_rc_text_en(t.rc));
    return text;
}
