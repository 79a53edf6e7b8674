/* test_motion.c — motions, amendments, inquiries, recall and suggestions under the provincial rule set
 * (rules/prc-provincial.rules), each rule by its article: co-signatures counted against the threshold,
 * the presidium's deadline, its decisions, withdrawal with its consent, answers and satisfaction; every
 * refusal leaves the session as it was; the digest kept by the fold is the whole state's, and a file
 * replays to the same motions. */
#include "storeutil.h"

#include "yishi/motion.h"
#include "yishi/poll.h"

#define OK TEST_OK
#define NO TEST_NO

/* 100 delegates in 4 delegations: D1 … D100. */
static ys_session *congress(void)
{
    ys_session *s = test_session("prc-provincial");
    char *csv = test_delegates_csv(100, 4);
    assert_int_equal(test_import(s, YS_IMPORT_DELEGATES, csv, NULL), YS_OK);
    ys_free(csv);
    return s;
}

static void sign(ys_session *s, int motion, int from, int to)
{
    for (int i = from; i <= to; i++) {
        char code[8];
        snprintf(code, sizeof code, "D%d", i);
        OK(ys_cmd_motion_sign(s, &test_ctx, motion, code, &evs_, &err_));
    }
}

#define NO_SAYING TEST_NO_SAYING

static void digest_kept(const ys_session *s)
{
    uint8_t kept[YS_HASH_BYTES], whole[YS_HASH_BYTES];
    ys_session_digest(s, kept);
    ys_session_digest_full(s, whole);
    assert_memory_equal(kept, whole, YS_HASH_BYTES);
}

static const ys_motion_draft motion_draft = {
    .kind = YS_MOTION, .by = YS_BY_DELEGATES, .lead = "D1", .title = "关于制定山西省黄河流域生态保护条例的议案",
    .grounds = "黄河流域生态保护和高质量发展是重大国家战略。", .plan = "建议省人大常委会将该条例列入立法计划。"};

/* 地方组织法第二十二条第二款: 「代表十人以上联名」; the lead is the first of them. */
static void motion_needs_ten(void **state)
{
    (void)state;
    ys_session *s = congress();
    OK(ys_cmd_motion_draft(s, &test_ctx, &motion_draft, &evs_, &err_));
    const ys_motion *m = ys_motion_get(s, 1);
    assert_int_equal(m->state, YS_MOTION_DRAFT);
    assert_int_equal(m->n_signatures, 1);
    sign(s, 1, 2, 9);
    NO_SAYING(YS_INVALID, "9 delegates have signed; 议案 needs 10 (地方组织法（2022）第二十二条第二款",
              ys_cmd_motion_submit(s, &test_ctx, 1, &evs_, &err_));
    sign(s, 1, 10, 10);
    OK(ys_cmd_motion_submit(s, &test_ctx, 1, &evs_, &err_));
    m = ys_motion_get(s, 1);
    assert_int_equal(m->state, YS_MOTION_SUBMITTED);
    assert_int_equal(m->n_signatures, 10);
    assert_string_equal(s->delegates[m->signatures[9].delegate - 1].code, "D10");
    NO(YS_STATE, ys_cmd_motion_sign(s, &test_ctx, 1, "D11", &evs_, &err_)); /* submitted: signing is over */
    NO(YS_STATE, ys_cmd_motion_submit(s, &test_ctx, 1, &evs_, &err_));
    NO(YS_INVALID, ys_cmd_motion_decide(s, &test_ctx, 1, YS_DECIDE_ORAL, NULL, &evs_, &err_)); /* an inquiry's */
    OK(ys_cmd_motion_decide(s, &test_ctx, 1, YS_DECIDE_AGENDA, "由法制委员会审议", &evs_, &err_));
    assert_int_equal(ys_motion_get(s, 1)->decision, YS_DECIDE_AGENDA);
    digest_kept(s);
    ys_session_free(s);
}

/* 第二十二条第三款: a motion on the agenda is withdrawn only with the presidium's consent; before that its
 * proposer withdraws it freely. A motion not placed is decided: nothing is left to withdraw. */
