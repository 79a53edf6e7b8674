/* summary.c — the session summary from the log alone: every meeting with its day and attendance, every vote's and
 * election's result in a line, and the motions with their fate. */
#include "report/report_int.h"

#include "yishi/motion.h"
#include "yishi/poll.h"

#include <stdio.h>
#include <string.h>

static void meetings(ys_rdoc *d, const ys_session *s)
{
    static const char *const header[] = {"会议", "日期", "应出席", "出席", "缺席", "其中请假", "法定人数"};
    int plenary = 0, delegation = 0;
    ys_rdoc_heading(d, 2, "一、会议和出席情况");
    for (size_t i = 0; i < s->n_meetings; i++)
        *(s->meetings[i].kind == YS_MEETING_DELEGATION || s->meetings[i].kind == YS_MEETING_GROUP ? &delegation
                                                                                                 : &plenary) += 1;
    ys_rdoc_para(d, "本次会议共举行会议%zu次，其中大会全体会议和预备会议%d次，代表团全体会议和小组会议%d次。", s->n_meetings,
                 plenary, delegation);
    if (!s->n_meetings)
        return;
    ys_rdoc_table(d, 7, header);
    for (size_t i = 0; i < s->n_meetings; i++) {
        const ys_meeting *m = &s->meetings[i];
        ys_attendance a = ys_meeting_attendance(s, m);
        char day[64], n[4][16], quorum[64];
        ys_report_meeting_day(m, day, sizeof day);
        snprintf(n[0], sizeof n[0], "%d", a.entitled);
        snprintf(n[1], sizeof n[1], "%d", a.present);
        snprintf(n[2], sizeof n[2], "%d", a.absent);
        snprintf(n[3], sizeof n[3], "%d", a.on_leave);
        if (a.has_quorum)
            snprintf(quorum, sizeof quorum, "%d，%s", a.quorum, ys__meeting_quorate(&a) ? "符合" : "不足");
        else
            snprintf(quorum, sizeof quorum, "—");
        if (m->open)
            snprintf(day + strlen(day), sizeof day - strlen(day), "（进行中）");
        const char *row[] = {m->title, day, n[0], n[1], n[2], n[3], quorum};
        ys_rdoc_row(d, row);
    }
}

static void poll_line(ys_rdoc *d, const ys_poll *p)
{
    if (!p->counted)
        ys_rdoc_item(d, "%s%s：正在计票。", ys__poll_verb(p->title), p->title);
    else
        ys_rdoc_item(d, "%s%s：赞成%d票，反对%d票，弃权%d票，%s。", ys__poll_verb(p->title), p->title, p->tally.yes, p->tally.no,
                     p->tally.abstain, p->result.passed ? "通过" : "未通过");
}

/* 「选举常务委员会主任：唐登杰当选。」 from the result the close recorded. */
static void election_line(ys_rdoc *d, const ys_session *s, const ys_session_election *el)
{
    const char *what = el->kind == YS_PRELIMINARY ? "预选" : el->by_election ? "补选" : "选举";
    const json_t *names = json_object_get(el->result, el->kind == YS_PRELIMINARY ? "formal" : "elected");
    char list[2048] = "";
    size_t i, at = 0;
    const json_t *v;
    if (!el->result) {
        ys_rdoc_item(d, "%s%s：正在计票。", what, ys_election_office_name(s, el));
        return;
    }
    json_array_foreach(names, i, v) {
        int n = snprintf(list + at, sizeof list - at, "%s%s", i ? "、" : "", json_string_value(v));
        if (n < 0 || (size_t)n >= sizeof list - at)
            break;
        at += (size_t)n;
    }
    if (!json_is_true(json_object_get(el->result, "valid")))
        ys_rdoc_item(d, "%s%s：选举无效，应当重新进行选举。", what, ys_election_office_name(s, el));
    else if (!at)
        ys_rdoc_item(d, "%s%s：无人%s。", what, ys_election_office_name(s, el),
                     el->kind == YS_PRELIMINARY ? "确定为正式候选人" : "当选");
    else
        ys_rdoc_item(d, "%s%s：%s%s。", what, ys_election_office_name(s, el), list,
                     el->kind == YS_PRELIMINARY ? "确定为正式候选人" : "当选");
}

static void results(ys_rdoc *d, const ys_session *s)
{
    size_t shown = 0;
    ys_rdoc_heading(d, 2, "二、表决和选举结果");
    ys_rdoc_list(d);
    for (size_t i = 0; i < s->n_elections; i++)
        if (s->elections[i].state == YS_POLL_CLOSED && ++shown)
            election_line(d, s, &s->elections[i]);
    for (size_t i = 0; i < s->n_polls; i++)
        if (s->polls[i].state == YS_POLL_CLOSED && ++shown)
            poll_line(d, &s->polls[i]);
    if (!shown)
        ys_rdoc_item(d, "尚无结束的表决或选举。");
    ys_rdoc_para(d, "各项表决和选举的结果公告见《表决和选举结果》（yishi report results）。");
}

