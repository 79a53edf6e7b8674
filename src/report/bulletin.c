/* bulletin.c — the bulletin (简报) of a deliberation in the form the secretariat and the provincial papers use:
 * when and which delegation met, the leaders who deliberated with it and who joined it, what it took up, the
 * attendance with the absent named, who spoke in the order they took the floor (「审议中，常书铭、刘星……等代表
 * 先后发言」), the gist of each, and a leader's remarks (「在认真听取大家发言后，唐登杰说」). */
#include "yishi/report.h"

#include "report/held.h"
#include "yishi/alloc.h"
#include "yishi/speech.h"

#include <stdio.h>
#include <string.h>

/* What the meeting took up, 「审议金湘军省长作的政府工作报告」: its take-ups, or for a meeting that recorded
 * none, the topic the first speaker asked to speak on. */
static void what(ys_buf *t, const ys_session *s, const ys_meeting *m)
{
    for (size_t i = 0; i < m->n_takeups; i++) {
        ys_buf_addf(t, "%s%s", i ? "，" : "", ys_item_kind_zh(m->takeups[i].action));
        ys__rep_takeup(t, s, &m->takeups[i], YS__NAME_TITLE);
    }
    for (size_t i = 0; !m->n_takeups && i < s->n_speeches; i++)
        if (s->speeches[i].meeting == m->id && s->speeches[i].topic) {
            ys_buf_addstr(t, s->speeches[i].topic);
            break;
        }
}

static bool has_what(const ys_session *s, const ys_meeting *m)
{
    for (size_t i = 0; !m->n_takeups && i < s->n_speeches; i++)
        if (s->speeches[i].meeting == m->id && s->speeches[i].topic)
            return true;
    return m->n_takeups > 0;
}

/* A leader of the delegation's own (its head) deliberates with it; another comes to it. */
static bool heads_it(const ys_session *s, const ys_meeting *m, ys_person p)
{
    return p.delegate && s->delegates[p.delegate - 1].delegation == m->delegation &&
           (s->delegates[p.delegate - 1].roles & YS_ROLE_DELEGATION_HEAD);
}

/* 「省委书记唐登杰来到他所在的晋中代表团，与代表们一起审议政府工作报告」: the leaders who came to the delegation. */
static int visitors(ys_buf *t, const ys_session *s, const ys_meeting *m)
{
    int n = 0, member = 0;
    const ys_delegate *one = NULL;
    for (size_t i = 0; i < m->n_people; i++) {
        ys_person p = m->people[i].who;
        if (m->people[i].role != YS_PERSON_LEADER || heads_it(s, m, p))
            continue;
        ys_buf_addstr(t, n++ ? "、" : "");
        ys__rep_person(t, s, p);
        one = p.delegate ? &s->delegates[p.delegate - 1] : NULL;
        member += one && one->delegation == m->delegation;
    }
    if (!n)
        return 0;
    if (n == 1 && member)
        ys_buf_addf(t, "来到%s所在的", one->gender == YS_GENDER_FEMALE ? "她" : "他");
    else
        ys_buf_addstr(t, "来到");
    ys_buf_addf(t, "%s代表团，与代表们一起", s->delegations[m->delegation - 1].name);
    what(t, s, m);
    ys_buf_addstr(t, "。");
    return n;
}

/* 「省人大代表、省委常委、市委书记韦韬」: the leaders who head the delegation, joined by 、, each called a
 * delegate first, as one of the delegation deliberating (t NULL: only counted). */
static int heads(ys_buf *t, const ys_session *s, const ys_meeting *m)
{
    int n = 0;
    for (size_t i = 0; i < m->n_people; i++)
        if (m->people[i].role == YS_PERSON_LEADER && heads_it(s, m, m->people[i].who)) {
            if (t) {
                ys_buf_addstr(t, n ? "、" : "");
                ys__rep_deputy(t, s);
                ys_buf_addstr(t, ys_person_post(s, m->people[i].who) ? "、" : "");
                ys__rep_person(t, s, m->people[i].who);
            }
            n++;
        }
    return n;
}

/* 「1月23日下午，太原代表团举行全体会议。省委常委、太原市委书记韦韬与代表们一起审议……。」, or the visitors'
 * sentence in place of the first. */
static void opening(ys_buf *t, const ys_session *s, const ys_meeting *m)
{
    int n_heads = heads(NULL, s, m);
    ys__rep_when(t, m, false);
    ys_buf_addstr(t, "，");
    if (!visitors(t, s, m)) {
        ys_buf_addf(t, "%s代表团举行%s", s->delegations[m->delegation - 1].name,
                    m->kind == YS_MEETING_GROUP ? "小组会议" : "全体会议");
        if (!n_heads && has_what(s, m)) {
            ys_buf_addstr(t, "，");
            what(t, s, m);
        }
        ys_buf_addstr(t, "。");
    }
    if (n_heads && heads(t, s, m)) {
        ys_buf_addstr(t, "与代表们一起");
        what(t, s, m);
        ys_buf_addstr(t, "。");
    }
}

static int in_role(const ys_meeting *m, ys_person_role role)
{
    int n = 0;
    for (size_t i = 0; i < m->n_people; i++)
        n += m->people[i].role == role;
    return n;
}