static void withdrawal(void **state)
{
    (void)state;
    ys_session *s = congress();
    for (int k = 1; k <= 3; k++) {
        OK(ys_cmd_motion_draft(s, &test_ctx, &motion_draft, &evs_, &err_));
        sign(s, k, 2, 10);
    }
    OK(ys_cmd_motion_withdraw(s, &test_ctx, 1, false, &evs_, &err_)); /* a draft */
    assert_int_equal(ys_motion_get(s, 1)->state, YS_MOTION_WITHDRAWN);
    NO(YS_STATE, ys_cmd_motion_withdraw(s, &test_ctx, 1, true, &evs_, &err_));
    NO(YS_STATE, ys_cmd_motion_sign(s, &test_ctx, 1, "D20", &evs_, &err_));
    OK(ys_cmd_motion_submit(s, &test_ctx, 2, &evs_, &err_));
    OK(ys_cmd_motion_decide(s, &test_ctx, 2, YS_DECIDE_AGENDA, NULL, &evs_, &err_));
    NO_SAYING(YS_STATE, "第二十二条第三款", ys_cmd_motion_withdraw(s, &test_ctx, 2, false, &evs_, &err_));
    OK(ys_cmd_motion_withdraw(s, &test_ctx, 2, true, &evs_, &err_));
    assert_true(ys_motion_get(s, 2)->withdrawn_with_consent);
    OK(ys_cmd_motion_submit(s, &test_ctx, 3, &evs_, &err_));
    OK(ys_cmd_motion_decide(s, &test_ctx, 3, YS_DECIDE_SUGGESTION, NULL, &evs_, &err_));
    NO(YS_STATE, ys_cmd_motion_withdraw(s, &test_ctx, 3, true, &evs_, &err_));
    digest_kept(s);
    ys_session_free(s);
}

/* A co-signature by one who is not a delegate, twice, after the deadline; a motion without 案由. */
static void bad_signatures_and_drafts(void **state)
{
    (void)state;
    ys_session *s = congress();
    ys_motion_draft untitled = motion_draft;
    untitled.title = "";
    NO_SAYING(YS_INVALID, "案由", ys_cmd_motion_draft(s, &test_ctx, &untitled, &evs_, &err_));
    untitled.title = NULL;
    NO_SAYING(YS_INVALID, "案由", ys_cmd_motion_draft(s, &test_ctx, &untitled, &evs_, &err_));
    ys_motion_draft stranger = motion_draft;
    stranger.lead = "X1";
    NO(YS_NOT_FOUND, ys_cmd_motion_draft(s, &test_ctx, &stranger, &evs_, &err_));
    OK(ys_cmd_motion_draft(s, &test_ctx, &motion_draft, &evs_, &err_));
    NO_SAYING(YS_NOT_FOUND, "only delegates sign", ys_cmd_motion_sign(s, &test_ctx, 1, "省长", &evs_, &err_));
    NO(YS_CONFLICT, ys_cmd_motion_sign(s, &test_ctx, 1, "D1", &evs_, &err_)); /* the lead has signed */
    sign(s, 1, 2, 2);
    NO(YS_CONFLICT, ys_cmd_motion_sign(s, &test_ctx, 1, "D2", &evs_, &err_));
    NO(YS_NOT_FOUND, ys_cmd_motion_sign(s, &test_ctx, 9, "D3", &evs_, &err_));
    /* a delegate whose mandate has ended no longer signs */
    OK(ys_cmd_delegate_end(s, &test_ctx, "D3", "辞职", &evs_, &err_));
    NO_SAYING(YS_STATE, "代表资格终止", ys_cmd_motion_sign(s, &test_ctx, 1, "D3", &evs_, &err_));
    /* the presidium's deadline: after it no signature, no draft, no submission */
    NO(YS_INVALID, ys_cmd_motion_deadline(s, &test_ctx, YS_MOTION, "2024-01-24 12:00", &evs_, &err_));
    OK(ys_cmd_motion_deadline(s, &test_ctx, YS_MOTION, "2024-01-24T04:00:00.000Z", &evs_, &err_));
    sign(s, 1, 4, 4);
    ys_ctx late = {.time = "2024-01-24T04:00:00.001Z", .actor = "test"};
    NO_SAYING(YS_STATE, "deadline", ys_cmd_motion_sign(s, &late, 1, "D5", &evs_, &err_));
    NO(YS_STATE, ys_cmd_motion_draft(s, &late, &motion_draft, &evs_, &err_));
    NO(YS_STATE, ys_cmd_motion_submit(s, &late, 1, &evs_, &err_));
    /* another kind's deadline is its own; a deadline lifted lets signing go on */
    ys_motion_draft note = {.kind = YS_MOTION_SUGGESTION, .by = YS_BY_DELEGATES, .lead = "D5",
                            .title = "关于加强农村供水保障的建议", .addressee = "省水利厅"};
    OK(ys_cmd_motion_draft(s, &late, &note, &evs_, &err_));
    OK(ys_cmd_motion_deadline(s, &test_ctx, YS_MOTION, "", &evs_, &err_));
    OK(ys_cmd_motion_sign(s, &late, 1, "D5", &evs_, &err_));
    ys_motion_draft stray = motion_draft;
    stray.amends = 1;
    NO(YS_INVALID, ys_cmd_motion_draft(s, &test_ctx, &stray, &evs_, &err_)); /* only an amendment amends */
    digest_kept(s);
    ys_session_free(s);
}

