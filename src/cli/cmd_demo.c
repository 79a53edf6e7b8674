/* cmd_demo.c — `yishi demo`: a realistic provincial session in a new file, built through the same
 * commands a secretariat uses: the rule set, posts, 549 delegates in 12 delegations, attendees, the
 * agenda and its documents, the hall, the afternoon's delegation meetings, and a plenary with its attendance;
 * or (--hall npc) a national session of 2,977 delegates in a three-tier hall, with its first plenary open. */
#include "cli/cli.h"
#include "cli/cmd_server.h"
#include "cli/demo_data.h"
#include "cli/demo_vote.h"
#include "cli/rules_file.h"

#include "yishi/alloc.h"
#include "yishi/hall.h"
#include "yishi/meeting.h"
#include "yishi/poll.h"
#include "yishi/speech.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Every 34th delegate misses the plenary; of those, the first ten asked for leave (请假). */
#define DEMO_MISSING_EVERY 34
#define DEMO_ON_LEAVE 10

static int run(ys_journal *j, ys_events *evs, ys_rc rc, const ys_err *err)
{
    return rc ? ys_cli_fail("demo", rc, err) : ys_cli_commit("demo", j, evs);
}

static int import_tables(ys_journal *j)
{
    static const struct { ys_demo_table table; ys_import_kind kind; } order[] = {
        {YS_DEMO_POSTS, YS_IMPORT_POSTS}, {YS_DEMO_DELEGATES, YS_IMPORT_DELEGATES},
        {YS_DEMO_ATTENDEES, YS_IMPORT_ATTENDEES}, {YS_DEMO_AGENDA, YS_IMPORT_AGENDA}, {YS_DEMO_HALL, YS_IMPORT_HALL}};
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        size_t len = 0;
        char *csv = ys_demo_csv(order[i].table, &len);
        if (!csv)
            return ys_cli_fail("demo", YS_NOMEM, NULL);
        int code = ys_cli_import_text(j, order[i].kind, ys_demo_table_name(order[i].table), csv, len, true);
        ys_free(csv);
        if (code)
            return code;
    }
    return YS_EXIT_OK;
}

/* Each document on the agenda gets a first version: a short text standing for the report. */
static int add_documents(ys_journal *j)
{
    const ys_session *s = j->session;
    for (size_t i = 0; i < s->n_items; i++) {
        const ys_item *it = &s->items[i];
        if (!it->document)
            continue;
        const ys_document *doc = &s->documents[it->document - 1];
        char text[2048], hex[YS_HASH_HEX], now[32];
        uint8_t h[YS_HASH_BYTES];
        int n = snprintf(text, sizeof text, "%s\n\n%s%s\n\n（%s%s，供会议%s。）\n", doc->title,
                         it->presenter ? it->presenter : "", it->presenter ? "\n" : "", s->assembly, s->name,
                         ys_item_kind_zh(it->kind));
        crypto_generichash(h, sizeof h, (const uint8_t *)text, (size_t)n, NULL, 0);
        ys_hash_hex(h, hex);
        ys_ctx ctx = ys_cli_ctx(now);
        ys_events evs;
        ys_err err = {0};
        ys_events_init(&evs);
        ys_rc rc = ys_cmd_document(s, &ctx, doc->title, hex, n, "提请大会审议稿", &evs, &err);
        ys_blob blob = {hex, text, (size_t)n};
        if (!rc && doc->n_versions == 0)
            rc = ys_journal_commit_blobs(j, &evs, &blob, 1, &err);
        ys_events_free(&evs);
        if (rc)
            return ys_cli_fail("demo", rc, &err);
    }
    return YS_EXIT_OK;
}

/* Opens a meeting held on `date` (Beijing) in `half`, as the seed page's session held them. */
static int open_meeting(ys_journal *j, ys_meeting_kind kind, const char *title, const char *delegation, const char *date,
                        const char *half)
{
    char now[32];
    ys_ctx ctx = ys_cli_ctx(now);
    ys_events evs;
    ys_err err = {0};
    ys_events_init(&evs);
    return run(j, &evs, ys_cmd_meeting_open_on(j->session, &ctx, kind, title, delegation, date, half, &evs, &err), &err);
}

