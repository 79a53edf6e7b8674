/* results.c — the results of a session's votes as published: each announcement in the statute's words (as the
 * core writes and the log keeps them, never counted again here), and the roll calls of named votes. */
#include "report/report_int.h"

#include "yishi/meeting.h"
#include "yishi/poll.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

void ys_report_day(const char *iso, char *out, size_t n)
{
    struct tm tm = {0};
    if (n)
        out[0] = '\0';
    if (!iso || sscanf(iso, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
                       &tm.tm_sec) != 6)
        return;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    time_t t = timegm(&tm) + 8 * 3600; /* Beijing time */
    gmtime_r(&t, &tm);
    snprintf(out, n, "%d年%d月%d日%s", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
             tm.tm_hour < 12 ? "上午" : tm.tm_hour < 18 ? "下午" : "晚上");
}

void ys_report_meeting_day(const ys_meeting *m, char *out, size_t n)
{
    int y = 0, mo = 0, d = 0;
    if (m->date[0] && sscanf(m->date, "%4d-%2d-%2d", &y, &mo, &d) == 3)
        snprintf(out, n, "%d年%d月%d日%s", y, mo, d, ys_half_day_zh((ys_half_day)m->half_day));
    else
        ys_report_day(m->opened_at, out, n);
}

void ys_report_meeting_date(const ys_meeting *m, char out[11])
{
    int half = 0;
    if (m->date[0])
        snprintf(out, 11, "%s", m->date);
    else if (!ys_beijing_day(m->opened_at, out, &half))
        out[0] = '\0';
}

/* The session's title as the document's first heading, and the report's name under it. */
ys_rdoc *ys__report_begin(const ys_session *s, const char *name, ys_err *err)
{
    char title[512], full[640];
    ys_session_title(s, title, sizeof title);
    snprintf(full, sizeof full, "%s %s", title, name);
    ys_rdoc *d = ys_rdoc_new(s, full);
    if (!d) {
        ys_fail(err, YS_NOMEM, "report", "out of memory for the %s", name);
        return NULL;
    }
    ys_rdoc_heading(d, 1, "%s", title);
    ys_rdoc_heading(d, 1, "%s", name);
    return d;
}

const char *ys__poll_verb(const char *title)
{
    return strncmp(title, "表决", strlen("表决")) == 0 ? "" : "表决";
}

bool ys__meeting_quorate(const ys_attendance *a)
{
    return a->has_quorum && a->present >= a->quorum;
}

/* Where and when a vote was held: 「第三次全体会议，2024年1月26日上午」. */
static void held_at(const ys_session *s, int meeting, const char *opened, char *out, size_t n)
{
    const ys_meeting *m = ys_meeting_get(s, meeting);
    char day[64];
    if (m && m->date[0])
        ys_report_meeting_day(m, day, sizeof day);
    else
        ys_report_day(opened, day, sizeof day);
    snprintf(out, n, "%s%s%s", m ? m->title : "", m && *day ? "，" : "", day);
}

static void poll_result(ys_rdoc *d, const ys_session *s, const ys_poll *p)
{
    char where[400], text[1024];
    held_at(s, p->meeting, p->opened_at, where, sizeof where);
    ys_rdoc_heading(d, 2, "%s%s", ys__poll_verb(p->title), p->title);
    ys_rdoc_para(d, "%s。%s%s。", where, p->named ? "记名表决，" : "",
                 p->method == YS_METHOD_TERMINAL || !p->method ? "使用表决器" : ys_method_word(p->method));
    if (!p->counted) {
        ys_rdoc_para(d, "表决已结束，正在计票：监票人的解密尚未全部完成。");
        return;
    }
    if (p->announcement)
        ys_rdoc_para(d, "%s", p->announcement);
    else {
        ys_poll_announcement(p, text, sizeof text);
        ys_rdoc_para(d, "%s（尚未宣布）", text);
    }
}

static void election_result(ys_rdoc *d, const ys_session *s, const ys_session_election *el)
{
    char where[400], text[4096];
    held_at(s, el->meeting, el->opened_at, where, sizeof where);
    ys_rdoc_heading(d, 2, "%s：%s", el->kind == YS_PRELIMINARY ? "预选" : el->by_election ? "补选" : "选举",
                    ys_election_office_name(s, el));
    ys_rdoc_para(d, "%s。无记名投票。", where);
    if (!el->result)
        ys_rdoc_para(d, "投票已结束，正在计票：监票人的解密尚未全部完成。");
    else if (el->announcement)
        ys_rdoc_para(d, "%s", el->announcement);
    else {
        ys_election_announcement(s, el, text, sizeof text);
        ys_rdoc_para(d, "%s（尚未宣布）", text);
    }
}

