/* test_csv.c — unit tests of the CSV parser: the shapes spreadsheets export (BOM, CRLF, quotes,
 * embedded newlines) and every problem of form reported with its line. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "yishi/alloc.h"
#include "yishi/csv.h"
#include "yishi/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parses a string literal or buffer; checks that *out and rc agree with the contract. */
static ys_rc parse(const char *text, size_t len, ys_csv **out, ys_diags *d)
{
    ys_diags_init(d);
    ys_rc rc = ys_csv_parse(text, len, out, d);
    if (rc == YS_OK) {
        assert_non_null(*out);
        assert_int_equal(ys_diags_count(d), 0);
    } else {
        assert_null(*out);
    }
    return rc;
}

#define PARSE(s, out, d) parse((s), sizeof(s) - 1, (out), (d))

/* True if some problem sits on `line` and its message contains `word`. */
static int has_problem(const ys_diags *d, int line, const char *word)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->v[i].line == line && strstr(d->v[i].msg, word))
            return 1;
    return 0;
}

static void test_simple(void **state)
{
    (void)state;
    ys_csv *c;
    ys_diags d;
    assert_int_equal(PARSE("code,name\n140100001,韦韬\n140700001,唐登杰\n", &c, &d), YS_OK);
    assert_int_equal(c->header.n, 2);
    assert_int_equal(c->header.line, 1);
    assert_int_equal(c->n_rows, 2);
    assert_string_equal(c->rows[0].fields[1], "韦韬");
    assert_int_equal(c->rows[1].line, 3);
    assert_string_equal(c->rows[1].fields[0], "140700001");
    assert_int_equal(ys_csv_column(c, "name"), 1);
    assert_int_equal(ys_csv_column(c, " name\t"), 1);
    assert_int_equal(ys_csv_column(c, "seat"), -1);
    assert_int_equal(ys_csv_column(c, NULL), -1);
    ys_csv_free(c);
    ys_diags_free(&d);
}

static void test_bom_and_trimmed_header(void **state)
{
    (void)state;
    ys_csv *c;
    ys_diags d;
    assert_int_equal(PARSE("\xEF\xBB\xBF code , name\t\n1,a\n", &c, &d), YS_OK);
    assert_string_equal(c->header.fields[0], "code");
    assert_string_equal(c->header.fields[1], "name");
    assert_int_equal(ys_csv_column(c, "code"), 0);
    /* Data fields are not trimmed: what they mean is the importer's business. */
    ys_csv_free(c);
    assert_int_equal(PARSE("a,b\n x , y\n", &c, &d), YS_OK);
    assert_string_equal(c->rows[0].fields[0], " x ");
    ys_csv_free(c);
    ys_diags_free(&d);
}

static void test_quotes(void **state)
{
    (void)state;
    ys_csv *c;
    ys_diags d;
    assert_int_equal(PARSE("a,b,c\n\"x,y\",\"say \"\"hi\"\"\",\"\"\n", &c, &d), YS_OK);
    assert_string_equal(c->rows[0].fields[0], "x,y");
    assert_string_equal(c->rows[0].fields[1], "say \"hi\"");
    assert_string_equal(c->rows[0].fields[2], "");
    ys_csv_free(c);
    /* A record of one quoted empty field is data, not a blank line. */
    assert_int_equal(PARSE("a\n\"\"\n", &c, &d), YS_OK);
    assert_int_equal(c->n_rows, 1);
    assert_string_equal(c->rows[0].fields[0], "");
    ys_csv_free(c);
    ys_diags_free(&d);
}

static void test_crlf_and_cr(void **state)
{
    (void)state;
    ys_csv *c;
    ys_diags d;
    assert_int_equal(PARSE("a,b\r\n1,2\r\n3,\r\n", &c, &d), YS_OK);
    assert_int_equal(c->n_rows, 2);
    assert_string_equal(c->rows[0].fields[1], "2");
    assert_string_equal(c->rows[1].fields[1], "");
    assert_int_equal(c->rows[1].line, 3);
    ys_csv_free(c);
    /* Old Mac spreadsheets end lines with a lone CR. */
    assert_int_equal(PARSE("a,b\r1,2\r3,4", &c, &d), YS_OK);
    assert_int_equal(c->n_rows, 2);
    assert_string_equal(c->rows[1].fields[1], "4");
    assert_int_equal(c->rows[1].line, 3);
    ys_csv_free(c);
    ys_diags_free(&d);
}

