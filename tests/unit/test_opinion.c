/* test_opinion.c — opinions on documents: tagged to the document, version and section, their delegation from
 * what is named, a delegate of another delegation refused; a version's explanation of changes taking up
 * opinions of earlier versions once each; the drafting team's summary by section; the digest kept. */
#include "testutil.h"

#include "yishi/opinion.h"
#include "yishi/reports.h"

#define OK TEST_OK
#define NO TEST_NO
#define NO_SAYING TEST_NO_SAYING

#define HASH_A "aa00000000000000000000000000000000000000000000000000000000000001"
#define HASH_B "bb00000000000000000000000000000000000000000000000000000000000002"

/* 20 delegates in 2 delegations (D1, D3 … of the first; D2, D4 … of the second); two documents; the first
 * delegation's meeting. */
static ys_session *deliberated(void)
{
    ys_session *s = test_session("prc-provincial");
    char *csv = test_delegates_csv(20, 2);
    assert_int_equal(test_import(s, YS_IMPORT_DELEGATES, csv, NULL), YS_OK);
    ys_free(csv);
    OK(ys_cmd_document(s, &test_ctx, "政府工作报告", HASH_A, 100, NULL, &evs_, &err_));
    OK(ys_cmd_document(s, &test_ctx, "预算报告", HASH_B, 100, NULL, &evs_, &err_));
    OK(ys_cmd_meeting_open(s, &test_ctx, YS_MEETING_DELEGATION, "审议政府工作报告", s->delegations[0].name, &evs_, &err_));
    return s;
}

static void digest_kept(const ys_session *s)
{
    uint8_t kept[YS_HASH_BYTES], whole[YS_HASH_BYTES];
    ys_session_digest(s, kept);
    ys_session_digest_full(s, whole);
    assert_memory_equal(kept, whole, YS_HASH_BYTES);
}

static void opinions_and_their_origin(void **state)
{
    (void)state;
    ys_session *s = deliberated();
    const char *first = s->delegations[0].name, *second = s->delegations[1].name;
    ys_opinion_args a = {.document = "政府工作报告", .section = "第二部分", .text = "建议加大对县域经济的支持。", .delegate = "D1", .meeting = 1};
    OK(ys_cmd_opinion_add(s, &test_ctx, &a, &evs_, &err_));
    const ys_opinion *o = ys_opinion_get(s, 1);
    assert_int_equal(o->delegation, 1); /* the meeting's */
    assert_int_equal(o->version, 1);
    a.delegate = "D2"; /* of the other delegation, at the first's meeting */
    NO_SAYING(YS_CONFLICT, "nor recorded as joining its meeting", ys_cmd_opinion_add(s, &test_ctx, &a, &evs_, &err_));
    ys_opinion_args b = {.document = "政府工作报告", .section = "第三部分", .text = "建议增加生态保护内容。", .delegation = second};
    OK(ys_cmd_opinion_add(s, &test_ctx, &b, &evs_, &err_));
    b.meeting = 1; /* the first delegation's meeting, for the second delegation */
    NO(YS_CONFLICT, ys_cmd_opinion_add(s, &test_ctx, &b, &evs_, &err_));
    ys_opinion_args none = {.document = "政府工作报告", .section = "第一部分", .text = "赞同。"};
    NO_SAYING(YS_INVALID, "comes from a delegation", ys_cmd_opinion_add(s, &test_ctx, &none, &evs_, &err_));
    none.delegation = first;
    none.section = "";
    NO_SAYING(YS_INVALID, "the section", ys_cmd_opinion_add(s, &test_ctx, &none, &evs_, &err_));
    none.section = "第一部分";
    none.text = "";
    NO_SAYING(YS_INVALID, "the opinion is empty", ys_cmd_opinion_add(s, &test_ctx, &none, &evs_, &err_));
    none.text = "赞同。";
    none.document = "无此文件";
    NO(YS_NOT_FOUND, ys_cmd_opinion_add(s, &test_ctx, &none, &evs_, &err_));
    none.document = "政府工作报告";
    none.delegate = "D99";
    NO(YS_NOT_FOUND, ys_cmd_opinion_add(s, &test_ctx, &none, &evs_, &err_));
    assert_int_equal(s->n_opinions, 2);
    digest_kept(s);
    ys_session_free(s);
}

