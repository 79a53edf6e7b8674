/* plenary.c — the report of a meeting of the whole assembly in the newspaper's form: 「大会审查了……的报告」
 * 「大会听取了……作的关于……的说明」, 「在主席台就座的还有：……等」 in protocol order, the rostrum's named groups
 * (「在晋两院院士……也在主席台就座」) and 「……等列席会议」 by category. */
#include "yishi/report.h"

#include "report/held.h"

#include <limits.h>
#include <string.h>

static bool same_text(const char *a, const char *b) { return a == b || (a && b && !strcmp(a, b)); }

static bool by_body(const ys_takeup *t) { return !t->presenter.delegate && !t->presenter.attendee; }

/* 「大会审查了省人民政府关于……的报告，关于……的报告。」: take-ups in a row of one action and one body (and no
 * person presenting) are one sentence; a person's report or explanation is a sentence of its own. */
static void takeups(ys_buf *t, const ys_session *s, const ys_meeting *m)
{
    for (size_t i = 0; i < m->n_takeups;) {
        const ys_takeup *first = &m->takeups[i];
        /* an item without a document is called by its title, which says what is done: 「表决……」 */
        if (first->document)
            ys_buf_addf(t, "大会%s了%s", ys_item_kind_zh(first->action), first->body ? first->body : "");
        else
            ys_buf_addstr(t, "大会");
        ys__rep_takeup(t, s, first, YS__POST_NAME);
        for (i++; i < m->n_takeups && by_body(first) && by_body(&m->takeups[i]) &&
                  m->takeups[i].action == first->action && same_text(m->takeups[i].body, first->body);
             i++) {
            ys_buf_addstr(t, "，");
            ys__rep_takeup(t, s, &m->takeups[i], YS__NO_PRESENTER);
        }
        ys_buf_addstr(t, "。\n\n");
    }
}

/* The rostrum's people of one group (NULL: the main list) in protocol order: by their posts' ranks, equal
 * ranks in the order entered. Quadratic in the rostrum's size, which is a few dozen. */
static int rostrum_group(ys_buf *t, const ys_session *s, const ys_meeting *m, const char *group)
{
    long long last = LLONG_MIN;
    int n = 0;
    for (;;) {
        long long rank = LLONG_MAX;
        for (size_t i = 0; i < m->n_people; i++) {
            long long r = ys_person_rank(s, m->people[i].who);
            if (m->people[i].role == YS_PERSON_ROSTRUM && same_text(m->people[i].group, group) && r > last && r < rank)
                rank = r;
        }
        if (rank == LLONG_MAX)
            return n;
        for (size_t i = 0; i < m->n_people; i++)
            if (m->people[i].role == YS_PERSON_ROSTRUM && same_text(m->people[i].group, group) &&
                ys_person_rank(s, m->people[i].who) == rank)
                ys_buf_addf(t, "%s%s", n++ ? "、" : "", ys_person_name(s, m->people[i].who));
        last = rank;
    }
}

/* Whether people[i] is the first of the rostrum in its group. */
static bool first_of_group(const ys_meeting *m, size_t i)
{
    for (size_t k = 0; k < i; k++)
        if (m->people[k].role == YS_PERSON_ROSTRUM && same_text(m->people[k].group, m->people[i].group))
            return false;
    return true;
}

static void rostrum(ys_buf *t, const ys_session *s, const ys_meeting *m)
{
    bool any = false, main_list = false;
    for (size_t i = 0; i < m->n_people; i++) {
        any |= m->people[i].role == YS_PERSON_ROSTRUM;
        main_list |= m->people[i].role == YS_PERSON_ROSTRUM && !m->people[i].group;
    }
    if (!any)
        return;
    if (main_list) {
        ys_buf_addstr(t, "在主席台就座的还有：");
        rostrum_group(t, s, m, NULL);
        ys_buf_addstr(t, "等。");
    }
    for (size_t i = 0; i < m->n_people; i++) {
        const ys_meeting_person *p = &m->people[i];
        if (p->role != YS_PERSON_ROSTRUM || !p->group || !first_of_group(m, i))
            continue;
        ys_buf_addstr(t, p->group);
        rostrum_group(t, s, m, p->group);
        ys_buf_addstr(t, "也在主席台就座。");
    }
    ys_buf_addstr(t, "\n\n");
}