/* People in a role at the current meeting, by name; a group for the rostrum's academicians. */
static int record_people(ys_journal *j, ys_person_role role, const char *const *names, size_t n, const char *group)
{
    char now[32];
    ys_ctx ctx = ys_cli_ctx(now);
    ys_events evs;
    ys_err err = {0};
    ys_rc rc = YS_OK;
    ys_events_init(&evs);
    for (size_t i = 0; i < n && !rc; i++)
        rc = ys_cmd_meeting_person(j->session, &ctx, j->session->current_meeting, role, names[i], group, false, &evs, &err);
    return run(j, &evs, rc, &err);
}

static int record_takeup(ys_journal *j, const ys_takeup_args *a)
{
    char now[32];
    ys_ctx ctx = ys_cli_ctx(now);
    ys_events evs;
    ys_err err = {0};
    ys_events_init(&evs);
    return run(j, &evs, ys_cmd_meeting_takeup(j->session, &ctx, j->session->current_meeting, a, &evs, &err), &err);
}

static int close_meeting(ys_journal *j)
{
    char now[32];
    ys_ctx ctx = ys_cli_ctx(now);
    ys_events evs;
    ys_err err = {0};
    ys_events_init(&evs);
    return run(j, &evs, ys_cmd_meeting_close(j->session, &ctx, j->session->current_meeting, &evs, &err), &err);
}

/* Marks the delegates of the current meeting (of one delegation, or all): most present, every
 * DEMO_MISSING_EVERY-th missing, the first DEMO_ON_LEAVE of the missing on leave. Those with a ranked post are
 * always there (the next one without a post misses the meeting in their place): they preside, lead their
 * delegations and sit on the rostrum, and a report that lists one on leave and on the rostrum at once would
 * be wrong. */
static int take_attendance(ys_journal *j, int delegation)
{
    const ys_session *s = j->session;
    char now[32];
    ys_ctx ctx = ys_cli_ctx(now);
    ys_events evs;
    ys_err err = {0};
    ys_rc rc = YS_OK;
    int missing = 0, owed = 0;
    ys_events_init(&evs);
    for (size_t i = 0; i < s->n_delegates && !rc; i++) {
        const ys_delegate *d = &s->delegates[i];
        if (delegation && d->delegation != delegation)
            continue;
        owed += (i + 1) % DEMO_MISSING_EVERY == 0;
        if (!owed || d->post) {
            rc = ys_cmd_attendance(s, &ctx, s->current_meeting, d->code, YS_PRESENT, NULL, &evs, &err);
            continue;
        }
        owed--;
        if (missing++ < DEMO_ON_LEAVE) /* the rest are absent: no event */
            rc = ys_cmd_attendance(s, &ctx, s->current_meeting, d->code, YS_ON_LEAVE,
                                   missing % 3 ? "因公请假" : "因病请假", &evs, &err);
    }
    return run(j, &evs, rc, &err);
}

/* How present delegate number i (0-based) votes on the k-th question. The first question has the seed
 * page's arithmetic (of 533 present: 500 yes, 10 no, 13 abstain, 10 press nothing); later ones draw more
 * dissent, as reports of courts and procuratorates do. */
static int demo_choice(int i, int k, int present)
{
    int h = (i * 37 + k * 101) % present, no = 10 + 9 * k, abstain = no + 13 + 3 * k, idle = abstain + 10 - k;
    return h < no ? YS_CHOICE_NO : h < abstain ? YS_CHOICE_ABSTAIN : h < idle ? 0 : YS_CHOICE_YES;
}

/* Each delegate votes at their own terminal: the log names their login as the actor. */
static const char *terminal_of(const ys_delegate *d, char actor[96])
{
    snprintf(actor, 96, "delegate:%s", d->code);
    return actor;
}

/* A resolution voted anonymously at the terminals, verifiably: each delegate's choice encrypted on "the
 * terminal", the totals from two of the three scrutineers' decryptions. */
