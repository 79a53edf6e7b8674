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
    X(UNAVAILABLE, "unavailable", 503, "the server is shutting down", "服务器正在停止")        \
    /* Why a count is refused (the engine, yishi count and the API alike; docs/count.md) */       \
    X(BAD_VALUE, "bad_value", 422, "a value is out of range", "数值超出范围")                    \
    X(PRESENT_EXCEEDS_ENTITLED, "present_exceeds_entitled", 422,                                \
      "more present than entitled", "出席人数多于应出席人数")                                     \
    X(TOTALS_MISMATCH, "totals_mismatch", 422,                                                  \
      "yes, no, abstain and not voted do not add up to those present",                         \
      "赞成、反对、弃权和未表决之和不等于出席人数")                                               \
    X(MAJORITY_NOT_IN_RULES, "majority_not_in_rules", 422, "the rule set has no such majority", \
      "规则中没有这种多数")                                                                       \
    X(RULE_NOT_IN_RULES, "rule_not_in_rules", 422, "the rule set has no such rule",             \
      "规则中没有这项规定")                                                                       \
    X(UNKNOWN_OFFICE, "unknown_office", 422, "no such office in the rule set", "规则中没有这个职务") \
    X(BAD_SEATS, "bad_seats", 422, "the number of seats is not valid", "应选名额无效")           \
    X(ISSUED_EXCEEDS_ENTITLED, "issued_exceeds_entitled", 422,                                  \
      "more ballots issued than delegates entitled", "发出的选票多于应出席代表")                  \
    X(DUPLICATE_CANDIDATE, "duplicate_candidate", 422, "a name is on the list twice",           \
      "候选人名单中有重复的名字")                                                                 \
    X(CANDIDATES_OUTSIDE_RATIO, "candidates_outside_ratio", 422,                                \
      "the number of candidates is outside what the law allows", "候选人数不符合法定差额")        \
    X(TOO_FEW_NOMINEES, "too_few_nominees", 422,                                                \
      "no more nominees than formal candidates: no preliminary is needed",                     \
      "提名人数不多于正式候选人数，无需预选")                                                     \
    X(UNKNOWN_CANDIDATE, "unknown_candidate", 422, "a yes or no mark for a name not on the list", \
      "对名单以外的人投了赞成或反对票")                                                           \
    X(WRITE_IN_NOT_ALLOWED, "write_in_not_allowed", 422, "a write-in in a preliminary election", \
      "预选不能另选他人")                                                                         \
    X(BAD_JSON, "bad_json", 400, "not valid JSON", "不是有效的JSON")                             \
    X(WRONG_TYPE, "wrong_type", 422, "a value of the wrong type", "值的类型错误")                \
    X(MISSING_FIELD, "missing_field", 422, "a required field is missing", "缺少必需的字段")      \
    X(UNKNOWN_FIELD, "unknown_field", 422, "an unknown field", "未知字段")                       \
    X(UNKNOWN_KIND, "unknown_kind", 422, "no such kind", "未知的种类")                           \
    X(UNKNOWN_RULES, "unknown_rules", 404, "no such rule set", "没有这个规则集")                 \
    X(DISK_FULL, "disk_full", 507, "no room to write the session file (disk full or a file size limit)",   \
      "会议文件无空间写入（磁盘已满或文件大小受限）")                                          \
    X(HEADERS_TOO_LARGE, "headers_too_large", 431, "request line and headers too large", "请求行和请求头过大") \
    X(LENGTH_REQUIRED, "length_required", 411, "a request body needs a Content-Length", "请求体须带 Content-Length") \
    X(TOO_MANY_CONNECTIONS, "too_many_connections", 429, "too many connections from this address",                \
      "来自该地址的连接过多")                                                                                      \
    X(SERVER_FULL, "server_full", 503, "the server holds as many connections as it may", "服务器连接数已满") \
    X(NOT_SET_UP, "not_set_up", 503, "the session is not set up yet", "会议尚未设立") \
    X(BAD_PROOF, "bad_proof", 422, "a proof or a verifiable ballot's value does not verify",                  \
      "证明或可验证选票的数值未通过验证")                                                        \
    X(UNSUPPORTED, "unsupported", 501, "not something this kind of store does", "此类存储不支持该操作") \
    X(UNREACHABLE, "store_unreachable", 503, "the database cannot be reached; nothing was written, try again shortly", \
      "数据库暂时无法连接，未写入任何内容，请稍后重试")

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
