/* payload.h — reading the fields of an event payload with the checks a replay needs: a missing
 * field or a wrong type is an error naming the field, never a crash. Internal to the core. */
#ifndef YS_CORE_PAYLOAD_H
#define YS_CORE_PAYLOAD_H

#include "yishi/error.h"

#include <jansson.h>
#include <stdbool.h>

/* Each returns YS_OK or YS_CORRUPT naming the field. Strings are borrowed from the payload. */
ys_rc ys_pl_str(const json_t *p, const char *key, const char **out, ys_err *err);
ys_rc ys_pl_str_opt(const json_t *p, const char *key, const char **out, ys_err *err); /* NULL if absent/null */
ys_rc ys_pl_int(const json_t *p, const char *key, long long min, long long max, long long *out,
                ys_err *err);
ys_rc ys_pl_bool(const json_t *p, const char *key, bool *out, ys_err *err);

#endif