static void test_embedded_newline_lines(void **state)
{
    (void)state;
    ys_csv *c;
    ys_diags d;
    const char text[] = "name,note\r\n"
                        "甲,\"first\r\nsecond\r\nthird\"\r\n"
                        "乙,plain\r\n"
                        "\r\n"
                        "丙,\"x\ny\"\n";
    assert_int_equal(PARSE(text, &c, &d), YS_OK);
    assert_int_equal(c->n_rows, 3);
    assert_string_equal(c->rows[0].fields[1], "first\nsecond\nthird");
    assert_int_equal(c->rows[0].line, 2);
    assert_int_equal(c->rows[1].line, 5);
    assert_int_equal(c->rows[2].line, 7);
    ys_csv_free(c);

    /* A ragged record after a multi-line field is reported on its own line. */
    assert_int_equal(PARSE("a,b\n\"1\n2\n3\",x\n4\n", &c, &d), YS_INVALID);
    assert_int_equal(d.n, 1);
    assert_int_equal(d.v[0].line, 5);
    ys_diags_free(&d);
}

static void test_blank_lines_skipped(void **state)
{
    (void)state;
    ys_csv *c;
    ys_diags d;
    assert_int_equal(PARSE("\n  \na,b\n\n1,2\n \t \n3,4\n\n", &c, &d), YS_OK);
    assert_int_equal(c->header.line, 3);
    assert_int_equal(c->n_rows, 2);
    assert_int_equal(c->rows[0].line, 5);
    assert_int_equal(c->rows[1].line, 7);
    ys_csv_free(c);
    ys_diags_free(&d);
}

static void test_ragged_rows(void **state)
{
    (void)state;
    ys_csv *c;
    ys_diags d;
    assert_int_equal(PARSE("a,b,c\n1,2,3\n1,2\n1,2,3,4\n,,\n", &c, &d), YS_INVALID);
    assert_int_equal(d.n, 2);
    assert_true(has_problem(&d, 3, "2 fields, the header has 3"));
    assert_true(has_problem(&d, 4, "4 fields, the header has 3"));
    ys_diags_free(&d);
}

static void test_quote_problems(void **state)
{
    (void)state;
    ys_csv *c;
    ys_diags d;
    assert_int_equal(PARSE("a,b\n1,ab\"c\n\"x\"y,2\n", &c, &d), YS_INVALID);
    assert_true(has_problem(&d, 2, "does not start with one"));
    assert_string_equal(d.v[0].field, "b");
    assert_true(has_problem(&d, 3, "after the closing quote"));
    ys_diags_free(&d);

    /* An unterminated quote is reported where it opens, not at the end of the file. */
    assert_int_equal(PARSE("a,b\n1,2\n3,\"open\n4,5\n6,7\n", &c, &d), YS_INVALID);
    assert_int_equal(d.n, 1);
    assert_true(has_problem(&d, 3, "never closed"));
    ys_diags_free(&d);
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    ys_csv *c;
    ys_diags d;
    /* "李" in GBK is C0 EE: a lead byte that can never start UTF-8. */
    assert_int_equal(PARSE("name,x\n王,1\n\xC0\xEE,2\n张,3\n", &c, &d), YS_INVALID);
    assert_true(has_problem(&d, 3, "invalid UTF-8 at byte 1"));
    assert_true(has_problem(&d, 0, "GBK"));
    assert_int_equal(d.n, 2);
    /* Each problem is a failure's detail like any other, so it can be handed on as it is. */
    assert_int_equal(d.v[0].rc, YS_INVALID);
    assert_string_equal(ys_rc_code(d.v[0].rc), "invalid");
    ys_diags_free(&d);

    /* Inside a quoted field spanning lines, the bad byte is reported on its own line. */
    assert_int_equal(PARSE("a\n\"ok\nok\nb\xED\xA0\x80\"\n", &c, &d), YS_INVALID);
    assert_true(has_problem(&d, 4, "byte 2"));
    ys_diags_free(&d);
}

/* Text cut to fit ends on a character boundary; an error's detail cut so keeps whole characters too. */
static void test_utf8_cut(void **state)
{
    (void)state;
    const char *s = "议事规则"; /* four characters of three bytes */
    assert_int_equal(ys_utf8_cut(s, 100), 12);
    assert_int_equal(ys_utf8_cut(s, 12), 12);
    assert_int_equal(ys_utf8_cut(s, 11), 9);
    assert_int_equal(ys_utf8_cut(s, 7), 6);
    assert_int_equal(ys_utf8_cut(s, 6), 6);
    assert_int_equal(ys_utf8_cut(s, 2), 0);
    assert_int_equal(ys_utf8_cut("ab议", 4), 2);
    assert_int_equal(ys_utf8_cut("ab", 0), 0);

    char title[700] = "";
    for (int i = 0; i < 200; i++)
        strcat(title, "议");
    ys_err err;
    ys_fail(&err, YS_STATE, "poll", "x%s", title); /* 601 bytes into 512: cut after 'x' and 170 characters */
    assert_int_equal(strlen(err.msg), 511);
    assert_true(ys_utf8_valid(err.msg, strlen(err.msg)));
    char text[64];
    ys_err_text(YS_STATE, &err, text, sizeof text);
    assert_true(ys_utf8_valid(text, strlen(text)));
    assert_string_equal(text, "当前状态下不允许 / not allowed in the current state: x"); /* 议 would not fit whole */
    ys_err_text(YS_NOT_FOUND, NULL, text, sizeof text);
    assert_string_equal(text, "对象不存在 / no such thing");
}