/* An attendee's category is their affiliation; a delegate or an attendee without one is named alone. */
static const char *category(const ys_session *s, ys_person p)
{
    const char *aff = p.attendee ? s->attendees[p.attendee - 1].affiliation : NULL;
    return aff && *aff ? aff : ys_person_name(s, p);
}

/* Whether two categories begin alike (在晋十四届全国人大代表, 在晋十四届全国政协委员): at least two characters
 * in common, which the report reads as one group of the list. */
static bool same_group(const char *a, const char *b)
{
    size_t chars = 0;
    for (size_t i = 0; a[i] && a[i] == b[i]; i++)
        chars += ((unsigned char)a[i + 1] & 0xC0) != 0x80; /* a character of a's ends here, matched whole */
    return chars >= 2;
}

/* 「在晋十四届全国人大代表、在晋十四届全国政协委员，十三届省政协委员，中央驻晋单位和企业负责同志等列席会议。」
 * each category once, as first met: the categories of a group (beginning alike) joined by 、, the groups by ，. */
static void attending(ys_buf *t, const ys_session *s, const ys_meeting *m)
{
    int n = 0;
    const char *before = NULL;
    for (size_t i = 0; i < m->n_people; i++) {
        if (m->people[i].role != YS_PERSON_ATTENDING)
            continue;
        const char *cat = category(s, m->people[i].who);
        bool seen = false;
        for (size_t k = 0; k < i && !seen; k++)
            seen = m->people[k].role == YS_PERSON_ATTENDING && !strcmp(category(s, m->people[k].who), cat);
        if (seen)
            continue;
        ys_buf_addf(t, "%s%s", !n++ ? "" : same_group(before, cat) ? "、" : "，", cat);
        before = cat;
    }
    if (n)
        ys_buf_addstr(t, "等列席会议。\n\n");
}

void ys__rep_plenary(ys_buf *t, const ys_session *s, const ys_meeting *m)
{
    char title[512];
    ys_session_title(s, title, sizeof title);
    ys__rep_when(t, m, false);
    ys_buf_addf(t, "，%s举行%s。", title, m->title);
    if (ys__rep_people(NULL, s, m, YS_PERSON_PRESIDING, false)) {
        ys_buf_addstr(t, "会议由");
        ys__rep_people(t, s, m, YS_PERSON_PRESIDING, false);
        ys_buf_addstr(t, "主持。");
    }
    ys__rep_attendance(t, s, m);
    ys_buf_addstr(t, "\n\n");
    takeups(t, s, m);
    rostrum(t, s, m);
    attending(t, s, m);
}

char *ys_report_plenary(const ys_session *s, int meeting, ys_err *err)
{
    const ys_meeting *m = ys_meeting_get(s, meeting ? meeting : s->current_meeting);
    char title[512];
    ys_buf t;
    if (!m) {
        if (meeting)
            ys_fail(err, YS_NOT_FOUND, "meeting", "no meeting %d", meeting);
        else
            ys_fail(err, YS_STATE, "meeting", "no meeting is open: name the meeting of the report");
        return NULL;
    }
    if (m->delegation) {
        ys_fail(err, YS_INVALID, "meeting", "meeting %d (%s) is a delegation's: its report is the bulletin", m->id,
                m->title);
        return NULL;
    }
    ys_session_title(s, title, sizeof title);
    ys_buf_init(&t, YS_REPORT_MAX);
    ys_buf_addf(&t, "%s\n%s\n\n", title, m->title);
    ys__rep_plenary(&t, s, m);
    char *text = ys_buf_take(&t, NULL);
    if (!text)
        ys_fail(err, t.rc, "meeting", "the report of meeting %d cannot be written: %s", m->id, ys_rc_text_en(t.rc));
    return text;
}
