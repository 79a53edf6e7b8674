/* test_demo_data.c — unit tests of the demo session's tables: each parses as CSV with the agreed
 * columns, the counts and uniqueness hold, and the seed page's people sit where the paper puts them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "cli/demo_data.h"
#include "yishi/alloc.h"
#include "yishi/csv.h"

#include <stdlib.h>
#include <string.h>

/* Generates one table and parses it; fails the test on any problem of form. */
static ys_csv *load(ys_demo_table which)
{
    size_t len = 0;
    char *text = ys_demo_csv(which, &len);
    assert_non_null(text);
    assert_int_equal(strlen(text), len);
    ys_diags d;
    ys_diags_init(&d);
    ys_csv *c = NULL;
    ys_rc rc = ys_csv_parse(text, len, &c, &d);
    if (rc != YS_OK)
        ys_diags_print(&d, stderr, ys_demo_table_name(which));
    assert_int_equal(rc, YS_OK);
    ys_diags_free(&d);
    ys_free(text);
    return c;
}

static void assert_header(const ys_csv *c, const char *const *names, size_t n)
{
    assert_int_equal(c->header.n, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(c->header.fields[i], names[i]);
}

static const char *cell(const ys_csv *c, size_t row, const char *column)
{
    int i = ys_csv_column(c, column);
    assert_true(i >= 0);
    return c->rows[row].fields[i];
}

/* The row whose `column` equals `value`, or -1. */
static long find(const ys_csv *c, const char *column, const char *value)
{
    for (size_t r = 0; r < c->n_rows; r++)
        if (strcmp(cell(c, r, column), value) == 0)
            return (long)r;
    return -1;
}

static int has_role(const char *roles, const char *role)
{
    size_t n = strlen(role);
    for (const char *p = roles; (p = strstr(p, role)); p += n)
        if ((p == roles || p[-1] == ';') && (p[n] == '\0' || p[n] == ';'))
            return 1;
    return 0;
}

static void test_session(void **state)
{
    (void)state;
    const ys_demo_session *s = ys_demo_session_info();
    assert_string_equal(s->assembly, "山西省人民代表大会");
    assert_string_equal(s->term_name, "第十四届");
    assert_string_equal(s->session_name, "第二次会议");
    assert_string_equal(ys_demo_session_title(), "山西省第十四届人民代表大会第二次会议");
    assert_string_equal(s->opens, "2024-01-21");
    assert_string_equal(s->closes, "2024-01-25");
    assert_int_equal(s->delegates, 549);
    assert_null(ys_demo_csv(YS_DEMO__TABLES, NULL));
    assert_null(ys_demo_table_name(YS_DEMO__TABLES));
    assert_string_equal(ys_demo_delegation(0), "太原");
    assert_string_equal(ys_demo_delegation(11), "解放军");
    assert_null(ys_demo_delegation(12));
}

static void test_posts(void **state)
{
    (void)state;
    ys_csv *c = load(YS_DEMO_POSTS);
    static const char *const cols[] = {"rank", "title"};
    assert_header(c, cols, 2);
    long last = 0;
    for (size_t r = 0; r < c->n_rows; r++) {
        char *end;
        long rank = strtol(cell(c, r, "rank"), &end, 10);
        assert_true(*end == '\0' && rank >= 1);
        assert_true(rank >= last); /* written in protocol order */
        last = rank;
        assert_int_equal(find(c, "title", cell(c, r, "title")), (long)r); /* unique */
    }
    assert_int_equal(strcmp(cell(c, 0, "title"), "省委书记"), 0);
    assert_true(find(c, "title", "晋中市委书记") >= 0);
    assert_true(find(c, "title", "省人大常委会副主任") >= 0);
    ys_csv_free(c);
}

/* Per delegation: its block of rows in file order. */
static void check_delegations(const ys_csv *c)
{
    static const char *const order[] = {"太原", "大同", "阳泉", "长治", "晋城", "朔州",
                                        "晋中", "运城", "忻州", "临汾", "吕梁", "解放军"};
    size_t di = 0, heads[12] = {0}, deputies[12] = {0}, sizes[12] = {0};
    for (size_t r = 0; r < c->n_rows; r++) {
        const char *dg = cell(c, r, "delegation");
        if (strcmp(dg, order[di]) != 0) {
            di++; /* contiguous and in order: the next block must be the next delegation */
            assert_true(di < 12);
            assert_string_equal(dg, order[di]);
        }
        sizes[di]++;
        heads[di] += (size_t)has_role(cell(c, r, "roles"), "delegation_head");
        deputies[di] += (size_t)has_role(cell(c, r, "roles"), "delegation_deputy_head");
        for (size_t q = r + 1; q < c->n_rows && strcmp(cell(c, q, "delegation"), dg) == 0; q++)
            assert_string_not_equal(cell(c, r, "name"), cell(c, q, "name"));
    }
    assert_int_equal(di, 11);
    for (size_t i = 0; i < 12; i++) {
        assert_int_equal(heads[i], 1);
        assert_true(deputies[i] >= 1);
        assert_true(sizes[i] >= 20);
    }
    assert_true(sizes[0] > sizes[2]); /* 太原 larger than 阳泉: sizes follow population */
}

static void check_row_fields(const ys_csv *c, size_t r, const ys_csv *posts)
{
    static const char *const roles[] = {"presidium", "executive_chair", "secretary_general",
                                        "delegation_head", "delegation_deputy_head"};
    const char *code = cell(c, r, "code"), *seat = cell(c, r, "seat");
    assert_int_equal(strlen(code), 9);
    assert_int_equal(strspn(code, "0123456789"), 9);
    assert_int_equal(strncmp(code, "14", 2), 0);
    assert_int_equal(strlen(seat), 5);
    assert_true(strspn(seat, "0123456789") == 2 && seat[2] == '-' &&
                strspn(seat + 3, "0123456789") == 2);
    const char *g = cell(c, r, "gender");
    assert_true(strcmp(g, "男") == 0 || strcmp(g, "女") == 0);
    const char *post = cell(c, r, "post");
    assert_true(!post[0] || find(posts, "title", post) >= 0);
    /* Every role token is known; a chair is on the presidium. */
    char buf[256];
    snprintf(buf, sizeof buf, "%s", cell(c, r, "roles"));
    for (char *save, *t = strtok_r(buf, ";", &save); t; t = strtok_r(NULL, ";", &save)) {
        int known = 0;
        for (size_t i = 0; i < 5; i++)
            known |= strcmp(t, roles[i]) == 0;
        assert_true(known);
    }
    if (has_role(cell(c, r, "roles"), "executive_chair"))
        assert_true(has_role(cell(c, r, "roles"), "presidium"));
}

static void test_delegates(void **state)
{
    (void)state;
    ys_csv *c = load(YS_DEMO_DELEGATES), *posts = load(YS_DEMO_POSTS);
    static const char *const cols[] = {"code", "name", "gender", "ethnicity",
                                       "delegation", "seat", "roles", "post"};
    assert_header(c, cols, 8);
    assert_int_equal(c->n_rows, 549);
    size_t women = 0, presidium = 0, secgen = 0, chairs = 0, hui = 0, man = 0, mongol = 0;
    for (size_t r = 0; r < c->n_rows; r++) {
        check_row_fields(c, r, posts);
        assert_int_equal(find(c, "code", cell(c, r, "code")), (long)r);
        assert_int_equal(find(c, "seat", cell(c, r, "seat")), (long)r);
        women += strcmp(cell(c, r, "gender"), "女") == 0;
        presidium += (size_t)has_role(cell(c, r, "roles"), "presidium");
        chairs += (size_t)has_role(cell(c, r, "roles"), "executive_chair");
        secgen += (size_t)has_role(cell(c, r, "roles"), "secretary_general");
        hui += strcmp(cell(c, r, "ethnicity"), "回族") == 0;
        man += strcmp(cell(c, r, "ethnicity"), "满族") == 0;
        mongol += strcmp(cell(c, r, "ethnicity"), "蒙古族") == 0;
    }
    check_delegations(c);
    assert_true(women * 100 >= 25 * 549 && women * 100 <= 35 * 549);
    assert_true(presidium >= 70 && presidium <= 90);
    assert_true(chairs >= 8 && chairs <= 25);
    assert_int_equal(secgen, 1);
    assert_true(hui >= 3 && man >= 1 && mongol >= 1 && hui + man + mongol < 30);
    ys_csv_free(posts);
    ys_csv_free(c);
}

static void assert_delegate(const ys_csv *c, const char *name, const char *delegation,
                            const char *post)
{
    long r = find(c, "name", name);
    if (r < 0)
        fail_msg("%s is not a delegate", name);
    assert_string_equal(cell(c, (size_t)r, "delegation"), delegation);
    if (post)
        assert_string_equal(cell(c, (size_t)r, "post"), post);
}

static void test_seed_people(void **state)
{
    (void)state;
    ys_csv *c = load(YS_DEMO_DELEGATES), *a = load(YS_DEMO_ATTENDEES);
    assert_delegate(c, "唐登杰", "晋中", "省委书记");
    assert_delegate(c, "韦韬", "太原", "省委常委、太原市委书记");
    assert_true(has_role(cell(c, (size_t)find(c, "name", "韦韬"), "roles"), "delegation_head"));
    static const char *const speakers[] = {"常书铭", "刘星", "刘玉东", "王慧琴", "王超", "原丽花"};
    for (size_t i = 0; i < 6; i++)
        assert_delegate(c, speakers[i], "晋中", "");
    assert_delegate(c, "金湘军", "运城", "省长");
    assert_delegate(c, "贺天才", "忻州", "省人大常委会副主任");
    assert_delegate(c, "吴俊清", "晋中", "省人大常委会副主任");

    /* Everyone on the seed's rostrum list is a delegate or an attendee. */
    static const char *const rostrum[] = {
        "王拥军", "徐广国", "张吉福", "李凤岐", "吴伟",   "卢东亮", "韦韬",   "徐宝龙", "田越",
        "汤志平", "李成林", "赵红严", "杨勤荣", "熊继军", "李正印", "张复明", "李晓波", "李青山",
        "李思进", "王立伟", "闫晨曦", "王蕾",   "冯军",   "杨景海", "杨盛明", "任明龙", "骆惠宁",
        "卫小春", "李悦娥", "李俊明", "张瑞鹏", "席小军", "李武章"};
    for (size_t i = 0; i < sizeof rostrum / sizeof *rostrum; i++)
        if (find(c, "name", rostrum[i]) < 0 && find(a, "name", rostrum[i]) < 0)
            fail_msg("%s of the rostrum is missing", rostrum[i]);
    static const char *const academicians[] = {"王一德", "黄庆学", "徐明岗"};
    for (size_t i = 0; i < 3; i++) {
        long r = find(a, "name", academicians[i]);
        assert_true(r >= 0);
        assert_string_equal(cell(a, (size_t)r, "kind"), "attendee");
        assert_string_equal(cell(a, (size_t)r, "affiliation"), "两院院士");
    }
    ys_csv_free(a);
    ys_csv_free(c);
}

static void test_attendees(void **state)
{
    (void)state;
    ys_csv *a = load(YS_DEMO_ATTENDEES), *c = load(YS_DEMO_DELEGATES), *posts = load(YS_DEMO_POSTS);
    static const char *const cols[] = {"name", "kind", "post", "affiliation"};
    assert_header(a, cols, 4);
    static const char *const groups[] = {"在晋十四届全国人大代表", "在晋十四届全国政协委员",
                                         "十三届省政协委员", "中央驻晋单位和企业负责同志"};
    for (size_t i = 0; i < 4; i++)
        assert_true(find(a, "affiliation", groups[i]) >= 0);
    size_t observers = 0;
    for (size_t r = 0; r < a->n_rows; r++) {
        const char *kind = cell(a, r, "kind"), *post = cell(a, r, "post");
        assert_true(strcmp(kind, "attendee") == 0 || strcmp(kind, "observer") == 0);
        observers += strcmp(kind, "observer") == 0;
        assert_true(!post[0] || find(posts, "title", post) >= 0);
        assert_int_equal(find(a, "name", cell(a, r, "name")), (long)r);
        assert_int_equal(find(c, "name", cell(a, r, "name")), -1); /* no one is both */
    }
    assert_true(observers > 0);
    ys_csv_free(posts);
    ys_csv_free(c);
    ys_csv_free(a);
}

static void test_agenda(void **state)
{
    (void)state;
    ys_csv *c = load(YS_DEMO_AGENDA);
    static const char *const cols[] = {"order", "kind", "title", "presenter", "document"};
    assert_header(c, cols, 5);
    static const char *const kinds[] = {"deliberate", "examine", "hear", "vote", "elect"};
    size_t seen[5] = {0};
    for (size_t r = 0; r < c->n_rows; r++) {
        assert_int_equal(atol(cell(c, r, "order")), (long)r + 1);
        int known = 0;
        for (size_t k = 0; k < 5; k++)
            if (strcmp(cell(c, r, "kind"), kinds[k]) == 0)
                known = 1, seen[k]++;
        assert_true(known);
        assert_true(cell(c, r, "title")[0] && cell(c, r, "document")[0]);
    }
    for (size_t k = 0; k < 5; k++)
        assert_true(seen[k] > 0);
    long gov = find(c, "title", "审议政府工作报告");
    assert_true(gov >= 0);
    assert_string_equal(cell(c, (size_t)gov, "presenter"), "金湘军");
    long rules = find(c, "presenter", "贺天才");
    assert_true(rules >= 0);
    assert_string_equal(cell(c, (size_t)rules, "kind"), "hear");
    assert_non_null(strstr(cell(c, (size_t)rules, "document"), "议事规则（修订草案）"));
    ys_csv_free(c);
}

static void test_deterministic(void **state)
{
    (void)state;
    for (int t = 0; t < YS_DEMO__TABLES; t++) {
        size_t n1, n2;
        char *a = ys_demo_csv((ys_demo_table)t, &n1), *b = ys_demo_csv((ys_demo_table)t, &n2);
        assert_non_null(a);
        assert_non_null(b);
        assert_int_equal(n1, n2);
        assert_memory_equal(a, b, n1);
        ys_free(a);
        ys_free(b);
    }
}

/* Failing each allocation in turn gives NULL and leaks nothing (ASan); what comes back once the
 * allocations succeed is the whole table, never one cut short. */
static void test_out_of_memory(void **state)
{
    (void)state;
    for (int t = 0; t < YS_DEMO__TABLES; t++) {
        size_t want_len, len = 0;
        char *want = ys_demo_csv((ys_demo_table)t, &want_len), *s = NULL;
        long n;
        for (n = 1; !s; n++) {
            ys_alloc_fail_after(n);
            s = ys_demo_csv((ys_demo_table)t, &len);
            ys_alloc_fail_after(0);
            assert_true(n < 100);
        }
        assert_true(n > 2); /* the first allocation failed and was reported */
        assert_int_equal(len, want_len);
        assert_memory_equal(s, want, want_len);
        ys_free(s);
        ys_free(want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_session),    cmocka_unit_test(test_posts),
        cmocka_unit_test(test_delegates),  cmocka_unit_test(test_seed_people),
        cmocka_unit_test(test_attendees),  cmocka_unit_test(test_agenda),
        cmocka_unit_test(test_deterministic), cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