/* Who put it: 「韦韬等10名代表」, 「韦韬代表」 alone, or the body (主席团, 常务委员会). */
static void proposer(const ys_session *s, const ys_motion *m, char *out, size_t n)
{
    if (m->by != YS_BY_DELEGATES)
        snprintf(out, n, "%s", m->by == YS_BY_PRESIDIUM ? "主席团" : "常务委员会");
    else if (m->n_signatures > 1)
        snprintf(out, n, "%s等%zu名代表", s->delegates[m->lead - 1].name, m->n_signatures);
    else
        snprintf(out, n, "%s代表", s->delegates[m->lead - 1].name);
}

/* What became of it, in the words of the presidium's decision; the answer and the delegate's satisfaction. */
static void fate(const ys_session *s, const ys_motion *m, char *out, size_t n)
{
    static const char *const satisfied[] = {"", "代表表示满意", "代表表示基本满意", "代表表示不满意"};
    int at = 0;
    switch (m->state) {
    case YS_MOTION_DRAFT:
        at = ys_motion_rule(m->kind) ? snprintf(out, n, "征集联名中，已有%zu名代表联名", m->n_signatures)
                                     : snprintf(out, n, "尚未提交");
        break;
    case YS_MOTION_SUBMITTED:
        at = snprintf(out, n, "%s", m->kind == YS_MOTION_NOMINATION ? "已列入候选人名单" : "已提出，待主席团决定");
        break;
    case YS_MOTION_WITHDRAWN:
        at = snprintf(out, n, "%s", m->withdrawn_with_consent ? "提案人要求撤回，经主席团同意，审议终止" : "提案人已撤回");
        break;
    case YS_MOTION_DECIDED:
        at = snprintf(out, n, "主席团决定%s%s%s%s", ys_motion_decision_zh(m->decision), m->decision_note ? "（" : "",
                      m->decision_note ? m->decision_note : "", m->decision_note ? "）" : "");
        if (m->answer && at >= 0 && (size_t)at < n)
            at += m->kind == YS_MOTION_RECALL && !m->answered_by
                      ? snprintf(out + at, n - (size_t)at, "；%s已提出申辩意见", m->person ? m->person : "被提出罢免的人员")
                      : snprintf(out + at, n - (size_t)at, "；%s已答复", m->answered_by ? m->answered_by : "有关机关");
        if (m->satisfaction && at >= 0 && (size_t)at < n)
            at += snprintf(out + at, n - (size_t)at, "，%s", satisfied[m->satisfaction]);
        const ys_poll *vote = ys_motion_poll(s, m->id);
        if (vote && vote->counted && at >= 0 && (size_t)at < n)
            snprintf(out + at, n - (size_t)at, "；大会表决%s（赞成%d票，反对%d票，弃权%d票）",
                     vote->result.passed ? "通过" : "未通过", vote->tally.yes, vote->tally.no, vote->tally.abstain);
        else if (vote && at >= 0 && (size_t)at < n)
            snprintf(out + at, n - (size_t)at, "；交付大会表决");
        break;
    }
}

/* Every motion by kind, in the order submitted: who put it, its title and what became of it. */
static void motions(ys_rdoc *d, const ys_session *s)
{
    ys_rdoc_heading(d, 2, "三、议案及其处理情况");
    if (!s->n_motions) {
        ys_rdoc_para(d, "本次会议期间未提出议案、质询案、罢免案和建议。");
        return;
    }
    for (int k = YS_MOTION; k <= YS_MOTION_KINDS; k++) {
        size_t count = 0, lodged = 0;
        for (size_t i = 0; i < s->n_motions; i++)
            if (s->motions[i].kind == (ys_motion_kind)k && ++count)
                lodged += s->motions[i].state != YS_MOTION_DRAFT;
        if (!count)
            continue;
        ys_rdoc_para(d, "%s%zu件，其中已提出%zu件：", ys_motion_kind_zh((ys_motion_kind)k), count, lodged);
        ys_rdoc_list(d);
        for (size_t i = 0; i < s->n_motions; i++) {
            const ys_motion *m = &s->motions[i];
            char who[160], what[1024];
            if (m->kind != (ys_motion_kind)k)
                continue;
            proposer(s, m, who, sizeof who);
            fate(s, m, what, sizeof what);
            ys_rdoc_item(d, "%s提出的%s：%s。", who, m->title, what);
        }
    }
}

ys_rdoc *ys_report_summary(const ys_session *s, ys_err *err)
{
    ys_rdoc *d = ys__report_begin(s, "会议情况汇总", err);
    if (!d)
        return NULL;
    ys_rdoc_para(d, "现有代表%d名，分为%zu个代表团。", s->entitled, s->n_delegations);
    meetings(d, s);
    results(d, s);
    motions(d, s);
    return d;
}