static int one_poll(ys_journal *j, ys_demo_trustees *trustees, const ys_item *it, int k)
{
    static const ys_vmark marks[] = {[YS_CHOICE_YES] = YS_VMARK_YES, [YS_CHOICE_NO] = YS_VMARK_NO,
                                     [YS_CHOICE_ABSTAIN] = YS_VMARK_ABSTAIN};
    char now[32];
    ys_ctx ctx = ys_cli_ctx(now);
    ys_events evs;
    ys_err err = {0};
    ys_poll_args a = {.item = it->id, .title = it->title, .method = YS_METHOD_TERMINAL, .key = trustees->key};
    char actor[96];
    int poll = (int)j->session->n_polls + 1, code, seen = 0;
    ys_events_init(&evs);
    if ((code = run(j, &evs, ys_cmd_poll_create(j->session, &ctx, &a, &evs, &err), &err)) ||
        (code = run(j, &evs, ys_cmd_poll_open(j->session, &ctx, poll, &evs, &err), &err)))
        return code;
    const ys_meeting *m = ys_current_meeting(j->session);
    ys_rc rc = YS_OK;
    for (size_t i = 0; i < j->session->n_delegates && !rc; i++) {
        const ys_delegate *d = &j->session->delegates[i];
        if (ys_meeting_presence(m, (int)i + 1) != YS_PRESENT)
            continue;
        int choice = demo_choice(seen++, k, m->present);
        if (choice)
            rc = ys_cli_demo_cast(j, &(ys_ctx){now, terminal_of(d, actor)}, true, poll, d->code, &marks[choice], NULL, &evs,
                                  &err);
    }
    if ((code = run(j, &evs, rc, &err)) ||
        (code = run(j, &evs, ys_cmd_poll_close(j->session, &ctx, poll, &evs, &err), &err)) ||
        (code = ys_cli_demo_decrypt(j, trustees, true, poll)))
        return code;
    return run(j, &evs, ys_cmd_poll_announce(j->session, &ctx, poll, &evs, &err), &err);
}

/* The by-election of the standing committee's chair: one nominee of the presidium, uncontested as a
 * by-election may be (Art. 30), held as a verifiable secret ballot (docs/verifiable.md): a few delegates
 * vote against, abstain or turn in no ballot, and three of them write another name in; every ballot is
 * encrypted on "the terminal", two of the three scrutineers decrypt the aggregates, shuffle the write-ins in
 * turn and decrypt the shuffled ones into the count. */
static int one_election(ys_journal *j, ys_demo_trustees *trustees, const ys_item *it)
{
    static const char *const nominee[] = {"唐登杰"};
    static const ys_vmark yes[1] = {YS_VMARK_YES}, no[1] = {YS_VMARK_NO}, abstain[1] = {YS_VMARK_ABSTAIN};
    char now[32];
    ys_ctx ctx = ys_cli_ctx(now);
    ys_events evs;
    ys_err err = {0};
    int code = YS_EXIT_OK;
    ys_election_args a = {.item = it->id, .kind = YS_ELECTION, .office = "sc_chair", .seats = 1, .by_election = true,
                          .key = trustees->key};
    char actor[96];
    int id = (int)j->session->n_elections + 1, seen = 0;
    ys_events_init(&evs);
    if ((code = run(j, &evs, ys_cmd_election_create(j->session, &ctx, &a, &evs, &err), &err)) ||
        (code = run(j, &evs, ys_cmd_election_nominate(j->session, &ctx, id, nominee[0], NULL, 0, &evs, &err), &err)) ||
        (code = run(j, &evs, ys_cmd_election_open(j->session, &ctx, id, &evs, &err), &err)))
        return code;
    const ys_meeting *m = ys_current_meeting(j->session);
    ys_rc rc = YS_OK;
    for (size_t i = 0; i < j->session->n_delegates && !rc; i++) {
        const ys_delegate *d = &j->session->delegates[i];
        if (ys_meeting_presence(m, (int)i + 1) != YS_PRESENT)
            continue;
        int h = (seen++ * 37) % m->present;
        if (h < 3) /* not returned */
            continue;
        /* three of those who do not vote for the nominee write another name in (另选他人, Art. 28) */
        const char *writein = h == 3 || h == 5 ? "王建国" : h == 8 ? "李文" : NULL;
        rc = ys_cli_demo_cast(j, &(ys_ctx){now, terminal_of(d, actor)}, false, id, d->code,
                              h < 7 ? no : h < 14 ? abstain : yes, writein, &evs, &err);
    }
    if ((code = run(j, &evs, rc, &err)) ||
        (code = run(j, &evs, ys_cmd_election_close(j->session, &ctx, id, &evs, &err), &err)) ||
        (code = ys_cli_demo_decrypt(j, trustees, false, id)))
        return code;
    return run(j, &evs, ys_cmd_election_announce(j->session, &ctx, id, &evs, &err), &err);
}