static bool one_closed(const char *what, int id, bool exists, ys_poll_state st, ys_err *err)
{
    if (!exists)
        ys_fail(err, YS_NOT_FOUND, what, "no %s %d", what, id);
    else if (st != YS_POLL_CLOSED)
        ys_fail(err, YS_STATE, what, "%s %d is %s: its result is published once it is closed", what, id,
                ys_poll_state_phrase(st));
    return exists && st == YS_POLL_CLOSED;
}

/* Votes in the order they were held: by the seq of the event that closed each. */
ys_rdoc *ys_report_results(const ys_session *s, int poll, int election, ys_err *err)
{
    const ys_poll *p = poll ? ys_poll_get(s, poll) : NULL;
    const ys_session_election *e = election ? ys_session_election_get(s, election) : NULL;
    if ((poll && !one_closed("poll", poll, p, p ? p->state : 0, err)) ||
        (election && !one_closed("election", election, e, e ? e->state : 0, err)))
        return NULL;
    ys_rdoc *d = ys__report_begin(s, "表决和选举结果", err);
    size_t ip = 0, ie = 0, shown = 0;
    while (d && (ip < s->n_polls || ie < s->n_elections)) {
        const ys_poll *np = ip < s->n_polls ? &s->polls[ip] : NULL;
        const ys_session_election *ne = ie < s->n_elections ? &s->elections[ie] : NULL;
        /* the ones not closed have no seq: they sort last, and are skipped */
        int64_t kp = np && np->closed_seq ? np->closed_seq : INT64_MAX, ke = ne && ne->closed_seq ? ne->closed_seq : INT64_MAX;
        bool take_poll = np && (!ne || kp <= ke);
        if (take_poll) {
            ip++;
            if (np->state == YS_POLL_CLOSED && (!poll || np == p) && !election && ++shown)
                poll_result(d, s, np);
        } else {
            ie++;
            if (ne->state == YS_POLL_CLOSED && (!election || ne == e) && !poll && ++shown)
                election_result(d, s, ne);
        }
    }
    if (d && !shown)
        ys_rdoc_para(d, "本次会议尚无结束的表决或选举。");
    return d;
}

/* ---- roll calls ---- */

static const char *how_voted(const ys_session *s, const ys_poll *p, const ys_delegate *dl)
{
    size_t i = (size_t)dl->id - 1;
    if (i < p->choice_cap && p->choice[i])
        return ys_choice_zh((ys_choice)p->choice[i]);
    return ys_poll_voter(s, p, dl->id) == YS_VOTER_ABSENT ? "缺席" : "未按表决器";
}

static void rollcall_of(ys_rdoc *d, const ys_session *s, const ys_poll *p)
{
    static const char *const header[] = {"代表团", "代表证号", "姓名", "表决"};
    char text[1024];
    poll_result(d, s, p);
    ys_rdoc_table(d, 4, header);
    for (size_t g = 0; g < s->n_delegations; g++)
        for (size_t i = 0; i < s->n_delegates; i++) {
            const ys_delegate *dl = &s->delegates[i];
            bool voted = (size_t)dl->id - 1 < p->choice_cap && p->choice[dl->id - 1];
            if (dl->delegation != s->delegations[g].id || (!dl->entitled && !voted))
                continue;
            const char *row[] = {s->delegations[g].name, dl->code, dl->name, how_voted(s, p, dl)};
            ys_rdoc_row(d, row);
        }
    ys_turnout t;
    if (ys_poll_turnout(s, p, &t, NULL) == YS_OK) {
        snprintf(text, sizeof text, "应出席%d人，出席%d人，参加表决%d人，未按表决器%d人，缺席%d人。", t.entitled,
                 t.present, t.voted, t.not_voted, t.absent);
        ys_rdoc_para(d, "%s", text);
    }
}

ys_rdoc *ys_report_rollcall(const ys_session *s, int poll, ys_err *err)
{
    const ys_poll *p = poll ? ys_poll_get(s, poll) : NULL;
    if (poll && !one_closed("poll", poll, p, p ? p->state : 0, err))
        return NULL;
    if (p && !p->named) {
        ys_fail(err, YS_NOT_FOUND, "poll", "poll %d is anonymous: its votes are not linked to voters, so it has no "
                "roll call", poll);
        return NULL;
    }
    ys_rdoc *d = ys__report_begin(s, "记名表决情况", err);
    size_t shown = 0;
    for (size_t i = 0; d && i < s->n_polls; i++) {
        const ys_poll *q = &s->polls[i];
        if ((!p || q == p) && q->named && q->state == YS_POLL_CLOSED && ++shown)
            rollcall_of(d, s, q);
    }
    if (d && !shown)
        ys_rdoc_para(d, "本次会议尚无结束的记名表决。");
    return d;
}