/* 第二十四条: ten delegates, the body questioned and the question named; the presidium decides an oral or a
 * written answer; the answer and the delegate's satisfaction are recorded. */
static void inquiry(void **state)
{
    (void)state;
    ys_session *s = congress();
    ys_motion_draft q = {.kind = YS_MOTION_INQUIRY, .by = YS_BY_DELEGATES, .lead = "D1",
                         .title = "关于农村公路养护资金使用情况的质询", .grounds = "部分县养护资金被挪用。"};
    NO_SAYING(YS_INVALID, "质询对象", ys_cmd_motion_draft(s, &test_ctx, &q, &evs_, &err_));
    q.addressee = "省交通运输厅";
    q.grounds = NULL;
    NO_SAYING(YS_INVALID, "质询的内容", ys_cmd_motion_draft(s, &test_ctx, &q, &evs_, &err_));
    q.grounds = "部分县养护资金被挪用。";
    OK(ys_cmd_motion_draft(s, &test_ctx, &q, &evs_, &err_));
    sign(s, 1, 2, 9);
    NO_SAYING(YS_INVALID, "第二十四条", ys_cmd_motion_submit(s, &test_ctx, 1, &evs_, &err_));
    sign(s, 1, 10, 10);
    OK(ys_cmd_motion_submit(s, &test_ctx, 1, &evs_, &err_));
    NO(YS_STATE, ys_cmd_motion_answer(s, &test_ctx, 1, "省交通运输厅", "已整改。", &evs_, &err_)); /* undecided */
    NO(YS_INVALID, ys_cmd_motion_decide(s, &test_ctx, 1, YS_DECIDE_AGENDA, NULL, &evs_, &err_));
    OK(ys_cmd_motion_decide(s, &test_ctx, 1, YS_DECIDE_ORAL, "在主席团会议上口头答复", &evs_, &err_));
    NO(YS_STATE, ys_cmd_motion_rate(s, &test_ctx, 1, "D1", YS_UNSATISFIED, &evs_, &err_)); /* no answer yet */
    NO(YS_INVALID, ys_cmd_motion_answer(s, &test_ctx, 1, "省交通运输厅", "", &evs_, &err_));
    OK(ys_cmd_motion_answer(s, &test_ctx, 1, "省交通运输厅", "已对挪用资金全部追回。", &evs_, &err_));
    NO(YS_FORBIDDEN, ys_cmd_motion_rate(s, &test_ctx, 1, "D2", YS_SATISFIED, &evs_, &err_)); /* not the lead */
    OK(ys_cmd_motion_rate(s, &test_ctx, 1, "D1", YS_UNSATISFIED, &evs_, &err_));
    /* 再作答复: a second answer replaces the first, and the delegate is asked again */
    OK(ys_cmd_motion_answer(s, &test_ctx, 1, "省交通运输厅", "已建立专项审计制度。", &evs_, &err_));
    assert_int_equal(ys_motion_get(s, 1)->satisfaction, 0);
    OK(ys_cmd_motion_rate(s, &test_ctx, 1, "D1", YS_SATISFIED, &evs_, &err_));
    assert_string_equal(ys_motion_get(s, 1)->answer, "已建立专项审计制度。");
    digest_kept(s);
    ys_session_free(s);
}

