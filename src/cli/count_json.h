/* count_json.h — `yishi count`'s file format: reads a vote or election as strict JSON, runs the
 * counting engine and writes the result as JSON. No file I/O here, so the fuzzer can drive it. */
#ifndef YISHI_CLI_COUNT_JSON_H
#define YISHI_CLI_COUNT_JSON_H

#include "yishi/error.h"
#include "yishi/rules.h"

#include <stddef.h>

/* Finds the rule set a file names ("prc-provincial" or a path). On success *out stays owned by the
 * loader's context and must live until ys_count_json returns. On failure returns YS_UNKNOWN_RULES
 * (no such rule set), YS_RULES (it does not parse) or YS_NOMEM, with err filled. */
typedef ys_rc (*ys_count_rules_fn)(void *ctx, const char *name, const ys_rules **out, ys_err *err);

#define YS_COUNT_JSON_MAX (256u << 20) /* bytes of input */

/* Counts the JSON document text[0..len). On success returns YS_OK and *out is the result as one line
 * of JSON ending in a newline, to ys_free(). Input that cannot be counted returns the error table's
 * code (its ys_rc_code() is what docs/count.md lists), also in err->rc, and err->field / err->msg. */
ys_rc ys_count_json(const char *text, size_t len, ys_count_rules_fn rules, void *ctx, char **out,
                    ys_err *err);

/* The error as printed on standard error: {"error": ys_rc_code(err->rc), "message": TEXT, "field":
 * FIELD}, one line with a newline, to ys_free(); NULL when out of memory. */
char *ys_count_json_error(const ys_err *err);

#endif
