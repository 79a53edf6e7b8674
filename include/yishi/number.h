/* number.h — the one reader of whole numbers, used where a field is read (a request body, a query, an
 * event payload, a command-line argument, a CSV cell): a value outside the field's range is refused, never cut. */
#ifndef YISHI_NUMBER_H
#define YISHI_NUMBER_H

#include "yishi/count.h"
#include "yishi/error.h"

#include <jansson.h>
#include <stdint.h>

#define YS_ID_MAX 999999999LL                     /* any id: what a path's {id} (nine digits) can name */
#define YS_COUNT_MAX ((long long)YS_COUNT_MAX_DELEGATES) /* any count of delegates, votes or seats */
#define YS_SEQ_MAX (INT64_MAX / 2)                /* an event's seq */

/* A JSON integer within [min, max] into *out; anything else (a real such as 1e3, a string, a number out
 * of range) fails with `rc`, naming the field and its range. */
ys_rc ys_int_json(const json_t *v, const char *field, long long min, long long max, ys_rc rc, long long *out,
                  ys_err *err);

/* The same for text: decimal digits with an optional leading '-', nothing before or after. */
ys_rc ys_int_text(const char *s, const char *field, long long min, long long max, ys_rc rc, long long *out,
                  ys_err *err);

#endif