/* 第三十一条: the presidium, the standing committee, or a tenth of the delegates; with the person and the
 * reasons; the person's response recorded; only the congress's vote decides it. */
static void recall(void **state)
{
    (void)state;
    ys_session *s = congress();
    ys_motion_draft r = {.kind = YS_MOTION_RECALL, .by = YS_BY_DELEGATES, .lead = "D1",
                         .title = "关于罢免张某某省人民政府副省长职务的议案", .grounds = "严重违纪违法。"};
    NO_SAYING(YS_INVALID, "the person to recall", ys_cmd_motion_draft(s, &test_ctx, &r, &evs_, &err_));
    r.person = "张某某";
    OK(ys_cmd_motion_draft(s, &test_ctx, &r, &evs_, &err_));
    sign(s, 1, 2, 9);
    NO_SAYING(YS_INVALID, "9 delegates have signed; 罢免案 needs 10 (地方组织法（2022）第三十一条",
              ys_cmd_motion_submit(s, &test_ctx, 1, &evs_, &err_));
    sign(s, 1, 10, 10);
    OK(ys_cmd_motion_submit(s, &test_ctx, 1, &evs_, &err_));
    /* the presidium's own: submitted as it is made, without signatures */
    r.by = YS_BY_PRESIDIUM;
    r.lead = NULL;
    OK(ys_cmd_motion_draft(s, &test_ctx, &r, &evs_, &err_));
    assert_int_equal(ys_motion_get(s, 2)->state, YS_MOTION_SUBMITTED);
    assert_int_equal(ys_motion_get(s, 2)->n_signatures, 0);
    NO(YS_STATE, ys_cmd_motion_sign(s, &test_ctx, 2, "D5", &evs_, &err_));
    NO(YS_INVALID, ys_cmd_motion_decide(s, &test_ctx, 2, YS_DECIDE_COMMITTEE, NULL, &evs_, &err_));
    OK(ys_cmd_motion_decide(s, &test_ctx, 2, YS_DECIDE_AGENDA, NULL, &evs_, &err_));
    OK(ys_cmd_motion_answer(s, &test_ctx, 2, NULL, "本人对所列事实有不同意见。", &evs_, &err_)); /* 申辩意见 */
    /* only a recall is put by a body */
    ys_motion_draft body = motion_draft;
    body.by = YS_BY_STANDING_COMMITTEE;
    NO_SAYING(YS_INVALID, "第三十一条", ys_cmd_motion_draft(s, &test_ctx, &body, &evs_, &err_));
    digest_kept(s);
    ys_session_free(s);
}

