/* test_alloc.c — the allocation wrapper reaches jansson: its allocations fail with the rest, and the
 * JSON yishi writes or reads is whole or nothing when one of them fails. */
#include "yishi/alloc.h"
#include "yishi/event.h"

#include <jansson.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

/* jansson was handed the wrappers before main: its allocations are ys_malloc's and fail with them. */
static void jansson_allocates_through_the_wrapper(void **state)
{
    (void)state;
    json_malloc_t m;
    json_free_t f;
    json_get_alloc_funcs(&m, &f);
    assert_non_null(m);
    assert_true(f == ys_free);
    ys_alloc_fail_after(1);
    json_t *o = json_object();
    ys_alloc_fail_after(0);
    assert_null(o);
    assert_non_null(o = json_object());
    json_decref(o);
}

/* Long keys, so that the text grows while a key is written: there jansson's own json_dumps drops the
 * key and returns the rest as if nothing had happened. */
static void json_text_is_whole_or_nothing(void **state)
{
    (void)state;
    json_t *o = json_pack("{s:i, s:s, s:s, s:i, s:s, s:b}", "id", 1, "kind_of_the_meeting_long_key", "plenary",
                          "title", "第一次全体会议", "delegation_with_a_long_name", 0,
                          "another_quite_long_key_name_here", "x", "by_election_flag_key", 1);
    char *whole = ys_json_canonical(o);
    assert_non_null(whole);
    long failed = 0;
    for (long n = 1;; n++) {
        ys_alloc_fail_after(n);
        char *t = ys_json_canonical(o);
        ys_alloc_fail_after(0);
        if (t) {
            assert_string_equal(t, whole);
            ys_free(t);
            break;
        }
        failed++;
    }
    assert_true(failed >= 5); /* jansson's buffer and its check for loops: the failures were reached */
    ys_free(whole);
    json_decref(o);
}

/* A long value, so that the lexer's buffer grows inside it: there jansson's own json_loadb drops the
 * character it cannot store and returns a document that says something else. */
static void json_parse_is_whole_or_nothing(void **state)
{
    (void)state;
    static const char text[] = "{\"kind\":\"plenary_long_value_here_to_grow_the_buffer_more_than_16\","
                               "\"roles\":[\"presidium\",\"executive_chair\"],\"name\":\"王某某\",\"n\":12345678901}";
    json_error_t jerr;
    json_t *whole = NULL, *j = NULL;
    assert_int_equal(ys_json_loadb(text, sizeof text - 1, 0, &whole, &jerr), YS_OK);
    long failed = 0;
    for (long n = 1;; n++) {
        ys_alloc_fail_after(n);
        ys_rc rc = ys_json_loadb(text, sizeof text - 1, 0, &j, &jerr);
        ys_alloc_fail_after(0);
        if (rc == YS_OK) {
            assert_true(json_equal(j, whole));
            json_decref(j);
            break;
        }
        assert_int_equal(rc, YS_NOMEM); /* never "not JSON" for text that is */
        assert_null(j);
        failed++;
    }
    assert_true(failed >= 10);
    assert_int_equal(ys_json_loadb("{\"a\":", 5, 0, &j, &jerr), YS_INVALID);
    assert_null(j);
    json_decref(whole);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(jansson_allocates_through_the_wrapper),
        cmocka_unit_test(json_text_is_whole_or_nothing),
        cmocka_unit_test(json_parse_is_whole_or_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
