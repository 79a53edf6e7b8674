/* test_buf.c — the growable buffer with a maximum (src/core/buf.c): growth, the limit to the byte,
 * a failure that sticks, reset, handing over, and every allocation failing cleanly. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "yishi/alloc.h"
#include "yishi/buf.h"

#include <string.h>

static void test_grows_and_terminates(void **state)
{
    (void)state;
    ys_buf b;
    ys_buf_init(&b, 1 << 20);
    assert_null(b.p);
    for (int i = 0; i < 10000; i++)
        assert_int_equal(ys_buf_addf(&b, "%d,", i % 10), YS_OK);
    assert_int_equal(b.len, 20000);
    assert_int_equal(strlen(b.p), 20000);
    assert_memory_equal(b.p, "0,1,2,", 6);
    assert_int_equal(ys_buf_add(&b, "议事", 6), YS_OK);
    assert_int_equal(ys_buf_addstr(&b, ""), YS_OK);
    assert_string_equal(b.p + 20000, "议事");
    assert_int_equal(b.rc, YS_OK);
    ys_buf_free(&b);
    assert_null(b.p);
    assert_int_equal(b.max, 1 << 20);
}

static void test_max_to_the_byte(void **state)
{
    (void)state;
    ys_buf b;
    ys_buf_init(&b, 8);
    assert_int_equal(ys_buf_addstr(&b, "12345"), YS_OK);
    assert_int_equal(ys_buf_addf(&b, "%d", 678), YS_OK);        /* exactly 8 */
    assert_string_equal(b.p, "12345678");
    assert_int_equal(ys_buf_add(&b, "9", 1), YS_TOO_LARGE);      /* one over */
    assert_null(b.p);                                             /* the content is given up */
    assert_int_equal(b.len, 0);
    /* The failure sticks: nothing is added after it, even what would fit. */
    assert_int_equal(ys_buf_addstr(&b, "a"), YS_TOO_LARGE);
    assert_int_equal(ys_buf_addf(&b, "%s", "a"), YS_TOO_LARGE);
    assert_int_equal(b.rc, YS_TOO_LARGE);
    assert_null(ys_buf_take(&b, NULL));
    ys_buf_free(&b);
    assert_int_equal(b.rc, YS_OK);                               /* usable again */

    ys_buf_init(&b, 8);
    assert_int_equal(ys_buf_addf(&b, "%s", "123456789"), YS_TOO_LARGE);
    ys_buf_init(&b, 8);
    assert_int_equal(ys_buf_add(&b, "x", (size_t)-1), YS_TOO_LARGE); /* no overflow past max */
    ys_buf_free(&b);
}

static void test_reset_and_take(void **state)
{
    (void)state;
    ys_buf b;
    ys_buf_init(&b, 16);
    size_t len = 99;
    char *empty = ys_buf_take(&b, &len);                          /* nothing added: "" */
    assert_non_null(empty);
    assert_string_equal(empty, "");
    assert_int_equal(len, 0);
    ys_free(empty);
    assert_int_equal(ys_buf_addstr(&b, "0123456789abcdef"), YS_OK);
    ys_buf_reset(&b);                                             /* the limit is on what is held */
    assert_int_equal(b.len, 0);
    assert_string_equal(b.p, "");
    assert_int_equal(ys_buf_addstr(&b, "fedcba9876543210"), YS_OK);
    char *s = ys_buf_take(&b, &len);
    assert_string_equal(s, "fedcba9876543210");
    assert_int_equal(len, 16);
    assert_null(b.p);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.max, 16);
    ys_free(s);
}

static void test_out_of_memory(void **state)
{
    (void)state;
    for (long n = 1; n < 20; n++) {
        ys_buf b;
        ys_buf_init(&b, 1 << 20);
        ys_alloc_fail_after(n);
        ys_rc rc = YS_OK;
        for (int i = 0; i < 2000 && !rc; i++)
            rc = ys_buf_addf(&b, "line %d\n", i);
        ys_alloc_fail_after(0);
        if (rc) {
            assert_int_equal(rc, YS_NOMEM);
            assert_null(b.p);
            assert_int_equal(ys_buf_addstr(&b, "x"), YS_NOMEM);
        } else {
            assert_int_equal(b.len, strlen(b.p));
        }
        ys_buf_free(&b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grows_and_terminates),
        cmocka_unit_test(test_max_to_the_byte),
        cmocka_unit_test(test_reset_and_take),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