/* One delegate's suggestion goes to the agencies that answer it; an amendment gathers its own ten. */
static void suggestion_and_amendment(void **state)
{
    (void)state;
    ys_session *s = congress();
    char *csv_;
    ys_motion_draft sg = {.kind = YS_MOTION_SUGGESTION, .by = YS_BY_DELEGATES, .lead = "D7",
                          .title = "关于加强农村供水保障的建议", .grounds = "部分山区季节性缺水。", .addressee = "省水利厅"};
    OK(ys_cmd_motion_draft(s, &test_ctx, &sg, &evs_, &err_));
    OK(ys_cmd_motion_submit(s, &test_ctx, 1, &evs_, &err_));
    OK(ys_cmd_motion_decide(s, &test_ctx, 1, YS_DECIDE_REFER, "交省水利厅办理", &evs_, &err_));
    OK(ys_cmd_motion_answer(s, &test_ctx, 1, "省水利厅", "已列入2024年农村供水工程。", &evs_, &err_));
    OK(ys_cmd_motion_rate(s, &test_ctx, 1, "D7", YS_BASICALLY_SATISFIED, &evs_, &err_));

    /* the organic law sets no number for amendments: the province's rules of procedure do */
    OK(ys_cmd_motion_draft(s, &test_ctx, &motion_draft, &evs_, &err_));
    ys_motion_draft am = {.kind = YS_MOTION_AMENDMENT, .by = YS_BY_DELEGATES, .lead = "D20", .amends = 2,
                          .title = "关于第五条的修正案", .plan = "将「应当」改为「必须」。"};
    OK(ys_cmd_motion_draft(s, &test_ctx, &am, &evs_, &err_));
    NO_SAYING(YS_STATE, "has no rule for 修正案", ys_cmd_motion_submit(s, &test_ctx, 3, &evs_, &err_));
    digest_kept(s);
    ys_session_free(s);

    /* 粤规（2022）第二十五条: 「代表十人以上联名……书面提出修正案」 */
    s = test_session("gd-provincial");
    csv_ = test_delegates_csv(100, 4);
    assert_int_equal(test_import(s, YS_IMPORT_DELEGATES, csv_, NULL), YS_OK);
    ys_free(csv_);
    OK(ys_cmd_motion_draft(s, &test_ctx, &motion_draft, &evs_, &err_));
    ys_motion_draft astray = am;
    astray.amends = 2; /* no motion 2 yet */
    NO(YS_NOT_FOUND, ys_cmd_motion_draft(s, &test_ctx, &astray, &evs_, &err_));
    am.amends = 1;
    OK(ys_cmd_motion_draft(s, &test_ctx, &am, &evs_, &err_));
    sign(s, 2, 21, 28);
    NO_SAYING(YS_INVALID, "修正案 needs 10 (粤规（2022）第二十五条", ys_cmd_motion_submit(s, &test_ctx, 2, &evs_, &err_));
    sign(s, 2, 29, 29);
    OK(ys_cmd_motion_submit(s, &test_ctx, 2, &evs_, &err_));
    assert_int_equal(ys_motion_get(s, 2)->amends, 1);
    digest_kept(s);
    ys_session_free(s);
}

/* 地方组织法第二十六条: delegates co-sign a candidate from their terminals; the office's threshold (省级: 三十人以上)
 * and 「不得超过应选名额」 for each nominator, counting the drafts they have signed. */