static void a_version_takes_them_up(void **state)
{
    (void)state;
    ys_session *s = deliberated();
    ys_opinion_args a = {.document = "政府工作报告", .section = "第二部分", .text = "建议加大对县域经济的支持。", .delegate = "D1"};
    ys_opinion_args b = {.document = "预算报告", .section = "第一部分", .text = "建议细化预算。", .delegate = "D3"};
    OK(ys_cmd_opinion_add(s, &test_ctx, &a, &evs_, &err_));
    OK(ys_cmd_opinion_add(s, &test_ctx, &b, &evs_, &err_));
    int one[] = {1}, other[] = {2}, twice[] = {1, 1};
    NO_SAYING(YS_NOT_FOUND, "version 2 or later", ys_cmd_document_explain(s, &test_ctx, "政府工作报告", 2, "说明", one, 1, &evs_, &err_));
    OK(ys_cmd_document(s, &test_ctx, "政府工作报告", HASH_B, 120, "第二稿", &evs_, &err_));
    ys_opinion_args late = a;
    late.text = "就第二稿的意见。";
    OK(ys_cmd_opinion_add(s, &test_ctx, &late, &evs_, &err_));
    assert_int_equal(ys_opinion_get(s, 3)->version, 2);
    int on_two[] = {3};
    NO_SAYING(YS_INVALID, "cannot have taken it up", ys_cmd_document_explain(s, &test_ctx, "政府工作报告", 2, "说明", on_two, 1, &evs_, &err_));
    NO_SAYING(YS_NOT_FOUND, "no opinion 2 on", ys_cmd_document_explain(s, &test_ctx, "政府工作报告", 2, "说明", other, 1, &evs_, &err_));
    NO_SAYING(YS_INVALID, "named twice", ys_cmd_document_explain(s, &test_ctx, "政府工作报告", 2, "说明", twice, 2, &evs_, &err_));
    NO(YS_INVALID, ys_cmd_document_explain(s, &test_ctx, "政府工作报告", 2, "", one, 1, &evs_, &err_));
    OK(ys_cmd_document_explain(s, &test_ctx, "政府工作报告", 2, "在第二部分增加支持县域经济的内容。", one, 1, &evs_, &err_));
    assert_int_equal(ys_opinion_get(s, 1)->taken_up_in, 2);
    NO(YS_CONFLICT, ys_cmd_document_explain(s, &test_ctx, "政府工作报告", 2, "又一说明", NULL, 0, &evs_, &err_));
    OK(ys_cmd_document(s, &test_ctx, "政府工作报告", HASH_A, 130, "第三稿", &evs_, &err_));
    NO_SAYING(YS_CONFLICT, "taken up in version 2 already", ys_cmd_document_explain(s, &test_ctx, "政府工作报告", 3, "说明", one, 1, &evs_, &err_));
    OK(ys_cmd_document_explain(s, &test_ctx, "政府工作报告", 3, "文字修改。", NULL, 0, &evs_, &err_));
    digest_kept(s);

    ys_err err = {0};
    ys_rdoc *d = ys_report_opinions(s, 1, &err);
    assert_non_null(d);
    char *t = ys_rdoc_text(d, NULL, &err);
    char line[512];
    snprintf(line, sizeof line, "- 第1条　%s代表团%s代表（就第1稿）：建议加大对县域经济的支持。（第2稿已采纳）",
             s->delegations[0].name, ys_delegate_by_code(s, "D1")->name);
    assert_non_null(strstr(t, "共收到1个代表团对《政府工作报告》提出的审议意见2条"));
    assert_non_null(strstr(t, line));
    assert_non_null(strstr(t, "第2稿修改说明"));
    assert_non_null(strstr(t, "本稿采纳的审议意见：第1条。"));
    assert_non_null(strstr(t, "本稿未采纳代表团的审议意见。"));
    assert_null(strstr(t, "建议细化预算")); /* another document's */
    ys_free(t);
    ys_rdoc_free(d);
    assert_null(ys_report_opinions(s, 9, &err));
    assert_int_equal(err.rc, YS_NOT_FOUND);
    ys_session_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(opinions_and_their_origin),
        cmocka_unit_test(a_version_takes_them_up),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