/* The closing plenary: the scrutineers' key first, then the by-election, then each resolution on the
 * agenda, every one of them a verifiable secret ballot. */
static int hold_votes(ys_journal *j)
{
    ys_demo_trustees trustees = {0};
    int code = ys_cli_demo_ceremony(j, &trustees), k = 0;
    for (size_t i = 0; i < j->session->n_items && !code; i++) {
        const ys_item *it = &j->session->items[i];
        if (it->kind == YS_ITEM_ELECT)
            code = one_election(j, &trustees, it);
    }
    for (size_t i = 0; i < j->session->n_items && !code; i++) {
        const ys_item *it = &j->session->items[i];
        if (it->kind == YS_ITEM_VOTE)
            code = one_poll(j, &trustees, it, k++);
    }
    ys_cli_demo_trustees_free(&trustees);
    return code;
}

/* The seed page's afternoon: who spoke in each delegation's deliberation, in order, and the gist. */
static const struct demo_speech {
    const char *delegation, *name, *summary;
    ys_speech_kind kind; /* 0: a delegate's speech */
} seed_speeches[] = {
    {"晋中", "常书铭", "结合本职工作谈体会，完全赞同政府工作报告。"},
    {"晋中", "刘星", "结合各自工作实际谈体会、谋发展、献良策，一致表示赞同政府工作报告。"},
    {"晋中", "刘玉东", "赞同政府工作报告，就推动高质量发展提出建议。"},
    {"晋中", "王慧琴", "赞同政府工作报告，就民生事业发展提出建议。"},
    {"晋中", "王超", "赞同政府工作报告，就产业转型升级提出建议。"},
    {"晋中", "原丽花", "赞同政府工作报告，就乡村全面振兴提出建议。"},
    {"晋中", "唐登杰", "金湘军同志作的政府工作报告，总结工作实事求是，分析问题客观中肯，部署下一步工作切实可行，是一个求真务实、"
                       "奋发有为、鼓舞人心的报告。晋中市要锚定高质量发展首要任务，不折不扣抓好省委各项工作部署的落地落实。",
     YS_SPEECH_REMARKS},
    {"太原", "韦韬", "完全赞同金湘军省长所作的政府工作报告。全市上下要坚决扛起政治责任，强化省会作为，锚定“六地”发展定位，"
                     "加快建设国家区域中心城市，为全省高质量发展大局作出更大贡献。"},
};

static const ys_delegate *demo_delegate(const ys_session *s, const char *delegation, const char *name)
{
    const ys_delegation *dl = ys_delegation_by_name(s, delegation);
    for (size_t i = 0; dl && i < s->n_delegates; i++)
        if (s->delegates[i].delegation == dl->id && strcmp(s->delegates[i].name, name) == 0)
            return &s->delegates[i];
    return NULL;
}

