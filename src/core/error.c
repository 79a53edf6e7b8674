/* error.c — names, statuses and texts of the error table, and ys_fail().
 * Everything here is generated from YS_ERROR_MAP so the table is written once. */
#include "yishi/error.h"

#include "yishi/utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define YS__ROW(name, str, http, en, zh) {str, http, en, zh},
static const struct {
    const char *code;
    int http;
    const char *en;
    const char *zh;
} rc_table[] = {YS_ERROR_MAP(YS__ROW)};
#undef YS__ROW

static int rc_valid(ys_rc rc) { return rc >= 0 && rc < YS__RC_COUNT; }

const char *ys_rc_code(ys_rc rc) { return rc_valid(rc) ? rc_table[rc].code : "unknown"; }
int ys_rc_http(ys_rc rc) { return rc_valid(rc) ? rc_table[rc].http : 500; }
const char *ys_rc_text_en(ys_rc rc) { return rc_valid(rc) ? rc_table[rc].en : "unknown error"; }
const char *ys_rc_text_zh(ys_rc rc) { return rc_valid(rc) ? rc_table[rc].zh : "未知错误"; }

void ys_err_clear(ys_err *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

ys_rc ys_vfail(ys_err *err, ys_rc rc, const char *field, const char *fmt, va_list ap)
{
    if (!err)
        return rc;
    /* Formatted aside first: a caller may wrap the detail it already has ("…: %s", err->msg), or keep
     * its field (err->field), and the standard forbids printing a buffer into itself. */
    char f[sizeof err->field], m[sizeof err->msg];
    snprintf(f, sizeof f, "%s", field ? field : "");
    int n = vsnprintf(m, sizeof m, fmt, ap);
    if (n >= (int)sizeof m) /* a long detail is cut, but never inside a character */
        m[ys_utf8_cut(m, sizeof m - 1)] = '\0';
    err->rc = rc;
    memcpy(err->field, f, sizeof f);
    memcpy(err->msg, m, sizeof m);
    return rc;
}

ys_rc ys_fail(ys_err *err, ys_rc rc, const char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ys_vfail(err, rc, field, fmt, ap);
    va_end(ap);
    return rc;
}

const char *ys_err_text(ys_rc rc, const ys_err *err, char *out, size_t cap)
{
    const char *detail = err && err->msg[0] ? err->msg : NULL;
    if (!cap)
        return out;
    int n = snprintf(out, cap, "%s / %s%s%s", ys_rc_text_zh(rc), ys_rc_text_en(rc), detail ? ": " : "",
                     detail ? detail : "");
    if (n >= (int)cap)
        out[ys_utf8_cut(out, cap - 1)] = '\0';
    return out;
}
