/* test_correct.c — corrections of the record: a delegate's name, gender, ethnicity, delegation and post, an
 * agenda item and an attendee, each an event with its reason and what it replaces; the state shows the
 * corrected record, the digest kept by the fold is the whole state's, the file's tables follow, a reopened
 * file replays to the same state, and every bad correction is refused with nothing emitted. Run again on a
 * PostgreSQL session as test_correct_pg. */
#include "storeutil.h"

#include "yishi/correct.h"
#include "yishi/journal.h"


#define NO TEST_NO

#define COMMIT TEST_COMMIT

/* A file with posts, three delegates in two delegations, an attendee, and two agenda items with their documents. */
static ys_journal *new_session(const char *path)
{
    ys_journal *j = NULL;
    ys_err err = {0};
    ys_rules *r = test_rules("prc-provincial");
    ys_init_args a = {"山西省人民代表大会", "第十四届", "第二次会议", r};
    assert_int_equal(ys_journal_create(path, &test_ctx, &a, &j, &err), YS_OK);
    ys_rules_free(r);
    test_journal_import(j, YS_IMPORT_POSTS, "rank,title\n1,省委书记\n2,省长\n3,市委书记\n");
    test_journal_import(j, YS_IMPORT_DELEGATES, "code,name,gender,ethnicity,delegation,seat,roles,post\n"
                                        "A1,唐登杰,男,汉族,晋中代表团,1-1,,省委书记\n"
                                        "A2,常书铭,男,汉族,晋中代表团,1-2,,\n"
                                        "A3,韦韬,男,汉族,太原代表团,1-3,,\n");
    test_journal_import(j, YS_IMPORT_ATTENDEES, "name,kind,post,affiliation\n吴俊清,attendee,,省人大常委会\n");
    test_journal_import(j, YS_IMPORT_AGENDA, "order,kind,title,presenter,document\n1,deliberate,审议政府工作报告,金湘军,政府工作报告\n"
                                     "2,examine,审查计划报告,,计划报告\n");
    return j;
}

static void digest_kept(const ys_session *s)
{
    uint8_t kept[YS_HASH_BYTES], whole[YS_HASH_BYTES];
    ys_session_digest(s, kept);
    ys_session_digest_full(s, whole);
    assert_memory_equal(kept, whole, YS_HASH_BYTES);
}

/* One value of the store's projection tables, as text ("" for NULL); `pg_sql` for SQL that only SQLite speaks
 * (test_store_sql_value). */
static void table_says_pg(const char *path, const char *sql, const char *pg_sql, const char *want)
{
    char *v = NULL;
    assert_true(test_store_sql_value(path, sql, pg_sql, &v));
    if (strcmp(v ? v : "", want))
        fail_msg("%s gives '%s', not '%s'", sql, v ? v : "", want);
    ys_free(v);
}

static void table_says(const char *path, const char *sql, const char *want) { table_says_pg(path, sql, NULL, want); }

static void a_delegate_corrected(void **state)
{
    (void)state;
    char *path = test_store_new();
    ys_journal *j = new_session(path);
    const ys_session *s = j->session;
    int jinzhong = ys_delegation_by_name(s, "晋中代表团")->id, taiyuan = ys_delegation_by_name(s, "太原代表团")->id;
    COMMIT(j, ys_cmd_delegate_correct(s, &test_ctx, "A2", &(ys_delegate_fix){.name = "常书明", .gender = "女"},
                                      "姓名、性别录入有误", &evs_, &err_));
    const ys_delegate *d = ys_delegate_by_code(s, "A2");
    assert_string_equal(d->name, "常书明");
    assert_int_equal(d->gender, YS_GENDER_FEMALE);
    digest_kept(s);
    /* the move: both delegations' counts of members */
    COMMIT(j, ys_cmd_delegate_correct(s, &test_ctx, "A3", &(ys_delegate_fix){.delegation = "晋中代表团", .post = "市委书记"},
                                      "代表团录入有误", &evs_, &err_));
    assert_int_equal(ys_delegate_by_code(s, "A3")->delegation, jinzhong);
    assert_int_equal(s->delegations[jinzhong - 1].members, 3);
    assert_int_equal(s->delegations[taiyuan - 1].members, 0);
    digest_kept(s);
    COMMIT(j, ys_cmd_delegate_correct(s, &test_ctx, "A1", &(ys_delegate_fix){.post = ""}, "职务已变更", &evs_, &err_));
    assert_int_equal(ys_delegate_by_code(s, "A1")->post, 0);
    table_says(path, "SELECT name || gender FROM delegates WHERE code = 'A2'", "常书明female");
    table_says(path, "SELECT delegation_id || '/' || post_id FROM delegates WHERE code = 'A3'", "1/3");
    table_says(path, "SELECT post_id FROM delegates WHERE code = 'A1'", "");
    /* the log keeps what was replaced */
    table_says_pg(path, "SELECT json_extract(payload, '$.was.name') || json_extract(payload, '$.reason') FROM events "
                        "WHERE type = 'delegate.correct' ORDER BY seq LIMIT 1",
                  "SELECT (payload::jsonb #>> '{was,name}') || (payload::jsonb ->> 'reason') FROM events"
                  " WHERE session_id = {session} AND type = 'delegate.correct' ORDER BY seq LIMIT 1", "常书铭姓名、性别录入有误");
    uint8_t live[YS_HASH_BYTES], replayed[YS_HASH_BYTES];
    ys_session_digest(s, live);
    ys_journal_close(j);
    ys_err err = {0};
    assert_int_equal(ys_journal_open(path, 0, &j, &err), YS_OK);
    ys_session_digest(j->session, replayed);
    assert_memory_equal(live, replayed, YS_HASH_BYTES);
    assert_string_equal(ys_delegate_by_code(j->session, "A2")->name, "常书明");
    ys_journal_close(j);
    test_store_remove(path);
    ys_free(path);
}