/* The delegation's speakers ask for the floor, then speak in turn; the secretary records the gist. */
static int deliberate(ys_journal *j, const char *delegation)
{
    int meeting = j->session->current_meeting, code = YS_EXIT_OK;
    char now[32];
    ys_ctx ctx = ys_cli_ctx(now);
    ys_events evs;
    ys_err err = {0};
    ys_events_init(&evs);
    for (size_t i = 0; !code && i < sizeof seed_speeches / sizeof *seed_speeches; i++) {
        const ys_delegate *d = demo_delegate(j->session, delegation, seed_speeches[i].name);
        if (strcmp(seed_speeches[i].delegation, delegation) != 0)
            continue;
        if (!d || ys_meeting_presence(ys_current_meeting(j->session), d->id) != YS_PRESENT)
            continue; /* the demo's attendance may have kept a speaker away */
        ys_speech_kind kind = seed_speeches[i].kind ? seed_speeches[i].kind : YS_SPEECH_DELEGATE;
        if (!(code = run(j, &evs, ys_cmd_speech_request_as(j->session, &ctx, meeting, d->code, "审议政府工作报告", kind, &evs,
                                                           &err), &err)) &&
            !(code = run(j, &evs, ys_cmd_speech_start(j->session, &ctx, meeting, NULL, &evs, &err), &err)))
            code = run(j, &evs, ys_cmd_speech_end(j->session, &ctx, meeting, seed_speeches[i].summary, &evs, &err), &err);
    }
    return code;
}

/* The seed page's two deliberations: 晋中 with the provincial party secretary, who belongs to it and speaks
 * last, his remarks; 太原 with its head. Each takes up the government's work report. */
static int deliberations(ys_journal *j)
{
    static const struct { const char *delegation, *leader, *presenter; } afternoon[] = {
        {"晋中", "唐登杰", NULL}, {"太原", "韦韬", "金湘军"}};
    int code = YS_EXIT_OK;
    for (size_t i = 0; !code && i < sizeof afternoon / sizeof afternoon[0]; i++) {
        const ys_delegation *dl = ys_delegation_by_name(j->session, afternoon[i].delegation);
        char title[128];
        ys_takeup_args report = {.item = 1, .presenter = afternoon[i].presenter};
        snprintf(title, sizeof title, "%s代表团全体会议（审议政府工作报告）", afternoon[i].delegation);
        if (!dl)
            return ys_cli_fail("demo", YS_NOT_FOUND, &(ys_err){.msg = "the demo data lacks a delegation"});
        if (!(code = open_meeting(j, YS_MEETING_DELEGATION, title, afternoon[i].delegation, "2024-01-23", "下午")) &&
            !(code = take_attendance(j, dl->id)) && !(code = record_takeup(j, &report)) &&
            !(code = record_people(j, YS_PERSON_LEADER, &afternoon[i].leader, 1, NULL)) &&
            !(code = deliberate(j, afternoon[i].delegation)))
            code = close_meeting(j);
    }
    return code;
}

/* The afternoon's plenary as the page reports it: the plan and budget reports examined, the explanation of
 * the draft rules heard, the rostrum in the page's order, the academicians, and who attended by category. */
static int second_plenary(ys_journal *j)
{
    static const char *const rostrum[] = {
        "王拥军", "徐广国", "张吉福", "李凤岐", "吴伟", "卢东亮", "韦韬", "徐宝龙", "田越", "汤志平", "李成林",
        "赵红严", "杨勤荣", "熊继军", "李正印", "张复明", "李晓波", "李青山", "李思进", "王立伟", "闫晨曦", "王蕾",
        "冯军", "杨景海", "杨盛明", "任明龙", "骆惠宁", "卫小春", "李悦娥", "李俊明", "张瑞鹏", "席小军", "李武章"};
    static const char *const academicians[] = {"王一德", "黄庆学", "徐明岗"}, *const presiding[] = {"贺天才"};
    static const char *const categories[] = {"在晋十四届全国人大代表", "在晋十四届全国政协委员", "十三届省政协委员",
                                             "中央驻晋单位和企业负责同志"};
    ys_takeup_args plan = {.item = 2, .body = "省人民政府"}, budget = {.item = 3, .body = "省人民政府"},
                   rules = {.item = 7, .presenter = "贺天才", .presents = "explain"};
    int code;
    if ((code = open_meeting(j, YS_MEETING_PLENARY, "第二次全体会议", NULL, "2024-01-23", "下午")) ||
        (code = take_attendance(j, 0)) || (code = record_people(j, YS_PERSON_PRESIDING, presiding, 1, NULL)) ||
        (code = record_takeup(j, &plan)) || (code = record_takeup(j, &budget)) || (code = record_takeup(j, &rules)) ||
        (code = record_people(j, YS_PERSON_ROSTRUM, rostrum, sizeof rostrum / sizeof *rostrum, NULL)) ||
        (code = record_people(j, YS_PERSON_ROSTRUM, academicians, 3, "在晋两院院士")))
        return code;
    for (size_t c = 0; c < sizeof categories / sizeof *categories && !code; c++)
        for (size_t i = 0; i < j->session->n_attendees && !code; i++) {
            const ys_attendee *a = &j->session->attendees[i];
            char spec[32];
            snprintf(spec, sizeof spec, "attendee:%d", a->id);
            const char *one = spec;
            if (a->affiliation && !strcmp(a->affiliation, categories[c]) && strcmp(a->name, "骆惠宁"))
                code = record_people(j, YS_PERSON_ATTENDING, &one, 1, NULL);
        }
    return code ? code : close_meeting(j);
}

