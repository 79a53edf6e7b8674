/* payload.c — typed, checked reads of event payload fields (see payload.h). */
#include "core/payload.h"

#include "yishi/number.h"

static ys_rc bad(ys_err *err, const char *key, const char *want)
{
    return ys_fail(err, YS_CORRUPT, key, "event field '%s' is missing or not %s", key, want);
}

ys_rc ys_pl_str(const json_t *p, const char *key, const char **out, ys_err *err)
{
    const json_t *v = json_object_get(p, key);
    if (!json_is_string(v))
        return bad(err, key, "a string");
    *out = json_string_value(v);
    return YS_OK;
}

ys_rc ys_pl_str_opt(const json_t *p, const char *key, const char **out, ys_err *err)
{
    const json_t *v = json_object_get(p, key);
    *out = NULL;
    if (!v || json_is_null(v))
        return YS_OK;
    if (!json_is_string(v))
        return bad(err, key, "a string");
    *out = json_string_value(v);
    return YS_OK;
}

ys_rc ys_pl_int(const json_t *p, const char *key, long long min, long long max, long long *out,
                ys_err *err)
{
    return ys_int_json(json_object_get(p, key), key, min, max, YS_CORRUPT, out, err);
}

ys_rc ys_pl_bool(const json_t *p, const char *key, bool *out, ys_err *err)
{
    const json_t *v = json_object_get(p, key);
    if (!json_is_boolean(v))
        return bad(err, key, "true or false");
    *out = json_is_true(v);
    return YS_OK;
}