static void test_nul_byte(void **state)
{
    (void)state;
    ys_csv *c;
    ys_diags d;
    assert_int_equal(PARSE("a,b\n1,2\nx\0y,3\n", &c, &d), YS_INVALID);
    assert_true(has_problem(&d, 3, "NUL"));
    ys_diags_free(&d);
}

static void test_other_formats(void **state)
{
    (void)state;
    ys_csv *c;
    ys_diags d;
    assert_int_equal(PARSE("\xFF\xFE" "a\0,\0b\0", &c, &d), YS_INVALID);
    assert_int_equal(d.n, 1);
    assert_true(has_problem(&d, 0, "UTF-16"));
    ys_diags_free(&d);
    assert_int_equal(PARSE("PK\x03\x04\x14\0\0\0", &c, &d), YS_INVALID);
    assert_true(has_problem(&d, 0, "xlsx"));
    ys_diags_free(&d);
}

static char *repeat(char ch, size_t n, const char *head, const char *tail)
{
    size_t h = strlen(head), t = strlen(tail);
    char *s = ys_malloc(h + n + t + 1);
    assert_non_null(s);
    memcpy(s, head, h);
    memset(s + h, ch, n);
    memcpy(s + h + n, tail, t + 1);
    return s;
}

static void test_field_limit(void **state)
{
    (void)state;
    ys_csv *c;
    ys_diags d;
    char *ok = repeat('x', YS_CSV_MAX_FIELD, "a,b\n1,", "\n");
    assert_int_equal(parse(ok, strlen(ok), &c, &d), YS_OK);
    assert_int_equal(strlen(c->rows[0].fields[1]), YS_CSV_MAX_FIELD);
    ys_csv_free(c);
    ys_free(ok);

    char *big = repeat('x', YS_CSV_MAX_FIELD + 1, "a,b\n1,2\n3,\"", "\"\n");
    assert_int_equal(parse(big, strlen(big), &c, &d), YS_INVALID);
    assert_int_equal(d.n, 1);
    assert_true(has_problem(&d, 3, "longer than 4096"));
    assert_string_equal(d.v[0].field, "b");
    ys_diags_free(&d);
    ys_free(big);

    /* A line of only spaces is blank whatever its length. */
    char *spaces = repeat(' ', 3 * YS_CSV_MAX_FIELD, "a\n1\n", "\n2\n");
    assert_int_equal(parse(spaces, strlen(spaces), &c, &d), YS_OK);
    assert_int_equal(c->n_rows, 2);
    ys_csv_free(c);
    ys_free(spaces);
}

static void test_fields_limit(void **state)
{
    (void)state;
    ys_csv *c;
    ys_diags d;
    char *ok = repeat(',', YS_CSV_MAX_FIELDS - 1, "", "\n");
    assert_int_equal(parse(ok, strlen(ok), &c, &d), YS_INVALID); /* 64 empty header names */
    assert_int_equal(d.n, YS_CSV_MAX_FIELDS);
    ys_diags_free(&d);
    ys_free(ok);

    char text[1024] = "";
    for (int i = 0; i < YS_CSV_MAX_FIELDS; i++)
        snprintf(text + strlen(text), sizeof text - strlen(text), "%sc%d", i ? "," : "", i);
    strcat(text, "\n");
    assert_int_equal(parse(text, strlen(text), &c, &d), YS_OK);
    assert_int_equal(c->header.n, YS_CSV_MAX_FIELDS);
    ys_csv_free(c);
    strcpy(text + strlen(text) - 1, ",extra\n");
    assert_int_equal(parse(text, strlen(text), &c, &d), YS_INVALID);
    assert_true(has_problem(&d, 1, "65 fields, more than 64"));
    ys_diags_free(&d);
}

