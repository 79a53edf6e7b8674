/* test_alloc.c — the allocation wrapper reaches jansson: its allocations fail with the rest, and
 * the JSON text yishi writes is whole or nothing when one of them fails. */
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
    assert_true(m == ys_malloc);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(jansson_allocates_through_the_wrapper),
        cmocka_unit_test(json_text_is_whole_or_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