static void nomination_by_delegates(void **state)
{
    (void)state;
    ys_session *s = congress();
    ys_election_args ea = {.kind = YS_ELECTION, .office = "sc_chair", .seats = 1, .by_election = true};
    OK(ys_cmd_election_create(s, &test_ctx, &ea, &evs_, &err_));
    ys_motion_draft n = {.kind = YS_MOTION_NOMINATION, .by = YS_BY_DELEGATES, .lead = "D1", .election = 1};
    NO_SAYING(YS_INVALID, "the candidate's name", ys_cmd_motion_draft(s, &test_ctx, &n, &evs_, &err_));
    n.person = "张三";
    n.election = 2;
    NO(YS_NOT_FOUND, ys_cmd_motion_draft(s, &test_ctx, &n, &evs_, &err_));
    n.election = 1;
    OK(ys_cmd_motion_draft(s, &test_ctx, &n, &evs_, &err_));
    assert_string_equal(ys_motion_get(s, 1)->title, "提名张三为省人民代表大会常务委员会主任候选人");
    sign(s, 1, 2, 29);
    NO_SAYING(YS_INVALID, "29 co-signers; a nomination needs 30", ys_cmd_motion_submit(s, &test_ctx, 1, &evs_, &err_));
    /* a second draft for the same single seat: who signed the first may not sign it */
    ys_motion_draft other = n;
    other.lead = "D40";
    other.person = "李四";
    OK(ys_cmd_motion_draft(s, &test_ctx, &other, &evs_, &err_));
    NO_SAYING(YS_CONFLICT, "第二十六条", ys_cmd_motion_sign(s, &test_ctx, 2, "D2", &evs_, &err_));
    sign(s, 1, 30, 30);
    OK(ys_cmd_motion_submit(s, &test_ctx, 1, &evs_, &err_));
    const ys_session_election *el = ys_session_election_get(s, 1);
    assert_int_equal(el->n_nominees, 1);
    assert_string_equal(el->nominees[0].name, "张三");
    assert_int_equal(strncmp(el->nominees[0].by, "delegates:D1,D2,", 16), 0);
    assert_int_equal(ys_motion_get(s, 1)->state, YS_MOTION_SUBMITTED);
    NO(YS_INVALID, ys_cmd_motion_decide(s, &test_ctx, 1, YS_DECIDE_AGENDA, NULL, &evs_, &err_)); /* nothing to decide */
    NO_SAYING(YS_CONFLICT, "第二十六条", ys_cmd_motion_sign(s, &test_ctx, 2, "D30", &evs_, &err_)); /* on the list now */
    /* once the ballot opens, no more nominations */
    ys_motion_draft late = n;
    late.lead = "D50";
    late.person = "王五";
    OK(ys_cmd_meeting_open(s, &test_ctx, YS_MEETING_PLENARY, "第三次全体会议", NULL, &evs_, &err_));
    for (int i = 1; i <= 70; i++) {
        char code[8];
        snprintf(code, sizeof code, "D%d", i);
        OK(ys_cmd_attendance(s, &test_ctx, 1, code, YS_PRESENT, NULL, &evs_, &err_));
    }
    OK(ys_cmd_election_open(s, &test_ctx, 1, &evs_, &err_));
    NO_SAYING(YS_STATE, "takes no more nominations", ys_cmd_motion_draft(s, &test_ctx, &late, &evs_, &err_));
    digest_kept(s);
    ys_session_free(s);
}

/* The vote that decides a motion on the agenda: an amendment's poll amends its motion's and is voted first
 * (粤规第六十一条), a motion put to the vote is no longer withdrawn, a recall is voted secretly by all delegates'
 * majority (地方组织法第三十一条). */