static void bad_delegate_corrections(void **state)
{
    (void)state;
    char *path = test_store_new();
    ys_journal *j = new_session(path);
    ys_session *s = j->session;
    const char *why = "录入有误";
    NO(YS_NOT_FOUND, ys_cmd_delegate_correct(s, &test_ctx, "Z9", &(ys_delegate_fix){.name = "某"}, why, &evs_, &err_));
    NO(YS_INVALID, ys_cmd_delegate_correct(s, &test_ctx, "A2", &(ys_delegate_fix){.name = "某"}, "", &evs_, &err_));
    NO(YS_INVALID, ys_cmd_delegate_correct(s, &test_ctx, "A2", &(ys_delegate_fix){.name = "某"}, NULL, &evs_, &err_));
    NO(YS_CONFLICT, ys_cmd_delegate_correct(s, &test_ctx, "A2", &(ys_delegate_fix){0}, why, &evs_, &err_));
    NO(YS_CONFLICT, ys_cmd_delegate_correct(s, &test_ctx, "A2", &(ys_delegate_fix){.name = "常书铭", .gender = "男"}, why,
                                            &evs_, &err_)); /* as the record already says */
    NO(YS_INVALID, ys_cmd_delegate_correct(s, &test_ctx, "A2", &(ys_delegate_fix){.name = ""}, why, &evs_, &err_));
    NO(YS_INVALID, ys_cmd_delegate_correct(s, &test_ctx, "A2", &(ys_delegate_fix){.name = "bell\a"}, why, &evs_, &err_));
    NO(YS_INVALID, ys_cmd_delegate_correct(s, &test_ctx, "A2", &(ys_delegate_fix){.gender = "X"}, why, &evs_, &err_));
    NO(YS_INVALID, ys_cmd_delegate_correct(s, &test_ctx, "A2",
                                           &(ys_delegate_fix){.ethnicity = "一二三四五六七八九十一二"}, why, &evs_, &err_));
    NO(YS_NOT_FOUND, ys_cmd_delegate_correct(s, &test_ctx, "A2", &(ys_delegate_fix){.delegation = "大同代表团"}, why,
                                             &evs_, &err_));
    NO(YS_INVALID, ys_cmd_delegate_correct(s, &test_ctx, "A2", &(ys_delegate_fix){.delegation = ""}, why, &evs_, &err_));
    NO(YS_NOT_FOUND, ys_cmd_delegate_correct(s, &test_ctx, "A2", &(ys_delegate_fix){.post = "县长"}, why, &evs_, &err_));
    /* not while a meeting of either delegation is open: its attendance counts that delegation */
    COMMIT(j, ys_cmd_meeting_open(s, &test_ctx, YS_MEETING_DELEGATION, "审议政府工作报告", "太原代表团", &evs_, &err_));
    NO(YS_STATE, ys_cmd_delegate_correct(s, &test_ctx, "A2", &(ys_delegate_fix){.delegation = "太原代表团"}, why, &evs_,
                                         &err_));
    COMMIT(j, ys_cmd_delegate_correct(s, &test_ctx, "A2", &(ys_delegate_fix){.name = "常书明"}, why, &evs_, &err_));
    ys_journal_close(j);
    test_store_remove(path);
    ys_free(path);
}