/* Who else was there: 「会议由……主持。」「省人大常委会副主任吴俊清参加审议。」「……列席会议。」 */
static void others(ys_buf *t, const ys_session *s, const ys_meeting *m)
{
    static const struct { ys_person_role role; const char *before, *after; } lines[] = {
        {YS_PERSON_PRESIDING, "会议由", "主持。"},
        {YS_PERSON_JOINED, "", "参加审议。"},
        {YS_PERSON_ATTENDING, "", "列席会议。"},
    };
    for (size_t k = 0; k < sizeof lines / sizeof *lines; k++) {
        if (!in_role(m, lines[k].role))
            continue;
        ys_buf_addstr(t, lines[k].before);
        ys__rep_people(t, s, m, lines[k].role, lines[k].role != YS_PERSON_PRESIDING);
        ys_buf_addstr(t, lines[k].after);
    }
}

/* The speech that took the floor next after the `after`-th at a meeting, or NULL. */
static const ys_speech *next_spoken(const ys_session *s, int meeting, int after)
{
    const ys_speech *next = NULL;
    for (size_t i = 0; i < s->n_speeches; i++) {
        const ys_speech *sp = &s->speeches[i];
        if (sp->meeting == meeting && sp->spoke > after && (!next || sp->spoke < next->spoke))
            next = sp;
    }
    return next;
}

#define EACH_SPOKEN(sp, s, meeting) \
    for (const ys_speech *sp = next_spoken(s, meeting, 0); sp; sp = next_spoken(s, meeting, sp->spoke))

static bool counts(const ys_speech *sp, ys_speech_kind kind)
{
    return sp->state == YS_SPEECH_DONE && sp->kind == kind;
}

/* 「审议中，甲、乙、丙等代表先后发言。」 in the order they took the floor; one speaker 「甲代表发言。」. */
static int speakers_line(ys_buf *t, const ys_session *s, const ys_meeting *m)
{
    int n = 0;
    EACH_SPOKEN(sp, s, m->id)
        if (counts(sp, YS_SPEECH_DELEGATE))
            ys_buf_addf(t, "%s%s", n++ ? "、" : m->delegation ? "审议中，" : "会上，", s->delegates[sp->delegate - 1].name);
    if (n)
        ys_buf_addstr(t, n > 1 ? "等代表先后发言。\n\n" : "代表发言。\n\n");
    return n;
}

static void what_was_said(ys_buf *t, const ys_session *s, const ys_meeting *m)
{
    EACH_SPOKEN(sp, s, m->id)
        if (counts(sp, YS_SPEECH_DELEGATE) && sp->summary)
            ys_buf_addf(t, "%s代表说：%s\n\n", s->delegates[sp->delegate - 1].name, sp->summary);
}

/* 「在认真听取大家发言后，唐登杰说，……」: a leader's remarks, after the delegates' speeches. */
static void remarks(ys_buf *t, const ys_session *s, const ys_meeting *m, bool said)
{
    EACH_SPOKEN(sp, s, m->id) {
        if (!counts(sp, YS_SPEECH_REMARKS))
            continue;
        const char *name = s->delegates[sp->delegate - 1].name;
        if (said && sp->summary)
            ys_buf_addf(t, "在认真听取大家发言后，%s说，%s\n\n", name, sp->summary);
        else
            ys_buf_addf(t, "在认真听取大家发言后，%s讲话。\n\n", name);
    }
}

static void heading(ys_buf *t, const ys_session *s, const ys_meeting *m, int issue)
{
    char title[512];
    ys_session_title(s, title, sizeof title);
    ys_buf_addf(t, "%s\n简  报\n", title);
    if (issue)
        ys_buf_addf(t, "（第%d期）\n", issue);
    else
        ys_buf_addstr(t, "（未编号）\n");
    ys_buf_addf(t, "%s秘书处编　", title);
    ys__rep_when(t, m, true);
    ys_buf_addf(t, "\n\n%s\n\n", m->title);
}

/* A delegation's deliberation; the whole assembly's meetings are written as the plenary report is. */
static void body(ys_buf *t, const ys_session *s, const ys_meeting *m, bool said)
{
    if (!m->delegation) {
        ys__rep_plenary(t, s, m);
        return;
    }
    opening(t, s, m);
    others(t, s, m);
    ys__rep_attendance(t, s, m);
    ys_buf_addstr(t, "\n\n");
    if (!speakers_line(t, s, m))
        ys_buf_addstr(t, "会上没有代表发言。\n\n");
    if (said)
        what_was_said(t, s, m);
    remarks(t, s, m, said);
}

char *ys_report_bulletin(const ys_session *s, int meeting, int issue, bool said, ys_err *err)
{
    const ys_meeting *m = ys_meeting_get(s, meeting ? meeting : s->current_meeting);
    ys_buf t;
    if (!m) {
        if (meeting)
            ys_fail(err, YS_NOT_FOUND, "meeting", "no meeting %d", meeting);
        else
            ys_fail(err, YS_STATE, "meeting", "no meeting is open: name the meeting of the bulletin");
        return NULL;
    }
    ys_buf_init(&t, YS_REPORT_MAX);
    heading(&t, s, m, issue ? issue : ys_meeting_bulletin(s, m->id));
    body(&t, s, m, said);
    char *text = ys_buf_take(&t, NULL);
    if (!text) /* t.rc says why: out of memory, or past YS_REPORT_MAX */
        ys_fail(err, t.rc, "meeting", "the bulletin of meeting %d cannot be written: %s", m->id,
                ys_rc_text_en(t.rc));
    return text;
}