static void decided_by_a_poll(void **state)
{
    (void)state;
    ys_session *s = test_session("gd-provincial");
    char *csv = test_delegates_csv(100, 4);
    assert_int_equal(test_import(s, YS_IMPORT_DELEGATES, csv, NULL), YS_OK);
    ys_free(csv);
    ys_motion_draft am = {.kind = YS_MOTION_AMENDMENT, .by = YS_BY_DELEGATES, .lead = "D20", .amends = 1,
                          .title = "关于第五条的修正案"};
    ys_motion_draft rc = {.kind = YS_MOTION_RECALL, .by = YS_BY_PRESIDIUM, .title = "关于罢免张某某职务的议案",
                          .person = "张某某", .grounds = "严重违纪违法"};
    OK(ys_cmd_motion_draft(s, &test_ctx, &motion_draft, &evs_, &err_));
    sign(s, 1, 2, 10);
    OK(ys_cmd_motion_submit(s, &test_ctx, 1, &evs_, &err_));
    ys_poll_args vote = {.title = "表决关于制定黄河流域生态保护条例的议案", .method = YS_METHOD_TERMINAL, .motion = 1};
    NO_SAYING(YS_STATE, "not on the agenda", ys_cmd_poll_create(s, &test_ctx, &vote, &evs_, &err_));
    OK(ys_cmd_motion_decide(s, &test_ctx, 1, YS_DECIDE_AGENDA, NULL, &evs_, &err_));
    OK(ys_cmd_motion_draft(s, &test_ctx, &am, &evs_, &err_));
    sign(s, 2, 21, 29);
    OK(ys_cmd_motion_submit(s, &test_ctx, 2, &evs_, &err_));
    OK(ys_cmd_motion_decide(s, &test_ctx, 2, YS_DECIDE_AGENDA, NULL, &evs_, &err_));
    ys_poll_args amend = {.title = "表决关于第五条的修正案", .method = YS_METHOD_TERMINAL, .motion = 2};
    NO_SAYING(YS_STATE, "create the poll of motion 1 first", ys_cmd_poll_create(s, &test_ctx, &amend, &evs_, &err_));
    OK(ys_cmd_poll_create(s, &test_ctx, &vote, &evs_, &err_));
    NO(YS_CONFLICT, ys_cmd_poll_create(s, &test_ctx, &vote, &evs_, &err_)); /* one poll decides it */
    OK(ys_cmd_poll_create(s, &test_ctx, &amend, &evs_, &err_));
    assert_int_equal(ys_poll_get(s, 2)->amends, 1);
    assert_int_equal(ys_poll_get(s, 2)->motion, 2);
    OK(ys_cmd_meeting_open(s, &test_ctx, YS_MEETING_PLENARY, "第三次全体会议", NULL, &evs_, &err_));
    for (int i = 1; i <= 80; i++) {
        char code[8];
        snprintf(code, sizeof code, "D%d", i);
        OK(ys_cmd_attendance(s, &test_ctx, 1, code, YS_PRESENT, NULL, &evs_, &err_));
    }
    NO_SAYING(YS_STATE, "must be voted first", ys_cmd_poll_open(s, &test_ctx, 1, &evs_, &err_));
    OK(ys_cmd_poll_open(s, &test_ctx, 2, &evs_, &err_));
    OK(ys_cmd_poll_close(s, &test_ctx, 2, &evs_, &err_));
    OK(ys_cmd_poll_open(s, &test_ctx, 1, &evs_, &err_));
    NO_SAYING(YS_STATE, "put to the vote", ys_cmd_motion_withdraw(s, &test_ctx, 1, true, &evs_, &err_));
    for (int i = 1; i <= 60; i++) {
        char code[8];
        snprintf(code, sizeof code, "D%d", i);
        OK(ys_cmd_poll_vote(s, &test_ctx, 1, code, YS_CHOICE_YES, &evs_, &err_));
    }
    OK(ys_cmd_poll_close(s, &test_ctx, 1, &evs_, &err_));
    assert_ptr_equal(ys_motion_poll(s, 1), ys_poll_get(s, 1));

    OK(ys_cmd_motion_draft(s, &test_ctx, &rc, &evs_, &err_));
    OK(ys_cmd_motion_decide(s, &test_ctx, 3, YS_DECIDE_AGENDA, NULL, &evs_, &err_));
    ys_poll_args recall = {.title = "表决罢免案", .method = YS_METHOD_TERMINAL, .named = true, .motion = 3};
    NO_SAYING(YS_INVALID, "secret ballot", ys_cmd_poll_create(s, &test_ctx, &recall, &evs_, &err_));
    recall.named = false;
    recall.method = YS_METHOD_SHOW_OF_HANDS; /* a show of hands is not a secret ballot */
    NO_SAYING(YS_INVALID, "show of hands", ys_cmd_poll_create(s, &test_ctx, &recall, &evs_, &err_));
    recall.method = YS_METHOD_TERMINAL;
    OK(ys_cmd_poll_create(s, &test_ctx, &recall, &evs_, &err_));
    ys_poll_args stray = {.title = "表决建议", .method = YS_METHOD_TERMINAL, .motion = 9};
    NO(YS_NOT_FOUND, ys_cmd_poll_create(s, &test_ctx, &stray, &evs_, &err_));
    digest_kept(s);
    ys_session_free(s);
}