static int hold_meetings(ys_journal *j)
{
    int code;
    if ((code = open_meeting(j, YS_MEETING_PREPARATORY, "预备会议", NULL, "2024-01-21", "下午")) ||
        (code = take_attendance(j, 0)) || (code = close_meeting(j)) ||
        (code = open_meeting(j, YS_MEETING_PLENARY, "第一次全体会议", NULL, "2024-01-22", "上午")) ||
        (code = take_attendance(j, 0)) || (code = close_meeting(j)) || (code = deliberations(j)) ||
        (code = second_plenary(j)) ||
        (code = open_meeting(j, YS_MEETING_PLENARY, "第三次全体会议（闭幕会）", NULL, "2024-01-25", "上午")) ||
        (code = take_attendance(j, 0)))
        return code;
    return hold_votes(j);
}

/* A file may take the demo if it does not exist or holds no session (an empty file). */
static int target_free(const char *file)
{
    ys_store *st = NULL;
    ys_err err = {0};
    struct stat sb;
    if (stat(file, &sb) != 0 || sb.st_size == 0)
        return YS_EXIT_OK;
    ys_rc rc = ys_store_open(file, YS_STORE_READONLY, &st, &err);
    ys_store_close(st);
    if (!rc)
        rc = ys_fail(&err, YS_CONFLICT, "file", "%s already holds a session", file);
    return rc == YS_NOT_FOUND ? YS_EXIT_OK : ys_cli_fail("demo", rc, &err);
}

/* Builds the demo into `path`; messages name it `file`, the name it is for. */
static int build_shanxi(const char *path, const char *file, const ys_rules *rules)
{
    const ys_demo_session *info = ys_demo_session_info();
    ys_journal *j = NULL;
    int code = ys_cli_create_session("demo", path, rules, info->assembly, info->term_name, info->session_name, &j);
    if (!code && !(code = import_tables(j)) && !(code = add_documents(j)) && !(code = hold_meetings(j)))
        printf("%s: demo session %s — %zu delegations, %d delegates, %zu agenda items, %zu meetings, %zu votes and "
               "%zu election, %lld events\n", file, info->title, j->session->n_delegations, j->session->entitled,
               j->session->n_items, j->session->n_meetings, j->session->n_polls, j->session->n_elections,
               (long long)j->session->seq);
    ys_journal_close(j);
    return code;
}

/* The national session: its delegates and hall, and the first plenary open with its attendance taken. */
static int build_npc(const char *path, const char *file, const ys_rules *rules)
{
    static const struct { ys_npc_table table; ys_import_kind kind; const char *name; } order[] = {
        {YS_NPC_DELEGATES, YS_IMPORT_DELEGATES, "delegates"}, {YS_NPC_HALL, YS_IMPORT_HALL, "hall"}};
    const ys_demo_session *info = ys_npc_session_info();
    ys_journal *j = NULL;
    int code = ys_cli_create_session("demo", path, rules, info->assembly, info->term_name, info->session_name, &j);
    for (size_t i = 0; !code && i < sizeof order / sizeof order[0]; i++) {
        size_t len = 0;
        char *csv = ys_npc_csv(order[i].table, &len);
        code = csv ? ys_cli_import_text(j, order[i].kind, order[i].name, csv, len, true) : ys_cli_fail("demo", YS_NOMEM, NULL);
        ys_free(csv);
    }
    if (!code && !(code = open_meeting(j, YS_MEETING_PLENARY, "第一次全体会议", NULL, "2024-03-05", "上午")) &&
        !(code = take_attendance(j, 0))) {
        ys_attendance a = ys_meeting_attendance(j->session, ys_current_meeting(j->session));
        printf("%s: demo session %s — %zu delegations, %d delegates, a hall of %zu seats in %zu tiers, meeting %d open "
               "with %d present, %lld events\n", file, info->title, j->session->n_delegations, j->session->entitled,
               j->session->hall->n_seats, j->session->hall->n_tiers, j->session->current_meeting, a.present,
               (long long)j->session->seq);
    }
    ys_journal_close(j);
    return code;
}