static void an_item_and_an_attendee_corrected(void **state)
{
    (void)state;
    char *path = test_store_new();
    ys_journal *j = new_session(path);
    const ys_session *s = j->session;
    const char *why = "录入有误";
    COMMIT(j, ys_cmd_item_correct(s, &test_ctx, 1, &(ys_item_fix){.title = "审议省政府工作报告", .kind = "examine",
                                                                   .presenter = "", .document = "计划报告"},
                                  why, &evs_, &err_));
    const ys_item *it = &s->items[0];
    assert_string_equal(it->title, "审议省政府工作报告");
    assert_int_equal(it->kind, YS_ITEM_EXAMINE);
    assert_null(it->presenter);
    assert_int_equal(it->document, ys_document_by_title(s, "计划报告")->id);
    digest_kept(s);
    table_says(path, "SELECT title || kind || coalesce(presenter, '-') || document_id FROM agenda WHERE id = 1",
               "审议省政府工作报告examine-2");
    COMMIT(j, ys_cmd_attendee_correct(s, &test_ctx, 1, &(ys_attendee_fix){.name = "吴俊青", .post = "省长",
                                                                          .affiliation = ""},
                                      why, &evs_, &err_));
    assert_string_equal(s->attendees[0].name, "吴俊青");
    assert_null(s->attendees[0].affiliation);
    digest_kept(s);
    table_says(path, "SELECT name || post_id || coalesce(affiliation, '-') FROM attendees", "吴俊青2-");
    NO(YS_NOT_FOUND, ys_cmd_item_correct(s, &test_ctx, 3, &(ys_item_fix){.title = "x"}, why, &evs_, &err_));
    NO(YS_INVALID, ys_cmd_item_correct(s, &test_ctx, 1, &(ys_item_fix){.kind = "sing"}, why, &evs_, &err_));
    NO(YS_INVALID, ys_cmd_item_correct(s, &test_ctx, 1, &(ys_item_fix){.title = ""}, why, &evs_, &err_));
    NO(YS_NOT_FOUND, ys_cmd_item_correct(s, &test_ctx, 1, &(ys_item_fix){.document = "预算报告"}, why, &evs_, &err_));
    NO(YS_CONFLICT, ys_cmd_item_correct(s, &test_ctx, 1, &(ys_item_fix){.presenter = ""}, why, &evs_, &err_));
    NO(YS_NOT_FOUND, ys_cmd_attendee_correct(s, &test_ctx, 9, &(ys_attendee_fix){.name = "x"}, why, &evs_, &err_));
    NO(YS_INVALID, ys_cmd_attendee_correct(s, &test_ctx, 1, &(ys_attendee_fix){.kind = "guest"}, why, &evs_, &err_));
    NO(YS_CONFLICT, ys_cmd_attendee_correct(s, &test_ctx, 1, &(ys_attendee_fix){.kind = "attendee"}, why, &evs_, &err_));
    ys_journal_close(j);
    test_store_remove(path);
    ys_free(path);
}

/* A correction whose `was` is not what the record holds is a log out of order: the fold refuses it. */
static void the_fold_refuses_a_correction_of_what_is_not_there(void **state)
{
    (void)state;
    ys_session *s = test_session("prc-provincial");
    char *csv = test_delegates_csv(4, 2);
    assert_int_equal(test_import(s, YS_IMPORT_DELEGATES, csv, NULL), YS_OK);
    ys_free(csv);
    ys_events evs;
    ys_err err = {0};
    ys_events_init(&evs);
    assert_int_equal(ys_cmd_delegate_correct(s, &test_ctx, "D1", &(ys_delegate_fix){.name = "甲"}, "录入有误", &evs, &err),
                     YS_OK);
    json_object_set_new(json_object_get(evs.v[0].payload, "was"), "name", json_string("代表9"));
    assert_int_equal(ys_session_accept(s, evs.v, evs.n, NULL, &err), YS_CORRUPT);
    assert_string_equal(err.field, "name");
    ys_events_free(&evs);
    ys_session_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_delegate_corrected),
        cmocka_unit_test(bad_delegate_corrections),
        cmocka_unit_test(an_item_and_an_attendee_corrected),
        cmocka_unit_test(the_fold_refuses_a_correction_of_what_is_not_there),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