/* The words of the API and the command line, in either language. */
static void words(void **state)
{
    (void)state;
    assert_int_equal(ys_motion_kind_parse("质询案"), YS_MOTION_INQUIRY);
    assert_int_equal(ys_motion_kind_parse("recall"), YS_MOTION_RECALL);
    assert_int_equal(ys_motion_kind_parse("petition"), 0);
    assert_string_equal(ys_motion_decision_zh(YS_DECIDE_COMMITTEE), "先交有关的专门委员会审议");
    assert_int_equal(ys_motion_decision_parse("written"), YS_DECIDE_WRITTEN);
    assert_int_equal(ys_satisfaction_parse("基本满意"), YS_BASICALLY_SATISFIED);
    assert_string_equal(ys_motion_state_key((ys_motion_state)0), "?");
    assert_null(ys_motion_rule(YS_MOTION_SUGGESTION));
    assert_string_equal(ys_motion_rule(YS_MOTION_INQUIRY), "inquiry");
}

/* Committed to the store and opened again: the same motions and the same digest. */
static void replayed_from_the_file(void **state)
{
    (void)state;
    char *path = test_store_new(); /* a file, or a session in PostgreSQL (test_motion_pg) */
    ys_journal *j = NULL;
    ys_err err = {0};
    ys_rules *rules = test_rules("prc-provincial");
    ys_init_args a = {.assembly = "山西省人民代表大会", .term = "第十四届", .name = "第二次会议", .rules = rules};
    assert_int_equal(ys_journal_create(path, &test_ctx, &a, &j, &err), YS_OK);
    ys_rules_free(rules);
    char *csv = test_delegates_csv(100, 4);
    test_journal_import(j, YS_IMPORT_DELEGATES, csv);
    ys_free(csv);
    ys_session *s = j->session;
    ys_events evs;
    ys_events_init(&evs);
    assert_int_equal(ys_cmd_motion_draft(s, &test_ctx, &motion_draft, &evs, &err), YS_OK);
    assert_int_equal(ys_journal_commit(j, &evs, &err), YS_OK);
    ys_events_free(&evs);
    for (int i = 2; i <= 10; i++) {
        char code[8];
        snprintf(code, sizeof code, "D%d", i);
        ys_events_init(&evs);
        assert_int_equal(ys_cmd_motion_sign(s, &test_ctx, 1, code, &evs, &err), YS_OK);
        assert_int_equal(ys_journal_commit(j, &evs, &err), YS_OK);
        ys_events_free(&evs);
    }
    ys_events_init(&evs);
    assert_int_equal(ys_cmd_motion_submit(s, &test_ctx, 1, &evs, &err), YS_OK);
    assert_int_equal(ys_cmd_motion_deadline(s, &test_ctx, YS_MOTION_INQUIRY, "2024-01-25T02:00:00.000Z", &evs, &err),
                     YS_OK);
    assert_int_equal(ys_journal_commit(j, &evs, &err), YS_OK);
    ys_events_free(&evs);
    uint8_t live[YS_HASH_BYTES], replayed[YS_HASH_BYTES];
    ys_session_digest(s, live);
    ys_journal_close(j);
    assert_int_equal(ys_journal_open(path, 0, &j, &err), YS_OK);
    ys_session_digest(j->session, replayed);
    assert_memory_equal(live, replayed, YS_HASH_BYTES);
    const ys_motion *m = ys_motion_get(j->session, 1);
    assert_non_null(m);
    assert_int_equal(m->state, YS_MOTION_SUBMITTED);
    assert_int_equal(m->n_signatures, 10);
    assert_string_equal(m->plan, motion_draft.plan);
    assert_string_equal(j->session->motion_deadlines[YS_MOTION_INQUIRY], "2024-01-25T02:00:00.000Z");
    digest_kept(j->session);
    ys_journal_close(j);
    test_store_remove(path);
    ys_free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(motion_needs_ten), cmocka_unit_test(withdrawal), cmocka_unit_test(bad_signatures_and_drafts),
        cmocka_unit_test(inquiry),          cmocka_unit_test(recall),     cmocka_unit_test(suggestion_and_amendment),
        cmocka_unit_test(words),            cmocka_unit_test(replayed_from_the_file), cmocka_unit_test(nomination_by_delegates),
        cmocka_unit_test(decided_by_a_poll),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