/* The demos --hall chooses: what each builds, and the delegation secretary and cards its logins show. */
static const struct demo_kind {
    const char *hall;
    const ys_demo_session *(*info)(void);
    int (*build)(const char *path, const char *file, const ys_rules *rules);
    const char *delegation, *secretary;
    int cards;
} DEMOS[] = {
    {"shanxi", ys_demo_session_info, build_shanxi, "太原", "taiyuan", 1},
    {"npc", ys_npc_session_info, build_npc, "北京", "beijing", 6},
};

static int parse_options(int argc, char **argv, const char **file, const struct demo_kind **kind)
{
    static const struct option longopts[] = {YS_CLI_FILE_OPTION, {"hall", required_argument, NULL, 'H'},
                                             {NULL, 0, NULL, 0}};
    int c;
    *file = YS_DEFAULT_FILE;
    *kind = &DEMOS[0];
    optind = 0;
    while ((c = getopt_long(argc, argv, "f:", longopts, NULL)) != -1) {
        if (c == 'f') {
            *file = optarg;
            continue;
        }
        if (c != 'H')
            return ys_cli_usage_error("demo", "unknown option");
        *kind = NULL;
        for (size_t i = 0; i < sizeof DEMOS / sizeof DEMOS[0]; i++)
            if (strcmp(optarg, DEMOS[i].hall) == 0)
                *kind = &DEMOS[i];
        if (!*kind)
            return ys_cli_usage_error("demo", "no demo hall '%s' (shanxi, the default: the Shanxi provincial session; "
                                      "npc: a national session of 2,977 delegates)", optarg);
    }
    if (optind != argc)
        return ys_cli_usage_error("demo", "takes no arguments");
    return YS_EXIT_OK;
}

/* Built under FILE-building and renamed when whole, so that a demo killed half-way leaves no session
 * that verifies but lacks half its meetings, and the next demo starts again. FILE's writer lock is held
 * throughout: no second demo or server takes either name meanwhile. */
int ys_cli_demo(int argc, char **argv)
{
    const char *file;
    const struct demo_kind *kind;
    ys_rules *rules = NULL;
    ys_store_lock *lock = NULL;
    ys_diags diags;
    ys_err err = {0};
    char building[4096];
    int code = parse_options(argc, argv, &file, &kind);
    if (code)
        return code;
    const ys_demo_session *info = kind->info();
    ys_diags_init(&diags);
    if ((size_t)snprintf(building, sizeof building, "%s-building", file) >= sizeof building)
        return ys_cli_usage_error("demo", "the file name is too long");
    ys_rc rc = ys_rules_load(info->rules, &rules, &diags, &err);
    if (rc) {
        ys_diags_print(&diags, stderr, info->rules);
        code = ys_cli_fail("demo", rc, &err);
        goto out;
    }
    if ((rc = ys_store_lock_take(file, &lock, &err))) {
        code = ys_cli_fail("demo", rc, &err);
        goto out;
    }
    if ((code = target_free(file)))
        goto out;
    ys_cli_discard(building); /* what a demo killed half-way left */
    if (!(code = kind->build(building, file, rules)) &&
        !(code = ys_cli_demo_logins(building, kind->delegation, kind->secretary, kind->cards, stdout)))
        code = ys_cli_take_name("demo", building, file);
    if (code)
        ys_cli_discard(building);
out:
    ys_store_lock_release(lock);
    ys_diags_free(&diags);
    ys_rules_free(rules);
    return code;
}