static void test_rows_limit(void **state)
{
    (void)state;
    ys_csv *c;
    ys_diags d;
    size_t n = YS_CSV_MAX_ROWS + 5;
    char *text = ys_malloc(2 + 2 * n + 1);
    assert_non_null(text);
    memcpy(text, "a\n", 2);
    for (size_t i = 0; i < n; i++)
        memcpy(text + 2 + 2 * i, "1\n", 2);
    text[2 + 2 * n] = '\0';
    assert_int_equal(parse(text, strlen(text), &c, &d), YS_INVALID);
    assert_int_equal(d.n, 1);
    assert_true(has_problem(&d, YS_CSV_MAX_ROWS + 2, "more than 100000 records"));
    ys_diags_free(&d);
    ys_free(text);
}

static void test_empty_file(void **state)
{
    (void)state;
    ys_csv *c;
    ys_diags d;
    const char *empties[] = {"", "\xEF\xBB\xBF", "\n\n", "\r\n  \r\n\t\n"};
    for (size_t i = 0; i < sizeof empties / sizeof *empties; i++) {
        assert_int_equal(parse(empties[i], strlen(empties[i]), &c, &d), YS_INVALID);
        assert_int_equal(d.n, 1);
        assert_true(has_problem(&d, 0, "empty"));
        ys_diags_free(&d);
    }
    assert_int_equal(parse(NULL, 0, &c, &d), YS_INVALID);
    ys_diags_free(&d);
}

static void test_header_only(void **state)
{
    (void)state;
    ys_csv *c;
    ys_diags d;
    assert_int_equal(PARSE("code,name,seat", &c, &d), YS_OK);
    assert_int_equal(c->header.n, 3);
    assert_int_equal(c->n_rows, 0);
    assert_null(c->rows);
    ys_csv_free(c);
    assert_int_equal(PARSE("code,name,seat\r\n\r\n", &c, &d), YS_OK);
    assert_int_equal(c->n_rows, 0);
    ys_csv_free(c);
    ys_diags_free(&d);
}

static void test_header_names(void **state)
{
    (void)state;
    ys_csv *c;
    ys_diags d;
    assert_int_equal(PARSE("code, ,name,code \n1,2,3,4\n", &c, &d), YS_INVALID);
    assert_int_equal(d.n, 2);
    assert_true(has_problem(&d, 1, "column 2 of the header has no name"));
    assert_true(has_problem(&d, 1, "column 4 repeats the name of column 1"));
    ys_diags_free(&d);
}

static void test_all_problems_reported(void **state)
{
    (void)state;
    ys_csv *c;
    ys_diags d;
    assert_int_equal(PARSE("a,b\n1\n2,3\n4,5,6\n7,8\"\n", &c, &d), YS_INVALID);
    assert_true(has_problem(&d, 2, "1 fields"));
    assert_true(has_problem(&d, 4, "3 fields"));
    assert_true(has_problem(&d, 5, "quote"));
    assert_int_equal(d.n, 3);
    ys_diags_free(&d);
    /* Without a list the problems are still counted and the file refused. */
    assert_int_equal(ys_csv_parse("a,b\n1\n", 6, &c, NULL), YS_INVALID);
    assert_null(c);
}

/* Failing each allocation in turn: the parse reports out of memory and leaks nothing (ASan). */
static void test_out_of_memory(void **state)
{
    (void)state;
    const char text[] = "\xEF\xBB\xBF" "code,name,note\r\n1,王,\"a,b\"\r\n2,李,\"x\ny\"\r\n3,张,\r\n";
    int succeeded = 0;
    for (long n = 1; n < 100 && !succeeded; n++) {
        ys_csv *c = NULL;
        ys_alloc_fail_after(n);
        ys_rc rc = ys_csv_parse(text, sizeof text - 1, &c, NULL);
        ys_alloc_fail_after(0);
        if (rc == YS_OK) {
            assert_int_equal(c->n_rows, 3);
            ys_csv_free(c);
            succeeded = 1;
        } else {
            assert_int_equal(rc, YS_NOMEM);
            assert_null(c);
        }
    }
    assert_true(succeeded);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simple),
        cmocka_unit_test(test_bom_and_trimmed_header),
        cmocka_unit_test(test_quotes),
        cmocka_unit_test(test_crlf_and_cr),
        cmocka_unit_test(test_embedded_newline_lines),
        cmocka_unit_test(test_blank_lines_skipped),
        cmocka_unit_test(test_ragged_rows),
        cmocka_unit_test(test_quote_problems),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_utf8_cut),
        cmocka_unit_test(test_nul_byte),
        cmocka_unit_test(test_other_formats),
        cmocka_unit_test(test_field_limit),
        cmocka_unit_test(test_fields_limit),
        cmocka_unit_test(test_rows_limit),
        cmocka_unit_test(test_empty_file),
        cmocka_unit_test(test_header_only),
        cmocka_unit_test(test_header_names),
        cmocka_unit_test(test_all_problems_reported),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
