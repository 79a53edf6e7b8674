/* bulletin.c — the bulletin (简报) of a deliberation: which delegation met, when, on what, who was there,
 * and who spoke in which order with the gist of what they said — the paragraphs a provincial paper
 * prints as 「审议中，常书铭、刘星……等代表先后发言」. */
#include "yishi/report.h"

#include "yishi/alloc.h"
#include "yishi/speech.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

typedef struct text {
    char *p;
    size_t n, cap;
    bool failed;
} text;

static void add(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(text *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int need = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (need < 0 || t->failed || ys_grow((void **)&t->p, &t->cap, t->n + (size_t)need + 1, 1)) {
        t->failed = true;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(t->p + t->n, t->cap - t->n, fmt, ap);
    va_end(ap);
    t->n += (size_t)need;
}

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
static int speakers_line(text *t, const ys_session *s, int meeting)
{
    int n = 0;
    for (size_t i = 0; i < s->n_speeches; i++) {
        const ys_speech *sp = &s->speeches[i];
        if (sp->meeting == meeting && sp->state == YS_SPEECH_DONE)
            add(t, "%s%s", n++ ? "、" : "审议中，", s->delegates[sp->delegate - 1].name);
    }
    if (n)
        add(t, "%s代表先后发言。\n\n", n > 1 ? "等" : "");
    return n;
}

static void what_was_said(text *t, const ys_session *s, int meeting)
{
    for (size_t i = 0; i < s->n_speeches; i++) {
        const ys_speech *sp = &s->speeches[i];
        if (sp->meeting == meeting && sp->state == YS_SPEECH_DONE && sp->summary)
            add(t, "%s代表说：%s\n\n", s->delegates[sp->delegate - 1].name, sp->summary);
    }
}

char *ys_report_bulletin(const ys_session *s, int meeting, int issue, ys_err *err)
{
    const ys_meeting *m = ys_meeting_get(s, meeting);
    text t = {0};
    char title[512];
    int month, day;
    const char *part;
    if (!m) {
        ys_fail(err, YS_NOT_FOUND, "meeting", "no meeting %d", meeting);
        return NULL;
    }
    ys_session_title(s, title, sizeof title);
    beijing(m->opened_at, &month, &day, &part);
    ys_attendance a = ys_meeting_attendance(s, m);
    add(&t, "%s\n简  报\n（第%d期）\n%s秘书处编\n\n", title, issue, title);
    add(&t, "%s\n\n", m->title);
    add(&t, "%d月%d日%s，", month, day, part);
    if (m->kind == YS_MEETING_DELEGATION || m->kind == YS_MEETING_GROUP)
        add(&t, "%s代表团举行%s", s->delegations[m->delegation - 1].name,
            m->kind == YS_MEETING_GROUP ? "小组会议" : "全体会议");
    else
        add(&t, "大会举行%s", m->kind == YS_MEETING_PREPARATORY ? "预备会议" : m->title);
    const char *topic = first_topic(s, meeting);
    add(&t, "%s%s。", topic ? "，" : "", topic ? topic : "");
    add(&t, "应出席%d人，出席%d人", a.entitled, a.present);
    if (a.on_leave)
        add(&t, "，请假%d人", a.on_leave);
    add(&t, "。\n\n");
    if (!speakers_line(&t, s, meeting))
        add(&t, "会上没有代表发言。\n\n");
    what_was_said(&t, s, meeting);
    if (t.failed) {
        ys_free(t.p);
        ys_fail(err, YS_NOMEM, NULL, "out of memory writing the bulletin");
        return NULL;
    }
    return t.p;
}
