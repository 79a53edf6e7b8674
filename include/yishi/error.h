/* error.h — the one error table of yishi: every code with its name, HTTP status and message.
 * Codes travel as ys_rc; the human detail travels beside them in a ys_err filled where the fault is found. */
#ifndef YISHI_ERROR_H
#define YISHI_ERROR_H

#include <stdarg.h>
#include <stddef.h>

/* X(name, code string, HTTP status, English, Chinese) */
#define YS_ERROR_MAP(X)                                                                  \
    X(OK, "ok", 200, "ok", "成功")                                                         \
    X(NOMEM, "out_of_memory", 500, "out of memory", "内存不足")                            \
    X(INVALID, "invalid", 400, "invalid input", "输入无效")                                \
    X(UNAUTHORIZED, "unauthorized", 401, "not logged in", "未登录")                        \
    X(FORBIDDEN, "forbidden", 403, "not allowed for this role", "无此权限")                \
    X(NOT_FOUND, "not_found", 404, "no such thing", "对象不存在")                          \
    X(CONFLICT, "conflict", 409, "conflicts with what exists", "与现有数据冲突")           \
    X(STATE, "wrong_state", 409, "not allowed in the current state", "当前状态下不允许")   \
    X(TOO_LARGE, "too_large", 413, "input too large", "输入过大")                          \
    X(UNCOUNTABLE, "uncountable", 422, "cannot be counted", "无法计票")                    \
    X(RULES, "bad_rules", 422, "rule set is not valid", "规则文件无效")                    \
    X(IO, "io", 500, "input/output error", "读写错误")                                     \
    X(STORE, "store", 500, "storage error", "存储错误")                                    \
    X(CORRUPT, "corrupt", 500, "session log does not verify", "会议日志校验失败")          \
    X(BAD_FIELD, "bad_field", 422, "a field is missing, unknown or of the wrong type",      \
      "字段缺失、未知或类型错误")                                                            \
    X(BAD_METHOD, "method_not_allowed", 405, "method not allowed on this path", "该路径不支持此方法") \
    X(RATE_LIMITED, "too_many_attempts", 429, "too many failed attempts; wait and retry",   \
      "失败次数过多，请稍后再试")                                                            \
    X(UNAVAILABLE, "unavailable", 503, "the server is shutting down", "服务器正在停止")

typedef enum ys_rc {
#define YS__ENUM(name, str, http, en, zh) YS_##name,
    YS_ERROR_MAP(YS__ENUM)
#undef YS__ENUM
    YS__RC_COUNT
} ys_rc;

/* The detail of one failure. `field` names the input that was wrong (a JSON field, a CSV column,
 * a rule key), `line` its line when it came from a file (0 when not). A file checked whole keeps
 * one per problem in a ys_diags (diag.h). */
typedef struct ys_err {
    ys_rc rc;
    int line;
    char field[64];
    char msg[512];
} ys_err;

const char *ys_rc_code(ys_rc rc);    /* stable machine code: "not_found" */
int ys_rc_http(ys_rc rc);            /* HTTP status for the server */
const char *ys_rc_text_en(ys_rc rc);
const char *ys_rc_text_zh(ys_rc rc);

/* Fills *err (if not NULL) and returns rc, so callers write `return ys_fail(err, ...)`. */
ys_rc ys_fail(ys_err *err, ys_rc rc, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The same with the arguments as a va_list, for functions that add their own bookkeeping. */
ys_rc ys_vfail(ys_err *err, ys_rc rc, const char *field, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));
void ys_err_clear(ys_err *err);

/* What a person reads for a failure, in both languages of the table and then the detail (if any):
 * "当前状态下不允许 / not allowed in the current state: poll 8 is closed". The server's error bodies and
 * the command line's messages both say it so. Returns out. */
const char *ys_err_text(ys_rc rc, const ys_err *err, char *out, size_t cap);

#endif
