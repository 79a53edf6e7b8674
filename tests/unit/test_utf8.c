/* test_utf8.c — the one UTF-8 check (src/core/utf8.c) that CSV, rule files, text fields and
 * `yishi count`'s messages share: what is well-formed, where a prefix ends, cutting and scrubbing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "yishi/utf8.h"

#include <string.h>

static void test_valid(void **state)
{
    (void)state;
    assert_true(ys_utf8_valid("", 0));
    assert_true(ys_utf8_valid(NULL, 0));
    assert_true(ys_utf8_valid("议事", 6));
    assert_true(ys_utf8_valid("a\0b", 3));                 /* NUL is a character; callers refuse it */
    assert_true(ys_utf8_valid("\xC2\x80", 2));            /* U+0080, the first two-byte */
    assert_true(ys_utf8_valid("\xE0\xA0\x80", 3));        /* U+0800, the first three-byte */
    assert_true(ys_utf8_valid("\xED\x9F\xBF", 3));        /* U+D7FF, just below the surrogates */
    assert_true(ys_utf8_valid("\xF0\x9F\x98\x80", 4));    /* U+1F600 */
    assert_true(ys_utf8_valid("\xF4\x8F\xBF\xBF", 4));    /* U+10FFFF */
    assert_false(ys_utf8_valid("\xC0\xAF", 2));           /* overlong '/' */
    assert_false(ys_utf8_valid("\xC1\xBF", 2));           /* overlong */
    assert_false(ys_utf8_valid("\xE0\x80\xAF", 3));       /* overlong */
    assert_false(ys_utf8_valid("\xF0\x80\x80\xAF", 4));   /* overlong */
    assert_false(ys_utf8_valid("\xED\xA0\x80", 3));       /* surrogate U+D800 */
    assert_false(ys_utf8_valid("\xF4\x90\x80\x80", 4));   /* above U+10FFFF */
    assert_false(ys_utf8_valid("\xF5\x80\x80\x80", 4));
    assert_false(ys_utf8_valid("\xE8\xAE", 2));           /* cut short */
    assert_false(ys_utf8_valid("\xE8\x41\x81", 3));       /* second byte no continuation */
    assert_false(ys_utf8_valid("\xE8\xAE\x41", 3));       /* third byte no continuation */
    assert_false(ys_utf8_valid("\x80", 1));               /* lone continuation */
    assert_false(ys_utf8_valid("\xFF", 1));
}

static void test_char_and_prefix(void **state)
{
    (void)state;
    assert_int_equal(ys_utf8_char("a", 1), 1);
    assert_int_equal(ys_utf8_char("议", 3), 3);
    assert_int_equal(ys_utf8_char("议", 2), 0);          /* never reads past n */
    assert_int_equal(ys_utf8_char("\xF0\x9F\x98\x80", 4), 4);
    assert_int_equal(ys_utf8_char("", 0), 0);
    assert_int_equal(ys_utf8_prefix("议事\xFF议", 10), 6);
    assert_int_equal(ys_utf8_prefix("ab\xE8\xAE", 4), 2);
    assert_int_equal(ys_utf8_prefix("议事", 6), 6);
}

static void test_cut(void **state)
{
    (void)state;
    const char *s = "议事a";                              /* 3 + 3 + 1 bytes */
    assert_int_equal(ys_utf8_cut(s, 10), 7);
    assert_int_equal(ys_utf8_cut(s, 7), 7);
    assert_int_equal(ys_utf8_cut(s, 6), 6);
    assert_int_equal(ys_utf8_cut(s, 5), 3);               /* not inside 事 */
    assert_int_equal(ys_utf8_cut(s, 2), 0);
    const char cut[] = "议\xE4\xBA";                      /* 议 and a cut-short 事, as snprintf leaves it */
    assert_int_equal(ys_utf8_cut(cut, sizeof cut), 3);
    assert_int_equal(ys_utf8_cut("\xF0\x9F\x98\x80", 3), 0);  /* a four-byte character, cut */
}

static void test_scrub(void **state)
{
    (void)state;
    char a[] = "议事\xE8\xAE";                            /* a character cut at the end */
    ys_utf8_scrub(a);
    assert_string_equal(a, "议事??");
    char b[] = "\xC0\xAF ok \xED\xA0\x80";
    ys_utf8_scrub(b);
    assert_string_equal(b, "?? ok ???");
    assert_true(ys_utf8_valid(b, strlen(b)));
    char c[] = "完整的";
    ys_utf8_scrub(c);
    assert_string_equal(c, "完整的");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_char_and_prefix),
        cmocka_unit_test(test_cut),
        cmocka_unit_test(test_scrub),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
