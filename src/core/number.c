/* number.c — the one reader of whole numbers (see number.h): JSON integers and decimal text, each checked
 * against the range its field declares, so that 4294967297 seats is refused instead of becoming 1. */
#include "yishi/number.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

static ys_rc out_of_range(const char *field, long long min, long long max, ys_rc rc, const char *what,
                          ys_err *err)
{
    return ys_fail(err, rc, field, "'%s' must be a whole number from %lld to %lld, not %.40s", field, min, max, what);
}

ys_rc ys_int_json(const json_t *v, const char *field, long long min, long long max, ys_rc rc, long long *out,
                  ys_err *err)
{
    char text[48];
    if (!v)
        return ys_fail(err, rc, field, "'%s' is missing (a whole number from %lld to %lld)", field, min, max);
    if (!json_is_integer(v))
        return out_of_range(field, min, max, rc, json_is_real(v) ? "a fraction or exponent" : "another type", err);
    long long n = json_integer_value(v);
    if (n < min || n > max) {
        snprintf(text, sizeof text, "%lld", n);
        return out_of_range(field, min, max, rc, text, err);
    }
    *out = n;
    return YS_OK;
}

ys_rc ys_int_text(const char *s, const char *field, long long min, long long max, ys_rc rc, long long *out,
                  ys_err *err)
{
    char *end = NULL;
    const char *digits = s && *s == '-' ? s + 1 : s;
    if (!digits || *digits < '0' || *digits > '9')
        return out_of_range(field, min, max, rc, s && *s ? s : "empty", err);
    errno = 0;
    long long n = strtoll(s, &end, 10);
    if (*end || errno == ERANGE || n < min || n > max)
        return out_of_range(field, min, max, rc, s, err);
    *out = n;
    return YS_OK;
}
